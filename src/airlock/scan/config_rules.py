"""Repository-level risks in Hugging Face style model directories.

``config.json``/``tokenizer_config.json`` ``auto_map`` (and custom pipelines) make
``transformers`` import Python from the repository — or from another repository — when the user
passes ``trust_remote_code=True``; sentence-transformers ``modules.json`` names classes to import;
chat templates ride in JSON and ``.jinja`` files; ``.py`` files are what remote code runs; native
executables and scripts have no business in a model repository; symlinks may point outside it.
The handlers (``json``, ``jinja``, ``python``, ``executable`` in ``airlock.scan.handlers``) and
the engine's walk (symlinks leaving the model) raise these rules.
"""

from __future__ import annotations

import json
from typing import Any

from airlock.formats.json_budget import parse_cost
from airlock.report import Finding, Severity
from airlock.scan.adapters import config_findings as adapter_config_findings
from airlock.scan.adapters import is_config_name
from airlock.scan.format_rules import Rule, short
from airlock.scan.handlers.common import object_name
from airlock.scan.interface import ScanContext, ScanOutcome, Source
from airlock.scan.jinja_rules import template_findings
from airlock.scan.keras_rules import issue_findings

HF_REF = "https://huggingface.co/docs/transformers/custom_models"

BAD_JSON = Rule(
    "AIR-CFG-000",
    Severity.LOW,
    "JSON config cannot be parsed",
    "A configuration file that does not parse cannot be judged; loaders fail or fall back.",
)
REMOTE_CODE = Rule(
    "AIR-CFG-001",
    Severity.HIGH,
    "Model config requires remote code",
    "auto_map / custom_pipelines make transformers import Python shipped with the model when"
    " trust_remote_code=True: the repository's code runs with the user's privileges.",
    HF_REF,
)
FOREIGN_CODE = Rule(
    "AIR-CFG-002",
    Severity.CRITICAL,
    "Model config pulls code from another repository",
    "An auto_map entry of the form 'owner/repo--module.Class' downloads and runs code from a"
    " different repository, which can change after this one was reviewed.",
    HF_REF,
)
TRUST_REMOTE = Rule(
    "AIR-CFG-003",
    Severity.MEDIUM,
    "Config turns trust_remote_code on",
    "A config that sets trust_remote_code=true makes downstream loaders run repository code"
    " without the user asking for it.",
    HF_REF,
)
MODULE_TYPE = Rule(
    "AIR-CFG-004",
    Severity.HIGH,
    "sentence-transformers modules.json imports a non-library class",
    "Each module 'type' is imported by sentence-transformers; a type outside the library is"
    " code from the repository or the environment.",
    "https://sbert.net/docs/sentence_transformer/usage/custom_models.html",
)
PY_RULES = {
    "process": Rule(
        "AIR-CFG-005",
        Severity.HIGH,
        "Repository Python code starts processes",
        "os.system/subprocess in code that trust_remote_code imports runs commands on the host.",
        HF_REF,
    ),
    "dynamic": Rule(
        "AIR-CFG-006",
        Severity.HIGH,
        "Repository Python code runs dynamic code",
        "eval/exec/__import__/pickle/marshal/ctypes run code that the reviewer cannot see.",
        HF_REF,
    ),
    "network": Rule(
        "AIR-CFG-007",
        Severity.MEDIUM,
        "Repository Python code uses the network",
        "Sockets and HTTP clients in model code can exfiltrate data or fetch a second stage.",
        HF_REF,
    ),
    "file": Rule(
        "AIR-CFG-008",
        Severity.LOW,
        "Repository Python code modifies files",
        "Deleting, moving or writing files is unusual in model code.",
        HF_REF,
    ),
    "obfuscation": Rule(
        "AIR-CFG-009",
        Severity.HIGH,
        "Repository Python code is obfuscated",
        "Encoded blobs and exec of decoded data hide what the code does from review.",
        HF_REF,
    ),
    "reflection": Rule(
        "AIR-CFG-010",
        Severity.MEDIUM,
        "Repository Python code reaches interpreter internals",
        "getattr on builtins, __subclasses__, __globals__ are ways around import review.",
        HF_REF,
    ),
    "syntax": Rule(
        "AIR-CFG-011",
        Severity.LOW,
        "Repository Python file cannot be analysed",
        "A Python file the scanner cannot parse cannot be judged.",
        HF_REF,
    ),
}
PY_SHIPPED = Rule(
    "AIR-CFG-012",
    Severity.LOW,
    "Python code shipped in the model repository",
    "trust_remote_code imports repository Python; review it before enabling remote code.",
    HF_REF,
)
EXECUTABLE = Rule(
    "AIR-CFG-013",
    Severity.HIGH,
    "Native executable in the model repository",
    "ELF/PE/Mach-O binaries are not model data; they are loaded by custom code or by the user.",
)
SCRIPT = Rule(
    "AIR-CFG-014",
    Severity.MEDIUM,
    "Shell script in the model repository",
    "Scripts are not model data and may be run by install instructions or custom code.",
)
SYMLINK = Rule(
    "AIR-CFG-015",
    Severity.HIGH,
    "Symlink leaves the model directory",
    "A loader following the link reads (or a copy step overwrites) a file outside the model.",
)

STANDARD_ST_MODULES = ("sentence_transformers.",)
MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_TEMPLATES = 100


def json_config_findings(doc: Any, location: str, member: str | None) -> list[Finding]:
    """Remote code, templates, trust_remote_code and Keras objects in one parsed JSON file."""
    from airlock.formats.keras import analyze_config, looks_like_keras_config

    out: list[Finding] = []
    if isinstance(doc, dict):
        out.extend(_auto_map(doc, location, member))
        out.extend(_templates(doc, location, member))
        if looks_like_keras_config(doc) and "module" in doc:
            out.extend(issue_findings(analyze_config(doc), location, member, "keras config"))
    if isinstance(doc, list):  # sentence-transformers modules.json
        for i, entry in enumerate(doc[:10_000]):
            if isinstance(entry, dict) and isinstance(entry.get("type"), str):
                t = entry["type"]
                if not t.startswith(STANDARD_ST_MODULES):
                    ev = f"modules[{i}] type {t!r}"
                    out.append(MODULE_TYPE.finding(location, ev, member=member))
    out.extend(_trust_remote(doc, location, member))
    if is_config_name(location, member):  # a PEFT adapter's own config rules
        out.extend(adapter_config_findings(doc, location, member))
    return out


def _auto_map(doc: dict[str, Any], location: str, member: str | None) -> list[Finding]:
    out: list[Finding] = []
    refs: list[str] = []
    for key in ("auto_map", "custom_pipelines"):
        value = doc.get(key)
        if value is None:
            continue
        stack: list[Any] = [value]
        while stack and len(refs) < 1000:
            v = stack.pop()
            if isinstance(v, str):
                refs.append(v)
            elif isinstance(v, dict):
                stack.extend(v.values())
            elif isinstance(v, list):
                stack.extend(v)
        if not refs:
            refs.append(f"{key} present")
        out.append(REMOTE_CODE.finding(location, f"{key}: {short(value, 300)}", member=member))
    for ref in refs:
        if "--" in ref:
            repo = ref.split("--", 1)[0]
            ev = f"code reference {ref!r} loads from repository {repo!r}"
            out.append(FOREIGN_CODE.finding(location, ev, member=member))
    return out


def _templates(doc: dict[str, Any], location: str, member: str | None) -> list[Finding]:
    value = doc.get("chat_template")
    out: list[Finding] = []
    if isinstance(value, str):
        out.extend(template_findings(value, location, member=member, label="chat_template"))
    elif isinstance(value, list):
        for i, item in enumerate(value[:MAX_TEMPLATES]):
            if isinstance(item, dict) and isinstance(item.get("template"), str):
                label = f"chat_template[{item.get('name', i)!s}]"
                out.extend(
                    template_findings(item["template"], location, member=member, label=label)
                )
    return out


def _trust_remote(doc: Any, location: str, member: str | None) -> list[Finding]:
    stack: list[tuple[Any, int]] = [(doc, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > 1_000_000 or depth > 64:
            break
        if isinstance(node, dict):
            if node.get("trust_remote_code") is True:
                ev = "trust_remote_code: true"
                return [TRUST_REMOTE.finding(location, ev, member=member)]
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return []


def json_outcome(src: Source, ctx: ScanContext) -> ScanOutcome:
    """A JSON object judged by the config rules (bounded: size and estimated parse cost); shared
    by the JSON handler, shard indexes and ``keras_metadata.pb`` files that are JSON."""
    name = object_name(src, ctx)
    limit = min(MAX_JSON_BYTES, ctx.limits.max_json_bytes)
    if src.size > limit:
        return ScanOutcome(format="json", not_scanned=f"JSON larger than {limit} bytes")
    raw = bytes(src.view())
    cost = parse_cost(raw)
    if cost > ctx.limits.max_resident_bytes:
        why = f"JSON would need ~{cost >> 20} MiB to parse (memory budget)"
        return ScanOutcome(format="json", not_scanned=why)
    try:
        doc = json.loads(raw)
    except RecursionError:
        f = BAD_JSON.finding(ctx.location, f"{name}: nested too deeply", member=ctx.member)
        return ScanOutcome(format="json", findings=[f])
    except (ValueError, UnicodeDecodeError) as exc:
        if name.endswith(".json"):
            f = BAD_JSON.finding(ctx.location, f"{name}: {exc}", member=ctx.member)
            return ScanOutcome(format="json", findings=[f])
        return ScanOutcome(format="text")
    return ScanOutcome(
        format="json", findings=json_config_findings(doc, ctx.location, ctx.member)
    )
