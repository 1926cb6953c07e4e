"""A per-file scan result as stored JSON, without its location: the same bytes found under
another path (another repository, another mirror) are the same result, relabelled."""

from __future__ import annotations

from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.result import FileResult, ObjectResult

CACHE_NOTE = "verdict from cache"


def encode(result: FileResult) -> dict[str, Any]:
    objects = []
    for o in result.objects:
        d = o.to_json()
        d.pop("location")
        objects.append(d)
    findings = []
    for f in result.findings:
        d = f.to_json()
        d.pop("location")
        findings.append(d)
    return {"objects": objects, "findings": findings, "seconds": round(result.seconds, 6)}


def decode(doc: dict[str, Any], location: str) -> FileResult:
    """The stored result under ``location`` (the display name of this file)."""
    fr = FileResult(location, seconds=float(doc.get("seconds", 0.0)))
    for d in doc["objects"]:
        fr.objects.append(
            ObjectResult(
                location,
                d["member"],
                d["format"],
                d["status"],
                d["reason"],
                d.get("size"),
                int(d.get("findings", 0)),
                float(d.get("seconds", 0.0)),
                list(d.get("notes", [])),
                dict(d.get("skipped", {})),
            )
        )
    for d in doc["findings"]:
        fr.findings.append(decode_finding(d, location))
    return fr


def decode_finding(d: dict[str, Any], location: str) -> Finding:
    return Finding(
        rule_id=d["rule_id"],
        severity=Severity.parse(d["severity"]),
        title=d["title"],
        location=location,
        evidence=d.get("evidence", ""),
        why=d.get("why", ""),
        member=d.get("member"),
        offset=d.get("offset"),
        reference=d.get("reference"),
        extra=dict(d.get("extra", {})),
    )
