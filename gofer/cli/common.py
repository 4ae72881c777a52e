"""What every CLI command shares: the client, the consoles, one-line errors."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from gofer_sdk.client import DEFAULT_HOST, DEFAULT_NAMESPACE, GoferClient
from gofer_sdk.errors import ApiError, ConfigError, GoferError

P = ParamSpec("P")
R = TypeVar("R")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

NamespaceOption = Annotated[
    str, typer.Option("--namespace", "-n", envvar="GOFER_NAMESPACE", help="Namespace of the pipeline.")
]


def client(namespace: str = DEFAULT_NAMESPACE) -> GoferClient:
    """A client for the API at GOFER_HOST (default http://127.0.0.1:8080)."""
    host = os.environ.get("GOFER_HOST", DEFAULT_HOST)
    return GoferClient(host, namespace=namespace, token=os.environ.get("GOFER_TOKEN") or None)


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


def parse_vars(pairs: list[str]) -> dict[str, str]:
    """KEY=VALUE pairs from --var flags."""
    variables = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"'{pair}' is not KEY=VALUE", param_hint="--var")
        variables[key] = value
    return variables
