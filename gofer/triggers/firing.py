"""`ScheduledRunWorkflow`: one firing of an interval/cron schedule = one run, followed to its end."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from gofer.models import Firing, RunKey

START_TIMEOUT = timedelta(minutes=1)
FOLLOW_HEARTBEAT = timedelta(seconds=10)
# A run can last long; the follower heartbeats, so a dead worker is noticed within FOLLOW_HEARTBEAT.
FOLLOW_TIMEOUT = timedelta(days=30)


@workflow.defn(name="ScheduledRunWorkflow")
class ScheduledRunWorkflow:
    @workflow.run
    async def run(self, firing: Firing) -> RunKey | None:
        # The workflow id (schedule id + firing time) is the event id: a retried start activity
        # finds the run it started instead of starting a second one.
        run: RunKey | None = await workflow.execute_activity(
            "start_scheduled_run",
            args=[firing, workflow.info().workflow_id],
            result_type=RunKey | None,  # type: ignore[arg-type]
            start_to_close_timeout=START_TIMEOUT,
            retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
        )
        if run is None:
            return None  # refused (pipeline disabled, runs paused, unsubscribed): an event says why
        # Waiting for the run is what lets the schedule's overlap policy see it; a cancelled
        # firing (overlap "cancel_other") cancels its run.
        await workflow.execute_activity(
            "follow_run",
            run,
            start_to_close_timeout=FOLLOW_TIMEOUT,
            heartbeat_timeout=FOLLOW_HEARTBEAT,
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
        )
        return run
