"""Pipelines and their config versions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gofer.errors import Conflict, NotFound
from gofer.store.events import emit
from gofer.store.namespaces import namespace_row
from gofer.store.tables import ConfigRow, PipelineRow, RunRow, TaskRunRow
from gofer_sdk.config import Pipeline
from gofer_sdk.models import (
    ConfigVersionPublic,
    DeployResult,
    Page,
    PipelinePublic,
    PipelineState,
    RunState,
    RunStatus,
)


class PipelineStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def deploy(self, namespace: str, config: Pipeline) -> DeployResult:
        """Register ``config`` as version N+1 and make it live; an unchanged config adds nothing."""
        raw = config.model_dump(mode="json")
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()
        try:
            with Session(self._engine) as session, session.begin():
                return self._deploy(session, namespace, config, raw, digest)
        except IntegrityError as exc:  # two deploys raced for the same version number
            raise Conflict(f"another deploy of '{config.id}' happened at the same time; try again") from exc

    def _deploy(
        self, session: Session, namespace: str, config: Pipeline, raw: dict[str, object], digest: str
    ) -> DeployResult:
        namespace_row(session, namespace)
        now = datetime.now(UTC)
        row = session.get(PipelineRow, (namespace, config.id))
        if row is None:
            row = PipelineRow(
                namespace=namespace,
                id=config.id,
                state=PipelineState.ACTIVE,
                live_version=0,
                last_run_id=0,
                created=now,
                name="",
                description="",
            )
            session.add(row)
        elif _config_row(session, row, row.live_version).digest == digest:
            return DeployResult(
                pipeline=_public(session, row, config), version=row.live_version, created=False
            )
        version = _newest_version(session, namespace, config.id) + 1
        session.add(
            ConfigRow(
                namespace=namespace,
                pipeline_id=config.id,
                version=version,
                config=raw,
                digest=digest,
                created=now,
            )
        )
        row.live_version, row.name, row.description = version, config.name, config.description
        session.flush()
        emit(session, "pipeline_deployed", namespace=namespace, pipeline=config.id, version=version)
        return DeployResult(pipeline=_public(session, row, config), version=version, created=True)

    def get(self, namespace: str, pipeline_id: str) -> PipelinePublic:
        with Session(self._engine) as session:
            row = pipeline_row(session, namespace, pipeline_id)
            return _public(session, row, _config(session, row, row.live_version))

    def page(self, namespace: str, *, offset: int = 0, limit: int = 50) -> Page[PipelinePublic]:
        with Session(self._engine) as session:
            namespace_row(session, namespace)
            where = PipelineRow.namespace == namespace
            total = session.scalar(select(func.count()).select_from(PipelineRow).where(where)) or 0
            rows = session.scalars(
                select(PipelineRow).where(where).order_by(PipelineRow.id).offset(offset).limit(limit)
            )
            items = [_public(session, row, _config(session, row, row.live_version)) for row in rows]
            return Page(items=items, total=total, offset=offset, limit=limit)

    def set_state(self, namespace: str, pipeline_id: str, state: PipelineState) -> PipelinePublic:
        with Session(self._engine) as session, session.begin():
            row = pipeline_row(session, namespace, pipeline_id)
            if row.state != state:
                row.state = state
                emit(
                    session,
                    f"pipeline_{'enabled' if state == PipelineState.ACTIVE else 'disabled'}",
                    namespace=namespace,
                    pipeline=pipeline_id,
                )
            return _public(session, row, _config(session, row, row.live_version))

    def delete(self, namespace: str, pipeline_id: str) -> None:
        """Delete the pipeline with its versions, runs and task runs (not while a run is active)."""
        with Session(self._engine) as session, session.begin():
            pipeline_row(session, namespace, pipeline_id)
            of_pipeline = (RunRow.namespace == namespace, RunRow.pipeline_id == pipeline_id)
            active = session.scalar(
                select(func.count())
                .select_from(RunRow)
                .where(*of_pipeline, RunRow.state != RunState.COMPLETE)
            )
            if active:
                raise Conflict(f"pipeline '{pipeline_id}' has {active} unfinished run(s); cancel them first")
            session.execute(
                delete(TaskRunRow).where(
                    TaskRunRow.namespace == namespace, TaskRunRow.pipeline_id == pipeline_id
                )
            )
            session.execute(delete(RunRow).where(*of_pipeline))
            session.execute(
                delete(ConfigRow).where(
                    ConfigRow.namespace == namespace, ConfigRow.pipeline_id == pipeline_id
                )
            )
            session.execute(
                delete(PipelineRow).where(PipelineRow.namespace == namespace, PipelineRow.id == pipeline_id)
            )
            emit(session, "pipeline_deleted", namespace=namespace, pipeline=pipeline_id)

    def versions(self, namespace: str, pipeline_id: str) -> list[ConfigVersionPublic]:
        with Session(self._engine) as session:
            row = pipeline_row(session, namespace, pipeline_id)
            configs = session.scalars(
                select(ConfigRow)
                .where(ConfigRow.namespace == namespace, ConfigRow.pipeline_id == pipeline_id)
                .order_by(ConfigRow.version.desc())
            )
            return [_version(config, row) for config in configs]

    def version(self, namespace: str, pipeline_id: str, version: int) -> ConfigVersionPublic:
        with Session(self._engine) as session:
            row = pipeline_row(session, namespace, pipeline_id)
            return _version(_config_row(session, row, version), row)

    def make_live(self, namespace: str, pipeline_id: str, version: int) -> PipelinePublic:
        """Roll back (or forward): runs from now on use ``version``."""
        with Session(self._engine) as session, session.begin():
            row = pipeline_row(session, namespace, pipeline_id)
            config = _config_row(session, row, version)
            if row.live_version != version:
                previous, row.live_version = row.live_version, version
                emit(
                    session,
                    "pipeline_version_live",
                    namespace=namespace,
                    pipeline=pipeline_id,
                    version=version,
                    previous=previous,
                )
            return _public(session, row, Pipeline.model_validate(config.config))

    def delete_version(self, namespace: str, pipeline_id: str, version: int) -> None:
        with Session(self._engine) as session, session.begin():
            row = pipeline_row(session, namespace, pipeline_id)
            config = _config_row(session, row, version)
            if row.live_version == version:
                raise Conflict(
                    f"version {version} of '{pipeline_id}' is live; make another version live first"
                )
            used = session.scalar(
                select(func.count())
                .select_from(RunRow)
                .where(
                    RunRow.namespace == namespace,
                    RunRow.pipeline_id == pipeline_id,
                    RunRow.config_version == version,
                )
            )
            if used:
                raise Conflict(f"version {version} of '{pipeline_id}' is used by {used} run(s)")
            session.delete(config)
            emit(
                session,
                "pipeline_version_deleted",
                namespace=namespace,
                pipeline=pipeline_id,
                version=version,
            )

    def config(self, namespace: str, pipeline_id: str, version: int) -> Pipeline:
        with Session(self._engine) as session:
            return _config(session, pipeline_row(session, namespace, pipeline_id), version)


def pipeline_row(session: Session, namespace: str, pipeline_id: str) -> PipelineRow:
    row = session.get(PipelineRow, (namespace, pipeline_id))
    if row is None:
        raise NotFound(f"pipeline '{pipeline_id}' not found in namespace '{namespace}'")
    return row


def _config_row(session: Session, row: PipelineRow, version: int) -> ConfigRow:
    config = session.get(ConfigRow, (row.namespace, row.id, version))
    if config is None:
        raise NotFound(f"pipeline '{row.id}' has no config version {version}")
    return config


def _config(session: Session, row: PipelineRow, version: int) -> Pipeline:
    return Pipeline.model_validate(_config_row(session, row, version).config)


def _newest_version(session: Session, namespace: str, pipeline_id: str) -> int:
    newest = session.scalar(
        select(func.max(ConfigRow.version)).where(
            ConfigRow.namespace == namespace, ConfigRow.pipeline_id == pipeline_id
        )
    )
    return newest or 0


def _version(config: ConfigRow, row: PipelineRow) -> ConfigVersionPublic:
    return ConfigVersionPublic(
        namespace=config.namespace,
        pipeline=config.pipeline_id,
        version=config.version,
        live=config.version == row.live_version,
        created=config.created,
        config=Pipeline.model_validate(config.config),
    )


def _public(session: Session, row: PipelineRow, config: Pipeline) -> PipelinePublic:
    last = session.scalars(
        select(RunRow)
        .where(RunRow.namespace == row.namespace, RunRow.pipeline_id == row.id)
        .order_by(RunRow.run_id.desc())
        .limit(1)
    ).first()
    count = (
        session.scalar(
            select(func.count())
            .select_from(RunRow)
            .where(RunRow.namespace == row.namespace, RunRow.pipeline_id == row.id)
        )
        or 0
    )
    return PipelinePublic(
        namespace=row.namespace,
        id=row.id,
        name=row.name,
        description=row.description,
        state=PipelineState(row.state),
        live_version=row.live_version,
        created=row.created,
        config=config,
        run_count=count,
        last_run_id=last.run_id if last else None,
        last_run_status=RunStatus(last.status) if last else None,
    )
