"""Rule catalogue for the non-pickle format handlers (safetensors, GGUF, Jinja, ONNX, Keras, TF,
repository configs): one place that holds each rule's stable id, severity, title, why and reference,
so handlers only supply the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airlock.report import Finding, Severity

MAX_EVIDENCE = 400


@dataclass(frozen=True)
class Rule:
    """A stable rule id with its default severity and explanation."""

    rule_id: str
    severity: Severity
    title: str
    why: str
    reference: str | None = None

    def finding(
        self,
        location: str,
        evidence: str = "",
        *,
        member: str | None = None,
        offset: int | None = None,
        severity: Severity | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Finding:
        """A ``Finding`` for this rule; evidence is cut so hostile input cannot bloat reports."""
        if len(evidence) > MAX_EVIDENCE:
            evidence = evidence[: MAX_EVIDENCE - 3] + "..."
        return Finding(
            rule_id=self.rule_id,
            severity=self.severity if severity is None else severity,
            title=self.title,
            location=location,
            evidence=evidence,
            why=self.why,
            member=member,
            offset=offset,
            reference=self.reference,
            extra=dict(extra or {}),
        )


def short(value: object, limit: int = 120) -> str:
    """``repr`` of untrusted data, cut to ``limit`` characters for evidence strings."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
