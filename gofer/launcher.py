"""Handing recorded runs to Temporal: once, and again after a crash kept one from starting.

A run is recorded in the store first and its workflow started second. A crash in between (of the
API, or of the worker running a schedule's activity) leaves a pending run with no workflow; the
caller's retry with the same event id, or the next API start, launches it then instead of leaving
it pending forever or starting a second run.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime, timedelta

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from gofer.errors import GoferServerError, Unavailable
from gofer.models import RunInput, RunKey, SchedulerState
from gofer.settings import Settings
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer.workflows.scheduler import scheduler_id
from gofer_sdk.config import Pipeline
from gofer_sdk.models import RunState

WORKFLOW = "PipelineRunWorkflow"
SCHEDULER_WORKFLOW = "RunSchedulerWorkflow"
# A pending run this old without a workflow was stranded by a crash, not caught mid-start.
STRANDED_AFTER = timedelta(minutes=1)

log = logging.getLogger(__name__)


class RunLauncher:
    def __init__(
        self, settings: Settings, temporal: Client, runs: RunStore, pipelines: PipelineStore
    ) -> None:
        self._settings = settings
        self._temporal = temporal
        self._runs = runs
        self._pipelines = pipelines

    async def launch(self, key: RunKey, config: Pipeline, variables: dict[str, str]) -> None:
        """Start the run's workflow (and ask for a slot when limits apply); idempotent."""
        payload = RunInput(
            run=key,
            config=config,
            variables=variables,
            heartbeat_timeout=self._settings.heartbeat_timeout,
            stop_grace_period=self._settings.stop_grace_period,
            global_parallelism=self._settings.global_parallelism,
        )
        # ALLOW_DUPLICATE: a closed workflow of the same id belongs to a deleted pipeline of the
        # same name, whose run ids started again at 1. A running one is this run, started by an
        # earlier try: that is success, not an error.
        with suppress(WorkflowAlreadyStartedError):
            await self._temporal.start_workflow(
                WORKFLOW,
                payload,
                id=key.workflow_id,
                task_queue=self._settings.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
                # In `gofer up` the worker shares this client: Temporal hands it the first
                # workflow task in the start call's answer, saving a task-queue round trip.
                request_eager_start=True,
            )
        if payload.queued:
            await self._enqueue(payload)

    async def resume(self, key: RunKey) -> None:
        """Launch a recorded run whose workflow never started; nothing if it did."""
        run = self._runs.get(key)
        if run.state != RunState.PENDING or await self._has_workflow(key, run.started):
            return
        log.warning("run %s was recorded but never started (a crash?): starting it now", key.workflow_id)
        config = self._pipelines.config(key.namespace, key.pipeline, run.config_version)
        await self.launch(key, config, run.variables)

    async def resume_stranded(self) -> None:
        """Launch every run a crash left pending without a workflow (at API start-up)."""
        for key in self._runs.pending_since(STRANDED_AFTER):
            try:
                await self.resume(key)
            except (RPCError, GoferServerError) as exc:  # the next start-up tries again
                log.warning("could not start stranded run %s: %s", key.workflow_id, exc)

    async def _has_workflow(self, key: RunKey, recorded: datetime) -> bool:
        try:
            description = await self._temporal.get_workflow_handle(key.workflow_id).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            raise Unavailable(f"cannot reach Temporal about run {key.run_id}: {exc.message}") from exc
        if description.status == WorkflowExecutionStatus.RUNNING:
            return True
        # A closed execution from before the run was recorded is an earlier pipeline's of the same
        # name; one from after is this run's (ended, e.g. terminated from Temporal's UI).
        return description.start_time >= recorded

    async def _enqueue(self, payload: RunInput) -> None:
        # Asked here, in run-id order, rather than by the run workflows themselves, whose first
        # steps could race each other and break "queued runs start in order". The scheduler
        # ignores a request it knows, so a repeated launch asks once.
        await self._temporal.start_workflow(
            SCHEDULER_WORKFLOW,
            SchedulerState(),
            id=scheduler_id(self._settings.task_queue),
            task_queue=self._settings.task_queue,
            start_signal="enqueue",
            start_signal_args=[payload.slot_request()],
        )
