"""`gofer pipeline ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gofer.cli.common import NamespaceOption, cli_errors, client, out
from gofer_sdk.loader import load_pipeline_file

app = typer.Typer(help="Deploy and inspect pipelines.", no_args_is_help=True)


@app.command()
@cli_errors
def deploy(
    path: Annotated[
        Path, typer.Argument(..., help="Pipeline config: a .yaml file or a .py file built with gofer_sdk.")
    ],
    namespace: NamespaceOption = "default",
) -> None:
    """Register a pipeline config as a new version and make it live.

    Example: gofer pipeline deploy examples/diamond.yaml
    """
    config = load_pipeline_file(path)
    with client(namespace) as gofer:
        result = gofer.deploy(config)
    if result.created:
        out.print(f"deployed [bold]{config.id}[/] version {result.version} (live)")
    else:
        out.print(
            f"[bold]{config.id}[/] unchanged: version {result.version} is already live with this config"
        )


@app.command("list")
@cli_errors
def list_pipelines(namespace: NamespaceOption = "default") -> None:
    """List the namespace's pipelines."""
    with client(namespace) as gofer:
        pipelines = gofer.list_pipelines()
    table = Table(box=None, pad_edge=False)
    for column in ("ID", "NAME", "STATE", "LIVE", "TASKS"):
        table.add_column(column)
    for pipeline in pipelines:
        table.add_row(
            pipeline.id,
            pipeline.name,
            pipeline.state,
            f"v{pipeline.live_version}",
            str(len(pipeline.config.tasks)),
        )
    out.print(table)


@app.command()
@cli_errors
def get(pipeline_id: str, namespace: NamespaceOption = "default") -> None:
    """Show a pipeline and its live config.

    Example: gofer pipeline get diamond
    """
    with client(namespace) as gofer:
        pipeline = gofer.get_pipeline(pipeline_id)
    out.print(
        f"[bold]{pipeline.id}[/] {pipeline.name}  state={pipeline.state}  live=v{pipeline.live_version}"
    )
    for task in pipeline.config.tasks:
        parents = ", ".join(f"{p}:{c.value}" for p, c in task.depends_on.items()) or "-"
        out.print(f"  {task.id:<20} {task.image:<30} after {parents}")
