"""Signed decisions (approve, reject, revoke) applied to the version state machine."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from airlock.registry import audit
from airlock.registry.db import DecisionRow, utcnow
from airlock.registry.errors import Conflict, InvalidRequest, SignatureInvalid
from airlock.registry.records import DecisionOutcome
from airlock.registry.statements import FROM_STATE, Decision, verify_decision
from airlock.registry.store.base import StoreBase, json_text
from airlock.registry.store.keys import trusted
from airlock.registry.store.policies import evaluate
from airlock.registry.store.versions import next_record


class Decisions(StoreBase):
    """Signed approve / reject / revoke statements and the state machine."""

    def decide(self, envelope: dict[str, Any], *, actor: str) -> DecisionOutcome:
        """Apply a signed approve / reject / revoke statement (see ``statements``).

        Approvals accumulate; the version becomes ``approved`` once its policy holds. A reject
        or revoke takes effect at once. Statements for another state, replays (same nonce) and
        unknown keys are refused and nothing is written.
        """
        try:
            with self._read() as s:
                decision = verify_decision(envelope, lambda kid: trusted(s, kid))
        except SignatureInvalid as exc:
            self._refusal("decision.refused", "-", str(exc), actor)
            raise
        envelope_text, envelope_sha = json_text(envelope, "envelope")
        try:
            return self._apply_decision(decision, envelope_text, envelope_sha, actor)
        except Conflict as exc:
            self._refusal("decision.refused", decision.digest, str(exc), actor)
            raise

    def _apply_decision(
        self, decision: Decision, envelope_text: str, envelope_sha: str, actor: str
    ) -> DecisionOutcome:
        with self._write() as (s, head):
            facts = self._version(s, decision.digest)
            v = facts.version
            if facts.model.name != decision.model:
                raise InvalidRequest(
                    f"statement names model {decision.model[:80]!r}, version belongs to "
                    f"{facts.model.name!r}"
                )
            if s.execute(select(DecisionRow.id).where(DecisionRow.nonce == decision.nonce)).first():
                raise Conflict("this signed statement was already used (replay)")
            if FROM_STATE[decision.decision] != v.state:
                raise Conflict(_wrong_state(decision.decision, v.digest, v.state))
            if decision.previous_state != v.state:
                raise Conflict(
                    f"cannot {decision.decision} version {v.digest[:16]}: it is {v.state}, and "
                    f"the statement was signed when it was {decision.previous_state[:20]}"
                )
            if decision.record != v.record:
                raise Conflict(
                    f"statement was made for another state record of {v.digest[:16]} "
                    f"({decision.record[:12]}, current {v.record[:12]}): signed before the "
                    "version reached its current state; sign a new one"
                )
            if decision.decision == "approve":
                dup = s.execute(
                    select(DecisionRow.id).where(
                        DecisionRow.version_id == v.id,
                        DecisionRow.decision == "approve",
                        DecisionRow.approver == decision.identity,
                    )
                ).first()
                if dup:
                    raise Conflict(f"{decision.identity} already approved {v.digest[:16]}")
            s.add(
                DecisionRow(
                    version_id=v.id,
                    decision=decision.decision,
                    approver=decision.identity,
                    key_id=decision.key_id,
                    nonce=decision.nonce,
                    reason=decision.reason,
                    envelope=envelope_text,
                    created_at=utcnow(),
                )
            )
            s.flush()
            before = v.state
            pending: list[str] = []
            if decision.decision == "reject":
                v.state = "rejected"
            elif decision.decision == "revoke":
                v.state = "revoked"
            else:
                result = evaluate(s, facts)[0]
                if result.ok:
                    v.state = "approved"
                else:
                    pending = list(result.reasons)
            v.updated_at = utcnow()
            event = audit.append(
                s,
                head,
                actor=actor,
                action=f"version.{decision.decision}",
                subject=v.digest,
                payload={
                    "approver": decision.identity,
                    "key_id": decision.key_id,
                    "nonce": decision.nonce,
                    "from": before,
                    "to": v.state,
                    "reason": decision.reason,
                    "envelope_sha256": envelope_sha,
                },
            )
            if v.state != before:
                v.record = next_record(v.record, v.state, event.hash)
            return DecisionOutcome(
                v.digest, decision.decision, decision.identity, v.state, tuple(pending)
            )


def _wrong_state(decision: str, digest: str, state: str) -> str:
    """Why ``decision`` cannot apply to a version in ``state``, and what would."""
    needed = FROM_STATE[decision]
    text = f"cannot {decision} version {digest[:16]}: it is {state}, not {needed}"
    if state == "approved" and decision == "reject":
        text += "; to withdraw an approved version, revoke it (airlock registry revoke DIGEST)"
    return text
