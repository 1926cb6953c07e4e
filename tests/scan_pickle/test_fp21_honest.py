"""fp21 (session 20): honest artifacts the fp21 grid (``bench/fp21_grid.py``, seed 1) found
denied, each with a malicious variant of the same shape that stays denied."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path

import numpy as np
import pytest

import airlock


def _rules(path: Path) -> set[str]:
    return {
        f.rule_id for f in airlock.scan(path).findings if str(f.severity) in ("high", "critical")
    }


def _denied(path: Path) -> bool:
    return not airlock.check(path).allowed


def _scan_bytes(tmp_path: Path, raw: bytes, name: str = "x.pkl") -> set[str]:
    path = tmp_path / name
    path.write_bytes(raw)
    return _rules(path)


def _g(mod: str, name: str) -> bytes:
    return b"c" + mod.encode() + b"\n" + name.encode() + b"\n"


# -- ml_dtypes arrays: numpy.dtype(<ml_dtypes type>, False, True) + (elsize, alignment) state ----

mld = pytest.importorskip("ml_dtypes")

_ML = ["bfloat16", "float8_e4m3fn", "float8_e5m2", "float4_e2m1fn", "int4", "uint2", "complex32"]


def _ml_array(name: str) -> np.ndarray:
    return (np.arange(12, dtype=np.float32).reshape(3, 4) % 3).astype(getattr(mld, name))


@pytest.mark.parametrize("name", _ML)
@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_ml_dtypes_array_pickles_clean(tmp_path: Path, name: str, protocol: int) -> None:
    path = tmp_path / "a.pkl"
    path.write_bytes(pickle.dumps({"w": _ml_array(name), "s": getattr(mld, name)(1)}, protocol))
    assert _rules(path) == set()
    assert not _denied(path)


@pytest.mark.parametrize("name", ["bfloat16", "float8_e4m3fn", "int4"])
@pytest.mark.parametrize("compress", [0, 3, ("lz4", 3)])
def test_ml_dtypes_joblib_clean(tmp_path: Path, name: str, compress: object) -> None:
    joblib = pytest.importorskip("joblib")
    if compress == ("lz4", 3):
        pytest.importorskip("lz4")
    path = tmp_path / "a.joblib"
    joblib.dump({"w": _ml_array(name)}, path, compress=compress)
    assert not _denied(path)


def _patched_state(raw: bytes, old: bytes, new: bytes) -> bytes:
    at = raw.index(old)
    return raw[:at] + new + raw[at + len(old) :]


@pytest.mark.parametrize(
    "new", [b"NNNK\x04K\x02K@", b"NNNK\x02K\x08K@"], ids=["elsize", "alignment"]
)
def test_ml_dtypes_joblib_state_not_the_types_own_denied(tmp_path: Path, new: bytes) -> None:
    """joblib reads prod(shape) x itemsize raw bytes after the pickle: an elsize (or alignment)
    that is not bfloat16's own leaves the layout unknown, so the file is not judged clean."""
    joblib = pytest.importorskip("joblib")
    honest = tmp_path / "h.joblib"
    joblib.dump(_ml_array("bfloat16"), honest, compress=0)
    assert not _denied(honest)
    path = tmp_path / "evil.joblib"
    path.write_bytes(_patched_state(honest.read_bytes(), b"NNNK\x02K\x02K@", new))
    assert _denied(path)


@pytest.mark.parametrize("args", [b"X\x03\x00\x00\x001.5\x85", b"K\x01\x85", b")"])
def test_ml_dtypes_type_called_denied(tmp_path: Path, args: bytes) -> None:
    raw = b"\x80\x02" + _g("ml_dtypes", "bfloat16") + args + b"R."
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, raw)


@pytest.mark.parametrize(
    "raw",
    [
        _g("copyreg", "__newobj__") + _g("ml_dtypes", "int4") + b"K\x07\x86R.",
        _g("copyreg", "__newobj_ex__")
        + _g("ml_dtypes", "bfloat16")
        + b"X\x03\x00\x00\x001.5\x85}\x87R.",
        _g("ml_dtypes", "bfloat16") + b"X\x03\x00\x00\x001.5\x85\x81.",
    ],
    ids=["newobj", "newobj_ex", "NEWOBJ"],
)
def test_ml_dtypes_type_new_with_arguments_denied(tmp_path: Path, raw: bytes) -> None:
    """An ml_dtypes type's __new__ is its constructor (bfloat16.__new__(bfloat16, '1.5') parses,
    int4.__new__(int4, array) converts an array): copyreg's helpers call it as NEWOBJ does."""
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, b"\x80\x02" + raw)


def test_ml_dtypes_not_listed_type_still_unknown(tmp_path: Path) -> None:
    raw = b"\x80\x02" + _g("numpy", "dtype") + _g("ml_dtypes", "finfo") + b"\x89\x88\x87R."
    assert "AIR-PKL-002" in _scan_bytes(tmp_path, raw)


def test_npy_float8_e5m2_clean_and_truncated_denied(tmp_path: Path) -> None:
    """np.save writes '<f1' for ml_dtypes' float8_e5m2 (np.load refuses it: no 1-byte float)."""
    path = tmp_path / "f8.npy"
    np.save(path, _ml_array("float8_e5m2"))
    assert path.read_bytes()[:80].count(b"'<f1'") == 1
    assert not _denied(path)
    npz = tmp_path / "bundle.npz"
    np.savez_compressed(npz, a=_ml_array("float8_e5m2"), b=_ml_array("bfloat16"))
    assert not _denied(npz)
    cut = tmp_path / "cut.npy"
    cut.write_bytes(path.read_bytes()[:-5])
    assert _denied(cut)


# -- networkx graphs pickled whole ----------------------------------------------------------


nx = pytest.importorskip("networkx")


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_networkx_graphs_clean(tmp_path: Path, protocol: int) -> None:
    g = nx.gnp_random_graph(30, 0.2, seed=protocol)
    g.nodes, g.adj, g.degree  # the cached views land in the pickled __dict__
    d = nx.gnp_random_graph(20, 0.2, seed=1, directed=True)
    d.succ, d.pred, d.in_degree, d.out_degree, d.nodes(data=True)
    m = nx.MultiDiGraph([(0, 1, {"w": 1.5}), (1, 0, {"w": 2})])
    m.adj, m.degree
    objs = [g, d, m, nx.MultiGraph([(0, 1), (0, 1)]), nx.freeze(nx.path_graph(4))]
    path = tmp_path / "g.pkl"
    path.write_bytes(pickle.dumps(objs, protocol=protocol))
    assert _rules(path) == set()
    assert not _denied(path)


def _newobj(mod: str, name: str) -> bytes:
    return _g("copyreg", "__newobj__") + _g(mod, name) + b"\x85R"


_CACHE = b"X\x12\x00\x00\x00__networkx_cache__}s"


def test_networkx_cache_key_only_on_graphs(tmp_path: Path) -> None:
    graph = b"\x80\x02" + _newobj("networkx.classes.graph", "Graph") + b"}" + _CACHE + b"b."
    assert _scan_bytes(tmp_path, graph) == set()
    other = b"\x80\x02" + _newobj("torch.utils.data.dataset", "Subset") + b"}" + _CACHE + b"b."
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, other)
    slot = b"\x80\x02" + _newobj("networkx.classes.graph", "Graph") + b"N}" + _CACHE + b"\x86b."
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, slot)
    setstate = (
        b"\x80\x02"
        + _newobj("networkx.classes.graph", "Graph")
        + b"}X\x0c\x00\x00\x00__setstate__"
        + _g("builtins", "len")
        + b"sb."
    )
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, setstate)


@pytest.mark.parametrize(
    ("mod", "name"),
    [
        ("networkx.classes.graph", "Graph"),
        ("networkx.classes.reportviews", "NodeView"),
        ("networkx.classes.function", "frozen"),
        ("torch.utils.data.dataset", "Subset"),
        ("torch.utils.data.sampler", "WeightedRandomSampler"),
    ],
)
def test_fp21_names_called_denied(tmp_path: Path, mod: str, name: str) -> None:
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, b"\x80\x02" + _g(mod, name) + b")R.")


def test_networkx_edge_views_still_unknown(tmp_path: Path) -> None:
    """Edge views' __setstate__ reads an attribute of a pickle value: not listed (left open)."""
    g = nx.path_graph(4)
    g.edges
    path = tmp_path / "g.pkl"
    path.write_bytes(pickle.dumps(g, protocol=4))
    assert "AIR-PKL-002" in _rules(path)


# -- torch: data wrappers / samplers, return types ------------------------------------------

torch = pytest.importorskip("torch")


def test_torch_data_objects_and_return_types_clean(tmp_path: Path) -> None:
    from torch.utils import data as tud

    ds = tud.TensorDataset(torch.randn(10, 3), torch.arange(10))
    x = torch.randn(5, 4)
    objs = {
        "subset": tud.Subset(ds, [0, 2, 4]),
        "split": tud.random_split(ds, [0.7, 0.3]),
        "concat": tud.ConcatDataset([ds, ds]),
        "stack": tud.StackDataset(ds, ds),
        "samplers": [
            tud.SequentialSampler(range(10)),
            tud.RandomSampler(range(10), num_samples=4),
            tud.SubsetRandomSampler([1, 2]),
            tud.WeightedRandomSampler(torch.rand(10), 5),
            tud.BatchSampler(tud.SequentialSampler(range(10)), 3, False),
        ],
        "ret": [x.median(0), x.mode(0), x.kthvalue(2, 0), x.min(1), x.aminmax(), x.cummax(0)],
    }
    for proto in (2, 5):
        path = tmp_path / f"o{proto}.pt"
        torch.save(objs, path, pickle_protocol=proto)
        assert not _denied(path), _rules(path)


def test_return_type_of_a_long_range_denied(tmp_path: Path) -> None:
    rng = _g("builtins", "range") + b"K\x00J\x00\xca\x9a;\x86R"
    raw = b"\x80\x02" + _g("torch.return_types", "median") + rng + b"\x85R."
    assert "AIR-PKL-009" in _scan_bytes(tmp_path, raw)


def test_npy_f1_header_parsed() -> None:
    from airlock.formats import numpy as npy

    head = b"{'descr': '<f1', 'fortran_order': False, 'shape': (3,), }"
    raw = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head
    parsed = npy.parse_header(raw)
    assert npy.array_bytes(parsed) == 3
