"""The worker: runs PipelineRunWorkflow and the activities that do a run's I/O."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

from gofer.activities.store import StoreActivities
from gofer.activities.task_api import TaskApiAccess
from gofer.activities.tasks import TaskActivities
from gofer.logstore import LogStore
from gofer.orchestrators.base import Orchestrator
from gofer.settings import Settings
from gofer.store.crypto import SecretCipher
from gofer.store.db import open_engine
from gofer.store.objects import object_store
from gofer.store.runs import RunStore
from gofer.store.secrets import SecretStore
from gofer.store.tokens import TokenStore
from gofer.workflows.run import PipelineRunWorkflow
from gofer.workflows.scheduler import RunSchedulerWorkflow

# Sync store activities run here; task activities are async and use asyncio's own threads.
STORE_THREADS = 16


async def run_worker(
    settings: Settings, client: Client, orchestrator: Orchestrator, cipher: SecretCipher, stop: asyncio.Event
) -> None:
    """Poll the task queue until ``stop`` is set.

    Running task containers are left running on shutdown: the next worker re-attaches to them.
    """
    settings.ensure_dirs()
    engine = open_engine(settings.store_url)
    runs = RunStore(engine)
    objects = object_store(engine, settings)
    tokens = TokenStore(engine)
    api_url = settings.task_api_url or orchestrator.default_api_url(settings.api_port)
    api_access = TaskApiAccess(tokens, cipher, api_url)
    tasks = TaskActivities(
        orchestrator, runs, LogStore(settings.log_dir), SecretStore(engine, cipher), objects, api_access
    )
    store = StoreActivities(runs, objects, tokens)
    with ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="gofer-store") as executor:
        worker = Worker(
            client,
            task_queue=settings.task_queue,
            workflows=[PipelineRunWorkflow, RunSchedulerWorkflow],
            activities=[
                tasks.run_task,
                store.mark_run_running,
                store.mark_run_waiting,
                store.update_task_run,
                store.finish_run,
            ],
            activity_executor=executor,
            graceful_shutdown_timeout=timedelta(seconds=1),
        )
        async with worker:
            await stop.wait()
    engine.dispose()
