"""Tables and engines: SQLite under the user's data dir by default, PostgreSQL by URL.

The schema itself is created only by the Alembic migrations in ``airlock.registry.migrations``;
these ORM classes must stay in step with them (a test compares the two).

Writers are serialised: on SQLite a write transaction starts with ``BEGIN IMMEDIATE``; on
PostgreSQL every write first locks the single ``audit_head`` row. Both give the audit chain and
the state machine one writer at a time without lost updates.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from airlock.registry.errors import DatabaseError

ENV_DATABASE_URL = "AIRLOCK_DATABASE_URL"
WRITE_OPTION = "airlock_write"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ModelRow(Base):
    __tablename__ = "models"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VersionRow(Base):
    __tablename__ = "versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    manifest: Mapped[str] = mapped_column(Text)
    file_count: Mapped[int] = mapped_column(Integer)
    total_size: Mapped[int] = mapped_column(BigInteger)
    source_revision: Mapped[str] = mapped_column(String(200))
    base_model: Mapped[str] = mapped_column(String(500))
    license: Mapped[str] = mapped_column(String(200))
    #: ``model`` or ``adapter`` (derived from the manifest: a root ``adapter_config.json``)
    kind: Mapped[str] = mapped_column(String(16), server_default="model")
    #: Root digest of the base version an adapter is applied to ("" when none recorded).
    base_digest: Mapped[str] = mapped_column(String(64), server_default="", index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    #: Digest of the current state record (submission record, then every state change): what
    #: signed decisions bind to (see ``statements``).
    record: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AttestationRow(Base):
    """An OMS signature bundle, a scan report or a signed check verdict over one version."""

    __tablename__ = "attestations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    signer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    document: Mapped[str] = mapped_column(Text)
    document_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: Signed check verdicts: when the checker signed it, and its verdict (allow / deny).
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(8), nullable=True)
    __table_args__ = (UniqueConstraint("version_id", "document_digest"),)


class LocationRow(Base):
    """A storage URI (``s3://``, ``gs://``, ``pvc://``, ``hf://``...) that holds one version."""

    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uri: Mapped[str] = mapped_column(String(1000), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    """A signed approve / reject / revoke statement (DSSE envelope over an in-toto Statement)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    approver: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[str] = mapped_column(String(128), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    envelope: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KeyRow(Base):
    """A public key trusted to sign decisions or OMS bundles, owned by one identity."""

    __tablename__ = "keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(128), unique=True)
    identity: Mapped[str] = mapped_column(String(200), index=True)
    public_key: Mapped[str] = mapped_column(Text)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PolicyRow(Base):
    __tablename__ = "policies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), unique=True)
    document: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AdvisoryRow(Base):
    __tablename__ = "advisories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advisory_id: Mapped[str] = mapped_column(String(64), unique=True)
    severity: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    mitigation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AdvisoryVersionRow(Base):
    __tablename__ = "advisory_versions"
    advisory_pk: Mapped[int] = mapped_column(ForeignKey("advisories.id"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True, index=True)


class DeploymentRow(Base):
    __tablename__ = "deployments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    environment: Mapped[str] = mapped_column(String(100))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("name", "environment"),)


class TokenRow(Base):
    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(100))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(300), index=True)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_events_subject_action", "subject", "action"),)


class AuditHeadRow(Base):
    """The last event's sequence number and hash: catches a cut tail; also the write lock."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("airlock")) / "registry.db"


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``$AIRLOCK_DATABASE_URL``, else the default file."""
    if url:
        return url
    env = os.environ.get(ENV_DATABASE_URL, "").strip()
    if env:
        return env
    return f"sqlite:///{default_database_path()}"


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database (``None``: another database, memory or a ``file:`` URI)."""
    database = (engine.url.database or "") if engine.dialect.name == "sqlite" else ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "do_connect")
    def _make_folder(*_args: Any) -> None:
        # On the first connection, not when the engine is made: a command that only reads
        # refuses a file that does not exist before anything is created (migrate.require_current).
        path = sqlite_file(engine)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is lazy).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _has_nul(params: Any) -> bool:
    if isinstance(params, str):
        return "\x00" in params
    if isinstance(params, dict):
        return any(_has_nul(v) for v in params.values())
    if isinstance(params, (list, tuple)):
        return any(_has_nul(v) for v in params)
    return False


def _refuse_nul(engine: Engine) -> None:
    """A text value holding U+0000 is a clear 400 on both backends: PostgreSQL refuses it in
    text (psycopg DataError, a 500 from every route that stored or looked one up: a query's
    ``?model=%00``, an advisory description, a location, a source revision: rt24sbx) while
    SQLite would keep it, so a registry moved between them would differ."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(_c: Any, _cur: Any, _stmt: str, params: Any, _ctx: Any, _many: bool) -> None:
        if _has_nul(params):
            from airlock.registry.errors import InvalidRequest

            raise InvalidRequest("text values may not contain a NUL character (U+0000)")


def make_engine(url: str | None = None, *, schema: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`); ``schema``: PostgreSQL search_path."""
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(f"{shown_url(resolved)!r}: not a database URL") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_setup(engine)
        _refuse_nul(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, not psycopg2
        connect_args: dict[str, Any] = {"connect_timeout": 10}
        if schema:
            connect_args["options"] = f"-csearch_path={schema}"
        engine = create_engine(
            parsed, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=connect_args
        )
        _refuse_nul(engine)
        return engine
    raise DatabaseError(f"{shown_url(parsed)}: unsupported database (sqlite or postgresql)")


_SECRET_QUERY_KEYS = frozenset({"password", "sslpassword", "passfile", "sslkey"})


def shown_url(url: URL | str) -> str:
    """``url`` fit to print: the password hidden, and so is one given as a query parameter
    (libpq reads ``?password=``), since these lines end up in logs and CI output."""
    if isinstance(url, str):
        text = url
        try:
            url = make_url(text)
        except (ArgumentError, ValueError):
            return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", text)
    pairs = [(k, v) for k, vs in url.query.items() for v in ((vs,) if isinstance(vs, str) else vs)]
    query = "&".join(f"{k}={'***' if k.lower() in _SECRET_QUERY_KEYS else v}" for k, v in pairs)
    shown = str(url.set(query={}).render_as_string(hide_password=True))
    return f"{shown}?{query}" if query else shown


def reach(engine: Engine) -> None:
    """Open and close one connection: a database that cannot be reached is one clear line."""
    try:
        with engine.connect():
            pass
    except (DBAPIError, OSError) as exc:
        raise unreachable(engine, exc) from None


def unreachable(engine: Engine, exc: BaseException) -> DatabaseError:
    """``cannot reach the registry database at URL: reason`` (password hidden, one line)."""
    where = shown_url(engine.url)
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    reason = "; ".join(ln for ln in lines if not ln.startswith("(Background on this error"))
    return DatabaseError(f"cannot reach the registry database at {where}: {reason[:300]}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
