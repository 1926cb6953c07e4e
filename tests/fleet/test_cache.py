"""The verdict cache behind ``airlock scan``/``check --cache-url``: a second run reads every
file (to hash it) but scans none, a policy change is re-judged from stored evidence, and a
result that depends on more than the file's bytes is never stored."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from airlock.registry import migrate
from airlock.registry.db import make_engine
from tests.conftest import run_cli

from .conftest import EVIL, Unknown


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def _model(root: Path) -> Path:
    root.mkdir()
    (root / "config.json").write_text('{"model_type": "bert"}')
    (root / "evil.pkl").write_bytes(EVIL)
    (root / "head.pkl").write_bytes(pickle.dumps(Unknown(), protocol=2))
    return root


def _scan(model: Path, url: str, *extra: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    env = {
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")
        + os.pathsep
        + os.environ.get("PYTHONPATH", "")
    }
    proc = run_cli("scan", str(model), "--cache-url", url, "-f", "json", *extra, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def _cached(report: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(
        Path(o["location"]).name
        for o in report["objects"]
        if any(n.startswith("verdict from cache") for n in o["notes"])
    )


def test_second_scan_comes_from_the_cache(tmp_path: Path) -> None:
    url = _db(tmp_path)
    model = _model(tmp_path / "m")
    rc1, first, err1 = _scan(model, url)
    assert rc1 == 1 and _cached(first) == [] and "0 of 3 files from the cache" in err1
    rc2, second, err2 = _scan(model, url)
    assert rc2 == 1 and "3 of 3 files from the cache, 0 scanned" in err2
    assert _cached(second) == ["config.json", "evil.pkl", "head.pkl"]
    strip = lambda fs: sorted((f["rule_id"], f["location"], f["evidence"]) for f in fs)  # noqa: E731
    assert strip(first["findings"]) == strip(second["findings"])
    # the same bytes under another path: relabelled, still from the cache
    other = tmp_path / "copy"
    other.mkdir()
    (other / "evil.pkl").write_bytes(EVIL)
    _, third, _ = _scan(other, url)
    assert _cached(third) == ["evil.pkl"]
    assert third["findings"][0]["location"] == str(other / "evil.pkl")


def test_same_bytes_under_another_name_are_judged_again(tmp_path: Path) -> None:
    """The scanner judges names too (a pickle named .safetensors): the name is in the key."""
    url = _db(tmp_path)
    model = _model(tmp_path / "m")
    _scan(model, url)
    other = tmp_path / "o"
    other.mkdir()
    (other / "model.safetensors").write_bytes(EVIL)
    _, report, _ = _scan(other, url)
    assert _cached(report) == []
    assert "AIR-SCAN-003" in {f["rule_id"] for f in report["findings"]}  # disguised pickle


def test_policy_change_rejudged_from_stored_evidence(tmp_path: Path) -> None:
    url = _db(tmp_path)
    model = _model(tmp_path / "m")
    _, before, _ = _scan(model, url)
    assert "AIR-PKL-002" in {f["rule_id"] for f in before["findings"]}
    policy = tmp_path / "airlock.toml"
    name = f"{Unknown.__module__}.Unknown"
    policy.write_text(f'[[allow]]\nname = "{name}"\nreason = "reviewed: sets one attribute"\n')
    _, after, err = _scan(model, url, "--policy", str(policy))
    assert "3 of 3 files from the cache" in err
    assert "AIR-PKL-002" not in {f["rule_id"] for f in after["findings"]}
    head = next(o for o in after["objects"] if o["location"].endswith("head.pkl"))
    assert any("re-judged from stored evidence" in n for n in head["notes"])
    engine = make_engine(url)
    with engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(
            text("SELECT verdict, origin FROM fleet_verdicts WHERE name = 'head.pkl'")
        ).all()
    engine.dispose()
    assert sorted(rows) == [("fail", "scan"), ("pass", "evidence")]


def test_check_uses_the_cache(tmp_path: Path) -> None:
    url = _db(tmp_path)
    model = _model(tmp_path / "m")
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    first = run_cli("check", str(model), "--cache-url", url, env=env)
    second = run_cli("check", str(model), "--cache-url", url, env=env)
    assert first.returncode == second.returncode == 1
    assert "0 of 3 files from the cache" in first.stderr
    assert "3 of 3 files from the cache" in second.stderr
    assert "DENY" in second.stdout


def test_uninitialised_cache_database_is_a_clear_error(tmp_path: Path) -> None:
    model = _model(tmp_path / "m")
    proc = run_cli("scan", str(model), "--cache-url", f"sqlite:///{tmp_path / 'none.db'}")
    assert proc.returncode == 2
    assert "airlock registry init" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("fmt", ["onnx", "shard-index"])
def test_results_reading_sibling_files_are_not_cacheable(fmt: str) -> None:
    from airlock.fleet.cache import cacheable
    from airlock.scan.result import FileResult, ObjectResult

    fr = FileResult("x", [ObjectResult("x", None, fmt, "scanned")])
    assert not cacheable(fr)
    fr.objects[0].format = "safetensors"
    assert cacheable(fr)


def _diffusers(root: Path, *, ships_code: bool) -> Path:
    """A pipeline whose ``unet`` component names module ``mymod``: diffusers imports
    ``unet/mymod.py`` from the model when it ships (AIR-CFG-001, high), else a module of that
    name from the environment (AIR-CFG-016, medium). The same model_index.json bytes."""
    root.mkdir()
    (root / "model_index.json").write_text(
        '{"_class_name": "StableDiffusionPipeline", "unet": ["mymod", "MyUNet"]}'
    )
    if ships_code:
        (root / "unet").mkdir()
        (root / "unet" / "mymod.py").write_text("class MyUNet:\n    pass\n")
    return root


def test_a_verdict_judged_with_the_folder_is_not_reused_in_another(tmp_path: Path) -> None:
    """model_index.json judged beside no component code (medium: allowed) must not lend that
    verdict to the same bytes beside ``unet/mymod.py`` (high: denied by a fresh scan)."""
    url = _db(tmp_path)
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    bare = _diffusers(tmp_path / "bare", ships_code=False)
    ships = _diffusers(tmp_path / "ships", ships_code=True)
    assert run_cli("check", str(ships), env=env).returncode == 1  # a fresh scan denies
    first = run_cli("check", str(bare), "--cache-url", url, env=env)
    assert first.returncode == 0, first.stdout
    second = run_cli("check", str(ships), "--cache-url", url, env=env)
    assert second.returncode == 1, second.stdout
    assert "AIR-CFG-001" in second.stdout and "0 of 2 files from the cache" in second.stderr


def test_results_that_read_the_folder_say_so() -> None:
    """The engine notes which verdicts a handler took with the files beside them; others
    (a tokenizer, a plain config) stay cacheable by content."""
    import tempfile

    from airlock.fleet.cache import cacheable
    from airlock.scan.engine import ScanOptions, read_once

    with tempfile.TemporaryDirectory() as tmp:
        root = _diffusers(Path(tmp) / "m", ships_code=True)
        (root / "config.json").write_text('{"model_type": "bert", "hidden_size": 8}')
        index = read_once(root / "model_index.json", "model_index.json", ScanOptions(), "sha256")
        plain = read_once(root / "config.json", "config.json", ScanOptions(), "sha256")
    assert index.result.reads_folder and not cacheable(index.result)
    assert not plain.result.reads_folder and cacheable(plain.result)
