"""Config keys other than Hydra's ``_target_`` that name a class a loader imports and calls.

AIR-CFG-023, jsonargparse / Lightning: ``LightningCLI --config config.yaml`` (the
``config.yaml`` that ``SaveConfigCallback`` writes next to the checkpoints) imports every
``class_path`` (the module's top-level code runs before jsonargparse checks the class against
the parameter's type) and instantiates it with ``init_args``/``dict_kwargs``;
``LightningModule.load_from_checkpoint(hparams_file=...)`` reads ``hparams.yaml``, whose
``_instantiator`` Lightning up to 2.6 imported and called with ``_class_path`` and the hparams
(2.6.x allows two instantiators and only imported subclasses).

jsonargparse also imports a plain dotted string given to a class- or callable-typed parameter
(``model: mypkg.Net``): in a file marked as a LightningCLI/jsonargparse config (``class_path``,
``init_args``, the ``# lightning.pytorch==`` header SaveConfigCallback writes, a top-level
``seed_everything``, or ``trainer`` with ``model``/``data`` under any YAML name), YAML or JSON,
every scalar that looks like an import path is judged the same way, wherever YAML puts the
value (next line, block scalar, after a tag or anchor).

AIR-CFG-024, NeMo: ``ModelPT.restore_from`` reads ``model_config.yaml`` from the ``.nemo`` tar
and ``Serialization.from_config_dict`` (for the model and each sub-config) imports the dotted
name under ``target`` (no Hydra involved: it is not ``_target_``) and calls it with
``cfg=config``.

Values are judged like Hydra ``_target_`` (:func:`airlock.scan.hydra_rules.judge`): exact inert
torch classes pass, a class of the model frameworks' own packages (NeMo, pyannote; Lightning's
callbacks, loggers, profilers, plugins for ``class_path``) is medium, anything else high (an
honest config naming the user's own model class too: that class is code from outside the
model), critical for the standard library, processes, files, imports and deserialisers. A value
that is not a plain dotted name cannot be judged: high. No YAML library: keys are found in the
text (escapes decoded) by regexes that never cross a line (linear on hostile input); JSON
configs are walked after parsing."""

from __future__ import annotations

import re
import sys
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan import hydra_rules
from airlock.scan.format_rules import Rule

CLASS_PATH = Rule(
    "AIR-CFG-023",
    Severity.HIGH,
    "Lightning/jsonargparse config names a class to import and instantiate (class_path)",
    "LightningCLI (jsonargparse) imports every class_path of a config.yaml and instantiates it"
    " with init_args; Lightning's load_from_checkpoint(hparams_file=...) imported and called the"
    " hparams' _instantiator: only inert torch classes are allowed, Lightning's own classes are"
    " medium, anything else runs code the config chose.",
    "https://lightning.ai/docs/pytorch/stable/cli/lightning_cli_advanced_3.html",
)
NEMO_TARGET = Rule(
    "AIR-CFG-024",
    Severity.HIGH,
    "NeMo model_config.yaml names a class to import and call (target)",
    "NeMo's restore_from passes model_config.yaml (and each sub-config) to"
    " Serialization.from_config_dict, which imports the dotted name under 'target' and calls it"
    " with cfg=config: only NeMo's own classes (medium) and inert torch classes are expected.",
    "https://docs.nvidia.com/nemo-framework/user-guide/latest/nemotoolkit/core/core.html",
)

PIPELINE = Rule(
    "AIR-CFG-025",
    Severity.HIGH,
    "pyannote pipeline config names a class to import and call (pipeline/preprocessors name)",
    "pyannote.audio's Pipeline.from_pretrained reads config.yaml, imports pipeline.name and calls"
    " it with pipeline.params, and imports and calls each preprocessors.<key>.name with its"
    " params (os.system(command=...) fits): pyannote's own classes are medium, anything else"
    " runs code the config chose.",
    "https://github.com/pyannote/pyannote-audio",
)

INSTANTIATORS = frozenset(
    {"lightning.pytorch.cli.instantiate_module", "pytorch_lightning.cli.instantiate_module"}
)
LIGHTNING_PREFIXES = (
    "lightning.pytorch.callbacks.", "lightning.pytorch.loggers.", "lightning.pytorch.profilers.",
    "lightning.pytorch.plugins.", "lightning.pytorch.strategies.", "lightning.pytorch.cli.",
    "pytorch_lightning.callbacks.", "pytorch_lightning.loggers.", "pytorch_lightning.profilers.",
    "pytorch_lightning.plugins.", "pytorch_lightning.strategies.", "pytorch_lightning.cli.",
)  # fmt: skip
_CLASS_WORD = re.compile(r"(?<![A-Za-z0-9_])(?:_?class_path|_instantiator)(?![A-Za-z0-9_])")
_CLASS_KEYS = ("class_path", "_class_path", "_instantiator")
# NeMo's keys are ordinary words: only where YAML may have a key (block or flow mapping, list
# item, complex key ``? target``, after a tag or anchor), followed by ``:`` (adjacent after a
# quoted key: ``{"target":x}``) or, for a complex key, by ``:`` at the start of a later line
# (checked line by line in hydra_rules.key_pairs, never by a regex crossing lines). ``cls`` is
# NeMo's legacy spelling, which its _convert_config renames to ``_target_``. An alias as a key
# (``*k :`` with ``&k cls`` elsewhere) is judged like ``target``: its anchor is not resolved.
_TARGET_KEY = re.compile(
    r"""(?:^[ \t]*(?:[-?][ \t]+)*|[{,?][ \t]*)(?:[!&][^\s,{}\[\]]*[ \t]+){0,4}["']?"""
    r"""(?:target|cls|\*[^\s,{}\[\]]+?)(?=["']?[ \t]*(?::|#|\r?$))""",
    re.MULTILINE,
)
NEMO_CONFIGS = ("model_config.yaml", "model_config.yml")
# jsonargparse also imports a plain dotted string given to a class- or callable-typed parameter
# (``model: mypkg.Net`` = ``class_path: mypkg.Net``); the type is unknown here, so in a file that
# is a LightningCLI/jsonargparse config every scalar that looks like an import path is judged: a
# class (last part capitalised) or a name under a module root Python ships or the policy names
_CLI_MARKER = re.compile(
    r"class_path|init_args|_instantiator|^#[ \t]*(?:lightning\.pytorch|pytorch_lightning)=="
    r"|^seed_everything[ \t]*:",
    re.MULTILINE,
)
# LightningCLI's top-level sections, in a file named config.yaml (LightningCLI's --config name),
# or ``trainer:`` with ``model:``/``data:`` in any YAML file (``--config fit.yaml`` takes any name)
_CLI_KEYS = re.compile(r"^(?:model|data|trainer|optimizer|lr_scheduler)[ \t]*:", re.MULTILINE)
_CLI_TRAINER = re.compile(r"^trainer[ \t]*:", re.MULTILINE)
_CLI_MODEL = re.compile(r"^(?:model|data)[ \t]*:", re.MULTILINE)
# a dotted scalar where YAML has a value: after ``key:`` (and a tag/anchor), a flow ``[{,``, a
# list item, or alone on its line (a value on the next line, a folded/literal block's line); at
# most four properties (linear: each property run is read by a bounded number of starts), the
# lookahead never reads a comment
_SCALAR_PATH = re.compile(
    r"""(?:^[ \t]*(?:-[ \t]+)*|:[ \t]+|[\[{,][ \t]*)(?:[!&][^\s,{}\[\]]*[ \t]+){0,4}"""
    r"""["']?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)["']?(?=[ \t]+#|[ \t]*\r?$|[ \t]*[,}\]])""",
    re.MULTILINE,
)
_JUDGED_KEY = re.compile(
    r"""(?<![A-Za-z0-9_])(?:_target_|_?class_path|_instantiator)["']?[ \t]*:[ \t]*$"""
)
_NEMO_JUDGED_KEY = re.compile(
    r"""(?<![A-Za-z0-9_])(?:_target_|_?class_path|_instantiator|target|cls)["']?[ \t]*:[ \t]*$"""
)
_IMPORT_ROOTS = frozenset({*sys.stdlib_module_names, *hydra_rules.DANGEROUS_ROOTS, "torch",
                           "lightning", "pytorch_lightning", "numpy", "jsonargparse"})  # fmt: skip
DOC_SUFFIXES = hydra_rules.DOC_SUFFIXES


def judge_class(key: str, value: str) -> Severity | None:
    """The severity of a ``class_path``/``_class_path``/``_instantiator`` value (``None``:
    allowed)."""
    plain = hydra_rules._DOTTED.fullmatch(value) is not None
    if not plain:
        return Severity.HIGH
    if key == "_instantiator":
        if value in INSTANTIATORS:
            return None
        return max(hydra_rules.judge(value) or Severity.HIGH, Severity.HIGH)
    sev = hydra_rules.judge(value)
    last = value.rsplit(".", 1)[-1]
    if sev == Severity.HIGH and value.startswith(LIGHTNING_PREFIXES) and last[:1].isupper():
        return Severity.MEDIUM
    return sev


def judge_target(value: str) -> Severity | None:
    """The severity of a NeMo ``target`` value. A number, or a name without a dot, imports
    nothing (``import_class_by_path`` fails, NeMo falls back to the caller's class): ``None``;
    an interpolation (resolved before the import), an alias, a tag or a block scalar cannot be
    judged: high."""
    if hydra_rules._DOTTED.fullmatch(value) is None:
        computed = value.startswith(("<", "*", "&", "!", "|", ">")) or "${" in value
        return Severity.HIGH if computed else None
    if "." not in value:
        return None
    return hydra_rules.judge(value)


def _findings(
    rule: Rule, pairs: list[tuple[str, str, str]], location: str, member: str | None
) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for where, key, value in pairs:
        key = key.strip("{,-? \t\"'").rsplit(" ", 1)[-1]
        if (key, value) in seen:
            continue
        if len(seen) >= hydra_rules.MAX_TARGETS:  # fail closed
            ev = f"{where}: {key} {hydra_rules.TOO_MANY}"
            out.append(rule.finding(location, ev, member=member, severity=Severity.HIGH))
            break
        seen.add((key, value))
        sev = judge_target(value) if rule is NEMO_TARGET else judge_class(key, value)
        if sev is None:
            continue
        plain = hydra_rules._DOTTED.fullmatch(value) is not None
        what = (
            f"{key} {value!r} is imported and called at load"
            if plain
            else f"{key} value {value[:80]!r} is not a plain dotted name: cannot be judged"
        )
        out.append(rule.finding(location, f"{where}: {what}", member=member, severity=sev))
    return out


def _looks_imported(value: str) -> bool:
    """A class (last part capitalised) or a name under a module root Python ships or the policy
    names; not a file name (best.ckpt) or a dotted word."""
    parts = value.split(".")
    return parts[-1][:1].isupper() or parts[0] in _IMPORT_ROOTS


def _import_strings(
    text: str, location: str, member: str | None, name: str, judged: set[str]
) -> list[Finding]:
    """Scalars of a LightningCLI/jsonargparse config that jsonargparse would import when the
    parameter is class- or callable-typed (judged like ``class_path``). A value under
    ``target``/``cls`` is skipped only in a NeMo config, where AIR-CFG-024 judges it."""
    pairs: list[tuple[str, str, str]] = []
    seen = set(judged)
    judged_key = _NEMO_JUDGED_KEY if _nemo_config(name) else _JUDGED_KEY
    line, last = 1, 0
    for m in _SCALAR_PATH.finditer(text):
        value = m.group(1)
        if value in seen or not _looks_imported(value):
            continue
        if judged_key.search(text, max(0, m.start() - 40), m.start(1)):
            continue  # a _target_/class_path value on this line: judged by its own rule
        seen.add(value)
        line += text.count("\n", last, m.start())
        last = m.start()
        pairs.append((f"{name} line {line} (plain string, imported when class-typed)", "value",
                      value))  # fmt: skip
    return _findings(CLASS_PATH, pairs, location, member)


def _cli_config(text: str, name: str) -> bool:
    """A LightningCLI/jsonargparse config: marked, or LightningCLI's sections in config.yaml or
    (``trainer`` with ``model``/``data``) in any YAML file."""
    if _CLI_MARKER.search(text) is not None:
        return True
    base = name.rsplit("/", 1)[-1].lower()
    if base in PIPELINE_CONFIGS and _CLI_KEYS.search(text) is not None:
        return True
    return base.endswith((".yaml", ".yml")) and bool(
        _CLI_TRAINER.search(text) and _CLI_MODEL.search(text)
    )


def _nemo_config(name: str) -> bool:
    return name.rsplit("/", 1)[-1].lower() in NEMO_CONFIGS


def text_findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """``class_path``/``_instantiator`` keys in any config text, NeMo ``target`` keys in
    ``model_config.yaml``."""
    if name.lower().endswith(DOC_SUFFIXES):
        return []
    text = hydra_rules.decode_escapes(text)
    out: list[Finding] = []
    judged: set[str] = set()
    if "class_path" in text or "_instantiator" in text:
        pairs = hydra_rules.key_pairs(text, name, _CLASS_WORD)
        judged = {value for _, _, value in pairs}
        out += _findings(CLASS_PATH, pairs, location, member)
    if _cli_config(text, name):
        out += _import_strings(text, location, member, name, judged)
    if _nemo_config(name) and ("target" in text or "cls" in text or "*" in text):
        pairs = hydra_rules.key_pairs(text, name, _TARGET_KEY, keys_only=True)
        out += _findings(NEMO_TARGET, pairs, location, member)
    if "pipeline" in text:
        out += pipeline_findings(text, location, member, name)
    return out


_JSON_JUDGED = frozenset({"_target_", *_CLASS_KEYS})
_JSON_MARKS = frozenset({"class_path", "init_args", "_instantiator"})


def _json_cli(doc: Any, marked: bool) -> bool:
    """A jsonargparse config read from JSON (``--config x.json``): a class_path/init_args/
    _instantiator key anywhere, or a top-level seed_everything, or trainer with model/data."""
    if marked:
        return True
    if not isinstance(doc, dict):
        return False
    return "seed_everything" in doc or ("trainer" in doc and ("model" in doc or "data" in doc))


def json_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """The same keys at any depth of a parsed JSON document (bounded walk); in a jsonargparse
    config also every string that looks like an import path (as in YAML text)."""
    nemo_names = ("target", "cls") if _nemo_config(name) else ()
    keys = _CLASS_KEYS + nemo_names
    skip = _JSON_JUDGED | set(nemo_names)
    pairs: dict[str, list[tuple[str, str, str]]] = {"class": [], "target": []}
    strings: list[str] = []
    marked = False
    stack: list[Any] = [doc]
    nodes = 0
    while stack and nodes < hydra_rules.MAX_WALK_NODES:
        node = stack.pop()
        nodes += 1
        if isinstance(node, dict):
            for key in keys:
                if key in node:
                    v = node[key]
                    value = v if isinstance(v, str) else repr(v)[:80]
                    nemo = key in ("target", "cls")
                    if nemo and not isinstance(v, str):
                        continue  # NeMo imports strings only
                    pairs["target" if nemo else "class"].append((name, key, value))
            marked = marked or not _JSON_MARKS.isdisjoint(node)
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    stack.append(v)
                elif isinstance(v, str) and k not in skip and len(strings) < _MAX_STRINGS:
                    strings.append(v)
        elif isinstance(node, list):
            for v in node:
                if isinstance(v, (dict, list)):
                    stack.append(v)
                elif isinstance(v, str) and len(strings) < _MAX_STRINGS:
                    strings.append(v)
    if stack:
        pairs["class"].append((name, "class_path", "<document too large to walk>"))
    out = _findings(CLASS_PATH, pairs["class"], location, member)
    out += _findings(NEMO_TARGET, pairs["target"], location, member)
    if _json_cli(doc, marked):
        judged = {value for _, _, value in pairs["class"]}
        where = f"{name} (plain string, imported when class-typed)"
        plain = [
            (where, "value", v)
            for v in dict.fromkeys(strings)
            if v not in judged and _DOTTED_PATH.fullmatch(v) and _looks_imported(v)
        ]
        out += _findings(CLASS_PATH, plain, location, member)
    return out


_MAX_STRINGS = 1_000_000
_DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


PIPELINE_CONFIGS = ("config.yaml", "config.yml")
_LINE = re.compile(
    r"""^( *)(?:"([^"]*)"|'([^']*)'|([^\s:#'"{}\[\]][^:#]*?))[ \t]*:(?:[ \t]+(.*))?$"""
)
MAX_LINES = 200_000


def _pipeline_severity(value: str) -> Severity | None:
    """A pyannote class name: a bare name is looked up in pyannote's own default module; a
    dotted one is imported (pyannote's classes medium, like a Hydra target)."""
    if hydra_rules._DOTTED.fullmatch(value) is None:
        return Severity.HIGH
    if "." not in value:
        return None
    sev = hydra_rules.judge(value)
    last = value.rsplit(".", 1)[-1]
    if sev == Severity.HIGH and value.startswith("pyannote.") and last[:1].isupper():
        return Severity.MEDIUM
    return sev


def pipeline_findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """pyannote ``config.yaml``: ``pipeline.name`` and ``preprocessors.<key>.name`` (block
    style read by indentation; flow style, anchors, aliases, tags or merge keys inside those
    sections cannot be judged: high)."""
    if name.rsplit("/", 1)[-1].lower() not in PIPELINE_CONFIGS:
        return []
    text = hydra_rules.decode_escapes(text)
    if re.search(r"^[\"']?pipeline[\"']?[ \t]*:", text, re.MULTILINE) is None:
        return []
    out: list[Finding] = []
    stack: list[tuple[int, str]] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines()[:MAX_LINES], 1):
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            section = stack[0][1] if stack else ""
            hidden = section in ("pipeline", "preprocessors") and "name" in body
            if hidden and line[:1] in (" ", "-"):
                ev = f"{name} line {n}: {body[:80]!r} cannot be judged (not a block-style key)"
                out.append(PIPELINE.finding(location, ev, member=member))
            continue
        indent = len(m.group(1))
        key = m.group(2) if m.group(2) is not None else m.group(3) or (m.group(4) or "")
        value = (m.group(5) or "").strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        path = [k for _, k in stack]
        if path[0] not in ("pipeline", "preprocessors"):
            continue
        flow = value[:1] in ("{", "[") and "name" in value
        if key == "<<" or value[:1] in ("&", "*", "!") or flow:
            ev = f"{name} line {n}: {body[:80]!r} cannot be judged (flow, anchor, alias or tag)"
            out.append(PIPELINE.finding(location, ev, member=member))
            continue
        named = path == ["pipeline", "name"] or (
            len(path) == 3 and path[0] == "preprocessors" and key == "name"
        )
        if not named:
            continue
        v = value
        if v[:1] in ("'", '"'):
            end = v.rfind(v[0])
            v = v[1:end] if end > 0 else v[1:]
        else:
            v = re.split(r"[ \t]#", v, maxsplit=1)[0].strip()
        if v in seen:
            continue
        seen.add(v)
        sev = _pipeline_severity(v)
        if sev is not None:
            ev = f"{name} line {n}: {'.'.join(path)} {v[:120]!r} is imported and called at load"
            out.append(PIPELINE.finding(location, ev, member=member, severity=sev))
    return out
