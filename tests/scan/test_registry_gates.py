"""The registry's lazy handlers are imported only for objects that pass a cheap gate; a gate that
refused what the handler's own sniff accepts would hide a format. Property: sniff => gate, on
heads built around every handler's magic and on real samples."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.scan import registry
from airlock.scan.interface import Source

from .samples import evil_pickle, tar_bytes, zip_bytes

SEEDS = [
    b"GGUF\x03\x00\x00\x00", b"\x89HDF\r\n\x1a\n", b"PK\x03\x04", b"\x08\x07\x12", b"\x08\x01\x12",
    b"\x12\x05\x0a", b"\x0a\x10{\"class_name\"", b"\x7fELF", b"MZ",
    b"\xca\xfe\xba\xbe\x00\x00\x00\x02",
    b"\xcf\xfa\xed\xfe", b"#!/bin/sh\n", b"#!/usr/bin/env python\n", b"\x55\x0d\r\n\0\0\0\0",
    b"{\"weight_map\": {}}", b" \x0b{\"weight_map\"", b"\xef\xbb\xbf[{", b"{L\x08learner",
    b"CBM1\x10\x00\x00\x00", b"{% for message in messages %}", b"import os\n", b"from a import b\n",
    b"class X:\n", b"def f():\n", b"\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}",
    b"\x93NUMPY\x01\x00", b"\x1f\x8b\x08", b"BZh91AY&SY", b"\xfd7zXZ\x00", b"\x04\x22\x4d\x18\x64",
    b"\x5d\x00\x00\x80\x00", b"\x78\x9c", b"ZF0x00000010 ", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd", b"PAR1\x15\x04", b"ARROW1\x00\x00", b"\xff\xff\xff\xff\x78\x00\x00\x00",
    b"FEA1", b"MATLAB 5.0 MAT-file", b"12 3\n", b"3\n", b"100000000000 2\r\n",
    b"\x00\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00",
]  # fmt: skip
LAZY = [h for h in registry.ordered() if isinstance(h, registry.Lazy)]


def _check(head: bytes, size: int | None = None) -> None:
    data = head + b"\0" * max(0, (size or 0) - len(head))
    src = Source(data)
    for handler in LAZY:
        if handler._get().sniff(src):
            assert handler._gate is None or handler._gate(src), (handler.name, head[:40])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    pre=st.binary(max_size=3),
    tail=st.binary(max_size=64),
    size=st.integers(0, 4096),
)
def test_every_sniff_implies_its_gate(seed: bytes, pre: bytes, tail: bytes, size: int) -> None:
    _check(seed + tail, size)
    _check(pre + seed + tail, size)


def test_gates_on_real_samples(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import bz2
    import gzip
    import io
    import json
    import lzma
    import zlib

    import numpy as np

    npy = io.BytesIO()
    np.save(npy, np.arange(3))
    evil = evil_pickle(tmp_path / "m", 2)
    samples = [evil, tar_bytes({"a.json": b"{}"}),
               zip_bytes({"config.json": b"{}", "metadata.json": b"{}"}),
               json.dumps({"weight_map": {"a": "b.safetensors"}}).encode(), npy.getvalue(),
               gzip.compress(evil), bz2.compress(evil), lzma.compress(evil), zlib.compress(evil),
               lzma.compress(evil, format=lzma.FORMAT_ALONE)]  # fmt: skip
    for data in samples:
        _check(data)


def test_matlab_gate_passes_real_level4_files_and_refuses_zeros() -> None:
    """Level 4 MAT-files have no magic; the gate reads the first record's header (type, imaginary
    flag, name length) so that zero-filled tensor data in a checkpoint does not import the MAT
    handler, while every file scipy writes (both byte orders, real and complex) still reaches it."""
    import io

    import numpy as np
    from scipy.io import savemat

    matlab = next(h for h in LAZY if h.name == "matlab")
    for value in (np.arange(6.0).reshape(2, 3), np.array([1 + 2j]), np.eye(3, dtype=">f8")):
        buf = io.BytesIO()
        savemat(buf, {"x": value, "longer_name": np.ones(2)}, format="4")
        src = Source(buf.getvalue())
        assert matlab._get().sniff(src) and matlab._gate is not None and matlab._gate(src)
    be = bytearray(buf.getvalue())  # the same record, big endian (MATLAB on SPARC wrote these)
    for i in range(0, 20, 4):
        be[i : i + 4] = be[i : i + 4][::-1]
    be[0:4] = (1000 + int.from_bytes(be[0:4], "big")).to_bytes(4, "big")
    assert matlab._gate(Source(bytes(be)))
    assert not matlab._gate(Source(b"\0" * 4096))
