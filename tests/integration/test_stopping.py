"""Cancellation, timeouts and retries, on real Temporal and Docker."""

from __future__ import annotations

from datetime import UTC, datetime

import docker

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.models import ReasonKind, RunStatus, TaskRunState, TaskRunStatus
from tests.integration.helpers import by_task, created_containers, logs, run_pipeline, task
from tests.integration.stack import GoferStack, wait_until

TERM_AWARE = "trap 'echo got SIGTERM; exit 143' TERM\necho started\nsleep 300 &\nwait\n"


def test_cancel_stops_running_containers_and_cancels_waiting_tasks(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    pipeline = Pipeline(
        id=pipeline_id,
        tasks=[
            task("long", TERM_AWARE),
            task("after", "echo never", depends_on={"long": "any"}),
        ],
    )
    gofer.deploy(pipeline)
    run = gofer.start_run(pipeline_id)
    wait_until(lambda: b"started" in logs(gofer, run, "long"), timeout=60, what="the task to start")

    gofer.cancel_run(pipeline_id, run.id)
    ended = stack.wait_for_run(pipeline_id, run.id, timeout=60)

    tasks = by_task(ended)
    assert ended.status == RunStatus.CANCELLED
    assert ended.status_reason is not None and ended.status_reason.kind == ReasonKind.CANCELLED
    assert tasks["long"].status == TaskRunStatus.CANCELLED
    assert tasks["after"].status == TaskRunStatus.CANCELLED
    assert tasks["after"].state == TaskRunState.COMPLETE
    assert logs(gofer, run, "long") == b"started\ngot SIGTERM\n"  # SIGTERM first, the trap ran
    assert (
        docker_engine.containers.list(all=True, filters={"label": f"dev.gofer.pipeline={pipeline_id}"}) == []
    )


def test_container_ignoring_sigterm_is_killed_after_grace_period(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    stubborn = "trap 'echo ignoring TERM' TERM\necho started\nwhile true; do sleep 1; done\n"
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("stubborn", stubborn)]))
    run = gofer.start_run(pipeline_id)
    wait_until(lambda: b"started" in logs(gofer, run, "stubborn"), timeout=60, what="the task to start")

    gofer.cancel_run(pipeline_id, run.id)
    ended = stack.wait_for_run(pipeline_id, run.id, timeout=60)

    assert by_task(ended)["stubborn"].status == TaskRunStatus.CANCELLED
    assert b"ignoring TERM" in logs(gofer, run, "stubborn")


def test_task_timeout_kills_container_and_fails_with_timeout(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(id=pipeline_id, tasks=[task("slow", "echo begin; sleep 120", timeout=2)])

    run = run_pipeline(stack, gofer, pipeline, timeout=60)

    slow = by_task(run)["slow"]
    assert slow.status == TaskRunStatus.FAILED
    assert slow.status_reason is not None and slow.status_reason.kind == ReasonKind.TIMEOUT
    assert run.status == RunStatus.FAILED
    assert slow.ended is not None and slow.started is not None
    assert (slow.ended - slow.started).total_seconds() < 60


def test_retries_start_a_new_container_per_attempt(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    since = datetime.now(UTC)
    pipeline = Pipeline(
        id=pipeline_id, tasks=[task("flaky", "echo try $GOFER_TASK_ATTEMPT; exit 7", retries=2)]
    )

    run = run_pipeline(stack, gofer, pipeline)

    flaky = by_task(run)["flaky"]
    assert flaky.attempt == 3
    assert flaky.exit_code == 7
    assert flaky.status == TaskRunStatus.FAILED
    assert logs(gofer, run, "flaky") == b"try 1\ntry 2\ntry 3\n"
    names = created_containers(docker_engine, pipeline_id, since)
    assert sorted(names) == [f"gofer-default-{pipeline_id}-{run.id}-flaky-{n}" for n in (1, 2, 3)]


def test_retry_that_succeeds_makes_the_task_successful(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    script = 'echo "attempt $GOFER_TASK_ATTEMPT"; [ "$GOFER_TASK_ATTEMPT" -ge 2 ]'
    pipeline = Pipeline(id=pipeline_id, tasks=[task("steady", script, retries=3)])

    run = run_pipeline(stack, gofer, pipeline)

    steady = by_task(run)["steady"]
    assert steady.attempt == 2
    assert steady.status == TaskRunStatus.SUCCESSFUL
    assert run.status == RunStatus.SUCCESSFUL
    assert logs(gofer, run, "steady") == b"attempt 1\nattempt 2\n"


def test_container_removed_behind_gofers_back_is_orphaned_not_rerun(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    since = datetime.now(UTC)
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("victim", "echo started; sleep 120")]))
    run = gofer.start_run(pipeline_id)
    wait_until(lambda: b"started" in logs(gofer, run, "victim"), timeout=60, what="the task to start")

    docker_engine.containers.get(f"gofer-default-{pipeline_id}-{run.id}-victim-1").remove(force=True)
    ended = stack.wait_for_run(pipeline_id, run.id, timeout=60)

    victim = by_task(ended)["victim"]
    assert victim.status == TaskRunStatus.FAILED
    assert victim.status_reason is not None and victim.status_reason.kind == ReasonKind.ORPHANED
    assert ended.status == RunStatus.FAILED
    assert len(created_containers(docker_engine, pipeline_id, since)) == 1
    assert logs(gofer, run, "victim") == b"started\n"
