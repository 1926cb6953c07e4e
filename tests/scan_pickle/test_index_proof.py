"""scipy sparse containers and KD/Ball trees trust their index arrays (session-8 red-team gap):
a pickle (or joblib file, or save_npz file) that sets an out-of-range index loads fine and
crashes on first use. They are allowed only when every index is proven in range from the
bytes the file holds (AIR-PKL-017, index_proof.py / npz_sparse.py).

Honest objects come from the real savers; malicious ones are honest objects changed in place
and saved by the same savers; the oracle loads and uses a few in a child process."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path
from typing import Any

import pytest

import airlock
from airlock.scan import index_proof as ip

np = pytest.importorskip("numpy")
sp = pytest.importorskip("scipy.sparse")
pytest.importorskip("sklearn")
pytest.importorskip("joblib")

from tests.scan_pickle import index_fixtures as fx  # noqa: E402
from tests.scan_pickle.builders import (  # noqa: E402
    BUILD,
    EMPTY_DICT,
    MARK,
    PROTO2,
    SETITEM,
    STOP,
    b,
    call,
    glob,
    s,
    tup,
)

RULE = ip.RULE


_blocking = fx.blocking


@pytest.fixture(scope="module")
def honest_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("honest")
    objs = fx.honest()
    paths = fx.save_all(objs, folder)
    for name, obj in objs.items():
        if sp.issparse(obj) and obj.format in ("csr", "csc", "bsr", "coo", "dia"):
            for compressed in (True, False):
                path = folder / f"{name}.{compressed}.npz"
                sp.save_npz(path, obj, compressed=compressed)
                paths.append(path)
    return paths


@pytest.fixture(scope="module")
def malicious_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("malicious")
    objs = fx.malicious()
    paths = {p.name: p for p in fx.save_all(objs, folder)}
    for name, obj in objs.items():
        if sp.issparse(obj) and obj.format in ("csr", "csc", "bsr"):
            paths[f"{name}.npz"] = folder / f"{name}.npz"
            sp.save_npz(paths[f"{name}.npz"], obj)
    return paths


def test_honest_saves_stay_clean(honest_files: list[Path]) -> None:
    """Every format (csr/csc/bsr/coo/dia/lil/dok, matrix and array, empty, 0x0, 1-D, 3-D coo,
    int64 indices, unsorted and duplicate entries), trees (sklearn KD/Ball with and without
    weights, inside KNeighbors/NearestNeighbors; scipy cKDTree/KDTree, periodic), TF-IDF output
    and pipelines, in pickle protocols 2/4/5, joblib and save_npz: no blocking finding."""
    assert len(honest_files) > 250
    dirty = {p.name: _blocking(p) for p in honest_files if _blocking(p)}
    assert not dirty


def test_every_malicious_save_is_denied(malicious_files: dict[str, Path]) -> None:
    undenied = [
        name
        for name, path in malicious_files.items()
        if not any(f.rule_id == RULE for f in airlock.scan(path).findings)
    ]
    assert not undenied
    finding = next(
        f
        for f in airlock.scan(malicious_files["csr_index_past_cols.p4.pkl"]).findings
        if f.rule_id == RULE
    )
    assert finding.severity.name == "HIGH"
    assert "out of range" in finding.evidence


# the real loader and a first use, in a child process: these crash (SIGSEGV) today
CRASHING = (
    "csr_index_past_cols.p4.pkl",
    "csr_indptr_not_monotone.joblib",
    "coo_row_past_rows.p5.pkl",
    "sk_kdtree_idx_past_samples.p4.pkl",
    "ckdtree_child_past_nodes.joblib",
    "csr_index_past_cols.npz",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", CRASHING)
def test_oracle_crashes_and_scan_denies(name: str, malicious_files: dict[str, Path]) -> None:
    path = malicious_files[name]
    assert fx.oracle(path) == "crash"
    assert any(f.rule_id == RULE for f in airlock.scan(path).findings)


@pytest.mark.slow
def test_oracle_honest_loads_and_works(honest_files: list[Path]) -> None:
    for name in ("tfidf_output.p4.pkl", "knn_kd_tree.joblib", "ckdtree.p5.pkl"):
        path = next(p for p in honest_files if p.name == name)
        assert fx.oracle(path) == "ok"


# --- hand-built streams: what the savers never write --------------------------------------------


def _nd(values: list[int], fmt: str = "<q", typestr: str = "i8") -> bytes:
    """An ndarray as numpy pickles it at protocol 2: _reconstruct + BUILD."""
    raw = struct.pack(f"{fmt[0]}{len(values)}{fmt[1]}", *values)
    dtype = call(glob("numpy", "dtype"), s(typestr), b"\x89", b"\x88")
    dstate = tup(b"K\x03", s("<"), b"N", b"N", b"N", b"J\xff\xff\xff\xff" * 2, b"K\x00")
    head = call(
        glob("numpy.core.multiarray", "_reconstruct"),
        glob("numpy", "ndarray"),
        tup(b"K\x00"),
        b(b"b"),
    )
    shape = tup(b"J" + struct.pack("<i", len(values)))
    return head + tup(b"K\x01", shape, dtype + dstate + BUILD, b"\x89", b(raw)) + BUILD


def _csr_stream(extra: bytes = b"", indices: bytes | None = None) -> bytes:
    items = (
        s("_shape")
        + tup(b"K\x02", b"K\x03")
        + s("indptr")
        + _nd([0, 1, 2])
        + s("indices")
        + (indices if indices is not None else _nd([0, 2]))
        + s("data")
        + _nd([1, 1])
        + extra
    )
    obj = glob("scipy.sparse._csr", "csr_matrix") + b")\x81"
    return PROTO2 + obj + EMPTY_DICT + MARK + items + b"u" + BUILD + STOP


def _rules(tmp_path: Path, data: bytes) -> list[str]:
    path = tmp_path / "x.pkl"
    path.write_bytes(data)
    return [f.rule_id for f in airlock.scan(path).findings]


def test_hand_built_csr_proven(tmp_path: Path) -> None:
    assert RULE not in _rules(tmp_path, _csr_stream())


def test_array_changed_after_it_was_built_is_not_proven(tmp_path: Path) -> None:
    # indices[0] = 99 by SETITEM on the rebuilt array (ndarray.__setitem__) after BUILD
    changed = _nd([0, 2]) + b"K\x00K\x63" + SETITEM
    assert RULE in _rules(tmp_path, _csr_stream(indices=changed))


def test_array_state_set_twice_is_not_proven(tmp_path: Path) -> None:
    twice = _nd([0, 2])[:-1] + BUILD + tup(b"K\x01", tup(b"K\x02"), b"N", b"\x89", b(b"")) + BUILD
    assert RULE in _rules(tmp_path, _csr_stream(indices=twice))


def test_state_key_scipy_never_writes_is_not_proven(tmp_path: Path) -> None:
    assert RULE in _rules(tmp_path, _csr_stream(extra=s("format") + s("csc")))


def test_constructor_call_is_not_proven(tmp_path: Path) -> None:
    # csr_matrix((data, indices, indptr)) runs check_format(full_check=False): ranges unchecked
    stream = PROTO2 + call(glob("scipy.sparse._csr", "csr_matrix"), tup(b"N")) + STOP
    assert RULE in _rules(tmp_path, stream)


def test_dok_is_not_claimed(tmp_path: Path) -> None:
    """dok conversions go through coo's checked constructor (a bad key raises, never crashes)."""
    d = sp.dok_matrix((3, 3))
    d[1, 2] = 5.0
    assert RULE not in _rules(tmp_path, pickle.dumps(d, protocol=4))


# --- the proof against numpy-computed truth -------------------------------------------------------

hyp = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")


def _arr(values: Any, dtype: str = "<i8") -> ip.Arr:
    raw = np.asarray(values, dtype=dtype).tobytes()
    return ip.Arr((len(values),), dtype, lambda: raw)


@hyp.settings(max_examples=300, deadline=None)
@hyp.given(
    rows=st.integers(0, 6),
    cols=st.integers(0, 6),
    indptr=st.lists(st.integers(-3, 12), min_size=0, max_size=9),
    indices=st.lists(st.integers(-3, 9), min_size=0, max_size=12),
    ndata=st.integers(0, 12),
    dtype=st.sampled_from(["<i4", "<i8"]),
)
def test_csr_verdict_matches_numpy_truth(
    rows: int, cols: int, indptr: list[int], indices: list[int], ndata: int, dtype: str
) -> None:
    state = {
        "_shape": (rows, cols),
        "indptr": _arr(indptr, dtype),
        "indices": _arr(indices, dtype),
        "data": ip.Arr((ndata,), "<f8", None),
    }
    p = np.asarray(indptr)
    i = np.asarray(indices)
    truth = (
        len(p) == rows + 1
        and p[0] == 0
        and bool(np.all(np.diff(p) >= 0))
        and p[-1] <= len(i)
        and p[-1] <= ndata
        and bool(np.all((i >= 0) & (i < cols)))
    )
    assert (ip.sparse_verdict("csr", state, lambda a: a) is None) == truth


@hyp.settings(max_examples=200, deadline=None)
@hyp.given(
    shape=st.lists(st.integers(0, 5), min_size=1, max_size=3),
    coords=st.lists(st.lists(st.integers(-2, 6), min_size=0, max_size=6), min_size=1, max_size=3),
    ndata=st.integers(0, 6),
)
def test_coo_verdict_matches_numpy_truth(
    shape: list[int], coords: list[list[int]], ndata: int
) -> None:
    arrs = tuple(_arr(c) for c in coords)
    state = {"_shape": tuple(shape), "coords": arrs, "data": ip.Arr((ndata,), "<f8", None)}
    truth = len(coords) == len(shape) and all(
        len(c) == ndata and all(0 <= v < d for v in c) for c, d in zip(coords, shape, strict=False)
    )
    assert (ip.sparse_verdict("coo", state, lambda a: a) is None) == truth


def test_protocol5_array_state_replaced_is_not_proven(tmp_path: Path) -> None:
    """A _frombuffer array given a state afterwards (ndarray.__setstate__ replaces its data)."""
    m = sp.csr_matrix(np.eye(3))
    data = bytearray(pickle.dumps(m, protocol=5))
    assert RULE not in _rules(tmp_path, bytes(data))
    # after the indices' _frombuffer REDUCE, BUILD a new state with an index of 99
    at = data.index(b"indices")
    reduce_at = data.index(b"R", data.index(b"\x96", at))
    state = tup(b"K\x01", tup(b"K\x03"), b"N", b"\x89", b(struct.pack("<3i", 0, 99, 2)))
    patched = bytes(data[: reduce_at + 1]) + state + BUILD + bytes(data[reduce_at + 1 :])
    assert RULE in _rules(tmp_path, patched)


# --- save_npz members as numpy resolves them (session-9 review) --------------------------------


def _npy(a: object) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


@pytest.mark.parametrize("bare", ["indices", "format", "indptr"])
def test_npz_member_without_suffix_is_the_one_judged(tmp_path: Path, bare: str) -> None:
    """numpy's NpzFile reads ``loaded['indices']`` from a member named exactly ``indices``
    before ``indices.npy``: an honest ``.npy`` beside a hostile bare member must not hide it."""
    import zipfile

    good = tmp_path / "good.npz"
    sp.save_npz(good, sp.csr_matrix(np.eye(3)), compressed=False)
    hostile = {
        "indices": _npy(np.array([0, 1, 1 << 30], dtype=np.int32)),
        "format": _npy(np.array("xyz")),
        "indptr": _npy(np.array([0, 3, 2, 3], dtype=np.int32)),
    }[bare]
    bad = tmp_path / f"bad_{bare}.npz"
    with zipfile.ZipFile(good) as z, zipfile.ZipFile(bad, "w") as out:
        for n in z.namelist():
            out.writestr(n, z.read(n))
        out.writestr(bare, hostile)
    assert _blocking(good) == []
    import io

    with np.load(bad) as loaded:  # the loader's own choice, as the proof assumes
        assert loaded[bare].tobytes() == np.load(io.BytesIO(hostile)).tobytes()
    assert any(rule == RULE for rule, _ in _blocking(bad)), _blocking(bad)
