"""Alembic environment: runs on the connection handed in by ``airlock.registry.migrate``."""

from __future__ import annotations

from alembic import context

from airlock.fleet import tables as _fleet_tables  # noqa: F401 - registers its tables
from airlock.registry.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("airlock migrations run only through airlock.registry.migrate.upgrade()")

context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
