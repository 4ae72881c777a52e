"""Run tokens: derived from the secret key, created once per container, deleted with their run."""

from __future__ import annotations

from pathlib import Path

from gofer.models import RunKey
from gofer.store.crypto import SecretCipher, new_key
from gofer.store.db import open_engine
from gofer.store.tokens import TokenStore
from gofer_sdk.models import TokenKind

RUN = RunKey(namespace="default", pipeline="pipe", run_id=3)


def test_derived_secret_is_stable_per_purpose_and_key() -> None:
    key = new_key()
    cipher = SecretCipher.from_text(key)

    assert cipher.derive("a") == SecretCipher.from_text(key).derive("a")
    assert cipher.derive("a") != cipher.derive("b")
    assert cipher.derive("a") != SecretCipher.from_text(new_key()).derive("a")


def test_run_token_is_created_once_and_authenticates(tmp_path: Path) -> None:
    tokens = TokenStore(open_engine(f"sqlite:///{tmp_path / 'gofer.db'}"))

    first = tokens.ensure_run_token("gofer_run-secret", RUN, "task a")
    again = tokens.ensure_run_token("gofer_run-secret", RUN, "task a")
    found = tokens.authenticate("gofer_run-secret")

    assert first.id == again.id and len(tokens.all()) == 1
    assert found is not None and found.kind == TokenKind.RUN
    assert (found.namespaces, found.pipeline, found.run_id) == (["default"], "pipe", 3)


def test_deleting_a_runs_tokens_keeps_other_runs_tokens(tmp_path: Path) -> None:
    tokens = TokenStore(open_engine(f"sqlite:///{tmp_path / 'gofer.db'}"))
    other = RunKey(namespace="default", pipeline="pipe", run_id=4)
    tokens.ensure_run_token("gofer_mine", RUN, "task a")
    tokens.ensure_run_token("gofer_other", other, "task a")

    tokens.delete_run_tokens(RUN)

    assert tokens.authenticate("gofer_mine") is None
    assert tokens.authenticate("gofer_other") is not None
