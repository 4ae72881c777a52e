"""A trigger's calls to Gofer's Gateway service, retried with the same event id."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grpc

from gofer_sdk.proto.gofer.trigger.v1 import trigger_pb2 as pb
from gofer_sdk.proto.gofer.trigger.v1.trigger_pb2_grpc import GatewayStub
from gofer_sdk.trigger.protocol import AUTHORIZATION, TRIGGER_NAME, bearer

if TYPE_CHECKING:
    from gofer_sdk.trigger.base import Subscription

RETRYABLE = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}


@dataclass(frozen=True)
class Reported:
    run_id: int
    duplicate: bool  # the event was reported before; run_id is the run it started


class GatewayClient:
    def __init__(
        self, address: str, name: str, key: str, *, attempts: int = 8, timeout: float = 10.0
    ) -> None:
        self._channel = grpc.insecure_channel(address)
        self._stub: Any = GatewayStub(self._channel)  # type: ignore[no-untyped-call]
        self._metadata = [(AUTHORIZATION, bearer(key)), (TRIGGER_NAME, name)]
        self._attempts = attempts
        self._timeout = timeout

    def report(self, subscription: Subscription, event_id: str, variables: Mapping[str, str]) -> Reported:
        request = pb.ReportEventRequest(
            event_id=event_id,
            namespace=subscription.namespace,
            pipeline=subscription.pipeline,
            label=subscription.label,
            variables=dict(variables),
        )
        delay = 0.2
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._stub.ReportEvent(request, metadata=self._metadata, timeout=self._timeout)
                return Reported(run_id=response.run_id, duplicate=response.duplicate)
            except grpc.RpcError as exc:
                if exc.code() not in RETRYABLE or attempt == self._attempts:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._channel.close()
