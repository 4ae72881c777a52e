"""Runs end to end: DAG semantics, environment, scripts and logs, on real Temporal and Docker."""

from __future__ import annotations

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline, RequiredParentStatus
from gofer_sdk.models import ReasonKind, RunState, RunStatus, TaskRunStatus
from tests.integration.helpers import by_task, logs, run_pipeline, task
from tests.integration.stack import TEST_IMAGE, GoferStack

ANY, SUCCESS, FAILURE = RequiredParentStatus.ANY, RequiredParentStatus.SUCCESS, RequiredParentStatus.FAILURE


def test_diamond_applies_every_depends_on_condition(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(
        id=pipeline_id,
        tasks=[
            task("a", "echo from a"),
            task("b", "echo b fails; exit 3", depends_on={"a": SUCCESS}),
            task("c", "echo from c", depends_on={"a": SUCCESS}),
            task("d", "echo joined", depends_on={"b": ANY, "c": SUCCESS}),
            task("on-b-ok", "echo never", depends_on={"b": SUCCESS}),
            task("on-b-failed", "echo handling failure", depends_on={"b": FAILURE}),
            task("after-skip-any", "echo runs after a skipped parent", depends_on={"on-b-ok": ANY}),
            task("after-skip-ok", "echo never", depends_on={"on-b-ok": SUCCESS}),
            task("on-c-failed", "echo never", depends_on={"c": FAILURE}),
        ],
    )

    run = run_pipeline(stack, gofer, pipeline)

    tasks = by_task(run)
    statuses = {task_id: task_run.status for task_id, task_run in tasks.items()}
    assert statuses == {
        "a": TaskRunStatus.SUCCESSFUL,
        "b": TaskRunStatus.FAILED,
        "c": TaskRunStatus.SUCCESSFUL,
        "d": TaskRunStatus.SUCCESSFUL,
        "on-b-ok": TaskRunStatus.SKIPPED,
        "on-b-failed": TaskRunStatus.SUCCESSFUL,
        "after-skip-any": TaskRunStatus.SUCCESSFUL,
        "after-skip-ok": TaskRunStatus.SKIPPED,
        "on-c-failed": TaskRunStatus.SKIPPED,
    }
    assert tasks["b"].exit_code == 3
    assert tasks["b"].status_reason is not None and tasks["b"].status_reason.kind == ReasonKind.ABNORMAL_EXIT
    assert tasks["a"].exit_code == 0
    skipped = tasks["on-b-ok"].status_reason
    assert skipped is not None and skipped.kind == ReasonKind.FAILED_PRECONDITION
    assert "'b' ended failed" in skipped.description
    assert run.state == RunState.COMPLETE and run.status == RunStatus.FAILED
    assert run.status_reason is not None and run.status_reason.kind == ReasonKind.ABNORMAL_EXIT
    assert "b" in run.status_reason.description
    assert logs(gofer, run, "b") == b"b fails\n"
    assert logs(gofer, run, "on-b-failed") == b"handling failure\n"
    assert logs(gofer, run, "on-b-ok") == b""


def test_run_with_only_successes_and_skips_is_successful(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(
        id=pipeline_id,
        tasks=[
            task("ok", "true"),
            task("only-on-failure", "echo never", depends_on={"ok": FAILURE}),
        ],
    )

    run = run_pipeline(stack, gofer, pipeline)

    assert run.status == RunStatus.SUCCESSFUL
    assert by_task(run)["only-on-failure"].status == TaskRunStatus.SKIPPED


def test_env_precedence_is_system_then_task_then_run(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(
        id=pipeline_id,
        tasks=[
            task(
                "env",
                "env | sort",
                variables={"FROM_TASK": "task", "OVERRIDDEN": "task", "GOFER_TASK_IMAGE": "task-wins"},
            )
        ],
    )

    run = run_pipeline(stack, gofer, pipeline, variables={"OVERRIDDEN": "run", "FROM_RUN": "run"})

    env = dict(line.split("=", 1) for line in logs(gofer, run, "env").decode().splitlines())
    assert env["GOFER_NAMESPACE"] == "default"
    assert env["GOFER_PIPELINE_ID"] == pipeline_id
    assert env["GOFER_RUN_ID"] == str(run.id)
    assert env["GOFER_TASK_ID"] == "env"
    assert env["GOFER_TASK_IMAGE"] == "task-wins"
    assert env["FROM_TASK"] == "task"
    assert env["FROM_RUN"] == "run"
    assert env["OVERRIDDEN"] == "run"


def test_script_runs_with_sh(stack: GoferStack, gofer: GoferClient, pipeline_id: str) -> None:
    script = 'set -e\nfor word in alpha beta; do\n  echo "$word" | tr a-z A-Z\ndone\necho oops >&2\n'
    pipeline = Pipeline(id=pipeline_id, tasks=[task("script", script)])

    run = run_pipeline(stack, gofer, pipeline)

    assert run.status == RunStatus.SUCCESSFUL
    output = logs(gofer, run, "script").decode()
    # stdout keeps its order; stderr is interleaved however Docker copied the two pipes
    assert [line for line in output.splitlines() if line != "oops"] == ["ALPHA", "BETA"]
    assert sorted(output.splitlines()) == ["ALPHA", "BETA", "oops"]


def test_command_and_entrypoint_are_passed_as_given(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(
        id=pipeline_id,
        tasks=[
            {"id": "cmd", "image": TEST_IMAGE, "entrypoint": ["/bin/echo"], "command": ["two words", "x"]},
        ],
    )

    run = run_pipeline(stack, gofer, pipeline)

    assert logs(gofer, run, "cmd") == b"two words x\n"


def test_one_megabyte_of_output_arrives_intact(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(id=pipeline_id, tasks=[task("big", "seq 1 160000")])

    run = run_pipeline(stack, gofer, pipeline)

    expected = "".join(f"{n}\n" for n in range(1, 160001)).encode()
    assert len(expected) > 1_000_000
    assert logs(gofer, run, "big") == expected


def test_unicode_and_invalid_utf8_bytes_are_kept(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    pipeline = Pipeline(id=pipeline_id, tasks=[task("bytes", r"printf 'héllo ✓ 日本\n\377\376 raw\n'")])

    run = run_pipeline(stack, gofer, pipeline)

    assert run.status == RunStatus.SUCCESSFUL
    assert logs(gofer, run, "bytes") == "héllo ✓ 日本\n".encode() + b"\xff\xfe raw\n"


def test_missing_image_fails_task_with_scheduler_error(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    image = "gofer-test/no-such-image:never"
    pipeline = Pipeline(id=pipeline_id, tasks=[{"id": "ghost", "image": image}])

    run = run_pipeline(stack, gofer, pipeline)

    ghost = by_task(run)["ghost"]
    assert ghost.status == TaskRunStatus.FAILED
    assert ghost.status_reason is not None and ghost.status_reason.kind == ReasonKind.SCHEDULER_ERROR
    assert image in ghost.status_reason.description
    assert run.status == RunStatus.FAILED
