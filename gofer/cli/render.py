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


def ago(moment: datetime | None) -> str:
    """A relative time for people: '42s ago', '3m ago', '5h ago', '2d ago'."""
    if moment is None:
        return "-"
    seconds = int((datetime.now(UTC) - moment).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{max(seconds, 0)}s ago"


def one_line(text: str, limit: int = 60) -> str:
    """A long message cut for a table cell (`get` shows it whole)."""
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def table(*columns: str) -> Table:
    grid = Table(box=None, pad_edge=False)
    for column in columns:
        grid.add_column(column)
    return grid


def task_table(tasks: list[TaskRunPublic]) -> Table:
    grid = table("TASK", "STATUS", "EXIT", "ATTEMPT", "DURATION", "REASON")
    for task in tasks:
        reason = task.status_reason.description if task.status_reason else ""
        exit_code = "-" if task.exit_code is None else str(task.exit_code)
        grid.add_row(
            task.task_id,
            status_text(task.state, task.status),
            exit_code,
            str(task.attempt),
            duration(task.started, task.ended),
            reason,
        )
    return grid


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
