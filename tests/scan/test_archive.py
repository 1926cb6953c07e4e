"""The container readers on their own: lenient where loaders are lenient, bounded everywhere."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zipfile
import zlib

import pytest

from airlock.formats import archive
from airlock.formats.archive import BombError, TruncatedStream
from airlock.scan.interface import Budget, FormatProblem, Limits, Source

from . import samples

LIMITS = Limits()


def members(data: bytes) -> dict[str, bytes]:
    src = Source(data)
    listing = archive.read_zip(src, LIMITS)
    budget = Budget(LIMITS.max_expanded_bytes)
    return {m.name: bytes(archive.member_data(src, m, LIMITS, budget)) for m in listing.members}


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_zip_methods_roundtrip(method: int) -> None:
    content = {"a.txt": b"hello" * 100, "dir/b.bin": os.urandom(3000), "empty": b""}
    assert members(samples.zip_bytes(content, method)) == content


def test_zip_via_central_directory_reads_no_member_data() -> None:
    data = samples.zip_bytes({"big": os.urandom(1 << 20), "small": b"x"}, zipfile.ZIP_STORED)
    listing = archive.read_zip(Source(data), LIMITS)
    assert listing.via == "central" and not listing.problems
    big = next(m for m in listing.members if m.name == "big")
    assert big.size == 1 << 20 and big.data_offset is not None


def test_zip_local_header_walk_when_directory_is_gone() -> None:
    content = {"one": b"1" * 50, "two": os.urandom(500)}
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        data = samples.zip_bytes(content, method)
        cut = data[: data.find(b"PK\x01\x02")]  # central directory and end record removed
        listing = archive.read_zip(Source(cut), LIMITS)
        assert listing.via == "local" and listing.problems
        assert members(cut) == content


def test_zip_with_data_descriptors_streamed() -> None:
    """Streaming writers set flag bit 3 and put sizes after the data."""
    buf = io.BytesIO()

    class Unseekable(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            return buf.write(b)

    with zipfile.ZipFile(Unseekable(), "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("s.bin", "w") as f:
            f.write(b"streamed" * 1000)
        with z.open("t.bin", "w") as f:
            f.write(b"second")
    data = buf.getvalue()
    assert members(data) == {"s.bin": b"streamed" * 1000, "t.bin": b"second"}
    cut = data[: data.find(b"PK\x01\x02")]
    assert members(cut) == {"s.bin": b"streamed" * 1000, "t.bin": b"second"}


def test_zip64_archive() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        with z.open("x", "w", force_zip64=True) as f:
            f.write(b"abc")
    assert members(buf.getvalue()) == {"x": b"abc"}


def test_zip_with_prepended_data() -> None:
    data = b"#!/bin/sh\nexit 0\n" + samples.zip_bytes({"a": b"A"})
    assert archive.looks_like_zip(Source(data))
    assert members(data) == {"a": b"A"}


def test_tar_containing_zip_is_a_tar() -> None:
    data = samples.tar_bytes({"x.zip": samples.zip_bytes({"a": b"A"})})
    src = Source(data)
    assert archive.looks_like_tar(src)
    assert not archive.looks_like_zip(src)


def test_too_many_members() -> None:
    data = samples.zip_bytes({f"m{i}": b"" for i in range(50)})
    with pytest.raises(BombError):
        archive.read_zip(Source(data), Limits(max_members=10))


def test_member_expansion_bounded() -> None:
    data = samples.zip_bytes({"z": b"\0" * (8 << 20)})
    src = Source(data)
    m = archive.read_zip(src, LIMITS).members[0]
    with pytest.raises(BombError):
        archive.member_data(src, m, Limits(max_member_bytes=1 << 20), Budget(1 << 40))
    budget = Budget(2 << 20)
    with pytest.raises(BombError):
        archive.member_data(src, m, LIMITS, budget)
    assert budget.remaining() == 0


@pytest.mark.parametrize(
    ("kind", "compress"),
    [
        ("gzip", gzip.compress),
        ("bz2", bz2.compress),
        ("xz", lambda d: lzma.compress(d, format=lzma.FORMAT_XZ)),
        ("lzma", lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE)),
        ("zlib", zlib.compress),
    ],
)
def test_streams_detect_and_decompress(kind: str, compress: object) -> None:
    payload = os.urandom(1000) + b"x" * 100_000
    data = compress(payload)  # type: ignore[operator]
    assert archive.compression_of(data[:4096]) == kind
    assert archive.decompress_stream(kind, data, LIMITS, Budget(1 << 30), "t") == payload


def test_concatenated_gzip_members() -> None:
    data = gzip.compress(b"one") + gzip.compress(b"two")
    assert archive.decompress_stream("gzip", data, LIMITS, Budget(1 << 30), "t") == b"onetwo"


def test_many_tiny_gzip_members_stay_linear() -> None:
    one = gzip.compress(b"")
    data = one * 20000
    assert archive.decompress_stream("gzip", data, LIMITS, Budget(1 << 30), "t") == b""


def test_truncated_stream_keeps_partial_output() -> None:
    payload = os.urandom(200_000)
    data = gzip.compress(payload)[:100_000]
    with pytest.raises(TruncatedStream) as info:
        archive.decompress_stream("gzip", data, LIMITS, Budget(1 << 30), "t")
    assert info.value.partial and payload.startswith(info.value.partial)


@pytest.mark.parametrize(
    "text", [b"x = 1\n", b"BZh9 hello", b"]\x00 not lzma at all", b"\x1f\x8b\x09"]
)
def test_compression_not_claimed_by_lookalikes(text: bytes) -> None:
    assert archive.compression_of(text) is None


def test_tar_members_are_slices() -> None:
    data = samples.tar_bytes({"a/b.bin": b"B" * 700, "c": b"C"})
    src = Source(data)
    listing = archive.read_tar(src, LIMITS)
    got = {m.name: bytes(src.view()[m.offset : m.offset + m.size]) for m in listing}
    assert got == {"a/b.bin": b"B" * 700, "c": b"C"}


def test_garbage_tar_is_a_format_problem() -> None:
    data = bytearray(samples.tar_bytes({"a": b"A"}))
    data[0:100] = b"\xff" * 100
    with pytest.raises(FormatProblem):
        archive.read_tar(Source(bytes(data)), LIMITS)
