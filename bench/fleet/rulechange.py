"""Rule-change bench (issue 19): after a store is judged, change the policy or the allowlist
and count what ``fleet rejudge`` touches, how, and what flips.

``python -m bench.fleet.rulechange policy --database URL --allow trl.trainer.sft_config.SFTConfig``
    the store's verdicts (judged under the built-in policy) re-judged under a policy file that
    allows one more global;

``python -m bench.fleet.rulechange allowlist --store DIR --drop NAME [--broker redis://...]``
    the store judged by workers running a copy of Airlock whose allowlist lacks ``NAME`` (an
    older allowlist), then re-judged by this Airlock (whose allowlist has it).

Prints the rejudge report's counts, the flips per file name, and the seconds it took.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from airlock.scan.allowlist import group_names
from bench.fleet import common


def rejudge_counts(database: str, policy: Path | None) -> dict[str, Any]:
    from airlock.fleet.rejudge import rejudge
    from airlock.fleet.ruleset import current
    from airlock.policyfile import load_policy
    from airlock.registry.db import make_engine

    engine = make_engine(database)
    rs = current(load_policy(str(policy)) if policy else None)
    total_files = common.sql(database, "SELECT count(*) FROM fleet_files")[0][0]
    t0 = time.perf_counter()
    rep = rejudge(engine, rs)
    took = time.perf_counter() - t0
    engine.dispose()
    data = rep.to_json()
    flips = data.pop("flipped")
    return {
        "store_files": total_files,
        **{k: v for k, v in data.items() if k not in ("changes", "unavailable")},
        "unavailable": len(rep.unavailable),
        "changes": [{k: v for k, v in c.items() if k != "from"} for c in data["changes"]],
        "flipped": len(flips),
        "flipped_by": dict(
            Counter(f"{f['name']} {f['before']}->{f['after']} ({f['how']})" for f in flips)
        ),
        "flipped_files_in_store": sum(len(f["models"]) for f in flips),
        "seconds": round(took, 2),
    }


def policy_mode(args: argparse.Namespace) -> dict[str, Any]:
    pol = Path("/tmp/fleet-rulechange-policy.toml")
    pol.write_text(
        "".join(f'[[allow]]\nname = "{n}"\nreason = "bench: reviewed"\n' for n in args.allow)
    )
    return rejudge_counts(args.database, pol)


def allowlist_mode(args: argparse.Namespace) -> dict[str, Any]:
    old = Path("/tmp/fleet-oldsrc")
    if old.exists():
        shutil.rmtree(old)
    shutil.copytree(common.SRC, old / "src", ignore=shutil.ignore_patterns("__pycache__"))
    path = old / "src/airlock/scan/data/pickle_allowlist.json"
    doc = json.loads(path.read_text())
    dropped = 0
    for group in doc["allow"]:
        names = group_names(group)
        kept = [n for n in names if n not in args.drop]
        dropped += len(names) - len(kept)
        if "names_text" in group:
            group["names_text"] = " ".join(n[len(group.get("names_prefix", "")) :] for n in kept)
        else:
            group["names"] = kept
    assert dropped == len(args.drop), "a --drop name is not on the allowlist"
    doc["version"] = doc["version"] + "-older"
    path.write_text(json.dumps(doc, indent=1))
    db = common.fresh_database("airlock_fleet_rulechange")
    queue = f"airlock-rule-{secrets.token_hex(3)}"
    e = common.env(args.broker, queue, db, src=old / "src")
    log = Path("/tmp/fleet-rule-logs")
    log.mkdir(exist_ok=True)
    workers = [common.start_worker(e, log / f"w{i}.log") for i in range(args.workers)]
    time.sleep(8)
    subprocess.run(
        [sys.executable, "-m", "airlock", "fleet", "submit", str(args.store)],
        env=e,
        check=True,
        capture_output=True,
    )
    st = common.wait_finished(db)
    for w in workers:
        common.stop(w)
    before = dict(common.sql(db, "SELECT verdict, count(*) FROM fleet_verdicts GROUP BY verdict"))
    out = {
        "old_run": {"files": st["files"], "states": st["states"], "verdicts": before},
        "dropped": args.drop,
    }
    out["rejudge"] = rejudge_counts(db, None)
    out["verdicts_after"] = dict(
        common.sql(
            db,
            "SELECT verdict, count(*) FROM fleet_verdicts WHERE origin <> 'context' "
            "AND allowlist_version NOT LIKE '%-older%' GROUP BY verdict",
        )
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("policy")
    p.add_argument("--database", required=True)
    p.add_argument("--allow", nargs="+", required=True)
    a = sub.add_parser("allowlist")
    a.add_argument("--store", type=Path, required=True)
    a.add_argument("--drop", nargs="+", required=True)
    a.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    a.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    out = policy_mode(args) if args.mode == "policy" else allowlist_mode(args)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
