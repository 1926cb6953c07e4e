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
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, text
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


# -- the gate's bounded chain checks (no walk of the whole chain per request) -----------------

_Q_HEAD_ROW = text("SELECT seq, hash FROM audit_head WHERE id = 1")
_Q_LAST = text(
    "SELECT seq, ts, actor, action, subject, payload, prev_hash, hash FROM audit_events "
    "WHERE seq = (SELECT max(seq) FROM audit_events)"
)
_Q_SEQS = text(
    "SELECT seq, ts, actor, action, subject, payload, prev_hash, hash FROM audit_events "
    "WHERE seq IN :seqs"
).bindparams(bindparam("seqs", expanding=True))
_Q_RANGE = text(
    "SELECT seq, ts, actor, action, subject, payload, prev_hash, hash FROM audit_events "
    "WHERE seq > :after AND seq <= :upto ORDER BY seq"
)
#: Events a process verifies per uncached gate check (of those added since it last looked).
WALK_BUDGET = 500
#: Events of the verified part re-walked per uncached gate check (:class:`VerifiedPrefix`).
SCRUB_BUDGET = 10


def own_hash_ok(row: Any) -> bool:
    """Whether a fetched event row's stored hash is its fields' hash."""
    digest = event_hash(
        row.seq, row.ts, row.actor, row.action, row.subject, row.payload, row.prev_hash
    )
    return bool(digest == row.hash)


def link_problems(conn: Connection, events: Sequence[Any]) -> list[str]:
    """Whether each of ``events`` (rows already fetched, own hashes checked by the caller) is
    linked into the chain: its predecessor exists, is intact and is what its ``prev_hash``
    names; its successor exists, is intact and names it -- or it is the head. Plus: the head
    row is the last event. Two neighbours per event, one round trip, whatever the chain's
    length. An event rewritten with its hash recomputed now also needs its successor
    rewritten, and so on to the head: only a checkpoint (or a verified prefix held by a
    running server, :class:`VerifiedPrefix`) shows that."""
    head = conn.execute(_Q_HEAD_ROW).first()
    if head is None:
        return ["the audit head record is missing"]
    last = conn.execute(_Q_LAST).first()
    problems: list[str] = []
    if last is None or (last.seq, last.hash) != (head.seq, head.hash) or not own_hash_ok(last):
        problems.append(
            f"the audit head records event {head.seq} but the log ends at event "
            f"{last.seq if last is not None else 0}: events were cut from or added to the end"
        )
    have = {e.seq: e for e in events}
    wanted = sorted({s for e in events for s in (e.seq - 1, e.seq + 1)} - have.keys() - {0})
    rows = dict(have)
    for start in range(0, len(wanted), 5000):
        for r in conn.execute(_Q_SEQS, {"seqs": wanted[start : start + 5000]}):
            rows[r.seq] = r
    bad = {s for s, r in rows.items() if s not in have and not own_hash_ok(r)}
    for e in events:
        before = rows.get(e.seq - 1)
        if e.seq == 1:
            linked_before = e.prev_hash == GENESIS_HASH
        else:
            linked_before = (
                before is not None and before.seq not in bad and before.hash == e.prev_hash
            )
        after = rows.get(e.seq + 1)
        if e.seq == head.seq:
            linked_after = e.hash == head.hash and after is None
        else:
            linked_after = after is not None and after.seq not in bad and after.prev_hash == e.hash
        if e.seq > head.seq:
            problems.append(f"event {e.seq} ({e.action}) lies beyond the audit head")
        elif not (linked_before and linked_after):
            problems.append(
                f"event {e.seq} ({e.action}) is not linked into the audit chain (it, or a "
                "neighbour, was rewritten, inserted or deleted)"
            )
    return problems


class VerifiedPrefix:
    """The part of the chain this process has verified (sequence number and hash of its last
    event), extended by at most :data:`WALK_BUDGET` events per uncached gate check. Each check
    re-reads that one event: a rewrite of anything up to it changes its hash (or breaks the
    links the walk saw), so a tail rewritten after this process verified it -- the one edit
    no per-event check shows -- denies every check here. An event edited below it *without*
    recomputing the rest (a broken link the per-event checks do not read: an event taken out
    of a version's view) is found by the scrub: each check also re-walks the next
    :data:`SCRUB_BUDGET` events of the verified part, round robin. A fresh process starts at
    the genesis, or at a signed checkpoint (:meth:`start_at`)."""

    def __init__(self) -> None:
        self.seq = 0
        self.hash = GENESIS_HASH
        self.origin = "this server's own walk"
        self.scrubbed = 0  # the scrub's position in 0..seq
        self._lock = threading.Lock()

    def start_at(self, seq: int, digest: str, origin: str) -> None:
        with self._lock:
            if seq > self.seq:
                self.seq, self.hash, self.origin = seq, digest, origin

    def check(self, conn: Connection, head_seq: int) -> list[str]:
        """Problems with the verified prefix (empty: still intact, and extended)."""
        with self._lock:
            seq, digest, scrubbed = self.seq, self.hash, self.scrubbed
        if seq > 0:
            rows = conn.execute(_Q_SEQS, {"seqs": [seq]}).all()
            if not rows or rows[0].hash != digest or not own_hash_ok(rows[0]):
                return [
                    f"audit event {seq} no longer has the hash {digest[:16]}… verified earlier "
                    f"({self.origin}): the log was rewritten or cut"
                ]
        if head_seq < seq:
            return [f"the audit head ({head_seq}) is behind event {seq}, verified earlier"]
        upto = min(head_seq, seq + WALK_BUDGET)
        problem, reached = _walk(conn, seq, digest, upto)
        if problem:
            return [problem]
        scrub_to = min(seq, scrubbed + SCRUB_BUDGET) if scrubbed < seq else 0
        if scrub_to:
            problem = _walk(conn, scrubbed, None, scrub_to)[0]
            if problem:
                return [problem]
        with self._lock:
            if self.seq == seq:
                self.seq, self.hash = reached
                self.scrubbed = scrub_to
        return []


def _walk(
    conn: Connection, after: int, after_hash: str | None, upto: int
) -> tuple[str | None, tuple[int, str]]:
    """Verify events ``after+1..upto`` (links, own hashes); ``after_hash``: event ``after``'s
    hash, read here when ``None``. Returns a problem (or ``None``) and the last event reached."""
    if after == 0:
        after_hash = GENESIS_HASH
    elif after_hash is None:
        row = conn.execute(_Q_SEQS, {"seqs": [after]}).first()
        if row is None or not own_hash_ok(row):
            return f"audit event {after} was deleted or modified", (after, "")
        after_hash = row.hash
    prev_seq, prev_hash = after, after_hash
    if upto <= after:
        return None, (prev_seq, prev_hash)
    for row in conn.execute(_Q_RANGE, {"after": after, "upto": upto}):
        if row.seq != prev_seq + 1 or row.prev_hash != prev_hash or not own_hash_ok(row):
            return (
                f"audit event {prev_seq + 1} does not follow event {prev_seq} (edited, "
                "inserted, deleted or reordered)"
            ), (prev_seq, prev_hash)
        prev_seq, prev_hash = row.seq, row.hash
    if prev_seq != upto:
        return f"audit events {prev_seq + 1}..{upto} are missing (deleted)", (prev_seq, prev_hash)
    return None, (prev_seq, prev_hash)
