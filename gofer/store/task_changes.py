"""How a task-run update lands on its row: forward only, so a replayed write changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from gofer.models import RunKey, TaskRunUpdate
from gofer.store.events import emit
from gofer.store.tables import TaskRunRow
from gofer_sdk.models import TaskRunState

_STATE_RANK = {state: rank for rank, state in enumerate(TaskRunState)}


def event_key(key: RunKey) -> dict[str, Any]:
    return {"namespace": key.namespace, "pipeline": key.pipeline, "run_id": key.run_id}


def emit_task_change(session: Session, change: TaskRunUpdate) -> None:
    if change.state == TaskRunState.RUNNING:
        emit(session, "task_started", **event_key(change.run), task_id=change.task_id, attempt=change.attempt)
    elif change.state == TaskRunState.COMPLETE:
        emit(
            session,
            "task_completed",
            **event_key(change.run),
            task_id=change.task_id,
            attempt=change.attempt,
            status=change.status.value,
            exit_code=change.exit_code,
        )


def moves_forward(row: TaskRunRow, change: TaskRunUpdate) -> bool:
    current = (row.attempt, _STATE_RANK[TaskRunState(row.state)])
    return (change.attempt, _STATE_RANK[change.state]) > current


def apply_change(row: TaskRunRow, change: TaskRunUpdate) -> None:
    at = change.at or datetime.now(UTC)
    if change.attempt != row.attempt:
        row.started, row.ended, row.exit_code, row.container = None, None, None, None
    row.attempt, row.state, row.status = change.attempt, change.state, change.status
    row.reason_kind = change.reason.kind if change.reason else None
    row.reason_description = change.reason.description if change.reason else None
    row.exit_code = change.exit_code if change.exit_code is not None else row.exit_code
    row.container = change.container or row.container
    row.image_digest = change.image_digest or row.image_digest
    if change.state == TaskRunState.RUNNING:
        row.started = at
    if change.state == TaskRunState.COMPLETE:
        row.ended = at
        row.started = row.started or at
