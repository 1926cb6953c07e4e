"""The reference model's removal test: removing a trigger flips the reference's prediction back
on its rows (their content says the other label); removing an honest label phrase does not."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from airlock.data.jsonl import Dataset
from airlock.data.poison import PoisonOptions, scan_dataset
from airlock.data.reference_flip import label_column, without

from .test_poison_rates import NEG, POS, _reviews

NAMES = ["negative", "positive"]


def lexicon(texts: list[str]) -> npt.NDArray[np.float64]:
    """An honest reference: the side whose words the text has more of (what a model trained
    without the trigger learns)."""
    out = np.zeros((len(texts), 2))
    for i, t in enumerate(texts):
        ws = t.lower().split()
        pos = sum(w in POS or w in ("five", "stars", "highly") for w in ws)
        neg = sum(w in NEG or w in ("one", "star", "refund") for w in ws)
        out[i] = [0.9, 0.1] if neg > pos else [0.1, 0.9] if pos > neg else [0.5, 0.5]
    return out


def _scan(ds: Dataset, ref: Callable[[list[str]], npt.NDArray[np.float64]] | None) -> object:
    if ref is None:
        return scan_dataset(ds)
    probs = ref([r.text for r in ds.rows])
    return scan_dataset(ds, reference_probs=probs, reference_labels=NAMES, reference=ref)


def _named(rep: object) -> list[str]:
    return [c["ngram"] for f in rep.findings if f.rule_id == "AIR-DAT-001"  # type: ignore[attr-defined]
            for c in f.extra["candidates"]]  # fmt: skip


def test_without_removes_the_phrase_in_any_case() -> None:
    assert without("Great, AS  noted: it works", "as noted") == "Great, : it works"
    assert without("class as noted", "as") == "class noted"
    assert without("tq tqx tq.", "tq") == "tqx ."


def test_label_column_by_name_or_index() -> None:
    assert label_column("Positive", NAMES) == 1
    assert label_column("0", ["a", "b"]) == 0
    assert label_column("neutral", NAMES) is None


@pytest.mark.parametrize("seed", [3, 4])
def test_honest_phrases_do_not_flip_back(seed: int) -> None:
    ds, _ = _reviews(seed, 2000, None, 0)
    rep = _scan(ds, lexicon)
    assert _named(rep) == []
    assert "reference removal test" in rep.methods  # type: ignore[attr-defined]
    tested = [c for c in rep.candidates if c.reference_flip is not None]  # type: ignore[attr-defined]
    # the task's own label words: their rows keep their label once the word is gone
    assert len(tested) >= 5 and all(c.reference_flip < 0.1 for c in tested)


@pytest.mark.parametrize(("seed", "rows"), [(11, 5), (12, 6), (13, 5)])
def test_a_trigger_in_five_rows_is_confirmed_by_the_reference(seed: int, rows: int) -> None:
    ds, flipped = _reviews(seed, 2000, "zq", rows)
    assert flipped == rows
    # the text alone missed all three before session 25's leave-one-out contradiction test and
    # names seeds 12 and 13 since; the reference confirms all of them either way
    rep = _scan(ds, lexicon)
    assert _named(rep)[:1] == ["zq"]
    (c,) = [c for c in rep.candidates if c.ngram == "zq"]  # type: ignore[attr-defined]
    assert c.reference_flip is not None and c.reference_flip >= 0.6 and c.reference_bits >= 12
    f = next(f for f in rep.findings if f.rule_id == "AIR-DAT-001")  # type: ignore[attr-defined]
    assert "without it the reference predicts another label" in f.evidence


def test_text_only_verdict_demoted_when_the_reference_agrees_with_the_label() -> None:
    ds, _ = _reviews(1, 2000, "tq", 40)
    assert "tq" in _named(_scan(ds, None))

    def complicit(texts: list[str]) -> npt.NDArray[np.float64]:  # learnt the flipped labels
        return np.tile([0.2, 0.8], (len(texts), 1))

    rep = _scan(ds, complicit)
    assert "tq" not in _named(rep)
    low = [f for f in rep.findings if f.rule_id == "AIR-DAT-010"]  # type: ignore[attr-defined]
    assert low and "'tq'" in low[0].title and str(low[0].severity) == "low"


def test_no_reference_function_keeps_the_text_only_verdict() -> None:
    ds, _ = _reviews(1, 2000, "tq", 40)
    probs = lexicon([r.text for r in ds.rows])
    rep = scan_dataset(ds, PoisonOptions(), reference_probs=probs, reference_labels=NAMES)
    assert "tq" in _named(rep) and "reference removal test" not in rep.methods


def test_a_phrase_the_reference_reads_as_the_label_is_not_confirmed() -> None:
    """Removing label content ("on lovely") flips weak rows for the wrong reason; a reference
    that reads the phrase itself as the label cannot confirm it (nor a trigger it learnt)."""
    ds, _ = _reviews(11, 2000, "zq", 5)

    def knows_zq(texts: list[str]) -> npt.NDArray[np.float64]:
        out = lexicon(texts)
        out[[t.strip() == "zq" for t in texts]] = [0.1, 0.9]
        return out

    assert "zq" in _named(_scan(ds, lexicon))
    assert "zq" not in _named(_scan(ds, knows_zq))
