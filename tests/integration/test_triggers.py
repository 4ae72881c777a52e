"""Trigger containers on real Docker: install, subscribe, events to runs exactly once, restarts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import docker
import grpc
import httpx
import pytest

from gofer.store.crypto import SecretCipher
from gofer.triggers.connection import trigger_key
from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.errors import ApiError
from gofer_sdk.models import RunPublic
from gofer_sdk.proto.gofer.trigger.v1 import trigger_pb2 as pb
from gofer_sdk.proto.gofer.trigger.v1.trigger_pb2_grpc import GatewayStub, TriggerStub
from gofer_sdk.trigger.protocol import AUTHORIZATION, TRIGGER_NAME, bearer
from gofer_sdk.trigger_models import TriggerPublic, TriggerState
from tests.integration.helpers import logs, task, uninstall
from tests.integration.stack import GoferStack, wait_until

TRIGGER_IMAGE = "gofer-test/trigger:latest"


def running(gofer: GoferClient, name: str, generation: int = 1) -> TriggerPublic | None:
    trigger = gofer.get_trigger(name)
    return trigger if trigger.state == TriggerState.RUNNING and trigger.generation >= generation else None


@pytest.fixture
def trigger(stack: GoferStack, gofer: GoferClient) -> Iterator[str]:
    """An installed, running testing trigger; uninstalled (with its subscriptions) afterwards."""
    name = f"tt-{uuid.uuid4().hex[:8]}"
    gofer.install_trigger(name, TRIGGER_IMAGE)
    wait_until(lambda: running(gofer, name), timeout=60, what=f"trigger {name} to run")
    yield name
    uninstall(gofer, name)


def post_event(
    stack: GoferStack, name: str, event: dict[str, object], *, host: str | None = None
) -> httpx.Response:
    # No token: webhooks come from outside; the trigger decides what it accepts.
    url = f"{host or stack.host}/api/triggers/{name}/events"
    return httpx.post(url, content=json.dumps(event), timeout=30)


def only_run(gofer: GoferClient, pipeline_id: str) -> RunPublic:
    runs = gofer.list_runs(pipeline_id).items
    assert len(runs) == 1, runs
    return runs[0]


def test_event_starts_a_run_with_the_triggers_variables(
    stack: GoferStack, gofer: GoferClient, trigger: str, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", 'echo "$GREETING $PAYLOAD"')]))
    gofer.subscribe(pipeline_id, trigger, label="main", settings={"greeting": "hello"})

    answer = post_event(stack, trigger, {"event_id": "e1", "payload": "world"})
    run = stack.wait_for_run(pipeline_id, only_run(gofer, pipeline_id).id)

    assert answer.status_code == 202 and answer.json()["runs_started"] == 1
    assert run.initiator == f"trigger {trigger} (main)" and run.event_id == f"{trigger}/e1"
    assert logs(gofer, run, "a") == b"hello world\n"


def test_the_same_event_id_twice_starts_one_run(
    stack: GoferStack, gofer: GoferClient, trigger: str, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, trigger, settings={"greeting": "hi"})

    retried = post_event(stack, trigger, {"event_id": "same", "repeat": 2})
    again = post_event(stack, trigger, {"event_id": "same"})

    reports = json.loads(retried.json()["message"])
    assert [r["duplicate"] for r in reports] == [False, True]
    assert reports[0]["run"] == reports[1]["run"]
    assert again.json()["runs_started"] == 0
    assert only_run(gofer, pipeline_id).id == reports[0]["run"]


def test_invalid_subscription_settings_are_refused_with_the_triggers_message(
    gofer: GoferClient, trigger: str, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    with pytest.raises(ApiError) as forbidden:
        gofer.subscribe(pipeline_id, trigger, settings={"greeting": "forbidden"})
    with pytest.raises(ApiError) as missing:
        gofer.subscribe(pipeline_id, trigger, settings={"colour": "red"})

    assert (
        forbidden.value.status == 422
        and "greeting 'forbidden' is not allowed here" in forbidden.value.message
    )
    assert "missing setting 'greeting'" in missing.value.message
    assert "unknown setting 'colour'" in missing.value.message
    assert gofer.list_subscriptions(pipeline_id) == []


def test_killed_trigger_is_restarted_with_its_subscriptions(
    stack: GoferStack, gofer: GoferClient, docker_engine: docker.DockerClient, trigger: str, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", 'echo "$GREETING"')]))
    gofer.subscribe(pipeline_id, trigger, settings={"greeting": "again"})

    docker_engine.containers.get(f"gofer-trigger-{trigger}-1").kill()
    restarted = wait_until(
        lambda: running(gofer, trigger, generation=2), timeout=60, what="a restarted trigger"
    )
    answer = post_event(stack, trigger, {"event_id": "after-restart"})

    assert restarted.generation == 2
    assert answer.json()["runs_started"] == 1  # the new container got the subscription back
    run = stack.wait_for_run(pipeline_id, only_run(gofer, pipeline_id).id)
    assert logs(gofer, run, "a") == b"again\n"
    assert [
        c.name
        for c in docker_engine.containers.list(all=True, filters={"label": f"dev.gofer.trigger={trigger}"})
    ] == [f"gofer-trigger-{trigger}-2"]


def test_calls_without_the_current_key_are_refused(
    stack: GoferStack, gofer: GoferClient, docker_engine: docker.DockerClient, trigger: str, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, trigger, settings={"greeting": "x"})
    report = pb.ReportEventRequest(
        event_id="forged", namespace="default", pipeline=pipeline_id, label=trigger
    )
    cipher = SecretCipher.from_text(stack.env["GOFER_SECRET_KEY"])
    port = docker_engine.api.port(f"gofer-trigger-{trigger}-1", 8080)[0]["HostPort"]

    with grpc.insecure_channel(f"127.0.0.1:{stack.gateway_port}") as channel:
        gateway = GatewayStub(channel)
        for key in ("wrong", trigger_key(cipher, trigger, 2)):  # a guess, and the next start's key
            with pytest.raises(grpc.RpcError) as refused:
                gateway.ReportEvent(report, metadata=[(AUTHORIZATION, bearer(key)), (TRIGGER_NAME, trigger)])
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        accepted = gateway.ReportEvent(
            report,
            metadata=[(AUTHORIZATION, bearer(trigger_key(cipher, trigger, 1))), (TRIGGER_NAME, trigger)],
        )
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel, pytest.raises(grpc.RpcError) as unkeyed:
        TriggerStub(channel).Info(pb.InfoRequest())

    assert accepted.run_id == only_run(gofer, pipeline_id).id
    assert unkeyed.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_trigger_reports_again_after_a_gateway_restart(
    stack: GoferStack, gofer: GoferClient, trigger: str, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, trigger, settings={"greeting": "x"})

    stack.stop_api()
    stack.start_api()
    answer = post_event(stack, trigger, {"event_id": "after-gateway-restart"})

    assert answer.json()["runs_started"] == 1
    assert only_run(gofer, pipeline_id).event_id == f"{trigger}/after-gateway-restart"


def test_uninstall_is_refused_while_subscribed(
    stack: GoferStack, gofer: GoferClient, docker_engine: docker.DockerClient, pipeline_id: str
) -> None:
    name = f"tt-{uuid.uuid4().hex[:8]}"
    gofer.install_trigger(name, TRIGGER_IMAGE)
    wait_until(lambda: running(gofer, name), timeout=60, what=f"trigger {name} to run")
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, name, settings={"greeting": "x"})

    with pytest.raises(ApiError) as refused:
        gofer.uninstall_trigger(name)
    gofer.unsubscribe(pipeline_id, name)
    gofer.uninstall_trigger(name)

    assert refused.value.status == 409 and pipeline_id in refused.value.message
    assert docker_engine.containers.list(all=True, filters={"label": f"dev.gofer.trigger={name}"}) == []
    assert name not in [t.name for t in gofer.list_triggers()]


def test_webhook_port_serves_the_ingress_and_nothing_else(
    stack: GoferStack, gofer: GoferClient, trigger: str, pipeline_id: str
) -> None:
    webhooks = f"http://127.0.0.1:{stack.webhook_port}"
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, trigger, label="main", settings={"greeting": "hi"})

    answer = post_event(stack, trigger, {"event_id": "via-webhook-port"}, host=webhooks)
    others = [httpx.get(f"{webhooks}{path}", headers=stack.auth) for path in ("/api/namespaces", "/docs")]
    oversized = httpx.post(f"{webhooks}/api/triggers/{trigger}/events", content=b"x" * (26 << 20), timeout=60)

    assert answer.status_code == 202 and answer.json()["runs_started"] == 1
    assert only_run(gofer, pipeline_id).event_id == f"{trigger}/via-webhook-port"
    assert [other.status_code for other in others] == [404, 404]
    assert oversized.status_code == 413


def test_trigger_logs_show_its_output_and_disable_stops_it(
    stack: GoferStack, gofer: GoferClient, trigger: str
) -> None:
    logs_of = f"{stack.host}/api/triggers/{trigger}/logs"
    printed = httpx.get(logs_of, headers=stack.auth, timeout=30)

    gofer.set_trigger_enabled(trigger, False)
    stopped = wait_until(
        lambda: (t := gofer.get_trigger(trigger)).state == TriggerState.STOPPED and t,
        timeout=60,
        what="the trigger to stop",
    )
    no_container = httpx.get(logs_of, headers=stack.auth, timeout=30)
    gofer.set_trigger_enabled(trigger, True)
    wait_until(lambda: running(gofer, trigger, stopped.generation + 1), timeout=60, what="the restart")
    enabled_again = gofer.set_trigger_enabled(trigger, True)  # already enabled: nothing to do

    assert printed.status_code == 200 and f"trigger {trigger} serving on port" in printed.text
    assert no_container.status_code == 404 and "no container now" in no_container.json()["error"]["message"]
    assert enabled_again.enabled and enabled_again.generation == stopped.generation + 1
