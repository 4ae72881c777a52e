"""The class a trigger author subclasses."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from gofer_sdk.trigger.gateway import GatewayClient, Reported
from gofer_sdk.trigger.protocol import SETTING_PREFIX


@dataclass(frozen=True)
class Parameter:
    key: str
    documentation: str = ""
    required: bool = False


@dataclass(frozen=True)
class Subscription:
    namespace: str
    pipeline: str
    label: str
    settings: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.namespace, self.pipeline, self.label)


@dataclass(frozen=True)
class WebhookResponse:
    """What the webhook's caller gets back (an HTTP status and a message)."""

    status: int = 200
    message: str = ""
    runs_started: int = 0


class InvalidSubscription(Exception):
    """Raise from `subscribe` to refuse a subscription; the user sees the message."""


class Trigger:
    """Subclass, set the class attributes, override what the trigger needs, then `serve(MyTrigger())`.

    `subscriptions` holds the live subscriptions (Gofer restores them after every restart, so
    nothing needs to be persisted here). Call `report` to start a run for one of them.
    """

    name: str = ""
    documentation: str = ""
    settings: Sequence[Parameter] = ()
    subscription_parameters: Sequence[Parameter] = ()

    def __init__(self) -> None:
        self.subscriptions: dict[tuple[str, str, str], Subscription] = {}
        self.gateway: GatewayClient | None = None  # set by `serve`

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A trigger setting given at install time (`gofer trigger install --setting KEY=…`)."""
        return os.environ.get(SETTING_PREFIX + key.upper(), default)

    def subscribe(self, subscription: Subscription) -> None:
        """Validate and accept a subscription (raise `InvalidSubscription` to refuse it)."""
        missing = [
            p.key for p in self.subscription_parameters if p.required and p.key not in subscription.settings
        ]
        known = {p.key for p in self.subscription_parameters}
        unknown = sorted(set(subscription.settings) - known) if known else []
        problems = [f"missing setting '{key}'" for key in missing] + [
            f"unknown setting '{key}'" for key in unknown
        ]
        if problems:
            raise InvalidSubscription("; ".join(problems))

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop reporting events for a subscription (it is already removed from `subscriptions`)."""

    def external_event(self, headers: Mapping[str, str], body: bytes) -> WebhookResponse:
        """A webhook call Gofer received for this trigger. Headers have lower-case names."""
        return WebhookResponse(status=404, message=f"trigger '{self.name}' takes no webhooks")

    def shutdown(self) -> None:
        """Gofer is about to stop the container."""

    def report(self, subscription: Subscription, event_id: str, variables: Mapping[str, str]) -> Reported:
        """Start a run for ``subscription``. The same ``event_id`` never starts two runs, so this
        retries safely (it does, on connection errors)."""
        if self.gateway is None:
            raise RuntimeError("report() works once the trigger is served (gofer_sdk.trigger.serve)")
        return self.gateway.report(subscription, event_id, variables)
