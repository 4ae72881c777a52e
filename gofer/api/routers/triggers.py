"""Installed triggers (their webhook ingress is in webhooks.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.responses import StreamingResponse

from gofer.api.auth import AdminOnly, Authenticated
from gofer.api.deps import Service
from gofer_sdk.trigger_models import TRIGGER_NAME_PATTERN, TriggerInstall, TriggerPublic

router = APIRouter(prefix="/triggers", tags=["triggers"])
Name = Annotated[str, Path(pattern=TRIGGER_NAME_PATTERN)]


@router.post("", status_code=201, dependencies=AdminOnly)
async def install_trigger(body: TriggerInstall, service: Service) -> TriggerPublic:
    """Install a trigger container; Gofer starts it and keeps it running."""
    return await service.trigger_admin.install(body.name, body.image, body.settings)


@router.get("", dependencies=Authenticated)
def list_triggers(service: Service) -> list[TriggerPublic]:
    return service.triggers.all()


@router.get("/{name}", dependencies=Authenticated)
def get_trigger(name: Name, service: Service) -> TriggerPublic:
    return service.triggers.get(name)


@router.get("/{name}/logs", dependencies=AdminOnly, response_class=StreamingResponse)
def trigger_logs(name: Name, service: Service) -> StreamingResponse:
    """The output of the trigger's current container."""
    return StreamingResponse(service.trigger_admin.logs(name), media_type="text/plain")


@router.delete("/{name}", status_code=204, dependencies=AdminOnly)
async def uninstall_trigger(name: Name, service: Service) -> Response:
    """Stop and remove a trigger (refused while pipelines subscribe to it)."""
    await service.trigger_admin.uninstall(name)
    return Response(status_code=204)


@router.post("/{name}/enable", dependencies=AdminOnly)
async def enable_trigger(name: Name, service: Service) -> TriggerPublic:
    return await service.trigger_admin.set_enabled(name, True)


@router.post("/{name}/disable", dependencies=AdminOnly)
async def disable_trigger(name: Name, service: Service) -> TriggerPublic:
    """Stop the trigger's container; its subscriptions are kept for when it is enabled again."""
    return await service.trigger_admin.set_enabled(name, False)
