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

from gofer.activities.masking import Masker
from gofer.logstore import Offsets

T = TypeVar("T")


class LogPump:
    """Masks ``stream`` into ``sink`` from ``start``: the first ``start.raw`` bytes of the stream
    were handled before and are skipped. With ``final``, what the masker holds back is written at
    the end of the stream (only for a stream that ends because the container has exited)."""

    def __init__(
        self, stream: Iterator[bytes], sink: BinaryIO, start: Offsets, masker: Masker, *, final: bool
    ) -> None:
        self._stream = stream
        self._sink = sink
        self._skip = start.raw
        self._start = start
        self._masker = masker
        self._final = final
        self._stored = start.stored
        self._lock = threading.Lock()
        self._abandoned = False

    @property
    def offsets(self) -> Offsets:
        with self._lock:
            return Offsets(raw=self._start.raw + self._masker.consumed, stored=self._stored)

    def start(self) -> asyncio.Future[None]:
        """Start copying; the future resolves when the stream ends."""
        return in_daemon_thread(self._copy)

    def abandon(self) -> None:
        """Stop writing now; bytes past ``offsets`` are left to whoever goes on."""
        with self._lock:
            self._abandoned = True

    def _copy(self) -> None:
        for chunk in self._stream:
            if not self._write(self._unseen(chunk), final=False):
                return
        if self._final:
            self._write(b"", final=True)

    def _unseen(self, chunk: bytes) -> bytes:
        dropped = min(self._skip, len(chunk))
        self._skip -= dropped
        return chunk[dropped:]

    def _write(self, chunk: bytes, *, final: bool) -> bool:
        with self._lock:
            if self._abandoned:
                return False
            out = self._masker.flush() if final else self._masker.feed(chunk)
            if out:
                self._sink.write(out)
                self._sink.flush()
                self._stored += len(out)
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
