"""Pipelines and their config versions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gofer.errors import NotFound
from gofer.store.tables import ConfigRow, PipelineRow
from gofer_sdk.config import Pipeline
from gofer_sdk.models import DeployResult, PipelinePublic


class PipelineStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def deploy(self, namespace: str, config: Pipeline) -> DeployResult:
        """Register ``config`` as version N+1 and make it live; an unchanged config adds nothing."""
        raw = config.model_dump(mode="json")
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()
        now = datetime.now(UTC)
        with Session(self._engine) as session, session.begin():
            row = session.get(PipelineRow, (namespace, config.id))
            if row is None:
                row = PipelineRow(
                    namespace=namespace,
                    id=config.id,
                    state="active",
                    live_version=0,
                    last_run_id=0,
                    created=now,
                    name="",
                    description="",
                )
                session.add(row)
            elif self._live_digest(session, row) == digest:
                return DeployResult(pipeline=_public(row, config), version=row.live_version, created=False)
            version = self._newest_version(session, namespace, config.id) + 1
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
            return DeployResult(pipeline=_public(row, config), version=version, created=True)

    def get(self, namespace: str, pipeline_id: str) -> PipelinePublic:
        with Session(self._engine) as session:
            row = _pipeline_row(session, namespace, pipeline_id)
            return _public(row, self._config(session, row, row.live_version))

    def list(self, namespace: str) -> list[PipelinePublic]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(PipelineRow).where(PipelineRow.namespace == namespace).order_by(PipelineRow.id)
            )
            return [_public(row, self._config(session, row, row.live_version)) for row in rows]

    def config(self, namespace: str, pipeline_id: str, version: int) -> Pipeline:
        with Session(self._engine) as session:
            return self._config(session, _pipeline_row(session, namespace, pipeline_id), version)

    @staticmethod
    def _config(session: Session, row: PipelineRow, version: int) -> Pipeline:
        config = session.get(ConfigRow, (row.namespace, row.id, version))
        if config is None:
            raise NotFound(f"pipeline '{row.id}' has no config version {version}")
        return Pipeline.model_validate(config.config)

    @staticmethod
    def _live_digest(session: Session, row: PipelineRow) -> str | None:
        config = session.get(ConfigRow, (row.namespace, row.id, row.live_version))
        return config.digest if config else None

    @staticmethod
    def _newest_version(session: Session, namespace: str, pipeline_id: str) -> int:
        versions = session.scalars(
            select(ConfigRow.version).where(
                ConfigRow.namespace == namespace, ConfigRow.pipeline_id == pipeline_id
            )
        )
        return max(versions, default=0)


def _pipeline_row(session: Session, namespace: str, pipeline_id: str) -> PipelineRow:
    row = session.get(PipelineRow, (namespace, pipeline_id))
    if row is None:
        raise NotFound(f"pipeline '{pipeline_id}' not found in namespace '{namespace}'")
    return row


def _public(row: PipelineRow, config: Pipeline) -> PipelinePublic:
    return PipelinePublic(
        namespace=row.namespace,
        id=row.id,
        name=row.name,
        description=row.description,
        state=row.state,
        live_version=row.live_version,
        created=row.created,
        config=config,
    )
