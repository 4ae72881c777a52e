"""How runs and tasks look in a terminal."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gofer_sdk.models import RunPublic, TaskRunPublic

COLOURS = {"successful": "green", "failed": "red", "cancelled": "yellow", "skipped": "dim", "unknown": "cyan"}


def status_text(state: str, status: str) -> Text:
    label = status if state == "complete" else state
    return Text(label, style=COLOURS.get(status, "cyan") if state == "complete" else "cyan")


def duration(started: datetime | None, ended: datetime | None) -> str:
    if started is None:
        return "-"
    seconds = ((ended or datetime.now(UTC)) - started).total_seconds()
    return f"{seconds:.1f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def task_table(tasks: list[TaskRunPublic]) -> Table:
    table = Table(box=None, pad_edge=False)
    for column in ("TASK", "STATUS", "EXIT", "ATTEMPT", "DURATION", "REASON"):
        table.add_column(column)
    for task in tasks:
        reason = task.status_reason.description if task.status_reason else ""
        exit_code = "-" if task.exit_code is None else str(task.exit_code)
        table.add_row(
            task.task_id,
            status_text(task.state, task.status),
            exit_code,
            str(task.attempt),
            duration(task.started, task.ended),
            reason,
        )
    return table


def run_view(run: RunPublic) -> RenderableType:
    header = Text.assemble(
        (f"Run {run.id} of {run.pipeline} ", "bold"),
        status_text(run.state, run.status),
        f"  ({duration(run.started, run.ended)}, config v{run.config_version}, by {run.initiator})",
    )
    lines: list[RenderableType] = [header]
    if run.status_reason:
        lines.append(Text(f"reason: {run.status_reason.kind.value}: {run.status_reason.description}"))
    lines.append(task_table(run.tasks))
    if run.web_url:
        lines.append(Text(f"history: {run.web_url}", style="dim"))
    return Group(*lines)
