"""Every CLI command family through Typer's runner, against the real running server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from gofer.cli.main import app
from tests.integration.stack import TEST_IMAGE, GoferStack


@pytest.fixture
def gofer_cli(stack: GoferStack, tmp_path: Path) -> Any:
    runner = CliRunner()
    env = {
        "GOFER_HOST": stack.host,
        "GOFER_TOKEN": stack.token,
        "GOFER_CONFIG": str(tmp_path / "none.toml"),
        "COLUMNS": "200",
    }

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, input=input)

    return invoke


def write_config(tmp_path: Path, pipeline_id: str, message: str) -> str:
    path = tmp_path / f"{pipeline_id}-{message}.yaml"
    path.write_text(
        f"id: {pipeline_id}\ntasks:\n  - id: say\n    image: {TEST_IMAGE}\n    script: echo {message}\n"
    )
    return str(path)


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_pipeline_versions_diff_and_rollback(gofer_cli: Any, tmp_path: Path, pipeline_id: str) -> None:
    assert gofer_cli("pipeline", "deploy", write_config(tmp_path, pipeline_id, "one")).exit_code == 0
    assert gofer_cli("pipeline", "deploy", write_config(tmp_path, pipeline_id, "two")).exit_code == 0

    versions = as_json(gofer_cli("pipeline", "versions", pipeline_id, "-o", "json"))
    diff = gofer_cli("pipeline", "diff", pipeline_id, "1", "2")
    rollback = gofer_cli("pipeline", "rollback", pipeline_id, "1")
    pipeline = as_json(gofer_cli("pipeline", "get", pipeline_id, "--output", "json"))
    listed = as_json(gofer_cli("pipeline", "list", "-o", "json", "--limit", "500"))

    assert [v["version"] for v in versions] == [2, 1]
    assert "-  script: echo one" in diff.stdout and "+  script: echo two" in diff.stdout
    assert "version 1 is live" in rollback.stdout
    assert pipeline["live_version"] == 1
    assert pipeline_id in [p["id"] for p in listed["items"]]


def test_runs_start_list_get_retry(gofer_cli: Any, tmp_path: Path, pipeline_id: str) -> None:
    gofer_cli("pipeline", "deploy", write_config(tmp_path, pipeline_id, "hello"))

    started = gofer_cli("run", "start", pipeline_id, "--var", "K=V", "--wait")
    retried = gofer_cli("run", "retry", pipeline_id, "1", "--wait")
    runs = as_json(gofer_cli("run", "list", pipeline_id, "-o", "json"))
    run = as_json(gofer_cli("run", "get", pipeline_id, "2", "-o", "json"))
    tasks = as_json(gofer_cli("task", "list", pipeline_id, "2", "-o", "json"))
    task = as_json(gofer_cli("task", "get", pipeline_id, "2", "say", "-o", "json"))
    table = gofer_cli("run", "list", pipeline_id, "--status", "successful")

    assert started.exit_code == 0 and retried.exit_code == 0
    assert [r["id"] for r in runs["items"]] == [2, 1]
    assert run["variables"] == {"K": "V"} and run["initiator"] == "retry of run 1"
    assert [t["task_id"] for t in tasks] == ["say"] and task["exit_code"] == 0
    assert "successful" in table.stdout and "ago" in table.stdout


def test_run_start_with_an_event_id_starts_once(gofer_cli: Any, tmp_path: Path, pipeline_id: str) -> None:
    gofer_cli("pipeline", "deploy", write_config(tmp_path, pipeline_id, "hello"))

    first = gofer_cli("run", "start", pipeline_id, "--event-id", "ci-build-41")
    again = gofer_cli("run", "start", pipeline_id, "--event-id", "ci-build-41")
    runs = as_json(gofer_cli("run", "list", pipeline_id, "-o", "json"))

    assert "run 1 of" in first.stdout and "run 1 of" in again.stdout
    assert [r["id"] for r in runs["items"]] == [1]


def test_cancel_all_and_task_cancel(
    gofer_cli: Any, stack: GoferStack, tmp_path: Path, pipeline_id: str
) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text(
        f"id: {pipeline_id}\ntasks:\n  - id: wait\n    image: {TEST_IMAGE}\n    script: sleep 60\n"
    )
    gofer_cli("pipeline", "deploy", str(path))
    gofer_cli("run", "start", pipeline_id)

    refused = gofer_cli("run", "cancel-all", pipeline_id, input="n\n")
    confirmed = gofer_cli("run", "cancel-all", pipeline_id, "--yes")

    assert refused.exit_code != 0 and "Aborted" in refused.output
    assert "cancelling 1 run(s): 1" in confirmed.stdout
    assert stack.wait_for_run(pipeline_id, 1, timeout=60).status == "cancelled"


def test_namespaces_and_namespace_option(gofer_cli: Any, tmp_path: Path, pipeline_id: str) -> None:
    namespace = f"cli-{pipeline_id}"
    assert gofer_cli("namespace", "create", namespace, "--name", "CLI team").exit_code == 0
    deployed = gofer_cli("pipeline", "deploy", write_config(tmp_path, pipeline_id, "x"), "-n", namespace)
    listed = as_json(gofer_cli("namespace", "list", "-o", "json"))
    in_default = gofer_cli("pipeline", "get", pipeline_id)
    refused = gofer_cli("namespace", "delete", namespace, "--yes")
    gofer_cli("pipeline", "delete", pipeline_id, "-n", namespace, "--yes")
    deleted = gofer_cli("namespace", "delete", namespace, "--yes")

    assert deployed.exit_code == 0
    assert namespace in [n["id"] for n in listed]
    assert in_default.exit_code == 1 and f"pipeline '{pipeline_id}' not found" in in_default.stderr
    assert refused.exit_code == 1 and "delete them first" in refused.stderr
    assert deleted.exit_code == 0


def test_system_kill_switch_and_events(gofer_cli: Any, tmp_path: Path, pipeline_id: str) -> None:
    gofer_cli("pipeline", "deploy", write_config(tmp_path, pipeline_id, "x"))
    try:
        assert gofer_cli("system", "pause-runs", "--reason", "upgrade").exit_code == 0
        info = as_json(gofer_cli("system", "info", "-o", "json"))
        refused = gofer_cli("run", "start", pipeline_id)
    finally:
        gofer_cli("system", "resume-runs")
    events = as_json(gofer_cli("event", "list", "-o", "json", "--limit", "20"))

    assert info["run_intake"] == {"paused": True, "reason": "upgrade"}
    assert refused.exit_code == 1 and "paused" in refused.stderr and "upgrade" in refused.stderr
    assert [e["kind"] for e in events][-2:] == ["run_intake_paused", "run_intake_resumed"]


def test_config_file_supplies_host_token_and_namespace(
    stack: GoferStack, tmp_path: Path, pipeline_id: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'host = "{stack.host}"\ntoken = "{stack.token}"\nnamespace = "default"\n')
    runner = CliRunner()

    result = runner.invoke(
        app,
        ["pipeline", "list", "-o", "json"],
        env={"GOFER_CONFIG": str(config), "GOFER_HOST": "", "GOFER_TOKEN": ""},
    )

    assert result.exit_code == 0, result.output
    assert "items" in json.loads(result.stdout)


def test_unreachable_host_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["--host", "http://127.0.0.1:9", "pipeline", "list"],
        env={"GOFER_CONFIG": str(tmp_path / "none.toml")},
    )
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: cannot reach Gofer at http://127.0.0.1:9")


def test_run_watch_follows_to_the_end_and_exits_by_status(
    gofer_cli: Any, stack: GoferStack, tmp_path: Path, pipeline_id: str
) -> None:
    path = tmp_path / "watch.yaml"
    path.write_text(
        f"id: {pipeline_id}\ntasks:\n  - id: tick\n    image: {TEST_IMAGE}\n"
        "    script: for i in 1 2 3; do echo tick $i; sleep 0.5; done; exit 2\n"
    )
    gofer_cli("pipeline", "deploy", str(path))
    gofer_cli("run", "start", pipeline_id)

    watched = gofer_cli("run", "watch", pipeline_id, "1")

    assert watched.exit_code == 1  # the run failed
    assert (
        "Run 1 of" in watched.stdout and "failed" in watched.stdout and "exited with code 2" in watched.stdout
    )
    assert stack.client().get_run(pipeline_id, 1).state == "complete"
