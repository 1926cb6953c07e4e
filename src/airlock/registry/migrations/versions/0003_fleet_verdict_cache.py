"""Fleet scanning: the content-addressed verdict cache, rule sets, jobs and their files.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "fleet_verdicts",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("analyser_version", sa.String(80), nullable=False),
        sa.Column("allowlist_version", sa.String(80), nullable=False),
        sa.Column("rules_version", sa.String(80), nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("max_severity", sa.String(16), nullable=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("scans", sa.Integer, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_fleet_verdicts_sha256", "fleet_verdicts", ["sha256"])
    op.create_index("ix_fleet_verdicts_allowlist_version", "fleet_verdicts", ["allowlist_version"])
    op.create_table(
        "fleet_rulesets",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("version", sa.String(80), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "fleet_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("root", sa.String(1000), nullable=False),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("files", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "fleet_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.String(32), nullable=False),
        sa.Column("model", sa.String(500), nullable=False),
        sa.Column("path", sa.String(2000), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("location", sa.String(2000), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("verdict_key", sa.String(64), nullable=True),
        sa.Column("from_cache", sa.Boolean, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("engine_seconds", sa.Float, nullable=False),
        sa.Column("scan_seconds", sa.Float, nullable=False),
        sa.UniqueConstraint("job_id", "model", "path"),
    )
    for col in ("job_id", "model", "sha256", "state", "finished_at"):
        op.create_index(f"ix_fleet_files_{col}", "fleet_files", [col])


def downgrade() -> None:
    op.drop_table("fleet_files")
    op.drop_table("fleet_jobs")
    op.drop_table("fleet_rulesets")
    op.drop_index("ix_fleet_verdicts_allowlist_version", "fleet_verdicts")
    op.drop_index("ix_fleet_verdicts_sha256", "fleet_verdicts")
    op.drop_table("fleet_verdicts")
