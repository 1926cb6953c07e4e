#!/usr/bin/env python3
"""Recall, false-positive rate and F1 of the guard on scripts/guard_fresh10.py's held-out set
(PREFIX.injections.jsonl and PREFIX.benign.jsonl), in both views of
bench/bench_guard_everyday9.py: ``airlock guard check`` as it runs by default, and with
``--onnx-classifier builtin`` (the semantic stage).

The real CLI runs on the JSONL in a child process with PYTHONPATH=SRC (``--src`` picks the source
tree, e.g. a copy holding a candidate's model files). Only counts are printed, never a text. A
text counts as flagged iff its action is not ``allow``. Intervals are Wilson 95 %.

    python bench/bench_guard_fresh10.py --data /tmp/f10/fresh10 --src src --json fresh10.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_guard_everyday9 import ROOT, VIEWS, run_view, wilson


def _rate(k: int, n: int, name: str) -> dict[str, Any]:
    return {"flagged": k, "n": n, name: round(k / n, 5) if n else None, "wilson95": wilson(k, n)}


def _by(rows: list[dict[str, Any]], flags: list[bool], key: str, name: str) -> dict[str, Any]:
    groups: dict[str, list[int]] = {}
    for row, f in zip(rows, flags, strict=True):
        kn = groups.setdefault(str(row.get(key)), [0, 0])
        kn[0] += f
        kn[1] += 1
    return {g: _rate(k, n, name) for g, (k, n) in sorted(groups.items(), key=lambda kv: -kv[1][1])}


def _unit(source: str) -> str:
    return source.split("/")[0]


def score(inj: list[dict[str, Any]], inj_flags: list[bool], ben: list[dict[str, Any]],
          ben_flags: list[bool]) -> dict[str, Any]:  # fmt: skip
    for r in inj + ben:
        r.setdefault("unit", _unit(r["source"]))
        r.setdefault("lang_bucket", "en" if r.get("lang") == "en" else "other")
    tp, fp = sum(inj_flags), sum(ben_flags)
    fn = len(inj) - tp
    multi = [f for r, f in zip(inj, inj_flags, strict=True) if r["lang_bucket"] != "en"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(inj) if inj else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pooled": {
            "tp": tp, "fp": fp, "fn": fn, "tn": len(ben) - fp,
            "precision": round(precision, 5), "precision_wilson95": wilson(tp, tp + fp),
            "recall": round(recall, 5), "recall_wilson95": wilson(tp, len(inj)),
            "f1": round(f1, 5),
        },
        "recall": {
            "all": _rate(tp, len(inj), "recall"),
            "multilingual": _rate(sum(multi), len(multi), "recall"),
            "by_unit": _by(inj, inj_flags, "unit", "recall"),
            "by_source": _by(inj, inj_flags, "source", "recall"),
            "by_lang": _by(inj, inj_flags, "lang", "recall"),
            "by_category": _by(inj, inj_flags, "category", "recall"),
        },
        "fpr": {
            "all": _rate(fp, len(ben), "fpr"),
            "by_unit": _by(ben, ben_flags, "unit", "fpr"),
            "by_source": _by(ben, ben_flags, "source", "fpr"),
            "by_lang_bucket": _by(ben, ben_flags, "lang_bucket", "fpr"),
            "by_lang": _by(ben, ben_flags, "lang", "fpr"),
            "by_category": _by(ben, ben_flags, "category", "fpr"),
            "by_kind": _by(ben, ben_flags, "kind", "fpr"),
            "by_trigger_words": _by(ben, ben_flags, "trigger", "fpr"),
        },
    }  # fmt: skip


def _flags(path: Path, rows: list[dict[str, Any]], src: Path, extra: list[str]) -> list[bool]:
    res, _ = run_view(path, src, extra)
    if len(res) != len(rows):
        raise SystemExit(f"{path}: {len(rows)} texts but {len(res)} results")
    return [r["action"] != "allow" for r in res]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="PREFIX of the two JSONL files")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="sources (PYTHONPATH)")
    ap.add_argument("--views", default="check,semantic", help="check, semantic or both")
    ap.add_argument("--json", type=Path, help="write the figures here")
    a = ap.parse_args()
    paths = {p: a.data.with_name(a.data.name + f".{p}.jsonl") for p in ("injections", "benign")}
    rows = {p: [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x.strip()]
            for p, path in paths.items()}  # fmt: skip
    out: dict[str, Any] = {"data": str(a.data), "src": str(a.src),
                           "n": {p: len(r) for p, r in rows.items()}}  # fmt: skip
    for view in a.views.split(","):
        load0 = os.getloadavg()[0]
        flags = {p: _flags(paths[p], rows[p], a.src, VIEWS[view]) for p in paths}
        s = score(rows["injections"], flags["injections"], rows["benign"], flags["benign"])
        out[view] = {**s, "load_average": f"{load0:.1f}-{os.getloadavg()[0]:.1f}"}
        r, m, f, p = s["recall"]["all"], s["recall"]["multilingual"], s["fpr"]["all"], s["pooled"]
        print(f"{view}: recall {r['flagged']}/{r['n']} {r['recall']} {r['wilson95']}; "
              f"multilingual {m['flagged']}/{m['n']} {m['recall']} {m['wilson95']}; "
              f"benign FPR {f['flagged']}/{f['n']} {f['fpr']} {f['wilson95']}; "
              f"precision {p['precision']} F1 {p['f1']}", flush=True)  # fmt: skip
    text = json.dumps(out, indent=1)
    if a.json:
        a.json.write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
