"""The audit log as read by clients: events, head, whole-chain verification."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from airlock.registry import audit
from airlock.registry.errors import DatabaseError
from airlock.registry.records import AuditEvent, AuditHead, AuditVerification
from airlock.registry.store.base import MAX_LIST, StoreBase


class AuditLog(StoreBase):
    """Reading and verifying the hash-chained audit log."""

    def audit_verify(self) -> AuditVerification:
        """The chain's verification, plus every version's state replayed from its events: the
        gate reads ``versions.state``, which no event hash covers, so a direct ``UPDATE`` of a
        revoked version back to approved must show here too."""
        with self._read() as s:
            chain = audit.verify(s)
            problems = list(chain.problems) + _state_problems(s)
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


_Q_VERSION_EVENTS = text(
    "SELECT seq, action, subject, payload FROM audit_events "
    "WHERE action LIKE 'version.%' AND seq > :after ORDER BY seq LIMIT 1000"
)


def _state_problems(session: Session) -> list[str]:
    """Versions whose stored state is not the one their audit events lead to (or that no
    ``version.submit`` event registered)."""
    import json

    from airlock.registry.db import VersionRow

    expected: dict[str, str] = {}
    after = 0
    while True:
        batch = session.execute(_Q_VERSION_EVENTS, {"after": after}).all()
        if not batch:
            break
        for _seq, action, subject, payload in batch:
            if action == "version.submit":
                expected[subject] = "submitted"
                continue
            if subject not in expected:  # a state change of a version never submitted
                continue
            try:
                data = json.loads(payload)
            except ValueError:
                continue  # audit.verify reports a modified event already
            to = data.get("to") if isinstance(data, dict) else None
            if isinstance(to, str):
                expected[subject] = to
        after = batch[-1][0]
    problems: list[str] = []
    rows = session.execute(select(VersionRow.digest, VersionRow.state).order_by(VersionRow.id))
    for digest, state in rows:
        want = expected.get(digest)
        if want is None:
            problems.append(f"version {digest[:16]} ({state}) has no version.submit event")
        elif want != state:
            problems.append(
                f"version {digest[:16]} is {state} but its audit events leave it {want}: "
                "its state was changed outside the registry"
            )
        if len(problems) >= audit.MAX_PROBLEMS:
            break
    return problems
