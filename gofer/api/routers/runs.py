from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from gofer.api.auth import InNamespace, RunStarter, StartsRuns
from gofer.api.deps import Service
from gofer.api.params import MAX_ID, RunId
from gofer.models import RunKey
from gofer.store.runs import DuplicateEvent
from gofer_sdk.models import Page, RunCreate, RunPublic, RunStatus

# Trigger tokens may start and read runs; everything else needs a member of the namespace.
router = APIRouter(prefix="/namespaces/{namespace}/pipelines/{pipeline_id}/runs", tags=["runs"])


@router.post("", status_code=201, responses={200: {"description": "The event id started this run before."}})
async def start_run(
    namespace: str,
    pipeline_id: str,
    body: RunCreate,
    service: Service,
    caller: RunStarter,
    response: Response,
) -> RunPublic:
    """Start a run of the pipeline's live config. With an `event_id`, a repeated call (a client's
    retry) starts nothing and answers 200 with the run the first call started."""
    event_id = f"api/{body.event_id}" if body.event_id else None
    try:
        return await service.start_run(
            namespace, pipeline_id, body.variables, initiator=caller.initiator, event_id=event_id
        )
    except DuplicateEvent as seen:
        response.status_code = 200
        return service.get_run(seen.run)


@router.get("", dependencies=StartsRuns)
def list_runs(
    namespace: str,
    pipeline_id: str,
    service: Service,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    status: RunStatus | None = None,
) -> Page[RunPublic]:
    """The pipeline's runs, newest first."""
    service.pipelines.get(namespace, pipeline_id)  # 404 for an unknown pipeline, not an empty page
    return service.runs.page(namespace, pipeline_id, offset=offset, limit=limit, status=status)


@router.post("/cancel-all", dependencies=InNamespace)
async def cancel_all_runs(namespace: str, pipeline_id: str, service: Service) -> list[int]:
    """Cancel every unfinished run of the pipeline; returns the ids asked to cancel."""
    return await service.cancel_all(namespace, pipeline_id)


@router.get("/{run_id}", dependencies=StartsRuns)
def get_run(namespace: str, pipeline_id: str, run_id: RunId, service: Service) -> RunPublic:
    return service.get_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id))


@router.post("/{run_id}/cancel", dependencies=InNamespace)
async def cancel_run(namespace: str, pipeline_id: str, run_id: RunId, service: Service) -> RunPublic:
    return await service.cancel_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id))


@router.post("/{run_id}/retry", status_code=201, dependencies=InNamespace)
async def retry_run(namespace: str, pipeline_id: str, run_id: RunId, service: Service) -> RunPublic:
    """A new run with the same variables and config version."""
    return await service.retry_run(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id))
