"""Session 9's shipping-rule figure: the guard on ``PYTHONPATH`` (semantic stage loaded), on the
session-9 TRAINING sources (scripts/guard_fresh9.py, not held out), in two views: the
classifier stages alone (linear scanner, then the semantic stage, run on every text) and the
whole pipeline. ``Pipeline.check_text`` stops after the first scanner that blocks, so the
stages are run on a fresh context here rather than read from its findings.

    PYTHONPATH=src python scripts/guard_stages9.py --wheel-dir /tmp/w9
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def f1(pred: list[bool], gold: list[int]) -> dict[str, float | int]:
    tp = sum(p and g == 1 for p, g in zip(pred, gold, strict=True))
    fp = sum(p and g == 0 for p, g in zip(pred, gold, strict=True))
    fn = sum((not p) and g == 1 for p, g in zip(pred, gold, strict=True))
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return {"precision": round(pr, 4), "recall": round(rc, 4), "f1": round(f, 4), "fp": fp,
            "n": len(gold)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel-dir", type=Path, required=True)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from guard_fresh9 import load_fresh9, seen_texts

    from airlock.guard.factory import BUILTIN_ONNX, default_pipeline
    from airlock.guard.types import ScanContext

    rows, _ = load_fresh9(args.wheel_dir, seen_texts(args.wheel_dir))
    rows = [r for r in rows if not r.held_out]
    pipe = default_pipeline(onnx_classifier=BUILTIN_ONNX, onnx_threshold=None)
    stages = [s for s in pipe.scanners if s.name in ("classifier", "semantic")]
    st, pp, gold = [], [], []
    for r in rows:
        pp.append(pipe.check_text(r.text).would != "allow")
        ctx = ScanContext(r.text, "input", "user")
        st.append(any(any(f.action == "block" for f in pipe._run(s, ctx)) for s in stages))
        gold.append(r.label)
    pipe.close()
    print(json.dumps({"stages": f1(st, gold), "pipeline": f1(pp, gold)}))


if __name__ == "__main__":
    main()
