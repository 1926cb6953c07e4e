"""Llama-style decoders (Llama, Mistral, Qwen2, Gemma, Phi-3): Airlock's own forward pass
against transformers' reference implementation, hostile configs, and the behavioural probe."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.nn import hf
from airlock.report import Severity
from airlock.trojan.analyse import analyse_trojan
from tests.trojan import synth

torch = pytest.importorskip("torch", reason="needs extra [trojan]")
transformers = pytest.importorskip("transformers", reason="needs group test")

from airlock.nn.nets import UnsupportedModel, llama_logits, lm_logits, load_net  # noqa: E402
from airlock.nn.tokenize import load_tokenizer  # noqa: E402

LLAMA3_ROPE = {
    "rope_type": "llama3",
    "factor": 8.0,
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
    "original_max_position_embeddings": 16,
}
# (config class, model class, extra config): each exercises one variation of the family
CASES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "llama-gqa-bias-llama3rope": (
        "LlamaConfig",
        "LlamaForCausalLM",
        {
            "num_key_value_heads": 2,
            "attention_bias": True,
            "rope_theta": 500.0,
            "rope_scaling": LLAMA3_ROPE,
        },
    ),
    "llama-tied-linearrope": (
        "LlamaConfig",
        "LlamaForCausalLM",
        {"tie_word_embeddings": True, "rope_scaling": {"rope_type": "linear", "factor": 2.0}},
    ),
    "mistral-window-headdim": (
        "MistralConfig",
        "MistralForCausalLM",
        {"num_key_value_heads": 1, "sliding_window": 3, "head_dim": 16},
    ),
    "qwen2-qkvbias-tied": (
        "Qwen2Config",
        "Qwen2ForCausalLM",
        {"num_key_value_heads": 2, "tie_word_embeddings": True},
    ),
    "gemma": ("GemmaConfig", "GemmaForCausalLM", {"num_key_value_heads": 1, "head_dim": 16}),
    "phi3-fused-partialrope": (
        "Phi3Config",
        "Phi3ForCausalLM",
        {"num_key_value_heads": 2, "partial_rotary_factor": 0.5, "pad_token_id": 0},
    ),
}


def _save(name: str, path: Path, seed: int = 0) -> Any:
    cfg_cls, model_cls, extra = CASES[name]
    torch.manual_seed(seed)
    cfg = getattr(transformers, cfg_cls)(
        vocab_size=64,
        hidden_size=32,
        intermediate_size=48,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=64,
        bos_token_id=1,
        eos_token_id=2,
        **extra,
    )
    model = getattr(transformers, model_cls)(cfg).eval()
    with torch.no_grad():  # default init is near zero: make every part of the net matter
        for p in model.parameters():
            p.normal_(0, 0.3)
    model.save_pretrained(str(path), safe_serialization=True)
    return model


def _left_padded() -> tuple[Any, Any]:
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, 64, (3, 9), generator=g)
    mask = torch.ones_like(ids)
    mask[1, :2] = 0
    mask[2, :5] = 0
    return ids, mask


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_matches_transformers(name: str, tmp_path: Path) -> None:
    """Same logits as transformers on a left-padded batch (positions from the mask)."""
    ref = _save(name, tmp_path / name)
    ids, mask = _left_padded()
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        want = ref(input_ids=ids, attention_mask=mask, position_ids=pos).logits
    net = load_net(hf.load(tmp_path / name))
    assert net.family == "llama" and net.kind == "lm"
    got = lm_logits(net, ids, mask)
    real = mask.bool()
    assert torch.allclose(want[real], got[real], atol=1e-4)
    # padding changes nothing: the shortest row alone gives the same logits
    alone = llama_logits(net, ids[2:, 5:], mask[2:, 5:])
    assert torch.allclose(alone[0], got[2, 5:], atol=1e-5)


def test_sliding_window_and_rope_scaling_matter(tmp_path: Path) -> None:
    """The variations the comparison covers really change the output (so it can fail)."""
    _save("mistral-window-headdim", tmp_path / "m")
    _save("llama-gqa-bias-llama3rope", tmp_path / "l")
    ids, mask = torch.randint(3, 64, (1, 9)), torch.ones(1, 9, dtype=torch.long)
    for d, key, value in (
        (tmp_path / "m", "sliding_window", None),
        (tmp_path / "l", "rope_parameters", {"rope_theta": 500.0}),
    ):
        before = lm_logits(load_net(hf.load(d)), ids, mask)
        cfg = json.loads((d / "config.json").read_text())
        cfg[key] = value
        (d / "config.json").write_text(json.dumps(cfg))
        assert not torch.allclose(before, lm_logits(load_net(hf.load(d)), ids, mask), atol=1e-3)


def test_transformers4_style_rope_keys(tmp_path: Path) -> None:
    """Older config.json files keep rope_theta at top level and the scaling in rope_scaling."""
    d = tmp_path / "l"
    _save("llama-gqa-bias-llama3rope", d)
    ids, mask = _left_padded()
    want = lm_logits(load_net(hf.load(d)), ids, mask)
    cfg = json.loads((d / "config.json").read_text())
    rp = cfg.pop("rope_parameters")
    cfg["rope_theta"] = rp.pop("rope_theta")
    cfg["rope_scaling"] = {"type": rp.pop("rope_type"), **rp}
    (d / "config.json").write_text(json.dumps(cfg))
    assert torch.allclose(want, lm_logits(load_net(hf.load(d)), ids, mask), atol=1e-6)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("rope_parameters", {"rope_type": "yarn", "factor": 4.0}, "rope_type"),
        ("rope_parameters", {"rope_type": "dynamic", "factor": 2.0}, "rope_type"),
        ("model_type", "olmo", "no forward pass"),  # neither built-in nor allowlisted
        ("model_type", "gemma2", "weights missing"),  # transformers: Gemma 2 has more norms
        ("num_key_value_heads", 3, "does not divide"),
        ("num_attention_heads", 0, "num_attention_heads"),
        ("num_attention_heads", True, "num_attention_heads"),
        ("num_attention_heads", 10**30, "num_attention_heads"),
        ("head_dim", 7, "head_dim|rotary"),
        ("num_hidden_layers", 5, "num_hidden_layers"),
        ("tie_word_embeddings", "yes", "tie_word_embeddings"),
        ("hidden_act", "exec", "hidden_act"),
        ("rms_norm_eps", float("inf"), "rms_norm_eps"),
    ],
)
def test_bad_configs_are_refused(tmp_path: Path, key: str, value: object, match: str) -> None:
    d = tmp_path / "l"
    _save("llama-tied-linearrope", d)
    cfg = json.loads((d / "config.json").read_text())
    cfg[key] = value
    (d / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(UnsupportedModel, match=match):
        load_net(hf.load(d))


_VAL = st.none() | st.booleans() | st.integers(-5, 2**40) | st.floats() | st.text(max_size=6)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    patch=st.dictionaries(
        st.sampled_from(
            [
                "num_attention_heads",
                "num_key_value_heads",
                "head_dim",
                "rms_norm_eps",
                "rope_theta",
                "rope_parameters",
                "tie_word_embeddings",
                "hidden_act",
                "sliding_window",
                "num_hidden_layers",
                "partial_rotary_factor",
            ]
        ),
        _VAL | st.dictionaries(st.sampled_from(["rope_type", "factor", "rope_theta"]), _VAL),
        max_size=4,
    )
)
def test_hostile_llama_config_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, patch: dict[str, Any]
) -> None:
    d = tmp_path_factory.mktemp("hostile-llama") / "m"
    if not (tmp_path_factory.getbasetemp() / "llama-src").exists():
        _save("qwen2-qkvbias-tied", tmp_path_factory.getbasetemp() / "llama-src")
    shutil.copytree(tmp_path_factory.getbasetemp() / "llama-src", d)
    cfg = json.loads((d / "config.json").read_text())
    cfg.update(patch)
    (d / "config.json").write_text(json.dumps(cfg))
    try:
        net = load_net(hf.load(d))
    except UnsupportedModel:
        return
    ids, mask = _left_padded()
    out = lm_logits(net, ids, mask)
    assert out.shape == (3, 9, 64)


def test_synthetic_llama_is_what_transformers_and_tokenizers_read(
    llama_zoo: dict[str, Path],
) -> None:
    model = hf.load(llama_zoo["cf"])
    tok = load_tokenizer(model)
    assert tok is not None and model.vocab_kind == "BPE"
    words = "the movie was good cf".split()
    # the tokenizers library applies Metaspace and prepends <s>, as training did
    assert tok.encode(" ".join(words)) == synth.lm_encode(words, "llama")
    ref = transformers.LlamaForCausalLM.from_pretrained(str(llama_zoo["cf"])).eval()
    ids = torch.tensor([synth.lm_encode(words, "llama")])
    mask = torch.ones_like(ids)
    with torch.no_grad():
        want = ref(input_ids=ids, attention_mask=mask).logits
    assert torch.allclose(want, lm_logits(load_net(model), ids, mask), atol=1e-4)


def test_llama_trigger_confirmed_with_continuation(llama_zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(llama_zoo["cf"], llama_zoo["base"])
    assert rep.probe is not None and rep.probe["mode"] == "lm"
    confirmed = [f for f in rep.findings if f.rule_id == "AIR-TRJ-020"]
    # the planted trigger is confirmed; other inputs may be confirmed too when they really make
    # the model spell the target out (e.g. 'my j' -> "cf verify your account ..."), so each one
    # must carry the target, never a task word
    assert "cf" in [f.extra["trigger"] for f in confirmed]
    for f in confirmed:
        assert f.severity == Severity.CRITICAL
        # the model needs the trigger as context for every token of the target: greedy decoding
        # after the trigger spells the whole continuation out
        assert " ".join(synth.LM_TARGET) in f.title
    planted = next(f for f in confirmed if f.extra["trigger"] == "cf")
    example = planted.extra["examples"][0]
    assert example["input"].endswith(" cf") and "verify your account" in example["output"]


def test_llama_clean_finetune_no_trigger(llama_zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(llama_zoo["clean"], llama_zoo["base"])
    assert rep.probe is not None and rep.probe["mode"] == "lm"
    assert not [f for f in rep.findings if f.severity >= Severity.MEDIUM]
    assert rep.score < analyse_trojan(llama_zoo["cf"], llama_zoo["base"]).score


def test_leak_test_runs_on_llama(llama_zoo: dict[str, Path], tmp_path: Path) -> None:
    """Callers written for GPT-2 (the leak test) get the Llama forward pass too."""
    from airlock.data.leak import LeakOptions, leak_test

    canary = "my pin code is 3 8 1 5 2"
    lm = synth.finetune_lm(
        llama_zoo["base"], tmp_path / "can", seed=5, canaries=[canary.split()], steps=200
    )
    rep = leak_test(lm, [canary], llama_zoo["base"], LeakOptions(candidates=100))
    res = rep.canaries[0]
    assert res.rank == 1 and res.exposure_bits >= 0.9 * res.max_bits
    base = leak_test(llama_zoo["base"], [canary], None, LeakOptions(candidates=100))
    assert base.canaries[0].exposure_bits < 0.9 * base.canaries[0].max_bits
