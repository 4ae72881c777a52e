"""Connecting to Temporal: every client uses the pydantic data converter."""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from gofer.errors import Unavailable
from gofer.settings import Settings

RETRY_EVERY = 0.5


async def connect(settings: Settings) -> Client:
    """Connect, retrying while the server comes up (a fresh dev server listens before it is
    healthy; a worker may start before its cluster)."""
    deadline = time.monotonic() + settings.temporal_connect_timeout
    while True:
        try:
            return await Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                data_converter=pydantic_data_converter,
            )
        except RuntimeError as exc:  # the SDK reports an unreachable server as a RuntimeError
            if time.monotonic() >= deadline:
                raise Unavailable(f"cannot reach Temporal at {settings.temporal_address}: {exc}") from exc
            await asyncio.sleep(RETRY_EVERY)
