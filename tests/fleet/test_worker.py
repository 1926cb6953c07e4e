"""Real brokers, real worker processes: a store judged once per digest, a worker killed with
SIGKILL mid-task loses nothing and adds no second verdict, limits end in "not scanned"."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .conftest import EVIL, Fleet, slow_pickle, write_store


def _finished(st: dict[str, object]) -> bool:
    return st["finished"] == st["files"]


def test_store_judged_once_per_digest(any_fleet: Fleet, tmp_path: Path) -> None:
    store = tmp_path / "store"
    want = write_store(store)
    any_fleet.start_worker("--concurrency", "1")
    sub = any_fleet.cli("fleet", "submit", str(store), "--format", "json")
    assert sub.returncode == 0, sub.stderr
    out = json.loads(sub.stdout)
    assert out["files"] == want["files"] and out["unique_digests"] == want["unique"]
    assert out["enqueued"] == want["unique"] and out["skipped_from_cache"] == 0
    st = any_fleet.wait(_finished)
    assert st["states"] == {"done": want["files"]}
    assert st["unique_digests"] == want["unique"]
    # one verdict row per digest+name, each produced by exactly one scan
    verdicts = any_fleet.rows("SELECT name, verdict, scans FROM fleet_verdicts")
    assert len(verdicts) == want["unique"]
    assert all(scans == 1 for _, _, scans in verdicts)
    failing = any_fleet.rows(
        "SELECT f.model || '/' || f.path FROM fleet_files f "
        "JOIN fleet_verdicts v ON v.key = f.verdict_key WHERE v.verdict = 'fail'"
    )
    assert {r[0] for r in failing} == want["fail"]
    # the same store again: every file is known, nothing is enqueued or scanned
    again = json.loads(any_fleet.cli("fleet", "submit", str(store), "--format", "json").stdout)
    assert again["enqueued"] == 0 and again["skipped_from_cache"] == want["files"]
    st2 = any_fleet.status(via_cli=True)
    assert st2["job"] == again["job"] and st2["from_cache"] == want["files"]
    assert all(s == 1 for (s,) in any_fleet.rows("SELECT scans FROM fleet_verdicts"))
    pub = any_fleet.cli("fleet", "publish", "--job", out["job"], "--format", "json")
    assert pub.returncode == 0, pub.stderr
    published = json.loads(pub.stdout)["published"]
    assert len(published) == 6  # every repository, as a registry version with its report
    from airlock.registry.store import Store

    reg = Store.open(any_fleet.database)
    try:
        for p in published:
            v = reg.get_version(p["digest"])
            assert v["state"] == "submitted"
    finally:
        reg.close()
    again_pub = json.loads(any_fleet.cli("fleet", "publish", "--format", "json").stdout)
    assert again_pub["published"] == [] and again_pub["already_registered"] == 6
    prom = any_fleet.cli("fleet", "metrics")
    assert prom.returncode == 0, prom.stderr
    values = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in prom.stdout.splitlines()
        if line and not line.startswith("#")
    }
    assert values["airlock_fleet_queue_depth"] == 0
    assert values['airlock_fleet_files{state="done"}'] == 2 * want["files"]
    hit = 1 - want["unique"] / (2 * want["files"])  # one scan per digest over both jobs
    assert abs(values["airlock_fleet_cache_hit_ratio"] - hit) < 1e-6
    assert values['airlock_fleet_verdicts{verdict="fail"}'] == 2
    assert values["airlock_fleet_scans_total"] == want["unique"]


def _running(fleet: Fleet) -> bool:
    return bool(fleet.rows("SELECT 1 FROM fleet_files WHERE state = 'running'"))


def test_kill9_mid_task_redelivers_without_duplicate(fleet: Fleet, tmp_path: Path) -> None:
    store = tmp_path / "store" / "org--slow"
    store.mkdir(parents=True)
    slow_pickle(store / "slow.pkl")
    (store / "config.json").write_text('{"model_type": "bert"}')
    first = fleet.start_worker()
    assert fleet.cli("fleet", "submit", str(store.parent)).returncode == 0
    deadline = time.monotonic() + 120
    while not _running(fleet):
        assert time.monotonic() < deadline, "no task started"
        time.sleep(0.2)
    time.sleep(1.0)  # mid-scan
    fleet.kill9(first)
    assert fleet.rows("SELECT count(*) FROM fleet_verdicts WHERE name = 'slow.pkl'")[0][0] == 0
    fleet.start_worker()
    st = fleet.wait(_finished)
    assert st["states"] == {"done": 2}
    rows = fleet.rows("SELECT verdict, scans FROM fleet_verdicts WHERE name = 'slow.pkl'")
    assert rows == [("pass", 1)]  # one verdict; the killed attempt wrote nothing
    attempts = fleet.rows("SELECT attempts FROM fleet_files WHERE path = 'slow.pkl'")[0][0]
    assert attempts == 2


def test_time_limit_is_not_scanned_never_lost(fleet: Fleet, tmp_path: Path) -> None:
    store = tmp_path / "store" / "org--slow"
    store.mkdir(parents=True)
    slow_pickle(store / "slow.pkl")
    fleet.start_worker("--time-limit", "1")
    assert fleet.cli("fleet", "submit", str(store.parent)).returncode == 0
    st = fleet.wait(_finished)
    assert st["states"] == {"not_scanned": 1}
    assert "time limit" in st["failures"][0]["reason"]
    assert fleet.rows("SELECT count(*) FROM fleet_verdicts")[0][0] == 0  # not a verdict


def test_poison_input_goes_to_dead_letter(fleet: Fleet, tmp_path: Path) -> None:
    """The worker dies on the file (SIGKILL here); past --max-attempts deliveries it is closed
    "dead" and parked on the dead-letter queue instead of killing workers forever."""
    store = tmp_path / "store" / "org--slow"
    store.mkdir(parents=True)
    slow_pickle(store / "slow.pkl")
    first = fleet.start_worker()
    assert fleet.cli("fleet", "submit", str(store.parent)).returncode == 0
    deadline = time.monotonic() + 120
    while not _running(fleet):
        assert time.monotonic() < deadline, "no task started"
        time.sleep(0.2)
    fleet.kill9(first)
    fleet.start_worker("--max-attempts", "1")
    st = fleet.wait(_finished)
    assert st["states"] == {"dead": 1}
    assert "poison" in st["failures"][0]["reason"]
    from kombu import Connection

    with Connection(fleet.broker) as conn:
        dead = conn.SimpleQueue(f"{fleet.queue}.dead")
        msg = dead.get(timeout=10)
        assert msg.payload["args"][3].endswith("slow.pkl")
        msg.ack()
        dead.close()


def test_submit_a_model_by_name(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hf://ORG/NAME`` through ``airlock.sources``: here the local HF cache (offline)."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--org--tiny"
    snap = repo / "snapshots" / commit
    snap.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    (snap / "config.json").write_text('{"model_type": "bert"}')
    (snap / "extra.pkl").write_bytes(EVIL)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fleet.start_worker()
    sub = fleet.cli("fleet", "submit", "hf://org/tiny", "--format", "json")
    assert sub.returncode == 0, sub.stderr
    assert json.loads(sub.stdout)["files"] == 2
    fleet.wait(_finished)
    rows = fleet.rows(
        "SELECT f.model, f.path, v.verdict FROM fleet_files f "
        "JOIN fleet_verdicts v ON v.key = f.verdict_key ORDER BY f.path"
    )
    assert rows == [
        ("hf://org/tiny", "config.json", "pass"),
        ("hf://org/tiny", "extra.pkl", "fail"),
    ]


def test_same_digest_judged_with_its_folder_per_location(fleet: Fleet, tmp_path: Path) -> None:
    """One model_index.json in two repositories: beside no component code it imports a module
    by name (medium: pass), beside ``unet/mymod.py`` diffusers runs that file (high: fail).
    One task per digest + name would close both rows with whichever verdict came first."""
    store = tmp_path / "store"
    index = '{"_class_name": "DDPMPipeline", "unet": ["mymod", "MyUNet"]}'
    for name in ("org--bare", "org--ships"):
        (store / name).mkdir(parents=True)
        (store / name / "model_index.json").write_text(index)
    (store / "org--ships" / "unet").mkdir()
    (store / "org--ships" / "unet" / "mymod.py").write_text("class MyUNet:\n    pass\n")
    fleet.start_worker("--concurrency", "1")
    sub = fleet.cli("fleet", "submit", str(store), "--format", "json")
    assert sub.returncode == 0, sub.stderr
    fleet.wait(_finished)
    rows = fleet.rows(
        "SELECT f.model, f.path, v.verdict FROM fleet_files f "
        "JOIN fleet_verdicts v ON v.key = f.verdict_key ORDER BY f.model, f.path"
    )
    verdicts = {(Path(m).name, p): v for m, p, v in rows}
    assert verdicts[("org--bare", "model_index.json")] == "pass"
    assert verdicts[("org--ships", "model_index.json")] == "fail"
