"""`gofer task ...`"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gofer.cli.common import NamespaceOption, Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import duration, status_text, task_table

app = typer.Typer(help="Inspect, cancel and read the logs of task runs.", no_args_is_help=True)

PipelineArg = Annotated[str, typer.Argument(help="Pipeline id.")]
RunArg = Annotated[int, typer.Argument(help="Run number.")]
TaskArg = Annotated[str, typer.Argument(help="Task id.")]


@app.command("list")
@cli_errors
def list_tasks(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
) -> None:
    """List a run's task runs.

    Example: gofer task list diamond 1
    """
    with client(namespace) as gofer:
        tasks = gofer.list_tasks(pipeline_id, run_id)
    if output == Output.JSON:
        return print_json(tasks)
    out.print(task_table(tasks))


@app.command()
@cli_errors
def get(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    task_id: TaskArg,
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
) -> None:
    """Show one task run: status, exit code, attempt, timings, reason and the image that ran.

    Example: gofer task get diamond 1 build
    """
    with client(namespace) as gofer:
        task = gofer.get_task(pipeline_id, run_id, task_id)
    if output == Output.JSON:
        return print_json(task)
    out.print(f"[bold]{task.task_id}[/] ", status_text(task.state, task.status))
    out.print(f"  exit code  {'-' if task.exit_code is None else task.exit_code}")
    out.print(f"  attempt    {task.attempt}")
    out.print(f"  duration   {duration(task.started, task.ended)}")
    out.print(f"  image      {task.image}  ({task.image_digest or 'digest unknown'})")
    if task.status_reason:
        out.print(f"  reason     {task.status_reason.kind.value}: {task.status_reason.description}")


@app.command()
@cli_errors
def cancel(
    pipeline_id: PipelineArg, run_id: RunArg, task_id: TaskArg, namespace: NamespaceOption = None
) -> None:
    """Cancel one task; the rest of the run goes on.

    Example: gofer task cancel diamond 4 deploy
    """
    with client(namespace) as gofer:
        gofer.cancel_task(pipeline_id, run_id, task_id)
    out.print(f"cancelling task {task_id} of run {run_id}")


@app.command()
@cli_errors
def logs(
    pipeline_id: PipelineArg,
    run_id: RunArg,
    task_id: TaskArg,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep streaming until the task ends.")
    ] = False,
    namespace: NamespaceOption = None,
) -> None:
    """Print a task's output (stdout and stderr, every attempt in order).

    Example: gofer task logs diamond 1 build --follow
    """
    with client(namespace) as gofer:
        for chunk in gofer.task_logs(pipeline_id, run_id, task_id, follow=follow):
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()


@app.command("delete-logs")
@cli_errors
def delete_logs(
    pipeline_id: PipelineArg, run_id: RunArg, task_id: TaskArg, namespace: NamespaceOption = None
) -> None:
    """Delete the stored logs of a finished task.

    Example: gofer task delete-logs diamond 1 build
    """
    with client(namespace) as gofer:
        gofer.delete_task_logs(pipeline_id, run_id, task_id)
    out.print(f"deleted the logs of {task_id} in run {run_id}")
