"""Job and file bookkeeping in the registry database. Every write is idempotent: a task that
runs twice (redelivered after a worker died, or after a broker restart) finds its files already
finished and changes nothing, so no file ever gets a second verdict."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine

from airlock.fleet.cache import writing
from airlock.fleet.tables import FleetFileRow, FleetJobRow
from airlock.registry.db import utcnow

OPEN_STATES = ("queued", "running")
FINAL_STATES = ("done", "not_scanned", "dead")


@dataclass(frozen=True)
class FileEntry:
    model: str
    path: str  # inside the model
    location: str  # what a worker opens
    size: int
    sha256: str | None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def create_job(
    engine: Engine, root: str, policy_doc: str, policy_hash: str, settings: dict[str, Any]
) -> str:
    job_id = secrets.token_hex(8)
    with writing(engine) as conn:
        conn.execute(
            insert(FleetJobRow).values(
                id=job_id,
                root=root[:1000],
                policy=policy_doc,
                policy_hash=policy_hash,
                settings=json.dumps(settings, sort_keys=True),
                files=0,
                created_at=utcnow(),
            )
        )
    return job_id


def add_files(engine: Engine, job_id: str, entries: Sequence[FileEntry]) -> None:
    rows = [
        {
            "job_id": job_id,
            "model": e.model[:500],
            "path": e.path[:2000],
            "name": e.name[:300],
            "location": e.location[:2000],
            "size": e.size,
            "sha256": e.sha256,
            "state": "queued",
            "verdict_key": None,
            "from_cache": False,
            "attempts": 0,
            "reason": None,
            "engine_seconds": 0.0,
            "scan_seconds": 0.0,
        }
        for e in entries
    ]
    t = FleetJobRow
    with writing(engine) as conn:
        for i in range(0, len(rows), 500):
            conn.execute(insert(FleetFileRow), rows[i : i + 500])
        conn.execute(update(t).where(t.id == job_id).values(files=t.files + len(rows)))


def job_policy(engine: Engine, job_id: str) -> str:
    with engine.connect() as conn:
        row = conn.execute(select(FleetJobRow.policy).where(FleetJobRow.id == job_id)).first()
    if row is None:
        from airlock.registry.errors import DatabaseError

        raise DatabaseError(f"fleet job {job_id} is not in the database")
    return str(row[0])


def _group(job_id: str, sha256: str, name: str, location: str | None = None) -> Any:
    """A job's files with one digest and name (one task judges them all), or one of them."""
    f = FleetFileRow
    where = [f.job_id == job_id, f.sha256 == sha256, f.name == name]
    if location is not None:
        where.append(f.location == location)
    return tuple(where)


def open_locations(engine: Engine, job_id: str, sha256: str, name: str) -> list[str]:
    f = FleetFileRow
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.location).where(*_group(job_id, sha256, name), f.state.in_(OPEN_STATES))
        )
        return sorted({str(r[0]) for r in rows})


def start(
    engine: Engine, job_id: str, sha256: str, name: str, worker: str, location: str | None = None
) -> tuple[int, bool]:
    """Count one more attempt on the group's open files; (attempts, any still open)."""
    f = FleetFileRow
    group = _group(job_id, sha256, name, location)
    with writing(engine) as conn:
        conn.execute(
            update(f)
            .where(*group, f.state.in_(OPEN_STATES))
            .values(
                state="running", attempts=f.attempts + 1, worker=worker[:200], started_at=utcnow()
            )
        )
        row = conn.execute(
            select(func.max(f.attempts), func.count()).where(*group, f.state.in_(OPEN_STATES))
        ).first()
    attempts, still_open = (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)
    return attempts, still_open > 0


def finish(
    engine: Engine,
    job_id: str,
    sha256: str,
    name: str,
    *,
    state: str,
    verdict_key: str | None,
    from_cache: bool,
    reason: str | None,
    scan_seconds: float = 0.0,
    engine_seconds: float = 0.0,
    extra_writes: Any = None,
    location: str | None = None,
) -> int:
    """Close the group's open files (only open ones: a repeat changes nothing); returns how
    many it closed. ``extra_writes(conn)`` runs in the same transaction (the verdict row).
    The task's times go to one file of the group (``timed``: the one it read), so sums over
    files count each scan once."""
    assert state in FINAL_STATES
    f = FleetFileRow
    group = _group(job_id, sha256, name, location)
    with writing(engine) as conn:
        if extra_writes is not None:
            extra_writes(conn)
        first = conn.execute(
            select(f.id).where(*group, f.state.in_(OPEN_STATES)).order_by(f.id).limit(1)
        ).first()
        res = conn.execute(
            update(f)
            .where(*group, f.state.in_(OPEN_STATES))
            .values(
                state=state,
                verdict_key=verdict_key,
                from_cache=from_cache,
                reason=None if reason is None else reason[:2000],
                finished_at=utcnow(),
                scan_seconds=0.0,
                engine_seconds=0.0,
            )
        )
        if first is not None and (scan_seconds or engine_seconds):
            conn.execute(
                update(f)
                .where(f.id == first[0])
                .values(scan_seconds=scan_seconds, engine_seconds=engine_seconds)
            )
        return int(res.rowcount or 0)


def existing_keys(engine: Engine, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` the verdict cache holds (one query per 500 keys)."""
    from airlock.fleet.tables import FleetVerdictRow

    todo = sorted(keys)
    found: set[str] = set()
    with engine.connect() as conn:
        for i in range(0, len(todo), 500):
            chunk = todo[i : i + 500]
            found |= {
                str(r[0])
                for r in conn.execute(
                    select(FleetVerdictRow.key).where(FleetVerdictRow.key.in_(chunk))
                )
            }
    return found


def finish_from_cache(engine: Engine, job_id: str, groups: Sequence[tuple[str, str, str]]) -> int:
    """Close every open file of each (sha256, name, key) group as judged from the cache, in
    one transaction; returns the files closed."""
    f = FleetFileRow
    closed = 0
    with writing(engine) as conn:
        for sha256, name, key in groups:
            res = conn.execute(
                update(f)
                .where(*_group(job_id, sha256, name), f.state.in_(OPEN_STATES))
                .values(state="done", verdict_key=key, from_cache=True, finished_at=utcnow())
            )
            closed += int(res.rowcount or 0)
    return closed


def close_without_digest(
    engine: Engine, job_id: str, paths: Iterable[tuple[str, str]], reason: str
) -> None:
    """Files the submitter could not read (no digest): not scanned, with why."""
    f = FleetFileRow
    with writing(engine) as conn:
        for model, path in paths:
            conn.execute(
                update(f)
                .where(f.job_id == job_id, f.model == model, f.path == path)
                .values(state="not_scanned", reason=reason[:2000], finished_at=utcnow())
            )


@dataclass
class JobStatus:
    job_id: str
    root: str
    created_at: datetime | None
    files: int
    states: dict[str, int]
    unique_keys: int
    from_cache: int
    scanned_files: int
    first_finish: datetime | None
    last_finish: datetime | None
    recent_per_second: float
    scan_seconds: float
    engine_seconds: float
    failures: list[dict[str, Any]]

    @property
    def finished(self) -> int:
        return sum(self.states.get(s, 0) for s in FINAL_STATES)

    def to_json(self) -> dict[str, Any]:
        span = (
            (self.last_finish - self.created_at).total_seconds()
            if self.last_finish and self.created_at
            else 0.0
        )
        return {
            "job": self.job_id,
            "root": self.root,
            "files": self.files,
            "finished": self.finished,
            "states": self.states,
            "unique_digests": self.unique_keys,
            "dedup_ratio": round(self.files / self.unique_keys, 3) if self.unique_keys else None,
            "from_cache": self.from_cache,
            "files_per_second": round(self.finished / span, 3) if span > 0 else None,
            "recent_files_per_second": round(self.recent_per_second, 3),
            "scan_seconds": round(self.scan_seconds, 3),
            "engine_seconds": round(self.engine_seconds, 3),
            "failures": self.failures,
        }


def status(engine: Engine, job_id: str | None = None, *, recent: float = 60.0) -> JobStatus:
    """Progress of one job (default: the newest)."""
    from datetime import timedelta

    f = FleetFileRow
    with engine.connect() as conn:
        j = FleetJobRow
        q = select(j).order_by(j.created_at.desc()).limit(1)
        if job_id is not None:
            q = select(j).where(j.id == job_id)
        job = conn.execute(q).first()
        if job is None:
            from airlock.errors import InputError

            raise InputError(f"no fleet job {job_id}" if job_id else "no fleet job submitted yet")
        jid = job.id
        states = {
            str(s): int(n)
            for s, n in conn.execute(
                select(f.state, func.count()).where(f.job_id == jid).group_by(f.state)
            )
        }
        unique = conn.execute(
            select(func.count()).select_from(
                select(f.sha256, f.name).where(f.job_id == jid).distinct().subquery()
            )
        ).scalar_one()
        cached = conn.execute(
            select(func.count()).where(f.job_id == jid, f.from_cache.is_(True))
        ).scalar_one()
        first, last = conn.execute(
            select(func.min(f.finished_at), func.max(f.finished_at)).where(f.job_id == jid)
        ).one()
        since = utcnow() - timedelta(seconds=recent)
        recent_n = conn.execute(
            select(func.count()).where(f.job_id == jid, f.finished_at >= since)
        ).scalar_one()
        scan_s, engine_s = conn.execute(
            select(func.sum(f.scan_seconds), func.sum(f.engine_seconds)).where(f.job_id == jid)
        ).one()
        scanned = conn.execute(
            select(func.count()).where(f.job_id == jid, f.scan_seconds > 0)
        ).scalar_one()
        failures = [
            {
                "model": r.model,
                "path": r.path,
                "state": r.state,
                "reason": r.reason,
                "attempts": r.attempts,
            }
            for r in conn.execute(
                select(f.model, f.path, f.state, f.reason, f.attempts)
                .where(f.job_id == jid, f.state.in_(("not_scanned", "dead")))
                .order_by(f.id)
                .limit(50)
            )
        ]
    return JobStatus(
        job_id=jid,
        root=job.root,
        created_at=_aware(job.created_at),
        files=int(job.files),
        states=states,
        unique_keys=int(unique),
        from_cache=int(cached),
        scanned_files=int(scanned),
        first_finish=_aware(first),
        last_finish=_aware(last),
        recent_per_second=int(recent_n) / recent,
        scan_seconds=float(scan_s or 0.0),
        engine_seconds=float(engine_s or 0.0),
        failures=failures,
    )


def _aware(ts: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored as UTC)."""
    from datetime import UTC

    if ts is None or ts.tzinfo is not None:
        return ts
    return ts.replace(tzinfo=UTC)
