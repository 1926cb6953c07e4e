"""Shared pieces of the fleet benches: a fresh database, worker processes, waiting."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PG_ADMIN = os.environ.get(
    "AIRLOCK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def fresh_database(name: str) -> str:
    """An empty PostgreSQL database ``name`` (dropped first), migrated to the head schema."""
    from sqlalchemy import create_engine, text

    from airlock.registry import migrate
    from airlock.registry.db import make_engine

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def env(broker: str, queue: str, database: str, src: Path = SRC) -> dict[str, str]:
    e = dict(os.environ)
    e.update(
        PYTHONPATH=str(src),
        AIRLOCK_FLEET_BROKER=broker,
        AIRLOCK_FLEET_QUEUE=queue,
        AIRLOCK_DATABASE_URL=database,
    )
    return e


def start_worker(e: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    fh = open(log, "ab")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "airlock",
            "fleet",
            "worker",
            "--loglevel",
            "WARNING",
            "--name",
            f"bench-{secrets.token_hex(3)}@host",
            *args,
        ],
        env=e,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def status(database: str) -> dict[str, Any]:
    from airlock.fleet import jobs
    from airlock.registry.db import make_engine

    engine = make_engine(database)
    try:
        return jobs.status(engine).to_json()
    finally:
        engine.dispose()


def wait_finished(database: str, timeout: float = 3600, every: float = 1.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        st = status(database)
        if st["finished"] == st["files"]:
            return st
        if time.monotonic() > deadline:
            raise TimeoutError(f"not finished: {st['states']}")
        time.sleep(every)


def sql(database: str, query: str) -> list[Any]:
    from sqlalchemy import text

    from airlock.registry.db import make_engine

    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(query)))
    finally:
        engine.dispose()


def delete_queue(broker: str, queue: str) -> None:
    from kombu import Connection

    with Connection(broker, connect_timeout=5) as conn:
        ch = conn.channel()
        for q in (queue, f"{queue}.dead"):
            try:
                ch.queue_delete(q)
            except Exception:
                pass


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
