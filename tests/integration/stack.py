"""Real Gofer processes for integration tests: a Temporal dev server, `gofer server`, `gofer worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

from gofer.devserver import free_port, start_dev_server, stop
from gofer.store.crypto import new_key
from gofer_sdk.client import GoferClient
from gofer_sdk.models import RunPublic, RunState

T = TypeVar("T")
TEST_IMAGE = "gofer-test/busybox:latest"


def wait_until(check: Callable[[], T | None], *, timeout: float, what: str, every: float = 0.2) -> T:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class TemporalServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.ui_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = start_dev_server(
            self.root / "temporal.db",
            host="127.0.0.1",
            port=self.port,
            ui_port=self.ui_port,
            log=self.root / "temporal.log",
        )

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process:
            stop(self.process)


class GoferStack:
    """One API process and any number of worker processes sharing a data dir and task queue."""

    def __init__(
        self,
        root: Path,
        temporal: TemporalServer,
        *,
        heartbeat_timeout: float = 3.0,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.api_port = free_port()
        self.gateway_port = free_port()
        self.webhook_port = free_port()
        self.env = (
            os.environ
            | {
                "GOFER_DATA_DIR": str(root),
                "GOFER_TEMPORAL_ADDRESS": temporal.address,
                "GOFER_TASK_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
                "GOFER_API_PORT": str(self.api_port),
                "GOFER_TRIGGER_GATEWAY_PORT": str(self.gateway_port),
                "GOFER_WEBHOOK_PORT": str(self.webhook_port),
                "GOFER_WEBHOOK_HOST": "127.0.0.1",
                "GOFER_TRIGGER_CHECK_INTERVAL": "1",
                "GOFER_HEARTBEAT_TIMEOUT": str(heartbeat_timeout),
                "GOFER_STOP_GRACE_PERIOD": "3",
                "GOFER_HOST": f"http://127.0.0.1:{self.api_port}",
                "GOFER_SECRET_KEY": new_key(),
            }
            | (extra_env or {})
        )
        self.api: subprocess.Popen[bytes] | None = None
        self.token = ""
        self.workers: list[subprocess.Popen[bytes]] = []

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start(self) -> GoferStack:
        self.root.mkdir(parents=True, exist_ok=True)
        self.start_api()
        self.start_worker()
        self.token = httpx.post(f"{self.host}/api/tokens/bootstrap").json()["token"]
        self.env["GOFER_TOKEN"] = self.token
        return self

    def start_api(self) -> None:
        self.api = self._spawn("server")
        wait_until(self._healthy, timeout=60, what="the Gofer API to answer /api/health")

    def stop_api(self) -> None:
        assert self.api is not None
        self.api.send_signal(signal.SIGINT)
        self.api.wait(20)

    def restart(self) -> None:
        """Stop the API and every worker, then start them again on the same data dir."""
        self.stop()
        self.start_api()
        self.start_worker()

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = self._spawn("worker")
        self.workers.append(worker)
        return worker

    def kill_workers(self) -> None:
        for worker in self.workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        self.workers.clear()

    def stop(self) -> None:
        for process in [*self.workers, self.api]:
            if process and process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in [*self.workers, self.api]:
            if process:
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.workers.clear()

    def client(self) -> GoferClient:
        return GoferClient(self.host, timeout=60, token=self.token)

    @property
    def auth(self) -> dict[str, str]:
        """The admin token's header, for raw HTTP calls."""
        return {"Authorization": f"Bearer {self.token}"}

    def wait_for_run(self, pipeline: str, run_id: int, timeout: float = 120) -> RunPublic:
        with self.client() as gofer:
            return wait_until(
                lambda: _if_complete(gofer.get_run(pipeline, run_id)),
                timeout=timeout,
                what=f"run {run_id} of {pipeline} to complete",
            )

    def _spawn(self, command: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"{command}-{len(self.workers)}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "gofer.cli.main", command],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def _healthy(self) -> bool:
        assert self.api is not None
        if self.api.poll() is not None:
            raise AssertionError(f"gofer server exited with {self.api.returncode}; see {self.root}")
        try:
            return httpx.get(f"{self.host}/api/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False


def _if_complete(run: RunPublic) -> RunPublic | None:
    return run if run.state == RunState.COMPLETE else None
