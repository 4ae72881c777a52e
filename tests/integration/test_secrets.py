"""Secrets reach tasks and never their logs: real containers print them every way they can."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import docker
from typer.testing import CliRunner

from gofer.cli.main import app
from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.models import ReasonKind, RunStatus, TaskRunStatus
from tests.integration.helpers import by_task, created_containers, logs, task
from tests.integration.stack import GoferStack

SECRET = "s3cr3t-Pa55word"
MULTILINE = "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END KEY-----"


def run_with_secrets(stack: GoferStack, gofer: GoferClient, pipeline: Pipeline) -> tuple[bytes, object]:
    gofer.deploy(pipeline)
    gofer.put_secret("PASSWORD", SECRET, pipeline_id=pipeline.id)
    gofer.put_secret("KEY", MULTILINE, pipeline_id=pipeline.id)
    run = gofer.start_run(pipeline.id)
    ended = stack.wait_for_run(pipeline.id, run.id)
    return logs(gofer, ended, pipeline.tasks[0].id), ended


def test_secret_reaches_the_task_and_every_printed_form_is_masked(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    encoded = base64.b64encode(SECRET.encode()).decode()
    script = "\n".join(
        [
            'echo "plain: $PASSWORD"',
            'printf "split: %s" "$(echo "$PASSWORD" | cut -c1-6)"; sleep 0.3',
            'printf "%s\\n" "$(echo "$PASSWORD" | cut -c7-)"',
            'echo "$KEY"',
            'echo "{\\"key\\": \\"$(echo "$KEY" | sed ":a;N;\\$!ba;s/\\n/\\\\\\\\n/g")\\"}"',
            f'echo "b64: {encoded}"',
            'echo "length: ${#PASSWORD}"',
        ]
    )
    pipeline = Pipeline(
        id=pipeline_id,
        tasks=[
            task(
                "leak",
                script,
                variables={"PASSWORD": "pipeline_secret{{PASSWORD}}", "KEY": "pipeline_secret{{KEY}}"},
            )
        ],
    )

    output, run = run_with_secrets(stack, gofer, pipeline)

    text = output.decode()
    assert run.status == RunStatus.SUCCESSFUL  # type: ignore[attr-defined]
    assert SECRET not in text and encoded not in text and "MIIBOgIBAAJBAKj34GkxFhD9" not in text
    assert json.dumps(MULTILINE)[1:-1] not in text
    assert "plain: ***\n" in text
    assert "split: ***\n" in text
    assert '{"key": "***"}' in text  # the JSON-escaped multi-line value
    assert text.count("***") >= 5
    assert f"length: {len(SECRET)}\n" in text  # the task really had the value


def test_missing_secret_fails_the_task_before_anything_starts(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, docker_engine: docker.DockerClient
) -> None:
    since = datetime.now(UTC)
    gofer.deploy(
        Pipeline(
            id=pipeline_id,
            tasks=[task("needs", "echo never", variables={"TOKEN": "pipeline_secret{{ABSENT}}"})],
        )
    )
    run = stack.wait_for_run(pipeline_id, gofer.start_run(pipeline_id).id)

    needs = by_task(run)["needs"]
    assert needs.status == TaskRunStatus.FAILED
    assert needs.status_reason is not None and needs.status_reason.kind == ReasonKind.FAILED_PRECONDITION
    assert "'ABSENT'" in needs.status_reason.description and "TOKEN" in needs.status_reason.description
    assert created_containers(docker_engine, pipeline_id, since) == []


def test_global_secret_only_in_allowed_namespaces(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.put_secret(f"G-{pipeline_id}", "global-value-1", namespaces=["default"])
    gofer.put_secret(f"H-{pipeline_id}", "global-value-2", namespaces=["elsewhere-*"])
    gofer.deploy(
        Pipeline(
            id=pipeline_id,
            tasks=[
                task("allowed", 'echo "${#G}"', variables={"G": f"global_secret{{{{G-{pipeline_id}}}}}"}),
                task("refused", "echo never", variables={"H": f"global_secret{{{{H-{pipeline_id}}}}}"}),
            ],
        )
    )
    run = stack.wait_for_run(pipeline_id, gofer.start_run(pipeline_id).id)

    assert logs(gofer, run, "allowed") == b"14\n"
    refused = by_task(run)["refused"]
    assert refused.status_reason is not None and refused.status_reason.kind == ReasonKind.FAILED_PRECONDITION


def test_cli_reads_values_from_stdin_and_reveals_only_when_asked(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, tmp_path: Path
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    env = {"GOFER_HOST": stack.host, "GOFER_TOKEN": stack.token, "GOFER_CONFIG": str(tmp_path / "none.toml")}
    runner = CliRunner()

    put = runner.invoke(
        app, ["secret", "pipeline", "put", pipeline_id, "API_KEY"], input="from-stdin\n", env=env
    )
    listed = runner.invoke(app, ["secret", "pipeline", "list", pipeline_id, "-o", "json"], env=env)
    hidden = runner.invoke(app, ["secret", "pipeline", "get", pipeline_id, "API_KEY"], env=env)
    shown = runner.invoke(app, ["secret", "pipeline", "get", pipeline_id, "API_KEY", "--reveal"], env=env)

    assert put.exit_code == 0 and "from-stdin" not in put.output
    assert [s["key"] for s in json.loads(listed.stdout)] == ["API_KEY"] and "from-stdin" not in listed.stdout
    assert "from-stdin" not in hidden.stdout and "--reveal" in hidden.stdout
    assert shown.stdout.strip() == "from-stdin"


def test_production_server_without_a_key_refuses_to_start(tmp_path: Path, stack: GoferStack) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GOFER_SECRET_KEY"} | {
        "GOFER_DATA_DIR": str(tmp_path),
        "GOFER_TEMPORAL_ADDRESS": stack.env["GOFER_TEMPORAL_ADDRESS"],
    }

    result = subprocess.run(
        [sys.executable, "-m", "gofer.cli.main", "server"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "GOFER_SECRET_KEY is not set" in result.stderr
