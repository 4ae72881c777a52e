"""Which queued runs may start: pipeline limits, the global limit, order."""

from __future__ import annotations

from gofer.models import SlotRequest
from gofer.workflows.scheduler import grantable


def request(pipeline: str, run_id: int, pipeline_limit: int = 0, global_limit: int = 0) -> SlotRequest:
    return SlotRequest(
        workflow_id=f"run/{pipeline}/{run_id}",
        pipeline=pipeline,
        run_id=run_id,
        pipeline_limit=pipeline_limit,
        global_limit=global_limit,
    )


def ids(requests: list[SlotRequest]) -> list[str]:
    return [r.workflow_id for r in requests]


def test_pipeline_limit_grants_oldest_first() -> None:
    queue = [request("ns/a", n, pipeline_limit=2) for n in (1, 2, 3)]
    assert ids(grantable(queue, [])) == ["run/ns/a/1", "run/ns/a/2"]


def test_running_runs_count_against_the_limit() -> None:
    running = [request("ns/a", 1, pipeline_limit=1)]
    assert grantable([request("ns/a", 2, pipeline_limit=1)], running) == []


def test_a_full_pipeline_does_not_hold_back_another() -> None:
    running = [request("ns/a", 1, pipeline_limit=1)]
    queue = [request("ns/a", 2, pipeline_limit=1), request("ns/b", 1, pipeline_limit=1)]
    assert ids(grantable(queue, running)) == ["run/ns/b/1"]


def test_global_limit_is_first_come_first_served() -> None:
    running = [request("ns/a", 1, global_limit=2)]
    queue = [request("ns/b", 1, global_limit=2), request("ns/c", 1, global_limit=2)]
    assert ids(grantable(queue, running)) == ["run/ns/b/1"]


def test_no_limits_grants_everything() -> None:
    queue = [request("ns/a", n) for n in range(1, 6)]
    assert len(grantable(queue, [])) == 5
