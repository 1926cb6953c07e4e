"""Migration 0002 on a registry that already holds versions (SQLite batch mode, PostgreSQL)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from airlock.registry import migrate
from airlock.registry.db import make_engine
from airlock.registry.store import Store


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_upgrade_from_0001_with_data(backend: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = os.environ.get("AIRLOCK_TEST_POSTGRES_URL", "")
        if not url:
            pytest.skip("AIRLOCK_TEST_POSTGRES_URL is not set")
        import secrets

        schema = f"airlock_m_{secrets.token_hex(5)}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, schema=schema)
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO models (id, name, source, created_at) "
                    "VALUES (1, 'org/m', 's', CURRENT_TIMESTAMP)"
                )
            )
            for i in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO versions (id, model_id, digest, algorithm, manifest, "
                        "file_count, total_size, source_revision, base_model, license, state, "
                        "created_at, updated_at) VALUES (:i, 1, :d, 'sha256', '{\"files\": []}', "
                        "0, 0, '', '', '', 'approved', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"i": i, "d": f"{i:02x}" * 32},
                )
        assert migrate.upgrade(engine) == migrate.head_revision()
        with engine.connect() as conn:
            records = [r[0] for r in conn.execute(text("SELECT record FROM versions ORDER BY id"))]
        assert len(records) == 2 and all(len(r) == 64 for r in records)
        assert records[0] != records[1]  # random per version: nothing to pre-compute
        store = Store.open(url, schema=schema)
        assert store.get_version("01" * 32).record == records[0]
        store.close()
    finally:
        engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
