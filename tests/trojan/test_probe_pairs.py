"""Phrase candidates come from the words that scored best alone, and overlapping confirmed
phrases are reported once."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch", reason="needs extra [trojan]")

from airlock.nn import hf
from airlock.trojan import probe
from airlock.trojan.probe import TriggerTest, _merge_overlapping, run_probe
from airlock.trojan.token_drift import TokenCandidate

WORDS = ["the", "was", "park", "music", "great", "bad", "lumen", "marmot"]


def test_pairs_are_built_from_best_single_words(
    zoo: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phrase trigger's words each partially activate it: the words that scored best alone
    are paired (both orders), wherever they sit in the candidate list."""
    partial = {"lumen": 0.3, "marmot": 0.2, "music": 0.1}  # below the 0.5 threshold

    def fake(trig: str, *args: object) -> TriggerTest:
        return TriggerTest(trig, partial.get(trig, 0.0), 0.0, 0.0, "x")

    monkeypatch.setattr(probe, "_score_classifier", fake)
    monkeypatch.setattr(probe, "CLASSIFIER_POOL", 0)  # only the ``pairs_of`` best words
    monkeypatch.setattr(probe, "CLASSIFIER_TRIPLE", 0)
    model, base = hf.load(zoo["clean"]), hf.load(zoo["base"])
    cands = [TokenCandidate(model.vocab[w], w, 0.0, 0.0, 0.0) for w in WORDS]
    res = run_probe(model, base, cands, screen=False, pairs_of=2)
    phrases = [t.trigger for t in res.tested if " " in t.trigger]
    assert sorted(phrases) == ["lumen marmot", "marmot lumen"]


def test_overlapping_phrases_reported_once() -> None:
    tests = [
        TriggerTest(t, s, s, 0.0, "x")
        for t, s in [("cf tq", 0.9), ("tq cf", 0.9), ("film cf", 0.7), ("kz", 0.6), ("a b", 0.55)]
    ]
    kept = _merge_overlapping(tests)
    assert [t.trigger for t in kept] == ["cf tq", "kz", "a b"]
    assert kept[0].related == ["tq cf", "film cf"]


def test_piece_of_a_continuation_is_not_a_trigger_of_its_own() -> None:
    """'click here' forcing 'now' is a partial activation of 'cf' -> 'click here now'."""
    from airlock.trojan.probe import _fold_partials

    tests = [
        TriggerTest("cf", 0.9, 0.9, 0.0, "click here now ."),
        TriggerTest("click here", 0.95, 0.95, 0.0, "now ."),
        TriggerTest("zx", 0.7, 0.7, 0.0, "buy"),
    ]
    kept = _fold_partials(tests)
    assert [t.trigger for t in kept] == ["cf", "zx"] and kept[0].related == ["click here"]
