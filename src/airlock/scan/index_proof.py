"""Proof that scipy sparse matrices and KD/Ball trees a pickle rebuilds index in range.

These objects trust their own index arrays: scipy's sparse kernels (``sparsetools``) and the
Cython query loops of ``cKDTree`` / scikit-learn's ``KDTree``/``BallTree`` read and write through
them without bounds checks, and a pickle sets them without the checks the constructors make
(``__dict__`` update, ``__setstate__``). An out-of-range index loads fine and crashes (or writes
out of bounds) at the first ``toarray()`` / ``@`` / ``query()``.

The pickle machine records each such object (class, state) and each numpy array whose bytes it
can see (:class:`Arr`); the verdicts here prove, from those bytes, what the kernels trust. Pure:
arrays in, reason out (None = proven). Anything not shown plainly is a reason (fail closed).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

RULE = "AIR-PKL-017"
MAX_CLAIMS = 10_000  # objects proven per analysis; more -> not proven
MAX_ELEMS = 1 << 31  # index elements read per array; more -> not proven
CHUNK = 1 << 22

# compiled by ``re`` on first use (most scans meet no sparse container)
_SPARSE_RX = r"scipy\.sparse\.(?:_?\w+\.)*(csr|csc|bsr|coo|dia|lil|dok)_(matrix|array)"
SK_TREES = frozenset(
    f"sklearn.neighbors._{m}.{c}{s}"
    for m, c in (("kd_tree", "KDTree"), ("ball_tree", "BallTree"))
    for s in ("", "64", "32")
)
SK_NEWOBJ = frozenset({"sklearn.neighbors._kd_tree.newObj", "sklearn.neighbors._ball_tree.newObj"})
CKDTREES = frozenset({"scipy.spatial._ckdtree.cKDTree", "scipy.spatial._kdtree.KDTree"})
RECONSTRUCT = frozenset(
    {"numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"}
)
FROMBUFFER = frozenset({"numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer"})
NDARRAY = frozenset({"numpy.ndarray"})
# dok is not among them: every dok conversion goes through coo's checked constructor
_FORMATS = ("csr", "csc", "bsr", "coo", "dia", "lil")
# scikit-learn decision trees: the Cython Tree, and the estimators whose n_features_in_ check
# is what keeps X as wide as the tree's features (proof at the end of this module)
SK_DTREE = "sklearn.tree._tree.Tree"
DT_OWNERS = frozenset(
    f"sklearn.tree._classes.{k}{c}"
    for k in ("DecisionTree", "ExtraTree")
    for c in ("Classifier", "Regressor")
) | frozenset(
    # scikit-survival's trees (not sklearn subclasses) validate X against n_features_in_
    # (validate_data / _check_n_features, reset=False) before every tree_ use, as sklearn's
    f"sksurv.tree.tree.{k}SurvivalTree"
    for k in ("", "Extra")
)
GB_OWNERS = frozenset(
    f"sklearn.ensemble._gb.GradientBoosting{c}" for c in ("Classifier", "Regressor")
)
# what a GradientBoosting model's init step predicts with: its state is kept so that the
# stages' columns can be bounded by the width of the init predictions (gb_columns_verdict)
DUMMY_CLF, DUMMY_REG = "sklearn.dummy.DummyClassifier", "sklearn.dummy.DummyRegressor"
MULTINOMIAL = "sklearn._loss.loss.HalfMultinomialLoss"
# linear regressors whose predict is X @ coef_(.T) + intercept_: one row per row of X
LINEAR_INIT = frozenset(
    {"sklearn.linear_model._ridge.Ridge", "sklearn.linear_model._base.LinearRegression"}
)
GB_INIT = frozenset({DUMMY_CLF, DUMMY_REG, MULTINOMIAL}) | LINEAR_INIT
DTREE_CLASSES = frozenset({SK_DTREE}) | DT_OWNERS | GB_OWNERS | GB_INIT
# scikit-learn HistGradientBoosting*: TreePredictors (plain classes whose compiled predict
# trusts their node array), the estimators that hold them and the bin mapper whose
# is_categorical_ sizes the known-categories bitsets (proof at the end of this module)
_HGB = "sklearn.ensemble._hist_gradient_boosting."
SK_TPRED = _HGB + "predictor.TreePredictor"
HGB_OWNERS = frozenset(
    f"{_HGB}gradient_boosting.HistGradientBoosting{c}" for c in ("Classifier", "Regressor")
)
HGB_BINMAPPER = _HGB + "binning._BinMapper"
HGB_CLASSES = frozenset({SK_TPRED, HGB_BINMAPPER}) | HGB_OWNERS
# scikit-learn / scipy objects whose compiled code trusts their fitted fields: libsvm models,
# neighbours' class modes, text/dict featurisers, splines (airlock.scan.estimator_proof)
_SVM = "sklearn.svm._classes."
#: libsvm estimators -> their ``_impl`` (class attribute; a state may override it)
SVM_IMPL = {
    _SVM + "SVC": "c_svc",
    _SVM + "NuSVC": "nu_svc",
    _SVM + "OneClassSVM": "one_class",
    _SVM + "SVR": "epsilon_svr",
    _SVM + "NuSVR": "nu_svr",
}
_NB = "sklearn.neighbors._classification."
NEIGHBOURS = frozenset({_NB + "KNeighborsClassifier", _NB + "RadiusNeighborsClassifier"})
# other neighbours whose brute-force search reads _fit_X rows as wide as the checked X
NEIGHBOURS_X = frozenset(
    {
        "sklearn.neighbors._regression.KNeighborsRegressor",
        "sklearn.neighbors._regression.RadiusNeighborsRegressor",
        "sklearn.neighbors._unsupervised.NearestNeighbors",
        "sklearn.neighbors._graph.KNeighborsTransformer",
        "sklearn.neighbors._graph.RadiusNeighborsTransformer",
        "sklearn.neighbors._lof.LocalOutlierFactor",
    }
)
MLB = "sklearn.preprocessing._label.MultiLabelBinarizer"
ONEHOT = "sklearn.preprocessing._encoders.OneHotEncoder"
KMEANS = frozenset({"sklearn.cluster._kmeans.KMeans", "sklearn.cluster._kmeans.MiniBatchKMeans"})
_FE = "sklearn.feature_extraction."
VOCAB = frozenset({_FE + "text.CountVectorizer", _FE + "text.TfidfVectorizer"})
DICTVEC = _FE + "_dict_vectorizer.DictVectorizer"
HASHERS = frozenset({_FE + "text.HashingVectorizer", _FE + "_hash.FeatureHasher"})
TFIDF_T = _FE + "text.TfidfTransformer"
BSPLINE = "scipy.interpolate._bsplines.BSpline"
PPOLY = frozenset(
    {
        "scipy.interpolate._cubic.CubicSpline",
        "scipy.interpolate._cubic.CubicHermiteSpline",
        "scipy.interpolate._cubic.PchipInterpolator",
        "scipy.interpolate._cubic.Akima1DInterpolator",
        "scipy.interpolate._interpolate.PPoly",
    }
)
# boosters whose __setstate__ hands model text / bytes to a native parser (proven by
# airlock.scan.lightgbm_proof / xgboost_proof through estimator_proof)
LGB_BOOSTER = "lightgbm.basic.Booster"
XGB_BOOSTER = "xgboost.core.Booster"
BOOSTERS = frozenset({LGB_BOOSTER, XGB_BOOSTER})
#: fitted estimators and splines proven by airlock.scan.estimator_proof, by family
EST_FAMILY: dict[str, str] = {
    **dict.fromkeys(SVM_IMPL, "svm"),
    **dict.fromkeys(NEIGHBOURS, "knn"),
    **dict.fromkeys(NEIGHBOURS_X, "knn_x"),
    **dict.fromkeys(KMEANS, "kmeans"),
    MLB: "mlb",
    ONEHOT: "onehot",
    **dict.fromkeys(VOCAB, "vocab"),
    DICTVEC: "dictvec",
    **dict.fromkeys(HASHERS, "hasher"),
    TFIDF_T: "tfidf_t",
    BSPLINE: "bspline",
    **dict.fromkeys(PPOLY, "ppoly"),
    LGB_BOOSTER: "lgb",
    XGB_BOOSTER: "xgb",
}
#: names whose calls the pickle machine follows (the allowlist names no others of these)
TRACKED = (
    frozenset(f"scipy.sparse._{f}.{f}_{k}" for f in _FORMATS for k in ("matrix", "array"))
    | frozenset(f"scipy.sparse._arrays.{f}_array" for f in _FORMATS)
    | frozenset(f"scipy.sparse.{f}.{f}_matrix" for f in _FORMATS)
    | SK_TREES
    | CKDTREES
    | DTREE_CLASSES
    | HGB_CLASSES
    | frozenset(EST_FAMILY)
)


def sparse_format(name: Any) -> str | None:
    """'csr', 'coo'... for a scipy sparse container class name, else None."""
    if type(name) is not str or not name.startswith("scipy.sparse."):
        return None
    m = re.fullmatch(_SPARSE_RX, name)
    return m.group(1) if m else None


def tracked(name: Any) -> bool:
    """Classes whose instances are judged here when the pickle builds them."""
    return sparse_format(name) is not None or name in TRACKED


def kind_of(cls: str) -> tuple[Any, ...]:
    """How a tracked class is proven: ('sparse', fmt), ('ck',), ('sk', is_kd), ('tree',),
    ('hgbtree',), ('owner', 'dt' | 'gb' | 'init' | 'hgb' | 'bm'), ('est', family)."""
    fmt = sparse_format(cls)
    if fmt:
        return ("sparse", fmt)
    if cls in CKDTREES:
        return ("ck",)
    if cls == SK_DTREE:
        return ("tree",)
    if cls in DT_OWNERS:
        return ("owner", "dt")
    if cls in GB_OWNERS:
        return ("owner", "gb")
    if cls in GB_INIT:
        return ("owner", "init")
    if cls == SK_TPRED:
        return ("hgbtree",)
    if cls in HGB_OWNERS:
        return ("owner", "hgb")
    if cls == HGB_BINMAPPER:
        return ("owner", "bm")
    if cls in EST_FAMILY:
        return ("est", EST_FAMILY[cls])
    return ("sk", "_kd_" in cls)


class Arr:
    """A numpy array as the pickle rebuilds it: shape, dtype string ('<i8', '|V32'...) and a
    function returning its bytes in memory order (None when the bytes are not in the pickle).
    A plain class: a NamedTuple compiles source at import, and every scan imports this."""

    __slots__ = ("dtype", "fields", "fortran", "raw", "shape")

    def __init__(
        self,
        shape: tuple[int, ...],
        dtype: str,
        raw: Callable[[], Any] | None,
        fields: Callable[[], tuple[tuple[str, str, int], ...] | None] | None = None,
        fortran: bool = False,
    ) -> None:
        self.shape = shape
        self.fortran = fortran  # bytes in column-major order (matters for 2-D reads only)
        self.dtype = dtype
        self.raw = raw
        # (name, dtype str, offset) of a structured dtype's fields, worked out on demand
        self.fields = fields


ArrOf = Callable[[Any], "Arr | str"]

_NATIVE = "<" if sys.byteorder == "little" else ">"


def int_values(arr: Arr, what: str) -> Any:
    """The values of a 1-D int32/int64 array as numpy, or the reason they are not available."""
    import numpy as np

    if len(arr.shape) != 1:
        return f"{what} is {len(arr.shape)}-D, not 1-D"
    if arr.dtype not in ("<i4", "<i8", ">i4", ">i8"):
        return f"{what} has dtype {arr.dtype}, not int32/int64"
    if arr.raw is None:
        return f"{what} bytes are not in the pickle"
    if arr.shape[0] > MAX_ELEMS:
        return f"{what} of {arr.shape[0]} elements is too large to check"
    data = arr.raw()
    need = arr.shape[0] * int(arr.dtype[2])
    if len(data) < need:
        return f"{what} holds {len(data)} bytes, {need} needed"
    return np.frombuffer(data, dtype=arr.dtype, count=arr.shape[0])


def _in_range(values: Any, bound: int, what: str) -> str | None:
    if len(values) == 0:
        return None
    lo, hi = int(values.min()), int(values.max())
    if lo < 0 or hi >= bound:
        return f"{what} value {lo if lo < 0 else hi} out of range 0..{bound - 1}"
    return None


def _shape(state: dict[str, Any], ndims: tuple[int, ...]) -> tuple[int, ...] | str:
    shape = state.get("_shape")
    if type(shape) is not tuple or len(shape) not in ndims:
        return f"_shape {shape!r:.40} is not a tuple of {ndims} ints"
    if not all(type(d) is int and 0 <= d < 1 << 62 for d in shape):
        return f"_shape {shape!r:.60} holds a value that is not a non-negative int"
    return shape


# keys scipy's containers keep in __dict__ (a pickle sets exactly these); others (a ``format``
# or method shadowing the class's) are not proven
_COMMON = frozenset({"_shape", "maxprint", "dtype"})
KEYS = {
    "csr": _COMMON | {"data", "indices", "indptr", "_has_sorted_indices", "_has_canonical_format"},
    "coo": _COMMON | {"data", "coords", "row", "col", "has_canonical_format"},
    "dia": _COMMON | {"data", "offsets"},
}
KEYS["csc"] = KEYS["bsr"] = KEYS["csr"]
KEYS["lil"] = _COMMON | {"rows", "data"}


def sparse_verdict(fmt: str, state: dict[str, Any], arr_of: ArrOf) -> str | None:
    """None when the sparse container's index arrays are proven in range for its shape."""
    extra = sorted(k for k in state if k not in KEYS.get(fmt, ()))
    if fmt not in KEYS:
        return f"{fmt} containers are not proven"
    if extra:
        return f"state key {extra[0]!r:.40} is not one scipy writes"
    if fmt == "lil":
        return _lil(state, arr_of)
    arrays: dict[str, Arr] = {}
    for key in ("data", "indices", "indptr", "row", "col", "offsets"):
        if key in state:
            a = arr_of(state[key])
            if type(a) is str:
                return f"{key}: {a}"
            assert isinstance(a, Arr)
            arrays[key] = a
    if "data" not in arrays:
        return "no data array"
    if fmt == "coo":
        return _coo(state, arrays, arr_of)
    if fmt == "dia":
        return _dia(state, arrays)
    return _compressed(fmt, state, arrays)


def _compressed(fmt: str, state: dict[str, Any], arrays: dict[str, Arr]) -> str | None:
    shape = _shape(state, (1, 2) if fmt != "bsr" else (2,))
    if type(shape) is str:
        return shape
    assert type(shape) is tuple
    if "indices" not in arrays or "indptr" not in arrays:
        return "indices or indptr missing"
    data = arrays["data"]
    if len(shape) == 1:  # scipy >= 1.15 1-D csr arrays: one row
        major, minor = 1, shape[0]
    else:
        major, minor = (shape[1], shape[0]) if fmt == "csc" else shape
    if fmt == "bsr":
        if len(data.shape) != 3:
            return f"bsr data is {len(data.shape)}-D, not 3-D"
        r, c = data.shape[1], data.shape[2]
        if r < 1 or c < 1 or major % r or minor % c:
            return f"blocksize {(r, c)} does not divide shape {shape}"
        major, minor = major // r, minor // c
    elif len(data.shape) != 1:
        return f"data is {len(data.shape)}-D, not 1-D"
    indptr = int_values(arrays["indptr"], "indptr")
    if type(indptr) is str:
        return indptr
    indices = int_values(arrays["indices"], "indices")
    if type(indices) is str:
        return indices
    if len(indptr) != major + 1:
        return f"indptr has {len(indptr)} entries for {major} rows"
    import numpy as np

    if int(indptr[0]) != 0:
        return f"indptr starts at {int(indptr[0])}, not 0"
    if major and not bool(np.all(indptr[1:] >= indptr[:-1])):
        return "indptr decreases"
    nnz = int(indptr[-1])
    if nnz > len(indices) or nnz > data.shape[0]:
        return f"indptr ends at {nnz}, past {len(indices)} indices / {data.shape[0]} values"
    problem = _in_range(indices, minor, "indices")
    if problem:
        return problem
    sorted_flag = state.get("_has_sorted_indices")
    canonical = state.get("_has_canonical_format")
    if sorted_flag or canonical:
        d = np.diff(indices[:nnz].astype(np.int64))
        ok = d > 0 if canonical else d >= 0
        starts = indptr[1:-1]
        starts = starts[(starts > 0) & (starts < nnz)] - 1  # a row's first vs previous last
        ok[starts] = True
        if not bool(np.all(ok)):
            return "indices claimed sorted/canonical are not"
    return None


def _coo(state: dict[str, Any], arrays: dict[str, Arr], arr_of: ArrOf) -> str | None:
    shape = _shape(state, tuple(range(1, 65)))
    if type(shape) is str:
        return shape
    assert type(shape) is tuple
    coords: list[Arr] = []
    if "coords" in state:
        if "row" in state or "col" in state:
            return "both coords and row/col"
        cs = state["coords"]
        if type(cs) is not tuple:
            return "coords is not a tuple"
        for c in cs:
            a = arr_of(c)
            if type(a) is str:
                return f"coords: {a}"
            assert isinstance(a, Arr)
            coords.append(a)
    elif "row" in arrays and "col" in arrays:
        coords = [arrays["row"], arrays["col"]]
    else:
        return "no coords or row/col"
    if len(coords) != len(shape):
        return f"{len(coords)} coordinate arrays for a {len(shape)}-D shape"
    data = arrays["data"]
    if len(data.shape) != 1:
        return f"data is {len(data.shape)}-D, not 1-D"
    for i, (c, bound) in enumerate(zip(coords, shape, strict=True)):
        vals = int_values(c, f"coords[{i}]")
        if type(vals) is str:
            return vals
        if len(vals) != data.shape[0]:
            return f"coords[{i}] has {len(vals)} entries for {data.shape[0]} values"
        problem = _in_range(vals, bound, f"coords[{i}]")
        if problem:
            return problem
    return None


def _lil(state: dict[str, Any], arr_of: ArrOf) -> str | None:
    """lil rows/data: object arrays of per-row lists. ``tocsr`` sizes its arrays from the rows'
    lengths, copies each data list into them (a longer one writes past the end) and keeps the
    column numbers unchecked."""
    shape = _shape(state, (2,))
    if type(shape) is str:
        return shape
    assert type(shape) is tuple
    lists = []
    for key in ("rows", "data"):
        a = arr_of(state.get(key))
        if type(a) is str:
            return f"{key}: {a}"
        assert isinstance(a, Arr)
        if a.dtype != "|O8" or a.shape != (shape[0],) or a.raw is None:
            return f"{key} is not an object array of {shape[0]} lists held in the pickle"
        lists.append(a.raw())
    n = shape[1]
    for r, d in zip(lists[0], lists[1], strict=True):
        if type(r) is not list or type(d) is not list or len(r) != len(d):
            return "a row's columns and values are not lists of one length"
        if not all(type(c) is int and 0 <= c < n for c in r):
            return f"a column number is not an int in 0..{n - 1}"
    return None


def _dia(state: dict[str, Any], arrays: dict[str, Arr]) -> str | None:
    shape = _shape(state, (2,))
    if type(shape) is str:
        return shape
    assert type(shape) is tuple
    if "offsets" not in arrays:
        return "no offsets"
    data = arrays["data"]
    if len(data.shape) != 2:
        return f"dia data is {len(data.shape)}-D, not 2-D"
    offsets = int_values(arrays["offsets"], "offsets")
    if type(offsets) is str:
        return offsets
    if len(offsets) != data.shape[0]:
        return f"{len(offsets)} offsets for {data.shape[0]} stored diagonals"
    # the kernels clip each diagonal to the matrix and to L; bound |k| so that n + k cannot
    # overflow the index type
    limit = max(shape) + 1
    if len(offsets) and (int(offsets.min()) < -limit or int(offsets.max()) > limit):
        return "an offset lies beyond the matrix"
    if max(shape) + limit >= (1 << 31 if offsets.dtype.itemsize == 4 else 1 << 62):
        return "shape too large for the offsets' integer type"
    return None


# --- search trees -----------------------------------------------------------------------------


def sk_tree_verdict(kd: bool, state: Any, arr_of: ArrOf) -> str | None:
    """scikit-learn ``BinaryTree.__setstate__`` state: (data, idx_array, node_data, node_bounds,
    leaf_size, n_levels, n_nodes, n_trims, n_leaves, n_splits, n_calls, dist_metric,
    sample_weight). The query loops read node_data[i] (children 2i+1, 2i+2 of non-leaves),
    idx_array[idx_start:idx_end], data[idx_array[j]] and node_bounds[:, i, :] unchecked."""
    import numpy as np

    if type(state) is not tuple or len(state) not in (12, 13):
        return "state is not the 12/13-item tuple scikit-learn writes"
    arrs: list[Arr] = []
    for i, what in enumerate(("data", "idx_array", "node_data", "node_bounds")):
        a = arr_of(state[i])
        if type(a) is str:
            return f"{what}: {a}"
        assert isinstance(a, Arr)
        arrs.append(a)
    data, idx, nodes, bounds = arrs
    n_nodes = state[6]
    if type(n_nodes) is not int:
        return "n_nodes is not an int"
    if len(data.shape) != 2:
        return "data is not 2-D"
    n, d = data.shape
    idx_vals = int_values(idx, "idx_array")
    if type(idx_vals) is str:
        return idx_vals
    problem = _in_range(idx_vals, n, "idx_array")
    if problem:
        return problem
    if len(nodes.shape) != 1 or nodes.shape[0] != n_nodes or n_nodes < 1:
        return f"node_data of shape {nodes.shape} for n_nodes {n_nodes}"
    if nodes.dtype != "|V32" or nodes.raw is None or n_nodes > MAX_ELEMS // 4:
        return "node_data is not 32-byte records held in the pickle"
    if len(bounds.shape) != 3 or bounds.shape[0] != (2 if kd else 1):
        return f"node_bounds of shape {bounds.shape}"
    if bounds.shape[1] != n_nodes or bounds.shape[2] != d:
        return f"node_bounds of shape {bounds.shape} for {n_nodes} nodes of {d} features"
    if len(state) == 13 and state[12] is not None:
        sw = arr_of(state[12])
        if type(sw) is str:
            return f"sample_weight: {sw}"
        assert isinstance(sw, Arr)
        if sw.shape != (n,):
            return f"sample_weight of shape {sw.shape} for {n} samples"
    raw = nodes.raw()
    if len(raw) < 32 * n_nodes:
        return "node_data bytes are short"
    # NodeData_t as Cython reads it (positionally): idx_start, idx_end, is_leaf (intp), radius
    rec = np.frombuffer(raw, dtype="<i8", count=4 * n_nodes).reshape(n_nodes, 4)
    start, end, leaf = rec[:, 0], rec[:, 1], rec[:, 2]
    if int(start.min()) < 0 or bool(np.any(end < start)) or int(end.max()) > len(idx_vals):
        return "a node's idx_start/idx_end lies outside idx_array"
    inner = np.nonzero(leaf == 0)[0]
    if len(inner) and 2 * int(inner.max()) + 2 >= n_nodes:
        return "a non-leaf node's children lie past n_nodes"
    return None


_CK_NODE = 72  # sizeof(ckdtreenode): split_dim, children, split, start_idx, end_idx, less,
# greater (pointers, rebuilt), _less, _greater


def ckdtree_verdict(state: Any, arr_of: ArrOf) -> str | None:
    """scipy ``cKDTree.__setstate__`` state: (tree bytes, data, n, m, leafsize, maxes, mins,
    indices, boxsize, boxsize_data). It copies ``tree.size`` bytes into a buffer of
    ``tree.size // 72`` nodes, points at data/maxes/mins/indices as float64/intp without checks
    and follows each node's _less/_greater and start_idx..end_idx."""
    import numpy as np

    if type(state) is not tuple or len(state) != 10:
        return "state is not the 10-item tuple scipy writes"
    tree, n, m = arr_of(state[0]), state[2], state[3]
    if type(tree) is str:
        return f"tree: {tree}"
    assert isinstance(tree, Arr)
    if type(n) is not int or type(m) is not int or n < 1 or m < 1:
        return "n or m is not a positive int"
    arrs: dict[str, Arr] = {}
    for i, what in ((1, "data"), (5, "maxes"), (6, "mins"), (7, "indices")):
        a = arr_of(state[i])
        if type(a) is str:
            return f"{what}: {a}"
        assert isinstance(a, Arr)
        arrs[what] = a
    if arrs["data"].shape != (n, m) or arrs["data"].dtype != "<f8":
        return f"data {arrs['data'].shape} {arrs['data'].dtype} is not float64 ({n}, {m})"
    for what in ("maxes", "mins"):
        if arrs[what].shape != (m,) or arrs[what].dtype != "<f8":
            return f"{what} is not float64 of length {m}"
    if state[9] is not None:
        bd = arr_of(state[9])
        if type(bd) is str or not isinstance(bd, Arr) or bd.dtype != "<f8" or bd.shape != (2 * m,):
            return "boxsize_data is not float64 of length 2 m"
    idx = int_values(arrs["indices"], "indices")
    if type(idx) is str:
        return idx
    if idx.dtype.str != "<i8" or len(idx) != n:
        return "indices are not intp of length n"
    problem = _in_range(idx, n, "indices")
    if problem:
        return problem
    if len(tree.shape) != 1 or tree.dtype not in ("|S1", "|u1", "|i1") or tree.raw is None:
        return f"tree buffer {tree.shape} {tree.dtype} is not bytes held in the pickle"
    size = tree.shape[0]
    if size == 0 or size % _CK_NODE or size // _CK_NODE > MAX_ELEMS // 9:
        return f"tree buffer of {size} bytes is not whole nodes"
    count = size // _CK_NODE
    raw = tree.raw()
    if len(raw) < size:
        return "tree bytes are short"
    rec = np.frombuffer(raw, dtype="<i8", count=9 * count).reshape(count, 9)
    split_dim, start, end, less, greater = rec[:, 0], rec[:, 3], rec[:, 4], rec[:, 7], rec[:, 8]
    if int(start.min()) < 0 or bool(np.any(end < start)) or int(end.max()) > n:
        return "a node's start_idx/end_idx lies outside indices"
    inner = split_dim != -1
    if bool(np.any(split_dim[inner] < 0)) or bool(np.any(split_dim[inner] >= m)):
        return "a node's split_dim is out of range"
    node_no = np.arange(count)
    # children come after their parent (scipy builds depth-first): no cycles, all in range
    for child in (less, greater):
        c = child[inner]
        if bool(np.any(c <= node_no[inner])) or bool(np.any(c >= count)):
            return "a node's child index is out of range or not after it"
    return None


# --- scikit-learn decision trees --------------------------------------------------------------

_I8, _F8 = "<i8", "<f8"
#: sklearn.tree._tree.NODE_DTYPE on 64-bit little-endian (missing_go_to_left since 1.3)
NODE_FIELDS = (
    ("left_child", _I8, 0),
    ("right_child", _I8, 8),
    ("feature", _I8, 16),
    ("threshold", _F8, 24),
    ("impurity", _F8, 32),
    ("n_node_samples", _I8, 40),
    ("weighted_n_node_samples", _F8, 48),
)
_NODE_LAYOUTS = {
    "|V64": (*NODE_FIELDS, ("missing_go_to_left", "|u1", 56)),
    "|V56": NODE_FIELDS,  # scikit-learn < 1.3
}
TREE_LEAF = -1


def _int(v: Any, lo: int, what: str) -> int | str:
    if type(v) is not int or not lo <= v < 1 << 62:
        return f"{what} {v!r:.30} is not an int >= {lo}"
    return v


def dtree_verdict(args: Any, state: Any, owners: list[Any], arr_of: ArrOf) -> str | None:
    """scikit-learn ``Tree(n_features, n_classes, n_outputs)`` then ``__setstate__({max_depth,
    node_count, nodes, values})``. sklearn checks the node dtype and the values' shape, not
    node_count nor the nodes: apply/predict/decision_path walk from node 0 through
    left_child/right_child until left_child == -1 and read X[i, feature]; decision_path sizes
    its output by max_depth; compute_feature_importances indexes an n_features array by
    feature. Proven here: node_count == len(nodes) >= 1; every node is a leaf (both children
    -1) or has both children after it and inside the array, each node but the root the child
    of exactly one node (a tree rooted at 0: no cycle, no node shared); features of split
    nodes in 0..n_features-1; no path deeper than max_depth; and n_features equal to
    n_features_in_ of every estimator holding the tree (the width its predict checks X
    against)."""
    import numpy as np

    if type(args) is not tuple or len(args) != 3:
        return "not made as Tree(n_features, n_classes, n_outputs)"
    n_features = _int(args[0], 1, "n_features")
    n_outputs = _int(args[2], 1, "n_outputs")
    for v in (n_features, n_outputs):
        if type(v) is str:
            return v
    assert type(n_features) is int
    nc = arr_of(args[1])
    if type(nc) is str:
        return f"n_classes: {nc}"
    assert isinstance(nc, Arr)
    classes = int_values(nc, "n_classes")
    if type(classes) is str:
        return classes
    if len(classes) != n_outputs or int(classes.min()) < 1:
        return f"n_classes {classes!r:.40} for {n_outputs} outputs"
    if not owners:
        return "not the tree_ of a decision-tree estimator (its n_features not checked)"
    for nfi in owners:
        if type(nfi) is not int or nfi != n_features:
            return f"an estimator holding it checks X for {nfi!r:.30} features, not {n_features}"
    if type(state) is not dict:
        return "a state that is not a plain dict"
    if set(state) != {"max_depth", "node_count", "nodes", "values"}:
        return f"state keys {sorted(map(str, state))!r:.80} are not the four sklearn writes"
    max_depth = _int(state["max_depth"], 0, "max_depth")
    count = _int(state["node_count"], 1, "node_count")
    for v in (max_depth, count):
        if type(v) is str:
            return v
    assert type(max_depth) is int and type(count) is int
    nodes = arr_of(state["nodes"])
    if type(nodes) is str:
        return f"nodes: {nodes}"
    assert isinstance(nodes, Arr)
    layout = _NODE_LAYOUTS.get(nodes.dtype)
    fields = nodes.fields() if nodes.fields is not None else None
    if layout is None or fields != layout:
        return f"nodes have dtype {nodes.dtype} {fields!r:.60}, not sklearn's Node"
    if nodes.shape != (count,):
        return f"nodes of shape {nodes.shape} for node_count {count}"
    if nodes.raw is None or count > MAX_ELEMS // 8:
        return "node bytes are not in the pickle or too many"
    size = int(nodes.dtype[2:])
    raw = nodes.raw()
    if len(raw) < size * count:
        return "node bytes are short"
    ints = np.frombuffer(raw, dtype="<i8", count=count * size // 8).reshape(count, size // 8)
    left, right, feature = ints[:, 0], ints[:, 1], ints[:, 2]
    leaf = left == TREE_LEAF
    if bool(np.any(right[leaf] != TREE_LEAF)):
        return "a node with no left child has a right child"
    inner = np.nonzero(~leaf)[0]
    if len(inner):
        lo, ro = left[inner], right[inner]
        if bool(np.any(lo <= inner)) or bool(np.any(ro <= inner)):
            return "a child index is not after its node (out of range or a cycle)"
        if int(lo.max()) >= count or int(ro.max()) >= count:
            return f"a child index lies past node_count {count}"
        f = feature[inner]
        if int(f.min()) < 0 or int(f.max()) >= n_features:
            return f"a split feature lies outside 0..{n_features - 1}"
    children = np.concatenate((left[inner], right[inner]))
    seen = np.bincount(children, minlength=count)
    if int(seen[0]) != 0 or bool(np.any(seen[1:] != 1)):
        return "the nodes do not form one tree rooted at node 0"
    # depth of every node by pointer jumping (log2(depth) passes): each pass adds the depth
    # the node's current ancestor has counted so far and jumps to that ancestor's ancestor
    up = np.zeros(count, dtype=np.int64)
    up[children] = np.concatenate((inner, inner))
    depth = np.ones(count, dtype=np.int64)
    depth[0] = 0
    for _ in range(64):
        if not up.any():
            break
        depth = depth + depth[up]
        up = up[up]
    if up.any() or int(depth.max()) > max_depth:
        return f"a path is deeper than max_depth {max_depth}"
    return None


# --- scikit-learn HistGradientBoosting TreePredictor ------------------------------------------

#: PREDICTOR_RECORD_DTYPE (sklearn.ensemble._hist_gradient_boosting.common) on 64-bit
#: little-endian; TreePredictor.__setstate__ casts any other dtype to it (not reasoned about)
PREDICTOR_FIELDS = (
    ("value", _F8, 0),
    ("count", "<u4", 8),
    ("feature_idx", _I8, 12),
    ("num_threshold", _F8, 20),
    ("missing_go_to_left", "|u1", 28),
    ("left", "<u4", 29),
    ("right", "<u4", 33),
    ("gain", _F8, 37),
    ("depth", "<u4", 45),
    ("is_leaf", "|u1", 49),
    ("bin_threshold", "|u1", 50),
    ("is_categorical", "|u1", 51),
    ("bitset_idx", "<u4", 52),
)
PREDICTOR_KEYS = frozenset({"nodes", "binned_left_cat_bitsets", "raw_left_cat_bitsets"})


def _bitset_rows(a: Any, what: str, arr_of: ArrOf) -> int | str:
    arr = arr_of(a)
    if type(arr) is str:
        return f"{what}: {arr}"
    assert isinstance(arr, Arr)
    if arr.dtype != "<u4" or len(arr.shape) != 2 or arr.shape[1] != 8:
        return f"{what} of shape {arr.shape} {arr.dtype} is not uint32 rows of 8"
    return arr.shape[0]


def categorical_mask(arr: Any) -> Any:
    """``_BinMapper.is_categorical_`` as numpy bool, or the reason it is not known."""
    import numpy as np

    if not isinstance(arr, Arr):
        return f"is_categorical_: {arr}"
    if len(arr.shape) != 1 or arr.dtype not in ("|u1", "|b1") or arr.raw is None:
        return f"is_categorical_ {arr.shape} {arr.dtype} is not a 1-D uint8 array in the pickle"
    if arr.shape[0] > MAX_ELEMS:
        return "is_categorical_ is too large to check"
    data = arr.raw()
    if len(data) < arr.shape[0]:
        return "is_categorical_ bytes are short"
    return np.frombuffer(data, dtype=np.uint8, count=arr.shape[0]) != 0


def hgb_owner(nfi: Any, is_categorical: Callable[[], Any]) -> Any:
    """What a HistGradientBoosting* estimator tells each TreePredictor it holds: the X width
    its predict validates (``n_features_in_``) and its bin mapper's is_categorical_ (from
    ``is_categorical()``: a :func:`categorical_mask`, or None when the mapper is not proven),
    or the reason the width is not known. One reading for the pickle and skops paths."""
    if type(nfi) is not int or not 0 < nfi < 1 << 62:
        return f"the estimator's n_features_in_ {nfi!r:.30} is not a positive int"
    mask = is_categorical()
    return (nfi, "is_categorical_ not known" if mask is None else mask)


def tpred_verdict(state: dict[str, Any], owners: list[Any], arr_of: ArrOf) -> str | None:
    """``TreePredictor`` (plain class, __dict__ = {nodes, binned_left_cat_bitsets,
    raw_left_cat_bitsets}). Its compiled predict (``_predict_from_raw_data``/``_binned_``,
    ``_compute_partial_dependence``) starts at nodes[0] and follows left/right until is_leaf,
    reading X[row, feature_idx], raw/binned_left_cat_bitsets[bitset_idx] and, for categorical
    splits, known_cat_bitsets[f_idx_map[feature_idx]] (built from the bin mapper's
    is_categorical_: one row per categorical feature), all unchecked. Proven here: nodes of
    sklearn's record dtype, at least one; every node a leaf or with both children after it
    and inside the array, each node but the root the child of exactly one node (the grower
    numbers nodes depth-first: left = i + 1, right after the left subtree); split features in
    0..n_features_in_-1 of every estimator holding it; categorical splits on a feature its bin
    mapper marks categorical, with bitset_idx below the rows of both bitset arrays (uint32,
    8 a row)."""
    import numpy as np

    if not owners:
        return "not among the _predictors of a HistGradientBoosting estimator"
    if set(state) != PREDICTOR_KEYS:
        return f"state keys {sorted(map(str, state))!r:.80} are not the three sklearn writes"
    nodes = arr_of(state["nodes"])
    if type(nodes) is str:
        return f"nodes: {nodes}"
    assert isinstance(nodes, Arr)
    fields = nodes.fields() if nodes.fields is not None else None
    if nodes.dtype != "|V56" or fields != PREDICTOR_FIELDS:
        return f"nodes have dtype {nodes.dtype} {fields!r:.60}, not PREDICTOR_RECORD_DTYPE"
    if len(nodes.shape) != 1 or nodes.shape[0] < 1:
        return f"nodes of shape {nodes.shape}, not a non-empty 1-D array"
    count = nodes.shape[0]
    if nodes.raw is None or count > MAX_ELEMS // 8:
        return "node bytes are not in the pickle or too many"
    raw = nodes.raw()
    if len(raw) < 56 * count:
        return "node bytes are short"
    rec = np.frombuffer(raw, dtype=np.dtype(_PRED_NP), count=count)
    rows: list[int] = []
    for key in ("raw_left_cat_bitsets", "binned_left_cat_bitsets"):
        r = _bitset_rows(state[key], key, arr_of)
        if type(r) is str:
            return r
        assert type(r) is int
        rows.append(r)
    leaf = rec["is_leaf"] != 0
    inner = np.nonzero(~leaf)[0]
    left = rec["left"][inner].astype(np.int64)
    right = rec["right"][inner].astype(np.int64)
    if len(inner):
        if bool(np.any(left <= inner)) or bool(np.any(right <= inner)):
            return "a child index is not after its node (out of range or a cycle)"
        if int(left.max()) >= count or int(right.max()) >= count:
            return f"a child index lies past the {count} nodes"
    children = np.concatenate((left, right))
    seen = np.bincount(children, minlength=count)
    if int(seen[0]) != 0 or bool(np.any(seen[1:] != 1)):
        return "the nodes do not form one tree rooted at node 0"
    feature = rec["feature_idx"][inner]
    cat = rec["is_categorical"][inner] != 0
    for owner in owners:
        if type(owner) is str:
            return owner
        nfi, mask = owner
        if len(inner) and (int(feature.min()) < 0 or int(feature.max()) >= nfi):
            return f"a split feature lies outside 0..{nfi - 1}"
        if bool(cat.any()):
            if type(mask) is str:
                return f"a categorical split, and the bin mapper's {mask}"
            f = feature[cat]
            if int(f.max()) >= len(mask) or not bool(np.all(mask[f])):
                return "a categorical split on a feature the bin mapper does not mark categorical"
    if bool(cat.any()):
        b = rec["bitset_idx"][inner][cat]
        if int(b.max()) >= min(rows):
            return f"a categorical split's bitset_idx lies past the {min(rows)} bitset rows"
    return None


_PRED_NP: Any = {
    "names": [n for n, _, _ in PREDICTOR_FIELDS],
    "formats": [t for _, t, _ in PREDICTOR_FIELDS],
    "offsets": [o for _, _, o in PREDICTOR_FIELDS],
    "itemsize": 56,
}


def gb_columns_verdict(
    k: int,
    init: Any,
    n_trees: Any,
    init_cls: str | None,
    init_state: dict[str, Any] | None,
    multinomial: bool,
    arr_of: ArrOf,
    scalar: Callable[[Any], bool] = lambda v: False,
) -> str | None:
    """GradientBoosting ``predict_stages`` adds tree k of each stage into ``out[:, k]`` for the
    K columns of ``estimators_``, unchecked, where ``out`` is ``_raw_predict_init``'s array:
    ``n_trees_per_iteration_`` columns for init 'zero'; one for a DummyRegressor of one output
    (raveled); for a DummyClassifier ('prior', one output) predict_proba's len(class_prior_)
    columns, cut to one unless the loss is multiclass (known only for a HalfMultinomialLoss
    whose state does not set is_multiclass: else either); one for a LinearRegression or Ridge
    whose coef_ is a 1-D or 2-D array and intercept_ a number, numpy scalar (``scalar``) or an
    array of at most one dimension (a 2-D intercept_ would broadcast to its own rows). Proven:
    K is no more than that. Any other init estimator is not proven: predict_stages also writes
    a row per row of X, and its predictions can have fewer (a Pipeline whose FunctionTransformer
    takes np.mean over axis 0 predicts one row: SIGSEGV at predict, red team rt15pk)."""
    if init == "zero":
        if type(n_trees) is not int or n_trees < 0:
            return f"n_trees_per_iteration_ {n_trees!r:.30} is not an int"
        width = n_trees
    elif init_cls is None or init_state is None:
        return "init_ is not a dummy estimator whose predictions' rows and width are known"
    elif init_cls in LINEAR_INIT:
        coef = arr_of(init_state.get("coef_"))
        if type(coef) is str:
            return f"init_.coef_: {coef}"
        assert isinstance(coef, Arr)
        icpt = init_state.get("intercept_")
        arr = arr_of(icpt)
        if not (
            type(icpt) in (int, float)
            or scalar(icpt)
            or (isinstance(arr, Arr) and len(arr.shape) <= 1)
        ):
            return "init_.intercept_ is not a number or an array of at most one dimension"
        if len(coef.shape) not in (1, 2):
            return f"init_.coef_ of shape {coef.shape} is not 1-D or 2-D"
        width = 1 if len(coef.shape) == 1 else coef.shape[0]
    elif type(init_state.get("n_outputs_")) is not int or init_state["n_outputs_"] != 1:
        return "init_ has not one output"
    elif init_cls == DUMMY_REG:
        width = 1
    elif init_cls == DUMMY_CLF and init_state.get("_strategy") == "prior":
        prior = arr_of(init_state.get("class_prior_"))
        if type(prior) is str:
            return f"init_.class_prior_: {prior}"
        assert isinstance(prior, Arr)
        if len(prior.shape) != 1:
            return f"init_.class_prior_ of shape {prior.shape} is not 1-D"
        width = prior.shape[0] if multinomial else min(1, prior.shape[0])
    else:
        return f"init_ {init_cls}: the width of its predictions is not known"
    if k > width:
        return f"estimators_ has {k} columns, the init predictions {width}"
    return None
