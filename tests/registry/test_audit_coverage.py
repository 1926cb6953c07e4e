"""audit verify against a writer with database access but no signing key (session 19,
regaudit20): every column the gate or a reader trusts is replayed from the audit events, and
rows older than the coverage carry a baseline written by migration 0007."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from airlock.registry import audit, migrate
from airlock.registry.db import make_engine
from airlock.registry.store import Store

from .conftest import Approver, Backend, signed, unique_manifest
from .test_store import scan_report


def _sql(store: Store, sql: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def _one(store: Store, sql: str, **params: object) -> object:
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _gate_refuses(store: Store, digest: str) -> None:
    decision = store.check(digest)
    assert not decision.allow
    assert any("fail audit verification" in r for r in decision.reasons), decision.reasons


def _world(store: Store, alice: Approver) -> str:
    """One approved version with a decision, an advisory, a token, a location, a deployment."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    m = unique_manifest()
    store.submit(m, model="org/m", source="hf:org/m", source_revision="r1", base_model="b",
                 license="apache-2.0", actor="pub")  # fmt: skip
    store.decide(signed(store, "approve", m.root_digest, "org/m", alice.key), actor="appr")
    store.create_token("ci", ["read"], actor="admin")
    store.set_location("s3://bucket/m", m.root_digest, actor="pub")
    store.deploy("web", "prod", m.root_digest, actor="pub")
    other = store.submit(unique_manifest(), model="org/m", source="hf:org/m", actor="pub").digest
    store.advise("ADV-1", severity="low", description="d", versions=[other],
                 mitigation={"block": ["trigger"]}, actor="appr")  # fmt: skip
    assert store.audit_verify().ok
    return m.root_digest


# Each edit leaves every event intact (no hash to recompute); verify must name it.
EDITS = {
    "base_model": "UPDATE versions SET base_model = 'org/evil' WHERE digest = :d",
    "source_revision": "UPDATE versions SET source_revision = 'r2' WHERE digest = :d",
    "license": "UPDATE versions SET license = 'mit' WHERE digest = :d",
    "manifest": "UPDATE versions SET manifest = replace(manifest, '\"size\":', '\"size\": ')"
    " WHERE digest = :d",
    "file_count": "UPDATE versions SET file_count = file_count + 1 WHERE digest = :d",
    "total_size": "UPDATE versions SET total_size = total_size + 1 WHERE digest = :d",
    "state record": "UPDATE versions SET record = 'ab' WHERE digest = :d",
    "decision reason": "UPDATE decisions SET reason = 'x'",
    "decision key": "UPDATE decisions SET key_id = 'x'",
    "decision nonce": "UPDATE decisions SET nonce = 'fresh-nonce-1234567890'",
    "decision envelope": "UPDATE decisions SET envelope = '{}'",
    "advisory description": "UPDATE advisories SET description = 'harmless'",
    "advisory mitigation": "UPDATE advisories SET mitigation = '{}'",
    "key unrevoked": "UPDATE keys SET revoked = false",
    "key replaced": "UPDATE keys SET public_key = 'x'",
    "key inserted": "INSERT INTO keys (key_id, identity, public_key, revoked, created_at) "
    "SELECT 'k2', 'mallory', public_key, false, created_at FROM keys",
    "key identity": "UPDATE keys SET identity = 'bob'",
    "token secret": "UPDATE tokens SET secret_hash = 'ab'",
    "token scopes": "UPDATE tokens SET scopes = 'admin'",
    "token inserted": "INSERT INTO tokens (token_id, name, secret_hash, scopes, revoked, "
    "created_at) SELECT 't2', name, secret_hash, 'admin', false, created_at FROM tokens",
    "location moved": "UPDATE locations SET version_id = "
    "(SELECT id FROM versions WHERE digest <> :d)",
    "location inserted": "INSERT INTO locations (uri, version_id, created_at) "
    "SELECT 's3://bucket/n', version_id, created_at FROM locations",
    "deployment moved": "UPDATE deployments SET version_id = "
    "(SELECT id FROM versions WHERE digest <> :d)",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_direct_edit_is_reported(store: Store, alice: Approver, edit: str) -> None:
    digest = _world(store, alice)
    if edit == "key unrevoked":
        store.revoke_key(store.list_keys()[0].key_id, actor="admin")
    if edit == "token secret":
        assert store.audit_verify().ok
    sql = EDITS[edit]
    _sql(store, sql, **({"d": digest} if ":d" in sql else {}))
    result = Store(store.engine).audit_verify()
    assert not result.ok, edit
    if edit.split()[0] in ("base_model", "source_revision", "license", "manifest", "file_count",
                           "total_size", "state", "decision"):  # fmt: skip
        _gate_refuses(Store(store.engine), digest)  # rows of the version asked about


@pytest.mark.parametrize("swap", ["documents", "ids"])
def test_a_later_scan_swapped_with_an_earlier_one_is_reported(
    store: Store, alice: Approver, swap: str
) -> None:
    """The gate reads the newest scan report (highest id): swapping two reports' documents
    between rows, or the rows' ids, keeps every row's digest and the multiset of
    attestations (what verify compared) but makes an old clean report the newest -> allow."""
    store.set_policy("*", {"all_of": [{"rule": "min_approvers", "count": 1},
                                      {"rule": "scan_clean", "severity": "high"}]},
                     actor="admin")  # fmt: skip
    store.add_key(alice.identity, alice.pem, actor="admin")
    d = store.submit(unique_manifest(), model="org/m", source="s", actor="p").digest
    store.decide(signed(store, "approve", d, "org/m", alice.key), actor="a")
    store.attach_scan_report(d, scan_report(d, "low"), actor="p")
    store.attach_scan_report(d, scan_report(d, "critical"), actor="p")
    assert not store.check(d).allow and store.audit_verify().ok
    with store.engine.begin() as conn:
        rows = conn.execute(
            text("SELECT id, document, document_digest FROM attestations ORDER BY id")
        ).all()
        (a, doc_a, dig_a), (b, doc_b, dig_b) = rows
        if swap == "ids":
            move = text("UPDATE attestations SET id = :j WHERE id = :i")
            for i, j in ((a, 999999), (b, a), (999999, b)):
                conn.execute(move, {"i": i, "j": j})
        else:
            conn.execute(text("UPDATE attestations SET document_digest = 'tmp' WHERE id = :i"),
                         {"i": a})  # fmt: skip
            for i, doc, dig in ((b, doc_a, dig_a), (a, doc_b, dig_b)):
                conn.execute(
                    text("UPDATE attestations SET document = :doc, document_digest = :dig "
                         "WHERE id = :i"), {"i": i, "doc": doc, "dig": dig},
                )  # fmt: skip
    fresh = Store(store.engine)
    _gate_refuses(fresh, d)  # the gate allowed before regaudit20
    result = fresh.audit_verify()
    assert not result.ok and any(d[:16] in p for p in result.problems)


def test_an_old_approval_replayed_after_a_revocation_is_reported(
    store: Store, alice: Approver
) -> None:
    """Revoked; the writer puts the version back to submitted with the record the approval
    was signed for and hides the used nonce; the registry accepts the old signed approval
    again (approved, gate allows). The events hold two uses of one nonce and a decision
    'from submitted' on a revoked version."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    d = store.submit(unique_manifest(), model="org/m", source="s", actor="p").digest
    first = store.get_version(d).record
    approval = signed(store, "approve", d, "org/m", alice.key)
    store.decide(approval, actor="a")
    store.decide(signed(store, "revoke", d, "org/m", alice.key), actor="a")
    _sql(store, "UPDATE versions SET state = 'submitted', record = :r WHERE digest = :d",
         r=first, d=d)  # fmt: skip
    other = store.submit(unique_manifest(), model="org/m", source="s", actor="p").digest
    # the used nonce renamed and the row parked on another version while the registry checks
    # "already approved", then put back: the decisions rows match the events' (kind, approver)
    park = (
        "UPDATE decisions SET nonce = 'renamed-nonce-0123456789', version_id = "
        "(SELECT id FROM versions WHERE digest = :o) WHERE decision = 'approve'"
    )
    _sql(store, park, o=other)
    fresh = Store(store.engine)
    assert fresh.decide(approval, actor="a").state == "approved"  # the registry accepts it
    _sql(store, "UPDATE decisions SET version_id = (SELECT id FROM versions WHERE digest = :d) "
         "WHERE nonce = 'renamed-nonce-0123456789'", d=d)  # fmt: skip
    _gate_refuses(Store(store.engine), d)  # the gate allowed before regaudit20
    problems = fresh.audit_verify().problems
    assert any("used twice" in p for p in problems), problems
    assert any("changed outside the registry before this event" in p for p in problems)


_NEW_FIELDS = {"source_revision", "base_model", "license", "manifest_sha256", "envelope_sha256",
               "description_sha256", "mitigation_sha256", "secret_sha256"}  # fmt: skip


def _old_append(session: object, head: object, **kw: object) -> object:
    """audit.append as a release before 0007 called it (no new payload fields)."""
    payload = kw.pop("payload", None) or {}
    kept = {k: v for k, v in payload.items() if k not in _NEW_FIELDS}  # type: ignore[attr-defined]
    return _APPEND(session, head, payload=kept, **kw)  # type: ignore[arg-type]


_APPEND = audit.append


def test_migration_0007_baselines_old_rows(
    backend: Backend, alice: Approver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry written before 0007 (events without the new fields): after the upgrade
    verify is clean (also after a downgrade and a second upgrade), an edit of a newly covered
    field is reported, and so is writing the schema version back to re-run the migration over
    an edit."""
    engine = make_engine(backend.url, schema=backend.schema)
    try:
        migrate.upgrade(engine, "0006")
        old = Store(engine)
        with monkeypatch.context() as m:
            m.setattr(audit, "append", _old_append)
            m.setattr(Store, "audit_verify", lambda self: type("V", (), {"ok": True})())
            digest = _world(old, alice)
        _sql(old, "UPDATE versions SET kind = 'adapter' WHERE digest <> :d", d=digest)  # 0005
        assert not old.audit_verify().ok  # no record of the old rows' fields
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        store = Store(engine)
        result = store.audit_verify()
        assert result.ok, result.problems
        actions = [e.action for e in store.audit_events(limit=1000)]
        assert actions.count("version.baseline") == 2
        assert actions.count("advisory.baseline") == actions.count("token.baseline") == 1
        from alembic import command

        cfg = migrate._config()
        with engine.connect().execution_options(airlock_write=True) as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
            conn.commit()
        assert migrate.current_revision(engine) == "0006"
        migrate.upgrade(engine)  # a second set of baselines, equal to the first
        assert Store(engine).audit_verify().ok
        _sql(store, "UPDATE versions SET kind = 'model' WHERE digest <> :d", d=digest)
        assert any("kind or adapter base" in p for p in store.audit_verify().problems)
        _sql(store, "UPDATE versions SET kind = 'adapter' WHERE digest <> :d", d=digest)
        _sql(store, "UPDATE versions SET base_model = 'org/evil' WHERE digest = :d", d=digest)
        assert any(digest[:16] in p and "base_model" in p for p in store.audit_verify().problems)
        _gate_refuses(Store(engine), digest)
        # the schema version written back: the migration runs again over the edit; reported,
        # and for good (the disagreeing baseline stays in the chain)
        _sql(store, "DROP INDEX ix_audit_events_subject")
        _sql(store, "DROP INDEX ix_audit_events_action")
        _sql(store, "DROP INDEX ix_audit_events_subject_action")  # 0008's
        _sql(store, "UPDATE alembic_version SET version_num = '0006'")
        migrate.upgrade(engine)
        _sql(store, "UPDATE versions SET base_model = 'b' WHERE digest = :d", d=digest)
        problems = Store(engine).audit_verify().problems
        assert any("written over it" in p for p in problems), problems
    finally:
        engine.dispose()
