"""Namespaces: every pipeline lives in one; `default` always exists."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gofer.errors import Conflict, NotFound
from gofer.store.events import emit
from gofer.store.tables import NamespaceRow, PipelineRow
from gofer_sdk.models import NamespaceCreate, NamespacePublic, NamespaceUpdate

DEFAULT_NAMESPACE = "default"


class NamespaceStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(self, request: NamespaceCreate) -> NamespacePublic:
        with Session(self._engine) as session, session.begin():
            if session.get(NamespaceRow, request.id) is not None:
                raise Conflict(f"namespace '{request.id}' already exists")
            row = NamespaceRow(
                id=request.id,
                name=request.name or request.id,
                description=request.description,
                created=datetime.now(UTC),
            )
            session.add(row)
            emit(session, "namespace_created", namespace=request.id)
            return _public(row)

    def all(self) -> list[NamespacePublic]:
        with Session(self._engine) as session:
            return [_public(row) for row in session.scalars(select(NamespaceRow).order_by(NamespaceRow.id))]

    def get(self, namespace: str) -> NamespacePublic:
        with Session(self._engine) as session:
            return _public(namespace_row(session, namespace))

    def update(self, namespace: str, request: NamespaceUpdate) -> NamespacePublic:
        with Session(self._engine) as session, session.begin():
            row = namespace_row(session, namespace)
            row.name = request.name if request.name is not None else row.name
            row.description = request.description if request.description is not None else row.description
            emit(session, "namespace_updated", namespace=namespace)
            return _public(row)

    def delete(self, namespace: str) -> None:
        with Session(self._engine) as session, session.begin():
            row = namespace_row(session, namespace)
            if namespace == DEFAULT_NAMESPACE:
                raise Conflict("the 'default' namespace cannot be deleted")
            pipelines = session.scalar(
                select(func.count()).select_from(PipelineRow).where(PipelineRow.namespace == namespace)
            )
            if pipelines:
                raise Conflict(
                    f"namespace '{namespace}' still holds {pipelines} pipeline(s); delete them first"
                )
            session.delete(row)
            emit(session, "namespace_deleted", namespace=namespace)


def namespace_row(session: Session, namespace: str) -> NamespaceRow:
    row = session.get(NamespaceRow, namespace)
    if row is None:
        raise NotFound(f"namespace '{namespace}' not found")
    return row


def _public(row: NamespaceRow) -> NamespacePublic:
    return NamespacePublic(id=row.id, name=row.name, description=row.description, created=row.created)
