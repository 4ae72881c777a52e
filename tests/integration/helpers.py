"""Small helpers shared by the integration tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import docker

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline, Task
from gofer_sdk.models import RunPublic, TaskRunPublic
from tests.integration.stack import TEST_IMAGE, GoferStack


def task(task_id: str, script: str, **fields: Any) -> Task:
    return Task(id=task_id, image=TEST_IMAGE, script=script, **fields)


def run_pipeline(
    stack: GoferStack,
    gofer: GoferClient,
    pipeline: Pipeline,
    variables: dict[str, str] | None = None,
    timeout: float = 120,
) -> RunPublic:
    gofer.deploy(pipeline)
    run = gofer.start_run(pipeline.id, variables=variables)
    return stack.wait_for_run(pipeline.id, run.id, timeout=timeout)


def by_task(run: RunPublic) -> dict[str, TaskRunPublic]:
    return {task_run.task_id: task_run for task_run in run.tasks}


def logs(gofer: GoferClient, run: RunPublic, task_id: str) -> bytes:
    return b"".join(gofer.task_logs(run.pipeline, run.id, task_id))


def created_containers(engine: docker.DockerClient, pipeline_id: str, since: datetime) -> list[str]:
    """Names of every container Docker created for the pipeline since ``since`` (from its events)."""
    events = engine.events(
        since=since,
        until=datetime.now(UTC) + timedelta(seconds=2),
        decode=True,
        filters={"type": "container", "event": "create", "label": f"dev.gofer.pipeline={pipeline_id}"},
    )
    return [event["Actor"]["Attributes"]["name"] for event in events]


def uninstall(gofer: GoferClient, trigger: str) -> None:
    """Remove a test's trigger: its subscriptions first (uninstall refuses while there are any)."""
    for pipeline in gofer.list_pipelines(limit=200).items:
        for subscription in gofer.list_subscriptions(pipeline.id):
            if subscription.trigger == trigger:
                gofer.unsubscribe(pipeline.id, subscription.label)
    gofer.uninstall_trigger(trigger)
