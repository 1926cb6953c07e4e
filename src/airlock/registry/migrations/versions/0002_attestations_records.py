"""Signed check verdicts, state records that decisions bind to, storage locations.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("record", sa.String(64), nullable=True))
    # Existing versions get a fresh random record: statements signed before this upgrade carry
    # no record and are refused anyway; approvers sign new ones against the shown record.
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM versions"))]
    for vid in ids:
        conn.execute(
            sa.text("UPDATE versions SET record = :r WHERE id = :i"),
            {"r": secrets.token_hex(32), "i": vid},
        )
    with op.batch_alter_table("versions") as batch:
        batch.alter_column("record", existing_type=sa.String(64), nullable=False)
    with op.batch_alter_table("attestations") as batch:
        batch.add_column(sa.Column("issued_at", TS, nullable=True))
        batch.add_column(sa.Column("verdict", sa.String(8), nullable=True))
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uri", sa.String(1000), nullable=False, unique=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_locations_version_id", "locations", ["version_id"])


def downgrade() -> None:
    op.drop_index("ix_locations_version_id", "locations")
    op.drop_table("locations")
    with op.batch_alter_table("attestations") as batch:
        batch.drop_column("verdict")
        batch.drop_column("issued_at")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("record")
