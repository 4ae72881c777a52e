"""System switches that survive a restart."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gofer.store.events import emit
from gofer.store.tables import SystemRow
from gofer_sdk.models import RunIntake

RUN_INTAKE = "run_intake"


class SystemStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def run_intake(self) -> RunIntake:
        with Session(self._engine) as session:
            row = session.get(SystemRow, RUN_INTAKE)
            return RunIntake.model_validate(row.value) if row else RunIntake(paused=False)

    def set_run_intake(self, intake: RunIntake) -> RunIntake:
        with Session(self._engine) as session, session.begin():
            session.merge(SystemRow(key=RUN_INTAKE, value=intake.model_dump()))
            emit(
                session, "run_intake_paused" if intake.paused else "run_intake_resumed", reason=intake.reason
            )
        return intake
