"""Masking secret values in a byte stream, including values split across two writes.

Each secret is masked as written, line by line when it spans lines, JSON-escaped, and
base64-encoded (standard and URL-safe, with or without padding). The masker holds back the last
`longest - 1` bytes of what it has seen, so a value cut in two by the container's writes is still
whole when matched.
"""

from __future__ import annotations

import base64
import json
import re

MASK = b"***"
# A line of a multi-line secret shorter than this is too common to mask on its own.
MIN_LINE = 4


def forms(secret: str) -> set[bytes]:
    """Every byte form of ``secret`` that could reach a log."""
    raw = secret.encode()
    found = {raw, json.dumps(secret)[1:-1].encode()}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        found |= {encoded, encoded.rstrip(b"=")}
    found |= {line.encode() for line in secret.splitlines() if len(line.strip()) >= MIN_LINE}
    return {form for form in found if form}


class Masker:
    """Feed raw output in; get masked output back. ``consumed`` counts the raw bytes whose
    masked form has been returned (held-back bytes are not counted yet)."""

    def __init__(self, secrets: list[str]) -> None:
        patterns = sorted({form for secret in secrets for form in forms(secret)}, key=len, reverse=True)
        self._pattern = re.compile(b"|".join(re.escape(p) for p in patterns)) if patterns else None
        self._hold = max((len(p) for p in patterns), default=1) - 1
        self._buffer = b""
        self.consumed = 0

    def feed(self, chunk: bytes) -> bytes:
        self._buffer += chunk
        return self._drain(len(self._buffer) - self._hold)

    def flush(self) -> bytes:
        """The rest, at the end of the stream."""
        return self._drain(len(self._buffer))

    def _drain(self, safe: int) -> bytes:
        if self._pattern is None:
            safe = len(self._buffer)
        out, position = bytearray(), 0
        if self._pattern is not None:
            for match in self._pattern.finditer(self._buffer):
                if match.start() >= safe:
                    break
                out += self._buffer[position : match.start()] + MASK
                position = match.end()
        if position < safe:
            out += self._buffer[position:safe]
            position = safe
        self._buffer = self._buffer[position:]
        self.consumed += position
        return bytes(out)
