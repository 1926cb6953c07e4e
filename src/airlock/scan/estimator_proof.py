"""Index proofs for fitted scikit-learn / scipy objects whose compiled code trusts their fields.

A pickle sets these fields with a plain ``__dict__`` update (no constructor checks), and the
compiled code behind the first ``predict`` / ``transform`` / call indexes with them unchecked:

* libsvm (``SVC``, ``NuSVC``, ``SVR``, ``NuSVR``, ``OneClassSVM``): ``set_model`` takes the
  number of classes from ``_n_support``, the support-vector count from ``support_``, reads
  ``_dual_coef_`` as (classes - 1) rows of that count, ``_intercept_`` / ``_probA`` /
  ``_probB`` as classes * (classes - 1) / 2 values, dense ``support_vectors_`` as that many rows
  and, with a precomputed (or callable) kernel, ``X[i, support_[j]]`` for a row of
  ``shape_fit_[0]`` columns;
* the neighbours' Cython class modes (``ArgKminClassMode``, ``RadiusNeighborsClassMode``) add
  to ``class_scores[i, _y[j]]`` (a heap write) for neighbours j of ``_fit_X``;
* ``CountVectorizer`` / ``TfidfVectorizer`` / ``DictVectorizer`` build a CSR matrix of
  ``len(vocabulary_)`` columns from ``vocabulary_`` values (scipy does not range-check them,
  and the next sparse product reads out of bounds); the feature hashers take ``% n_features``;
* scipy ``BSpline`` / ``PPoly`` (``CubicSpline``) evaluators trust k, t, c and x, c shapes.

Pure: the object's merged state in, the reason out (None = proven). Anything not shown plainly
(a missing field, an unknown dtype, an array not rebuilt from bytes in the pickle) is a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airlock.scan.index_proof import EST_FAMILY as FAMILY
from airlock.scan.index_proof import MAX_ELEMS, SVM_IMPL, Arr, int_values
from airlock.scan.pickle_values import K_GLOBAL, PDict, Sym, describe

INT32_MAX = (1 << 31) - 1
_LIBSVM_KERNELS = frozenset({"linear", "poly", "rbf", "sigmoid", "precomputed"})


class Ctx:
    """What the pickle machine shows of values: arrays (:class:`Arr` or a reason), the merged
    state of another tracked object (None when not one; ``state_of(value, kind)`` only of that
    kind, e.g. ``("sparse", "csr")``), a plain int (Python or numpy scalar,
    None when not certain)."""

    __slots__ = ("arr_of", "blob_of", "int_of", "scalar_of", "state_of", "text_of")

    def __init__(
        self,
        arr_of: Callable[[Any], Arr | str],
        state_of: Callable[..., dict[str, Any] | None],
        int_of: Callable[[Any], int | None],
        scalar_of: Callable[[Any], tuple[str, bytes] | None] = lambda v: None,
        text_of: Callable[[Any], tuple[str | None, str | None]] = lambda v: (None, "not known"),
        blob_of: Callable[[Any], tuple[Any, str | None]] = lambda v: (None, "not known"),
    ) -> None:
        self.arr_of = arr_of
        self.state_of = state_of
        self.int_of = int_of
        self.scalar_of = scalar_of  # a numpy scalar's (dtype.str, bytes)
        # a str constant of the pickle: (text, None) or (None, why not)
        self.text_of = text_of
        # a bytearray the pickle builds from its own bytes: (bytes, None) or (None, why not)
        self.blob_of = blob_of


def verdict(cls: str, state: dict[str, Any], ctx: Ctx) -> str | None:
    family = FAMILY.get(cls)
    if family == "svm":
        return svm_verdict(SVM_IMPL[cls], state, ctx)
    if family == "knn":
        return knn_verdict(state, ctx)
    if family == "knn_x":
        return fit_x_verdict(state, None, ctx) if "_fit_X" in state else None
    if family == "kmeans":
        return kmeans_verdict(state, ctx)
    if family == "mlb":
        return mlb_verdict(state, ctx)
    if family == "onehot":
        return onehot_verdict(state, ctx)
    if family == "vocab":
        return vocab_verdict(state, ctx)
    if family == "dictvec":
        return dictvec_verdict(state, ctx)
    if family == "hasher":
        return hasher_verdict(state, ctx)
    if family == "tfidf_t":
        return None  # its idf_ is read with numpy's checked indexing (recorded for TfidfVectorizer)
    if family == "bspline":
        return bspline_verdict(state, ctx)
    if family == "ppoly":
        return ppoly_verdict(state, ctx)
    if family == "lgb":
        return lgb_booster_verdict(state, ctx)
    if family == "xgb":
        return xgb_booster_verdict(state, ctx)
    return f"{cls} is not proven"


def lgb_booster_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """``lightgbm.Booster.__setstate__`` loads ``state.get("_handle", state.get("handle"))``
    (a str: the model text) with ``LGBM_BoosterLoadModelFromString``."""
    from airlock.scan import lightgbm_proof

    model = state["_handle"] if "_handle" in state else state.get("handle")
    if model is None:
        return None
    text, why = ctx.text_of(model)
    if text is None:
        return f"_handle: {why}"
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return None  # lightgbm's _c_str raises before the parser sees it
    why = lightgbm_proof.verdict(raw)
    return None if why is None else f"LightGBM model text (AIR-LGB-001): {why}"


def xgb_booster_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """``xgboost.Booster.__setstate__`` hands ``state["handle"]`` (a bytearray: the serialised
    ``{"Config", "Model"}`` UBJSON, or JSON) to ``XGBoosterUnserializeFromBuffer``."""
    from airlock.scan import xgboost_proof

    model = state.get("handle")
    if model is None:
        return None
    raw, why = ctx.blob_of(model)
    if raw is None:
        return f"handle: {why}"
    data = bytes(raw)
    try:
        if data[:1] == b"{" and data[1:2] in (b'"', b"}", b" ", b"\n", b"\r", b"\t"):
            import json

            doc = json.loads(data)
        else:
            doc = xgboost_proof.parse_ubj(data)
    except (ValueError, RecursionError) as exc:
        return f"handle is not a model XGBoost's parser is proven on ({type(exc).__name__})"
    if not xgboost_proof.looks_like_model(doc):
        return "handle is not an XGBoost model document"
    why = xgboost_proof.verdict(doc)
    return None if why is None else f"XGBoost model (AIR-XGB-001): {why}"


# --- helpers ---------------------------------------------------------------------------------


def _named_arr(ctx: Ctx, value: Any, what: str) -> Arr | str:
    """The array ``value`` rebuilds, or why it cannot be read, named ``what``."""
    a = ctx.arr_of(value)
    return f"{what}: {a}" if type(a) is str else a


def _arr(state: dict[str, Any], key: str, ctx: Ctx) -> Arr | str:
    if key not in state:
        return f"{key} missing"
    return _named_arr(ctx, state[key], key)


def _float_arr(state: dict[str, Any], key: str, ndim: int, ctx: Ctx) -> Arr | str:
    a = _arr(state, key, ctx)
    if type(a) is str:
        return a
    assert isinstance(a, Arr)
    if len(a.shape) != ndim or a.dtype != "<f8":
        return f"{key} of shape {a.shape} {a.dtype} is not a {ndim}-D float64 array"
    return a


def int_array(arr: Arr, what: str) -> Any:
    """The values of an int32/int64 array of any dimension as numpy (C order), or a reason."""
    import numpy as np

    if arr.dtype not in ("<i4", "<i8", ">i4", ">i8"):
        return f"{what} has dtype {arr.dtype}, not int32/int64"
    if arr.raw is None:
        return f"{what} bytes are not in the pickle"
    count = 1
    for d in arr.shape:
        count *= d
    if count > MAX_ELEMS:
        return f"{what} of {count} elements is too large to check"
    data = arr.raw()
    need = count * int(arr.dtype[2])
    if len(data) < need:
        return f"{what} holds {len(data)} bytes, {need} needed"
    vals = np.frombuffer(data, dtype=arr.dtype, count=count)
    if arr.fortran:
        return vals.reshape(arr.shape[::-1]).T
    return vals.reshape(arr.shape)


def _plain_int(value: Any, ctx: Ctx) -> int | None:
    """A Python int (not bool) or a numpy integer scalar; None otherwise."""
    return value if type(value) is int else ctx.int_of(value)


def _range(values: Any, bound: int, what: str) -> str | None:
    if values.size == 0:
        return None
    lo, hi = int(values.min()), int(values.max())
    if lo < 0 or hi >= bound:
        return f"{what} value {lo if lo < 0 else hi} out of range 0..{bound - 1}"
    return None


def _shape_of(value: Any, ctx: Ctx) -> tuple[int, ...] | str:
    """The shape of a numpy array or a scipy sparse container (proven on its own)."""
    sub = ctx.state_of(value)
    if sub is not None:
        shape = sub.get("_shape")
        if type(shape) is tuple and all(type(d) is int and d >= 0 for d in shape):
            return shape
        return "a sparse matrix whose _shape is not plain ints"
    a = ctx.arr_of(value)
    if type(a) is str:
        return a
    assert isinstance(a, Arr)
    return a.shape


# --- libsvm ----------------------------------------------------------------------------------


def svm_verdict(impl: str, state: dict[str, Any], ctx: Ctx) -> str | None:
    """libsvm ``set_model`` / predict (dense and sparse) as described in the module docstring.
    Unfitted (no ``support_``): predict raises before libsvm."""
    if "support_" not in state:
        return None
    impl = state.get("_impl", impl)
    if impl not in ("c_svc", "nu_svc", "one_class", "epsilon_svr", "nu_svr"):
        return f"_impl {describe(impl)} is not a libsvm type"
    kernel = state.get("kernel")
    if type(kernel) is Sym and kernel.kind == K_GLOBAL:
        kernel = "precomputed"  # a callable: predict hands libsvm kernel(X, fit X), "precomputed"
    if type(kernel) is not str or kernel not in _LIBSVM_KERNELS:
        return f"kernel {describe(kernel)} is not one of libsvm's kernels"
    sparse = state.get("_sparse")
    if type(sparse) is not bool:
        return f"_sparse {describe(sparse)} is not a bool"
    shape_fit = state.get("shape_fit_")
    if (
        type(shape_fit) is not tuple
        or len(shape_fit) not in (1, 2)
        or not all(type(d) is int and 0 <= d < 1 << 62 for d in shape_fit)
    ):
        return f"shape_fit_ {describe(shape_fit)} is not a tuple of ints"
    sup = _arr(state, "support_", ctx)
    if type(sup) is str:
        return sup
    assert isinstance(sup, Arr)
    if sup.dtype != "<i4":
        return f"support_ has dtype {sup.dtype}, not int32"
    support = int_values(sup, "support_")
    if type(support) is str:
        return support
    n_sv = len(support)
    # precomputed / callable kernels read X[i, support_[j]] of a row of shape_fit_[0] values
    problem = _range(support, shape_fit[0], "support_")
    if problem:
        return problem
    nsv = _arr(state, "_n_support", ctx)
    if type(nsv) is str:
        return nsv
    assert isinstance(nsv, Arr)
    if nsv.dtype != "<i4":
        return f"_n_support has dtype {nsv.dtype}, not int32"
    counts = int_values(nsv, "_n_support")
    if type(counts) is str:
        return counts
    nr_class = len(counts)
    if nr_class < 2:
        return f"_n_support declares {nr_class} classes"
    pairs = nr_class * (nr_class - 1) // 2
    if impl in ("c_svc", "nu_svc"):
        if int(counts.min()) < 0 or int(counts.astype("int64").sum()) != n_sv:
            return f"_n_support sums to {int(counts.astype('int64').sum())}, not {n_sv} support_"
    b = _float_arr(state, "_intercept_", 1, ctx)
    if type(b) is str:
        return b
    assert isinstance(b, Arr)
    if b.shape[0] != pairs:
        return f"_intercept_ holds {b.shape[0]} values for {nr_class} classes ({pairs} needed)"
    for key in ("_probA", "_probB"):
        p = _float_arr(state, key, 1, ctx)
        if type(p) is str:
            return p
        assert isinstance(p, Arr)
        if p.shape[0] not in (0, pairs):
            return f"{key} holds {p.shape[0]} values, not 0 or {pairs}"
    if sparse:
        return _svm_sparse(state, kernel, nr_class, n_sv, ctx)
    dual = _float_arr(state, "_dual_coef_", 2, ctx)
    if type(dual) is str:
        return dual
    assert isinstance(dual, Arr)
    if dual.shape != (nr_class - 1, n_sv):
        return f"_dual_coef_ of shape {dual.shape}, not ({nr_class - 1}, {n_sv})"
    sv = _float_arr(state, "support_vectors_", 2, ctx)
    if type(sv) is str:
        return sv
    assert isinstance(sv, Arr)
    if kernel != "precomputed" and sv.shape[0] != n_sv:
        return f"support_vectors_ has {sv.shape[0]} rows for {n_sv} support_"
    return None


def _svm_sparse(
    state: dict[str, Any], kernel: str, nr_class: int, n_sv: int, ctx: Ctx
) -> str | None:
    """``csr_set_model``: l = rows of the support vectors' CSR (proven on its own), each of the
    nr_class - 1 coefficient rows copied as l values from ``_dual_coef_.data``."""
    if kernel == "precomputed":
        return "a sparse model with a precomputed kernel (libsvm reads X at the stored values)"
    sv = ctx.state_of(state.get("support_vectors_"), ("sparse", "csr"))
    dual = ctx.state_of(state.get("_dual_coef_"), ("sparse", "csr"))
    if sv is None or dual is None:
        return "support_vectors_ or _dual_coef_ of a sparse model is not a scipy CSR matrix"
    shape = sv.get("_shape")
    if type(shape) is not tuple or len(shape) != 2 or shape[0] != n_sv:
        return f"sparse support_vectors_ of shape {describe(shape)} for {n_sv} support_"
    data = _named_arr(ctx, dual.get("data"), "_dual_coef_.data")
    if isinstance(data, str):
        return data
    if data.dtype != "<f8" or len(data.shape) != 1 or data.shape[0] < (nr_class - 1) * n_sv:
        return f"_dual_coef_.data of shape {data.shape} {data.dtype} is short"
    return None


# --- neighbours ------------------------------------------------------------------------------


def knn_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """K/RadiusNeighborsClassifier: every ``_y`` label below its output's class count, one
    label per row of ``_fit_X`` (the neighbours' indices), ``_fit_X`` as wide as
    ``n_features_in_`` (the width predict checks X against). Unfitted (no ``_y``): predict
    raises first."""
    if "_y" not in state:
        return None
    ya = _arr(state, "_y", ctx)
    if type(ya) is str:
        return ya
    assert isinstance(ya, Arr)
    if len(ya.shape) not in (1, 2):
        return f"_y is {len(ya.shape)}-D"
    y = int_array(ya, "_y")
    if type(y) is str:
        return y
    classes = state.get("classes_")
    if y.ndim == 1:
        ca = _named_arr(ctx, classes, "classes_")
        if isinstance(ca, str):
            return ca
        if len(ca.shape) != 1:
            return f"classes_ is {len(ca.shape)}-D"
        problem = _range(y, ca.shape[0], "_y")
        if problem:
            return problem
    else:
        if type(classes) is not list or len(classes) != y.shape[1]:
            return f"classes_ {describe(classes)} is not a list of {y.shape[1]} arrays"
        for k, c in enumerate(classes):
            ck = _named_arr(ctx, c, f"classes_[{k}]")
            if isinstance(ck, str):
                return ck
            if len(ck.shape) != 1:
                return f"classes_[{k}] is {len(ck.shape)}-D"
            problem = _range(y[:, k], ck.shape[0], f"_y[:, {k}]")
            if problem:
                return problem
    problem = fit_x_verdict(state, y.shape[0], ctx)
    if problem or "n_neighbors" not in state or state["n_neighbors"] is None:
        return problem  # RadiusNeighborsClassifier keeps n_neighbors None
    # ArgKminClassMode (predict_proba's shortcut, no kneighbors check) keeps k heap slots a
    # query; with more than the rows of _fit_X, unfilled slots index _y[-1]
    n_neighbors = _plain_int(state["n_neighbors"], ctx)
    if n_neighbors is None or not 1 <= n_neighbors <= y.shape[0]:
        shown = describe(state["n_neighbors"])
        return f"n_neighbors {shown} is not an int in 1..{y.shape[0]} (the rows of _fit_X)"
    return None


def fit_x_verdict(state: dict[str, Any], labels: int | None, ctx: Ctx) -> str | None:
    """The brute-force search (``ArgKmin``, ``RadiusNeighbors``: Cython, no checks) reads
    ``_fit_X[j, :X.shape[1]]`` with X checked against ``n_features_in_``, and the class modes
    read ``_y[j]`` for each of its rows j."""
    shape = _shape_of(state.get("_fit_X"), ctx)
    if type(shape) is str:
        return f"_fit_X: {shape}"
    assert type(shape) is tuple
    if len(shape) != 2:
        return f"_fit_X of shape {shape} is not 2-D"
    if labels is not None and shape[0] != labels:
        return f"_y has {labels} labels for {shape[0]} rows of _fit_X"
    nfi = state.get("n_features_in_")
    if type(nfi) is not int or nfi != shape[1]:
        return f"_fit_X has {shape[1]} columns, n_features_in_ is {describe(nfi)}"
    nsf = state.get("n_samples_fit_", shape[0])
    if type(nsf) is not int or nsf != shape[0]:
        return f"n_samples_fit_ {describe(nsf)} is not the {shape[0]} rows of _fit_X"
    return None


def kmeans_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """KMeans / MiniBatchKMeans: the Cython Lloyd / Elkan label loops read
    ``centers[j, f]`` for f below the width of X (checked against ``n_features_in_``)."""
    if "cluster_centers_" not in state:
        return None
    c = _arr(state, "cluster_centers_", ctx)
    if type(c) is str:
        return c
    assert isinstance(c, Arr)
    if len(c.shape) != 2 or c.dtype not in ("<f8", "<f4") or c.shape[0] < 1:
        return f"cluster_centers_ of shape {c.shape} {c.dtype} is not a non-empty 2-D float array"
    nfi = state.get("n_features_in_")
    if type(nfi) is not int or nfi != c.shape[1]:
        return f"cluster_centers_ has {c.shape[1]} columns, n_features_in_ is {describe(nfi)}"
    return None


# --- text and dict features ------------------------------------------------------------------


def _vocabulary(value: Any, ctx: Ctx) -> dict[str | int, int] | str:
    """The dict the pickle loads (later items win, equal keys merge as the loaded dict merges
    them: a numpy str / int scalar key is the Python str / int it equals) with plain int
    values, or a reason."""
    if type(value) is not PDict:
        return f"vocabulary_ {describe(value)} is not a plain dict"
    if len(value.items) > MAX_ELEMS // 64:
        return "vocabulary_ is too large to check"
    out: dict[str | int, int] = {}
    for k, v in value.items:
        key = _key_value(k, ctx)
        if type(key) is not str and type(key) is not int:  # (1, True, 1.0 would merge: not these)
            return f"a vocabulary_ key {describe(k)} is not a str or int (Python or numpy)"
        i = _plain_int(v, ctx)
        if i is None:
            return f"a vocabulary_ value {describe(v)} is not a plain int"
        out[key] = i
    return out


def _vocab_range(vocab: dict[str | int, int]) -> str | None:
    n = len(vocab)
    seen = bytearray(n)
    for k, i in vocab.items():
        if not 0 <= i < n:
            return f"vocabulary_[{describe(k)}] = {i} is out of range 0..{n - 1}"
        if seen[i]:
            return f"vocabulary_ maps two terms to column {i}"
        seen[i] = 1
    return None


def vocab_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """Count/TfidfVectorizer: ``vocabulary_`` maps its terms one-to-one onto the columns
    0..len-1 (what fit and ``_validate_vocabulary`` make); a TfidfVectorizer's idf_ (if
    recorded) has one value a column. Unfitted (no ``vocabulary_``): transform validates the
    ``vocabulary`` parameter itself."""
    if "vocabulary_" not in state:
        return None
    vocab = _vocabulary(state["vocabulary_"], ctx)
    if type(vocab) is str:
        return vocab
    assert type(vocab) is dict
    problem = _vocab_range(vocab)
    if problem:
        return problem
    tf = ctx.state_of(state.get("_tfidf")) if "_tfidf" in state else None
    if tf is not None and "idf_" in tf:
        idf = _named_arr(ctx, tf["idf_"], "_tfidf.idf_")
        if isinstance(idf, str):
            return idf
        if idf.shape != (len(vocab),):
            return f"_tfidf.idf_ of shape {idf.shape} for {len(vocab)} terms"
    return None


def dictvec_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """DictVectorizer: ``vocabulary_`` one-to-one onto 0..len-1 and ``feature_names_`` the
    list of its names in column order. Unfitted (no ``vocabulary_``): transform raises."""
    if "vocabulary_" not in state:
        return None
    vocab = _vocabulary(state["vocabulary_"], ctx)
    if type(vocab) is str:
        return vocab
    assert type(vocab) is dict
    problem = _vocab_range(vocab)
    if problem:
        return problem
    names = state.get("feature_names_")
    if type(names) is not list or len(names) != len(vocab):
        return f"feature_names_ {describe(names)} is not a list of {len(vocab)} names"
    for k, i in vocab.items():
        name = _key_value(names[i], ctx)
        if type(name) is not type(k) or name != k:
            return f"feature_names_[{i}] is not {describe(k)}"
    return None


def _key_value(key: Any, ctx: Ctx) -> str | int | float | bytes | None:
    """The plain Python value a dict key loads as, for the keys a loaded dict compares exactly
    as that value (equal, same hash): a Python str, int (not bool), bytes or float (not NaN), or
    a numpy scalar of them - unicode of any width (UTF-32 of the dtype's byte order, trailing
    NULs dropped as numpy drops them), bytes_ (trailing NULs dropped), int8..int64 /
    uint8..uint64, float16/32/64 (not NaN). None for anything else (bool, complex, long double,
    an undecodable unicode, a NaN: fail closed)."""
    import numpy as np

    t = type(key)
    if t is str or t is int or t is bytes:
        return key  # type: ignore[no-any-return]
    if t is float:
        return None if key != key else key
    sc = ctx.scalar_of(key)
    if sc is None:
        return None
    dstr, raw = sc
    order, kind, size = dstr[0], dstr[1], int(dstr[2:])
    if order not in ("<", ">", "|") or len(raw) != size:
        return None
    if kind in ("i", "u") and size in (1, 2, 4, 8):
        return int.from_bytes(raw, "big" if order == ">" else "little", signed=kind == "i")
    if kind == "U" and size % 4 == 0:
        try:
            text = raw.decode("utf-32-be" if order == ">" else "utf-32-le")
        except UnicodeDecodeError:
            return None
        return text.rstrip("\x00")
    if kind == "S":
        return raw.rstrip(b"\x00")
    if kind == "f" and size in (2, 4, 8) and order != "|":
        f = float(np.frombuffer(raw, dtype=dstr, count=1)[0])
        return None if f != f else f
    return None


def mlb_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """MultiLabelBinarizer: transform builds a CSR matrix of ``len(_cached_dict)`` columns from
    the cache's values (unchecked; ``toarray`` writes through them). The cache (built on first
    transform, so saved by honest models) must map its keys one-to-one onto 0..len-1, no two
    keys equal as the loaded dict sees them (a numpy scalar key is the Python value it equals:
    np.str_('a') == 'a', np.int64(1) == 1 == 1.0); None is rebuilt from classes_."""
    cache = state.get("_cached_dict")
    if cache is None:
        return None
    if type(cache) is not PDict:
        return f"_cached_dict {describe(cache)} is not a plain dict"
    if len(cache.items) > MAX_ELEMS // 64:
        return "_cached_dict is too large to check"
    n = len(cache.items)
    keys: set[str | int | float | bytes] = set()
    seen = bytearray(n)
    for k, v in cache.items:
        key = _key_value(k, ctx)
        if key is None:
            return f"a _cached_dict key {describe(k)} is not a str, bytes, int or float (not NaN)"
        keys.add(key)
        i = _plain_int(v, ctx)
        if i is None or not 0 <= i < n or seen[i]:
            return f"_cached_dict value {describe(v)} is not a distinct column in 0..{n - 1}"
        seen[i] = 1
    if len(keys) != n:
        return "_cached_dict keys repeat (equal keys merge: the loaded dict is shorter)"
    return None


def _sorted_numeric(arr: Arr, what: str) -> str | None:
    """``np.searchsorted`` finds a known value inside a sorted array only (NaN last)."""
    import numpy as np

    if arr.dtype[1:2] not in ("i", "u", "f", "b") or len(arr.shape) != 1 or arr.raw is None:
        return f"{what} of shape {arr.shape} {arr.dtype} is not a 1-D array held in the pickle"
    if arr.shape[0] > MAX_ELEMS // 8:
        return f"{what} is too large to check"
    size = int(arr.dtype[2:])
    data = arr.raw()
    if len(data) < size * arr.shape[0]:
        return f"{what} bytes are short"
    v = np.frombuffer(data, dtype=arr.dtype, count=arr.shape[0])
    if v.dtype.kind == "f":
        nan = np.isnan(v)
        n_ok = len(v) - int(nan.sum())
        if bool(nan[:n_ok].any()):
            return f"{what} holds a NaN before its last values"
        v = v[:n_ok]
    if len(v) > 1 and not bool(np.all(v[1:] >= v[:-1])):
        return f"{what} is not sorted (transform's searchsorted may land past it)"
    return None


def onehot_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """OneHotEncoder: transform encodes column i as X_int in 0..len(categories_[i])-1 (object
    and string categories by a dict, numeric ones by ``searchsorted``: sorted, as fit makes
    them), maps infrequent categories through ``_default_to_infrequent_mappings[i]`` (numpy
    take), drops ``_drop_idx_after_grouping[i]`` (values above it move down one), then builds a
    CSR matrix at column offsets ``cumsum(_n_features_outs)`` (unchecked; ``toarray`` writes
    through it). Proven: each ``_n_features_outs[i]`` equals the codes column i can produce
    (the largest code + 1, less one when a category is dropped), a dropped code inside them."""
    if "categories_" not in state:
        return None
    cats = state["categories_"]
    outs = state.get("_n_features_outs")
    if type(cats) is not list or type(outs) is not list or len(outs) != len(cats):
        return f"categories_ / _n_features_outs {describe(outs)} are not lists of one length"
    infrequent = state.get("_infrequent_enabled")
    if type(infrequent) is not bool:
        return f"_infrequent_enabled {describe(infrequent)} is not a bool"
    maps = state.get("_default_to_infrequent_mappings") if infrequent else None
    if infrequent and (type(maps) is not list or len(maps) != len(cats)):
        return "_default_to_infrequent_mappings is not a list, one per feature"
    drops: list[Any] = [None] * len(cats)
    if state.get("_drop_idx_after_grouping") is not None:
        da = _named_arr(ctx, state["_drop_idx_after_grouping"], "_drop_idx_after_grouping")
        if isinstance(da, str):
            return da
        if da.shape != (len(cats),) or da.raw is None:
            return "_drop_idx_after_grouping is not one value per feature"
        if da.dtype == "|O8":
            drops = list(da.raw())
        else:
            vals = int_values(da, "_drop_idx_after_grouping")
            if type(vals) is str:
                return vals
            drops = [int(x) for x in vals]
    for i, c in enumerate(cats):
        ca = _named_arr(ctx, c, f"categories_[{i}]")
        if isinstance(ca, str):
            return ca
        if len(ca.shape) != 1:
            return f"categories_[{i}] is {len(ca.shape)}-D"
        if ca.dtype[1:2] not in ("O", "U", "S"):
            problem = _sorted_numeric(ca, f"categories_[{i}]")
            if problem:
                return problem
        codes = ca.shape[0]
        if maps is not None and maps[i] is not None:
            ma = _named_arr(ctx, maps[i], f"_default_to_infrequent_mappings[{i}]")
            if isinstance(ma, str):
                return ma
            mv = int_values(ma, f"_default_to_infrequent_mappings[{i}]")
            if type(mv) is str:
                return mv
            if len(mv) == 0 or int(mv.min()) < 0:
                return f"_default_to_infrequent_mappings[{i}] is empty or negative"
            codes = int(mv.max()) + 1
        drop = drops[i]
        if drop is not None:
            d = _plain_int(drop, ctx)
            if d is None or not 0 <= d < codes:
                return f"_drop_idx_after_grouping[{i}] {describe(drop)} is not in 0..{codes - 1}"
            codes -= 1
        n = _plain_int(outs[i], ctx)
        if n != codes:
            return f"_n_features_outs[{i}] {describe(outs[i])} is not the {codes} codes it makes"
    return None


def hasher_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """HashingVectorizer / FeatureHasher: the Cython hashing takes ``abs(h) % n_features``
    (0 is a division by zero); transform does not validate it."""
    n = _plain_int(state.get("n_features"), ctx)
    if n is None or not 1 <= n <= INT32_MAX:
        return f"n_features {describe(state.get('n_features'))} is not an int in 1..{INT32_MAX}"
    return None


# --- scipy splines ---------------------------------------------------------------------------


def _pairs(state: dict[str, Any], names: tuple[str, str]) -> list[tuple[Any, Any]] | str:
    """(knots/breakpoints, coefficients) under the private names scipy >= 1.15 keeps and the
    plain ones older scipy keeps: every pair present is proven, at least one must be."""
    out = []
    for a, b in ((f"_{names[0]}", f"_{names[1]}"), names):
        if a in state or b in state:
            if a not in state or b not in state:
                return f"{a} without {b} (or the reverse)"
            out.append((state[a], state[b]))
    if not out:
        return f"no {names[0]} / {names[1]} arrays"
    return out


def _float_values(arr: Arr, what: str) -> Any:
    import numpy as np

    if len(arr.shape) != 1 or arr.dtype != "<f8":
        return f"{what} of shape {arr.shape} {arr.dtype} is not 1-D float64"
    if arr.raw is None:
        return f"{what} bytes are not in the pickle"
    if arr.shape[0] > MAX_ELEMS:
        return f"{what} is too large to check"
    data = arr.raw()
    if len(data) < 8 * arr.shape[0]:
        return f"{what} bytes are short"
    return np.frombuffer(data, dtype="<f8", count=arr.shape[0])


def _axis(state: dict[str, Any], bound: int) -> str | None:
    axis = state.get("axis", 0)
    if type(axis) is not int or not 0 <= axis < bound:
        return f"axis {describe(axis)} is not in 0..{bound - 1}"
    return None


def bspline_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """BSpline: what its constructor checks - k an int >= 0, t 1-D float64 non-decreasing with
    n = len(t) - k - 1 >= k + 1 and finite t[k..n], c float64/complex128 with c.shape[0] >= n,
    axis inside c."""
    import numpy as np

    k = state.get("k")
    if type(k) is not int or k < 0:
        return f"degree k {describe(k)} is not an int >= 0"
    pairs = _pairs(state, ("t", "c"))
    if type(pairs) is str:
        return pairs
    assert type(pairs) is list
    for tv, cv in pairs:
        ta = _named_arr(ctx, tv, "t")
        if isinstance(ta, str):
            return ta
        t = _float_values(ta, "t")
        if type(t) is str:
            return t
        n = len(t) - k - 1
        if n < k + 1:
            return f"{len(t)} knots for degree {k} (at least {2 * k + 2} needed)"
        if bool(np.any(t[1:] < t[:-1])) or not bool(np.all(np.isfinite(t[k : n + 1]))):
            return "knots are not finite and non-decreasing"
        ca = _named_arr(ctx, cv, "c")
        if isinstance(ca, str):
            return ca
        if ca.dtype not in ("<f8", "<c16") or len(ca.shape) < 1:
            return f"c of shape {ca.shape} {ca.dtype} is not a float64/complex128 array"
        if ca.shape[0] < n:
            return f"c has {ca.shape[0]} coefficients for {n} basis functions"
        problem = _axis(state, len(ca.shape))
        if problem:
            return problem
    return None


def ppoly_verdict(state: dict[str, Any], ctx: Ctx) -> str | None:
    """PPoly / CubicSpline: what ``_PPolyBase`` checks - x 1-D float64 of >= 2 monotonic
    breakpoints, c float64/complex128 of >= 2 dims with c.shape[1] == len(x) - 1 (the
    evaluator reads c[:, interval]), axis in 0..c.ndim - 2."""
    import numpy as np

    pairs = _pairs(state, ("x", "c"))
    if type(pairs) is str:
        return pairs
    assert type(pairs) is list
    for xv, cv in pairs:
        xa = _named_arr(ctx, xv, "x")
        if isinstance(xa, str):
            return xa
        x = _float_values(xa, "x")
        if type(x) is str:
            return x
        if len(x) < 2:
            return "fewer than 2 breakpoints"
        dx = np.diff(x)
        if not (bool(np.all(dx >= 0)) or bool(np.all(dx <= 0))):
            return "breakpoints are not monotonic"
        ca = _named_arr(ctx, cv, "c")
        if isinstance(ca, str):
            return ca
        if ca.dtype not in ("<f8", "<c16") or len(ca.shape) < 2:
            return f"c of shape {ca.shape} {ca.dtype} is not a 2-D+ float64/complex128 array"
        if ca.shape[1] != len(x) - 1:
            return f"c has {ca.shape[1]} intervals for {len(x)} breakpoints"
        problem = _axis(state, len(ca.shape) - 1)
        if problem:
            return problem
    return None
