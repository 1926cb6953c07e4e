"""Honest and malicious scikit-learn decision trees, written by the real savers.

Malicious ones are honest fitted estimators whose ``tree_`` state was changed afterwards (what
an attacker writes with the same savers). :func:`oracle` loads one with the real loader in a
child process and predicts with it under a timeout: a crash (signal) or a hang is observed,
never suffered by the test process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tests.scan_pickle.index_fixtures import Reduce

N_FEATURES = 4


def _data(seed: int = 0, n: int = 120) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    X = rng.random((n, N_FEATURES))
    y = (X[:, 0] + X[:, 1] > 1).astype(int) + (X[:, 2] > 0.7)
    return X, y, X[:, 0] * 3 + X[:, 3]


def honest() -> dict[str, Any]:
    from sklearn.ensemble import (
        AdaBoostClassifier,
        BaggingClassifier,
        ExtraTreesRegressor,
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        IsolationForest,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import (
        DecisionTreeClassifier,
        DecisionTreeRegressor,
        ExtraTreeClassifier,
        ExtraTreeRegressor,
    )

    X, y, r = _data()
    Xn = X.copy()
    Xn[::7, 1] = np.nan
    objs: dict[str, Any] = {
        "dtc": DecisionTreeClassifier(random_state=0).fit(X, y),
        "dtr": DecisionTreeRegressor(random_state=0).fit(X, r),
        "dtc_multi": DecisionTreeClassifier(random_state=0).fit(X, np.c_[y, y > 0, y * 2]),
        "dtr_multi": DecisionTreeRegressor(random_state=0).fit(X, np.c_[r, -r]),
        "dtc_weight": DecisionTreeClassifier(class_weight="balanced", random_state=0).fit(X, y),
        "dtc_bestfirst": DecisionTreeClassifier(max_leaf_nodes=9, random_state=0).fit(X, y),
        "dtr_bestfirst": DecisionTreeRegressor(max_leaf_nodes=17, random_state=0).fit(X, r),
        "dtc_missing": DecisionTreeClassifier(random_state=0).fit(Xn, y),
        "dtc_pruned": DecisionTreeClassifier(ccp_alpha=0.01, random_state=0).fit(X, y),
        "dtc_one_node": DecisionTreeClassifier().fit(X, np.zeros(len(X), int)),
        "dtr_depth2": DecisionTreeRegressor(max_depth=2).fit(X, r),
        "etc": ExtraTreeClassifier(random_state=0).fit(X, y),
        "etr": ExtraTreeRegressor(random_state=0).fit(X, r),
        "rf": RandomForestClassifier(n_estimators=7, random_state=0).fit(X, y),
        "rfr": RandomForestRegressor(n_estimators=5, max_leaf_nodes=12, random_state=0).fit(X, r),
        "et": ExtraTreesRegressor(n_estimators=5, random_state=0).fit(X, r),
        "gb": GradientBoostingClassifier(n_estimators=6, random_state=0).fit(X, y > 0),
        "gbr": GradientBoostingRegressor(n_estimators=6, max_leaf_nodes=5, random_state=0).fit(
            X, r
        ),
        "iforest": IsolationForest(n_estimators=6, random_state=0).fit(X),
        "iforest_maxf": IsolationForest(n_estimators=6, max_features=2, random_state=0).fit(X),
        "bagging": BaggingClassifier(
            DecisionTreeClassifier(), n_estimators=4, max_features=2, random_state=0
        ).fit(X, y),
        "adaboost": AdaBoostClassifier(n_estimators=5, random_state=0).fit(X, y),
        "pipeline": make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=3)).fit(
            X, y
        ),
        "unfitted": RandomForestClassifier(),
    }
    return objs


def _with_tree(est: Any, change: Any, **state_changes: Any) -> Any:
    """``est`` (a fitted tree estimator) with its tree_ pickled from a changed state."""
    cls, args, state = est.tree_.__reduce__()
    nodes = state["nodes"].copy()
    change(nodes)
    state = dict(state, nodes=nodes, **state_changes)
    est.__dict__["tree_"] = Reduce((cls, args, state))
    return est


def _set(field: str, i: int, v: int) -> Any:
    def change(nodes: Any) -> None:
        nodes[field][i] = v

    return change


def malicious() -> dict[str, Any]:
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        RandomForestClassifier,
    )
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    X, y, r = _data()

    def dt() -> Any:
        return DecisionTreeClassifier(random_state=0).fit(X, y)

    out: dict[str, Any] = {
        "left_huge": _with_tree(dt(), _set("left_child", 0, 1 << 40)),
        "right_huge": _with_tree(dt(), _set("right_child", 0, 1 << 40)),
        "left_negative": _with_tree(dt(), _set("left_child", 0, -5)),
        "right_past_end": _with_tree(dt(), _set("right_child", 0, 10_000)),
        "feature_huge": _with_tree(dt(), _set("feature", 0, 1 << 40)),
        "feature_negative": _with_tree(dt(), _set("feature", 0, -1 << 30)),
        "cycle_to_root": _with_tree(dt(), lambda n: n["left_child"].__setitem__(1, 0)),
        "node_count_large": _with_tree(dt(), lambda n: None, node_count=1 << 20),
    }

    # a leaf turned into a split node pointing back at an ancestor: predict loops forever
    def cycle(nodes: Any) -> None:
        leaf = int(np.nonzero(nodes["left_child"] == -1)[0][-1])
        nodes["left_child"][leaf] = nodes["right_child"][leaf] = 0
        nodes["feature"][leaf] = 0

    out["leaf_cycle"] = _with_tree(dt(), cycle)
    # n_features claimed wider than the estimator checks X against
    wide = dt()
    cls, (_nf, nc, no), state = wide.tree_.__reduce__()
    nodes = state["nodes"].copy()
    nodes["feature"][0] = 1 << 20
    wide.__dict__["tree_"] = Reduce((cls, (1 << 21, nc, no), dict(state, nodes=nodes)))
    out["n_features_wide"] = wide
    rf = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    _with_tree(rf.estimators_[1], _set("right_child", 0, 1 << 40))
    out["forest_member"] = rf
    gb = GradientBoostingRegressor(n_estimators=3, random_state=0).fit(X, r)
    _with_tree(gb.estimators_[2, 0], _set("left_child", 0, 1 << 40))
    out["gb_stage"] = gb
    # a gradient-boosting model whose stages claim a wider X than the model checks
    gbw = GradientBoostingRegressor(n_estimators=2, random_state=0).fit(X, r)
    gbw.n_features_in_ = 1
    out["gb_narrow"] = gbw
    # stages of two columns for one column of init predictions: predict_stages adds tree 1
    # into out[:, 1] of an (n, 1) array, unchecked (one row past its end)
    gbc = GradientBoostingClassifier(n_estimators=2, random_state=0).fit(X, y > 0)
    stages = np.empty((2, 2), dtype=object)
    stages[:, 0] = stages[:, 1] = gbc.estimators_[:, 0]
    gbc.estimators_ = stages
    out["gb_columns"] = gbc
    dr = DecisionTreeRegressor(random_state=0).fit(X, r)
    out["regressor_left_huge"] = _with_tree(dr, _set("left_child", 0, 1 << 40))
    return out


_USE = r"""
import sys, pickle, numpy as np
path = sys.argv[1]
if path.endswith(".joblib"):
    import joblib; obj = joblib.load(path)
else:
    with open(path, "rb") as f: obj = pickle.load(f)
X = np.random.default_rng(1).random((50, N_FEATURES))
raised = []
for name in ("predict", "predict_proba", "decision_function", "score_samples", "apply",
             "decision_path"):
    f = getattr(obj, name, None)
    if f is None:
        continue
    try:
        f(X)
    except Exception as exc:  # a Python error is not a crash; every use is tried
        raised.append(type(exc).__name__)
try:
    obj.feature_importances_
except Exception as exc:
    raised.append(type(exc).__name__)
if raised:
    print("raised", raised)
    sys.exit(3)
print("ok")
"""


def oracle(path: Path, timeout: float = 60) -> str:
    """'crash' (killed by a signal), 'hang' (timeout), 'raised' (a Python error) or 'ok', from
    the real loader and predict in a child process."""
    from tests.scan_pickle.index_fixtures import run_child

    return run_child(f"N_FEATURES = {N_FEATURES}\n{_USE}", path, timeout)
