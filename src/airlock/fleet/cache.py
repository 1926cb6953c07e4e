"""The content-addressed verdict cache in the registry database (SQLite or PostgreSQL).

Key: file sha256 + file name + analyser, allowlist, rules and policy versions (``ruleset``).
Value: the file's scan result without its location, the evidence a re-judgement needs, and the
verdict under the policy. ``airlock scan``/``check --cache-url`` and fleet workers share it:

- ``get`` returns the stored result relabelled for this path; a row for the same bytes under the
  same analyser, allowlist and rules but another policy is re-judged from its stored findings
  (no bytes read) and stored under the new key;
- ``put`` stores a fresh result once (``INSERT .. ON CONFLICT``): a second write of the same
  key, from a redelivered task or a racing worker, only counts one more scan.

Results that depend on more than the file's bytes and name are never stored: ONNX models and
shard indexes (they read sibling files), files that changed or could not be read, and anything
a shared memory budget or a scanner error cut short.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from airlock.fleet import codec, evidence, judge
from airlock.fleet.ruleset import Ruleset, documents
from airlock.fleet.tables import FleetRulesetRow, FleetVerdictRow
from airlock.registry.db import WRITE_OPTION, make_engine, utcnow
from airlock.registry.errors import DatabaseError
from airlock.scan.result import FileResult

CONTEXT_FORMATS = frozenset({"onnx", "shard-index"})  # read sibling files
UNSTABLE_RULES = frozenset({"AIR-SCAN-002", "AIR-SCAN-006", "AIR-SCAN-007", "AIR-ARC-003"})
UNSTABLE_WORDS = ("memory", "cannot read", "time limit", "scanner process died")


def cacheable(result: FileResult) -> bool:
    """True when the result is a function of the file's bytes and name alone."""
    if not result.objects or result.reads_folder:  # judged with its siblings: not by content
        return False
    if any(o.format in CONTEXT_FORMATS for o in result.objects):
        return False
    if any(f.rule_id in UNSTABLE_RULES for f in result.findings):
        return False
    for o in result.objects:
        if o.status == "not_scanned" and any(w in (o.reason or "") for w in UNSTABLE_WORDS):
            return False
    return True


def file_name(display: str) -> str:
    return PurePosixPath(display.replace("\\", "/")).name


@dataclass
class Stored:
    """One cache row, decoded."""

    key: str
    sha256: str
    name: str
    verdict: str
    max_severity: str | None
    result: dict[str, Any]
    evidence: dict[str, Any]
    created_at: str
    origin: str


def insert_verdict(
    conn: Connection,
    rs: Ruleset,
    sha256: str,
    name: str,
    result: FileResult,
    *,
    origin: str = "scan",
    size: int | None = None,
) -> str:
    """Store ``result`` under its key (idempotent); returns the key."""
    key = rs.key(sha256, name)
    judged = judge.judge(result, sha256, rs.policy_json())
    values = {
        "key": key,
        "sha256": sha256,
        "name": name[:300],
        "analyser_version": rs.analyser,
        "allowlist_version": rs.allowlist,
        "rules_version": rs.rules,
        "policy_hash": rs.policy,
        "verdict": judged.verdict,
        "max_severity": judged.max_severity,
        "size": size if size is not None else int(result.objects[0].size or 0),
        "seconds": float(result.seconds),
        "result": json.dumps(codec.encode(result), separators=(",", ":")),
        "evidence": json.dumps(evidence.extract(result), separators=(",", ":")),
        "scans": 0 if origin == "evidence" else 1,
        "origin": origin,
        "created_at": utcnow(),
    }
    table = FleetVerdictRow
    bump = {"scans": table.scans + (0 if origin == "evidence" else 1)}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table).values(values)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).values(values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_=bump))
    return key


def record_ruleset(conn: Connection, rs: Ruleset) -> None:
    """The documents behind ``rs``'s versions (once each): what ``rejudge`` diffs."""
    table = FleetRulesetRow
    for kind, version, doc in documents(rs):
        values = {"kind": kind, "version": version, "document": doc, "created_at": utcnow()}
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(table).values(values)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(table).values(values)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["kind", "version"]))


def load_row(row: Any) -> Stored:
    return Stored(
        key=row.key,
        sha256=row.sha256,
        name=row.name,
        verdict=row.verdict,
        max_severity=row.max_severity,
        result=json.loads(row.result),
        evidence=json.loads(row.evidence),
        created_at=row.created_at.isoformat(timespec="seconds") if row.created_at else "",
        origin=row.origin,
    )


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction (SQLite: BEGIN IMMEDIATE, as the registry's writers)."""
    try:
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            yield conn
    except SQLAlchemyError as exc:
        raise DatabaseError(f"verdict cache write failed: {type(exc).__name__}: {exc}") from None


class VerdictCache:
    """The engine's per-file result cache (``ScanOptions.cache``). Picklable: a process pool
    worker reconnects by URL. ``hits``/``misses`` count this process's lookups."""

    def __init__(
        self,
        url: str,
        ruleset: Ruleset,
        *,
        schema: str | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.url = url
        self.schema = schema
        self.ruleset = ruleset
        self.hits = 0
        self.misses = 0
        self._engine: Engine | None = engine
        self._lock = threading.Lock()
        self._recorded = False

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url, "schema": self.schema, "ruleset": self.ruleset}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["url"], state["ruleset"], schema=state["schema"])  # type: ignore[misc]

    @classmethod
    def open(cls, url: str, ruleset: Ruleset, *, schema: str | None = None) -> VerdictCache:
        """Open and check the schema (``airlock registry init`` creates it)."""
        from airlock.registry import migrate

        cache = cls(url, ruleset, schema=schema)
        migrate.require_current(cache.engine)
        return cache

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self.url, schema=self.schema)
            return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def lookup(self, sha256: str, name: str) -> Stored | None:
        """The row for these bytes under this ruleset; one under another policy is re-judged
        from its stored result (origin ``evidence``) and stored under this key."""
        rs = self.ruleset
        t = FleetVerdictRow
        key = rs.key(sha256, name)
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(t).where(t.key == key)).first()
                if row is not None:
                    return load_row(row)
                other = conn.execute(
                    select(t)
                    .where(
                        t.sha256 == sha256,
                        t.name == name[:300],
                        t.analyser_version == rs.analyser,
                        t.allowlist_version == rs.allowlist,
                        t.rules_version == rs.rules,
                        t.origin != "context",
                    )
                    .limit(1)
                ).first()
            if other is None:
                return None
            fr = codec.decode(load_row(other).result, name)
            with writing(self.engine) as wconn:
                self._record(wconn)
                insert_verdict(wconn, rs, sha256, name, fr, origin="evidence", size=other.size)
            with self.engine.connect() as conn:  # a new snapshot: the row just written
                row = conn.execute(select(t).where(t.key == key)).first()
        except SQLAlchemyError as exc:
            raise DatabaseError(f"verdict cache read failed: {type(exc).__name__}") from None
        return None if row is None else load_row(row)

    def get(self, digest: str, display: str) -> FileResult | None:
        stored = self.lookup(digest, file_name(display))
        if stored is None:
            self.misses += 1
            return None
        self.hits += 1
        fr = codec.decode(stored.result, display)
        how = "re-judged from stored evidence" if stored.origin == "evidence" else "judged"
        fr.objects[0].notes.append(
            f"{codec.CACHE_NOTE}: sha256 {digest[:16]}…, {how} {stored.created_at}"
        )
        return fr

    def put(self, digest: str, display: str, result: FileResult) -> None:
        if not cacheable(result):
            return
        with writing(self.engine) as conn:
            self._record(conn)
            insert_verdict(conn, self.ruleset, digest, file_name(display), result)

    def _record(self, conn: Connection) -> None:
        if not self._recorded:
            record_ruleset(conn, self.ruleset)
            self._recorded = True


def bump_scans(conn: Connection, key: str) -> None:
    t = FleetVerdictRow
    conn.execute(update(t).where(t.key == key).values(scans=t.scans + 1))


def from_cache(result: FileResult) -> bool:
    """True when ``result`` came from the cache (its first object carries the note)."""
    return bool(result.objects) and any(
        n.startswith(codec.CACHE_NOTE) for n in result.objects[0].notes
    )
