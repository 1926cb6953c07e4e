"""Fleet fixtures: a registry database, a store with realistic duplication, real brokers and
real ``airlock fleet worker`` processes.

Brokers: RabbitMQ at ``AIRLOCK_TEST_AMQP_URL`` (default amqp://guest:guest@127.0.0.1:5672//) and
Redis at ``AIRLOCK_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/15). Unreachable: the tests
skip with the reason, unless ``AIRLOCK_REQUIRE_FLEET=1`` (CI, which starts both), where they fail.
Every test uses its own queue name, deleted afterwards, so runs never take each other's tasks.
"""

from __future__ import annotations

import json
import os
import pickle
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from airlock.registry import migrate
from airlock.registry.db import make_engine

AMQP = os.environ.get("AIRLOCK_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS = os.environ.get("AIRLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SRC = str(Path(__file__).resolve().parents[2] / "src")

EVIL = (
    b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94"
    b"\x8c\x02id\x94\x85\x94R\x94."
)


def _reachable(url: str) -> str | None:
    u = urlparse(url)
    port = u.port or (5672 if u.scheme.startswith("amqp") else 6379)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", port), timeout=3):
            return None
    except OSError as exc:
        return f"broker {u.scheme}://{u.hostname}:{port} unreachable ({exc.strerror or exc})"


def need_broker(url: str) -> None:
    problem = _reachable(url)
    if problem is None:
        return
    if os.environ.get("AIRLOCK_REQUIRE_FLEET") == "1":
        pytest.fail(problem)
    pytest.skip(problem)


class Unknown:
    """A class pickled by reference: its global is not on the allowlist (AIR-PKL-002)."""

    def __init__(self) -> None:
        self.x = 1


def write_store(root: Path, repos: int = 6) -> dict[str, Any]:
    """Repositories sharing a tokenizer, a config and one weights file; one with a dangerous
    pickle and one with an unknown global. Returns what a correct judgement must find."""
    import collections

    tokenizer = json.dumps({"version": "1.0", "model": {"vocab": {"a": 0, "b": 1}}}).encode()
    config = json.dumps({"model_type": "bert", "hidden_size": 32}).encode()
    weights = pickle.dumps(collections.OrderedDict(w=[0.5] * 64), protocol=2)
    unknown = pickle.dumps(Unknown(), protocol=2)
    for i in range(repos):
        d = root / f"org{i % 2}--model{i}"
        d.mkdir(parents=True)
        (d / "tokenizer.json").write_bytes(tokenizer)
        (d / "config.json").write_bytes(config)
        (d / "pytorch_model.bin").write_bytes(weights)
        (d / "README.md").write_text(f"model {i}\n")
    (root / "org0--model0" / "extra.pkl").write_bytes(EVIL)
    (root / "org1--model1" / "head.pkl").write_bytes(unknown)
    return {
        "files": repos * 4 + 2,
        "unique": 3 + repos + 2,  # shared three + one README each + two singles
        "fail": {"org0--model0/extra.pkl", "org1--model1/head.pkl"},
        "unknown_global": f"{Unknown.__module__}.Unknown",
    }


def slow_pickle(path: Path, items: int = 24_000_000) -> None:
    """A harmless pickle that takes the analyser several seconds (to be killed mid-task): about
    3.5 s on a quiet machine; 6 M items (0.9 s) finished before the tests' 1 s limits there."""
    path.write_bytes(pickle.dumps([list(range(100)) for _ in range(items // 100)], protocol=2))


@dataclass
class Fleet:
    broker: str
    database: str
    queue: str
    tmp: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONPATH=SRC + os.pathsep + env.get("PYTHONPATH", ""),
            AIRLOCK_FLEET_BROKER=self.broker,
            AIRLOCK_FLEET_QUEUE=self.queue,
            AIRLOCK_DATABASE_URL=self.database,
        )
        return env

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "airlock", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )

    def start_worker(self, *args: str) -> subprocess.Popen[bytes]:
        n = len(self.workers)
        log = open(self.tmp / f"worker{n}.log", "wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "airlock",
                "fleet",
                "worker",
                "--name",
                f"w{n}-{self.queue}@t",
                "--loglevel",
                "WARNING",
                *args,
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def kill9(self, proc: subprocess.Popen[bytes]) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=20)

    def status(self, via_cli: bool = False) -> dict[str, Any]:
        if via_cli:
            proc = self.cli("fleet", "status", "--format", "json")
            assert proc.returncode in (0, 1), proc.stderr
            data: dict[str, Any] = json.loads(proc.stdout)
            return data
        from airlock.fleet import jobs

        engine = make_engine(self.database)
        try:
            return jobs.status(engine).to_json()
        finally:
            engine.dispose()

    def wait(self, until: Callable[[dict[str, Any]], bool], timeout: float = 180) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            st = self.status()
            if until(st):
                return st
            if time.monotonic() > deadline:
                logs = "\n".join(
                    (self.tmp / f"worker{i}.log").read_text(errors="replace")[-3000:]
                    for i in range(len(self.workers))
                )
                raise AssertionError(f"fleet did not get there: {st}\n{logs}")
            time.sleep(0.5)

    def rows(self, sql: str) -> list[Any]:
        from sqlalchemy import text

        engine = make_engine(self.database)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql)))
        finally:
            engine.dispose()

    def delete_queues(self) -> None:
        from kombu import Connection

        with Connection(self.broker, connect_timeout=5) as conn:
            channel = conn.channel()
            for q in (self.queue, f"{self.queue}.dead"):
                try:
                    if self.broker.startswith("redis"):
                        channel.client.delete(
                            q, f"_kombu.binding.{q}", f"_kombu.binding_permanent.{q}"
                        )
                    else:
                        channel.queue_delete(q)
                except Exception:
                    pass


def _fleet(broker: str, tmp_path: Path) -> Iterator[Fleet]:
    need_broker(broker)
    database = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = make_engine(database)
    migrate.upgrade(engine)
    engine.dispose()
    fleet = Fleet(broker, database, f"airlock-test-{secrets.token_hex(4)}", tmp_path)
    try:
        yield fleet
    finally:
        fleet.stop_all()
        fleet.delete_queues()


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    """RabbitMQ (the production broker)."""
    yield from _fleet(AMQP, tmp_path)


@pytest.fixture(params=["amqp", "redis"])
def any_fleet(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fleet]:
    yield from _fleet(AMQP if request.param == "amqp" else REDIS, tmp_path)
