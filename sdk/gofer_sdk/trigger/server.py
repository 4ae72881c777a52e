"""`serve(trigger)`: the Trigger gRPC service around a `Trigger` object, with the key check."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from concurrent import futures
from typing import Any, TypeVar

import grpc

from gofer_sdk.proto.gofer.trigger.v1 import trigger_pb2 as pb
from gofer_sdk.proto.gofer.trigger.v1.trigger_pb2_grpc import TriggerServicer, add_TriggerServicer_to_server
from gofer_sdk.trigger.base import InvalidSubscription, Parameter, Subscription, Trigger
from gofer_sdk.trigger.gateway import GatewayClient
from gofer_sdk.trigger.protocol import DEFAULT_PORT, ENV_GATEWAY, ENV_KEY, ENV_NAME, ENV_PORT, key_matches

log = logging.getLogger("gofer_sdk.trigger")
Response = TypeVar("Response")


def serve(trigger: Trigger) -> None:
    """Serve ``trigger`` on GOFER_TRIGGER_PORT until Gofer calls Shutdown or SIGTERM arrives."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    key = _required(ENV_KEY)
    name = os.environ.get(ENV_NAME, trigger.name)
    trigger.gateway = GatewayClient(_required(ENV_GATEWAY), name, key)
    stopped = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    add_TriggerServicer_to_server(_Servicer(trigger, key, stopped), server)  # type: ignore[no-untyped-call]
    port = int(os.environ.get(ENV_PORT, DEFAULT_PORT))
    server.add_insecure_port(f"0.0.0.0:{port}")
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    log.info("trigger %s serving on port %d", name, port)
    stopped.wait()
    server.stop(grace=2).wait()
    trigger.gateway.close()


def _required(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise SystemExit(f"{variable} is not set: triggers are started by Gofer (`gofer trigger install`)")
    return value


def _subscription(message: pb.Subscription) -> Subscription:
    return Subscription(
        namespace=message.namespace,
        pipeline=message.pipeline,
        label=message.label,
        settings=dict(message.settings),
    )


def _parameters(parameters: tuple[Parameter, ...] | list[Parameter] | Any) -> list[pb.Parameter]:
    return [pb.Parameter(key=p.key, documentation=p.documentation, required=p.required) for p in parameters]


class _Servicer(TriggerServicer):
    def __init__(self, trigger: Trigger, key: str, stopped: threading.Event) -> None:
        self._trigger = trigger
        self._key = key
        self._stopped = stopped

    def _checked(self, context: grpc.ServicerContext, handle: Callable[[], Response]) -> Response:
        metadata = {key: str(value) for key, value in context.invocation_metadata()}
        if not key_matches(metadata, self._key):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong trigger key")
        try:
            return handle()
        except InvalidSubscription as exc:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        raise AssertionError("context.abort raises")

    def Info(self, request: pb.InfoRequest, context: grpc.ServicerContext) -> pb.InfoResponse:
        trigger = self._trigger
        return self._checked(
            context,
            lambda: pb.InfoResponse(
                name=trigger.name,
                documentation=trigger.documentation,
                settings=_parameters(trigger.settings),
                subscription_parameters=_parameters(trigger.subscription_parameters),
            ),
        )

    def Subscribe(self, request: pb.SubscribeRequest, context: grpc.ServicerContext) -> pb.SubscribeResponse:
        def subscribe() -> pb.SubscribeResponse:
            subscription = _subscription(request.subscription)
            self._trigger.subscribe(subscription)
            self._trigger.subscriptions[subscription.key] = subscription
            log.info("subscribed %s", subscription.key)
            return pb.SubscribeResponse()

        return self._checked(context, subscribe)

    def Unsubscribe(
        self, request: pb.UnsubscribeRequest, context: grpc.ServicerContext
    ) -> pb.UnsubscribeResponse:
        def unsubscribe() -> pb.UnsubscribeResponse:
            subscription = _subscription(request.subscription)
            self._trigger.subscriptions.pop(subscription.key, None)
            self._trigger.unsubscribe(subscription)
            return pb.UnsubscribeResponse()

        return self._checked(context, unsubscribe)

    def ExternalEvent(
        self, request: pb.ExternalEventRequest, context: grpc.ServicerContext
    ) -> pb.ExternalEventResponse:
        def external() -> pb.ExternalEventResponse:
            answer = self._trigger.external_event(dict(request.headers), request.body)
            return pb.ExternalEventResponse(
                status=answer.status, message=answer.message, runs_started=answer.runs_started
            )

        return self._checked(context, external)

    def Shutdown(self, request: pb.ShutdownRequest, context: grpc.ServicerContext) -> pb.ShutdownResponse:
        def shutdown() -> pb.ShutdownResponse:
            self._trigger.shutdown()
            self._stopped.set()
            return pb.ShutdownResponse()

        return self._checked(context, shutdown)
