"""What the gate's replay of a version's events (``replay.gate_problems``, regaudit20) adds to
an uncached ``check``.

Usage: PYTHONPATH=src .venv/bin/python bench/registry_gate_verify.py [--database URL]
       [--versions 10000] [--noise 50000] [--samples 2000]

Populates N approved versions (one approval each) in bulk, with the audit events the registry
would have written (``version.submit`` with its fields, ``version.approve`` with its envelope
digest; a valid chain), plus ``--noise`` admission events, then times the gate's uncached path
(``Checks._check``, what runs on a cache miss: after every write) for random digests, with the
replay and with it switched off, interleaved, and prints the medians and p99 in microseconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text

from airlock.registry import audit
from airlock.registry.db import AuditEventRow, DecisionRow, ModelRow, VersionRow
from airlock.registry.replay import next_record, sha256_text
from airlock.registry.store import Store


class _Chain:
    def __init__(self) -> None:
        self.seq, self.hash, self.rows = 0, audit.GENESIS_HASH, []  # type: ignore[var-annotated]

    def add(self, action: str, subject: str, payload: dict[str, Any]) -> str:
        self.seq += 1
        ts = datetime.now(UTC).isoformat(timespec="microseconds")
        body = audit.canonical_json(payload)
        h = audit.event_hash(self.seq, ts, "bench", action, subject, body, self.hash)
        self.rows.append({"seq": self.seq, "ts": ts, "actor": "bench", "action": action,
                          "subject": subject, "payload": body, "prev_hash": self.hash,
                          "hash": h})  # fmt: skip
        self.hash = h
        return h


def populate(store: Store, n: int, noise: int = 0) -> list[str]:
    """N approved versions of org/bench with their events (a chain audit verify accepts)."""
    now = datetime.now(UTC)
    chain = _Chain()
    digests, versions, decisions = [], [], []
    for i in range(n):
        file_digest = hashlib.sha256(f"file-{i}".encode()).hexdigest()
        root = hashlib.sha256(bytes.fromhex(file_digest)).hexdigest()
        digests.append(root)
        manifest = json.dumps({
            "schema": "airlock.manifest/v1", "algorithm": "sha256", "root_digest": root,
            "file_count": 1, "total_size": 1,
            "files": [{"path": "model.safetensors", "size": 1, "digest": file_digest}],
        })  # fmt: skip
        record = hashlib.sha256(f"record-{i}".encode()).hexdigest()
        chain.add("version.submit", root, {
            "model": "org/bench", "source": "hf:org/bench", "files": 1, "kind": "model",
            "base_digest": "", "record": record, "source_revision": "", "base_model": "",
            "license": "", "manifest_sha256": sha256_text(manifest),
        })  # fmt: skip
        nonce = f"bench-nonce-{i:08d}"
        h = chain.add("version.approve", root, {
            "approver": "alice", "key_id": "k", "nonce": nonce, "from": "submitted",
            "to": "approved", "reason": "", "envelope_sha256": sha256_text("{}"),
        })  # fmt: skip
        versions.append({"id": i + 1, "model_id": 1, "digest": root, "algorithm": "sha256",
                         "manifest": manifest, "file_count": 1, "total_size": 1,
                         "source_revision": "", "base_model": "", "license": "",
                         "state": "approved", "record": next_record(record, "approved", h),
                         "created_at": now, "updated_at": now})  # fmt: skip
        decisions.append({"version_id": i + 1, "decision": "approve", "approver": "alice",
                          "key_id": "k", "nonce": nonce, "reason": "", "envelope": "{}",
                          "created_at": now})  # fmt: skip
    for i in range(noise):
        chain.add("admission.allow", f"ns/pod-{i}", {"digest": random.choice(digests)})
    with store.engine.begin() as conn:
        conn.execute(insert(ModelRow), [{"id": 1, "name": "org/bench",
                                         "source": "hf:org/bench", "created_at": now}])  # fmt: skip
        conn.execute(insert(VersionRow), versions)
        conn.execute(insert(DecisionRow), decisions)
        for start in range(0, len(chain.rows), 5000):
            conn.execute(insert(AuditEventRow), chain.rows[start : start + 5000])
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
                     {"s": chain.seq, "h": chain.hash})  # fmt: skip
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return digests


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database")
    ap.add_argument("--versions", type=int, default=10_000)
    ap.add_argument("--noise", type=int, default=50_000)
    ap.add_argument("--samples", type=int, default=2000)
    args = ap.parse_args()
    from airlock.registry.store import checks
    from airlock.report import Severity

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.database or f"sqlite:///{tmp}/r.db", init=True)
        digests = populate(store, args.versions, args.noise)
        verify = store.audit_verify()
        assert verify.ok, verify.problems[:3]
        real = checks.gate_problems
        rng = random.Random(19)
        times: dict[str, list[float]] = {"with": [], "without": []}
        with store.engine.connect() as conn:
            seq = conn.execute(text("SELECT seq FROM audit_head")).scalar_one()
            for i in range(args.samples):
                d = rng.choice(digests)
                for mode in ("with", "without") if i % 2 else ("without", "with"):
                    checks.gate_problems = real if mode == "with" else (lambda c, d: [])  # type: ignore[assignment]
                    t0 = time.perf_counter()
                    decision, _ = store._check(conn, seq, d, None, Severity.LOW)
                    times[mode].append(time.perf_counter() - t0)
                    assert decision.allow, decision.reasons
        checks.gate_problems = real
        store.close()
    for mode, ts in times.items():
        ts.sort()
        print(f"{mode:8} median {statistics.median(ts) * 1e6:8.0f} us  "
              f"p99 {ts[int(len(ts) * 0.99)] * 1e6:8.0f} us  n={len(ts)}")  # fmt: skip
    print(f"events {args.versions * 2 + args.noise}, versions {args.versions}")


if __name__ == "__main__":
    main()
