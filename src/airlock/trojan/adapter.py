"""PEFT LoRA adapters as first-class models: recognise the folder, check that it fits the
claimed base, and merge it into the base so the merged model can be judged like any fine-tune.

Only data is read: ``adapter_config.json`` (bounded JSON) and ``adapter_model.safetensors``
(Airlock's own reader). The merge is ``W + scale * B @ A`` per targeted module (transposed for
``fan_in_fan_out`` Conv1D layers, ``scale = lora_alpha / r``, or ``/ sqrt(r)`` with rsLoRA, rank
and alpha per module from ``rank_pattern``/``alpha_pattern``), done
one tensor at a time in numpy and written as float32 safetensors next to copies of the base's
config and tokenizer files, in a private temporary folder.
"""

from __future__ import annotations

import json
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from airlock.errors import FormatError
from airlock.formats import peft
from airlock.formats.safe_regex import UnsafePattern
from airlock.formats.safetensors import open_model
from airlock.nn import hf

CONFIG = peft.CONFIG
WEIGHTS = "adapter_model.safetensors"
SUPPORTED = ("LORA",)
COPY = ("config.json", "tokenizer.json", "vocab.txt", "vocab.json", "merges.txt",
        "tokenizer_config.json", "special_tokens_map.json")  # fmt: skip


class AdapterError(FormatError):
    """The adapter folder is malformed, unsupported, or does not fit the claimed base."""


@dataclass
class Adapter:
    root: Path
    config: peft.AdapterConfig  # the one reading of adapter_config.json (formats.peft)
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)  # module -> (A, B) names
    ranks: dict[str, int] = field(default_factory=dict)  # module -> rank peft gives it
    scales: dict[str, float] = field(default_factory=dict)  # module -> effective scale
    # modules_to_save: whole tensors the adapter replaces or adds (a task head such as a
    # sequence classifier's ``classifier``), by their name under the wrapper -> adapter name
    saved: dict[str, str] = field(default_factory=dict)

    @property
    def peft_type(self) -> str:
        return self.config.peft_type

    @property
    def rank(self) -> int:
        return self.config.rank or 0

    @property
    def scale(self) -> float:
        return self.config.scale or 0.0

    @property
    def fan_in_fan_out(self) -> bool:
        return self.config.fan_in_fan_out

    def to_json(self) -> dict[str, Any]:
        cfg = self.config
        out: dict[str, Any] = {
            "peft_type": cfg.peft_type,
            "rank": cfg.rank,
            "scale": cfg.scale,
            "base_model_name_or_path": cfg.base,
            "target_modules": cfg.targets_pattern or cfg.targets[:1000],
            "modules": sorted(self.pairs),
        }
        if any(s != cfg.scale for s in self.scales.values()):
            out["module_scales"] = dict(sorted(self.scales.items())[:1000])
        return out


def is_adapter(path: Path) -> bool:
    return peft.is_adapter_folder(path)


def read_adapter(path: Path) -> Adapter:
    """The LoRA adapter in ``path``, read through :func:`airlock.formats.peft.load_config`:
    a config the scan would report (bounds, unknown type, patterns it cannot judge) is refused
    here, since its merge would not be the model peft builds."""
    cfg = peft.load_config(path)
    if cfg is None:
        raise AdapterError(f"{path / CONFIG}: not readable as a JSON object")
    if cfg.peft_type not in SUPPORTED:
        raise AdapterError(
            f"{path}: adapter type {cfg.peft_type or '?'!r} is not supported (LoRA only)"
        )
    bad = [p.message for p in cfg.problems if p.kind in ("bounds", "targets", "pattern", "type")]
    if bad:
        raise AdapterError(f"{path / CONFIG}: {'; '.join(bad[:5])} (rank or scale not judged)")
    if not (path / WEIGHTS).is_file():
        raise AdapterError(f"{path}: no {WEIGHTS} (pickled adapter_model.bin is not read)")
    weights = open_model(path / WEIGHTS)
    ad = Adapter(path, cfg)
    halves: dict[str, dict[str, str]] = {}
    saved_parts = {tuple(s.split(".")) for s in cfg.saved if s}
    for name in weights.names():
        m = peft.LORA_TENSOR.match(name)
        if m is not None:
            mod = m.group("module").removeprefix("base_model.model.")
            halves.setdefault(mod, {})[m.group("half")] = name
            continue
        plain = name.removeprefix("base_model.model.").replace(".modules_to_save.default.", ".")
        parts = tuple(plain.split("."))
        if any(parts[i : i + len(sp)] == sp for sp in saved_parts for i in range(len(parts))):
            ad.saved[plain] = name
    try:
        for mod, h in halves.items():
            if set(h) != {"A", "B"}:
                raise AdapterError(f"{path}: module {mod} has only lora_{''.join(h)}")
            rank, scale = cfg.module_rank(mod), cfg.module_scale(mod)
            if rank is None or scale is None:
                raise AdapterError(f"{path}: module {mod} has no rank or scale")
            ad.pairs[mod] = (h["A"], h["B"])
            ad.ranks[mod], ad.scales[mod] = rank, scale
    except UnsafePattern as exc:
        raise AdapterError(f"{path / CONFIG}: module patterns not judged ({exc})") from None
    if not ad.pairs:
        raise AdapterError(f"{path}: no LoRA tensors in {WEIGHTS}")
    return ad


def _base_tensor(base: hf.HFModel, tensor: str) -> str | None:
    """The base tensor a wrapped model's tensor is: the same name, or the base's name under a
    task wrapper's prefix (``bert.encoder...`` of a sequence classifier on a bare encoder
    checkpoint, as sentence-transformers ship them), or the base's name with a prefix the
    adapter's module path lacks."""
    for cand in (tensor, f"transformer.{tensor}", f"model.{tensor}"):
        if cand in base.weights:
            return cand
    module, _, leaf = tensor.rpartition(".")
    for n in base.weights.names():  # the adapter may carry a prefix the base file lacks
        if n.endswith("." + module.split(".", 1)[-1] + "." + leaf) and module.endswith(
            n.removesuffix("." + leaf)
        ):
            return n
    # the adapter wraps the base under a task model: its path ends with the base's whole name
    under = [n for n in base.weights.names() if "." in n and tensor.endswith("." + n)]
    return max(under, key=len) if under else None


def _base_name(base: hf.HFModel, module: str) -> str | None:
    return _base_tensor(base, f"{module}.weight")


def fit(ad: Adapter, base: hf.HFModel) -> list[str]:
    """Why the adapter does not fit the base (empty: it fits)."""
    problems: list[str] = []
    wts = open_model(ad.root / WEIGHTS)
    for mod, (a, b) in sorted(ad.pairs.items()):
        try:
            hit = peft.targeted(ad.config, mod)
        except UnsafePattern as exc:
            problems.append(f"{mod}: target_modules not judged ({exc})")
            continue
        if not hit:
            shown = ad.config.targets_pattern or ad.config.targets[:20]
            problems.append(f"{mod}: not in target_modules {shown}")
        name = _base_name(base, mod)
        if name is None:
            problems.append(f"{mod}: no such weight in the base")
            continue
        sa, sb, sw = wts.info(a).shape, wts.info(b).shape, base.weights.info(name).shape
        if len(sa) != 2 or len(sb) != 2 or len(sw) != 2:
            problems.append(f"{mod}: LoRA factors and base weight must be matrices")
            continue
        out_dim, in_dim = (sw[1], sw[0]) if ad.fan_in_fan_out else (sw[0], sw[1])
        r = ad.ranks[mod]
        if sa[0] != r or sb[1] != r or sa[1] != in_dim or sb[0] != out_dim:
            problems.append(
                f"{mod}: A {list(sa)} / B {list(sb)} do not fit base {name} {list(sw)} at r={r}"
            )
    for plain, name in sorted(ad.saved.items()):
        where = _base_tensor(base, plain)
        if where is not None and wts.info(name).shape != base.weights.info(where).shape:
            problems.append(
                f"{plain}: saved module {list(wts.info(name).shape)} does not fit base {where} "
                f"{list(base.weights.info(where).shape)}"
            )
    return problems


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray[Any, Any]]) -> None:
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, arr in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + arr.nbytes]}  # fmt: skip
        offset += arr.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with path.open("wb") as fh:
        fh.write(struct.pack("<Q", len(raw)))
        fh.write(raw)
        for arr in tensors.values():
            fh.write(np.ascontiguousarray(arr, dtype="<f4").tobytes())


def merge(ad: Adapter, base_path: Path, out: Path) -> Path:
    """The base with the adapter merged in, as a model folder under ``out``."""
    base = hf.load(base_path)
    wts = open_model(ad.root / WEIGHTS)
    by_base = {_base_name(base, m): (m, p) for m, p in ad.pairs.items()}
    replaced = {_base_tensor(base, plain): name for plain, name in ad.saved.items()}
    merged: dict[str, np.ndarray[Any, Any]] = {}
    for name in base.weights.names():
        w = wts.read_float(replaced[name]) if name in replaced else base.weights.read_float(name)
        if name in by_base:
            mod, (a_name, b_name) = by_base[name]
            d = wts.read_float(b_name) @ wts.read_float(a_name) * ad.scales[mod]
            w = w + (d.T if ad.fan_in_fan_out else d)
        merged[name] = w.astype(np.float32)
    # a new head (the classifier of a sequence-classification adapter): named as the task model
    # names it, beside the base's own names (the probe then runs the model's real head)
    for plain, name in ad.saved.items():
        if _base_tensor(base, plain) is None:
            merged[plain] = wts.read_float(name).astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    _write_safetensors(out / "model.safetensors", merged)
    for f in COPY:
        if (base.root / f).is_file():
            shutil.copyfile(base.root / f, out / f)
    return out
