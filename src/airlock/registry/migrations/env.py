"""Alembic environment: runs on the connection handed in by ``airlock.registry.migrate``."""

from __future__ import annotations

from alembic import context

from airlock.fleet import tables as _fleet_tables  # noqa: F401 - registers its tables
from airlock.registry.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("airlock migrations run only through airlock.registry.migrate.upgrade()")

# one transaction for every step, on SQLite too (Alembic treats its DDL as non-transactional
# and would commit step by step: concurrent `registry init` runs then interleaved, and a loser
# found "0 rows when updating 0005 to 0006" or a column already added; session 27). SQLite
# does roll DDL back, and the transaction starts with BEGIN IMMEDIATE (airlock.registry.db),
# so replicas initialising one file take turns.
context.configure(connection=connection, target_metadata=Base.metadata, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
