"""Installed trigger containers: image, sealed settings, and where the current start listens."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gofer.errors import Conflict, NotFound
from gofer.store.crypto import SecretCipher
from gofer.store.events import emit
from gofer.store.tables import TriggerRow
from gofer_sdk.trigger_models import BUILTIN_TRIGGERS, TriggerPublic, TriggerState


class TriggerStore:
    def __init__(self, engine: Engine, cipher: SecretCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    def install(self, name: str, image: str, settings: dict[str, str]) -> TriggerPublic:
        if name in BUILTIN_TRIGGERS:
            raise Conflict(f"'{name}' is a built-in trigger; give the container another name")
        with Session(self._engine) as session, session.begin():
            if session.get(TriggerRow, name) is not None:
                raise Conflict(f"trigger '{name}' is installed already; uninstall it first")
            row = TriggerRow(
                name=name,
                image=image,
                sealed_settings=self._cipher.seal(json.dumps(settings), bound_to=_binding(name)),
                setting_keys=sorted(settings),
                enabled=True,
                generation=0,
                state=TriggerState.STARTING,
                message="",
                documentation="",
                installed=datetime.now(UTC),
            )
            session.add(row)
            emit(session, "trigger_installed", trigger=name, image=image)
            return _public(row)

    def get(self, name: str) -> TriggerPublic:
        with Session(self._engine) as session:
            return _public(_row(session, name))

    def all(self) -> list[TriggerPublic]:
        with Session(self._engine) as session:
            return [_public(row) for row in session.scalars(select(TriggerRow).order_by(TriggerRow.name))]

    def settings(self, name: str) -> dict[str, str]:
        with Session(self._engine) as session:
            row = _row(session, name)
            settings: dict[str, str] = json.loads(
                self._cipher.open(row.sealed_settings, bound_to=_binding(name))
            )
            return settings

    def endpoint(self, name: str) -> tuple[str | None, int]:
        """Where the current start listens (None before it started), and its generation."""
        with Session(self._engine) as session:
            row = _row(session, name)
            return row.endpoint, row.generation

    def next_generation(self, name: str) -> int:
        """A new start: its number, which also makes the previous start's key invalid."""
        with Session(self._engine) as session, session.begin():
            row = _row(session, name)
            row.generation += 1
            row.endpoint = None
            return row.generation

    def started(self, name: str, generation: int, endpoint: str) -> None:
        with Session(self._engine) as session, session.begin():
            row = _row(session, name)
            if row.generation == generation:
                row.endpoint = endpoint

    def set_state(
        self, name: str, state: TriggerState, message: str = "", documentation: str | None = None
    ) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(TriggerRow, name)
            if row is None:
                return  # uninstalled meanwhile
            if row.state != state:
                emit(session, f"trigger_{state.value}", trigger=name, message=message)
            row.state, row.message = state, message
            if documentation is not None:
                row.documentation = documentation

    def set_enabled(self, name: str, enabled: bool) -> TriggerPublic:
        with Session(self._engine) as session, session.begin():
            row = _row(session, name)
            row.enabled = enabled
            emit(session, "trigger_enabled" if enabled else "trigger_disabled", trigger=name)
            return _public(row)

    def remove(self, name: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.delete(_row(session, name))
            emit(session, "trigger_uninstalled", trigger=name)


def _binding(name: str) -> str:
    return f"trigger/{name}"


def _row(session: Session, name: str) -> TriggerRow:
    row = session.get(TriggerRow, name)
    if row is None:
        raise NotFound(f"trigger '{name}' is not installed (`gofer trigger list` shows those that are)")
    return row


def _public(row: TriggerRow) -> TriggerPublic:
    return TriggerPublic(
        name=row.name,
        image=row.image,
        setting_keys=list(row.setting_keys),
        enabled=row.enabled,
        state=TriggerState(row.state),
        generation=row.generation,
        message=row.message,
        documentation=row.documentation,
        installed=row.installed,
    )
