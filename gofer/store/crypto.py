"""Secrets at rest: AES-256-GCM (authenticated) from `cryptography`.

Each value is sealed with a fresh 96-bit nonce and bound to where it is stored (its scope,
namespace, pipeline and key as associated data), so a ciphertext copied to another secret's row
fails to open instead of revealing the wrong value.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gofer.errors import GoferServerError
from gofer.settings import Settings

NONCE_BYTES = 12


class SecretKeyError(GoferServerError):
    """The secret key is missing, malformed, or not the one the secrets were sealed with."""

    code = "secret_key"


class SecretCipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise SecretKeyError(
                f"the secret key must be 32 bytes (base64: 44 characters); got {len(key)} bytes"
            )
        self._key = key
        self._aead = AESGCM(key)

    @classmethod
    def from_text(cls, text: str) -> SecretCipher:
        try:
            return cls(base64.urlsafe_b64decode(text.strip().encode()))
        except ValueError as exc:
            raise SecretKeyError("the secret key is not valid base64") from exc

    def seal(self, plaintext: str, *, bound_to: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), bound_to.encode())

    def open(self, sealed: bytes, *, bound_to: str) -> str:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], bound_to.encode()).decode()
        except InvalidTag as exc:
            raise SecretKeyError(
                "a stored secret cannot be decrypted: the secret key is not the one it was stored with "
                "(check GOFER_SECRET_KEY)"
            ) from exc

    def derive(self, purpose: str) -> str:
        """A secret derived from the key for ``purpose`` (HKDF-SHA256), the same every time.

        A worker that re-attaches to a task's container after a crash derives the token it gave
        that container again, so it can still mask it, and no plaintext token is ever stored.
        """
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
        derived = hkdf.derive(self._key)
        return base64.urlsafe_b64encode(derived).decode().rstrip("=")


def new_key() -> str:
    """A fresh random key, as the base64 text GOFER_SECRET_KEY takes."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def dev_key(data_dir: Path) -> str:
    """The key `gofer up` keeps in its data dir, made on first use (readable by the owner only)."""
    path = data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(new_key())
    return path.read_text().strip()


def cipher_for(settings: Settings) -> SecretCipher:
    """The cipher from GOFER_SECRET_KEY; in dev mode a key kept in the data dir; else refuse."""
    if settings.secret_key:
        return SecretCipher.from_text(settings.secret_key)
    if settings.dev_mode:
        return SecretCipher.from_text(dev_key(settings.data_dir))
    raise SecretKeyError(
        "GOFER_SECRET_KEY is not set, and a production server will not run without it. "
        "Create one with `gofer secret new-key`, store it safely (losing it loses every secret), "
        "and give the same key to every server and worker."
    )
