"""The object store on a real SQLite file and a real folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gofer.errors import NotFound
from gofer.models import RunKey
from gofer.store.db import open_engine
from gofer.store.events import EventStore
from gofer.store.objects import ObjectRef, ObjectScope, ObjectStore
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer_sdk import Pipeline, Task

PIPELINE = Pipeline(id="pipe", tasks=[Task(id="a", image="i")])


@pytest.fixture
def setup(tmp_path: Path) -> tuple[ObjectStore, RunStore, EventStore]:
    engine = open_engine(f"sqlite:///{tmp_path / 'gofer.db'}")
    PipelineStore(engine).deploy("default", PIPELINE)
    return (
        ObjectStore(engine, tmp_path / "objects", pipeline_limit=2, run_expiry=1),
        RunStore(engine),
        EventStore(engine),
    )


def put(store: ObjectStore, ref: ObjectRef, data: bytes) -> None:
    fd, upload = store.upload_file(ref)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    store.commit(ref, upload)


def test_put_get_replace_delete(setup: tuple[ObjectStore, RunStore, EventStore]) -> None:
    store = setup[0]
    ref = ObjectRef.of_pipeline("default", "pipe", "cache.bin")
    put(store, ref, b"one")
    put(store, ref, b"\x00two")

    assert store.open(ref).read_bytes() == b"\x00two"
    assert [(o.key, o.size) for o in store.list(ObjectScope.PIPELINE, "default", "pipe")] == [
        ("cache.bin", 4)
    ]
    store.delete(ref)
    with pytest.raises(NotFound, match=r"cache\.bin"):
        store.open(ref)


def test_limit_evicts_the_oldest_with_an_event(setup: tuple[ObjectStore, RunStore, EventStore]) -> None:
    store, _, events = setup
    for key in ("first", "second", "third"):
        put(store, ObjectRef.of_pipeline("default", "pipe", key), key.encode())

    assert [o.key for o in store.list(ObjectScope.PIPELINE, "default", "pipe")] == ["second", "third"]
    evicted = [e for e in events.after(0) if e.kind == "pipeline_object_evicted"]
    assert [e.details["key"] for e in evicted] == ["first"]


def test_run_objects_expire_when_a_newer_run_completes(
    setup: tuple[ObjectStore, RunStore, EventStore],
) -> None:
    store, runs = setup[0], setup[1]
    keys = [
        RunKey(namespace="default", pipeline="pipe", run_id=runs.create("default", PIPELINE, 1, {}, "t").id)
        for _ in range(2)
    ]
    put(store, ObjectRef.of_run(keys[0], "report"), b"r1")
    put(store, ObjectRef.of_run(keys[1], "report"), b"r2")

    assert store.expire_after(keys[0]) == 0  # its own completion keeps it
    assert store.expire_after(keys[1]) == 1  # one run newer (expiry 1) removes run 1's objects

    assert store.list(ObjectScope.RUN, "default", "pipe", keys[0].run_id) == []
    assert [o.key for o in store.list(ObjectScope.RUN, "default", "pipe", keys[1].run_id)] == ["report"]


def test_objects_of_unknown_runs_are_refused(setup: tuple[ObjectStore, RunStore, EventStore]) -> None:
    with pytest.raises(NotFound, match="run 9"):
        setup[0].upload_file(ObjectRef.of_run(RunKey(namespace="default", pipeline="pipe", run_id=9), "k"))
