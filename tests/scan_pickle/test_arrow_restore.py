"""pyarrow's ``_restore_array`` rebuilds an Array from the pickle's tuple without validating it
(red-team k1, session 8: int64 length 1<<26 over a 24-byte buffer, SIGSEGV on ``a.sum()``).
The call is allowed only when its tuple is proven in bounds from constants (AIR-PKL-015);
honest pandas/pyarrow saves stay clean. Nothing here unpickles a malformed array."""

from __future__ import annotations

import io
import pickle
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import airlock
from airlock.report import Severity

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
joblib = pytest.importorskip("joblib")

from pyarrow.lib import _restore_array, py_buffer  # noqa: E402


class _Evil:
    def __init__(self, data: tuple[Any, ...]) -> None:
        self.data = data

    def __reduce__(self) -> Any:
        return (_restore_array, (self.data,))


def _i32(*xs: int) -> Any:
    return py_buffer(struct.pack(f"<{len(xs)}i", *xs))


def _rules(tmp_path: Path, obj: Any, protocol: int = 4, name: str = "x.pkl") -> list[str]:
    path = tmp_path / name
    path.write_bytes(pickle.dumps({"col": obj}, protocol=protocol))
    return [f.rule_id for f in airlock.scan(path).findings]


BAD = {
    "k1_length_past_buffer": (pa.int64(), 1 << 26, 0, 0, [None, py_buffer(b"A" * 24)], [], None),
    "offset_past_buffer": (pa.int64(), 2, 0, 2, [None, py_buffer(b"A" * 24)], [], None),
    "bitmap_too_short": (
        pa.int64(),
        64,
        1,
        0,
        [py_buffer(b"\xff"), py_buffer(bytes(512))],
        [],
        None,
    ),
    "width_overflow": (pa.int64(), (1 << 63) - 1, 0, 0, [None, py_buffer(b"A" * 24)], [], None),
    "length_plus_offset_overflow": (
        pa.int8(),
        1 << 62,
        0,
        1 << 62,
        [None, py_buffer(b"A")],
        [],
        None,
    ),
    "negative_length": (pa.int64(), -5, 0, 0, [None, py_buffer(b"A" * 24)], [], None),
    "null_count_without_bitmap": (pa.int64(), 3, 2, 0, [None, py_buffer(b"A" * 24)], [], None),
    "missing_buffer": (pa.int64(), 3, 0, 0, [None], [], None),
    "string_offsets_past_values": (
        pa.string(),
        2,
        0,
        0,
        [None, _i32(0, 2, 100), py_buffer(b"abc")],
        [],
        None,
    ),
    "string_offsets_decrease": (
        pa.string(),
        2,
        0,
        0,
        [None, _i32(0, 3, 1), py_buffer(b"abc")],
        [],
        None,
    ),
    "string_offsets_negative": (
        pa.string(),
        1,
        0,
        0,
        [None, _i32(-8, 1), py_buffer(b"abc")],
        [],
        None,
    ),
    "string_offsets_buffer_short": (
        pa.string(),
        5,
        0,
        0,
        [None, _i32(0, 1), py_buffer(b"abc")],
        [],
        None,
    ),
    "large_string_offsets_past": (
        pa.large_string(),
        1,
        0,
        0,
        [None, py_buffer(struct.pack("<2q", 0, 1 << 40)), py_buffer(b"a")],
        [],
        None,
    ),
    "dictionary_index_out_of_range": (
        pa.dictionary(pa.int8(), pa.string()),
        1,
        0,
        0,
        [None, py_buffer(b"\x7f")],
        [],
        (pa.string(), 1, 0, 0, [None, _i32(0, 1), py_buffer(b"a")], [], None),
    ),
    "empty_string_without_offsets": (pa.string(), 0, 0, 3, [None, None, py_buffer(b"")], [], None),
    "unknown_type": (pa.list_(pa.int64()), 1, 0, 0, [None, _i32(0, 1 << 20)], [], None),
    # fp17: fixed-size lists / binaries and maps (a child too short for its parent's slots)
    "fixed_list_child_short": (
        pa.list_(pa.float32(), 3),
        4,
        0,
        0,
        [None],
        [(pa.float32(), 6, 0, 0, [None, py_buffer(bytes(24))], [], None)],
        None,
    ),
    "fixed_list_offset_past_child": (
        pa.list_(pa.int8(), 2),
        1,
        0,
        1 << 20,
        [None],
        [(pa.int8(), 2, 0, 0, [None, py_buffer(b"ab")], [], None)],
        None,
    ),
    "fixed_binary_short": (pa.binary(16), 4, 0, 0, [None, py_buffer(bytes(16))], [], None),
    "map_offsets_past_entries": (
        pa.map_(pa.string(), pa.float64()),
        1,
        0,
        0,
        [None, _i32(0, 1 << 20)],
        [
            (
                pa.struct([pa.field("key", pa.string(), False), pa.field("value", pa.float64())]),
                1,
                0,
                0,
                [None],
                [
                    (pa.string(), 1, 0, 0, [None, _i32(0, 1), py_buffer(b"a")], [], None),
                    (pa.float64(), 1, 0, 0, [None, py_buffer(bytes(8))], [], None),
                ],
                None,
            )
        ],
        None,
    ),
    "tensor_child_short": (
        pa.fixed_shape_tensor(pa.float32(), [2, 3]),
        2,
        0,
        0,
        [None],
        [(pa.float32(), 6, 0, 0, [None, py_buffer(bytes(24))], [], None)],
        None,
    ),
    "uuid_short": (pa.uuid(), 3, 0, 0, [None, py_buffer(bytes(32))], [], None),
    "json_offsets_past": (pa.json_(), 1, 0, 0, [None, _i32(0, 99), py_buffer(b"{}")], [], None),
    "children_on_primitive": (
        pa.int8(),
        1,
        0,
        0,
        [None, py_buffer(b"a")],
        [(pa.int8(), 1 << 30, 0, 0, [None, py_buffer(b"a")], [], None)],
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_unproven_arrays_deny(tmp_path: Path, case: str, protocol: int) -> None:
    rules = _rules(tmp_path, _Evil(BAD[case]), protocol)
    assert "AIR-PKL-015" in rules


def test_redteam_k1_evidence_names_why(tmp_path: Path) -> None:
    path = tmp_path / "k1.pkl"
    path.write_bytes(pickle.dumps({"col": _Evil(BAD["k1_length_past_buffer"])}, protocol=4))
    report = airlock.scan(path)
    (f,) = [f for f in report.findings if f.rule_id == "AIR-PKL-015"]
    assert "data buffer of 24 bytes" in f.evidence
    assert f.severity == Severity.HIGH  # blocks at the gate


def test_non_constant_argument_denies(tmp_path: Path) -> None:
    # _restore_array(<result of a call>): the tuple is not a constant
    stream = (
        b"\x80\x04cpyarrow.lib\n_restore_array\ncpyarrow.lib\ntype_for_alias\n(Vint64\ntR\x85R."
    )
    path = tmp_path / "dyn.pkl"
    path.write_bytes(stream)
    assert "AIR-PKL-015" in [f.rule_id for f in airlock.scan(path).findings]


def _bytearray_then_setitem() -> bytes:
    """A valid string array over a BYTEARRAY8 offsets buffer, then SETITEM changing a byte of
    that bytearray after the array is built (the loader's bytearray is shared with pyarrow)."""
    offs = struct.pack("<3i", 0, 1, 2)
    out = io.BytesIO()
    w = out.write
    w(b"\x80\x05")
    w(b"cpyarrow.lib\n_restore_array\n")
    w(b"(cpyarrow.lib\ntype_for_alias\n(Vstring\ntR")  # (type
    w(b"K\x02K\x00K\x00")  # length, null_count, offset
    w(b"(N")  # buffers: [None,
    w(b"cpyarrow.lib\npy_buffer\n\x96" + struct.pack("<Q", len(offs)) + offs + b"q\x01\x85R")
    w(b"cpyarrow.lib\npy_buffer\n\x96" + struct.pack("<Q", 2) + b"ab\x85R")
    w(b"l")  # ]
    w(b"]N")  # children, dictionary
    w(b"t\x85R")  # _restore_array((...))
    w(b"h\x01K\x08K\x7fs0")  # bytearray[8] = 127 (last offset now 127), result dropped
    w(b".")
    return out.getvalue()


class _ScalarOfObject:
    def __reduce__(self) -> Any:
        return (pa.lib.scalar, (_Evil(BAD["k1_length_past_buffer"]), pa.int64()))


def test_scalar_of_a_non_constant_denies(tmp_path: Path) -> None:
    assert "AIR-PKL-015" in _rules(tmp_path, _ScalarOfObject())


def test_offsets_bytearray_shared_with_numpy_denies(tmp_path: Path) -> None:
    """The offsets bytearray also handed to numpy's _frombuffer (a writable view whose
    SETITEM would change the offsets after they were checked)."""
    data = _bytearray_then_setitem().replace(
        b"h\x01K\x08K\x7fs0",
        b"cnumpy._core.numeric\n_frombuffer\n(h\x01cnumpy\ndtype\n(Vu1\nI00\nI01\ntR(K\x0ctVC\ntR0",
    )
    path = tmp_path / "shared.pkl"
    path.write_bytes(data)
    assert "AIR-PKL-015" in [f.rule_id for f in airlock.scan(path).findings]


def test_buffer_mutated_after_restore_denies(tmp_path: Path) -> None:
    path = tmp_path / "mut.pkl"
    data = _bytearray_then_setitem()
    path.write_bytes(data)
    rules = [f.rule_id for f in airlock.scan(path).findings]
    assert "AIR-PKL-015" in rules
    # control: the same stream without the SETITEM is clean
    clean = data.replace(b"h\x01K\x08K\x7fs0", b"")
    path.write_bytes(clean)
    assert [f.rule_id for f in airlock.scan(path).findings] == []


def _honest_objects() -> dict[str, Any]:
    n = 300
    arrow = pd.ArrowDtype
    df = pd.DataFrame(
        {
            "str": pd.Series(
                [None if i % 7 == 0 else "x" * (i % 5) for i in range(n)], dtype="str"
            ),
            "spa": pd.Series(
                [None if i % 3 == 0 else f"s{i}" for i in range(n)], dtype="string[pyarrow]"
            ),
            "i64": pd.Series(
                [None if i % 4 == 0 else i for i in range(n)], dtype=arrow(pa.int64())
            ),
            "f32": pd.Series([float(i) for i in range(n)], dtype=arrow(pa.float32())),
            "bool": pd.Series(
                [None if i % 5 == 0 else i % 2 == 0 for i in range(n)], dtype=arrow(pa.bool_())
            ),
            "bin": pd.Series([b"ab" * (i % 3) for i in range(n)], dtype=arrow(pa.binary())),
            "lstr": pd.Series(
                [None if i % 2 else "q" for i in range(n)], dtype=arrow(pa.large_string())
            ),
            "date": pd.Series(pa.array(list(range(n)), pa.date32()), dtype=arrow(pa.date32())),
        }
    )
    return {
        "df": df,
        "slice": df.iloc[3:250],
        "small_slice": df.iloc[1:4],
        "empty": df.iloc[0:0],
        "array": pa.array([1, None, 3]),
        "string_slice": pa.array(["x", "yy", None] * 50)[5:],
        "bool_slice": pa.array([True, None, False] * 50)[3:],
        "nulls": pa.array([None, None]),
        "empty_string": pa.array([], pa.string()),
        # fp17: embeddings as fixed-size lists, fixed-size binary ids, maps (whole and sliced)
        "fixed_list": pa.array([[float(i), 1.0, None] for i in range(40)],
                               pa.list_(pa.float32(), 3))[2:],
        "fixed_list_nulls": pa.array([None, [1, 2], [3, 4]], pa.list_(pa.int16(), 2)),
        "fixed_binary": pa.array([bytes([i]) * 16 for i in range(20)], pa.binary(16))[1:9],
        "map": pa.array([[("a", 1.0), ("b", None)], None, []] * 5,
                        pa.map_(pa.string(), pa.float64()))[4:],
        "tensor": pa.FixedShapeTensorArray.from_numpy_ndarray(
            np.arange(60, dtype="float32").reshape(5, 3, 4))[1:],
        "uuid": pa.array([bytes([i]) * 16 for i in range(6)], pa.binary(16)).cast(pa.uuid()),
        "json": pa.array(['{"a": 1}', None, "[]"] * 3, pa.json_()),
        "scalars": [pa.scalar(1.5), pa.scalar({"a": 1, "b": [1.0, None]}), pa.scalar(None),
                    pa.scalar("x", pa.large_string()), pa.scalar([1, 2], pa.list_(pa.int8()))],
        "tensor_type": pa.fixed_shape_tensor(pa.int8(), [2, 2], dim_names=["r", "c"],
                                             permutation=[1, 0]),
        "table_fp17": pa.table({"emb": pa.array([[0.5] * 4] * 6, pa.list_(pa.float32(), 4)),
                                "id": pa.array([bytes(8)] * 6, pa.binary(8))}),
    }


@pytest.mark.parametrize("name", sorted(_honest_objects()))
@pytest.mark.parametrize("dump", ["p2", "p4", "p5", "joblib"])
def test_honest_arrow_saves_are_clean(tmp_path: Path, name: str, dump: str) -> None:
    obj = _honest_objects()[name]
    path = tmp_path / f"{name}.{dump}"
    if dump == "joblib":
        joblib.dump(obj, path)
    else:
        path.write_bytes(pickle.dumps(obj, protocol=int(dump[1])))
    report = airlock.scan(path)
    assert [(f.rule_id, f.evidence) for f in report.findings] == []
    assert not report.not_scanned
