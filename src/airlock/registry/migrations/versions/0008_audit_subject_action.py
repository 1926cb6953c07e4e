"""An index on audit events by (subject, action): the gate reads one version's events by the
actions that can change its answer, so refused requests recorded against that version (one
event each, anyone with a token can add them) are never read on the gate's path.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_subject_action", "audit_events", ["subject", "action"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_subject_action", "audit_events")
