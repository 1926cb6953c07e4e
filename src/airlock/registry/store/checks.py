"""The deployment gate: may this exact version run?"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select, text

from airlock.provenance.manifest import Manifest, parse_manifest_json
from airlock.registry.adapter_base import name_problem
from airlock.registry.db import VersionRow
from airlock.registry.policy import (
    adapter_base_requirement,
    adapter_local_base_allowed,
    required_facts,
)
from airlock.registry.records import AllowedVersion, AllowedVersions, GateDecision
from airlock.registry.replay import gate_problems
from airlock.registry.store.advisories import advisories_for
from airlock.registry.store.base import MISSING, Q_GATE_HEAD, StoreBase, check_digest
from airlock.registry.store.policies import policy_context, policy_for
from airlock.report import Severity

# The gate's hot path uses plain SQL on a Connection: the ORM costs several times more per call.
_Q_VERSION = text(
    "SELECT v.id, v.state, m.name, m.source, v.kind, v.base_digest, v.base_model, "
    "v.source_revision FROM versions v JOIN models m ON m.id = v.model_id WHERE v.digest = :d"
)
MAX_BASE_CHAIN = 4  # adapter on adapter on ... : deeper chains (or cycles) deny
_Q_MANIFEST = text("SELECT manifest FROM versions WHERE id = :v")


class Checks(StoreBase):
    """The deployment gate (hot path: plain SQL, answers cached per audit sequence number)
    and the allowlist of what it allows."""

    def check(
        self,
        target: str | Manifest | dict[str, Any],
        *,
        advisory_fail_on: Severity | None = None,
    ) -> GateDecision:
        """May this exact version run? ``target`` is a root digest or a manifest.

        Deny when the version is unknown, not approved (submitted, rejected, revoked), named by
        an advisory at ``advisory_fail_on`` or above, or its policy no longer holds; a manifest
        must also list exactly the registered files.
        """
        manifest: Manifest | None = None
        if isinstance(target, dict):
            manifest = parse_manifest_json(json.dumps(target), "manifest")
        elif isinstance(target, Manifest):
            manifest = target
        digest = manifest.root_digest if manifest is not None else check_digest(str(target))
        advisory_fail_on = Severity.LOW if advisory_fail_on is None else advisory_fail_on
        key = ("check", digest, int(advisory_fail_on))
        with self._conn() as conn:
            seq, last = conn.execute(Q_GATE_HEAD).one()
            consistent = seq == (last or 0)
            if manifest is None and consistent:
                hit = self._cache.get(key, seq)
                if hit is not MISSING:
                    cached: GateDecision = hit
                    return cached
            decision, timeless = self._check(conn, seq, digest, manifest, advisory_fail_on)
        if manifest is None and timeless and consistent:
            self._cache.put(key, seq, decision)
        return decision

    def _check(
        self,
        conn: Connection,
        seq: int,
        digest: str,
        manifest: Manifest | None,
        advisory_fail_on: Severity,
        depth: int = 0,
    ) -> tuple[GateDecision, bool]:
        """The decision, and whether it holds until the next mutation (a policy that looks at
        the age of check attestations can change its answer with time alone)."""
        found = conn.execute(_Q_VERSION, {"d": digest}).first()
        if found is None:
            return GateDecision(False, digest, None, None, ("version is not registered",)), True
        vid, state, model, source, kind, base_digest, base_model, _revision = found
        reasons: list[str] = []
        warnings: list[str] = []
        # The rows below are what the answer rests on; no event hash covers them. Replay this
        # version's events and deny when the rows are not what they recorded (a direct
        # database edit: audit verify reports the same, this keeps the gate from acting on it).
        tampered = gate_problems(conn, digest)
        if depth == 0:
            tampered = self.verified.check(conn, seq) + tampered
        if tampered:
            reasons.append(
                "registry records of this version fail audit verification (changed outside "
                f"the registry): {'; '.join(tampered[:3])}"
            )
        if state != "approved":
            reasons.append(f"version is {state}, not approved")
        if manifest is not None:
            text_ = conn.execute(_Q_MANIFEST, {"v": vid}).scalar_one()
            stored = {(f["path"], f["digest"]) for f in json.loads(text_)["files"]}
            given = {(f.path, f.digest) for f in manifest.files}
            if stored != given:
                reasons.append("manifest file list differs from the registered version")
        advisories = advisories_for(conn, vid)
        for a in advisories:
            line = f"advisory {a.id} ({a.severity}): {a.description[:200]}"
            if Severity.parse(a.severity) >= advisory_fail_on:
                reasons.append(line)
            else:
                warnings.append(line)
        timeless = True
        rule = self._cache.get(("policy", model), seq)
        if rule is MISSING:
            rule = policy_for(conn, model)
            self._cache.put(("policy", model), seq, rule)
        if state == "approved":
            timeless = "checks" not in required_facts(rule)
            result = rule.evaluate(policy_context(conn, vid, digest, source, rule))
            reasons.extend(f"policy: {r}" for r in result.reasons)
        if kind == "adapter":
            require = adapter_base_requirement(rule)
            why, base_timeless = self._base(
                conn, seq, base_digest, require, advisory_fail_on, depth
            )
            why += self._base_name(conn, base_digest, base_model, rule)
            reasons.extend(why)
            timeless = timeless and base_timeless
        decision = GateDecision(
            allow=not reasons,
            digest=digest,
            state=state,
            model=model,
            reasons=tuple(reasons),
            warnings=tuple(warnings),
            advisories=tuple(a.to_json() for a in advisories),
        )
        return decision, timeless

    def _base(
        self,
        conn: Connection,
        seq: int,
        base_digest: str,
        require: str,
        advisory_fail_on: Severity,
        depth: int,
    ) -> tuple[list[str], bool]:
        """Why an adapter's base does not meet ``require`` (empty: it does)."""
        if not base_digest:
            return ["adapter records no base version"], True
        short = f"base {base_digest[:16]}…"
        if require == "any":
            return [], True
        found = conn.execute(_Q_VERSION, {"d": base_digest}).first()
        if found is None:
            return [f"{short} is not registered"], True
        state, name = found[1], found[2]
        if require == "registered":
            bad = state in ("rejected", "revoked")
            return ([f"{short} ({name}) is {state}"] if bad else []), True
        if depth + 1 >= MAX_BASE_CHAIN:
            return [f"{short}: chain of adapter bases deeper than {MAX_BASE_CHAIN}"], True
        decision, timeless = self._check(conn, seq, base_digest, None, advisory_fail_on, depth + 1)
        if decision.allow:
            return [], timeless
        why = "; ".join(decision.reasons)
        return [f"{short} ({name}) is not an approved deployment: {why}"], timeless

    def _base_name(self, conn: Connection, base_digest: str, claim: str, rule: Any) -> list[str]:
        """Why the base the adapter loads (its config's base, recorded as ``base_model``) is
        not shown to be its base version's repository (empty: it is, or the base version is
        not registered -- :meth:`_base` says so when the policy cares)."""
        found = conn.execute(_Q_VERSION, {"d": base_digest}).first() if base_digest else None
        if found is None:
            return []
        problem = name_problem(claim, found[2], found[3], found[7])
        if problem is None or (not problem[1] and adapter_local_base_allowed(rule)):
            return []
        hint = "" if problem[1] else " (policy adapter_base local_base: allow accepts it)"
        return [problem[0] + hint]

    def allowlist(self) -> AllowedVersions:
        """Every version the gate allows right now (for the signed offline allowlist)."""
        with self._read() as s:
            rows = s.execute(
                select(VersionRow.digest)
                .where(VersionRow.state == "approved")
                .order_by(VersionRow.digest)
            ).scalars()
            digests = list(rows)
        allowed = []
        for d in digests:
            decision = self.check(d)
            if decision.allow:
                allowed.append(AllowedVersion(d, decision.model))
        return AllowedVersions(tuple(allowed))
