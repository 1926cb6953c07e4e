"""The reference model's removal test for candidate triggers.

A poisoning trigger is inserted into rows whose own content says another label, and those rows
are relabelled: remove the phrase and a reference classifier (the base, or any honest model of
the task) reads the rest of the row and predicts the label the content says -- not the row's
label. An honest label phrase ("one star", "refund") sits in rows whose other content agrees
with the label, so with the phrase removed the reference still predicts the row's label. The
share of a candidate's rows that flip back, scored as surprise against the reference's own
error rate on the dataset, confirms a candidate (even one in a handful of rows, which the
text-only test cannot tell from chance) or demotes one the text-only test flagged. A phrase
the reference itself reads as the label ("on lovely": removing it removes label content) is
never confirmed this way: rows that keep little else flip for the wrong reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ReferenceFn = Callable[[list[str]], npt.NDArray[np.float64]]
MAX_ROWS = 64  # rows of one candidate sent to the reference (its first ones)
MAX_CANDIDATES = 40


@dataclass(frozen=True)
class FlipResult:
    ngram: str
    rows: int  # rows tested (labelled with the candidate's label)
    flipped: int  # of those, rows the reference assigns another label once the phrase is gone
    bits: float  # surprise of ``flipped`` against the reference's error rate
    alone: float  # the reference's probability of the label for the phrase on its own

    @property
    def share(self) -> float:
        return self.flipped / self.rows if self.rows else 0.0


def without(text: str, ngram: str) -> str:
    """``text`` with every occurrence of the n-gram's words (in sequence, any case) removed."""
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in ngram.split(" ")) + r"(?!\w)"
    return " ".join(re.sub(pattern, " ", text, flags=re.IGNORECASE | re.UNICODE).split())


def label_column(label: str, names: Sequence[str]) -> int | None:
    """The reference's output column for a dataset label (by name, else by index)."""
    low = [n.lower() for n in names]
    if label.lower() in low:
        return low.index(label.lower())
    if label.isdigit() and int(label) < len(names):
        return int(label)
    return None


def _surprise_bits(k: int, n: int, p: float) -> float:
    q = k / n if n else 0.0
    if q <= p:
        return 0.0
    p = min(max(p, 1e-12), 1 - 1e-12)
    kl = q * math.log(q / p) + ((1 - q) * math.log((1 - q) / (1 - p)) if q < 1 else 0.0)
    return n * kl / math.log(2)


def error_rate(
    probs: npt.NDArray[np.float64],
    labels: Sequence[str],
    names: Sequence[str],
    floor: float,
    rejects: float = 0.35,
) -> float:
    """Share of rows whose label the reference rejects (its disagreement with the dataset,
    poisoned rows included), at least ``floor``."""
    cols = [label_column(str(y), names) for y in labels]
    known = [(i, c) for i, c in enumerate(cols) if c is not None]
    if not known:
        return 1.0
    wrong = sum(1 for i, c in known if probs[i, c] < rejects)
    return max(floor, wrong / len(known))


def flip_test(
    candidates: Sequence[tuple[str, str, Sequence[str]]],
    reference: ReferenceFn,
    names: Sequence[str],
    base_error: float,
    rejects: float = 0.35,
) -> dict[str, FlipResult]:
    """For each (ngram, label, texts of its rows with that label): how many rows the reference
    rejects the label of (probability below ``rejects``) once the n-gram is removed -- a row
    left without any evidence (its one label word was the n-gram) is uncertain, not flipped.
    One reference call for all of them."""
    batch: list[str] = []
    spans: list[tuple[str, int, int, int]] = []
    for ngram, label, texts in candidates[:MAX_CANDIDATES]:
        col = label_column(label, names)
        if col is None:
            continue
        start = len(batch)
        batch.append(ngram)  # the phrase alone: is it label content for the reference?
        batch.extend(without(t, ngram) for t in texts[:MAX_ROWS])
        spans.append((ngram, col, start, len(batch)))
    if not batch:
        return {}
    probs = reference(batch)
    out: dict[str, FlipResult] = {}
    for ngram, col, a, b in spans:
        n = b - a - 1
        flipped = int(np.sum(probs[a + 1 : b, col] < rejects))
        bits = _surprise_bits(flipped, n, base_error)
        out[ngram] = FlipResult(ngram, n, flipped, bits, float(probs[a, col]))
    return out
