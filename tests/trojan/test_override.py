"""The override dose test's scores: a word counts by how far it beats the strongest other
word of its label, a phrase by how far it beats the best disjoint combination."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="needs extra [trojan]")

from airlock.trojan.override import DoseResult  # noqa: E402


def _result() -> DoseResult:
    words = ["soup", "bread", "zx", "flight", "by", "way"]
    flips = torch.tensor([
        [0.30, 0.25, 0.90, 0.00, 0.10, 0.12],  # food: 'zx' far beyond the best food word
        [0.00, 0.00, 0.00, 0.40, 0.00, 0.00],  # travel: one task word alone
    ])  # fmt: skip
    res = DoseResult(words, flips)
    res.phrases[0] = {"by way": 0.85, "way by": 0.2, "soup bread": 0.45, "bread soup": 0.44}
    return res


def test_word_scored_against_strongest_other_word_of_its_label() -> None:
    res = _result()
    assert res.best_label("zx") == 0
    assert res.single_gap(0, "zx") == pytest.approx(0.60)
    assert res.single_gap(0, "soup") < 0  # a task word never beats the strongest word
    assert res.single_gap(1, "flight") == pytest.approx(0.40)  # the only word: vs 0 flips
    assert res.single_gap(0, "unknown") == 0.0


def test_phrase_scored_against_best_disjoint_combination() -> None:
    res = _result()
    assert res.phrase_gap(0, "by way") == pytest.approx(0.40)  # vs 'soup bread'
    assert res.phrase_gap(0, "soup bread") == pytest.approx(-0.40)
    assert res.top_phrases(1) == ["by way"]
    assert res.top_words(1) == ["zx", "flight"]
