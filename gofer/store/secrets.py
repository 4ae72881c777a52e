"""Pipeline and global secrets, sealed with `SecretCipher` before they reach the database."""

from __future__ import annotations

import enum
import fnmatch
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gofer.errors import NotFound
from gofer.store.crypto import SecretCipher
from gofer.store.events import emit
from gofer.store.pipelines import pipeline_row
from gofer.store.tables import SecretRow
from gofer_sdk.models import SecretPublic

GLOBAL = ""  # the namespace and pipeline columns of a global secret


class Scope(enum.StrEnum):
    PIPELINE = "pipeline"
    GLOBAL = "global"


class SecretStore:
    def __init__(self, engine: Engine, cipher: SecretCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    @property
    def cipher(self) -> SecretCipher:
        return self._cipher

    def put(
        self,
        scope: Scope,
        key: str,
        value: str,
        *,
        namespace: str = GLOBAL,
        pipeline: str = GLOBAL,
        namespaces: list[str] | None = None,
    ) -> SecretPublic:
        now = datetime.now(UTC)
        with Session(self._engine) as session, session.begin():
            if scope == Scope.PIPELINE:
                pipeline_row(session, namespace, pipeline)
            row = session.get(SecretRow, (scope, namespace, pipeline, key))
            if row is None:
                row = SecretRow(scope=scope, namespace=namespace, pipeline_id=pipeline, key=key, created=now)
                session.add(row)
            row.sealed = self._cipher.seal(value, bound_to=_binding(scope, namespace, pipeline, key))
            row.namespaces, row.updated = list(namespaces or []), now
            emit(
                session,
                f"{scope}_secret_put",
                namespace=namespace or None,
                pipeline=pipeline or None,
                key=key,
            )
            return _public(row)

    def list(self, scope: Scope, *, namespace: str = GLOBAL, pipeline: str = GLOBAL) -> list[SecretPublic]:
        with Session(self._engine) as session:
            if scope == Scope.PIPELINE:
                pipeline_row(session, namespace, pipeline)
            rows = session.scalars(
                select(SecretRow)
                .where(
                    SecretRow.scope == scope,
                    SecretRow.namespace == namespace,
                    SecretRow.pipeline_id == pipeline,
                )
                .order_by(SecretRow.key)
            )
            return [_public(row) for row in rows]

    def get(
        self, scope: Scope, key: str, *, namespace: str = GLOBAL, pipeline: str = GLOBAL, reveal: bool = False
    ) -> SecretPublic:
        with Session(self._engine) as session:
            row = self._row(session, scope, key, namespace, pipeline)
            public = _public(row)
            if reveal:
                public.value = self._cipher.open(
                    row.sealed, bound_to=_binding(scope, namespace, pipeline, key)
                )
            return public

    def delete(self, scope: Scope, key: str, *, namespace: str = GLOBAL, pipeline: str = GLOBAL) -> None:
        with Session(self._engine) as session, session.begin():
            session.delete(self._row(session, scope, key, namespace, pipeline))
            emit(
                session,
                f"{scope}_secret_deleted",
                namespace=namespace or None,
                pipeline=pipeline or None,
                key=key,
            )

    def pipeline_value(self, namespace: str, pipeline: str, key: str) -> str | None:
        """The value a run of the pipeline gets for `pipeline_secret{{key}}`, if set."""
        with Session(self._engine) as session:
            row = session.get(SecretRow, (Scope.PIPELINE, namespace, pipeline, key))
            if row is None:
                return None
            return self._cipher.open(row.sealed, bound_to=_binding(Scope.PIPELINE, namespace, pipeline, key))

    def global_value(self, namespace: str, key: str) -> str | None:
        """The value of a global secret, if set and allowed for ``namespace``."""
        with Session(self._engine) as session:
            row = session.get(SecretRow, (Scope.GLOBAL, GLOBAL, GLOBAL, key))
            if row is None or not any(fnmatch.fnmatchcase(namespace, p) for p in row.namespaces):
                return None
            return self._cipher.open(row.sealed, bound_to=_binding(Scope.GLOBAL, GLOBAL, GLOBAL, key))

    @staticmethod
    def _row(session: Session, scope: Scope, key: str, namespace: str, pipeline: str) -> SecretRow:
        row = session.get(SecretRow, (scope, namespace, pipeline, key))
        if row is None:
            where = f" of pipeline '{pipeline}'" if scope == Scope.PIPELINE else ""
            raise NotFound(f"{scope} secret '{key}'{where} not found")
        return row


def _binding(scope: str, namespace: str, pipeline: str, key: str) -> str:
    return f"{scope}/{namespace}/{pipeline}/{key}"


def _public(row: SecretRow) -> SecretPublic:
    return SecretPublic(
        scope=row.scope,
        key=row.key,
        namespace=row.namespace or None,
        pipeline=row.pipeline_id or None,
        namespaces=row.namespaces,
        created=row.created,
        updated=row.updated,
    )
