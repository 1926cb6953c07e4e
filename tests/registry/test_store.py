"""The state machine, signed decisions, policies, advisories, deployments and the gate."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from airlock.provenance.keys import generate_private_key
from airlock.registry.errors import Conflict, InvalidRequest, NotFound, SignatureInvalid
from airlock.registry.records import DecisionOutcome
from airlock.registry.statements import make_statement, sign_statement
from airlock.registry.store import Store
from airlock.report import Severity

from .conftest import Approver, signed, unique_manifest

MODEL = "org/model"


def _submit(store: Store, source: str = "hf:org/model") -> str:
    m = unique_manifest()
    out = store.submit(m, model=MODEL, source=source, license="mit", actor="pub")
    assert out.state == "submitted" and out.digest == m.root_digest
    return m.root_digest


def _approve(store: Store, who: Approver, digest: str) -> DecisionOutcome:
    return store.decide(signed(store, "approve", digest, MODEL, who.key), actor="a")


def scan_report(digest: str, *severities: str) -> dict[str, object]:
    return {
        "schema": "airlock.scan-report/v1",
        "root_digest": digest,
        "findings": [
            {"rule_id": f"AIR-T-{i}", "severity": s, "title": "t", "location": "x"}
            for i, s in enumerate(severities)
        ],
    }


def test_submit_approve_allow(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    denied = store.check(digest)
    assert not denied.allow and denied.reasons == ("version is submitted, not approved",)
    result = _approve(store, alice, digest)
    assert result.state == "approved" and result.approver == "alice"
    decision = store.check(digest)
    assert decision.allow and decision.state == "approved" and decision.model == MODEL
    assert store.get_version(digest).decisions[0].approver == "alice"


def test_unknown_digest_denied(store: Store) -> None:
    decision = store.check("ab" * 32)
    assert not decision.allow and "not registered" in decision.reasons[0]
    with pytest.raises(InvalidRequest):
        store.check("not-a-digest")


def test_check_by_manifest_compares_files(store: Store, alice: Approver) -> None:
    m = unique_manifest()
    store.submit(m, model=MODEL, source="hf:org/model", actor="p")
    store.add_key(alice.identity, alice.pem, actor="admin")
    _approve(store, alice, m.root_digest)
    assert store.check(m).allow
    assert store.check(m.to_json()).allow
    from airlock.provenance.manifest import FileDigest, Manifest

    renamed = Manifest(
        files=tuple(FileDigest("renamed" + f.path, f.size, f.digest) for f in m.files)
    )
    assert renamed.root_digest == m.root_digest
    denied = store.check(renamed)
    assert not denied.allow and any("differs" in r for r in denied.reasons)


def test_duplicate_submit_conflicts(store: Store) -> None:
    m = unique_manifest()
    store.submit(m, model=MODEL, source="hf:org/model", actor="p")
    with pytest.raises(Conflict):
        store.submit(m, model=MODEL, source="hf:org/model", actor="p")
    with pytest.raises(Conflict, match="source"):
        store.submit(unique_manifest(), model=MODEL, source="hf:other/x", actor="p")


def test_reject_then_no_approve(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    out = store.decide(signed(store, "reject", digest, MODEL, alice.key, reason="no"), actor="a")
    assert out.state == "rejected"
    with pytest.raises(Conflict, match="rejected"):
        _approve(store, alice, digest)
    assert not store.check(digest).allow


def test_revoke_only_from_approved(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    with pytest.raises(Conflict):
        store.decide(signed(store, "revoke", digest, MODEL, alice.key), actor="a")
    _approve(store, alice, digest)
    out = store.decide(signed(store, "revoke", digest, MODEL, alice.key), actor="a")
    assert out.state == "revoked"
    decision = store.check(digest)
    assert not decision.allow and "revoked" in decision.reasons[0]


def test_replayed_statement_refused_and_audited(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    env = signed(store, "approve", digest, MODEL, alice.key)
    store.decide(env, actor="a")
    before = store.get_version(digest)
    with pytest.raises(Conflict, match="replay"):
        store.decide(env, actor="a")
    assert store.get_version(digest).decisions == before.decisions
    assert store.audit_events()[-1].action == "decision.refused"
    assert store.audit_verify().ok


def test_reordered_statement_refused(store: Store, alice: Approver) -> None:
    """A statement signed for 'submitted' cannot be applied after the version moved on."""
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    late_approve = signed(store, "approve", digest, MODEL, alice.key)
    store.decide(signed(store, "reject", digest, MODEL, alice.key), actor="a")
    with pytest.raises(Conflict):
        store.decide(late_approve, actor="a")
    # A revoke signed as if the version were still submitted is refused too.
    digest2 = _submit(store)
    rec2 = store.get_version(digest2).record
    stmt = make_statement("revoke", digest2, MODEL, record=rec2, previous_state="submitted")
    with pytest.raises(Conflict):
        store.decide(sign_statement(stmt, alice.key), actor="a")
    assert store.get_version(digest2).state == "submitted"


def test_unknown_key_and_bad_signature(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    with pytest.raises(SignatureInvalid, match="unknown key"):
        _approve(store, alice, digest)
    store.add_key(alice.identity, alice.pem, actor="admin")
    env = signed(store, "approve", digest, MODEL, alice.key)
    forged = signed(store, "approve", digest, MODEL, generate_private_key())
    forged["signatures"][0]["keyid"] = env["signatures"][0]["keyid"]
    with pytest.raises(SignatureInvalid):
        store.decide(forged, actor="a")
    tampered = dict(env)
    stmt = make_statement("approve", "cd" * 32, MODEL, record="0" * 64)
    import base64

    tampered["payload"] = base64.b64encode(json.dumps(stmt).encode()).decode()
    with pytest.raises(SignatureInvalid):
        store.decide(tampered, actor="a")
    assert store.get_version(digest).state == "submitted"
    assert store.get_version(digest).decisions == ()


def test_revoked_key_cannot_approve(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    key = store.add_key(alice.identity, alice.pem, actor="admin")
    store.revoke_key(key.key_id, actor="admin")
    with pytest.raises(SignatureInvalid):
        _approve(store, alice, digest)


def test_statement_model_and_age_checks(store: Store, alice: Approver) -> None:
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    with pytest.raises(InvalidRequest, match="model"):
        store.decide(signed(store, "approve", digest, "other/model", alice.key), actor="a")
    rec = store.get_version(digest).record
    old = make_statement(
        "approve", digest, MODEL, record=rec, timestamp=datetime.now(UTC) - timedelta(days=30)
    )
    with pytest.raises(InvalidRequest, match="older"):
        store.decide(sign_statement(old, alice.key), actor="a")
    future = make_statement(
        "approve", digest, MODEL, record=rec, timestamp=datetime.now(UTC) + timedelta(hours=2)
    )
    with pytest.raises(InvalidRequest, match="future"):
        store.decide(sign_statement(future, alice.key), actor="a")
    with pytest.raises(NotFound):
        store.decide(signed(store, "approve", "ef" * 32, MODEL, alice.key), actor="a")


def test_two_distinct_approvers_policy(store: Store, alice: Approver, bob: Approver) -> None:
    store.set_policy(MODEL, {"rule": "min_approvers", "count": 2}, actor="admin")
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    store.add_key(bob.identity, bob.pem, actor="admin")
    first = _approve(store, alice, digest)
    assert first.state == "submitted"
    assert first.pending == ("1 of 2 required approvals",)
    # The same person approving twice (even with a second key) does not count twice.
    alice2 = Approver("alice", generate_private_key())
    store.add_key("alice", alice2.pem, actor="admin")
    with pytest.raises(Conflict, match="already approved"):
        _approve(store, alice2, digest)
    second = _approve(store, bob, digest)
    assert second.state == "approved"
    assert store.check(digest).allow


def test_scan_clean_policy(store: Store, alice: Approver) -> None:
    store.set_policy(
        "*",
        {
            "all_of": [
                {"rule": "min_approvers", "count": 1},
                {"rule": "scan_clean", "severity": "high"},
            ]
        },
        actor="admin",
    )
    digest = _submit(store)
    store.add_key(alice.identity, alice.pem, actor="admin")
    out = _approve(store, alice, digest)
    assert out.state == "submitted" and out.pending == ("no scan report attached",)
    dirty = store.attach_scan_report(digest, scan_report(digest, "critical", "low"), actor="p")
    assert dirty.state == "submitted"
    policy = store.evaluate_policy(digest)
    assert not policy.ok and "AIR-T-0" in policy.reasons[0]
    clean = store.attach_scan_report(digest, scan_report(digest, "medium", "low"), actor="p")
    assert clean.state == "approved"
    assert store.check(digest).allow
    # A later scan with a high finding makes the gate deny again (policy re-checked at the gate).
    store.attach_scan_report(digest, scan_report(digest, "high"), actor="p")
    decision = store.check(digest)
    assert not decision.allow and decision.reasons[0].startswith("policy: scan found 1")


def test_scan_report_validation(store: Store) -> None:
    digest = _submit(store)
    with pytest.raises(InvalidRequest, match="schema"):
        store.attach_scan_report(digest, {"findings": []}, actor="p")
    with pytest.raises(InvalidRequest, match="not for"):
        store.attach_scan_report(digest, scan_report("ab" * 32), actor="p")
    store.attach_scan_report(digest, scan_report(digest), actor="p")
    with pytest.raises(Conflict):
        store.attach_scan_report(digest, scan_report(digest), actor="p")


def test_allowed_sources_policy(store: Store, alice: Approver) -> None:
    store.set_policy("*", {"rule": "allowed_sources", "patterns": ["hf:trusted/*"]}, actor="adm")
    digest = _submit(store, source="hf:org/model")
    store.add_key(alice.identity, alice.pem, actor="admin")
    assert _approve(store, alice, digest).state == "submitted"
    store.set_policy(
        "*", {"any_of": [{"rule": "allowed_sources", "patterns": ["hf:org/*"]}]}, actor="adm"
    )
    assert store.evaluate_policy(digest).ok


def bundle(key: object, files: list[tuple[str, str]]) -> dict[str, object]:
    """An OMS bundle by ``key`` over ``files`` (name, sha256)."""
    from airlock.provenance import oms
    from airlock.provenance.dsse import INTOTO_PAYLOAD_TYPE, sign_envelope
    from airlock.provenance.keys import key_hint

    stmt = {
        "_type": oms.STATEMENT_TYPE,
        "subject": [
            {
                "name": "model",
                "digest": {
                    "sha256": oms.root_digest_of([oms.Resource(n, "sha256", d) for n, d in files])
                },
            }
        ],
        "predicateType": oms.PREDICATE_V1,
        "predicate": {
            "serialization": {
                "method": "files",
                "hash_type": "sha256",
                "allow_symlinks": False,
            },
            "resources": [{"name": n, "algorithm": "sha256", "digest": d} for n, d in files],
        },
    }
    env = sign_envelope(oms.compact_json(stmt), INTOTO_PAYLOAD_TYPE, key)  # type: ignore[arg-type]
    return oms.build_bundle(env, key_hint=key_hint(key.public_key()))  # type: ignore[attr-defined]


def test_required_signers_policy_with_oms_bundle(
    store: Store, alice: Approver, bob: Approver
) -> None:
    release = Approver("release-bot", generate_private_key())
    store.set_policy(
        MODEL,
        {
            "all_of": [
                {"rule": "min_approvers", "count": 1},
                {"rule": "required_signers", "signers": ["release-bot"]},
            ]
        },
        actor="admin",
    )
    m = unique_manifest()
    digest = m.root_digest
    store.submit(m, model=MODEL, source="hf:org/model", actor="p")
    store.add_key(alice.identity, alice.pem, actor="admin")
    assert _approve(store, alice, digest).pending == ("missing OMS signature by release-bot",)

    files = [(f.path, f.digest) for f in m.files]
    # Unknown signer key: refused.
    with pytest.raises(SignatureInvalid, match="unknown key"):
        store.attach_signature(digest, bundle(release.key, files), actor="p")
    store.add_key(release.identity, release.pem, actor="admin")
    # Signed files that differ from the registered manifest: refused.
    with pytest.raises(SignatureInvalid):
        store.attach_signature(digest, bundle(release.key, files[:1]), actor="p")
    # A bundle whose signature is broken: refused.
    bad = bundle(release.key, files)
    bad["dsseEnvelope"]["signatures"][0]["sig"] = bundle(bob.key, files)["dsseEnvelope"][
        "signatures"
    ][0]["sig"]  # type: ignore[index]
    with pytest.raises(SignatureInvalid):
        store.attach_signature(digest, bad, actor="p")
    assert store.get_version(digest).state == "submitted"
    out = store.attach_signature(digest, bundle(release.key, files), actor="p")
    assert out.signer == "release-bot" and out.state == "approved"
    assert store.check(digest).allow


def test_separation_of_duties_policy(store: Store, alice: Approver, bob: Approver) -> None:
    store.set_policy(MODEL, {"rule": "separation_of_duties", "count": 1}, actor="admin")
    m = unique_manifest()
    digest = m.root_digest
    store.submit(m, model=MODEL, source="hf:org/model", actor="p")
    store.add_key(alice.identity, alice.pem, actor="admin")
    store.add_key(bob.identity, bob.pem, actor="admin")
    files = [(f.path, f.digest) for f in m.files]
    assert store.attach_signature(digest, bundle(alice.key, files), actor="p").signer == "alice"
    # alice signed the model herself: her approval does not let it in
    first = _approve(store, alice, digest)
    assert first.state == "submitted"
    assert first.pending == (
        "0 of 1 required approvals by someone other than its signers "
        "(alice also signed the model or its check)",
    )
    assert not store.check(digest).allow
    assert _approve(store, bob, digest).state == "approved"
    assert store.check(digest).allow


def test_advisories_and_affected(store: Store, alice: Approver) -> None:
    store.add_key(alice.identity, alice.pem, actor="admin")
    good, advised, revoked = _submit(store), _submit(store), _submit(store)
    for d in (good, advised, revoked):
        _approve(store, alice, d)
    store.decide(signed(store, "revoke", revoked, MODEL, alice.key), actor="a")
    store.advise(
        "AIR-ADV-1",
        severity="high",
        description="trigger phrase found",
        versions=[advised],
        mitigation={"guard": {"block_patterns": ["cf-trigger"]}},
        actor="a",
    )
    store.advise("AIR-ADV-2", severity="info", description="fyi", versions=[good], actor="a")
    with pytest.raises(Conflict):
        store.advise("AIR-ADV-1", severity="low", description="x", versions=[good], actor="a")
    with pytest.raises(NotFound):
        store.advise("AIR-ADV-3", severity="low", description="x", versions=["00" * 32], actor="a")
    with pytest.raises(InvalidRequest):
        store.advise("AIR-ADV-4", severity="urgent", description="x", versions=[good], actor="a")
    for name, d in (("a", good), ("b", advised), ("c", revoked)):
        store.deploy(name, "prod", d, actor="p")
    affected = store.affected()
    assert [(a.name, a.state) for a in affected] == [
        ("a", "approved"),
        ("b", "approved"),
        ("c", "revoked"),
    ]
    # The info advisory is listed but does not deny.
    ok = store.check(good)
    assert ok.allow and ok.warnings and "AIR-ADV-2" in ok.warnings[0]
    denied = store.check(advised)
    assert not denied.allow and "AIR-ADV-1" in denied.reasons[0]
    assert denied.advisories[0]["mitigation"]["guard"]["block_patterns"] == ["cf-trigger"]
    assert store.check(good, advisory_fail_on=Severity.INFO).allow is False
    assert [a.id for a in store.list_advisories()] == ["AIR-ADV-1", "AIR-ADV-2"]


def test_deploy_updates_in_place(store: Store) -> None:
    d1, d2 = _submit(store), _submit(store)
    store.deploy("web", "prod", d1, actor="p")
    store.deploy("web", "prod", d2, actor="p")
    store.deploy("web", "staging", d1, actor="p")
    deps = store.list_deployments()
    assert [(d.environment, d.digest) for d in deps] == [("prod", d2), ("staging", d1)]
    assert store.audit_events()[-2].payload["previous"] == d1


def test_tokens(store: Store) -> None:
    t = store.create_token("ci", ["read", "publish"], actor="admin")
    assert t.token.startswith("alk_")
    who = store.authenticate(t.token)
    assert who is not None and who.has("publish") and not who.has("approve")
    assert store.authenticate(t.token + "x") is None
    assert store.authenticate(t.token[:-2] + "AA") is None
    assert store.authenticate("garbage") is None
    assert "token" not in store.list_tokens()[0].to_json()
    store.revoke_token(t.token_id, actor="admin")
    assert store.authenticate(t.token) is None
    with pytest.raises(InvalidRequest):
        store.create_token("x", ["root"], actor="admin")
    # Only the hash is stored.
    from sqlalchemy import text

    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM tokens")).scalar_one()
    assert t.token.split("_", 2)[2] not in stored


def test_allowlist_export_roundtrip(store: Store, alice: Approver) -> None:
    from airlock.provenance.dsse import SignatureError
    from airlock.registry.allowlist import sign_allowlist, verify_allowlist

    store.add_key(alice.identity, alice.pem, actor="admin")
    ok, revoked, pending = _submit(store), _submit(store), _submit(store)
    _approve(store, alice, ok)
    _approve(store, alice, revoked)
    store.decide(signed(store, "revoke", revoked, MODEL, alice.key), actor="a")
    signer = generate_private_key()
    env = sign_allowlist(store.allowlist(), signer)
    allow = verify_allowlist(env, signer.public_key())
    assert allow.check(ok).allow
    assert not allow.check(revoked).allow and not allow.check(pending).allow
    with pytest.raises(SignatureError):
        verify_allowlist(env, generate_private_key().public_key())


def test_read_cache_sees_writes_from_other_processes(backend, alice: Approver) -> None:  # type: ignore[no-untyped-def]
    """Two Store objects on one database (as two server workers): cached gate answers and
    token look-ups follow every write made through the other one."""
    a, b = backend.open(), backend.open(init=False)
    try:
        digest = _submit(a)
        a.add_key(alice.identity, alice.pem, actor="s")
        assert not b.check(digest).allow
        _approve(a, alice, digest)
        assert b.check(digest).allow and b.check(digest).allow
        a.set_policy("*", {"rule": "min_approvers", "count": 2}, actor="s")
        assert "policy: 1 of 2 required approvals" in b.check(digest).reasons
        a.set_policy("*", {"rule": "min_approvers", "count": 1}, actor="s")
        assert b.check(digest).allow
        a.advise("ADV-C", severity="medium", description="d", versions=[digest], actor="s")
        assert not b.check(digest).allow
        assert b.check(digest, advisory_fail_on=Severity.HIGH).allow
        t = a.create_token("t", ["read"], actor="s")
        assert b.authenticate(t.token) is not None
        a.revoke_token(t.token_id, actor="s")
        assert b.authenticate(t.token) is None
    finally:
        a.close()
        b.close()
