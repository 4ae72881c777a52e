"""Activities that start, check and stop trigger containers (for `TriggerSupervisorWorkflow`)."""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress

from temporalio import activity
from temporalio.exceptions import ApplicationError

from gofer.errors import GoferServerError
from gofer.orchestrators.base import ContainerPhase, ContainerSpec, ImageNotFound, Orchestrator
from gofer.store.events import EventStore
from gofer.store.subscriptions import SubscriptionStore
from gofer.store.triggers import TriggerStore
from gofer.triggers.connection import TriggerCalls
from gofer_sdk.trigger.protocol import DEFAULT_PORT, ENV_GATEWAY, ENV_KEY, ENV_NAME, ENV_PORT, SETTING_PREFIX
from gofer_sdk.trigger_models import TriggerState

READY_TIMEOUT = 60.0
LABEL = "dev.gofer.trigger"


def container_name(name: str, generation: int) -> str:
    return f"gofer-trigger-{name}-{generation}"


class TriggerActivities:
    def __init__(
        self,
        orchestrator: Orchestrator,
        triggers: TriggerStore,
        subscriptions: SubscriptionStore,
        events: EventStore,
        calls: TriggerCalls,
        gateway_address: str,
    ) -> None:
        self._orchestrator = orchestrator
        self._triggers = triggers
        self._subscriptions = subscriptions
        self._events = events
        self._calls = calls
        self._gateway_address = gateway_address

    @activity.defn(name="start_trigger")
    def start_trigger(self, name: str) -> int:
        """Start a new generation of the trigger's container (removing any older one)."""
        self._remove_containers(name)
        trigger = self._triggers.get(name)
        generation = self._triggers.next_generation(name)
        self._triggers.set_state(name, TriggerState.STARTING)
        env = {
            ENV_KEY: self._calls.key(name, generation),
            ENV_NAME: name,
            ENV_PORT: str(DEFAULT_PORT),
            ENV_GATEWAY: self._gateway_address,
        } | {SETTING_PREFIX + key.upper(): value for key, value in self._triggers.settings(name).items()}
        spec = ContainerSpec(
            name=container_name(name, generation),
            image=trigger.image,
            env=env,
            labels={LABEL: name},
            publish=(DEFAULT_PORT,),
        )
        try:
            self._orchestrator.ensure_image(trigger.image, always_pull=False)
        except ImageNotFound as exc:
            raise ApplicationError(str(exc), non_retryable=True) from exc
        self._orchestrator.create(spec)
        self._orchestrator.start(spec.name)
        self._triggers.started(
            name, generation, self._orchestrator.published_address(spec.name, DEFAULT_PORT)
        )
        return generation

    @activity.defn(name="await_trigger_ready")
    async def await_trigger_ready(self, name: str, generation: int) -> None:
        """Wait until the container answers Info with its key; fail if it exits or stays silent."""
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            activity.heartbeat()
            await asyncio.to_thread(self._raise_if_exited, name, generation)
            try:
                info = await self._calls.info(name, timeout=2)
            except GoferServerError as exc:
                if time.monotonic() > deadline:
                    raise ApplicationError(
                        f"trigger did not answer within {READY_TIMEOUT:.0f}s: {exc}"
                    ) from exc
                await asyncio.sleep(0.3)
                continue
            self._triggers.set_state(name, TriggerState.RUNNING, documentation=info.documentation)
            return

    @activity.defn(name="restore_subscriptions")
    async def restore_subscriptions(self, name: str) -> int:
        """Give a fresh container every stored subscription; return how many it took."""
        restored = 0
        for subscription in self._subscriptions.of_trigger(name):
            try:
                await self._calls.subscribe(name, subscription)
                restored += 1
            except GoferServerError as exc:
                self._events.record(
                    "subscription_restore_failed",
                    namespace=subscription.namespace,
                    pipeline=subscription.pipeline,
                    trigger=name,
                    label=subscription.label,
                    reason=exc.message,
                )
        return restored

    @activity.defn(name="check_trigger")
    async def check_trigger(self, name: str, generation: int) -> str | None:
        """None when healthy; else what is wrong."""
        status = await asyncio.to_thread(self._orchestrator.status, container_name(name, generation))
        if status is None or status.phase == ContainerPhase.EXITED:
            code = f" with code {status.exit_code}" if status else ""
            return f"the container exited{code}"
        try:
            await self._calls.info(name, timeout=5)
        except GoferServerError as exc:
            return f"the trigger does not answer: {exc.message}"
        return None

    @activity.defn(name="mark_trigger")
    def mark_trigger(self, name: str, state: TriggerState, message: str) -> None:
        self._triggers.set_state(name, state, message)

    @activity.defn(name="stop_trigger")
    async def stop_trigger(self, name: str) -> None:
        """Ask the trigger to shut down, then stop and remove its containers."""
        with suppress(GoferServerError):
            await self._calls.shutdown(name)
        await asyncio.to_thread(self._remove_containers, name)
        self._triggers.set_state(name, TriggerState.STOPPED, "stopped")

    def _remove_containers(self, name: str) -> None:
        for container in self._orchestrator.names_labelled(LABEL, name):
            self._orchestrator.stop(container, grace_period=2)
            self._orchestrator.remove(container)

    def _raise_if_exited(self, name: str, generation: int) -> None:
        container = container_name(name, generation)
        status = self._orchestrator.status(container)
        if status is None or status.phase == ContainerPhase.EXITED:
            tail = b"".join(self._orchestrator.logs(container, follow=False))[-500:] if status else b""
            raise ApplicationError(
                f"the trigger's container exited ({status.exit_code if status else 'removed'}): "
                f"{tail.decode(errors='replace').strip()}"
            )
