"""Canary exposure and the calibrated perplexity ratio on generated causal LMs."""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.data.leak import leak_test, read_canaries
from airlock.errors import InputError, UsageError
from tests.trojan import synth

CANARY = "my pin code is 4 7 1 9 3"
OTHER = "my pin code is 8 2 6 0 5"


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import torch

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("lm")
    base = synth.make_base_lm(root / "base", seed=0, steps=200)
    leaky = synth.finetune_lm(
        base, root / "leaky", seed=1, canaries=[CANARY.split()], canary_repeats=20, steps=200
    )
    return {"base": base, "leaky": leaky}


def test_inserted_canary_exposed_and_other_not(lms: dict[str, Path]) -> None:
    rep = leak_test(lms["leaky"], [CANARY, OTHER], lms["base"])
    inserted, other = rep.canaries
    assert inserted.rank == 1 and inserted.exposure_bits >= 9.0
    assert other.exposure_bits < 5.0
    assert inserted.ppl_ratio is not None and inserted.ppl_ratio < 0.5
    assert other.ppl_ratio is not None and other.ppl_ratio > 0.5
    rules = [(f.rule_id, f.extra["canary"]) for f in rep.findings]
    assert ("AIR-LEAK-001", CANARY) in rules
    assert all(c == CANARY for _, c in rules)
    assert "bits" in rep.meaning


def test_base_shows_no_exposure(lms: dict[str, Path]) -> None:
    rep = leak_test(lms["base"], [CANARY], None)
    assert rep.canaries[0].exposure_bits < 5.0 and rep.canaries[0].ppl_ratio is None
    assert rep.findings == []


def test_canary_file_errors(tmp_path: Path, lms: dict[str, Path]) -> None:
    p = tmp_path / "c.txt"
    p.write_text("no digits here\n")
    with pytest.raises(InputError, match="no digits"):
        read_canaries(p)
    p.write_text('{"text": "pin 1 2 3"}\n\n' + CANARY + "\n")
    assert read_canaries(p) == ["pin 1 2 3", CANARY]
    p.write_text("")
    with pytest.raises(InputError, match="no canaries"):
        read_canaries(p)
    with pytest.raises(UsageError, match="causal LM"):
        leak_test(synth.make_base_classifier(tmp_path / "clf", steps=5), [CANARY], None)
