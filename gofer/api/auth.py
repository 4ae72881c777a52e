"""Who is calling, and what they may reach.

Admin tokens reach everything. User tokens reach the namespaces matching their patterns: every
route under /namespaces/{namespace}, and reads of Gofer itself. Run tokens (given to tasks with
`inject_api_token`) reach their pipeline's objects while their run lasts. Trigger tokens (for an
outside system — a CI job, a script — that starts pipelines) start and read runs in the namespaces
matching their patterns, and nothing else. A missing or bad token is 401; a good token out of its
scope is 403, recorded as an event.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gofer.errors import Forbidden, NotFound, Unauthorized
from gofer.models import RunKey
from gofer.service import GoferService
from gofer_sdk.models import RunState, TokenKind, TokenPublic


@dataclass(frozen=True)
class Principal:
    token: TokenPublic | None  # None: authentication is off (dev mode), everything is allowed

    @property
    def is_admin(self) -> bool:
        return self.token is None or self.token.kind == TokenKind.ADMIN

    def reaches(self, namespace: str) -> bool:
        if self.is_admin:
            return True
        assert self.token is not None
        return self.token.kind == TokenKind.USER and _matches(namespace, self.token.namespaces)

    def starts_runs_in(self, namespace: str) -> bool:
        """A member of the namespace, or a trigger token for it."""
        if self.reaches(namespace):
            return True
        assert self.token is not None
        return self.token.kind == TokenKind.TRIGGER and _matches(namespace, self.token.namespaces)

    @property
    def initiator(self) -> str:
        """Who a run started with this token is recorded as."""
        return "api" if self.token is None else f"{self.token.kind.value} token {self.token.id}"

    def runs_in(self, namespace: str, pipeline_id: str) -> bool:
        """A run token of this pipeline."""
        token = self.token
        return (
            token is not None
            and token.kind == TokenKind.RUN
            and token.namespaces == [namespace]
            and token.pipeline == pipeline_id
        )


def _matches(namespace: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(namespace, pattern) for pattern in patterns)


def _service(request: Request) -> GoferService:
    service: GoferService = request.app.state.service
    return service


def authenticated(request: Request) -> Principal:
    if not request.app.state.settings.auth_required:
        return Principal(token=None)
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        raise Unauthorized("this route needs a token: send 'Authorization: Bearer <token>'")
    token = _service(request).tokens.authenticate(secret.strip())
    if token is None:
        raise Unauthorized("the token is unknown, disabled or expired")
    if token.kind == TokenKind.RUN and not _run_goes_on(request, token):
        raise Unauthorized("this run token's run has ended")
    return Principal(token=token)


def _run_goes_on(request: Request, token: TokenPublic) -> bool:
    # Run tokens are deleted when their run ends; this also covers a run ended outside Gofer
    # (a workflow terminated from Temporal's UI).
    assert token.pipeline is not None and token.run_id is not None
    key = RunKey(namespace=token.namespaces[0], pipeline=token.pipeline, run_id=token.run_id)
    try:
        return _service(request).runs.get(key).state != RunState.COMPLETE
    except NotFound:
        return False


Caller = Annotated[Principal, Depends(authenticated)]


def admin(request: Request, caller: Caller) -> Principal:
    if not caller.is_admin:
        _deny(request, caller, "this needs an admin token")
    return caller


def namespace_member(request: Request, namespace: str, caller: Caller) -> Principal:
    if not caller.reaches(namespace):
        _deny(request, caller, f"this token does not reach namespace '{namespace}'")
    return caller


def run_starter(request: Request, namespace: str, caller: Caller) -> Principal:
    """Members of the namespace, and the trigger tokens for it."""
    if not caller.starts_runs_in(namespace):
        _deny(request, caller, f"this token does not start runs in namespace '{namespace}'")
    return caller


def pipeline_member(request: Request, namespace: str, pipeline_id: str, caller: Caller) -> Principal:
    """Members of the namespace, and the run tokens of this pipeline's tasks."""
    if not (caller.reaches(namespace) or caller.runs_in(namespace, pipeline_id)):
        _deny(request, caller, f"this token does not reach pipeline '{namespace}/{pipeline_id}'")
    return caller


def _deny(request: Request, caller: Principal, message: str) -> None:
    token = caller.token.id if caller.token else None
    _service(request).record_denial(request.method, request.url.path, token)
    raise Forbidden(message)


Admin = Annotated[Principal, Depends(admin)]
RunStarter = Annotated[Principal, Depends(run_starter)]
Authenticated = [Depends(authenticated)]
InNamespace = [Depends(namespace_member)]
InPipeline = [Depends(pipeline_member)]
StartsRuns = [Depends(run_starter)]
AdminOnly = [Depends(admin)]
