"""The audit log as read by clients: events, head, whole-chain verification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text

from airlock.registry import audit, replay
from airlock.registry.errors import Conflict, DatabaseError
from airlock.registry.records import AuditEvent, AuditHead, AuditVerification
from airlock.registry.store.base import MAX_LIST, StoreBase

if TYPE_CHECKING:
    from airlock.provenance.keys import PrivateKey


class AuditLog(StoreBase):
    """Reading and verifying the hash-chained audit log."""

    def audit_verify(self) -> AuditVerification:
        """The chain's verification, plus every table row replayed from the events (see
        ``airlock.registry.replay``): the gate reads rows, which no event hash covers, so a
        direct ``UPDATE`` of a revoked version back to approved must show here too."""
        with self._read() as s:
            chain = audit.verify(s)
            problems = list(chain.problems) + replay.table_problems(s.connection())
        problems = problems[: audit.MAX_PROBLEMS]
        return AuditVerification(
            not problems, chain.events, chain.head_seq, chain.head_hash, tuple(problems)
        )

    def audit_events(
        self, *, after: int = 0, limit: int = 100, exclude: str | None = None
    ) -> list[AuditEvent]:
        """Events after sequence number ``after``; ``exclude``: leave out actions starting with
        it (the admission webhook follows the log without reading its own decisions back)."""
        from airlock.registry.db import AuditEventRow

        limit = max(1, min(limit, MAX_LIST))
        with self._read() as s:
            q = select(AuditEventRow).where(AuditEventRow.seq > after)
            if exclude:
                q = q.where(~AuditEventRow.action.startswith(exclude[:64], autoescape=True))
            rows = s.execute(q.order_by(AuditEventRow.seq).limit(limit)).scalars()
            return [audit.event_record(r) for r in rows]

    def audit_head(self) -> AuditHead:
        """The newest audit event's sequence number and hash (where a follower starts)."""
        with self._conn() as conn:
            row = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
        if row is None:
            raise DatabaseError("audit_head row is missing")
        return AuditHead(row[0], row[1])

    def signed_checkpoint(self, private_key: PrivateKey) -> dict[str, Any]:
        """The audit head signed as a checkpoint (``airlock.registry.checkpoint``), once this
        process has verified the chain up to it, link by link, from its verified prefix (the
        genesis, or the last logged checkpoint): a head that does not follow is never signed
        (``Conflict``, nothing signed)."""
        from airlock.registry.checkpoint import sign_checkpoint

        with self._conn() as conn:
            for _ in range(5):  # the head may move on while we walk: take the new one
                row = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
                if row is None:
                    raise DatabaseError("audit_head row is missing")
                seq, digest = row
                while self.verified.seq < seq:
                    problems = self.verified.check(conn, seq)
                    if problems:
                        raise Conflict(f"audit head not signed: {problems[0]}")
                if self.verified.seq == seq:
                    break
            else:
                raise Conflict("audit head not signed: the log kept moving; try again")
            problems = self.verified.check(conn, seq)
            if problems or self.verified.hash != digest:
                why = problems[0] if problems else "the head row is not the log's last event"
                raise Conflict(f"audit head not signed: {why}")
        return sign_checkpoint(seq, digest, private_key)
