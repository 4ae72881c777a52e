"""What every CLI command shares: the client, output modes, consoles, one-line errors.

Where the CLI finds its API: `--host`/`--token` flags, else `GOFER_HOST`/`GOFER_TOKEN` (or
`GOFER_API_TOKEN`), else the config file (`$GOFER_CONFIG`, default `~/.config/gofer/config.toml`,
keys `host`, `token`, `namespace`), else http://127.0.0.1:8080.
"""

from __future__ import annotations

import enum
import functools
import os
import tomllib
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel, TypeAdapter
from rich.console import Console

from gofer_sdk.client import DEFAULT_HOST, DEFAULT_NAMESPACE, GoferClient
from gofer_sdk.errors import ApiError, ConfigError, GoferError

P = ParamSpec("P")
R = TypeVar("R")

# --host/--token given before the sub-command, for this invocation.
connection_options: ContextVar[dict[str, str | None]] = ContextVar("connection_options", default={})  # noqa: B039

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Output(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


NamespaceOption = Annotated[
    str | None,
    typer.Option(
        "--namespace", "-n", envvar="GOFER_NAMESPACE", help="Namespace (default: from config, or 'default')."
    ),
]
OutputOption = Annotated[Output, typer.Option("--output", "-o", help="table for people, json for scripts.")]


def config_file() -> dict[str, Any]:
    path = Path(os.environ.get("GOFER_CONFIG", Path.home() / ".config" / "gofer" / "config.toml"))
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise GoferError(f"config file {path} is not valid TOML: {exc}") from exc


def client(namespace: str | None = None) -> GoferClient:
    """A client for the API chosen by flags, environment or config file."""
    root = connection_options.get()
    file = config_file()
    host = root.get("host") or os.environ.get("GOFER_HOST") or file.get("host") or DEFAULT_HOST
    # GOFER_API_TOKEN: what Gofer gives a task with `inject_api_token`.
    env_token = os.environ.get("GOFER_TOKEN") or os.environ.get("GOFER_API_TOKEN")
    token = root.get("token") or env_token or file.get("token")
    namespace = namespace or file.get("namespace") or DEFAULT_NAMESPACE
    return GoferClient(host, namespace=namespace, token=token)


def print_json(value: BaseModel | list[Any] | Any) -> None:
    if isinstance(value, BaseModel):
        out.print_json(value.model_dump_json())
    else:
        out.print_json(TypeAdapter(type(value)).dump_json(value).decode())


def cli_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn Gofer errors into one clear line on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            err.print(f"[red]error:[/] {exc}", markup=True)
        except ApiError as exc:
            err.print(f"[red]error:[/] {exc.message}{_details(exc.details)}", markup=True)
        except GoferError as exc:
            err.print(f"[red]error:[/] {exc}", markup=True)
        raise typer.Exit(1)

    return wrapper


def _details(details: list[Any]) -> str:
    lines = [f"\n  - {d.get('location', '')}: {d.get('message', d)}" for d in details if isinstance(d, dict)]
    return "".join(lines)


def parse_vars(pairs: list[str], option: str = "--var") -> dict[str, str]:
    """KEY=VALUE pairs from repeated flags (--var, --setting)."""
    variables = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"'{pair}' is not KEY=VALUE", param_hint=option)
        variables[key] = value
    return variables
