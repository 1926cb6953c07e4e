"""A file's verdict from its raw scan result and the content-scoped policy (pure).

The same function judges a fresh scan and re-judges a stored one, so a verdict re-judged from
evidence is exactly what a fresh scan under the new policy would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airlock.report import Finding, Severity, max_severity
from airlock.scan.result import FileResult

UNKNOWN_RULE = "AIR-PKL-002"
PASS, FAIL, NOT_SCANNED = "pass", "fail", "not_scanned"


@dataclass(frozen=True)
class Judged:
    verdict: str
    max_severity: str | None
    kept: int  # findings left after the policy


def kept_findings(result: FileResult, sha256: str, policy: dict[str, Any]) -> list[Finding]:
    allow = set(policy.get("allow", []))
    suppressed = {r for r, d, _ in policy.get("suppress_digest", []) if d == sha256}
    out = []
    for f in result.findings:
        name = f.extra.get("callable")
        if f.rule_id == UNKNOWN_RULE and isinstance(name, str) and name in allow:
            continue
        if f.rule_id in suppressed:
            continue
        out.append(f)
    return out


def judge(result: FileResult, sha256: str, policy: dict[str, Any]) -> Judged:
    findings = kept_findings(result, sha256, policy)
    fail_on = policy.get("fail_on")
    threshold = Severity.parse(fail_on) if fail_on else Severity.HIGH
    top = max_severity(findings)
    if any(o.status == "not_scanned" for o in result.objects):
        verdict = NOT_SCANNED
    elif top is not None and top >= threshold:
        verdict = FAIL
    else:
        verdict = PASS
    return Judged(verdict, None if top is None else str(top), len(findings))


def regrade(result: FileResult, old: dict[str, Any], new: dict[str, Any]) -> FileResult:
    """Findings of a rule whose default severity changed take the new default (findings whose
    severity came from elsewhere, e.g. a danger category, keep theirs)."""
    out = []
    for f in result.findings:
        before, after = old.get(f.rule_id), new.get(f.rule_id)
        if before and after and before[0] != after[0] and str(f.severity) == before[0]:
            f = f._replace(severity=Severity.parse(after[0]))
        out.append(f)
    result.findings = out
    return result
