"""Queueing under parallelism, retry, cancel-all, cancelling one task, events, task details."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import docker

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline, Task
from gofer_sdk.errors import ApiError
from gofer_sdk.models import EventPublic, ReasonKind, RunState, RunStatus, TaskRunStatus
from tests.integration.helpers import by_task, logs, run_pipeline, task
from tests.integration.stack import GoferStack, TemporalServer, wait_until


def events_of(gofer: GoferClient, pipeline_id: str, after: int) -> list[EventPublic]:
    return [e for e in gofer.list_events(after=after, limit=1000) if e.pipeline == pipeline_id]


def newest_event_id(gofer: GoferClient) -> int:
    newest = gofer.list_events(limit=1)
    return newest[-1].id if newest else 0


def test_runs_over_parallelism_queue_and_start_in_order(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, parallelism=1, tasks=[task("work", "sleep 1")]))
    after = newest_event_id(gofer)

    started = [gofer.start_run(pipeline_id) for _ in range(3)]  # returns at once: nothing blocks
    queued = wait_until(
        lambda: _queued(gofer.get_run(pipeline_id, started[2].id)),
        timeout=30,
        what="run 3 to show it is queued",
    )
    for run in started:
        assert stack.wait_for_run(pipeline_id, run.id).status == RunStatus.SUCCESSFUL

    assert [run.state for run in started] == [RunState.PENDING] * 3
    assert queued.status_reason is not None and "waiting for a free slot" in queued.status_reason.description
    sequence = [
        (e.kind, e.run_id)
        for e in events_of(gofer, pipeline_id, after)
        if e.kind in ("run_started", "run_completed")
    ]
    ids = [run.id for run in started]
    assert sequence == [(kind, run_id) for run_id in ids for kind in ("run_started", "run_completed")]


def _queued(run: Any) -> Any:
    reason = run.status_reason
    return run if run.state == RunState.PENDING and reason and reason.kind == ReasonKind.QUEUED else None


def test_retry_reuses_variables_and_config_version(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    first = run_pipeline(
        stack,
        gofer,
        Pipeline(id=pipeline_id, tasks=[task("say", "echo v1 $WORD")]),
        variables={"WORD": "kept"},
    )
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("say", "echo v2 $WORD")]))

    retried = gofer.retry_run(pipeline_id, first.id)
    ended = stack.wait_for_run(pipeline_id, retried.id)

    assert ended.config_version == 1 and ended.variables == {"WORD": "kept"}
    assert logs(gofer, ended, "say") == b"v1 kept\n"
    assert ended.initiator == f"retry of run {first.id}"


def test_cancel_all_cancels_every_unfinished_run(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("wait", "sleep 60")]))
    runs = [gofer.start_run(pipeline_id) for _ in range(2)]
    wait_until(
        lambda: all(gofer.get_run(pipeline_id, r.id).state == RunState.RUNNING for r in runs),
        timeout=60,
        what="both runs to be running",
    )

    cancelled = gofer.cancel_all_runs(pipeline_id)

    assert sorted(cancelled) == sorted(r.id for r in runs)
    assert {stack.wait_for_run(pipeline_id, r.id, timeout=60).status for r in runs} == {RunStatus.CANCELLED}


def test_cancelling_one_task_lets_the_run_go_on(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(
        Pipeline(
            id=pipeline_id,
            tasks=[
                task("slow", "echo started; sleep 60"),
                task("fast", "echo fast"),
                task("after-slow", "echo never", depends_on={"slow": "any"}),
            ],
        )
    )
    run = gofer.start_run(pipeline_id)
    wait_until(lambda: b"started" in logs(gofer, run, "slow"), timeout=60, what="slow to start")

    gofer.cancel_task(pipeline_id, run.id, "slow")
    ended = stack.wait_for_run(pipeline_id, run.id, timeout=60)

    tasks = by_task(ended)
    assert tasks["slow"].status == TaskRunStatus.CANCELLED
    assert tasks["fast"].status == TaskRunStatus.SUCCESSFUL
    assert tasks["after-slow"].status == TaskRunStatus.SKIPPED
    assert ended.status == RunStatus.CANCELLED
    assert ended.status_reason is not None and "slow" in ended.status_reason.description


def test_cancelling_a_finished_task_is_409(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[task("done", "true")]))
    try:
        gofer.cancel_task(pipeline_id, run.id, "done")
    except ApiError as exc:
        assert exc.status == 409 and "already ended" in exc.message
    else:
        raise AssertionError("cancelling a finished task was accepted")


def test_task_details_and_log_deletion(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[task("t", "echo hi")]))

    detail = gofer.get_task(pipeline_id, run.id, "t")
    gofer.delete_task_logs(pipeline_id, run.id, "t")

    assert detail.image_digest is not None and detail.image_digest.startswith("sha256:")
    assert detail.started is not None and detail.ended is not None and detail.exit_code == 0
    assert [t.task_id for t in gofer.list_tasks(pipeline_id, run.id)] == ["t"]
    assert logs(gofer, run, "t") == b""


def test_event_stream_sees_a_whole_run(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(
        Pipeline(id=pipeline_id, tasks=[task("a", "true"), task("b", "true", depends_on={"a": "success"})])
    )
    seen: list[EventPublic] = []
    after = newest_event_id(gofer)

    def follow() -> None:
        with stack.client() as listener:
            for event in listener.follow_events(after=after):
                if event.pipeline == pipeline_id:
                    seen.append(event)
                if event.kind == "run_completed" and event.pipeline == pipeline_id:
                    return

    listener = threading.Thread(target=follow, daemon=True)
    listener.start()
    run = gofer.start_run(pipeline_id)
    listener.join(timeout=60)

    assert [(e.kind, e.task_id) for e in seen] == [
        ("run_queued", None),
        ("run_started", None),
        ("task_started", "a"),
        ("task_completed", "a"),
        ("task_started", "b"),
        ("task_completed", "b"),
        ("run_completed", None),
    ]
    assert all(e.run_id == run.id for e in seen)
    assert seen[-1].details["status"] == "successful"


def test_a_fan_out_run_is_started_once_before_any_of_its_tasks(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    # The first batch's activities mark the run running; one of them never gets a container.
    roots = [task(f"root-{n}", "sleep 0.5") for n in range(4)]
    missing = Task(id="missing-image", image="gofer-test/no-such-image:latest", script="true")
    after = newest_event_id(gofer)
    run = run_pipeline(
        stack, gofer, Pipeline(id=pipeline_id, tasks=[*roots, missing, task("last", "true").after("root-0")])
    )

    kinds = [e.kind for e in events_of(gofer, pipeline_id, after) if e.run_id == run.id]
    assert kinds.count("run_started") == 1
    assert kinds.index("run_started") == kinds.index("run_queued") + 1  # before every task event
    assert by_task(run)["missing-image"].status == TaskRunStatus.FAILED
    assert by_task(run)["last"].status == TaskRunStatus.SUCCESSFUL


def test_global_parallelism_queues_runs_across_pipelines(
    tmp_path: Path, temporal: TemporalServer, docker_engine: docker.DockerClient, pipeline_id: str
) -> None:
    stack = GoferStack(tmp_path / "gofer", temporal, extra_env={"GOFER_GLOBAL_PARALLELISM": "1"}).start()
    try:
        with stack.client() as gofer:
            pipelines = [f"{pipeline_id}-a", f"{pipeline_id}-b"]
            for pipeline in pipelines:
                gofer.deploy(Pipeline(id=pipeline, tasks=[task("work", "sleep 1")]))
            after = newest_event_id(gofer)
            runs = [gofer.start_run(pipeline) for pipeline in pipelines]
            for run in runs:
                assert stack.wait_for_run(run.pipeline, run.id).status == RunStatus.SUCCESSFUL
            sequence = [
                (e.kind, e.pipeline)
                for e in gofer.list_events(after=after, limit=1000)
                if e.kind in ("run_started", "run_completed")
            ]
    finally:
        stack.stop()

    assert sequence == [
        ("run_started", pipelines[0]),
        ("run_completed", pipelines[0]),
        ("run_started", pipelines[1]),
        ("run_completed", pipelines[1]),
    ]


def test_deleting_a_pipeline_removes_its_runs_and_logs(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[task("t", "echo kept until deleted")]))
    log_dir = stack.root / "logs" / "default" / pipeline_id
    assert log_dir.is_dir()

    gofer.delete_pipeline(pipeline_id)

    assert not log_dir.exists()
    for lookup in (lambda: gofer.get_pipeline(pipeline_id), lambda: gofer.get_run(pipeline_id, run.id)):
        try:
            lookup()
        except ApiError as exc:
            assert exc.status == 404
        else:
            raise AssertionError("a deleted pipeline's data is still served")
