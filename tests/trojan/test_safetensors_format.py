"""The safetensors reader agrees with the reference library and rejects/flags hostile headers."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from safetensors.numpy import save_file
from safetensors.torch import save_file as torch_save

from airlock.errors import FormatError
from airlock.formats import safetensors as st_fmt


def _raw(header: dict[str, object], data: bytes, pad: int = 0) -> bytes:
    hb = json.dumps(header).encode() + b" " * pad
    return struct.pack("<Q", len(hb)) + hb + data


def _parse(blob: bytes) -> st_fmt.SafetensorsHeader:
    return st_fmt.read_header(io.BytesIO(blob), len(blob), path="x.safetensors")


def test_roundtrip_matches_reference(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    tensors = {
        "a": rng.standard_normal((3, 4)).astype(np.float32),
        "b": rng.integers(-5, 5, size=(7,)).astype(np.int64),
        "c": rng.standard_normal((2, 2, 2)).astype(np.float16),
        "d": np.array([True, False]),
    }
    path = tmp_path / "m.safetensors"
    save_file(tensors, str(path), metadata={"format": "np"})
    with open(path, "rb") as fh:
        header = st_fmt.read_header(fh, path.stat().st_size, path=str(path))
    assert st_fmt.validate(header, path.stat().st_size) == []
    assert header.metadata == {"format": "np"}
    for name, arr in tensors.items():
        got = st_fmt.read_tensor(path, header, name)
        assert got.dtype == arr.dtype and np.array_equal(got, arr)


@pytest.mark.parametrize(
    ("tdtype", "name"),
    [
        (torch.bfloat16, "BF16"),
        (torch.float8_e4m3fn, "F8_E4M3"),
        (torch.float8_e5m2, "F8_E5M2"),
        (torch.float8_e4m3fnuz, "F8_E4M3FNUZ"),
        (torch.float8_e5m2fnuz, "F8_E5M2FNUZ"),
    ],
)
def test_low_precision_decodes_like_torch(tmp_path: Path, tdtype: torch.dtype, name: str) -> None:
    src = torch.linspace(-3, 3, 57, dtype=torch.float32).reshape(3, 19).to(tdtype)
    path = tmp_path / "m.safetensors"
    torch_save({"w": src}, str(path))
    model = st_fmt.open_model(path)
    assert model.info("w").dtype == name
    got = model.read("w")
    assert got.dtype == np.float32
    assert np.array_equal(got, src.to(torch.float32).numpy())


def test_all_f8_codes_match_torch() -> None:
    codes = torch.arange(256, dtype=torch.uint8)
    for tdtype, name in [(torch.float8_e4m3fn, "F8_E4M3"), (torch.float8_e5m2, "F8_E5M2")]:
        want = codes.view(tdtype).to(torch.float32).numpy()
        got = st_fmt.f8_table(name)
        assert np.array_equal(got, want, equal_nan=True)


def test_sharded_index(tmp_path: Path) -> None:
    save_file({"a": np.ones(3, np.float32)}, str(tmp_path / "s1.safetensors"))
    save_file({"b": np.zeros(2, np.float32)}, str(tmp_path / "s2.safetensors"))
    (tmp_path / "model.safetensors.index.json").write_text(
        json.dumps({"weight_map": {"a": "s1.safetensors", "b": "s2.safetensors"}})
    )
    model = st_fmt.open_model(tmp_path)
    assert sorted(model.names()) == ["a", "b"]
    assert np.array_equal(model.read("b"), np.zeros(2, np.float32))


def test_index_path_traversal_refused(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors.index.json").write_text(
        json.dumps({"weight_map": {"a": "../evil.safetensors"}})
    )
    with pytest.raises(st_fmt.SafetensorsError, match="leaves the model folder"):
        st_fmt.open_model(tmp_path)


@pytest.mark.parametrize(
    ("blob", "msg"),
    [
        (b"\x01", "too short"),
        (struct.pack("<Q", 10**12) + b"{}", "exceeds limit"),
        (struct.pack("<Q", 50) + b"{}", "past end of file"),
        (struct.pack("<Q", 2) + b"[]", "start with"),
        (struct.pack("<Q", 4) + b"{\xff\xfe}", "UTF-8"),
        (struct.pack("<Q", 3) + b"{a}", "valid JSON"),
    ],
)
def test_unparseable_headers_raise(blob: bytes, msg: str) -> None:
    with pytest.raises(FormatError, match=msg):
        _parse(blob)


def test_deep_json_refused_without_recursion() -> None:
    body = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(st_fmt.SafetensorsError, match="nests"):
        _parse(struct.pack("<Q", len(body)) + body)


def _codes(blob: bytes) -> set[str]:
    h = _parse(blob)
    return {a.code for a in st_fmt.validate(h, len(blob))}


def test_anomalies_detected() -> None:
    f32 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
    assert _codes(_raw({"a": f32}, b"\0" * 8)) == set()
    assert "size-mismatch" in _codes(_raw({"a": {**f32, "shape": [3]}}, b"\0" * 8))
    assert "out-of-file" in _codes(_raw({"a": {**f32, "data_offsets": [0, 16]}}, b"\0" * 8))
    b = {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}
    assert "overlap" in _codes(_raw({"a": f32, "b": b}, b"\0" * 12))
    g = {"dtype": "F32", "shape": [2], "data_offsets": [12, 20]}
    assert "gap" in _codes(_raw({"a": f32, "b": g}, b"\0" * 20))
    assert "trailing-bytes" in _codes(_raw({"a": f32}, b"\0" * 100))
    assert "unknown-dtype" in _codes(_raw({"a": {**f32, "dtype": "X9"}}, b"\0" * 8))
    assert "bad-metadata" in _codes(_raw({"__metadata__": {"k": 1}, "a": f32}, b"\0" * 8))
    assert "bad-shape" in _codes(_raw({"a": {**f32, "shape": [-1]}}, b"\0" * 8))
    assert "bad-offsets" in _codes(_raw({"a": {**f32, "data_offsets": [8, 0]}}, b"\0" * 8))
    dup = b'{"a":' + json.dumps(f32).encode() + b',"a":' + json.dumps(f32).encode() + b"}"
    assert "duplicate-key" in _codes(struct.pack("<Q", len(dup)) + dup + b"\0" * 8)


def test_read_tensor_refuses_lying_range() -> None:
    blob = _raw({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}, b"\0" * 8)
    h = _parse(blob)
    with pytest.raises(st_fmt.SafetensorsError):
        st_fmt.read_tensor(io.BytesIO(blob), h, "a")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_never_crashes(data: bytes) -> None:
    for blob in (
        data,
        struct.pack("<Q", len(data)) + data,
        struct.pack("<Q", max(len(data) - 3, 0)) + data,
    ):
        try:
            h = _parse(blob)
        except FormatError:
            continue
        st_fmt.validate(h, len(blob))
        for name in h.tensors:
            try:
                st_fmt.read_tensor(io.BytesIO(blob), h, name)
            except FormatError:
                pass


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8).filter(lambda s: s != "__metadata__"),
        st.tuples(
            st.sampled_from(["F32", "F16", "I8", "BF16"]), st.lists(st.integers(0, 4), max_size=3)
        ),
        max_size=5,
    )
)
def test_fuzz_valid_headers_validate_clean(spec: dict[str, tuple[str, list[int]]]) -> None:
    header: dict[str, object] = {}
    off = 0
    for name, (dtype, shape) in spec.items():
        n = int(np.prod(shape)) * st_fmt.DTYPES[dtype].bits // 8
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + n]}
        off += n
    blob = _raw(header, b"\0" * off)
    h = _parse(blob)
    assert st_fmt.validate(h, len(blob)) == []
    for name in h.tensors:
        assert st_fmt.read_tensor(io.BytesIO(blob), h, name).shape == tuple(spec[name][1])
