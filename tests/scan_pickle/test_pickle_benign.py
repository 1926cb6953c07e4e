"""Zero findings on real artifacts written by the libraries' own savers.

A scanner that cries wolf on every checkpoint gets switched off, so each benign sample below is a
real file made by torch.save / pickle / joblib.dump, and must produce no finding at all.
"""

from __future__ import annotations

import bz2
import collections
import datetime
import gzip
import io
import lzma
import pickle
import pickletools
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.scan_pickle.builders import analyze, assert_clean

torch = pytest.importorskip("torch", reason="needs extra [trojan]")
np = pytest.importorskip("numpy", reason="needs group test")
joblib = pytest.importorskip("joblib", reason="needs group test")
nn = torch.nn


def _torch_zip_pickles(obj: Any) -> list[bytes]:
    buf = io.BytesIO()
    torch.save(obj, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return [z.read(n) for n in z.namelist() if n.endswith(".pkl")]


def _model() -> Any:
    return nn.Sequential(
        nn.Conv2d(3, 4, 3),
        nn.ReLU(),
        nn.Flatten(),
        nn.LayerNorm(4),
        nn.Linear(4, 8),
        nn.GELU(),
        nn.Dropout(0.1),
        nn.BatchNorm1d(8),
        nn.TransformerEncoderLayer(8, 2, dim_feedforward=16),
        nn.Embedding(5, 8),
        nn.LSTM(8, 8),
    )


def test_state_dict() -> None:
    (pkl,) = _torch_zip_pickles(_model().state_dict())
    a = analyze(pkl)
    assert_clean(a)
    assert "torch._utils._rebuild_tensor_v2" in a.callables
    assert a.pickles == 1 and a.end_offset == len(pkl)


def test_whole_module() -> None:
    model = _model()
    model.extra = nn.TransformerEncoderLayer(8, 2, activation=torch.tanh)
    for pkl in _torch_zip_pickles(model):
        assert_clean(analyze(pkl))


def test_training_checkpoint() -> None:
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
    model[4](torch.zeros(2, 4)).sum().backward()
    opt.step()
    sched.step()
    ckpt = {
        "epoch": 3,
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "torch_version": torch.__version__,
        "saved_at": datetime.datetime(2026, 1, 1),
        "rng": torch.get_rng_state(),
        "np_rng": np.random.get_state(),
    }
    for pkl in _torch_zip_pickles(ckpt):
        assert_clean(analyze(pkl))
    # Whole optimizer / scheduler objects as some training loops save them.
    for pkl in _torch_zip_pickles(
        {"opt": opt, "sched": sched, "sgd": torch.optim.SGD([torch.zeros(1)])}
    ):
        assert_clean(analyze(pkl))


def test_legacy_format_stacked_pickles() -> None:
    buf = io.BytesIO()
    torch.save(_model().state_dict(), buf, _use_new_zipfile_serialization=False)
    data = buf.getvalue()
    a = analyze(data)
    assert_clean(a)
    # magic number, protocol, sys info, payload, storage keys; then raw storage bytes
    assert a.pickles == 5
    assert a.end_offset < len(data)
    keys = pickle.loads(data[_pickle_end(data, 4) : a.end_offset])
    assert isinstance(keys, list) and keys


def _pickle_end(data: bytes, count: int) -> int:
    f = io.BytesIO(data)
    for _ in range(count):
        for _op in pickletools.genops(f):
            pass
    return f.tell()


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_numpy_pickles_every_protocol() -> None:
    values = [
        np.array([1, "a", None, {"x": 1.5}, (2, 3)], dtype=object),
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.zeros(3, dtype=[("a", "f4"), ("b", "i8"), ("c", "U3")]),
        np.float64(1.5),
        np.int8(3),
        np.dtype("U10"),
        np.ma.masked_array([1, 2, 3], mask=[0, 1, 0]),
        np.random.RandomState(0),
        np.random.default_rng(0),
        np.matrix([[1, 2]]),
        np.datetime64("2026-01-01"),
    ]
    for proto in range(6):
        data = pickle.dumps(values, protocol=proto)
        a = analyze(data)
        assert_clean(a)
        assert a.end_offset == len(data)


def test_python_data_every_protocol() -> None:
    values = {
        "set": {1, 2},
        "frozen": frozenset({3}),
        "bytes": b"\x00\x01" * 300,
        "bytearray": bytearray(b"xyz"),
        "complex": 1 + 2j,
        "slice": slice(1, 2),
        "od": collections.OrderedDict(a=1),
        "dd": collections.defaultdict(list, {"k": [1]}),
        "counter": collections.Counter("aab"),
        "deque": collections.deque([1]),
        "date": datetime.date(2026, 1, 1),
        "delta": datetime.timedelta(seconds=3),
        "path": Path("/tmp/x"),
        "big": 2**200,
        "text": "é" * 70_000,
        "range": range(3),
    }
    for proto in range(6):
        assert_clean(analyze(pickle.dumps(values, protocol=proto)))


def _sklearn_models() -> list[Any]:
    datasets = pytest.importorskip("sklearn.datasets", reason="needs group test")
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = datasets.make_classification(80, 5, random_state=0)
    forest = RandomForestClassifier(n_estimators=4, random_state=0).fit(x, y)
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]).fit(x, y)
    return [forest, pipe]


_DECOMPRESS = {
    0: lambda raw: raw,
    3: zlib.decompress,
    ("zlib", 3): zlib.decompress,
    ("gzip", 3): gzip.decompress,
    ("bz2", 3): bz2.decompress,
    ("xz", 3): lzma.decompress,
    ("lzma", 3): lzma.decompress,
}


@pytest.mark.parametrize("compress", list(_DECOMPRESS), ids=str)
def test_sklearn_through_joblib(tmp_path: Path, compress: Any) -> None:
    for model in _sklearn_models():
        path = tmp_path / "model.joblib"
        joblib.dump(model, path, compress=compress)
        raw = _DECOMPRESS[compress](path.read_bytes())
        a = analyze(raw, joblib=True)
        assert_clean(a)
        assert a.end_offset == len(raw)
        assert any(c.startswith("sklearn.") for c in a.callables)


def test_joblib_arrays_of_every_layout(tmp_path: Path) -> None:
    obj = {
        "f8": np.arange(10.0),
        "fortran": np.asfortranarray(np.ones((3, 5), dtype=np.float32)),
        "scalar": np.array(7, dtype=np.int16),
        "empty": np.zeros((0, 4)),
        "struct": np.zeros(4, dtype=[("a", "f4"), ("b", "i8"), ("s", "S5"), ("u", "U2")]),
        "subarray": np.zeros(2, dtype=("f4", (3,))),
        "bool": np.ones(5, dtype=bool),
        "complex": np.ones(3, dtype=np.complex128),
        "dt": np.array(["2026-01-01"], dtype="datetime64[D]"),
        "objects": np.array([1, "x", None, [2]], dtype=object),
        "big_endian": np.arange(4, dtype=">i4"),
        "list_of_arrays": [np.arange(i) for i in range(5)],
        "mmapable": np.arange(1000, dtype=np.uint8),
    }
    for proto in (2, 3, 4, 5):
        path = tmp_path / f"p{proto}.joblib"
        joblib.dump(obj, path, protocol=proto)
        raw = path.read_bytes()
        a = analyze(raw, joblib=True)
        assert_clean(a)
        assert a.end_offset == len(raw) and a.pickles == 1


def test_scipy_sparse_pickle() -> None:
    sparse = pytest.importorskip("scipy.sparse", reason="needs group test")
    m = sparse.random(5, 5, density=0.3, format="csr", random_state=0)
    for obj in (m, m.tocsc(), m.tocoo(), sparse.csr_array(m)):
        assert_clean(analyze(pickle.dumps(obj, protocol=4)))


def test_minilm_state_dict(minilm_dir: Path) -> None:
    from safetensors.torch import load_file

    state = load_file(str(minilm_dir / "model.safetensors"))
    (pkl,) = _torch_zip_pickles(state)
    a = analyze(pkl)
    assert_clean(a)
    assert a.end_offset == len(pkl)
    buf = io.BytesIO()
    torch.save(state, buf, _use_new_zipfile_serialization=False)
    legacy = analyze(buf.getvalue())
    assert_clean(legacy)
    assert legacy.pickles == 5


def test_memoryview_input_is_accepted() -> None:
    (pkl,) = _torch_zip_pickles(_model().state_dict())
    a = analyze(memoryview(pkl))  # type: ignore[arg-type]
    assert_clean(a)
    text = pickle.dumps({"a": [1, 2.5, "x"]}, protocol=0)
    assert_clean(analyze(memoryview(text)))  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore")
def test_distributed_checkpoint_metadata(tmp_path: Path) -> None:
    dcp = pytest.importorskip("torch.distributed.checkpoint", reason="needs extra [trojan]")
    state = {"w": torch.zeros(3), "nested": {"b": torch.ones(2)}, "step": 3}
    dcp.save(state, checkpoint_id=str(tmp_path / "ckpt"), no_dist=True)
    meta = (tmp_path / "ckpt" / ".metadata").read_bytes()
    a = analyze(meta)
    assert_clean(a)
    assert "torch.distributed.checkpoint.metadata.Metadata" in a.callables
    # ...while the networked parts of torch.distributed stay critical.
    rpc = analyze(b"\x80\x02ctorch.distributed.rpc\nrpc_sync\n0N.")
    assert [f.severity.name for f in rpc.findings] == ["CRITICAL"]


def test_layer_factories_generators_namespaces_and_ufuncs() -> None:
    import functools
    import types

    values = {
        "act": functools.partial(nn.GELU, approximate="tanh"),  # timm-style layer factory
        "gen": torch.Generator().manual_seed(0),
        "cfg": types.SimpleNamespace(lr=0.1, name="x"),
        "buf": io.BytesIO(b"raw"),
        "ufunc": np.log1p,
    }
    for pkl in _torch_zip_pickles(values):
        assert_clean(analyze(pkl))
    # numpy 1.x stored ufuncs as _ufunc_reconstruct(module, name): judged by what it reaches.
    old = (
        b"\x80\x02cnumpy.core\n_ufunc_reconstruct\n"
        b"X\x05\x00\x00\x00numpyX\x05\x00\x00\x00log1p\x86R."
    )
    assert_clean(analyze(old))
    evil = old.replace(
        b"\x05\x00\x00\x00numpyX\x05\x00\x00\x00log1p", b"\x02\x00\x00\x00osX\x06\x00\x00\x00system"
    )
    assert {f.extra.get("callable") for f in analyze(evil).findings} >= {
        "os.system",
        "numpy.core._ufunc_reconstruct",
    }
