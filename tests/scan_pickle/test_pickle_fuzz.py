"""Hostile-input properties of the opcode reader and the symbolic machine.

For any bytes: no exception escapes, the analysis terminates, memory stays bounded by the
limits, and a result always says how far it got. Real pickles are mutated byte-wise, and valid
pickles of arbitrary data are cross-checked against pickletools.
"""

from __future__ import annotations

import pickle
import pickletools
import struct
import tracemalloc
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.formats.pickle_ops import PickleParseError, iter_ops
from airlock.scan.interface import Limits
from airlock.scan.pickle_vm import PickleAnalysis
from tests.scan_pickle.builders import PROTO2, PROTO4, STOP, analyze, call, glob, rules, s

_SEEDS = [
    pickle.dumps({"a": [1, 2.5, "x", b"y", None, True], "b": (1, 2)}, protocol=p) for p in range(6)
] + [
    PROTO2 + call(glob("posix", "system"), s("touch x")) + STOP,
    b"\x80\x04" + s("os") + b"q\x00" + s("system") + b"q\x01\x93" + b"(h\x00t" + b"R.",
]

_data = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.binary(max_size=300),
    lambda children: (
        st.lists(children, max_size=5)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=5), children, max_size=5)
        | st.frozensets(st.integers(), max_size=4)
    ),
    max_leaves=30,
)


def _ok(result: PickleAnalysis, data: bytes) -> None:
    assert isinstance(result, PickleAnalysis)
    assert 0 <= result.end_offset <= len(data)
    assert result.pickles >= 0
    if result.error is not None:
        assert (
            "AIR-PKL-005" in rules(result)
            or "AIR-PKL-011" in rules(result)
            or ("AIR-PKL-013" in rules(result))
        )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=512))
def test_random_bytes_never_raise(data: bytes) -> None:
    _ok(analyze(data), data)
    _ok(analyze(data, joblib=True, multi=False), data)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_SEEDS), st.data())
def test_mutated_real_pickles_never_raise(seed: bytes, draw: Any) -> None:
    data = bytearray(seed)
    for _ in range(draw.draw(st.integers(1, 6))):
        op = draw.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        i = draw.draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[i] = draw.draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw.draw(st.binary(min_size=1, max_size=9))
        elif op == "delete" and data:
            del data[i]
        else:
            del data[i:]
    blob = bytes(data)
    _ok(analyze(blob), blob)
    _ok(analyze(blob, joblib=True), blob)


@settings(max_examples=300, deadline=None)
@given(_data, st.integers(0, 5))
def test_valid_pickles_agree_with_pickletools_and_are_clean(value: Any, proto: int) -> None:
    data = pickle.dumps(value, protocol=proto)
    ours = [(pos, name) for pos, name, _ in iter_ops(data)]
    theirs = [(pos, op.name) for op, _, pos in pickletools.genops(data)]
    assert ours == theirs
    result = analyze(data)
    assert result.findings == [] and result.error is None
    assert result.pickles == 1 and result.end_offset == len(data)


def test_every_truncation_of_a_payload_still_judged() -> None:
    data = PROTO2 + call(glob("posix", "system"), s("touch x")) + b"}" * 40 + STOP
    reduce_at = data.index(b"R") + 1
    for cut in range(len(data)):
        result = analyze(data[:cut])
        _ok(result, data[:cut])
        assert result.error is not None
        if cut >= len(PROTO2) + len(glob("posix", "system")):
            assert "posix.system" in result.callables
        if cut >= reduce_at:
            assert any(f.severity.name == "CRITICAL" for f in result.findings)


def test_empty_input() -> None:
    result = analyze(b"")
    assert result.error and result.pickles == 0 and "AIR-PKL-005" in rules(result)


def test_huge_length_fields_do_not_allocate() -> None:
    cases = [
        PROTO4 + b"\x8d" + struct.pack("<Q", 2**63),  # BINUNICODE8
        PROTO4 + b"\x8e" + struct.pack("<Q", 2**64 - 1),  # BINBYTES8
        PROTO4 + b"\x96" + struct.pack("<Q", 2**40),  # BYTEARRAY8
        PROTO2 + b"X" + struct.pack("<I", 2**32 - 1),  # BINUNICODE
        PROTO2 + b"B" + struct.pack("<I", 2**32 - 1),  # BINBYTES
        PROTO2 + b"T" + struct.pack("<i", -5),  # BINSTRING negative
        PROTO2 + b"\x8b" + struct.pack("<i", 2**31 - 1),  # LONG4
        PROTO4 + b"\x95" + struct.pack("<Q", 2**63) + b"N.",  # FRAME
        PROTO2 + b"j" + struct.pack("<I", 2**32 - 1),  # LONG_BINGET of nothing
        PROTO2 + b"N" + b"r" + struct.pack("<I", 2**32 - 1) + b".",  # LONG_BINPUT huge index
    ]
    tracemalloc.start()
    try:
        for data in cases:
            _ok(analyze(data), data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_million_memo_is_bounded() -> None:
    count = 1_200_000
    data = PROTO4 + b"N" + b"\x94" * count + b"."
    limits = Limits(max_memo=100_000)
    tracemalloc.start()
    try:
        result = analyze(data, limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "AIR-PKL-011" in rules(result)
    assert result.pickles == 1
    assert peak < 64 * 1024 * 1024  # 100k entries, not 1.2M


def test_memo_limit_then_get_is_not_silent() -> None:
    data = PROTO4 + s("os") + b"\x94" + s("system") + b"\x94" + b"0h\x00h\x01\x93N."
    result = analyze(data, limits=Limits(max_memo=1))
    assert "AIR-PKL-011" in rules(result)
    assert "AIR-PKL-003" in rules(result)  # operand dropped at the limit -> unresolvable import


def test_deep_nesting_marks_and_containers() -> None:
    depth = 300_000
    cases = [
        PROTO2 + b"(" * depth + b".",  # marks only
        PROTO2 + b")" + b"\x85" * depth + b".",  # tuple nested 300k deep
        PROTO2 + b"]" * depth + b"a" * (depth - 1) + b".",  # list nested 300k deep
        PROTO2 + b"}" * depth + b"N" + b"s" * 0 + b".",
        PROTO2 + (b"(" + b"]") * depth + b"e" * depth + b".",
    ]
    for data in cases:
        _ok(analyze(data), data)


def test_deep_tuple_as_dict_key_is_judged_without_hashing_it() -> None:
    # the scanner must not hash (or recurse into) it; the real loader does, in C, and crashes
    # with SIGSEGV at this depth (pickle.loads of these bytes), so it is a finding, not clean
    key = b")" + b"\x85" * 200_000
    data = PROTO2 + b"}" + key + b"N" + b"s" + b"."
    result = analyze(data)
    assert result.pickles == 1 and "AIR-PKL-009" in rules(result)
    shallow = PROTO2 + b"}" + b")" + b"\x85" * 3 + b"N" + b"s" + b"."
    assert analyze(shallow).findings == []


def test_stack_limit() -> None:
    data = PROTO2 + b"N" * 2_100_000 + b"."
    result = analyze(data)
    assert "AIR-PKL-011" in rules(result) and result.error


def test_op_limit() -> None:
    data = PROTO2 + b"N0" * 5000 + b"N."
    result = analyze(data, limits=Limits(max_pickle_ops=1000))
    assert "AIR-PKL-011" in rules(result) and result.error


def test_iter_ops_rejects_invalid_and_truncated() -> None:
    for bad in (b"\xff", b"\x80", b"X\x05\x00\x00\x00ab", b"c os\n"):
        try:
            list(iter_ops(bad))
        except PickleParseError as exc:
            assert exc.offset >= 0
        else:
            raise AssertionError(f"{bad!r} decoded")


def test_protocol0_long_lines_and_bad_numbers() -> None:
    data = b"I12x\nF1.5.5\nL99999999999999999999999L\nS'abc\n."
    result = analyze(data)
    _ok(result, data)
    assert "AIR-PKL-005" in rules(result)


def test_memoryview_of_bytearray_and_non_byte_format() -> None:
    data = pickle.dumps([1, 2, 3], protocol=0)
    buf = bytearray(data)
    assert analyze(memoryview(buf)).findings == []  # type: ignore[arg-type]
    chars = analyze(memoryview(buf).cast("c"))  # type: ignore[arg-type]
    assert chars.findings == [] and chars.end_offset == len(data)


def test_pickle_byte_limit_is_a_limit_finding_not_truncation() -> None:
    data = PROTO2 + b"(" + b"N" * 5000 + b"l."
    result = analyze(data, limits=Limits(max_pickle_bytes=1000))
    assert [f.rule_id for f in result.findings] == ["AIR-PKL-011"]
    trailing = pickle.dumps([1], protocol=2) + b"\x00" * 5000
    ok = analyze(trailing, limits=Limits(max_pickle_bytes=1000))
    assert ok.findings == [] and ok.pickles == 1


def test_many_nested_candidates_are_bounded() -> None:
    fake = b"\x80\x02" + b"N" * 600  # looks like a pickle for 512 opcodes, then no STOP
    data = PROTO2 + b"(" + (b"B" + struct.pack("<I", len(fake)) + fake) * 3000 + b"l."
    result = analyze(data)
    assert result.error is None and 0 < len(result.nested) <= 3000


def test_memory_mapped_input_is_released(tmp_path: Any) -> None:
    """The engine hands us views of mmapped files; no view may outlive the analysis (the map
    could not be closed), including on the error paths."""
    import mmap

    cases = [
        pickle.dumps({"a": [1, "x" * 300, b"y" * 400]}, protocol=4),
        PROTO2 + call(glob("posix", "system"), s("x")) + b"\xff",
        PROTO2 + b"C\x10" + b"\x80\x02cos\nsystem\n." + b"\x00\x00.",
    ]
    for i, data in enumerate(cases):
        path = tmp_path / f"{i}.bin"
        path.write_bytes(data)
        with path.open("rb") as fh:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            view = memoryview(mm)
            _ok(analyze(view), data)  # type: ignore[arg-type]
            _ok(analyze(view[: len(data) // 2], joblib=True), data[: len(data) // 2])  # type: ignore[arg-type]
            view.release()
            mm.close()  # raises BufferError if the analyser kept a view
