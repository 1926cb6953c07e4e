"""Approval policies as small composable rules (after sigstore-python's ``AllOf`` / ``AnyOf``).

A rule looks at what the registry knows about one version (its source, the distinct identities
that approved it, the identities whose OMS signatures verified, its scan reports) and answers
pass or fail with reasons. Policies are stored as JSON::

    {"all_of": [{"rule": "min_approvers", "count": 2},
                {"rule": "scan_clean", "severity": "high"},
                {"any_of": [{"rule": "required_signers", "signers": ["release-bot"]},
                            {"rule": "allowed_sources", "patterns": ["hf:my-org/*"]}]}]}

``separation_of_duties`` counts only approvers who did not also vouch for the artefact
themselves (its OMS signers and the checkers whose signed verdicts are attached).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from airlock.registry.errors import InvalidRequest
from airlock.report import Severity

MAX_POLICY_DEPTH = 8
MAX_POLICY_RULES = 64
MAX_LIST_ITEMS = 64
MAX_FINDINGS_WALKED = 100_000


@dataclass(frozen=True)
class CheckFact:
    """A verified, signed check verdict (``airlock check --attest``) attached to the version."""

    checker: str  # identity of the registered key that signed it
    verdict: str  # allow / deny
    issued_at: datetime


@dataclass(frozen=True)
class PolicyContext:
    """The facts about one version that rules judge."""

    digest: str
    source: str
    approvers: frozenset[str] = frozenset()
    signers: frozenset[str] = frozenset()
    scan_reports: Sequence[dict[str, Any]] = ()  # newest first
    checks: Sequence[CheckFact] = ()  # newest first
    now: datetime | None = None


@dataclass(frozen=True)
class PolicyResult:
    ok: bool
    reasons: tuple[str, ...] = ()


class Rule(Protocol):
    def evaluate(self, ctx: PolicyContext) -> PolicyResult: ...

    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class RequiredSigners:
    """Every listed identity has a verified OMS signature over the version."""

    signers: tuple[str, ...]

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        missing = [s for s in self.signers if s not in ctx.signers]
        if missing:
            return PolicyResult(False, (f"missing OMS signature by {', '.join(missing)}",))
        return PolicyResult(True)

    def to_json(self) -> dict[str, Any]:
        return {"rule": "required_signers", "signers": list(self.signers)}


def report_findings(report: Any, limit: int = MAX_FINDINGS_WALKED) -> list[dict[str, Any]]:
    """Findings of an ``airlock.scan-report/v1`` document, top level or per file (up to about
    ``limit``: the walk stops once it has that many)."""
    out: list[dict[str, Any]] = []
    stack: list[Any] = [report]
    while stack and len(out) < limit:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        found = node.get("findings")
        if isinstance(found, list):
            out.extend(f for f in found if isinstance(f, dict))
        files = node.get("files")
        if isinstance(files, list):
            stack.extend(files[:limit])
    return out


def _not_scanned_count(report: dict[str, Any]) -> int:
    """Objects the scanner could not read, from ``airlock.scan-report/v1`` (``summary`` and
    ``objects[].status``) or a plain ``not_scanned`` list."""
    counts = [0]
    listed = report.get("not_scanned")
    if isinstance(listed, list):
        counts.append(len(listed))
    summary = report.get("summary")
    if isinstance(summary, dict) and isinstance(summary.get("not_scanned"), int):
        counts.append(summary["not_scanned"])
    objects = report.get("objects")
    if isinstance(objects, list):
        counts.append(
            sum(1 for o in objects if isinstance(o, dict) and o.get("status") == "not_scanned")
        )
    return max(counts)


def _finding_severity(finding: dict[str, Any]) -> Severity:
    try:
        return Severity.parse(str(finding.get("severity", "")))
    except ValueError:
        return Severity.CRITICAL  # unknown severity: assume the worst


@dataclass(frozen=True)
class ScanClean:
    """The newest scan report is complete and has no finding at ``severity`` or above."""

    severity: Severity

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        if not ctx.scan_reports:
            return PolicyResult(False, ("no scan report attached",))
        report = ctx.scan_reports[0]
        bad = [f for f in report_findings(report) if _finding_severity(f) >= self.severity]
        reasons = []
        if bad:
            ids = sorted({str(f.get("rule_id", "?")) for f in bad})[:10]
            reasons.append(
                f"scan found {len(bad)} finding(s) at {self.severity} or above ({', '.join(ids)})"
            )
        reasons.extend(_summary_problems(report, self.severity, len(bad)))
        unread = _not_scanned_count(report)
        if unread:
            reasons.append(f"scan incomplete: {unread} object(s) not scanned")
        return PolicyResult(not reasons, tuple(reasons))

    def to_json(self) -> dict[str, Any]:
        return {"rule": "scan_clean", "severity": str(self.severity)}


def _summary_problems(report: dict[str, Any], severity: Severity, listed_bad: int) -> list[str]:
    """Fail closed on a report that is not a scan result, or whose own summary counts more
    findings than it lists (rt24sbx: ``{"schema": ..., "verdict": "DENY"}`` with no findings
    list, or a summary of 1 critical finding over an emptied list, passed ``scan_clean``).
    The engine's reports always list every finding their summary counts."""
    has_list = isinstance(report.get("findings"), list) or isinstance(report.get("files"), list)
    if not has_list:
        return ["scan report lists no findings (not a complete airlock.scan-report/v1 result)"]
    summary = report.get("summary")
    if not isinstance(summary, dict) or listed_bad:
        return []
    out: list[str] = []
    listed = len(report_findings(report))
    counted = summary.get("findings")
    if isinstance(counted, int) and not isinstance(counted, bool) and counted > listed:
        out.append(f"scan report lists {listed} of the {counted} findings its summary counts")
    by_sev = summary.get("by_severity")
    if isinstance(by_sev, dict):
        over = 0
        for name, n in by_sev.items():
            try:
                sev = Severity.parse(str(name))
            except ValueError:
                continue
            if sev >= severity and isinstance(n, int) and not isinstance(n, bool) and n > 0:
                over += n
        if over > listed_bad:
            out.append(f"scan summary counts {over} finding(s) at {severity} or above")
    top = summary.get("max_severity")
    if not out and isinstance(top, str):
        try:
            if Severity.parse(top) >= severity:
                out.append(f"scan summary's highest severity is {top}")
        except ValueError:
            out.append(f"scan summary's highest severity {top[:20]!r} is unknown")
    return out


@dataclass(frozen=True)
class CheckAttested:
    """The newest signed check verdict by one of ``checkers`` allows, and is fresh.

    Unlike a scan report (any publish token can post one), a check attestation is signed by a
    registered checker key (a CI job's), so a token alone cannot invent a clean verdict.
    """

    checkers: tuple[str, ...]
    max_age_hours: int

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        mine = [c for c in ctx.checks if c.checker in self.checkers]
        if not mine:
            return PolicyResult(
                False, (f"no signed check attestation by {', '.join(self.checkers)}",)
            )
        newest = max(mine, key=lambda c: c.issued_at)
        if newest.verdict != "allow":
            return PolicyResult(
                False, (f"newest signed check by {newest.checker} says {newest.verdict}",)
            )
        now = ctx.now or datetime.now(UTC)
        if now - newest.issued_at > timedelta(hours=self.max_age_hours):
            return PolicyResult(
                False,
                (
                    f"newest signed check by {newest.checker} is older than "
                    f"{self.max_age_hours} h (signed {newest.issued_at.isoformat()})",
                ),
            )
        return PolicyResult(True)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": "check_attested",
            "checkers": list(self.checkers),
            "max_age_hours": self.max_age_hours,
        }


@dataclass(frozen=True)
class MinApprovers:
    """At least ``count`` distinct identities approved the version."""

    count: int

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        have = len(ctx.approvers)
        if have < self.count:
            return PolicyResult(False, (f"{have} of {self.count} required approvals",))
        return PolicyResult(True)

    def to_json(self) -> dict[str, Any]:
        return {"rule": "min_approvers", "count": self.count}


@dataclass(frozen=True)
class SeparationOfDuties:
    """At least ``count`` approvers who neither signed the model (OMS) nor signed a check verdict
    attached to it: whoever vouched for the artefact does not also get to let it in."""

    count: int = 1

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        producers = ctx.signers | {c.checker for c in ctx.checks}
        conflicted = sorted(ctx.approvers & producers)
        have = len(ctx.approvers - producers)
        if have >= self.count:
            return PolicyResult(True)
        reason = f"{have} of {self.count} required approvals by someone other than its signers"
        if conflicted:
            reason += f" ({', '.join(conflicted)} also signed the model or its check)"
        return PolicyResult(False, (reason,))

    def to_json(self) -> dict[str, Any]:
        return {"rule": "separation_of_duties", "count": self.count}


@dataclass(frozen=True)
class AllowedSources:
    """The model's source matches one of the glob patterns (``hf:my-org/*``)."""

    patterns: tuple[str, ...]

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        if any(fnmatch.fnmatchcase(ctx.source, p) for p in self.patterns):
            return PolicyResult(True)
        return PolicyResult(False, (f"source {ctx.source!r} is not an allowed source",))

    def to_json(self) -> dict[str, Any]:
        return {"rule": "allowed_sources", "patterns": list(self.patterns)}


BASE_REQUIREMENTS = ("approved", "registered", "any")


@dataclass(frozen=True)
class AdapterBase:
    """A setting, not a test of the version's facts: what the gate requires of an adapter's
    base version. ``approved`` (the default when no policy says otherwise): the base is itself
    a version the gate allows -- an adapter on an unapproved base is not an approved
    deployment; ``registered``: the base is registered and neither rejected nor revoked;
    ``any``: a recorded base digest is enough. Allowed only at the top of a policy or in its
    top-level ``all_of`` (an alternative that always holds would void an ``any_of``).

    The base the adapter's config names (what peft fetches) must be the base version's
    repository; ``local_base: allow`` accepts a name that cannot be compared (a local path, no
    name, a base registered without a hub source or hub-like name). A mismatch always denies."""

    require: str = "approved"
    local_base: str = ""  # "allow", "deny" or "" (unset: deny)

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        return PolicyResult(True)  # enforced by the gate (``store.checks``)

    def to_json(self) -> dict[str, Any]:
        out = {"rule": "adapter_base", "require": self.require}
        if self.local_base:
            out["local_base"] = self.local_base
        return out


def _settings(rule: Rule) -> list[AdapterBase]:
    found: list[AdapterBase] = []
    stack: list[Rule] = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, AdapterBase):
            found.append(node)
        elif isinstance(node, AllOf):
            stack.extend(node.rules)
    return found


def adapter_local_base_allowed(rule: Rule) -> bool:
    """Whether an effective policy accepts an adapter base name that cannot be compared with
    its base version: some ``adapter_base`` says ``local_base: allow`` and none says ``deny``."""
    said = {s.local_base for s in _settings(rule)}
    return "allow" in said and "deny" not in said


def adapter_base_requirement(rule: Rule) -> str:
    """The strictest ``adapter_base`` setting in an effective policy (default ``approved``)."""
    found = [s.require for s in _settings(rule)]
    if not found:
        return "approved"
    return min(found, key=BASE_REQUIREMENTS.index)


@dataclass(frozen=True)
class AllOf:
    rules: tuple[Rule, ...] = field(default=())

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        reasons: list[str] = []
        for rule in self.rules:
            result = rule.evaluate(ctx)
            reasons.extend(result.reasons)
        return PolicyResult(not reasons, tuple(reasons))

    def to_json(self) -> dict[str, Any]:
        return {"all_of": [r.to_json() for r in self.rules]}


@dataclass(frozen=True)
class AnyOf:
    rules: tuple[Rule, ...] = field(default=())

    def evaluate(self, ctx: PolicyContext) -> PolicyResult:
        reasons: list[str] = []
        for rule in self.rules:
            result = rule.evaluate(ctx)
            if result.ok:
                return PolicyResult(True)
            reasons.extend(result.reasons)
        return PolicyResult(False, (f"none of the alternatives hold: {'; '.join(reasons)}",))

    def to_json(self) -> dict[str, Any]:
        return {"any_of": [r.to_json() for r in self.rules]}


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if (
        not isinstance(value, list)
        or not value
        or len(value) > MAX_LIST_ITEMS
        or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in value)
    ):
        raise InvalidRequest(
            f"{where}.{key}: must be a list of 1-{MAX_LIST_ITEMS} non-empty strings"
        )
    return tuple(value)


def parse_policy(data: Any, where: str = "policy") -> Rule:
    """Build a rule tree from its JSON form; bounded in depth and size."""
    count = [0]

    def build(node: Any, path: str, depth: int, top_level: bool = True) -> Rule:
        count[0] += 1
        if count[0] > MAX_POLICY_RULES:
            raise InvalidRequest(f"{where}: more than {MAX_POLICY_RULES} rules")
        if depth > MAX_POLICY_DEPTH:
            raise InvalidRequest(f"{path}: nested deeper than {MAX_POLICY_DEPTH}")
        if not isinstance(node, dict) or len(node) > 3:
            raise InvalidRequest(f"{path}: a rule must be a small JSON object")
        for combinator, cls in (("all_of", AllOf), ("any_of", AnyOf)):
            if combinator in node:
                items = node[combinator]
                if not isinstance(items, list) or len(items) > MAX_LIST_ITEMS:
                    raise InvalidRequest(f"{path}.{combinator}: must be a list of rules")
                if combinator == "any_of" and not items:
                    raise InvalidRequest(f"{path}.any_of: must not be empty")
                inner = top_level and combinator == "all_of"
                children = tuple(
                    build(item, f"{path}.{combinator}[{i}]", depth + 1, inner)
                    for i, item in enumerate(items)
                )
                return cls(children)
        kind = node.get("rule")
        if kind == "adapter_base":
            if not top_level:
                raise InvalidRequest(f"{path}: adapter_base is a setting: top level or all_of")
            require = node.get("require", "approved")
            if require not in BASE_REQUIREMENTS:
                raise InvalidRequest(f"{path}.require: one of {', '.join(BASE_REQUIREMENTS)}")
            local = node.get("local_base", "")
            if local not in ("", "allow", "deny"):
                raise InvalidRequest(f"{path}.local_base: allow or deny")
            return AdapterBase(str(require), str(local))
        if kind == "required_signers":
            return RequiredSigners(_strings(node, "signers", path))
        if kind == "allowed_sources":
            return AllowedSources(_strings(node, "patterns", path))
        if kind == "min_approvers":
            n = node.get("count")
            if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 100:
                raise InvalidRequest(f"{path}.count: must be an integer from 1 to 100")
            return MinApprovers(n)
        if kind == "separation_of_duties":
            n = node.get("count", 1)
            if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 100:
                raise InvalidRequest(f"{path}.count: must be an integer from 1 to 100")
            return SeparationOfDuties(n)
        if kind == "check_attested":
            hours = node.get("max_age_hours", 168)
            if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 8760:
                raise InvalidRequest(f"{path}.max_age_hours: must be an integer from 1 to 8760")
            return CheckAttested(_strings(node, "checkers", path), hours)
        if kind == "scan_clean":
            try:
                return ScanClean(Severity.parse(str(node.get("severity", ""))))
            except ValueError as exc:
                raise InvalidRequest(f"{path}.severity: {exc}") from None
        raise InvalidRequest(
            f"{path}: unknown rule {str(kind)[:40]!r} (expected all_of, any_of, required_signers, "
            "scan_clean, check_attested, min_approvers, separation_of_duties, allowed_sources or "
            "adapter_base)"
        )

    return build(data, where, 0)


DEFAULT_POLICY: Rule = MinApprovers(1)


def required_facts(rule: Rule) -> frozenset[str]:
    """Which facts (``approvers``, ``signers``, ``scans``, ``checks``) a rule tree looks at."""
    if isinstance(rule, AllOf | AnyOf):
        return frozenset().union(*(required_facts(r) for r in rule.rules))
    if isinstance(rule, MinApprovers):
        return frozenset({"approvers"})
    if isinstance(rule, SeparationOfDuties):
        return frozenset({"approvers", "signers", "checks"})
    if isinstance(rule, RequiredSigners):
        return frozenset({"signers"})
    if isinstance(rule, ScanClean):
        return frozenset({"scans"})
    if isinstance(rule, CheckAttested):
        return frozenset({"checks"})
    if isinstance(rule, AllowedSources | AdapterBase):
        return frozenset()
    return frozenset({"approvers", "signers", "scans", "checks"})
