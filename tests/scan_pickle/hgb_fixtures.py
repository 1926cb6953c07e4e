"""Honest and malicious scikit-learn HistGradientBoosting models, written by the real savers.

Malicious ones are honest fitted estimators whose TreePredictor nodes were changed afterwards
(what an attacker writes with the same savers); :func:`oracle` loads one with the real loader
in a child process and predicts under a timeout (a crash or a hang is observed, not suffered).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

N_FEATURES = 4


def _data(seed: int = 0, n: int = 400) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    X = rng.random((n, N_FEATURES))
    y = (X[:, 0] + X[:, 1] > 1).astype(int) + (X[:, 2] > 0.7)
    return X, y, X[:, 0] * 3 + X[:, 3]


def _categorical(seed: int = 0, n: int = 400) -> tuple[Any, Any]:
    """Feature 1 holds categories 0..5 (some NaN) and drives the target: categorical splits."""
    X, _, _ = _data(seed, n)
    rng = np.random.default_rng(seed + 1)
    X[:, 1] = rng.integers(0, 6, n)
    y = np.isin(X[:, 1], (1, 4)).astype(int) ^ (X[:, 0] > 0.9)
    X[::11, 1] = np.nan
    return X, y


def honest() -> dict[str, Any]:
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier as C
    from sklearn.ensemble import HistGradientBoostingRegressor as R
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, r = _data()
    Xn = X.copy()
    Xn[::5, 2] = np.nan
    Xc, yc = _categorical()
    mask = np.zeros(N_FEATURES, bool)
    mask[1] = True
    df = pd.DataFrame(Xc[:, [0, 2, 3]], columns=["a", "b", "c"])
    df["cat"] = pd.Categorical(np.where(np.isnan(Xc[:, 1]), "x", Xc[:, 1].astype(str)))
    one = Xc.copy()
    one[:, 3] = np.where(np.arange(len(one)) % 3 == 0, np.nan, 2.0)  # one category and NaN
    kw: dict[str, Any] = {"max_iter": 8, "random_state": 0}
    return {
        "binary": C(**kw).fit(X, y > 0),
        "multiclass": C(**kw).fit(X, y),
        "regressor": R(**kw).fit(X, r),
        "poisson": R(loss="poisson", **kw).fit(X, np.abs(r)),
        "nan": C(**kw).fit(Xn, y),
        "nan_regressor": R(**kw).fit(Xn, r),
        "cat_mask": C(categorical_features=mask, **kw).fit(Xc, yc),
        "cat_indices": C(categorical_features=[1], **kw).fit(Xc, yc),
        "cat_regressor": R(categorical_features=[1], **kw).fit(Xc, yc * 2.0 + Xc[:, 0]),
        "cat_one_category": C(categorical_features=[1, 3], **kw).fit(one, yc),
        "cat_from_dtype": C(categorical_features="from_dtype", **kw).fit(df, yc),
        "early_stopping": C(
            early_stopping=True,
            max_iter=50,
            n_iter_no_change=2,
            validation_fraction=0.2,
            random_state=0,
        ).fit(X, y),
        "monotonic": R(monotonic_cst=[1, 0, -1, 0], **kw).fit(X, r),
        "interaction": R(interaction_cst=[{0, 1}, {2, 3}], **kw).fit(X, r),
        "class_weight": C(class_weight="balanced", **kw).fit(X, y),
        "constant": R(**kw).fit(X, np.ones(len(X))),
        "pipeline": make_pipeline(StandardScaler(), C(**kw)).fit(X, y),
        "unfitted": C(),
    }


def _set(model: Any, it: int, field: str, node: int, value: int) -> Any:
    p = model._predictors[it][0]
    nodes = p.nodes.copy()
    nodes[field][node] = value
    p.nodes = nodes
    return model


def malicious() -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier as C
    from sklearn.ensemble import HistGradientBoostingRegressor as R
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

    X, _, r = _data()
    Xc, yc = _categorical()
    kw: dict[str, Any] = {"max_iter": 3, "random_state": 0}

    def reg() -> Any:
        return R(**kw).fit(X, r)

    def cat() -> Any:
        m = C(categorical_features=[1], **kw).fit(Xc, yc)
        assert m._predictors[0][0].nodes["is_categorical"][0]  # the root splits on categories
        return m

    out: dict[str, Any] = {
        "left_huge": _set(reg(), 0, "left", 0, 4_000_000_000),
        "right_huge": _set(reg(), 1, "right", 0, 4_000_000_000),
        "left_past_end": _set(reg(), 0, "left", 0, 10_000),
        "root_self_loop": _set(_set(reg(), 0, "left", 0, 0), 0, "right", 0, 0),
        "cycle_to_root": _set(reg(), 2, "left", 1, 0),
        "feature_huge": _set(reg(), 0, "feature_idx", 0, 1 << 40),
        "feature_negative": _set(reg(), 0, "feature_idx", 0, -(1 << 40)),
        "feature_just_past": _set(reg(), 0, "feature_idx", 0, N_FEATURES),
        "bitset_huge": _set(cat(), 0, "bitset_idx", 0, 1 << 31),
        "bitset_past_rows": _set(cat(), 0, "bitset_idx", 0, 50),
        "categorical_no_bitsets": _set(reg(), 0, "is_categorical", 0, 1),
        # X reaches the trees reordered, categorical features first: feature 2 is numeric
        "categorical_other_feature": _set(cat(), 0, "feature_idx", 0, 2),
    }
    # a node that is the child of two nodes (a DAG, not a tree)
    shared = reg()
    nodes = shared._predictors[0][0].nodes
    inner = np.nonzero(nodes["is_leaf"] == 0)[0]
    out["shared_child"] = _set(shared, 0, "right", int(inner[-1]), int(nodes["left"][inner[-1]]))
    # an estimator whose n_features_in_ is narrower than its trees' features
    narrow = reg()
    narrow.n_features_in_ = 1
    out["n_features_narrow"] = narrow
    # predictors held by no estimator (nothing bounds their features)
    out["orphan_predictors"] = [reg()._predictors[0][0]]
    # a bitset array with rows shorter than 8 words
    short = cat()
    p = short._predictors[0][0]
    p.raw_left_cat_bitsets = np.zeros((p.raw_left_cat_bitsets.shape[0], 1), np.uint32)
    out["bitset_short_rows"] = short
    # nodes empty
    empty = reg()
    empty._predictors[0][0] = TreePredictor(
        empty._predictors[0][0].nodes[:0], *(np.zeros((0, 8), np.uint32),) * 2
    )
    out["nodes_empty"] = empty
    return out


_USE = r"""
import sys, pickle, numpy as np
path = sys.argv[1]
if path.endswith(".joblib"):
    import joblib; obj = joblib.load(path)
else:
    with open(path, "rb") as f: obj = pickle.load(f)
X = np.random.default_rng(1).random((50, N_FEATURES))
X[:, 1] = np.arange(50) % 6
raised = []
for name in ("predict", "predict_proba", "decision_function"):
    f = getattr(obj, name, None)
    if f is None:
        continue
    try:
        f(X)
    except Exception as exc:  # a Python error is not a crash; every use is tried
        raised.append(type(exc).__name__)
if raised:
    print("raised", raised)
    sys.exit(3)
print("ok")
"""


def oracle(path: Path, timeout: float = 60) -> str:
    """'crash' (killed by a signal), 'hang' (timeout), 'raised' (a Python error) or 'ok', from
    the real loader and predict in a child process (one thread: OMP_NUM_THREADS=1)."""
    import os

    from tests.scan_pickle.index_fixtures import run_child

    env = dict(os.environ, OMP_NUM_THREADS="1")
    return run_child(f"N_FEATURES = {N_FEATURES}\n{_USE}", path, timeout, env)
