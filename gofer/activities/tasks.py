"""The `run_task` activity: one attempt of one task, from image to exit code.

It is async (blocking calls go through `asyncio.to_thread`) so that a cancellation arrives as
`CancelledError` at an `await` we chose, never as an exception injected mid-write into a thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from temporalio import activity

from gofer.activities.containers import container_env, container_spec
from gofer.activities.interpolation import MissingValue, Resolved, Source, interpolate
from gofer.activities.logpump import LogPump, in_daemon_thread
from gofer.activities.masking import Masker
from gofer.activities.task_api import TaskApiAccess
from gofer.logstore import LogStore, Offsets
from gofer.models import TaskAttemptInput, TaskOutcome, TaskRunUpdate
from gofer.orchestrators.base import ContainerPhase, ContainerStatus, ImageNotFound, Orchestrator
from gofer.store.objects import ObjectRef, ObjectStore
from gofer.store.runs import RunStore
from gofer.store.secrets import SecretStore
from gofer_sdk.models import ReasonKind, StatusReason, TaskRunState, TaskRunStatus

HEARTBEAT_EVERY = 1.0


class TaskActivities:
    def __init__(
        self,
        orchestrator: Orchestrator,
        runs: RunStore,
        logs: LogStore,
        secrets: SecretStore,
        objects: ObjectStore,
        api_access: TaskApiAccess,
    ) -> None:
        self._orchestrator = orchestrator
        self._runs = runs
        self._logs = logs
        self._secrets = secrets
        self._objects = objects
        self._api_access = api_access

    @activity.defn(name="run_task")
    async def run_task(self, attempt: TaskAttemptInput) -> TaskOutcome:
        """Run (or, after a worker crash, re-attach to) the attempt's container."""
        name = attempt.container_name
        stored, status, _ = await asyncio.gather(
            asyncio.to_thread(self._runs.task, attempt.run, attempt.task.id),
            asyncio.to_thread(self._orchestrator.status, name),
            self._mark_run_running(attempt),
        )
        seen = stored.state if stored.attempt == attempt.attempt else None
        if seen == TaskRunState.COMPLETE:  # finished before a crash; only the cleanup may be missing
            await asyncio.to_thread(self._orchestrator.remove, name)
            return TaskOutcome(status=stored.status, exit_code=stored.exit_code, reason=stored.status_reason)
        if status is None and seen == TaskRunState.RUNNING:
            # It ran, and someone removed it: starting it again would run the task twice.
            description = f"container {name} disappeared while the task was running"
            return await self._finish(attempt, TaskOutcome.failed(ReasonKind.ORPHANED, description))
        try:
            resolved = await asyncio.to_thread(self._resolve, attempt)
        except MissingValue as exc:
            if status is None:  # nothing starts without its secrets
                return await self._finish(
                    attempt, TaskOutcome.failed(ReasonKind.FAILED_PRECONDITION, str(exc))
                )
            resolved = Resolved(env={})  # the container has its environment already
        if status is None:
            try:
                status = await self._create(attempt, resolved.env)
            except ImageNotFound as exc:
                return await self._finish(attempt, TaskOutcome.failed(ReasonKind.SCHEDULER_ERROR, str(exc)))
        if status.phase == ContainerPhase.CREATED:
            await asyncio.to_thread(self._orchestrator.start, name)
            status = replace(status, phase=ContainerPhase.RUNNING, started_at=datetime.now(UTC))
        await self._record(attempt, TaskRunState.RUNNING, image_digest=status.image_digest)
        outcome = await self._follow(attempt, status, resolved.secrets)
        return await self._finish(attempt, outcome)

    async def _mark_run_running(self, attempt: TaskAttemptInput) -> None:
        if attempt.starts_run:
            await asyncio.to_thread(self._runs.mark_running, attempt.run)

    def _resolve(self, attempt: TaskAttemptInput) -> Resolved:
        run = attempt.run

        def lookup(source: Source, key: str) -> str | None:
            if source == Source.PIPELINE_SECRET:
                return self._secrets.pipeline_value(run.namespace, run.pipeline, key)
            if source == Source.GLOBAL_SECRET:
                return self._secrets.global_value(run.namespace, key)
            if source == Source.PIPELINE_OBJECT:
                return self._objects.text(ObjectRef.of_pipeline(run.namespace, run.pipeline, key))
            return self._objects.text(ObjectRef.of_run(run, key))

        injected = self._api_access.env_for(attempt) if attempt.task.inject_api_token else {}
        # Injected variables rank with the system ones: a task or run variable may override them.
        resolved = interpolate(injected | container_env(attempt), lookup)
        if "GOFER_API_TOKEN" in injected:
            resolved.secrets.append(injected["GOFER_API_TOKEN"])
        return resolved

    async def _create(self, attempt: TaskAttemptInput, env: dict[str, str]) -> ContainerStatus:
        await self._record(attempt, TaskRunState.WAITING)
        task = attempt.task
        image_id = await asyncio.to_thread(
            self._orchestrator.ensure_image, task.image, always_pull=task.always_pull
        )
        await asyncio.to_thread(self._orchestrator.create, container_spec(attempt, env))
        return ContainerStatus(
            phase=ContainerPhase.CREATED, exit_code=None, started_at=None, image_digest=image_id
        )

    async def _follow(
        self, attempt: TaskAttemptInput, status: ContainerStatus | None, secrets: list[str]
    ) -> TaskOutcome:
        name = attempt.container_name
        sink, start = self._logs.open_at(attempt.run, attempt.task.id, attempt.attempt, _confirmed_offsets())
        pump = LogPump(self._orchestrator.logs(name), sink, start, Masker(secrets), final=False)
        pump.start()
        exiting = in_daemon_thread(lambda: self._orchestrator.wait(name))
        try:
            timed_out = await self._watch(attempt, pump, exiting, _deadline(attempt, status))
            exit_code = exiting.result()
        except asyncio.CancelledError:
            if _cancel_requested():  # the user cancelled: stop the container, keep its last words
                await self._stop(attempt, pump, exiting)
                await self._catch_up(name, sink, pump, secrets)
                await self._finish(attempt, _cancelled())
            pump.abandon()  # otherwise (worker shutdown) leave the container for the next worker
            raise
        else:
            await self._catch_up(name, sink, pump, secrets)
        finally:
            sink.close()
        return _outcome(exit_code, timed_out, attempt)

    async def _watch(
        self,
        attempt: TaskAttemptInput,
        pump: LogPump,
        exiting: asyncio.Future[int],
        deadline: datetime | None,
    ) -> bool:
        """Heartbeat the log offset until the container exits; kill it at its deadline."""
        timed_out = False
        while not exiting.done():
            _beat(pump)
            if deadline and not timed_out and datetime.now(UTC) >= deadline:
                timed_out = True
                await asyncio.to_thread(self._orchestrator.stop, attempt.container_name, grace_period=0)
            await asyncio.wait({exiting}, timeout=HEARTBEAT_EVERY)
        return timed_out

    async def _stop(self, attempt: TaskAttemptInput, pump: LogPump, exiting: asyncio.Future[int]) -> None:
        """SIGTERM, SIGKILL after the grace period, heartbeating all the while: a grace period longer
        than the heartbeat timeout must not make Temporal think this worker died."""
        grace = attempt.stop_grace_period
        stopping = in_daemon_thread(
            lambda: self._orchestrator.stop(attempt.container_name, grace_period=grace)
        )
        while not (stopping.done() and exiting.done()):
            _beat(pump)
            pending: set[asyncio.Future[object]] = {stopping, exiting}  # type: ignore[arg-type]
            await asyncio.wait(pending, timeout=HEARTBEAT_EVERY, return_when=asyncio.ALL_COMPLETED)
        stopping.result()

    async def _catch_up(self, name: str, sink: BinaryIO, pump: LogPump, secrets: list[str]) -> None:
        # The container has exited. Docker ends a follow stream some 100 ms after the exit, and
        # can drop its last lines; a plain read of the exited container's log has all of them.
        pump.abandon()
        rest = LogPump(
            self._orchestrator.logs(name, follow=False), sink, pump.offsets, Masker(secrets), final=True
        )
        await rest.start()
        _beat(rest)

    async def _finish(self, attempt: TaskAttemptInput, outcome: TaskOutcome) -> TaskOutcome:
        # Record first, remove second: a crash in between leaves a stored outcome that the
        # retried activity returns, instead of a missing container it would start again.
        await self._record(attempt, TaskRunState.COMPLETE, outcome)
        await asyncio.to_thread(self._orchestrator.remove, attempt.container_name)
        return outcome

    async def _record(
        self,
        attempt: TaskAttemptInput,
        state: TaskRunState,
        outcome: TaskOutcome | None = None,
        *,
        image_digest: str | None = None,
    ) -> None:
        change = TaskRunUpdate(
            run=attempt.run,
            task_id=attempt.task.id,
            attempt=attempt.attempt,
            state=state,
            container=attempt.container_name,
            status=outcome.status if outcome else TaskRunStatus.UNKNOWN,
            reason=outcome.reason if outcome else None,
            exit_code=outcome.exit_code if outcome else None,
            image_digest=image_digest,
        )
        await asyncio.to_thread(self._runs.update_task, change)


def _beat(pump: LogPump) -> None:
    offsets = pump.offsets
    activity.heartbeat(offsets.raw, offsets.stored)


def _confirmed_offsets() -> Offsets:
    """Where the previous try of this attempt got to, from its last recorded heartbeat."""
    details: Any = activity.info().heartbeat_details
    if len(details) >= 2:
        return Offsets(raw=int(details[0]), stored=int(details[1]))
    return Offsets()


def _cancel_requested() -> bool:
    details = activity.cancellation_details()
    return bool(details and details.cancel_requested)


def _deadline(attempt: TaskAttemptInput, status: ContainerStatus | None) -> datetime | None:
    if attempt.task.timeout is None:
        return None
    started = (status.started_at if status else None) or datetime.now(UTC)
    return started + timedelta(seconds=attempt.task.timeout)


def _cancelled() -> TaskOutcome:
    reason = StatusReason(kind=ReasonKind.CANCELLED, description="the run was cancelled")
    return TaskOutcome(status=TaskRunStatus.CANCELLED, reason=reason)


def _outcome(exit_code: int, timed_out: bool, attempt: TaskAttemptInput) -> TaskOutcome:
    if timed_out:
        description = (
            f"task '{attempt.task.id}' exceeded its timeout of {attempt.task.timeout}s and was killed"
        )
        return TaskOutcome.failed(ReasonKind.TIMEOUT, description, exit_code)
    if exit_code != 0:
        description = f"task '{attempt.task.id}' exited with code {exit_code}"
        return TaskOutcome.failed(ReasonKind.ABNORMAL_EXIT, description, exit_code)
    return TaskOutcome(status=TaskRunStatus.SUCCESSFUL, exit_code=0)
