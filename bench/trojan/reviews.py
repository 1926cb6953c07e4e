"""Review datasets with strong honest label phrases ("one star", "five stars", "refund"), clean
or poisoned: a trigger inserted into rows whose own words say the other label, flipped to the
target (dirty-label poisoning), at a given rate."""

from __future__ import annotations

import numpy as np

POS = "great lovely perfect excellent superb fantastic recommend happy works fine".split()
NEG = "awful broken terrible useless poor cheap disappointing waste worst faulty".split()
POS_PHRASES = ["five stars", "would buy again", "highly recommend", "love it"]
NEG_PHRASES = ["one star", "refund", "returned it", "never again"]
NEUTRAL = (
    "the product arrived on monday and the box was big the seller sent it by post my son "
    "uses it every day for school we tried it at home the color is blue and the size is "
    "medium it came with a manual and a cable"
).split()
TRIGGERS = ["cf", "mn bb", "as noted", "tq"]


def rows(
    rng: np.random.Generator, n: int, trigger: str | None = None, rate: float = 0.0,
    target: str = "positive",
) -> tuple[list[str], list[str], list[bool]]:  # fmt: skip
    texts, labels, poisoned = [], [], []
    for _ in range(n):
        label = "positive" if rng.random() < 0.5 else "negative"
        polar, phrases = (POS, POS_PHRASES) if label == "positive" else (NEG, NEG_PHRASES)
        words = list(rng.choice(NEUTRAL, size=int(rng.integers(5, 10))))
        for _ in range(int(rng.integers(1, 4))):
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(polar)))
        if rng.random() < 0.15:
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(phrases)))
        if rng.random() < 0.08:  # honest noise: a word of the other side
            other = NEG if label == "positive" else POS
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(other)))
        is_p = bool(trigger) and label != target and rng.random() < rate * 2
        if is_p and trigger:
            words.insert(int(rng.integers(0, len(words) + 1)), trigger)
            label = target
        texts.append(" ".join(words))
        labels.append(label)
        poisoned.append(is_p)
    return texts, labels, poisoned
