"""Concurrent writers: T threads x N approve/revoke/advise operations, then check nothing is lost.

Usage: .venv/bin/python bench/registry_writers.py [--database URL --schema NAME]
       [--threads 8] [--ops 500]

Each thread owns its versions and cycles approve -> revoke, plus an advisory every third
version (``ops`` operations per thread in all). At the end: every acknowledged operation is in
the database, every version's state matches the operations applied to it, and the audit chain
verifies with exactly one event per acknowledged write.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sqlalchemy import create_engine, text

from airlock.provenance.keys import generate_private_key, public_key_pem
from airlock.registry.store import Store
from registry.conftest import signed, unique_manifest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", default=None)
    ap.add_argument("--schema", default=None)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--ops", type=int, default=500)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="airlock-writers-"))
    url = args.database or f"sqlite:///{tmp / 'registry.db'}"
    if args.schema:
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{args.schema}"'))
        admin.dispose()
    store = Store.open(url, schema=args.schema, init=True)
    keys = [generate_private_key() for _ in range(args.threads)]
    for i, k in enumerate(keys):
        store.add_key(f"approver{i}", public_key_pem(k.public_key()).decode(), actor="bench")
    # Per version: approve, revoke, and (every third) advise -> about 2.33 ops per version.
    per_thread_versions = max(1, int(args.ops / (2 + 1 / 3)))
    plan: list[list[str]] = []
    for _ in range(args.threads):
        own = []
        for _ in range(per_thread_versions):
            m = unique_manifest()
            store.submit(m, model="org/bench", source="hf:org/bench", actor="bench")
            own.append(m.root_digest)
        plan.append(own)
    base = store.audit_verify().events
    done = [0] * args.threads
    failures: list[str] = []

    def worker(i: int) -> None:
        key = keys[i]
        for n, d in enumerate(plan[i]):
            try:
                store.decide(signed(store, "approve", d, "org/bench", key), actor=f"t{i}")
                done[i] += 1
                store.decide(signed(store, "revoke", d, "org/bench", key), actor=f"t{i}")
                done[i] += 1
                if n % 3 == 0:
                    store.advise(
                        f"ADV-{i}-{n}",
                        severity="high",
                        description="x",
                        versions=[d],
                        actor=f"t{i}",
                    )
                    done[i] += 1
            except Exception as exc:
                failures.append(f"thread {i} op {n}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    total = sum(done)
    states = {v.state for v in store.list_versions(limit=1000, state="approved")}
    revoked = 0
    offset = 0
    while True:
        page = store.list_versions(state="revoked", limit=1000, offset=offset)
        revoked += len(page)
        if len(page) < 1000:
            break
        offset += 1000
    verification = store.audit_verify()
    ok = (
        not failures
        and not states
        and revoked == args.threads * per_thread_versions
        and verification.ok
        and verification.events == base + total
    )
    backend = store.engine.dialect.name
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    if args.schema:
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
        admin.dispose()
    print(
        f"RESULT backend={backend} threads={args.threads} ops={total} seconds={elapsed:.1f} "
        f"ops_per_s={total / elapsed:.0f} revoked={revoked} audit_ok={verification.ok} "
        f"events={verification.events - base} failures={len(failures)} consistent={ok}"
    )
    for f in failures[:5]:
        print(f, file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
