"""The full differential campaign: generated mutated/polyglot model files loaded by the real
victim loaders in Airlock's sandbox, each one the loaders executed checked with ``airlock.check``.

Usage (from the repository root):
    nice -n 10 .venv/bin/python bench/differential/campaign.py --seed 1000 --count 200000 \\
        [--findings /work/notes/differential.md] [--json out.json] [--stop-first]
Two phases for long runs (the loaders' behaviour does not depend on Airlock, so the slow part
runs once and the gate is judged against the newest code at the end):
    ... campaign.py --seed S --start A --count N --oracle-only --record shard.jsonl
    ... campaign.py --rejudge shard1.jsonl shard2.jsonl --json result.json

Holes (a loader ran the payload, the gate allowed) and false positives (a benign file a loader
loads, the gate denies) are printed as they are found, appended to ``--findings`` (first of each
class, then the smallest per class), and counted in the summary. Exit 1 if any hole was found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.differential.campaign import (
    Case,
    Summary,
    describe,
    record,
    rejudge,
    run,
    seeded,
)
from tests.differential.generate import Sample
from tests.differential.oracle import Oracle, Outcome


def _scratch() -> Path:
    shm = Path("/dev/shm")  # tmpfs: extraction folders are created and removed per file
    return Path(tempfile.mkdtemp(prefix="airlock-diff-", dir=shm if shm.is_dir() else None))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--findings", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--per-load", type=float, default=0.5)
    ap.add_argument("--stop-first", action="store_true", help="stop at the first loader that fires")
    ap.add_argument("--oracle-only", action="store_true", help="run the loaders, judge later")
    ap.add_argument("--record", type=Path, default=None, help="JSONL of executed/loaded files")
    ap.add_argument("--rejudge", type=Path, nargs="*", default=None, help="judge recorded files")
    args = ap.parse_args()

    seen: set[tuple[str, str]] = set()

    def on_case(kind: str, c: Case) -> None:
        cls = (kind, c.cls)
        first = cls not in seen
        seen.add(cls)
        print(f"{kind.upper()} {c.key} {c.sample.shape} {c.sample.gadget} fired={c.outcome.fired}",
              flush=True)  # fmt: skip
        if first and args.findings is not None:
            with args.findings.open("a") as f:
                f.write(describe("HOLE" if kind == "hole" else "false positive", c))

    if args.findings is not None:
        with args.findings.open("a") as f:
            last = args.start + args.count - 1
            what = f"seed {args.seed}, files {args.start}..{last}"
            if args.rejudge is not None:
                what = f"rejudge of {len(args.rejudge)} record file(s)"
            f.write(f"\n### campaign {what} ({time.strftime('%H:%M UTC', time.gmtime())})\n\n")
    t0 = time.time()
    backend, restarts = "", 0
    if args.rejudge is not None:
        summary = Summary()
        work = _scratch()
        os.environ.setdefault("AIRLOCK_CACHE_DIR", str(work / "cache"))
        for path in args.rejudge:
            rejudge(_records(path), work, summary, on_case)
        summary.seconds = time.time() - t0
    else:
        scratch = _scratch()
        os.environ.setdefault("AIRLOCK_CACHE_DIR", str(scratch / "cache"))
        rec = args.record.open("a") if args.record is not None else None

        def on_loaded(key: str, s: Sample, out: Outcome) -> None:
            if rec is not None:
                rec.write(json.dumps(record(scratch, key, s, out)) + "\n")
                rec.flush()

        with Oracle(scratch, per_load_s=args.per_load) as oracle:
            cases = _progress(seeded(args.seed, args.count, scratch, args.start), args.count)
            summary = run(oracle, cases, on_case, stop_first=args.stop_first,
                          check_now=not args.oracle_only, on_loaded=on_loaded)  # fmt: skip
            backend, restarts = oracle.backend, oracle.restarts
        if rec is not None:
            rec.close()
    report = _report(summary, backend, restarts, time.time() - t0, args)
    print(json.dumps({k: v for k, v in report.items() if not k.endswith("_keys")}, indent=1))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=1))
    if args.findings is not None:
        with args.findings.open("a") as f:
            f.write(_smallest(summary))
            brief = {k: v for k, v in report.items() if not k.endswith("_keys")}
            f.write(f"\nresult: `{json.dumps(brief)}`\n")
    return 1 if summary.holes else 0


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open() as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _progress(cases: Iterator[tuple[str, Sample]], total: int) -> Iterator[tuple[str, Sample]]:
    t0 = time.time()
    for n, item in enumerate(cases, 1):
        yield item
        if n % 1000 == 0:
            rate = n / (time.time() - t0)
            print(f"progress {n}/{total} files, {rate:.1f}/s", file=sys.stderr, flush=True)


def _smallest(s: Summary) -> str:
    """Per class, the smallest file found (the reproducer to start from)."""
    out = ["\n#### smallest reproducer per class (this campaign)\n\n"]
    for kind, cases in (("HOLE", s.holes), ("false positive", s.false_positives)):
        best: dict[str, Case] = {}
        for c in cases:
            if c.cls not in best or len(c.sample.data) < len(best[c.cls].sample.data):
                best[c.cls] = c
        n = Counter(c.cls for c in cases)
        for cls, c in sorted(best.items(), key=lambda kv: -n[kv[0]]):
            out.append(f"({n[cls]} files) " + describe(kind, c))
    return "".join(out)


def _report(
    s: Summary, backend: str, restarts: int, wall: float, args: argparse.Namespace
) -> dict[str, object]:
    return {
        "seed": args.seed, "start": args.start, "files": s.files, "with_payload": s.with_payload,
        "fired": s.fired, "holes": len(s.holes), "false_positives": len(s.false_positives),
        "benign_loaded": s.benign_loaded, "crashed_or_hung": s.crashed, "child_restarts": restarts,
        "sandbox": backend, "seconds": round(wall, 1), "fired_by_loader": dict(s.by_loader),
        "fired_by_shape": dict(s.by_shape),
        "hole_classes": dict(Counter(c.cls for c in s.holes).most_common()),
        "fp_classes": dict(Counter(c.cls for c in s.false_positives).most_common()),
        "hole_keys": [c.key for c in s.holes][:5000],
        "fp_keys": [c.key for c in s.false_positives][:5000],
    }  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
