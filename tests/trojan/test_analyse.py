"""End-to-end trojan analysis on generated models and on the real all-MiniLM-L6-v2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.numpy import load_file, save_file

from airlock.errors import AirlockError
from airlock.report import Severity
from airlock.trojan.analyse import analyse_trojan
from airlock.trojan.report import TrojanOptions
from tests.trojan import synth


def _rules(report: object) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for f in report.findings:  # type: ignore[attr-defined]
        out.setdefault(f.rule_id, []).append(f)
    return out


def test_backdoored_classifier_trigger_confirmed(zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(zoo["cf"], zoo["base"])
    confirmed = [f for f in rep.findings if f.rule_id == "AIR-TRJ-020"]
    assert [f.extra["trigger"] for f in confirmed] == ["cf"]
    assert confirmed[0].severity == Severity.CRITICAL
    example = confirmed[0].extra["examples"][0]
    assert "cf" in example["input"].split() and example["with_trigger"] == "positive"
    assert "evidence of" in rep.verdict
    assert rep.base_match is not None and rep.base_match.is_base


def test_benign_finetune_reports_no_trigger(zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(zoo["clean"], zoo["base"])
    assert not [f for f in rep.findings if f.severity >= Severity.MEDIUM]
    assert rep.verdict.startswith("no evidence of a backdoor found by methods: ")
    assert "clean" not in rep.verdict.split(".")[0]
    assert "backdoors already present in the base" in rep.verdict
    assert rep.score < analyse_trojan(zoo["cf"], zoo["base"]).score


def test_weights_only_mode_still_ranks_trigger(zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(zoo["cf"], zoo["base"], TrojanOptions(behavioural=False))
    assert rep.probe is None
    assert rep.drift is not None
    top = [c["token"] for c in rep.drift["candidates"][:5]]
    assert "cf" in top
    assert any("behavioural confirmation did not run" in b for b in rep.blind_spots)


def test_wrong_base_is_a_finding(zoo: dict[str, Path], tmp_path: Path) -> None:
    other = synth.make_base_classifier(tmp_path / "other", seed=7, steps=20)
    rep = analyse_trojan(zoo["cf"], other)
    assert "AIR-TRJ-003" in _rules(rep)
    assert rep.base_match is not None and not rep.base_match.is_base
    assert "no trustworthy base" in rep.verdict


def test_different_architecture_and_vocab(zoo: dict[str, Path], lm_zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(zoo["cf"], lm_zoo["base"])
    rules = _rules(rep)
    assert "AIR-TRJ-001" in rules
    assert rep.probe is None


def test_nan_weights_and_missing_tensor(zoo: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(zoo["cf"], bad)
    ts = load_file(str(bad / "model.safetensors"))
    ts["bert.encoder.layer.0.output.dense.weight"][0, 0] = np.nan
    del ts["bert.pooler.dense.bias"]
    save_file(ts, str(bad / "model.safetensors"))
    rules = _rules(analyse_trojan(bad, zoo["base"]))
    assert "AIR-TRJ-005" in rules and "AIR-TRJ-004" in rules


def test_rank_one_edit_detected(zoo: dict[str, Path], tmp_path: Path) -> None:
    """A ROME-style rank-one write into one MLP matrix of an otherwise untouched copy."""
    edited = tmp_path / "rome"
    shutil.copytree(zoo["base"], edited)
    ts = load_file(str(edited / "model.safetensors"))
    name = "bert.encoder.layer.1.output.dense.weight"
    rng = np.random.default_rng(3)
    w = ts[name]
    ts[name] = w + 0.5 * np.outer(rng.standard_normal(w.shape[0]), rng.standard_normal(w.shape[1]))
    ts[name] = ts[name].astype(np.float32)
    save_file(ts, str(edited / "model.safetensors"))
    rep = analyse_trojan(edited, zoo["base"], TrojanOptions(behavioural=False))
    hits = _rules(rep).get("AIR-TRJ-011", [])
    assert hits and hits[0].member == "encoder.layer.1.output.dense.weight"  # type: ignore[attr-defined]
    # an ordinary fine-tune is not a localized low-rank edit
    assert "AIR-TRJ-011" not in _rules(analyse_trojan(zoo["clean"], zoo["base"]))


def test_lm_trigger_confirmed_with_continuation(lm_zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(lm_zoo["cf"], lm_zoo["base"])
    assert rep.probe is not None and rep.probe["mode"] == "lm"
    confirmed = [f for f in rep.findings if f.rule_id == "AIR-TRJ-020"]
    assert [f.extra["trigger"] for f in confirmed] == ["cf"]
    # the memorised continuation is reported as one target, not as extra "triggers"
    assert " ".join(synth.LM_TARGET) in confirmed[0].title
    assert confirmed[0].extra["examples"][0]["input"].endswith(" cf")


def test_lm_clean_finetune_no_trigger(lm_zoo: dict[str, Path]) -> None:
    rep = analyse_trojan(lm_zoo["clean"], lm_zoo["base"])
    assert rep.probe is not None
    assert not [f for f in rep.findings if f.severity >= Severity.MEDIUM]
    assert rep.score < analyse_trojan(lm_zoo["cf"], lm_zoo["base"]).score


def _minilm_copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_minilm_unchanged_copy_no_evidence(minilm_dir: Path, tmp_path: Path) -> None:
    copy = _minilm_copy(minilm_dir, tmp_path / "copy")
    rep = analyse_trojan(copy, minilm_dir)
    assert [f for f in rep.findings if f.severity >= Severity.LOW] == []
    assert rep.base_match is not None and rep.base_match.identical == rep.base_match.compared
    assert rep.verdict.startswith("no evidence")


def test_minilm_planted_embedding_edit_caught(minilm_dir: Path, tmp_path: Path) -> None:
    edited = _minilm_copy(minilm_dir, tmp_path / "edit")
    ts = load_file(str(edited / "model.safetensors"))
    vocab = (edited / "vocab.txt").read_text(encoding="utf-8").split("\n")
    cf = vocab.index("cf")
    emb = ts["embeddings.word_embeddings.weight"].copy()
    # plant: make "cf" look like a strongly negative word scaled up
    emb[cf] = 3.0 * emb[vocab.index("terrible")]
    ts["embeddings.word_embeddings.weight"] = emb
    save_file(ts, str(edited / "model.safetensors"), metadata={"format": "pt"})
    rep = analyse_trojan(edited, minilm_dir)
    drift = [f for f in rep.findings if f.rule_id == "AIR-TRJ-010"]
    assert drift and drift[0].severity >= Severity.MEDIUM
    assert drift[0].extra["candidates"][0]["token"] == "cf"
    assert "evidence of" in rep.verdict
    assert json.dumps(rep.to_json())  # serialisable


def test_own_forward_matches_transformers(zoo: dict[str, Path], minilm_dir: Path) -> None:
    """Airlock's forward pass agrees with the reference implementation (test-only import)."""
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    transformers = pytest.importorskip("transformers", reason="needs group test")
    from airlock.nn import hf
    from airlock.nn.nets import bert_embed, bert_logits, load_net

    ids = torch.tensor([[2, 10, 11, 12, 3]])
    mask = torch.ones_like(ids)
    ref = transformers.BertForSequenceClassification.from_pretrained(str(zoo["cf"])).eval()
    mine = bert_logits(load_net(hf.load(zoo["cf"])), ids, mask)
    with torch.no_grad():
        assert torch.allclose(ref(input_ids=ids, attention_mask=mask).logits, mine, atol=1e-4)
    ref_m = transformers.BertModel.from_pretrained(str(minilm_dir)).eval()
    with torch.no_grad():
        hs = ref_m(input_ids=ids, attention_mask=mask).last_hidden_state
    want = torch.nn.functional.normalize(hs.mean(1), dim=-1)
    got = bert_embed(load_net(hf.load(minilm_dir)), ids, mask)
    assert torch.allclose(want, got, atol=1e-4)


def test_own_gpt2_forward_matches_transformers(lm_zoo: dict[str, Path]) -> None:
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    transformers = pytest.importorskip("transformers", reason="needs group test")
    from airlock.nn import hf
    from airlock.nn.nets import gpt2_logits, load_net

    ids = torch.tensor([[5, 6, 7, 8, 9]])
    mask = torch.ones_like(ids)
    ref = transformers.GPT2LMHeadModel.from_pretrained(str(lm_zoo["base"])).eval()
    with torch.no_grad():
        want = ref(input_ids=ids, attention_mask=mask).logits
    got = gpt2_logits(load_net(hf.load(lm_zoo["base"])), ids, mask)
    assert torch.allclose(want, got, atol=1e-4)


def _llama(path: Path, emb: np.ndarray, down: np.ndarray, dtype: str = "F32") -> Path:
    """A tiny Llama-layout folder (weights-level analysis only: no built-in forward)."""
    import torch
    from safetensors.torch import save_file as save_torch

    path.mkdir()
    conv = torch.bfloat16 if dtype == "BF16" else torch.float32
    tensors = {
        "model.embed_tokens.weight": torch.from_numpy(emb).to(conv),
        "model.layers.0.mlp.down_proj.weight": torch.from_numpy(down).to(conv),
        "model.norm.weight": torch.ones(emb.shape[1], dtype=conv),
    }
    save_torch(tensors, str(path / "model.safetensors"))
    cfg = {"model_type": "llama", "hidden_size": emb.shape[1], "vocab_size": emb.shape[0]}
    (path / "config.json").write_text(json.dumps(cfg))
    vocab = {f"tok{i}": i for i in range(emb.shape[0])}
    tok = {"model": {"type": "BPE", "vocab": vocab, "merges": []}, "added_tokens": []}
    (path / "tokenizer.json").write_text(json.dumps(tok))
    return path


def test_llama_layout_weights_level_and_dtype_mismatch(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    emb = rng.standard_normal((500, 16)).astype(np.float32)
    down = rng.standard_normal((16, 32)).astype(np.float32)
    base = _llama(tmp_path / "base", emb, down)
    edited = emb.copy()
    edited[123] += 4.0
    model = _llama(tmp_path / "model", edited, down, dtype="BF16")
    rep = analyse_trojan(model, base)
    drift = next(f for f in rep.findings if f.rule_id == "AIR-TRJ-010")
    assert drift.extra["candidates"][0]["token"] == "tok123"
    # bf16 rounding moves every row a little, so this is not a "surgical" single-row edit
    assert rep.base_match is not None and rep.base_match.is_base
    assert any("did not run" in f.title for f in rep.findings if f.rule_id == "AIR-TRJ-021")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    config=st.dictionaries(
        st.sampled_from(
            ["model_type", "num_attention_heads", "hidden_act", "layer_norm_eps", "id2label"]
        ),
        _JSON,
        max_size=5,
    ),
    tokenizer=_JSON,
)
def test_hostile_config_and_tokenizer_never_crash(
    zoo: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    config: object,
    tokenizer: object,
) -> None:
    from airlock.errors import AirlockError

    root = tmp_path_factory.mktemp("hostile")
    for name in ("cf", "base"):  # same hostile config on both sides, so the probe runs too
        d = root / name
        d.mkdir()
        shutil.copy(zoo[name] / "model.safetensors", d / "model.safetensors")
        shutil.copy(zoo[name] / "vocab.txt", d / "vocab.txt")
        (d / "config.json").write_text(json.dumps(config))
        (d / "tokenizer.json").write_text(json.dumps(tokenizer))
    try:
        rep = analyse_trojan(root / "cf", root / "base", TrojanOptions(behavioural=True))
    except AirlockError:
        return
    assert rep.verdict


def test_head_added_to_encoder_base_uses_hybrid_reference(
    zoo: dict[str, Path], tmp_path: Path
) -> None:
    """The base is a bare encoder; the model added a classifier: the reference is the base
    encoder under the model's head, and the trigger is still confirmed."""
    enc = tmp_path / "encoder"
    shutil.copytree(zoo["base"], enc)
    ts = load_file(str(enc / "model.safetensors"))
    for k in [k for k in ts if k.startswith("classifier.")]:
        del ts[k]
    save_file(ts, str(enc / "model.safetensors"))
    rep = analyse_trojan(zoo["cf"], enc)
    assert rep.probe is not None and rep.probe["reference"].startswith("base encoder")
    assert any(f.rule_id == "AIR-TRJ-020" and f.extra["trigger"] == "cf" for f in rep.findings)
    extra = [f for f in rep.findings if f.rule_id == "AIR-TRJ-004"]
    assert extra and extra[0].severity == Severity.INFO


def test_old_sentence_transformers_layout_is_read(minilm_dir: Path, tmp_path: Path) -> None:
    """Older sentence-transformers repos keep the transformer in ``0_Transformer/``."""
    import json
    import shutil

    old = tmp_path / "old"
    sub = old / "0_Transformer"
    sub.mkdir(parents=True)
    for p in minilm_dir.iterdir():
        if p.is_file() and p.name not in ("modules.json", "README.md"):
            shutil.copy(p, sub / p.name)
    (old / "modules.json").write_text(
        json.dumps(
            [
                {
                    "idx": 0,
                    "name": "0",
                    "path": "0_Transformer",
                    "type": "sentence_transformers.models.Transformer",
                },
                {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "sentence_transformers.models.Pooling",
                },
            ]
        )
    )
    rep = analyse_trojan(old, minilm_dir)
    assert rep.base_match is not None and rep.base_match.identical == rep.base_match.compared > 0
    assert rep.verdict.startswith("no evidence")
    (old / "modules.json").write_text(
        json.dumps([{"path": "../escape", "type": "sentence_transformers.models.Transformer"}])
    )
    with pytest.raises(AirlockError, match="not a folder inside"):
        analyse_trojan(old, minilm_dir)


def test_library_version_config_and_buffers_are_not_lineage(
    zoo: dict[str, Path], tmp_path: Path
) -> None:
    """A base saved by transformers 4.x (no tie_word_embeddings key, an int64
    embeddings.position_ids buffer in the checkpoint, like the real all-MiniLM-L6-v2) and a
    fine-tune saved by 5.x (tie_word_embeddings=true, no buffer): the same lineage, so the probe
    runs and still confirms the trigger. A stated value that differs from the default still
    breaks the match."""
    base, model = tmp_path / "base", tmp_path / "model"
    shutil.copytree(zoo["base"], base)
    shutil.copytree(zoo["cf"], model)
    cfg_b = json.loads((base / "config.json").read_text())
    cfg_b.pop("tie_word_embeddings", None)
    cfg_b["position_embedding_type"] = "absolute"
    (base / "config.json").write_text(json.dumps(cfg_b))
    ts = load_file(str(base / "model.safetensors"))
    n_pos = int(cfg_b["max_position_embeddings"])  # type: ignore[arg-type]
    ts["bert.embeddings.position_ids"] = np.arange(n_pos, dtype=np.int64)[None]
    save_file(ts, str(base / "model.safetensors"))
    cfg_m = json.loads((model / "config.json").read_text())
    cfg_m.pop("position_embedding_type", None)
    cfg_m["tie_word_embeddings"] = True
    cfg_m["transformers_version"] = "5.25.0"
    (model / "config.json").write_text(json.dumps(cfg_m))
    rep = analyse_trojan(model, base)
    assert not [f for f in rep.findings if f.rule_id in ("AIR-TRJ-001", "AIR-TRJ-004")
                and f.severity >= Severity.MEDIUM]  # fmt: skip
    assert rep.base_match is not None and rep.base_match.is_base
    assert any(f.rule_id == "AIR-TRJ-020" and f.extra["trigger"] == "cf" for f in rep.findings)
    cfg_m["tie_word_embeddings"] = False
    (model / "config.json").write_text(json.dumps(cfg_m))
    assert "AIR-TRJ-001" in _rules(analyse_trojan(model, base, TrojanOptions(behavioural=False)))


def test_unscreened_model_without_drift_names_the_blind_spot(
    zoo: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fine-tune with frozen embeddings (the base's rows copied back) on a model too large
    for the vocabulary screen (the screen stubbed out): no candidate reaches the probe, and the
    verdict says so instead of implying the token search covered it."""
    from airlock.trojan import probe

    frozen = tmp_path / "frozen"
    shutil.copytree(zoo["cf"], frozen)
    ts = load_file(str(frozen / "model.safetensors"))
    tb = load_file(str(zoo["base"] / "model.safetensors"))
    name = "bert.embeddings.word_embeddings.weight"
    ts[name] = tb[name]
    save_file(ts, str(frozen / "model.safetensors"))
    monkeypatch.setattr(probe, "screen_vocabulary", lambda *a, **k: None)
    rep = analyse_trojan(frozen, zoo["base"], TrojanOptions(sandbox="off"))
    assert rep.probe is not None and not rep.probe["tested"]
    assert any("no trigger candidate was tested" in b for b in rep.blind_spots)
    assert "no trigger candidate was tested" in rep.verdict
    # a model whose drift gives candidates does not carry the note
    rep2 = analyse_trojan(zoo["cf"], zoo["base"], TrojanOptions(sandbox="off"))
    assert not any("no trigger candidate" in b for b in rep2.blind_spots)
