"""scripts/guard_fresh22.py: the held-out generator is deterministic, writes the row layout
guard_fresh21.py's eval reads, and has both classes in every language (no guard is run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "guard_fresh22.py"
KEYS = {"text", "field", "lang", "intent", "kind", "trigger", "noisy", "label", "request"}
FIELDS = {"user", "system", "tool", "tool_description", "assistant"}


def _gen(out: Path, limit: int) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, str(SCRIPT), "gen", "--out", str(out), "--limit", str(limit)],
        check=True,
        capture_output=True,
    )
    return {
        p: out.with_name(out.name + f".{p}.jsonl").read_bytes() for p in ("benign", "injections")
    }


def test_deterministic_layout_and_languages(tmp_path: Path) -> None:
    a = _gen(tmp_path / "a" / "F", 60)
    b = _gen(tmp_path / "b" / "F", 60)
    assert a == b
    langs: dict[str, set[str]] = {}
    for part, data in a.items():
        rows = [json.loads(x) for x in data.decode().splitlines()]
        assert len(rows) == 60
        for r in rows:
            assert KEYS <= r.keys()
            assert r["field"] in FIELDS
            assert (r["kind"] == "none") == (part == "benign")
            req = r["request"]
            assert req["model"] and req["messages"]
            assert all("role" in m for m in req["messages"])
            # the text travels in the request, in its field
            if r["field"] == "tool_description":
                assert r["text"] in [t["function"]["description"] for t in req["tools"]]
            else:
                role = "tool" if r["field"] == "tool" else r["field"]
                assert r["text"] in [m["content"] for m in req["messages"] if m["role"] == role]
            langs.setdefault(r["lang"], set()).add(part)
    assert len(langs) >= 14
    assert all(parts == {"benign", "injections"} for parts in langs.values())
