from __future__ import annotations

from fastapi import APIRouter, Response

from gofer.api.auth import AdminOnly, Caller
from gofer.api.deps import Service
from gofer.errors import InvalidInput
from gofer_sdk.models import TokenCreate, TokenKind, TokenPublic, TokenSecret

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.post("/bootstrap", status_code=201)
def bootstrap(service: Service) -> TokenSecret:
    """The first admin token, once: refused (409) as soon as any token exists."""
    return service.tokens.bootstrap()


@router.get("/whoami")
def whoami(caller: Caller) -> TokenPublic | None:
    """The calling token (null when authentication is off)."""
    return caller.token


@router.post("", status_code=201, dependencies=AdminOnly)
def create_token(body: TokenCreate, service: Service) -> TokenSecret:
    """A new token; its secret is in this answer only."""
    if body.kind == TokenKind.RUN:
        raise InvalidInput("run tokens are made by Gofer for tasks with inject_api_token")
    if body.kind in (TokenKind.USER, TokenKind.TRIGGER) and not body.namespaces:
        raise InvalidInput(f"a {body.kind.value} token needs at least one namespace pattern")
    return service.tokens.create(
        body.kind, namespaces=body.namespaces, description=body.description, expires_in=body.expires_in
    )


@router.get("", dependencies=AdminOnly)
def list_tokens(service: Service) -> list[TokenPublic]:
    return service.tokens.all()


@router.get("/{token_id}", dependencies=AdminOnly)
def get_token(token_id: str, service: Service) -> TokenPublic:
    return service.tokens.get(token_id)


@router.post("/{token_id}/disable", dependencies=AdminOnly)
def disable_token(token_id: str, service: Service) -> TokenPublic:
    return service.tokens.set_disabled(token_id, True)


@router.post("/{token_id}/enable", dependencies=AdminOnly)
def enable_token(token_id: str, service: Service) -> TokenPublic:
    return service.tokens.set_disabled(token_id, False)


@router.delete("/{token_id}", status_code=204, dependencies=AdminOnly)
def delete_token(token_id: str, service: Service) -> Response:
    service.tokens.delete(token_id)
    return Response(status_code=204)
