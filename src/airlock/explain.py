"""``airlock explain NAME|RULE``: why a pickle global is allowed, denied or unknown, or what a rule
means, and where that was decided (allowlist group and file, danger category, policy file).

Pure lookups over the shipped allowlist, the rule tables and the policy in force.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from airlock.policyfile.model import PolicyFile

ALLOWLIST_FILE = "airlock/scan/data/pickle_allowlist.json"
_RULE_ID = re.compile(r"AIR-[A-Z0-9]+(-[A-Z0-9]+)*")
_SECTIONS = {
    "import_args": "allowed only when its module/name arguments name an allowed global",
    "nested_args": "allowed only when the bytes it loads are in the pickle and judged as a file",
    "match_args": "allowed only when its arguments match the listed shape",
}


@lru_cache(maxsize=1)
def _allowlist_doc() -> dict[str, Any]:
    text = resources.files("airlock.scan").joinpath("data/pickle_allowlist.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


@lru_cache(maxsize=1)
def all_rules() -> dict[str, dict[str, Any]]:
    """Every rule id Airlock can report, from the scanner's one rule registry."""
    from airlock.scan.format_rules import all_rules as registry

    return {
        r.rule_id: {"title": r.title, "severity": str(r.severity), "why": r.why,
                    "reference": r.reference, "defined_in": r.defined_in}
        for r in registry()
    }  # fmt: skip


def explain_rule(rule_id: str, policy: PolicyFile | None = None) -> dict[str, Any]:
    rule = all_rules().get(rule_id)
    if rule is None:
        return {"subject": rule_id, "kind": "rule", "status": "unknown rule"}
    out = {"subject": rule_id, "kind": "rule", "status": "rule", **rule}
    if policy is not None:
        sups = [s for s in policy.suppress if s.rule == rule_id]
        if sups:
            out["policy"] = {
                "source": policy.source, "sha256": policy.sha256,
                "suppressions": [{"path": s.path, "digest": s.digest, "reason": s.reason,
                                  "expires": s.expires.isoformat() if s.expires else None}
                                 for s in sups],
            }  # fmt: skip
    return out


def explain_name(name: str, policy: PolicyFile | None = None) -> dict[str, Any]:
    """What loading a pickle that names ``name`` (``module.qualname``) gets from Airlock."""
    from airlock.scan.allowlist import (
        ALLOW,
        DANGER,
        DUNDER,
        REF_ONLY,
        canonical,
        default_policy,
        group_names,
    )

    doc = _allowlist_doc()
    module, _, qual = name.rpartition(".")
    mapped = ".".join(p for p in canonical(module, qual) if p)
    if mapped != name:  # __builtin__.eval: the scanner judges what an unpickler imports
        as_read = explain_name(mapped, policy)
        as_read.update(subject=name, read_as=mapped,
                       note=f"a Python 2 name: unpicklers import {mapped} for it in protocol "
                       "0-2 pickles, and that is what the scanner judges")  # fmt: skip
        return as_read
    verdict = default_policy().classify(module, qual)
    out: dict[str, Any] = {"subject": name, "kind": "name", "status": verdict.status}
    where = f"{ALLOWLIST_FILE} (version {doc.get('version')})"
    for section, meaning in _SECTIONS.items():
        if name in doc.get(section, {}):
            out.update(status="conditional", why=f"{meaning}: {doc[section].get('_why', '')}",
                       decided_in=f"{where}, {section}",
                       shape=doc[section][name])  # fmt: skip
            return out
    if verdict.status == ALLOW:
        group = next((g for g in doc["allow"] if name in group_names(g)), None)
        if group is not None:
            out.update(why=group["why"], decided_in=f"{where}, allow group {group['group']!r}")
            if "seen_in" in group:
                out["seen_in"] = group["seen_in"]
        else:
            prefix = next((p for p in doc.get("allow_prefixes", [])
                           if name.startswith(p["prefix"])), None)  # fmt: skip
            out.update(why=prefix["why"] if prefix else "", decided_in=f"{where}, allow_prefixes")
    elif verdict.status == REF_ONLY:
        ref: dict[str, Any] = next((g for g in doc["ref_only"] if name in group_names(g)), {})
        out.update(why=ref.get("why", ""), decided_in=f"{where}, ref_only",
                   blocks="when called (AIR-PKL-009, high)")  # fmt: skip
    elif verdict.status == DANGER:
        out.update(why=verdict.why, category=verdict.category, matched=verdict.matched,
                   severity=str(verdict.severity), reference=verdict.reference,
                   decided_in=f"{where}, dangerous category {verdict.category!r}",
                   blocks="always (AIR-PKL-001)")  # fmt: skip
    elif verdict.status == DUNDER:
        out.update(why="walks through a __dunder__ attribute (attribute traversal)",
                   decided_in="airlock.scan.allowlist (dunder rule)",
                   blocks="always (AIR-PKL-008, high)")  # fmt: skip
    else:
        out.update(why="not on Airlock's allowlist: nothing says what unpickling it runs",
                   decided_in=f"{where}: in no allow group",
                   blocks="yes (AIR-PKL-002, high): an allowlist scanner fails closed")  # fmt: skip
        allowed = policy.allowed(name) if policy is not None else None
        if allowed is not None and policy is not None:
            out.update(status="allowed by policy", why=allowed.reason,
                       decided_in=f"policy file {policy.source} (sha256 {policy.sha256})",
                       blocks="no")  # fmt: skip
    return out


def explain(subject: str, policy: PolicyFile | None = None) -> dict[str, Any]:
    """A rule id (``AIR-PKL-002``) or a dotted global name (``torch.nn.Linear``)."""
    subject = subject.strip()
    if _RULE_ID.fullmatch(subject):
        return explain_rule(subject, policy)
    return explain_name(subject, policy)
