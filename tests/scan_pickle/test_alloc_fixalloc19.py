"""Session 18 (fixalloc19, review19): allocations at pickle.load the session-17 rules missed.
Each was ALLOW while the real loader allocated far more than the file (oracle figures in
RELIABILITY.md): MaskedArray called with a subarray dtype, numpy.void(b'', 'V<N>'),
multiarray.scalar(dtype('V<N>')) with no data (zero-filled), an object ndarray state whose list
is shorter than its shape (numpy reads past the list: a crash), and
torch.nn.functional.normalize called at load on a stride-0 view far larger than its storage.
Fixtures are built here and never loaded; the sizes are only claimed, never allocated."""

from __future__ import annotations

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
