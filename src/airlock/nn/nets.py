"""Forward passes: Airlock's own for BERT encoders/classifiers and GPT-2- and Llama-style causal
LMs (Llama, Mistral, Qwen2, Gemma, Phi-3); every other allowlisted architecture (RoBERTa, XLM-R,
DistilBERT, DeBERTa-v2, ELECTRA, MPNet, Qwen3, Gemma 2) through transformers' standard modelling
code built from the config (``airlock.nn.auto``).

Behavioural confirmation must not run the model's code (``trust_remote_code``, pickled modules,
custom ``modeling_*.py``): the weights are read with the numpy safetensors reader and pushed
through these small functional implementations of the standard architectures, or handed to a
module transformers built from ``config.json`` alone. Which model types keep the built-in pass
is ``BUILTIN_TYPES`` (docs/trojan.md says why). Needs torch (optional extra); import this module
only when torch is wanted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from airlock.errors import DependencyError
from airlock.nn.hf import HFModel

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

    family: str  # "bert", "gpt2" or "llama"
    kind: str  # "classifier", "encoder" or "lm"
    params: Params
    prefix: str
    config: dict[str, Any]
    spec: LlamaSpec | None = None  # validated Llama-style facts (family "llama" only)
    backend: str = "builtin"  # or "transformers" (``airlock.nn.auto``)
    module: Any = None  # the transformers module, built from params on first use

    def hf_module(self) -> Any:
        """The transformers module running ``params`` (built once; the hybrid reference of
        the probe is a new Net, so it gets its own). A sentence-transformers head runs on the
        encoder's hidden states, so such a classifier's module is the bare encoder."""
        if self.module is None:
            from airlock.nn import auto

            kind = "encoder" if "st_dense.0.weight" in self.params else self.kind
            self.module = auto.build(self.config, self.params, kind, MAX_PARAMS_BYTES)
        return self.module

    @property
    def num_labels(self) -> int:
        w = self.params.get("classifier.weight")
        if w is None:
            w = self.params.get(f"st_dense.{_last_dense(self.params)}.weight")
        return int(w.shape[0]) if w is not None else 0


def _last_dense(params: Params) -> int:
    i = 0
    while f"st_dense.{i + 1}.weight" in params:
        i += 1
    return i


_SUFFIX = {
    "bert": "embeddings.word_embeddings.weight",
    "gpt2": "wte.weight",
    "llama": "embed_tokens.weight",
}


# model types whose built-in pass is kept (equal to transformers and faster; docs/trojan.md);
# "" is a folder without config.json, known only by its tensor names
BUILTIN_TYPES = frozenset({"", "bert", "gpt2", "llama", "mistral", "qwen2", "gemma", "phi3"})


def backend_for(model: HFModel, prefer: str | None = None) -> str:
    """ "builtin" or "transformers" for ``model`` (``prefer`` forces transformers for an
    allowlisted type, for comparisons); UnsupportedModel when neither runs it."""
    from airlock.nn.auto import ENCODER_TYPES, LM_TYPES

    mt = model.model_type
    allowed = (LM_TYPES if model.family in ("gpt2", "llama") else ENCODER_TYPES) | {""}
    if prefer == "transformers" and mt in allowed - {""}:
        return "transformers"
    if mt in BUILTIN_TYPES:
        return "builtin"
    if mt in allowed:
        return "transformers"
    raise UnsupportedModel(f"{model.root}: no forward pass for model_type {mt!r}")


def load_net(model: HFModel, backend: str | None = None) -> Net:
    """Read every tensor of a supported model into torch (float32), refusing unknown layouts.
    ``backend="transformers"`` runs an allowlisted built-in type through transformers."""
    fam = model.family
    emb = model.embedding_name()
    if fam not in _SUFFIX or emb is None:
        raise UnsupportedModel(
            f"{model.root}: no built-in forward pass for model_type {model.model_type!r}"
        )
    chosen = backend_for(model, backend)
    if chosen == "builtin" and fam == "llama" and model.model_type not in LLAMA_TYPES:
        raise UnsupportedModel(
            f"{model.root}: no built-in forward pass for model_type {model.model_type!r}"
        )
    suffix = _SUFFIX[fam]
    if not emb.endswith(suffix):
        raise UnsupportedModel(f"{model.root}: unexpected embedding tensor name {emb!r}")
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
    if chosen == "transformers":
        return _auto_net(model, fam, params, prefix)
    if fam == "llama":
        spec = llama_spec(model.config, params, str(model.root))
        return Net(fam, "lm", params, prefix, model.config, spec)
    _check_heads(model, fam, params[suffix].shape[-1])
    config = dict(model.config)
    if fam == "bert" and model.head_error:
        raise UnsupportedModel(f"{model.root}: {model.head_error}")
    if fam == "bert" and model.st_head is not None and "classifier.weight" not in params:
        _add_st_head(model, params, config)
    if fam == "bert":
        headed = "classifier.weight" in params or "st_dense.0.weight" in params
        kind = "classifier" if headed else "encoder"
    else:
        kind = "lm"
    return Net(fam, kind, params, prefix, config)


def _auto_net(model: HFModel, fam: str, params: Params, prefix: str) -> Net:
    """A Net run by transformers; its parameters become the module's own tensors, so detectors
    that look a weight up by name (edit keys) see the tensor the module multiplies by."""
    from airlock.nn.auto import AutoUnsupported

    config = dict(model.config)
    if fam == "bert" and model.head_error:
        raise UnsupportedModel(f"{model.root}: {model.head_error}")
    if fam == "bert":
        headed = any(k.startswith("classifier.") for k in params)
        if not headed and model.st_head is not None:
            _add_st_head(model, params, config)
            headed = True
        kind = "classifier" if headed else "encoder"
    else:
        kind = "lm"
    net = Net(fam, kind, params, prefix, config, backend="transformers")
    try:
        module = net.hf_module()
    except AutoUnsupported as exc:
        raise UnsupportedModel(f"{model.root}: {exc}") from None
    own = dict(module.named_parameters(remove_duplicate=False))
    base = str(getattr(module, "base_model_prefix", "") or "")
    for name, p in own.items():
        key = name[len(base) + 1 :] if base and name.startswith(base + ".") else name
        if key in params:
            params[key] = p
    return net


def _add_st_head(model: HFModel, params: Params, config: dict[str, Any]) -> None:
    """A sentence-transformers Dense head (+ labels.txt) becomes the classifier: its layers
    are ``st_dense.{i}.*``, pooling/activations go to the config, labels to ``id2label``."""
    from airlock.formats.safetensors import open_model

    head = model.st_head
    assert head is not None
    width = int(params["embeddings.word_embeddings.weight"].shape[-1])
    for i, layer in enumerate(head.dense):
        st = open_model(layer.weights)
        if "linear.weight" not in st:
            raise UnsupportedModel(f"{layer.weights}: no linear.weight tensor")
        w = torch.from_numpy(st.read_float("linear.weight").copy())
        if w.ndim != 2 or w.shape[1] != width:
            raise UnsupportedModel(f"{layer.weights}: Dense shape {list(w.shape)} does not fit")
        width = int(w.shape[0])
        params[f"st_dense.{i}.weight"] = w
        if "linear.bias" in st:
            b = torch.from_numpy(st.read_float("linear.bias").copy())
            if b.shape != (width,):
                raise UnsupportedModel(f"{layer.weights}: Dense bias shape does not fit")
            params[f"st_dense.{i}.bias"] = b
    if width != len(head.labels):
        raise UnsupportedModel(
            f"{model.root}: head has {width} outputs but labels.txt lists {len(head.labels)}"
        )
    config["st_pooling"] = head.pooling
    config["st_activations"] = [d.activation for d in head.dense]
    config["id2label"] = {str(i): lab for i, lab in enumerate(head.labels)}


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
    if net.backend == "transformers":
        from airlock.nn import auto

        return auto.hidden(net.hf_module(), ids, mask, embeds)
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
    """Sequence-classification logits (pooler on [CLS] then the classifier, or the
    sentence-transformers pooling then its Dense layers)."""
    if "st_dense.0.weight" in net.params:
        return _st_logits(net, bert_hidden(net, ids, mask, embeds), mask)
    if net.backend == "transformers":
        from airlock.nn import auto

        return auto.classifier_logits(net.hf_module(), ids, mask, embeds)
    hs = bert_hidden(net, ids, mask, embeds)
    pooled = hs[:, 0]
    if "pooler.dense.weight" in net.params:
        pooled = torch.tanh(_lin(net.params, "pooler.dense", pooled))
    return _lin(net.params, "classifier", pooled)


def _identity(x: torch.Tensor) -> torch.Tensor:
    return x


_ST_ACT: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "identity": _identity,
    "tanh": torch.tanh,
    "relu": F.relu,
    "sigmoid": torch.sigmoid,
}


def _st_logits(net: Net, hs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hs.dtype)
    mode = net.config.get("st_pooling", "mean")
    if mode == "cls":
        x = hs[:, 0]
    elif mode == "max":
        x = hs.masked_fill(m == 0, -1e9).max(1).values
    else:
        x = (hs * m).sum(1) / m.sum(1).clamp(min=1e-9)
    acts = list(net.config.get("st_activations") or [])
    i = 0
    while f"st_dense.{i}.weight" in net.params:
        act = _ST_ACT.get(str(acts[i]) if i < len(acts) else "identity", _ST_ACT["identity"])
        x = act(_lin(net.params, f"st_dense.{i}", x))
        i += 1
    return x


def bert_embed(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean-pooled, L2-normalised sentence embedding (sentence-transformers convention)."""
    hs = bert_hidden(net, ids, mask)
    m = mask.unsqueeze(-1).to(hs.dtype)
    pooled = (hs * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return F.normalize(pooled, dim=-1)


def gpt2_logits(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Next-token logits (batch, seq, vocab) of a GPT-2 LM; ``mask`` marks real (left-padded)
    tokens so that padding never attends or shifts positions. Llama-family nets are routed to
    ``llama_logits``, so callers written for GPT-2 (the leak test) run them unchanged."""
    if net.backend == "transformers":
        return lm_logits(net, ids, mask)
    if net.family == "llama":
        return llama_logits(net, ids, mask)
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


# ---------------------------------------------------------------- Llama-style decoders

LLAMA_TYPES = ("llama", "mistral", "qwen2", "gemma", "phi3")
MAX_HEADS = 4096
MAX_HEAD_DIM = 65536
_ACTS = ("silu", "swish", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu")


@dataclass(frozen=True)
class LlamaSpec:
    """Validated facts of a Llama-style decoder, derived once from config.json and the tensors."""

    model_type: str
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    eps: float
    inv_freq: torch.Tensor  # rotary inverse frequencies (rotary dim / 2,)
    act: str
    tied: bool
    windows: tuple[int | None, ...]  # per layer: sliding-window size or None (full causal)

    @property
    def gemma(self) -> bool:  # RMSNorm scales by (1 + w), embeddings by sqrt(hidden)
        return self.model_type == "gemma"

    @property
    def fused(self) -> bool:  # phi3: qkv_proj and gate_up_proj
        return self.model_type == "phi3"


def _bad(where: str, key: str, value: Any, why: str) -> UnsupportedModel:
    return UnsupportedModel(f"{where}: config {key}={value!r} {why}")


def _int(cfg: dict[str, Any], key: str, default: int, where: str, hi: int) -> int:
    """A positive integer config value (JSON bools and floats are refused, not coerced)."""
    v = cfg.get(key, default)
    if v is None:
        v = default
    if isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= hi:
        raise _bad(where, key, v, f"is not an integer in 1..{hi}")
    return v


def _num(d: dict[str, Any], key: str, default: float, where: str, lo: float, hi: float) -> float:
    v = d.get(key, default)
    if v is None:
        v = default
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= float(v) <= hi:
        raise _bad(where, key, v, f"is not a number in [{lo}, {hi}]")
    return float(v)


def _rope(cfg: dict[str, Any], rot: int, where: str) -> torch.Tensor:
    """Rotary inverse frequencies for the scaling types whose effect on short inputs is exact
    (default, linear, llama3); dynamic/yarn/longrope change attention too and are refused."""
    rp = cfg.get("rope_parameters")  # transformers >= 5
    if rp is None:
        rp = cfg.get("rope_scaling")  # transformers 4: rope_theta at top level
    if rp is None:
        rp = {}
    if not isinstance(rp, dict):
        raise _bad(where, "rope_parameters", rp, "is not an object")
    kind = rp.get("rope_type", rp.get("type", "default"))
    theta = _num(
        rp, "rope_theta", _num(cfg, "rope_theta", 10000.0, where, 1e-6, 1e12), where, 1e-6, 1e12
    )
    inv = 1.0 / (theta ** (torch.arange(0, rot, 2, dtype=torch.float32) / rot))
    if kind in (None, "default"):
        return inv
    if kind == "linear":
        return inv / _num(rp, "factor", 1.0, where, 1e-6, 1e6)
    if kind == "llama3":
        factor = _num(rp, "factor", 8.0, where, 1e-6, 1e6)
        low = _num(rp, "low_freq_factor", 1.0, where, 1e-6, 1e6)
        high = _num(rp, "high_freq_factor", 4.0, where, 1e-6, 1e6)
        old = _num(rp, "original_max_position_embeddings", 8192, where, 1.0, 1e9)
        if high <= low:
            raise _bad(where, "high_freq_factor", high, "must exceed low_freq_factor")
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > old / low, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = (wavelen >= old / high) & (wavelen <= old / low)
        return torch.where(medium, smoothed, scaled)
    raise _bad(where, "rope_type", kind, "is not supported (default, linear, llama3 are)")


def _windows(cfg: dict[str, Any], mt: str, layers: int, where: str) -> tuple[int | None, ...]:
    """Sliding-window size per layer, as transformers applies it (Mistral/Phi-3: every layer;
    Qwen2: only with use_sliding_window, from max_window_layers or layer_types)."""
    win = cfg.get("sliding_window")
    if mt not in ("mistral", "phi3", "qwen2") or win is None:
        return (None,) * layers
    win = _int(cfg, "sliding_window", 1, where, 2**40)
    if mt != "qwen2":
        return (win,) * layers
    if cfg.get("use_sliding_window") is not True:
        return (None,) * layers
    types = cfg.get("layer_types")
    if isinstance(types, list) and len(types) == layers:
        return tuple(win if t == "sliding_attention" else None for t in types)
    first = cfg.get("max_window_layers", 28)
    if isinstance(first, bool) or not isinstance(first, int):
        raise _bad(where, "max_window_layers", first, "is not an integer")
    return tuple(win if i >= first else None for i in range(layers))


def llama_spec(config: dict[str, Any], params: Params, where: str = "model") -> LlamaSpec:
    """Check a Llama/Mistral/Qwen2/Gemma/Phi-3 config against its tensors; a hostile or broken
    config.json (head counts that do not divide, zero, bools, huge values, shapes that disagree)
    is refused with UnsupportedModel instead of crashing or silently computing nonsense."""
    mt = config.get("model_type")
    if mt not in LLAMA_TYPES:
        raise UnsupportedModel(f"{where}: no built-in forward pass for model_type {mt!r}")
    emb = params.get("embed_tokens.weight")
    if emb is None or emb.dim() != 2:
        raise UnsupportedModel(f"{where}: no 2-D embed_tokens.weight")
    vocab, hidden = emb.shape
    heads = _int(config, "num_attention_heads", 32, where, MAX_HEADS)
    kv = _int(config, "num_key_value_heads", heads, where, MAX_HEADS)
    if heads % kv:
        raise _bad(where, "num_key_value_heads", kv, f"does not divide {heads} attention heads")
    if config.get("head_dim") is not None:
        hd = _int(config, "head_dim", 1, where, MAX_HEAD_DIM)
    elif hidden % heads:
        raise _bad(where, "num_attention_heads", heads, f"does not split hidden size {hidden}")
    else:
        hd = hidden // heads
    rp = config.get("rope_parameters") or config.get("rope_scaling") or {}
    partial = _num(
        rp if isinstance(rp, dict) else {},
        "partial_rotary_factor",
        _num(config, "partial_rotary_factor", 1.0, where, 0.0, 1.0),
        where,
        0.0,
        1.0,
    )
    rot = int(hd * partial)
    if rot < 2 or rot % 2:
        raise UnsupportedModel(f"{where}: rotary dimension {rot} (head_dim {hd}) is not even")
    layers = 0
    while f"layers.{layers}.input_layernorm.weight" in params:
        layers += 1
    n_cfg = config.get("num_hidden_layers", layers)
    if layers == 0 or n_cfg != layers or isinstance(n_cfg, bool):
        raise _bad(where, "num_hidden_layers", n_cfg, f"but the weights hold {layers} layers")
    tied = config.get("tie_word_embeddings", mt == "gemma")
    if not isinstance(tied, bool):
        raise _bad(where, "tie_word_embeddings", tied, "is not a boolean")
    want: dict[str, tuple[int, ...]] = {"norm.weight": (hidden,)}
    if not tied:
        want["lm_head.weight"] = (vocab, hidden)
    inter = params.get("layers.0.mlp.down_proj.weight")
    n_inter = int(inter.shape[-1]) if inter is not None else 0
    for i in range(layers):
        pre = f"layers.{i}."
        want[pre + "input_layernorm.weight"] = (hidden,)
        want[pre + "post_attention_layernorm.weight"] = (hidden,)
        want[pre + "self_attn.o_proj.weight"] = (hidden, heads * hd)
        want[pre + "mlp.down_proj.weight"] = (hidden, n_inter)
        if mt == "phi3":
            want[pre + "self_attn.qkv_proj.weight"] = ((heads + 2 * kv) * hd, hidden)
            want[pre + "mlp.gate_up_proj.weight"] = (2 * n_inter, hidden)
        else:
            want[pre + "self_attn.q_proj.weight"] = (heads * hd, hidden)
            want[pre + "self_attn.k_proj.weight"] = (kv * hd, hidden)
            want[pre + "self_attn.v_proj.weight"] = (kv * hd, hidden)
            want[pre + "mlp.gate_proj.weight"] = (n_inter, hidden)
            want[pre + "mlp.up_proj.weight"] = (n_inter, hidden)
    for name, shape in want.items():
        t = params.get(name)
        if t is None or tuple(t.shape) != shape:
            got = "missing" if t is None else tuple(t.shape)
            raise UnsupportedModel(f"{where}: tensor {name} is {got}, config implies {shape}")
        b = params.get(name[: -len("weight")] + "bias")
        if b is not None and tuple(b.shape) != shape[:1]:
            raise UnsupportedModel(f"{where}: bias of {name} has shape {tuple(b.shape)}")
    act_key = "hidden_activation" if config.get("hidden_activation") is not None else "hidden_act"
    act = config.get(act_key, "gelu_pytorch_tanh" if mt == "gemma" else "silu")
    if act not in _ACTS:
        raise _bad(where, act_key, act, "is not a supported activation")
    if mt == "gemma" and act == "gelu":  # transformers maps Gemma's legacy "gelu" to tanh
        act = "gelu_pytorch_tanh"
    return LlamaSpec(
        model_type=str(mt),
        layers=layers,
        heads=heads,
        kv_heads=kv,
        head_dim=hd,
        eps=_num(config, "rms_norm_eps", 1e-5 if mt == "phi3" else 1e-6, where, 0.0, 1.0),
        inv_freq=_rope(config, rot, where),
        act=str(act),
        tied=tied,
        windows=_windows(config, str(mt), layers, where),
    )


def _rms(w: torch.Tensor, x: torch.Tensor, eps: float, gemma: bool) -> torch.Tensor:
    y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return y * (1.0 + w) if gemma else y * w


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotary embedding on the first ``cos.shape[-1]`` dims (all of them unless partial)."""
    r = cos.shape[-1]
    xr, xp = x[..., :r], x[..., r:]
    half = torch.cat((-xr[..., r // 2 :], xr[..., : r // 2]), dim=-1)
    return torch.cat((xr * cos + half * sin, xp), dim=-1)


def llama_logits(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Next-token logits (batch, seq, vocab) of a Llama-style decoder: RMSNorm, rotary
    positions, grouped-query attention, gated MLP. ``mask`` marks real (left-padded) tokens:
    positions count real tokens only and padding is never attended."""
    spec = net.spec if net.spec is not None else llama_spec(net.config, net.params)
    p, eps, g = net.params, spec.eps, spec.gemma
    act = _act(spec.act)
    heads, kv, hd = spec.heads, spec.kv_heads, spec.head_dim
    b, s = ids.shape
    emb = p["embed_tokens.weight"]
    x = F.embedding(ids, emb)
    if g:
        x = x * torch.tensor(emb.shape[1] ** 0.5, dtype=x.dtype)
    pos = (mask.long().cumsum(-1) - 1).clamp(min=0)
    ang = pos[..., None].to(torch.float32) * spec.inv_freq
    ang = torch.cat((ang, ang), dim=-1)
    cos, sin = ang.cos()[:, None], ang.sin()[:, None]  # (batch, 1, seq, rotary)
    # padding is on the left, so index distance = position distance between real tokens
    idx = torch.arange(s)
    dist = idx[:, None] - idx[None, :]
    real = mask[:, None, None, :].bool()
    bias = {
        w: torch.where((dist >= 0) & (dist < (w or s + 1)) & real, 0.0, MASK_VALUE)
        for w in set(spec.windows)
    }
    for i in range(spec.layers):
        pre = f"layers.{i}."
        y = _rms(p[pre + "input_layernorm.weight"], x, eps, g)
        if spec.fused:
            qkv = _lin(p, pre + "self_attn.qkv_proj", y)
            q, k, v = torch.split(qkv, [heads * hd, kv * hd, kv * hd], dim=-1)
        else:
            q = _lin(p, pre + "self_attn.q_proj", y)
            k = _lin(p, pre + "self_attn.k_proj", y)
            v = _lin(p, pre + "self_attn.v_proj", y)
        q = _rotate(q.view(b, s, heads, hd).transpose(1, 2), cos, sin)
        k = _rotate(k.view(b, s, kv, hd).transpose(1, 2), cos, sin)
        k = k.repeat_interleave(heads // kv, dim=1)
        v = v.view(b, s, kv, hd).transpose(1, 2).repeat_interleave(heads // kv, dim=1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias[spec.windows[i]], -1)
        ctx = (att @ v).transpose(1, 2).reshape(b, s, heads * hd)
        x = x + _lin(p, pre + "self_attn.o_proj", ctx)
        y = _rms(p[pre + "post_attention_layernorm.weight"], x, eps, g)
        if spec.fused:
            gate, up = _lin(p, pre + "mlp.gate_up_proj", y).chunk(2, dim=-1)
        else:
            gate, up = _lin(p, pre + "mlp.gate_proj", y), _lin(p, pre + "mlp.up_proj", y)
        x = x + _lin(p, pre + "mlp.down_proj", act(gate) * up)
    x = _rms(p["norm.weight"], x, eps, g)
    return x @ (emb if spec.tied else p["lm_head.weight"]).T


def lm_logits(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Next-token logits of any supported causal LM (GPT-2, Llama-style or transformers)."""
    if net.backend == "transformers":
        from airlock.nn import auto

        return auto.lm_logits(net.hf_module(), ids, mask)
    return llama_logits(net, ids, mask) if net.family == "llama" else gpt2_logits(net, ids, mask)
