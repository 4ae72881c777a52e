from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from gofer.api.deps import Service
from gofer_sdk.loader import validate_pipeline
from gofer_sdk.models import DeployResult, PipelinePublic

router = APIRouter(prefix="/namespaces/{namespace}/pipelines", tags=["pipelines"])


@router.post("", status_code=201)
def deploy(namespace: str, service: Service, config: Annotated[dict[str, Any], Body()]) -> DeployResult:
    """Register the config as the pipeline's next version and make it live."""
    return service.deploy(namespace, validate_pipeline(config, source="request body"))


@router.get("")
def list_pipelines(namespace: str, service: Service) -> list[PipelinePublic]:
    return service.pipelines.list(namespace)


@router.get("/{pipeline_id}")
def get_pipeline(namespace: str, pipeline_id: str, service: Service) -> PipelinePublic:
    return service.pipelines.get(namespace, pipeline_id)
