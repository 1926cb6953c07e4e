"""Fleet throughput bench (issue 19): one store, judged by 1 and by 2 worker processes.

``python -m bench.fleet.run /tmp/fleet-store --workers 1 2 [--anchor]``

For each worker count: a fresh PostgreSQL database, N ``airlock fleet worker`` processes
(concurrency 1 each) on RabbitMQ, ``airlock fleet submit``, wait until every file is closed.
Reports files, unique (digest, name) pairs = scans, dedup ratio, wall time, files/s and
scans/s, and where worker time went: in the scanner (``read_once``), in the task around it
(database lookups and writes), and the rest (broker delivery/acks, process overhead, idle).
``--anchor`` also times ``airlock scan`` of the whole store in one process (no cache, serial):
what the same machine does without the fleet.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.fleet import common


def run_fleet(store: Path, workers: int, broker: str, log_dir: Path) -> dict[str, Any]:
    db = common.fresh_database(f"airlock_fleet_bench_{workers}")
    queue = f"airlock-bench-{secrets.token_hex(3)}"
    e = common.env(broker, queue, db)
    procs = [
        common.start_worker(e, log_dir / f"w{workers}-{i}.log", "--concurrency", "1")
        for i in range(workers)
    ]
    time.sleep(8)  # workers connected and warm (their imports are not the store's cost)
    t0 = time.monotonic()
    sub = subprocess.run(
        [sys.executable, "-m", "airlock", "fleet", "submit", str(store), "--format", "json"],
        env=e,
        capture_output=True,
        text=True,
        check=True,
    )
    submitted = json.loads(sub.stdout)
    st = common.wait_finished(db, every=0.5)
    wall = time.monotonic() - t0
    for p in procs:
        common.stop(p)
    common.delete_queue(broker, queue)
    scans = common.sql(db, "SELECT count(*), sum(scans), sum(seconds) FROM fleet_verdicts")[0]
    busy = wall * workers
    return {
        "workers": workers,
        "files": st["files"],
        "states": st["states"],
        "unique_digest_names": st["unique_digests"],
        "dedup_ratio": st["dedup_ratio"],
        "verdict_rows": int(scans[0]),
        "scans": int(scans[1] or 0),
        "submit_seconds": submitted["seconds"],
        "submit_hash_seconds": submitted["hash_seconds"],
        "wall_seconds": round(wall, 2),
        "files_per_second": round(st["files"] / wall, 1),
        "scans_per_second": round(int(scans[1] or 0) / wall, 1),
        "scan_seconds": round(st["scan_seconds"], 2),
        "task_bookkeeping_seconds": round(st["engine_seconds"], 2),
        "share_scan": round(st["scan_seconds"] / busy, 3),
        "share_task_bookkeeping": round(st["engine_seconds"] / busy, 3),
        "share_broker_and_rest": round(1 - (st["scan_seconds"] + st["engine_seconds"]) / busy, 3),
        "per_scan_ms": round(1000 * st["scan_seconds"] / max(1, int(scans[1] or 0)), 2),
        "per_task_ms": round(1000 * busy / max(1, int(scans[1] or 0)), 2),
        "loadavg_after": common.loadavg(),
    }


def anchor(store: Path) -> dict[str, Any]:
    sys.path.insert(0, str(common.SRC))
    from airlock.scan.engine import ScanOptions, scan_paths

    t0 = time.perf_counter()
    rep = scan_paths([store], ScanOptions(mode="serial"))
    wall = time.perf_counter() - t0
    return {
        "files": rep.files,
        "wall_seconds": round(wall, 2),
        "files_per_second": round(rep.files / wall, 1),
        "findings": len(rep.findings),
        "not_scanned": len(rep.not_scanned),
        "loadavg_after": common.loadavg(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    ap.add_argument("--anchor", action="store_true")
    ap.add_argument("--logs", type=Path, default=Path("/tmp/fleet-bench-logs"))
    args = ap.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"store": json.loads((args.store / "manifest.json").read_text())}
    print(json.dumps(out), flush=True)
    for n in args.workers:
        out[f"fleet_{n}"] = run_fleet(args.store, n, args.broker, args.logs)
        print(json.dumps(out[f"fleet_{n}"]), flush=True)
    if args.anchor:
        out["anchor_scan_serial"] = anchor(args.store)
        print(json.dumps(out["anchor_scan_serial"]), flush=True)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
