"""Objects through the real server: streamed, limited, expiring, and interpolated into tasks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
from typer.testing import CliRunner

from gofer.cli.main import app
from gofer_sdk.client import GoferClient
from gofer_sdk.config import Pipeline
from gofer_sdk.models import RunStatus
from tests.integration.helpers import logs, run_pipeline, task
from tests.integration.stack import GoferStack, TemporalServer


@pytest.fixture(scope="module")
def small_stack(
    tmp_path_factory: pytest.TempPathFactory, temporal: TemporalServer, docker_engine: docker.DockerClient
) -> Iterator[GoferStack]:
    env = {"GOFER_OBJECT_LIMIT": "2", "GOFER_RUN_OBJECT_EXPIRY": "1"}
    stack = GoferStack(tmp_path_factory.mktemp("objects"), temporal, extra_env=env).start()
    yield stack
    stack.stop()


def chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    for n in range(total // size):
        yield bytes([n % 251]) * size


def test_large_object_streams_in_and_out_intact(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str
) -> None:
    gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    expected = hashlib.sha256(b"".join(chunks(32 << 20))).hexdigest()

    stored = gofer.put_object(pipeline_id, "big.bin", chunks(32 << 20))
    digest = hashlib.sha256()
    for chunk in gofer.get_object(pipeline_id, "big.bin"):
        digest.update(chunk)

    assert stored.size == 32 << 20
    assert digest.hexdigest() == expected


def test_pipeline_object_limit_evicts_oldest(small_stack: GoferStack, pipeline_id: str) -> None:
    with small_stack.client() as gofer:
        gofer.deploy(Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
        for key in ("one", "two", "three"):
            gofer.put_object(pipeline_id, key, key.encode())
        kept = [o.key for o in gofer.list_objects(pipeline_id)]
        evicted = [e for e in gofer.list_events(limit=50) if e.kind == "pipeline_object_evicted"]

    assert kept == ["three", "two"]
    assert evicted[-1].pipeline == pipeline_id and evicted[-1].details["key"] == "one"


def test_run_objects_expire_and_objects_reach_tasks(small_stack: GoferStack, pipeline_id: str) -> None:
    with small_stack.client() as gofer:
        gofer.deploy(
            Pipeline(
                id=pipeline_id,
                tasks=[
                    task("first", "sleep 2"),  # time for the test to add the run object
                    task(
                        "show",
                        'echo "$CONFIG / $NOTE"',
                        depends_on={"first": "success"},
                        variables={"CONFIG": "pipeline_object{{config}}", "NOTE": "run_object{{note}}"},
                    ),
                ],
            )
        )
        gofer.put_object(pipeline_id, "config", b"from the pipeline")
        first = gofer.start_run(pipeline_id)
        gofer.put_object(pipeline_id, "note", b"for run one", run_id=first.id)  # while "first" sleeps
        first_done = small_stack.wait_for_run(pipeline_id, first.id)
        kept_after_first = [o.key for o in gofer.list_objects(pipeline_id, run_id=first.id)]
        second = gofer.start_run(pipeline_id)
        small_stack.wait_for_run(pipeline_id, second.id)
        kept_after_second = gofer.list_objects(pipeline_id, run_id=first.id)

        shown = logs(gofer, first_done, "show")

    assert first_done.status == RunStatus.SUCCESSFUL
    assert shown == b"from the pipeline / for run one\n"
    assert kept_after_first == ["note"]
    assert kept_after_second == []  # run 2 completed: run 1's objects expired (expiry 1)


def test_cli_object_round_trip(
    stack: GoferStack, gofer: GoferClient, pipeline_id: str, tmp_path: Path
) -> None:
    run = run_pipeline(stack, gofer, Pipeline(id=pipeline_id, tasks=[task("a", "true")]))
    env = {"GOFER_HOST": stack.host, "GOFER_TOKEN": stack.token, "GOFER_CONFIG": str(tmp_path / "none.toml")}
    source = tmp_path / "report.json"
    source.write_bytes(b'{"ok": true}\n')
    runner = CliRunner()

    put = runner.invoke(
        app, ["run", "object", "put", pipeline_id, str(run.id), "report.json", str(source)], env=env
    )
    got = runner.invoke(
        app,
        [
            "run",
            "object",
            "get",
            pipeline_id,
            str(run.id),
            "report.json",
            "--output-file",
            str(tmp_path / "copy.json"),
        ],
        env=env,
    )
    missing = runner.invoke(app, ["pipeline", "object", "get", pipeline_id, "nope"], env=env)

    assert put.exit_code == 0 and "13 bytes" in put.stdout
    assert got.exit_code == 0 and (tmp_path / "copy.json").read_bytes() == b'{"ok": true}\n'
    assert missing.exit_code == 1 and "pipeline object 'nope'" in missing.stderr
