"""PEFT adapter folders read as data: ``adapter_config.json``, the card's ``base_model`` and the
adapter's tensor names.

An adapter is a model of its own kind: a folder whose ``adapter_config.json`` makes
``transformers``/``peft`` fetch the base named in ``base_model_name_or_path`` and patch it with
the adapter's tensors. Scan, gate and registry share this one reading (pure: no I/O beyond the
bounded reads below, nothing imported from the config).
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.formats.json_budget import parse_cost
from airlock.formats.safe_regex import Budget, SafePattern, UnsafePattern

CONFIG = "adapter_config.json"
WEIGHT_FILES = ("adapter_model.safetensors", "adapter_model.bin")
CARD = "README.md"
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_CARD_BYTES = 1024 * 1024
MAX_RANK = 4096
MAX_SCALE = 256.0  # |lora_alpha / r|: common adapters use 0.5-4; beyond this the delta swamps W
MAX_TARGETS = 10_000
MAX_PATTERN_KEYS = 1000  # rank_pattern / alpha_pattern entries
# peft.PeftType (0.17); an unknown type is refused by peft, so nothing of it can be judged
PEFT_TYPES = frozenset(
    "PROMPT_TUNING MULTITASK_PROMPT_TUNING P_TUNING PREFIX_TUNING LORA ADALORA BOFT "
    "ADAPTION_PROMPT IA3 LOHA LOKR OFT POLY LN_TUNING VERA FOURIERFT XLORA HRA VBLORA CPT BONE "
    "RANDLORA TRAINABLE_TOKENS C3A ROAD SHIRA MISS GRALORA WAVEFT DELORA".split()
)
LORA_FAMILY = frozenset({"LORA", "ADALORA", "XLORA"})
# auto_mapping.parent_library is imported by AutoPeftModel.from_pretrained
SAFE_PARENT = re.compile(r"^transformers(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# fp20: peft's save of an adapter on a plain torch model (nn.Sequential...) writes the class's
# __module__, a torch.nn.modules submodule: torch imports them all already, and the class's
# from_pretrained (only Embedding/EmbeddingBag have one) fails on a path string. One public
# submodule name, no further component (peft also asks the caller to allow non-transformers).
TORCH_NN_PARENT = re.compile(r"torch\.nn\.modules\.[a-z][a-z_]{0,39}")
# peft writes the base class's __module__: "__main__" for a model class defined in a script or
# notebook. Importing "__main__" returns the running program (no module code runs) and peft
# refuses it anyway unless the caller lists it in import_allowlist; the class name must still
# be a plain identifier.
RUNNING_PROGRAM = "__main__"
# how a registry source or --base names a hub repository (never how a config does)
HUB_PREFIXES = ("hf://", "hf:", "https://huggingface.co/", "http://huggingface.co/")
_REPO_PART = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"(?:{_REPO_PART}/)?{_REPO_PART}")  # huggingface_hub's, ASCII only
LORA_TENSOR = re.compile(r"^(?P<module>.+)\.lora_(?P<half>[AB])(\.[A-Za-z0-9_]+)?\.weight$")
LORA_EMBEDDING = re.compile(r"^(?P<module>.+)\.lora_embedding_(?P<half>[AB])(\.[A-Za-z0-9_]+)?$")


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with an adapter config: ``kind`` names the rule that reports it."""

    kind: str  # "code", "type", "bounds", "targets", "pattern"
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
    use_rslora: bool = False  # scale alpha / sqrt(r) instead of alpha / r
    fan_in_fan_out: bool = False
    revision: str = ""  # the base's revision peft asks for ("" when absent)
    # per-module overrides peft picks by regex on the module name (first key that matches)
    rank_pattern: dict[str, int] = field(default_factory=dict)
    alpha_pattern: dict[str, float] = field(default_factory=dict)
    _target_re: SafePattern | None = field(default=None, repr=False)
    _keys: dict[str, SafePattern] = field(default_factory=dict, repr=False)
    # one bound on states, matching steps and cache for all the config's patterns together
    _budget: Budget = field(default_factory=Budget, repr=False)

    def _scale_of(self, rank: int, alpha: float) -> float:
        return alpha / (math.sqrt(rank) if self.use_rslora else rank)

    @property
    def scale(self) -> float | None:
        """The scale of a module no pattern overrides."""
        if self.rank is None or self.alpha is None:
            return None
        return self._scale_of(self.rank, self.alpha)

    def _key(self, keys: dict[str, Any], module: str) -> str | None:
        """peft's ``get_pattern_key``: the first key for which ``re.match(rf"(.*\\.)?({KEY})$",
        module)`` matches -- the same wrapped text, with ``re.match``'s prefix semantics (a key
        may close the wrapper's group), judged by the linear matcher (a key it could not judge
        was refused when the config was read)."""
        for key in keys:
            pat = self._keys.get(key)
            if key == module or (pat is not None and pat.match(module)):
                return key
        return None

    def module_rank(self, module: str) -> int | None:
        key = self._key(self.rank_pattern, module)
        return self.rank_pattern[key] if key is not None else self.rank

    def module_scale(self, module: str) -> float | None:
        """The effective scale peft applies to ``module`` (rank and alpha patterns, rsLoRA)."""
        rank = self.module_rank(module)
        key = self._key(self.alpha_pattern, module)
        alpha = self.alpha_pattern[key] if key is not None else self.alpha
        return None if rank is None or alpha is None else self._scale_of(rank, alpha)

    def worst_scale(self) -> float | None:
        """The largest |scale| any module can get: the largest alpha over the smallest rank of
        the config and its patterns (whichever modules they end up on)."""
        ranks = [r for r in (self.rank, *self.rank_pattern.values()) if r is not None]
        alphas = [a for a in (self.alpha, *self.alpha_pattern.values()) if a is not None]
        if not ranks or not alphas:
            return None
        return self._scale_of(min(ranks), max(abs(a) for a in alphas))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "peft_type": self.peft_type,
            "base_model_name_or_path": self.base,
            "r": self.rank,
            "lora_alpha": self.alpha,
            "target_modules": self.targets_pattern or self.targets[:100],
        }
        if self.use_rslora:
            out["use_rslora"] = True
        if self.revision:
            out["revision"] = self.revision
        if self.rank_pattern or self.alpha_pattern:
            out["rank_pattern"] = dict(list(self.rank_pattern.items())[:100])
            out["alpha_pattern"] = dict(list(self.alpha_pattern.items())[:100])
        return out


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _rank_ok(r: Any) -> bool:
    return isinstance(r, int) and not isinstance(r, bool) and 0 < r <= MAX_RANK


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
    rev = doc.get("revision")
    cfg.revision = rev[:200] if isinstance(rev, str) else ""
    out = cfg.problems
    if ptype not in PEFT_TYPES:
        out.append(ConfigProblem("type", f"peft_type {ptype or '(missing)'!r} is not a known type"))
    _code(doc, out)
    if ptype in LORA_FAMILY:
        r, alpha = doc.get("r"), doc.get("lora_alpha", doc.get("r"))
        if not _rank_ok(r):
            out.append(ConfigProblem("bounds", f"r={str(r)[:40]!r} is not an integer 1-{MAX_RANK}"))
        else:
            cfg.rank = r
        cfg.alpha = _finite(alpha)
        if cfg.alpha is None:
            out.append(ConfigProblem("bounds", f"lora_alpha={str(alpha)[:40]!r} is not a number"))
        cfg.use_rslora = doc.get("use_rslora") is True
        cfg.fan_in_fan_out = doc.get("fan_in_fan_out") is True
        _patterns(doc, cfg)
        worst = cfg.worst_scale()
        if worst is not None and abs(worst) > MAX_SCALE:
            how = "alpha / sqrt(r)" if cfg.use_rslora else "alpha / r"
            patterns = cfg.rank_pattern or cfg.alpha_pattern
            where = " (worst of r, lora_alpha and their patterns)" if patterns else ""
            why = f"{how} = {worst:g}{where} (bound {MAX_SCALE:g})"
            out.append(ConfigProblem("bounds", why))
        _targets(doc.get("target_modules"), cfg)
    saved = doc.get("modules_to_save")
    if isinstance(saved, list):
        cfg.saved = [m[:200] for m in saved[:1000] if isinstance(m, str)]
    _other_patterns(doc, cfg)
    return cfg


# the other config strings peft hands to Python ``re`` for every module name of the base
# (peft 0.21 ``check_target_module_exists``): a string ``exclude_modules`` is fullmatched,
# each ``modules_to_save`` entry and ``layers_pattern`` are pasted into a pattern and matched
_WRAPS = {
    "exclude_modules": "{}",
    "modules_to_save": r"(^|.*\.){}($|\..*)",
    "layers_pattern": r"(?:^|.*?\.){}\.(?P<idx>\d+)\.",
}


def _other_patterns(doc: dict[str, Any], cfg: AdapterConfig) -> None:
    """``exclude_modules`` / ``modules_to_save`` / ``layers_pattern`` as the patterns peft
    builds from them: nested repetition there hangs the load like a hostile
    ``target_modules`` (rt24tpl: ``exclude_modules: "(.|.)*Z"``, minutes per module name)."""
    for key, wrap in _WRAPS.items():
        value = doc.get(key)
        if key == "exclude_modules" and not isinstance(value, str):
            continue  # a list is compared by name and suffix, no pattern
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for item in items[:MAX_PATTERN_KEYS]:
            if not isinstance(item, str):
                continue
            try:
                risk = SafePattern(wrap.format(item), budget=cfg._budget).risk
            except UnsafePattern as exc:
                risk = str(exc)
            if risk:
                why = f"{key} {item[:80]!r}: peft's re would backtrack or cannot be judged: {risk}"
                cfg.problems.append(ConfigProblem("pattern", why))


def _patterns(doc: dict[str, Any], cfg: AdapterConfig) -> None:
    """``rank_pattern``/``alpha_pattern``: per-module rank and alpha, keys being regexes peft
    matches on module names (a key the linear matcher cannot judge is a finding)."""
    out = cfg.problems
    for name in ("rank_pattern", "alpha_pattern"):
        value = doc.get(name)
        if value is None or value == {}:
            continue
        if not isinstance(value, dict) or len(value) > MAX_PATTERN_KEYS:
            why = f"{name} is not a mapping of at most {MAX_PATTERN_KEYS} module patterns"
            out.append(ConfigProblem("bounds", why))
            continue
        for key, v in value.items():
            where = f"{name}[{key[:80]!r}]={str(v)[:40]!r}"
            if name == "rank_pattern":
                if not _rank_ok(v):
                    out.append(ConfigProblem("bounds", f"{where} is not an integer 1-{MAX_RANK}"))
                    continue
                cfg.rank_pattern[key] = v
            else:
                alpha = _finite(v)
                if alpha is None:
                    out.append(ConfigProblem("bounds", f"{where} is not a number"))
                    continue
                cfg.alpha_pattern[key] = alpha
            if key not in cfg._keys:
                try:
                    cfg._keys[key] = pat = SafePattern(rf"(.*\.)?({key})$", budget=cfg._budget)
                except UnsafePattern as exc:
                    out.append(ConfigProblem("pattern", f"{name} key {key[:80]!r}: {exc}"))
                    continue
                if pat.risk:
                    why = f"{name} key {key[:80]!r}: peft's re would backtrack: {pat.risk}"
                    out.append(ConfigProblem("pattern", why))


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
        if not isinstance(parent, str) or not (
            parent == RUNNING_PROGRAM
            or SAFE_PARENT.match(parent)
            or TORCH_NN_PARENT.fullmatch(parent)
        ):
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
        try:
            cfg._target_re = SafePattern(value, budget=cfg._budget)
        except UnsafePattern as exc:
            kind = "targets" if "not a valid pattern" in str(exc) else "pattern"
            what = "is not a valid pattern" if kind == "targets" else "cannot be judged"
            out.append(ConfigProblem(kind, f"target_modules {what}: {exc}"))
            return
        cfg.targets_pattern = value
        if cfg._target_re.risk:
            why = f"target_modules {value[:80]!r}: peft's re would backtrack: {cfg._target_re.risk}"
            out.append(ConfigProblem("pattern", why))
        return
    ok = isinstance(value, list) and len(value) <= MAX_TARGETS
    ok = ok and all(isinstance(t, str) and 0 < len(t) <= 200 for t in value)
    if not ok:
        out.append(ConfigProblem("targets", "target_modules is not a list of module names"))
        return
    cfg.targets = list(value)


def targeted(cfg: AdapterConfig, module: str) -> bool:
    """Whether peft would wrap ``module`` (suffix match of a name, or a full regex match, the
    regex matched without backtracking; raises :class:`UnsafePattern` past its work bound)."""
    if cfg._target_re is not None:
        return cfg._target_re.fullmatch(module)
    if cfg.targets_pattern is not None:  # a pattern that could not be compiled targets nothing
        return False
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


def repo_id(name: str) -> str | None:
    """The hub repo id ``name`` is, lower-cased for comparison (the hub resolves names
    case-insensitively), or None when it is none. ``name`` is taken as peft and transformers
    take ``base_model_name_or_path``: exactly huggingface_hub's repo-id grammar
    (``[NAMESPACE/]NAME``; letters, digits, ``_ - .``, starting and ending with a letter, digit or
    ``_``; no ``--`` or ``..``; not ending ``.git``; ASCII only), with nothing stripped. Anything
    else -- a leading or trailing space, a trailing ``/``, ``hf:``/``hf://`` or a hub URL,
    ``@REV`` -- is no repo id to them: a local path, resolved wherever the adapter is loaded."""
    if not _REPO_ID.fullmatch(name) or "--" in name or ".." in name:
        return None
    if name.lower().endswith(".git"):
        return None
    return name.lower()


def source_repo_id(source: str) -> str | None:
    """The hub repository a registry ``source`` or a ``--base`` names: ``hf://ORG/NAME[@REV]``,
    ``hf:ORG/NAME`` or a hub URL (``.../ORG/NAME/tree/REV``); None for anything else. Only for
    names Airlock's own operator gives: an adapter's config is read by :func:`repo_id`."""
    low = source.lower()
    prefix = next((p for p in HUB_PREFIXES if low.startswith(p)), None)
    if prefix is None:
        return None
    s = source[len(prefix) :].split("@", 1)[0]
    if prefix.startswith("http"):
        s = "/".join(s.split("/")[:2])  # ORG/NAME/tree/REV
    return repo_id(s)


def same_base(a: str, b: str) -> bool:
    """The same base: the same repo id (case aside), or, for names that are no repo id (local
    paths), the same text."""
    ida, idb = repo_id(a), repo_id(b)
    return ida == idb if ida is not None and idb is not None else a == b


_FULL_COMMIT = re.compile(r"[0-9a-fA-F]{40}")


def commit_id(revision: str) -> str:
    """``revision`` lower-cased when it is a full 40-hex commit id, else "" (a branch, a tag,
    ``refs/pr/N`` or an abbreviated commit names no fixed content: the hub resolves each when
    the base is loaded)."""
    return revision.lower() if _FULL_COMMIT.fullmatch(revision) else ""


def revision_problem(revision: str, base_commit: str) -> tuple[str, bool] | None:
    """Why the base peft loads at the config's ``revision`` is not shown to be the base reviewed
    at ``base_commit`` (the revision it was registered or judged at), and whether that is a
    mismatch (True) or a revision that cannot be compared (False); None when it is the same
    commit, or the config names no revision. Only a full commit id compares: no prefix, branch,
    tag or pull-request ref.

    No revision (peft's default, so nearly every published adapter) loads the base's default
    branch at load time; that is the repository reviewed, and what it holds then is the base's
    own matter (its weights go through the gate as any model's do), so it is said
    (:func:`unpinned_note`), not refused: refusing it would deny nearly every real adapter."""
    pinned = commit_id(base_commit)
    if not revision:
        return None
    said = repr(revision[:80])
    if pinned:
        if revision.lower() == pinned:
            return None
        what = "commit" if commit_id(revision) else "revision"
        why = f"peft loads the base at {what} {said}, not commit {pinned}"
        if not commit_id(revision):
            why += " (a branch, tag, pull-request ref or abbreviated commit is not a commit)"
        return why, True
    return f"peft loads the base at {said}; the base reviewed names no commit to compare", False


def unpinned_note(revision: str, base_commit: str) -> str | None:
    """What to say when the config pins no base revision and the base was reviewed at a commit:
    peft will load whatever the default branch holds at load time."""
    pinned = commit_id(base_commit)
    if revision or not pinned:
        return None
    return (f"the config pins no base revision: peft loads the base's default branch at load "
            f"time, which may have moved past commit {pinned[:12]} (set \"revision\": "
            f"\"{pinned}\" in {CONFIG} to pin it)")  # fmt: skip


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it is missing, unreadable or larger than ``limit``."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_bytes()
    except OSError:
        return None


def load_config(path: Path) -> AdapterConfig | None:
    """The adapter config in folder ``path`` (None: no readable config there). The one reader
    of a folder's config for scan, gate, trojan merge and registry; parsed once per content
    (the result is shared: do not modify it)."""
    raw = read_bounded(path / CONFIG, MAX_CONFIG_BYTES)
    return None if raw is None else config_from_bytes(raw)


@functools.lru_cache(maxsize=8)
def config_from_bytes(raw: bytes) -> AdapterConfig | None:
    """The adapter config of ``raw`` (None: not JSON, or too costly to parse)."""
    if len(raw) > MAX_CONFIG_BYTES or parse_cost(raw) > 64 * MAX_CONFIG_BYTES:
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


def is_config_path(path: str) -> bool:
    """Whether a manifest path is an adapter config: the root one, or one in a subfolder (peft's
    multi-adapter layout: ``save_pretrained`` puts every adapter but the default in a folder of
    its name, loaded with ``PeftModel.from_pretrained(base, repo, subfolder=NAME)``)."""
    return path == CONFIG or path.endswith("/" + CONFIG)


def config_base_fields(raw: bytes) -> tuple[str, str] | None:
    """(``base_model_name_or_path``, ``revision``) of a config's bytes, "" when absent; None when
    it is not a bounded JSON object. Only these two fields are read: module patterns are not
    compiled (the registry needs no more, and must not pay for more)."""
    if len(raw) > MAX_CONFIG_BYTES or parse_cost(raw) > 64 * MAX_CONFIG_BYTES:
        return None
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(doc, dict):
        return None
    base, rev = doc.get("base_model_name_or_path"), doc.get("revision")
    return (base[:500] if isinstance(base, str) else "", rev[:200] if isinstance(rev, str) else "")
