"""scripts/guard_fresh37.py: the held-out generator is deterministic, writes the row layout
guard_fresh21.py's eval reads, covers all four request shapes, and every injection's text sits
verbatim in its request (no guard is run)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "guard_fresh37.py"
KEYS = {"request", "label", "field", "text", "lang", "intent", "kind", "noisy"}
FIELDS = {"user", "tool", "assistant", "system", "tool_description", "tool_arguments"}
FIELDS |= {"prompt", "suffix", "input"}


def _gen(out: Path, limit: int | None) -> dict[str, bytes]:
    cmd = [sys.executable, str(SCRIPT), "gen", "--out", str(out)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    subprocess.run(cmd, check=True, capture_output=True)
    return {
        p: out.with_name(out.name + f".{p}.jsonl").read_bytes() for p in ("benign", "injections")
    }


def _strings(o: Any) -> Iterator[str]:
    if isinstance(o, str):
        yield o
    elif isinstance(o, dict):
        for v in o.values():
            yield from _strings(v)
    elif isinstance(o, list):
        for v in o:
            yield from _strings(v)


def _shape(req: dict[str, Any]) -> str:
    if "messages" in req:
        return "chat"
    if "instructions" in req:
        return "responses"
    if "prompt" in req:
        return "completions"
    return "embeddings"


def test_deterministic_small(tmp_path: Path) -> None:
    a = _gen(tmp_path / "a" / "F", 40)
    b = _gen(tmp_path / "b" / "F", 40)
    assert {k: hashlib.sha256(v).hexdigest() for k, v in a.items()} == {
        k: hashlib.sha256(v).hexdigest() for k, v in b.items()
    }


def test_full_counts_keys_and_texts(tmp_path: Path) -> None:
    data = _gen(tmp_path / "F", None)
    langs: dict[str, set[str]] = {}
    for part, n, label in (("benign", 2000, "benign"), ("injections", 800, "injection")):
        rows = [json.loads(x) for x in data[part].decode().splitlines()]
        assert len(rows) == n
        assert len({json.dumps(r["request"], sort_keys=True) for r in rows}) == n
        shapes = set()
        for r in rows:
            assert KEYS <= r.keys()
            assert r["label"] == label
            assert r["field"] in FIELDS
            assert isinstance(r["noisy"], bool)
            assert (r["kind"] == "none") == (label == "benign")
            assert r["text"] and any(r["text"] in s for s in _strings(r["request"]))
            shapes.add(_shape(r["request"]))
            langs.setdefault(r["lang"], set()).add(part)
        assert shapes == {"chat", "responses", "completions", "embeddings"}
        if label == "injection":
            assert len({r["intent"] for r in rows}) >= 8
            assert {"base64", "homoglyph", "zero_width", "split"} <= {r["kind"] for r in rows}
    assert len(langs) >= 15
    assert all(parts == {"benign", "injections"} for parts in langs.values())
