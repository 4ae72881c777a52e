"""The FastAPI application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from temporalio.client import Client

from gofer import __version__
from gofer.api import errors
from gofer.api.routers import (
    events,
    namespaces,
    objects,
    pipelines,
    runs,
    secrets,
    subscriptions,
    system,
    tasks,
    tokens,
    triggers,
    webhooks,
)
from gofer.service import GoferService, Stores
from gofer.settings import Settings
from gofer.store.crypto import SecretCipher, cipher_for
from gofer.store.db import open_engine
from gofer.store.events import EventStore
from gofer.temporal import connect


def create_app(
    settings: Settings, temporal: Client | None = None, cipher: SecretCipher | None = None
) -> FastAPI:
    """The API; it connects to Temporal (and reads the secret key) at start-up unless given them."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        engine = open_engine(settings.store_url)
        client = temporal or await connect(settings)
        stores = Stores.open(engine, settings, cipher or cipher_for(settings))
        app.state.settings = settings
        app.state.service = GoferService(settings, client, stores)
        app.state.logs = stores.logs
        pruning = asyncio.create_task(
            _prune_events(stores.events, timedelta(hours=settings.event_retention_hours))
        )
        # In the background: start-up does not wait on Temporal for runs a crash left unstarted.
        resuming = asyncio.create_task(app.state.service.launcher.resume_stranded())
        yield
        resuming.cancel()
        pruning.cancel()
        engine.dispose()

    app = FastAPI(title="Gofer", version=__version__, lifespan=lifespan)
    errors.install(app)
    routers = (
        system,
        tokens,
        namespaces,
        pipelines,
        runs,
        tasks,
        objects,
        events,
        secrets,
        subscriptions,
        triggers,
        webhooks,
    )
    for router in (module.router for module in routers):
        app.include_router(router, prefix="/api")
    return app


def create_webhook_app(api: FastAPI) -> FastAPI:
    """Only the webhook ingress, for a port that faces the internet; it shares the started API's
    service layer."""
    app = FastAPI(title="Gofer webhooks", version=__version__, openapi_url=None, docs_url=None)
    errors.install(app)
    app.include_router(webhooks.router, prefix="/api")
    app.state.settings = api.state.settings
    app.state.service = api.state.service
    return app


PRUNE_EVERY_SECONDS = 3600


async def _prune_events(events: EventStore, retention: timedelta) -> None:
    while True:
        await asyncio.to_thread(events.prune, retention)
        await asyncio.sleep(PRUNE_EVERY_SECONDS)
