"""Activities of `ScheduledRunWorkflow`: start the firing's run (once), then follow it."""

from __future__ import annotations

import asyncio
from contextlib import suppress

from temporalio import activity

from gofer.errors import Conflict, NotFound
from gofer.models import Firing, RunKey
from gofer.service import GoferService
from gofer.store.runs import DuplicateEvent
from gofer_sdk.models import RunState

FOLLOW_EVERY = 1.0


class ScheduleActivities:
    def __init__(self, service: GoferService) -> None:
        self._service = service

    @activity.defn(name="start_scheduled_run")
    async def start_scheduled_run(self, firing: Firing, event_id: str) -> RunKey | None:
        """Start the firing's run; None (and an event saying why) when it may not start."""
        service = self._service
        try:
            subscription = service.subscriptions.get(firing.namespace, firing.pipeline, firing.label)
            run = await service.start_run(
                firing.namespace,
                firing.pipeline,
                subscription.variables,
                initiator=f"trigger {firing.trigger} ({firing.label})",
                event_id=event_id,
            )
        except DuplicateEvent as seen:
            return seen.run
        except (Conflict, NotFound) as refused:
            service.events.record(
                "trigger_event_refused",
                namespace=firing.namespace,
                pipeline=firing.pipeline,
                label=firing.label,
                event_id=event_id,
                reason=refused.message,
            )
            return None
        return RunKey(namespace=firing.namespace, pipeline=firing.pipeline, run_id=run.id)

    @activity.defn(name="follow_run")
    async def follow_run(self, run: RunKey) -> None:
        """Return when the run ends; cancelled (overlap "cancel_other"), cancel the run."""
        try:
            while not await asyncio.to_thread(self._ended, run):
                activity.heartbeat()
                await asyncio.sleep(FOLLOW_EVERY)
        except asyncio.CancelledError:
            with suppress(Conflict):
                await self._service.cancel_run(run)
            raise

    def _ended(self, run: RunKey) -> bool:
        return self._service.runs.get(run).state == RunState.COMPLETE
