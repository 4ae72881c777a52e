"""The run store against a real SQLite file: sequence ids, idempotent and monotonic updates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gofer.errors import NotFound
from gofer.models import RunFinish, RunKey, TaskRunUpdate
from gofer.store.db import open_engine
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer_sdk import Pipeline, Task
from gofer_sdk.models import RunState, RunStatus, TaskRunState, TaskRunStatus

PIPELINE = Pipeline(id="pipe", tasks=[Task(id="a", image="img"), Task(id="b", image="img").after("a")])


@pytest.fixture
def stores(tmp_path: Path) -> tuple[PipelineStore, RunStore]:
    engine = open_engine(f"sqlite:///{tmp_path / 'gofer.db'}")
    pipelines = PipelineStore(engine)
    pipelines.deploy("default", PIPELINE)
    return pipelines, RunStore(engine)


def update(
    run: RunKey,
    attempt: int,
    state: TaskRunState,
    status: TaskRunStatus = TaskRunStatus.UNKNOWN,
    exit_code: int | None = None,
) -> TaskRunUpdate:
    return TaskRunUpdate(
        run=run, task_id="a", attempt=attempt, state=state, status=status, exit_code=exit_code
    )


def test_run_ids_count_up_per_pipeline(stores: tuple[PipelineStore, RunStore]) -> None:
    pipelines, runs = stores
    pipelines.deploy("default", PIPELINE.model_copy(update={"id": "other"}))
    ids = [runs.create("default", PIPELINE, 1, {}, "test").id for _ in range(3)]
    other = runs.create("default", PIPELINE.model_copy(update={"id": "other"}), 1, {}, "test")
    assert ids == [1, 2, 3]
    assert other.id == 1


def test_new_run_has_one_pending_task_run_per_task(stores: tuple[PipelineStore, RunStore]) -> None:
    run = stores[1].create("default", PIPELINE, 1, {"K": "v"}, "test")
    assert run.state == RunState.PENDING and run.variables == {"K": "v"}
    assert sorted(t.task_id for t in run.tasks) == ["a", "b"]
    assert {t.state for t in run.tasks} == {TaskRunState.PROCESSING}


def test_task_updates_only_move_forward(stores: tuple[PipelineStore, RunStore]) -> None:
    runs = stores[1]
    key = RunKey(namespace="default", pipeline="pipe", run_id=runs.create("default", PIPELINE, 1, {}, "t").id)
    runs.update_task(update(key, 1, TaskRunState.RUNNING))
    runs.update_task(update(key, 1, TaskRunState.COMPLETE, TaskRunStatus.SUCCESSFUL, 0))
    first = runs.task(key, "a")

    runs.update_task(update(key, 1, TaskRunState.RUNNING))  # a late, replayed write
    runs.update_task(update(key, 1, TaskRunState.COMPLETE, TaskRunStatus.FAILED, 9))  # a duplicate

    assert runs.task(key, "a") == first
    assert first.status == TaskRunStatus.SUCCESSFUL and first.exit_code == 0


def test_later_attempt_replaces_earlier(stores: tuple[PipelineStore, RunStore]) -> None:
    runs = stores[1]
    key = RunKey(namespace="default", pipeline="pipe", run_id=runs.create("default", PIPELINE, 1, {}, "t").id)
    runs.update_task(update(key, 1, TaskRunState.COMPLETE, TaskRunStatus.FAILED, 1))
    runs.update_task(update(key, 2, TaskRunState.RUNNING))

    task = runs.task(key, "a")
    assert (task.attempt, task.state, task.exit_code) == (2, TaskRunState.RUNNING, None)


def test_finish_is_written_once(stores: tuple[PipelineStore, RunStore]) -> None:
    runs = stores[1]
    key = RunKey(namespace="default", pipeline="pipe", run_id=runs.create("default", PIPELINE, 1, {}, "t").id)
    runs.finish(RunFinish(run=key, status=RunStatus.SUCCESSFUL))
    runs.finish(RunFinish(run=key, status=RunStatus.FAILED))
    assert runs.get(key).status == RunStatus.SUCCESSFUL


def test_unknown_run_is_not_found(stores: tuple[PipelineStore, RunStore]) -> None:
    with pytest.raises(NotFound, match="run 42"):
        stores[1].get(RunKey(namespace="default", pipeline="pipe", run_id=42))


def test_identical_deploy_creates_no_version(stores: tuple[PipelineStore, RunStore]) -> None:
    pipelines = stores[0]
    assert pipelines.deploy("default", PIPELINE).created is False
    changed = pipelines.deploy("default", PIPELINE.model_copy(update={"description": "new"}))
    assert (changed.created, changed.version, changed.pipeline.live_version) == (True, 2, 2)


def test_concurrent_writers_neither_fail_nor_share_ids(stores: tuple[PipelineStore, RunStore]) -> None:
    pipelines, runs = stores
    configs = [PIPELINE.model_copy(update={"description": f"v{n}"}) for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        created = list(pool.map(lambda _: runs.create("default", PIPELINE, 1, {}, "t").id, range(12)))
        deployed = list(pool.map(lambda config: pipelines.deploy("default", config).version, configs))

    assert sorted(created) == list(range(1, 13))
    assert sorted(deployed) == list(range(2, 8))
