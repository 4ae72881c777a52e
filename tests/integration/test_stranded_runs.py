"""A crash between recording a run and starting its workflow strands it; Gofer starts it later,
once. And a pipeline deleted and deployed again under the same id runs again from run 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import docker
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from gofer.store.db import open_engine
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer.store.tables import RunRow
from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.models import RunPublic, RunStatus
from tests.integration.helpers import created_containers, logs, task
from tests.integration.stack import GoferStack


@contextmanager
def store_of(stack: GoferStack) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{stack.root / 'gofer.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


def record_without_launching(stack: GoferStack, pipeline_id: str, event_id: str | None) -> RunPublic:
    """What the API leaves behind when it dies right after writing the run: a row, no workflow."""
    with store_of(stack) as engine:
        config = PipelineStore(engine).config("default", pipeline_id, 1)
        return RunStore(engine).create("default", config, 1, {"WHO": "stranded"}, "api", event_id)


def backdate(stack: GoferStack, run: RunPublic, age: timedelta) -> None:
    with store_of(stack) as engine, Session(engine) as session, session.begin():
        session.execute(
            update(RunRow)
            .where(RunRow.pipeline_id == run.pipeline, RunRow.run_id == run.id)
            .values(started=datetime.now(UTC) - age)
        )


def test_retried_event_starts_the_run_a_crash_left_unstarted(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    since = datetime.now(UTC)
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", 'echo "hello $WHO"')]))
    stranded = record_without_launching(stack, pipeline_id, "api/delivery-7")

    retried = gofer.start_run(pipeline_id, event_id="delivery-7")
    again = gofer.start_run(pipeline_id, event_id="delivery-7")
    ended = stack.wait_for_run(pipeline_id, stranded.id)

    assert retried.id == again.id == stranded.id
    assert ended.status == RunStatus.SUCCESSFUL
    assert logs(gofer, ended, "a") == b"hello stranded\n"
    assert [r.id for r in gofer.list_runs(pipeline_id).items] == [stranded.id]
    assert created_containers(docker_engine, pipeline_id, since) == [
        f"gofer-default-{pipeline_id}-{stranded.id}-a-1"
    ]


def test_api_start_up_starts_runs_a_crash_stranded(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", 'echo "hello $WHO"')]))
    stranded = record_without_launching(stack, pipeline_id, None)
    backdate(stack, stranded, timedelta(minutes=5))

    stack.stop_api()
    stack.start_api()
    ended = stack.wait_for_run(pipeline_id, stranded.id)

    assert ended.status == RunStatus.SUCCESSFUL
    assert logs(gofer, ended, "a") == b"hello stranded\n"


def test_pipeline_deployed_again_after_deletion_runs_from_run_one(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    config = Pipeline(id=pipeline_id, tasks=[task("a", "echo once")])
    gofer.deploy(config)
    first = stack.wait_for_run(pipeline_id, gofer.start_run(pipeline_id).id)
    gofer.delete_pipeline(pipeline_id)

    gofer.deploy(config)
    second = stack.wait_for_run(pipeline_id, gofer.start_run(pipeline_id).id)

    assert first.id == second.id == 1
    assert second.status == RunStatus.SUCCESSFUL and logs(gofer, second, "a") == b"once\n"
