"""The ONNX classifier as a guard scanner."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from airlock.guard.onnx.common import DEFAULT_THRESHOLD, Best
from airlock.guard.types import INSTRUCTION_ROLES, GuardFinding, ScanContext
from airlock.report import Severity


class TextClassifier(Protocol):
    """What the scanner needs: in-process or in the sandboxed worker."""

    @property
    def label(self) -> str: ...

    def score(self, texts: Sequence[str], deadline: float = 0.0) -> list[Best]: ...


@dataclass
class OnnxClassifierScanner:
    """The user's ONNX classifier over token windows of the text, its normalised form when that
    differs beyond case (obfuscation), and decoded segments; the highest window decides."""

    model: TextClassifier
    threshold: float = DEFAULT_THRESHOLD
    instruction_threshold: float = 0.97  # system prompts, tool specs...: see ClassifierScanner
    name: str = "onnx-classifier"
    cost: int = 10
    timeout_s: float = 2.0
    directions: frozenset[str] = frozenset({"input"})

    def scan(self, ctx: ScanContext) -> list[GuardFinding]:
        deadline = time.perf_counter() + self.timeout_s
        texts: list[tuple[str, str]] = [("", ctx.raw)]
        if ctx.norm.text != ctx.raw.casefold():
            texts.append(("normalised", ctx.norm.text))
        texts.extend((f"{d.kind}-decoded", d.text) for d in ctx.decoded)
        texts = [(kind, text) for kind, text in texts if text.strip()]
        if not texts:
            return []
        scores = self.model.score([t for _, t in texts], deadline)
        best = max(range(len(scores)), key=lambda i: scores[i][0])
        score, start, end = scores[best]
        thr = self.threshold
        if ctx.role in INSTRUCTION_ROLES:
            thr = max(thr, self.instruction_threshold)
        if score < thr:
            return []
        where = texts[best][0] or f"chars {start}-{end}"
        msg = f"prompt injection (ONNX classifier, label {self.model.label})"
        return [GuardFinding(self.name, "AIR-GRD-PI-002", Severity.HIGH, "block", msg,
                             score=score, where=where)]  # fmt: skip

    def close(self) -> None:
        """Stop the sandboxed worker, if the model runs in one (``Pipeline.close`` calls this)."""
        closer = getattr(self.model, "close", None)
        if callable(closer):
            closer()
