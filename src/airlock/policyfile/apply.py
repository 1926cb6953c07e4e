"""Applying a policy to a scan report (pure except for hashing files named by a digest rule).

- ``ignore``: objects and findings under an ignored path leave the report (listed in
  ``ignored`` with the pattern that matched);
- ``allow``: an AIR-PKL-002 "not on the allowlist" finding for an allowed name is removed;
- ``suppress``: a finding of the rule for a matching path or file digest is removed.
Nothing disappears silently: every removed finding is listed in ``report.policy`` with why.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePath
from typing import Any

from airlock.policyfile.model import PolicyFile, Suppression
from airlock.report import Finding
from airlock.scan.result import ScanReport

UNKNOWN_RULE = "AIR-PKL-002"


def _forms(location: str, base: str | None) -> list[str]:
    """The ways a pattern may name a location: as given, absolute, relative to the policy."""
    p = Path(location)
    out = [location, p.as_posix()]
    try:
        absolute = p.resolve()
    except OSError:
        return out
    out.append(absolute.as_posix())
    for root in (base, os.getcwd()):
        if root:
            try:
                out.append(absolute.relative_to(root).as_posix())
            except ValueError:
                pass
    return out


def _matches(pattern: str, location: str, base: str | None) -> bool:
    for form in _forms(location, base):
        if fnmatch.fnmatchcase(form, pattern) or PurePath(form).match(pattern):
            return True
        if fnmatch.fnmatchcase(form, pattern.rstrip("/") + "/*"):
            return True  # a directory pattern covers everything below it
    return False


def _digest(location: str, cache: dict[str, str | None]) -> str | None:
    if location not in cache:
        import hashlib  # only when a suppression names a digest

        h = hashlib.sha256()
        try:
            with open(location, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            cache[location] = h.hexdigest()
        except OSError:
            cache[location] = None
    return cache[location]


def _suppressed_by(
    f: Finding, rules: list[Suppression], base: str | None, cache: dict[str, str | None]
) -> Suppression | None:
    for s in rules:
        if s.rule != f.rule_id:
            continue
        if s.path is not None and _matches(s.path, f.location, base):
            return s
        if s.digest is not None and _digest(f.location, cache) == s.digest:
            return s
    return None


def apply_policy(report: ScanReport, policy: PolicyFile) -> ScanReport:
    """Apply ``policy`` to ``report`` in place (and return it); records the policy in force."""
    base = policy.base_dir
    removed: list[dict[str, Any]] = []
    if policy.ignore:
        kept_objects = []
        for o in report.objects:
            pat = next((p for p in policy.ignore if _matches(p, o.location, base)), None)
            if pat is None:
                kept_objects.append(o)
            elif o.member is None:
                report.ignored.append(f"{o.location}: ignored by policy ({pat})")
        report.objects = kept_objects
    cache: dict[str, str | None] = {}
    kept: list[Finding] = []
    for f in report.findings:
        if policy.ignore and any(_matches(p, f.location, base) for p in policy.ignore):
            continue
        name = f.extra.get("callable") if f.rule_id == UNKNOWN_RULE else None
        allowed = policy.allowed(name) if isinstance(name, str) else None
        if allowed is not None:
            removed.append(_note(f, "allowed", allowed.reason))
            continue
        sup = _suppressed_by(f, list(policy.suppress), base, cache) if policy.suppress else None
        if sup is not None:
            removed.append(_note(f, "suppressed", sup.reason, sup.expires))
            continue
        kept.append(f)
    report.findings = kept
    report.policy = {**policy.record(), "removed": removed}
    return report


def _note(f: Finding, how: str, reason: str, expires: Any = None) -> dict[str, Any]:
    out = {"how": how, "rule_id": f.rule_id, "location": f.location, "member": f.member,
           "subject": f.extra.get("callable") or f.title, "reason": reason}  # fmt: skip
    if expires is not None:
        out["expires"] = expires.isoformat()
    return out
