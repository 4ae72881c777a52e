"""The event store: ordering, resuming after an id, retention."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from gofer.store.db import open_engine
from gofer.store.events import EventStore, emit
from gofer.store.tables import EventRow


def test_events_resume_after_an_id_and_old_ones_are_pruned(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'gofer.db'}")
    with Session(engine) as session, session.begin():
        for n in range(5):
            emit(session, "thing_happened", namespace="default", n=n)
    events = EventStore(engine)
    everything = events.after(0)
    with Session(engine) as session, session.begin():  # age the first two
        session.execute(
            update(EventRow)
            .where(EventRow.id <= everything[1].id)
            .values(emitted=everything[0].emitted - timedelta(days=30))
        )

    pruned = events.prune(timedelta(days=7))

    assert [e.details["n"] for e in everything] == [0, 1, 2, 3, 4]
    assert [e.details["n"] for e in events.after(everything[2].id)] == [3, 4]
    assert [e.details["n"] for e in events.newest(limit=2)] == [3, 4]
    assert pruned == 2
    assert [e.details["n"] for e in events.after(0)] == [2, 3, 4]
