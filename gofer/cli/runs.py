"""`gofer run ...`"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Group, RenderableType
from rich.live import Live
from rich.text import Text

from gofer.cli.common import (
    NamespaceOption,
    Output,
    OutputOption,
    cli_errors,
    client,
    out,
    parse_vars,
    print_json,
)
from gofer.cli.render import ago, duration, run_view, status_text, table
from gofer_sdk.client import GoferClient
from gofer_sdk.models import RunPublic, RunState, RunStatus, TaskRunState

app = typer.Typer(help="Start, watch, cancel and retry runs.", no_args_is_help=True)

POLL_SECONDS = 0.5
TAIL_LINES = 10
PipelineArg = Annotated[str, typer.Argument(help="Pipeline id.")]
RunArg = Annotated[int, typer.Argument(help="Run number.")]


@app.command()
@cli_errors
def start(
    pipeline_id: PipelineArg,
    var: Annotated[
        list[str] | None, typer.Option("--var", "-v", help="Run variable KEY=VALUE (repeatable).")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Watch it live; exit 1 unless successful.")
    ] = False,
    event_id: Annotated[
        str | None,
        typer.Option(help="Idempotency key: a start repeated with the same id starts no second run."),
    ] = None,
    namespace: NamespaceOption = None,
) -> None:
    """Start a run of the pipeline's live config.

    Example: gofer run start diamond --var GREETING=hi --wait
    """
    with client(namespace) as gofer:
        run = gofer.start_run(pipeline_id, variables=parse_vars(var or []), event_id=event_id)
        out.print(f"started run [bold]{run.id}[/] of {pipeline_id}")
        if wait:
            _exit_by_status(_watch(gofer, run))


@app.command()
@cli_errors
def watch(pipeline_id: PipelineArg, run_id: RunArg, namespace: NamespaceOption = None) -> None:
    """Follow a run live: its tasks and the tail of the running task's log; exit 1 unless successful.

    Example: gofer run watch diamond 7
    """
    with client(namespace) as gofer:
        _exit_by_status(_watch(gofer, gofer.get_run(pipeline_id, run_id)))


@app.command()
@cli_errors
def get(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
) -> None:
    """Show a run: state, status, reason, its tasks and a link to its Temporal history.

    Example: gofer run get diamond 1
    """
    with client(namespace) as gofer:
        run = gofer.get_run(pipeline_id, run_id)
    if output == Output.JSON:
        return print_json(run)
    out.print(run_view(run))


@app.command("list")
@cli_errors
def list_runs(
    pipeline_id: PipelineArg,
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
    status: Annotated[RunStatus | None, typer.Option(help="Only runs with this status.")] = None,
    limit: Annotated[int, typer.Option(help="Rows per page.")] = 20,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
) -> None:
    """List a pipeline's runs, newest first.

    Example: gofer run list diamond --status failed
    """
    with client(namespace) as gofer:
        page = gofer.list_runs(pipeline_id, offset=offset, limit=limit, status=status)
    if output == Output.JSON:
        return print_json(page)
    grid = table("RUN", "STATUS", "STARTED", "DURATION", "BY", "REASON")
    for run in page.items:
        reason = run.status_reason.description if run.status_reason else ""
        grid.add_row(
            str(run.id),
            status_text(run.state, run.status),
            ago(run.started),
            duration(run.started, run.ended),
            run.initiator,
            reason,
        )
    out.print(grid)
    if page.total > offset + len(page.items):
        out.print(
            f"[dim]{page.total - offset - len(page.items)} more: --offset {offset + len(page.items)}[/]"
        )


@app.command()
@cli_errors
def cancel(pipeline_id: PipelineArg, run_id: RunArg, namespace: NamespaceOption = None) -> None:
    """Cancel a run: running containers get SIGTERM, then SIGKILL after the grace period.

    Example: gofer run cancel diamond 3
    """
    with client(namespace) as gofer:
        gofer.cancel_run(pipeline_id, run_id)
    out.print(f"cancelling run {run_id} of {pipeline_id}")


@app.command("cancel-all")
@cli_errors
def cancel_all(
    pipeline_id: PipelineArg,
    namespace: NamespaceOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Cancel every unfinished run of a pipeline.

    Example: gofer run cancel-all diamond --yes
    """
    if not yes:
        typer.confirm(f"Cancel every unfinished run of '{pipeline_id}'?", abort=True)
    with client(namespace) as gofer:
        cancelled = gofer.cancel_all_runs(pipeline_id)
    out.print(f"cancelling {len(cancelled)} run(s): {', '.join(map(str, cancelled)) or '-'}")


@app.command()
@cli_errors
def retry(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    namespace: NamespaceOption = None,
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Watch it live; exit 1 unless successful.")
    ] = False,
) -> None:
    """Start a new run with the same variables and config version as an earlier one.

    Example: gofer run retry diamond 3 --wait
    """
    with client(namespace) as gofer:
        run = gofer.retry_run(pipeline_id, run_id)
        out.print(f"started run [bold]{run.id}[/] of {pipeline_id}")
        out.print(f"retry of run {run_id}, with its variables and config v{run.config_version}")
        if wait:
            _exit_by_status(_watch(gofer, run))


def _exit_by_status(run: RunPublic) -> None:
    raise typer.Exit(0 if run.status == RunStatus.SUCCESSFUL else 1)


def _watch(gofer: GoferClient, run: RunPublic) -> RunPublic:
    tail = LogTail(gofer, run)
    with Live(_view(run, tail), console=out, refresh_per_second=4, transient=not out.is_terminal) as live:
        while run.state != RunState.COMPLETE:
            time.sleep(POLL_SECONDS)
            run = gofer.get_run(run.pipeline, run.id)
            tail.update(run)
            live.update(_view(run, tail))
    if not out.is_terminal:
        out.print(run_view(run))
    return run


def _view(run: RunPublic, tail: LogTail) -> RenderableType:
    if not tail.lines:
        return run_view(run)
    header = Text(f"--- {tail.task_id} (last {len(tail.lines)} lines) ---", style="dim")
    return Group(run_view(run), header, Text("\n".join(tail.lines)))


class LogTail:
    """The last lines of the running task's log, fetched incrementally by byte offset."""

    def __init__(self, gofer: GoferClient, run: RunPublic) -> None:
        self._gofer, self._run = gofer, run
        self.task_id: str | None = None
        self._attempt, self._offset = 0, 0
        self.lines: list[str] = []
        self._partial = ""

    def update(self, run: RunPublic) -> None:
        running = [task for task in run.tasks if task.state == TaskRunState.RUNNING]
        if not running:
            return
        task = running[-1]
        if (task.task_id, task.attempt) != (self.task_id, self._attempt):
            self.task_id, self._attempt, self._offset, self.lines, self._partial = (
                task.task_id,
                task.attempt,
                0,
                [],
                "",
            )
        chunk = b"".join(
            self._gofer.task_logs(
                run.pipeline, run.id, task.task_id, attempt=task.attempt, offset=self._offset
            )
        )
        self._offset += len(chunk)
        text = self._partial + chunk.decode("utf-8", errors="replace")
        *complete, self._partial = text.split("\n")
        self.lines = (self.lines + complete)[-TAIL_LINES:]
