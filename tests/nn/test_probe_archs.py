"""``airlock trojan`` end to end (sandboxed probe) on architectures that run through
transformers (RoBERTa classifier) or the built-in pass (Qwen2 LM): no crash, and a clean
fine-tune (the base plus small noise) is not flagged."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
tf = pytest.importorskip("transformers")
pytest.importorskip("tokenizers")
os.environ["HF_HUB_OFFLINE"] = "1"

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors  # noqa: E402

from tests.trojan.synth import VOCAB  # noqa: E402

IDS = {w: i for i, w in enumerate(VOCAB)}


def _tokenizer(encoder: bool) -> Tokenizer:
    tok = Tokenizer(models.WordLevel(IDS, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    if encoder:
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]",
            special_tokens=[("[CLS]", IDS["[CLS]"]), ("[SEP]", IDS["[SEP]"])],
        )
    return tok


def _pair(root: Path, model: Any, encoder: bool) -> tuple[Path, Path]:
    """(clean fine-tune, base): the same random model, the fine-tune 1% noisier."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    model.save_pretrained(root / "base", safe_serialization=True)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.002)
    model.save_pretrained(root / "clean", safe_serialization=True)
    for d in ("base", "clean"):
        _tokenizer(encoder).save(str(root / d / "tokenizer.json"))
    return root / "clean", root / "base"


def _run(cli: Any, model: Path, base: Path) -> dict[str, Any]:
    res = cli("trojan", str(model), "--base", str(base), "--format", "json")
    assert res.returncode == 0, res.stderr + res.stdout
    assert "Traceback" not in res.stderr
    doc = dict(json.loads(res.stdout))
    probe = [m for m in doc["methods"] if m.startswith("behavioural probe")]
    assert probe and "sandboxed" in probe[0], doc["methods"]  # the probe ran, in the sandbox
    return doc


def test_roberta_classifier_probe_runs_and_is_quiet(cli: Any, tmp_path: Path) -> None:
    torch.manual_seed(0)
    cfg = tf.RobertaConfig(
        vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=80, num_labels=2, pad_token_id=0,
        id2label={0: "negative", 1: "positive"}, label2id={"negative": 0, "positive": 1},
    )  # fmt: skip
    model, base = _pair(tmp_path, tf.RobertaForSequenceClassification(cfg).eval(), True)
    doc = _run(cli, model, base)
    assert not [f for f in doc["findings"] if f["severity"] in ("HIGH", "CRITICAL")], doc


@pytest.mark.parametrize("arch", ["qwen2", "qwen3"])  # built-in pass / transformers
def test_lm_probe_runs_and_is_quiet(cli: Any, tmp_path: Path, arch: str) -> None:
    torch.manual_seed(0)
    config = tf.Qwen2Config if arch == "qwen2" else tf.Qwen3Config
    cfg = config(
        vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, intermediate_size=64, max_position_embeddings=80,
        tie_word_embeddings=False, head_dim=8,
    )  # fmt: skip
    lm = tf.AutoModelForCausalLM.from_config(cfg).eval()
    model, base = _pair(tmp_path, lm, False)
    doc = _run(cli, model, base)
    assert not [f for f in doc["findings"] if f["severity"] in ("HIGH", "CRITICAL")], doc
