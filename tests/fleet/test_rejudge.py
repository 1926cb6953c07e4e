"""``fleet rejudge`` after a policy change: only the files whose evidence meets the change are
re-judged (from stored evidence, no bytes), the rest are carried, and each flipped verdict is
listed with the models and registry deployments that hold the file."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from airlock.fleet import jobs
from airlock.fleet.cache import VerdictCache
from airlock.fleet.jobs import FileEntry
from airlock.fleet.rejudge import AllowlistChange, allowlist_change, rejudge
from airlock.fleet.ruleset import current
from airlock.fleet.submit import sha256_file
from airlock.policyfile import load_policy
from airlock.registry import migrate
from airlock.registry.db import make_engine
from airlock.scan.engine import ScanOptions, scan_paths
from tests.conftest import run_cli

from .conftest import EVIL, Unknown, write_store


def _setup(tmp_path: Path) -> tuple[str, Path, dict]:  # type: ignore[type-arg]
    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    store = tmp_path / "store"
    want = write_store(store, repos=4)
    cache = VerdictCache(url, current(None), engine=engine)
    scan_paths([store], ScanOptions(cache=cache, mode="serial"))
    job = jobs.create_job(engine, str(store), current(None).policy_doc, current(None).policy, {})
    entries = [
        FileEntry(p.parent.name, p.name, str(p), p.stat().st_size, sha256_file(p))
        for p in sorted(store.rglob("*"))
        if p.is_file()
    ]
    jobs.add_files(engine, job, entries)
    engine.dispose()
    return url, store, want


def test_policy_change_rejudges_only_touched_files(tmp_path: Path) -> None:
    url, store, want = _setup(tmp_path)
    from airlock.registry.store import Store

    reg = Store.open(url)
    from airlock.provenance.hashing import HashOptions, hash_model

    manifest = hash_model(store / "org1--model1", HashOptions())
    ver = reg.submit(manifest, model="org/model1", source="test", actor="t")
    reg.deploy("chat-api", "prod", ver["digest"], actor="t")
    reg.close()
    engine = make_engine(url)
    stored = engine.connect().exec_driver_sql("SELECT count(*) FROM fleet_verdicts").scalar()
    assert stored == want["unique"]
    policy = tmp_path / "airlock.toml"
    policy.write_text(f'[[allow]]\nname = "{want["unknown_global"]}"\nreason = "reviewed"\n')
    rs = current(load_policy(str(policy)))
    dry = rejudge(engine, rs, dry_run=True)
    assert dry.touched == 1 and len(dry.flips) == 1
    rep = rejudge(engine, rs)
    assert rep.considered == want["unique"]
    assert rep.touched == rep.from_evidence == 1 and rep.rescanned == 0
    assert rep.carried == want["unique"] - 1
    [flip] = rep.flips
    assert (flip.name, flip.before, flip.after) == ("head.pkl", "fail", "pass")
    assert flip.models == ["org1--model1"]
    assert flip.deployments == [
        {"name": "chat-api", "environment": "prod", "version": ver["digest"]}
    ]
    # everything is now stored under the new policy: a second run has nothing to do
    again = rejudge(engine, rs)
    assert again.considered == again.up_to_date == want["unique"] and not again.flips
    engine.dispose()
    # and the CLI says the same, from the database alone
    env = {
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")
        + os.pathsep
        + os.environ.get("PYTHONPATH", "")
    }
    proc = run_cli(
        "fleet", "rejudge", "--database", url, "--policy", str(policy), "--format", "json", env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["up_to_date"] == want["unique"]


def test_allowlist_change_selects_by_evidence(tmp_path: Path) -> None:
    """An allowlist that newly allows a global: re-judged from evidence when the global is
    judged by name alone; a changed danger module touches every global below it."""
    from airlock.fleet.ruleset import allowlist_document

    _, doc = allowlist_document()
    name = f"{Unknown.__module__}.Unknown"
    newer = json.loads(json.dumps(doc))
    newer["allow"].append({"group": "test", "why": "test", "names": [name]})
    change = allowlist_change(doc, newer)
    assert change == AllowlistChange(frozenset({name}), frozenset())
    assert change.touches(name) and not change.touches("collections.OrderedDict")
    mod = AllowlistChange(frozenset(), frozenset({"posix"}))
    assert mod.touches("posix.system") and mod.touches("torch.posix.system")
    assert not mod.touches("posixpath.join")
    from airlock.fleet.cache import Stored
    from airlock.fleet.rejudge import _evidence_allow

    ev = {"globals": [name], "globals_complete": True}
    st = Stored("k", "s", "head.pkl", "fail", "high", {}, ev, "", "scan")
    assert _evidence_allow(st, change, doc, newer) == {name}
    st.evidence = {"globals": [name], "globals_complete": False}
    assert _evidence_allow(st, change, doc, newer) is None  # incomplete list: needs bytes
    st.evidence = {"globals": [name, "builtins.getattr"], "globals_complete": True}
    assert _evidence_allow(st, change, doc, newer) is None  # judged in context: needs bytes


def test_allowlist_change_sees_a_names_text_group() -> None:
    """Dropping one class from the names_text transformers group is a change to that name."""
    from airlock.fleet.ruleset import allowlist_document

    _, doc = allowlist_document()
    newer = json.loads(json.dumps(doc))
    group = next(g for g in newer["allow"] if "names_text" in g)
    dropped, *kept = group["names_text"].split()
    group["names_text"] = " ".join(kept)
    name = group["names_prefix"] + dropped
    assert name.startswith("transformers.models.")
    assert allowlist_change(doc, newer) == AllowlistChange(frozenset({name}), frozenset())


def test_rule_change_without_bytes_left_is_unavailable(tmp_path: Path) -> None:
    """A change that needs the bytes (here: the stored rows claim another analyser) rescans
    from a recorded location, and says so when no copy is left."""
    url, store, want = _setup(tmp_path)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(  # rows keyed under an older analyser
            "UPDATE fleet_verdicts SET analyser_version = 'old', key = 'old' || substr(key, 4)"
        )
    evil = store / "org0--model0" / "extra.pkl"
    assert evil.read_bytes() == EVIL
    evil.unlink()  # the only copy of these bytes
    rep = rejudge(engine, current(None))
    assert rep.touched == want["unique"]
    assert rep.rescanned == want["unique"] - 1
    assert [u["name"] for u in rep.unavailable] == ["extra.pkl"]
    assert not rep.flips
    engine.dispose()
    assert pickle.loads(pickle.dumps(Unknown())).x == 1


def _analyser_of(tree: Path) -> str:
    import subprocess
    import sys

    code = "from airlock.fleet.ruleset import analyser_version; print(analyser_version())"
    proc = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return proc.stdout.strip()


def test_analyser_version_covers_the_scanners_data(tmp_path: Path) -> None:
    """The TorchScript operator allowlist (data, regenerated for each torch release) decides
    verdicts as code does: a change to it must make every stored verdict stale, or ``rejudge``
    and ``--cache-url`` carry a TorchScript verdict judged under the old list. The pickle
    allowlist keeps its own version (diffed name by name), so it is not part of it."""
    import shutil

    import airlock

    src = Path(airlock.__path__[0])
    tree = tmp_path / "src"
    shutil.copytree(src, tree / "airlock", ignore=shutil.ignore_patterns("__pycache__"))
    before = _analyser_of(tree)
    ts = tree / "airlock" / "scan" / "data" / "torchscript_allowlist.json"
    doc = json.loads(ts.read_text())
    doc["allow"]["aten"] = doc["allow"]["aten"][1:]  # one operator fewer
    ts.write_text(json.dumps(doc))
    assert _analyser_of(tree) != before
    pk = tree / "airlock" / "scan" / "data" / "pickle_allowlist.json"
    ts.write_text(json.dumps(json.loads(ts.read_text())))  # unchanged from here on
    after_ts = _analyser_of(tree)
    pk.write_text(pk.read_text() + "\n")
    assert _analyser_of(tree) == after_ts
