"""Read-only queries the console needs beyond the store's public API.

The catalogue pages through thousands of versions with search, filters and per-row facts
(newest check verdict, OMS signer) in a bounded number of indexed queries; the review page
reads the attestation documents themselves. Nothing here writes: every change goes through the
store (and so through its audit chain).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from airlock.registry.db import (
    AttestationRow,
    AuditEventRow,
    DecisionRow,
    ModelRow,
    VersionRow,
)

STATES = ("submitted", "approved", "rejected", "revoked")
_HEX = re.compile(r"^[0-9a-f]{4,64}$")
MAX_DOCUMENT_CHARS = 4 * 1024 * 1024


@dataclass(frozen=True)
class CatalogueRow:
    digest: str
    model: str
    state: str
    total_size: int
    file_count: int
    base_model: str
    created_at: datetime
    signer: str | None
    check_verdict: str | None
    approvers: int


@dataclass(frozen=True)
class Catalogue:
    rows: list[CatalogueRow]
    total: int
    state_counts: dict[str, int]


@dataclass(frozen=True)
class Document:
    kind: str
    signer: str | None
    created_at: datetime
    digest: str
    verdict: str | None
    issued_at: datetime | None
    data: Any  # parsed JSON, or None when unreadable
    size: int


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def catalogue(
    engine: Engine,
    *,
    query: str = "",
    state: str | None = None,
    model: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Catalogue:
    """One page of versions (newest first) matching a search text, a state and a model."""
    with Session(engine) as s:
        # Conditions on the versions table alone (its rows are wide: the manifest is inline),
        # so counts use the state index and a search touches only the versions it matches.
        conds: list[Any] = []
        q = query.strip()[:200]
        if q:
            lowered = q.lower()
            models = select(ModelRow.id).where(ModelRow.name.like(_like(q), escape="\\"))
            by_name = VersionRow.model_id.in_(models)
            conds.append(
                or_(by_name, VersionRow.digest.between(lowered, lowered + "~"))
                if _HEX.match(lowered)
                else by_name
            )
        if model:
            conds.append(
                VersionRow.model_id.in_(select(ModelRow.id).where(ModelRow.name == model))
            )
        by_state = dict(
            s.execute(
                select(VersionRow.state, func.count()).where(*conds).group_by(VersionRow.state)
            ).all()
        )
        counts = {st: int(by_state.get(st, 0)) for st in STATES}
        total = counts[state] if state in counts else sum(counts.values())
        page_q = (
            select(
                VersionRow.id,
                VersionRow.digest,
                VersionRow.state,
                VersionRow.total_size,
                VersionRow.file_count,
                VersionRow.base_model,
                VersionRow.created_at,
                ModelRow.name,
            )
            .join(ModelRow, ModelRow.id == VersionRow.model_id)
            .where(*conds)
        )
        if state in counts:
            page_q = page_q.where(VersionRow.state == state)
        page = s.execute(
            page_q.order_by(VersionRow.id.desc()).limit(limit).offset(max(0, offset))
        ).all()
        ids = [v.id for v in page]
        signers: dict[int, str] = {}
        verdicts: dict[int, str] = {}
        approvals: dict[int, int] = {}
        if ids:
            for vid, kind, signer, verdict in s.execute(
                select(
                    AttestationRow.version_id,
                    AttestationRow.kind,
                    AttestationRow.signer,
                    AttestationRow.verdict,
                )
                .where(
                    AttestationRow.version_id.in_(ids), AttestationRow.kind.in_(("oms", "check"))
                )
                .order_by(AttestationRow.id)
            ).all():
                if kind == "oms" and signer:
                    signers[vid] = signer  # newest wins
                elif kind == "check" and verdict:
                    verdicts[vid] = verdict
            approvals = dict(
                s.execute(
                    select(DecisionRow.version_id, func.count())
                    .where(DecisionRow.version_id.in_(ids), DecisionRow.decision == "approve")
                    .group_by(DecisionRow.version_id)
                ).all()
            )
        rows = [
            CatalogueRow(
                digest=v.digest,
                model=v.name,
                state=v.state,
                total_size=v.total_size,
                file_count=v.file_count,
                base_model=v.base_model,
                created_at=v.created_at,
                signer=signers.get(v.id),
                check_verdict=verdicts.get(v.id),
                approvers=int(approvals.get(v.id, 0)),
            )
            for v in page
        ]
        return Catalogue(rows, total, counts)


def documents(engine: Engine, digest: str) -> list[Document]:
    """Every attestation document over ``digest`` (oldest first), parsed."""
    with Session(engine) as s:
        vid = s.execute(select(VersionRow.id).where(VersionRow.digest == digest)).scalar()
        if vid is None:
            return []
        out = []
        for a in s.execute(
            select(AttestationRow)
            .where(AttestationRow.version_id == vid)
            .order_by(AttestationRow.id)
        ).scalars():
            data: Any = None
            if len(a.document) <= MAX_DOCUMENT_CHARS:
                try:
                    data = json.loads(a.document)
                except (ValueError, RecursionError):
                    data = None
            out.append(
                Document(
                    a.kind,
                    a.signer,
                    a.created_at,
                    a.document_digest,
                    a.verdict,
                    a.issued_at,
                    data,
                    len(a.document),
                )
            )
        return out


def baseline(engine: Engine, model: str, digest: str) -> str | None:
    """The version to diff against: the newest other approved version of the same model."""
    with Session(engine) as s:
        row = s.execute(
            select(VersionRow.digest)
            .join(ModelRow, ModelRow.id == VersionRow.model_id)
            .where(
                ModelRow.name == model,
                VersionRow.state == "approved",
                VersionRow.digest != digest,
            )
            .order_by(VersionRow.id.desc())
            .limit(1)
        ).scalar()
        return row


def model_versions(engine: Engine, model: str, limit: int = 12) -> list[tuple[str, str]]:
    """The newest versions of ``model`` as (digest, state), newest first."""
    with Session(engine) as s:
        return [
            (d, st)
            for d, st in s.execute(
                select(VersionRow.digest, VersionRow.state)
                .join(ModelRow, ModelRow.id == VersionRow.model_id)
                .where(ModelRow.name == model)
                .order_by(VersionRow.id.desc())
                .limit(limit)
            ).all()
        ]


def newest_scan_reports(engine: Engine, digests: list[str]) -> dict[str, Any]:
    """The newest scan report of each version in ``digests`` (parsed), for per-version charts."""
    if not digests:
        return {}
    with Session(engine) as s:
        newest = (
            select(func.max(AttestationRow.id))
            .join(VersionRow, VersionRow.id == AttestationRow.version_id)
            .where(VersionRow.digest.in_(digests), AttestationRow.kind == "scan")
            .group_by(AttestationRow.version_id)
        )
        out: dict[str, Any] = {}
        for digest, text in s.execute(
            select(VersionRow.digest, AttestationRow.document)
            .join(VersionRow, VersionRow.id == AttestationRow.version_id)
            .where(AttestationRow.id.in_(newest))
        ).all():
            if len(text) > MAX_DOCUMENT_CHARS:
                continue
            try:
                out[digest] = json.loads(text)
            except (ValueError, RecursionError):
                continue
        return out


def decisions_per_day(engine: Engine, days: int = 30) -> list[tuple[str, int, int]]:
    """(day, approvals, rejections or revocations) over the last ``days`` days with any."""
    with Session(engine) as s:
        day = func.substr(DecisionRow.created_at, 1, 10)
        if engine.dialect.name == "postgresql":
            day = func.to_char(DecisionRow.created_at, "YYYY-MM-DD")
        rows = s.execute(
            select(day, DecisionRow.decision, func.count()).group_by(day, DecisionRow.decision)
        ).all()
    table: dict[str, list[int]] = {}
    for d, decision, n in rows:
        slot = table.setdefault(str(d), [0, 0])
        slot[0 if decision == "approve" else 1] += int(n)
    return [(d, a, r) for d, (a, r) in sorted(table.items())[-days:]]


@dataclass(frozen=True)
class AuditPage:
    events: list[dict[str, Any]]
    newest: int
    older: int | None  # the ``before`` for the next (older) page, if any


def audit_page(
    engine: Engine, *, before: int | None = None, limit: int = 50, action: str = ""
) -> AuditPage:
    """Audit events newest first, ``limit`` at a time, optionally one action prefix."""
    from airlock.registry.audit import event_to_json

    with Session(engine) as s:
        q = select(AuditEventRow)
        if before is not None:
            q = q.where(AuditEventRow.seq < before)
        if action:
            q = q.where(AuditEventRow.action.startswith(action[:64], autoescape=True))
        rows = list(s.execute(q.order_by(AuditEventRow.seq.desc()).limit(limit + 1)).scalars())
        newest = s.execute(select(func.max(AuditEventRow.seq))).scalar() or 0
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        [event_to_json(r) for r in rows], int(newest), rows[-1].seq if more and rows else None
    )


@dataclass(frozen=True)
class TailCheck:
    """The events after a verified point: each links to the one before and hashes correctly."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problems: list[str]
    complete: bool  # False when more than ``limit`` events followed (walk the whole chain)


def chain_tail(engine: Engine, after_seq: int, after_hash: str, limit: int = 5000) -> TailCheck:
    """Check the events after (``after_seq``, ``after_hash``) and the head record."""
    from airlock.registry.audit import event_hash
    from airlock.registry.db import AuditHeadRow

    problems: list[str] = []
    prev_seq, prev_hash = after_seq, after_hash
    with Session(engine) as s:
        rows = s.execute(
            select(
                AuditEventRow.seq,
                AuditEventRow.ts,
                AuditEventRow.actor,
                AuditEventRow.action,
                AuditEventRow.subject,
                AuditEventRow.payload,
                AuditEventRow.prev_hash,
                AuditEventRow.hash,
            )
            .where(AuditEventRow.seq > after_seq)
            .order_by(AuditEventRow.seq)
            .limit(limit + 1)
        ).all()
        head = s.get(AuditHeadRow, 1)
    complete = len(rows) <= limit
    for seq, ts, actor, action, subject, payload, prev, hash_ in rows[:limit]:
        if seq != prev_seq + 1:
            problems.append(f"events {prev_seq + 1}..{seq - 1} are missing")
        if prev != prev_hash:
            problems.append(f"event {seq} does not follow the previous event")
        if event_hash(seq, ts, actor, action, subject, payload, prev) != hash_:
            problems.append(f"event {seq} ({action}) was modified")
        prev_seq, prev_hash = seq, hash_
    if complete and (head is None or head.seq != prev_seq or head.hash != prev_hash):
        problems.append("the head record does not match the last event")
    return TailCheck(not problems, min(len(rows), limit), prev_seq, prev_hash, problems[:20],
                     complete)  # fmt: skip
