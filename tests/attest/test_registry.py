"""The registry side: check attestations on submit, the check_attested policy, and decisions
bound to the state record (no pre-signed approvals or revocations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from airlock.attest.bundle import sign
from airlock.attest.verdict import check_statement
from airlock.gate import CheckOptions, check
from airlock.provenance.hashing import hash_model
from airlock.provenance.keys import generate_private_key, public_key_pem
from airlock.registry.errors import Conflict, InvalidRequest, SignatureInvalid
from airlock.registry.statements import make_statement, sign_decision, sign_statement
from airlock.registry.store import Store

MODEL = "org/sample"
CHECKER = generate_private_key()
ALICE = generate_private_key()
POLICY = {
    "all_of": [
        {"rule": "min_approvers", "count": 1},
        {"rule": "check_attested", "checkers": ["ci-checker"], "max_age_hours": 24},
    ]
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'r.db'}", init=True)
    s.add_key("ci-checker", public_key_pem(CHECKER.public_key()).decode(), actor="admin")
    s.add_key("alice", public_key_pem(ALICE.public_key()).decode(), actor="admin")
    try:
        yield s
    finally:
        s.close()


def _attestation(model: Path, key: object = CHECKER, when: dt.datetime | None = None) -> dict:  # type: ignore[type-arg]
    options = CheckOptions()
    stmt = check_statement(check(model, options), options, name=MODEL, timestamp=when)
    return sign(stmt, key)  # type: ignore[arg-type]


def _approve(store: Store, digest: str) -> dict:  # type: ignore[type-arg]
    record = store.get_version(digest).record
    return store.decide(sign_decision("approve", digest, MODEL, ALICE, record=record), actor="a")


def test_policy_requires_a_fresh_signed_check(store: Store, model: Path) -> None:
    store.set_policy("*", POLICY, actor="admin")
    manifest = hash_model(model)
    digest = store.submit(manifest, model=MODEL, source="hf:org/sample", actor="pub").digest
    # A publish token can post an invented clean scan report: it does not satisfy the policy.
    store.attach_scan_report(
        digest, {"schema": "airlock.scan-report/v1", "findings": []}, actor="token:pub"
    )
    out = _approve(store, digest)
    assert out.state == "submitted"
    assert any("no signed check attestation by ci-checker" in p for p in out.pending)
    attached = store.attach_check_attestation(digest, _attestation(model), actor="token:pub")
    assert attached.kind == "check" and attached.signer == "ci-checker"
    assert attached.state == "approved"  # the new evidence promoted it
    assert store.check(digest).allow
    assert store.get_version(digest).attestations[-1].kind == "check"


def test_stale_or_deny_attestation_does_not_hold(store: Store, model: Path) -> None:
    store.set_policy("*", POLICY, actor="admin")
    digest = store.submit(hash_model(model), model=MODEL, source="s", actor="p").digest
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)
    store.attach_check_attestation(digest, _attestation(model, when=old), actor="p")
    out = _approve(store, digest)
    assert out.state == "submitted" and any("older than 24 h" in p for p in out.pending)
    store.attach_check_attestation(digest, _attestation(model), actor="p")
    assert store.get_version(digest).state == "approved" and store.check(digest).allow
    # A newer deny verdict from the checker (same files, e.g. a stricter scanner) wins.
    options = CheckOptions()
    stmt = check_statement(check(model, options), options, name=MODEL)
    stmt["predicate"]["verdict"] = "deny"
    stmt["predicate"]["steps"][-1]["ok"] = False
    store.attach_check_attestation(digest, sign(stmt, CHECKER), actor="p")
    decision = store.check(digest)
    assert not decision.allow
    assert any("says deny" in r for r in decision.reasons)


def test_a_stale_check_made_fresh_in_the_table_is_reported(store: Store, model: Path) -> None:
    """check_attested's max_age reads attestations.issued_at; a writer with database access
    dates a 30-hour-old signed check as new, the approval then meets the policy and the gate
    allows. The signed time is inside the document (covered by its event's digest): audit
    verify compares the two (regaudit20)."""
    from sqlalchemy import text

    store.set_policy("*", POLICY, actor="admin")
    digest = store.submit(hash_model(model), model=MODEL, source="s", actor="p").digest
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)
    store.attach_check_attestation(digest, _attestation(model, when=old), actor="p")
    assert store.audit_verify().ok
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE attestations SET issued_at = :t"), {"t": dt.datetime.now(dt.UTC)})
    assert _approve(Store(store.engine), digest).state == "approved"
    decision = Store(store.engine).check(digest)  # allowed before regaudit20
    assert not decision.allow
    assert any("fail audit verification" in r for r in decision.reasons)
    result = store.audit_verify()
    assert not result.ok and any(digest[:16] in p for p in result.problems)


def test_untrusted_or_foreign_attestation_refused(
    store: Store, model: Path, tmp_path: Path
) -> None:
    digest = store.submit(hash_model(model), model=MODEL, source="s", actor="p").digest
    with pytest.raises(SignatureInvalid, match="unknown key"):
        store.attach_check_attestation(
            digest, _attestation(model, generate_private_key()), actor="p"
        )
    other = tmp_path / "other"
    other.mkdir()
    (other / "w.txt").write_text("another model")
    with pytest.raises(SignatureInvalid):
        store.attach_check_attestation(digest, _attestation(other), actor="p")
    forged = _attestation(model)
    forged["dsseEnvelope"]["signatures"][0]["sig"] = sign(  # type: ignore[index]
        {"x": 1}, CHECKER
    )["dsseEnvelope"]["signatures"][0]["sig"]
    with pytest.raises(SignatureInvalid):
        store.attach_check_attestation(digest, forged, actor="p")
    assert [e.action for e in store.audit_events(limit=1000)].count("attestation.refused") == 3


def test_cli_submit_with_attestation(store: Store, model: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    att = tmp_path / "check.intoto.json"
    att.write_text(json.dumps(_attestation(model)))
    url = str(store.engine.url)
    proc = cli(
        "registry",
        "submit",
        str(model),
        "--model",
        MODEL,
        "--attestation",
        str(att),
        "--location",
        "s3://bucket/sample",
        "--database",
        url,
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    digest = json.loads(proc.stdout)["digest"]
    kinds = [a.kind for a in store.get_version(digest).attestations]
    assert kinds == ["check"]
    assert store.resolve_location("s3://bucket/sample").digest == digest


# -- decisions bind to the state record ---------------------------------------------------------


def test_approval_signed_before_the_version_exists_is_never_accepted(
    store: Store, model: Path
) -> None:
    manifest = hash_model(model)
    digest = manifest.root_digest
    # Signed ahead of time: the signer cannot know the record (it has a random part).
    guess = "0" * 64
    early = sign_decision("approve", digest, MODEL, ALICE, record=guess)
    store.submit(manifest, model=MODEL, source="s", actor="p")
    with pytest.raises(Conflict, match="state record"):
        store.decide(early, actor="a")
    with pytest.raises(Conflict, match="state record"):  # replayed later: still refused
        store.decide(early, actor="a")
    assert store.get_version(digest).state == "submitted"


def test_revocation_signed_before_the_approval_is_never_accepted(store: Store, model: Path) -> None:
    digest = store.submit(hash_model(model), model=MODEL, source="s", actor="p").digest
    submitted_record = store.get_version(digest).record
    premature = sign_statement(
        make_statement("revoke", digest, MODEL, record=submitted_record, previous_state="approved"),
        ALICE,
    )
    with pytest.raises(Conflict):
        store.decide(premature, actor="a")
    _approve(store, digest)
    approved = store.get_version(digest)
    assert approved.state == "approved" and approved.record != submitted_record
    with pytest.raises(Conflict, match="state record"):
        store.decide(premature, actor="a")
    assert store.get_version(digest).state == "approved"
    # A revocation signed now, for the approved state, works once.
    revoke = sign_decision("revoke", digest, MODEL, ALICE, record=approved.record)
    assert store.decide(revoke, actor="a").state == "revoked"
    refused = [e for e in store.audit_events(limit=1000) if e.action == "decision.refused"]
    assert len(refused) == 2
    assert store.audit_verify().ok


def test_statement_without_record_is_refused(store: Store, model: Path) -> None:
    import base64
    import json

    from airlock.registry.errors import InvalidRequest

    digest = store.submit(hash_model(model), model=MODEL, source="s", actor="p").digest
    stmt = make_statement("approve", digest, MODEL, record=store.get_version(digest).record)
    del stmt["predicate"]["record"]
    env = sign_statement(stmt, ALICE)
    assert json.loads(base64.b64decode(env["payload"]))["predicate"].get("record") is None
    with pytest.raises(InvalidRequest, match="record"):
        store.decide(env, actor="a")


def test_admission_batches_keep_the_gate_cache_and_revocations_still_count(
    store: Store, model: Path
) -> None:
    digest = store.submit(hash_model(model), model=MODEL, source="s", actor="p").digest
    _approve(store, digest)
    assert store.check(digest).allow
    cached = dict(store._cache.entries)
    assert cached
    event = {"id": "e1", "kind": "Pod", "namespace": "ml", "name": "x", "allowed": True,
             "reason": "ok", "models": [f"{MODEL}@sha256:{digest}"]}  # fmt: skip
    out = store.record_admissions([event, {**event, "id": "e2"}], actor="token:admission")
    assert out.recorded == 2
    assert store._cache.seq == out.head_seq and store._cache.entries == cached
    assert store.check(digest).allow
    record = store.get_version(digest).record
    store.decide(sign_decision("revoke", digest, MODEL, ALICE, record=record), actor="a")
    assert not store.check(digest).allow
    actions = [e.action for e in store.audit_events(limit=1000)]
    assert actions.count("admission.allow") == 2 and store.audit_verify().ok
    with pytest.raises(InvalidRequest):
        store.record_admissions([{**event, "allowed": "yes"}], actor="t")
    with pytest.raises(InvalidRequest):
        store.record_admissions([], actor="t")
