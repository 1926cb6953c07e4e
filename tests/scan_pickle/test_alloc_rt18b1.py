"""Session 17 (rt18b1): allocating calls the fixalloc rules missed. Each was ALLOW while the
real pickle.load allocated over 1 GiB or ran past 90 s (oracle in RELIABILITY.md): a large or
subarray dtype under a small _reconstruct/ndarray shape, recarray(shape), numpy.void(N),
Fraction('1e3000000000') and int(Decimal('1e3000000000')), _codecs.encode(bytes, 'hex')
chained on its own results, and one memoised range(2**22) handed to many list()/tuple() calls.
Fixtures are built here and never loaded."""

from __future__ import annotations

import codecs
import decimal
import fractions
import pickle
from typing import Any

import numpy as np
import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

_reconstruct = np._core.multiarray._reconstruct  # type: ignore[attr-defined]


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...]) -> None:
        self.f, self.a = f, a

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.f, self.a)


def _severe(obj: object) -> set[str]:
    data = pickle.dumps(obj, protocol=2)
    return {f.rule_id for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH}


def _hex_chain() -> _R:
    o = _R(codecs.encode, (b"a", "hex"))
    for _ in range(30):
        o = _R(codecs.encode, (o, "hex"))
    return o


def _ranges() -> list[_R]:
    r = _R(range, (0, 1 << 22))
    return [_R(list, (r,)) for _ in range(10)]


def _copies() -> list[_R]:
    lst = _R(list, (_R(range, (0, 1 << 22)),))
    return [_R(tuple, (lst,)) for _ in range(40)]


BAD = {
    "void-dtype": lambda: _R(_reconstruct, (np.ndarray, (1,), np.dtype("V1500000000"))),
    "subarray-dtype": lambda: _R(_reconstruct, (np.ndarray, (1,), np.dtype(("O", (200000000,))))),
    "ndarray-subarray": lambda: _R(np.ndarray, ((2,), np.dtype(("O", (100000000,))))),
    "recarray": lambda: _R(np.rec.recarray, ((200000000,), "O")),
    "numpy-void": lambda: _R(np.void, (1500000000,)),
    "fraction-exp": lambda: _R(fractions.Fraction, ("1e3000000000",)),
    "fraction-decimal": lambda: _R(fractions.Fraction, (_R(decimal.Decimal, ("1e3000000000",)),)),
    "int-decimal": lambda: _R(int, (_R(decimal.Decimal, ("1e3000000000",)),)),
    "hex-chain": _hex_chain,
    "range-reused": _ranges,
    "range-copies": _copies,
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_allocating_call_refused(name: str) -> None:
    assert "AIR-PKL-009" in _severe(BAD[name]())


def test_what_savers_write_stays_clean() -> None:
    obj = [
        fractions.Fraction(-7, 3),
        decimal.Decimal("1e30"),
        np.arange(5),
        np.rec.fromrecords([(1, 2.0)], names="a,b"),
        np.void(b"ab"),
        np.ma.masked_array([1, 2], mask=[0, 1]),
        np.zeros(3, dtype=[("a", "<f8", (2,))]),
        range(0, 1 << 22),
        list(range(10)),
        "text".encode("utf-16"),
    ]
    for proto in (0, 2, 4, 5):
        data = pickle.dumps(obj, protocol=proto)
        bad = [f for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH]
        assert not bad, (proto, bad)


def test_range_inside_a_dict_argument_counted() -> None:
    from pandas import Index
    from pandas.core.indexes.base import _new_Index

    r = _R(range, (0, 1 << 22))
    obj = [_R(_new_Index, (Index, {"data": r, "dtype": "object"})) for _ in range(10)]
    assert "AIR-PKL-009" in _severe(obj)


@pytest.mark.parametrize("text", ["1e300000000", "1E-300000000", "-2.5e+12345"])
def test_decimal_exponent_bounded(text: str) -> None:
    # numpy.int64(Decimal('1e300000000')) hangs in Decimal.__int__ (10**300000000)
    assert "AIR-PKL-009" in _severe(_R(np.int64, (_R(decimal.Decimal, (text,)),)))
    assert "AIR-PKL-009" in _severe(_R(decimal.Decimal, (text,)))


def test_decimal_as_saved_clean() -> None:
    obj = [decimal.Decimal(t) for t in ("1.5", "-0", "1E+9999", "NaN", "sNaN12", "-Infinity")]
    for proto in (0, 2, 4, 5):
        data = pickle.dumps(obj, protocol=proto)
        bad = [f for f in scan_data(data, "obj.pkl").findings if f.severity >= Severity.HIGH]
        assert not bad, (proto, bad)
