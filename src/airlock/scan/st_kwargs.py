"""sentence-transformers config dicts that become ``from_pretrained`` keyword arguments.

``sentence_bert_config.json`` (and module configs) carry ``model_args``/``model_kwargs``,
``tokenizer_args``/``processor_kwargs`` and ``config_args``/``config_kwargs``; the library passes
them to ``AutoModel``/``AutoTokenizer``/``AutoConfig.from_pretrained`` as the CALLER's arguments,
so transformers' guards against config-supplied paths do not apply: ``vocab_file`` reads any
file, ``device_map`` + ``offload_folder`` writes weights anywhere, ``revision``/``subfolder``/
``cache_dir``/``trust_remote_code``/``quantization_config`` change what is loaded. Only keys known
harmless, with values of the expected type, are allowed; anything else is denied (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule, short

ST_KWARGS = Rule(
    "AIR-CFG-018",
    Severity.HIGH,
    "sentence-transformers config passes unvetted from_pretrained arguments",
    "model/tokenizer/config kwargs in a sentence-transformers config reach from_pretrained as the"
    " caller's own arguments: file paths (vocab_file), offload folders that are written to,"
    " revisions, cache dirs, remote code or quantization settings load or touch things outside"
    " the model.",
    "https://sbert.net/docs/package_reference/sentence_transformer/models.html",
)

KWARG_DICTS = {
    "model_args": "model", "model_kwargs": "model",
    "tokenizer_args": "tokenizer", "tokenizer_kwargs": "tokenizer", "processor_kwargs": "tokenizer",
    "config_args": "config", "config_kwargs": "config",
}  # fmt: skip
DTYPES = frozenset({
    "auto", "float32", "float16", "bfloat16", "float64", "half", "float", "double",
    "torch.float32", "torch.float16", "torch.bfloat16", "torch.float64",
})  # fmt: skip
# "kernels-community/..." hub kernels are code from another repository: only built-in names
ATTN = frozenset({"eager", "sdpa", "flash_attention_2", "flash_attention_3", "flex_attention"})
SIDES = frozenset({"left", "right"})
PROBLEM_TYPES = frozenset(
    {"regression", "single_label_classification", "multi_label_classification"}
)
MAX_SHOWN = 20


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _opt_bool(v: Any) -> bool:
    return v is None or isinstance(v, bool)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1 << 40


def _num(v: Any) -> bool:
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))


def _dtype(v: Any) -> bool:
    return v is None or v in DTYPES


def _attn(v: Any) -> bool:
    return v is None or v in ATTN


def _side(v: Any) -> bool:
    return v in SIDES


def _token(v: Any) -> bool:
    return v is None or (isinstance(v, str) and len(v) < 1000)


def _labels(v: Any) -> bool:
    return isinstance(v, dict) and all(
        isinstance(x, (str, int)) and not isinstance(x, bool) for x in v.values()
    )


def _problem(v: Any) -> bool:
    return v is None or v in PROBLEM_TYPES


Check = Callable[[Any], bool]
_COMMON: dict[str, Check] = {"dtype": _dtype, "torch_dtype": _dtype}
ALLOWED: dict[str, dict[str, Check]] = {
    "model": {
        **_COMMON, "attn_implementation": _attn, "add_pooling_layer": _bool,
        "low_cpu_mem_usage": _bool, "output_hidden_states": _bool, "output_attentions": _bool,
        "use_cache": _bool, "ignore_mismatched_sizes": _bool, "use_safetensors": _opt_bool,
    },
    "tokenizer": {
        "do_lower_case": _bool, "model_max_length": _int, "max_length": _int,
        "clean_up_tokenization_spaces": _bool, "padding_side": _side, "truncation_side": _side,
        "add_prefix_space": _bool, "use_fast": _bool, "legacy": _opt_bool,
        "add_bos_token": _bool, "add_eos_token": _bool, "strip_accents": _opt_bool,
        "tokenize_chinese_chars": _bool, "do_basic_tokenize": _bool, "trim_offsets": _bool,
        "split_special_tokens": _bool, "fix_mistral_regex": _bool,
        "bos_token": _token, "eos_token": _token, "pad_token": _token, "unk_token": _token,
        "sep_token": _token, "cls_token": _token, "mask_token": _token,
    },
    "config": {
        **_COMMON, "attn_implementation": _attn, "num_labels": _int,
        "output_hidden_states": _bool, "output_attentions": _bool, "use_cache": _bool,
        "classifier_dropout": _num, "hidden_dropout_prob": _num,
        "attention_probs_dropout_prob": _num, "dropout": _num, "attention_dropout": _num,
        "hidden_dropout": _num, "problem_type": _problem, "id2label": _labels,
        "label2id": _labels,
    },
}  # fmt: skip


def _pool(v: Any) -> bool:
    """A timm pooling type name ('avg', 'token', 'catavgmax', '' ...): a table lookup."""
    if not isinstance(v, str) or len(v) > 16:
        return False
    return v == "" or (v.isascii() and v.isalpha() and v.islower())


def _size(v: Any) -> bool:
    return _int(v) or (isinstance(v, list) and 1 <= len(v) <= 2 and all(_int(x) for x in v))


# timm's hub config.json (save_for_hf: "architecture" + "pretrained_cfg") hands its top-level
# model_args to timm.create_model(architecture, **model_args): numbers and a pool name only
# (checkpoint_path, pretrained_cfg_overlay's file, act/norm layer names stay unvetted)
TIMM_MODEL_ARGS: dict[str, Check] = {
    "num_classes": _int, "in_chans": _int, "global_pool": _pool, "img_size": _size,
    "drop_rate": _num, "drop_path_rate": _num,
}  # fmt: skip


def _timm_config(doc: dict[str, Any]) -> bool:
    return isinstance(doc.get("architecture"), str) and isinstance(doc.get("pretrained_cfg"), dict)


def judged_file(name: str) -> bool:
    """sentence-transformers' module configs: ``sentence_*config.json`` (the Transformer
    module's legacy names included), ``config_sentence_transformers.json`` and any module's
    ``config.json`` (whose ``sentence_transformers`` dict CrossEncoder reads)."""
    low = name.lower()
    return (low.startswith("sentence_") and low.endswith("config.json")) or low in (
        "config_sentence_transformers.json",
        "config.json",
    )


def kwargs_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """Keys of the kwargs dicts (top level, and under ``sentence_transformers``) that are not
    on the allowlist or whose value has not the expected type (AIR-CFG-018)."""
    if not judged_file(name) or not isinstance(doc, dict):
        return []
    places: list[tuple[str, dict[str, Any]]] = [("", doc)]
    nested = doc.get("sentence_transformers")
    if isinstance(nested, dict):
        places.append(("sentence_transformers.", nested))
    out: list[Finding] = []
    for prefix, obj in places:
        for key, kind in KWARG_DICTS.items():
            if key not in obj or obj[key] is None:
                continue
            value = obj[key]
            if not isinstance(value, dict):
                ev = f"{prefix}{key}: {short(value, 120)} (not an object)"
                out.append(ST_KWARGS.finding(location, ev, member=member))
                continue
            allowed = ALLOWED[kind]
            if not prefix and key == "model_args" and _timm_config(doc):
                allowed = {**allowed, **TIMM_MODEL_ARGS}
            for k, v in list(value.items())[:10_000]:
                check = allowed.get(k)
                if check is None or not check(v):
                    why = "not allowed" if check is None else "unexpected value"
                    ev = f"{prefix}{key}.{short(k, 60)}: {short(v, 160)} ({why})"
                    out.append(ST_KWARGS.finding(location, ev, member=member))
                    if len(out) >= MAX_SHOWN:
                        return out
    return out
