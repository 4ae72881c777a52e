"""What a task's container gets: name, labels, environment precedence, command."""

from __future__ import annotations

from gofer.activities.containers import container_spec
from gofer.models import RunKey, TaskAttemptInput
from gofer_sdk import Task


def attempt(task: Task, run_variables: dict[str, str] | None = None) -> TaskAttemptInput:
    run = RunKey(namespace="ns", pipeline="pipe", run_id=7)
    return TaskAttemptInput(run=run, task=task, attempt=2, run_variables=run_variables or {})


def test_name_is_deterministic_per_attempt() -> None:
    spec = container_spec(attempt(Task(id="build", image="img")))
    assert spec.name == "gofer-ns-pipe-7-build-2"
    assert spec.labels["dev.gofer.attempt"] == "2"


def test_env_precedence_system_task_run() -> None:
    task = Task(id="t", image="img", variables={"GOFER_TASK_ID": "task", "SHARED": "task", "ONLY_TASK": "1"})
    env = container_spec(attempt(task, {"SHARED": "run"})).env
    assert env["GOFER_TASK_ID"] == "task"
    assert env["SHARED"] == "run"
    assert env["ONLY_TASK"] == "1"
    assert env["GOFER_RUN_ID"] == "7"
    assert env["GOFER_TASK_IMAGE"] == "img"
    assert env["GOFER_TASK_ATTEMPT"] == "2"


def test_script_runs_through_sh() -> None:
    spec = container_spec(attempt(Task(id="t", image="img", script="echo a && echo b")))
    assert spec.command == ["sh", "-c", "echo a && echo b"]
