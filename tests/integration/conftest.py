"""Integration fixtures: a real Temporal dev server and real Gofer processes on the real Docker engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import docker
import pytest
from fastapi.testclient import TestClient

from gofer.api.app import create_app
from gofer.settings import Settings
from gofer_sdk.client import GoferClient
from tests.integration.stack import TEST_IMAGE, GoferStack, TemporalServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def docker_engine() -> docker.DockerClient:
    engine = docker.from_env()
    engine.ping()  # fail loudly, not skip: these tests exist to run against Docker
    try:
        engine.images.get(TEST_IMAGE)
    except docker.errors.ImageNotFound:
        pytest.fail(f"{TEST_IMAGE} is missing: run `make images` (scripts/build-test-images.sh)")
    return engine


@pytest.fixture(scope="session")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemporalServer]:
    server = TemporalServer(tmp_path_factory.mktemp("temporal"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, temporal: TemporalServer, docker_engine: docker.DockerClient
) -> Iterator[GoferStack]:
    gofer = GoferStack(tmp_path_factory.mktemp("gofer"), temporal).start()
    yield gofer
    gofer.stop()


@pytest.fixture(scope="session")
def api(stack: GoferStack, temporal: TemporalServer) -> Iterator[TestClient]:
    """The real app in this process, on the stack's store and task queue (its worker runs the runs)."""
    settings = Settings(
        data_dir=stack.root,
        temporal_address=temporal.address,
        task_queue=stack.env["GOFER_TASK_QUEUE"],
        heartbeat_timeout=3,
        stop_grace_period=3,
        secret_key=stack.env["GOFER_SECRET_KEY"],
    )
    with TestClient(create_app(settings), headers=stack.auth) as client:
        yield client


@pytest.fixture
def gofer(stack: GoferStack) -> Iterator[GoferClient]:
    with stack.client() as client:
        yield client


@pytest.fixture
def pipeline_id() -> str:
    """A fresh pipeline id per test, so tests never see each other's runs."""
    return f"t-{uuid.uuid4().hex[:10]}"
