"""Errors raised by gofer_sdk.

``GoferError`` is the root. ``ConfigError`` means a pipeline config is invalid and carries every
problem found. ``ApiError`` is any error answered by the Gofer API; it keeps the HTTP status and
the API's stable error body (``{"error": {"code", "message", "details"}}``). ``ConnectError``
means the API could not be reached at all.
"""

from __future__ import annotations

from typing import Any

from gofer_sdk.validation import Problem


class GoferError(Exception):
    """Root of every error gofer_sdk raises."""


class ConfigError(GoferError):
    """A pipeline config is invalid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source} is invalid ({len(problems)} problem(s)):\n{lines}")


class ApiError(GoferError):
    """The Gofer API answered with an error."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        super().__init__(message)


class ConnectError(GoferError):
    """The Gofer API could not be reached."""
