"""The service layer: the one place that starts, cancels and reads runs.

The REST API (and later the trigger gateway) call this; nobody else starts workflows.
"""

from __future__ import annotations

from urllib.parse import quote

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDReusePolicy
from temporalio.service import RPCError

from gofer.errors import Conflict, Unavailable
from gofer.models import RunInput, RunKey
from gofer.settings import Settings
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer_sdk.config import Pipeline
from gofer_sdk.models import DeployResult, RunPublic, RunState

WORKFLOW = "PipelineRunWorkflow"


class GoferService:
    def __init__(
        self, settings: Settings, temporal: Client, pipelines: PipelineStore, runs: RunStore
    ) -> None:
        self._settings = settings
        self._temporal = temporal
        self.pipelines = pipelines
        self.runs = runs

    def deploy(self, namespace: str, config: Pipeline) -> DeployResult:
        return self.pipelines.deploy(namespace, config)

    async def start_run(
        self, namespace: str, pipeline_id: str, variables: dict[str, str], *, initiator: str
    ) -> RunPublic:
        """Record run N+1 of the live config and start its workflow."""
        pipeline = self.pipelines.get(namespace, pipeline_id)
        run = self.runs.create(namespace, pipeline.config, pipeline.live_version, variables, initiator)
        key = RunKey(namespace=namespace, pipeline=pipeline_id, run_id=run.id)
        payload = RunInput(
            run=key,
            config=pipeline.config,
            variables=variables,
            heartbeat_timeout=self._settings.heartbeat_timeout,
            stop_grace_period=self._settings.stop_grace_period,
        )
        try:
            await self._temporal.start_workflow(
                WORKFLOW,
                payload,
                id=key.workflow_id,
                task_queue=self._settings.task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except RPCError as exc:
            self.runs.discard(key, f"the run could not be handed to Temporal: {exc.message}")
            raise Unavailable(f"Temporal refused run {run.id} of '{pipeline_id}': {exc.message}") from exc
        return self.get_run(key)

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

    def get_run(self, key: RunKey) -> RunPublic:
        run = self.runs.get(key)
        run.web_url = self._web_url(key)
        return run

    def list_runs(self, namespace: str, pipeline_id: str) -> list[RunPublic]:
        self.pipelines.get(namespace, pipeline_id)  # 404 for an unknown pipeline, not []
        return self.runs.list(namespace, pipeline_id)

    def _web_url(self, key: RunKey) -> str | None:
        base = self._settings.web_ui_url
        if not base:
            return None
        namespace = self._settings.temporal_namespace
        return f"{base.rstrip('/')}/namespaces/{namespace}/workflows/{quote(key.workflow_id, safe='')}"
