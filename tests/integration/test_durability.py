"""Crashes of the worker and of Temporal mid-run: the run completes, containers run once,
every log line is stored once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import docker
import pytest

from gofer_sdk.config import Pipeline
from gofer_sdk.models import RunStatus, TaskRunStatus
from tests.integration.helpers import by_task, created_containers, logs, task
from tests.integration.stack import GoferStack, TemporalServer, wait_until

LINES = 40
# One numbered line every 0.2s: a worker killed mid-task has seen some lines and not others.
COUNTING = f'for i in $(seq 1 {LINES}); do echo "line $i"; sleep 0.2; done'
EXPECTED_LOG = "".join(f"line {i}\n" for i in range(1, LINES + 1)).encode()


@pytest.fixture
def own_stack(
    tmp_path: Path, temporal: TemporalServer, docker_engine: docker.DockerClient
) -> Iterator[GoferStack]:
    stack = GoferStack(tmp_path / "gofer", temporal, heartbeat_timeout=2).start()
    yield stack
    stack.stop()


def test_worker_killed_mid_task_reattaches_to_the_same_container(
    own_stack: GoferStack, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    since = datetime.now(UTC)
    with own_stack.client() as gofer:
        gofer.deploy(
            Pipeline(
                id=pipeline_id,
                tasks=[task("count", COUNTING), task("next", "echo after", depends_on={"count": "success"})],
            )
        )
        run = gofer.start_run(pipeline_id)
        wait_until(lambda: b"line 8\n" in logs(gofer, run, "count"), timeout=60, what="the task to print")

        own_stack.kill_workers()  # SIGKILL: no cleanup, no goodbye
        own_stack.start_worker()
        ended = own_stack.wait_for_run(pipeline_id, run.id, timeout=120)

        assert ended.status == RunStatus.SUCCESSFUL
        assert by_task(ended)["count"].status == TaskRunStatus.SUCCESSFUL
        assert by_task(ended)["count"].attempt == 1
        assert logs(gofer, run, "count") == EXPECTED_LOG  # each line once, in order
    names = created_containers(docker_engine, pipeline_id, since)
    assert names.count(f"gofer-default-{pipeline_id}-{run.id}-count-1") == 1
    assert len(names) == 2  # `count` once and `next` once


def test_worker_killed_after_container_exit_does_not_rerun_it(
    own_stack: GoferStack, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    since = datetime.now(UTC)
    with own_stack.client() as gofer:
        gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("quick", "echo done; sleep 1")]))
        own_stack.kill_workers()
        run = gofer.start_run(pipeline_id)  # queued in Temporal: no worker yet
        own_stack.start_worker()
        wait_until(lambda: b"done" in logs(gofer, run, "quick"), timeout=60, what="the task to print")
        own_stack.kill_workers()
        own_stack.start_worker()
        ended = own_stack.wait_for_run(pipeline_id, run.id, timeout=120)

        assert ended.status == RunStatus.SUCCESSFUL
        assert logs(gofer, run, "quick") == b"done\n"
    assert len(created_containers(docker_engine, pipeline_id, since)) == 1


def test_temporal_killed_and_restarted_mid_run_completes(
    tmp_path: Path, docker_engine: docker.DockerClient, pipeline_id: str
) -> None:
    temporal = TemporalServer(tmp_path / "temporal")
    temporal.start()
    stack = GoferStack(tmp_path / "gofer", temporal, heartbeat_timeout=3).start()
    try:
        with stack.client() as gofer:
            gofer.deploy(
                Pipeline(
                    id=pipeline_id,
                    tasks=[
                        task("count", COUNTING),
                        task("next", "echo after", depends_on={"count": "success"}),
                    ],
                )
            )
            run = gofer.start_run(pipeline_id)
            wait_until(lambda: b"line 5\n" in logs(gofer, run, "count"), timeout=60, what="the task to print")

            temporal.kill()
            temporal.start()  # same port, same SQLite file
            ended = stack.wait_for_run(pipeline_id, run.id, timeout=180)

            assert ended.status == RunStatus.SUCCESSFUL
            assert logs(gofer, run, "count") == EXPECTED_LOG
            assert logs(gofer, run, "next") == b"after\n"
    finally:
        stack.stop()
        temporal.stop()
