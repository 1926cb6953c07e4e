"""The audit chain: every mutation is logged; edits, deletions, insertions, reorders are caught."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from airlock.registry import audit
from airlock.registry.store import Store
from airlock.report import Severity

from .conftest import Approver, signed, unique_manifest


def _populate(store: Store, alice: Approver) -> str:
    m = unique_manifest()
    store.add_key(alice.identity, alice.pem, actor="admin")
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    store.decide(signed(store, "approve", m.root_digest, "org/m", alice.key), actor="appr")
    store.deploy("web", "prod", m.root_digest, actor="pub")
    store.advise("ADV-1", severity="high", description="d", versions=[m.root_digest], actor="appr")
    return m.root_digest


def _sql(store: Store, sql: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_every_mutation_is_logged_and_chain_verifies(store: Store, alice: Approver) -> None:
    digest = _populate(store, alice)
    events = store.audit_events()
    assert [e.action for e in events] == [
        "key.add",
        "version.submit",
        "version.approve",
        "deployment.record",
        "advisory.publish",
    ]
    assert events[2].subject == digest
    assert events[2].payload["approver"] == "alice"
    assert events[0].prev_hash == audit.GENESIS_HASH
    for prev, cur in itertools.pairwise(events):
        assert cur.prev_hash == prev.hash
    result = store.audit_verify()
    assert result.ok and result.events == 5 and result.head_seq == 5
    assert result.head_hash == events[-1].hash


def test_detects_edited_event(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    _sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    result = store.audit_verify()
    assert not result.ok
    assert any("event 3" in p and "modified" in p for p in result.problems)


def test_detects_edited_payload(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    _sql(store, "UPDATE audit_events SET payload = '{}' WHERE seq = 2")
    assert any("event 2" in p for p in store.audit_verify().problems)


def test_detects_deleted_event(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    _sql(store, "DELETE FROM audit_events WHERE seq = 2")
    result = store.audit_verify()
    assert not result.ok
    assert any("missing" in p for p in result.problems)


def test_detects_deleted_tail(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    _sql(store, "DELETE FROM audit_events WHERE seq = 5")
    result = store.audit_verify()
    assert not result.ok
    assert any("end" in p for p in result.problems)


def test_detects_inserted_event(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    # Forge a well-formed event in the middle: shift later events up and recompute its hash.
    events = store.audit_events()
    _sql(store, "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3")
    _sql(store, "UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103")
    forged_hash = audit.event_hash(
        3,
        events[1].ts,
        "mallory",
        "version.approve",
        events[1].subject,
        "{}",
        events[1].hash,
    )
    _sql(
        store,
        "INSERT INTO audit_events (seq, ts, actor, action, subject, payload, prev_hash, hash) "
        "VALUES (3, :ts, 'mallory', 'version.approve', :subject, '{}', :prev, :hash)",
        ts=events[1].ts,
        subject=events[1].subject,
        prev=events[1].hash,
        hash=forged_hash,
    )
    result = store.audit_verify()
    assert not result.ok
    assert any("event 4" in p for p in result.problems)


def test_detects_appended_event(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    last = store.audit_events()[-1]
    forged = audit.event_hash(6, last.ts, "mallory", "x", "y", "{}", last.hash)
    _sql(
        store,
        "INSERT INTO audit_events (seq, ts, actor, action, subject, payload, prev_hash, hash) "
        "VALUES (6, :ts, 'mallory', 'x', 'y', '{}', :prev, :hash)",
        ts=last.ts,
        prev=last.hash,
        hash=forged,
    )
    result = store.audit_verify()
    assert not result.ok
    assert any("head" in p for p in result.problems)


def test_detects_reordered_events(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    _sql(store, "UPDATE audit_events SET seq = 100 WHERE seq = 2")
    _sql(store, "UPDATE audit_events SET seq = 2 WHERE seq = 3")
    _sql(store, "UPDATE audit_events SET seq = 3 WHERE seq = 100")
    result = store.audit_verify()
    assert not result.ok
    assert any("inserted or reordered" in p for p in result.problems)


def test_untouched_chain_survives_reopen(store: Store, alice: Approver) -> None:
    _populate(store, alice)
    again = Store(store.engine)
    assert again.audit_verify().ok


def test_detects_state_changed_outside_the_registry(store: Store, alice: Approver) -> None:
    """versions.state is what the gate reads and no event hash covers it: a revoked version
    set back to approved by a direct UPDATE is allowed by the gate, so verify must say so."""
    digest = _populate(store, alice)
    store.decide(signed(store, "revoke", digest, "org/m", alice.key), actor="appr")
    assert store.audit_verify().ok
    _sql(store, "UPDATE versions SET state = 'approved' WHERE digest = :d", d=digest)
    result = store.audit_verify()
    assert not result.ok
    assert any(digest[:16] in p and "revoked" in p for p in result.problems)


def test_detects_version_inserted_without_events(store: Store, alice: Approver) -> None:
    digest = _populate(store, alice)
    _sql(store, "DELETE FROM audit_events WHERE action = 'version.submit'")
    assert any(digest[:16] in p and "version.submit" in p for p in store.audit_verify().problems)


# rt19run: the gate reads more than versions.state. Each edit below turns the gate's deny of an
# approved version into an allow without touching an event; verify must report it.
ADVISORY_EDITS = {
    "advisory unlinked": "DELETE FROM advisory_versions",
    "advisory deleted": "DELETE FROM advisory_versions; DELETE FROM advisories",
    "advisory downgraded": "UPDATE advisories SET severity = 'low'",
}
POLICY_EDITS = {
    "policy relaxed": ('UPDATE policies SET document = \'{"rule": "min_approvers", "count": 1}\''),
    "policy deleted": "DELETE FROM policies",
    "version moved to another model": (
        "UPDATE versions SET model_id = (SELECT id FROM models WHERE name = 'org/lax')"
        " WHERE digest = :d"
    ),
    "model renamed": "UPDATE models SET name = 'org/other' WHERE name = 'org/m'",
}


def _edit_and_verify(store: Store, digest: str, sql: str) -> list[str]:
    assert not store.check(digest, advisory_fail_on=Severity.MEDIUM).allow
    assert store.audit_verify().ok
    for statement in sql.split("; "):
        _sql(store, statement, **({"d": digest} if ":d" in statement else {}))
    fresh = Store(store.engine)  # the edit bypassed the registry: no audit head change to key on
    # the gate allowed here until regaudit20; it now replays the version's events and denies
    decision = fresh.check(digest, advisory_fail_on=Severity.MEDIUM)
    assert not decision.allow
    assert any("fail audit verification" in r for r in decision.reasons), decision.reasons
    result = fresh.audit_verify()
    assert not result.ok
    return list(result.problems)


@pytest.mark.parametrize("edit", sorted(ADVISORY_EDITS))
def test_detects_advisory_changed_outside_the_registry(
    store: Store, alice: Approver, edit: str
) -> None:
    digest = _populate(store, alice)
    problems = _edit_and_verify(store, digest, ADVISORY_EDITS[edit])
    assert any("ADV-1" in p for p in problems), problems


@pytest.mark.parametrize("edit", sorted(POLICY_EDITS))
def test_detects_policy_or_model_changed_outside_the_registry(
    store: Store, alice: Approver, edit: str
) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    m = unique_manifest()
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    store.submit(unique_manifest(), model="org/lax", source="hf:org/lax", actor="pub")
    store.decide(signed(store, "approve", m.root_digest, "org/m", alice.key), actor="appr")
    store.set_policy("org/m", {"rule": "min_approvers", "count": 2}, actor="admin")
    problems = _edit_and_verify(store, m.root_digest, POLICY_EDITS[edit])
    assert problems


EVIDENCE_EDITS = {
    "approval inserted": (
        {"rule": "min_approvers", "count": 2},
        "INSERT INTO decisions (version_id, decision, approver, key_id, nonce, reason, envelope,"
        " created_at) SELECT version_id, decision, 'mallory', key_id, 'forged-nonce', reason,"
        " envelope, created_at FROM decisions",
    ),
    "signature inserted": (
        {
            "all_of": [
                {"rule": "min_approvers", "count": 1},
                {"rule": "required_signers", "signers": ["release-bot"]},
            ]
        },
        "INSERT INTO attestations (version_id, kind, signer, document, document_digest,"
        " created_at) SELECT version_id, 'oms', 'release-bot', '{}', 'x', created_at"
        " FROM decisions",
    ),
}


@pytest.mark.parametrize("edit", sorted(EVIDENCE_EDITS))
def test_detects_policy_evidence_changed_outside_the_registry(
    store: Store, alice: Approver, edit: str
) -> None:
    """The policy is evaluated at every check from the decisions and attestations tables."""
    rule, sql = EVIDENCE_EDITS[edit]
    store.add_key(alice.identity, alice.pem, actor="admin")
    m = unique_manifest()
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    store.set_policy("org/m", {"rule": "min_approvers", "count": 1}, actor="admin")
    store.decide(signed(store, "approve", m.root_digest, "org/m", alice.key), actor="appr")
    store.set_policy("org/m", rule, actor="admin")
    problems = _edit_and_verify(store, m.root_digest, sql)
    assert any(m.root_digest[:16] in p for p in problems), problems
