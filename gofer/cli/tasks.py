"""`gofer task ...`"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gofer.cli.common import NamespaceOption, cli_errors, client

app = typer.Typer(help="Inspect task runs.", no_args_is_help=True)


@app.command()
@cli_errors
def logs(
    pipeline_id: str,
    run_id: int,
    task_id: str,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep streaming until the task ends.")
    ] = False,
    namespace: NamespaceOption = "default",
) -> None:
    """Print a task's output (stdout and stderr, every attempt in order).

    Example: gofer task logs diamond 1 build --follow
    """
    with client(namespace) as gofer:
        for chunk in gofer.task_logs(pipeline_id, run_id, task_id, follow=follow):
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
