"""Session 18 (fixalloc19, review19): allocations at pickle.load the session-17 rules missed.
Each was ALLOW while the real loader allocated far more than the file (oracle figures in
RELIABILITY.md): MaskedArray called with a subarray dtype, numpy.void(b'', 'V<N>'),
multiarray.scalar(dtype('V<N>')) with no data (zero-filled), an object-list array state of a
900 MB-wide structured dtype, and torch.nn.functional.normalize called at load on a stride-0
view far larger than its storage. Fixtures are built here and never loaded; the sizes are only
claimed, never allocated."""

from __future__ import annotations

import builtins
import collections
import io
import pickle
from typing import Any

import numpy as np
import pytest

from airlock.report import Severity
from airlock.scan import load_cost
from airlock.scan.allowlist import Policy
from airlock.scan.engine import scan_data
from airlock.scan.pickle_values import K_OBJ, Sym

_reconstruct = np._core.multiarray._reconstruct  # type: ignore[attr-defined]
_scalar = np._core.multiarray.scalar  # type: ignore[attr-defined]


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...], state: Any = None) -> None:
        self.f, self.a, self.state = f, a, state

    def __reduce__(self) -> tuple[Any, ...]:
        if self.state is None:
            return (self.f, self.a)
        return (self.f, self.a, self.state)


class _DT:
    """numpy.dtype(typestr, False, True) as dtype.__reduce__ writes it, without numpy
    validating the size (never built here)."""

    def __init__(self, typestr: str) -> None:
        self.typestr = typestr

    def __reduce__(self) -> tuple[Any, ...]:
        return (np.dtype, (self.typestr, False, True))


def _severe_data(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def _severe(obj: object, proto: int = 2) -> set[str]:
    return _severe_data(pickle.dumps(obj, protocol=proto))


def _clean(obj: object) -> None:
    for proto in (0, 2, 4, 5):
        data = pickle.dumps(obj, protocol=proto)
        bad = [f for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH]
        assert not bad, (proto, bad)


BAD = {
    # review19 #1: MaskedArray(0, False, ('f8', (2**28,))) is 2 GiB + 256 MiB of mask
    "masked-subarray": lambda: _R(np.ma.core.MaskedArray, (0, False, ("f8", (1 << 28,)))),
    "masked-shape": lambda: _R(np.ma.MaskedArray, (np.arange(1),)),
    # review19 #2: void(b'', 'V2000000000') zero-fills 2 GB
    "void-dtype": lambda: _R(np.void, (b"", "V2000000000")),
    "void-dtype-obj": lambda: _R(np.void, (b"", _DT("V2000000000"))),
    "void-two": lambda: _R(np.void, (b"ab", b"cd")),
    # review19 #3: scalar(dtype('V2000000000')) with no data zero-fills 2 GB
    "scalar-nodata": lambda: _R(_scalar, (_DT("V2000000000"),)),
    "scalar-int": lambda: _R(_scalar, (_DT("V2000000000"), 5)),
    "scalar-short": lambda: _R(_scalar, (np.dtype("<i8"), b"abc")),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_allocating_numpy_call_refused(name: str) -> None:
    assert "AIR-PKL-009" in _severe(BAD[name]())


def test_numpy_core_spelling_of_scalar_checked() -> None:
    data = pickle.dumps(BAD["scalar-nodata"](), protocol=2)
    old = data.replace(b"numpy._core.multiarray\nscalar", b"numpy.core.multiarray\nscalar")
    assert old != data
    assert "AIR-PKL-009" in _severe_data(old)


def test_masked_arrays_and_numpy_scalars_as_saved_clean() -> None:
    rec = np.array([(1, 2.5)], dtype=[("a", "<i4"), ("b", "<f8")])
    objrec = np.array([(1, "a")], dtype=[("x", "<i8"), ("y", "O")])
    _clean(
        [
            np.ma.array([1.0, 2.0, 3.0], mask=[0, 1, 0]),
            np.ma.masked_array(np.zeros((2, 3), dtype=[("a", "<f8", (2,))])),
            np.ma.masked,
            np.int64(3),
            np.float32(1.5),
            np.void(b"abcd"),
            rec[0],
            objrec[0],
            np.str_("hé"),
            np.bytes_(b"xy"),
            np.datetime64("2020-01-01"),
            np.array(["a", None, 3], dtype=object),
            np.zeros(3, dtype=[("a", "<f8", (2,))]),
            objrec,
        ]
    )


def test_object_list_state_of_a_wide_dtype_refused() -> None:
    # one list item of a structured dtype holding an object and 900 MB of padding: numpy
    # allocates and zeroes items x itemsize before reading the list (357 bytes -> 900 MB)
    dt = np.dtype([("y", "O"), ("pad", "V900000000")])
    st = (1, (1,), dt, False, [(None, b"")])
    assert "AIR-PKL-009" in _severe(_R(_reconstruct, (np.ndarray, (0,), b"b"), st))
    many = [
        _R(
            _reconstruct,
            (np.ndarray, (0,), b"b"),
            (1, (1,), np.dtype([("y", "O"), ("p", "V9000000")]), False, [(None, b"")]),
        )
        for _ in range(20)
    ]
    assert "AIR-PKL-009" in _severe(many)
    small = np.dtype([("y", "O"), ("pad", "V64")])
    _clean(np.array([(i, b"") for i in range(1000)], dtype=small))


def _view_flags(data: bytes) -> list[str]:
    """AIR-PKL-009 findings for a view larger than its storage handed to a callable."""
    return [
        f.evidence
        for f in scan_data(data, "m.pt").findings
        if f.rule_id == "AIR-PKL-009" and "larger than its storage" in f.evidence
    ]


def test_normalize_on_an_oversized_view_refused() -> None:
    torch = pytest.importorskip("torch")
    f = torch.nn.functional

    def saved(view: Any, fn: Any = f.normalize) -> bytes:
        buf = io.BytesIO()
        torch.save({"w": _R(fn, (view,))}, buf)
        return buf.getvalue()

    # 4 bytes of storage viewed as 32768 x 32768: normalize allocates 4 GiB at torch.load
    # (F.normalize is also value_only since rt19pk; the view rule covers any callable)
    assert _view_flags(saved(torch.zeros(1).expand(32768, 32768)))
    # through a Parameter rebuild too, and to a callable no group marks value_only
    param = torch.nn.Parameter(torch.zeros(1).expand(4096, 4096))
    assert _view_flags(saved(param))
    assert _view_flags(
        saved(torch.zeros(1).expand(4096, 4096), torch.nn.utils.parameters_to_vector)
    )
    # OrderedDict(view) iterates it (a tensor object per row): not a keeper
    data = saved(torch.zeros(2).expand(1 << 20, 2), collections.OrderedDict)
    assert "AIR-PKL-009" in _severe_data(data, "m.pt")
    # a view no larger than its storage is what the file holds
    assert not _view_flags(saved(torch.zeros(4, 4)))


@pytest.mark.parametrize(
    "maker",
    ["list", "tuple", "set", "frozenset", "dict", "deque", "Counter", "OrderedDict", "Size"],
)
def test_tensor_or_array_iterated_by_a_container_refused(maker: str) -> None:
    # list(uint8 tensor of 1 MiB): one tensor object per element, 643 MiB at torch.load
    torch = pytest.importorskip("torch")
    fn = torch.Size if maker == "Size" else getattr(collections, maker, None)
    fn = fn or getattr(builtins, maker)
    buf = io.BytesIO()
    torch.save({"w": _R(fn, (torch.zeros(64, dtype=torch.uint8),))}, buf)
    assert "AIR-PKL-009" in _severe_data(buf.getvalue(), "m.pt")
    buf = io.BytesIO()
    torch.save({"w": _R(fn, (torch.nn.Parameter(torch.zeros(64)),))}, buf)
    assert "AIR-PKL-009" in _severe_data(buf.getvalue(), "m.pt")
    assert "AIR-PKL-009" in _severe(_R(fn, (np.zeros(64, dtype=np.uint8),)))


def test_torch_saves_with_expanded_views_clean(tmp_path: Any) -> None:
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LayerNorm(3))
    net.register_buffer("ids", torch.arange(8).expand(1, -1))
    state = {
        "net": net,
        "sd": net.state_dict(),
        "big": torch.zeros(1).expand(64, 64),
        "empty": torch.sparse_coo_tensor(
            torch.zeros(2, 0, dtype=torch.long), torch.ones(0), (3, 3)
        ),
    }
    for obj in (state, torch.nn.Parameter(torch.zeros(1).expand(4, 4))):
        buf = io.BytesIO()
        torch.save(obj, buf)
        assert not _severe_data(buf.getvalue(), "m.pt")


def test_range_four_containers_deep_counted() -> None:
    r = _R(range, (0, 1 << 22))
    obj = [_R(list, ([[[[r]]]],)) for _ in range(3)]
    assert "AIR-PKL-009" in _severe(obj)
    deep: Any = r
    for _ in range(40):  # past the walked depth: counted as holding it (fail closed)
        deep = [deep]
    assert "AIR-PKL-009" in _severe([_R(list, (deep,)) for _ in range(3)])


def test_unknown_quantized_size_counts_as_any() -> None:
    qt = Sym(K_OBJ, "torch._utils._rebuild_qtensor")
    assert load_cost.state_bytes((qt, "abc"), {id(qt): load_cost.ANY}, [1000]) == load_cost.ANY
    assert load_cost.state_bytes((qt, "abc"), {id(qt): 10}, [1000]) == 13


@pytest.mark.parametrize("value", ["false", 0, "true", 1])
def test_partial_ok_only_when_true(value: object) -> None:
    doc = {"new_only": [{"names": ["a.B"], "partial_ok": value}]}
    assert "a.B" not in Policy(doc).new_only_partial_ok
    doc = {"new_only": [{"names": ["a.B"], "partial_ok": True}]}
    assert "a.B" in Policy(doc).new_only_partial_ok
    doc = {"value_only": [{"names": ["a.f"], "partial_ok": value}]}
    assert "a.f" not in Policy(doc).value_only_partial_ok
    doc = {"value_only": [{"names": ["a.f"], "partial_ok": True}]}
    assert "a.f" in Policy(doc).value_only_partial_ok
