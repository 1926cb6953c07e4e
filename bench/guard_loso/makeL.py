"""Candidate L: RECIPE trained on every seen fresh set (10-17, + its extra rows), thresholds
calibrated on the pooled leave-one-set-out scores of all 8 folds (cap: D's mean FPR there).
Writes /tmp/guard18/L/pi-semantic-v1/{head.npz, airlock-model.json}."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_LOSO_DIR", "/tmp/guard18")  # scratch: rec/, feat/, emb/, results/, L/
ROOT = str(_P(__file__).resolve().parents[2])
HERE = str(_P(__file__).resolve().parent)

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, HERE)
import run as R
from loso import DDIR, calibrate, merge, mlp_prob, train_residual, weights2

recipe = sys.argv[1]
res = json.loads(Path(f"{WORK}/results/{recipe}+cal.json").read_text())
parts = recipe.split("_")
folds = R.folds
assert len(folds) == 8
# LOSO scores again (same seeds -> same models), then the calibration on all 8 folds
heads = R.recipe_heads(recipe)
csems = [f.ctx_sem(mlp_prob(L, f.W)[0]) for f, L in zip(folds, heads)]
cap = float(np.mean([m["fpr"] for m in R.dm]))
f1, p = calibrate(folds, csems, cap)
print("calibration on pooled LOSO scores:", f1, p, "cap", cap, flush=True)


# the final head: every fold
def final():
    kind, h, wmode, wd, ep = parts[:5]
    X = np.vstack([f.X for f in folds])
    y = np.concatenate([f.y for f in folds]).astype(float)
    src = np.concatenate([f.name + ":" + f.source for f in folds])
    if "W" in parts[5:]:
        for f in folds:
            wy = f.y[f.crow[f.wctx]]
            X = np.vstack([X, f.W[wy == 0]])
            y = np.concatenate([y, np.zeros(int((wy == 0).sum()))])
            src = np.concatenate([src, np.full(int((wy == 0).sum()), f.name + ":windows")])
    if "A" in parts[5:]:
        az = np.load(f"{WORK}/feat/anchors.npz")
        X = np.vstack([X, az["X"]])
        y = np.concatenate([y, az["y"]])
        src = np.concatenate([src, np.where(az["y"] == 1, "anchor:inj", "anchor:benign")])
    dz = mlp_prob(R.DL, X)[1]
    w = weights2(y, src, wmode)
    return merge(R.DL, train_residual(X, y, dz, w, h=int(h), wd=float(wd), epochs=int(ep))), len(y)


layers, n_train = final()
out = Path(f"{WORK}/L/pi-semantic-v1")
out.mkdir(parents=True, exist_ok=True)
hp = out / "head.npz"
np.savez(hp, w0=layers[0][0], b0=layers[0][1], w1=layers[1][0], b1=layers[1][1])
meta = json.loads((DDIR / "airlock-model.json").read_text())
meta.update(
    {
        "head_sha256": hashlib.sha256(hp.read_bytes()).hexdigest(),
        "threshold": p["t_sem"],
        "band": p["band"],
        "alpha": p["alpha"],
        "linear_threshold": p["t_lin"],
        "linear_threshold_foreign": p["t_foreign"],
        "calibration": (
            "candidate L (session 16, guard18): grid over the five settings, highest mean F1"
            " over the seen fresh sets 10-17 (leave-one-set-out head scores, each text in its"
            f" request field) with mean FPR <= D's ({cap:.5f}); D's linear stage unchanged"
        ),
        "tuning_figures": {"loso_mean": res["mean"], "calibration_mean_f1": round(f1, 4)},
        "training": {
            **meta.get("training", {}),
            "candidate_L": {
                "recipe": recipe,
                "head": "D's head (256 units, frozen) + a residual MLP (512 -> h -> 1) trained so that"
                " sigmoid(D's logit + residual) fits the seen fresh sets 10-17 (+ the flagged extras),"
                " merged into one hidden layer",
                "n_train": int(n_train),
                "script": "bench/guard_loso/makeL.py (helper guard18, session 16)",
            },
        },
    }
)
(out / "airlock-model.json").write_text(json.dumps(meta, indent=2, default=float) + "\n")
print("wrote", out, p, flush=True)
