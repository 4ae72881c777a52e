"""`gofer run ...`"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.live import Live
from rich.table import Table

from gofer.cli.common import NamespaceOption, cli_errors, client, out, parse_vars
from gofer.cli.render import duration, run_view, status_text
from gofer_sdk.client import GoferClient
from gofer_sdk.models import RunPublic, RunState, RunStatus

app = typer.Typer(help="Start, watch and cancel runs.", no_args_is_help=True)

POLL_SECONDS = 0.5


@app.command()
@cli_errors
def start(
    pipeline_id: str,
    var: Annotated[
        list[str] | None, typer.Option("--var", "-v", help="Run variable KEY=VALUE (repeatable).")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Show live task states; exit 1 unless successful.")
    ] = False,
    namespace: NamespaceOption = "default",
) -> None:
    """Start a run of the pipeline's live config.

    Example: gofer run start diamond --var GREETING=hi --wait
    """
    with client(namespace) as gofer:
        run = gofer.start_run(pipeline_id, variables=parse_vars(var or []))
        out.print(f"started run [bold]{run.id}[/] of {pipeline_id}")
        if wait:
            run = _watch(gofer, run)
            raise typer.Exit(0 if run.status == RunStatus.SUCCESSFUL else 1)


@app.command()
@cli_errors
def get(pipeline_id: str, run_id: int, namespace: NamespaceOption = "default") -> None:
    """Show a run: state, status, reason, its tasks and a link to its Temporal history.

    Example: gofer run get diamond 1
    """
    with client(namespace) as gofer:
        out.print(run_view(gofer.get_run(pipeline_id, run_id)))


@app.command("list")
@cli_errors
def list_runs(pipeline_id: str, namespace: NamespaceOption = "default") -> None:
    """List a pipeline's runs, newest first."""
    with client(namespace) as gofer:
        runs = gofer.list_runs(pipeline_id)
    table = Table(box=None, pad_edge=False)
    for column in ("RUN", "STATUS", "STARTED", "DURATION", "BY"):
        table.add_column(column)
    for run in runs:
        table.add_row(
            str(run.id),
            status_text(run.state, run.status),
            run.started.strftime("%Y-%m-%d %H:%M:%S"),
            duration(run.started, run.ended),
            run.initiator,
        )
    out.print(table)


@app.command()
@cli_errors
def cancel(pipeline_id: str, run_id: int, namespace: NamespaceOption = "default") -> None:
    """Cancel a run: running containers get SIGTERM, then SIGKILL after the grace period.

    Example: gofer run cancel diamond 3
    """
    with client(namespace) as gofer:
        gofer.cancel_run(pipeline_id, run_id)
    out.print(f"cancelling run {run_id} of {pipeline_id}")


def _watch(gofer: GoferClient, run: RunPublic) -> RunPublic:
    with Live(run_view(run), console=out, refresh_per_second=4, transient=not out.is_terminal) as live:
        while run.state != RunState.COMPLETE:
            time.sleep(POLL_SECONDS)
            run = gofer.get_run(run.pipeline, run.id)
            live.update(run_view(run))
    if not out.is_terminal:
        out.print(run_view(run))
    return run
