"""The shapes the Gofer REST API speaks; shared by the server and the client."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from gofer_sdk.config import Pipeline


class RunState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETE = "complete"


class RunStatus(enum.StrEnum):
    UNKNOWN = "unknown"
    SUCCESSFUL = "successful"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskRunState(enum.StrEnum):
    PROCESSING = "processing"
    WAITING = "waiting"
    RUNNING = "running"
    COMPLETE = "complete"


class TaskRunStatus(enum.StrEnum):
    UNKNOWN = "unknown"
    SUCCESSFUL = "successful"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


class ReasonKind(enum.StrEnum):
    ABNORMAL_EXIT = "abnormal_exit"
    SCHEDULER_ERROR = "scheduler_error"
    FAILED_PRECONDITION = "failed_precondition"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    ORPHANED = "orphaned"
    QUEUED = "queued"


class StatusReason(BaseModel):
    kind: ReasonKind
    description: str


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; ask again with ``offset + len(items)`` while that is below ``total``."""

    items: list[T]
    total: int
    offset: int
    limit: int


class NamespaceCreate(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
    name: str = ""
    description: str = ""


class NamespaceUpdate(BaseModel):
    name: str | None = None
    description: str | None = None


class NamespacePublic(BaseModel):
    id: str
    name: str
    description: str
    created: datetime


class PipelineState(enum.StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class PipelinePublic(BaseModel):
    namespace: str
    id: str
    name: str
    description: str
    state: PipelineState
    live_version: int
    created: datetime
    config: Pipeline
    run_count: int = 0
    last_run_status: RunStatus | None = None
    last_run_id: int | None = None


class ConfigVersionPublic(BaseModel):
    namespace: str
    pipeline: str
    version: int
    live: bool
    created: datetime
    config: Pipeline


class ConfigDiff(BaseModel):
    pipeline: str
    from_version: int
    to_version: int
    diff: str = Field(description="Unified diff of the two configs as YAML; empty when equal.")


class DeployResult(BaseModel):
    pipeline: PipelinePublic
    version: int
    created: bool = Field(description="False when the config equals the live version.")


class RunCreate(BaseModel):
    variables: dict[str, str] = Field(default_factory=dict)
    event_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Makes the start idempotent: a second start with the same id starts no run.",
    )


class TaskRunPublic(BaseModel):
    task_id: str
    state: TaskRunState
    status: TaskRunStatus
    status_reason: StatusReason | None = None
    exit_code: int | None = None
    attempt: int = 0
    image: str
    image_digest: str | None = Field(default=None, description="The image that actually ran.")
    container: str | None = None
    started: datetime | None = None
    ended: datetime | None = None


class RunPublic(BaseModel):
    namespace: str
    pipeline: str
    id: int
    state: RunState
    status: RunStatus
    status_reason: StatusReason | None = None
    initiator: str
    event_id: str | None = None  # the trigger event that started the run
    variables: dict[str, str]
    config_version: int
    started: datetime
    ended: datetime | None = None
    workflow_id: str
    web_url: str | None = None
    tasks: list[TaskRunPublic] = Field(default_factory=list)


class Health(BaseModel):
    ok: bool
    version: str


class EventPublic(BaseModel):
    id: int
    kind: str
    namespace: str | None = None
    pipeline: str | None = None
    run_id: int | None = None
    task_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    emitted: datetime


class RunIntake(BaseModel):
    """The kill switch: while paused, no new run starts (running ones go on)."""

    paused: bool
    reason: str = ""


class SystemPublic(BaseModel):
    version: str
    run_intake: RunIntake
    global_parallelism: int


SECRET_KEY_PATTERN = r"^[A-Za-z0-9_.-]{1,128}$"


class SecretPut(BaseModel):
    value: str = Field(min_length=1, max_length=64 * 1024)
    namespaces: list[str] = Field(
        default_factory=list, description="Global secrets only: namespace patterns (glob) allowed to use it."
    )


class SecretPublic(BaseModel):
    """A secret's metadata; ``value`` is only filled when asked for explicitly."""

    scope: str
    key: str
    namespace: str | None = None
    pipeline: str | None = None
    namespaces: list[str] = Field(default_factory=list)
    created: datetime
    updated: datetime
    value: str | None = None


class TokenKind(enum.StrEnum):
    ADMIN = "admin"  # everything
    USER = "user"  # the namespaces matching its patterns
    RUN = "run"  # one run of one pipeline (given to tasks with inject_api_token)
    TRIGGER = "trigger"  # starts and reads runs in the namespaces matching its patterns


class TokenCreate(BaseModel):
    kind: TokenKind = TokenKind.USER
    namespaces: list[str] = Field(
        default_factory=list, description="User and trigger tokens: namespace glob patterns."
    )
    description: str = ""
    expires_in: int | None = Field(
        default=None, gt=0, le=10 * 365 * 86400, description="Seconds until it expires."
    )


class TokenPublic(BaseModel):
    id: str
    kind: TokenKind
    namespaces: list[str]
    pipeline: str | None = None
    run_id: int | None = None
    description: str
    disabled: bool
    created: datetime
    expires: datetime | None = None


class TokenSecret(BaseModel):
    """A new token: ``token`` is shown this once and never stored."""

    token: str
    details: TokenPublic


OBJECT_KEY_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$"


class ObjectPublic(BaseModel):
    key: str
    size: int
    created: datetime
    run_id: int | None = Field(default=None, description="Set for run objects.")
