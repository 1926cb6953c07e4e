"""LightGBM / XGBoost index proofs (AIR-LGB-001, AIR-XGB-001; AIR-PKL-017 in pickles).

Honest saves from the real libraries stay clean: 16 LightGBM models (binary, multiclass,
multiclassova, regression, l1, huber, quantile, poisson, tweedie, cross_entropy, lambdarank,
categorical, dart, rf, goss, linear trees; each as model.txt and joblib'd estimator or
pickled Booster) and 16 XGBoost models (binary, multi:softprob, multi:softmax, regression,
rank:ndcg, categorical one-hot and partition splits, dart, gblinear, multiclass gblinear,
random forest, exact with pruning, approx, two targets, quantile regression with three
quantiles, depth 8; each as JSON, UBJSON and joblib'd / pickled): 32 honest variants.
The red team's forms (rt11 f4/f5: split_feature 400000000 without tree_sizes, split_feature 6
on a 4-feature model for pred_contrib, split_indices 400000000, left_children 40000000, the
same inside joblib'd estimators) and further breakages are denied. The libraries are used to
write fixtures only; nothing here loads or predicts with a crafted model.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from airlock.scan import lightgbm_proof as lgbp
from airlock.scan import xgboost_proof as xgbp
from airlock.scan.engine import scan_paths

np = pytest.importorskip("numpy")


def _data(n: int = 240, d: int = 5) -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, d))
    X[:, d - 1] = rng.integers(0, 6, n)
    return X, rng


def _verdict(path: Path) -> tuple[list[str], bool]:
    report = scan_paths([path])
    return [f"{f.rule_id}: {f.evidence}" for f in report.findings], bool(report.not_scanned)


# -- LightGBM ---------------------------------------------------------------------------


def _lgb_models() -> dict[str, Any]:
    lgb = pytest.importorskip("lightgbm")
    X, rng = _data()
    yb = ((X[:, 0] > 0) ^ (X[:, 4] % 2 == 0)).astype(int)
    y3 = rng.integers(0, 3, len(X))
    yr = X[:, 0] * 2 + X[:, 1]
    base = {"verbose": -1, "num_leaves": 7, "min_data_in_leaf": 5}

    def train(params: dict[str, Any], y: Any, rounds: int = 4, **ds: Any) -> Any:
        return lgb.train({**base, **params}, lgb.Dataset(X, y, **ds), num_boost_round=rounds)

    return {
        "binary": train({"objective": "binary"}, yb),
        "multiclass": train({"objective": "multiclass", "num_class": 3}, y3),
        "multiclassova": train({"objective": "multiclassova", "num_class": 3}, y3),
        "regression": train({"objective": "regression"}, yr),
        "l1": train({"objective": "regression_l1"}, yr),
        "huber": train({"objective": "huber"}, yr),
        "quantile": train({"objective": "quantile", "alpha": 0.8}, yr),
        "poisson": train({"objective": "poisson"}, np.abs(yr)),
        "tweedie": train({"objective": "tweedie"}, np.abs(yr)),
        "xentropy": train({"objective": "cross_entropy"}, yb),
        "lambdarank": train({"objective": "lambdarank"}, y3, group=[40] * 6),
        "categorical": train(
            {"objective": "binary", "min_data_per_group": 5, "cat_smooth": 1},
            yb,
            categorical_feature=[4],
        ),
        "dart": train({"objective": "binary", "boosting": "dart", "drop_rate": 0.5}, yb, 6),
        "rf": train(
            {"objective": "binary", "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.7},
            yb,
        ),
        "goss": train({"objective": "binary", "data_sample_strategy": "goss"}, yb),
        "linear": train({"objective": "regression", "linear_tree": True}, yr),
    }


@pytest.fixture(scope="module")
def lgb_models() -> dict[str, Any]:
    return _lgb_models()


def test_lightgbm_honest_saves_are_clean(lgb_models: dict[str, Any], tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    lgb = pytest.importorskip("lightgbm")
    assert len(lgb_models) == 16
    for name, booster in lgb_models.items():
        text = booster.model_to_string()
        assert lgbp.looks_like_model(text.encode())
        assert lgbp.verdict(text.encode()) is None, name
        path = tmp_path / f"{name}.txt"
        booster.save_model(str(path))
        assert _verdict(path) == ([], False), name
        pkl = tmp_path / f"{name}.pkl"
        pkl.write_bytes(pickle.dumps(booster, protocol=4))
        assert _verdict(pkl) == ([], False), name
    X, rng = _data()
    y = (X[:, 0] > 0).astype(int)
    for est in (
        lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(X, y),
        lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(X, rng.integers(0, 4, len(X))),
        lgb.LGBMRegressor(n_estimators=3, verbose=-1).fit(X, X[:, 1]),
    ):
        path = tmp_path / "est.joblib"
        joblib.dump(est, path)
        assert _verdict(path) == ([], False), est


def _evil_lgb(text: str, what: str) -> str:
    """The text of an honest binary model with one field broken (no tree_sizes unless kept)."""

    def first(key: str, repl: Any) -> str:
        return re.sub(rf"\n{key}=([^\n]*)", lambda m: f"\n{key}={repl(m.group(1))}", text, count=1)

    if what == "keep_sizes":
        return text
    text = re.sub(r"\ntree_sizes=[0-9 ]+", "", text) if what != "sizes_past_end" else text
    if what == "rt11_read":
        return first("split_feature", lambda v: " ".join("400000000" for _ in v.split()))
    if what == "rt11_write":
        return first("split_feature", lambda v: " ".join("6" for _ in v.split()))
    if what == "negative_feature":
        return first("split_feature", lambda v: "-1" + v[v.index(" ") :])
    if what == "child_range":
        return first("left_child", lambda v: "50" + v[v.index(" ") :])
    if what == "leaf_range":
        return first("right_child", lambda v: "-99" + v[v.index(" ") :])
    if what == "cycle":
        return first("left_child", lambda v: "0" + v[v.index(" ") :])
    if what == "short_array":
        return first("split_feature", lambda v: v.split()[0])
    if what == "per_iteration":
        return text.replace("\nnum_tree_per_iteration=1\n", "\nnum_tree_per_iteration=3\n")
    if what == "categorical":
        return first("decision_type", lambda v: " ".join("1" for _ in v.split()))
    if what == "no_equals":
        return first("split_gain", lambda v: "").replace("\nsplit_gain=\n", "\nsplit_gain\n", 1)
    if what == "sizes_past_end":
        return re.sub(r"\ntree_sizes=([0-9]+)", r"\ntree_sizes=\1 99999999", text)
    if what == "overflow":
        return first("split_feature", lambda v: "4294967296" + v[v.index(" ") :])
    raise AssertionError(what)


LGB_EVIL = [
    "rt11_read",
    "rt11_write",
    "negative_feature",
    "child_range",
    "leaf_range",
    "cycle",
    "short_array",
    "per_iteration",
    "categorical",
    "no_equals",
    "sizes_past_end",
    "overflow",
]


@pytest.mark.parametrize("what", LGB_EVIL)
def test_lightgbm_broken_text_is_denied(
    lgb_models: dict[str, Any], tmp_path: Path, what: str
) -> None:
    text = _evil_lgb(lgb_models["binary"].model_to_string(), what)
    path = tmp_path / "model.txt"
    path.write_text(text)
    findings, _ = _verdict(path)
    assert findings and findings[0].startswith("AIR-LGB-001"), (what, findings)


def test_lightgbm_multiclass_objective_count_is_the_models(lgb_models: dict[str, Any]) -> None:
    text = lgb_models["multiclass"].model_to_string()
    assert lgbp.verdict(text.encode()) is None
    bad = text.replace("num_class:3", "num_class:9", 1)
    assert "soft-maxes 9" in str(lgbp.verdict(bad.encode()))
    cat = lgb_models["categorical"].model_to_string()
    assert "num_cat=0" in cat or lgbp.verdict(cat.encode()) is None
    broken = re.sub(r"\ncat_boundaries=0 ", "\ncat_boundaries=5 ", cat, count=1)
    if broken != cat:
        assert lgbp.verdict(broken.encode()) is not None


def test_lightgbm_text_in_pickles_is_proven(lgb_models: dict[str, Any], tmp_path: Path) -> None:
    """rt11 f4b: a joblib'd LGBMClassifier whose Booster state carries the broken text."""
    joblib = pytest.importorskip("joblib")
    lgb = pytest.importorskip("lightgbm")
    X, _ = _data()
    clf = lgb.LGBMClassifier(n_estimators=2, num_leaves=4, verbose=-1).fit(X, X[:, 0] > 0)
    orig = lgb.Booster.__getstate__

    def evil_state(self: Any) -> dict[str, Any]:
        st = orig(self)
        st["_handle"] = _evil_lgb(st["_handle"], "rt11_read")
        return st

    lgb.Booster.__getstate__ = evil_state  # type: ignore[method-assign]
    try:
        path = tmp_path / "model.joblib"
        joblib.dump(clf, path)
        raw = pickle.dumps(clf.booster_, protocol=2)
    finally:
        lgb.Booster.__getstate__ = orig  # type: ignore[method-assign]
    findings, _ = _verdict(path)
    assert findings and "AIR-LGB-001" in findings[0] and findings[0].startswith("AIR-PKL-017")
    p2 = tmp_path / "b.pkl"
    p2.write_bytes(raw)
    findings, _ = _verdict(p2)
    assert findings and "split_feature value 400000000" in findings[0]


def _lgb_tree(i: int, leaves: int, threshold: str = "0.5", cat: bool = False) -> str:
    """A tree block as LightGBM writes it: a chain of ``leaves - 1`` numeric splits (the first
    categorical when ``cat``) over two features; its text plus the newline after it."""
    inner = leaves - 1
    left = [str(n + 1) if n < inner - 1 else str(~(leaves - 1)) for n in range(inner)]
    right = [str(~n) for n in range(inner)]
    lines = [
        f"Tree={i}",
        f"num_leaves={leaves}",
        f"num_cat={1 if cat else 0}",
        "split_feature=" + " ".join(str(n % 2) for n in range(inner)),
        "split_gain=" + " ".join("1" for _ in range(inner)),
        "threshold=" + " ".join([threshold] + ["0.5"] * (inner - 1)),
        "decision_type=" + " ".join(["1" if cat else "2"] + ["2"] * (inner - 1)),
        "left_child=" + " ".join(left),
        "right_child=" + " ".join(right),
        "leaf_value=" + " ".join("0.25" for _ in range(leaves)),
        *(["cat_boundaries=0 1", "cat_threshold=5"] if cat else []),
        "is_linear=0",
        "shrinkage=1",
    ]
    return "\n".join(lines) + "\n\n\n"


def _lgb_text(trees: list[str], sizes: list[int] | None = None) -> bytes:
    """A model text; ``sizes`` None: the writer's tree_sizes (each tree's length)."""
    sizes = [len(t) for t in trees] if sizes is None else sizes
    head = [
        "tree", "version=v4", "num_class=1", "num_tree_per_iteration=1", "label_index=0",
        "max_feature_idx=1", "objective=regression", "feature_names=a b",
        "feature_infos=none none", "tree_sizes=" + " ".join(map(str, sizes)),
    ]  # fmt: skip
    return ("\n".join(head) + "\n\n" + "".join(trees) + "end of trees\n").encode()


def test_lightgbm_tree_sizes_parse_each_tree_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """rt rev11: tree_sizes of zeros make LightGBM parse one (large) tree again for each entry;
    a tree that starts before the previous one ends is not proven, so every byte of the text
    is parsed at most once (counted here, no timing)."""
    parses = 0
    real = lgbp._tree_block

    def counted(buf: bytes, p: int) -> Any:
        nonlocal parses
        parses += 1
        return real(buf, p)

    monkeypatch.setattr(lgbp, "_tree_block", counted)
    honest = [_lgb_tree(i, 5) for i in range(6)]
    assert lgbp.verdict(_lgb_text(honest)) is None
    assert parses == 6
    big = _lgb_tree(0, 4000)
    for sizes in ([0] * 5000, [1] * 5000, [len(big) // 2, 2]):
        parses = 0
        why = lgbp.verdict(_lgb_text([big], sizes))
        assert why is not None and "starts inside tree 0" in why, why
        assert parses == 1
    # a size that skips text between trees is no overlap: LightGBM reads what it points at
    parses = 0
    padded = [honest[0] + "\n", *honest[1:]]
    assert lgbp.verdict(_lgb_text(padded)) is None and parses == 6


def test_lightgbm_infinite_categorical_threshold_is_not_proven(tmp_path: Path) -> None:
    assert lgbp.verdict(_lgb_text([_lgb_tree(0, 3, "0", cat=True)])) is None
    for tok in ("1e999", "-1e999", "1e300"):
        why = lgbp.verdict(_lgb_text([_lgb_tree(0, 3, tok, cat=True)]))
        assert why is not None and "categorical" in why, (tok, why)
    path = tmp_path / "model.txt"
    path.write_bytes(_lgb_text([_lgb_tree(0, 3, "1e999", cat=True)]))
    findings, _ = _verdict(path)
    assert findings and findings[0].startswith("AIR-LGB-001"), findings


def test_lightgbm_loads_zero_tree_sizes(tmp_path: Path) -> None:
    """Why zero sizes are denied rather than proven once: LightGBM takes them (one tree parsed
    again per entry), and its writer never writes them (each size is the tree's text length)."""
    lgb = pytest.importorskip("lightgbm")
    path = tmp_path / "rep.txt"
    path.write_bytes(_lgb_text([_lgb_tree(0, 5)], [0] * 7))
    assert lgb.Booster(model_file=str(path)).num_trees() == 7
    assert lgbp.verdict(path.read_bytes()) is not None


# -- XGBoost ----------------------------------------------------------------------------


def _xgb_models() -> dict[str, Any]:
    xgb = pytest.importorskip("xgboost")
    X, rng = _data()
    yb = (X[:, 0] > 0).astype(int)
    y3 = rng.integers(0, 3, len(X))
    yr = X[:, 0] * 2 + X[:, 1]

    def train(params: dict[str, Any], y: Any, rounds: int = 3, dm: Any = None) -> Any:
        dm = dm if dm is not None else xgb.DMatrix(X, y)
        return xgb.train({"max_depth": 3, **params}, dm, num_boost_round=rounds)

    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "c": pd.Categorical(rng.choice(list("abcdefgh"), len(X))),
            "x": X[:, 0],
        }
    )
    yc = (df["c"].isin(["a", "c", "e"]) ^ (df["x"] > 0)).astype(int)
    dcat = xgb.DMatrix(df, yc, enable_categorical=True)
    dq = xgb.DMatrix(X, yr)
    drank = xgb.DMatrix(X, y3)
    drank.set_group([40] * 6)
    y2 = np.stack([yr, -yr], axis=1)
    return {
        "binary": train({"objective": "binary:logistic"}, yb),
        "softprob": train({"objective": "multi:softprob", "num_class": 3}, y3),
        "softmax": train({"objective": "multi:softmax", "num_class": 3}, y3),
        "regression": train({"objective": "reg:squarederror"}, yr),
        "rank": train({"objective": "rank:ndcg"}, None, dm=drank),
        "cat_onehot": train(
            {"objective": "binary:logistic", "max_cat_to_onehot": 16}, None, dm=dcat
        ),
        "cat_partition": train(
            {"objective": "binary:logistic", "max_cat_to_onehot": 1}, None, dm=dcat
        ),
        "dart": train({"booster": "dart", "objective": "binary:logistic", "rate_drop": 0.5}, yb, 4),
        "gblinear": train({"booster": "gblinear", "objective": "reg:squarederror"}, yr),
        "gblinear_multi": train(
            {"booster": "gblinear", "objective": "multi:softprob", "num_class": 3}, y3
        ),
        "forest": train(
            {
                "objective": "binary:logistic",
                "num_parallel_tree": 4,
                "subsample": 0.7,
                "colsample_bynode": 0.8,
            },
            yb,
            1,
        ),
        "exact_prune": train(
            {"objective": "reg:squarederror", "tree_method": "exact", "gamma": 5.0, "max_depth": 5},
            yr,
        ),
        "approx": train({"objective": "binary:logistic", "tree_method": "approx"}, yb),
        "two_targets": train({"objective": "reg:squarederror"}, None, dm=xgb.DMatrix(X, y2)),
        "quantiles": train(
            {"objective": "reg:quantileerror", "quantile_alpha": np.array([0.2, 0.5, 0.8])},
            None,
            dm=dq,
        ),
        "deep": train({"objective": "binary:logistic", "max_depth": 8}, yb),
    }


@pytest.fixture(scope="module")
def xgb_models() -> dict[str, Any]:
    return _xgb_models()


def test_xgboost_honest_saves_are_clean(xgb_models: dict[str, Any], tmp_path: Path) -> None:
    assert len(xgb_models) == 16
    for name, booster in xgb_models.items():
        doc = json.loads(booster.save_raw("json"))
        assert xgbp.looks_like_model(doc)
        assert xgbp.verdict(doc) is None, name
        for ext in ("json", "ubj"):
            path = tmp_path / f"{name}.{ext}"
            booster.save_model(str(path))
            assert _verdict(path) == ([], False), (name, ext)
        assert xgbp.verdict(xgbp.parse_ubj(bytes(booster.__getstate__()["handle"]))) is None
        pkl = tmp_path / f"{name}.pkl"
        pkl.write_bytes(pickle.dumps(booster, protocol=2 if len(name) % 2 else 5))
        assert _verdict(pkl) == ([], False), name


def test_xgboost_honest_estimators_are_clean(tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    xgb = pytest.importorskip("xgboost")
    X, rng = _data()
    for est in (
        xgb.XGBClassifier(n_estimators=3, max_depth=2).fit(X, X[:, 0] > 0),
        xgb.XGBClassifier(n_estimators=3).fit(X, rng.integers(0, 4, len(X))),
        xgb.XGBRegressor(n_estimators=3).fit(X, X[:, 1]),
        xgb.XGBRFClassifier(n_estimators=3).fit(X, X[:, 0] > 0),
    ):
        path = tmp_path / "est.joblib"
        joblib.dump(est, path)
        assert _verdict(path) == ([], False), est


def _break(doc: dict[str, Any], what: str) -> dict[str, Any]:
    learner = doc["learner"]
    gb = learner["gradient_booster"]
    if what == "gblinear_short":
        gb["model"]["weights"] = gb["model"]["weights"][:-1]
        return doc
    if what == "dart_short":
        gb["weight_drop"] = gb["weight_drop"][:-1]
        return doc
    model = gb["model"]
    tree = max(model["trees"], key=lambda t: len(t["left_children"]))
    inner = [i for i, c in enumerate(tree["left_children"]) if c != -1]
    if what == "rt11_feat":
        tree["split_indices"] = [
            400000000 if c != -1 else s
            for s, c in zip(tree["split_indices"], tree["left_children"], strict=True)
        ]
    elif what == "rt11_child":
        tree["left_children"] = [40000000 if c != -1 else c for c in tree["left_children"]]
    elif what == "contrib_write":
        tree["split_indices"][inner[0]] = 5
    elif what == "right_not_next":
        tree["right_children"][inner[0]] = tree["left_children"][inner[0]]
    elif what == "parent_range":
        tree["parents"][1] = 10_000
    elif what == "cycle":  # the deepest split points back at the root's children
        assert len(inner) > 2
        tree["left_children"][inner[-1]] = 1
        tree["right_children"][inner[-1]] = 2
    elif what == "tree_info":
        model["tree_info"][-1] = 7
    elif what == "indptr":
        model["iteration_indptr"][-1] += 5
    elif what == "objective_classes":
        learner["objective"]["softmax_multiclass_param"]["num_class"] = "9"
    elif what == "num_nodes":
        tree["tree_param"]["num_nodes"] = str(len(tree["left_children"]) + 1)
    elif what == "leaf_vector":
        tree["tree_param"]["size_leaf_vector"] = "2"
    else:
        raise AssertionError(what)
    return doc


XGB_EVIL = [
    ("binary", "rt11_feat"),
    ("binary", "rt11_child"),
    ("binary", "contrib_write"),
    ("binary", "right_not_next"),
    ("binary", "parent_range"),
    ("regression", "cycle"),
    ("softprob", "tree_info"),
    ("binary", "indptr"),
    ("softprob", "objective_classes"),
    ("binary", "num_nodes"),
    ("binary", "leaf_vector"),
    ("gblinear", "gblinear_short"),
    ("dart", "dart_short"),
]


@pytest.mark.parametrize(("model", "what"), XGB_EVIL)
def test_xgboost_broken_json_is_denied(
    xgb_models: dict[str, Any], tmp_path: Path, model: str, what: str
) -> None:
    doc = _break(json.loads(xgb_models[model].save_raw("json")), what)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc))
    findings, _ = _verdict(path)
    assert findings and findings[0].startswith("AIR-XGB-001"), (what, findings)


def test_xgboost_categories_checked(xgb_models: dict[str, Any]) -> None:
    doc = json.loads(xgb_models["cat_partition"].save_raw("json"))
    trees = doc["learner"]["gradient_booster"]["model"]["trees"]
    tree = next((t for t in trees if t["categories_nodes"]), None)
    if tree is None:
        pytest.skip("no categorical split in this build's trees")
    tree["categories"][0] = -5
    assert "category outside" in str(xgbp.verdict(doc))
    tree["categories"][0] = 0
    tree["categories_sizes"][0] = 10_000
    assert "categories_segments/sizes" in str(xgbp.verdict(doc))


def test_xgboost_rt11_forms_in_ubj_and_pickles(xgb_models: dict[str, Any], tmp_path: Path) -> None:
    """rt11 f5: the out-of-range split index as UBJSON (written by XGBoost itself) and inside a
    joblib'd XGBClassifier (its Booster pickles the serialised buffer)."""
    joblib = pytest.importorskip("joblib")
    xgb = pytest.importorskip("xgboost")
    doc = _break(json.loads(xgb_models["binary"].save_raw("json")), "rt11_feat")
    src = tmp_path / "feat.json"
    src.write_text(json.dumps(doc))
    booster = xgb.Booster(model_file=str(src))  # loads without complaint (predict would crash)
    ubj = tmp_path / "feat.ubj"
    booster.save_model(str(ubj))
    findings, _ = _verdict(ubj)
    assert findings and findings[0].startswith("AIR-XGB-001")
    X, _ = _data()
    clf = xgb.XGBClassifier(n_estimators=3, max_depth=3).fit(X, X[:, 0] > 0)
    clf._Booster = booster
    path = tmp_path / "model.joblib"
    joblib.dump(clf, path)
    findings, _ = _verdict(path)
    assert findings and findings[0].startswith("AIR-PKL-017") and "AIR-XGB-001" in findings[0]


def test_xgboost_pickle_config_must_match_model(xgb_models: dict[str, Any]) -> None:
    raw = bytes(xgb_models["softprob"].__getstate__()["handle"])
    doc = xgbp.parse_ubj(raw)
    assert xgbp.verdict(doc) is None
    doc["Config"]["learner"]["objective"]["softmax_multiclass_param"]["num_class"] = "7"
    assert "num_class" in str(xgbp.verdict(doc))
    doc = xgbp.parse_ubj(raw)
    doc["Config"]["learner"]["gradient_booster"]["name"] = "gblinear"
    assert "another booster" in str(xgbp.verdict(doc))


@pytest.mark.parametrize(
    "stream",
    [
        b"clightgbm.basic\nBooster\n(NNNVtree\ntR.",  # Booster(model_str=...)
        b"clightgbm.basic\nBooster\n(NNVmodel.txt\ntR.",  # Booster(model_file=...)
        b"cxgboost.core\nBooster\n(NNVx.json\ntR.",  # Booster(model_file=...)
    ],
)
def test_booster_made_by_a_call_is_denied(tmp_path: Path, stream: bytes) -> None:
    """A pickle that calls the Booster class hands its arguments to the native loader
    unproven (and model_file opens a file): only __new__ + __setstate__ with a proven model."""
    path = tmp_path / "call.pkl"
    path.write_bytes(stream)
    findings, _ = _verdict(path)
    assert any("made by calling the class" in f for f in findings), findings


def test_ubj_reader_is_bounded() -> None:
    with pytest.raises(xgbp.UbjError):
        xgbp.parse_ubj(b"{L" + (1 << 40).to_bytes(8, "big"))
    with pytest.raises(xgbp.UbjError):
        xgbp.parse_ubj(b"{" * 200)
    with pytest.raises(xgbp.UbjError):
        xgbp.parse_ubj(b"{}junk")


def test_ubj_repeated_key_is_not_proven() -> None:
    """XGBoost's UBJSON reader keeps the first value of a repeated key, a dict the last: a
    repeated key is never proven, whichever value is the hostile one."""
    key = b"L" + (1).to_bytes(8, "big") + b"a"
    with pytest.raises(xgbp.UbjError, match="repeats the key"):
        xgbp.parse_ubj(b"{" + key + b"Z" + key + b"T}")
    with pytest.raises(xgbp.UbjError, match="repeats the key"):
        xgbp.parse_ubj(b"{#U\x02" + key + b"Z" + key + b"T")
    assert xgbp.parse_ubj(b"{" + key + b"T}") == {"a": True}


def _ubj(v: Any) -> bytes:
    """UBJSON as XGBoost writes it; a list of pairs is an object that may repeat keys."""

    def key(s: str) -> bytes:
        b = s.encode()
        return b"L" + len(b).to_bytes(8, "big") + b

    if v is None:
        return b"Z"
    if type(v) is bool:
        return b"T" if v else b"F"
    if type(v) is int:
        return b"L" + v.to_bytes(8, "big", signed=True)
    if type(v) is float:
        return b"D" + np.array(v, dtype=">f8").tobytes()
    if type(v) is str:
        return b"S" + key(v)
    if isinstance(v, np.ndarray):
        marks = {"i1": b"i", "u1": b"U", "i2": b"I", "i4": b"l", "i8": b"L", "f4": b"d", "f8": b"D"}
        mark = marks[v.dtype.str[1:]]
        big = v.astype(v.dtype.newbyteorder(">"))
        return b"[$" + mark + b"#L" + len(v).to_bytes(8, "big") + big.tobytes()
    if type(v) is list and v and all(type(x) is tuple for x in v):
        return b"{" + b"".join(key(k) + _ubj(x) for k, x in v) + b"}"
    if type(v) is list:
        return b"[" + b"".join(_ubj(x) for x in v) + b"]"
    if type(v) is dict:
        return b"{" + b"".join(key(k) + _ubj(x) for k, x in v.items()) + b"}"
    raise TypeError(type(v))


def test_repeated_keys_match_xgboost(xgb_models: dict[str, Any], tmp_path: Path) -> None:
    """Which value of a repeated key XGBoost loads: the first in UBJSON (so Airlock denies any
    repeat), the last in JSON (as json.loads, so Airlock proves the value XGBoost uses)."""
    xgb = pytest.importorskip("xgboost")
    booster = xgb_models["binary"]
    bad_index = 100_000

    def loaded_split_indices(path: Path) -> list[int]:
        b = xgb.Booster(model_file=str(path))  # load only: predict would index out of range
        tree = json.loads(b.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"][0]
        return list(tree["split_indices"])

    doc = xgbp.parse_ubj(booster.save_raw("ubj"))
    tree = doc["learner"]["gradient_booster"]["model"]["trees"][0]
    good = tree["split_indices"]
    bad = good.copy()
    bad[0] = bad_index
    for first, winner in ((bad, bad_index), (good, int(good[0]))):
        pairs = [("split_indices", first), *tree.items()]
        doc["learner"]["gradient_booster"]["model"]["trees"][0] = pairs
        path = tmp_path / "dup.ubj"
        path.write_bytes(_ubj(doc))
        assert loaded_split_indices(path)[0] == winner  # XGBoost keeps the first
        findings, _ = _verdict(path)
        assert findings and "repeats the key 'split_indices'" in findings[0], findings

    text = booster.save_raw("json").decode()
    honest = re.search(r'"split_indices":\[[^\]]*\]', text)
    assert honest is not None
    hostile = re.sub(r"\[\d+", f"[{bad_index}", honest.group(0), count=1)
    for pair, winner in (
        (f"{honest.group(0)},{hostile}", bad_index),
        (f"{hostile},{honest.group(0)}", None),
    ):
        path = tmp_path / "dup.json"
        path.write_text(text.replace(honest.group(0), pair, 1))
        got = loaded_split_indices(path)[0]
        findings, _ = _verdict(path)
        if winner is None:  # the honest value last: XGBoost and Airlock both take it
            assert got != bad_index and findings == [], findings
        else:  # the hostile value last: XGBoost loads it, Airlock denies it
            assert got == bad_index
            assert findings and findings[0].startswith("AIR-XGB-001"), findings
