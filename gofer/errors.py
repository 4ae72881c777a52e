"""Domain errors of the Gofer server.

Every layer raises these; the API maps each class to one HTTP status in one table
(`gofer.api.errors`), and activities mark the permanent ones non-retryable.
"""

from __future__ import annotations

from typing import Any


class GoferServerError(Exception):
    """Root of the server's domain errors."""

    code = "error"

    def __init__(self, message: str, *, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(GoferServerError):
    code = "not_found"


class Conflict(GoferServerError):
    code = "conflict"


class InvalidInput(GoferServerError):
    code = "invalid_input"


class Unauthorized(GoferServerError):
    """No valid token came with the request."""

    code = "unauthorized"


class Forbidden(GoferServerError):
    """The token is valid but does not reach this resource."""

    code = "forbidden"


class Unavailable(GoferServerError):
    """A service Gofer depends on (Temporal, Docker, the store) could not be reached."""

    code = "unavailable"
