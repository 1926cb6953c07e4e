"""Scan report as SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

Rules are described from the findings themselves (id, title, why, reference, severity), with a
``security-severity`` score so GitHub ranks them. Archive members become logical locations plus
the member in the message, since SARIF artifact URIs cannot point inside a zip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.result import ScanReport

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
INFO_URI = "https://github.com/model-airlock/airlock"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_SCORE = {
    Severity.CRITICAL: "9.8",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def _rule(f: Finding) -> dict[str, Any]:
    """Rule metadata from the scanner's rule registry (the finding's own text as a fallback)."""
    from airlock.scan.format_rules import lookup

    known = lookup(f.rule_id)
    title = known.title if known else f.title
    why = (known.why if known else f.why) or title
    severity = known.severity if known else f.severity
    reference = known.reference if known else f.reference
    rule: dict[str, Any] = {
        "id": f.rule_id,
        "name": "".join(w.capitalize() for w in title.split() if w.isalnum()) or f.rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": why},
        "help": {"text": why},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {
            "security-severity": _SCORE[severity],
            "tags": ["security", "ml-model"],
            "precision": "high" if severity >= Severity.HIGH else "medium",
        },
    }
    if reference and reference.startswith(("http://", "https://")):
        rule["helpUri"] = reference
    return rule


def _uri(location: str) -> str:
    p = Path(location)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def _where(location: str, member: str | None) -> str:
    return f"{location}!{member}" if member else location


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    where = _where(f.location, f.member)
    text = f"{f.title}: {f.evidence}" if f.evidence else f.title
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(f.location)}},
    }
    if f.member:
        location["logicalLocations"] = [{"fullyQualifiedName": where, "kind": "member"}]
    if f.offset is not None and not f.member:
        location["physicalLocation"]["region"] = {"byteOffset": f.offset}
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f"{text} ({where})"},
        "locations": [location],
        "properties": {"severity": str(f.severity)},
    }
    if f.member:
        result["properties"]["member"] = f.member
    if f.offset is not None:
        result["properties"]["offset"] = f.offset
    return result


def to_sarif(report: ScanReport) -> dict[str, Any]:
    """The SARIF log as a dict (one run)."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for f in report.findings:
        if f.rule_id not in index:
            index[f.rule_id] = len(rules)
            rules.append(_rule(f))
    from airlock.scan.result import _version

    not_scanned = [
        {
            "message": {"text": f"not scanned: {o.reason} ({_where(o.location, o.member)})"},
            "level": "warning",
            "descriptor": {"id": "not-scanned"},
        }
        for o in report.not_scanned
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "airlock",
                "informationUri": INFO_URI,
                "version": _version(),
                "rules": rules,
            }
        },
        "results": [_result(f, index[f.rule_id]) for f in report.findings],
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": not_scanned,
            }
        ],
        "properties": {"summary": report.counts()},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: ScanReport) -> str:
    from airlock.render.json_report import dumps

    return dumps(to_sarif(report))
