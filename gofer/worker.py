"""The worker: runs PipelineRunWorkflow and the activities that do a run's I/O."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

from temporalio.client import Client
from temporalio.worker import Worker

from gofer.activities.store import StoreActivities
from gofer.activities.task_api import TaskApiAccess
from gofer.activities.tasks import TaskActivities
from gofer.orchestrators.base import Orchestrator
from gofer.service import GoferService, Stores
from gofer.settings import Settings
from gofer.store.crypto import SecretCipher
from gofer.store.db import open_engine
from gofer.triggers.activities import ScheduleActivities
from gofer.triggers.firing import ScheduledRunWorkflow
from gofer.triggers.supervision import TriggerActivities
from gofer.triggers.supervisor import TriggerSupervisorWorkflow
from gofer.workflows.run import PipelineRunWorkflow
from gofer.workflows.scheduler import RunSchedulerWorkflow

# Sync store activities run here; task activities are async and use asyncio's own threads.
STORE_THREADS = 16
# asyncio.to_thread's pool: every running task makes blocking Docker calls (create, start take
# ~200 ms) through it, and the default of cores + 4 threads made a 10-wide fan-out start in
# batches.
BLOCKING_THREADS = 64


async def run_worker(
    settings: Settings, client: Client, orchestrator: Orchestrator, cipher: SecretCipher, stop: asyncio.Event
) -> None:
    """Poll the task queue until ``stop`` is set.

    Running task containers are left running on shutdown: the next worker re-attaches to them.
    """
    settings.ensure_dirs()
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=BLOCKING_THREADS, thread_name_prefix="gofer-blocking")
    )
    engine = open_engine(settings.store_url)
    stores = Stores.open(engine, settings, cipher)
    api_url = settings.task_api_url or orchestrator.default_api_url(settings.api_port)
    api_access = TaskApiAccess(stores.tokens, cipher, api_url)
    tasks = TaskActivities(orchestrator, stores.runs, stores.logs, stores.secrets, stores.objects, api_access)
    store = StoreActivities(stores.runs, stores.objects, stores.tokens)
    service = GoferService(settings, client, stores)
    schedules = ScheduleActivities(service)
    triggers = TriggerActivities(
        orchestrator,
        stores.triggers,
        stores.subscriptions,
        stores.events,
        service.trigger_admin.calls,
        settings.trigger_gateway_address or _gateway_for_containers(orchestrator, settings),
    )
    with ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="gofer-store") as executor:
        worker = Worker(
            client,
            task_queue=settings.task_queue,
            workflows=[
                PipelineRunWorkflow,
                RunSchedulerWorkflow,
                ScheduledRunWorkflow,
                TriggerSupervisorWorkflow,
            ],
            activities=[
                triggers.start_trigger,
                triggers.await_trigger_ready,
                triggers.restore_subscriptions,
                triggers.check_trigger,
                triggers.mark_trigger,
                triggers.stop_trigger,
                schedules.start_scheduled_run,
                schedules.follow_run,
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


def _gateway_for_containers(orchestrator: Orchestrator, settings: Settings) -> str:
    """host:port of the trigger gateway as containers see this machine."""
    return urlsplit(orchestrator.default_api_url(settings.trigger_gateway_port)).netloc
