"""Honest and malicious scipy sparse / search-tree objects, written by the real savers.

Malicious ones are honest objects whose index arrays were changed in place afterwards (what an
attacker writes with the same savers); :func:`oracle` loads one with the real loader in a child
process and uses it, so a crash (SIGSEGV) is observed, never suffered by the test process.
"""

from __future__ import annotations

import copyreg
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


class Reduce:
    """Pickles as the given reduce tuple (how a hand-made state reaches pickle.dumps)."""

    def __init__(self, r: tuple[Any, ...]) -> None:
        self.r = r

    def __reduce__(self) -> tuple[Any, ...]:
        return self.r


_save_reduce = pickle._Pickler.save_reduce  # type: ignore[attr-defined]


def _lenient_save_reduce(self: Any, *args: Any, obj: Any = None, **kw: Any) -> Any:
    # the stdlib pickler refuses __newobj__ of another class than the object's; a Reduce
    # stands for an object of that class (what the class's own pickling writes)
    return _save_reduce(self, *args, obj=None if isinstance(obj, Reduce) else obj, **kw)


pickle._Pickler.save_reduce = _lenient_save_reduce  # type: ignore[attr-defined]


def honest() -> dict[str, Any]:
    import scipy.sparse as sp
    from scipy.spatial import KDTree, cKDTree
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import BallTree, KNeighborsClassifier, NearestNeighbors
    from sklearn.neighbors import KDTree as SkKDTree
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(0)
    objs: dict[str, Any] = {}
    m = sp.random(50, 40, density=0.1, format="csr", random_state=0)
    for f in ("csr", "csc", "bsr", "coo", "dia", "lil", "dok"):
        objs[f"{f}_matrix"] = m.asformat(f)
        objs[f"{f}_array"] = sp.csr_array(m).asformat(f)
        objs[f"{f}_0rows"] = sp.csr_matrix((0, 5)).asformat(f)
        objs[f"{f}_0x0"] = sp.csr_matrix((0, 0)).asformat(f)
        objs[f"{f}_nnz0"] = sp.csr_matrix((7, 5)).asformat(f)
    # over 64 KiB of indices: protocol 2 writes them as text for _codecs.encode
    objs["csr_large"] = sp.random(2000, 500, density=0.05, format="csr", random_state=3)
    objs["csr_int64"] = sp.csr_matrix(
        (m.data, m.indices.astype(np.int64), m.indptr.astype(np.int64)), shape=m.shape
    )
    objs["coo_duplicates"] = sp.coo_matrix(([1.0, 2, 3], ([0, 0, 1], [1, 1, 0])), shape=(3, 3))
    objs["csr_unsorted_dup"] = sp.csr_matrix(([1.0, 2, 3], [2, 0, 2], [0, 2, 3]), shape=(2, 3))
    objs["bsr_blocks"] = sp.bsr_matrix(np.kron(np.eye(4), np.ones((2, 3))), blocksize=(2, 3))
    objs["coo_1d"] = sp.coo_array(np.array([0, 1, 0, 2.0]))
    objs["coo_3d"] = sp.coo_array(np.arange(24.0).reshape(2, 3, 4) % 5)
    objs["csr_1d"] = sp.csr_array(np.array([0, 1, 0, 2.0]))
    objs["dia_diags"] = sp.diags_array([1.0, 2, 3], offsets=[-1, 0, 1], shape=(5, 5))
    objs["ckdtree"] = cKDTree(rng.random((100, 3)))
    objs["ckdtree_periodic"] = cKDTree(rng.random((100, 2)), boxsize=[1.0, 1.0])
    objs["ckdtree_one_point"] = cKDTree(rng.random((1, 2)))
    objs["scipy_kdtree"] = KDTree(rng.random((30, 4)))
    x = rng.random((200, 5))
    y = (x[:, 0] > 0.5).astype(int)
    objs["sk_kdtree"] = SkKDTree(x, leaf_size=7)
    objs["sk_balltree"] = BallTree(x, leaf_size=3)
    objs["sk_kdtree_weights"] = SkKDTree(x, sample_weight=rng.random(200))
    objs["sk_kdtree_one_point"] = SkKDTree(x[:1])
    for alg in ("kd_tree", "ball_tree", "brute"):
        objs[f"knn_{alg}"] = KNeighborsClassifier(algorithm=alg).fit(x, y)
        objs[f"nn_{alg}"] = NearestNeighbors(algorithm=alg).fit(x)
    docs = ["the cat sat", "the dog ran far", "a cat and a dog", "nothing here"] * 10
    tv = TfidfVectorizer().fit(docs)
    objs["tfidf_output"] = tv.transform(docs)
    objs["tfidf_pipeline"] = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(
        docs, [0, 1, 1, 0] * 10
    )
    objs["knn_on_sparse"] = KNeighborsClassifier(algorithm="brute").fit(
        tv.transform(docs), [0, 1, 1, 0] * 10
    )
    objs["shared_sparse"] = {"a": m, "b": [m.tocoo(), m.tocsc()], "same": (m, m)}
    return objs


def _csr(fmt: str = "csr") -> Any:
    import scipy.sparse as sp

    return sp.random(6, 5, density=0.5, format=fmt, random_state=1)


def _bad_sparse() -> dict[str, Any]:
    import scipy.sparse as sp

    out: dict[str, Any] = {}
    m = _csr()
    m.indices[0] = 1 << 26
    out["csr_index_past_cols"] = m
    m = _csr()
    m.indices[-1] = -(1 << 26)
    out["csr_negative_index"] = m
    m = _csr()
    m.indptr[2], m.indptr[3] = m.indptr[3] + 1000, m.indptr[2]
    out["csr_indptr_not_monotone"] = m
    m = _csr()
    m.indptr[-1] = len(m.indices) + (1 << 20)
    out["csr_indptr_past_nnz"] = m
    m = _csr()
    m._shape = (6 + (1 << 20), 5)
    out["csr_shape_past_indptr"] = m
    m = _csr()
    m.data = m.data[:1]
    out["csr_data_short"] = m
    m = sp.random(2000, 500, density=0.05, format="csr", random_state=3)
    m.indices[-1] = 1 << 26
    out["csr_large_index_past_cols"] = m
    m = _csr("csc")
    m.indices[0] = 1 << 26
    out["csc_index_past_rows"] = m
    b = sp.bsr_matrix(np.kron(np.eye(3), np.ones((2, 2))), blocksize=(2, 2))
    b.indices[0] = 1 << 24
    out["bsr_block_index_past_cols"] = b
    c = _csr("coo")
    c.coords[0][0] = 1 << 26
    out["coo_row_past_rows"] = c
    c = _csr("coo")
    c.coords[1][0] = -(1 << 26)
    out["coo_negative_col"] = c
    c = _csr("coo")
    c.coords = (c.coords[0], c.coords[1][:1])
    out["coo_lengths_differ"] = c
    d = sp.dia_matrix(np.eye(4))
    d.offsets = np.array([], dtype=d.offsets.dtype)
    out["dia_offsets_short"] = d
    lil = sp.lil_matrix((3, 3))
    lil[1, 2] = 5.0
    lil.rows[1] = [2, 1 << 26]
    lil.data[1] = [5.0, 6.0]
    out["lil_column_past_cols"] = lil
    return out


def _bad_trees() -> dict[str, Any]:
    from scipy.spatial import cKDTree
    from sklearn.neighbors import BallTree, KNeighborsClassifier
    from sklearn.neighbors import KDTree as SkKDTree

    rng = np.random.default_rng(2)
    x = rng.random((60, 3))
    out: dict[str, Any] = {}
    t = SkKDTree(x, leaf_size=5)
    t.get_arrays()[1][0] = 1 << 40
    out["sk_kdtree_idx_past_samples"] = t
    t = BallTree(x, leaf_size=5)
    nodes = t.get_arrays()[2]
    nodes["idx_end"][-1] = 1 << 40
    out["sk_balltree_node_end_past_idx"] = t
    t = SkKDTree(x, leaf_size=5)
    nodes = t.get_arrays()[2]
    nodes["is_leaf"][:] = 0
    out["sk_kdtree_children_past_nodes"] = t
    knn = KNeighborsClassifier(algorithm="kd_tree").fit(x, (x[:, 0] > 0.5).astype(int))
    knn._tree.get_arrays()[1][:] = 1 << 40
    out["knn_with_bad_tree"] = knn
    ck = cKDTree(x)
    st = list(ck.__getstate__())
    idx = st[7].copy()
    idx[0] = 1 << 40
    st[7] = idx
    out["ckdtree_index_past_points"] = Reduce((copyreg.__newobj__, (cKDTree,), tuple(st)))
    st = list(ck.__getstate__())
    tree = st[0].copy().view(np.int64)
    tree[7] = 1 << 30  # node 0's _less
    st[0] = tree.view("S1")
    out["ckdtree_child_past_nodes"] = Reduce((copyreg.__newobj__, (cKDTree,), tuple(st)))
    st = list(ck.__getstate__())
    st[0] = st[0][:-8]
    out["ckdtree_partial_node"] = Reduce((copyreg.__newobj__, (cKDTree,), tuple(st)))
    st = list(ck.__getstate__())
    st[2] = 1 << 30
    out["ckdtree_n_past_data"] = Reduce((copyreg.__newobj__, (cKDTree,), tuple(st)))
    return out


def malicious() -> dict[str, Any]:
    """Objects whose index arrays lie (each crashes or misbehaves on first use)."""
    out = _bad_sparse()
    out.update(_bad_trees())
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    bad = _csr()
    bad.indices[:] = 1 << 26
    out["pipeline_holding_bad_csr"] = make_pipeline(FunctionTransformer()).set_params(
        functiontransformer__kw_args={"m": bad}
    )
    return out


def _dumps(obj: Any, protocol: int) -> bytes:
    if isinstance(obj, Reduce):  # the stdlib's Python pickler (the C one is the same format)
        return pickle._dumps(obj, protocol=protocol)  # type: ignore[attr-defined]
    return pickle.dumps(obj, protocol=protocol)


SAVERS: dict[str, Callable[[Any, Path], None]] = {
    f"p{proto}.pkl": lambda o, p, proto=proto: p.write_bytes(_dumps(o, proto))  # type: ignore[misc]
    for proto in (2, 4, 5)
}


def blocking(path: Path) -> list[tuple[str, str]]:
    """The findings of a scan that fail the gate (medium and up), as (rule, evidence)."""
    import airlock

    return [
        (f.rule_id, f.evidence)
        for f in airlock.scan(path).findings
        if f.severity.name in ("MEDIUM", "HIGH", "CRITICAL")
    ]


def save_all_compressed(objs: dict[str, Any], folder: Path) -> list[Path]:
    """:func:`save_all`, plus a compressed joblib copy of each object."""
    import joblib as jl

    paths = save_all(objs, folder)
    for name, obj in objs.items():
        paths.append(folder / f"{name}.z3.joblib")
        jl.dump(obj, paths[-1], compress=3)
    return paths


def save_all(objs: dict[str, Any], folder: Path, joblib: bool = True) -> list[Path]:
    import joblib as jl

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, obj in objs.items():
        for suffix, save in SAVERS.items():
            paths.append(folder / f"{name}.{suffix}")
            save(obj, paths[-1])
        if joblib:
            paths.append(folder / f"{name}.joblib")
            jl.dump(obj, paths[-1])
    return paths


_USE = r"""
import sys, pickle, numpy as np
path = sys.argv[1]
if path.endswith(".joblib"):
    import joblib; obj = joblib.load(path)
elif path.endswith(".npz"):
    import scipy.sparse; obj = scipy.sparse.load_npz(path)
else:
    with open(path, "rb") as f: obj = pickle.load(f)
raised = []
def attempt(f):
    try:
        f()
    except Exception as exc:  # a Python error is not a crash; every use is tried
        raised.append(type(exc).__name__)
def use(o):
    import scipy.sparse as sp
    if sp.issparse(o):
        ones = np.ones(o.shape[-1])
        for f in (o.toarray, lambda: o @ ones, lambda: o.tocsr().toarray(),
                  lambda: o.T.tocsr().toarray(), lambda: o.tocoo().toarray(), o.sum):
            attempt(f)
    elif hasattr(o, "query"):
        data = np.asarray(o.data if hasattr(o, "data") else o.get_arrays()[0])
        attempt(lambda: o.query(data[:3] + 0.01, k=1))
        if hasattr(o, "query_radius"):
            attempt(lambda: o.query_radius(data[:3], r=0.5))
        else:
            attempt(lambda: o.query_ball_point(data[:3], r=0.5))
    elif hasattr(o, "kneighbors"):
        attempt(lambda: o.kneighbors(o._fit_X[:3] + 0.01))
    elif hasattr(o, "get_params"):
        for v in o.get_params().values():
            if isinstance(v, dict):
                for w in v.values():
                    use(w)
use(obj)
if raised:
    print("raised", raised)
    sys.exit(3)
print("ok")
"""


def run_child(code: str, path: Path, timeout: float, env: dict[str, str] | None = None) -> str:
    """Run an oracle script on ``path`` in a child process: 'crash' (killed by a signal),
    'hang' (timeout), 'raised' (the script's exit 3: a Python error), 'ok' or 'error'."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return "hang"
    if proc.returncode < 0:
        return "crash"
    return "raised" if proc.returncode == 3 else "ok" if proc.returncode == 0 else "error"


def oracle(path: Path, timeout: float = 120) -> str:
    """'crash', 'raised' or 'ok' from the real loader and a first use in a child process."""
    return run_child(_USE, path, timeout)
