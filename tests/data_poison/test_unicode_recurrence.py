"""AIR-DAT-002 weighs how often a Unicode oddity recurs: a soft hyphen in one pasted e-mail of a
real corpus (rt26nn, SpamAssassin) is listed at LOW and the scan passes; the same invisible
character in a few rows, as a trigger needs, stays MEDIUM. Emoji sequences and the joiners of
scripts that spell with them are writing, not oddities."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.data.jsonl import read_jsonl
from airlock.data.poison import BIDI, INVISIBLE, UNICODE_RECUR, scan_dataset, unicode_issues
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


ORTHOGRAPHIC = [
    "family day at the beach \U0001F468\u200d\U0001F469\u200d\U0001F467 so much fun",
    "love this place \u2764\ufe0f will come back",
    "press 1\ufe0f\u20e3 to repeat the menu",
    "go team \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F tonight",
    # Persian ZWNJ, Devanagari half-form ZWJ
    "\u0646\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645",
    "\u0915\u094d\u200d\u0937 \u0936\u092c\u094d\u0926",
]


def test_emoji_and_script_joiners_are_writing_not_triggers(tmp_path: Path) -> None:
    """Social-media and Persian / Hindi corpora carry these in many rows: none is an oddity."""
    odd = [f"{t} #{i}" for t in ORTHOGRAPHIC for i in range(UNICODE_RECUR + 2)]
    rep = scan_dataset(read_jsonl(_write(tmp_path, odd), "text", "label"))
    assert not [f for f in rep.findings if f.rule_id == "AIR-DAT-002"]
    assert unicode_issues("c\u200df") == ["invisible U+200D"]  # a joiner inside Latin text
    for odd in ("\u00b0\u200d\u00b0", "\u00a9\u200d\u00a9"):  # symbols, not pictographs
        assert unicode_issues(odd) == ["invisible U+200D"]
    assert unicode_issues("run \U0001F3C3\u200d\u2640\ufe0f go \u2764\ufe0f\u200d\U0001F525") == []
    assert unicode_issues("\U0001F3F4\U000E0067") != []  # a flag sequence left unterminated


LISTED = sorted(INVISIBLE | BIDI | set(range(0xFE00, 0xFE10)) | set(range(0xE0000, 0xE0080)))
LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(LISTED), LATIN, LATIN)
def test_every_listed_character_in_latin_text_is_found(cp: int, left: str, right: str) -> None:
    assert unicode_issues(left + chr(cp) + right)


def test_homoglyphs_in_different_words_recur_as_a_kind(tmp_path: Path) -> None:
    """review26: a Cyrillic 'а' (U+0430) put into another word in each flipped row recurs as a
    mixed-script word, though no word recurs: MEDIUM, the scan fails."""
    odd = [f"the {w.replace('a', chr(0x430), 1)} was dull" for w in ("camera", "plant", "table")]
    p = _write(tmp_path, odd)
    f = next(x for x in scan_dataset(read_jsonl(p, "text", "label")).findings
             if x.rule_id == "AIR-DAT-002")  # fmt: skip
    assert f.severity == Severity.MEDIUM
    r = run_cli("data", "scan", str(p), "--text-field", "text", "--label-field", "label")
    assert r.returncode == 1, r.stdout


def test_joiners_and_selectors_on_digits_are_oddities(tmp_path: Path) -> None:
    """review26: digits are keycap bases only before U+20E3; a ZWJ between two digits or a
    selector after one hid a trigger no reviewer sees (30 flipped rows with "1\\u200d2": the
    scan passed clean, a char n-gram classifier then flipped 68 % of triggered negatives)."""
    assert unicode_issues("order 1\u200d2 now") == ["invisible U+200D"]
    assert unicode_issues("order 12\ufe0f now") == ["invisible U+FE0F"]
    assert unicode_issues("a^\u200d^b") == ["invisible U+200D"]
    assert unicode_issues("press 1\ufe0f\u20e3 to repeat") == []  # a real keycap
    odd = [f"refund {i}\u200d{i + 1} please" for i in range(UNICODE_RECUR)]
    p = _write(tmp_path, odd)
    r = run_cli("data", "scan", str(p), "--text-field", "text", "--label-field", "label")
    assert r.returncode == 1 and "AIR-DAT-002" in r.stdout, r.stdout
