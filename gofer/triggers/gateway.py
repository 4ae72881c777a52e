"""The Gateway gRPC service: trigger containers report events here, and runs start (once each)."""

from __future__ import annotations

import grpc

from gofer.errors import Conflict, GoferServerError, NotFound
from gofer.service import GoferService
from gofer.store.runs import DuplicateEvent
from gofer.triggers.connection import TriggerCalls
from gofer_sdk.proto.gofer.trigger.v1 import trigger_pb2 as pb
from gofer_sdk.proto.gofer.trigger.v1.trigger_pb2_grpc import GatewayServicer
from gofer_sdk.trigger.protocol import TRIGGER_NAME, key_matches


class Gateway(GatewayServicer):
    def __init__(self, service: GoferService, calls: TriggerCalls) -> None:
        self._service = service
        self._calls = calls

    async def ReportEvent(
        self, request: pb.ReportEventRequest, context: grpc.aio.ServicerContext[object, object]
    ) -> pb.ReportEventResponse:
        name = await self._caller(context)
        service = self._service
        try:
            subscription = service.subscriptions.get(request.namespace, request.pipeline, request.label)
            if subscription.trigger != name:
                raise NotFound(
                    f"pipeline '{request.pipeline}' has no '{name}' subscription '{request.label}'"
                )
            if subscription.paused:
                raise Conflict(f"subscription '{request.label}' of '{request.pipeline}' is paused")
            run = await service.start_run(
                request.namespace,
                request.pipeline,
                subscription.variables | dict(request.variables),
                initiator=f"trigger {name} ({request.label})",
                event_id=f"{name}/{request.event_id}",
            )
        except DuplicateEvent as seen:
            return pb.ReportEventResponse(run_id=seen.run.run_id, duplicate=True)
        except GoferServerError as exc:
            service.events.record(
                "trigger_event_refused",
                namespace=request.namespace,
                pipeline=request.pipeline,
                trigger=name,
                label=request.label,
                event_id=request.event_id,
                reason=exc.message,
            )
            await context.abort(_status(exc), exc.message)
            raise
        return pb.ReportEventResponse(run_id=run.id, duplicate=False)

    async def _caller(self, context: grpc.aio.ServicerContext[object, object]) -> str:
        """The trigger whose current key the call carries; abort UNAUTHENTICATED otherwise."""
        metadata = {key: str(value) for key, value in context.invocation_metadata() or ()}
        name = metadata.get(TRIGGER_NAME, "")
        try:
            _, generation = self._service.triggers.endpoint(name)
        except NotFound:
            generation = -1
        if generation < 1 or not key_matches(metadata, self._calls.key(name, generation)):
            self._service.events.record("trigger_key_refused", trigger=name or None)
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong trigger key")
        return name


def _status(exc: GoferServerError) -> grpc.StatusCode:
    if isinstance(exc, NotFound):
        return grpc.StatusCode.NOT_FOUND
    if isinstance(exc, Conflict):
        return grpc.StatusCode.FAILED_PRECONDITION
    return grpc.StatusCode.UNAVAILABLE
