"""Session 21 red team (rt22gguf): a safetensors header that hung the depth check."""

from __future__ import annotations

import struct

from airlock.formats.safetensors import _STRING_RE, json_depth
from airlock.scan.engine import run_handler
from airlock.scan.handlers.safetensors import SafetensorsHandler
from airlock.scan.interface import ScanContext, Source


def test_unterminated_string_is_matched_to_the_end_in_one_attempt() -> None:
    """The string pattern needed a closing quote: on ``{"`` + ``\\"`` x N every later quote
    started a new attempt that ran to the end of the data (quadratic: 34 s at N = 40,000, hours
    at the 100 MB header limit). Now one attempt takes the unterminated string whole."""
    raw = b'{"' + b'\\"' * 1000
    matches = list(_STRING_RE.finditer(raw))
    assert [(m.start(), m.end()) for m in matches] == [(1, len(raw))]
    assert json_depth(b'["[[[[') == 1  # brackets inside an unterminated string do not nest
    assert json_depth(b'{"a":[1,{"b":"[[[\\"{"}]}') == 3
    assert json_depth(b'["\\\\",[[]]]') == 3


def test_quadratic_header_is_refused_quickly() -> None:
    raw = b'{"' + b'\\"' * 400_000  # ~1.5 h with the old pattern
    data = struct.pack("<Q", len(raw)) + raw
    out = run_handler(SafetensorsHandler(), Source(data), ScanContext("m.safetensors"))
    assert out.not_scanned and [f.rule_id for f in out.findings] == ["AIR-ST-001"]
