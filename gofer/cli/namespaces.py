"""`gofer namespace ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from gofer.cli.common import Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import ago, table

app = typer.Typer(help="Create and manage namespaces (every pipeline lives in one).", no_args_is_help=True)

NamespaceArg = Annotated[str, typer.Argument(help="Namespace id: lowercase letters, digits and '-'.")]
NameOption = Annotated[str | None, typer.Option(help="Human-readable name.")]
DescriptionOption = Annotated[str | None, typer.Option(help="What the namespace is for.")]


@app.command()
@cli_errors
def create(
    namespace_id: NamespaceArg, name: NameOption = None, description: DescriptionOption = None
) -> None:
    """Create a namespace.

    Example: gofer namespace create team-a --name "Team A"
    """
    with client() as gofer:
        gofer.create_namespace(namespace_id, name=name or "", description=description or "")
    out.print(f"created namespace {namespace_id}")


@app.command("list")
@cli_errors
def list_namespaces(output: OutputOption = Output.TABLE) -> None:
    """List namespaces.

    Example: gofer namespace list -o json
    """
    with client() as gofer:
        namespaces = gofer.list_namespaces()
    if output == Output.JSON:
        return print_json(namespaces)
    grid = table("ID", "NAME", "DESCRIPTION", "CREATED")
    for namespace in namespaces:
        grid.add_row(namespace.id, namespace.name, namespace.description, ago(namespace.created))
    out.print(grid)


@app.command()
@cli_errors
def get(namespace_id: NamespaceArg, output: OutputOption = Output.TABLE) -> None:
    """Show a namespace.

    Example: gofer namespace get team-a
    """
    with client() as gofer:
        namespace = gofer.get_namespace(namespace_id)
    if output == Output.JSON:
        return print_json(namespace)
    out.print(f"[bold]{namespace.id}[/] {namespace.name}: {namespace.description}")
    out.print(f"created {ago(namespace.created)}")


@app.command()
@cli_errors
def update(
    namespace_id: NamespaceArg, name: NameOption = None, description: DescriptionOption = None
) -> None:
    """Change a namespace's name or description.

    Example: gofer namespace update team-a --description "builds of team A"
    """
    with client() as gofer:
        gofer.update_namespace(namespace_id, name=name, description=description)
    out.print(f"updated namespace {namespace_id}")


@app.command()
@cli_errors
def delete(
    namespace_id: NamespaceArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an empty namespace.

    Example: gofer namespace delete team-a --yes
    """
    if not yes:
        typer.confirm(f"Delete namespace '{namespace_id}'?", abort=True)
    with client() as gofer:
        gofer.delete_namespace(namespace_id)
    out.print(f"deleted namespace {namespace_id}")
