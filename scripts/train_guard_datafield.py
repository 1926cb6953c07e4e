"""Train the data-field stage (candidate K; airlock.guard.datafield) on SEEN sets only.

Rows: the raw rows of fresh10-16's loaders (every one seen; fresh17 is never read here), with
fresh10's benign drop rules (jailbreak markers, attack-named sources), deduplicated after
case-folding, and a keyed sample of at most 3,500 injections and 4,500 benign texts
(sha256("k17:" + text) order). Each is scored once by the shipped guard (D): the linear
classifier's best window (ClassifierScanner) and the semantic stage's encoder+head on
``stage_texts`` (in-process, the shipped folder) -- ``--scored`` reuses a file of those scores
written by ``--write-scored`` (same code).

Fit: a logistic regression (L2 1e-3 per row, balanced classes, scipy's L-BFGS-B) on
``airlock.guard.datafield.features`` whose signal weights are bounded to be >= 0 (a signal that
the text addresses the agent may only add suspicion: the seen benign rows are mostly prompts,
not documents, and unbounded weights learn their accidents, e.g. "hidden markup means benign");
the linear logit's weight and the bias are free. Five folds by text hash give out-of-fold
scores p. Then
(lo, hi) on a grid: K flags a text iff p >= hi, or D flags it and p >= lo (D's semantic view:
linear >= 0.957 (0.7 for mostly-non-English text) or band <= linear and combine(linear,
semantic) >= 0.62). Chosen: the highest out-of-fold F1 with K's FPR <= D's FPR on these rows
(ties: the larger lo). The final weights are fitted on every row.

    PYTHONPATH=src python scripts/train_guard_datafield.py --seen-dir /tmp/w \\
        --scored /tmp/guard17/seen_scored.jsonl --out src/airlock/guard/data/pi-datafield-v1.json
    # /tmp/w10 .. /tmp/w16: fresh10-16's wheels (their scripts' pins)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

CAP = {0: 4500, 1: 3500}
LIN_THR, LIN_THR_FOREIGN, BAND, SEM_THR, ALPHA = 0.957, 0.7, 0.02, 0.62, 1.0


def seen_rows(prefix: str) -> list[dict[str, Any]]:
    """fresh10-16's raw loader rows (wheels in PREFIX10 .. PREFIX16), dropped and sampled."""
    import importlib

    import guard_fresh10 as f10

    rows = []
    for n in range(10, 17):
        mod = importlib.import_module(f"guard_fresh{n}")
        for f in mod.LOADERS:
            for r in f(Path(f"{prefix}{n}")):
                t = r["text"]
                if not isinstance(t, str) or not 8 <= len(t) <= 6000:
                    continue
                bad = f10.JAILBREAK.search(t) or f10.DROP_BENIGN_NAMES.search(
                    f"{r['source']} {r.get('group', '')}"
                )
                if int(r["label"]) == 0 and bad:
                    continue
                rows.append({"set": n, "text": t, "label": int(r["label"]),
                             "source": r["source"]})  # fmt: skip
    seen: set[str] = set()
    uniq = []
    for r in rows:
        k = " ".join(r["text"].casefold().split())
        if k not in seen:
            seen.add(k)
            uniq.append(r)
    uniq.sort(key=lambda r: hashlib.sha256(("k17:" + r["text"]).encode()).hexdigest())
    cnt = {0: 0, 1: 0}
    out = []
    for r in uniq:
        if cnt[r["label"]] < CAP[r["label"]]:
            out.append(r)
            cnt[r["label"]] += 1
    return out


def score_rows(rows: list[dict[str, Any]]) -> None:
    """D's linear and semantic scores, in place (``lin`` None: too short for the classifier)."""
    from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier
    from airlock.guard.scanners import ClassifierScanner
    from airlock.guard.semantic.stage import SEMANTIC_DIR, load_semantic, stage_texts
    from airlock.guard.types import ScanContext

    cs = ClassifierScanner(LinearClassifier.load(DEFAULT_MODEL), LIN_THR,
                           foreign_threshold=LIN_THR_FOREIGN)  # fmt: skip
    sem = load_semantic(SEMANTIC_DIR, sandbox=False)
    for r in rows:
        ctx = ScanContext(r["text"], "input", "user")
        cs.scan(ctx)
        lin = ctx.scores.get("classifier")
        texts = stage_texts(ctx)
        r["lin"], r["sem"] = lin, (max(s for s, _, _ in sem.score(texts))
                                   if texts and lin is not None else 0.0)  # fmt: skip


def d_flags(rows: list[dict[str, Any]]) -> np.ndarray:
    from airlock.guard.lexicon import foreign
    from airlock.guard.normalize import normalize
    from airlock.guard.semantic.stage import combine

    out = []
    for r in rows:
        lin = r["lin"]
        if lin is None:
            out.append(False)
            continue
        thr = min(LIN_THR, LIN_THR_FOREIGN) if foreign(normalize(r["text"]).text) else LIN_THR
        both = float(combine(lin, r["sem"], ALPHA))
        out.append(lin >= thr or (lin >= BAND and both >= SEM_THR))
    return np.array(out)


def matrix(rows: list[dict[str, Any]]) -> np.ndarray:
    from airlock.guard.datafield import OVERLAP, WINDOW, features
    from airlock.guard.normalize import normalize, windows

    xs = []
    for r in rows:
        t = normalize(r["text"]).text
        chunk = next(iter(windows(t, WINDOW, OVERLAP)))[1]
        xs.append(features(chunk, r["lin"] or 0.0))
    return np.array(xs, dtype=np.float64)


def _f1(flag: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    tp = float((flag & (y == 1)).sum())
    fp = float((flag & (y == 0)).sum())
    rec = tp / max(1, (y == 1).sum())
    prec = tp / max(1.0, tp + fp)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f1, rec, fp / max(1, (y == 0).sum())


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> tuple[np.ndarray, float]:
    """Weights (signals >= 0, the last column -- the linear logit -- free) and bias."""
    from scipy.optimize import minimize

    cw = np.where(y == 1, len(y) / (2 * max(1, (y == 1).sum())),
                  len(y) / (2 * max(1, (y == 0).sum())))  # fmt: skip
    n, d = x.shape

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))
        ll = cw * (np.logaddexp(0, z) - y * z)
        g = cw * (p - y)
        val = float(ll.sum() / n + l2 * (w @ w))
        grad = np.concatenate([x.T @ g / n + 2 * l2 * w, [g.sum() / n]])
        return val, grad

    bounds = [(0.0, None)] * (d - 1) + [(None, None), (None, None)]
    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 5000})  # fmt: skip
    return res.x[:d], float(res.x[d])


def _proba(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -60, 60))))


def main() -> None:
    from airlock.guard.datafield import FEATURES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seen-dir", default="/tmp/w", help="PREFIX: PREFIX10 .. PREFIX16")  # noqa: S108
    ap.add_argument("--scored", type=Path, help="reuse these scored rows (--write-scored)")
    ap.add_argument("--write-scored", type=Path, help="write the scored rows here")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.scored:
        rows = [json.loads(x) for x in a.scored.read_text(encoding="utf-8").split("\n") if x]
    else:
        rows = seen_rows(a.seen_dir)
        score_rows(rows)
        if a.write_scored:
            a.write_scored.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                              for r in rows), encoding="utf-8")  # fmt: skip
    y = np.array([r["label"] for r in rows])
    x = matrix(rows)
    d = d_flags(rows)
    fold = np.array([int(hashlib.sha256(r["text"].encode()).hexdigest(), 16) % 5 for r in rows])
    oof = np.zeros(len(rows))
    for k in range(5):
        w, b = fit(x[fold != k], y[fold != k])
        oof[fold == k] = _proba(x[fold == k], w, b)
    d_f1, d_rec, d_fpr = _f1(d, y)
    best: tuple[float, float, float, float, float] | None = None
    for lo in np.round(np.arange(0.0, 0.61, 0.02), 2):
        for hi in np.round(np.arange(0.5, 1.0001, 0.01), 2):
            if hi < lo:
                continue
            flag = (oof >= hi) | (d & (oof >= lo))
            f1, rec, fpr = _f1(flag, y)
            if fpr <= d_fpr and (best is None or (f1, lo) > (best[0], best[3])):
                best = (f1, rec, fpr, float(lo), float(hi))
    assert best is not None
    w, b = fit(x, y)
    meta = {
        "name": "airlock data-field stage (candidate K)",
        "version": 1,
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "lo": best[3],
        "hi": best[4],
        "training": {
            "rows": {"injections": int((y == 1).sum()), "benign": int((y == 0).sum())},
            "sets": "fresh10-16 raw loader rows (seen), keyed sample;"
            " scripts/train_guard_datafield.py",
            "oof": {"D_semantic": {"f1": round(d_f1, 4), "recall": round(d_rec, 4),
                                   "fpr": round(d_fpr, 4)},
                    "K": {"f1": round(best[0], 4), "recall": round(best[1], 4),
                          "fpr": round(best[2], 4)}},
        },
    }  # fmt: skip
    a.out.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in meta.items() if k not in ("weights", "features")},
                     indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
