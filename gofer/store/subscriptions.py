"""Pipelines' subscriptions to triggers: the store keeps them so they can be restored."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from gofer.errors import Conflict, NotFound
from gofer.store.events import emit
from gofer.store.pipelines import pipeline_row
from gofer.store.tables import SubscriptionRow
from gofer_sdk.trigger_models import SubscriptionPublic


class SubscriptionStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(
        self,
        namespace: str,
        pipeline_id: str,
        label: str,
        trigger: str,
        settings: dict[str, str],
        variables: dict[str, str],
    ) -> SubscriptionPublic:
        with Session(self._engine) as session, session.begin():
            pipeline_row(session, namespace, pipeline_id)
            if session.get(SubscriptionRow, (namespace, pipeline_id, label)) is not None:
                raise Conflict(
                    f"pipeline '{pipeline_id}' already has a subscription labelled '{label}': "
                    "unsubscribe it first, or pick another --label"
                )
            row = SubscriptionRow(
                namespace=namespace,
                pipeline_id=pipeline_id,
                label=label,
                trigger=trigger,
                settings=settings,
                variables=variables,
                paused=False,
                created=datetime.now(UTC),
            )
            session.add(row)
            emit(
                session,
                "pipeline_subscribed",
                namespace=namespace,
                pipeline=pipeline_id,
                label=label,
                trigger=trigger,
            )
            return _public(row)

    def get(self, namespace: str, pipeline_id: str, label: str) -> SubscriptionPublic:
        with Session(self._engine) as session:
            return _public(_row(session, namespace, pipeline_id, label))

    def of_pipeline(self, namespace: str, pipeline_id: str) -> list[SubscriptionPublic]:
        with Session(self._engine) as session:
            pipeline_row(session, namespace, pipeline_id)
            rows = session.scalars(
                select(SubscriptionRow)
                .where(SubscriptionRow.namespace == namespace, SubscriptionRow.pipeline_id == pipeline_id)
                .order_by(SubscriptionRow.label)
            )
            return [_public(row) for row in rows]

    def of_trigger(self, trigger: str) -> list[SubscriptionPublic]:
        with Session(self._engine) as session:
            rows = session.scalars(select(SubscriptionRow).where(SubscriptionRow.trigger == trigger))
            return [_public(row) for row in rows]

    def set_paused(self, namespace: str, pipeline_id: str, label: str, paused: bool) -> SubscriptionPublic:
        with Session(self._engine) as session, session.begin():
            row = _row(session, namespace, pipeline_id, label)
            row.paused = paused
            kind = "subscription_paused" if paused else "subscription_resumed"
            emit(session, kind, namespace=namespace, pipeline=pipeline_id, label=label)
            return _public(row)

    def remove(self, namespace: str, pipeline_id: str, label: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.delete(_row(session, namespace, pipeline_id, label))
            emit(session, "pipeline_unsubscribed", namespace=namespace, pipeline=pipeline_id, label=label)

    def remove_pipeline(self, namespace: str, pipeline_id: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(
                delete(SubscriptionRow).where(
                    SubscriptionRow.namespace == namespace, SubscriptionRow.pipeline_id == pipeline_id
                )
            )


def _row(session: Session, namespace: str, pipeline_id: str, label: str) -> SubscriptionRow:
    row = session.get(SubscriptionRow, (namespace, pipeline_id, label))
    if row is None:
        raise NotFound(f"pipeline '{pipeline_id}' has no subscription labelled '{label}'")
    return row


def _public(row: SubscriptionRow) -> SubscriptionPublic:
    return SubscriptionPublic(
        namespace=row.namespace,
        pipeline=row.pipeline_id,
        label=row.label,
        trigger=row.trigger,
        settings=dict(row.settings),
        variables=dict(row.variables),
        paused=row.paused,
        created=row.created,
    )
