"""Versions whose manifest lists an ``adapter_config.json`` only in a subfolder are adapters.

Until this revision only a root ``adapter_config.json`` made a version an adapter; peft's
multi-adapter layout keeps every adapter but the default in a subfolder, loaded with
``PeftModel.from_pretrained(base, repo, subfolder=NAME)`` on the base that config names. Such
versions were registered as models, with no base check. They are reclassified from their stored
manifests (the registry's test on submit since this revision); one that records no base version
is then denied by the gate ("adapter records no base version") until it is registered again
with its base and configs.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
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
        isinstance(f, dict)
        and isinstance(f.get("path"), str)
        and (f["path"] == CONFIG or f["path"].endswith("/" + CONFIG))
        for f in files
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
