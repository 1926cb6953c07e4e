"""Architectures beyond the built-in passes run through transformers' own modelling code built
from config.json, with weights from Airlock's safetensors reader: the logits (classifiers, LMs)
and hidden states (encoders) equal transformers' own ``from_pretrained`` of the same folder."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
tf = pytest.importorskip("transformers")
os.environ["HF_HUB_OFFLINE"] = "1"

from airlock.nn import hf  # noqa: E402
from airlock.nn.nets import (  # noqa: E402
    UnsupportedModel,
    bert_embed,
    bert_hidden,
    bert_logits,
    lm_logits,
    load_net,
)

V = 97  # vocabulary
SMALL = {"vocab_size": V, "max_position_embeddings": 64}
ENC = {**SMALL, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
       "intermediate_size": 37}  # fmt: skip
DEC = {**ENC, "num_key_value_heads": 2, "tie_word_embeddings": False}

# name -> (config factory, model class, kind); kind: classifier / encoder / lm
ARCHS: dict[str, tuple[Callable[[], Any], str, str]] = {
    "roberta": (lambda: tf.RobertaConfig(**ENC, num_labels=3, pad_token_id=1),
                "RobertaForSequenceClassification", "classifier"),
    "xlm-roberta": (lambda: tf.XLMRobertaConfig(**ENC, num_labels=2, pad_token_id=1),
                    "XLMRobertaForSequenceClassification", "classifier"),
    "distilbert": (lambda: tf.DistilBertConfig(vocab_size=V, max_position_embeddings=64, dim=32,
                                               n_layers=2, n_heads=4, hidden_dim=37, num_labels=3),
                   "DistilBertForSequenceClassification", "classifier"),
    "distilbert-encoder": (lambda: tf.DistilBertConfig(vocab_size=V, max_position_embeddings=64,
                                                       dim=32, n_layers=2, n_heads=4,
                                                       hidden_dim=37),
                           "DistilBertModel", "encoder"),
    "deberta-v2": (lambda: tf.DebertaV2Config(**ENC, num_labels=3, relative_attention=True,
                                              pos_att_type=["p2c", "c2p"], position_buckets=16,
                                              max_relative_positions=32),
                   "DebertaV2ForSequenceClassification", "classifier"),
    "electra": (lambda: tf.ElectraConfig(**ENC, embedding_size=16, num_labels=2),
                "ElectraForSequenceClassification", "classifier"),
    "mpnet": (lambda: tf.MPNetConfig(**ENC), "MPNetModel", "encoder"),
    "mistral": (lambda: tf.MistralConfig(**DEC, sliding_window=4), "MistralForCausalLM", "lm"),
    "qwen2": (lambda: tf.Qwen2Config(**DEC), "Qwen2ForCausalLM", "lm"),
    "qwen3": (lambda: tf.Qwen3Config(**DEC, head_dim=8), "Qwen3ForCausalLM", "lm"),
    "phi3": (lambda: tf.Phi3Config(**{**DEC, "pad_token_id": 0}), "Phi3ForCausalLM", "lm"),
    "gemma": (lambda: tf.GemmaConfig(**{**DEC, "head_dim": 8, "tie_word_embeddings": True}),
              "GemmaForCausalLM", "lm"),
    "gemma2": (lambda: tf.Gemma2Config(**{**DEC, "head_dim": 8, "tie_word_embeddings": True},
                                       sliding_window=4),
               "Gemma2ForCausalLM", "lm"),
    "llama": (lambda: tf.LlamaConfig(**DEC), "LlamaForCausalLM", "lm"),
    "gpt2": (lambda: tf.GPT2Config(vocab_size=V, n_positions=64, n_embd=32, n_layer=2, n_head=4),
             "GPT2LMHeadModel", "lm"),
    "bert": (lambda: tf.BertConfig(**ENC, num_labels=3), "BertForSequenceClassification",
             "classifier"),
}  # fmt: skip
TOL = 2e-5  # float32; the built-in passes sum in a different order than transformers


def save_tiny(root: Path, name: str, seed: int = 0) -> Path:
    """A random tiny model of ``name`` saved by transformers (safetensors, config.json)."""
    make, cls_name, _ = ARCHS[name]
    torch.manual_seed(seed)
    model = getattr(tf, cls_name)(make()).eval()
    with torch.no_grad():  # random, non-zero heads and norms so every weight matters
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    model.save_pretrained(root, safe_serialization=True)
    return root


def reference(root: Path, name: str) -> Any:
    cls = getattr(tf, ARCHS[name][1])
    return cls.from_pretrained(
        root, local_files_only=True, use_safetensors=True, trust_remote_code=False
    ).eval()


def batch(kind: str) -> tuple[Any, Any]:
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(3, V, (3, 9), generator=g)
    mask = torch.ones_like(ids)
    if kind == "lm":  # left padding, as the probe batches prompts
        mask[0, :3] = 0
        mask[2, :1] = 0
    else:
        mask[0, 6:] = 0
        ids[0, 6:] = 1
    return ids, mask


def positions(mask: Any) -> Any:
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


@pytest.mark.parametrize("name", sorted(ARCHS))
@pytest.mark.parametrize("backend", [None, "transformers"])
def test_outputs_equal_transformers(tmp_path: Path, name: str, backend: str | None) -> None:
    root = save_tiny(tmp_path / name, name)
    ref = reference(root, name)
    kind = ARCHS[name][2]
    net = load_net(hf.load(root), backend=backend)
    assert net.kind == kind
    ids, mask = batch(kind)
    with torch.no_grad():
        if kind == "lm":
            got = lm_logits(net, ids, mask)
            want = ref(input_ids=ids, attention_mask=mask, position_ids=positions(mask)).logits
            real = mask.bool()
            got, want = got[real], want[real]  # padded positions are never read
        elif kind == "classifier":
            got = bert_logits(net, ids, mask)
            want = ref(input_ids=ids, attention_mask=mask).logits
        else:
            got = bert_hidden(net, ids, mask)[mask.bool()]
            want = ref(input_ids=ids, attention_mask=mask).last_hidden_state[mask.bool()]
            assert bert_embed(net, ids, mask).shape == (3, 32)
    assert got.shape == want.shape
    assert torch.allclose(got, want, atol=TOL, rtol=0), (got - want).abs().max()


def test_builtin_types_keep_builtin_and_others_use_transformers(tmp_path: Path) -> None:
    assert load_net(hf.load(save_tiny(tmp_path / "q", "qwen2"))).backend == "builtin"
    assert load_net(hf.load(save_tiny(tmp_path / "r", "roberta"))).backend == "transformers"


def test_edit_key_lookup_sees_the_tensor_the_module_multiplies(tmp_path: Path) -> None:
    net = load_net(hf.load(save_tiny(tmp_path / "r", "roberta")))
    w = net.params["encoder.layer.0.attention.self.query.weight"]
    module = net.hf_module()
    assert w is module.roberta.encoder.layer[0].attention.self.query.weight


def _edit_config(root: Path, **changes: Any) -> None:
    cfg = json.loads((root / "config.json").read_text())
    cfg.update(changes)
    (root / "config.json").write_text(json.dumps(cfg))


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"auto_map": {"AutoModel": "modeling_x.X"}}, "auto_map"),
        ({"quantization_config": {"quant_method": "bitsandbytes"}}, "quantization_config"),
        ({"model_type": "roformer"}, "model_type"),
        ({"hidden_size": 64}, "config implies"),
        ({"num_hidden_layers": 10**6}, "layers"),
        ({"num_attention_heads": 5}, "transformers"),
        ({"attn_implementation": "kernels-community/flash-attn"}, None),  # dropped, runs
    ],
)
def test_hostile_or_custom_config_refused(
    tmp_path: Path, changes: dict[str, Any], why: str | None
) -> None:
    root = save_tiny(tmp_path / "r", "roberta")
    _edit_config(root, **changes)
    if why is None:
        assert load_net(hf.load(root)).backend == "transformers"
        return
    with pytest.raises(UnsupportedModel, match=why):
        load_net(hf.load(root))


def test_weights_never_read_from_pickle(tmp_path: Path) -> None:
    """A folder with only pytorch_model.bin has no safetensors: nothing is built or loaded."""
    root = save_tiny(tmp_path / "r", "roberta")
    (root / "model.safetensors").rename(root / "pytorch_model.bin")
    with pytest.raises(Exception, match=r"safetensors|no such|not found|No "):
        load_net(hf.load(root))


def test_hybrid_reference_runs_the_base_encoder_under_the_models_head(tmp_path: Path) -> None:
    """A RoBERTa classifier judged against a bare RoBERTa encoder: the reference is the base's
    encoder under the model's classification head, through transformers too."""
    from airlock.trojan.probe import _reference

    torch.manual_seed(0)
    cfg = ARCHS["roberta"][0]()
    tf.RobertaModel(cfg).save_pretrained(tmp_path / "base", safe_serialization=True)
    model_dir = save_tiny(tmp_path / "model", "roberta")
    ref, name = _reference(load_net(hf.load(model_dir)), load_net(hf.load(tmp_path / "base")))
    assert name.startswith("base encoder") and ref.backend == "transformers"
    clf = reference(model_dir, "roberta")
    clf.roberta.load_state_dict(tf.RobertaModel.from_pretrained(tmp_path / "base").state_dict(),
                                strict=False)  # fmt: skip
    ids, mask = batch("classifier")
    with torch.no_grad():
        want = clf(input_ids=ids, attention_mask=mask).logits
        got = bert_logits(ref, ids, mask)
    assert torch.allclose(got, want, atol=TOL, rtol=0)


def test_sentence_transformers_head_on_an_xlm_r_encoder(tmp_path: Path) -> None:
    """An XLM-R sentence-transformers classifier (encoder + Pooling + ``2_Dense`` + labels):
    the head runs on transformers' hidden states, mean-pooled."""
    from safetensors.torch import save_file

    root = tmp_path / "st"
    torch.manual_seed(0)
    enc = tf.XLMRobertaModel(tf.XLMRobertaConfig(**ENC, pad_token_id=1)).eval()
    enc.save_pretrained(root, safe_serialization=True)
    (root / "1_Pooling").mkdir()
    (root / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 32, "pooling_mode_mean_tokens": True})
    )
    (root / "2_Dense").mkdir()
    w, b = torch.randn(3, 32), torch.randn(3)
    save_file({"linear.weight": w, "linear.bias": b}, str(root / "2_Dense" / "model.safetensors"))
    (root / "2_Dense" / "config.json").write_text(json.dumps({
        "in_features": 32, "out_features": 3, "bias": True,
        "activation_function": "torch.nn.modules.linear.Identity",
    }))  # fmt: skip
    st = "sentence_transformers.models."
    (root / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": st + "Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": st + "Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": st + "Dense"},
    ]))  # fmt: skip
    (root / "labels.txt").write_text("neg\nneu\npos\n")
    net = load_net(hf.load(root))
    assert (net.kind, net.backend, net.num_labels) == ("classifier", "transformers", 3)
    ids, mask = batch("classifier")
    with torch.no_grad():
        hs = enc(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        want = ((hs * m).sum(1) / m.sum(1)) @ w.T + b
        got = bert_logits(net, ids, mask)
    assert torch.allclose(got, want, atol=TOL, rtol=0)


def test_buffers_sized_from_the_config_count_against_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DeBERTa-v2's position_ids buffer (int64, max_position_embeddings long) is not a weight
    and not in the state dict: it was allocated whatever its size. It counts now, before the
    real build allocates it."""
    from airlock.nn import nets

    root = save_tiny(tmp_path / "d", "deberta-v2")
    _edit_config(root, position_biased_input=False, max_position_embeddings=10**6)
    monkeypatch.setattr(nets, "MAX_PARAMS_BYTES", 4 * 1024**2)  # the weights are ~100 KB
    with pytest.raises(UnsupportedModel, match=r"embeddings\.position_ids 8,000,000 bytes"):
        load_net(hf.load(root)).hf_module()


@pytest.mark.parametrize(("cap", "ok"), [(0, True), (0.0, True), (-1, False), ("x", False)])
def test_gemma2_softcap_zero_is_off(tmp_path: Path, cap: Any, ok: bool) -> None:
    root = save_tiny(tmp_path / "g", "gemma2")
    _edit_config(root, final_logit_softcapping=cap, attn_logit_softcapping=cap)
    ids, mask = batch("lm")
    if not ok:
        with pytest.raises(UnsupportedModel, match="softcapping"):
            lm_logits(load_net(hf.load(root), backend="transformers"), ids, mask)
        return
    net = load_net(hf.load(root), backend="transformers")
    with torch.no_grad():
        got = lm_logits(net, ids, mask)
    _edit_config(root, final_logit_softcapping=None, attn_logit_softcapping=None)
    ref = reference(root, "gemma2")
    with torch.no_grad():
        want = ref(input_ids=ids, attention_mask=mask, position_ids=positions(mask)).logits
    real = mask.bool()
    assert not torch.isnan(got).any()
    assert torch.allclose(got[real], want[real], atol=TOL, rtol=0)
