"""Connecting to Temporal: every client uses the pydantic data converter."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from gofer.errors import Unavailable
from gofer.settings import Settings


async def connect(settings: Settings) -> Client:
    try:
        return await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            data_converter=pydantic_data_converter,
        )
    except RuntimeError as exc:  # the SDK reports an unreachable server as a RuntimeError
        raise Unavailable(f"cannot reach Temporal at {settings.temporal_address}: {exc}") from exc
