"""Registry fixtures: every store-backed test runs on SQLite and on PostgreSQL.

PostgreSQL: ``AIRLOCK_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
Each test gets its own freshly created schema (``airlock_t_<random>``), dropped afterwards, so
parallel runs against one database never collide. Unset or unreachable: the PostgreSQL variants
skip with the reason, unless ``AIRLOCK_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from airlock.provenance.keys import PrivateKey, generate_private_key, public_key_pem
from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.registry.store import Store

PG_ENV = "AIRLOCK_TEST_POSTGRES_URL"
_pg_state: dict[str, str | None] = {}


def _pg_problem() -> str | None:
    """Why PostgreSQL cannot be used (``None`` when it can); probed once per session."""
    if "problem" in _pg_state:
        return _pg_state["problem"]
    url = os.environ.get(PG_ENV, "").strip()
    problem: str | None = None
    if not url:
        problem = f"{PG_ENV} is not set"
    else:
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 5})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:
            problem = f"PostgreSQL at {PG_ENV} unreachable: {type(exc).__name__}"
    _pg_state["problem"] = problem
    return problem


@dataclass
class Backend:
    name: str
    url: str
    schema: str | None = None

    def open(self, init: bool = True) -> Store:
        return Store.open(self.url, schema=self.schema, init=init)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'registry.db'}")
        return
    problem = _pg_problem()
    if problem:
        if os.environ.get("AIRLOCK_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here: {problem}")
        pytest.skip(problem)
    url = os.environ[PG_ENV]
    schema = f"airlock_t_{secrets.token_hex(6)}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Backend("postgres", url, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    s = backend.open()
    try:
        yield s
    finally:
        s.close()


def make_manifest(*contents: bytes, name: str = "model") -> Manifest:
    files = [
        FileDigest(f"file{i}.bin", len(c), hashlib.sha256(c).hexdigest())
        for i, c in enumerate(contents)
    ]
    return Manifest(files=sorted_files(files), name=name)


def unique_manifest() -> Manifest:
    return make_manifest(secrets.token_bytes(16), secrets.token_bytes(8))


@dataclass
class Approver:
    identity: str
    key: PrivateKey

    @property
    def pem(self) -> str:
        return public_key_pem(self.key.public_key()).decode()


@pytest.fixture
def alice() -> Approver:
    return Approver("alice", generate_private_key())


@pytest.fixture
def bob() -> Approver:
    return Approver("bob", generate_private_key("ed25519"))


def signed(store: Store, decision: str, digest: str, model: str, key: PrivateKey, **kw: Any) -> Any:
    """A decision signed against the version's current state record (as the CLI does)."""
    from airlock.registry.errors import NotFound
    from airlock.registry.statements import sign_decision

    try:
        record = store.get_version(digest).record
    except NotFound:
        record = "0" * 64
    return sign_decision(decision, digest, model, key, record=record, **kw)
