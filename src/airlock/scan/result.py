"""The scan report: every object (file or archive member) with its status, and the findings.

An object is either ``scanned`` or ``not_scanned`` with a reason; nothing unread is ever
reported as clean. The JSON form is versioned (``schema`` = ``airlock.scan-report/v1``) and
described by :func:`report_schema`; add fields only, never change their meaning within v1.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Literal

from airlock.report import Finding, Severity, max_severity

SCHEMA_ID = "airlock.scan-report/v1"

Status = Literal["scanned", "not_scanned"]


# The records below are plain classes: a dataclass compiles its methods' source at import, on
# every run of ``airlock scan`` (issue 12, BENCHMARKS.md).


class ObjectResult:
    """One file or nested object. ``member`` is the ``!``-joined path inside containers."""

    def __init__(
        self,
        location: str,
        member: str | None,
        format: str,
        status: Status,
        reason: str | None = None,
        size: int | None = None,
        findings: int = 0,
        seconds: float = 0.0,
        notes: list[str] | None = None,
        skipped: dict[str, int] | None = None,
    ) -> None:
        self.location = location
        self.member = member
        self.format = format
        self.status = status
        self.reason = reason
        self.size = size
        self.findings = findings
        self.seconds = seconds
        self.notes: list[str] = [] if notes is None else notes
        self.skipped: dict[str, int] = {} if skipped is None else skipped

    def to_json(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "member": self.member,
            "format": self.format,
            "status": self.status,
            "reason": self.reason,
            "size": self.size,
            "findings": self.findings,
            "seconds": round(self.seconds, 6),
            "notes": list(self.notes),
            "skipped": dict(self.skipped),
        }


class FileResult:
    """What scanning one top-level file produced (the unit of parallel work)."""

    def __init__(
        self,
        path: str,
        objects: list[ObjectResult] | None = None,
        findings: list[Finding] | None = None,
        seconds: float = 0.0,
        data_files: dict[Path, str] | None = None,
    ) -> None:
        self.path = path
        self.objects: list[ObjectResult] = [] if objects is None else objects
        self.findings: list[Finding] = [] if findings is None else findings
        self.seconds = seconds
        # raw-data files this file's objects read by offset (resolved path -> reader), see
        # ``ScanOutcome.data_files``; settled across files by ``engine.settle_data_files``
        self.data_files: dict[Path, str] = {} if data_files is None else data_files
        # a handler judged the file with the files beside it (``interface.note_folder_read``):
        # the verdict is not the bytes' and name's alone, never cached by content
        self.reads_folder = False


class ScanReport:
    """The whole run: roots as given, objects in walk order, findings, timings."""

    def __init__(
        self,
        roots: list[str],
        objects: list[ObjectResult] | None = None,
        findings: list[Finding] | None = None,
        ignored: list[str] | None = None,
        seconds: float = 0.0,
        workers: int = 1,
        mode: str = "serial",
        policy: dict[str, Any] | None = None,
        models: list[dict[str, Any]] | None = None,
    ) -> None:
        self.roots = roots
        self.objects: list[ObjectResult] = [] if objects is None else objects
        self.findings: list[Finding] = [] if findings is None else findings
        self.ignored: list[str] = [] if ignored is None else ignored
        self.seconds = seconds
        self.workers = workers
        self.mode = mode
        # The policy file in force (airlock.policyfile): source, sha256, findings it removed.
        self.policy = policy
        # Folders that are models of a kind other than a plain model (PEFT adapters): what
        # they claim (``airlock.scan.adapters``); one object per folder.
        self.models: list[dict[str, Any]] = [] if models is None else models

    @property
    def files(self) -> int:
        return sum(1 for o in self.objects if o.member is None)

    @property
    def not_scanned(self) -> list[ObjectResult]:
        return [o for o in self.objects if o.status == "not_scanned"]

    def max_severity(self) -> Severity | None:
        return max_severity(self.findings)

    def fails(self, threshold: Severity) -> bool:
        """True if any finding is at or above ``threshold`` (``--fail-on``)."""
        top = self.max_severity()
        return top is not None and top >= threshold

    def counts(self) -> dict[str, Any]:
        by_sev = Counter(str(f.severity) for f in self.findings)
        return {
            "files": self.files,
            "objects": len(self.objects),
            "scanned": sum(1 for o in self.objects if o.status == "scanned"),
            "not_scanned": len(self.not_scanned),
            "findings": len(self.findings),
            "by_severity": {str(s): by_sev.get(str(s), 0) for s in reversed(Severity)},
        }

    def to_json(self) -> dict[str, Any]:
        top = self.max_severity()
        return {
            "schema": SCHEMA_ID,
            "tool": {"name": "airlock", "version": _version()},
            "roots": list(self.roots),
            "summary": {
                **self.counts(),
                "max_severity": None if top is None else str(top),
                "seconds": round(self.seconds, 6),
                "workers": self.workers,
                "mode": self.mode,
            },
            "objects": [o.to_json() for o in self.objects],
            "findings": [f.to_json() for f in self.findings],
            "ignored": list(self.ignored),
            "policy": self.policy or {"source": "builtin", "sha256": "", "removed": []},
            "models": list(self.models),
        }


def _version() -> str:
    from airlock import __version__

    return __version__


_SEVERITIES = [str(s) for s in Severity]
_NULLABLE_STR = {"type": ["string", "null"]}


def report_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :meth:`ScanReport.to_json`."""
    finding = {
        "type": "object",
        "required": ["rule_id", "severity", "title", "location", "evidence", "why"],
        "properties": {
            "rule_id": {"type": "string", "pattern": "^AIR-[A-Z0-9]+(-[A-Z0-9]+)*$"},
            "severity": {"enum": _SEVERITIES},
            "title": {"type": "string"},
            "location": {"type": "string"},
            "member": _NULLABLE_STR,
            "offset": {"type": ["integer", "null"], "minimum": 0},
            "evidence": {"type": "string"},
            "why": {"type": "string"},
            "reference": _NULLABLE_STR,
            "extra": {"type": "object"},
        },
        "additionalProperties": False,
    }
    obj = {
        "type": "object",
        "required": ["location", "member", "format", "status", "reason"],
        "properties": {
            "location": {"type": "string"},
            "member": _NULLABLE_STR,
            "format": {"type": "string"},
            "status": {"enum": ["scanned", "not_scanned"]},
            "reason": _NULLABLE_STR,
            "size": {"type": ["integer", "null"], "minimum": 0},
            "findings": {"type": "integer", "minimum": 0},
            "seconds": {"type": "number", "minimum": 0},
            "notes": {"type": "array", "items": {"type": "string"}},
            "skipped": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "additionalProperties": False,
        "if": {"properties": {"status": {"const": "not_scanned"}}},
        "then": {"properties": {"reason": {"type": "string"}}},
    }
    count = {"type": "integer", "minimum": 0}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://airlock.invalid/schemas/scan-report-v1.json",
        "title": "Airlock scan report",
        "type": "object",
        "required": ["schema", "tool", "roots", "summary", "objects", "findings"],
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "tool": {
                "type": "object",
                "required": ["name", "version"],
                "properties": {"name": {"const": "airlock"}, "version": {"type": "string"}},
            },
            "roots": {"type": "array", "items": {"type": "string"}},
            "summary": {
                "type": "object",
                "required": ["files", "objects", "scanned", "not_scanned", "findings"],
                "properties": {
                    "files": count,
                    "objects": count,
                    "scanned": count,
                    "not_scanned": count,
                    "findings": count,
                    "by_severity": {
                        "type": "object",
                        "properties": {s: count for s in _SEVERITIES},
                        "additionalProperties": False,
                    },
                    "max_severity": {"enum": [*_SEVERITIES, None]},
                    "seconds": {"type": "number", "minimum": 0},
                    "workers": count,
                    "mode": {"enum": ["serial", "threads", "processes"]},
                },
            },
            "objects": {"type": "array", "items": obj},
            "findings": {"type": "array", "items": finding},
            "ignored": {"type": "array", "items": {"type": "string"}},
            "models": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path", "kind", "base"],
                    "properties": {
                        "path": {"type": "string"},
                        "kind": {"enum": ["adapter"]},
                        "config": {"type": ["object", "null"]},
                        "base": {
                            "type": "object",
                            "properties": {
                                "config": {"type": "string"},
                                "card": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                        "weights": {"type": ["object", "null"]},
                        "behaviour": {"type": "string"},
                    },
                },
            },
            "policy": {
                "type": "object",
                "required": ["source", "sha256"],
                "properties": {
                    "source": {"type": "string"},
                    "sha256": {"type": "string"},
                    "removed": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    }
