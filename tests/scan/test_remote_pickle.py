"""The pickle analyser over a remote object read by ranges (``formats.ranged.Paged``) gives the
analysis it gives over the bytes in memory: same findings and offsets, same end, same error,
for allowed and denied streams, payloads far into a large pickle, stacked pickles, broken and
truncated streams, the opcode cap, and joblib files (both readings)."""

from __future__ import annotations

import io
import os
import pickle
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.formats.ranged import BlockReader, LazyBytes, RangedSource
from airlock.formats.source import Limits
from airlock.scan.engine import ScanOptions, scan_data, scan_source
from airlock.scan.pickle_vm import analyze_pickle

CMD = b"echo never-run"
EVIL = b"cos\nsystem\n" + b"X" + struct.pack("<I", len(CMD)) + CMD + b"\x85R"  # protocol 0-2 body


def _lazy(data: bytes, block: int) -> tuple[LazyBytes, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []

    def fetch(a: int, b: int) -> bytes:
        calls.append((a, b))
        return data[a:b]

    return LazyBytes(BlockReader(len(data), fetch, block=block), 0, len(data)), calls


def _facts(a: object) -> tuple[object, ...]:
    return (
        [(f.rule_id, f.offset, f.evidence) for f in a.findings],  # type: ignore[attr-defined]
        a.callables,  # type: ignore[attr-defined]
        a.end_offset,  # type: ignore[attr-defined]
        a.error,  # type: ignore[attr-defined]
        a.pickles,  # type: ignore[attr-defined]
        [(n, bytes(b)) for n, b in a.nested],  # type: ignore[attr-defined]
    )


def _binbytes(n: int) -> bytes:
    return b"B" + struct.pack("<I", n) + os.urandom(n)


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    """A protocol-2 stream: a list of items (large byte payloads, small ints, strings, nested
    pickles), the os.system call maybe placed after them; stacked, mutated or cut."""
    parts = [b"\x80\x02]q\x00("]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["big", "int", "str", "nested"]))
        if kind == "big":
            parts.append(_binbytes(draw(st.integers(0, 300_000))))
        elif kind == "int":
            parts.append(b"K" + bytes([draw(st.integers(0, 255))]))
        elif kind == "str":
            s = draw(st.binary(max_size=40))
            parts.append(b"X" + struct.pack("<I", len(s)) + s)
        else:
            inner = b"\x80\x02" + EVIL + b"." if draw(st.booleans()) else b"\x80\x02K\x01."
            parts.append(b"B" + struct.pack("<I", len(inner)) + inner)
    if draw(st.booleans()):
        parts.append(EVIL)
    parts.append(b"e.")
    data = b"".join(parts)
    if draw(st.booleans()):  # a second pickle after the first (read as stacked)
        data += b"\x80\x02" + (EVIL if draw(st.booleans()) else b"K\x02") + b"."
    if draw(st.booleans()):  # trailing bytes: noise, or a cut stream
        data += draw(st.binary(max_size=64))
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    for _ in range(draw(st.integers(0, 2))):  # bytes overwritten anywhere
        if data:
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
    return data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=streams(), block=st.sampled_from([7, 4096, 65536]), cap=st.booleans())
def test_paged_analysis_equals_in_memory(data: bytes, block: int, cap: bool) -> None:
    limits = Limits(max_pickle_bytes=max(1, len(data) // 2)) if cap else Limits()
    lazy, _ = _lazy(data, block)
    remote = analyze_pickle(lazy, location="f", limits=limits)  # type: ignore[arg-type]
    local = analyze_pickle(data, location="f", limits=limits)
    assert _facts(remote) == _facts(local)


@pytest.mark.parametrize("evil", [False, True])
def test_payload_far_into_a_large_pickle(evil: bool) -> None:
    """8 MiB of payload, then the call: found remotely at the same offset, the payload itself
    never fetched for the analysis (the analyser skips it by length)."""
    body = _binbytes(8 * 1024**2) + (EVIL if evil else b"K\x01")
    data = b"\x80\x02]q\x00(" + body + b"e."
    lazy, calls = _lazy(data, 64 * 1024)
    remote = analyze_pickle(lazy, location="f")  # type: ignore[arg-type]
    assert _facts(remote) == _facts(analyze_pickle(data, location="f"))
    assert bool(remote.callables) is evil
    fetched = sum(b - a for a, b in calls)
    assert fetched < 1024**2, fetched


@pytest.mark.parametrize("evil", [False, True])
def test_joblib_file_scanned_by_ranges_as_in_memory(evil: bool) -> None:
    np = pytest.importorskip("numpy")
    joblib = pytest.importorskip("joblib")

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo never-run",))

    obj: dict[str, object] = {"w": np.arange(600_000, dtype=np.float32), "b": np.ones(3)}
    if evil:
        obj["p"] = Payload()
    buf = io.BytesIO()
    joblib.dump(obj, buf)
    data = buf.getvalue()
    lazy, _ = _lazy(data, 65536)
    remote = scan_source(RangedSource(lazy._reader), "f", ScanOptions())
    local = scan_data(data, "f")

    def summary(fr: object) -> object:
        objs = [(o.member, o.format, o.status, o.reason) for o in fr.objects]  # type: ignore[attr-defined]
        return objs, sorted((f.rule_id, f.member, f.offset) for f in fr.findings)  # type: ignore[attr-defined]

    assert summary(remote) == summary(local)
    assert remote.objects[0].format == "joblib"
    assert any(f.rule_id == "AIR-PKL-001" for f in remote.findings) is evil


def test_plain_pickle_round_trip_shapes() -> None:
    """Real ``pickle.dumps`` output of every protocol, read by ranges with tiny blocks."""
    obj = {"a": [1, 2.5, "x" * 300, b"y" * 70_000], "b": (None, True, 2**70)}
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(obj, protocol=proto)
        lazy, _ = _lazy(data, 5)
        remote = analyze_pickle(lazy, location="f")  # type: ignore[arg-type]
        assert _facts(remote) == _facts(analyze_pickle(data, location="f")), proto


def test_engine_pickle_reading_is_not_settled_from_a_prefix() -> None:
    """The engine's pickle reading of a remote object (``analyze_remote_pickle``) once ran on a
    1 MiB prefix and took "length runs past the end" as settled: a 1.5 MiB payload hid the
    call after it. It now reads the object itself, as a local scan does."""
    from airlock.scan.remote_pickle import analyze_remote_pickle

    data = b"\x80\x02]q\x00(" + _binbytes(1536 * 1024) + EVIL + b"e."
    lazy, _ = _lazy(data, 64 * 1024)
    remote = analyze_remote_pickle(lazy, "f", None, Limits())
    assert any("system" in c for c in remote.callables), remote.callables
    assert _facts(remote) == _facts(analyze_pickle(data, location="f"))
