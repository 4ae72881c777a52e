"""Upgrading a database made by an older Gofer keeps its data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from gofer.store.db import MIGRATIONS, open_engine
from gofer.store.namespaces import NamespaceStore
from gofer.store.pipelines import PipelineStore


def test_upgrade_from_first_schema_keeps_pipelines_and_adds_their_namespaces(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    old = create_engine(url)
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO pipelines VALUES "
                "('team-a', 'legacy', 'Legacy', '', 'active', 1, 0, '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO pipeline_configs VALUES ('team-a', 'legacy', 1, "
                '\'{"id": "legacy", "tasks": [{"id": "a", "image": "i"}]}\', \'x\', \'2026-01-01 00:00:00\')'
            )
        )
    old.dispose()

    engine = open_engine(url)

    assert {ns.id for ns in NamespaceStore(engine).all()} == {"default", "team-a"}
    assert PipelineStore(engine).get("team-a", "legacy").live_version == 1
