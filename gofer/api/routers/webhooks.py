"""Webhook ingress: forwarded to the trigger's ExternalEvent.

Served with the API, and alone on GOFER_WEBHOOK_PORT when set, so that only this route needs to
face the internet.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gofer.api.deps import Service
from gofer.api.routers.triggers import Name

router = APIRouter(prefix="/triggers", tags=["webhooks"])
MAX_WEBHOOK_BYTES = 25 << 20  # GitHub's own limit for a payload


@router.post("/{name}/events")
async def webhook(name: Name, request: Request, service: Service) -> JSONResponse:
    """Webhook ingress: no Gofer token (the trigger checks the caller, e.g. a signature); the
    request's headers and body go to the trigger's ExternalEvent, its answer comes back."""
    body = bytearray()
    async for chunk in request.stream():  # bounded: a huge body is refused, not held in memory
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            return JSONResponse({"message": "payload too large"}, status_code=413)
    headers = {key.lower(): value for key, value in request.headers.items()}
    answer = await service.trigger_admin.calls.external_event(name, headers, bytes(body))
    content = {"message": answer.message, "runs_started": answer.runs_started}
    status = answer.status if 100 <= answer.status <= 599 else 502
    return JSONResponse(content, status_code=status)
