"""`gofer trigger ...`"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gofer.cli.common import Output, OutputOption, cli_errors, client, out, parse_vars, print_json
from gofer.cli.render import ago, one_line, table
from gofer_sdk.trigger_models import TriggerPublic, TriggerState

app = typer.Typer(
    help="Install and manage trigger containers (interval and cron are built in).", no_args_is_help=True
)

NameArg = Annotated[str, typer.Argument(help="Trigger name.")]
_COLOURS = {
    TriggerState.RUNNING: "green",
    TriggerState.STARTING: "cyan",
    TriggerState.RESTARTING: "yellow",
    TriggerState.STOPPED: "dim",
}


def _state(trigger: TriggerPublic) -> str:
    return f"[{_COLOURS[trigger.state]}]{trigger.state.value}[/]"


@app.command()
@cli_errors
def install(
    name: NameArg,
    image: Annotated[str, typer.Argument(help="The trigger's container image.")],
    setting: Annotated[
        list[str] | None,
        typer.Option("--setting", "-s", help="Setting KEY=VALUE (repeatable; stored sealed)."),
    ] = None,
) -> None:
    """Install a trigger: Gofer starts its container, keeps it running and restores its subscriptions.

    Example: gofer trigger install github gofer/trigger-github:latest -s webhook_secret=…
    """
    with client() as gofer:
        trigger = gofer.install_trigger(name, image, parse_vars(setting or [], "--setting"))
    out.print(
        f"installed trigger [bold]{trigger.name}[/] ({trigger.image}); `gofer trigger get {name}` shows it"
    )


@app.command("list")
@cli_errors
def list_triggers(output: OutputOption = Output.TABLE) -> None:
    """List installed triggers.

    Example: gofer trigger list
    """
    with client() as gofer:
        triggers = gofer.list_triggers()
    if output == Output.JSON:
        return print_json(triggers)
    grid = table("NAME", "IMAGE", "STATE", "ENABLED", "STARTS", "INSTALLED", "MESSAGE")
    for trigger in triggers:
        grid.add_row(
            trigger.name,
            trigger.image,
            _state(trigger),
            "yes" if trigger.enabled else "no",
            str(trigger.generation),
            ago(trigger.installed),
            one_line(trigger.message, 40),
        )
    out.print(grid)


@app.command()
@cli_errors
def get(name: NameArg, output: OutputOption = Output.TABLE) -> None:
    """Show a trigger: state, starts, settings (keys only), documentation.

    Example: gofer trigger get github
    """
    with client() as gofer:
        trigger = gofer.get_trigger(name)
    if output == Output.JSON:
        return print_json(trigger)
    out.print(
        f"[bold]{trigger.name}[/]  {trigger.image}  {_state(trigger)}  started {trigger.generation} time(s)"
    )
    if trigger.message:
        out.print(f"  {trigger.message}")
    out.print(f"  settings: {', '.join(trigger.setting_keys) or '-'}")
    if trigger.documentation:
        out.print(trigger.documentation)


@app.command()
@cli_errors
def logs(name: NameArg) -> None:
    """Print the output of the trigger's current container.

    Example: gofer trigger logs github
    """
    with client() as gofer:
        for chunk in gofer.trigger_logs(name):
            sys.stdout.buffer.write(chunk)
    sys.stdout.flush()


@app.command()
@cli_errors
def uninstall(name: NameArg) -> None:
    """Stop and remove a trigger (refused while pipelines subscribe to it).

    Example: gofer trigger uninstall github
    """
    with client() as gofer:
        gofer.uninstall_trigger(name)
    out.print(f"uninstalled trigger [bold]{name}[/]")


@app.command()
@cli_errors
def enable(name: NameArg) -> None:
    """Start a disabled trigger again.

    Example: gofer trigger enable github
    """
    with client() as gofer:
        gofer.set_trigger_enabled(name, True)
    out.print(f"enabled trigger [bold]{name}[/]")


@app.command()
@cli_errors
def disable(name: NameArg) -> None:
    """Stop a trigger's container, keeping it and its subscriptions installed.

    Example: gofer trigger disable github
    """
    with client() as gofer:
        gofer.set_trigger_enabled(name, False)
    out.print(f"disabled trigger [bold]{name}[/]")
