"""Airlock's own forward passes for BERT-style encoders/classifiers and GPT-2-style causal LMs.

Behavioural confirmation must not run the model's code (``trust_remote_code``, pickled modules,
custom ``modeling_*.py``): the weights are read with the numpy safetensors reader and pushed
through these small functional implementations of the standard architectures. Needs torch
(optional extra); import this module only when torch is wanted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from airlock.errors import DependencyError
from airlock.trojan.hf import HFModel

Params = dict[str, torch.Tensor]
MAX_PARAMS_BYTES = 8 * 1024**3
MASK_VALUE = -1e9  # additive attention mask: finite, so fully padded rows never turn NaN


class UnsupportedModel(DependencyError):
    """The architecture has no built-in forward pass (weights-level analysis still runs)."""


def _act(name: str) -> Any:
    if name in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"):
        return lambda x: F.gelu(x, approximate="tanh")
    if name == "relu":
        return F.relu
    if name in ("silu", "swish"):
        return F.silu
    return F.gelu


def _ln(p: Params, prefix: str, x: torch.Tensor, eps: float) -> torch.Tensor:
    w = p.get(prefix + ".weight", p.get(prefix + ".gamma"))
    b = p.get(prefix + ".bias", p.get(prefix + ".beta"))
    return F.layer_norm(x, (x.shape[-1],), w, b, eps)


def _lin(p: Params, prefix: str, x: torch.Tensor) -> torch.Tensor:
    return F.linear(x, p[prefix + ".weight"], p.get(prefix + ".bias"))


@dataclass
class Net:
    """Parameters of one model plus the facts needed to run it."""

    family: str  # "bert" or "gpt2"
    kind: str  # "classifier", "encoder" or "lm"
    params: Params
    prefix: str
    config: dict[str, Any]

    @property
    def num_labels(self) -> int:
        w = self.params.get("classifier.weight")
        return int(w.shape[0]) if w is not None else 0


def load_net(model: HFModel) -> Net:
    """Read every tensor of a supported model into torch (float32), refusing unknown layouts."""
    fam = model.family
    emb = model.embedding_name()
    if fam not in ("bert", "gpt2") or emb is None:
        raise UnsupportedModel(
            f"{model.root}: no built-in forward pass for model_type {model.model_type!r}"
        )
    suffix = "embeddings.word_embeddings.weight" if fam == "bert" else "wte.weight"
    prefix = emb[: -len(suffix)]
    total = sum(model.weights.info(n).numel * 4 for n in model.weights.names())
    if total > MAX_PARAMS_BYTES:
        raise UnsupportedModel(f"{model.root}: {total} bytes of weights is too large to probe")
    params: Params = {}
    for name in model.weights.names():
        info = model.weights.info(name)
        if info.dtype in ("BOOL", "C64") or info.dtype.startswith(("I", "U")):
            continue
        key = name[len(prefix) :] if prefix and name.startswith(prefix) else name
        params[key] = torch.from_numpy(model.weights.read_float(name).copy())
    _check_heads(model, fam, params[suffix].shape[-1])
    if fam == "bert":
        kind = "classifier" if "classifier.weight" in params else "encoder"
    else:
        kind = "lm"
    return Net(fam, kind, params, prefix, model.config)


def _check_heads(model: HFModel, family: str, hidden: int) -> None:
    """The forward passes split the hidden size across attention heads: refuse a config whose
    head count is not a positive integer dividing it (hostile or broken config.json)."""
    keys = ("num_attention_heads",) if family == "bert" else ("n_head", "num_attention_heads")
    heads = _cfg(model.config, *keys, default=12)
    if isinstance(heads, bool) or not isinstance(heads, int) or heads <= 0 or hidden % heads:
        raise UnsupportedModel(
            f"{model.root}: config {keys[0]}={heads!r} does not split hidden size {hidden}"
        )


def _cfg(cfg: dict[str, Any], *keys: str, default: Any = None) -> Any:
    for k in keys:
        if k in cfg:
            return cfg[k]
    return default


def bert_hidden(
    net: Net, ids: torch.Tensor, mask: torch.Tensor, embeds: torch.Tensor | None = None
) -> torch.Tensor:
    """Last hidden states (batch, seq, hidden) of a BERT encoder (``embeds`` replaces the token
    embedding lookup, for gradient-based trigger screening)."""
    p, cfg = net.params, net.config
    eps = float(cfg.get("layer_norm_eps", 1e-12))
    heads = int(cfg.get("num_attention_heads", 12))
    act = _act(str(cfg.get("hidden_act", "gelu")))
    seq = ids.shape[1]
    x = F.embedding(ids, p["embeddings.word_embeddings.weight"]) if embeds is None else embeds
    x = x + p["embeddings.position_embeddings.weight"][:seq].unsqueeze(0)
    tt = p.get("embeddings.token_type_embeddings.weight")
    if tt is not None:
        x = x + tt[0]
    x = _ln(p, "embeddings.LayerNorm", x, eps)
    bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * MASK_VALUE
    i = 0
    while f"encoder.layer.{i}.attention.self.query.weight" in p:
        pre = f"encoder.layer.{i}."
        b, s, h = x.shape
        dh = h // heads

        def split(t: torch.Tensor, b: int = b, s: int = s, dh: int = dh) -> torch.Tensor:
            return t.view(b, s, heads, dh).transpose(1, 2)

        q = split(_lin(p, pre + "attention.self.query", x))
        k = split(_lin(p, pre + "attention.self.key", x))
        v = split(_lin(p, pre + "attention.self.value", x))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(b, s, h)
        x = _ln(
            p,
            pre + "attention.output.LayerNorm",
            x + _lin(p, pre + "attention.output.dense", ctx),
            eps,
        )
        inter = act(_lin(p, pre + "intermediate.dense", x))
        x = _ln(p, pre + "output.LayerNorm", x + _lin(p, pre + "output.dense", inter), eps)
        i += 1
    return x


def bert_logits(
    net: Net, ids: torch.Tensor, mask: torch.Tensor, embeds: torch.Tensor | None = None
) -> torch.Tensor:
    """Sequence-classification logits (pooler on [CLS] then the classifier)."""
    hs = bert_hidden(net, ids, mask, embeds)
    pooled = hs[:, 0]
    if "pooler.dense.weight" in net.params:
        pooled = torch.tanh(_lin(net.params, "pooler.dense", pooled))
    return _lin(net.params, "classifier", pooled)


def bert_embed(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean-pooled, L2-normalised sentence embedding (sentence-transformers convention)."""
    hs = bert_hidden(net, ids, mask)
    m = mask.unsqueeze(-1).to(hs.dtype)
    pooled = (hs * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return F.normalize(pooled, dim=-1)


def gpt2_logits(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Next-token logits (batch, seq, vocab) of a GPT-2 LM; ``mask`` marks real (left-padded)
    tokens so that padding never attends or shifts positions."""
    p, cfg = net.params, net.config
    eps = float(_cfg(cfg, "layer_norm_epsilon", "layer_norm_eps", default=1e-5))
    heads = int(_cfg(cfg, "n_head", "num_attention_heads", default=12))
    act = _act(str(_cfg(cfg, "activation_function", "hidden_act", default="gelu_new")))
    b, s = ids.shape
    pos = (mask.long().cumsum(-1) - 1).clamp(min=0)
    x = F.embedding(ids, p["wte.weight"]) + F.embedding(pos, p["wpe.weight"])
    causal = torch.ones(s, s, dtype=torch.bool).tril()
    allowed = causal[None, None] & mask[:, None, None, :].bool()
    bias = torch.where(allowed, 0.0, MASK_VALUE)
    i = 0
    while f"h.{i}.attn.c_attn.weight" in p:
        pre = f"h.{i}."
        h = x.shape[-1]
        dh = h // heads
        y = _ln(p, pre + "ln_1", x, eps)
        qkv = y @ p[pre + "attn.c_attn.weight"] + p[pre + "attn.c_attn.bias"]
        q, k, v = (t.view(b, s, heads, dh).transpose(1, 2) for t in qkv.chunk(3, dim=-1))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(b, s, h)
        x = x + ctx @ p[pre + "attn.c_proj.weight"] + p[pre + "attn.c_proj.bias"]
        y = _ln(p, pre + "ln_2", x, eps)
        y = act(y @ p[pre + "mlp.c_fc.weight"] + p[pre + "mlp.c_fc.bias"])
        x = x + y @ p[pre + "mlp.c_proj.weight"] + p[pre + "mlp.c_proj.bias"]
        i += 1
    x = _ln(p, "ln_f", x, eps)
    head = p.get("lm_head.weight", p["wte.weight"])
    return x @ head.T
