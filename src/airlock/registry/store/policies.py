"""Approval policies and their evaluation against a version's facts."""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from airlock.registry import audit
from airlock.registry.db import PolicyRow, utcnow
from airlock.registry.policy import (
    DEFAULT_POLICY,
    AllOf,
    CheckFact,
    PolicyContext,
    PolicyResult,
    Rule,
    parse_policy,
    required_facts,
)
from airlock.registry.records import Policy, PolicyEvaluation
from airlock.registry.store.base import GLOBAL_SCOPE, Facts, StoreBase, aware, check_name, json_text

_Q_POLICIES = text("SELECT document FROM policies WHERE scope IN ('*', :m) ORDER BY scope")
_Q_APPROVERS = text(
    "SELECT DISTINCT approver FROM decisions WHERE version_id = :v AND decision = 'approve'"
)
_Q_SIGNERS = text(
    "SELECT DISTINCT signer FROM attestations "
    "WHERE version_id = :v AND kind = 'oms' AND signer IS NOT NULL"
)
_Q_CHECKS = text(
    "SELECT signer, verdict, issued_at FROM attestations "
    "WHERE version_id = :v AND kind = 'check' AND signer IS NOT NULL ORDER BY id DESC LIMIT 1000"
)
_Q_SCAN = text(
    "SELECT document FROM attestations WHERE version_id = :v AND kind = 'scan' "
    "ORDER BY id DESC LIMIT 1"
)


@functools.lru_cache(maxsize=256)
def parsed_policy(document: str) -> Rule:
    return parse_policy(json.loads(document))


def policy_for(conn: Connection, model: str) -> Rule:
    """The effective policy: the global one and the model's, both must hold."""
    rules = [parsed_policy(doc) for (doc,) in conn.execute(_Q_POLICIES, {"m": model})]
    if not rules:
        return DEFAULT_POLICY
    return rules[0] if len(rules) == 1 else AllOf(tuple(rules))


def policy_context(
    conn: Connection, vid: int, digest: str, source: str, rule: Rule
) -> PolicyContext:
    """The facts ``rule`` looks at (only those: the gate runs this on every check)."""
    needs = required_facts(rule)
    approvers: frozenset[str] = frozenset()
    signers: frozenset[str] = frozenset()
    reports: list[dict[str, Any]] = []
    if "approvers" in needs:
        approvers = frozenset(r[0] for r in conn.execute(_Q_APPROVERS, {"v": vid}))
    if "signers" in needs:
        signers = frozenset(r[0] for r in conn.execute(_Q_SIGNERS, {"v": vid}))
    if "scans" in needs:
        latest = conn.execute(_Q_SCAN, {"v": vid}).scalar_one_or_none()
        reports = [json.loads(latest)] if latest else []
    checks: list[CheckFact] = []
    if "checks" in needs:
        checks = [
            CheckFact(signer, verdict, aware(issued))
            for signer, verdict, issued in conn.execute(_Q_CHECKS, {"v": vid})
        ]
    return PolicyContext(digest, source, approvers, signers, reports, checks)


class Policies(StoreBase):
    """Approval policies (global and per model) and their evaluation."""

    def set_policy(self, scope: str, document: Any, *, actor: str) -> Policy:
        """Set the global policy (scope ``*``) or one model's policy (scope = model name)."""
        if scope != GLOBAL_SCOPE:
            check_name(scope, "policy scope")
        rule = parse_policy(document)
        text, _ = json_text(rule.to_json(), "policy")
        with self._write() as (s, head):
            row = s.execute(select(PolicyRow).where(PolicyRow.scope == scope)).scalar_one_or_none()
            if row is None:
                s.add(PolicyRow(scope=scope, document=text, updated_at=utcnow()))
            else:
                row.document = text
                row.updated_at = utcnow()
            audit.append(
                s, head, actor=actor, action="policy.set", subject=scope, payload=rule.to_json()
            )
        return Policy(scope, rule.to_json())

    def list_policies(self) -> list[Policy]:
        with self._read() as s:
            return [
                Policy(p.scope, json.loads(p.document))
                for p in s.execute(select(PolicyRow).order_by(PolicyRow.scope)).scalars()
            ]

    def evaluate_policy(self, digest: str) -> PolicyEvaluation:
        with self._read() as s:
            facts = self._version(s, digest)
            result, rule = evaluate(s, facts)
            return PolicyEvaluation(result.ok, tuple(result.reasons), rule.to_json())


def evaluate(s: Session, facts: Facts) -> tuple[PolicyResult, Rule]:
    conn = s.connection()
    rule = policy_for(conn, facts.model.name)
    ctx = policy_context(conn, facts.version.id, facts.version.digest, facts.model.source, rule)
    return rule.evaluate(ctx), rule
