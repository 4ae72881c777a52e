"""Interval and cron subscriptions: Temporal Schedules that start runs, once per firing."""

from __future__ import annotations

import time
from collections.abc import Iterator

import docker
import pytest

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.errors import ApiError
from gofer_sdk.models import RunPublic, RunState, RunStatus, TaskRunStatus
from tests.integration.helpers import task
from tests.integration.stack import GoferStack, TemporalServer, wait_until


def runs_of(gofer: GoferClient, pipeline_id: str) -> list[RunPublic]:
    return gofer.list_runs(pipeline_id, limit=100).items


def finished_runs(gofer: GoferClient, pipeline_id: str) -> list[RunPublic]:
    return [r for r in runs_of(gofer, pipeline_id) if r.state == RunState.COMPLETE]


def at_least(count: int, items: list[RunPublic]) -> list[RunPublic] | None:
    return items if len(items) >= count else None


def test_interval_subscription_starts_runs_with_their_initiator(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", 'echo "every $GREETING"')]))
    gofer.subscribe(pipeline_id, "interval", settings={"every": "2s"}, variables={"GREETING": "2s"})

    runs = wait_until(
        lambda: at_least(2, finished_runs(gofer, pipeline_id)), timeout=30, what="two finished scheduled runs"
    )
    gofer.unsubscribe(pipeline_id, "interval")

    assert all(r.initiator == "trigger interval (interval)" for r in runs)
    assert len({r.event_id for r in runs}) == len(runs)  # one firing, one run
    assert all(r.variables == {"GREETING": "2s"} for r in runs)
    assert RunStatus.SUCCESSFUL in {r.status for r in runs}


def test_unsubscribe_stops_the_firings(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, "interval", label="fast", settings={"every": "1s"})
    wait_until(lambda: runs_of(gofer, pipeline_id), timeout=20, what="a first scheduled run")

    gofer.unsubscribe(pipeline_id, "fast")
    time.sleep(1.5)  # a firing already under way may still land
    settled = len(runs_of(gofer, pipeline_id))
    time.sleep(3)

    assert len(runs_of(gofer, pipeline_id)) == settled
    assert gofer.list_subscriptions(pipeline_id) == []


def test_invalid_schedule_settings_list_every_problem_and_store_nothing(
    gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    with pytest.raises(ApiError) as refused:
        gofer.subscribe(pipeline_id, "interval", settings={"evry": "5m", "overlap": "sometimes"})

    assert refused.value.status == 422
    locations = {d["location"] for d in refused.value.details}
    assert locations == {"settings.evry", "settings.every", "settings.overlap"}
    assert gofer.list_subscriptions(pipeline_id) == []


def test_bad_cron_expression_is_refused_with_temporals_reason(gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    with pytest.raises(ApiError) as refused:
        gofer.subscribe(pipeline_id, "cron", settings={"expression": "61 * * * *"})

    assert refused.value.status == 422
    assert gofer.list_subscriptions(pipeline_id) == []


def test_cron_subscription_is_kept(gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    created = gofer.subscribe(pipeline_id, "cron", label="nightly", settings={"expression": "0 3 * * *"})

    assert gofer.get_subscription(pipeline_id, "nightly") == created
    gofer.unsubscribe(pipeline_id, "nightly")


def test_paused_subscription_starts_nothing_until_resumed(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, "interval", settings={"every": "1s"})
    wait_until(lambda: runs_of(gofer, pipeline_id), timeout=20, what="a first scheduled run")

    assert gofer.set_subscription_paused(pipeline_id, "interval", True).paused
    time.sleep(1.5)
    paused_count = len(runs_of(gofer, pipeline_id))
    time.sleep(3)
    still = len(runs_of(gofer, pipeline_id))
    gofer.set_subscription_paused(pipeline_id, "interval", False)
    wait_until(lambda: len(runs_of(gofer, pipeline_id)) > still, timeout=20, what="a run after resuming")
    gofer.unsubscribe(pipeline_id, "interval")

    assert still == paused_count


def test_overlap_skip_never_runs_two_at_once(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("slow", "sleep 4")]))
    gofer.subscribe(pipeline_id, "interval", settings={"every": "1s", "overlap": "skip"})
    peak = 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        peak = max(peak, sum(r.state != RunState.COMPLETE for r in runs_of(gofer, pipeline_id)))
        time.sleep(0.2)
    gofer.unsubscribe(pipeline_id, "interval")

    assert peak == 1
    assert 2 <= len(runs_of(gofer, pipeline_id)) <= 4  # ~10 s of 4 s runs, not 10 runs


def test_overlap_cancel_other_cancels_the_running_run(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("slow", "sleep 30")]))
    gofer.subscribe(pipeline_id, "interval", settings={"every": "3s", "overlap": "cancel_other"})

    cancelled = wait_until(
        lambda: [r for r in runs_of(gofer, pipeline_id) if r.status == RunStatus.CANCELLED],
        timeout=40,
        what="a run cancelled by the next firing",
    )
    gofer.unsubscribe(pipeline_id, "interval")

    task_run = gofer.get_run(pipeline_id, cancelled[0].id).tasks[0]
    assert task_run.status == TaskRunStatus.CANCELLED


@pytest.fixture
def own_stack(
    tmp_path_factory: pytest.TempPathFactory, temporal: TemporalServer, docker_engine: docker.DockerClient
) -> Iterator[GoferStack]:
    stack = GoferStack(tmp_path_factory.mktemp("restart"), temporal).start()
    yield stack
    stack.stop()


def test_interval_schedule_survives_a_gofer_restart_without_doubling(
    own_stack: GoferStack, pipeline_id: str
) -> None:
    with own_stack.client() as gofer:
        gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
        gofer.subscribe(pipeline_id, "interval", settings={"every": "2s"})
        wait_until(lambda: runs_of(gofer, pipeline_id), timeout=20, what="a first scheduled run")
    started = time.monotonic()

    own_stack.restart()

    with own_stack.client() as gofer:
        before = len(runs_of(gofer, pipeline_id))
        wait_until(
            lambda: len(runs_of(gofer, pipeline_id)) >= before + 2,
            timeout=30,
            what="firings after the restart",
        )
        runs = runs_of(gofer, pipeline_id)
        gofer.unsubscribe(pipeline_id, "interval")
    elapsed = time.monotonic() - started

    assert len({r.event_id for r in runs}) == len(runs)
    assert len(runs) <= elapsed / 2 + 3  # no burst of doubled or replayed firings
