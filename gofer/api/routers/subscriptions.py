"""A pipeline's subscriptions to triggers (interval, cron, installed trigger containers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from gofer.api.auth import InNamespace
from gofer.api.deps import Service
from gofer_sdk.trigger_models import LABEL_PATTERN, SubscriptionCreate, SubscriptionPublic

router = APIRouter(
    prefix="/namespaces/{namespace}/pipelines/{pipeline_id}/subscriptions",
    tags=["subscriptions"],
    dependencies=InNamespace,
)
Label = Annotated[str, Path(pattern=LABEL_PATTERN)]


@router.post("", status_code=201)
async def subscribe(
    namespace: str, pipeline_id: str, body: SubscriptionCreate, service: Service
) -> SubscriptionPublic:
    """Start runs of the pipeline when the trigger fires. The trigger checks the settings; a
    refused subscription is not kept."""
    return await service.trigger_admin.subscribe(namespace, pipeline_id, body)


@router.get("")
def list_subscriptions(namespace: str, pipeline_id: str, service: Service) -> list[SubscriptionPublic]:
    return service.subscriptions.of_pipeline(namespace, pipeline_id)


@router.get("/{label}")
def get_subscription(namespace: str, pipeline_id: str, label: Label, service: Service) -> SubscriptionPublic:
    return service.subscriptions.get(namespace, pipeline_id, label)


@router.delete("/{label}", status_code=204)
async def unsubscribe(namespace: str, pipeline_id: str, label: Label, service: Service) -> Response:
    await service.trigger_admin.unsubscribe(namespace, pipeline_id, label)
    return Response(status_code=204)


@router.post("/{label}/pause")
async def pause_subscription(
    namespace: str, pipeline_id: str, label: Label, service: Service
) -> SubscriptionPublic:
    """No runs from this subscription until it is resumed (schedules skip their firings)."""
    return await service.trigger_admin.set_paused(namespace, pipeline_id, label, True)


@router.post("/{label}/resume")
async def resume_subscription(
    namespace: str, pipeline_id: str, label: Label, service: Service
) -> SubscriptionPublic:
    return await service.trigger_admin.set_paused(namespace, pipeline_id, label, False)
