"""`gofer run watch` keeps the last lines of the running task, fetched by offset."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gofer.cli.runs import TAIL_LINES, LogTail
from gofer_sdk.models import RunPublic, RunState, RunStatus, TaskRunPublic, TaskRunState, TaskRunStatus


class FakeLogs:
    """Serves a growing log by offset, like the API's `?attempt=&offset=`."""

    def __init__(self) -> None:
        self.text = b""
        self.offsets: list[int] = []

    def task_logs(self, pipeline: str, run_id: int, task_id: str, *, attempt: int, offset: int) -> Any:
        self.offsets.append(offset)
        yield self.text[offset:]


def run_with(task_id: str, state: TaskRunState = TaskRunState.RUNNING) -> RunPublic:
    task = TaskRunPublic(task_id=task_id, state=state, status=TaskRunStatus.UNKNOWN, attempt=1, image="i")
    return RunPublic(
        namespace="default",
        pipeline="p",
        id=1,
        state=RunState.RUNNING,
        status=RunStatus.UNKNOWN,
        initiator="t",
        variables={},
        config_version=1,
        started=datetime.now(UTC),
        workflow_id="w",
        tasks=[task],
    )


def test_tail_reads_only_new_bytes_and_keeps_partial_lines() -> None:
    logs = FakeLogs()
    tail = LogTail(logs, run_with("a"))  # type: ignore[arg-type]
    logs.text = b"one\ntw"
    tail.update(run_with("a"))
    logs.text = b"one\ntwo\nthree\n"
    tail.update(run_with("a"))

    assert tail.lines == ["one", "two", "three"]
    assert logs.offsets == [0, 6]


def test_tail_keeps_the_last_lines_and_resets_on_another_task() -> None:
    logs = FakeLogs()
    tail = LogTail(logs, run_with("a"))  # type: ignore[arg-type]
    logs.text = "".join(f"line {n}\n" for n in range(50)).encode()
    tail.update(run_with("a"))
    kept = list(tail.lines)
    logs.text = b"other\n"
    tail.update(run_with("b"))

    assert kept == [f"line {n}" for n in range(50 - TAIL_LINES, 50)]
    assert (tail.task_id, tail.lines) == ("b", ["other"])
