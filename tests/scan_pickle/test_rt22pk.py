"""rt22pk (session 21): widening a joblib array, and time-only loads.

- ``_rebuild_device_tensor_from_numpy(a, complex128)`` on a joblib NumpyArrayWrapper array
  (80 MiB int8, 84 MB file) took 1.5 GB at joblib.load and scanned clean: the widening is
  charged like a pickled array's.
- one memoised 20,000-key dict BUILT 60,000 times onto a SimpleNamespace (589 KB) ran 31 s at
  pickle.load; OrderedDict / dict / Module.__setstate__ of a ChainMap of 60,000 references to
  that dict (529 KB) ran 52 s. All scanned clean; the items the loader walks are now bounded.

The makers below are the same at a smaller size (the walks exceed the bound, not 30 s).
"""

from __future__ import annotations

import io
import struct

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data


def _severe(data: bytes, name: str = "obj.pkl") -> set[str]:
    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def _g(mod: str, name: str) -> bytes:
    return b"c" + mod.encode() + b"\n" + name.encode() + b"\n"


def _s(text: str) -> bytes:
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def _put(k: int) -> bytes:
    return b"r" + struct.pack("<I", k)


def _get(k: int) -> bytes:
    return b"j" + struct.pack("<I", k)


def _pickle(body: bytes) -> bytes:
    return b"\x80\x04" + body + b"."


def _bigdict(nkeys: int) -> bytes:
    out = b"}"
    for a in range(0, nkeys, 1000):
        out += b"(" + b"".join(_s(f"k{k}") + b"N" for k in range(a, min(a + 1000, nkeys))) + b"u"
    return out


def _reflist(key: int, n: int) -> bytes:
    out = b"]"
    for a in range(0, n, 1000):
        out += b"(" + _get(key) * min(1000, n - a) + b"e"
    return out


def _chainmap(nkeys: int, nrefs: int) -> bytes:
    return (
        _g("collections", "ChainMap")
        + b")\x81}"
        + _s("maps")
        + _bigdict(nkeys)
        + _put(0)
        + b"0"
        + _reflist(0, nrefs)
        + b"sb"
    )


def _rebuilds(cls: tuple[str, str], nkeys: int, times: int) -> bytes:
    body = _g(*cls) + b")R" + _put(0) + b"0" + _bigdict(nkeys) + _put(1) + b"0"
    return _pickle(body + _get(0) + (_get(1) + b"b") * times)


@pytest.mark.parametrize("cls", [("types", "SimpleNamespace"), ("argparse", "Namespace")])
def test_one_state_built_over_and_over(cls: tuple[str, str]) -> None:
    assert "AIR-PKL-009" in _severe(_rebuilds(cls, 2000, 3000))


def test_one_state_built_a_few_times_is_fine() -> None:
    # (rt23pk: a second BUILD of one object is AIR-PKL-009 on its own; the walk bound is not hit)
    res = scan_data(_rebuilds(("types", "SimpleNamespace"), 2000, 3), "obj.pkl")
    assert not [f for f in res.findings if "repeated walks" in f.title + f.evidence]
    assert not [f for f in res.findings if "walk more than" in f.evidence]


@pytest.mark.parametrize(
    "outer", [("collections", "OrderedDict"), ("builtins", "dict"), ("builtins", "list")]
)
def test_chainmap_of_many_references_iterated(outer: tuple[str, str]) -> None:
    data = _pickle(_g(*outer) + b"(" + _chainmap(2000, 3000) + b"tR")
    assert "AIR-PKL-009" in _severe(data)


def test_chainmap_state_of_a_module() -> None:
    pytest.importorskip("torch")
    data = _pickle(
        _g("torch.nn.modules.linear", "Identity") + b")\x81" + _chainmap(2000, 3000) + b"b"
    )
    assert "AIR-PKL-009" in _severe(data)


def test_honest_chainmap() -> None:
    import collections
    import pickle

    cm = collections.ChainMap({"a": 1}, {"b": 2}, {str(i): i for i in range(5000)})
    data = pickle.dumps({"cm": cm, "od": collections.OrderedDict(cm)}, protocol=4)
    assert _severe(data) == set()


def test_joblib_array_widened() -> None:
    joblib = pytest.importorskip("joblib")
    np = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")

    class Widen:
        def __init__(self, a: object) -> None:
            self.a = a

        def __reduce__(self) -> tuple[object, ...]:
            rebuild = torch._utils._rebuild_device_tensor_from_numpy
            return (rebuild, (self.a, torch.complex128, "cpu", False))

    buf = io.BytesIO()
    joblib.dump(Widen(np.zeros(8 << 20, dtype=np.int8)), buf)
    assert "AIR-PKL-009" in _severe(buf.getvalue(), "obj.joblib")
    honest = io.BytesIO()
    joblib.dump({"a": np.zeros(8 << 20, dtype=np.int8)}, honest)
    assert _severe(honest.getvalue(), "obj.joblib") == set()
