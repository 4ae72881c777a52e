from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from gofer.api.auth import Caller
from gofer.api.deps import Service
from gofer.errors import Forbidden
from gofer.store.events import EventStore
from gofer_sdk.models import EventPublic

router = APIRouter(prefix="/events", tags=["events"])

POLL_SECONDS = 0.25


@router.get("", response_model=list[EventPublic])
def list_events(
    service: Service,
    caller: Caller,
    after: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Only events with a larger id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    namespace: str | None = None,
    follow: Annotated[
        bool, Query(description="Stream as server-sent events until the client leaves.")
    ] = False,
) -> list[EventPublic] | StreamingResponse:
    """Stored events, oldest first: the newest `limit`, or those after an id. With `follow`, a
    `text/event-stream` whose event ids can be handed back as `after` to resume."""
    if not caller.is_admin and (namespace is None or not caller.reaches(namespace)):
        raise Forbidden("this token reads events of its own namespaces only: pass ?namespace=")
    if follow:
        return StreamingResponse(_stream(service.events, after, namespace), media_type="text/event-stream")
    if after is None:
        return service.events.newest(limit=limit, namespace=namespace)
    return service.events.after(after, limit=limit, namespace=namespace)


async def _stream(events: EventStore, after: int | None, namespace: str | None) -> AsyncIterator[str]:
    last = after if after is not None else _newest_id(events)
    while True:
        batch = await asyncio.to_thread(events.after, last, limit=500, namespace=namespace)
        for event in batch:
            last = event.id
            yield f"id: {event.id}\nevent: {event.kind}\ndata: {event.model_dump_json()}\n\n"
        if not batch:
            yield ": keep-alive\n\n"
            await asyncio.sleep(POLL_SECONDS)


def _newest_id(events: EventStore) -> int:
    newest = events.newest(limit=1)
    return newest[0].id if newest else 0
