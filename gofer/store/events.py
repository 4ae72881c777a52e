"""The event log: every state change, written in the same transaction as the change itself,
so an event exists exactly when its change does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from gofer.store.tables import EventRow
from gofer_sdk.models import EventPublic


def emit(
    session: Session,
    kind: str,
    *,
    namespace: str | None = None,
    pipeline: str | None = None,
    run_id: int | None = None,
    task_id: str | None = None,
    **details: Any,
) -> None:
    session.add(
        EventRow(
            kind=kind,
            namespace=namespace,
            pipeline_id=pipeline,
            run_id=run_id,
            task_id=task_id,
            details=details,
            emitted=datetime.now(UTC),
        )
    )


class EventStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, kind: str, **details: Any) -> None:
        """Store an event that comes with no other change."""
        with Session(self._engine) as session, session.begin():
            emit(session, kind, **details)

    def after(self, event_id: int, *, limit: int = 100, namespace: str | None = None) -> list[EventPublic]:
        """Events newer than ``event_id``, oldest first."""
        query = select(EventRow).where(EventRow.id > event_id).order_by(EventRow.id).limit(limit)
        if namespace is not None:
            query = query.where(EventRow.namespace == namespace)
        with Session(self._engine) as session:
            return [_public(row) for row in session.scalars(query)]

    def newest(self, *, limit: int, namespace: str | None = None) -> list[EventPublic]:
        """The ``limit`` newest events, oldest first."""
        query = select(EventRow).order_by(EventRow.id.desc()).limit(limit)
        if namespace is not None:
            query = query.where(EventRow.namespace == namespace)
        with Session(self._engine) as session:
            return [_public(row) for row in reversed(list(session.scalars(query)))]

    def prune(self, retention: timedelta) -> int:
        """Delete events older than ``retention``; return how many went."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(delete(EventRow).where(EventRow.emitted < datetime.now(UTC) - retention))
            return int(result.rowcount)  # type: ignore[attr-defined]


def _public(row: EventRow) -> EventPublic:
    return EventPublic(
        id=row.id,
        kind=row.kind,
        namespace=row.namespace,
        pipeline=row.pipeline_id,
        run_id=row.run_id,
        task_id=row.task_id,
        details=row.details,
        emitted=row.emitted,
    )
