"""Versions registered before 0004 whose manifest lists a root ``adapter_config.json`` are
adapters, not models.

0004 gave every existing version the kind ``model``; transformers and peft load such a folder
as an adapter on the base its config names, so it is reclassified from its stored manifest
(the same test the registry applies on submit). It records no base version: the gate denies
it ("adapter records no base version") until it is registered again with its base, rather
than letting it pass as a model nobody judged on a base.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CONFIG = "adapter_config.json"
PAGE = 500


def _is_adapter(manifest: str) -> bool:
    try:
        files = json.loads(manifest).get("files")
    except (ValueError, AttributeError, RecursionError):
        return False
    return isinstance(files, list) and any(
        isinstance(f, dict) and f.get("path") == CONFIG for f in files
    )


def upgrade() -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, manifest FROM versions WHERE id > :last AND kind = 'model' "
                "AND manifest LIKE :like ORDER BY id LIMIT :n"
            ),
            {"last": last, "like": f"%{CONFIG}%", "n": PAGE},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        ids = [r[0] for r in rows if _is_adapter(r[1])]
        for vid in ids:
            conn.execute(sa.text("UPDATE versions SET kind = 'adapter' WHERE id = :v"), {"v": vid})


def downgrade() -> None:
    """Nothing to undo: 0004's downgrade drops the column."""
