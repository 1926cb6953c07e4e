"""The fleet's tables, registered in the registry's metadata so Alembic (migration 0003) and the
schema test see them. Created only by the migration, never by ``create_all``.

- ``fleet_verdicts``: the content-addressed verdict cache. ``key`` hashes everything the verdict
  depends on (file sha256, file name, analyser, allowlist, rules, policy); one row per key, so a
  redelivered task can never add a second verdict for the same bytes under the same rules.
- ``fleet_rulesets``: every allowlist / rule table / policy document a verdict was judged under,
  by version: what ``fleet rejudge`` diffs against the current ones.
- ``fleet_jobs`` / ``fleet_files``: one submitted store and its files (state per file).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from airlock.registry.db import Base


class FleetVerdictRow(Base):
    __tablename__ = "fleet_verdicts"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(300))
    analyser_version: Mapped[str] = mapped_column(String(80))
    allowlist_version: Mapped[str] = mapped_column(String(80), index=True)
    rules_version: Mapped[str] = mapped_column(String(80))
    policy_hash: Mapped[str] = mapped_column(String(64))
    #: pass / fail / not_scanned under the policy of ``policy_hash``
    verdict: Mapped[str] = mapped_column(String(16))
    max_severity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    size: Mapped[int] = mapped_column(BigInteger)
    seconds: Mapped[float] = mapped_column(Float)
    result: Mapped[str] = mapped_column(Text)  # codec JSON: objects + findings, no location
    evidence: Mapped[str] = mapped_column(Text)  # evidence JSON (globals, templates, ops...)
    #: how many scans produced this verdict (redelivered work shows here, never as a new row)
    scans: Mapped[int] = mapped_column(Integer)
    #: ``scan`` (bytes read) or ``evidence`` (re-judged from a stored row under a new policy)
    origin: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FleetRulesetRow(Base):
    __tablename__ = "fleet_rulesets"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # allowlist / rules / policy
    version: Mapped[str] = mapped_column(String(80), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FleetJobRow(Base):
    __tablename__ = "fleet_jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    root: Mapped[str] = mapped_column(String(1000))
    policy: Mapped[str] = mapped_column(Text)  # policy document (TOML text) the job judges under
    policy_hash: Mapped[str] = mapped_column(String(64))
    settings: Mapped[str] = mapped_column(Text)  # JSON: limits, repo depth, broker
    files: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FleetFileRow(Base):
    __tablename__ = "fleet_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    model: Mapped[str] = mapped_column(String(500), index=True)
    path: Mapped[str] = mapped_column(String(2000))  # repo-relative name
    name: Mapped[str] = mapped_column(String(300))  # file name (part of the verdict key)
    location: Mapped[str] = mapped_column(String(2000))  # where a worker reads it
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    #: queued / running / done / not_scanned / dead
    state: Mapped[str] = mapped_column(String(16), index=True)
    verdict_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    from_cache: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    engine_seconds: Mapped[float] = mapped_column(Float)  # task wall time minus scan time
    scan_seconds: Mapped[float] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("job_id", "model", "path"),)
