"""Session 18 (rt19pk): numpy ``ndarray.__setstate__`` with an object dtype reads
``prod(shape)`` items from the state's list without checking its length (numpy's
``_setlist_pkl``): ``_reconstruct(ndarray, (0,), b'b')`` + BUILD ``(1, (4,), dtype('O'),
False, [])`` makes ``pickle.load`` read past the list (SIGSEGV in numpy 2.4.6, exit -11),
and airlock allowed it. Fixtures are built here; the oracle runs the real loader in a child."""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data

_reconstruct = np._core.multiarray._reconstruct  # type: ignore[attr-defined]
_mareconstruct = np.ma.core._mareconstruct  # type: ignore[attr-defined]


class _R:
    def __init__(self, f: Any, a: tuple[Any, ...], st: Any = None) -> None:
        self.f, self.a, self.st = f, a, st

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.f, self.a, self.st)


def _arr(state: Any) -> _R:
    return _R(_reconstruct, (np.ndarray, (0,), b"b"), state)


def _calls_list() -> _R:
    return _R(list, ((),))


BAD = {
    "short-list": lambda: _arr((1, (4,), np.dtype("O"), False, [])),
    "one-of-1000": lambda: _arr((1, (1000,), np.dtype("O"), False, [1])),
    "2d-short": lambda: _arr((1, (300, 300), np.dtype("O"), False, [None] * 10)),
    "four-tuple-state": lambda: _arr(((4,), np.dtype("O"), False, [1, 2])),
    "list-made-by-a-call": lambda: _arr((1, (4,), np.dtype("O"), False, _calls_list())),
    "subarray-dtype": lambda: _arr((1, (2,), np.dtype(("O", (1000,))), False, [1, 2])),
    "masked": lambda: _R(
        _mareconstruct,
        (np.ma.MaskedArray, np.ndarray, (0,), b"b"),
        (1, (5,), np.dtype("O"), False, [1], b"\0" * 5, None),
    ),
}


def _severe(obj: object, proto: int = 2) -> set[str]:
    data = pickle.dumps(obj, protocol=proto)
    return {f.rule_id for f in scan_data(data, "a.pkl").findings if f.severity >= Severity.HIGH}


@pytest.mark.parametrize("case", sorted(BAD))
def test_object_array_state_shorter_than_its_shape_is_denied(case: str) -> None:
    assert "AIR-PKL-017" in _severe(BAD[case]())


HONEST = {
    "objects": np.array(["a", None, 3, {"k": 1}], dtype=object),
    "objects-2d": np.array([[1, "x"], [None, 2.5]], dtype=object),
    "empty-objects": np.empty((0, 3), dtype=object),
    "structured-objects": np.array([(1, "a"), (2, "b")], dtype=[("i", "i4"), ("o", "O")]),
    "masked-objects": np.ma.array(np.array([1, "a", None], dtype=object), mask=[0, 1, 0]),
    "floats": np.arange(12.0).reshape(3, 4),
    "strings": np.array(["a", "bb", ""], dtype=np.dtypes.StringDType()),
    "fortran-objects": np.asfortranarray(np.array([[1, "a"], [2, "b"]], dtype=object)),
}


@pytest.mark.parametrize("proto", [2, 4, 5])
@pytest.mark.parametrize("case", sorted(HONEST))
def test_saver_written_object_arrays_stay_clean(case: str, proto: int) -> None:
    assert _severe({"a": HONEST[case], "b": [HONEST[case]]}, proto) == set()


def test_oracle_short_object_list_crashes_numpy(tmp_path: Any) -> None:
    path = tmp_path / "a.pkl"
    path.write_bytes(pickle.dumps(BAD["one-of-1000"](), protocol=2))
    code = "import pickle,sys; pickle.load(open(sys.argv[1], 'rb')); print('loaded')"
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=60)
    # numpy reads 999 pointers past the one-item list as objects (SIGSEGV in numpy 2.4.6)
    assert p.returncode != 0, p.stdout
