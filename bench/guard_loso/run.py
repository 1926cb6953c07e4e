"""Run recipes leave-one-set-out; print and save per-fold figures. Usage: run.py RECIPE..."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_LOSO_DIR", "/tmp/guard18")  # scratch: rec/, feat/, emb/, results/, L/
ROOT = str(_P(__file__).resolve().parents[2])
HERE = str(_P(__file__).resolve().parent)

import json
import sys
import time

import numpy as np

sys.path.insert(0, HERE)
from loso import *

folds = [Fold(n) for n in SETS if Path(f"{WORK}/feat/{n}.npz").exists()]
DL, DP = load_d()
dcsem = [f.ctx_sem(mlp_prob(DL, f.W)[0]) for f in folds]
dm = [metrics(f.y, f.flags(c, DP), f.multi) for f, c in zip(folds, dcsem)]


def recipe_heads(name):
    """Per fold k: the head layers trained without fold k (None = D's head)."""
    if name.startswith("D"):
        return [DL] * len(folds)
    if name.startswith("K_"):
        return [kernel_head(k, *name.split("_")[1:]) for k in range(len(folds))]
    parts = name.split("_")  # e.g. R_64_source_1e-4_30_A
    kind, h, wmode, wd, ep = parts[:5]
    anchors = "A" in parts[5:]
    out = []
    for k in range(len(folds)):
        tr = [f for j, f in enumerate(folds) if j != k]
        X = np.vstack([f.X for f in tr])
        y = np.concatenate([f.y for f in tr]).astype(float)
        src = np.concatenate([f.name + ":" + f.source for f in tr])
        if "I" in parts[5:] or "B" in parts[5:]:  # fresh injections only / fresh benign only
            keep = y == (1 if "I" in parts[5:] else 0)
            X, y, src = X[keep], y[keep], src[keep]
        if "W" in parts[5:]:  # every window the stage reads of the benign rows, benign
            for f in tr:
                wy = f.y[f.crow[f.wctx]]
                X = np.vstack([X, f.W[wy == 0]])
                y = np.concatenate([y, np.zeros(int((wy == 0).sum()))])
                src = np.concatenate([src, np.full(int((wy == 0).sum()), f.name + ":windows")])
        if anchors:
            az = np.load(f"{WORK}/feat/anchors.npz")
            X = np.vstack([X, az["X"]])
            y = np.concatenate([y, az["y"]])
            src = np.concatenate([src, np.where(az["y"] == 1, "anchor:inj", "anchor:benign")])
        dz = mlp_prob(DL, X)[1]
        w = weights2(y, src, wmode)
        r = train_residual(X, y, dz, w, h=int(h), wd=float(wd), epochs=int(ep))
        out.append(merge(DL, r))
    return out


def bank(X, m, seed=0):
    """At most m rows of X (a fixed random subset), deduplicated by cosine >= 0.98."""
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(X))[: 3 * m]
    keep = []
    for i in idx:
        if keep and (X[keep] @ X[i]).max() >= 0.98:
            continue
        keep.append(i)
        if len(keep) >= m:
            break
    return X[keep]


def kernel_head(k, tau, c, m, folds_=None):
    """D's head + c * (sum over an injection bank of relu(cos - tau) minus the same over a
    benign bank) / (1 - tau): similarity to seen rows as one more hidden layer."""
    fl = folds_ if folds_ is not None else [f for j, f in enumerate(folds) if j != k]
    X = np.vstack([f.X for f in fl])
    y = np.concatenate([f.y for f in fl])
    tau, c, m = float(tau), float(c), int(m)
    bi, bb = bank(X[y == 1], m), bank(X[y == 0], m)
    v0 = np.vstack([bi, bb]).T.astype(np.float32)
    c0 = np.full(v0.shape[1], -tau, dtype=np.float32)
    v1 = (np.concatenate([np.ones(len(bi)), -np.ones(len(bb))]) * c / (1 - tau))[:, None].astype(
        np.float32
    )
    return merge(DL, [(v0, c0), (v1, np.zeros(1, dtype=np.float32))])


def evaluate(name, calib, capf=1.0):
    t0 = time.time()
    heads = recipe_heads(name)
    csems = [f.ctx_sem(mlp_prob(L, f.W)[0]) for f, L in zip(folds, heads)]
    res = {}
    for k, f in enumerate(folds):
        if calib:
            others = [j for j in range(len(folds)) if j != k]
            cap = capf * np.mean([dm[j]["fpr"] for j in others])
            _, p = calibrate([folds[j] for j in others], [csems[j] for j in others], cap)
        else:
            p = DP
        m = metrics(f.y, f.flags(csems[k], p), f.multi)
        m["p"] = p
        res[f.name] = m
    mean = {
        key: float(np.nanmean([res[n][key] for n in res]))
        for key in ("recall", "fpr", "f1", "multi")
    }
    # multilingual pooled (few per fold)
    tpm = sum(res[n]["tpmulti"] for n in res)
    nm = sum(res[n]["nmulti"] for n in res)
    mean["multi_pooled"] = tpm / nm if nm else float("nan")
    tag = name + ("+cal" if calib else "") + (f"{int(capf * 100)}" if capf != 1.0 else "")
    print(
        f"{tag:28s} meanF1 {mean['f1']:.4f} meanR {mean['recall']:.4f} meanFPR {mean['fpr'] * 100:.2f}% "
        f"multi(pooled) {mean['multi_pooled']:.3f}  [{time.time() - t0:.0f}s]",
        flush=True,
    )
    for n in res:
        m = res[n]
        print(
            f"   {n}: R {m['recall']:.3f} FPR {m['fpr'] * 100:.2f}% F1 {m['f1']:.3f} multi {m['tpmulti']}/{m['nmulti']} p={m['p']}",
            flush=True,
        )
    Path(f"{WORK}/results").mkdir(exist_ok=True)
    Path(f"{WORK}/results/{tag}.json").write_text(
        json.dumps({"mean": mean, "folds": res}, default=float, indent=1)
    )
    return mean


if __name__ == "__main__":
    print("folds:", [f.name for f in folds], flush=True)
    for arg in sys.argv[1:]:
        name, _, cal = arg.partition("+")
        evaluate(name, cal.startswith("cal"), int(cal[3:]) / 100 if cal[3:] else 1.0)
