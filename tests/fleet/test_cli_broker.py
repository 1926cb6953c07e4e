"""``fleet submit`` / ``status`` with a broker that cannot be used: one line naming it (password
hidden), exit 2, and no job left behind that nobody can ever enqueue. Needs no broker."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from airlock.cli import register
from airlock.registry import migrate
from airlock.registry.db import make_engine


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def test_unreachable_broker_is_one_line_and_makes_no_job(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    store = tmp_path / "store" / "org" / "m"
    store.mkdir(parents=True)
    (store / "config.json").write_text('{"a": 1}')
    port = _closed_port()
    runner = CliRunner()
    app = register(("fleet",))
    for broker in (f"amqp://guest:hunter2@127.0.0.1:{port}//",
                   f"redis://:hunter2@127.0.0.1:{port}/0"):  # fmt: skip
        env = {"AIRLOCK_DATABASE_URL": url, "AIRLOCK_FLEET_BROKER": broker}
        r = runner.invoke(app, ["fleet", "submit", str(tmp_path / "store"), "--repo-depth", "2"],
                          env=env)  # fmt: skip
        assert r.exit_code == 2, r.stderr
        assert r.stderr.startswith("airlock: error: cannot use the fleet broker at "), r.stderr
        assert r.stderr.count("\n") == 1 and "hunter2" not in r.stderr, r.stderr
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM fleet_jobs").scalar() == 0
    engine.dispose()
