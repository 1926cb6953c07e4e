"""Rules for Keras configs, wherever they ride: ``.keras`` zips, legacy HDF5 ``model_config``,
``keras_metadata.pb`` nodes and JSON configs (handlers ``keras``, ``hdf5``, ``keras-metadata``,
``json``). The config walker is ``airlock.formats.keras``; this module maps its issues to rules.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from airlock.formats.keras import (
    KerasConfigError,
    KerasIssue,
    analyze_config,
    build_estimate,
    looks_like_keras_config,
    parse_config,
    torch_module_payloads,
)
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import Child, Unparseable

KERAS_REF = "https://keras.io/guides/serialization_and_saving/"

UNPARSEABLE = Rule(
    "AIR-KERAS-000",
    Severity.HIGH,
    "Keras model config cannot be parsed",
    "A config the scanner cannot read cannot be judged; Keras may still deserialise it.",
    KERAS_REF,
    blocks=True,
)
LAMBDA_BYTECODE = Rule(
    "AIR-KERAS-001",
    Severity.CRITICAL,
    "Keras Lambda layer carries marshalled Python bytecode",
    "Keras rebuilds the function with marshal.loads and runs it when the layer is called (or"
    " at load time); the bytecode can do anything Python can.",
    "CVE-2024-3660; CVE-2025-9905 (HDF5 ignores safe_mode)",
)
FOREIGN_MODULE = Rule(
    "AIR-KERAS-002",
    Severity.HIGH,
    "Keras config references code outside Keras",
    "Deserialisation imports the named module and calls the named class or function with"
    " arguments from the file: an arbitrary call when the module is os, subprocess, builtins...",
    "CVE-2025-1550 (GHSA-48g7-3x6r-xfhp)",
)
GADGET = Rule(
    "AIR-KERAS-003",
    Severity.CRITICAL,
    "Keras config calls a file, network or loader function",
    "Functions inside Keras such as get_file, load_model or enable_unsafe_deserialization,"
    " used as layer functions or initializers, download/overwrite files or switch safe mode off.",
    "CVE-2025-8747 (GHSA-c9rc-mg46-23w3), CVE-2025-9906",
)
LAMBDA_LAYER = Rule(
    "AIR-KERAS-004",
    Severity.HIGH,
    "Keras model contains a Lambda layer",
    "Lambda layers call an arbitrary function named by the file; only safe when the function is"
    " known and trusted.",
    KERAS_REF,
)
UNSAFE_TOGGLE = Rule(
    "AIR-KERAS-005",
    Severity.CRITICAL,
    "Keras config switches safe mode off",
    "safe_mode=false or enable_unsafe_deserialization inside a model disables the loader's only"
    " protection for everything that follows in the same file or process.",
    "CVE-2025-9906",
)
EXTERNAL_MODEL = Rule(
    "AIR-KERAS-006",
    Severity.HIGH,
    "Keras config loads an external SavedModel",
    "TFSMLayer loads a TensorFlow SavedModel from a path named in the config, outside the"
    " archive that was reviewed.",
    "CVE-2026-1462",
)
EXTERNAL_FILE = Rule(
    "AIR-KERAS-010",
    Severity.HIGH,
    "Keras config reads a vocabulary file named by the config",
    "A lookup or tokenizer layer whose vocabulary (merges, proto) is a path reads that file at"
    " load; Keras' own saves write the vocabulary into the config or the archive's assets."
    " Keras 3 refuses a path outside the archive only in safe mode; safe_mode=False (and older"
    " loaders) read any file the process can.",
    KERAS_REF,
)
BUILD_SIZE = Rule(
    "AIR-KERAS-011",
    Severity.HIGH,
    "Keras config builds variables far larger than the file carries",
    "Keras builds every layer from the config's sizes and input shapes and fills each variable"
    " with its initializer before any weight is read: a small file naming huge layers makes"
    " the loader allocate gigabytes (an 11 KB .keras: 4.6 GiB peak) before it fails.",
    KERAS_REF,
    blocks=True,
)
BUILD_FLOOR = 1 << 30  # bytes of variables any config may build
BUILD_RATIO = 8  # ... or this many times the bytes the file carries for its weights
HDF5_UNREADABLE = Rule(
    "AIR-KERAS-008",
    Severity.HIGH,
    "HDF5 file cannot be read",
    "The HDF5 structures on the way to the model config (superblock, root object header,"
    " attributes) do not parse, or use a feature the reader does not read, so the config that"
    " Keras would deserialise was not checked.",
    KERAS_REF,
    blocks=True,
)
DECLARED_DATA = Rule(
    "AIR-KERAS-012",
    Severity.HIGH,
    "HDF5 datasets declare far more data than the file holds",
    "A chunked dataset whose chunks were never written (or a contiguous one allocated late)"
    " reads as its fill value, and compressed chunks inflate: h5py hands a reader of the"
    " whole dataset (Keras' load_weights, np.asarray) every declared byte. A 9 KB .h5 declaring"
    " a 32,768 x 32,768 float kernel made that read take 4 GiB.",
    KERAS_REF,
    blocks=True,
)
DECLARED_FLOOR = 1 << 30  # bytes all datasets may declare
DECLARED_RATIO = 16  # ... or this many times the file's size
OUTSIDE_DATA = Rule(
    "AIR-KERAS-009",
    Severity.CRITICAL,
    "HDF5 dataset or link reads another file",
    "External raw data storage, a virtual dataset or an external link makes h5py read another"
    " file when the weight is loaded (any file the process can read for external storage):"
    " legacy Keras and tf_keras load_weights, transformers' TF weights put its bytes in the model.",
    "keras saving_lib.safe_get_h5_dataset (Keras 3.15 refuses these, 3.10 does not);"
    " https://docs.hdfgroup.org/hdf5/develop/_f_m_t3.html",
)

_RULES = {
    "lambda-bytecode": LAMBDA_BYTECODE,
    "foreign-module": FOREIGN_MODULE,
    "gadget-function": GADGET,
    "lambda-layer": LAMBDA_LAYER,
    "unsafe-toggle": UNSAFE_TOGGLE,
    "external-model": EXTERNAL_MODEL,
    "external-file": EXTERNAL_FILE,
}
MAX_FINDINGS = 200


def issue_findings(
    issues: list[KerasIssue], location: str, member: str | None, label: str
) -> list[Finding]:
    out = []
    for issue in issues[:MAX_FINDINGS]:
        rule = _RULES[issue.kind]
        severity = None
        if issue.kind == "foreign-module":
            severity = Severity.CRITICAL if issue.critical else Severity.HIGH
        elif issue.kind == "gadget-function" and not issue.critical:
            severity = Severity.MEDIUM
        out.append(
            rule.finding(
                location,
                f"{label} {issue.path}: {issue.evidence}",
                member=member,
                severity=severity,
                extra={"json_path": issue.path},
            )
        )
    if len(issues) > MAX_FINDINGS:  # a cut list says how much was cut
        more = f"{label}: {len(issues) - MAX_FINDINGS} more issues left out (limit {MAX_FINDINGS})"
        out.append(out[-1]._replace(evidence=more, extra={}))
    return out


def config_findings(
    text: str | bytes, location: str, member: str | None, label: str, *, require: bool = True
) -> list[Finding]:
    """Findings for one Keras config text (see :func:`config_scan`)."""
    return config_scan(text, location, member, label, require=require)[0]


def config_scan(
    text: str | bytes,
    location: str,
    member: str | None,
    label: str,
    *,
    require: bool = True,
    weight_bytes: int | None = None,
) -> tuple[list[Finding], list[Child]]:
    """Findings for one Keras config text, and the pickled torch modules it carries as children
    for the engine (:func:`torch_children`). ``require``: the object is this config (a
    ``.keras`` zip's config.json, an HDF5 ``model_config``), so one that does not parse as a
    Keras config raises :class:`Unparseable`; otherwise (a config among others) it is a
    finding. ``weight_bytes``: the bytes the file carries for the model's weights (the config
    is then also judged by the variables Keras builds from it, AIR-KERAS-011)."""
    try:
        doc = parse_config(text)
        if require and not looks_like_keras_config(doc):
            raise KerasConfigError("not a serialized Keras object (no class_name/config)")
        found = issue_findings(analyze_config(doc), location, member, label)
        if weight_bytes is not None:
            found.extend(build_findings(doc, weight_bytes, location, member, label))
        return found, torch_children(doc, label)
    except KerasConfigError as exc:
        if require:
            raise Unparseable(UNPARSEABLE, f"{label}: {exc}") from None
        return [UNPARSEABLE.finding(location, f"{label}: {exc}", member=member)], []


def build_findings(
    doc: Any, weight_bytes: int, location: str, member: str | None, label: str
) -> list[Finding]:
    """AIR-KERAS-011 when the variables Keras builds (an upper bound, 4 bytes an element)
    exceed both :data:`BUILD_FLOOR` and :data:`BUILD_RATIO` times the weights' bytes."""
    elements, where = build_estimate(doc)
    limit = max(BUILD_FLOOR, BUILD_RATIO * max(0, weight_bytes))
    if 4 * elements <= limit:
        return []
    ev = (
        f"{label} {where}: layers build up to {elements:,} variable elements"
        f" ({4 * elements / (1 << 30):,.1f} GiB as float32) for {weight_bytes:,} bytes of weights"
    )
    return [BUILD_SIZE.finding(location, ev, member=member, extra={"json_path": where})]


MAX_FOLDER_ENTRIES = 10_000


def folder_bytes(folder: Path, location: str, depth: int = 2) -> int:
    """The bytes of the regular files in ``folder`` (and up to ``depth`` levels below: a
    SavedModel's ``variables/``) other than ``location``, the weights a bare Keras config
    (``model_from_json``, a keras_hub preset's ``config.json``, ``keras_metadata.pb``) may be
    loaded with. At most :data:`MAX_FOLDER_ENTRIES` entries are looked at; unreadable ones
    count nothing (the bound only gets stricter)."""
    from airlock.scan.interface import note_folder_read

    note_folder_read()
    total, seen = 0, 0
    stack = [(folder, depth)]
    own = os.path.abspath(location)
    while stack:
        here, left = stack.pop()
        try:
            entries = os.scandir(here)
        except OSError:
            continue
        with entries:
            for entry in entries:
                seen += 1
                if seen > MAX_FOLDER_ENTRIES:
                    return total
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if left > 0:
                            stack.append((Path(entry.path), left - 1))
                    elif entry.is_file() and os.path.abspath(entry.path) != own:
                        total += entry.stat().st_size
                except OSError:
                    continue
    return total


def torch_children(doc: Any, label: str) -> list[Child]:
    """Each ``TorchModuleWrapper`` payload (``torch.save`` bytes that Keras' torch backend
    passes to ``torch.load(weights_only=False)``) as a child the engine judges like any torch
    file; one Keras cannot decode loads nothing and is left out."""
    return [
        Child.of(f"{label}:{path}", data)
        for path, data in torch_module_payloads(doc)
        if data is not None
    ]
