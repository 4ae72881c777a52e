"""Task logs as files under the data dir: one file per task attempt.

Logs never pass through Temporal (payload and history limits). The worker appends; the API
reads and tails. A re-attached attempt truncates to the last offset it confirmed and appends
from there, which is how every log line is stored exactly once.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from gofer.models import RunKey


@dataclass(frozen=True)
class Offsets:
    """How far a log has got: raw bytes of container output fully handled, and bytes stored.
    They differ once secrets are masked; a re-attached attempt needs both."""

    raw: int = 0
    stored: int = 0


class LogStore:
    def __init__(self, root: Path) -> None:
        self._root = root

    def path(self, run: RunKey, task_id: str, attempt: int) -> Path:
        return self._root / run.namespace / run.pipeline / str(run.run_id) / task_id / f"{attempt}.log"

    def open_at(self, run: RunKey, task_id: str, attempt: int, start: Offsets) -> tuple[BinaryIO, Offsets]:
        """Open an attempt's log for appending where ``start`` says it got to.

        Returns the file and the offsets it was opened at: ``start``, or the very beginning if the
        file is shorter than ``start`` says (a machine crash lost unsynced writes).
        """
        path = self.path(run, task_id, attempt)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("ab")
        if handle.tell() < start.stored:
            start = Offsets()
        handle.truncate(start.stored)
        return handle, start

    def size(self, run: RunKey, task_id: str, attempt: int) -> int:
        path = self.path(run, task_id, attempt)
        return path.stat().st_size if path.exists() else 0

    def read(self, run: RunKey, task_id: str, attempt: int, offset: int = 0, limit: int = -1) -> bytes:
        """Return up to ``limit`` bytes of an attempt's log from ``offset`` (all if -1)."""
        path = self.path(run, task_id, attempt)
        if not path.exists():
            return b""
        with path.open("rb") as handle:
            handle.seek(offset)
            return handle.read(limit)

    def delete_pipeline(self, namespace: str, pipeline_id: str) -> None:
        """Delete the logs of every run of a pipeline."""
        shutil.rmtree(self._root / namespace / pipeline_id, ignore_errors=True)

    def delete_task(self, run: RunKey, task_id: str) -> None:
        """Delete the logs of every attempt of a task."""
        shutil.rmtree(self.path(run, task_id, 1).parent, ignore_errors=True)
