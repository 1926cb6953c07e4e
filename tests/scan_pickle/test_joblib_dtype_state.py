"""joblib raw array bytes: their length must be numpy's, for every dtype state form.

joblib reads ``count * dtype.itemsize`` raw bytes after a NumpyArrayWrapper (or a nested pickle
when ``dtype.hasobject``); numpy takes both from the pickled ``dtype.__setstate__`` state, whose
layout depends on its length (5 to 9 items). Red-team review (session 8): a 6-item state put the
element size where the gate read the alignment, so joblib resumed unpickling inside what the gate
parsed as a byte string. numpy is the oracle here on descriptors only (``np.dtype.__setstate__``
on descriptors the test makes); the streams are parsed, never loaded, except one deliberate
joblib.load in a child process on a file the test built.
"""

from __future__ import annotations

import pickle
import pickletools
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scan_pickle.builders import (
    BUILD,
    EMPTY_DICT,
    MARK,
    NONE,
    PROTO2,
    STOP,
    analyze,
    call,
    glob,
    s,
    sglob,
    touch_cmd,
    tup,
)

np = pytest.importorskip("numpy")


class _Reduced:
    """Pickles as ``numpy.dtype(typestr, False, True)`` + BUILD(state), like dtype.__reduce__."""

    def __init__(self, typestr: str, state: tuple[Any, ...]) -> None:
        self.typestr = typestr
        self.state = state

    def __reduce__(self) -> tuple[Any, ...]:
        return (np.dtype, (self.typestr, False, True), self.state)


def _ops(obj: object) -> bytes:
    """Protocol-2 opcodes of ``obj`` without PROTO/STOP (memo indices from 0)."""
    data = pickletools.optimize(pickle.dumps(obj, protocol=2))
    assert data[:2] == PROTO2 and data[-1:] == STOP
    return data[2:-1]


def _stream(dtype_ops: bytes, payload: bytes, count: int = 1) -> bytes:
    state = (
        EMPTY_DICT
        + MARK
        + s("subclass")
        + sglob("numpy", "ndarray")
        + s("shape")
        + tup(b"K" + bytes([count]))
        + s("order")
        + s("C")
        + s("dtype")
        + dtype_ops
        + s("allow_mmap")
        + b"\x89"
        + s("numpy_array_alignment_bytes")
        + NONE
        + b"u"
    )
    wrapper = glob("joblib.numpy_pickle", "NumpyArrayWrapper") + b")\x81" + state + BUILD
    # the array is wrapped in a list so the STOP after it is the outer pickle's
    return PROTO2 + b"]" + wrapper + payload + b"a" + STOP


def _payload(dt: Any, count: int = 1) -> bytes:
    """What joblib reads after the wrapper for numpy's dtype: a pickle or raw bytes."""
    if dt.hasobject:
        return pickle.dumps(None, protocol=2)
    return bytes(int(dt.itemsize) * count)


def _numpy(typestr: str, state: tuple[Any, ...]) -> Any:
    dt = np.dtype(typestr, False, True)
    dt.__setstate__(state)
    return dt


def _judged_exactly_or_refused(data: bytes) -> str:
    result = analyze(data, joblib=True)
    ids = {f.rule_id for f in result.findings}
    if "AIR-PKL-013" in ids:
        return "refused"
    assert not result.findings and result.error is None and result.end_offset == len(data), [
        (f.rule_id, f.evidence) for f in result.findings
    ]
    return "exact"


_HONEST = [
    "f8",
    "<i4",
    ">u2",
    "?",
    "c16",
    "f2",
    "V8",
    "S5",
    "U3",
    "O",
    "M8[ns]",
    "m8[s]",
    [("a", "<f8"), ("b", "<i4")],
    [("a", "O"), ("b", "<f4")],
    {"names": ["x"], "formats": ["<f8"], "offsets": [4], "itemsize": 16},
    ("<f4", (2, 3)),
    ("O", (2,)),
]


@pytest.mark.parametrize("spec", _HONEST, ids=str)
def test_honest_dtype_states_are_judged_exactly(spec: Any) -> None:
    dt = np.dtype(spec)
    for count in (1, 3):
        data = _stream(_ops(dt), _payload(dt, count), count)
        assert _judged_exactly_or_refused(data) == "exact"


@pytest.mark.parametrize("spec", _HONEST, ids=str)
def test_honest_joblib_dumps_stay_clean(spec: Any, tmp_path: Path) -> None:
    joblib = pytest.importorskip("joblib")
    dt = np.dtype(spec)
    arr = np.zeros(4, dtype=dt)
    for compress in (0, 3):
        path = tmp_path / f"a{compress}.joblib"
        joblib.dump({"a": arr, "b": np.arange(3.0)}, path, compress=compress)
        if compress:
            continue  # the container is the engine's business; the raw stream is checked here
        result = analyze(path.read_bytes(), joblib=True)
        assert not result.findings and result.error is None, [f.evidence for f in result.findings]


def _state_of_form(
    length: int, version: int, elsize: int, align: int, flags: int
) -> tuple[Any, ...]:
    if length == 5:
        return ("|", None, None, elsize, align)
    if length == 6:
        return (version, "|", None, None, elsize, align)
    if length == 7:
        return (version, "|", None, None, None, elsize, align)
    if length == 8:
        return (version, "|", None, None, None, elsize, align, flags)
    return (version, "|", None, None, None, elsize, align, flags, None)


_INTS = st.sampled_from([-2, -1, 0, 1, 2, 4, 6, 8, 16])
_FLAGS = st.sampled_from([0, 1, 2, 16, 63, 255, 256, -1, -2, -127, -128, -129, 2**64, 2**64 + 1])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    typestr=st.sampled_from(["V8", "V6", "|V1", "S4", "U2", "<f8", "i4", "|b1", "O8", "c8"]),
    length=st.sampled_from([5, 6, 7, 8, 9]),
    version=st.sampled_from([0, 1, 2, 3, 4]),
    elsize=_INTS,
    align=_INTS,
    flags=_FLAGS,
)
def test_every_state_form_matches_numpy_or_is_refused(
    typestr: str, length: int, version: int, elsize: int, align: int, flags: int
) -> None:
    """Whatever state numpy accepts, the gate skips exactly numpy's bytes (or the pickle joblib
    reads for an object dtype) or refuses the stream; it never reads it another way."""
    state = _state_of_form(length, version, elsize, align, flags)
    try:
        dt = _numpy(typestr, state)
        dt.itemsize, dt.hasobject  # numpy may refuse only here
    except Exception:  # numpy refuses this state: the load stops there
        return
    if dt.itemsize <= 0:
        payload = b""
    else:
        payload = _payload(dt)
    data = _stream(_ops(_Reduced(typestr, state)), payload)
    _judged_exactly_or_refused(data)


@pytest.mark.parametrize(
    ("typestr", "state"),
    [
        ("V8", (1, "|", None, None, 6, 1)),  # 6 items: elsize is item 4 (red-team t12)
        ("V8", ("|", None, None, 6, 1)),  # 5 items: elsize is item 3
        ("V8", (3, "|", None, None, None, 6, 1)),  # 7 items
        ("V8", (3, "|", None, None, None, 8, 1, 1)),  # flags say object: joblib pickle.loads
        ("f8", (3, "<", None, None, None, -1, -1, 1)),  # the same on a fixed-size type
        ("f8", (2, "<", None, None, None, -1, -1, 16)),  # version < 3: any flag means object
    ],
    ids=str,
)
def test_desyncing_states_are_refused(typestr: str, state: tuple[Any, ...]) -> None:
    dt = _numpy(typestr, state)
    region = b"A" + b"B" + struct.pack("<I", 9) + b"0" + call(sglob("posix", "system"), s("id"))
    data = _stream(_ops(_Reduced(typestr, state)), region[: max(dt.itemsize, 1)] + region)
    result = analyze(data, joblib=True)
    assert "AIR-PKL-013" in {f.rule_id for f in result.findings}


def test_six_item_state_desync_is_live_and_refused(tmp_path: Path) -> None:
    """t12: joblib really resumes inside the bytes the old gate took for a BINBYTES string."""
    pytest.importorskip("joblib")
    marker = tmp_path / "ran"
    hidden = b"0" + glob("posix", "system") + s(touch_cmd(marker)) + b"\x85R."
    region = b"A" + b"B" + struct.pack("<I", len(hidden)) + hidden + b"0"
    dtype = call(glob("numpy", "dtype"), s("V8"), b"\x89", b"\x88")
    dtype += MARK + b"K\x01" + s("|") + NONE + NONE + b"K\x06K\x01t" + BUILD
    state = (
        EMPTY_DICT
        + MARK
        + s("subclass")
        + glob("numpy", "ndarray")
        + s("shape")
        + b"K\x01\x85"
        + s("order")
        + s("C")
        + s("dtype")
        + dtype
        + s("allow_mmap")
        + b"\x89"
        + s("numpy_array_alignment_bytes")
        + NONE
        + b"u"
    )
    wrapper = glob("joblib.numpy_pickle", "NumpyArrayWrapper") + b")\x81" + state + BUILD
    data = b"\x80\x03" + wrapper + region + STOP
    path = tmp_path / "t12.joblib"
    path.write_bytes(data)
    code = f"import joblib; joblib.load({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, check=False)
    assert marker.exists()  # the desync is real with the real loader
    result = analyze(data, joblib=True)
    assert "AIR-PKL-013" in {f.rule_id for f in result.findings}
