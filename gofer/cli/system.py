"""`gofer system ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from gofer.cli.common import Output, OutputOption, cli_errors, client, out, print_json

app = typer.Typer(help="Gofer itself: version, health and the run kill switch.", no_args_is_help=True)


@app.command()
@cli_errors
def info(output: OutputOption = Output.TABLE) -> None:
    """Show the version, whether new runs are paused, and the global parallelism.

    Example: gofer system info
    """
    with client() as gofer:
        system = gofer.system()
    if output == Output.JSON:
        return print_json(system)
    intake = system.run_intake
    state = (
        f"[red]paused[/] ({intake.reason or 'no reason given'})" if intake.paused else "[green]accepting[/]"
    )
    out.print(f"version            {system.version}")
    out.print(f"new runs           {state}")
    out.print(f"global parallelism {system.global_parallelism or 'unlimited'}")


@app.command("pause-runs")
@cli_errors
def pause_runs(
    reason: Annotated[str, typer.Option(help="Shown to whoever tries to start a run.")] = "",
) -> None:
    """Kill switch: refuse every new run until resumed (survives restarts; running runs go on).

    Example: gofer system pause-runs --reason "database migration"
    """
    with client() as gofer:
        gofer.set_run_intake(paused=True, reason=reason)
    out.print("new runs are paused")


@app.command("resume-runs")
@cli_errors
def resume_runs() -> None:
    """Accept new runs again.

    Example: gofer system resume-runs
    """
    with client() as gofer:
        gofer.set_run_intake(paused=False)
    out.print("new runs are accepted")
