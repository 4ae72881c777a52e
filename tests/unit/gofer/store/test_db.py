"""Opening the store: migrations are safe when several processes start at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import inspect

from gofer.store.db import open_engine


def _open(url: str) -> None:
    open_engine(url).dispose()


def test_processes_migrating_a_fresh_database_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gofer.db'}"
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_open, args=(url,)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)

    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
    assert {"pipelines", "runs", "task_runs", "pipeline_configs"} <= set(
        inspect(open_engine(url)).get_table_names()
    )
