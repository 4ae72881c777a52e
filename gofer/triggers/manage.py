"""Installing triggers and subscribing pipelines: the store and Temporal (or the trigger) agree.

Each operation writes the store first and undoes that write when Temporal or the trigger refuses,
so a refused subscription leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import suppress

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from gofer.errors import Conflict, GoferServerError, NotFound, Unavailable
from gofer.models import SupervisorState
from gofer.orchestrators.base import OrchestratorError
from gofer.orchestrators.docker import DockerOrchestrator
from gofer.settings import Settings
from gofer.store.subscriptions import SubscriptionStore
from gofer.store.triggers import TriggerStore
from gofer.triggers import schedules
from gofer.triggers.builtin import schedule_settings
from gofer.triggers.connection import TriggerCalls
from gofer.triggers.supervision import container_name
from gofer.triggers.supervisor import workflow_id
from gofer_sdk.trigger_models import BUILTIN_TRIGGERS, SubscriptionCreate, SubscriptionPublic, TriggerPublic

STOP_WAIT = 30.0


class TriggerManager:
    def __init__(
        self,
        settings: Settings,
        temporal: Client,
        triggers: TriggerStore,
        subscriptions: SubscriptionStore,
        calls: TriggerCalls,
    ) -> None:
        self._settings = settings
        self._temporal = temporal
        self._triggers = triggers
        self._subscriptions = subscriptions
        self.calls = calls

    # -- triggers ---------------------------------------------------------------------------------

    async def install(self, name: str, image: str, settings: dict[str, str]) -> TriggerPublic:
        trigger = self._triggers.install(name, image, settings)
        try:
            await self._supervise(name)
        except GoferServerError:
            self._triggers.remove(name)
            raise
        return trigger

    async def uninstall(self, name: str) -> None:
        self._triggers.get(name)
        if subscribed := self._subscriptions.of_trigger(name):
            pipelines = ", ".join(sorted({f"{s.namespace}/{s.pipeline} ({s.label})" for s in subscribed}))
            raise Conflict(f"trigger '{name}' still has subscriptions: {pipelines}; unsubscribe them first")
        await self._stop(name)
        self._triggers.remove(name)

    def logs(self, name: str) -> Iterator[bytes]:
        """The output of the trigger's current container, read from the local Docker engine."""
        trigger = self._triggers.get(name)
        container = container_name(name, trigger.generation)
        try:
            engine = DockerOrchestrator()
            if engine.status(container) is None:
                raise NotFound(f"trigger '{name}' has no container now (it is {trigger.state.value})")
        except OrchestratorError as exc:
            raise Unavailable(f"cannot read the logs of trigger '{name}': {exc}") from exc
        return engine.logs(container, follow=False)

    async def set_enabled(self, name: str, enabled: bool) -> TriggerPublic:
        trigger = self._triggers.set_enabled(name, enabled)
        await (self._supervise(name) if enabled else self._stop(name))
        return self._triggers.get(name) if enabled else trigger

    async def _supervise(self, name: str) -> None:
        state = SupervisorState(name=name, check_every=self._settings.trigger_check_interval)
        try:
            await self._temporal.start_workflow(
                "TriggerSupervisorWorkflow",
                state,
                id=workflow_id(name),
                task_queue=self._settings.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            return  # supervised already: enabling an enabled trigger changes nothing
        except RPCError as exc:
            raise Unavailable(f"cannot start the supervisor of trigger '{name}': {exc.message}") from exc

    async def _stop(self, name: str) -> None:
        """Signal the supervisor to stop the container, and wait (a while) until it has."""
        handle = self._temporal.get_workflow_handle(workflow_id(name))
        try:
            if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
                return
            await handle.signal("stop")
            await _wait(handle.result(), STOP_WAIT)
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise Unavailable(f"cannot stop trigger '{name}': {exc.message}") from exc

    # -- subscriptions ----------------------------------------------------------------------------

    async def subscribe(
        self, namespace: str, pipeline_id: str, body: SubscriptionCreate
    ) -> SubscriptionPublic:
        label = body.label or body.trigger
        if body.trigger in BUILTIN_TRIGGERS:
            schedule_settings(body.trigger, body.settings)  # every problem, before anything is stored
        elif not self._triggers.get(body.trigger).enabled:
            raise Conflict(f"trigger '{body.trigger}' is disabled: enable it first")
        subscription = self._subscriptions.add(
            namespace, pipeline_id, label, body.trigger, body.settings, body.variables
        )
        try:
            if body.trigger in BUILTIN_TRIGGERS:
                await schedules.create(self._temporal, subscription, self._settings.task_queue)
            else:
                await self.calls.subscribe(body.trigger, subscription)
        except GoferServerError:
            self._subscriptions.remove(namespace, pipeline_id, label)
            raise
        return subscription

    async def unsubscribe(self, namespace: str, pipeline_id: str, label: str) -> None:
        subscription = self._subscriptions.get(namespace, pipeline_id, label)
        await self._detach(subscription)
        self._subscriptions.remove(namespace, pipeline_id, label)

    async def set_paused(
        self, namespace: str, pipeline_id: str, label: str, paused: bool
    ) -> SubscriptionPublic:
        subscription = self._subscriptions.get(namespace, pipeline_id, label)
        if subscription.trigger in BUILTIN_TRIGGERS:
            await schedules.set_paused(self._temporal, subscription, paused)
        # Trigger containers keep reporting; the gateway refuses a paused subscription's events.
        return self._subscriptions.set_paused(namespace, pipeline_id, label, paused)

    async def remove_pipeline(self, namespace: str, pipeline_id: str) -> None:
        """Detach every subscription of a pipeline that is being deleted."""
        for subscription in self._subscriptions.of_pipeline(namespace, pipeline_id):
            await self._detach(subscription)
        self._subscriptions.remove_pipeline(namespace, pipeline_id)

    async def _detach(self, subscription: SubscriptionPublic) -> None:
        if subscription.trigger in BUILTIN_TRIGGERS:
            await schedules.delete(self._temporal, subscription)
            return
        # Not running: it gets no subscriptions restored once the store forgets this one.
        with suppress(Unavailable, NotFound):
            await self.calls.unsubscribe(subscription.trigger, subscription)


async def _wait(result: Awaitable[object], timeout: float) -> None:
    try:
        await asyncio.wait_for(result, timeout)
    except TimeoutError as exc:
        raise Unavailable("the trigger did not stop in time; it will, once a worker gets to it") from exc
