"""Rows as the API shows them."""

from __future__ import annotations

from gofer.models import RunKey
from gofer.store.tables import RunRow, TaskRunRow
from gofer_sdk.models import (
    ReasonKind,
    RunPublic,
    RunState,
    RunStatus,
    StatusReason,
    TaskRunPublic,
    TaskRunState,
    TaskRunStatus,
)


def reason_of(row: TaskRunRow | RunRow) -> StatusReason | None:
    if row.reason_kind is None:
        return None
    return StatusReason(kind=ReasonKind(row.reason_kind), description=row.reason_description or "")


def task_public(row: TaskRunRow) -> TaskRunPublic:
    return TaskRunPublic(
        task_id=row.task_id,
        state=TaskRunState(row.state),
        status=TaskRunStatus(row.status),
        status_reason=reason_of(row),
        exit_code=row.exit_code,
        attempt=row.attempt,
        image=row.image,
        image_digest=row.image_digest,
        container=row.container,
        started=row.started,
        ended=row.ended,
    )


def run_public(row: RunRow, tasks: list[TaskRunPublic]) -> RunPublic:
    key = RunKey(namespace=row.namespace, pipeline=row.pipeline_id, run_id=row.run_id)
    return RunPublic(
        namespace=row.namespace,
        pipeline=row.pipeline_id,
        id=row.run_id,
        state=RunState(row.state),
        status=RunStatus(row.status),
        status_reason=reason_of(row),
        initiator=row.initiator,
        event_id=row.event_id,
        variables=row.variables,
        config_version=row.config_version,
        started=row.started,
        ended=row.ended,
        workflow_id=key.workflow_id,
        tasks=tasks,
    )
