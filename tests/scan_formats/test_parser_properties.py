"""Property tests of session 16's parsers (rt18parse): the TFLite custom-option flexbuffer
reader against flatbuffers' own reader, and the fastText model walker on mutated models. A
parse failure must be a ``FormatProblem`` (a finding), never another exception."""

from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.formats.flexbuffer import read_flex_map
from airlock.formats.source import FormatProblem
from airlock.report import Severity
from airlock.scan.engine import scan_data

flexbuffers = pytest.importorskip("flatbuffers.flexbuffers")

_KEYS = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12)
_VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(-1e38, 1e38, allow_nan=False),  # the builder cannot pack floats near f32 max
    st.booleans(),
    st.text(max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=12))
def test_flex_map_reads_what_the_builder_wrote(values: dict[str, object]) -> None:
    builder = flexbuffers.Builder()
    builder.MapFromElements(values)
    got = read_flex_map(bytes(builder.Finish()))
    assert set(got) == set(values)
    for key, value in values.items():
        read = got[key]
        if isinstance(value, bool):
            assert (read.kind, read.value) == ("bool", float(value))
        elif isinstance(value, int):
            assert (read.kind, read.value) == ("int", float(value))
        elif isinstance(value, float):
            assert read.kind == "float"
            assert read.value == value
        else:
            assert read.kind == "other"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
    st.integers(0, 64),
)
def test_mutated_flex_map_is_a_map_or_a_format_problem(
    values: dict[str, object], flips: list[tuple[int, int]], cut: int
) -> None:
    builder = flexbuffers.Builder()
    builder.MapFromElements(values)
    blob = bytearray(builder.Finish())
    for at, byte in flips:
        blob[at % len(blob)] = byte
    try:
        got = read_flex_map(bytes(blob[: max(0, len(blob) - cut)] if cut < 8 else blob))
    except FormatProblem:
        return
    assert all(v.kind in ("int", "float", "bool", "other") for v in got.values())


def _fasttext(dim: int, bucket: int, minn: int, maxn: int, ngrams: int, model: int) -> bytes:
    """A dense model laid out as fastText writes it (tests/scan_formats/test_fasttext_bin.py)."""
    from airlock.scan.handlers.fasttext import MAGIC

    words = [b"</s>", b"hello", b"world"]
    out = MAGIC + struct.pack("<i", 12)
    out += struct.pack("<12id", dim, 5, 5, 1, 5, ngrams, 2, model, bucket, minn, maxn, 100, 1e-4)
    out += struct.pack("<iiiqq", len(words), len(words), 0, 10, -1)
    for w in words:
        out += w + b"\0" + struct.pack("<qb", 3, 0)
    rows = len(words) + bucket
    out += b"\0" + struct.pack("<qq", rows, dim) + bytes(4 * rows * dim)
    return out + b"\0" + struct.pack("<qq", len(words), dim) + bytes(4 * len(words) * dim)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([1, 2, 4]),
    st.sampled_from([0, 1, 5]),
    st.sampled_from([(0, 0), (3, 6)]),
    st.sampled_from([1, 2]),
    st.sampled_from([1, 2]),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
)
def test_mutated_fasttext_model_gets_a_verdict(
    dim: int,
    bucket: int,
    ngram_range: tuple[int, int],
    ngrams: int,
    model: int,
    flips: list[tuple[int, int]],
) -> None:
    data = bytearray(_fasttext(dim, bucket, *ngram_range, ngrams, model))
    for at, byte in flips:
        data[at % len(data)] = byte
    result = scan_data(bytes(data), "model.bin")
    errors = [f.evidence for f in result.findings if "scanner error" in f.evidence]
    assert errors == []
    if not flips:  # the consistent model: clean unless bucket 0 meets n-grams (review16 F6)
        risky = bucket == 0 and (ngram_range[1] > 0 or ngrams > 1)
        assert bool([f for f in result.findings if f.severity >= Severity.HIGH]) == risky
