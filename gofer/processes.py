"""The long-running entrypoints: `gofer up`, `gofer server`, `gofer worker`."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any

import uvicorn

from gofer.api.app import create_app
from gofer.devserver import start_dev_server, stop
from gofer.settings import Settings
from gofer.worker import run_worker


def serve(settings: Settings, *, api: bool, worker: bool, banner: Callable[[], None] | None = None) -> None:
    """Run the API and/or the worker in this process until SIGINT or SIGTERM."""
    asyncio.run(_serve(settings, api=api, worker=worker, banner=banner))


def up(settings: Settings, banner: Callable[[], None]) -> None:
    """Embedded mode: Temporal dev server + API + worker on one machine."""
    settings.ensure_dirs()
    host, port = settings.temporal_address.rsplit(":", 1)
    temporal = start_dev_server(
        settings.data_dir / "temporal.db", host=host, port=int(port), ui_port=settings.temporal_ui_port,
        log=settings.data_dir / "temporal.log",
    )
    try:
        serve(settings, api=True, worker=True, banner=banner)
    finally:
        stop(temporal)


async def _serve(settings: Settings, *, api: bool, worker: bool, banner: Callable[[], None] | None) -> None:
    stop_event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_event.set)
    jobs: list[Coroutine[Any, Any, None]] = []
    if worker:
        jobs.append(run_worker(settings, stop_event))
    if api:
        jobs.append(_api(settings, stop_event))
    if banner:
        loop.call_soon(banner)
    await asyncio.gather(*jobs)


async def _api(settings: Settings, stop_event: asyncio.Event) -> None:
    config = uvicorn.Config(create_app(settings), host=settings.api_host, port=settings.api_port,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # we own the signals
    serving = asyncio.create_task(server.serve())
    await stop_event.wait()
    server.should_exit = True
    await serving
