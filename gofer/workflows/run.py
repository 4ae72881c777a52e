"""PipelineRunWorkflow: one workflow per run; walks the DAG and runs each task as an activity."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, CancelledError

with workflow.unsafe.imports_passed_through():
    from gofer.models import RunFinish, RunInput, TaskAttemptInput, TaskOutcome, TaskRunUpdate
    from gofer.workflows import dag
    from gofer_sdk.config import Task
    from gofer_sdk.models import ReasonKind, RunStatus, StatusReason, TaskRunState, TaskRunStatus

# A task without its own timeout may run this long before Temporal gives up on the attempt.
NO_TIMEOUT_LIMIT = timedelta(days=7)
RETRYABLE_REASONS = {ReasonKind.ABNORMAL_EXIT, ReasonKind.TIMEOUT}


@workflow.defn(name="PipelineRunWorkflow")
class PipelineRunWorkflow:
    def __init__(self) -> None:
        self._ended: dict[str, TaskRunStatus] = {}
        self._reasons: dict[str, StatusReason | None] = {}
        self._attempts: dict[str, int] = {}

    @workflow.run
    async def run(self, run: RunInput) -> RunStatus:
        await _store("mark_run_running", run.run)
        running: dict[str, asyncio.Task[TaskOutcome]] = {}
        try:
            await self._walk(run, running)
        except asyncio.CancelledError:
            await self._cancel(run, running)
            raise
        status, reason = dag.run_result(run.config, self._ended, self._reasons)
        await self._finish(run, status, reason)
        return status

    async def _walk(self, run: RunInput, running: dict[str, asyncio.Task[TaskOutcome]]) -> None:
        while len(self._ended) < len(run.config.tasks):
            decision = dag.decide(run.config, self._ended, set(running))
            for task_id, why in decision.skip.items():
                await self._skip(run, task_id, why)
            for task_id in decision.start:
                running[task_id] = asyncio.create_task(self._run_task(run, run.config.task(task_id)))
            if decision.skip and not decision.start:
                continue  # skipping may unblock children; decide again before waiting
            if not running:
                break
            await workflow.wait(list(running.values()), return_when=asyncio.FIRST_COMPLETED)
            for task_id, future in list(running.items()):
                if future.done():
                    outcome = running.pop(task_id).result()
                    self._ended[task_id], self._reasons[task_id] = outcome.status, outcome.reason

    async def _run_task(self, run: RunInput, task: Task) -> TaskOutcome:
        outcome = TaskOutcome(status=TaskRunStatus.UNKNOWN)
        for attempt in range(1, task.retries + 2):
            self._attempts[task.id] = attempt
            outcome = await self._attempt(run, task, attempt)
            if outcome.reason is None or outcome.reason.kind not in RETRYABLE_REASONS:
                break
        return outcome

    async def _attempt(self, run: RunInput, task: Task, attempt: int) -> TaskOutcome:
        limit = (
            timedelta(seconds=task.timeout + run.stop_grace_period + 60) if task.timeout else NO_TIMEOUT_LIMIT
        )
        payload = TaskAttemptInput(
            run=run.run,
            task=task,
            attempt=attempt,
            run_variables=run.variables,
            stop_grace_period=run.stop_grace_period,
        )
        try:
            outcome: TaskOutcome = await workflow.execute_activity(
                "run_task",
                payload,
                result_type=TaskOutcome,
                start_to_close_timeout=limit,
                heartbeat_timeout=timedelta(seconds=run.heartbeat_timeout),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=5)),
                cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            )
        except ActivityError as exc:
            if isinstance(exc.cause, CancelledError):
                raise
            return TaskOutcome.failed(
                ReasonKind.SCHEDULER_ERROR, f"task '{task.id}' could not run: {exc.cause}"
            )
        return outcome

    async def _skip(self, run: RunInput, task_id: str, why: str) -> None:
        reason = StatusReason(kind=ReasonKind.FAILED_PRECONDITION, description=why)
        self._ended[task_id], self._reasons[task_id] = TaskRunStatus.SKIPPED, reason
        await self._update(run, task_id, TaskRunStatus.SKIPPED, reason)

    async def _cancel(self, run: RunInput, running: dict[str, asyncio.Task[TaskOutcome]]) -> None:
        for future in running.values():
            future.cancel()
        await asyncio.gather(*running.values(), return_exceptions=True)
        reason = StatusReason(kind=ReasonKind.CANCELLED, description="the run was cancelled")
        for task in run.config.tasks:
            if task.id not in self._ended:
                await self._update(run, task.id, TaskRunStatus.CANCELLED, reason)
        await self._finish(run, RunStatus.CANCELLED, reason)

    async def _update(self, run: RunInput, task_id: str, status: TaskRunStatus, reason: StatusReason) -> None:
        attempt = self._attempts.get(task_id, 0)
        change = TaskRunUpdate(
            run=run.run,
            task_id=task_id,
            attempt=attempt,
            state=TaskRunState.COMPLETE,
            status=status,
            reason=reason,
            at=workflow.now(),
        )
        await _store("update_task_run", change)

    async def _finish(self, run: RunInput, status: RunStatus, reason: StatusReason | None) -> None:
        finish = RunFinish(run=run.run, status=status, reason=reason, at=workflow.now())
        await _store("finish_run", finish)


async def _store(activity: str, payload: object) -> None:
    """Write to the read model. Local activities: these writes are short and idempotent, so they
    skip the task-queue round trips (a replayed workflow task simply writes again)."""
    await workflow.execute_local_activity(
        activity,
        payload,
        start_to_close_timeout=timedelta(seconds=30),
        retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
    )
