"""The shapes the Gofer REST API speaks; shared by the server and the client."""

from __future__ import annotations

import enum
from datetime import datetime

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


class StatusReason(BaseModel):
    kind: ReasonKind
    description: str


class PipelinePublic(BaseModel):
    namespace: str
    id: str
    name: str
    description: str
    state: str
    live_version: int
    created: datetime
    config: Pipeline


class DeployResult(BaseModel):
    pipeline: PipelinePublic
    version: int
    created: bool = Field(description="False when the config equals the live version.")


class RunCreate(BaseModel):
    variables: dict[str, str] = Field(default_factory=dict)


class TaskRunPublic(BaseModel):
    task_id: str
    state: TaskRunState
    status: TaskRunStatus
    status_reason: StatusReason | None = None
    exit_code: int | None = None
    attempt: int = 0
    image: str
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
