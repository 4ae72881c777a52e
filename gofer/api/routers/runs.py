from __future__ import annotations

from fastapi import APIRouter

from gofer.api.deps import Service
from gofer.models import RunKey
from gofer_sdk.models import RunCreate, RunPublic

router = APIRouter(prefix="/namespaces/{namespace}/pipelines/{pipeline_id}/runs", tags=["runs"])


@router.post("", status_code=201)
async def start_run(namespace: str, pipeline_id: str, body: RunCreate, service: Service) -> RunPublic:
    """Start a run of the pipeline's live config."""
    return await service.start_run(namespace, pipeline_id, body.variables, initiator="api")


@router.get("")
def list_runs(namespace: str, pipeline_id: str, service: Service) -> list[RunPublic]:
    return service.list_runs(namespace, pipeline_id)


@router.get("/{run_id}")
def get_run(namespace: str, pipeline_id: str, run_id: int, service: Service) -> RunPublic:
    return service.get_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id))


@router.post("/{run_id}/cancel")
async def cancel_run(namespace: str, pipeline_id: str, run_id: int, service: Service) -> RunPublic:
    return await service.cancel_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id))
