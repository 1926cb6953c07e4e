"""PEFT adapter folders read as data: ``adapter_config.json``, the card's ``base_model`` and the
adapter's tensor names.

An adapter is a model of its own kind: a folder whose ``adapter_config.json`` makes
``transformers``/``peft`` fetch the base named in ``base_model_name_or_path`` and patch it with
the adapter's tensors. Scan, gate and registry share this one reading (pure: no I/O beyond the
bounded reads below, nothing imported from the config).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.formats.json_budget import parse_cost

CONFIG = "adapter_config.json"
WEIGHT_FILES = ("adapter_model.safetensors", "adapter_model.bin")
CARD = "README.md"
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_CARD_BYTES = 1024 * 1024
MAX_RANK = 4096
MAX_SCALE = 256.0  # |lora_alpha / r|: common adapters use 0.5-4; beyond this the delta swamps W
MAX_TARGETS = 10_000
MAX_PATTERN = 1000  # a string target_modules is a regular expression peft fullmatches
# peft.PeftType (0.17); an unknown type is refused by peft, so nothing of it can be judged
PEFT_TYPES = frozenset(
    "PROMPT_TUNING MULTITASK_PROMPT_TUNING P_TUNING PREFIX_TUNING LORA ADALORA BOFT "
    "ADAPTION_PROMPT IA3 LOHA LOKR OFT POLY LN_TUNING VERA FOURIERFT XLORA HRA VBLORA CPT BONE "
    "RANDLORA TRAINABLE_TOKENS C3A ROAD SHIRA MISS GRALORA WAVEFT DELORA".split()
)
LORA_FAMILY = frozenset({"LORA", "ADALORA", "XLORA"})
# auto_mapping.parent_library is imported by AutoPeftModel.from_pretrained
SAFE_PARENT = re.compile(r"^transformers(\.[A-Za-z_][A-Za-z0-9_]*)*$")
LORA_TENSOR = re.compile(r"^(?P<module>.+)\.lora_(?P<half>[AB])(\.[A-Za-z0-9_]+)?\.weight$")
LORA_EMBEDDING = re.compile(r"^(?P<module>.+)\.lora_embedding_(?P<half>[AB])(\.[A-Za-z0-9_]+)?$")


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with an adapter config: ``kind`` names the rule that reports it."""

    kind: str  # "code", "type", "bounds", "targets"
    message: str


@dataclass
class AdapterConfig:
    peft_type: str
    base: str  # base_model_name_or_path ("" when absent)
    rank: int | None
    alpha: float | None
    targets: list[str]
    targets_pattern: str | None
    problems: list[ConfigProblem] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)  # modules_to_save: whole modules it replaces

    @property
    def scale(self) -> float | None:
        if self.rank is None or self.alpha is None:
            return None
        return self.alpha / self.rank

    def to_json(self) -> dict[str, Any]:
        return {
            "peft_type": self.peft_type,
            "base_model_name_or_path": self.base,
            "r": self.rank,
            "lora_alpha": self.alpha,
            "target_modules": self.targets_pattern or self.targets[:100],
        }


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def parse_config(doc: Any) -> AdapterConfig:
    """The facts of an adapter config and what is wrong with it (never raises)."""
    if not isinstance(doc, dict):
        cfg = AdapterConfig("", "", None, None, [], None)
        cfg.problems.append(ConfigProblem("type", "adapter_config.json is not a JSON object"))
        return cfg
    ptype = str(doc.get("peft_type", ""))[:64].upper()
    base = doc.get("base_model_name_or_path")
    cfg = AdapterConfig(ptype, str(base)[:500] if isinstance(base, str) else "", None, None, [],
                        None)  # fmt: skip
    out = cfg.problems
    if ptype not in PEFT_TYPES:
        out.append(ConfigProblem("type", f"peft_type {ptype or '(missing)'!r} is not a known type"))
    _code(doc, out)
    if ptype in LORA_FAMILY:
        r, alpha = doc.get("r"), doc.get("lora_alpha", doc.get("r"))
        if not isinstance(r, int) or isinstance(r, bool) or not 0 < r <= MAX_RANK:
            out.append(ConfigProblem("bounds", f"r={str(r)[:40]!r} is not an integer 1-{MAX_RANK}"))
        else:
            cfg.rank = r
        cfg.alpha = _finite(alpha)
        if cfg.alpha is None:
            out.append(ConfigProblem("bounds", f"lora_alpha={str(alpha)[:40]!r} is not a number"))
        if cfg.scale is not None and abs(cfg.scale) > MAX_SCALE:
            why = f"lora_alpha / r = {cfg.scale:g} (bound {MAX_SCALE:g})"
            out.append(ConfigProblem("bounds", why))
        _targets(doc.get("target_modules"), cfg)
    saved = doc.get("modules_to_save")
    if isinstance(saved, list):
        cfg.saved = [m[:200] for m in saved[:1000] if isinstance(m, str)]
    return cfg


def _finite(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` (bools, strings, 10**400, NaN)."""
    if not isinstance(value, int | float) or not _number(value):
        return None
    try:
        out = float(value)
    except OverflowError:
        return None
    return out if math.isfinite(out) else None


def _code(doc: dict[str, Any], out: list[ConfigProblem]) -> None:
    """Config keys that make peft or transformers import something named by the file."""
    am = doc.get("auto_mapping")
    if am is not None:
        parent = am.get("parent_library") if isinstance(am, dict) else None
        cls = am.get("base_model_class") if isinstance(am, dict) else None
        if not isinstance(parent, str) or not SAFE_PARENT.match(parent):
            out.append(ConfigProblem("code", f"auto_mapping imports {str(parent)[:200]!r}"))
        elif not isinstance(cls, str) or not cls.isidentifier():
            out.append(ConfigProblem("code", f"auto_mapping base class {str(cls)[:200]!r}"))
    for key in ("custom_modules", "_custom_modules"):  # auto_map: the config rules report it
        if doc.get(key):
            out.append(ConfigProblem("code", f"{key}: {json.dumps(doc[key])[:200]}"))


def _targets(value: Any, cfg: AdapterConfig) -> None:
    out = cfg.problems
    if value is None:
        return
    if isinstance(value, str):
        if len(value) > MAX_PATTERN:
            out.append(ConfigProblem("targets", f"target_modules pattern of {len(value)} chars"))
            return
        try:
            re.compile(value)
        except re.error as exc:
            out.append(ConfigProblem("targets", f"target_modules is not a valid pattern ({exc})"))
            return
        cfg.targets_pattern = value
        return
    ok = isinstance(value, list) and len(value) <= MAX_TARGETS
    ok = ok and all(isinstance(t, str) and 0 < len(t) <= 200 for t in value)
    if not ok:
        out.append(ConfigProblem("targets", "target_modules is not a list of module names"))
        return
    cfg.targets = list(value)


def targeted(cfg: AdapterConfig, module: str) -> bool:
    """Whether peft would wrap ``module`` (suffix match of a name, or a full regex match)."""
    if cfg.targets_pattern is not None:
        return re.fullmatch(cfg.targets_pattern, module) is not None
    if not cfg.targets or cfg.targets == ["all-linear"]:
        return True
    return any(module == t or module.endswith("." + t) for t in cfg.targets)


def card_base_models(text: str) -> list[str]:
    """``base_model`` of a model card's YAML front matter (a string or a list of strings),
    read line by line (no YAML loader: the card is the uploader's text)."""
    if not text.startswith("---"):
        return []
    end = text.find("\n---", 3)
    if end < 0:
        return []
    out: list[str] = []
    lines = text[3:end].splitlines()
    for i, line in enumerate(lines[:2000]):
        if not line.startswith("base_model:"):
            continue
        value = line.split(":", 1)[1].strip().strip("'\"")
        if value:
            out.append(value)
            continue
        for item in lines[i + 1 : i + 50]:
            s = item.strip()
            if not s.startswith("- "):
                break
            out.append(s[2:].strip().strip("'\""))
    return [b[:500] for b in out if b][:20]


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it is missing, unreadable or larger than ``limit``."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_bytes()
    except OSError:
        return None


def load_config(path: Path) -> AdapterConfig | None:
    """The adapter config in folder ``path`` (None: no readable config there)."""
    raw = read_bounded(path / CONFIG, MAX_CONFIG_BYTES)
    if raw is None or parse_cost(raw) > 64 * MAX_CONFIG_BYTES:
        return None
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return parse_config(doc)


def card_bases(path: Path) -> list[str]:
    raw = read_bounded(path / CARD, MAX_CARD_BYTES)
    return card_base_models(raw.decode("utf-8", "replace")) if raw else []


def is_adapter_folder(path: Path) -> bool:
    return path.is_dir() and (path / CONFIG).is_file()
