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


class SlotRequest(BaseModel):
    """A run asking the scheduler for a slot under its pipeline's and the global limit."""

    workflow_id: str
    pipeline: str  # "namespace/pipeline"
    run_id: int
    pipeline_limit: int = 0
    global_limit: int = 0


class SchedulerState(BaseModel):
    queue: list[SlotRequest] = Field(default_factory=list)
    running: list[SlotRequest] = Field(default_factory=list)
    outbox: list[str] = Field(default_factory=list)


class RunInput(BaseModel):
    run: RunKey
    config: Pipeline
    variables: dict[str, str] = Field(default_factory=dict)
    heartbeat_timeout: float = 10.0
    stop_grace_period: float = 10.0
    global_parallelism: int = 0

    @property
    def queued(self) -> bool:
        """Whether the run waits for a slot from the scheduler before it starts."""
        return bool(self.config.parallelism or self.global_parallelism)

    def slot_request(self) -> SlotRequest:
        return SlotRequest(
            workflow_id=self.run.workflow_id,
            pipeline=f"{self.run.namespace}/{self.run.pipeline}",
            run_id=self.run.run_id,
            pipeline_limit=self.config.parallelism,
            global_limit=self.global_parallelism,
        )


class TaskAttemptInput(BaseModel):
    """One attempt of one task: what `run_task` needs to start or re-attach to its container."""

    run: RunKey
    task: Task
    attempt: int
    run_variables: dict[str, str] = Field(default_factory=dict)
    stop_grace_period: float = 10.0
    # Set on the attempts of the run's first batch of tasks: run_task marks the run running (once;
    # the store ignores the others), which saves the workflow a store write before they can start.
    starts_run: bool = False

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
    image_digest: str | None = None
    at: datetime | None = None


class RunWaiting(BaseModel):
    run: RunKey
    description: str


class RunFinish(BaseModel):
    run: RunKey
    status: RunStatus
    reason: StatusReason | None = None
    at: datetime | None = None


class Firing(BaseModel):
    """One firing of an interval or cron subscription (the schedule's workflow argument)."""

    namespace: str
    pipeline: str
    label: str
    trigger: str


class SupervisorState(BaseModel):
    """`TriggerSupervisorWorkflow`'s input, also carried across continue-as-new."""

    name: str
    check_every: float  # seconds between health checks
    failures: int = 0
    generation: int | None = None  # a start to keep watching (after continue-as-new)
