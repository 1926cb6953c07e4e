"""The standard guard: which scanners, in which order, with which thresholds. Kept apart from
the scanners themselves so that adding a scanner never touches the pipeline machinery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier
from airlock.guard.pipeline import Pipeline
from airlock.guard.request import RequestPolicy
from airlock.guard.rules import BUILTIN_INPUT_RULES, BUILTIN_SECRET_RULES, Rule
from airlock.guard.scanners import CanaryScanner, ClassifierScanner, ObfuscationScanner, RuleScanner
from airlock.guard.types import GuardError, Limits, Scanner

BUILTIN_ONNX = Path(__file__).parent / "data" / "pi-multi-v1"
"""The second-stage classifier shipped with Airlock (scripts/train_guard_onnx.py)."""


def builtin_onnx_threshold() -> float:
    """The threshold calibrated with the linear first stage (recorded next to the model)."""
    try:
        meta = json.loads((BUILTIN_ONNX / "airlock-model.json").read_text(encoding="utf-8"))
        return float(meta["threshold"])
    except (OSError, ValueError, KeyError, TypeError):
        raise GuardError(f"{BUILTIN_ONNX}: the built-in ONNX classifier is missing") from None


def default_pipeline(
    *,
    triggers: Sequence[Rule] = (),
    canaries: Sequence[str] = (),
    monitor: bool = False,
    fail_closed: bool = True,
    threshold: float | None = None,
    model_path: Path = DEFAULT_MODEL,
    use_classifier: bool = True,
    limits: Limits | None = None,
    policy: RequestPolicy | None = None,
    isolation: str = "thread",
    onnx_classifier: Path | None = None,
    onnx_label: str | None = None,
    onnx_threshold: float = 0.5,
    onnx_sandbox: bool = True,
    extra_scanners: Sequence[Scanner] = (),
) -> Pipeline:
    """The standard scanner set: obfuscation, canaries, rules+secrets+triggers, classifier, and
    optionally a user-supplied ONNX classifier (scanned by Airlock before it is loaded, then run
    in a sandboxed worker unless ``onnx_sandbox`` is off) and the caller's own scanners (e.g.
    the live registry-advisory rules)."""
    if onnx_classifier is not None and not 0.0 < onnx_threshold < 1.0:
        raise GuardError(f"ONNX classifier threshold must be in (0, 1), got {onnx_threshold}")
    scanners: list[Scanner] = [
        ObfuscationScanner(),
        RuleScanner([*BUILTIN_INPUT_RULES, *BUILTIN_SECRET_RULES, *triggers]),
    ]
    if canaries:
        scanners.append(CanaryScanner(list(canaries)))
    if use_classifier:
        model = LinearClassifier.load(model_path)
        thr = model.threshold if threshold is None else threshold
        if not 0.0 < thr < 1.0:
            raise GuardError(f"classifier threshold must be in (0, 1), got {thr}")
        # an explicit --threshold is one threshold for every language
        other = model.foreign_threshold if threshold is None else None
        scanners.append(ClassifierScanner(model, thr, foreign_threshold=other))
    if onnx_classifier is not None:
        from airlock.guard.onnx import OnnxClassifierScanner, load_onnx_classifier

        onnx = load_onnx_classifier(onnx_classifier, onnx_label, sandbox=onnx_sandbox)
        scanners.append(OnnxClassifierScanner(onnx, onnx_threshold))
    scanners.extend(extra_scanners)
    return Pipeline(
        scanners, monitor=monitor, fail_closed=fail_closed, limits=limits, policy=policy,
        isolation=isolation,
    )
