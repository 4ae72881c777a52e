"""The `gofer` command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gofer.cli import (
    events,
    namespaces,
    objects,
    pipelines,
    runs,
    secrets,
    subscriptions,
    system,
    tasks,
    tokens,
    triggers,
)
from gofer.cli.common import connection_options, err, out

if TYPE_CHECKING:
    from gofer.settings import Settings

app = typer.Typer(
    name="gofer", no_args_is_help=True, help="Gofer runs container pipelines as durable Temporal workflows."
)
app.add_typer(namespaces.app, name="namespace")
pipelines.app.add_typer(objects.pipeline_objects, name="object")
runs.app.add_typer(objects.run_objects, name="object")
subscriptions.register(pipelines.app)
app.add_typer(pipelines.app, name="pipeline")
app.add_typer(runs.app, name="run")
app.add_typer(tasks.app, name="task")
app.add_typer(events.app, name="event")
app.add_typer(secrets.app, name="secret")
app.add_typer(tokens.app, name="token")
app.add_typer(system.app, name="system")
app.add_typer(triggers.app, name="trigger")


@app.callback()
def options(
    host: Annotated[
        str | None, typer.Option(help="API address (else GOFER_HOST, the config file, or local).")
    ] = None,
    token: Annotated[
        str | None, typer.Option(help="API token (else GOFER_TOKEN, GOFER_API_TOKEN or the config file).")
    ] = None,
) -> None:
    """Gofer runs container pipelines as durable Temporal workflows."""
    connection_options.set({"host": host, "token": token})


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="GOFER_DATA_DIR", help="Store, logs and Temporal database."),
]
ApiPort = Annotated[int | None, typer.Option("--port", envvar="GOFER_API_PORT", help="Port of the REST API.")]

# The process commands import server modules inside the function: client commands stay light
# and never load the server.


@app.command()
def up(
    data_dir: DataDir = None,
    port: ApiPort = None,
    auth: Annotated[
        bool, typer.Option("--auth/--no-auth", help="Require API tokens (off by default here).")
    ] = False,
) -> None:
    """Run everything on this machine: Temporal dev server, API and worker. Ctrl-C stops all.

    Example: gofer up --data-dir ~/.gofer
    """
    from gofer.orchestrators.docker import HOST_ALIAS
    from gofer.processes import up as run_up

    settings = _settings(data_dir, port)
    settings.web_ui_url = settings.web_ui_url or f"http://127.0.0.1:{settings.temporal_ui_port}"
    settings.dev_mode = True
    settings.auth_required = auth

    def banner() -> None:
        out.print("[bold green]Gofer is up[/]")
        out.print(f"  API          http://{settings.api_host}:{settings.api_port}  (docs at /docs)")
        tasks_url = settings.task_api_url or f"http://{HOST_ALIAS}:{settings.api_port}"
        out.print(f"  for tasks    {tasks_url}  (GOFER_HOST with inject_api_token)")
        out.print(f"  triggers     gRPC gateway on port {settings.trigger_gateway_port}")
        if settings.webhook_port is not None:
            out.print(
                f"  webhooks     http://{settings.webhook_host}:{settings.webhook_port}/api/triggers/NAME/events"
            )
        out.print(f"  Temporal     {settings.temporal_address}")
        out.print(f"  Temporal UI  {settings.web_ui_url}")
        out.print(f"  data         {settings.data_dir}")
        if settings.database_url:
            out.print(f"  store        {_without_password(settings.database_url)}")
        if not auth:
            out.print("  auth         [yellow]OFF[/] (dev mode): anyone who reaches the API can use it")
        if not settings.secret_key:
            out.print(f"  secrets      sealed with the dev key in {settings.data_dir / 'secret.key'}")
        out.print("Press Ctrl-C to stop.")

    with _server_errors():
        run_up(settings, banner)
    out.print(f"Gofer stopped. Pipelines, runs and logs are kept in {settings.data_dir}.")


@app.command()
def server(data_dir: DataDir = None, port: ApiPort = None) -> None:
    """Run the REST API alone, against GOFER_TEMPORAL_ADDRESS.

    Example: gofer server --port 8080   (with GOFER_TEMPORAL_ADDRESS=temporal:7233)
    """
    from gofer.processes import serve

    settings = _settings(data_dir, port)
    with _server_errors():
        serve(
            settings,
            api=True,
            worker=False,
            banner=lambda: out.print(_server_banner(settings)),
        )


@app.command()
def worker(data_dir: DataDir = None) -> None:
    """Run a worker alone: it runs pipeline workflows and their containers. Add more to scale out.

    Example: gofer worker   (with GOFER_TEMPORAL_ADDRESS=temporal:7233)
    """
    from gofer.processes import serve

    settings = _settings(data_dir, None)
    with _server_errors():
        serve(
            settings,
            api=False,
            worker=True,
            banner=lambda: out.print(f"Gofer worker on task queue {settings.task_queue}"),
        )


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _server_banner(settings: Settings) -> str:
    banner = f"Gofer API on http://{settings.api_host}:{settings.api_port}"
    if settings.webhook_port is not None:
        banner += f"; webhooks alone on http://{settings.webhook_host}:{settings.webhook_port}"
    return banner


def _settings(data_dir: Path | None, port: int | None) -> Settings:
    from gofer.settings import Settings

    settings = Settings()
    if data_dir is not None:
        settings.data_dir = data_dir
    if port is not None:
        settings.api_port = port
    return settings


@contextmanager
def _server_errors() -> Iterator[None]:
    from gofer.errors import GoferServerError
    from gofer.orchestrators.base import OrchestratorError

    try:
        yield
    except (GoferServerError, OrchestratorError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None


if __name__ == "__main__":
    app(prog_name="gofer")
