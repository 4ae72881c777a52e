"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from temporalio.client import Client

from gofer import __version__
from gofer.api import errors
from gofer.api.routers import pipelines, runs, system, tasks
from gofer.logstore import LogStore
from gofer.service import GoferService
from gofer.settings import Settings
from gofer.store.db import open_engine
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer.temporal import connect


def create_app(settings: Settings, temporal: Client | None = None) -> FastAPI:
    """The API; it connects to Temporal at start-up unless given a client to share."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        engine = open_engine(settings.store_url)
        client = temporal or await connect(settings)
        app.state.service = GoferService(settings, client, PipelineStore(engine), RunStore(engine))
        app.state.logs = LogStore(settings.log_dir)
        yield
        engine.dispose()

    app = FastAPI(title="Gofer", version=__version__, lifespan=lifespan)
    errors.install(app)
    for router in (system.router, pipelines.router, runs.router, tasks.router):
        app.include_router(router, prefix="/api")
    return app
