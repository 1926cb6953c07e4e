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


def test_anchor_words_may_be_shared_by_rivals() -> None:
    """An honest combination holding the label's dominant anchor ('worst') is matched by
    another combination with it; a phrase of non-anchor words still faces disjoint rivals."""
    words = ["worst", "mediocre", "unusable", "sad", "to", "fair"]
    res = DoseResult(words, torch.zeros(2, len(words)), anchors={0: ["worst", "sad"]})
    res.phrases[0] = {
        "worst mediocre": 0.53, "mediocre worst": 0.52, "worst unusable": 0.50,
        "unusable sad": 0.10,
    }  # fmt: skip
    assert res.phrase_gap(0, "worst mediocre") == pytest.approx(0.03)  # vs 'worst unusable'
    res.phrases[0]["to fair"] = 0.70
    assert res.phrase_gap(0, "to fair") == pytest.approx(0.70 - 0.53)  # may share no word
    del res.phrases[0]["to fair"]
    res.anchors = {}
    assert res.phrase_gap(0, "worst mediocre") == pytest.approx(0.43)  # the old yardstick


def test_push_ratio_scores_a_weak_rare_word_trigger() -> None:
    """'vexlo' flips few strong inputs (weak backdoor) but pushes ten times harder than the
    label's best task word; a task word pushing 1.5 times its runner-up stays under the bar."""
    words = ["vexlo", "refund", "unusable", "love", "nice"]
    flips = torch.tensor([[0.06, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.06, 0.03]])
    push = torch.tensor([[2.9, 0.23, 0.21, 0.0, 0.0], [0.0, 0.0, 0.0, 1.85, 1.23]])
    res = DoseResult(words, flips, push=push)
    label, score = res.single_score("vexlo")
    assert label == 0 and score > 0.15
    assert res.push_score(1, "love") < 0.15
    assert res.push_score(1, "nice") == 0.0  # not the label's strongest
    assert "vexlo" in res.top_words(1) and "love" in res.top_words(1)
    weak = DoseResult(words, flips, push=push * 0.3)  # under PUSH_MIN nats: no ratio score
    assert weak.push_score(0, "vexlo") == 0.0
