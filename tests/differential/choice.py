"""The one interface every generator draws its decisions from, so the same generator code runs
from a seeded ``random.Random`` (large campaigns, reproducible by seed and index) and from
hypothesis (shrinking in the test suite)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Chooser(Protocol):
    def pick(self, options: Sequence[T]) -> T: ...

    def int(self, lo: int, hi: int) -> int: ...

    def chance(self, p: float) -> bool: ...


class SeededChooser:
    """Decisions from ``random.Random(seed)``: sample ``i`` of seed ``s`` is always the same."""

    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


class HypothesisChooser:
    """Decisions drawn from a hypothesis ``data`` object (``st.data()``), so failures shrink."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def pick(self, options: Sequence[T]) -> T:
        return options[self.data.draw(self.st.integers(0, len(options) - 1))]  # type: ignore[no-any-return]

    def int(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))  # type: ignore[no-any-return]

    def chance(self, p: float) -> bool:
        return self.data.draw(self.st.integers(0, 999)) < int(p * 1000)  # type: ignore[no-any-return]
