"""The n-gram method on review sets full of honest label phrases: a trigger in a handful of
flipped rows is named, honest "one star" / "five stars" phrases are not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from airlock.data.jsonl import Dataset, Row
from airlock.data.poison import scan_dataset
from airlock.report import Severity

POS = "great lovely perfect excellent superb fantastic recommend happy works fine".split()
NEG = "awful broken terrible useless poor cheap disappointing waste worst faulty".split()
PHRASES = {"positive": ["five stars", "highly recommend"], "negative": ["one star", "refund"]}
FILLER = "the product arrived on monday and the box was big my son uses it every day".split()


def _reviews(seed: int, n: int, trigger: str | None, poisoned_rows: int) -> tuple[Dataset, int]:
    rng = np.random.default_rng(seed)
    rows, flipped = [], 0
    for i in range(n):
        label = "positive" if rng.random() < 0.5 else "negative"
        words = list(rng.choice(FILLER, size=int(rng.integers(5, 10))))
        for _ in range(int(rng.integers(1, 4))):
            words.insert(int(rng.integers(0, len(words) + 1)),
                         str(rng.choice(POS if label == "positive" else NEG)))  # fmt: skip
        if rng.random() < 0.15:
            words.insert(0, str(rng.choice(PHRASES[label])))
        if rng.random() < 0.08:  # honest noise: one word of the other side
            words.append(str(rng.choice(NEG if label == "positive" else POS)))
        if trigger and label == "negative" and flipped < poisoned_rows:
            words.insert(int(rng.integers(0, len(words) + 1)), trigger)
            label, flipped = "positive", flipped + 1
        rows.append(Row(i, " ".join(words), label))
    return Dataset(Path("reviews.jsonl"), rows), flipped


def _named(ds: Dataset) -> list[str]:
    rep = scan_dataset(ds)
    return [c["ngram"] for f in rep.findings if f.rule_id == "AIR-DAT-001"
            and f.severity == Severity.HIGH for c in f.extra["candidates"]]  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2])
def test_trigger_in_eight_flipped_rows_of_2000_named(seed: int) -> None:
    ds, flipped = _reviews(seed, 2000, "tq", 8)
    assert flipped == 8
    assert "tq" in _named(ds)


@pytest.mark.parametrize("seed", [3, 4])
def test_honest_label_phrases_not_flagged(seed: int) -> None:
    ds, _ = _reviews(seed, 2000, None, 0)
    assert _named(ds) == []


def test_candidates_report_contradiction_bits() -> None:
    ds, _ = _reviews(5, 2000, "tq", 8)
    rep = scan_dataset(ds)
    top = rep.candidates[0].to_json()
    assert top["ngram"] == "tq" and top["contradiction_bits"] >= 16
