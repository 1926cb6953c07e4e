"""Migrations build the schema from empty on both databases, and match the ORM models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from airlock.registry import migrate
from airlock.registry.db import Base, make_engine
from airlock.registry.errors import DatabaseError
from airlock.registry.store import Store

from .conftest import Backend


def test_upgrade_from_empty_matches_models(backend: Backend) -> None:
    engine = make_engine(backend.url, schema=backend.schema)
    try:
        assert migrate.current_revision(engine) is None
        reached = migrate.upgrade(engine)
        assert reached == migrate.head_revision()
        insp = inspect(engine)
        tables = set(insp.get_table_names())
        assert set(Base.metadata.tables) <= tables
        for name, table in Base.metadata.tables.items():
            db_cols = {c["name"]: c for c in insp.get_columns(name)}
            assert set(db_cols) == {c.name for c in table.columns}, name
            for col in table.columns:
                assert db_cols[col.name]["nullable"] == col.nullable, f"{name}.{col.name}"
            db_indexes = {tuple(i["column_names"]) for i in insp.get_indexes(name)}
            for index in table.indexes:
                assert tuple(c.name for c in index.columns) in db_indexes, index.name
        # Running it again is a no-op.
        assert migrate.upgrade(engine) == reached
    finally:
        engine.dispose()


def test_concurrent_inits_all_succeed(backend: Backend) -> None:
    """Several replicas running `registry init` on one empty PostgreSQL database: the losers
    failed with a duplicate ``alembic_version`` type and a multi-line SQL dump. (Processes:
    Alembic's context is process-global.)"""
    import subprocess
    import sys

    code = (
        "import sys; from airlock.registry import migrate; from airlock.registry.db import "
        "make_engine; e = make_engine(sys.argv[1], schema=sys.argv[2] or None); "
        "print(migrate.upgrade(e))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, backend.url, backend.schema or ""],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]  # fmt: skip
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert {o.strip() for o, _ in outs} == {migrate.head_revision()}


def test_store_refuses_uninitialised_database(backend: Backend) -> None:
    with pytest.raises(DatabaseError, match="registry init"):
        Store.open(backend.url, schema=backend.schema)


def test_init_then_open(backend: Backend) -> None:
    backend.open(init=True).close()
    s = Store.open(backend.url, schema=backend.schema)
    try:
        assert s.audit_verify().ok
    finally:
        s.close()


def test_bad_url() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        make_engine("no such thing")
    with pytest.raises(DatabaseError, match="unsupported"):
        make_engine("mysql://u@h/db")


def test_default_url_is_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    from airlock.registry.db import database_url, default_database_path

    monkeypatch.delenv("AIRLOCK_DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{default_database_path()}"
    monkeypatch.setenv("AIRLOCK_DATABASE_URL", "sqlite:////x/y.db")
    assert database_url() == "sqlite:////x/y.db"


def test_sqlite_uses_wal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_plain_postgresql_url_uses_psycopg3() -> None:
    engine = make_engine("postgresql://u@127.0.0.1:1/db")
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


def test_a_lost_init_race_is_success_when_the_winner_reached_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three `registry init` at once on one SQLite file: a loser ran a step the winner had just
    committed and failed with "duplicate column name" (1 run in ~25). Replayed deterministically:
    another process migrates the file while this one's own upgrade fails."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    from airlock.registry import migrate

    url = f"sqlite:///{tmp_path / 'r.db'}"
    real = command.upgrade

    def raced(cfg: Any, revision: str) -> None:
        monkeypatch.setattr(command, "upgrade", real)
        migrate.upgrade(make_engine(url))  # the winner, on its own engine
        raise OperationalError("ALTER TABLE ...", {}, Exception("duplicate column name: kind"))

    monkeypatch.setattr(command, "upgrade", raced)
    assert migrate.upgrade(make_engine(url)) == migrate.head_revision()

    def broken(cfg: Any, revision: str) -> None:
        raise OperationalError("ALTER TABLE ...", {}, Exception("disk I/O error"))

    other = f"sqlite:///{tmp_path / 'other.db'}"
    monkeypatch.setattr(command, "upgrade", broken)
    with pytest.raises(DatabaseError, match="disk I/O error"):
        migrate.upgrade(make_engine(other))
