"""Sparse tensors in pickles (red-team k2): ``torch._utils._rebuild_sparse_tensor`` rebuilds the
indices/values stored in the file without invariant checks, and torch does not validate them on
load (pickle.load, joblib.load, torch.load even with weights_only=True): an out-of-range index
makes the first ``to_dense()`` write out of bounds. Airlock does not prove the indices in range,
so any sparse rebuild is a high finding naming the cause (honest sparse saves are denied too)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import airlock
from airlock.report import Severity

torch = pytest.importorskip("torch", reason="needs torch (scripts/test installs torch==2.13.0)")

WHY = "torch does not validate them on load"


def _sparse_hits(path: Path) -> list[tuple[str, Severity, str]]:
    report = airlock.scan(path)
    return [
        (f.rule_id, f.severity, f.evidence)
        for f in report.findings
        if "_rebuild_sparse_tensor" in f.evidence
    ]


def _saves(tmp_path: Path, value: object) -> list[Path]:
    paths = [tmp_path / "v.pkl", tmp_path / "v.pt", tmp_path / "v_legacy.pt"]
    paths[0].write_bytes(pickle.dumps({"emb": value}, protocol=4))
    torch.save({"emb": value}, paths[1])
    torch.save({"emb": value}, paths[2], _use_new_zipfile_serialization=False)
    return paths


def _red_team_coo() -> object:
    return torch.sparse_coo_tensor(torch.tensor([[1 << 36]]), torch.ones(1), (4,))


@pytest.mark.parametrize(
    "make",
    [
        _red_team_coo,
        lambda: torch.randn(3, 3).to_sparse(),
        lambda: torch.eye(3).to_sparse_csr(),
    ],
    ids=["red_team_oob_coo", "honest_coo", "honest_csr"],
)
def test_sparse_rebuild_is_a_high_finding(tmp_path: Path, make: object) -> None:
    for path in _saves(tmp_path, make()):  # type: ignore[operator]
        hits = _sparse_hits(path)
        assert hits, path
        assert all(rule == "AIR-PKL-001" and sev == Severity.HIGH for rule, sev, _ in hits), hits
        report = airlock.scan(path)
        whys = [f.why for f in report.findings if "_rebuild_sparse_tensor" in f.evidence]
        assert any(WHY in str(w) for w in whys), whys


def test_dense_tensors_stay_clean(tmp_path: Path) -> None:
    for path in _saves(tmp_path, torch.randn(3, 3)):
        report = airlock.scan(path)
        assert [(f.rule_id, f.evidence) for f in report.findings] == [], path


def test_torch_really_does_not_check_on_load(tmp_path: Path) -> None:
    """The evidence: torch.load (weights_only default) returns the out-of-range tensor without an
    error (only its indices are read here, never to_dense())."""
    path = tmp_path / "v.pt"
    torch.save({"emb": _red_team_coo()}, path)
    loaded = torch.load(path)["emb"]
    assert int(loaded._indices().max()) == 1 << 36
