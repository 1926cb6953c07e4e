"""scripts/guard_fresh36.py: the held-out generator is deterministic, writes the row layout
guard_fresh21.py's eval reads, covers all four request shapes and >= 15 languages, and every
injection's text travels verbatim inside its request (no guard is run)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "guard_fresh36.py"
KEYS = {"request", "label", "field", "text", "lang", "intent", "kind", "noisy"}


def _gen(out: Path, limit: int | None) -> dict[str, bytes]:
    cmd = [sys.executable, str(SCRIPT), "gen", "--out", str(out)]
    if limit:
        cmd += ["--limit", str(limit)]
    subprocess.run(cmd, check=True, capture_output=True)
    parts = ("benign", "injections")
    return {p: out.with_name(out.name + f".{p}.jsonl").read_bytes() for p in parts}


def _strings(x: Any) -> Iterator[str]:
    """Every string in a request, and in JSON-encoded tool-call arguments."""
    if isinstance(x, str):
        yield x
        if x.startswith("{"):
            try:
                yield from _strings(json.loads(x))
            except ValueError:
                pass
    elif isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)


def _shape(req: dict[str, Any]) -> str:
    if "messages" in req:
        return "chat"
    if "instructions" in req:
        return "responses"
    return "completions" if "prompt" in req else "embeddings"


def test_deterministic_on_a_small_limit(tmp_path: Path) -> None:
    a = _gen(tmp_path / "a" / "F", 40)
    b = _gen(tmp_path / "b" / "F", 40)
    assert {k: hashlib.sha256(v).hexdigest() for k, v in a.items()} == {
        k: hashlib.sha256(v).hexdigest() for k, v in b.items()
    }
    assert all(len(v.decode().splitlines()) == 40 for v in a.values())


def test_full_set_counts_keys_and_texts(tmp_path: Path) -> None:
    data = _gen(tmp_path / "F", None)
    rows = {p: [json.loads(x) for x in d.decode().splitlines()] for p, d in data.items()}
    assert len(rows["benign"]) == 2000
    assert len(rows["injections"]) == 800
    for part, label in (("benign", "benign"), ("injections", "injection")):
        langs = {r["lang"] for r in rows[part]}
        assert len(langs) >= 15
        assert sum(r["lang"] == "en" for r in rows[part]) > len(rows[part]) / 2
        shapes = {_shape(r["request"]) for r in rows[part]}
        assert shapes == {"chat", "responses", "completions", "embeddings"}
        for r in rows[part]:
            assert set(r) == KEYS
            assert r["label"] == label
            assert isinstance(r["noisy"], bool)
            assert r["text"] and any(r["text"] in s for s in _strings(r["request"]))
            assert (r["kind"] == "none") == (label == "benign")
    inj = rows["injections"]
    assert len({r["field"] for r in inj}) >= 8
    assert len({r["intent"] for r in inj}) == 8
    assert {"base64", "homoglyph", "zero_width", "split"} <= {r["kind"] for r in inj}
