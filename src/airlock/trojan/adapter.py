"""PEFT LoRA adapters as first-class models: recognise the folder, check that it fits the
claimed base, and merge it into the base so the merged model can be judged like any fine-tune.

Only data is read: ``adapter_config.json`` (bounded JSON) and ``adapter_model.safetensors``
(Airlock's own reader). The merge is ``W + scale * B @ A`` per targeted module (transposed for
``fan_in_fan_out`` Conv1D layers, ``scale = lora_alpha / r``, or ``/ sqrt(r)`` with rsLoRA), done
one tensor at a time in numpy and written as float32 safetensors next to copies of the base's
config and tokenizer files, in a private temporary folder.
"""

from __future__ import annotations

import json
import math
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from airlock.errors import FormatError
from airlock.formats.safetensors import open_model
from airlock.nn import hf

CONFIG = "adapter_config.json"
WEIGHTS = "adapter_model.safetensors"
SUPPORTED = ("LORA",)
MAX_RANK = 4096
COPY = ("config.json", "tokenizer.json", "vocab.txt", "vocab.json", "merges.txt",
        "tokenizer_config.json", "special_tokens_map.json")  # fmt: skip


class AdapterError(FormatError):
    """The adapter folder is malformed, unsupported, or does not fit the claimed base."""


@dataclass
class Adapter:
    root: Path
    peft_type: str
    rank: int
    scale: float
    fan_in_fan_out: bool
    base_name: str
    targets: list[str]
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)  # module -> (A, B) names

    def to_json(self) -> dict[str, Any]:
        return {
            "peft_type": self.peft_type,
            "rank": self.rank,
            "scale": self.scale,
            "base_model_name_or_path": self.base_name,
            "target_modules": self.targets,
            "modules": sorted(self.pairs),
        }


def is_adapter(path: Path) -> bool:
    return path.is_dir() and (path / CONFIG).is_file()


def _module(name: str) -> tuple[str, str] | None:
    """``base_model.model.h.0.attn.c_attn.lora_A(.default).weight`` -> (module, "A")."""
    for part in ("lora_A", "lora_B"):
        for tail in (f".{part}.weight", f".{part}.default.weight"):
            if name.endswith(tail):
                mod = name[: -len(tail)].removeprefix("base_model.model.")
                return mod, part[-1]
    return None


def read_adapter(path: Path) -> Adapter:
    cfg = hf.read_json(path / CONFIG, hf.MAX_CONFIG_BYTES)
    if not isinstance(cfg, dict):
        raise AdapterError(f"{path / CONFIG}: not a JSON object")
    ptype = str(cfg.get("peft_type", "")).upper()
    if ptype not in SUPPORTED:
        raise AdapterError(f"{path}: adapter type {ptype or '?'!r} is not supported (LoRA only)")
    r, alpha = cfg.get("r"), cfg.get("lora_alpha", cfg.get("r"))
    if not isinstance(r, int) or isinstance(r, bool) or not 0 < r <= MAX_RANK:
        raise AdapterError(f"{path / CONFIG}: rank r={r!r} is not a positive integer")
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not math.isfinite(alpha):
        raise AdapterError(f"{path / CONFIG}: lora_alpha={alpha!r} is not a number")
    scale = float(alpha) / (math.sqrt(r) if cfg.get("use_rslora") else r)
    targets = cfg.get("target_modules") or []
    targets = [targets] if isinstance(targets, str) else [str(t) for t in targets][:1000]
    if not (path / WEIGHTS).is_file():
        raise AdapterError(f"{path}: no {WEIGHTS} (pickled adapter_model.bin is not read)")
    weights = open_model(path / WEIGHTS)
    ad = Adapter(path, ptype, r, scale, bool(cfg.get("fan_in_fan_out")),
                 str(cfg.get("base_model_name_or_path", ""))[:500], targets)  # fmt: skip
    halves: dict[str, dict[str, str]] = {}
    for name in weights.names():
        got = _module(name)
        if got is not None:
            halves.setdefault(got[0], {})[got[1]] = name
    for mod, h in halves.items():
        if set(h) != {"A", "B"}:
            raise AdapterError(f"{path}: module {mod} has only lora_{''.join(h)}")
        ad.pairs[mod] = (h["A"], h["B"])
    if not ad.pairs:
        raise AdapterError(f"{path}: no LoRA tensors in {WEIGHTS}")
    return ad


def _base_name(base: hf.HFModel, module: str) -> str | None:
    for cand in (f"{module}.weight", f"transformer.{module}.weight", f"model.{module}.weight"):
        if cand in base.weights:
            return cand
    for n in base.weights.names():  # the adapter may carry a prefix the base file lacks
        if n.endswith("." + module.split(".", 1)[-1] + ".weight") and module.endswith(
            n.removesuffix(".weight")
        ):
            return n
    return None


def fit(ad: Adapter, base: hf.HFModel) -> list[str]:
    """Why the adapter does not fit the base (empty: it fits)."""
    problems: list[str] = []
    wts = open_model(ad.root / WEIGHTS)
    for mod, (a, b) in sorted(ad.pairs.items()):
        if ad.targets and not any(mod == t or mod.endswith("." + t) for t in ad.targets):
            problems.append(f"{mod}: not in target_modules {ad.targets}")
        name = _base_name(base, mod)
        if name is None:
            problems.append(f"{mod}: no such weight in the base")
            continue
        sa, sb, sw = wts.info(a).shape, wts.info(b).shape, base.weights.info(name).shape
        if len(sa) != 2 or len(sb) != 2 or len(sw) != 2:
            problems.append(f"{mod}: LoRA factors and base weight must be matrices")
            continue
        out_dim, in_dim = (sw[1], sw[0]) if ad.fan_in_fan_out else (sw[0], sw[1])
        if sa[0] != ad.rank or sb[1] != ad.rank or sa[1] != in_dim or sb[0] != out_dim:
            problems.append(
                f"{mod}: A {list(sa)} / B {list(sb)} do not fit base {name} {list(sw)} "
                f"at r={ad.rank}"
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
    by_base = {_base_name(base, m): p for m, p in ad.pairs.items()}
    merged: dict[str, np.ndarray[Any, Any]] = {}
    for name in base.weights.names():
        w = base.weights.read_float(name)
        if name in by_base:
            a_name, b_name = by_base[name]
            d = wts.read_float(b_name) @ wts.read_float(a_name) * ad.scale
            w = w + (d.T if ad.fan_in_fan_out else d)
        merged[name] = w.astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    _write_safetensors(out / "model.safetensors", merged)
    for f in COPY:
        if (base.root / f).is_file():
            shutil.copyfile(base.root / f, out / f)
    return out
