"""Write a trigger: subclass `Trigger`, then `serve(MyTrigger())` in the container's entrypoint."""

from gofer_sdk.trigger.base import InvalidSubscription, Parameter, Subscription, Trigger, WebhookResponse
from gofer_sdk.trigger.gateway import Reported
from gofer_sdk.trigger.server import serve

__all__ = [
    "InvalidSubscription",
    "Parameter",
    "Reported",
    "Subscription",
    "Trigger",
    "WebhookResponse",
    "serve",
]
