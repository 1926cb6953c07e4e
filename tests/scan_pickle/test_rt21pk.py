"""rt21pk: session 19's open pickle items and a fresh red-team round (session 20).

- hashing at load: ``DeviceMesh.__hash__`` calls ``self._hash_key()`` from the instance: BUILD
  ``{'_hash_key': partial(Linear, 20000, 20000)}`` then a dict key or set item (136 bytes)
  took 1.7 GiB at pickle.load and scanned clean. Instances of classes whose hash runs Python
  code over their state are AIR-PKL-009 as keys or set items (``airlock.scan.pickle_keys``).
- a BUILD state putting a callable under ``append``/``extend`` on any class (not only the
  listed list subclasses): copy/deepcopy/pickle call it per item on a list subclass.
- ``_rebuild_qtensor`` reserves prod(size) elements before ``set_``: size (2**31,) over a
  4-element storage (1.6 KB) reserved 2.6 GiB and scanned clean.
- ``_rebuild_device_tensor_from_numpy(a, complex128)`` used once: a 70 MiB int8 array took
  1.4 GiB at pickle.load and scanned clean.
- a functools.partial called with keywords while holding its own: both reach the function.

Real loaders run only in a child process under RLIMIT_AS, on harmless payloads.
"""

from __future__ import annotations

import collections
import functools
import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan import pickle_vm
from airlock.scan.engine import scan_data

torch = pytest.importorskip("torch")
np = pytest.importorskip("numpy")


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def _evidence(data: bytes, name: str = "obj.pkl") -> str:
    return " | ".join(f.evidence for f in scan_data(data, name).findings)


def _g(mod: str, name: str) -> bytes:
    return b"c" + mod.encode() + b"\n" + name.encode() + b"\n"


def _s(text: str) -> bytes:
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def _i(n: int) -> bytes:
    return b"J" + struct.pack("<i", n)


def _t(*items: bytes) -> bytes:
    return b"(" + b"".join(items) + b"t"


def _call(func: bytes, *args: bytes) -> bytes:
    return func + _t(*args) + b"R"


def _newobj(mod: str, name: str) -> bytes:
    return _g(mod, name) + b")\x81"


def _d(*pairs: tuple[bytes, bytes]) -> bytes:
    return b"}(" + b"".join(k + v for k, v in pairs) + b"u"


def _pickle(body: bytes) -> bytes:
    return b"\x80\x04" + body + b"."


def _oracle(path: Path, code: str, gib: float = 3, env: dict[str, str] | None = None) -> str:
    """Run ``code`` (``path`` is sys.argv[1]) in a child under RLIMIT_AS; stdout + stderr."""
    src = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({int(gib * (1 << 30))},) * 2)\n" + code
    )
    out = subprocess.run(
        [sys.executable, "-c", src, str(path)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env=env,
    )
    return out.stdout + out.stderr


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...]) -> None:
        self.f, self.a = f, a

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.f, self.a)


# ------------------------------------------------------------ hashing at load

_DM = ("torch.distributed.device_mesh", "DeviceMesh")
_LINEAR = _call(
    _g("functools", "partial"), _g("torch.nn.modules.linear", "Linear"), _i(20000), _i(20000)
)


def _mesh(hash_key: bytes = _LINEAR) -> bytes:
    return _newobj(*_DM) + _d((_s("_hash_key"), hash_key)) + b"b"


_HASH_CASES = {
    "dict key": b"}" + _mesh() + _i(1) + b"s",
    "dict key by SETITEMS": _d((_mesh(), _i(1))),
    "set item": b"\x8f(" + _mesh() + b"\x90",
    "frozenset item": b"(" + _mesh() + b"\x91",
    "inside a tuple key": b"}" + _t(_s("a"), _t(_mesh())) + _i(1) + b"s",
    "dict of pairs": _call(_g("builtins", "dict"), b"]" + _t(_mesh(), _i(1)) + b"a"),
    "set of a list": _call(_g("builtins", "set"), b"]" + _mesh() + b"a"),
    "OrderedDict of pairs": _call(
        _g("collections", "OrderedDict"), b"]" + _t(_mesh(), _i(1)) + b"a"
    ),
    "GenerationConfig key": b"}"
    + _newobj("transformers.generation.configuration_utils", "GenerationConfig")
    + _d((_s("x"), _i(1)))
    + b"b"
    + _i(1)
    + b"s",
    "Fraction key": b"}" + _call(_g("fractions", "Fraction"), _s("1/3")) + _i(1) + b"s",
    "torch.Size of an object": b"}"
    + _call(_g("torch", "Size"), b"]" + _mesh() + b"a")
    + _i(1)
    + b"s",
    "path given a state": b"}"
    + _call(_g("pathlib", "PosixPath"), _s("a"))
    + b"N"
    + _d((_s("_str_normcase_cached"), _mesh()))
    + b"\x86b"
    + _i(1)
    + b"s",
    "MetadataIndex holding a mesh": b"}"
    + _newobj("torch.distributed.checkpoint.metadata", "MetadataIndex")
    + _d((_s("fqn"), _mesh()), (_s("offset"), b"N"))
    + b"b"
    + _i(1)
    + b"s",
}


@pytest.mark.parametrize("case", sorted(_HASH_CASES))
def test_keys_whose_hash_runs_code_are_denied(case: str) -> None:
    data = _pickle(_HASH_CASES[case])
    assert "AIR-PKL-009" in _severe(data), case
    assert "hashes" in _evidence(data), case


def test_mesh_as_a_value_is_not_a_hash_finding() -> None:
    data = _pickle(b"}" + _s("m") + _newobj(*_DM) + b"s")
    assert "hashes" not in _evidence(data)


def test_oracle_mesh_hash_calls_the_instance_hash_key(tmp_path: Path) -> None:
    marker = tmp_path / "hashed"
    payload = _call(
        _g("functools", "partial"),
        _g("pathlib", "Path.touch"),
        _call(_g("pathlib", "Path"), _s(str(marker))),
    )
    path = tmp_path / "k.pkl"
    path.write_bytes(_pickle(b"}" + _mesh(payload) + _i(1) + b"s"))
    out = _oracle(path, "import pickle\npickle.load(open(sys.argv[1], 'rb'))\n")
    assert marker.exists(), out[-800:]


def test_honest_keys_stay_clean(tmp_path: Path) -> None:
    from transformers import GenerationConfig

    lin = torch.nn.Linear(4, 4)
    opt = torch.optim.AdamW(lin.parameters(), lr=1e-3)
    lin(torch.randn(2, 4)).sum().backward()
    opt.step()
    objs: list[Any] = [
        opt,  # state keyed by Parameter objects
        {torch.float16: 1, torch.device("cpu"): 2, np.int64(3): "x", np.dtype("f4"): 4},
        {("a", 1): 1, frozenset({"x", "y"}): 2, 1.5: 3, b"k": 4, None: 5},
        {Path("a/b"): 1},
        {"cfg": GenerationConfig(max_new_tokens=3)},
        collections.Counter(["a", "b", "a"]),
        {torch.Size([2, 3]): 1},
        {frozenset({1, 2})},
    ]
    for obj in objs:
        for proto in (2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)
    buf = tmp_path / "o.pt"
    torch.save({"opt": opt, "sd": opt.state_dict(), "model": lin}, buf)
    assert _severe(buf.read_bytes(), "o.pt") == set()


# ------------------------------------------------------------ list hooks on any class


def test_a_callable_under_append_or_extend_on_any_class_is_denied() -> None:
    for key in ("append", "extend"):
        for host in (("torch.nn.modules.linear", "Identity"), _DM):
            state = _d((_s(key), _g("builtins", "bytearray")))
            data = _pickle(_newobj(*host) + state + b"b")
            assert "AIR-PKL-009" in _severe(data), (key, host)
            slot = _pickle(_newobj(*host) + b"N" + state + b"\x86b")
            assert "AIR-PKL-009" in _severe(slot), (key, host)
    plain = _pickle(
        _newobj("torch.nn.modules.linear", "Identity") + _d((_s("append"), b"\x88")) + b"b"
    )
    assert _severe(plain) == set()


def test_oracle_unlisted_list_subclass_deepcopy_calls_the_instance_append(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    (tmp_path / "rt21mod.py").write_text("class Items(list):\n    pass\n")
    items = (
        _call(
            _g("copyreg", "_reconstructor"),
            _g("rt21mod", "Items"),
            _g("builtins", "list"),
            b"]" + _s("rt21pk-item") + b"a",
        )
        + _d((_s("append"), _g("builtins", "print")))
        + b"b"
    )
    cfg = _newobj("transformers.generation.configuration_utils", "GenerationConfig")
    path = tmp_path / "l.pkl"
    path.write_bytes(_pickle(b"}" + cfg + _d((_s("x"), items)) + b"b" + _i(1) + b"s"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = _oracle(path, "import pickle\npickle.load(open(sys.argv[1], 'rb'))\n", 4, env)
    assert "rt21pk-item" in out, out[-800:]


# ------------------------------------------------------------ quantized tensors


def _qtensor_file(tmp_path: Path, n: int, stride: tuple[int, ...]) -> Path:
    q = torch.quantize_per_tensor(torch.zeros(4), 1.0, 0, torch.qint8)
    params = (torch.per_tensor_affine, 1.0, 0)
    args = (q.storage(), 0, (n,), stride, params, False, collections.OrderedDict())
    path = tmp_path / f"q{n}_{stride[0]}.pt"
    torch.save({"q": _R(torch._utils._rebuild_qtensor, args)}, path)
    return path


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("stride", [(1,), (0,)])
def test_qtensor_larger_than_its_storage_is_denied(tmp_path: Path, stride: tuple[int, ...]) -> None:
    path = _qtensor_file(tmp_path, 1 << 31, stride)
    assert "AIR-PKL-009" in _severe(path.read_bytes(), "q.pt")
    assert _severe(_qtensor_file(tmp_path, 4, (1,)).read_bytes(), "q.pt") == set()


@pytest.mark.filterwarnings("ignore")
def test_oracle_qtensor_reserves_its_size(tmp_path: Path) -> None:
    path = _qtensor_file(tmp_path, 1 << 32, (0,))
    code = (
        "import torch\n"
        "try:\n"
        "    torch.load(sys.argv[1], weights_only=False)\n"
        "    print('LOADED')\n"
        "except BaseException as e:\n"
        "    print('RAISED', e)\n"
    )
    out = _oracle(path, code, 3)
    assert "RAISED" in out and "alloc" in out.lower(), out[-800:]


@pytest.mark.filterwarnings("ignore")
def test_honest_quantized_tensors_stay_clean(tmp_path: Path) -> None:
    x = torch.randn(64, 32)
    per_tensor = torch.quantize_per_tensor(x, 0.1, 3, torch.quint8)
    per_channel = torch.quantize_per_channel(
        x, torch.full((64,), 0.1), torch.zeros(64, dtype=torch.long), 0, torch.qint8
    )
    qlin = torch.ao.nn.quantized.dynamic.Linear(32, 16)
    packed = {
        str(dt): torch.quantize_per_tensor(torch.rand(8, 4), 0.1, 0, dt)
        for dt in (torch.quint4x2, torch.quint2x4)
    }
    objs = {"t": per_tensor, "c": per_channel, "slice": per_tensor[3:9], "m": qlin, **packed}
    path = tmp_path / "q.pt"
    torch.save(objs, path)
    assert _severe(path.read_bytes(), "q.pt") == set()
    legacy = tmp_path / "legacy.pt"
    torch.save(objs, legacy, _use_new_zipfile_serialization=False)
    assert _severe(legacy.read_bytes(), "legacy.pt") == set()


# ------------------------------------------------------------ dtype widening at a rebuild

_MB = 1 << 20
_TO_NUMPY = torch._utils._rebuild_device_tensor_from_numpy
_FROM_CPU = torch._utils._rebuild_device_tensor_from_cpu_tensor


@pytest.mark.parametrize("proto", [2, 4])
def test_widening_a_large_array_once_is_denied(proto: int) -> None:
    a = np.zeros(40 * _MB, np.int8)
    data = pickle.dumps({"t": _R(_TO_NUMPY, (a, torch.complex128, "cpu", False))}, protocol=proto)
    assert "AIR-PKL-009" in _severe(data)
    same = pickle.dumps({"t": _R(_TO_NUMPY, (a, torch.int8, "cpu", False))}, protocol=proto)
    assert _severe(same) == set()
    f32 = np.zeros(10 * _MB, np.float32)
    ok = pickle.dumps({"t": _R(_TO_NUMPY, (f32, torch.float32, "cpu", False))}, protocol=proto)
    assert _severe(ok) == set()


def test_widening_a_cpu_tensor_once_is_denied(tmp_path: Path) -> None:
    t = torch.zeros(40 * _MB, dtype=torch.int8)
    path = tmp_path / "w.pt"
    torch.save({"t": _R(_FROM_CPU, (t, torch.complex128, "cpu", False))}, path)
    assert "AIR-PKL-009" in _severe(path.read_bytes(), "w.pt")
    torch.save({"t": _R(_FROM_CPU, (t, torch.int8, "cpu", False))}, path)
    assert _severe(path.read_bytes(), "w.pt") == set()


def test_oracle_numpy_rebuild_widens(tmp_path: Path) -> None:
    a = np.zeros(_MB, np.int8)
    path = tmp_path / "c.pkl"
    path.write_bytes(pickle.dumps(_R(_TO_NUMPY, (a, torch.complex128, "cpu", False)), protocol=4))
    code = "import pickle\nt = pickle.load(open(sys.argv[1], 'rb'))\nprint('BYTES', t.nbytes)\n"
    assert f"BYTES {16 * _MB}" in _oracle(path, code)


# ------------------------------------------------------------ partial keywords merged


def test_partial_call_keywords_merge_with_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, Any]] = []
    real = pickle_vm._Machine.call

    def spy(self: Any, func: Any, args: Any, kwargs: Any, offset: int, how: str) -> Any:
        if getattr(func, "name", None) == "builtins.dict":
            keys = sorted(k for k, _ in kwargs.items) if kwargs is not None else []
            seen.append((how, keys))
        return real(self, func, args, kwargs, offset, how)

    monkeypatch.setattr(pickle_vm._Machine, "call", spy)
    inner = (
        _call(_g("functools", "partial"), _g("builtins", "dict"))
        + _t(_g("builtins", "dict"), b")", _d((_s("a"), _i(1)), (_s("b"), _i(2))), b"N")
        + b"b"
    )
    outer = (
        _call(_g("functools", "partial"), _g("builtins", "dict"))
        + _t(inner, b")", _d((_s("b"), _i(3)), (_s("c"), _i(4))), b"N")
        + b"b"
    )
    scan_data(_pickle(outer + b")R"), "p.pkl")
    assert ("functools.partial", ["a", "b", "b", "c"]) in seen, seen


def test_oracle_partial_keywords_merge(tmp_path: Path) -> None:
    inner = functools.partial(dict, a=1, b=2)

    class _P:
        def __call__(self) -> None:
            return None

        def __reduce__(self) -> tuple[Any, ...]:
            return (functools.partial, (dict,), (inner, (), {"b": 3, "c": 4}, None))

    path = tmp_path / "p.pkl"
    path.write_bytes(pickle.dumps(_R(_P(), ()), protocol=4))
    code = "import pickle\nprint('GOT', sorted(pickle.load(open(sys.argv[1], 'rb')).items()))\n"
    assert "GOT [('a', 1), ('b', 3), ('c', 4)]" in _oracle(path, code)


# ------------------------------------------------------------ red team round (rt21pk)


def _text_op(text: str) -> bytes:
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


_WIDE = "".join(chr(0x10000 + k % 50000) for k in range(262_144))  # 1 MiB of 4-byte chars


def test_iterating_text_many_times_is_denied() -> None:
    one = _g("builtins", "list") + b"h\x00\x85R"
    data = b"\x80\x04](" + _text_op(_WIDE) + b"\x940" + one * 48 + b"e."
    assert "AIR-PKL-009" in _severe(data)
    big = _WIDE * 48
    for ctor in ("list", "tuple"):
        assert "AIR-PKL-009" in _severe(_pickle(_call(_g("builtins", ctor), _text_op(big))))
    assert _severe(_pickle(_call(_g("builtins", "list"), _text_op("abc")))) == set()


def test_oracle_list_of_wide_text_is_many_objects(tmp_path: Path) -> None:
    path = tmp_path / "t.pkl"
    path.write_bytes(_pickle(_call(_g("builtins", "list"), _text_op(_WIDE[:4096]))))
    code = (
        "import pickle\nx = pickle.load(open(sys.argv[1], 'rb'))\n"
        "print('N', len(x), sys.getsizeof(x[0]))\n"
    )
    assert "N 4096 80" in _oracle(path, code)


def _nested(leaf: bytes, widths: tuple[int, ...]) -> bytes:
    """A list of ``widths[0]`` references to one leaf, then lists of ``widths[i]`` references to
    the previous list (memo 0 = leaf, memo i = level i)."""
    out = leaf + b"\x94" + b"0"
    for level, n in enumerate(widths):
        ref = b"h" + bytes([level])
        out += b"](" + ref * n + b"e" + (b"\x940" if level < len(widths) - 1 else b"")
    return out


_T64K = b"X" + struct.pack("<I", 65536) + b"a" * 65536
_DEEP_CASES = {
    "str of shared lists": _call(_g("builtins", "str"), _nested(_T64K, (16, 2000))),
    "numpy.str_ of shared lists": _call(_g("numpy", "str_"), _nested(_T64K, (16, 2000))),
    "numpy.float64 of shared lists": _call(
        _g("numpy", "float64"), _nested(b"G" + b"\x00" * 8, (1000, 1000, 1000))
    ),
    "Polynomial of shared lists": _call(
        _g("numpy.polynomial.polynomial", "Polynomial"),
        _nested(b"G" + b"\x00" * 8, (1000, 1000, 1000)),
    ),
    "poly1d of shared lists": _call(
        _g("numpy", "poly1d"), _nested(b"G" + b"\x00" * 8, (1000, 1000, 1000))
    ),
    "TorchVersion NEWOBJ": _g("torch.torch_version", "TorchVersion")
    + b"("
    + _nested(_T64K, (16, 2000))
    + b"t\x81",
    "copyreg.__newobj__ TorchVersion": _call(
        _g("copyreg", "__newobj__"),
        _g("torch.torch_version", "TorchVersion"),
        _nested(_T64K, (16, 2000)),
    ),
    "copyreg._reconstructor on str": _call(
        _g("copyreg", "_reconstructor"),
        _g("torch.torch_version", "TorchVersion"),
        _g("builtins", "str"),
        _nested(_T64K, (16, 2000)),
    ),
    "str of an object": _call(
        _g("builtins", "str"),
        _newobj("transformers.generation.configuration_utils", "GenerationConfig"),
    ),
}


@pytest.mark.parametrize("case", sorted(_DEEP_CASES))
def test_deep_walk_of_shared_references_is_denied(case: str) -> None:
    assert "AIR-PKL-009" in _severe(_pickle(_DEEP_CASES[case])), case


def test_oracle_str_renders_every_reference(tmp_path: Path) -> None:
    path = tmp_path / "r.pkl"
    path.write_bytes(_pickle(_call(_g("builtins", "str"), _nested(_s("ab"), (16, 64)))))
    code = "import pickle\nprint('LEN', len(pickle.load(open(sys.argv[1], 'rb'))))\n"
    assert f"LEN {len(str([['ab'] * 16] * 64))}" in _oracle(path, code)


def test_honest_str_and_numpy_scalars_stay_clean() -> None:
    objs = [
        torch.__version__,
        np.float64(1.5),
        np.int64(3),
        np.str_("abc"),
        [np.float32(2)] * 100,
        np.polynomial.Polynomial([1.0, 2.0, 3.0]),
        np.poly1d([1.0, 2.0]),
        {"shared": [[1, 2, 3]] * 1000},
    ]
    for obj in objs:
        for proto in (0, 2, 4, 5):
            assert _severe(pickle.dumps(obj, protocol=proto)) == set(), (obj, proto)


def test_sklearn_version_that_is_not_text_is_denied() -> None:
    lr = _newobj("sklearn.linear_model._base", "LinearRegression")
    bad = _pickle(lr + b"}(" + _s("_sklearn_version") + _nested(_T64K, (16, 2000)) + b"ub")
    assert "AIR-PKL-009" in _severe(bad)
    ok = _pickle(lr + b"}(" + _s("_sklearn_version") + _s("0.24.2") + b"ub")
    assert _severe(ok) == set()


def test_oracle_sklearn_renders_a_foreign_version(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    lr = _newobj("sklearn.linear_model._base", "LinearRegression")
    path = tmp_path / "v.pkl"
    path.write_bytes(_pickle(lr + b"}(" + _s("_sklearn_version") + b"](" + _s("rt21pk-v") + b"eub"))
    out = _oracle(path, "import pickle\npickle.load(open(sys.argv[1], 'rb'))\n")
    assert "['rt21pk-v']" in out, out[-800:]


def test_honest_sklearn_estimators_stay_clean() -> None:
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression

    x = np.arange(40, dtype=float).reshape(20, 2)
    y = (x[:, 0] > 10).astype(int)
    est = LogisticRegression().fit(x, y)
    for proto in (2, 4, 5):
        data = pickle.dumps(est, protocol=proto)
        assert b"_sklearn_version" in data
        assert _severe(data) == set(), proto
