"""Record a real run's workflow history for the replay test (tests/unit/gofer/test_replay.py).

Run against a live Gofer (`gofer up`): it deploys a pipeline that exercises success, failure,
retry and skip, waits for the run, and writes the history JSON. Re-record only on purpose: the
committed histories are what old, still-running workflows look like to new code.

Usage: python scripts/record-history.py tests/histories/mixed-run.json
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from gofer.settings import Settings
from gofer.temporal import connect
from gofer_sdk import Pipeline, Task
from gofer_sdk.client import GoferClient

IMAGE = "gofer-test/busybox:latest"
PIPELINE = Pipeline(
    id="replay-sample",
    tasks=[
        Task(id="ok", image=IMAGE, script="echo ok"),
        Task(id="flaky", image=IMAGE, script="exit 3", retries=1).after("ok"),
        Task(id="on-failure", image=IMAGE, script="echo handling").after("flaky", when="failure"),
        Task(id="on-success", image=IMAGE, script="echo never").after("flaky"),
    ],
)


async def main(target: str) -> None:
    with GoferClient(os.environ.get("GOFER_HOST", "http://127.0.0.1:8080")) as gofer:
        gofer.deploy(PIPELINE)
        run = gofer.start_run(PIPELINE.id)
        while gofer.get_run(PIPELINE.id, run.id).state != "complete":
            time.sleep(0.2)
    client = await connect(Settings())
    history = await client.get_workflow_handle(run.workflow_id).fetch_history()
    with open(target, "w") as out:
        out.write(history.to_json())
    print(f"wrote {target} ({run.workflow_id})")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
