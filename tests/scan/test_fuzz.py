"""Property tests of the archive walker and the engine on hostile bytes: truncated, zero-length,
bit-flipped, huge length fields, bombs. Nothing escapes as an exception, every object gets a
status, memory stays within the configured limits."""

from __future__ import annotations

import gzip
import io
import pickle
import struct
import tracemalloc
import zipfile

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.formats import archive
from airlock.formats.pickle_sniff import looks_like_pickle
from airlock.scan.engine import ScanOptions, scan_data
from airlock.scan.interface import Budget, FormatProblem, Limits, Source

from . import samples

SMALL = Limits(
    max_member_bytes=4 << 20,
    max_expanded_bytes=16 << 20,
    max_pickle_bytes=4 << 20,
    max_members=2000,
    max_depth=4,
)
OPTIONS = ScanOptions(limits=SMALL, mode="serial")


def _npy() -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.arange(20, dtype=np.int16))
    return buf.getvalue()


SEEDS = [
    samples.torch_zip(pickle.dumps({"w": [1, 2]}, protocol=2)),
    samples.torch_zip(pickle.dumps({"w": 1}), compress=True),
    samples.zip_bytes({"a.pkl": pickle.dumps([1, 2]), "b/c.npy": _npy()}),
    samples.tar_bytes({"pickle": pickle.dumps(1), "storages": pickle.dumps(0), "tensors": b""}),
    gzip.compress(samples.tar_bytes({"x": pickle.dumps("x", protocol=0)})),
    samples.legacy_torch(pickle.dumps({"a": 1}, protocol=2)),
    samples.joblib_zfile(pickle.dumps([1.5] * 10)),
    _npy(),
    pickle.dumps({"k": (1, 2.0, "s", b"b")}, protocol=0),
    pickle.dumps({"k": (1, 2.0, "s", b"b")}, protocol=5),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "truncate", "huge", "insert", "delete"]))
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[pos:]
        elif op == "huge":
            width = draw(st.sampled_from([2, 4, 8]))
            value = draw(st.sampled_from([0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 2**63 - 1, 0]))
            fmt = {2: "<H", 4: "<I", 8: "<Q"}[width]
            data[pos : pos + width] = struct.pack(fmt, value % (1 << (8 * width)))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(max_size=64))
        else:
            del data[pos : pos + draw(st.integers(1, 64))]
    return bytes(data)


def _check(data: bytes) -> None:
    tracemalloc.start()
    try:
        result = scan_data(data, "fuzz.bin", OPTIONS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.objects, "every input yields at least one object"
    for o in result.objects:
        assert o.status in ("scanned", "not_scanned")
        assert o.status == "scanned" or o.reason
    assert peak < 6 * SMALL.max_expanded_bytes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_engine_survives_mutated_containers(data: bytes) -> None:
    _check(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_engine_survives_random_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_zip_reader_raises_only_format_problems(tail: bytes) -> None:
    data = b"PK\x03\x04" + tail
    src = Source(data)
    try:
        listing = archive.read_zip(src, SMALL)
    except FormatProblem:
        return
    budget = Budget(SMALL.max_expanded_bytes)
    for m in listing.members[:50]:
        try:
            archive.member_data(src, m, SMALL, budget)
        except FormatProblem:
            pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_pickle_sniff_never_raises(data: bytes) -> None:
    looks_like_pickle(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_plain_text_is_rarely_a_pickle(text: str) -> None:
    """Prose and config text must not be taken for a pickle (false findings on READMEs)."""
    data = ("# Model card\n\n" + text).encode()
    assert not looks_like_pickle(data)


def test_zero_length_and_tiny_inputs() -> None:
    for data in [b"", b"\x80", b"PK", b"PK\x03\x04", b"\x93NUMPY", b"\x1f\x8b", b"ZF", b"."]:
        _check(data)


def test_huge_declared_sizes_do_not_allocate() -> None:
    data = bytearray(samples.zip_bytes({"a": b"x" * 100}, zipfile.ZIP_DEFLATED))
    i = data.find(b"PK\x01\x02")
    data[i + 20 : i + 28] = struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF)
    _check(bytes(data))
    npy = b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFFF) + b"{"
    _check(npy)


def test_gzip_bomb_bounded() -> None:
    bomb = gzip.compress(b"\0" * (64 << 20))
    result = scan_data(bomb, "bomb.gz", OPTIONS)
    assert any(f.rule_id == "AIR-ARC-003" for f in result.findings)


def test_nested_bomb_bounded_by_budget() -> None:
    inner = gzip.compress(b"\0" * (3 << 20))
    data = samples.zip_bytes({f"{i}.gz": inner for i in range(20)})
    result = scan_data(data, "nested.zip", OPTIONS)
    assert any(f.rule_id == "AIR-ARC-003" for f in result.findings)
