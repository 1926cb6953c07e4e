"""Honest and malicious fitted scikit-learn / scipy objects whose compiled code trusts their
fields (libsvm models, neighbours' class modes, text/dict featurisers, splines), written by the
real savers. Malicious ones are honest objects with one field changed afterwards (session-10
red team, /work/redteam10 gen_11/14/15/16/17/18/19/20); :func:`oracle` loads one with the
real loader in a child process and uses it, so a crash is observed, never suffered."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from tests.scan_pickle import index_fixtures as ix


def _xy(n: int = 40, seed: int = 0) -> tuple[Any, Any, Any]:
    rng = np.random.RandomState(seed)
    X = rng.rand(n, 4)
    return X, (X[:, 0] > 0.5).astype(int), (X[:, 1] * 3).astype(int)


DOCS = ["good movie", "bad movie", "good plot", "bad acting", "great film", "awful film"] * 2
LABELS = [1, 0, 1, 0, 1, 0] * 2


def _svm() -> dict[str, Any]:
    import scipy.sparse as sp
    from sklearn import svm

    X, y, y3 = _xy()
    K = X @ X.T
    out: dict[str, Any] = {
        "svc_rbf": svm.SVC().fit(X, y),
        "svc_prob3": svm.SVC(probability=True, random_state=0).fit(X, y3),
        "svc_linear": svm.SVC(kernel="linear").fit(X, y3),
        "svc_poly": svm.SVC(kernel="poly", degree=2).fit(X, y),
        "svc_sigmoid": svm.SVC(kernel="sigmoid").fit(X, y),
        "svc_precomputed": svm.SVC(kernel="precomputed").fit(K, y3),
        "nusvc": svm.NuSVC(nu=0.3).fit(X, y3),
        "svr": svm.SVR().fit(X, X[:, 1]),
        "nusvr_precomputed": svm.NuSVR(kernel="precomputed").fit(K, X[:, 1]),
        "svr_precomputed": svm.SVR(kernel="precomputed").fit(K, X[:, 1]),
        "ocsvm": svm.OneClassSVM().fit(X),
        "ocsvm_precomputed": svm.OneClassSVM(kernel="precomputed").fit(K),
        "svc_sparse": svm.SVC().fit(sp.csr_matrix(X), y3),
        "svr_sparse": svm.SVR(kernel="linear").fit(sp.csr_matrix(X), X[:, 1]),
        "svc_unfitted": svm.SVC(kernel="precomputed"),
    }
    return out


def _neighbours() -> dict[str, Any]:
    import scipy.sparse as sp
    from sklearn.neighbors import KNeighborsClassifier as K
    from sklearn.neighbors import RadiusNeighborsClassifier as R

    X, y, y3 = _xy(200)
    labels = np.array(["cat", "dog", "eel"])[y3]
    return {
        "knn_manhattan": K(5, algorithm="brute", metric="manhattan").fit(X, y),
        "knn_chebyshev": K(5, algorithm="brute", metric="chebyshev").fit(X, y3),
        "knn_euclidean_distance": K(3, weights="distance").fit(X, labels),
        "knn_kd_multi": K(4, algorithm="kd_tree").fit(X, np.c_[y, y3]),
        "knn_brute_multi": K(4, algorithm="brute", metric="manhattan").fit(X, np.c_[y3, y]),
        "knn_sparse": K(3, algorithm="brute", metric="manhattan").fit(sp.csr_matrix(X), y),
        "knn_precomputed": K(3, metric="precomputed").fit(X[:50] @ X[:50].T, y[:50]),
        "radius_manhattan": R(radius=3.0, algorithm="brute", metric="manhattan").fit(X, y3),
        "radius_outlier": R(radius=0.2, outlier_label="most_frequent").fit(X, labels),
        "radius_multi": R(radius=1.0).fit(X, np.c_[y, y3]),
        "knn_unfitted": K(),
        "knn_numpy_k": K(np.int64(3), algorithm="brute", metric="manhattan").fit(X, y),
    }


def _unsupervised() -> dict[str, Any]:
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.neighbors import (
        KNeighborsRegressor,
        KNeighborsTransformer,
        LocalOutlierFactor,
        NearestNeighbors,
        RadiusNeighborsRegressor,
    )

    X, _, _ = _xy(120)
    graph = NearestNeighbors(n_neighbors=5).fit(X).kneighbors_graph(mode="distance")
    return {
        "knn_regressor_brute": KNeighborsRegressor(3, algorithm="brute").fit(X, X[:, 0]),
        "radius_regressor": RadiusNeighborsRegressor(radius=0.5).fit(X, X[:, :2]),
        "nearest_neighbors_ball": NearestNeighbors(algorithm="ball_tree").fit(X),
        "nearest_neighbors_graph": NearestNeighbors(metric="precomputed").fit(graph),
        "kneighbors_transformer": KNeighborsTransformer(n_neighbors=4).fit(X),
        "lof_novelty": LocalOutlierFactor(novelty=True).fit(X),
        "kmeans": KMeans(3, n_init=1, random_state=0).fit(X),
        "kmeans_float32": KMeans(2, n_init=1, random_state=0).fit(X.astype(np.float32)),
        "minibatch_kmeans": MiniBatchKMeans(4, n_init=1, random_state=0).fit(X),
    }


def _mlb_used(labels: Any, **kw: Any) -> Any:
    from sklearn.preprocessing import MultiLabelBinarizer

    m = MultiLabelBinarizer(**kw).fit(labels)
    m.transform(labels)  # builds _cached_dict (numpy scalar keys), which the save then holds
    return m


def _text() -> dict[str, Any]:
    from sklearn.feature_extraction import DictVectorizer, FeatureHasher
    from sklearn.feature_extraction.text import (
        CountVectorizer,
        HashingVectorizer,
        TfidfVectorizer,
    )
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer

    dicts = [{"a": 1, "b": 2}, {"b": 3, "c": "x"}, {"a": 2, "c": "y"}, {"d": 1.5}] * 3
    lr = LogisticRegression
    return {
        "count_lr": make_pipeline(CountVectorizer(), lr()).fit(DOCS, LABELS),
        "count_ngrams": make_pipeline(CountVectorizer(ngram_range=(1, 3)), lr()).fit(DOCS, LABELS),
        "count_char": CountVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(DOCS),
        # min_df / max_features prune the vocabulary: its values become numpy int64 scalars
        "count_min_df": CountVectorizer(min_df=2).fit(DOCS),
        "count_max_features": CountVectorizer(max_features=4, binary=True).fit(DOCS),
        "count_fixed_vocab": CountVectorizer(vocabulary=["good", "bad", "film"]).fit(DOCS),
        "tfidf_lr": make_pipeline(TfidfVectorizer(sublinear_tf=True), lr()).fit(DOCS, LABELS),
        "tfidf_max_df": TfidfVectorizer(max_df=0.5, ngram_range=(1, 2)).fit(DOCS),
        "tfidf_no_idf": TfidfVectorizer(use_idf=False).fit(DOCS),
        "dictvec_lr": make_pipeline(DictVectorizer(), lr()).fit(dicts, LABELS),
        "dictvec_dense": DictVectorizer(sparse=False, sort=False).fit(dicts),
        "dictvec_int_keys": DictVectorizer().fit([{1: 2.0, 3: 1.0}, {2: 1.0}]),
        "hashing_lr": make_pipeline(HashingVectorizer(n_features=16), lr()).fit(DOCS, LABELS),
        "hashing_default": HashingVectorizer(),
        "feature_hasher": FeatureHasher(n_features=8, input_type="string"),
        "count_unfitted": CountVectorizer(),
        "mlb_fitted": MultiLabelBinarizer().fit([["a", "b"], ["c"]]),
        "mlb_cached_str": _mlb_used([["sci-fi", "drama"], ["drama"], ["comedy"]]),
        "mlb_cached_int": _mlb_used([[3, 1], [2], [1, 7]], sparse_output=True),
        # a fixed vocabulary given as a numpy array: vocabulary_ keys are np.str_ scalars
        "count_np_vocab": CountVectorizer(vocabulary=np.array(["good", "bad", "film"])).fit(DOCS),
        "tfidf_np_vocab": TfidfVectorizer(vocabulary=np.array(["good", "plot"])).fit(DOCS),
        "dictvec_np_keys": DictVectorizer().fit([{np.str_("a"): 1, np.str_("bb"): 2}]),
        # numpy labels: np.str_ keys pickled as <U1 / <U2 / <U3, int8 and float64 keys
        "mlb_cached_np_str": _mlb_used(np.array([["a", "bb"], ["ccc", "a"]])),
        "mlb_cached_np_int8": _mlb_used(np.array([[1, 22], [-3, 1]], dtype=np.int8)),
        "mlb_cached_np_float": _mlb_used(np.array([[1.5, 2.0], [0.5, 1.5]])),
        "mlb_cached_float": _mlb_used([[1.5, 2.0], [0.5]]),
    }


def _onehot() -> dict[str, Any]:
    import pandas as pd
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder as O

    rng = np.random.RandomState(0)
    num = rng.randint(0, 6, (60, 2)).astype(float)
    num[::7, 1] = np.nan
    s = np.array(["red", "green", "blue", "teal"], dtype=object)[rng.randint(0, 4, (60, 2))]
    s[::9, 0] = None
    flags = rng.rand(60, 1) > 0.5
    df = pd.DataFrame({"c": pd.Categorical(s[:, 1]), "n": rng.randint(0, 3, 60), "s": s[:, 1]})
    y = rng.randint(0, 2, 60)
    return {
        "onehot_numeric_nan": O().fit(num),
        "onehot_strings_none": O(handle_unknown="ignore").fit(s),
        "onehot_bool": O(sparse_output=False).fit(flags),
        "onehot_drop_first": O(drop="first").fit(num),
        "onehot_drop_if_binary": O(drop="if_binary", sparse_output=False).fit(np.c_[flags, num]),
        "onehot_drop_values": O(drop=["green", "blue"]).fit(s[:, :2].astype(str)),
        "onehot_min_frequency": O(min_frequency=12, handle_unknown="infrequent_if_exist").fit(s),
        "onehot_max_categories_drop": O(max_categories=3, drop="first").fit(num),
        "onehot_given_categories": O(categories=[["z", "a", "m"]], handle_unknown="ignore").fit(
            np.array([["a"], ["z"]], dtype=object)
        ),
        "onehot_pandas_pipeline": make_pipeline(
            make_column_transformer((O(handle_unknown="warn"), ["c", "n", "s"])),
            LogisticRegression(),
        ).fit(df, y),
        "onehot_unfitted": O(),
    }


def _splines() -> dict[str, Any]:
    from scipy.interpolate import CubicSpline, make_interp_spline
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import SplineTransformer

    x = np.linspace(0, 1, 8)
    X, _, _ = _xy()
    return {
        "bspline_k3": make_interp_spline(x, np.sin(x), k=3),
        "bspline_k1": make_interp_spline(x, np.cos(x), k=1),
        "bspline_2d_axis1": make_interp_spline(x, np.c_[np.sin(x), np.cos(x)].T, k=2, axis=1),
        "spline_transformer": make_pipeline(SplineTransformer(), Ridge()).fit(X, X[:, 0] * 2),
        "spline_periodic": SplineTransformer(extrapolation="periodic", degree=2).fit(X),
        "cubic": CubicSpline(x, np.sin(x)),
        "cubic_2d_axis1": CubicSpline(x, np.c_[np.sin(x), np.cos(x)].T, axis=1),
        "cubic_periodic": CubicSpline(x, np.cos(2 * np.pi * x), bc_type="periodic"),
    }


def honest() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _svm()
        out.update(_neighbours())
        out.update(_unsupervised())
        out.update(_onehot())
        out.update(_text())
        out.update(_splines())
    return out


def malicious() -> dict[str, Any]:
    """The red team's objects (one field changed each), and a few neighbours of them."""
    from sklearn.pipeline import Pipeline

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = {**_svm(), **_neighbours(), **_unsupervised(), **_onehot(), **_text(), **_splines()}
    out: dict[str, Any] = {}

    def bad(name: str, src: str, change: Any) -> None:
        obj = copy.deepcopy(h[src])
        change(obj[0] if isinstance(obj, Pipeline) else obj)  # a pipeline: its first step
        out[name] = obj

    def setv(attr: str, value: Any) -> Any:
        return lambda o: setattr(o, attr, value)

    def full(attr: str, value: int) -> Any:
        return lambda o: setattr(o, attr, np.full_like(getattr(o, attr), value))

    bad("svc_pre_support", "svc_precomputed", full("support_", 1 << 30))
    bad("svr_pre_support", "svr_precomputed", full("support_", 1 << 30))
    bad("ocsvm_pre_support", "ocsvm_precomputed", full("support_", 1 << 30))
    bad(
        "svc_sparse_sv_csc",
        "svc_sparse",
        lambda o: setattr(o, "support_vectors_", o.support_vectors_.T.tocsr().T),
    )
    bad("svc_nsv", "svc_rbf", setv("_n_support", np.array([1 << 24, 1 << 24], np.int32)))
    bad("svc_dual_short", "svc_linear", lambda o: setattr(o, "_dual_coef_", o._dual_coef_[:, :1]))
    bad("svc_sv_rows", "svc_poly", lambda o: setattr(o, "support_vectors_", o.support_vectors_[:2]))
    bad("svc_intercept_short", "svc_prob3", setv("_intercept_", np.zeros(1)))
    bad("svc_proba_short", "nusvc", setv("_probA", np.zeros(1)))
    bad("knn_y_manhattan", "knn_manhattan", full("_y", 1 << 40))
    bad("knn_y_chebyshev", "knn_chebyshev", full("_y", 3))
    bad("knn_y_negative", "knn_euclidean_distance", full("_y", -1))
    bad("knn_k_past_rows", "knn_manhattan", setv("n_neighbors", 1 << 20))
    bad("knn_y_short", "knn_sparse", lambda o: setattr(o, "_y", o._y[:3].copy()))
    bad("knn_multi_y", "knn_brute_multi", lambda o: o._y.__setitem__((0, 1), 2))
    bad("radius_y", "radius_manhattan", full("_y", 1 << 40))
    bad(
        "regressor_fit_x_narrow",
        "knn_regressor_brute",
        lambda o: setattr(o, "_fit_X", o._fit_X[:, :1].copy()),
    )
    bad("kmeans_centers_zero_width", "kmeans", setv("cluster_centers_", np.zeros((3, 0))))
    bad("kmeans_centers_many", "minibatch_kmeans", setv("cluster_centers_", np.zeros((1 << 12, 1))))
    bad("knn_fit_x_narrow", "knn_chebyshev", lambda o: setattr(o, "_fit_X", o._fit_X[:, :1].copy()))

    def vocab(term: str, value: int) -> Any:
        return lambda o: o.vocabulary_.__setitem__(term, value)

    bad("count_vocab_lr", "count_lr", vocab("good", (1 << 31) - 1))
    bad("tfidf_vocab_lr", "tfidf_lr", vocab("good", (1 << 31) - 1))
    bad("count_vocab_negative", "count_ngrams", vocab("good", -1))
    bad("count_vocab_duplicate", "count_char", vocab(" g", 0))
    bad("count_min_df_vocab", "count_min_df", vocab("good", np.int64(1 << 20)))
    bad("dictvec_vocab_lr", "dictvec_lr", vocab("a", (1 << 31) - 1))
    bad("dictvec_names", "dictvec_dense", setv("feature_names_", ["a"]))
    bad("mlb_cache_past_classes", "mlb_cached_str", lambda o: o._cached_dict.update(drama=1 << 20))
    # np.str_("good\x00") != "good" when saved, loads as np.str_("good"): the loaded dict merges
    # the two keys and is one shorter than its largest column
    bad(
        "count_np_vocab_dup",
        "count_np_vocab",
        lambda o: setattr(o, "vocabulary_", {np.str_("good\x00"): 0, "good": 1, "bad": 2}),
    )
    bad(
        "mlb_np_key_dup",
        "mlb_cached_np_str",
        lambda o: setattr(o, "_cached_dict", {np.str_("a\x00"): 0, "a": 1, "bb": 2}),
    )
    bad("onehot_outs_short", "onehot_numeric_nan", setv("_n_features_outs", [1, 1]))
    bad("onehot_outs_long", "onehot_strings_none", setv("_n_features_outs", [9, 9]))
    bad("onehot_unsorted", "onehot_drop_first", lambda o: o.categories_[0].__setitem__(0, 99.0))
    bad(
        "onehot_drop_negative",
        "onehot_drop_first",
        lambda o: o._drop_idx_after_grouping.__setitem__(0, -3),
    )
    bad(
        "onehot_mapping_wide",
        "onehot_min_frequency",
        lambda o: (
            o._default_to_infrequent_mappings.__setitem__(0, np.arange(9) * 7)
            if o._default_to_infrequent_mappings[0] is not None
            else o._default_to_infrequent_mappings.__setitem__(1, np.arange(9) * 7)
        ),
    )
    bad("hashing_zero_lr", "hashing_lr", setv("n_features", 0))
    bad("feature_hasher_negative", "feature_hasher", setv("n_features", -4))
    bad("bspline_k_huge", "bspline_k3", setv("k", 1 << 20))
    bad("bspline_c_short", "bspline_k1", lambda o: setattr(o, "c", o.c[:1].copy()))
    bad("bspline_t_short", "bspline_2d_axis1", lambda o: setattr(o, "t", o.t[:2].copy()))
    bad(
        "spline_transformer_k",
        "spline_transformer",
        lambda o: setattr(o.bsplines_[0], "k", 1 << 20),
    )
    bad("cubic_x_wide", "cubic", setv("x", np.linspace(0, 1, (1 << 16) + 1)))
    return out


def save(objs: dict[str, Any], folder: Path) -> list[Path]:
    return ix.save_all_compressed(objs, folder)


# first use of each kind of object, as the red team's oracles do
_USE = r"""
import sys, warnings, numpy as np, joblib, pickle
warnings.simplefilter("ignore")
path = sys.argv[1]
if path.endswith(".joblib"):
    m = joblib.load(path)
else:
    with open(path, "rb") as f: m = pickle.load(f)
rng = np.random.RandomState(0); Xtr = rng.rand(40, 4); Xte = rng.rand(5, 4)
raised = []
def attempt(f):
    try:
        f()
    except Exception as exc:
        raised.append(type(exc).__name__)
name = type(m).__name__
if name in ("SVC", "NuSVC", "SVR", "NuSVR", "OneClassSVM"):
    X = Xte @ Xtr.T if m.kernel == "precomputed" else Xte
    attempt(lambda: m.predict(X))
    if hasattr(m, "decision_function"):
        attempt(lambda: m.decision_function(X))
    if getattr(m, "probability", False) is True:
        attempt(lambda: m.predict_proba(X))
elif "Neighbors" in name or name in ("LocalOutlierFactor", "KMeans", "MiniBatchKMeans"):
    X = rng.rand(5, m.n_features_in_)
    for f in ("predict", "predict_proba", "kneighbors", "transform"):
        if hasattr(m, f):
            attempt(lambda: getattr(m, f)(X))
elif name == "Pipeline":
    first = type(m[0]).__name__
    X = [{"a": 1, "b": 2}] if first == "DictVectorizer" else (
        rng.rand(5, 4) if first == "SplineTransformer" else ["a good movie", "bad film"])
    attempt(lambda: m.predict(X))
elif name == "OneHotEncoder" and hasattr(m, "categories_"):
    cats = m.categories_
    L = 2000 * max(len(c) for c in cats)
    numeric = all(c.dtype.kind in "biuf" for c in cats)
    X = np.array([np.resize(c, L) for c in cats], dtype=float if numeric else object).T
    def dense():
        out = m.transform(X)
        return out.toarray() if hasattr(out, "toarray") else out
    attempt(dense)
elif name == "MultiLabelBinarizer":
    attempt(lambda: m.transform([["drama", "comedy", 3]] * 1000))
elif name in ("DictVectorizer",):
    attempt(lambda: m.transform([{"a": 1, "b": 2, "c": "x"}]).toarray())
elif hasattr(m, "transform"):
    X = [["good", "x"]] if name == "FeatureHasher" else (
        rng.rand(5, 4) if name == "SplineTransformer" else ["a good movie", "bad film"])
    attempt(lambda: m.transform(X))
else:
    attempt(lambda: m(np.linspace(0, 1, 5)))
if raised:
    print("raised", raised)
    sys.exit(3)
print("ok")
"""


def oracle(path: Path, timeout: float = 60) -> str:
    """'crash', 'hang', 'raised' or 'ok' from the real loader and first use, in a child."""
    return ix.run_child(_USE, path, timeout)
