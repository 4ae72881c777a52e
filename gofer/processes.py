"""The long-running entrypoints: `gofer up`, `gofer server`, `gofer worker`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator

import uvicorn
from fastapi import FastAPI
from temporalio.client import Client

from gofer.api.app import create_app, create_webhook_app
from gofer.api.listen import api_sockets, bind
from gofer.devserver import start_dev_server, stop
from gofer.orchestrators.docker import DockerOrchestrator
from gofer.settings import Settings
from gofer.store.crypto import SecretCipher, cipher_for
from gofer.temporal import connect
from gofer.triggers.serving import start_gateway
from gofer.worker import run_worker


def serve(settings: Settings, *, api: bool, worker: bool, banner: Callable[[], None] | None = None) -> None:
    """Run the API and/or the worker in this process until SIGINT or SIGTERM."""
    asyncio.run(_serve(settings, api=api, worker=worker, banner=banner))


def up(settings: Settings, banner: Callable[[], None]) -> None:
    """Embedded mode: Temporal dev server + API + worker on one machine."""
    settings.ensure_dirs()
    host, port = settings.temporal_address.rsplit(":", 1)
    temporal = start_dev_server(
        settings.data_dir / "temporal.db",
        host=host,
        port=int(port),
        ui_port=settings.temporal_ui_port,
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
    # Check the key and reach Temporal and Docker before starting anything, so that a missing one
    # is one clear error.
    cipher = cipher_for(settings)
    temporal = await connect(settings)
    ready = asyncio.Event()
    jobs = []
    if worker:
        jobs.append(
            asyncio.create_task(run_worker(settings, temporal, DockerOrchestrator(), cipher, stop_event))
        )
    if api:
        jobs.append(asyncio.create_task(_api(settings, temporal, cipher, stop_event, ready)))
    else:
        ready.set()
    if banner:
        await _announce_when_ready(ready, jobs, banner)
    await asyncio.gather(*jobs)


async def _announce_when_ready(
    ready: asyncio.Event, jobs: list[asyncio.Task[None]], banner: Callable[[], None]
) -> None:
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait([waiting, *jobs], return_when=asyncio.FIRST_COMPLETED)
    if ready.is_set():
        banner()
    waiting.cancel()


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its own signal handlers: this process stops it through `stop_event`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _api(
    settings: Settings,
    temporal: Client,
    cipher: SecretCipher,
    stop_event: asyncio.Event,
    ready: asyncio.Event,
) -> None:
    app = create_app(settings, temporal, cipher)
    config = uvicorn.Config(
        app,
        host=settings.api_host,
        port=settings.api_port,
        log_level="warning",
        lifespan="on",
    )
    server = _EmbeddedServer(config)
    serving = asyncio.create_task(server.serve(sockets=api_sockets(settings)))
    while not server.started and not serving.done():
        await asyncio.sleep(0.05)
    # The lifespan has built the service by now; the gateway and the webhook port share it.
    gateway = await start_gateway(settings, app.state.service) if server.started else None
    webhooks = _webhook_server(settings, app) if server.started else None
    ready.set()
    stopping = asyncio.create_task(stop_event.wait())
    await asyncio.wait([serving, stopping], return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopping.cancel()
    if gateway:
        await gateway.stop(grace=1)
    if webhooks:
        webhooks[0].should_exit = True
        await webhooks[1]
    await serving


def _webhook_server(settings: Settings, api: FastAPI) -> tuple[uvicorn.Server, asyncio.Task[None]] | None:
    """The webhook ingress alone on its own port, when one is set."""
    if settings.webhook_port is None:
        return None
    sock = bind(settings.webhook_host, settings.webhook_port)
    config = uvicorn.Config(create_webhook_app(api), log_level="warning", lifespan="off")
    server = _EmbeddedServer(config)
    return server, asyncio.create_task(server.serve(sockets=[sock]))
