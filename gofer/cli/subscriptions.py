"""`gofer pipeline subscribe/unsubscribe/subscriptions/pause-subscription/resume-subscription`."""

from __future__ import annotations

from typing import Annotated

import typer

from gofer.cli.common import (
    NamespaceOption,
    Output,
    OutputOption,
    cli_errors,
    client,
    out,
    parse_vars,
    print_json,
)
from gofer.cli.render import ago, table
from gofer_sdk.trigger_models import SubscriptionPublic

PipelineArg = Annotated[str, typer.Argument(help="Pipeline id.")]
LabelArg = Annotated[
    str, typer.Argument(help="The subscription's label (`gofer pipeline subscriptions` lists them).")
]
Pairs = list[str] | None


@cli_errors
def subscribe(
    pipeline_id: PipelineArg,
    trigger: Annotated[str, typer.Argument(help="'interval', 'cron', or an installed trigger's name.")],
    label: Annotated[
        str | None, typer.Option(help="Name of this subscription (default: the trigger).")
    ] = None,
    every: Annotated[str | None, typer.Option(help="interval: how often, e.g. 30s, 5m, 1h30m.")] = None,
    expression: Annotated[
        str | None, typer.Option(help="cron: e.g. '0 3 * * *' (UTC unless --timezone).")
    ] = None,
    timezone: Annotated[str | None, typer.Option(help="cron: an IANA time zone, e.g. Europe/Paris.")] = None,
    overlap: Annotated[
        str | None,
        typer.Option(help="interval/cron, while a run goes on: skip (default), buffer_one, cancel_other."),
    ] = None,
    setting: Annotated[
        Pairs, typer.Option("--setting", "-s", help="Trigger setting KEY=VALUE (repeatable).")
    ] = None,
    var: Annotated[
        Pairs, typer.Option("--var", "-v", help="Run variable KEY=VALUE for every run (repeatable).")
    ] = None,
    namespace: NamespaceOption = None,
) -> None:
    """Start runs of a pipeline when a trigger fires.

    Example: gofer pipeline subscribe build interval --every 5m

    Also: gofer pipeline subscribe build cron --expression "0 3 * * *" --label nightly
          gofer pipeline subscribe build github -s repository=me/app -s events=push
    """
    settings = parse_vars(setting or [], "--setting")
    named = {"every": every, "expression": expression, "timezone": timezone, "overlap": overlap}
    settings |= {key: value for key, value in named.items() if value is not None}
    with client(namespace) as gofer:
        created = gofer.subscribe(
            pipeline_id, trigger, label=label, settings=settings, variables=parse_vars(var or [])
        )
    out.print(f"subscribed [bold]{pipeline_id}[/] to {trigger} as '{created.label}'")


@cli_errors
def unsubscribe(pipeline_id: PipelineArg, label: LabelArg, namespace: NamespaceOption = None) -> None:
    """Remove a subscription: the trigger starts no more runs of the pipeline.

    Example: gofer pipeline unsubscribe build nightly
    """
    with client(namespace) as gofer:
        gofer.unsubscribe(pipeline_id, label)
    out.print(f"unsubscribed '{label}' of [bold]{pipeline_id}[/]")


@cli_errors
def subscriptions(
    pipeline_id: PipelineArg, namespace: NamespaceOption = None, output: OutputOption = Output.TABLE
) -> None:
    """List a pipeline's subscriptions.

    Example: gofer pipeline subscriptions build
    """
    with client(namespace) as gofer:
        found = gofer.list_subscriptions(pipeline_id)
    if output == Output.JSON:
        return print_json(found)
    grid = table("LABEL", "TRIGGER", "SETTINGS", "STATE", "CREATED")
    for item in found:
        settings = " ".join(f"{k}={v}" for k, v in sorted(item.settings.items()))
        grid.add_row(item.label, item.trigger, settings, _state(item), ago(item.created))
    out.print(grid)


@cli_errors
def pause_subscription(pipeline_id: PipelineArg, label: LabelArg, namespace: NamespaceOption = None) -> None:
    """Pause a subscription: no runs from it until it is resumed.

    Example: gofer pipeline pause-subscription build nightly
    """
    with client(namespace) as gofer:
        gofer.set_subscription_paused(pipeline_id, label, True)
    out.print(f"paused '{label}' of [bold]{pipeline_id}[/]")


@cli_errors
def resume_subscription(pipeline_id: PipelineArg, label: LabelArg, namespace: NamespaceOption = None) -> None:
    """Resume a paused subscription.

    Example: gofer pipeline resume-subscription build nightly
    """
    with client(namespace) as gofer:
        gofer.set_subscription_paused(pipeline_id, label, False)
    out.print(f"resumed '{label}' of [bold]{pipeline_id}[/]")


def _state(subscription: SubscriptionPublic) -> str:
    return "[yellow]paused[/]" if subscription.paused else "[green]active[/]"


def register(app: typer.Typer) -> None:
    for command in (subscribe, unsubscribe, subscriptions, pause_subscription, resume_subscription):
        app.command(command.__name__.replace("_", "-"))(command)
