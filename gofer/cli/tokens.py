"""`gofer token ...`"""

from __future__ import annotations

from typing import Annotated

import typer

from gofer.cli.common import Output, OutputOption, cli_errors, client, out, print_json
from gofer.cli.render import ago, table
from gofer_sdk.models import TokenKind, TokenPublic

app = typer.Typer(help="API tokens: who may do what.", no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(help="Token id (not the secret).")]


def show(token: TokenPublic) -> None:
    scope = ", ".join(token.namespaces) or ("everything" if token.kind == TokenKind.ADMIN else "-")
    state = "disabled" if token.disabled else "enabled"
    expires = token.expires.strftime("%Y-%m-%d %H:%M") if token.expires else "never"
    out.print(f"{token.id}  {token.kind.value}  {scope}  {state}  expires {expires}  {token.description}")


@app.command()
@cli_errors
def bootstrap() -> None:
    """Get the first admin token of a fresh Gofer (works once).

    Example: gofer token bootstrap
    """
    with client() as gofer:
        secret = gofer.bootstrap_token()
    out.print("admin token (shown once; store it, e.g. GOFER_TOKEN or ~/.config/gofer/config.toml):")
    print(secret.token)


@app.command()
@cli_errors
def create(
    namespace: Annotated[
        list[str] | None, typer.Option("--namespace", "-n", help="Namespace pattern (repeatable).")
    ] = None,
    kind: Annotated[
        TokenKind,
        typer.Option(help="admin, user (namespaces), or trigger (starts and reads runs in its namespaces)."),
    ] = TokenKind.USER,
    description: Annotated[str, typer.Option(help="Who or what it is for.")] = "",
    expires_in: Annotated[int | None, typer.Option(help="Seconds until it expires.")] = None,
) -> None:
    """Create a token; its secret is printed once.

    Example: gofer token create -n 'team-a*' --description "team A CI" --expires-in 2592000
    """
    with client() as gofer:
        secret = gofer.create_token(
            kind, namespaces=namespace or [], description=description, expires_in=expires_in
        )
    show(secret.details)
    print(secret.token)


@app.command("list")
@cli_errors
def list_tokens(output: OutputOption = Output.TABLE) -> None:
    """List tokens (never their secrets).

    Example: gofer token list
    """
    with client() as gofer:
        tokens = gofer.list_tokens()
    if output == Output.JSON:
        return print_json(tokens)
    grid = table("ID", "KIND", "NAMESPACES", "STATE", "CREATED", "DESCRIPTION")
    for token in tokens:
        grid.add_row(
            token.id,
            token.kind.value,
            ", ".join(token.namespaces) or "-",
            "disabled" if token.disabled else "enabled",
            ago(token.created),
            token.description,
        )
    out.print(grid)


@app.command()
@cli_errors
def get(token_id: IdArg, output: OutputOption = Output.TABLE) -> None:
    """Show one token.

    Example: gofer token get 3f2a...
    """
    with client() as gofer:
        token = gofer.get_token(token_id)
    if output == Output.JSON:
        return print_json(token)
    show(token)


@app.command()
@cli_errors
def disable(token_id: IdArg) -> None:
    """Disable a token: requests with it get 401 until it is enabled again.

    Example: gofer token disable 3f2a...
    """
    with client() as gofer:
        show(gofer.set_token_enabled(token_id, False))


@app.command()
@cli_errors
def enable(token_id: IdArg) -> None:
    """Enable a disabled token.

    Example: gofer token enable 3f2a...
    """
    with client() as gofer:
        show(gofer.set_token_enabled(token_id, True))


@app.command()
@cli_errors
def delete(
    token_id: IdArg, yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False
) -> None:
    """Delete a token.

    Example: gofer token delete 3f2a... --yes
    """
    if not yes:
        typer.confirm(f"Delete token {token_id}?", abort=True)
    with client() as gofer:
        gofer.delete_token(token_id)
    out.print(f"deleted token {token_id}")


@app.command()
@cli_errors
def whoami() -> None:
    """Show the token this CLI uses.

    Example: gofer token whoami
    """
    with client() as gofer:
        token = gofer.whoami()
    if token is None:
        out.print("the server runs without authentication (dev mode)")
    else:
        show(token)
