"""The service layer: the one place that starts, cancels and reads runs.

The REST API (and later the trigger gateway) call this; nobody else starts workflows. Reads and
writes that touch only the store go straight to the stores it exposes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import Engine
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError

from gofer.errors import Conflict, NotFound, Unavailable
from gofer.launcher import RunLauncher
from gofer.logstore import LogStore
from gofer.models import RunKey
from gofer.settings import Settings
from gofer.store.crypto import SecretCipher
from gofer.store.events import EventStore
from gofer.store.namespaces import NamespaceStore
from gofer.store.objects import ObjectStore, object_store
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import DuplicateEvent, RunStore
from gofer.store.secrets import SecretStore
from gofer.store.subscriptions import SubscriptionStore
from gofer.store.system import SystemStore
from gofer.store.tokens import TokenStore
from gofer.store.triggers import TriggerStore
from gofer.triggers.connection import TriggerCalls
from gofer.triggers.manage import TriggerManager
from gofer_sdk.models import RunPublic, RunState, TaskRunPublic, TaskRunState


@dataclass(frozen=True)
class Stores:
    namespaces: NamespaceStore
    pipelines: PipelineStore
    runs: RunStore
    events: EventStore
    system: SystemStore
    logs: LogStore
    secrets: SecretStore
    tokens: TokenStore
    objects: ObjectStore
    subscriptions: SubscriptionStore
    triggers: TriggerStore

    @classmethod
    def open(cls, engine: Engine, settings: Settings, cipher: SecretCipher) -> Stores:
        return cls(
            namespaces=NamespaceStore(engine),
            pipelines=PipelineStore(engine),
            runs=RunStore(engine),
            events=EventStore(engine),
            system=SystemStore(engine),
            logs=LogStore(settings.log_dir),
            secrets=SecretStore(engine, cipher),
            tokens=TokenStore(engine),
            objects=object_store(engine, settings),
            subscriptions=SubscriptionStore(engine),
            triggers=TriggerStore(engine, cipher),
        )


class GoferService:
    def __init__(self, settings: Settings, temporal: Client, stores: Stores) -> None:
        self._settings = settings
        self._temporal = temporal
        self.namespaces = stores.namespaces
        self.pipelines = stores.pipelines
        self.runs = stores.runs
        self.events = stores.events
        self.system = stores.system
        self.logs = stores.logs
        self.secrets = stores.secrets
        self.tokens = stores.tokens
        self.objects = stores.objects
        self.subscriptions = stores.subscriptions
        self.triggers = stores.triggers
        calls = TriggerCalls(stores.triggers, stores.secrets.cipher)
        self.launcher = RunLauncher(settings, temporal, stores.runs, stores.pipelines)
        self.trigger_admin = TriggerManager(settings, temporal, stores.triggers, stores.subscriptions, calls)

    def record_denial(self, method: str, path: str, token: str | None) -> None:
        """Remember a request refused for its scope (an event admins can watch)."""
        self.events.record("access_denied", method=method, path=path, token=token)

    async def delete_pipeline(self, namespace: str, pipeline_id: str) -> None:
        """Delete the pipeline with its subscriptions, versions, runs and their logs."""
        self.pipelines.get(namespace, pipeline_id)
        if unfinished := self.runs.unfinished(namespace, pipeline_id):
            raise Conflict(
                f"pipeline '{pipeline_id}' has {len(unfinished)} unfinished run(s); cancel them first"
            )
        await self.trigger_admin.remove_pipeline(namespace, pipeline_id)
        self.pipelines.delete(namespace, pipeline_id)
        self.logs.delete_pipeline(namespace, pipeline_id)

    async def start_run(
        self,
        namespace: str,
        pipeline_id: str,
        variables: dict[str, str],
        *,
        initiator: str,
        version: int | None = None,
        event_id: str | None = None,
    ) -> RunPublic:
        """Record run N+1 (of the live config, or of ``version``) and start its workflow.

        Raises `DuplicateEvent` (naming the first run) when ``event_id`` started a run before.
        """
        intake = self.system.run_intake()
        if intake.paused:
            raise Conflict(f"new runs are paused by an administrator: {intake.reason or 'no reason given'}")
        pipeline = self.pipelines.get(namespace, pipeline_id)
        version = version or pipeline.live_version
        config = self.pipelines.config(namespace, pipeline_id, version)
        try:
            run = self.runs.create(namespace, config, version, variables, initiator, event_id)
        except DuplicateEvent as seen:
            await self.launcher.resume(seen.run)  # the first try may have crashed before launching
            raise
        key = RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run.id)
        try:
            await self.launcher.launch(key, config, variables)
        except RPCError as exc:
            self.runs.discard(key, f"the run could not be handed to Temporal: {exc.message}")
            raise Unavailable(f"Temporal refused run {run.id} of '{pipeline_id}': {exc.message}") from exc
        return self.get_run(key)

    async def retry_run(self, key: RunKey) -> RunPublic:
        """A new run with the same variables and the same config version as ``key``."""
        old = self.runs.get(key)
        return await self.start_run(
            key.namespace,
            key.pipeline,
            old.variables,
            version=old.config_version,
            initiator=f"retry of run {key.run_id}",
        )

    async def cancel_run(self, key: RunKey) -> RunPublic:
        """Ask the run's workflow to cancel; its containers get SIGTERM, then SIGKILL."""
        run = self.get_run(key)
        if run.state == RunState.COMPLETE:
            raise Conflict(f"run {key.run_id} of '{key.pipeline}' already ended ({run.status.value})")
        handle = self._temporal.get_workflow_handle(key.workflow_id)
        try:
            description = await handle.describe()
            if description.status == WorkflowExecutionStatus.RUNNING:
                await handle.cancel()
        except RPCError as exc:
            raise Unavailable(f"cannot reach Temporal to cancel run {key.run_id}: {exc.message}") from exc
        return self.get_run(key)

    async def cancel_all(self, namespace: str, pipeline_id: str) -> list[int]:
        """Cancel every unfinished run of the pipeline; return their ids."""
        self.pipelines.get(namespace, pipeline_id)
        cancelled = []
        for key in self.runs.unfinished(namespace, pipeline_id):
            try:
                await self.cancel_run(key)
            except Conflict:
                continue  # it ended meanwhile
            cancelled.append(key.run_id)
        return cancelled

    async def cancel_task(self, key: RunKey, task_id: str) -> TaskRunPublic:
        """Cancel one task; the run goes on, and the task's children follow their conditions."""
        task = self.runs.task(key, task_id)
        if task.state == TaskRunState.COMPLETE:
            raise Conflict(f"task '{task_id}' of run {key.run_id} already ended ({task.status.value})")
        handle = self._temporal.get_workflow_handle(key.workflow_id)
        try:
            await handle.signal("cancel_task", task_id)
        except RPCError as exc:
            raise Conflict(f"run {key.run_id} of '{key.pipeline}' is not running: {exc.message}") from exc
        return self.runs.task(key, task_id)

    def get_run(self, key: RunKey) -> RunPublic:
        try:
            run = self.runs.get(key)
        except NotFound:
            self.pipelines.get(key.namespace, key.pipeline)  # name the pipeline when it is the one missing
            raise
        run.web_url = self._web_url(key)
        return run

    def _web_url(self, key: RunKey) -> str | None:
        base = self._settings.web_ui_url
        if not base:
            return None
        namespace = self._settings.temporal_namespace
        return f"{base.rstrip('/')}/namespaces/{namespace}/workflows/{quote(key.workflow_id, safe='')}"
