"""The store's foundation: engine, the one transaction helper every record kind writes through, the
per-audit-sequence read cache, and the validation every kind shares.

Each mutation runs in one write transaction that takes the registry's write lock first (see
``airlock.registry.db``), applies the state machine and appends its audit event, so a change and
its audit record commit together or not at all (:meth:`StoreBase._write`).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import Connection, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from airlock.registry import audit
from airlock.registry.db import AuditHeadRow, ModelRow, VersionRow, make_engine
from airlock.registry.errors import Conflict, DatabaseError, InvalidRequest, NotFound

STATES = ("submitted", "approved", "rejected", "revoked")
GLOBAL_SCOPE = "*"
SCAN_SCHEMA = "airlock.scan-report/v1"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_TEXT = 4000
MAX_LIST = 1000
#: The largest integer stored or compared in a query: a signed 64-bit column (SQLite INTEGER,
#: PostgreSQL BIGINT). The HTTP edge bounds every integer parameter by it (a 422, never a
#: driver OverflowError and a 500).
MAX_INT = 2**63 - 1
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$")


def check_digest(digest: str) -> str:
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise InvalidRequest(f"{str(digest)[:80]!r}: not a 64-character lowercase hex root digest")
    return digest


def check_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidRequest(
            f"{what} {str(value)[:80]!r}: 1-200 characters of letters, digits and ._:/@+- "
            "starting with a letter or digit"
        )
    return value


def text_field(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidRequest(f"{what}: must be a string of at most {limit} characters")
    return value


def iso(value: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands back naive datetimes; they were stored as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


MAX_DOCUMENT_DEPTH = 64  # scan reports, bundles, mitigations: a handful of levels


def json_depth(data: Any, limit: int = MAX_DOCUMENT_DEPTH) -> int:
    """Nesting depth of a JSON value (iterative; stops counting once past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, (list, tuple)):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((c, depth + 1) for c in children)
    return deepest


def json_text(data: Any, what: str) -> tuple[str, str]:
    """Canonical JSON text of ``data`` and its sha256 (bounded in size and depth: a stored
    document is served back, and pydantic refuses to serialise past ~254 levels, so one too
    deep would make every listing that includes it fail)."""
    if json_depth(data) > MAX_DOCUMENT_DEPTH:
        raise InvalidRequest(f"{what}: nested deeper than {MAX_DOCUMENT_DEPTH} levels")
    text = audit.canonical_json(data)
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidRequest(f"{what}: larger than {MAX_DOCUMENT_BYTES} bytes")
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


Q_HEAD = text("SELECT seq FROM audit_head WHERE id = 1")
#: The gate's per-request read: the head, and whether the log still ends there (a head moved
#: back by a direct edit, events left after it, must not bring back answers cached for it).
Q_GATE_HEAD = text("SELECT seq, (SELECT max(seq) FROM audit_events) FROM audit_head WHERE id = 1")
MISSING = object()


class ReadCache:
    """Read results remembered per audit sequence number.

    Every mutation appends an audit event and so moves ``audit_head.seq``: an entry computed at
    the current sequence number is still exact. One cheap query (the head) per request replaces
    the token, policy and gate look-ups when nothing changed. An entry computed from data newer
    than its label is harmless: it is only served while that label is current.
    """

    MAX_ENTRIES = 100_000

    def __init__(self) -> None:
        self.seq = -1
        self.entries: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, seq: int) -> Any:
        if seq != self.seq:
            return MISSING
        return self.entries.get(key, MISSING)

    def advance(self, old: int, new: int) -> None:
        """Events ``old+1..new`` changed nothing a cached answer depends on (admission
        decisions): what was exact at ``old`` is exact at ``new``."""
        with self.lock:
            if self.seq == old:
                self.seq = new

    def put(self, key: Any, seq: int, value: Any) -> None:
        with self.lock:
            if seq != self.seq:
                if seq < self.seq:
                    return
                self.entries = {}
                self.seq = seq
            if len(self.entries) >= self.MAX_ENTRIES:
                self.entries = {}
            self.entries[key] = value


def aware(value: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive values or text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass
class Facts:
    version: VersionRow
    model: ModelRow


class StoreBase:
    """The engine, the transaction helpers every record kind goes through (:meth:`_read`,
    :meth:`_conn`, :meth:`_write`) and the read cache. The kinds are mixins over it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: Reads see one snapshot per transaction. SQLite's explicit BEGIN already gives that;
        #: PostgreSQL's default (READ COMMITTED) takes a new snapshot per statement, so the
        #: gate read the audit head, then a log a concurrent writer had just extended, and
        #: denied approved versions as "changed outside the registry" (12 % of uncached checks
        #: under two writers); `audit verify` reported the same false cut. psycopg 3 sends the
        #: level with its BEGIN: no extra round trip. Writes keep READ COMMITTED (they
        #: serialise on the audit head's row lock; REPEATABLE READ would make them fail).
        self.read_engine: Engine = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if engine.dialect.name == "postgresql"
            else engine
        )
        # SQLite's busy handler backs off by sleeping; queue this process's writers on a lock
        # instead, so only writers in other processes ever wait on SQLite itself.
        self._local_writer: threading.Lock | None = (
            threading.Lock() if engine.dialect.name == "sqlite" else None
        )
        self._cache = ReadCache()
        #: The audit chain as far as this process verified it (the gate extends it).
        self.verified = audit.VerifiedPrefix()

    @classmethod
    def open(cls, url: str | None = None, *, schema: str | None = None, init: bool = False) -> Self:
        """Open the database at ``url`` (default: ``$AIRLOCK_DATABASE_URL`` or the user's file).

        ``init`` runs the migrations first; otherwise the schema must already be current.
        """
        from airlock.registry import migrate

        engine = make_engine(url, schema=schema)
        if init:
            migrate.upgrade(engine)
        else:
            migrate.require_current(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ping(self) -> None:
        """Raise ``DatabaseError`` unless the database answers a query (readiness)."""
        with self._conn() as conn:
            conn.execute(text("SELECT 1"))

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self.read_engine, expire_on_commit=False) as session:
                yield session
        except OperationalError as exc:
            raise DatabaseError(f"database unavailable: {exc.orig or exc}") from None

    @contextmanager
    def _conn(self) -> Iterator[Connection]:
        """A plain connection for the read-only hot paths (gate, authentication)."""
        try:
            with self.read_engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise DatabaseError(f"database unavailable: {short_db(exc)}") from None

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, AuditHeadRow]]:
        if self._local_writer is None:
            with self._write_txn() as pair:
                yield pair
            return
        with self._local_writer, self._write_txn() as pair:
            yield pair

    @contextmanager
    def _write_txn(self) -> Iterator[tuple[Session, AuditHeadRow]]:
        try:
            with (
                self.engine.connect().execution_options(airlock_write=True) as conn,
                Session(bind=conn, expire_on_commit=False) as session,
            ):
                head = audit.lock_head(session)
                yield session, head
                session.commit()
                conn.commit()
        except IntegrityError as exc:
            raise Conflict(f"conflicts with an existing record ({short_db(exc)})") from None
        except OperationalError as exc:
            raise DatabaseError(f"database unavailable: {short_db(exc)}") from None

    # -- lookups ------------------------------------------------------------------------------

    @staticmethod
    def _version(session: Session, digest: str) -> Facts:
        check_digest(digest)
        row = session.execute(
            select(VersionRow, ModelRow)
            .join(ModelRow, ModelRow.id == VersionRow.model_id)
            .where(VersionRow.digest == digest)
        ).first()
        if row is None:
            raise NotFound(f"version {digest} is not registered")
        return Facts(row[0], row[1])

    @staticmethod
    def _version_fields(facts: Facts) -> dict[str, Any]:
        v, m = facts.version, facts.model
        return {
            "digest": v.digest,
            "model": m.name,
            "source": m.source,
            "state": v.state,
            "record": v.record,
            "algorithm": v.algorithm,
            "file_count": v.file_count,
            "total_size": v.total_size,
            "source_revision": v.source_revision,
            "base_model": v.base_model,
            "license": v.license,
            "kind": v.kind,
            "base_digest": v.base_digest,
            "created_at": iso(v.created_at),
            "updated_at": iso(v.updated_at),
        }

    def _refusal(self, action: str, subject: str, reason: str, actor: str) -> None:
        """Record a refused security-relevant request (bad signature, replay, out of order)."""
        with self._write() as (s, head):
            audit.append(
                s, head, actor=actor, action=action, subject=subject, payload={"reason": reason}
            )


def short_db(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).splitlines()[0] if str(orig or exc) else ""
    return text[:200]
