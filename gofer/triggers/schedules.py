"""Interval and cron subscriptions as Temporal Schedules.

A firing starts `ScheduledRunWorkflow`, which starts the pipeline run through the service layer
and waits for it to end: so Temporal's overlap policy (skip, buffer one, cancel the other) applies
to Gofer runs, and Temporal, not Gofer, keeps time across restarts.
"""

from __future__ import annotations

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.service import RPCError, RPCStatusCode

from gofer.errors import Conflict, InvalidInput, Unavailable
from gofer.models import Firing
from gofer.triggers.builtin import Overlap, ScheduleSettings, schedule_settings
from gofer_sdk.trigger_models import SubscriptionPublic

WORKFLOW = "ScheduledRunWorkflow"
_OVERLAP = {
    Overlap.SKIP: ScheduleOverlapPolicy.SKIP,
    Overlap.BUFFER_ONE: ScheduleOverlapPolicy.BUFFER_ONE,
    Overlap.CANCEL_OTHER: ScheduleOverlapPolicy.CANCEL_OTHER,
}


def schedule_id(namespace: str, pipeline_id: str, label: str) -> str:
    return f"schedule/{namespace}/{pipeline_id}/{label}"


def build_schedule(subscription: SubscriptionPublic, task_queue: str) -> Schedule:
    settings = schedule_settings(subscription.trigger, subscription.settings)
    firing = Firing(
        namespace=subscription.namespace,
        pipeline=subscription.pipeline,
        label=subscription.label,
        trigger=subscription.trigger,
    )
    return Schedule(
        action=ScheduleActionStartWorkflow(
            WORKFLOW,
            firing,
            id=f"firing/{subscription.namespace}/{subscription.pipeline}/{subscription.label}",
            task_queue=task_queue,
        ),
        spec=_spec(settings),
        policy=SchedulePolicy(overlap=_OVERLAP[settings.overlap], catchup_window=settings.catchup_window),
        state=ScheduleState(note=f"Gofer: {subscription.trigger} subscription of {subscription.pipeline}"),
    )


def _spec(settings: ScheduleSettings) -> ScheduleSpec:
    if settings.every is not None:
        return ScheduleSpec(intervals=[ScheduleIntervalSpec(every=settings.every)])
    assert settings.cron is not None
    return ScheduleSpec(cron_expressions=[settings.cron], time_zone_name=settings.timezone)


async def create(client: Client, subscription: SubscriptionPublic, task_queue: str) -> None:
    ident = schedule_id(subscription.namespace, subscription.pipeline, subscription.label)
    try:
        await client.create_schedule(ident, build_schedule(subscription, task_queue))
    except ScheduleAlreadyRunningError as exc:
        raise Conflict(f"schedule {ident} exists already") from exc
    except RPCError as exc:
        if exc.status == RPCStatusCode.INVALID_ARGUMENT:
            raise InvalidInput(f"Temporal refused the schedule: {exc.message}") from exc
        raise Unavailable(f"cannot create schedule {ident}: {exc.message}") from exc


async def delete(client: Client, subscription: SubscriptionPublic) -> None:
    handle = client.get_schedule_handle(
        schedule_id(subscription.namespace, subscription.pipeline, subscription.label)
    )
    try:
        await handle.delete()
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise Unavailable(f"cannot delete schedule {handle.id}: {exc.message}") from exc


async def set_paused(client: Client, subscription: SubscriptionPublic, paused: bool) -> None:
    handle = client.get_schedule_handle(
        schedule_id(subscription.namespace, subscription.pipeline, subscription.label)
    )
    note = "paused through Gofer" if paused else "resumed through Gofer"
    try:
        await (handle.pause(note=note) if paused else handle.unpause(note=note))
    except RPCError as exc:
        raise Unavailable(f"cannot change schedule {handle.id}: {exc.message}") from exc
