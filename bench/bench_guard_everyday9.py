#!/usr/bin/env python3
"""False-positive rate of the guard on scripts/guard_everyday9.py's prompts, in both views:
``airlock guard check`` as it runs by default (linear stage + rules, no second stage) and with
``--onnx-classifier builtin`` (the semantic stage, ``guard serve``'s default).

The real CLI is run on the JSONL in a child process (``--src`` picks which sources, e.g. a
copy holding a candidate's model files); only counts are printed, never a text, so a held-out
part stays unread. A text is a false positive iff its action is not ``allow``.

    python bench/bench_guard_everyday9.py --data /tmp/everyday9/ev9.heldout.jsonl --json out.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VIEWS = {"check": [], "semantic": ["--onnx-classifier", "builtin"]}


def wilson(k: int, n: int, z: float = 1.96) -> list[float]:
    if n == 0:
        return [0.0, 1.0]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(max(0.0, c - h), 5), round(min(1.0, c + h), 5)]


def run_view(data: Path, src: Path, extra: list[str]) -> tuple[list[dict[str, Any]], float]:
    with tempfile.TemporaryFile() as out:
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "airlock", "guard", "check", "--jsonl", str(data),
             "--format", "json", *extra],
            stdout=out, check=False, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(src)},
        )  # fmt: skip
        wall = time.monotonic() - t0
        out.seek(0)
        return json.loads(out.read()), wall


def score(rows: list[dict[str, Any]], res: list[dict[str, Any]]) -> dict[str, Any]:
    if len(rows) != len(res):
        raise SystemExit(f"{len(rows)} texts but {len(res)} results")
    per: dict[str, list[int]] = {}
    rules: Counter[str] = Counter()

    def add(key: str, bad: bool) -> None:
        kn = per.setdefault(key, [0, 0])
        kn[0] += bad
        kn[1] += 1

    for row, r in zip(rows, res, strict=True):
        bad = r["action"] != "allow"
        if bad:
            rules.update({f["rule_id"] for f in r["findings"] if f["action"] != "allow"})
        lang = row.get("lang", "und")
        keys = ["all", f"source/{row['source']}", f"category/{row['category']}", f"lang/{lang}"]
        keys.append("trigger words" if row.get("trigger") else "no trigger words")
        keys.append("language/en" if lang == "en" else "language/non-English")
        for key in keys:
            add(key, bad)
    groups: dict[tuple[str, str], list[bool]] = {}
    for row, r in zip(rows, res, strict=True):
        groups.setdefault((row["source"], row["group"]), []).append(r["action"] != "allow")
    macro: dict[str, Any] = {}
    for source in sorted({s for s, _ in groups}):
        rates = [sum(v) / len(v) for (s, _), v in groups.items() if s == source]
        macro[source] = {"groups": len(rates), "mean_group_fpr": round(sum(rates) / len(rates), 5),
                         "groups_any_flagged": sum(x > 0 for x in rates)}  # fmt: skip
    return {
        "macro_by_group": macro,
        "fpr": {
            k: {"flagged": a, "n": b, "fpr": round(a / b, 5), "wilson95": wilson(a, b)}
            for k, (a, b) in sorted(per.items(), key=lambda kv: -kv[1][1])
        },
        "rules": dict(rules.most_common()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="sources (PYTHONPATH)")
    ap.add_argument("--views", default="check,semantic")
    ap.add_argument("--json", type=Path, help="write the figures here")
    a = ap.parse_args()
    rows = [json.loads(x) for x in a.data.read_text(encoding="utf-8").split("\n") if x.strip()]
    out: dict[str, Any] = {"data": str(a.data), "n": len(rows), "src": str(a.src)}
    for view in a.views.split(","):
        load0 = os.getloadavg()[0]
        res, wall = run_view(a.data, a.src, VIEWS[view])
        out[view] = {**score(rows, res), "wall_s": round(wall, 1),
                     "load_average": f"{load0:.1f}-{os.getloadavg()[0]:.1f}"}  # fmt: skip
        f = out[view]["fpr"]["all"]
        print(f"{view}: {f['flagged']}/{f['n']} FPR {f['fpr']:.4f} {f['wilson95']}", flush=True)
    text = json.dumps(out, indent=1)
    if a.json:
        a.json.write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
