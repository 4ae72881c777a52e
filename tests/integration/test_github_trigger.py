"""The GitHub trigger with real webhook payloads (@octokit/webhooks-examples), signed as GitHub signs."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.errors import ApiError
from gofer_sdk.trigger_models import TriggerState
from tests.integration.helpers import logs, task, uninstall
from tests.integration.stack import GoferStack, wait_until

SECRET = "It's a Secret to Everybody"
EXAMPLES = Path(
    os.environ.get("GOFER_TEST_CACHE", Path.home() / ".cache/gofer-test"),
    "webhooks-examples-7.6.1/index.json",
)


@pytest.fixture(scope="module")
def examples() -> dict[str, list[dict[str, Any]]]:
    if not EXAMPLES.exists():
        pytest.fail(f"{EXAMPLES} is missing: run scripts/fetch-webhook-examples.sh (make test does)")
    return {event["name"]: event["examples"] for event in json.loads(EXAMPLES.read_text())}


@pytest.fixture
def github(stack: GoferStack, gofer: GoferClient) -> Iterator[str]:
    name = f"gh-{uuid.uuid4().hex[:8]}"
    gofer.install_trigger(name, "gofer/trigger-github:latest", {"webhook_secret": SECRET})
    wait_until(
        lambda: gofer.get_trigger(name).state == TriggerState.RUNNING, timeout=60, what="the github trigger"
    )
    yield name
    uninstall(gofer, name)


def deliver(
    stack: GoferStack,
    trigger: str,
    event: str,
    payload: dict[str, Any],
    *,
    secret: str = SECRET,
    delivery: str = "",
) -> httpx.Response:
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": signature,
        "Content-Type": "application/json",
    }
    return httpx.post(
        f"{stack.host}/api/triggers/{trigger}/events", content=body, headers=headers, timeout=30
    )


ECHO = 'echo "$GOFER_TRIGGER_GITHUB_EVENT $GOFER_TRIGGER_GITHUB_REF $GOFER_TRIGGER_GITHUB_SHA"'


def test_signed_push_starts_a_run_with_its_fields(
    stack: GoferStack,
    gofer: GoferClient,
    github: str,
    pipeline_id: str,
    examples: dict[str, list[dict[str, Any]]],
) -> None:
    push = examples["push"][0]
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", ECHO)]))
    gofer.subscribe(
        pipeline_id, github, settings={"repository": push["repository"]["full_name"], "events": "push"}
    )

    answer = deliver(stack, github, "push", push, delivery="delivery-1")
    redelivered = deliver(stack, github, "push", push, delivery="delivery-1")
    runs = gofer.list_runs(pipeline_id).items
    run = stack.wait_for_run(pipeline_id, runs[0].id)

    assert answer.status_code == 202 and answer.json()["runs_started"] == 1
    assert redelivered.json()["runs_started"] == 0 and len(runs) == 1  # GitHub's redelivery: no second run
    assert logs(gofer, run, "a").decode() == f"push {push['ref']} {push['after']}\n"
    assert run.variables["GOFER_TRIGGER_GITHUB_REPOSITORY"] == push["repository"]["full_name"]


def test_bad_signature_is_refused_and_starts_nothing(
    stack: GoferStack,
    gofer: GoferClient,
    github: str,
    pipeline_id: str,
    examples: dict[str, list[dict[str, Any]]],
) -> None:
    push = examples["push"][0]
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    gofer.subscribe(pipeline_id, github, settings={"repository": push["repository"]["full_name"]})

    answer = deliver(stack, github, "push", push, secret="not the secret")

    assert answer.status_code == 401 and "signature" in answer.json()["message"]
    assert gofer.list_runs(pipeline_id).items == []


def test_events_and_actions_filter_what_starts_runs(
    stack: GoferStack,
    gofer: GoferClient,
    github: str,
    pipeline_id: str,
    examples: dict[str, list[dict[str, Any]]],
) -> None:
    opened = next(e for e in examples["pull_request"] if e["action"] == "opened")
    closed = next(e for e in examples["pull_request"] if e["action"] == "closed")
    settings = {
        "repository": opened["repository"]["full_name"],
        "events": "pull_request",
        "actions": "opened",
    }
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", ECHO)]))
    gofer.subscribe(pipeline_id, github, settings=settings)

    ignored = [
        deliver(stack, github, "pull_request", closed),
        deliver(stack, github, "push", examples["push"][0]),
    ]
    started = deliver(stack, github, "pull_request", opened)
    run = stack.wait_for_run(pipeline_id, gofer.list_runs(pipeline_id).items[0].id)

    assert [a.json()["runs_started"] for a in ignored] == [0, 0]
    assert started.json()["runs_started"] == 1 and len(gofer.list_runs(pipeline_id).items) == 1
    head = opened["pull_request"]["head"]
    assert logs(gofer, run, "a").decode() == f"pull_request {head['ref']} {head['sha']}\n"


def test_subscription_needs_a_repository(gofer: GoferClient, github: str, pipeline_id: str) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))

    with pytest.raises(ApiError) as refused:
        gofer.subscribe(pipeline_id, github, settings={"repository": "no-owner"})

    assert refused.value.status == 422 and "owner/name" in refused.value.message
