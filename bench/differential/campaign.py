"""The full differential campaign: generated mutated/polyglot model files loaded by the real
victim loaders in Airlock's sandbox, each one the loaders executed checked with ``airlock.check``.

Usage (from the repository root):
    nice -n 10 .venv/bin/python bench/differential/campaign.py --seed 1000 --count 200000 \
        [--findings /work/notes/differential.md] [--json out.json]

Holes (a loader ran the payload, the gate allowed) and false positives (a benign file a loader
loads, the gate denies) are printed as they are found, appended to ``--findings`` grouped by
class (shape + gadget, first of each), and counted in the summary. Exit 1 if any hole was found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.differential.campaign import Case, Summary, describe, run, seeded
from tests.differential.oracle import Oracle


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--findings", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--per-load", type=float, default=5.0)
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

    shm = Path("/dev/shm")  # tmpfs: extraction folders are created and removed per file
    scratch = Path(tempfile.mkdtemp(prefix="airlock-diff-", dir=shm if shm.is_dir() else None))
    os.environ.setdefault("AIRLOCK_CACHE_DIR", str(scratch / "cache"))
    t0 = time.time()
    with Oracle(scratch, per_load_s=args.per_load) as oracle:
        if args.findings is not None:
            with args.findings.open("a") as f:
                last = args.start + args.count - 1
                when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
                f.write(f"\n### campaign seed {args.seed}, files {args.start}..{last} ({when})\n\n")
        summary = run(oracle, seeded(args.seed, args.count, scratch, args.start), on_case)
        backend, restarts = oracle.backend, oracle.restarts
    report = _report(summary, backend, restarts, time.time() - t0, args)
    print(json.dumps(report, indent=1))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=1))
    if args.findings is not None:
        with args.findings.open("a") as f:
            f.write(_smallest(summary))
            brief = {k: v for k, v in report.items() if not k.endswith("_keys")}
            f.write(f"\nresult: `{json.dumps(brief)}`\n")
    return 1 if summary.holes else 0


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
