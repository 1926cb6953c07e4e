"""xgboost UBJSON and CatBoost .cbm model files: recognised when their structure holds, a format
problem (never "clean") when only the magic does."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from airlock.scan.engine import scan_paths


def _key(k: str) -> bytes:
    return b"i" + bytes([len(k)]) + k.encode()


def _ubj_model() -> bytes:
    floats = b"[$d#i\x03" + struct.pack(">3f", 0.5, 1.5, -2.0)
    inner = (
        b"{"
        + _key("attributes")
        + b"{}"
        + _key("weights")
        + floats
        + _key("n")
        + b"L"
        + (7).to_bytes(8, "big")
        + _key("name")
        + b"Si\x04tree"
        + _key("flags")
        + b"[TFZ]"
        + b"}"
    )
    return b"{L" + (7).to_bytes(8, "big") + b"learner" + inner + b"}"


def test_ubj_document_is_read_to_its_end_and_proven(tmp_path: Path) -> None:
    """Every UBJSON type parses; a document that is not a whole XGBoost model (no
    learner_model_param, no trees) is not proven (AIR-XGB-001), never clean. Honest models
    written by xgboost itself: tests/scan_formats/test_boost_proof.py."""
    path = tmp_path / "model.ubj"
    path.write_bytes(_ubj_model())
    report = scan_paths([path])
    assert [f.rule_id for f in report.findings] == ["AIR-XGB-001"]
    assert "learner_model_param" in report.findings[0].evidence
    assert report.objects[0].format == "xgboost-ubj"


@pytest.mark.parametrize("cut", [5, 20, 40, -1])
def test_truncated_ubj_is_not_clean(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "model.ubj"
    path.write_bytes(_ubj_model()[:cut])
    report = scan_paths([path])
    assert report.findings or report.not_scanned


def test_cbm_header_checked(tmp_path: Path) -> None:
    junk = tmp_path / "m.cbm"  # the header holds; a zero core is no model whose indexes hold
    junk.write_bytes(b"CBM1" + struct.pack("<I", 16) + b"\0" * 16)
    report = scan_paths([junk])
    assert report.objects[0].format == "catboost-cbm"
    assert [f.rule_id for f in report.findings] == ["AIR-CBM-001"]
    bad = tmp_path / "b.cbm"
    bad.write_bytes(b"CBM1" + struct.pack("<I", 10_000) + b"\0" * 16)
    report = scan_paths([bad])
    assert report.findings or report.not_scanned


def test_real_xgboost_and_catboost_files(tmp_path: Path) -> None:
    xgb = pytest.importorskip("xgboost", reason="needs group ecosystem")
    np = pytest.importorskip("numpy")
    x = np.arange(40, dtype=float).reshape(20, 2)
    booster = xgb.train({"max_depth": 2}, xgb.DMatrix(x, label=x[:, 0]), num_boost_round=2)
    booster.save_model(str(tmp_path / "b.ubj"))
    cb = pytest.importorskip("catboost", reason="needs group ecosystem")
    m = cb.CatBoostRegressor(iterations=2, verbose=False, allow_writing_files=False)
    m.fit(x, x[:, 0]).save_model(str(tmp_path / "c.cbm"))
    report = scan_paths([tmp_path])
    assert report.findings == [] and not report.not_scanned
