"""DAG decisions: which tasks start, which are skipped, how the run ends."""

from __future__ import annotations

from gofer.workflows.dag import condition_met, decide, run_result
from gofer_sdk import Pipeline, Task
from gofer_sdk.config import RequiredParentStatus as Required
from gofer_sdk.models import ReasonKind, RunStatus, StatusReason
from gofer_sdk.models import TaskRunStatus as S


def diamond() -> Pipeline:
    return Pipeline(
        id="diamond",
        tasks=[
            Task(id="a", image="i"),
            Task(id="b", image="i", depends_on={"a": "success"}),
            Task(id="c", image="i", depends_on={"a": "failure"}),
            Task(id="d", image="i", depends_on={"b": "any", "c": "any"}),
        ],
    )


def test_conditions_match_the_design() -> None:
    assert [condition_met(Required.ANY, s) for s in (S.SUCCESSFUL, S.FAILED, S.SKIPPED, S.CANCELLED)] == [
        True,
        True,
        True,
        False,
    ]
    assert [condition_met(Required.SUCCESS, s) for s in (S.SUCCESSFUL, S.FAILED, S.SKIPPED)] == [
        True,
        False,
        False,
    ]
    assert [condition_met(Required.FAILURE, s) for s in (S.SUCCESSFUL, S.FAILED, S.SKIPPED)] == [
        False,
        True,
        False,
    ]


def test_roots_start_first() -> None:
    assert decide(diamond(), {}, set()).start == ["a"]


def test_started_tasks_are_not_started_again() -> None:
    decision = decide(diamond(), {}, {"a"})
    assert decision.start == [] and decision.skip == {}


def test_children_start_or_skip_by_condition() -> None:
    decision = decide(diamond(), {"a": S.SUCCESSFUL}, set())
    assert decision.start == ["b"]
    assert decision.skip == {"c": "parent 'a' ended successful; 'c' needs failure"}


def test_join_waits_for_every_parent() -> None:
    assert decide(diamond(), {"a": S.SUCCESSFUL, "b": S.SUCCESSFUL}, set()).start == []
    assert decide(diamond(), {"a": S.SUCCESSFUL, "b": S.SUCCESSFUL, "c": S.SKIPPED}, set()).start == ["d"]


def test_failed_task_fails_run_with_its_reason() -> None:
    reason = StatusReason(kind=ReasonKind.TIMEOUT, description="too slow")
    status, run_reason = run_result(diamond(), {"a": S.FAILED, "b": S.SKIPPED}, {"a": reason})
    assert status == RunStatus.FAILED
    assert run_reason is not None and run_reason.kind == ReasonKind.TIMEOUT
    assert "a" in run_reason.description and "too slow" in run_reason.description


def test_skipped_tasks_do_not_fail_run() -> None:
    status, reason = run_result(diamond(), {"a": S.SUCCESSFUL, "b": S.SUCCESSFUL, "c": S.SKIPPED}, {})
    assert (status, reason) == (RunStatus.SUCCESSFUL, None)


def test_cancelled_task_without_failures_cancels_run() -> None:
    status, reason = run_result(
        diamond(), {"a": S.SUCCESSFUL, "b": S.CANCELLED, "c": S.SKIPPED, "d": S.SKIPPED}, {}
    )
    assert status == RunStatus.CANCELLED
    assert reason is not None and reason.kind == ReasonKind.CANCELLED and "b" in reason.description


def test_failure_outweighs_cancellation() -> None:
    status, _ = run_result(diamond(), {"a": S.FAILED, "b": S.CANCELLED}, {})
    assert status == RunStatus.FAILED
