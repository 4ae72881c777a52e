from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from gofer.api.auth import InNamespace
from gofer.api.deps import Logs, Service
from gofer.api.params import RunId
from gofer.errors import Conflict
from gofer.logstore import LogStore
from gofer.models import RunKey
from gofer.store.runs import RunStore
from gofer_sdk.models import TaskRunPublic, TaskRunState

router = APIRouter(
    prefix="/namespaces/{namespace}/pipelines/{pipeline_id}/runs/{run_id}/tasks",
    tags=["tasks"],
    dependencies=InNamespace,
)

POLL_SECONDS = 0.2
CHUNK = 64 * 1024


@router.get("")
def list_task_runs(namespace: str, pipeline_id: str, run_id: RunId, service: Service) -> list[TaskRunPublic]:
    return service.runs.get(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id)).tasks


@router.post("/{task_id}/cancel")
async def cancel_task_run(
    namespace: str, pipeline_id: str, run_id: RunId, task_id: str, service: Service
) -> TaskRunPublic:
    """Cancel one task: its container is stopped; the run goes on and its children follow their conditions."""
    return await service.cancel_task(
        RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id), task_id
    )


@router.delete("/{task_id}/logs", status_code=204)
def delete_task_logs(
    namespace: str, pipeline_id: str, run_id: RunId, task_id: str, service: Service, logs: Logs
) -> Response:
    """Delete the stored output of every attempt of a finished task."""
    key = RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id)
    task = service.runs.task(key, task_id)
    if task.state != TaskRunState.COMPLETE:
        raise Conflict(f"task '{task_id}' of run {run_id} is still {task.state.value}; its logs are in use")
    logs.delete_task(key, task_id)
    return Response(status_code=204)


@router.get("/{task_id}")
def get_task_run(
    namespace: str, pipeline_id: str, run_id: RunId, task_id: str, service: Service
) -> TaskRunPublic:
    return service.runs.task(RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id), task_id)


@router.get("/{task_id}/logs", response_class=StreamingResponse)
def task_logs(
    namespace: str,
    pipeline_id: str,
    run_id: RunId,
    task_id: str,
    service: Service,
    logs: Logs,
    follow: bool = False,
    attempt: Annotated[
        int | None, Query(ge=1, description="Only this attempt (default: all, in order).")
    ] = None,
    offset: Annotated[
        int, Query(ge=0, le=2**62, description="Bytes of the attempt to skip (with `attempt`).")
    ] = 0,
) -> StreamingResponse:
    """The task's output (every attempt, in order); with `follow`, streams until the task ends."""
    key = RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id)
    service.runs.task(key, task_id)  # 404 before the stream starts
    body = _stream(service.runs, logs, key, task_id, follow, attempt=attempt, offset=offset)
    return StreamingResponse(body, media_type="application/octet-stream")


async def _stream(
    runs: RunStore,
    logs: LogStore,
    key: RunKey,
    task_id: str,
    follow: bool,
    *,
    attempt: int | None,
    offset: int,
) -> AsyncIterator[bytes]:
    only = attempt is not None
    attempt, offset = (attempt or 1), (offset if only else 0)
    newest, settled = attempt, False
    while True:
        chunk = await asyncio.to_thread(logs.read, key, task_id, attempt, offset, CHUNK)
        if chunk:
            offset += len(chunk)
            yield chunk
            continue
        if settled:  # the attempt had ended before this empty read: its log is complete
            if attempt >= newest or only:
                return
            attempt, offset, settled = attempt + 1, 0, False
            continue
        task = await asyncio.to_thread(runs.task, key, task_id)
        newest = max(task.attempt, attempt)
        # The worker writes an attempt's last byte before recording it complete (or starting the
        # next attempt), so one more read after seeing that catches everything.
        settled = newest > attempt or task.state == TaskRunState.COMPLETE or not follow
        if not settled:
            await asyncio.sleep(POLL_SECONDS)
