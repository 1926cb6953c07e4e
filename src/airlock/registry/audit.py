"""Append-only, hash-chained audit log.

Every event's hash covers its sequence number, time, actor, action, subject, payload and the
previous event's hash, so editing, deleting, inserting or reordering rows breaks the chain; the
``audit_head`` row (last sequence number and hash, updated in the same transaction) catches a
truncated tail. Anyone with write access to the database can still rebuild the whole chain: export
and keep the head hash elsewhere (``airlock registry audit verify --format json`` prints it) to
detect that.

Sequence numbers are taken under ``audit_head``'s row lock (:func:`lock_head`, the first
statement of every write transaction), held until COMMIT: a writer waits until the one before
it has committed, so events become visible in sequence order and a follower reading "events
after my cursor" never passes one that commits later (a database sequence would not do: it
hands out numbers at INSERT and shows them at COMMIT, in any order). The test
``tests/registry/test_audit_order.py`` holds this on PostgreSQL; never number events otherwise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airlock.registry.db import AuditEventRow, AuditHeadRow, utcnow
from airlock.registry.errors import DatabaseError
from airlock.registry.records import AuditEvent, AuditVerification

GENESIS_HASH = "0" * 64
MAX_PROBLEMS = 100
_BATCH = 1000


def canonical_json(data: Any) -> str:
    """The one JSON spelling used wherever bytes are hashed or signed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    seq: int, ts: str, actor: str, action: str, subject: str, payload: str, prev_hash: str
) -> str:
    body = canonical_json([seq, ts, actor, action, subject, payload, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def lock_head(session: Session) -> AuditHeadRow:
    """Take the write lock: a row lock on PostgreSQL (SQLite holds BEGIN IMMEDIATE already)."""
    head = session.execute(
        select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        raise DatabaseError(
            "audit_head row is missing: the database was not initialised by Airlock"
        )
    return head


def append(
    session: Session,
    head: AuditHeadRow,
    *,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any] | None = None,
) -> AuditEventRow:
    """Add one event after ``head`` (obtained from :func:`lock_head` in this transaction)."""
    seq = head.seq + 1
    ts = utcnow().isoformat(timespec="microseconds")
    body = canonical_json(payload or {})
    actor, subject = actor[:200], subject[:300]
    digest = event_hash(seq, ts, actor, action, subject, body, head.hash)
    row = AuditEventRow(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        subject=subject,
        payload=body,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(row)
    head.seq = seq
    head.hash = row.hash
    return row


def _rows(session: Session) -> Iterator[AuditEventRow]:
    last = 0
    while True:
        batch = (
            session.execute(
                select(AuditEventRow)
                .where(AuditEventRow.seq > last)
                .order_by(AuditEventRow.seq)
                .limit(_BATCH)
            )
            .scalars()
            .all()
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def verify(session: Session) -> AuditVerification:
    """Walk the whole chain; report every break (up to ``MAX_PROBLEMS``)."""
    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(text)

    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for row in _rows(session):
        count += 1
        if row.seq != expected_seq:
            problem(
                f"events {expected_seq}..{row.seq - 1} are missing (deleted)"
                if row.seq > expected_seq
                else f"event {row.seq} is out of sequence"
            )
        if row.prev_hash != prev_hash:
            problem(f"event {row.seq} does not follow the previous event (inserted or reordered)")
        recomputed = event_hash(
            row.seq, row.ts, row.actor, row.action, row.subject, row.payload, row.prev_hash
        )
        if recomputed != row.hash:
            problem(f"event {row.seq} ({row.action}) was modified: its hash does not match")
        expected_seq = row.seq + 1
        prev_hash = row.hash
    head = session.get(AuditHeadRow, 1)
    if head is None:
        problem("the audit head record is missing")
        head_seq, head_hash = 0, GENESIS_HASH
    else:
        head_seq, head_hash = head.seq, head.hash
        if head.seq != expected_seq - 1 or head.hash != prev_hash:
            problem(
                f"the chain ends at event {expected_seq - 1} but the head records event "
                f"{head.seq}: events were deleted from or added to the end"
            )
    return AuditVerification(not problems, count, head_seq, head_hash, tuple(problems))


def event_record(row: AuditEventRow) -> AuditEvent:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = row.payload
    return AuditEvent(
        row.seq, row.ts, row.actor, row.action, row.subject, payload, row.prev_hash, row.hash
    )


def event_to_json(row: AuditEventRow) -> dict[str, Any]:
    return event_record(row).to_json()
