"""A model config declaring far more parameters than the folder's weights hold (AIR-CFG-030).

transformers' ``from_pretrained`` builds the model the config describes and only then loads the
weights into it; what the weights do not cover is randomly initialised. A ``config.json`` with
``num_hidden_layers: 200000`` beside a one-layer ``model.safetensors`` (session 23, rt24tpl's
open item) makes an honest ``AutoModel.from_pretrained`` allocate and initialise 200,000 layers:
killed at 60 s CPU, while every file alone scans clean. The folder is the unit here: the config's
declared size (a transformer's layers x (4 h^2 + 3 h ffn x experts) + vocabulary x h, for the
config and each sub-config) against the bytes of the weight files beside it, or the total a
shard index declares. Honest checkpoints hold a quarter of a byte per parameter at 2-bit
quantisation; the bound (16 parameters per byte) leaves room for tied embeddings and
sub-configs counted twice. A folder with no weight file is not judged (nothing to load beside
the config), nor one declaring under 2^31 parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule

UNDERSIZED = Rule(
    "AIR-CFG-030",
    Severity.HIGH,
    "Model config declares far more parameters than its weights hold",
    "from_pretrained builds the model the config describes and randomly initialises what the"
    " weights do not cover: a config declaring billions of parameters beside a few megabytes of"
    " weights makes an honest load allocate and initialise them all.",
    "https://huggingface.co/docs/transformers/main_classes/model#transformers.PreTrainedModel.from_pretrained",
)

CONFIG_NAMES = frozenset({"config.json"})
# the files from_pretrained loads weights from (training_args.bin, optimizer.pt... are not)
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".h5", ".msgpack", ".pt", ".pth")
WEIGHT_PREFIXES = ("model", "pytorch_model", "tf_model", "flax_model", "diffusion_pytorch_model",
                   "consolidated")  # fmt: skip
MAX_CONFIG_BYTES = 32 << 20  # honest configs are kilobytes (a 21k-label id2label: ~1 MB)
MIN_DECLARED = 1 << 28  # parameters: below this (1 GiB in fp32) the ratio is not judged
# Layers of one (sub-)config: each is a Python module built one by one (200,000 layers of width
# 32: killed at 60 s CPU, 2.1 GB); honest models have a few hundred at most.
MAX_LAYERS = 2048
MAX_RATIO = 16  # declared parameters per byte of weights on disk
MAX_DEPTH = 4
LAYERS = ("num_hidden_layers", "n_layer", "num_layers", "n_layers", "decoder_layers",
          "encoder_layers", "num_decoder_layers")  # fmt: skip
HIDDEN = ("hidden_size", "n_embd", "d_model", "dim", "embed_dim")
FFN = ("intermediate_size", "n_inner", "d_ff", "ffn_dim", "hidden_dim", "moe_intermediate_size")
EXPERTS = ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts")
VOCAB = ("vocab_size", "n_vocab")
_COUNT_KEY = re.compile(r"(?:layers|layer|depths?|blocks|block_sizes|stages|repeats)$")


def _num(node: dict[str, Any], keys: Sequence[str]) -> float:
    for k in keys:
        v = node.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
            return float(v)
    return 0.0


def _count(key: str, v: Any) -> float:
    """An int; for a list, the sum of a per-stage count (Swin's ``depths``, Funnel's
    ``block_sizes``) or the largest of a list of layer indices (``mlp_only_layers``)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if not isinstance(v, list) or len(v) > 4096:
        return 0.0
    nums = [float(x) for x in v if isinstance(x, (int, float)) and not isinstance(x, bool)]
    if key.endswith(("depths", "block_sizes", "blocks")):
        return sum(nums)
    return max(nums, default=0.0)


def most_layers(node: Any, depth: int = 0) -> float:
    """The largest layer / block / depth count of the config or any sub-config (any key named
    like ``num_hidden_layers``, ``encoder_layers``, ``depths``, ``num_blocks``: transformers'
    configs use dozens of such names, each a count of modules built one by one)."""
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return 0.0
    counts = [_count(k, v) for k, v in node.items() if isinstance(k, str) and _COUNT_KEY.search(k)]
    own = max(counts, default=0.0)
    return max([own, *(most_layers(v, depth + 1) for v in node.values() if isinstance(v, dict))])


def declared_parameters(node: Any, depth: int = 0) -> float:
    """Parameters a config (and its sub-configs) declares, as a dense transformer."""
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return 0.0
    total = 0.0
    layers, hidden = _num(node, LAYERS), _num(node, HIDDEN)
    if layers and hidden:
        experts = max(_num(node, EXPERTS), 1.0)
        moe = _num(node, ("moe_intermediate_size",)) if experts > 1 else 0.0
        ffn = moe or _num(node, FFN) or 4 * hidden
        total += layers * (4 * hidden * hidden + 3 * hidden * ffn * experts)
        total += _num(node, VOCAB) * hidden
    for v in node.values():
        if isinstance(v, dict):
            total += declared_parameters(v, depth + 1)
    return total


def _index_total(path: Path) -> float:
    """``metadata.total_size`` of a shard index (bytes), 0 when absent or unreadable."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return 0.0
        meta = json.loads(path.read_bytes()).get("metadata", {})
    except (OSError, ValueError, RecursionError, AttributeError):
        return 0.0
    size = meta.get("total_size") if isinstance(meta, dict) else None
    return float(size) if isinstance(size, (int, float)) and not isinstance(size, bool) else 0.0


def folder_findings(files: Sequence[tuple[Path, str]]) -> list[Finding]:
    """AIR-CFG-030 for each ``config.json`` among the walked files whose folder holds weight
    files far smaller than the config declares."""
    # names and folders as the model lays them out (``display``): in a Hugging Face cache the
    # paths are symlinks whose targets are blobs named by their hash
    by_folder: dict[PurePath, list[tuple[Path, str]]] = {}
    for path, display in files:
        by_folder.setdefault(PurePath(display).parent, []).append((path, display))
    out: list[Finding] = []
    for members in by_folder.values():
        configs = [(p, d) for p, d in members if PurePath(d).name in CONFIG_NAMES]
        if not configs:
            continue
        weights = 0.0
        indexed = 0.0
        for p, d in members:
            name = PurePath(d).name
            try:
                if name.endswith(WEIGHT_SUFFIXES) and (
                    name.endswith(".safetensors") or name.startswith(WEIGHT_PREFIXES)
                ):
                    weights += p.stat().st_size
                elif name.endswith(".index.json"):
                    indexed = max(indexed, _index_total(p))
            except OSError:
                continue
        weights = max(weights, indexed)
        if weights <= 0:
            continue
        for p, display in configs:
            try:
                size = p.stat().st_size
                if size > MAX_CONFIG_BYTES:  # not judged: never an allow (padding is free)
                    out.append(UNDERSIZED.finding(
                        display, f"a config of {size:,} bytes is not sized (bound"
                        f" {MAX_CONFIG_BYTES:,})"))  # fmt: skip
                    continue
                doc = json.loads(p.read_bytes())
            except (OSError, ValueError, RecursionError):
                continue  # transformers cannot read it either: nothing is built
            params, layers = declared_parameters(doc), most_layers(doc)
            if layers > MAX_LAYERS:
                out.append(UNDERSIZED.finding(
                    display, f"declares {layers:,.0f} layers (bound {MAX_LAYERS:,}): each is"
                    " built before the weights are read"))  # fmt: skip
            elif params >= MIN_DECLARED and params > MAX_RATIO * weights:
                out.append(UNDERSIZED.finding(
                    display, f"declares ~{params:,.0f} parameters; weights beside it hold"
                    f" {weights:,.0f} bytes (bound {MAX_RATIO} parameters per byte)"))  # fmt: skip
    return out
