"""Before anything parses an untrusted ONNX classifier: locate the folder, read the bytes once,
scan the folder and those exact bytes, read external tensors ourselves, and refuse on any
finding (every refusal happens here)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from airlock.fileio import read_capped
from airlock.guard.onnx.common import (
    _NP_TYPES,
    _TOP_GRAPH,
    LABEL_HINT,
    MAX_JSON_BYTES,
    MAX_MODEL_BYTES,
    _Prepared,
)
from airlock.guard.types import GuardError
from airlock.report import Severity


def _locate(path: Path) -> tuple[Path, Path]:
    """``(folder, model file)``: a folder holding ``model.onnx`` (or exactly one ``.onnx``), or
    an ``.onnx`` file whose folder holds the tokenizer and config."""
    if path.is_file():
        return path.parent, path
    if not path.is_dir():
        raise GuardError(f"{path}: no such ONNX classifier file or folder")
    if (path / "model.onnx").is_file():
        return path, path / "model.onnx"
    found = sorted(p for p in path.glob("*.onnx") if p.is_file())
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise GuardError(f"{path}: expected model.onnx or one .onnx file (found: {names})")
    return path, found[0]


def _refuse(problems: list[str], extra: int, what: str) -> None:
    if problems:
        more = f" (+{extra} more)" if extra > 0 else ""
        raise GuardError(f"refusing ONNX classifier {what}: Airlock's scan found"
                         f" {'; '.join(problems)}{more}; run 'airlock scan {what}' for the"
                         " full report")  # fmt: skip


def _refuse_findings(report: Any, what: str) -> None:
    """Any finding at medium or above anywhere in the folder: a booby-trapped file next to the
    model says the folder is not what it claims to be, even if we would not open that file."""
    # the folder scan and the in-memory scan of model.onnx see the same problems: say them once
    seen = (f for f in report.findings if f.severity >= Severity.MEDIUM)
    bad = list(dict.fromkeys(f"{f.rule_id} {f.severity}: {f.title} ({f.evidence})" for f in seen))
    shown = bad[:3]
    _refuse(shown, len(bad) - len(shown), what)


def _refuse_unscanned(report: Any, used: set[Path], raw: set[Path], what: str) -> None:
    """Files we read must have been scanned. External-data files are exempt from *format*
    recognition only: they are raw tensor bytes that we read as numbers, never parse. Unused
    files the scanner cannot read (``spm.model`` next to ``tokenizer.json``...) are not opened."""
    problems = []
    for o in report.not_scanned:
        p = Path(o.location).resolve()
        if p in raw and o.member is None and "unrecognised" in (o.reason or ""):
            continue
        if p in used or p in raw:
            problems.append(f"not scanned: {o.location}{'!' + o.member if o.member else ''}"
                            f" ({o.reason})")  # fmt: skip
    _refuse(problems[:3], len(problems) - 3, what)


@dataclass(frozen=True)
class _ExternalRef:
    name: str
    path: Path
    dtype: Any
    dims: tuple[int, ...]
    offset: int
    length: int


def _external_refs(model_bytes: bytes, folder: Path) -> list[_ExternalRef]:
    """Every external tensor, checked to be a numeric top-level initializer in ``folder``."""
    from airlock.formats.onnx import read_onnx
    from airlock.formats.protobuf_wire import ProtobufError
    from airlock.scan.handlers.common import location_escapes

    try:
        parsed = read_onnx(model_bytes)
    except ProtobufError as exc:
        raise GuardError(f"{folder}: ONNX model cannot be parsed: {exc}") from None
    root = folder.resolve()
    refs: list[_ExternalRef] = []
    for t in parsed.tensors:
        if t.external is None:
            continue
        label = f"{folder}: external tensor {t.name!r} ({t.where})"
        if not _TOP_GRAPH.fullmatch(t.where) or t.data_type not in _NP_TYPES:
            raise GuardError(f"{label}: only top-level numeric initializers may be external")
        location = t.external.get("location", "")
        if location_escapes(location):
            raise GuardError(f"{label}: location {location!r} leaves the model folder")
        target = (folder / location).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise GuardError(f"{label}: {location!r} is not a file inside the model folder")
        dtype = np.dtype(_NP_TYPES[t.data_type])
        size = math.prod(t.dims) * dtype.itemsize
        try:
            offset = int(t.external.get("offset") or 0)
            length = int(t.external.get("length") or size)
        except ValueError:
            raise GuardError(f"{label}: offset/length are not integers") from None
        if offset < 0 or length != size:
            raise GuardError(f"{label}: {length} bytes at {offset} do not hold shape {t.dims}")
        refs.append(_ExternalRef(t.name, target, dtype, t.dims, offset, length))
    return refs


def _read_external(ref: _ExternalRef) -> Any:
    with ref.path.open("rb") as fh:
        fh.seek(ref.offset)
        raw = fh.read(ref.length)
    if len(raw) != ref.length:
        raise GuardError(f"{ref.path}: too short for external tensor {ref.name!r}")
    return np.frombuffer(raw, dtype=ref.dtype).reshape(ref.dims)


def _pick_label(labels: Sequence[str], wanted: str | None, where: Path) -> int:
    if wanted is not None:
        hits = [i for i, lab in enumerate(labels) if lab.casefold() == wanted.casefold()]
        if not hits:
            raise GuardError(f"{where}: label {wanted!r} not in id2label {list(labels)}")
        return hits[0]
    hits = [i for i, lab in enumerate(labels) if LABEL_HINT.search(lab)]
    if len(hits) != 1:
        why = "several" if hits else "no"
        raise GuardError(f"{where}: {why} id2label entries look like injection"
                         f" ({list(labels)}); choose one with --onnx-label")  # fmt: skip
    return hits[0]


def _config(folder: Path) -> dict[str, Any]:
    path = folder / "config.json"
    if not path.is_file():
        raise GuardError(f"{folder}: config.json (with id2label) is missing")
    try:
        cfg = json.loads(read_capped(path, MAX_JSON_BYTES, "ONNX classifier config"))
    except ValueError:
        raise GuardError(f"{path}: not valid JSON") from None
    if not isinstance(cfg, dict):
        raise GuardError(f"{path}: must be a JSON object")
    return cfg


def _labels(cfg: dict[str, Any], where: Path) -> list[str]:
    raw = cfg.get("id2label")
    try:
        pairs = sorted((int(k), str(v)) for k, v in raw.items())  # type: ignore[union-attr]
    except (AttributeError, ValueError, TypeError):
        raise GuardError(f"{where}: config.json needs an id2label object") from None
    if [i for i, _ in pairs] != list(range(len(pairs))) or len(pairs) < 2:
        raise GuardError(f"{where}: id2label must number 2 or more labels 0..n-1")
    return [v for _, v in pairs]


def _int_dim(d: Any) -> int | None:
    return d if isinstance(d, int) and d > 0 else None


def _prepare(path: Path, label: str | None) -> _Prepared:
    """Locate, read and scan; every refusal happens here, before anything parses the model."""
    from airlock.scan.engine import scan_data, scan_paths

    folder, model_file = _locate(path)
    model_bytes = read_capped(model_file, MAX_MODEL_BYTES, "ONNX model")
    tok_path = folder / "tokenizer.json"
    if not tok_path.is_file():
        raise GuardError(f"{folder}: tokenizer.json is missing (export with a fast tokenizer)")
    tok_text = read_capped(tok_path, MAX_JSON_BYTES, "tokenizer").decode("utf-8", "replace")
    cfg = _config(folder)
    labels = _labels(cfg, folder)
    target = _pick_label(labels, label, folder)

    # Judge the folder (tokenizer, config, external data, symlinks) and the exact bytes we load
    # (scan_data), so a file swapped after we read it cannot reach onnxruntime unjudged.
    report = scan_paths([folder])
    mem = scan_data(model_bytes, str(model_file))
    report.objects += mem.objects
    report.findings += mem.findings
    _refuse_findings(report, str(path))
    refs = _external_refs(model_bytes, folder)
    used = {p.resolve() for p in (model_file, tok_path, folder / "config.json")}
    _refuse_unscanned(report, used, {r.path for r in refs}, str(path))

    cfg_len = cfg.get("max_position_embeddings")
    pad = cfg.get("pad_token_id")
    return _Prepared(str(path), str(model_file), model_bytes, tok_text, labels, target,
                     cfg_len if isinstance(cfg_len, int) else None,
                     pad if isinstance(pad, int) and pad >= 0 else 0,
                     cfg.get("problem_type") == "multi_label_classification",
                     [(r.name, _read_external(r)) for r in refs])  # fmt: skip


