"""Secrets at rest: sealed, scoped, and a wrong key fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gofer.errors import NotFound
from gofer.store.crypto import SecretCipher, SecretKeyError, new_key
from gofer.store.db import open_engine
from gofer.store.pipelines import PipelineStore
from gofer.store.secrets import Scope, SecretStore
from gofer.store.tables import SecretRow
from gofer_sdk import Pipeline, Task


@pytest.fixture
def engine_path(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'gofer.db'}"
    PipelineStore(open_engine(url)).deploy("default", Pipeline(id="pipe", tasks=[Task(id="a", image="i")]))
    return url


def test_round_trip_stores_only_ciphertext(engine_path: str) -> None:
    engine = open_engine(engine_path)
    store = SecretStore(engine, SecretCipher.from_text(new_key()))
    store.put(Scope.PIPELINE, "DB", "hunter2-value", namespace="default", pipeline="pipe")

    with Session(engine) as session:
        sealed = session.scalars(select(SecretRow.sealed)).one()
    assert b"hunter2-value" not in sealed
    assert store.pipeline_value("default", "pipe", "DB") == "hunter2-value"
    assert store.get(Scope.PIPELINE, "DB", namespace="default", pipeline="pipe").value is None
    assert (
        store.get(Scope.PIPELINE, "DB", namespace="default", pipeline="pipe", reveal=True).value
        == "hunter2-value"
    )


def test_wrong_key_fails_loudly(engine_path: str) -> None:
    SecretStore(open_engine(engine_path), SecretCipher.from_text(new_key())).put(
        Scope.PIPELINE, "DB", "v", namespace="default", pipeline="pipe"
    )
    other = SecretStore(open_engine(engine_path), SecretCipher.from_text(new_key()))

    with pytest.raises(SecretKeyError, match="not the one it was stored with"):
        other.pipeline_value("default", "pipe", "DB")


def test_ciphertext_moved_to_another_key_does_not_open(engine_path: str) -> None:
    engine = open_engine(engine_path)
    store = SecretStore(engine, SecretCipher.from_text(new_key()))
    store.put(Scope.PIPELINE, "A", "value-a", namespace="default", pipeline="pipe")
    store.put(Scope.PIPELINE, "B", "value-b", namespace="default", pipeline="pipe")
    with Session(engine) as session, session.begin():
        sealed_a = session.get(SecretRow, (Scope.PIPELINE, "default", "pipe", "A"))
        assert sealed_a is not None
        session.execute(update(SecretRow).where(SecretRow.key == "B").values(sealed=sealed_a.sealed))

    with pytest.raises(SecretKeyError):
        store.pipeline_value("default", "pipe", "B")


def test_global_secret_only_for_allowed_namespaces(engine_path: str) -> None:
    store = SecretStore(open_engine(engine_path), SecretCipher.from_text(new_key()))
    store.put(Scope.GLOBAL, "TOKEN", "t0ken", namespaces=["team-*"])

    assert store.global_value("team-a", "TOKEN") == "t0ken"
    assert store.global_value("default", "TOKEN") is None
    assert [s.key for s in store.list(Scope.GLOBAL)] == ["TOKEN"]


def test_secret_of_unknown_pipeline_is_not_found(engine_path: str) -> None:
    store = SecretStore(open_engine(engine_path), SecretCipher.from_text(new_key()))
    with pytest.raises(NotFound, match="pipeline 'ghost'"):
        store.put(Scope.PIPELINE, "K", "v", namespace="default", pipeline="ghost")


def test_malformed_key_is_refused() -> None:
    with pytest.raises(SecretKeyError, match="32 bytes"):
        SecretCipher.from_text("c2hvcnQ=")
