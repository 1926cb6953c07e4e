"""Names first seen on the ecosystem bench's held-out set, reviewed and allowed afterwards: a real
full-module save that uses them scans clean (Gemma's GELUTanh activation)."""

from __future__ import annotations

from pathlib import Path

import pytest

import airlock

torch = pytest.importorskip("torch", reason="needs torch (scripts/test installs torch==2.13.0)")
activations = pytest.importorskip(
    "transformers.activations", reason="needs transformers (dependency group 'test')"
)


def test_full_save_of_gelu_tanh_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "act.pt"
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), activations.GELUTanh())
    torch.save(model, path)
    report = airlock.scan(path)
    assert [f.rule_id for f in report.findings] == []
    assert not report.not_scanned
