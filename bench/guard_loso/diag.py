"""Diagnostic, not a selection: each recipe's best mean F1 at mean FPR <= D's when its thresholds
are chosen on all 8 folds' leave-one-set-out scores at once (hindsight calibration, the same for
every recipe): is any head's trade-off curve above D's head's, whatever the calibration?"""

import sys
from pathlib import Path as _P

HERE = str(_P(__file__).resolve().parent)
sys.path.insert(0, HERE)
import numpy as np
import run as R
from loso import calibrate, metrics, mlp_prob

cap = float(np.mean([m["fpr"] for m in R.dm]))
for name in sys.argv[1:]:
    heads = R.recipe_heads(name)
    cs = [f.ctx_sem(mlp_prob(h, f.W)[0]) for f, h in zip(R.folds, heads, strict=True)]
    f1, p = calibrate(R.folds, cs, cap)
    ms = [metrics(f.y, f.flags(c, p), f.multi) for f, c in zip(R.folds, cs, strict=True)]
    print(
        f"{name}: hindsight mean F1 {f1:.4f}, mean FPR {np.mean([m['fpr'] for m in ms]) * 100:.2f} %"
        f" (cap {cap * 100:.2f} %), mean recall {np.nanmean([m['recall'] for m in ms]):.4f}, p={p}",
        flush=True,
    )
