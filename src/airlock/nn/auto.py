"""Forward passes through ``transformers``' own modelling code, for allowlisted architectures.

The module is built from ``config.json`` with ``AutoConfig.for_model`` and
``AutoModel*.from_config``: no ``from_pretrained``, so nothing is read from the folder or the
Hub by ``transformers`` (``HF_HUB_OFFLINE`` is set before it is imported), no remote code
(``auto_map`` is refused, and ``trust_remote_code`` never reaches ``transformers``), no pickle.
The weights are the float32 tensors Airlock's own safetensors reader produced, handed over with
``load_state_dict(assign=True)``. Only the model types in ``ENCODER_TYPES`` / ``LM_TYPES`` are
built, and only after the config's parameter shapes (computed on the meta device, so a hostile
config cannot allocate) equal the tensors'. Needs torch and transformers (the ``trojan`` extra).
"""

from __future__ import annotations

import itertools
import math
import os
from typing import Any

import torch

from airlock.errors import DependencyError

Params = dict[str, torch.Tensor]

# model types whose standard modelling code is trusted to run here (each has a test comparing
# this path's output with transformers' own from_pretrained)
ENCODER_TYPES = frozenset(
    {"bert", "roberta", "xlm-roberta", "distilbert", "deberta-v2", "electra", "mpnet"}
)
LM_TYPES = frozenset({"gpt2", "llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "phi3"})
# config keys that would make transformers fetch or run something besides the standard code
REFUSED_KEYS = ("auto_map", "quantization_config", "custom_pipelines")
# config keys dropped before building: the attention kernel is chosen here (a string there may
# name a Hub kernel repository), dtype is float32, outputs are the named fields the probe reads
# (``return_dict: false`` would hand it tuples), the rest is bookkeeping
DROPPED_KEYS = (
    "attn_implementation", "torch_dtype", "dtype", "return_dict", "transformers_version",
)  # fmt: skip
# tanh soft-capping (gemma2): logits / cap, so a cap of 0 makes every logit NaN; 0 means "off"
# (None) here, as in flash-attention's softcap, and anything but a finite number >= 0 is refused
SOFTCAP_KEYS = ("final_logit_softcapping", "attn_logit_softcapping")


class AutoUnsupported(DependencyError):
    """The folder cannot be run through transformers (type not allowlisted, bad config...)."""


def _transformers() -> Any:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    try:
        import transformers
    except ImportError:
        raise DependencyError(
            "this architecture runs through transformers: pip install 'model-airlock[trojan]'"
        ) from None
    transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    return transformers


def _config(tf: Any, raw: dict[str, Any], kind: str, params: Params) -> Any:
    mt = raw.get("model_type")
    allowed = LM_TYPES if kind == "lm" else ENCODER_TYPES
    if mt not in allowed:
        raise AutoUnsupported(f"model_type {mt!r} is not in the allowlist for a {kind}")
    bad = [k for k in REFUSED_KEYS if k in raw]
    if bad:
        raise AutoUnsupported(f"config.json declares {', '.join(bad)}; not built")
    _check_depth(raw, params)
    kwargs = {k: v for k, v in raw.items() if k not in DROPPED_KEYS and not k.startswith("_")}
    kwargs.pop("model_type", None)
    _softcaps(kwargs)
    if kind == "classifier" and "id2label" not in kwargs and "num_labels" not in kwargs:
        head = _head_weight(params)
        if head is not None:
            kwargs["num_labels"] = int(head.shape[0])
    try:
        return tf.AutoConfig.for_model(str(mt), **kwargs)
    except Exception as exc:  # a config transformers rejects is unsupported, not a crash
        raise AutoUnsupported(f"config.json rejected by transformers: {exc}") from None


def _softcaps(kwargs: dict[str, Any]) -> None:
    for key in SOFTCAP_KEYS:
        v = kwargs.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
            raise AutoUnsupported(f"config {key}={str(v)[:40]!r} is not a number >= 0")
        if v == 0:
            kwargs[key] = None


def _allocation(shell: Any) -> tuple[int, str]:
    """Bytes the real build allocates before any weight is assigned (float32 parameters and
    every buffer, persistent or not: position ids and masks are sized from the config, not
    the tensors), and the largest buffer's name and size for the error message."""
    seen: set[int] = set()
    total, top, top_bytes = 0, "", 0
    for name, t in itertools.chain(shell.named_parameters(), shell.named_buffers()):
        if id(t) in seen:
            continue
        seen.add(id(t))
        size = int(t.numel()) * (4 if t.is_floating_point() else int(t.element_size()))
        total += size
        if not isinstance(t, torch.nn.Parameter) and size > top_bytes:
            top, top_bytes = name, size
    return total, f"{top} {top_bytes:,} bytes" if top else "no buffers"


def _no_init() -> Any:
    """transformers' context that skips random initialisation (the weights are assigned)."""
    try:
        from transformers.initialization import no_init_weights
    except ImportError:  # transformers 4
        from transformers.modeling_utils import no_init_weights  # type: ignore[attr-defined,no-redef]
    return no_init_weights


def _check_depth(raw: dict[str, Any], params: Params) -> None:
    """A layer count beyond the tensors' is refused before anything is built (even on the meta
    device a million layers take minutes to construct)."""
    found = 0
    for name in params:
        parts = name.split(".")
        for a, b in itertools.pairwise(parts):
            if a in ("layer", "layers", "h") and b.isdigit():
                found = max(found, int(b) + 1)
    for key in ("num_hidden_layers", "n_layers", "n_layer"):
        v = raw.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= found):
            raise AutoUnsupported(f"config {key}={v!r} but the weights hold {found} layers")


def _head_weight(params: Params) -> torch.Tensor | None:
    for name in ("classifier.out_proj.weight", "classifier.weight"):
        if name in params:
            return params[name]
    return None


def _auto_class(tf: Any, kind: str) -> Any:
    if kind == "lm":
        return tf.AutoModelForCausalLM
    if kind == "classifier":
        return tf.AutoModelForSequenceClassification
    return tf.AutoModel


def _lookup(params: Params, key: str, prefix: str) -> torch.Tensor | None:
    """Our params have the base model's prefix stripped (``roberta.``, ``model.``...)."""
    if prefix and key.startswith(prefix + "."):
        got = params.get(key[len(prefix) + 1 :])
        if got is not None:
            return got
    return params.get(key)


def build(raw_config: dict[str, Any], params: Params, kind: str, max_bytes: int) -> Any:
    """A ``torch.nn.Module`` (eval mode, no gradients) running ``params`` as ``kind``
    ("classifier", "encoder" or "lm"); refuses with AutoUnsupported when the config and the
    tensors disagree."""
    tf = _transformers()
    cfg = _config(tf, raw_config, kind, params)
    cls = _auto_class(tf, kind)

    attn = "sdpa"

    def make() -> Any:
        return cls.from_config(cfg, attn_implementation=attn)  # float32: the default dtype

    try:
        with torch.device("meta"):
            try:
                shell = make()
            except ValueError:  # no SDPA kernel for this architecture (DeBERTa-v2)
                attn = "eager"
                shell = make()
    except Exception as exc:
        raise AutoUnsupported(f"transformers could not build the model: {exc}") from None
    prefix = str(getattr(shell, "base_model_prefix", "") or "")
    expected = shell.state_dict()
    total, largest = _allocation(shell)
    if total > max_bytes:
        raise AutoUnsupported(
            f"config implies {total:,} bytes of weights and buffers (largest buffer: {largest}),"
            f" more than the {max_bytes:,} bytes allowed to probe"
        )
    state: Params = {}
    missing: list[str] = []
    for key, want in expected.items():
        got = _lookup(params, key, prefix)
        if got is None:
            missing.append(key)
            continue
        if tuple(got.shape) != tuple(want.shape):
            raise AutoUnsupported(
                f"tensor {key} is {tuple(got.shape)}, config implies {tuple(want.shape)}"
            )
        state[key] = got
    del shell
    with _no_init()():
        module = make()
    module.load_state_dict(state, strict=False, assign=True)
    module.tie_weights()
    loaded = {t.data_ptr() for t in state.values()}
    untied = [k for k in missing if module.state_dict()[k].data_ptr() not in loaded]
    if untied:
        raise AutoUnsupported(f"weights missing: {', '.join(untied[:5])}")
    module.eval()
    module.requires_grad_(False)
    return module


def position_ids(mask: torch.Tensor) -> torch.Tensor:
    """Left padding: positions count real tokens only (as the built-in passes do)."""
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


def _tensor(x: Any) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise AutoUnsupported(f"transformers returned {type(x).__name__}, not a tensor")
    return x


def lm_logits(module: Any, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Next-token logits (batch, seq, vocab); ``mask`` marks real, left-padded tokens."""
    out = module(
        input_ids=ids, attention_mask=mask, position_ids=position_ids(mask), use_cache=False
    )
    return _tensor(out.logits)


def classifier_logits(
    module: Any, ids: torch.Tensor, mask: torch.Tensor, embeds: torch.Tensor | None = None
) -> torch.Tensor:
    """Sequence-classification logits (``embeds`` replaces the token embedding lookup)."""
    if embeds is not None:
        return _tensor(module(inputs_embeds=embeds, attention_mask=mask).logits)
    return _tensor(module(input_ids=ids, attention_mask=mask).logits)


def hidden(
    module: Any, ids: torch.Tensor, mask: torch.Tensor, embeds: torch.Tensor | None = None
) -> torch.Tensor:
    """Last hidden states (batch, seq, hidden) of the encoder under any head."""
    base = module.base_model
    if embeds is not None:
        return _tensor(base(inputs_embeds=embeds, attention_mask=mask).last_hidden_state)
    return _tensor(base(input_ids=ids, attention_mask=mask).last_hidden_state)
