"""Gofer on PostgreSQL (GOFER_DATABASE_URL), the store `gofer server` and `gofer worker` share when
they scale out: schema migrations, concurrent writers, and a whole stack running pipelines."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docker
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from gofer.store.db import open_engine
from gofer.store.pipelines import PipelineStore
from gofer.store.runs import RunStore
from gofer_sdk.config import Pipeline
from gofer_sdk.models import RunStatus, TaskRunStatus
from tests.integration.helpers import by_task, logs, task
from tests.integration.stack import GoferStack, TemporalServer


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    admin_url = os.environ.get("GOFER_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.fail("GOFER_TEST_POSTGRES_URL is not set: `make test` sets it (scripts/test-postgres.sh)")
    name = f"gofer_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = open_engine(database_url)
    yield engine
    engine.dispose()


def test_concurrent_run_starts_get_distinct_sequence_ids(engine: Engine) -> None:
    config = Pipeline(id="pipe", tasks=[task("a", "true")])
    PipelineStore(engine).deploy("default", config)
    runs = RunStore(engine)

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(lambda _: runs.create("default", config, 1, {}, "test").id, range(24)))

    assert sorted(created) == list(range(1, 25))


def test_schema_is_migrated_once_by_processes_starting_together(database_url: str) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        engines = list(pool.map(lambda _: open_engine(database_url), range(4)))
    with engines[0].connect() as connection:
        revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    for engine in engines:
        engine.dispose()

    assert len(revisions) == 1


@pytest.fixture
def pg_stack(
    tmp_path: Path, temporal: TemporalServer, database_url: str, docker_engine: docker.DockerClient
) -> Iterator[GoferStack]:
    stack = GoferStack(tmp_path / "gofer", temporal, extra_env={"GOFER_DATABASE_URL": database_url}).start()
    yield stack
    stack.stop()


def test_stack_on_postgres_runs_pipelines_and_keeps_them_across_a_restart(
    pg_stack: GoferStack, pipeline_id: str
) -> None:
    config = Pipeline(
        id=pipeline_id,
        tasks=[
            task("build", 'echo "built $WHO"'),
            task("test", "exit 3", depends_on={"build": "success"}),
            task("lint", "echo lint", depends_on={"build": "success"}),
            task("report", "echo report", depends_on={"test": "any", "lint": "any"}),
            task("celebrate", "echo yay", depends_on={"test": "success"}),
        ],
    )
    with pg_stack.client() as gofer:
        gofer.deploy(config)
        first = gofer.start_run(pipeline_id, variables={"WHO": "pg"}, event_id="push-1")
        again = gofer.start_run(pipeline_id, variables={"WHO": "pg"}, event_id="push-1")
        ended = pg_stack.wait_for_run(pipeline_id, first.id)

    pg_stack.restart()
    with pg_stack.client() as gofer:
        kept = gofer.get_run(pipeline_id, first.id)
        second = pg_stack.wait_for_run(pipeline_id, gofer.start_run(pipeline_id, variables={"WHO": "x"}).id)
        build_log = logs(gofer, kept, "build")

    statuses = {name: t.status for name, t in by_task(ended).items()}
    assert again.id == first.id
    assert ended.status == RunStatus.FAILED
    assert statuses == {
        "build": TaskRunStatus.SUCCESSFUL,
        "test": TaskRunStatus.FAILED,
        "lint": TaskRunStatus.SUCCESSFUL,
        "report": TaskRunStatus.SUCCESSFUL,
        "celebrate": TaskRunStatus.SKIPPED,
    }
    assert by_task(ended)["test"].exit_code == 3
    assert kept.status == RunStatus.FAILED and build_log == b"built pg\n"
    assert second.id == 2
