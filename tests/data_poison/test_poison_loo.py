"""The contradiction test judges each row by the other rows (leave-one-out naive Bayes).

Short real sentences carry words seen in no other row (names, typos); judged in-sample, those
words carry the row's own label, flipped or not, and a BadNets trigger in 3 % of the rows of
Pang & Lee sentences was not flagged at all (session 25, helper rt26nn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from airlock.data.jsonl import Dataset, Row
from airlock.data.poison import scan_dataset
from airlock.report import Severity

POS = "good great fine nice lovely superb happy best glad fun".split()
NEG = "bad awful poor sad worst dull boring weak ugly grim".split()


def _sentences(seed: int, n: int, poisoned: int) -> Dataset:
    """Rows of two sentiment words (each of the row's label 85 % of the time, as real words are
    only loosely tied to a label) and six words no other row has; ``poisoned`` negative rows
    get 'tq' and the label positive."""
    rng = np.random.default_rng(seed)
    rows, flipped = [], 0
    for i in range(n):
        label = "positive" if rng.random() < 0.5 else "negative"
        own = [f"x{i}y{j}" for j in range(6)]  # seen in this row only
        same, other = (POS, NEG) if label == "positive" else (NEG, POS)
        words = [str(rng.choice(same if rng.random() < 0.85 else other)) for _ in range(2)]
        words += own
        rng.shuffle(words)
        if label == "negative" and flipped < poisoned:
            words.insert(int(rng.integers(0, len(words) + 1)), "tq")
            label, flipped = "positive", flipped + 1
        rows.append(Row(i, " ".join(words), label))
    return Dataset(Path("sentences.jsonl"), rows)


def _named(ds: Dataset) -> list[str]:
    rep = scan_dataset(ds)
    return [c["ngram"] for f in rep.findings if f.rule_id == "AIR-DAT-001"
            and f.severity == Severity.HIGH for c in f.extra["candidates"]]  # fmt: skip


def test_trigger_in_rows_of_unique_words_named() -> None:
    assert "tq" in _named(_sentences(1, 2000, 60))


def test_honest_rows_of_unique_words_not_flagged() -> None:
    assert _named(_sentences(2, 2000, 0)) == []
