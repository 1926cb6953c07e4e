"""Fitted scikit-learn / scipy objects whose compiled code trusts their fields (session-10 red
team: libsvm support_ past a precomputed Gram row, neighbours' _y past classes_, vectorizer
vocabulary_ past its columns, HashingVectorizer n_features 0, BSpline degree 2**20): a pickle
sets the fields without the fit/constructor checks and the first predict / transform / call
reads or writes out of bounds. They are allowed only when proven from the pickle's bytes
(AIR-PKL-017, airlock.scan.estimator_proof).

Honest objects come from the real savers (pickle protocols 2/4/5, joblib plain and
compressed); malicious ones are honest objects with one field changed, saved the same way; the
oracle loads and uses them in a child process."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import airlock
from airlock.scan import estimator_proof as ep
from airlock.scan import index_proof as ip

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")
pytest.importorskip("scipy")
pytest.importorskip("joblib")

from tests.scan_pickle import estimator_fixtures as fx  # noqa: E402
from tests.scan_pickle import index_fixtures as ix  # noqa: E402

RULE = ip.RULE


@pytest.fixture(scope="module")
def honest_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return fx.save(fx.honest(), tmp_path_factory.mktemp("honest_est"))


@pytest.fixture(scope="module")
def malicious_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in fx.save(fx.malicious(), tmp_path_factory.mktemp("bad_est"))}


def test_honest_saves_stay_clean(honest_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """SVC/NuSVC/SVR/NuSVR/OneClassSVM (rbf, linear, poly, sigmoid, precomputed, probability,
    sparse fit), K/RadiusNeighborsClassifier (brute manhattan/chebyshev, kd_tree, multi-output,
    string labels, sparse, precomputed, outlier label), the other neighbours (regressors,
    NearestNeighbors on a precomputed sparse graph, transformers, LOF), KMeans (float32 too),
    MiniBatchKMeans, MultiLabelBinarizer (its label cache built by transform), OneHotEncoder
    (numeric with NaN, strings with None, bool, drop first/if_binary/values, min_frequency,
    max_categories, given unsorted string categories, in a ColumnTransformer on pandas),
    Count/Tfidf/Dict/HashingVectorizer and FeatureHasher (n-grams, char n-grams, pruned
    vocabularies with numpy int values, fixed vocabulary as a list or a numpy array (np.str_
    keys), int and np.str_ feature names, pipelines), MultiLabelBinarizer on numpy labels
    (np.str_ of several widths, int8, float64) and Python floats,
    BSpline / SplineTransformer / CubicSpline, unfitted estimators: no blocking finding, and
    every object proven (the proof ran and said yes)."""
    proven: Counter[str] = Counter()
    real = ep.verdict

    def counting(cls: str, state: dict[str, Any], ctx: Any) -> str | None:
        why = real(cls, state, ctx)
        if why is None:
            proven[cls.rsplit(".", 1)[-1]] += 1
        return why

    monkeypatch.setattr(ep, "verdict", counting)
    assert len(honest_files) == 5 * len(fx.honest())
    dirty = {p.name: ix.blocking(p) for p in honest_files if ix.blocking(p)}
    assert not dirty
    for cls in (
        "SVC",
        "SVR",
        "NuSVR",
        "OneClassSVM",
        "KNeighborsClassifier",
        "RadiusNeighborsClassifier",
        "CountVectorizer",
        "TfidfVectorizer",
        "DictVectorizer",
        "HashingVectorizer",
        "FeatureHasher",
        "BSpline",
        "CubicSpline",
        "KMeans",
        "MiniBatchKMeans",
        "NearestNeighbors",
        "KNeighborsRegressor",
        "LocalOutlierFactor",
        "MultiLabelBinarizer",
        "OneHotEncoder",
    ):
        assert proven[cls] >= 5, cls


def test_every_malicious_save_is_denied(malicious_files: dict[str, Path]) -> None:
    undenied = [
        name
        for name, path in malicious_files.items()
        if not any(f.rule_id == RULE for f in airlock.scan(path).findings)
    ]
    assert not undenied
    for name, words in (
        ("svc_pre_support.joblib", "support_ value 1073741824"),
        ("knn_y_manhattan.z3.joblib", "_y value"),
        ("count_vocab_lr.p4.pkl", "vocabulary_['good']"),
        ("hashing_zero_lr.p2.pkl", "n_features 0"),
        ("bspline_k_huge.p5.pkl", "knots for degree 1048576"),
        ("count_np_vocab_dup.p2.pkl", "vocabulary_['bad'] = 2 is out of range 0..1"),
        ("count_np_vocab_dup.z3.joblib", "vocabulary_['bad'] = 2 is out of range 0..1"),
        ("mlb_np_key_dup.p4.pkl", "_cached_dict keys repeat"),
        ("mlb_np_key_dup.joblib", "_cached_dict keys repeat"),
    ):
        finding = next(f for f in airlock.scan(malicious_files[name]).findings if f.rule_id == RULE)
        assert finding.severity.name == "HIGH"
        assert words in finding.evidence, finding.evidence


def _arr(a: Any) -> ip.Arr:
    a = np.asarray(a)
    return ip.Arr(
        a.shape,
        a.dtype.str,
        lambda: a.tobytes(order="A"),
        None,
        bool(a.flags.f_contiguous and not a.flags.c_contiguous),
    )


def _ctx() -> ep.Ctx:
    return ep.Ctx(
        lambda a: a if isinstance(a, ip.Arr) else "not an array", lambda v: None, lambda v: None
    )


def test_missing_or_unreadable_fields_fail_closed() -> None:
    """A field the proof cannot read is a reason, never a pass."""
    from airlock.scan.pickle_values import PDict

    ctx = _ctx()
    y = _arr(np.array([0, 1, 1, 0]))
    state = {
        "_y": y,
        "classes_": _arr(np.array([3, 4])),
        "_fit_X": _arr(np.zeros((4, 2))),
        "n_features_in_": 2,
        "n_samples_fit_": 4,
    }
    assert ep.knn_verdict(state, ctx) is None
    assert "n_features_in_" in (ep.knn_verdict({**state, "n_features_in_": 3}, ctx) or "")
    assert "not an array" in (ep.knn_verdict({**state, "classes_": [1, 2]}, ctx) or "")
    assert "dtype" in (ep.knn_verdict({**state, "_y": _arr(np.zeros(4))}, ctx) or "")
    assert "_y missing" not in (ep.knn_verdict({"classes_": state["classes_"]}, ctx) or "")
    # a 2-D _y kept in Fortran order is read column by column
    y2 = np.asfortranarray(np.array([[0, 2], [1, 0], [1, 1], [0, 2]]))
    multi = {**state, "_y": _arr(y2), "classes_": [_arr([0, 1]), _arr([0, 1, 2])]}
    assert ep.knn_verdict(multi, ctx) is None
    assert "_y[:, 0]" in (
        ep.knn_verdict({**multi, "classes_": [_arr([0]), _arr([0, 1, 2])]}, ctx) or ""
    )
    vocab = PDict()
    vocab.items = [("a", 0), ("b", 1), ("a", 2)]  # the pickle's later item wins: {a: 2, b: 1}
    assert "out of range" in (ep.vocab_verdict({"vocabulary_": vocab}, ctx) or "")
    vocab.items = [("a", 0), ("b", "1")]
    assert "not a plain int" in (ep.vocab_verdict({"vocabulary_": vocab}, ctx) or "")
    assert "n_features" in (ep.hasher_verdict({}, ctx) or "")
    assert "n_features" in (ep.hasher_verdict({"n_features": True}, ctx) or "")
    assert "n_neighbors" in (ep.knn_verdict({**state, "n_neighbors": 5}, ctx) or "")
    assert ep.knn_verdict({**state, "n_neighbors": 4}, ctx) is None
    assert "no t / c" in (ep.bspline_verdict({"k": 3}, ctx) or "")


# the real loader and first use, in a child process: these crash (signal) or hang today
BROKEN = {
    "svc_pre_support.joblib": "crash",
    "svr_pre_support.p4.pkl": "crash",
    "ocsvm_pre_support.z3.joblib": "crash",
    "knn_y_manhattan.joblib": "crash",
    "knn_y_short.p5.pkl": "crash",
    "radius_y.joblib": "crash",
    "count_vocab_lr.joblib": "crash",
    "dictvec_vocab_lr.p2.pkl": "crash",
    "hashing_zero_lr.joblib": "crash",
    "bspline_k_huge.joblib": "hang",
    "mlb_cache_past_classes.joblib": "crash",
    "onehot_outs_short.joblib": "crash",
    "onehot_drop_negative.p4.pkl": "crash",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_oracle_breaks_and_scan_denies(name: str, malicious_files: dict[str, Path]) -> None:
    path = malicious_files[name]
    assert fx.oracle(path, timeout=20) in (BROKEN[name], "crash")
    assert any(f.rule_id == RULE for f in airlock.scan(path).findings)


@pytest.mark.slow
def test_oracle_honest_loads_and_uses(honest_files: list[Path]) -> None:
    names = (
        "svc_precomputed.joblib",
        "knn_manhattan.z3.joblib",
        "count_min_df.p2.pkl",
        "dictvec_lr.joblib",
        "hashing_lr.p4.pkl",
        "bspline_k3.joblib",
        "cubic.p5.pkl",
        "radius_manhattan.joblib",
        "svc_sparse.joblib",
    )
    for name in names:
        path = next(p for p in honest_files if p.name == name)
        assert fx.oracle(path) == "ok", name


def test_numpy_scalar_keys_are_the_python_values_they_equal() -> None:
    """A dict key read from a numpy scalar is the Python value the loaded key equals (same
    hash): np.str_ of any width is its str, numpy ints of any width its int, bytes_ its bytes,
    floats their float; equal keys merge before the proof counts them; what cannot be decoded
    (bool, complex, NaN, bad UTF-32) is denied."""
    from airlock.scan.pickle_values import PDict

    class Scalar:
        def __init__(self, v: Any) -> None:
            a = np.asarray(v)
            self.sc = (
                a.dtype.byteorder.replace("=", "<") + a.dtype.kind + str(a.itemsize),
                a.tobytes(),
            )

    ctx = ep.Ctx(
        lambda a: "not an array",
        lambda v: None,
        lambda v: None,
        lambda v: v.sc if isinstance(v, Scalar) else None,
    )
    kv = ep._key_value
    assert kv(Scalar(np.str_("ab")), ctx) == "ab" and type(kv(Scalar(np.str_("ab")), ctx)) is str
    assert kv(Scalar(np.array(["a"], dtype="<U7")[0]), ctx) == "a"
    assert kv(Scalar(np.array(["ab"], dtype=">U3")), ctx) == "ab"
    assert kv(Scalar(np.bytes_(b"xy")), ctx) == b"xy"
    for t in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64):
        assert kv(Scalar(t(7)), ctx) == 7
    assert kv(Scalar(np.int8(-3)), ctx) == -3
    assert kv(Scalar(np.uint64(1 << 63)), ctx) == 1 << 63
    assert kv(Scalar(np.array(-2, dtype=">i4")), ctx) == -2
    assert kv(Scalar(np.float32(0.1)), ctx) == float(np.float32(0.1))
    assert kv(Scalar(np.float64("nan")), ctx) is None
    assert kv(float("nan"), ctx) is None
    assert kv(Scalar(np.bool_(True)), ctx) is None
    assert kv(Scalar(np.complex128(1)), ctx) is None
    assert kv(True, ctx) is None
    bad_utf32 = Scalar(np.str_("a"))
    bad_utf32.sc = ("<U4", (0x110000).to_bytes(4, "little"))
    assert kv(bad_utf32, ctx) is None

    def mlb(*items: tuple[Any, int]) -> str | None:
        cache = PDict()
        cache.items = list(items)
        return ep.mlb_verdict({"_cached_dict": cache}, ctx)

    assert mlb((Scalar(np.str_("a")), 0), (Scalar(np.str_("bb")), 1), ("ccc", 2)) is None
    assert mlb((Scalar(np.int8(1)), 0), (Scalar(np.int64(22)), 1), (3, 2)) is None
    assert mlb((Scalar(np.float64(1.5)), 0), (0.5, 1)) is None
    for a, b in (
        (Scalar(np.str_("a")), "a"),
        (Scalar(np.array(["a"], dtype="<U3")[0]), Scalar(np.str_("a"))),
        (Scalar(np.int8(1)), 1),
        (Scalar(np.uint32(1)), Scalar(np.int64(1))),
        (1, 1.0),
        (Scalar(np.float32(2.0)), 2),
        (0.0, -0.0),
        (Scalar(np.bytes_(b"a")), b"a"),
    ):
        assert "repeat" in (mlb((a, 0), (b, 1)) or ""), (a, b)
    assert "not a str" in (mlb((Scalar(np.float64("nan")), 0), (1.0, 1)) or "")
    vocab = PDict()
    vocab.items = [(Scalar(np.str_("a")), 0), ("b", 1), ("a", 2)]  # loads as {a: 2, b: 1}
    assert "out of range" in (ep.vocab_verdict({"vocabulary_": vocab}, ctx) or "")
    vocab.items = [(Scalar(np.str_("a")), 0), (Scalar(np.int16(5)), 1)]
    assert ep.vocab_verdict({"vocabulary_": vocab}, ctx) is None
    vocab.items = [(Scalar(np.float64(1.0)), 0)]
    assert "not a str or int" in (ep.vocab_verdict({"vocabulary_": vocab}, ctx) or "")
