"""Uncached gate checks before/after the chain checks of session 20 (reg21): each event an
answer rests on linked to its neighbours, the head matched to the log's end, and a per-process
verified prefix re-read, extended (500 events a check) and scrubbed (10 a check).

Usage: PYTHONPATH=SRC .venv/bin/python bench/registry_gate_chain.py [--database URL]
       [--versions 10000] [--noise 50000] [--samples 1000] [--refused 0]

Populates as ``bench/registry_gate_verify.py`` (N approved versions, their events, ``--noise``
admission events; ``--refused`` refused-attestation events on the first version), warms one
Store until its verified prefix reaches the head (branch; a no-op on older code), then times
``Store.check`` with the answer cache emptied before each call (the path after every write),
wall clock and CPU time, on random versions (twice: the second pass finds their pages cached)
and on the first one. Prints medians and p99 in microseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).parent))
from registry_gate_verify import populate

from airlock.registry import audit
from airlock.registry.db import AuditEventRow
from airlock.registry.store import Store
from airlock.registry.store.base import ReadCache


def refusals(store: Store, digest: str, n: int) -> None:
    with store.engine.begin() as conn:
        seq, h = conn.execute(text("SELECT seq, hash FROM audit_head")).one()
        rows = []
        for _ in range(n):
            seq += 1
            ts = datetime.now(UTC).isoformat(timespec="microseconds")
            body = audit.canonical_json({"reason": "attestation signed by an unknown key"})
            new = audit.event_hash(seq, ts, "tok", "attestation.refused", digest, body, h)
            rows.append({"seq": seq, "ts": ts, "actor": "tok", "action": "attestation.refused",
                         "subject": digest, "payload": body, "prev_hash": h,
                         "hash": new})  # fmt: skip
            h = new
        for start in range(0, n, 5000):
            conn.execute(insert(AuditEventRow), rows[start : start + 5000])
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq, "h": h})
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def timed(store: Store, digests: list[str], samples: int) -> tuple[list[float], list[float]]:
    """Wall-clock and this thread's CPU time per check (on a loaded machine the wall clock is
    mostly waiting for a CPU: the CPU time is the cost)."""
    wall, cpu = [], []
    for d in digests[:samples]:
        store._cache = ReadCache()
        t0, c0 = time.perf_counter(), time.thread_time()
        decision = store.check(d)
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - t0)
        assert decision.allow, decision.reasons
    return sorted(wall), sorted(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database")
    ap.add_argument("--versions", type=int, default=10_000)
    ap.add_argument("--noise", type=int, default=50_000)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--refused", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.database or f"sqlite:///{tmp}/r.db", init=True)
        digests = populate(store, args.versions, args.noise)
        if args.refused:
            refusals(store, digests[0], args.refused)
        gate = Store(store.engine)
        rng = random.Random(20)
        t0 = time.perf_counter()
        warm = 0
        verified = getattr(gate, "verified", None)
        head = store.audit_head().seq
        while verified is not None and verified.seq < head:
            gate._cache = ReadCache()
            gate.check(rng.choice(digests))
            warm += 1
        print(f"warm-up: {warm} checks, {time.perf_counter() - t0:.2f} s (prefix walk)")
        picks = [rng.choice(digests) for _ in range(args.samples)]
        runs = (("random", timed(gate, picks, args.samples)),
                ("again", timed(gate, picks, args.samples)),  # the same picks, pages cached
                ("first", timed(gate, [digests[0]] * 50, 50)))  # fmt: skip
        for name, (ts, cpu) in runs:
            print(f"{name:7} median {statistics.median(ts) * 1e6:8.0f} us  "
                  f"p99 {ts[int(len(ts) * 0.99)] * 1e6:8.0f} us  "
                  f"cpu median {statistics.median(cpu) * 1e6:6.0f} us  n={len(ts)}")  # fmt: skip
        print(f"events {head}, versions {args.versions}, refused {args.refused}")
        store.close()


if __name__ == "__main__":
    main()
