"""Request dependencies: the service layer and the log store, built once at start-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gofer.logstore import LogStore
from gofer.service import GoferService


def _service(request: Request) -> GoferService:
    service: GoferService = request.app.state.service
    return service


def _logs(request: Request) -> LogStore:
    logs: LogStore = request.app.state.logs
    return logs


Service = Annotated[GoferService, Depends(_service)]
Logs = Annotated[LogStore, Depends(_logs)]
