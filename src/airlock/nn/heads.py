"""Classification heads shipped next to an encoder, read as data.

A sentence-transformers classifier is an encoder folder plus ``modules.json`` naming a Pooling
module and a ``Dense`` module (``2_Dense/``: ``config.json`` + ``model.safetensors``) whose
outputs are the classes listed in ``labels.txt``. Probing such a model as a bare encoder judges
the wrong output (an honest sentiment model moves its embedding for "superb"), so the head is
recognised and run. Only safetensors heads are read: a ``pytorch_model.bin`` Dense or a SetFit
``model_head.pkl`` is pickle and is refused (named in the report), never loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from airlock.errors import FormatError

MAX_HEAD_BYTES = 64 * 1024 * 1024
MAX_LABELS = 10_000
MAX_LABELS_BYTES = 4 * 1024 * 1024
# Dense activations we can run (sentence-transformers writes the class path)
ACTIVATIONS = {
    "torch.nn.modules.linear.Identity": "identity",
    "torch.nn.modules.activation.Tanh": "tanh",
    "torch.nn.modules.activation.ReLU": "relu",
    "torch.nn.modules.activation.Sigmoid": "sigmoid",
}


class HeadError(FormatError):
    """A shipped head exists but cannot be read safely."""


@dataclass(frozen=True)
class DenseLayer:
    weights: Path  # safetensors file with linear.weight / linear.bias
    activation: str


@dataclass(frozen=True)
class STHead:
    """Pooling + Dense layers + class names of a sentence-transformers classifier."""

    pooling: str  # mean | cls | max
    dense: tuple[DenseLayer, ...]
    labels: tuple[str, ...]
    normalize: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "pooling": self.pooling,
            "dense": [{"file": str(d.weights), "activation": d.activation} for d in self.dense],
            "labels": list(self.labels),
        }


def _inside(root: Path, sub: str) -> Path:
    p = (root / sub).resolve()
    if not p.is_relative_to(root.resolve()):
        raise HeadError(f"{root / 'modules.json'}: module path {sub!r} leaves the folder")
    return p


def _pooling(folder: Path) -> str:
    from airlock.nn.hf import MAX_CONFIG_BYTES, read_json

    cfg = folder / "config.json"
    doc = read_json(cfg, MAX_CONFIG_BYTES) if cfg.is_file() else {}
    if not isinstance(doc, dict):
        raise HeadError(f"{cfg}: not a JSON object")
    if doc.get("pooling_mode_cls_token"):
        return "cls"
    if doc.get("pooling_mode_max_tokens") and not doc.get("pooling_mode_mean_tokens"):
        return "max"
    odd = ("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
           "pooling_mode_lasttoken")  # fmt: skip
    if any(doc.get(k) for k in odd):
        raise HeadError(f"{cfg}: pooling mode not supported by the probe")
    return "mean"


def _dense(folder: Path) -> DenseLayer:
    from airlock.nn.hf import MAX_CONFIG_BYTES, read_json

    doc = read_json(folder / "config.json", MAX_CONFIG_BYTES)
    if not isinstance(doc, dict):
        raise HeadError(f"{folder / 'config.json'}: not a JSON object")
    act = ACTIVATIONS.get(str(doc.get("activation_function", "torch.nn.modules.linear.Identity")))
    if act is None:
        raise HeadError(f"{folder}: Dense activation {doc.get('activation_function')!r} unknown")
    st = folder / "model.safetensors"
    if not st.is_file():
        if (folder / "pytorch_model.bin").exists():
            raise HeadError(f"{folder}: Dense weights only as pickle (pytorch_model.bin); not read")
        raise HeadError(f"{folder}: Dense module without model.safetensors")
    if st.stat().st_size > MAX_HEAD_BYTES:
        raise HeadError(f"{st}: head larger than {MAX_HEAD_BYTES} bytes")
    return DenseLayer(st, act)


def _labels(root: Path) -> tuple[str, ...]:
    path = root / "labels.txt"
    if not path.is_file():
        return ()
    if path.stat().st_size > MAX_LABELS_BYTES:
        raise HeadError(f"{path}: too large")
    lines = [x.strip() for x in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    labels = tuple(x for x in lines if x)
    if len(labels) > MAX_LABELS:
        raise HeadError(f"{path}: more than {MAX_LABELS} labels")
    return labels


def read_st_head(root: Path) -> STHead | None:
    """The classification head of a sentence-transformers folder, or None when the folder is
    a plain encoder (no Dense module, or Dense layers without ``labels.txt``: a projection)."""
    from airlock.nn.hf import MAX_CONFIG_BYTES, read_json

    modules = root / "modules.json"
    if not modules.is_file():
        return None
    doc = read_json(modules, MAX_CONFIG_BYTES)
    entries = [e for e in (doc if isinstance(doc, list) else [])[:64] if isinstance(e, dict)]
    pooling, dense, normalize = "mean", [], False
    for e in entries:
        kind, sub = str(e.get("type", "")), e.get("path", "")
        if not isinstance(sub, str):
            raise HeadError(f"{modules}: module path is not a string")
        if kind.endswith(".Pooling"):
            pooling = _pooling(_inside(root, sub))
        elif kind.endswith(".Dense"):
            dense.append(_dense(_inside(root, sub)))
        elif kind.endswith(".Normalize"):
            normalize = True
    labels = _labels(root)
    if not dense or not labels:
        return None
    return STHead(pooling, tuple(dense), labels, normalize)
