"""The user's path end to end: `gofer up`, deploy, run --wait, get, logs --follow, Ctrl-C, restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docker
import httpx
import pytest

from gofer.devserver import free_port
from tests.integration.stack import wait_until

ROOT = Path(__file__).parents[2]


class Up:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.api_port = free_port()
        self.env = os.environ | {
            "GOFER_DATA_DIR": str(data_dir),
            "GOFER_API_PORT": str(self.api_port),
            "GOFER_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
            "GOFER_TEMPORAL_UI_PORT": str(free_port()),
            "GOFER_HOST": f"http://127.0.0.1:{self.api_port}",
            "GOFER_TASK_QUEUE": "cli-test",
        }
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gofer.cli.main", "up"],
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._healthy, timeout=90, what="`gofer up` to serve the API")

    def interrupt(self) -> str:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=60)
        return output

    def gofer(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gofer.cli.main", *args],
            env=self.env,
            text=True,
            capture_output=True,
            cwd=ROOT,
            timeout=180,
        )

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(
                f"gofer up exited early:\n{self.process.stdout.read() if self.process.stdout else ''}"
            )
        try:
            return httpx.get(f"http://127.0.0.1:{self.api_port}/api/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False


@pytest.fixture
def up(tmp_path: Path, docker_engine: docker.DockerClient) -> Iterator[Up]:
    docker_engine.images.get("busybox:stable")  # the examples' image (scripts/build-test-images.sh)
    instance = Up(tmp_path / "data")
    instance.start()
    yield instance
    if instance.process and instance.process.poll() is None:
        instance.interrupt()


def test_quick_start_survives_a_restart(up: Up) -> None:
    deployed = up.gofer("pipeline", "deploy", "examples/diamond.yaml")
    assert deployed.returncode == 0, deployed.stderr
    assert "deployed diamond version 1" in deployed.stdout

    started = up.gofer("run", "start", "diamond", "--var", "GREETING=hi", "--wait")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "successful" in started.stdout

    shown = up.gofer("run", "get", "diamond", "1")
    assert "Run 1 of diamond successful" in shown.stdout
    assert "notify-failure" in shown.stdout and "skipped" in shown.stdout
    assert "/workflows/run%2Fdefault%2Fdiamond%2F1" in shown.stdout

    followed = up.gofer("task", "logs", "diamond", "1", "build", "--follow")
    assert followed.stdout == "building with GREETING=hi\nstep 1\nstep 2\nstep 3\n"

    output = up.interrupt()
    assert "Gofer is up" in output
    assert "Gofer stopped. Pipelines, runs and logs are kept in" in output
    assert up.process is not None and up.process.returncode == 0

    up.start()
    again = up.gofer("run", "get", "diamond", "1")
    assert "successful" in again.stdout
    assert up.gofer("task", "logs", "diamond", "1", "build").stdout.startswith("building with GREETING=hi")
    second = up.gofer("run", "start", "diamond", "--wait")
    assert second.returncode == 0
    assert "started run 2" in second.stdout


def test_follow_streams_while_the_task_runs(up: Up, tmp_path: Path) -> None:
    config = tmp_path / "slow.yaml"
    config.write_text(
        "id: slow\ntasks:\n  - id: tick\n    image: busybox:stable\n"
        "    script: for i in 1 2 3 4; do echo tick $i; sleep 1; done\n"
    )
    assert up.gofer("pipeline", "deploy", str(config)).returncode == 0
    assert up.gofer("run", "start", "slow").returncode == 0

    with subprocess.Popen(
        [sys.executable, "-m", "gofer.cli.main", "task", "logs", "slow", "1", "tick", "-f"],
        env=up.env,
        stdout=subprocess.PIPE,
        text=True,
    ) as follow:
        assert follow.stdout is not None
        first = follow.stdout.readline()
        state = up.gofer("run", "get", "slow", "1").stdout
        rest = follow.stdout.read()

    assert first == "tick 1\n"
    assert "running" in state  # the first line arrived while the task was still running
    assert rest == "tick 2\ntick 3\ntick 4\n"
    assert follow.returncode == 0


def test_failed_run_exits_non_zero_and_bad_config_lists_problems(up: Up, tmp_path: Path) -> None:
    failing = tmp_path / "fail.yaml"
    failing.write_text("id: failing\ntasks:\n  - id: boom\n    image: busybox:stable\n    script: exit 4\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad\ntasks:\n  - id: a\n    image: ''\n    depends_on: {zzz: success}\n")

    assert up.gofer("pipeline", "deploy", str(failing)).returncode == 0
    run = up.gofer("run", "start", "failing", "--wait")
    rejected = up.gofer("pipeline", "deploy", str(bad))
    missing = up.gofer("run", "get", "failing", "99")

    assert run.returncode == 1
    assert "exited with code 4" in run.stdout
    assert rejected.returncode == 1
    assert "3 problem(s)" in rejected.stderr
    assert "tasks[0].depends_on.zzz: unknown task 'zzz'" in rejected.stderr
    assert missing.returncode == 1
    assert missing.stderr.strip() == "error: run 99 of pipeline 'failing' not found"


def test_up_with_the_temporal_port_taken_says_so(tmp_path: Path) -> None:
    up = Up(tmp_path / "gofer")
    host, port = up.env["GOFER_TEMPORAL_ADDRESS"].rsplit(":", 1)
    with socket.create_server((host, int(port))):  # something else listens there
        started = up.gofer("up")

    assert started.returncode == 1
    assert f"port {port} on {host} is in use" in started.stdout + started.stderr
    assert "GOFER_TEMPORAL_ADDRESS" in started.stdout + started.stderr
