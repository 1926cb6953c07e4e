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


def test_hist_gradient_boosting_with_categorical_features_is_clean(tmp_path: Path) -> None:
    """scikit-learn stores ``partial(check_array, dtype=..., ensure_all_finite=False)`` as the
    numerical branch of its ColumnTransformer (seen first on the held-out set)."""
    import pickle

    np = pytest.importorskip("numpy")
    ensemble = pytest.importorskip("sklearn.ensemble", reason="needs scikit-learn (group test)")
    rng = np.random.default_rng(0)
    x = np.c_[rng.integers(0, 4, 200), rng.normal(size=200)]
    model = ensemble.HistGradientBoostingClassifier(max_iter=3, categorical_features=[0])
    model.fit(x, rng.integers(0, 2, 200))
    path = tmp_path / "hgb.pkl"
    path.write_bytes(pickle.dumps(model))
    report = airlock.scan(path)
    assert [f.rule_id for f in report.findings] == []
    assert not report.not_scanned
