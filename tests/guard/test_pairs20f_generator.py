"""scripts/guard_pairs20f.py (training rows): deterministic, every language and carrier family
has both classes, and no text is on both sides (no guard is run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "guard_pairs20f.py"
LANGS = {"en", "de", "fr", "es", "it", "pt", "ru", "zh", "ja", "ko", "tr", "vi", "id", "hi"}
KINDS = {"explain", "policy", "devprompt", "poem", "format"}


def _gen(out: Path) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True
    )
    return {
        p: out.with_name(f"{out.name}.{p}.jsonl").read_bytes() for p in ("benign", "injections")
    }


def test_deterministic_pairs_in_every_language_and_family(tmp_path: Path) -> None:
    a = _gen(tmp_path / "a" / "P")
    assert a == _gen(tmp_path / "b" / "P")
    rows = {p: [json.loads(x) for x in d.decode().splitlines()] for p, d in a.items()}
    for part in ("benign", "injections"):
        assert {(r["lang"], r["kind"]) for r in rows[part]} == {
            (x, k) for x in LANGS for k in KINDS
        }
    benign = {r["text"] for r in rows["benign"]}
    assert len(benign) == len(rows["benign"])
    assert not benign & {r["text"] for r in rows["injections"]}
    for r in rows["injections"]:
        assert r["pos"] in {"start", "middle", "end"} and r["attack_lang"] in LANGS
