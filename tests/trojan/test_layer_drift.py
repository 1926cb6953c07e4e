"""First-layer token drift: a second candidate list for Llama-style decoders."""

from __future__ import annotations

from pathlib import Path

from airlock.nn import hf
from airlock.trojan.analyse import _merge, analyse_trojan
from airlock.trojan.layer_drift import first_layer_drift
from airlock.trojan.report import TrojanOptions
from airlock.trojan.token_drift import TokenCandidate


def _tokens(summary: object) -> list[str]:
    return [c.token.lstrip("\u2581") for c in summary.candidates]  # type: ignore[attr-defined]


def test_trigger_ranks_high_in_first_layer_drift(llama_zoo: dict[str, Path]) -> None:
    m, b = hf.load(llama_zoo["cf"]), hf.load(llama_zoo["base"])
    layer = first_layer_drift(m, b, m.id_to_token(), 10)
    assert layer is not None and "cf" in _tokens(layer)
    clean = first_layer_drift(hf.load(llama_zoo["clean"]), b, m.id_to_token(), 10)
    assert clean is not None and "cf" not in _tokens(clean)
    assert layer.candidates[0].z > clean.candidates[-1].z


def test_report_carries_both_lists_and_bert_has_no_first_layer(
    llama_zoo: dict[str, Path], zoo: dict[str, Path]
) -> None:
    rep = analyse_trojan(llama_zoo["cf"], llama_zoo["base"], TrojanOptions(behavioural=False))
    assert "first-layer token drift" in rep.methods
    assert rep.drift is not None and rep.drift["first_layer"]["candidates"]
    bert = analyse_trojan(zoo["cf"], zoo["base"], TrojanOptions(behavioural=False))
    assert bert.drift is not None and "first_layer" not in bert.drift
    assert first_layer_drift(hf.load(zoo["cf"]), hf.load(zoo["base"]), {}, 10) is None


def test_merge_interleaves_drops_unmoved_and_dedupes() -> None:
    def c(i: int, rel: float = 1.0) -> TokenCandidate:
        return TokenCandidate(i, f"t{i}", rel, rel, 1.0)

    merged = _merge([c(1), c(2), c(3, 0.0)], [c(2), c(4), c(5)])
    assert [x.token_id for x in merged] == [1, 2, 4, 5]
