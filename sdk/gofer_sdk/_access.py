"""`GoferClient`'s calls about what runs use and who may call: secrets, objects, tokens."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO, cast

from gofer_sdk._http import HttpApi
from gofer_sdk.models import (
    ObjectPublic,
    SecretPublic,
    SecretPut,
    TokenCreate,
    TokenKind,
    TokenPublic,
    TokenSecret,
)


class AccessApi(HttpApi):
    # secrets

    def put_secret(
        self,
        key: str,
        value: str,
        *,
        pipeline_id: str | None = None,
        namespaces: list[str] | None = None,
        namespace: str | None = None,
    ) -> SecretPublic:
        """Store a pipeline secret (with ``pipeline_id``) or a global one (with ``namespaces``)."""
        body = SecretPut(value=value, namespaces=namespaces or []).model_dump()
        return self._call("PUT", self._secret(key, pipeline_id, namespace), SecretPublic, json=body)

    def list_secrets(
        self, *, pipeline_id: str | None = None, namespace: str | None = None
    ) -> list[SecretPublic]:
        """Keys and dates of a pipeline's secrets, or of the global ones; never values."""
        return self._call("GET", self._secret(None, pipeline_id, namespace), list[SecretPublic])

    def get_secret(
        self, key: str, *, pipeline_id: str | None = None, reveal: bool = False, namespace: str | None = None
    ) -> SecretPublic:
        """One secret's metadata; its value only with ``reveal``."""
        params = {"reveal": "true"} if reveal else {}
        return self._call("GET", self._secret(key, pipeline_id, namespace), SecretPublic, params=params)

    def delete_secret(
        self, key: str, *, pipeline_id: str | None = None, namespace: str | None = None
    ) -> None:
        """Delete a pipeline or global secret."""
        self._request("DELETE", self._secret(key, pipeline_id, namespace))

    def _secret(self, key: str | None, pipeline_id: str | None, namespace: str | None) -> str:
        base = f"{self._pipeline(pipeline_id, namespace)}/secrets" if pipeline_id else "/api/secrets"
        return f"{base}/{key}" if key else base

    # objects

    def put_object(
        self,
        pipeline_id: str,
        key: str,
        data: bytes | BinaryIO | Iterator[bytes],
        *,
        run_id: int | None = None,
        namespace: str | None = None,
    ) -> ObjectPublic:
        """Store ``data`` (bytes, a binary file or an iterator of chunks; streamed) as a pipeline
        object, or as an object of run ``run_id``."""
        path = self._object(pipeline_id, key, run_id, namespace)
        if isinstance(data, io.IOBase):
            # httpx sizes a file by fstat, which says 0 for a pipe (`… | gofer run object put`):
            # send files as chunks instead.
            data = _read_chunks(cast(BinaryIO, data))
        return self._call("PUT", path, ObjectPublic, content=data, timeout=None)

    def get_object(
        self, pipeline_id: str, key: str, *, run_id: int | None = None, namespace: str | None = None
    ) -> Iterator[bytes]:
        """Yield an object's bytes as they arrive."""
        yield from self._stream(self._object(pipeline_id, key, run_id, namespace), {}, follow=True)

    def list_objects(
        self, pipeline_id: str, *, run_id: int | None = None, namespace: str | None = None
    ) -> list[ObjectPublic]:
        """The pipeline's objects, or run ``run_id``'s."""
        return self._call("GET", self._object(pipeline_id, None, run_id, namespace), list[ObjectPublic])

    def delete_object(
        self, pipeline_id: str, key: str, *, run_id: int | None = None, namespace: str | None = None
    ) -> None:
        """Delete a pipeline or run object."""
        self._request("DELETE", self._object(pipeline_id, key, run_id, namespace))

    def _object(self, pipeline_id: str, key: str | None, run_id: int | None, namespace: str | None) -> str:
        base = (
            f"{self._runs(pipeline_id, namespace)}/{run_id}"
            if run_id
            else self._pipeline(pipeline_id, namespace)
        )
        return f"{base}/objects/{key}" if key else f"{base}/objects"

    # tokens

    def bootstrap_token(self) -> TokenSecret:
        """The first admin token of a fresh Gofer (refused once any token exists)."""
        return self._call("POST", "/api/tokens/bootstrap", TokenSecret)

    def whoami(self) -> TokenPublic | None:
        """The token this client sends (None when the server runs without authentication)."""
        return self._call("GET", "/api/tokens/whoami", TokenPublic | None)

    def create_token(
        self,
        kind: TokenKind = TokenKind.USER,
        *,
        namespaces: list[str] | None = None,
        description: str = "",
        expires_in: int | None = None,
    ) -> TokenSecret:
        """A new token; the secret is in the answer only."""
        body = TokenCreate(
            kind=kind, namespaces=namespaces or [], description=description, expires_in=expires_in
        )
        return self._call("POST", "/api/tokens", TokenSecret, json=body.model_dump(mode="json"))

    def list_tokens(self) -> list[TokenPublic]:
        """Every token (never their secrets)."""
        return self._call("GET", "/api/tokens", list[TokenPublic])

    def get_token(self, token_id: str) -> TokenPublic:
        """One token's details."""
        return self._call("GET", f"/api/tokens/{token_id}", TokenPublic)

    def set_token_enabled(self, token_id: str, enabled: bool) -> TokenPublic:
        """Enable or disable a token."""
        return self._call("POST", f"/api/tokens/{token_id}/{'enable' if enabled else 'disable'}", TokenPublic)

    def delete_token(self, token_id: str) -> None:
        """Delete a token."""
        self._request("DELETE", f"/api/tokens/{token_id}")


def _read_chunks(source: BinaryIO, size: int = 1 << 20) -> Iterator[bytes]:
    while chunk := source.read(size):
        yield chunk
