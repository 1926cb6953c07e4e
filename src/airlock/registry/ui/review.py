"""What a reviewer reads: a scan report grouped for people, and the diff against a baseline.

Everything here is data shaping; every string that came from a model or a report stays a plain
string and is escaped by the templates. Nothing is rendered, imported or executed.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from airlock.registry.policy import report_findings
from airlock.report import Severity

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
MAX_FINDINGS_SHOWN = 2000
MAX_DIFF_LINES = 400
MAX_TEXT_CHARS = 200_000
SPECIAL_STEPS = ("trojan", "data", "leak")


def _severity(value: Any) -> str:
    try:
        return str(Severity.parse(str(value)))
    except ValueError:
        return "critical"  # unknown severity: show it with the worst


@dataclass
class FileFindings:
    location: str
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SeverityGroup:
    severity: str
    files: list[FileFindings] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(f.findings) for f in self.files)


@dataclass
class ScanView:
    groups: list[SeverityGroup]
    counts: dict[str, int]
    not_scanned: list[dict[str, str]]
    total: int
    truncated: bool
    tool: str
    policy: str


def _str(value: Any, limit: int = 4000) -> str:
    return "" if value is None else str(value)[:limit]


def findings_of(report: Any) -> list[dict[str, Any]]:
    """Findings at the top level and per file (both report shapes), as plain dicts: the same
    walk the policy's ``scan_clean`` judges, stopped one past what a page shows."""
    return report_findings(report, MAX_FINDINGS_SHOWN + 1)


def severity_counts(report: Any) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in findings_of(report):
        counts[_severity(f.get("severity"))] += 1
    return counts


def scan_view(report: Any) -> ScanView:
    """Findings grouped by severity then file; objects not scanned listed apart."""
    found = findings_of(report)
    truncated = len(found) > MAX_FINDINGS_SHOWN
    found = found[:MAX_FINDINGS_SHOWN]
    by_sev: dict[str, dict[str, FileFindings]] = {s: {} for s in SEVERITY_ORDER}
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in found:
        sev = _severity(f.get("severity"))
        counts[sev] += 1
        location = _str(f.get("location"), 1000)
        member = f.get("member")
        if member:
            location = f"{location}!{_str(member, 1000)}"
        bucket = by_sev[sev].setdefault(location, FileFindings(location))
        bucket.findings.append(
            {
                "rule_id": _str(f.get("rule_id"), 100),
                "title": _str(f.get("title"), 500),
                "evidence": _str(f.get("evidence")),
                "why": _str(f.get("why")),
                "offset": f.get("offset") if isinstance(f.get("offset"), int) else None,
                "reference": _str(f.get("reference"), 500),
            }
        )
    groups = [
        SeverityGroup(sev, sorted(by_sev[sev].values(), key=lambda x: x.location))
        for sev in SEVERITY_ORDER
        if by_sev[sev]
    ]
    not_scanned: list[dict[str, str]] = []
    if isinstance(report, dict):
        for o in report.get("objects") or []:
            if isinstance(o, dict) and o.get("status") == "not_scanned":
                not_scanned.append(
                    {
                        "location": _str(o.get("location"), 1000)
                        + (f"!{_str(o.get('member'), 1000)}" if o.get("member") else ""),
                        "reason": _str(o.get("reason"), 1000),
                        "format": _str(o.get("format"), 100),
                    }
                )
        for item in report.get("not_scanned") or []:
            not_scanned.append({"location": _str(item, 1000), "reason": "", "format": ""})
    tool = ""
    policy = ""
    if isinstance(report, dict):
        t = report.get("tool")
        if isinstance(t, dict):
            tool = f"{_str(t.get('name'), 50)} {_str(t.get('version'), 50)}".strip()
        p = report.get("policy")
        if isinstance(p, dict):
            policy = f"{_str(p.get('source'), 200)} {_str(p.get('sha256'), 64)[:12]}".strip()
    return ScanView(groups, counts, not_scanned[:1000], len(found), truncated, tool, policy)


def check_statement(bundle: Any) -> dict[str, Any] | None:
    """The predicate of a stored check attestation (verified by the store when it arrived)."""
    if not isinstance(bundle, dict):
        return None
    env = bundle.get("dsseEnvelope") or bundle.get("dsse_envelope")
    if not isinstance(env, dict) or not isinstance(env.get("payload"), str):
        return None
    try:
        statement = json.loads(base64.b64decode(env["payload"], validate=True))
    except (ValueError, binascii.Error, RecursionError):
        return None
    pred = statement.get("predicate") if isinstance(statement, dict) else None
    if not isinstance(pred, dict):
        return None
    steps = [
        {
            "name": _str(s.get("name"), 100),
            "ok": bool(s.get("ok")),
            "summary": _str(s.get("summary"), 2000),
            "special": any(k in _str(s.get("name"), 100).lower() for k in SPECIAL_STEPS),
        }
        for s in pred.get("steps") or []
        if isinstance(s, dict)
    ]
    policy_any = pred.get("policy")
    policy: dict[str, Any] = policy_any if isinstance(policy_any, dict) else {}
    return {
        "verdict": _str(pred.get("verdict"), 20),
        "timestamp": _str(pred.get("timestamp"), 40),
        "steps": steps,
        "policy_sha256": _str(policy.get("sha256"), 64),
    }


# -- the diff ---------------------------------------------------------------------------------


@dataclass
class TextDiff:
    name: str
    lines: list[tuple[str, str]]  # (kind: add / del / ctx / hdr, text)
    truncated: bool


@dataclass
class VersionDiff:
    baseline: str
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    unchanged: int
    tensors: list[dict[str, str]]
    texts: list[TextDiff]
    inventory: bool  # both versions carry a model inventory (tensors, config, chat template)


def _files(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        str(f.get("path")): f
        for f in manifest.get("files") or []
        if isinstance(f, dict) and f.get("path") is not None
    }


def inventory_of(report: Any) -> dict[str, Any] | None:
    """A scan report's optional ``inventory``: ``tensors`` (file -> name -> {dtype, shape})
    and ``texts`` (config files, chat template) - what the diff compares beyond digests."""
    if isinstance(report, dict) and isinstance(report.get("inventory"), dict):
        inv: dict[str, Any] = report["inventory"]
        return inv
    return None


def _tensor_table(inv: dict[str, Any]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    tensors = inv.get("tensors")
    if not isinstance(tensors, dict):
        return out
    for file, table in list(tensors.items())[:1000]:
        if not isinstance(table, dict):
            continue
        for name, info in list(table.items())[:100_000]:
            if isinstance(info, dict):
                shape = info.get("shape")
                shape_text = (
                    "[" + ", ".join(str(x) for x in shape[:16]) + "]"
                    if isinstance(shape, list)
                    else _str(shape, 100)
                )
                out[f"{file}:{name}"[:1000]] = (_str(info.get("dtype"), 20), shape_text)
    return out


def _texts(inv: dict[str, Any]) -> dict[str, Any]:
    texts = inv.get("texts")
    return texts if isinstance(texts, dict) else {}


def _text_diff(name: str, old: str, new: str) -> TextDiff:
    lines: list[tuple[str, str]] = []
    diff = difflib.unified_diff(
        old[:MAX_TEXT_CHARS].splitlines(),
        new[:MAX_TEXT_CHARS].splitlines(),
        "baseline",
        "this version",
        lineterm="",
        n=2,
    )
    truncated = False
    for i, line in enumerate(diff):
        if i >= MAX_DIFF_LINES:
            truncated = True
            break
        if line.startswith(("---", "+++")):
            continue
        kind = "hdr" if line.startswith("@@") else {"+": "add", "-": "del"}.get(line[:1], "ctx")
        lines.append((kind, line))
    return TextDiff(name, lines, truncated)


def version_diff(
    baseline: str,
    old_manifest: dict[str, Any],
    new_manifest: dict[str, Any],
    old_report: Any,
    new_report: Any,
) -> VersionDiff:
    """Files added / removed / changed; with inventories, tensor and text changes too."""
    old, new = _files(old_manifest), _files(new_manifest)
    added = [new[p] for p in sorted(new.keys() - old.keys())]
    removed = [old[p] for p in sorted(old.keys() - new.keys())]
    changed = [
        {"path": p, "old": old[p], "new": new[p]}
        for p in sorted(old.keys() & new.keys())
        if old[p].get("digest") != new[p].get("digest")
    ]
    unchanged = len(old.keys() & new.keys()) - len(changed)
    old_inv, new_inv = inventory_of(old_report), inventory_of(new_report)
    tensors: list[dict[str, str]] = []
    texts: list[TextDiff] = []
    if old_inv is not None and new_inv is not None:
        ot, nt = _tensor_table(old_inv), _tensor_table(new_inv)
        for key in sorted(ot.keys() | nt.keys()):
            a, b = ot.get(key), nt.get(key)
            if a == b:
                continue
            tensors.append(
                {
                    "name": key,
                    "change": "added" if a is None else "removed" if b is None else "changed",
                    "old": "" if a is None else f"{a[0]} {a[1]}",
                    "new": "" if b is None else f"{b[0]} {b[1]}",
                }
            )
            if len(tensors) >= 1000:
                break
        otx = _texts(old_inv)
        ntx = _texts(new_inv)
        for name in sorted(set(otx) | set(ntx))[:50]:
            a_text = _str(otx.get(name), MAX_TEXT_CHARS)
            b_text = _str(ntx.get(name), MAX_TEXT_CHARS)
            if a_text != b_text:
                texts.append(_text_diff(str(name)[:200], a_text, b_text))
    return VersionDiff(
        baseline,
        added,
        removed,
        changed,
        unchanged,
        tensors,
        texts,
        old_inv is not None and new_inv is not None,
    )
