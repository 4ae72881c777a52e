"""Payloads of workflows and activities (sent through Temporal with the pydantic converter).

Kept free of I/O imports: workflows import this module through the sandbox pass-through.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from gofer_sdk.config import Pipeline, Task
from gofer_sdk.models import ReasonKind, RunStatus, StatusReason, TaskRunState, TaskRunStatus


class RunKey(BaseModel):
    namespace: str
    pipeline: str
    run_id: int

    @property
    def workflow_id(self) -> str:
        return workflow_id(self.namespace, self.pipeline, self.run_id)


def workflow_id(namespace: str, pipeline: str, run_id: int) -> str:
    return f"run/{namespace}/{pipeline}/{run_id}"


class RunInput(BaseModel):
    run: RunKey
    config: Pipeline
    variables: dict[str, str] = Field(default_factory=dict)
    heartbeat_timeout: float = 10.0
    stop_grace_period: float = 10.0


class TaskAttemptInput(BaseModel):
    """One attempt of one task: what `run_task` needs to start or re-attach to its container."""

    run: RunKey
    task: Task
    attempt: int
    run_variables: dict[str, str] = Field(default_factory=dict)
    stop_grace_period: float = 10.0

    @property
    def container_name(self) -> str:
        run = self.run
        return f"gofer-{run.namespace}-{run.pipeline}-{run.run_id}-{self.task.id}-{self.attempt}"


class TaskOutcome(BaseModel):
    """How one attempt ended. Failures the user must act on are outcomes, not exceptions."""

    status: TaskRunStatus
    exit_code: int | None = None
    reason: StatusReason | None = None

    @classmethod
    def failed(cls, kind: ReasonKind, description: str, exit_code: int | None = None) -> TaskOutcome:
        reason = StatusReason(kind=kind, description=description)
        return cls(status=TaskRunStatus.FAILED, exit_code=exit_code, reason=reason)


class TaskRunUpdate(BaseModel):
    """A state change of one task run, applied idempotently by the store."""

    run: RunKey
    task_id: str
    attempt: int
    state: TaskRunState
    status: TaskRunStatus = TaskRunStatus.UNKNOWN
    reason: StatusReason | None = None
    exit_code: int | None = None
    container: str | None = None
    at: datetime | None = None


class RunFinish(BaseModel):
    run: RunKey
    status: RunStatus
    reason: StatusReason | None = None
    at: datetime | None = None
