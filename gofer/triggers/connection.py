"""Gofer's calls to a trigger container's `Trigger` service, with its current key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import grpc

from gofer.errors import GoferServerError, InvalidInput, Unavailable
from gofer.store.crypto import SecretCipher
from gofer.store.triggers import TriggerStore
from gofer_sdk.proto.gofer.trigger.v1 import trigger_pb2 as pb
from gofer_sdk.proto.gofer.trigger.v1.trigger_pb2_grpc import TriggerStub
from gofer_sdk.trigger.protocol import AUTHORIZATION, bearer
from gofer_sdk.trigger_models import SubscriptionPublic

CALL_TIMEOUT = 10.0
T = TypeVar("T")


def trigger_key(cipher: SecretCipher, name: str, generation: int) -> str:
    """The key of one start of a trigger: derived, so no plaintext key is stored anywhere, and a
    new start (generation) makes the old key worthless."""
    return cipher.derive(f"trigger-key/{name}/{generation}")


class TriggerCalls:
    def __init__(self, triggers: TriggerStore, cipher: SecretCipher) -> None:
        self._triggers = triggers
        self._cipher = cipher

    def key(self, name: str, generation: int) -> str:
        return trigger_key(self._cipher, name, generation)

    async def info(self, name: str, timeout: float = CALL_TIMEOUT) -> pb.InfoResponse:
        async with self._stub(name) as (stub, metadata):
            response: pb.InfoResponse = await _call(
                name, stub.Info(pb.InfoRequest(), metadata=metadata, timeout=timeout)
            )
            return response

    async def subscribe(self, name: str, subscription: SubscriptionPublic) -> None:
        async with self._stub(name) as (stub, metadata):
            request = pb.SubscribeRequest(subscription=_message(subscription))
            await _call(name, stub.Subscribe(request, metadata=metadata, timeout=CALL_TIMEOUT))

    async def unsubscribe(self, name: str, subscription: SubscriptionPublic) -> None:
        async with self._stub(name) as (stub, metadata):
            request = pb.UnsubscribeRequest(subscription=_message(subscription))
            await _call(name, stub.Unsubscribe(request, metadata=metadata, timeout=CALL_TIMEOUT))

    async def external_event(
        self, name: str, headers: dict[str, str], body: bytes
    ) -> pb.ExternalEventResponse:
        async with self._stub(name) as (stub, metadata):
            request = pb.ExternalEventRequest(headers=headers, body=body)
            response: pb.ExternalEventResponse = await _call(
                name, stub.ExternalEvent(request, metadata=metadata, timeout=CALL_TIMEOUT)
            )
            return response

    async def shutdown(self, name: str) -> None:
        async with self._stub(name) as (stub, metadata):
            await _call(name, stub.Shutdown(pb.ShutdownRequest(), metadata=metadata, timeout=CALL_TIMEOUT))

    @asynccontextmanager
    async def _stub(self, name: str) -> AsyncIterator[tuple[Any, list[tuple[str, str]]]]:
        endpoint, generation = self._triggers.endpoint(name)
        if endpoint is None:
            raise Unavailable(f"trigger '{name}' is not running (`gofer trigger get {name}` says why)")
        async with grpc.aio.insecure_channel(endpoint) as channel:
            stub = TriggerStub(channel)  # type: ignore[no-untyped-call]
            yield stub, [(AUTHORIZATION, bearer(self.key(name, generation)))]


async def _call(name: str, call: Awaitable[T]) -> T:
    try:
        return await call
    except grpc.aio.AioRpcError as exc:
        raise _error(name, exc) from exc


def _error(name: str, exc: grpc.aio.AioRpcError) -> GoferServerError:
    message = f"trigger '{name}': {exc.details() or exc.code().name}"
    if exc.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION):
        return InvalidInput(message)
    return Unavailable(message)


def _message(subscription: SubscriptionPublic) -> pb.Subscription:
    return pb.Subscription(
        namespace=subscription.namespace,
        pipeline=subscription.pipeline,
        label=subscription.label,
        settings=subscription.settings,
    )
