"""triggers: run event ids, subscriptions, installed triggers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 22:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a constraint to an existing table in place.
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("event_id", sa.String(length=300), nullable=True))
        runs.create_unique_constraint("uq_runs_event", ["namespace", "pipeline_id", "event_id"])
    op.create_table(
        "subscriptions",
        sa.Column("namespace", sa.String(length=64), nullable=False),
        sa.Column("pipeline_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["namespace", "pipeline_id"], ["pipelines.namespace", "pipelines.id"]),
        sa.PrimaryKeyConstraint("namespace", "pipeline_id", "label"),
    )
    op.create_table(
        "triggers",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("image", sa.String(length=500), nullable=False),
        sa.Column("sealed_settings", sa.LargeBinary(), nullable=False),
        sa.Column("setting_keys", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("documentation", sa.Text(), nullable=False),
        sa.Column("installed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("triggers")
    op.drop_table("subscriptions")
    with op.batch_alter_table("runs") as runs:
        runs.drop_constraint("uq_runs_event", type_="unique")
        runs.drop_column("event_id")
