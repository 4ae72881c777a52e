"""Copies a container's output into its log file, and runs other long container calls, on
daemon threads.

Daemon threads, not the event loop's executor: a worker that shuts down while a container
still runs must be able to exit without waiting for the container (the next worker re-attaches).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO, TypeVar

T = TypeVar("T")


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
        """Start copying; the future resolves when the stream ends."""
        return in_daemon_thread(self._copy)

    def abandon(self) -> None:
        """Stop writing now; bytes past ``offset`` are left to whoever re-attaches."""
        with self._lock:
            self._abandoned = True

    def _copy(self) -> None:
        for chunk in self._stream:
            if not self._write(chunk):
                break

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


def in_daemon_thread(function: Callable[[], T]) -> asyncio.Future[T]:
    """Run a blocking call on a daemon thread; its result or exception settles the future."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting activity, which decides
            loop.call_soon_threadsafe(_settle, future, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, future, result, None)

    threading.Thread(target=run, daemon=True, name="gofer-container-io").start()
    return future


def _settle(future: asyncio.Future[T], result: T | None, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is None:
        future.set_result(result)  # type: ignore[arg-type]
    else:
        future.set_exception(exc)
