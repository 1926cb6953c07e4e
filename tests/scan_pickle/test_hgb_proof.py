"""scikit-learn HistGradientBoosting TreePredictors trust their node array (session-9 gap): a
pickle sets ``nodes`` / the category bitsets with no check, and the compiled predict follows
left/right, reads X[:, feature_idx] and bitsets[bitset_idx] unchecked, so a bad index loads
fine and crashes (or loops) in ``predict``. TreePredictors are allowed only when proven from
the node bytes and linked to the estimator whose n_features_in_ / bin mapper bound what they
read (AIR-PKL-017).

Honest models come from the real savers; malicious ones are honest models with changed nodes,
saved by the same savers; the oracle loads and predicts in a child process."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import airlock
from airlock.scan import index_proof as ip

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")
pytest.importorskip("pandas")
joblib = pytest.importorskip("joblib")

from tests.scan_pickle import hgb_fixtures as fx  # noqa: E402
from tests.scan_pickle import index_fixtures as ix  # noqa: E402

RULE = ip.RULE


_blocking = ix.blocking


_save = ix.save_all_compressed


@pytest.fixture(scope="module")
def honest_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _save(fx.honest(), tmp_path_factory.mktemp("honest_hgb"))


@pytest.fixture(scope="module")
def malicious_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in _save(fx.malicious(), tmp_path_factory.mktemp("bad_hgb"))}


def test_record_layout_is_sklearns() -> None:
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE as D

    fields = tuple((n, D.fields[n][0].str, D.fields[n][1]) for n in D.names)
    assert fields == ip.PREDICTOR_FIELDS
    assert D.itemsize == 56


def test_honest_saves_stay_clean(honest_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Binary/multi-class classifiers, regressors (squared, poisson), NaNs, categorical
    features (bool mask, indices, from_dtype on a DataFrame, one category and NaN), early
    stopping, monotonic and interaction constraints, class_weight, a constant target, a
    pipeline, an unfitted model; pickle protocols 2/4/5, joblib plain and compressed: no
    blocking finding, every predictor proven (not skipped)."""
    verdicts: Counter[str | None] = Counter()
    real = ip.tpred_verdict

    def counting(*args: Any) -> str | None:
        why = real(*args)
        verdicts[why] += 1
        return why

    monkeypatch.setattr(ip, "tpred_verdict", counting)
    assert len(honest_files) == 5 * len(fx.honest())
    dirty = {p.name: _blocking(p) for p in honest_files if _blocking(p)}
    assert not dirty
    assert set(verdicts) == {None}
    assert verdicts[None] >= 5 * 200  # predictors in all the files


def test_every_malicious_save_is_denied(malicious_files: dict[str, Path]) -> None:
    undenied = [
        name
        for name, path in malicious_files.items()
        if not any(f.rule_id == RULE for f in airlock.scan(path).findings)
    ]
    assert not undenied
    finding = next(
        f for f in airlock.scan(malicious_files["left_huge.p4.pkl"]).findings if f.rule_id == RULE
    )
    assert finding.severity.name == "HIGH"
    assert ip.SK_TPRED in finding.evidence
    assert "past the" in finding.evidence


def test_categorical_split_needs_the_bin_mappers_mask() -> None:
    """Categorical splits are proven against is_categorical_ (the rows of known_cat_bitsets);
    without a bin mapper they are not proven, numeric-only trees need none."""
    tp = ip.tpred_verdict
    fx_nodes = np.zeros(3, dtype=_record_dtype())
    fx_nodes["left"][0], fx_nodes["right"][0] = 1, 2
    fx_nodes["is_leaf"][1:] = 1
    fx_nodes["feature_idx"][0] = 1
    state = {
        "nodes": _arr(fx_nodes),
        "binned_left_cat_bitsets": _arr(np.zeros((1, 8), np.uint32)),
        "raw_left_cat_bitsets": _arr(np.zeros((1, 8), np.uint32)),
    }

    def arr_of(a: Any) -> Any:
        return a

    assert tp(state, [(2, "is_categorical_ not known")], arr_of) is None
    assert "outside 0..0" in (tp(state, [(1, "x")], arr_of) or "")
    fx_nodes["is_categorical"][0] = 1
    assert "bin mapper" in (tp(state, [(2, "is_categorical_ not known")], arr_of) or "")
    assert "does not mark" in (tp(state, [(2, np.array([True, False]))], arr_of) or "")
    assert tp(state, [(2, np.array([False, True]))], arr_of) is None
    fx_nodes["bitset_idx"][0] = 1
    assert "bitset_idx" in (tp(state, [(2, np.array([False, True]))], arr_of) or "")
    assert "not among" in (tp(state, [], arr_of) or "")


def _record_dtype() -> Any:
    return np.dtype(ip._PRED_NP)


def _arr(a: Any) -> ip.Arr:
    fields = tuple((n, a.dtype.fields[n][0].str, a.dtype.fields[n][1]) for n in a.dtype.names or ())
    return ip.Arr(a.shape, a.dtype.str, lambda: a.tobytes(), (lambda: fields) if fields else None)


# the real loader and predict, in a child process: these crash (signal) or hang today
BROKEN = {
    "left_huge.p4.pkl": "crash",
    "right_huge.joblib": "crash",
    "feature_huge.p5.pkl": "crash",
    "bitset_huge.z3.joblib": "crash",
    "root_self_loop.p4.pkl": "hang",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_oracle_breaks_and_scan_denies(name: str, malicious_files: dict[str, Path]) -> None:
    path = malicious_files[name]
    assert fx.oracle(path, timeout=20) == BROKEN[name]
    assert any(f.rule_id == RULE for f in airlock.scan(path).findings)


@pytest.mark.slow
def test_oracle_honest_loads_and_predicts(honest_files: list[Path]) -> None:
    for name in ("nan.p4.pkl", "cat_indices.joblib", "regressor.z3.joblib", "multiclass.p2.pkl"):
        path = next(p for p in honest_files if p.name == name)
        assert fx.oracle(path) == "ok"
