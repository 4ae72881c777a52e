from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from gofer.api.auth import InNamespace
from gofer.api.deps import Service
from gofer.api.params import MAX_ID, Version
from gofer.diff import config_diff
from gofer_sdk.loader import validate_pipeline
from gofer_sdk.models import (
    ConfigDiff,
    ConfigVersionPublic,
    DeployResult,
    Page,
    PipelinePublic,
    PipelineState,
)

router = APIRouter(prefix="/namespaces/{namespace}/pipelines", tags=["pipelines"], dependencies=InNamespace)
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=500)]


@router.post("", status_code=201)
def deploy(namespace: str, service: Service, config: Annotated[dict[str, Any], Body()]) -> DeployResult:
    """Register the config as the pipeline's next version and make it live (unchanged: no new version)."""
    return service.pipelines.deploy(namespace, validate_pipeline(config, source="request body"))


@router.get("")
def list_pipelines(
    namespace: str, service: Service, offset: Offset = 0, limit: Limit = 50
) -> Page[PipelinePublic]:
    return service.pipelines.page(namespace, offset=offset, limit=limit)


@router.get("/{pipeline_id}")
def get_pipeline(namespace: str, pipeline_id: str, service: Service) -> PipelinePublic:
    return service.pipelines.get(namespace, pipeline_id)


@router.post("/{pipeline_id}/enable")
def enable_pipeline(namespace: str, pipeline_id: str, service: Service) -> PipelinePublic:
    return service.pipelines.set_state(namespace, pipeline_id, PipelineState.ACTIVE)


@router.post("/{pipeline_id}/disable")
def disable_pipeline(namespace: str, pipeline_id: str, service: Service) -> PipelinePublic:
    """A disabled pipeline refuses new runs; running ones go on."""
    return service.pipelines.set_state(namespace, pipeline_id, PipelineState.DISABLED)


@router.delete("/{pipeline_id}", status_code=204)
async def delete_pipeline(namespace: str, pipeline_id: str, service: Service) -> Response:
    """Delete the pipeline, its subscriptions, versions and runs (refused while a run is unfinished)."""
    await service.delete_pipeline(namespace, pipeline_id)
    return Response(status_code=204)


@router.get("/{pipeline_id}/versions")
def list_versions(namespace: str, pipeline_id: str, service: Service) -> list[ConfigVersionPublic]:
    return service.pipelines.versions(namespace, pipeline_id)


@router.get("/{pipeline_id}/versions/{version}")
def get_version(namespace: str, pipeline_id: str, version: Version, service: Service) -> ConfigVersionPublic:
    return service.pipelines.version(namespace, pipeline_id, version)


@router.post("/{pipeline_id}/versions/{version}/live")
def make_version_live(namespace: str, pipeline_id: str, version: Version, service: Service) -> PipelinePublic:
    """Roll back (or forward): new runs use this version."""
    return service.pipelines.make_live(namespace, pipeline_id, version)


@router.delete("/{pipeline_id}/versions/{version}", status_code=204)
def delete_version(namespace: str, pipeline_id: str, version: Version, service: Service) -> Response:
    service.pipelines.delete_version(namespace, pipeline_id, version)
    return Response(status_code=204)


@router.get("/{pipeline_id}/diff")
def diff_versions(
    namespace: str,
    pipeline_id: str,
    service: Service,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_ID)],
) -> ConfigDiff:
    old = service.pipelines.config(namespace, pipeline_id, from_version)
    new = service.pipelines.config(namespace, pipeline_id, to_version)
    text = config_diff(
        old, new, old_label=f"{pipeline_id} v{from_version}", new_label=f"{pipeline_id} v{to_version}"
    )
    return ConfigDiff(pipeline=pipeline_id, from_version=from_version, to_version=to_version, diff=text)
