"""`gofer secret ...`"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gofer.cli.common import NamespaceOption, Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import ago, table
from gofer_sdk.models import SecretPublic

app = typer.Typer(
    help="Store secrets that tasks use as pipeline_secret{{key}} / global_secret{{key}}.",
    no_args_is_help=True,
)
pipeline_app = typer.Typer(help="Secrets of one pipeline.", no_args_is_help=True)
global_app = typer.Typer(help="Secrets shared by the namespaces you allow.", no_args_is_help=True)
app.add_typer(pipeline_app, name="pipeline")
app.add_typer(global_app, name="global")

KeyArg = Annotated[str, typer.Argument(help="Secret key: letters, digits, '_', '.', '-'.")]
PipelineArg = Annotated[str, typer.Argument(help="Pipeline id.")]
ValueOption = Annotated[
    str | None, typer.Option("--value", help="The value (visible in shell history; prefer stdin).")
]
FileOption = Annotated[Path | None, typer.Option("--file", help="Read the value from this file.")]
RevealOption = Annotated[bool, typer.Option("--reveal", help="Print the value.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def read_value(value: str | None, file: Path | None) -> str:
    """The value from --value, --file, or standard input (never echoed)."""
    if value is not None:
        return value
    if file is not None:
        return file.read_text()
    if sys.stdin.isatty():
        return str(typer.prompt("Value", hide_input=True))
    return sys.stdin.read().removesuffix("\n")


def show(secrets: list[SecretPublic], output: Output) -> None:
    if output == Output.JSON:
        return print_json(secrets)
    grid = table("KEY", "NAMESPACES", "UPDATED")
    for secret in secrets:
        grid.add_row(secret.key, ", ".join(secret.namespaces) or "-", ago(secret.updated))
    out.print(grid)


def show_one(secret: SecretPublic, output: Output) -> None:
    if output == Output.JSON:
        return print_json(secret)
    out.print(
        secret.value
        if secret.value is not None
        else f"{secret.key} (set {ago(secret.updated)}; --reveal shows it)"
    )


@app.command("new-key")
def new_key_command() -> None:
    """Print a fresh random key for GOFER_SECRET_KEY.

    Example: gofer secret new-key > /etc/gofer/secret.key
    """
    from gofer.store.crypto import new_key

    print(new_key())


@pipeline_app.command("put")
@cli_errors
def pipeline_put(
    pipeline_id: PipelineArg,
    key: KeyArg,
    value: ValueOption = None,
    file: FileOption = None,
    namespace: NamespaceOption = None,
) -> None:
    """Store a pipeline secret; the value comes from stdin unless --value/--file is given.

    Example: gofer secret pipeline put deploy DB_PASSWORD < password.txt
    """
    with client(namespace) as gofer:
        gofer.put_secret(key, read_value(value, file), pipeline_id=pipeline_id)
    out.print(f"stored pipeline secret {key} of {pipeline_id}")


@pipeline_app.command("list")
@cli_errors
def pipeline_list(
    pipeline_id: PipelineArg, namespace: NamespaceOption = None, output: OutputOption = Output.TABLE
) -> None:
    """List a pipeline's secret keys (never values).

    Example: gofer secret pipeline list deploy
    """
    with client(namespace) as gofer:
        show(gofer.list_secrets(pipeline_id=pipeline_id), output)


@pipeline_app.command("get")
@cli_errors
def pipeline_get(
    pipeline_id: PipelineArg,
    key: KeyArg,
    reveal: RevealOption = False,
    namespace: NamespaceOption = None,
    output: OutputOption = Output.TABLE,
) -> None:
    """Show a pipeline secret; its value only with --reveal.

    Example: gofer secret pipeline get deploy DB_PASSWORD --reveal
    """
    with client(namespace) as gofer:
        show_one(gofer.get_secret(key, pipeline_id=pipeline_id, reveal=reveal), output)


@pipeline_app.command("delete")
@cli_errors
def pipeline_delete(
    pipeline_id: PipelineArg, key: KeyArg, namespace: NamespaceOption = None, yes: YesOption = False
) -> None:
    """Delete a pipeline secret.

    Example: gofer secret pipeline delete deploy DB_PASSWORD --yes
    """
    if not yes:
        typer.confirm(f"Delete secret {key} of {pipeline_id}?", abort=True)
    with client(namespace) as gofer:
        gofer.delete_secret(key, pipeline_id=pipeline_id)
    out.print(f"deleted pipeline secret {key} of {pipeline_id}")


@global_app.command("put")
@cli_errors
def global_put(
    key: KeyArg,
    namespaces: Annotated[
        list[str], typer.Option("--namespace", "-n", help="Namespace pattern allowed (repeatable).")
    ],
    value: ValueOption = None,
    file: FileOption = None,
) -> None:
    """Store a global secret for the namespaces matching the given patterns.

    Example: gofer secret global put REGISTRY_TOKEN -n 'team-*' -n default < token.txt
    """
    with client() as gofer:
        gofer.put_secret(key, read_value(value, file), namespaces=namespaces)
    out.print(f"stored global secret {key} for {', '.join(namespaces)}")


@global_app.command("list")
@cli_errors
def global_list(output: OutputOption = Output.TABLE) -> None:
    """List global secret keys and who may use them (never values).

    Example: gofer secret global list
    """
    with client() as gofer:
        show(gofer.list_secrets(), output)


@global_app.command("get")
@cli_errors
def global_get(key: KeyArg, reveal: RevealOption = False, output: OutputOption = Output.TABLE) -> None:
    """Show a global secret; its value only with --reveal.

    Example: gofer secret global get REGISTRY_TOKEN --reveal
    """
    with client() as gofer:
        show_one(gofer.get_secret(key, reveal=reveal), output)


@global_app.command("delete")
@cli_errors
def global_delete(key: KeyArg, yes: YesOption = False) -> None:
    """Delete a global secret.

    Example: gofer secret global delete REGISTRY_TOKEN --yes
    """
    if not yes:
        typer.confirm(f"Delete global secret {key}?", abort=True)
    with client() as gofer:
        gofer.delete_secret(key)
    out.print(f"deleted global secret {key}")
