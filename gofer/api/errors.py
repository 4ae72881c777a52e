"""One table maps domain errors to HTTP status codes; every error has one JSON shape:

{"error": {"code": "not_found", "message": "...", "details": [...]}}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from gofer.errors import (
    Conflict,
    Forbidden,
    GoferServerError,
    InvalidInput,
    NotFound,
    Unauthorized,
    Unavailable,
)
from gofer.store.crypto import SecretKeyError
from gofer_sdk.errors import ConfigError

log = logging.getLogger(__name__)

STATUS = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 422,
    Unavailable: 503,
    SecretKeyError: 500,
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install(app: FastAPI) -> None:
    app.add_exception_handler(GoferServerError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(ConfigError, _config)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _domain(_: Request, exc: GoferServerError) -> JSONResponse:
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 500)
    return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=status)


async def _config(_: Request, exc: ConfigError) -> JSONResponse:
    details = [{"location": p.location, "message": p.message} for p in exc.problems]
    message = f"invalid pipeline config ({len(details)} problem(s))"
    return JSONResponse(error_body("invalid_config", message, details), status_code=422)


async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    details = [
        {"location": ".".join(str(part) for part in error["loc"]), "message": error["msg"]}
        for error in exc.errors()
    ]
    return JSONResponse(error_body("invalid_input", "the request is invalid", details), status_code=422)


async def _http(_: Request, exc: HTTPException) -> JSONResponse:
    code = "not_found" if exc.status_code == 404 else "http_error"
    return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A bug: keep the stable error shape for clients, and the traceback for the operator.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body("internal", "internal error; the server log has the details"), status_code=500
    )
