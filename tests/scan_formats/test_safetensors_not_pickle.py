"""A valid safetensors file is never a pickle reading, whatever its header length: the length's
low bytes can look like pickle opcodes (0x82-0x84 are EXT1/2/4), but both unpicklers stop there
before importing or calling anything, so such a file has no finding (it once got HIGH
"two formats at once" and denied honest models)."""

from __future__ import annotations

import json
import pickle
import struct
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import airlock


def _safetensors(header_len: int) -> bytes:
    header = json.dumps({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    header += b" " * (header_len - len(header))
    return struct.pack("<Q", len(header)) + header + b"\0" * 8


@settings(max_examples=60, deadline=None)
@given(low=st.integers(0, 255), high=st.integers(0, 3))
def test_valid_safetensors_has_no_finding_for_any_header_length(
    tmp_path_factory: object, low: int, high: int
) -> None:
    length = max(64, 256 * high + low)
    path = Path(tmp_path_factory.mktemp("st")) / "model.safetensors"  # type: ignore[attr-defined]
    path.write_bytes(_safetensors(length))
    report = airlock.scan(path)
    assert report.findings == [], (length, [f.rule_id for f in report.findings])


def test_every_ext_low_byte_is_clean(tmp_path: Path) -> None:
    for low in (0x82, 0x83, 0x84):
        for high in range(4):
            path = tmp_path / f"m{low}-{high}.safetensors"
            path.write_bytes(_safetensors(256 * high + low))
            assert airlock.scan(path).findings == [], path.name


def test_ext_reference_in_a_real_pickle_is_still_flagged(tmp_path: Path) -> None:
    """Protocol 2 pickle whose only object comes from the extension registry: still HIGH."""
    path = tmp_path / "ext.pkl"
    path.write_bytes(b"\x80\x02\x82\x05.")
    rules = {f.rule_id for f in airlock.scan(path).findings}
    assert "AIR-PKL-004" in rules


def test_ext_code_zero_is_malformed_like_the_unpickler(tmp_path: Path) -> None:
    data = b"\x80\x02\x82\x00."
    try:
        pickle.loads(data)
    except pickle.UnpicklingError as exc:
        assert "code <= 0" in str(exc)
    path = tmp_path / "ext0.pkl"
    path.write_bytes(data)
    rules = {f.rule_id for f in airlock.scan(path).findings}
    assert "AIR-PKL-004" not in rules and "AIR-PKL-005" in rules
