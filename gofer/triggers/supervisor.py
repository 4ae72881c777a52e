"""`TriggerSupervisorWorkflow` (id `trigger/{name}`): keeps one trigger container alive.

Start the container, wait until it answers, give it every stored subscription, check it
periodically, and start a new one (with a new key) when it dies, backing off on repeated failures.
A `stop` signal (uninstall, disable) shuts it down.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from gofer.models import SupervisorState
    from gofer_sdk.trigger_models import TriggerState

QUICK = timedelta(seconds=30)
QUICK_RETRY = RetryPolicy(maximum_attempts=3, maximum_interval=timedelta(seconds=5))
MAX_BACKOFF = 300.0


def workflow_id(name: str) -> str:
    return f"trigger/{name}"


def backoff(failures: int) -> float:
    """Seconds before the next start: 1, 2, 4 … up to five minutes."""
    return min(2.0 ** max(failures - 1, 0), MAX_BACKOFF)


@workflow.defn(name="TriggerSupervisorWorkflow")
class TriggerSupervisorWorkflow:
    def __init__(self) -> None:
        self._stop = False

    @workflow.signal
    def stop(self) -> None:
        self._stop = True

    @workflow.run
    async def run(self, state: SupervisorState) -> None:
        name, failures, generation = state.name, state.failures, state.generation
        while not self._stop:
            problem = ""
            try:
                if generation is None:
                    generation = await self._start(name)
                    failures = 0
                problem = await self._watch(state, generation)
            except ActivityError as exc:
                failures += 1
                problem = str(exc.cause or exc)
            generation = None
            if self._stop:
                break
            await self._activity("mark_trigger", name, TriggerState.RESTARTING, problem)
            with suppress(TimeoutError):
                await workflow.wait_condition(lambda: self._stop, timeout=backoff(failures))
        await self._activity("stop_trigger", name)

    async def _start(self, name: str) -> int:
        generation: int = await self._activity("start_trigger", name)
        await workflow.execute_activity(
            "await_trigger_ready",
            args=[name, generation],
            start_to_close_timeout=timedelta(minutes=2),
            heartbeat_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(maximum_attempts=1),
        )
        await self._activity("restore_subscriptions", name)
        return generation

    async def _watch(self, state: SupervisorState, generation: int) -> str:
        """Return what went wrong with this start (or "" when asked to stop)."""
        while True:
            try:
                await workflow.wait_condition(lambda: self._stop, timeout=state.check_every)
                return ""
            except TimeoutError:
                pass
            problem: str | None = await self._activity("check_trigger", state.name, generation)
            if problem:
                return problem
            if workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(state.model_copy(update={"generation": generation, "failures": 0}))

    async def _activity(self, activity: str, *args: object) -> Any:
        return await workflow.execute_activity(
            activity, args=list(args), start_to_close_timeout=QUICK, retry_policy=QUICK_RETRY
        )
