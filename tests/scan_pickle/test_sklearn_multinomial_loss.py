"""A multi-class GradientBoostingClassifier keeps its loss's Cython object, which comes back
through ``__pyx_unpickle_CyHalfMultinomialLoss`` (session 9: every honest multi-class model was
denied). The helper checks a checksum and calls ``CyHalfMultinomialLoss.__new__(cls)``; the class
argument is judged on its own, so naming a dangerous one is still a finding."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import airlock

np = pytest.importorskip("numpy")
joblib = pytest.importorskip("joblib")
pytest.importorskip("sklearn")


@pytest.mark.parametrize("dump", ["joblib", "pickle-p2", "pickle-p5"])
def test_multiclass_gradient_boosting_is_clean(tmp_path: Path, dump: str) -> None:
    from sklearn.datasets import make_classification
    from sklearn.ensemble import GradientBoostingClassifier

    X, y = make_classification(n_samples=120, n_classes=3, n_informative=4, random_state=0)
    model = GradientBoostingClassifier(n_estimators=3, random_state=0).fit(X, y)
    path = tmp_path / f"gbc.{dump}"
    if dump == "joblib":
        joblib.dump(model, path)
    else:
        path.write_bytes(pickle.dumps(model, protocol=int(dump[-1])))
    assert b"__pyx_unpickle_CyHalfMultinomialLoss" in path.read_bytes() or dump == "joblib"
    report = airlock.scan(path)
    assert [(f.rule_id, f.evidence) for f in report.findings] == []
    assert not report.not_scanned


def test_helper_with_a_dangerous_class_argument_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "evil.pkl"
    path.write_bytes(
        b"\x80\x02csklearn._loss._loss\n__pyx_unpickle_CyHalfMultinomialLoss\n"
        b"cos\nsystem\nJ\x44\x0d\x3b\x0e)\x87R."
    )
    report = airlock.scan(path)
    assert any(f.severity.name in ("HIGH", "CRITICAL") for f in report.findings), report.findings
