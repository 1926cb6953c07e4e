"""Concurrent writers lose nothing and never break the state machine or the audit chain."""

from __future__ import annotations

import threading
from collections import Counter

from airlock.provenance.keys import generate_private_key, public_key_pem
from airlock.registry.errors import Conflict
from airlock.registry.store import Store

from .conftest import signed, unique_manifest

THREADS = 8
PER_THREAD = 12
MODEL = "org/m"


def test_concurrent_writers(store: Store) -> None:
    keys = [generate_private_key() for _ in range(THREADS)]
    for i, k in enumerate(keys):
        store.add_key(f"approver{i}", public_key_pem(k.public_key()).decode(), actor="s")
    digests: list[list[str]] = []
    for _ in range(THREADS):
        own = []
        for _ in range(PER_THREAD):
            m = unique_manifest()
            store.submit(m, model=MODEL, source="hf:org/m", actor="s")
            own.append(m.root_digest)
        digests.append(own)
    shared_manifests = [unique_manifest() for _ in range(4)]
    for m in shared_manifests:
        store.submit(m, model=MODEL, source="hf:org/m", actor="s")
    base_events = len(store.audit_events(limit=1000))
    ok = Counter[str]()
    conflicts = Counter[str]()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def record(kind: str, fn: object) -> None:
        try:
            fn()  # type: ignore[operator]
            with lock:
                ok[kind] += 1
        except Conflict:
            with lock:
                conflicts[kind] += 1

    def worker(i: int) -> None:
        try:
            key = keys[i]
            for n, d in enumerate(digests[i]):
                record(
                    "approve",
                    lambda d=d: store.decide(
                        signed(store, "approve", d, MODEL, key), actor=f"t{i}"
                    ),
                )
                if n % 2 == 0:
                    record(
                        "revoke",
                        lambda d=d: store.decide(
                            signed(store, "revoke", d, MODEL, key), actor=f"t{i}"
                        ),
                    )
                if n % 3 == 0:
                    record(
                        "advise",
                        lambda d=d, n=n: store.advise(
                            f"ADV-{i}-{n}",
                            severity="low",
                            description="x",
                            versions=[d],
                            actor=f"t{i}",
                        ),
                    )
                record("deploy", lambda d=d: store.deploy(f"svc{i}", "prod", d, actor=f"t{i}"))
            # Everyone races to decide the same shared versions: first approval wins, then
            # exactly one revoke per version may succeed.
            for m in shared_manifests:
                record(
                    "shared-approve",
                    lambda m=m: store.decide(
                        signed(store, "approve", m.root_digest, MODEL, key), actor=f"t{i}"
                    ),
                )
                record(
                    "shared-revoke",
                    lambda m=m: store.decide(
                        signed(store, "revoke", m.root_digest, MODEL, key), actor=f"t{i}"
                    ),
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    n = THREADS * PER_THREAD
    assert ok["approve"] == n and ok["deploy"] == n
    assert ok["revoke"] == THREADS * ((PER_THREAD + 1) // 2)
    assert ok["advise"] == THREADS * ((PER_THREAD + 2) // 3)
    # The shared versions: at least one approval each; exactly one successful revoke each.
    assert ok["shared-revoke"] == len(shared_manifests)
    for m in shared_manifests:
        v = store.get_version(m.root_digest)
        assert v.state == "revoked"
        assert [d.decision for d in v.decisions].count("revoke") == 1
        approvals = [d for d in v.decisions if d.decision == "approve"]
        # Approvals can only land while the version is submitted: the first one approves it.
        assert len(approvals) == 1
    states = Counter(v.state for v in store.list_versions(limit=1000))
    assert states["revoked"] == ok["revoke"] + len(shared_manifests)
    # Every successful mutation and every refused decision is in the chain, unbroken.
    refused = conflicts["shared-approve"] + conflicts["shared-revoke"]
    verification = store.audit_verify()
    assert verification.ok, verification.problems
    assert verification.events == base_events + sum(ok.values()) + refused
    assert len(store.list_deployments()) == THREADS
