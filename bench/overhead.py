"""Gofer's overhead against raw `docker run`, measured in the same process run.

Starts its own Temporal dev server, API and worker (`gofer up`) on a scratch data dir, then:
  1. N single-task runs of `true` through Gofer (API call -> run complete) vs N `docker run --rm`;
  2. a 10-wide fan-out pipeline vs the same 10 containers started directly in parallel.
Prints medians and, last, `ratio gofer/raw: X.XX` for the single task.

Usage: python bench/overhead.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from gofer.devserver import free_port
from gofer_sdk import Pipeline, Task
from gofer_sdk.client import GoferClient
from gofer_sdk.models import RunState

IMAGE = "gofer-test/busybox:latest"
ROOT = Path(__file__).resolve().parents[1]
FAN_OUT = 10
POLL = 0.01


def start_gofer(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = os.environ | {
        "GOFER_DATA_DIR": str(data_dir),
        "GOFER_API_PORT": str(port),
        "GOFER_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "GOFER_TEMPORAL_UI_PORT": str(free_port()),
    }
    log = (data_dir / "up.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gofer.cli.main", "up"], env=env, stdout=log, stderr=log
    )
    host = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{host}/api/health", timeout=1).status_code == 200:
                return process, host
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gofer up did not start; see {data_dir / 'up.log'}")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def gofer_run(gofer: GoferClient, pipeline_id: str) -> None:
    run = gofer.start_run(pipeline_id)
    while run.state != RunState.COMPLETE:
        time.sleep(POLL)
        run = gofer.get_run(pipeline_id, run.id)
    if run.status != "successful":
        raise SystemExit(f"run {run.id} of {pipeline_id} ended {run.status}")


def docker_run(count: int = 1) -> None:
    def one(_: int) -> None:
        subprocess.run(["docker", "run", "--rm", IMAGE, "true"], check=True, capture_output=True)

    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(one, range(count)))


def paired_medians(runs: int, raw: Callable[[], object], gofer: Callable[[], object]) -> tuple[float, float]:
    """Alternate the two so that drift in the Docker engine's speed weighs on both alike."""
    raw(), gofer()  # warm-up: first container start and first workflow pay one-time costs
    raw_times, gofer_times = [], []
    for _ in range(runs):
        raw_times.append(timed(raw))
        gofer_times.append(timed(gofer))
    return statistics.median(raw_times), statistics.median(gofer_times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="timed repetitions of each case (default 10)")
    args = parser.parse_args()
    subprocess.run(["bash", str(ROOT / "scripts/build-test-images.sh")], check=True)
    with tempfile.TemporaryDirectory(prefix="gofer-bench-") as scratch:
        process, host = start_gofer(Path(scratch))
        try:
            with GoferClient(host, timeout=60) as gofer:
                single = Pipeline(id="bench-single", tasks=[Task(id="t", image=IMAGE, command=["true"])])
                wide = Pipeline(
                    id="bench-fanout",
                    tasks=[Task(id=f"t{n}", image=IMAGE, command=["true"]) for n in range(FAN_OUT)],
                )
                gofer.deploy(single)
                gofer.deploy(wide)
                raw_single, gofer_single = paired_medians(
                    args.runs, docker_run, lambda: gofer_run(gofer, single.id)
                )
                raw_wide, gofer_wide = paired_medians(
                    args.runs, lambda: docker_run(FAN_OUT), lambda: gofer_run(gofer, wide.id)
                )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(60)
    print(f"runs per case: {args.runs} (medians, seconds)")
    print(f"single task   raw docker run: {raw_single:.3f}   gofer: {gofer_single:.3f}")
    print(f"{FAN_OUT}-wide fan-out raw docker run: {raw_wide:.3f}   gofer: {gofer_wide:.3f}")
    print(f"ratio gofer/raw fan-out: {gofer_wide / raw_wide:.2f}")
    print(f"ratio gofer/raw: {gofer_single / raw_single:.2f}")


if __name__ == "__main__":
    main()
