"""Fleet reliability run (issue 19): SIGKILL workers mid-task and restart the broker while a
store is judged; count lost tasks, duplicate verdicts, redelivered work and wrong verdicts.

``python -m bench.fleet.chaos --repos 400 --seed 20 --kills 5 --broker-restarts 1``

The store is the generator's (another seed than the throughput bench) plus ``--slow`` harmless
pickles that take the analyser ~1-2 s each, so a kill lands inside a scan by construction: the
victim is the worker whose pool child holds a slow file in state ``running``. The broker is
restarted for real (``rabbitmqctl shutdown``, ``rabbitmq-server -detached``) and left running.
Every verdict is then compared with a fresh in-process scan of the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.fleet import common
from bench.fleet.generate import generate


def slow_pickle(path: Path, items: int) -> None:
    path.write_bytes(pickle.dumps([list(range(100)) for _ in range(items // 100)], protocol=2))


def restart_rabbitmq() -> float:
    t0 = time.monotonic()
    subprocess.run(["rabbitmqctl", "shutdown"], capture_output=True, check=False, timeout=120)
    subprocess.run(["rabbitmq-server", "-detached"], capture_output=True, check=False, timeout=60)
    subprocess.run(["rabbitmqctl", "await_startup"], capture_output=True, check=False, timeout=180)
    return time.monotonic() - t0


def running_slow(db: str) -> list[tuple[str, str]]:
    return [
        (str(w), str(p))
        for w, p in common.sql(
            db, "SELECT worker, path FROM fleet_files WHERE state = 'running' AND path LIKE 'slow%'"
        )
        if w
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repos", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--slow", type=int, default=12)
    ap.add_argument("--slow-items", type=int, default=2_500_000)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--broker-restarts", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", type=Path, default=Path("/tmp/fleet-chaos-store"))
    ap.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//")
    args = ap.parse_args()
    import shutil

    if args.store.exists():
        shutil.rmtree(args.store)
    made = generate(args.store, args.repos, args.seed)
    for i in range(args.slow):  # each in its own repository: slow file per task
        d = args.store / f"zz-slow--slow-{i}"  # sorted last: enqueued among the others
        d.mkdir()
        slow_pickle(d / f"slow{i}.pkl", args.slow_items + i * 1000)
    db = common.fresh_database("airlock_fleet_chaos")
    queue = f"airlock-chaos-{secrets.token_hex(3)}"
    e = common.env(args.broker, queue, db)
    log = Path("/tmp/fleet-chaos-logs")
    log.mkdir(exist_ok=True)
    workers = [common.start_worker(e, log / f"w{i}.log") for i in range(args.workers)]
    time.sleep(8)
    submitter = subprocess.Popen(
        [sys.executable, "-m", "airlock", "fleet", "submit", str(args.store), "--format", "json"],
        env=e,
        stdout=subprocess.PIPE,
        text=True,
    )  # the faults start while tasks are still being published
    events: list[dict[str, Any]] = []
    kills = restarts = 0
    t0 = time.monotonic()
    while True:
        try:
            st = common.status(db)
        except Exception:  # the job row is not written yet
            time.sleep(0.2)
            continue
        if st["finished"] == st["files"] and submitter.poll() is not None:
            break
        if time.monotonic() - t0 > 1800:
            break
        frac = st["finished"] / max(1, st["files"])
        if kills < args.kills:
            victims = running_slow(db)
            if victims:
                wpid = int(victims[0][0].rsplit(":", 1)[1])
                try:
                    pgid = os.getpgid(wpid)
                except ProcessLookupError:
                    time.sleep(0.2)
                    continue
                proc = next((w for w in workers if w.pid == pgid and w.poll() is None), None)
                if proc is not None:
                    time.sleep(0.3)  # inside the scan
                    os.killpg(pgid, signal.SIGKILL)
                    proc.wait(timeout=30)
                    kills += 1
                    events.append(
                        {
                            "t": round(time.monotonic() - t0, 1),
                            "event": "kill -9",
                            "file": victims[0][1],
                            "finished": st["finished"],
                        }
                    )
                    workers.append(common.start_worker(e, log / f"w{len(workers)}.log"))
        if restarts < args.broker_restarts and frac >= 0.3 and kills >= args.kills // 2:
            took = restart_rabbitmq()
            restarts += 1
            events.append(
                {
                    "t": round(time.monotonic() - t0, 1),
                    "event": "broker restart",
                    "seconds": round(took, 1),
                    "finished": st["finished"],
                }
            )
        time.sleep(0.3)
    wall = time.monotonic() - t0
    out_sub, _ = submitter.communicate()
    submitted = json.loads(out_sub)
    st = common.status(db)
    for w in workers:
        common.stop(w)
    from airlock.fleet.tasks import make_app, queue_depth

    app = make_app(args.broker, db, queue=queue)
    depth, dead_depth = queue_depth(app), queue_depth(app, f"{queue}.dead")
    common.delete_queue(args.broker, queue)
    rows = common.sql(db, "SELECT sha256, name, verdict, scans, key FROM fleet_verdicts")
    per_pair: dict[tuple[str, str], int] = {}
    for sha, name, *_ in rows:
        per_pair[(sha, name)] = per_pair.get((sha, name), 0) + 1
    attempts = common.sql(db, "SELECT attempts, count(*) FROM fleet_files GROUP BY attempts")
    # reference: every judged file scanned again in this process, judged the same way
    from airlock.fleet import judge
    from airlock.fleet.ruleset import current
    from airlock.scan.engine import ScanOptions, read_once

    loc = {
        (s, n): where
        for s, n, where in common.sql(db, "SELECT sha256, name, location FROM fleet_files")
    }
    policy = current(None).policy_json()
    wrong = []
    for sha, name, verdict, _scans, _key in rows:
        done = read_once(
            Path(loc[(sha, name)]), loc[(sha, name)], ScanOptions(mode="serial"), "sha256"
        )
        ref = judge.judge(done.result, sha, policy).verdict
        if ref != verdict:
            wrong.append({"file": loc[(sha, name)], "fleet": verdict, "reference": ref})
    out = {
        "store": {
            "repos": made["repos"] + args.slow,
            "files": st["files"],
            "unique": st["unique_digests"],
            "seed": args.seed,
            "slow_files": args.slow,
        },
        "submitted_tasks": submitted["enqueued"],
        "events": events,
        "kills": kills,
        "broker_restarts": restarts,
        "wall_seconds": round(wall, 1),
        "states": st["states"],
        "lost_files": st["files"] - st["finished"],
        "verdict_rows": len(rows),
        "duplicate_verdicts": sum(n - 1 for n in per_pair.values()),
        "scans_total": sum(int(r[3]) for r in rows),
        "redelivered_rescans": sum(int(r[3]) for r in rows) - len(rows),
        "attempts_histogram": {int(a): int(n) for a, n in attempts},
        "queue_left": depth,
        "dead_letter": dead_depth,
        "wrong_verdicts": wrong,
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
