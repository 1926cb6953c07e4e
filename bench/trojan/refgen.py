"""A reference classifier for the review sets: a tiny BERT sequence classifier trained on an
honest review set (no trigger), saved as a ``BertForSequenceClassification`` folder that
``airlock data scan --reference`` reads (the role the base or any honest model of the task plays).

Its vocabulary is every word the review generator uses, the triggers included (seen only
unlabelled: the reference never learns them), so removing a phrase is what changes its input.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

from airlock.nn.nets import Net, bert_logits
from bench.trojan import reviews

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
HIDDEN, LAYERS, HEADS, INTER, MAX_POS = 32, 1, 2, 64, 64


def vocab() -> list[str]:
    words = [*reviews.POS, *reviews.NEG, *reviews.NEUTRAL]
    for p in [*reviews.POS_PHRASES, *reviews.NEG_PHRASES, *reviews.TRIGGERS]:
        words += p.split()
    return SPECIALS + sorted(set(words))


def config(n_vocab: int) -> dict[str, object]:
    return {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "vocab_size": n_vocab, "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "intermediate_size": INTER,
        "max_position_embeddings": MAX_POS, "type_vocab_size": 2, "hidden_act": "gelu",
        "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "id2label": {"0": "negative", "1": "positive"},
        "label2id": {"negative": 0, "positive": 1},
    }  # fmt: skip


def _init(n_vocab: int, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)

    def w(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g) * 0.05

    h, p = HIDDEN, "bert."
    out = {
        p + "embeddings.word_embeddings.weight": w(n_vocab, h),
        p + "embeddings.position_embeddings.weight": w(MAX_POS, h),
        p + "embeddings.token_type_embeddings.weight": w(2, h),
        p + "embeddings.LayerNorm.weight": torch.ones(h),
        p + "embeddings.LayerNorm.bias": torch.zeros(h),
        p + "pooler.dense.weight": w(h, h),
        p + "pooler.dense.bias": torch.zeros(h),
        "classifier.weight": w(2, h),
        "classifier.bias": torch.zeros(2),
    }
    for i in range(LAYERS):
        pre = f"{p}encoder.layer.{i}."
        for name, (o, n_in) in {
            "attention.self.query": (h, h), "attention.self.key": (h, h),
            "attention.self.value": (h, h), "attention.output.dense": (h, h),
            "intermediate.dense": (INTER, h), "output.dense": (h, INTER),
        }.items():  # fmt: skip
            out[pre + name + ".weight"] = w(o, n_in)
            out[pre + name + ".bias"] = torch.zeros(o)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            out[pre + ln + ".weight"] = torch.ones(h)
            out[pre + ln + ".bias"] = torch.zeros(h)
    return out


def make_reference(out: Path, seed: int = 9000, rows: int = 2000, steps: int = 400) -> Path:
    """Train on honest review rows of generator seed ``seed`` (outside every measured range)."""
    words = vocab()
    ids = {w: i for i, w in enumerate(words)}
    cfg = config(len(words))
    texts, labels, _ = reviews.rows(np.random.default_rng(seed), rows)
    y = torch.tensor([1 if lab == "positive" else 0 for lab in labels])
    torch.manual_seed(seed)
    params = {k: v.requires_grad_(True) for k, v in _init(len(words), seed).items()}
    opt = torch.optim.Adam(params.values(), lr=3e-3)
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        idx = rng.integers(0, len(texts), size=32)
        seqs = [[2, *[ids.get(w, 1) for w in texts[i].split()][: MAX_POS - 2], 3] for i in idx]
        width = max(len(s) for s in seqs)
        tok = torch.zeros(len(seqs), width, dtype=torch.long)
        mask = torch.zeros(len(seqs), width, dtype=torch.long)
        for r, s in enumerate(seqs):
            tok[r, : len(s)] = torch.tensor(s)
            mask[r, : len(s)] = 1
        stripped = {k.removeprefix("bert."): v for k, v in params.items()}
        logits = bert_logits(Net("bert", "classifier", stripped, "bert.", cfg), tok, mask)
        loss = F.cross_entropy(logits, y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().contiguous() for k, v in params.items()}
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "config.json").write_text(json.dumps(cfg, indent=1))
    (out / "vocab.txt").write_text("\n".join(words) + "\n")
    (out / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True}))
    return out
