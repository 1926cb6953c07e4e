"""PEFT adapter folders as models of their own kind in a scan.

Each file of an adapter is judged by its handler like any other (``adapter_model.safetensors``
is data, ``adapter_model.bin`` a pickle); the config rules below judge ``adapter_config.json``
from the bytes the JSON handler read. What only the folder as a whole can tell -- which base
the adapter claims (config and card), whether its tensors are the LoRA pairs its config
describes -- is :func:`describe_adapters`, run by the engine and the gate after the file walk.
The adapted model's *behaviour* is never judged here: that needs the base (``--base``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any

from airlock.formats import peft
from airlock.formats.safe_regex import UnsafePattern
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule

PEFT_REF = "https://huggingface.co/docs/peft/package_reference/config"

CODE = Rule(
    "AIR-ADP-001",
    Severity.HIGH,
    "Adapter config makes peft import code",
    "AutoPeftModel imports auto_mapping.parent_library and takes base_model_class from it; "
    "a module outside transformers (or custom modules, auto_map, trust_remote_code) is code "
    "named by the adapter, run when it is loaded.",
    PEFT_REF,
)
TYPE = Rule(
    "AIR-ADP-002",
    Severity.MEDIUM,
    "Adapter type is unknown",
    "peft refuses an adapter type it does not know; Airlock cannot check how it would patch "
    "the base, so its fit to the base is not judged.",
    PEFT_REF,
)
BOUNDS = Rule(
    "AIR-ADP-003",
    Severity.MEDIUM,
    "Adapter rank or scale out of bounds",
    "r must be a positive integer and lora_alpha / r a modest factor: a huge scale makes a "
    "small delta swamp the base weights, which no honest fine-tune needs.",
    PEFT_REF,
)
TARGETS = Rule(
    "AIR-ADP-004",
    Severity.MEDIUM,
    "Adapter target_modules is malformed",
    "target_modules names the base modules the adapter patches (names, or one regular "
    "expression peft matches in full); anything else cannot be checked against the base.",
    PEFT_REF,
)
WEIGHTS = Rule(
    "AIR-ADP-005",
    Severity.MEDIUM,
    "Adapter weights do not match its config",
    "The LoRA tensors must come in A/B pairs of the configured rank on targeted modules; "
    "tensors the config does not describe patch the base in ways the config hides.",
    PEFT_REF,
)
BASES = Rule(
    "AIR-ADP-006",
    Severity.MEDIUM,
    "Adapter names different bases in its config and card",
    "peft loads the config's base_model_name_or_path; a card claiming another base misleads "
    "the reviewer about which model is being patched.",
    PEFT_REF,
)
NO_BASE = Rule(
    "AIR-ADP-007",
    Severity.LOW,
    "Adapter names no base repository",
    "Without a base name, or with a local path for one, the deployment chooses the base (its "
    "folder of that name); nothing ties it to the base reviewed: record which base that was.",
    PEFT_REF,
)

PATTERN = Rule(
    "AIR-ADP-008",
    Severity.HIGH,
    "Adapter module pattern cannot be judged",
    "peft matches a string target_modules and the keys of rank_pattern / alpha_pattern as "
    "Python regular expressions against every module name when it loads the adapter: nested "
    "repetition can hang that load for hours. A pattern Airlock's linear matcher cannot run "
    "(backreferences, lookbehind, lookahead past the start) leaves which modules it patches, "
    "and at what scale, unknown.",
    PEFT_REF,
)
BASE_MISMATCH = Rule(
    "AIR-ADP-009",
    Severity.HIGH,
    "Adapter loads another base than the one judged",
    "peft fetches the base named in base_model_name_or_path when the adapter is loaded; "
    "the base the adapter was judged on (check --base) must be that repository, or the "
    "behaviour judged is another model's. A local path names no repository and cannot be "
    "compared: suppress this rule in the policy file to accept it.",
    PEFT_REF,
)

_CONFIG_RULES = {"code": CODE, "type": TYPE, "bounds": BOUNDS, "targets": TARGETS,
                 "pattern": PATTERN}  # fmt: skip
BEHAVIOUR_NOT_JUDGED = (
    "the adapted model's behaviour was not judged: that needs the base (check --base BASE, "
    "or airlock trojan ADAPTER --base BASE)"
)


def is_config_name(location: str, member: str | None) -> bool:
    name = (member or location).replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    return name == peft.CONFIG


def config_findings(doc: Any, location: str, member: str | None) -> list[Finding]:
    """What is wrong with one parsed ``adapter_config.json`` (the JSON handler's bytes)."""
    cfg = peft.parse_config(doc)
    return [_CONFIG_RULES[p.kind].finding(location, p.message, member=member) for p in cfg.problems]


def _weights_problems(cfg: peft.AdapterConfig, names: Iterable[tuple[str, tuple[int, ...]]]
                      ) -> tuple[list[str], int, int]:  # fmt: skip
    """(problems, LoRA modules, other tensors) of a LoRA adapter's tensor names and shapes."""
    halves: dict[str, dict[str, tuple[int, ...]]] = {}
    other = 0
    hidden: list[str] = []
    for name, shape in names:
        m = peft.LORA_TENSOR.match(name) or peft.LORA_EMBEDDING.match(name)
        if m is None:
            other += 1
            module = name.rsplit(".", 1)[0].removeprefix("base_model.model.")
            if not any(module == s or module.endswith("." + s) for s in cfg.saved):
                # peft loads it into the base all the same (strict=False): a weight replaced
                # outside LoRA and outside modules_to_save, which the config does not show
                hidden.append(name)
            continue
        mod = m.group("module").removeprefix("base_model.model.")
        halves.setdefault(mod, {})[m.group("half")] = shape
    problems: list[str] = []
    for mod, h in sorted(halves.items()):
        if set(h) != {"A", "B"}:
            problems.append(f"{mod}: only lora_{''.join(sorted(h))}")
            continue
        a, b = h["A"], h["B"]
        if len(a) < 2 or len(b) < 2:
            problems.append(f"{mod}: factors {list(a)} / {list(b)} are not matrices")
        else:
            want = cfg.module_rank(mod)  # r, or the rank_pattern rank peft gives this module
            if a[0] != b[1] or (want is not None and a[0] != want):
                problems.append(f"{mod}: A {list(a)} / B {list(b)} are not rank {want or '?'}")
        if not peft.targeted(cfg, mod):
            problems.append(f"{mod}: not among target_modules")
    if hidden:
        shown = ", ".join(hidden[:5]) + (" ..." if len(hidden) > 5 else "")
        problems.append(f"{len(hidden)} tensor(s) outside LoRA and modules_to_save: {shown}")
    if not halves:
        problems.append("no LoRA tensors")
    return problems, len(halves), other


def describe_adapter(folder: Path, display: str) -> tuple[dict[str, Any], list[Finding]]:
    """The adapter model in ``folder``: kind, claimed bases, weights; folder-level findings."""
    cfg = peft.load_config(folder)
    cards = peft.card_bases(folder)
    out: list[Finding] = []
    info: dict[str, Any] = {
        "path": display,
        "kind": "adapter",
        "config": cfg.to_json() if cfg else None,
        "base": {"config": cfg.base if cfg else "", "card": cards},
        "weights": None,
        "behaviour": BEHAVIOUR_NOT_JUDGED,
    }
    if cfg is None:  # unreadable config: the JSON handler reports why
        return info, out
    if not cfg.base and not cards:
        out.append(NO_BASE.finding(display, f"{peft.CONFIG} has no base_model_name_or_path"))
    elif cfg.base and peft.repo_id(cfg.base) is None:
        why = (f"base_model_name_or_path {cfg.base[:200]!r} is not exactly a hub repo id: "
               "transformers reads it as a local path")  # fmt: skip
        out.append(NO_BASE.finding(display, why))
    elif peft.repo_id(cfg.base) is not None and (folder / cfg.base).is_dir():
        why = (
            f"a folder {cfg.base!r} ships inside the adapter: loaded from a working "
            "directory holding it, transformers takes that folder, not the hub repository"
        )
        out.append(NO_BASE.finding(display, why))  # fmt: skip
    if cfg.base and cards and not any(peft.same_base(cfg.base, c) for c in cards):
        ev = f"config: {cfg.base!r}; card: {', '.join(repr(c) for c in cards)}"
        out.append(BASES.finding(display, ev))
    weights = next((w for w in peft.WEIGHT_FILES if (folder / w).is_file()), None)
    where = f"{display}/{weights}" if weights else display
    if weights is None:
        out.append(WEIGHTS.finding(display, f"no {' or '.join(peft.WEIGHT_FILES)}"))
        return info, out
    winfo: dict[str, Any] = {"file": weights, "checked": False}
    info["weights"] = winfo
    if weights.endswith(".bin"):
        winfo["format"] = "pickle"
        winfo["note"] = "a pickle: judged by the pickle scan; tensor shapes not read"
        return info, out
    winfo["format"] = "safetensors"
    if cfg.peft_type != "LORA":
        winfo["note"] = f"{cfg.peft_type or '?'} tensors are not checked against the config"
        return info, out
    from airlock.errors import FormatError
    from airlock.formats.safetensors import open_model

    try:
        model = open_model(folder / weights)
        names = [(n, tuple(model.info(n).shape)) for n in model.names()]
    except (FormatError, OSError) as exc:  # the safetensors handler reports the file itself
        winfo["note"] = f"header not read: {str(exc)[:200]}"
        return info, out
    try:
        problems, modules, other = _weights_problems(cfg, names)
    except UnsafePattern as exc:  # a pattern past the matcher's work bound
        out.append(PATTERN.finding(display, f"module patterns not judged: {exc}"))
        winfo["note"] = "module patterns not judged"
        return info, out
    winfo.update(checked=True, modules=modules, other_tensors=other)
    if problems:
        out.append(WEIGHTS.finding(where, "; ".join(problems[:10])))
    return info, out


def describe_adapters(
    files: Sequence[tuple[Path, str]],
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Every adapter folder among the walked ``files`` (path, display), once each. Names and
    folders are the display layout's, the folder peft loads: in a Hugging Face cache snapshot
    each path is a link resolved to a blob named by its hash, and the snapshot folder is read."""
    models: list[dict[str, Any]] = []
    findings: list[Finding] = []
    seen: set[PurePath] = set()
    for _path, display in files:
        shown = PurePath(display)
        if shown.name != peft.CONFIG or shown.parent in seen:
            continue
        seen.add(shown.parent)
        folder_display = display[: -len(peft.CONFIG)].rstrip("/\\") or "."
        info, found = describe_adapter(Path(shown.parent), folder_display)
        models.append(info)
        findings.extend(found)
    return models, findings
