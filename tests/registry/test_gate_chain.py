"""The gate against a writer with database access (session 20, reg21): events rewritten with
their hashes recomputed, a head moved back under a cached answer, refused requests piled onto
one version, and the gate's answer cache across revocations and advisories."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, text

from airlock.registry import audit, replay
from airlock.registry.db import AuditEventRow
from airlock.registry.errors import Conflict
from airlock.registry.store import Store, attestations
from airlock.registry.store.base import ReadCache
from airlock.report import Severity

from .conftest import Approver, signed, unique_manifest


def _sql(store: Store, sql: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def _events(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(text("SELECT * FROM audit_events ORDER BY seq")))


def _rehash(store: Store, seq: int, *, tail: bool, **changes: object) -> None:
    """Rewrite event ``seq`` with ``changes``, its hash recomputed; ``tail``: every later event
    relinked and rehashed too, and the head moved (a whole rewritten tail)."""
    rows = [r._asdict() for r in _events(store)]
    prev = audit.GENESIS_HASH
    for r in rows:
        if r["seq"] < seq:
            prev = r["hash"]
            continue
        if r["seq"] > seq and not tail:
            break
        if r["seq"] == seq:
            r.update(changes)
        r["prev_hash"] = prev
        keys = ("seq", "ts", "actor", "action", "subject", "payload", "prev_hash")
        r["hash"] = audit.event_hash(*(r[k] for k in keys))
        _sql(
            store,
            "UPDATE audit_events SET action = :action, subject = :subject, payload = :payload, "
            "prev_hash = :prev_hash, hash = :hash WHERE seq = :seq",
            **r,
        )
        prev = r["hash"]
    if tail:
        _sql(store, "UPDATE audit_head SET seq = :s, hash = :h", s=rows[-1]["seq"], h=prev)


def _revoked(store: Store, alice: Approver) -> tuple[str, str]:
    """An approved, then revoked version (and a later event); its record before the revoke."""
    m = unique_manifest()
    store.add_key(alice.identity, alice.pem, actor="admin")
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    d = m.root_digest
    store.decide(signed(store, "approve", d, "org/m", alice.key), actor="appr")
    record = store.get_version(d).record
    store.decide(signed(store, "revoke", d, "org/m", alice.key), actor="appr")
    store.deploy("web", "prod", unique_submitted(store), actor="pub")  # an event after it
    return d, record


def unique_submitted(store: Store) -> str:
    m = unique_manifest()
    store.submit(m, model="org/other", source="hf:org/other", actor="pub")
    return m.root_digest


def _hide_revocation(store: Store, digest: str, record: str, *, tail: bool) -> None:
    """The revoke event turned into an admission record (hash recomputed), the rows put back
    to approved as the remaining events say: every row agrees with the events the gate reads."""
    revoke = next(e for e in _events(store) if e.action == "version.revoke")
    _rehash(store, revoke.seq, tail=tail, action="admission.allow", subject="ns/pod", payload="{}")
    _sql(store, "UPDATE versions SET state = 'approved', record = :r WHERE digest = :d",
         r=record, d=digest)  # fmt: skip
    _sql(store, "DELETE FROM decisions WHERE decision = 'revoke'")


def test_an_event_rewritten_with_its_hash_recomputed_is_denied(
    store: Store, alice: Approver
) -> None:
    """regaudit20's open probe: the event rehashed, its successor and the head left alone.
    On main a fresh gate allowed the revoked version (audit verify failed); now the walk of a
    fresh process sees the broken link, and so does the scrub of one that verified it before."""
    digest, record = _revoked(store, alice)
    seasoned = Store(store.engine)
    assert not seasoned.check(digest).allow  # this process verified the chain: revoked
    _hide_revocation(store, digest, record, tail=False)
    assert not store.audit_verify().ok
    decision = Store(store.engine).check(digest)
    assert not decision.allow, "a fresh gate allowed a version whose revocation was rewritten"
    assert any("does not follow" in r for r in decision.reasons), decision.reasons
    for _ in range(3):  # the scrub comes round (the cache holds per audit sequence number)
        seasoned._cache = ReadCache()
        decision = seasoned.check(digest)
    assert not decision.allow and "fail audit verification" in decision.reasons[0]


def test_a_rewritten_tail_is_denied_by_a_server_that_verified_it(
    store: Store, alice: Approver
) -> None:
    """The whole tail rewritten and the head moved: no per-event check can see it, but a
    process that had verified past the rewritten event denies every check (its verified
    event's hash changed). A fresh process allows: only a checkpoint shows it then."""
    digest, record = _revoked(store, alice)
    other = unique_submitted(store)
    seasoned = Store(store.engine)
    assert not seasoned.check(digest).allow
    _hide_revocation(store, digest, record, tail=True)
    assert store.audit_verify().ok  # the chain is consistent again
    seasoned._cache = ReadCache()
    decision = seasoned.check(digest)
    assert not decision.allow
    assert any("verified earlier" in r for r in decision.reasons), decision.reasons
    assert any("verified earlier" in r for r in seasoned.check(other).reasons)


def test_a_head_moved_back_does_not_bring_back_a_cached_allow(
    store: Store, alice: Approver
) -> None:
    """Worker A caches an allow at sequence N; worker B records the revocation (N+1); the
    writer moves ``audit_head`` back to N. On main A served its cached allow (the cache is
    keyed by the head's number); the head must be the log's last event for the cache to
    answer, and the uncached check reports the head."""
    m = unique_manifest()
    store.add_key(alice.identity, alice.pem, actor="admin")
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    d = m.root_digest
    store.decide(signed(store, "approve", d, "org/m", alice.key), actor="appr")
    a, b = Store(store.engine), Store(store.engine)
    assert a.check(d).allow
    before = store.audit_head()
    b.decide(signed(b, "revoke", d, "org/m", alice.key), actor="appr")
    _sql(store, "UPDATE audit_head SET seq = :s, hash = :h", s=before.seq, h=before.hash)
    _sql(store, "UPDATE versions SET state = 'approved'")
    decision = a.check(d)
    assert not decision.allow, "a cached allow served after the head was moved back"
    assert any("head" in r for r in decision.reasons), decision.reasons


def _refusals(store: Store, digest: str, n: int) -> None:
    """``n`` refused-request events on ``digest`` (bulk, a valid chain: as ``n`` requests)."""
    with store.engine.begin() as conn:
        seq, h = conn.execute(text("SELECT seq, hash FROM audit_head")).one()
        rows = []
        for _ in range(n):
            seq += 1
            ts = datetime.now(UTC).isoformat(timespec="microseconds")
            body = audit.canonical_json({"reason": "bundle signed by an unknown key " + "x" * 64})
            new = audit.event_hash(seq, ts, "tok", "attestation.refused", digest, body, h)
            action = "attestation.refused"
            rows.append({"seq": seq, "ts": ts, "actor": "tok", "action": action,
                         "subject": digest, "payload": body, "prev_hash": h,
                         "hash": new})  # fmt: skip
            h = new
        for start in range(0, n, 5000):
            conn.execute(insert(AuditEventRow), rows[start : start + 5000])
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq, "h": h})


def _uncached(store: Store, digest: str, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        store._cache = ReadCache()
        t0 = time.perf_counter()
        assert store.check(digest).allow
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def test_refused_requests_do_not_slow_a_versions_gate_check(store: Store, alice: Approver) -> None:
    """8,000 refused attestations on one version: on main its uncached check read and parsed
    every one (~100 ms at 20,000 on SQLite, linear); now they are not read at all."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    digests = []
    for _ in range(2):
        m = unique_manifest()
        store.submit(m, model="org/m", source="hf:org/m", actor="pub")
        store.decide(signed(store, "approve", m.root_digest, "org/m", alice.key), actor="appr")
        digests.append(m.root_digest)
    _refusals(store, digests[0], 8000)
    gate = Store(store.engine)
    for _ in range(40):  # this process's walk reaches the head (500 events per check)
        gate._cache = ReadCache()
        gate.check(digests[1])
    quiet, loud = _uncached(gate, digests[1]), _uncached(gate, digests[0])
    assert loud < 3 * quiet + 0.005, (loud, quiet)


def test_a_version_with_more_events_than_the_gate_verifies_is_denied(
    store: Store, alice: Approver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay, "MAX_GATE_EVENTS", 4)
    store.add_key(alice.identity, alice.pem, actor="admin")
    m = unique_manifest()
    d = m.root_digest
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    store.decide(signed(store, "approve", d, "org/m", alice.key), actor="appr")
    for i in range(2):
        report = {"schema": "airlock.scan-report/v1", "findings": [], "n": i}
        store.attach_scan_report(d, report, actor="ci")
    assert store.check(d).allow  # 4 events
    store.attach_scan_report(d, {"schema": "airlock.scan-report/v1", "n": 9}, actor="ci")
    decision = store.check(d)
    assert not decision.allow
    assert any("too many to verify" in r for r in decision.reasons), decision.reasons


def test_attestations_per_version_are_bounded(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attestations, "MAX_VERSION_ATTESTATIONS", 3, raising=False)
    m = unique_manifest()
    store.submit(m, model="org/m", source="hf:org/m", actor="pub")
    for i in range(3):
        store.attach_scan_report(m.root_digest, {"schema": "airlock.scan-report/v1", "n": i},
                                 actor="ci")  # fmt: skip
    with pytest.raises(Conflict, match="at most 3"):
        store.attach_scan_report(m.root_digest, {"schema": "airlock.scan-report/v1", "n": 3},
                                 actor="ci")  # fmt: skip


def test_cached_answers_end_with_a_revocation_or_an_advisory_in_another_worker(
    store: Store, alice: Approver
) -> None:
    """The gate's answer cache (per audit sequence number) across two workers: a revocation
    and an advisory recorded through one end the other's cached allow at once."""
    store.add_key(alice.identity, alice.pem, actor="admin")
    digests = []
    for _ in range(2):
        m = unique_manifest()
        store.submit(m, model="org/m", source="hf:org/m", actor="pub")
        store.decide(signed(store, "approve", m.root_digest, "org/m", alice.key), actor="appr")
        digests.append(m.root_digest)
    gate, writer = Store(store.engine), Store(store.engine)
    assert all(gate.check(d).allow for d in digests)
    assert all(gate.check(d).allow for d in digests)  # cached
    writer.decide(signed(writer, "revoke", digests[0], "org/m", alice.key), actor="appr")
    assert "version is revoked, not approved" in gate.check(digests[0]).reasons
    assert gate.check(digests[1]).allow
    writer.advise("ADV-9", severity="critical", description="d", versions=[digests[1]],
                  actor="appr")  # fmt: skip
    assert not gate.check(digests[1]).allow
    assert gate.check(digests[1], advisory_fail_on=Severity.CRITICAL).reasons
    # a direct edit does not move the head: a cached answer stays what the log says
    _sql(store, "UPDATE versions SET state = 'approved' WHERE digest = :d", d=digests[0])
    assert not gate.check(digests[0]).allow
    assert not Store(store.engine).check(digests[0]).allow
