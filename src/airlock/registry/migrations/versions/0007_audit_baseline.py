"""Audit coverage of every field the gate or a reader trusts: baseline events for old rows.

From this revision ``version.submit`` records a version's source_revision, base_model, license
and manifest digest, a decision event its envelope's digest, ``advisory.publish`` the digests of
the description and mitigation, ``token.create`` the digest of the secret hash, and
``airlock registry audit verify`` compares them with the tables. Events written earlier lack
them (the submission ``record`` covered the version fields, but salted: nothing can recompute
it, and migration 0002 gave older versions random records). So this revision appends, in the
audit chain, one baseline event per existing version (``version.baseline``: those fields, its
kind and adapter base (0005/0006 changed kinds without events), state record and its
decisions' envelope digests), advisory (``advisory.baseline``) and token
(``token.baseline``), recording the values stored now: what was covered from when. Verify
takes a field's value from its first record and reports a later baseline that disagrees (the
schema version written back to re-run this over an edit). An edit made before this revision
cannot be told from the original.

Also indexes on ``audit_events.subject`` and ``.action``: the gate replays one version's events
(and the advisories and policies that apply) per uncached check.

Downgrade drops the indexes and leaves the events (the chain is append-only; older releases
ignore these actions).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ACTOR = "migration 0007"
PAGE = 500


def _canonical(data: Any) -> str:  # as airlock.registry.audit.canonical_json (frozen here)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class _Chain:
    """Appends events after the head, as ``audit.append`` does (same hash, same head row)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        query = "SELECT seq, hash FROM audit_head WHERE id = 1"
        if conn.dialect.name == "postgresql":
            query = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
        row = conn.execute(sa.text(query)).one()
        self.seq, self.hash = int(row[0]), str(row[1])
        self.start = self.seq

    def append(self, action: str, subject: str, payload: dict[str, Any]) -> None:
        seq = self.seq + 1
        ts = datetime.now(UTC).isoformat(timespec="microseconds")
        body = _canonical(payload)
        subject = subject[:300]
        digest = _sha(_canonical([seq, ts, ACTOR, action, subject, body, self.hash]))
        self.conn.execute(
            sa.text(
                "INSERT INTO audit_events (seq, ts, actor, action, subject, payload, prev_hash, "
                "hash) VALUES (:seq, :ts, :actor, :action, :subject, :payload, :prev, :hash)"
            ),
            {"seq": seq, "ts": ts, "actor": ACTOR, "action": action, "subject": subject,
             "payload": body, "prev": self.hash, "hash": digest},
        )  # fmt: skip
        self.seq, self.hash = seq, digest

    def close(self) -> None:
        if self.seq != self.start:
            self.conn.execute(
                sa.text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
                {"s": self.seq, "h": self.hash},
            )


def _pages(conn: sa.Connection, sql: str) -> Any:
    last = -1
    while True:
        rows = conn.execute(sa.text(sql), {"last": last, "n": PAGE}).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def upgrade() -> None:
    op.create_index("ix_audit_events_subject", "audit_events", ["subject"])
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    conn = op.get_bind()
    chain = _Chain(conn)
    for vid, digest, revision_, base_model, license_, manifest, record, kind, base in _pages(
        conn,
        "SELECT id, digest, source_revision, base_model, license, manifest, record, kind, "
        "base_digest FROM versions WHERE id > :last ORDER BY id LIMIT :n",
    ):
        envelopes = {
            nonce: _sha(envelope)
            for nonce, envelope in conn.execute(
                sa.text("SELECT nonce, envelope FROM decisions WHERE version_id = :v"), {"v": vid}
            )
        }
        # kind and base too: 0005/0006 reclassified adapters without an event
        fields = {"source_revision": revision_, "base_model": base_model, "license": license_,
                  "manifest_sha256": _sha(manifest), "kind": kind, "base_digest": base}  # fmt: skip
        chain.append(
            "version.baseline",
            digest,
            {"fields": fields, "record": record, "envelopes": envelopes},
        )
    for _pk, advisory_id, description, mitigation in _pages(
        conn,
        "SELECT id, advisory_id, description, mitigation FROM advisories WHERE id > :last "
        "ORDER BY id LIMIT :n",
    ):
        chain.append(
            "advisory.baseline",
            advisory_id,
            {"description_sha256": _sha(description), "mitigation_sha256": _sha(mitigation)},
        )
    for _pk, token_id, secret_hash in _pages(
        conn,
        "SELECT id, token_id, secret_hash FROM tokens WHERE id > :last ORDER BY id LIMIT :n",
    ):
        chain.append("token.baseline", token_id, {"secret_sha256": _sha(secret_hash)})
    chain.close()


def downgrade() -> None:
    op.drop_index("ix_audit_events_action", "audit_events")
    op.drop_index("ix_audit_events_subject", "audit_events")
