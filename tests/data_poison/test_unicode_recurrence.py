"""AIR-DAT-002 weighs how often a Unicode oddity recurs: a soft hyphen in one pasted e-mail of a
real corpus (rt26nn, SpamAssassin) is listed at LOW and the scan passes; the same invisible
character in a few rows, as a trigger needs, stays MEDIUM."""

from __future__ import annotations

import json
from pathlib import Path

from airlock.data.jsonl import read_jsonl
from airlock.data.poison import UNICODE_RECUR, scan_dataset
from airlock.report import Severity
from tests.conftest import run_cli

WORDS = ["meeting", "invoice", "weekend", "garden", "report", "train", "coffee", "river", "piano"]


def _write(tmp_path: Path, odd: list[str]) -> Path:
    rows = [{"text": f"the {WORDS[i % 9]} note {i} about {WORDS[(i * 7) % 9]} and more",
             "label": "ham" if i % 2 else "spam"} for i in range(300)]  # fmt: skip
    rows += [{"text": t, "label": "ham"} for t in odd]
    p = tmp_path / "d.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return p


def test_one_soft_hyphen_is_hygiene_not_a_trigger(tmp_path: Path) -> None:
    p = _write(tmp_path, ["Please con\u00adfirm the delivery address for order 1234 by Friday."])
    f = next(x for x in scan_dataset(read_jsonl(p, "text", "label")).findings
             if x.rule_id == "AIR-DAT-002")  # fmt: skip
    assert f.severity == Severity.LOW and "U+00AD" in f.evidence
    r = run_cli("data", "scan", str(p), "--text-field", "text", "--label-field", "label")
    assert r.returncode == 0, r.stdout


def test_a_recurring_invisible_character_stays_medium(tmp_path: Path) -> None:
    odd = [f"free\u200b offer number {i} for you" for i in range(UNICODE_RECUR)]
    f = next(x for x in scan_dataset(read_jsonl(_write(tmp_path, odd), "text", "label")).findings
             if x.rule_id == "AIR-DAT-002")  # fmt: skip
    assert f.severity == Severity.MEDIUM
