"""`gofer event ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from gofer.cli.common import Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import table
from gofer_sdk.models import EventPublic

app = typer.Typer(help="Read the log of everything that happened.", no_args_is_help=True)

AfterOption = Annotated[int | None, typer.Option(help="Only events after this id.")]
NamespaceFilter = Annotated[str | None, typer.Option("--namespace", "-n", help="Only this namespace.")]


@app.command("list")
@cli_errors
def list_events(
    after: AfterOption = None,
    namespace: NamespaceFilter = None,
    output: OutputOption = Output.TABLE,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
) -> None:
    """List recent events, oldest first.

    Example: gofer event list --limit 20
    """
    with client() as gofer:
        events = gofer.list_events(after=after, limit=limit, namespace=namespace)
    if output == Output.JSON:
        return print_json(events)
    grid = table("ID", "WHEN", "KIND", "WHERE", "DETAILS")
    for event in events:
        grid.add_row(*_row(event))
    out.print(grid)


@app.command()
@cli_errors
def follow(
    after: AfterOption = None, namespace: NamespaceFilter = None, output: OutputOption = Output.TABLE
) -> None:
    """Print events as they happen, until Ctrl-C.

    Example: gofer event follow --output json
    """
    with client() as gofer:
        for event in gofer.follow_events(after=after, namespace=namespace):
            if output == Output.JSON:
                print(event.model_dump_json(), flush=True)
            else:
                out.print("  ".join(_row(event)))


def _row(event: EventPublic) -> tuple[str, str, str, str, str]:
    where = "/".join(
        str(part) for part in (event.namespace, event.pipeline, event.run_id, event.task_id) if part
    )
    details = " ".join(f"{key}={value}" for key, value in event.details.items() if value not in (None, ""))
    return str(event.id), event.emitted.strftime("%H:%M:%S"), event.kind, where, details
