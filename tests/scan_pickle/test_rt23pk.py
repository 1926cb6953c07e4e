"""rt23pk (session 22): keys a BUILD state holds through a mapping made at load, ChainMaps
made by calling, and memo indices.

Real loaders as oracles (``/tmp/rt23pk/oracle_child.py``, RLIMIT_AS 6 GB):

- a ReLU whose first BUILD state is a ``Bunch`` / ``OptimizeResult`` / ``FreqDist`` given a
  ``'__setstate__': bytearray`` item by SETITEM, a ``ChainMap`` of a dict holding it (called
  or BUILT), or a ``ModuleDict`` whose ``_modules`` hold an ``Upsample``: ``Module.__setstate__``
  runs ``__dict__.update(state)`` on any mapping, and the second BUILD calls the planted value
  (``bytearray(3e9)``: 3.2 GB at pickle.load / torch.load; the Upsample asked for 25.6 GB);
- ``_rebuild_parameter_with_state`` / ``_rebuild_from_type_v2`` setattr() their state's keys
  on the tensor (``'__setstate__'`` then BUILD: the same 3.2 GB);
- ``dict`` / ``OrderedDict`` / ``Counter`` / ``list`` / ``deque`` / ``_reconstructor`` of
  ``ChainMap(*60,000 references to a 20,000-key dict)`` (240 KB): > 120 s at pickle.load;
- LONG_BINPUT / PUT 2**28 (a 9-byte pickle): the C unpickler's memo table took 4.2 GB.

All scanned clean before. The makers below are the same shapes (the state checks do not
depend on sizes; the walks are at the rt22pk bound).
"""

from __future__ import annotations

import pickle
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


def _int(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(raw)]) + raw


_RELU = _g("torch.nn.modules.activation", "ReLU") + b")\x81"
_BA = _g("builtins", "bytearray")
_PLANT = _s("__setstate__") + _BA + b"s"  # SETITEM '__setstate__': bytearray


def _twice(first_state: bytes) -> bytes:
    """A ReLU BUILT with ``first_state``, then BUILT again with 3e9 (bytearray(3e9))."""
    return b"\x80\x02" + _RELU + first_state + b"b" + _int(3_000_000_000) + b"b."


_STATES = {
    "bunch_newobj": _g("sklearn.utils._bunch", "Bunch") + b")\x81" + _PLANT,
    "bunch_reduce": _g("sklearn.utils._bunch", "Bunch") + b")R" + _PLANT,
    "optimize_result": _g("scipy.optimize._optimize", "OptimizeResult") + b")R" + _PLANT,
    "freqdist": _g("nltk.probability", "FreqDist") + b")R" + _PLANT,
    "chainmap_call": _g("collections", "ChainMap") + b"}" + _PLANT + b"\x85R",
    "chainmap_of_bunch": (
        _g("collections", "ChainMap") + _g("sklearn.utils._bunch", "Bunch") + b")R" + _PLANT
    )
    + b"\x85R",
    "chainmap_build": _g("collections", "ChainMap")
    + b")\x81}"
    + _s("maps")
    + b"]}"
    + _PLANT
    + b"asb",
    "bunch_of_pairs": _g("scipy.optimize._optimize", "OptimizeResult")
    + b"]("
    + _s("__setstate__")
    + _BA
    + b"\x86e\x85R",
    "bunch_of_dict": _g("scipy.optimize._optimize", "OptimizeResult") + b"}" + _PLANT + b"\x85R",
    "reconstructor": _g("copyreg", "_reconstructor")
    + _g("sklearn.utils._bunch", "Bunch")
    + _g("builtins", "dict")
    + b"}"
    + _PLANT
    + b"\x87R",
}


@pytest.mark.parametrize("name", sorted(_STATES))
def test_planted_setstate_through_a_mapping_made_at_load(name: str) -> None:
    assert "AIR-PKL-009" in _severe(_twice(_STATES[name]))


def _moduledict_plant() -> bytes:
    import torch

    md = torch.nn.ModuleDict({"SETSTATEX": torch.nn.Upsample(scale_factor=20000.0)})
    body = pickle.dumps(md, protocol=2)[2:-1]
    return body.replace(b"X\t\x00\x00\x00SETSTATEX", b"X\x0c\x00\x00\x00__setstate__")


def test_planted_setstate_through_a_built_moduledict() -> None:
    pytest.importorskip("torch")
    data = b"\x80\x02" + _RELU + _moduledict_plant() + b"b" + _int(3) + b"b."
    assert "AIR-PKL-009" in _severe(data)


def _meta() -> bytes:
    return (
        _g("torch._utils", "_rebuild_meta_tensor_no_storage")
        + b"("
        + _g("torch", "float32")
        + b"(K\x04t(K\x01t\x89tR"
    )


@pytest.mark.parametrize("how", ["param_state", "from_type_v2"])
def test_tensor_state_setattr_keys(how: str) -> None:
    if how == "param_state":
        head = _g("torch._utils", "_rebuild_parameter_with_state") + b"(" + _meta()
        head += b"\x89" + _g("collections", "OrderedDict") + b")R"
    else:
        head = _g("torch._tensor", "_rebuild_from_type_v2") + b"("
        head += _g("torch._utils", "_rebuild_meta_tensor_no_storage") + _g("torch", "Tensor")
        head += b"(" + _g("torch", "float32") + b"(K\x04t(K\x01t\x89t"
    data = b"\x80\x02" + head + b"}" + _PLANT + b"tR" + _int(3_000_000_000) + b"b."
    assert "AIR-PKL-009" in _severe(data)


def _bigdict(nkeys: int) -> bytes:
    out = b"}"
    for a in range(0, nkeys, 1000):
        out += b"(" + b"".join(b"J" + struct.pack("<i", k) + b"N" for k in range(a, a + 1000))
        out += b"u"
    return out


def _chain_call(nkeys: int, nrefs: int) -> bytes:
    """ChainMap(*nrefs references to one nkeys-key dict), by REDUCE."""
    return (
        _bigdict(nkeys)
        + b"r\x00\x00\x00\x000"
        + _g("collections", "ChainMap")
        + b"("
        + b"j\x00\x00\x00\x00" * nrefs
        + b"tR"
    )


@pytest.mark.parametrize(
    "outer",
    [
        ("builtins", "dict"),
        ("collections", "OrderedDict"),
        ("collections", "Counter"),
        ("builtins", "list"),
        ("collections", "deque"),
    ],
)
def test_chainmap_made_by_calling_is_walked(outer: tuple[str, str]) -> None:
    data = b"\x80\x02" + _g(*outer) + _chain_call(2000, 3000) + b"\x85R."
    assert "AIR-PKL-009" in _severe(data)


def test_chainmap_call_as_state_and_reconstructor() -> None:
    assert "AIR-PKL-009" in _severe(b"\x80\x02" + _RELU + _chain_call(2000, 3000) + b"b.")
    rec = _g("copyreg", "_reconstructor") + _g("collections", "OrderedDict")
    rec += _g("builtins", "dict") + _chain_call(2000, 3000) + b"\x87R."
    assert "AIR-PKL-009" in _severe(b"\x80\x02" + rec)


@pytest.mark.parametrize(
    "put", [b"r" + struct.pack("<I", 2**28 + 1), b"p268435457\n", b"r" + struct.pack("<I", 70000)]
)
def test_memo_index_far_past_the_pickle(put: bytes) -> None:
    assert "AIR-PKL-009" in _severe(b"\x80\x02N" + put + b".")


def test_honest_shapes_stay_clean() -> None:
    import collections

    class _Plain:
        pass

    honest = [
        {"a": collections.ChainMap({"x": 1}, {"y": 2}), "b": collections.OrderedDict(k=1)},
        [collections.OrderedDict([("_private", 1), ("w", 2)])],
    ]
    for proto in (2, 4, 5):
        assert not _severe(pickle.dumps(honest, protocol=proto))
    # an honest memo index: every saver numbers entries from 0
    big = [str(i) for i in range(70000)]
    assert not _severe(pickle.dumps(big, protocol=2))
    del _Plain


def test_second_build_of_one_object() -> None:
    """Pairs made by tuple() and an object array's rows reach Module.__setstate__'s
    __dict__.update like a dict's items (3.2 GB at pickle.load, clean before): the second
    BUILD is what calls the planted value."""
    import numpy as np

    pairs = b"](" + _g("builtins", "tuple") + b"](" + _s("__setstate__") + _BA + b"e\x85Re"
    assert "AIR-PKL-009" in _severe(_twice(pairs))
    arr = np.empty((1, 2), dtype=object)
    arr[0, 0], arr[0, 1] = "__setstate__", "PLACEHOLDERX"
    rows = pickle.dumps(arr, protocol=2)[2:-1].replace(_s("PLACEHOLDERX"), _BA)
    assert "AIR-PKL-009" in _severe(_twice(rows))
    # memoised, then fetched again for the second BUILD
    memo = b"\x80\x02" + _RELU + b"q\x01}b0h\x01" + _int(3) + b"b."
    assert "AIR-PKL-009" in _severe(memo)
    # DUP, the copy on top memoised and BUILT with the pairs, the one below BUILT again
    dup = b"\x80\x02" + _RELU + b"2q\x01" + pairs + b"b0" + _int(3_000_000_000) + b"b."
    assert "AIR-PKL-009" in _severe(dup)


def test_objects_of_one_class_built_once_each_are_fine() -> None:
    import argparse
    import collections
    import fractions

    objs = [argparse.Namespace(a=i, b=[i]) for i in range(5)]
    objs += [collections.OrderedDict(x=i) for i in range(3)]
    objs += [fractions.Fraction(i, 7) for i in range(3)]
    for proto in (0, 1, 2, 3, 4, 5):
        assert not _severe(pickle.dumps(objs, protocol=proto)), proto


def test_frame_declared_far_past_the_data() -> None:
    """FRAME 3e9 in a 13-byte file: pickle.load's read() allocated 2.8 GiB of address space
    before failing (an anomaly only before)."""
    data = b"\x80\x04\x95" + struct.pack("<Q", 3_000_000_000) + b"N."
    assert "AIR-PKL-009" in _severe(data)
    short = b"\x80\x04\x95" + struct.pack("<Q", 40) + b"N."  # a truncated frame: an anomaly
    assert "AIR-PKL-009" not in _severe(short)


def test_objects_of_one_class_pickled_without_a_memo_are_fine() -> None:
    """review23: Pickler.fast writes no memo, so every object of a class shared the call's
    result symbol and each BUILD after the first was taken for a second BUILD."""
    import argparse
    import io

    objs = [argparse.Namespace(a=i, b=[i]) for i in range(5)]
    for proto in (2, 3, 4, 5):
        buf = io.BytesIO()
        p = pickle.Pickler(buf, protocol=proto)
        p.fast = True  # the deprecated no-memo mode
        p.dump(objs)
        assert b"\x94" not in buf.getvalue() and b"q" not in buf.getvalue()[2:4]
        assert not _severe(buf.getvalue()), proto
