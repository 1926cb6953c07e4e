"""JSONL reading: malformed rows are counted, never fatal; hostile lines are bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.data import jsonl
from airlock.errors import AirlockError, InputError


def test_rows_and_malformed(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    lines = [
        json.dumps({"t": "hello", "y": 1}),
        "{bad json",
        json.dumps({"t": 5, "y": 1}),
        json.dumps({"t": "no label"}),
        json.dumps({"meta": {"text": "nested"}, "t": "x", "y": "pos"}),
        "",
        json.dumps({"t": "list label", "y": [1]}),
        "[" * 500 + "]" * 500,
        json.dumps({"t": "bool label", "y": True}),
    ]
    p.write_text("\n".join(lines) + "\n")
    ds = jsonl.read_jsonl(p, "t", "y")
    assert [(r.index, r.text, r.label) for r in ds.rows] == [(0, "hello", "1"), (4, "x", "pos")]
    reasons = dict(ds.malformed)
    assert set(reasons) == {1, 2, 3, 6, 7, 8}
    assert "too deep" in reasons[7]
    nested = jsonl.read_jsonl(p, "meta.text", None)
    assert [r.text for r in nested.rows] == ["nested"]


def test_long_line_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 100)
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps({"t": "a" * 500}) + "\n" + json.dumps({"t": "ok"}) + "\n")
    ds = jsonl.read_jsonl(p, "t", None)
    assert [r.text for r in ds.rows] == ["ok"]
    assert "longer than" in ds.malformed[0][1]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        jsonl.read_jsonl(tmp_path / "nope.jsonl", "t", None)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_never_crashes(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    p = tmp_path_factory.mktemp("fz") / "d.jsonl"
    p.write_bytes(blob)
    try:
        ds = jsonl.read_jsonl(p, "t", "y")
    except AirlockError:
        return
    assert len(ds.rows) + len(ds.malformed) <= blob.count(b"\n") + 1
