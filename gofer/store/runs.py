"""Runs and task runs: created by the service layer, kept current by activities.

Every write is idempotent: a task-run update only applies when it moves the row forward
(a later attempt, or a later state of the same attempt), so a retried activity that writes
again changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, func, select, update
from sqlalchemy.orm import Session

from gofer.errors import Conflict, NotFound
from gofer.models import RunFinish, RunKey, TaskRunUpdate
from gofer.store.events import emit
from gofer.store.pipelines import pipeline_row
from gofer.store.tables import PipelineRow, RunRow, TaskRunRow
from gofer.store.task_changes import apply_change, emit_task_change, event_key, moves_forward
from gofer.store.views import run_public, task_public
from gofer_sdk.config import Pipeline
from gofer_sdk.models import (
    Page,
    PipelineState,
    ReasonKind,
    RunPublic,
    RunState,
    RunStatus,
    StatusReason,
    TaskRunPublic,
    TaskRunState,
    TaskRunStatus,
)


class DuplicateEvent(Exception):
    """The trigger event was reported before; ``run`` is the run it started."""

    def __init__(self, run: RunKey) -> None:
        super().__init__(f"event already started run {run.run_id}")
        self.run = run


class RunStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self,
        namespace: str,
        config: Pipeline,
        version: int,
        variables: dict[str, str],
        initiator: str,
        event_id: str | None = None,
    ) -> RunPublic:
        """Insert run N+1 of the pipeline with one task run per task, all in one transaction.

        Raises `DuplicateEvent` when ``event_id`` already started a run of this pipeline.
        """
        now = datetime.now(UTC)
        with Session(self._engine) as session, session.begin():
            seen = _run_of_event(session, namespace, config.id, event_id) if event_id else None
            if seen is not None:
                raise DuplicateEvent(RunKey(namespace=namespace, pipeline=config.id, run_id=seen))
            if pipeline_row(session, namespace, config.id).state == PipelineState.DISABLED:
                raise Conflict(f"pipeline '{config.id}' is disabled: enable it to start runs")
            run_id = _next_run_id(session, namespace, config.id)
            session.add(
                RunRow(
                    namespace=namespace,
                    pipeline_id=config.id,
                    run_id=run_id,
                    state=RunState.PENDING,
                    status=RunStatus.UNKNOWN,
                    initiator=initiator,
                    event_id=event_id,
                    variables=variables,
                    config_version=version,
                    started=now,
                )
            )
            session.flush()
            session.add_all(
                TaskRunRow(
                    namespace=namespace,
                    pipeline_id=config.id,
                    run_id=run_id,
                    task_id=task.id,
                    state=TaskRunState.PROCESSING,
                    status=TaskRunStatus.UNKNOWN,
                    attempt=0,
                    image=task.image,
                )
                for task in config.tasks
            )
            emit(
                session,
                "run_queued",
                namespace=namespace,
                pipeline=config.id,
                run_id=run_id,
                initiator=initiator,
            )
        return self.get(RunKey(namespace=namespace, pipeline=config.id, run_id=run_id))

    def discard(self, key: RunKey, description: str) -> None:
        """Close a run whose workflow could not be started, so it is not left pending."""
        reason = StatusReason(kind=ReasonKind.SCHEDULER_ERROR, description=description)
        self.finish(RunFinish(run=key, status=RunStatus.FAILED, reason=reason))

    def mark_waiting(self, key: RunKey, description: str) -> None:
        """A pending run waits for a parallelism slot; say why."""
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(RunRow)
                .where(*_run_filter(key), RunRow.state == RunState.PENDING)
                .values(reason_kind=ReasonKind.QUEUED, reason_description=description)
            )

    def mark_running(self, key: RunKey) -> None:
        with Session(self._engine) as session, session.begin():
            changed = session.execute(
                update(RunRow)
                .where(*_run_filter(key), RunRow.state == RunState.PENDING)
                .values(state=RunState.RUNNING, reason_kind=None, reason_description=None)
            )
            if changed.rowcount:  # type: ignore[attr-defined]
                emit(session, "run_started", **event_key(key))

    def finish(self, finish: RunFinish) -> None:
        reason = finish.reason
        with Session(self._engine) as session, session.begin():
            changed = session.execute(
                update(RunRow)
                .where(*_run_filter(finish.run), RunRow.state != RunState.COMPLETE)
                .values(
                    state=RunState.COMPLETE,
                    status=finish.status,
                    ended=finish.at or datetime.now(UTC),
                    reason_kind=reason.kind if reason else None,
                    reason_description=reason.description if reason else None,
                )
            )
            if changed.rowcount:  # type: ignore[attr-defined]
                emit(session, "run_completed", **event_key(finish.run), status=finish.status.value)

    def update_task(self, change: TaskRunUpdate) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(TaskRunRow, (*_key_tuple(change.run), change.task_id))
            if row is None:
                raise NotFound(f"task '{change.task_id}' not found in run {change.run.run_id}")
            if moves_forward(row, change):
                apply_change(row, change)
                emit_task_change(session, change)

    def get(self, key: RunKey) -> RunPublic:
        with Session(self._engine) as session:
            row = session.get(RunRow, _key_tuple(key))
            if row is None:
                raise NotFound(f"run {key.run_id} of pipeline '{key.pipeline}' not found")
            tasks = session.scalars(
                select(TaskRunRow)
                .where(*_task_filter(key))
                .order_by(TaskRunRow.started.asc().nulls_last(), TaskRunRow.task_id)
            )
            return run_public(row, [task_public(task) for task in tasks])

    def page(
        self,
        namespace: str,
        pipeline_id: str,
        *,
        offset: int = 0,
        limit: int = 50,
        status: RunStatus | None = None,
    ) -> Page[RunPublic]:
        """The pipeline's runs, newest first."""
        where = [RunRow.namespace == namespace, RunRow.pipeline_id == pipeline_id]
        if status is not None:
            where.append(RunRow.status == status)
        with Session(self._engine) as session:
            total = session.scalar(select(func.count()).select_from(RunRow).where(*where)) or 0
            rows = session.scalars(
                select(RunRow).where(*where).order_by(RunRow.run_id.desc()).offset(offset).limit(limit)
            )
            return Page(items=[run_public(row, []) for row in rows], total=total, offset=offset, limit=limit)

    def unfinished(self, namespace: str, pipeline_id: str) -> list[RunKey]:
        with Session(self._engine) as session:
            ids = session.scalars(
                select(RunRow.run_id)
                .where(
                    RunRow.namespace == namespace,
                    RunRow.pipeline_id == pipeline_id,
                    RunRow.state != RunState.COMPLETE,
                )
                .order_by(RunRow.run_id)
            )
            return [RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run_id) for run_id in ids]

    def pending_since(self, age: timedelta) -> list[RunKey]:
        """Runs recorded more than ``age`` ago that have not started."""
        cutoff = datetime.now(UTC) - age
        with Session(self._engine) as session:
            rows = session.execute(
                select(RunRow.namespace, RunRow.pipeline_id, RunRow.run_id).where(
                    RunRow.state == RunState.PENDING, RunRow.started < cutoff
                )
            )
            return [RunKey(namespace=ns, pipeline=pipeline, run_id=run_id) for ns, pipeline, run_id in rows]

    def task(self, key: RunKey, task_id: str) -> TaskRunPublic:
        with Session(self._engine) as session:
            row = session.get(TaskRunRow, (*_key_tuple(key), task_id))
            if row is None:
                raise NotFound(f"task '{task_id}' not found in run {key.run_id} of '{key.pipeline}'")
            return task_public(row)


def _next_run_id(session: Session, namespace: str, pipeline_id: str) -> int:
    # One atomic UPDATE ... RETURNING: two API processes can never hand out the same run id.
    run_id = session.execute(
        update(PipelineRow)
        .where(PipelineRow.namespace == namespace, PipelineRow.id == pipeline_id)
        .values(last_run_id=PipelineRow.last_run_id + 1)
        .returning(PipelineRow.last_run_id)
    ).scalar_one_or_none()
    if run_id is None:
        raise NotFound(f"pipeline '{pipeline_id}' not found in namespace '{namespace}'")
    return run_id


def _key_tuple(key: RunKey) -> tuple[str, str, int]:
    return (key.namespace, key.pipeline, key.run_id)


def _run_filter(key: RunKey) -> tuple[ColumnElement[bool], ...]:
    return (
        RunRow.namespace == key.namespace,
        RunRow.pipeline_id == key.pipeline,
        RunRow.run_id == key.run_id,
    )


def _task_filter(key: RunKey) -> tuple[ColumnElement[bool], ...]:
    return (
        TaskRunRow.namespace == key.namespace,
        TaskRunRow.pipeline_id == key.pipeline,
        TaskRunRow.run_id == key.run_id,
    )


def _run_of_event(session: Session, namespace: str, pipeline_id: str, event_id: str) -> int | None:
    return session.scalar(
        select(RunRow.run_id).where(
            RunRow.namespace == namespace, RunRow.pipeline_id == pipeline_id, RunRow.event_id == event_id
        )
    )
