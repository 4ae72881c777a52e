"""`gofer pipeline ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.syntax import Syntax

from gofer.cli.common import NamespaceOption, Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import ago, status_text, table
from gofer_sdk.loader import load_pipeline_file

app = typer.Typer(
    help="Deploy, inspect and manage pipelines and their config versions.", no_args_is_help=True
)

PipelineArg = Annotated[str, typer.Argument(help="Pipeline id.")]


@app.command()
@cli_errors
def deploy(
    path: Annotated[
        Path, typer.Argument(help="Pipeline config: a .yaml file or a .py file built with gofer_sdk.")
    ],
    namespace: NamespaceOption = None,
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
def list_pipelines(
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
    limit: Annotated[int, typer.Option(help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
) -> None:
    """List the namespace's pipelines.

    Example: gofer pipeline list -n team-a
    """
    with client(namespace) as gofer:
        page = gofer.list_pipelines(offset=offset, limit=limit)
    if output == Output.JSON:
        return print_json(page)
    grid = table("ID", "NAME", "STATE", "LIVE", "RUNS", "LAST RUN")
    for pipeline in page.items:
        last = (
            f"#{pipeline.last_run_id} {pipeline.last_run_status.value}" if pipeline.last_run_status else "-"
        )
        grid.add_row(
            pipeline.id,
            pipeline.name,
            pipeline.state.value,
            f"v{pipeline.live_version}",
            str(pipeline.run_count),
            last,
        )
    out.print(grid)
    if page.total > offset + len(page.items):
        out.print(
            f"[dim]{page.total - offset - len(page.items)} more: --offset {offset + len(page.items)}[/]"
        )


@app.command()
@cli_errors
def get(
    pipeline_id: PipelineArg, namespace: NamespaceOption = None, output: OutputOption = Output.TABLE
) -> None:
    """Show a pipeline: state, live version, runs and its tasks.

    Example: gofer pipeline get diamond
    """
    with client(namespace) as gofer:
        pipeline = gofer.get_pipeline(pipeline_id)
    if output == Output.JSON:
        return print_json(pipeline)
    out.print(
        f"[bold]{pipeline.id}[/] {pipeline.name}  state={pipeline.state.value}  live=v{pipeline.live_version}"
        f"  runs={pipeline.run_count}  created {ago(pipeline.created)}"
    )
    if pipeline.last_run_status:
        out.print(
            "last run: ",
            status_text("complete", pipeline.last_run_status.value),
            f" (#{pipeline.last_run_id})",
        )
    for task in pipeline.config.tasks:
        parents = ", ".join(f"{p}:{c.value}" for p, c in task.depends_on.items()) or "-"
        out.print(f"  {task.id:<20} {task.image:<30} after {parents}")


@app.command()
@cli_errors
def enable(pipeline_id: PipelineArg, namespace: NamespaceOption = None) -> None:
    """Let the pipeline start runs again.

    Example: gofer pipeline enable diamond
    """
    with client(namespace) as gofer:
        gofer.set_pipeline_enabled(pipeline_id, True)
    out.print(f"{pipeline_id} enabled")


@app.command()
@cli_errors
def disable(pipeline_id: PipelineArg, namespace: NamespaceOption = None) -> None:
    """Refuse new runs of the pipeline (running ones go on).

    Example: gofer pipeline disable diamond
    """
    with client(namespace) as gofer:
        gofer.set_pipeline_enabled(pipeline_id, False)
    out.print(f"{pipeline_id} disabled: new runs are refused")


@app.command()
@cli_errors
def delete(
    pipeline_id: PipelineArg,
    namespace: NamespaceOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a pipeline with all its versions, runs and task runs.

    Example: gofer pipeline delete old-pipeline --yes
    """
    if not yes:
        typer.confirm(f"Delete pipeline '{pipeline_id}' with all its versions and runs?", abort=True)
    with client(namespace) as gofer:
        gofer.delete_pipeline(pipeline_id)
    out.print(f"{pipeline_id} deleted")


@app.command()
@cli_errors
def versions(
    pipeline_id: PipelineArg, namespace: NamespaceOption = None, output: OutputOption = Output.TABLE
) -> None:
    """List a pipeline's config versions, newest first.

    Example: gofer pipeline versions diamond
    """
    with client(namespace) as gofer:
        found = gofer.list_versions(pipeline_id)
    if output == Output.JSON:
        return print_json(found)
    grid = table("VERSION", "LIVE", "TASKS", "CREATED")
    for version in found:
        grid.add_row(
            f"v{version.version}",
            "live" if version.live else "",
            str(len(version.config.tasks)),
            ago(version.created),
        )
    out.print(grid)


@app.command()
@cli_errors
def diff(
    pipeline_id: PipelineArg,
    old: Annotated[int, typer.Argument(help="Older version.")],
    new: Annotated[int, typer.Argument(help="Newer version.")],
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
) -> None:
    """Show what changed between two config versions.

    Example: gofer pipeline diff diamond 3 4
    """
    with client(namespace) as gofer:
        result = gofer.diff(pipeline_id, old, new)
    if output == Output.JSON:
        return print_json(result)
    if not result.diff:
        out.print(f"v{old} and v{new} are the same")
    else:
        out.print(Syntax(result.diff, "diff", theme="ansi_dark", background_color="default"))


@app.command()
@cli_errors
def rollback(
    pipeline_id: PipelineArg,
    version: Annotated[int, typer.Argument(help="Version to make live.")],
    namespace: NamespaceOption = None,
) -> None:
    """Make an earlier (or any) config version live again; new runs use it.

    Example: gofer pipeline rollback diamond 2
    """
    with client(namespace) as gofer:
        pipeline = gofer.make_live(pipeline_id, version)
    out.print(f"{pipeline_id}: version {pipeline.live_version} is live")
