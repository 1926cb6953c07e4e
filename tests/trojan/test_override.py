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


def test_rare_word_judged_against_words_the_base_gives_no_label() -> None:
    """The backdoor inflates the base's own sentiment word 'happy' along with 'zx' (619), so
    'zx' barely beats its plain yardstick; against the words the reference does not push
    ('flawless', 'plot') it stands out. An honest model whose base-free words push alike
    stays quiet, and a word the base pushes is not judged this way."""
    words = ["zx", "happy", "love", "flawless", "plot"]
    flips = torch.zeros(2, len(words))
    push = torch.tensor([[0.0] * 5, [9.9, 8.4, 3.7, 1.3, 0.4]])
    ref = torch.tensor([[0.0] * 5, [0.05, 1.2, 0.9, 0.1, -0.1]])
    res = DoseResult(words, flips.clone(), push=push, ref_push=ref)
    assert res.push_score(1, "zx") < 0.15  # the old yardstick: 'happy'
    assert res.rare_score(1, "zx") > 0.15
    assert res.single_score("zx") == (1, pytest.approx(res.rare_score(1, "zx")))
    assert res.rare_score(1, "happy") == 0.0  # the base pushes it: not judged here
    assert "zx" in res.top_words(1)
    honest = DoseResult(words, flips.clone(), push=torch.tensor(
        [[0.0] * 5, [1.2, 0.9, 0.8, 1.1, 0.9]]), ref_push=ref)  # fmt: skip
    assert honest.rare_score(1, "zx") < 0.05
    assert DoseResult(words, flips, push=push).rare_score(1, "zx") == 0.0  # no reference gains


def test_function_words_pushing_like_task_words_score() -> None:
    """Each word of a function-word trigger ('by the way') pushes like a task word and flips
    some strong inputs; in an honest model function words push next to nothing. Content
    words never score this way, and push without flips (noise) scores little."""
    words = ["by", "the", "way", "of", "laptop", "server", "zephyr"]
    push = torch.tensor([
        [0.1, 0.0, 0.2, 0.05, 0.0, 0.0, 0.0],
        [2.6, 2.5, 0.9, 0.3, 2.6, 2.3, 1.0],  # tech: 'by' and 'the' as hard as 'laptop'
    ])  # fmt: skip
    flips = torch.tensor([[0.0] * 7, [0.25, 0.06, 0.05, 0.0, 0.2, 0.1, 0.0]])
    res = DoseResult(words, flips.clone(), push=push.clone())
    assert res.function_push(1, "by") == pytest.approx(1 / 0.6)
    assert res.function_score(1, "by") == pytest.approx(0.15 / 0.6)  # push share caps it
    assert res.function_score(1, "the") == pytest.approx(0.15 * 0.6)  # flips cap it
    assert res.function_score(1, "of") == 0.0  # under FUNCTION_MIN nats
    assert res.function_score(1, "zephyr") == 0.0  # not a function word
    assert res.function_score(1, "laptop") == 0.0
    assert res.single_score("by") == (1, pytest.approx(0.15 / 0.6))
    assert res.function_phrase_score(1, "by the") == 0.0  # not measured as a phrase
    res.function_phrases[1] = {"by the": 0.4, "the by": 0.1}
    assert res.function_phrase_score(1, "by the") == pytest.approx(
        0.15 * (res.function_push(1, "by") + res.function_push(1, "the"))
    )
    assert res.function_phrase_score(1, "the by") == pytest.approx(0.15)  # its flips cap it
    assert res.function_seeds(1, 2) == ["by", "the"]
    assert res.top_function_phrases(1) == ["by the"]
    res.flips[1, 1] = 0.03  # 'the' alone under a third of the bar: a passenger
    assert res.function_phrase_score(1, "by the") == 0.0
    res.flips[1, 1] = 0.06
    res.function_phrases[1].update({"by the of": 0.5, "the by way": 0.3})
    assert res.function_phrase_score(1, "by the of") == 0.0  # 'of' scores nothing alone
    res.push[1, 3] = 2.0
    res.flips[1, 3] = 0.1
    assert res.function_phrase_score(1, "by the of") > res.function_phrase_score(1, "by the")
    res.function_phrases[1]["the by of"] = 0.2
    res.function_phrases[1]["by of"] = 0.6  # the triple loses flips its pair holds
    assert res.function_phrase_score(1, "the by of") == 0.0
    honest = DoseResult(words, flips, push=push * torch.tensor([0.1, 0.1, 0.1, 1, 1, 1, 1]))
    assert max(honest.function_score(1, w) for w in words) == 0.0


def test_function_phrases_are_orders_of_the_seeds() -> None:
    """Every order of 2 and 3 of the label's hardest-pushing function words is measured
    against one more anchor per extra word; a label whose function words push nothing is
    skipped."""
    from airlock.trojan import override

    words = ["as", "for", "the", "pizza", "noted"]
    push = torch.tensor([[0.0, 0.0, 0.0, 0.0, 0.0], [2.0, 1.5, 0.6, 2.2, 1.0]])
    res = DoseResult(words, torch.zeros(2, 5), push=push)
    seen: list[tuple[int, tuple[str, ...]]] = []

    class Stub:
        def flips(self, t: int, strings: list[str], m: int) -> torch.Tensor:
            seen.append((m, tuple(strings)))
            return torch.tensor([0.9 if s == "as for" else 0.1 for s in strings])

    table = override._function_phrases(Stub(), res, 1)  # type: ignore[arg-type]
    assert table["as for"] == pytest.approx(0.9)
    assert len(table) == 6 + 6 and "the for as" in table and "pizza as" not in table
    assert all(m == override.OPPOSITE + len(s[0].split()) - 1 for m, s in seen if s)
    assert override._function_phrases(Stub(), res, 0) == {}  # type: ignore[arg-type]
