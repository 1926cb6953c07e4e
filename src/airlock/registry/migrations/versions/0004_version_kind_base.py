"""A version's kind (model or adapter) and its base's root digest.

An adapter is deployed on a base; the gate requires that base to be an approved version too
(``adapter_base`` policy setting). Existing versions are models with no recorded base.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="model"))
        batch.add_column(sa.Column("base_digest", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_versions_base_digest", "versions", ["base_digest"])


def downgrade() -> None:
    op.drop_index("ix_versions_base_digest", "versions")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("base_digest")
        batch.drop_column("kind")
