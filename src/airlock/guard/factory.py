"""The standard guard: which scanners, in which order, with which thresholds. Kept apart from
the scanners themselves so that adding a scanner never touches the pipeline machinery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier
from airlock.guard.directives import AgentDirectiveScanner
from airlock.guard.pipeline import Pipeline
from airlock.guard.request import WINDOW_ROLES, RequestPolicy
from airlock.guard.rules import BUILTIN_INPUT_RULES, BUILTIN_SECRET_RULES, Rule
from airlock.guard.scanners import (
    CanaryScanner,
    ClassifierScanner,
    ObfuscationScanner,
    RuleScanner,
    ToolPoisonScanner,
)
from airlock.guard.types import GuardError, Limits, Scanner

BUILTIN_ONNX = Path(__file__).parent / "data" / "pi-semantic-v1"
"""Airlock's second stage (``--onnx-classifier builtin``): the semantic stage of
``airlock.guard.semantic`` (scripts/train_guard_semantic.py)."""
BUILTIN_CNN = Path(__file__).parent / "data" / "pi-multi-v1"
"""Session 3's subword CNN (scripts/train_guard_onnx.py), an ordinary ONNX folder now."""


def builtin_onnx_threshold(folder: Path = BUILTIN_ONNX) -> float:
    """The threshold calibrated with the linear first stage (recorded next to the model)."""
    try:
        meta = json.loads((folder / "airlock-model.json").read_text(encoding="utf-8"))
        return float(meta["threshold"])
    except (OSError, ValueError, KeyError, TypeError):
        raise GuardError(f"{folder}: the built-in ONNX classifier is missing") from None


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
    onnx_threshold: float | None = None,
    onnx_sandbox: bool = True,
    extra_scanners: Sequence[Scanner] = (),
    data_field: Path | None = None,
) -> Pipeline:
    """The standard scanner set: obfuscation, canaries, rules+secrets+triggers, tool poisoning,
    directives aimed at the agent, classifier, and
    optionally a second stage: Airlock's semantic stage (``onnx_classifier=BUILTIN_ONNX``, run
    on the linear classifier's uncertain band, with the linear thresholds calibrated together
    with it) or a user-supplied ONNX classifier (scanned by Airlock before it is loaded), both
    in a sandboxed worker unless ``onnx_sandbox`` is off; then the caller's own scanners (e.g.
    the live registry-advisory rules). ``onnx_threshold`` None = the calibrated one (builtin)
    or 0.5. ``data_field`` (opt-in, candidate K): the data-field stage's model file
    (``DATAFIELD_MODEL``), judging tool outputs by whether they address the assistant."""
    from airlock.guard.semantic.stage import is_semantic, read_meta

    semantic = onnx_classifier is not None and is_semantic(onnx_classifier)
    if onnx_threshold is not None and not 0.0 < onnx_threshold < 1.0:
        raise GuardError(f"ONNX classifier threshold must be in (0, 1), got {onnx_threshold}")
    if semantic and not use_classifier:
        raise GuardError("the semantic stage judges the linear classifier's uncertain band:"
                         " it needs the classifier")  # fmt: skip
    scanners: list[Scanner] = [
        ObfuscationScanner(),
        RuleScanner([*BUILTIN_INPUT_RULES, *BUILTIN_SECRET_RULES, *triggers]),
        ToolPoisonScanner(),
        AgentDirectiveScanner(),
    ]
    if canaries:
        scanners.append(CanaryScanner(list(canaries)))
    if use_classifier:
        model = LinearClassifier.load(model_path)
        thr = model.threshold if threshold is None else threshold
        other = model.foreign_threshold
        if semantic and threshold is None:  # calibrated together with the semantic stage
            meta = read_meta(onnx_classifier)  # type: ignore[arg-type]
            thr, other = float(meta["linear_threshold"]), float(meta["linear_threshold_foreign"])
        if not 0.0 < thr < 1.0:
            raise GuardError(f"classifier threshold must be in (0, 1), got {thr}")
        # an explicit --threshold is one threshold for every language
        other = other if threshold is None else None
        scanners.append(ClassifierScanner(model, thr, foreign_threshold=other))
        if data_field is not None:
            from airlock.guard.datafield import DataFieldModel, DataFieldScanner

            scanners.append(DataFieldScanner(DataFieldModel.load(data_field), model))
    elif data_field is not None:
        raise GuardError("the data-field stage reads the linear classifier's score: it needs"
                         " the classifier")  # fmt: skip
    if semantic:
        from airlock.guard.semantic import semantic_scanner

        scanners.append(semantic_scanner(onnx_classifier, onnx_threshold,  # type: ignore[arg-type]
                                         sandbox=onnx_sandbox))  # fmt: skip
    elif onnx_classifier is not None:
        from airlock.guard.onnx import OnnxClassifierScanner, load_onnx_classifier

        onnx = load_onnx_classifier(onnx_classifier, onnx_label, sandbox=onnx_sandbox)
        thr_onnx = 0.5 if onnx_threshold is None else onnx_threshold
        scanners.append(OnnxClassifierScanner(onnx, thr_onnx))
    scanners.extend(extra_scanners)
    return Pipeline(
        scanners, monitor=monitor, fail_closed=fail_closed, limits=limits, policy=policy,
        isolation=isolation,
        # with the data-field stage, tool outputs are judged as data in their own role, not
        # again inside the user's joined messages
        window_roles=("user",) if data_field is not None and use_classifier else WINDOW_ROLES,
    )
