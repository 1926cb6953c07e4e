"""GradientBoosting with an init estimator whose predictions have fewer rows than X.

Red team rt15pk (session 14): ``predict_stages`` adds every stage into ``out[i, k]`` for each
row i of X, unchecked, where ``out`` is the init estimator's predictions. The proof bounded the
columns only, and passed any init estimator for one column: a Pipeline whose
FunctionTransformer takes ``np.mean`` over axis 0 (allowed as a value) predicts one row, and
``predict`` then writes past it (SIGSEGV), from a pickle, a joblib file or a skops file that
scanned clean. Only the dummy estimators, ``init='zero'`` and LinearRegression/Ridge with a
coef_ of one or two dimensions and an intercept_ of at most one have known predictions now.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

import pytest

from airlock.scan.engine import scan_data
from tests.scan_pickle.builders import analyze


def _gb(init: Any) -> Any:
    np = pytest.importorskip("numpy")
    ensemble = pytest.importorskip("sklearn.ensemble")
    from sklearn.linear_model import LinearRegression

    X = np.random.RandomState(0).rand(30, 3)
    gb = ensemble.GradientBoostingRegressor(n_estimators=2, init=LinearRegression())
    gb.fit(X, X @ [1.0, 2.0, 3.0])
    if init is not None:  # fitted step by step: fit() itself would mean y's rows away too
        init[0].fit(X)
        init[-1].fit(X, X[:, 0])
        gb.init_ = init
    return gb


def _one_row_init() -> Any:
    np = pytest.importorskip("numpy")
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    mean = FunctionTransformer(np.mean, kw_args={"axis": 0, "keepdims": True})
    return make_pipeline(mean, LinearRegression())


def _blocking(rules: set[str]) -> bool:
    return bool(rules & {"AIR-PKL-017", "AIR-SKOPS-004"})


def test_init_predicting_fewer_rows_is_not_proven() -> None:
    data = pickle.dumps(_gb(_one_row_init()), protocol=4)
    found = [f for f in analyze(data).findings if f.rule_id == "AIR-PKL-017"]
    assert found and "init_ is not a dummy estimator" in found[0].evidence
    # the oracle (a child): the loaded model's init step predicts one row for ten rows of X
    code = (
        "import pickle,sys,numpy as np\n"
        "m = pickle.loads(sys.stdin.buffer.read())\n"
        "print(m._raw_predict_init(np.zeros((10, 3))).shape)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, timeout=120, check=False
    )
    assert proc.stdout.decode().strip() == "(1, 1)"


def test_skops_init_predicting_fewer_rows_is_not_proven() -> None:
    sio = pytest.importorskip("skops.io")
    report = scan_data(sio.dumps(_gb(_one_row_init())), "model.skops")
    assert _blocking({f.rule_id for f in report.findings})


def test_default_and_linear_inits_stay_proven() -> None:
    np = pytest.importorskip("numpy")
    ensemble = pytest.importorskip("sklearn.ensemble")
    X = np.random.RandomState(0).rand(30, 3)
    gb = ensemble.GradientBoostingRegressor(n_estimators=2).fit(X, X[:, 0])
    assert not _blocking({f.rule_id for f in analyze(pickle.dumps(gb, protocol=4)).findings})
    linear = _gb(None)  # init=LinearRegression(), as fitted
    assert not _blocking({f.rule_id for f in analyze(pickle.dumps(linear, protocol=4)).findings})
    sio = pytest.importorskip("skops.io")
    assert not _blocking({f.rule_id for f in scan_data(sio.dumps(linear), "m.skops").findings})


def test_linear_init_with_a_2d_intercept_is_not_proven() -> None:
    np = pytest.importorskip("numpy")
    gb = _gb(None)
    gb.init_.intercept_ = np.zeros((1, 1))  # broadcasts X's rows into its own: (1, n)
    found = [f for f in analyze(pickle.dumps(gb, protocol=4)).findings]
    assert any("intercept_" in f.evidence for f in found if f.rule_id == "AIR-PKL-017")
