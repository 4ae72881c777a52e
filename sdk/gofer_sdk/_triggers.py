"""`GoferClient`'s calls about triggers and pipelines' subscriptions to them."""

from __future__ import annotations

from collections.abc import Iterator

from gofer_sdk._http import HttpApi
from gofer_sdk.trigger_models import SubscriptionCreate, SubscriptionPublic, TriggerInstall, TriggerPublic


class TriggersApi(HttpApi):
    # subscriptions

    def subscribe(
        self,
        pipeline_id: str,
        trigger: str,
        *,
        label: str | None = None,
        settings: dict[str, str] | None = None,
        variables: dict[str, str] | None = None,
        namespace: str | None = None,
    ) -> SubscriptionPublic:
        """Start runs of the pipeline when ``trigger`` ('interval', 'cron', or installed) fires."""
        body = SubscriptionCreate(
            trigger=trigger, label=label, settings=settings or {}, variables=variables or {}
        )
        return self._call(
            "POST", self._subscriptions(pipeline_id, namespace), SubscriptionPublic, json=body.model_dump()
        )

    def list_subscriptions(
        self, pipeline_id: str, *, namespace: str | None = None
    ) -> list[SubscriptionPublic]:
        return self._call("GET", self._subscriptions(pipeline_id, namespace), list[SubscriptionPublic])

    def get_subscription(
        self, pipeline_id: str, label: str, *, namespace: str | None = None
    ) -> SubscriptionPublic:
        return self._call("GET", f"{self._subscriptions(pipeline_id, namespace)}/{label}", SubscriptionPublic)

    def unsubscribe(self, pipeline_id: str, label: str, *, namespace: str | None = None) -> None:
        self._request("DELETE", f"{self._subscriptions(pipeline_id, namespace)}/{label}")

    def set_subscription_paused(
        self, pipeline_id: str, label: str, paused: bool, *, namespace: str | None = None
    ) -> SubscriptionPublic:
        """Pause (no runs) or resume a subscription."""
        action = "pause" if paused else "resume"
        path = f"{self._subscriptions(pipeline_id, namespace)}/{label}/{action}"
        return self._call("POST", path, SubscriptionPublic)

    # triggers

    def install_trigger(self, name: str, image: str, settings: dict[str, str] | None = None) -> TriggerPublic:
        """Install a trigger container (admin); Gofer starts and supervises it."""
        body = TriggerInstall(name=name, image=image, settings=settings or {})
        return self._call("POST", "/api/triggers", TriggerPublic, json=body.model_dump())

    def list_triggers(self) -> list[TriggerPublic]:
        return self._call("GET", "/api/triggers", list[TriggerPublic])

    def get_trigger(self, name: str) -> TriggerPublic:
        return self._call("GET", f"/api/triggers/{name}", TriggerPublic)

    def trigger_logs(self, name: str) -> Iterator[bytes]:
        """The output of the trigger's current container."""
        yield from self._stream(f"/api/triggers/{name}/logs", {}, follow=False)

    def uninstall_trigger(self, name: str) -> None:
        self._request("DELETE", f"/api/triggers/{name}")

    def set_trigger_enabled(self, name: str, enabled: bool) -> TriggerPublic:
        action = "enable" if enabled else "disable"
        return self._call("POST", f"/api/triggers/{name}/{action}", TriggerPublic)

    def _subscriptions(self, pipeline_id: str, namespace: str | None) -> str:
        return f"{self._pipeline(pipeline_id, namespace)}/subscriptions"
