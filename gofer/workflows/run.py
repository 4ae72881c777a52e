"""PipelineRunWorkflow: one workflow per run; walks the DAG and runs each task as an activity."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, CancelledError

with workflow.unsafe.imports_passed_through():
    from gofer.models import RunFinish, RunInput, RunWaiting, TaskAttemptInput, TaskOutcome, TaskRunUpdate
    from gofer.workflows import dag
    from gofer.workflows.scheduler import scheduler_id
    from gofer_sdk.config import Task
    from gofer_sdk.models import ReasonKind, RunStatus, StatusReason, TaskRunState, TaskRunStatus

# A task without its own timeout may run this long before Temporal gives up on the attempt.
NO_TIMEOUT_LIMIT = timedelta(days=7)
RETRYABLE_REASONS = {ReasonKind.ABNORMAL_EXIT, ReasonKind.TIMEOUT}
# A slot granted within this time needs no "queued" note on the run.
QUEUE_NOTICE_AFTER = timedelta(seconds=1)
# Runs started after this change are marked running by their first tasks' activities instead
# of a local activity of their own (one store round trip less before the first container).
MARK_RUNNING_IN_FIRST_TASK = "mark-running-in-first-task"


@workflow.defn(name="PipelineRunWorkflow")
class PipelineRunWorkflow:
    def __init__(self) -> None:
        self._ended: dict[str, TaskRunStatus] = {}
        self._reasons: dict[str, StatusReason | None] = {}
        self._attempts: dict[str, int] = {}
        self._running: dict[str, asyncio.Task[TaskOutcome]] = {}
        self._cancel_requests: set[str] = set()
        self._granted = False
        self._run_marked_running = False

    @workflow.run
    async def run(self, run: RunInput) -> RunStatus:
        try:
            return await self._execute(run)
        except asyncio.CancelledError:
            await self._cancel(run)
            raise
        finally:
            if run.queued:  # give the slot back however the run ended (a no-op if never granted)
                await workflow.get_external_workflow_handle(scheduler_id(workflow.info().task_queue)).signal(
                    "release", run.run.workflow_id
                )

    @workflow.signal
    def grant(self) -> None:
        self._granted = True

    @workflow.signal
    def cancel_task(self, task_id: str) -> None:
        self._cancel_requests.add(task_id)
        if task_id in self._running:
            self._running[task_id].cancel()

    async def _execute(self, run: RunInput) -> RunStatus:
        if run.queued:
            await self._wait_for_slot(run)
        if not workflow.patched(MARK_RUNNING_IN_FIRST_TASK):
            await _store("mark_run_running", run.run)
            self._run_marked_running = True
        await self._walk(run)
        status, reason = dag.run_result(run.config, self._ended, self._reasons)
        await self._finish(run, status, reason)
        return status

    async def _wait_for_slot(self, run: RunInput) -> None:
        try:
            await workflow.wait_condition(lambda: self._granted, timeout=QUEUE_NOTICE_AFTER)
        except TimeoutError:
            limits = f"pipeline parallelism {run.config.parallelism or 'unlimited'}"
            limits += f", global parallelism {run.global_parallelism or 'unlimited'}"
            await _store(
                "mark_run_waiting", RunWaiting(run=run.run, description=f"waiting for a free slot ({limits})")
            )
            await workflow.wait_condition(lambda: self._granted)

    async def _walk(self, run: RunInput) -> None:
        while len(self._ended) < len(run.config.tasks):
            await self._close_cancelled_waiting(run)
            decision = dag.decide(run.config, self._ended, set(self._running))
            for task_id, why in decision.skip.items():
                await self._close(run, task_id, TaskRunStatus.SKIPPED, ReasonKind.FAILED_PRECONDITION, why)
            # Every task of the first batch marks the run running before it records anything, so
            # no task_started event comes before the run's run_started.
            starts_run = not self._run_marked_running
            for task_id in decision.start:
                self._running[task_id] = asyncio.create_task(
                    self._run_task(run, run.config.task(task_id), starts_run)
                )
                self._run_marked_running = True
            if decision.skip and not decision.start:
                continue  # skipping may unblock children; decide again before waiting
            if not self._running and not self._waiting_cancels():
                break
            await workflow.wait_condition(
                lambda: any(f.done() for f in self._running.values()) or bool(self._waiting_cancels())
            )
            self._collect()

    def _collect(self) -> None:
        for task_id, future in list(self._running.items()):
            if future.done():
                outcome = _outcome_of(self._running.pop(task_id))
                self._ended[task_id], self._reasons[task_id] = outcome.status, outcome.reason

    def _waiting_cancels(self) -> set[str]:
        return self._cancel_requests - set(self._ended) - set(self._running)

    async def _close_cancelled_waiting(self, run: RunInput) -> None:
        for task_id in sorted(self._waiting_cancels()):
            await self._close(
                run, task_id, TaskRunStatus.CANCELLED, ReasonKind.CANCELLED, "cancelled on request"
            )

    async def _run_task(self, run: RunInput, task: Task, starts_run: bool) -> TaskOutcome:
        outcome = TaskOutcome(status=TaskRunStatus.UNKNOWN)
        for attempt in range(1, task.retries + 2):
            self._attempts[task.id] = attempt
            outcome = await self._attempt(run, task, attempt, starts_run and attempt == 1)
            if outcome.reason is None or outcome.reason.kind not in RETRYABLE_REASONS:
                break
        return outcome

    async def _attempt(self, run: RunInput, task: Task, attempt: int, starts_run: bool) -> TaskOutcome:
        limit = (
            timedelta(seconds=task.timeout + run.stop_grace_period + 60) if task.timeout else NO_TIMEOUT_LIMIT
        )
        payload = TaskAttemptInput(
            run=run.run,
            task=task,
            attempt=attempt,
            run_variables=run.variables,
            stop_grace_period=run.stop_grace_period,
            starts_run=starts_run,
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

    async def _cancel(self, run: RunInput) -> None:
        for future in self._running.values():
            future.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        for task in run.config.tasks:
            if task.id not in self._ended:
                await self._close(
                    run, task.id, TaskRunStatus.CANCELLED, ReasonKind.CANCELLED, "the run was cancelled"
                )
        reason = StatusReason(kind=ReasonKind.CANCELLED, description="the run was cancelled")
        await self._finish(run, RunStatus.CANCELLED, reason)

    async def _close(
        self, run: RunInput, task_id: str, status: TaskRunStatus, kind: ReasonKind, why: str
    ) -> None:
        """End a task the workflow decided about (skipped, cancelled) without an activity."""
        reason = StatusReason(kind=kind, description=why)
        self._ended[task_id], self._reasons[task_id] = status, reason
        change = TaskRunUpdate(
            run=run.run,
            task_id=task_id,
            attempt=self._attempts.get(task_id, 0),
            state=TaskRunState.COMPLETE,
            status=status,
            reason=reason,
            at=workflow.now(),
        )
        await _store("update_task_run", change)

    async def _finish(self, run: RunInput, status: RunStatus, reason: StatusReason | None) -> None:
        await _store("finish_run", RunFinish(run=run.run, status=status, reason=reason, at=workflow.now()))


def _outcome_of(future: asyncio.Task[TaskOutcome]) -> TaskOutcome:
    cancelled = TaskOutcome(
        status=TaskRunStatus.CANCELLED,
        reason=StatusReason(kind=ReasonKind.CANCELLED, description="cancelled on request"),
    )
    if future.cancelled():
        return cancelled
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, asyncio.CancelledError) or (
        isinstance(error, ActivityError) and isinstance(error.cause, CancelledError)
    ):
        return cancelled
    raise error


async def _store(activity: str, payload: object) -> None:
    """Write to the read model. Local activities: these writes are short and idempotent, so they
    skip the task-queue round trips (a replayed workflow task simply writes again)."""
    await workflow.execute_local_activity(
        activity,
        payload,
        start_to_close_timeout=timedelta(seconds=30),
        retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
    )
