"""Pipeline objects (kept across runs, oldest evicted past a limit) and run objects (gone once
the run `run_object_expiry` runs newer completes).

Bytes live in files under the data dir and never pass through memory whole; metadata lives in
the database. A bucket-backed store would implement the same methods.
"""

from __future__ import annotations

import enum
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gofer.errors import NotFound
from gofer.models import RunKey
from gofer.settings import Settings
from gofer.store.events import emit
from gofer.store.pipelines import pipeline_row
from gofer.store.tables import ObjectRow, RunRow
from gofer_sdk.models import ObjectPublic

TEXT_LIMIT = 64 * 1024  # an object interpolated into a variable is text, and small


class ObjectScope(enum.StrEnum):
    PIPELINE = "pipeline"
    RUN = "run"


@dataclass(frozen=True)
class ObjectRef:
    scope: ObjectScope
    namespace: str
    pipeline: str
    run_id: int  # 0 for pipeline objects
    key: str

    @classmethod
    def of_pipeline(cls, namespace: str, pipeline: str, key: str) -> ObjectRef:
        return cls(ObjectScope.PIPELINE, namespace, pipeline, 0, key)

    @classmethod
    def of_run(cls, run: RunKey, key: str) -> ObjectRef:
        return cls(ObjectScope.RUN, run.namespace, run.pipeline, run.run_id, key)

    @property
    def label(self) -> str:
        where = f"run {self.run_id} of '{self.pipeline}'" if self.run_id else f"pipeline '{self.pipeline}'"
        return f"{self.scope} object '{self.key}' of {where}"


class ObjectStore:
    def __init__(self, engine: Engine, root: Path, *, pipeline_limit: int, run_expiry: int) -> None:
        self._engine = engine
        self._root = root
        self._limit = pipeline_limit
        self._expiry = run_expiry

    def upload_file(self, ref: ObjectRef) -> tuple[int, str]:
        """A temporary file (fd, path) to stream an upload into, then pass to `commit`."""
        self._check_owner(ref)
        folder = self._path(ref).parent
        folder.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=folder, prefix=".upload-")

    def commit(self, ref: ObjectRef, upload: str) -> ObjectPublic:
        """Make an uploaded file the object's content (replacing any), then apply the limit."""
        path = self._path(ref)
        size = os.path.getsize(upload)
        with Session(self._engine) as session, session.begin():
            os.replace(upload, path)
            row = session.get(ObjectRow, _key(ref)) or ObjectRow(
                scope=ref.scope,
                namespace=ref.namespace,
                pipeline_id=ref.pipeline,
                run_id=ref.run_id,
                key=ref.key,
            )
            row.size, row.created = size, datetime.now(UTC)
            session.add(row)
            emit(
                session,
                f"{ref.scope}_object_put",
                namespace=ref.namespace,
                pipeline=ref.pipeline,
                run_id=ref.run_id or None,
                key=ref.key,
                size=size,
            )
            if ref.scope == ObjectScope.PIPELINE:
                self._evict_over_limit(session, ref)
            return _public(row)

    def open(self, ref: ObjectRef) -> Path:
        """The file holding the object's bytes."""
        with Session(self._engine) as session:
            if session.get(ObjectRow, _key(ref)) is None:
                raise NotFound(f"{ref.label} not found")
        return self._path(ref)

    def text(self, ref: ObjectRef) -> str | None:
        """The object as text (for interpolation), or None if it does not exist."""
        with Session(self._engine) as session:
            if session.get(ObjectRow, _key(ref)) is None:
                return None
        return self._path(ref).read_bytes()[:TEXT_LIMIT].decode("utf-8", errors="replace")

    def list(self, scope: ObjectScope, namespace: str, pipeline: str, run_id: int = 0) -> list[ObjectPublic]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(ObjectRow)
                .where(
                    ObjectRow.scope == scope,
                    ObjectRow.namespace == namespace,
                    ObjectRow.pipeline_id == pipeline,
                    ObjectRow.run_id == run_id,
                )
                .order_by(ObjectRow.key)
            )
            return [_public(row) for row in rows]

    def delete(self, ref: ObjectRef) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(ObjectRow, _key(ref))
            if row is None:
                raise NotFound(f"{ref.label} not found")
            self._remove(session, row, "deleted")

    def expire_after(self, completed: RunKey) -> int:
        """Run ``completed`` ended: drop the objects of runs `run_object_expiry` or more older."""
        horizon = completed.run_id - self._expiry
        with Session(self._engine) as session, session.begin():
            rows = list(
                session.scalars(
                    select(ObjectRow).where(
                        ObjectRow.scope == ObjectScope.RUN,
                        ObjectRow.namespace == completed.namespace,
                        ObjectRow.pipeline_id == completed.pipeline,
                        ObjectRow.run_id <= horizon,
                    )
                )
            )
            for row in rows:
                self._remove(session, row, "expired")
            return len(rows)

    def _evict_over_limit(self, session: Session, ref: ObjectRef) -> None:
        mine = (
            ObjectRow.scope == ObjectScope.PIPELINE,
            ObjectRow.namespace == ref.namespace,
            ObjectRow.pipeline_id == ref.pipeline,
        )
        session.flush()
        excess = (session.scalar(select(func.count()).select_from(ObjectRow).where(*mine)) or 0) - self._limit
        if excess > 0:
            oldest = session.scalars(select(ObjectRow).where(*mine).order_by(ObjectRow.created).limit(excess))
            for row in list(oldest):
                self._remove(session, row, "evicted")

    def _remove(self, session: Session, row: ObjectRow, why: str) -> None:
        ref = ObjectRef(ObjectScope(row.scope), row.namespace, row.pipeline_id, row.run_id, row.key)
        session.delete(row)
        self._path(ref).unlink(missing_ok=True)
        emit(
            session,
            f"{row.scope}_object_{why}",
            namespace=row.namespace,
            pipeline=row.pipeline_id,
            run_id=row.run_id or None,
            key=row.key,
        )

    def _check_owner(self, ref: ObjectRef) -> None:
        with Session(self._engine) as session:
            pipeline_row(session, ref.namespace, ref.pipeline)
            if (
                ref.scope == ObjectScope.RUN
                and session.get(RunRow, (ref.namespace, ref.pipeline, ref.run_id)) is None
            ):
                raise NotFound(f"run {ref.run_id} of pipeline '{ref.pipeline}' not found")

    def _path(self, ref: ObjectRef) -> Path:
        # Keys are validated at the API (no '/', not starting with '.'), so this stays inside root.
        where = "pipeline" if ref.scope == ObjectScope.PIPELINE else f"runs/{ref.run_id}"
        return self._root / ref.namespace / ref.pipeline / where / ref.key


def _key(ref: ObjectRef) -> tuple[str, str, str, int, str]:
    return (ref.scope, ref.namespace, ref.pipeline, ref.run_id, ref.key)


def _public(row: ObjectRow) -> ObjectPublic:
    return ObjectPublic(key=row.key, size=row.size, created=row.created, run_id=row.run_id or None)


def object_store(engine: Engine, settings: Settings) -> ObjectStore:
    return ObjectStore(
        engine,
        settings.object_dir,
        pipeline_limit=settings.object_limit,
        run_expiry=settings.run_object_expiry,
    )
