"""Copies a container's output into its log file on a daemon thread.

A daemon thread, not the event loop's executor: a worker that shuts down while a container
still runs must be able to exit without waiting for the container (the next worker re-attaches).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import BinaryIO


class LogPump:
    """Writes ``stream`` to ``sink``, skipping the first ``skip`` bytes already stored."""

    def __init__(self, stream: Iterator[bytes], sink: BinaryIO, skip: int) -> None:
        self._stream = stream
        self._sink = sink
        self._skip = skip
        self._lock = threading.Lock()
        self._abandoned = False
        self.offset = skip

    def start(self) -> asyncio.Future[None]:
        """Start copying; the future resolves when the stream ends (the container exited)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        threading.Thread(target=self._run, args=(loop, done), daemon=True, name="gofer-log-pump").start()
        return done

    def abandon(self) -> None:
        """Stop writing now; bytes past ``offset`` are left to whoever re-attaches."""
        with self._lock:
            self._abandoned = True

    def _run(self, loop: asyncio.AbstractEventLoop, done: asyncio.Future[None]) -> None:
        try:
            for chunk in self._stream:
                if not self._write(chunk):
                    break
        except BaseException as exc:  # handed to the awaiting activity, which decides
            loop.call_soon_threadsafe(_settle, done, exc)
            return
        loop.call_soon_threadsafe(_settle, done, None)

    def _write(self, chunk: bytes) -> bool:
        if self._skip:
            dropped = min(self._skip, len(chunk))
            self._skip -= dropped
            chunk = chunk[dropped:]
        with self._lock:
            if self._abandoned:
                return False
            if chunk:
                self._sink.write(chunk)
                self._sink.flush()
                self.offset += len(chunk)
        return True


def _settle(done: asyncio.Future[None], exc: BaseException | None) -> None:
    if done.done():
        return
    if exc is None:
        done.set_result(None)
    else:
        done.set_exception(exc)
