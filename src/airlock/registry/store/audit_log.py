"""The audit log as read by clients: events, head, whole-chain verification."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from airlock.registry import audit
from airlock.registry.errors import DatabaseError
from airlock.registry.records import AuditEvent, AuditHead, AuditVerification
from airlock.registry.store.base import MAX_LIST, MISSING, StoreBase


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


_Q_GATE_EVENTS = text(
    "SELECT seq, action, subject, payload FROM audit_events "
    "WHERE (action LIKE 'version.%' OR action LIKE 'attestation.%' "
    "OR action IN ('advisory.publish', 'policy.set')) "
    "AND seq > :after ORDER BY seq LIMIT 1000"
)
_Q_VERSIONS = text(
    "SELECT v.digest, v.state, m.name, m.source, v.kind, v.base_digest "
    "FROM versions v JOIN models m ON m.id = v.model_id ORDER BY v.id"
)
_Q_ADVISORIES = text("SELECT id, advisory_id, severity FROM advisories ORDER BY id")
_Q_ADVISED = text(
    "SELECT av.advisory_pk, v.digest FROM advisory_versions av "
    "JOIN versions v ON v.id = av.version_id"
)
_Q_POLICIES = text("SELECT scope, document FROM policies ORDER BY scope")
_Q_DECISIONS = text(
    "SELECT v.digest, d.decision, d.approver FROM decisions d "
    "JOIN versions v ON v.id = d.version_id"
)
_Q_ATTESTATIONS = text(
    "SELECT v.digest, a.kind, a.signer, a.document_digest, a.verdict, a.document "
    "FROM attestations a JOIN versions v ON v.id = a.version_id"
)
_DECISIONS = ("version.approve", "version.reject", "version.revoke")


def _evidence_problems(
    session: Session, evidence: defaultdict[str, Counter[tuple[object, ...]]]
) -> list[str]:
    """Versions whose decisions or attestations (the policy's facts: approvers, signers, scan
    reports, check verdicts) are not the ones their events recorded, or whose stored document
    no longer has the digest recorded with it."""
    stored: defaultdict[str, Counter[tuple[object, ...]]] = defaultdict(Counter)
    for digest, decision, approver in session.execute(_Q_DECISIONS):
        stored[digest][(decision, approver)] += 1
    edited: set[str] = set()
    for digest, kind, signer, doc_digest, verdict, document in session.execute(_Q_ATTESTATIONS):
        stored[digest][(kind, signer, doc_digest, verdict)] += 1
        if hashlib.sha256(str(document).encode("utf-8")).hexdigest() != doc_digest:
            edited.add(digest)
    problems = [
        f"version {d[:16]}: its decisions or attestations were changed outside the registry "
        "(not what its audit events recorded)"
        for d in sorted(stored.keys() | evidence.keys())
        if stored.get(d, Counter()) != evidence.get(d, Counter()) or d in edited
    ]
    return problems


def _state_problems(session: Session) -> list[str]:
    """What the gate reads, replayed from the audit events and compared with the tables (no
    event hash covers a table): each version's state (``version.submit`` -> submitted, then
    each event's ``to``), model, source and adapter base (its ``version.submit``); each
    advisory's severity and versions (``advisory.publish``); each policy (its last
    ``policy.set``). A direct UPDATE/DELETE that turns a deny into an allow shows here."""
    import json

    versions: dict[str, dict[str, object]] = {}
    advisories: dict[str, tuple[object, list[str]]] = {}
    policies: dict[str, object] = {}
    evidence: defaultdict[str, Counter[tuple[object, ...]]] = defaultdict(Counter)
    after = 0
    while True:
        batch = session.execute(_Q_GATE_EVENTS, {"after": after}).all()
        if not batch:
            break
        for _seq, action, subject, payload in batch:
            try:
                data = json.loads(payload)
            except ValueError:
                continue  # audit.verify reports a modified event already
            data = data if isinstance(data, dict) else {}
            if action == "version.submit":
                versions[subject] = {"state": "submitted", **data}
            elif action == "advisory.publish":
                digests = data.get("versions")
                advisories[subject] = (data.get("severity"), sorted(map(str, digests or ())))
            elif action == "policy.set":
                policies[subject] = data
            elif action.startswith("attestation.") and subject in versions:
                fact = (action.partition(".")[2], data.get("signer"),
                        data.get("document_sha256"), data.get("verdict"))  # fmt: skip
                evidence[subject][fact] += 1
            elif subject in versions and isinstance(data.get("to"), str):
                versions[subject]["state"] = data["to"]
            if action in _DECISIONS and subject in versions:  # one decisions row each
                evidence[subject][(action.partition(".")[2], data.get("approver"))] += 1
            # a state change of a version never submitted: reported below as no submit event
        after = batch[-1][0]
    problems: list[str] = []
    for digest, state, model, source, kind, base_digest in session.execute(_Q_VERSIONS):
        want = versions.get(digest)
        if want is None:
            problems.append(f"version {digest[:16]} ({state}) has no version.submit event")
            continue
        if want["state"] != state:
            problems.append(
                f"version {digest[:16]} is {state} but its audit events leave it {want['state']}: "
                "its state was changed outside the registry"
            )
        changed = [
            k for k, v in (("model", model), ("source", source)) if k in want and want[k] != v
        ]
        # migrations 0005/0006 turned some models into adapters (stricter); the other way, or
        # another base, takes the adapter checks away
        if want.get("kind") == "adapter" and (kind, base_digest) != (
            "adapter",
            want.get("base_digest"),
        ):
            changed.append("adapter base")
        if changed:
            problems.append(
                f"version {digest[:16]}: {', '.join(changed)} changed outside the registry"
                " (not what its version.submit event says)"
            )
    problems += _evidence_problems(session, evidence)
    advised: dict[int, list[str]] = {}
    for pk, digest in session.execute(_Q_ADVISED):
        advised.setdefault(pk, []).append(digest)
    seen: set[str] = set()
    for pk, advisory_id, severity in session.execute(_Q_ADVISORIES):
        seen.add(advisory_id)
        published = advisories.get(advisory_id)
        if published is None:
            problems.append(f"advisory {advisory_id} has no advisory.publish event")
        elif published != (severity, sorted(advised.get(pk, []))):
            problems.append(
                f"advisory {advisory_id}: its severity or versions were changed outside the "
                "registry (not what its advisory.publish event says)"
            )
    problems += [
        f"advisory {a} was deleted outside the registry (published, no longer stored)"
        for a in advisories.keys() - seen
    ]
    stored: dict[str, object] = {}
    for scope, document in session.execute(_Q_POLICIES):
        try:
            stored[scope] = json.loads(document)
        except ValueError:
            stored[scope] = None
    for scope in sorted(stored.keys() | policies.keys()):
        if stored.get(scope, MISSING) != policies.get(scope, MISSING):
            problems.append(
                f"policy {scope!r} was changed outside the registry (not what its last "
                "policy.set event says)"
            )
    return problems[: audit.MAX_PROBLEMS]
