"""Table definitions. Schema changes go through an alembic revision in migrations/versions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    pass


class NamespaceRow(Base):
    __tablename__ = "namespaces"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(UTCDateTime())


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    namespace: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pipeline_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    task_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    details: Mapped[dict[str, object]] = mapped_column(JSON)
    emitted: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SystemRow(Base):
    """Switches that outlive a restart (the run intake kill switch)."""

    __tablename__ = "system"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, object]] = mapped_column(JSON)


class SecretRow(Base):
    """A sealed secret. Pipeline secrets have a pipeline id; global ones have '' there and a list
    of namespace patterns allowed to use them."""

    __tablename__ = "secrets"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    pipeline_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    namespaces: Mapped[list[str]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(UTCDateTime())
    updated: Mapped[datetime] = mapped_column(UTCDateTime())


class TokenRow(Base):
    """An API token; only its SHA-256 is kept (tokens are 256 random bits, so no slow hash is needed)."""

    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    namespaces: Mapped[list[str]] = mapped_column(JSON)
    pipeline_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(UTCDateTime())
    expires: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ObjectRow(Base):
    """An object's metadata; its bytes are in the object store (files under the data dir)."""

    __tablename__ = "objects"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    pipeline_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 for pipeline objects
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(UTCDateTime())


class PipelineRow(Base):
    __tablename__ = "pipelines"

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    live_version: Mapped[int] = mapped_column(Integer)
    last_run_id: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(UTCDateTime())


class ConfigRow(Base):
    __tablename__ = "pipeline_configs"
    __table_args__ = (
        ForeignKeyConstraint(["namespace", "pipeline_id"], ["pipelines.namespace", "pipelines.id"]),
    )

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    pipeline_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    config: Mapped[dict[str, object]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(UTCDateTime())


class RunRow(Base):
    __tablename__ = "runs"
    __table_args__ = (
        ForeignKeyConstraint(["namespace", "pipeline_id"], ["pipelines.namespace", "pipelines.id"]),
        UniqueConstraint("namespace", "pipeline_id", "event_id", name="uq_runs_event"),
    )

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    pipeline_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    initiator: Mapped[str] = mapped_column(String(200))
    # The trigger event that started the run ("{trigger}/{event id}"): one event, one run.
    event_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    variables: Mapped[dict[str, str]] = mapped_column(JSON)
    config_version: Mapped[int] = mapped_column(Integer)
    started: Mapped[datetime] = mapped_column(UTCDateTime())
    ended: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class TaskRunRow(Base):
    __tablename__ = "task_runs"
    __table_args__ = (
        ForeignKeyConstraint(
            ["namespace", "pipeline_id", "run_id"], ["runs.namespace", "runs.pipeline_id", "runs.run_id"]
        ),
    )

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    pipeline_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    exit_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    image: Mapped[str] = mapped_column(String(300))
    image_digest: Mapped[str | None] = mapped_column(String(300), nullable=True)
    container: Mapped[str | None] = mapped_column(String(300), nullable=True)
    started: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SubscriptionRow(Base):
    """A pipeline subscribed to a trigger under a label (one pipeline may subscribe many times)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        ForeignKeyConstraint(["namespace", "pipeline_id"], ["pipelines.namespace", "pipelines.id"]),
    )

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    pipeline_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(64), primary_key=True)
    trigger: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, str]] = mapped_column(JSON)
    variables: Mapped[dict[str, str]] = mapped_column(JSON)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(UTCDateTime())


class TriggerRow(Base):
    """An installed trigger container; its settings are sealed (they often hold webhook secrets)."""

    __tablename__ = "triggers"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    image: Mapped[str] = mapped_column(String(500))
    sealed_settings: Mapped[bytes] = mapped_column(LargeBinary)
    setting_keys: Mapped[list[str]] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)  # which start's key is valid
    endpoint: Mapped[str | None] = mapped_column(String(200), nullable=True)  # host:port of its gRPC
    state: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    documentation: Mapped[str] = mapped_column(Text, default="")
    installed: Mapped[datetime] = mapped_column(UTCDateTime())
