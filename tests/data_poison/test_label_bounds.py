"""The n-gram purity method's memory is bounded on hostile label sets (session 27, data27).

One dense n_labels array per word made a 547 KB file with a unique label per row take 2.8 GB
(and a 1.8 MB one run out of memory); now (word, label) counts are sparse, labels beyond a cap
are pooled and reported, and rows past a word bound are reported as not judged. The bounds are
asserted structurally (counts stored), never on RSS."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from airlock.data import label_counts as lc
from airlock.data import poison
from airlock.data.jsonl import Dataset, Row
from airlock.data.poison import PoisonOptions, scan_dataset
from airlock.report import Severity

POS = "good great fine nice lovely superb happy best glad fun".split()
NEG = "bad awful poor sad worst dull boring weak ugly grim".split()


def _unique_labels(n: int, seed: int = 0) -> Dataset:
    """Regression-like rows: random words, a label of their own."""
    rng = np.random.default_rng(seed)
    rows = [
        Row(i, " ".join(f"w{int(x)}" for x in rng.integers(0, 50_000, 10)), f"lab{i}")
        for i in range(n)
    ]
    return Dataset(Path("unique.jsonl"), rows)


def _sentiment(n: int, poisoned: int, seed: int = 1) -> list[Row]:
    rng = np.random.default_rng(seed)
    rows, flipped = [], 0
    for i in range(n):
        label = "pos" if rng.random() < 0.5 else "neg"
        words = [str(rng.choice(POS if label == "pos" else NEG)) for _ in range(3)]
        words += [f"n{int(x)}" for x in rng.integers(0, 400, 4)]
        if label == "neg" and flipped < poisoned:
            words.insert(2, "tq")
            label, flipped = "pos", flipped + 1
        rows.append(Row(i, " ".join(words), label))
    return rows


def _rules(ds: Dataset) -> dict[str, Severity]:
    return {f.rule_id: f.severity for f in scan_dataset(ds).findings}


def test_counts_are_sparse_not_words_times_labels() -> None:
    """Stored counts are bounded by the tokens read, whatever the number of labels."""
    ds = _unique_labels(600)
    labels = [str(r.label) for r in ds.rows]
    tok = lc.Tokens.read([r.text for r in ds.rows])
    ys = np.arange(len(labels), dtype=np.int64)  # every row its own class
    nb = lc.SparseNaiveBayes(tok, ys, len(labels))
    tokens = int(tok.off[-1])
    assert tok.vocab > 1000 and len(labels) == 600  # dense would be > 600,000 counts
    assert nb.stored <= tokens + 2 * len(labels)
    for doc in range(0, 600, 50):  # the cache is bounded too
        nb.contradicts(doc, set())
    assert len(nb._cache) * nb.c <= lc.CACHE_FLOATS


def test_unique_labels_fail_closed() -> None:
    """A set of unique labels is not judged by the purity method: said at MEDIUM, not passed."""
    got = _rules(_unique_labels(300))
    assert got.get("AIR-DAT-011") == Severity.MEDIUM


def test_labels_beyond_the_cap_are_pooled_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the cap the labels with most rows are judged, the rest pooled (reported MEDIUM when
    a pooled label could have been a trigger's target); the trigger is still named."""
    rows = _sentiment(1500, 60)
    extra = [Row(1500 + i, f"other text number {i % 7} here", f"x{i % 5}") for i in range(50)]
    monkeypatch.setattr(lc, "MAX_LABELS", 2)
    plan = lc.plan_labels([str(r.label) for r in rows + extra], 5, lc.MAX_LABELS)
    assert plan.names[: plan.judged] == ["neg", "pos"] and plan.pooled == 2
    assert plan.pooled_labels == 5 and plan.pooled_targets == 5
    rep = scan_dataset(Dataset(Path("p.jsonl"), rows + extra))
    rules = {f.rule_id: f for f in rep.findings}
    assert rules["AIR-DAT-011"].severity == Severity.MEDIUM
    named = [c["ngram"] for c in rules["AIR-DAT-001"].extra["candidates"]]
    assert "tq" in named
    assert all(c.label in ("neg", "pos") for c in rep.candidates)


def test_rows_past_the_word_bound_are_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _sentiment(400, 0)
    monkeypatch.setattr(lc, "MAX_TOKENS", 1000)
    _, _, cover = poison._candidates(rows, PoisonOptions())
    assert cover.read < cover.labelled == 400
    rep = scan_dataset(Dataset(Path("p.jsonl"), rows))
    capped = [f for f in rep.findings if f.rule_id == "AIR-DAT-011"]
    assert capped and capped[0].severity == Severity.MEDIUM


def test_honest_labels_unchanged_under_the_cap() -> None:
    """Below the cap every label is its own class: no pooling, no finding."""
    rows = _sentiment(800, 0)
    plan = lc.plan_labels([str(r.label) for r in rows], 5)
    assert plan.pooled is None and plan.names == ["neg", "pos"]
    assert "AIR-DAT-011" not in _rules(Dataset(Path("h.jsonl"), rows))
