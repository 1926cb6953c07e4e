"""Leave-one-fresh-set-out harness over the recorded seen sets (rec.py + emb.py): D's linear
stage fixed (it never trained on fresh10-17), heads and calibration per recipe."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_LOSO_DIR", "/tmp/guard18")  # scratch: rec/, feat/, emb/, results/, L/
ROOT = str(_P(__file__).resolve().parents[2])
HERE = str(_P(__file__).resolve().parent)


import json
from pathlib import Path

import numpy as np

SETS = [f"fresh{k}" for k in range(10, 18)]
INSTR = {"system", "developer", "tool-spec", "template", "schema"}
DDIR = Path(f"{ROOT}/src/airlock/guard/data/pi-semantic-v1")


class Fold:
    def __init__(self, name: str):
        rows = json.loads(Path(f"{WORK}/rec/{name}.json").read_text())
        z = np.load(f"{WORK}/feat/{name}.npz")
        self.name = name
        self.n = len(rows)
        self.y = np.array([r["label"] for r in rows])
        self.field = np.array([r["field"] for r in rows])
        self.source = np.array([r["source"].split("/")[0] for r in rows])
        self.multi = np.array([r["lang_bucket"] != "en" for r in rows])
        self.other = np.array([r["other"] != "allow" for r in rows])
        self.X = z["X"]
        self.W = z["W"]
        crow, clin, cfor, cins, cidx = [], [], [], [], {}
        for i, r in enumerate(rows):
            for j, c in enumerate(r["ctx"]):
                if c["lin"] is None:
                    continue
                cidx[(i, j)] = len(crow)
                crow.append(i)
                clin.append(c["lin"])
                cfor.append(c["foreign"])
                cins.append(c["role"] in INSTR)
        self.crow = np.array(crow, int)
        self.clin = np.array(clin)
        self.cfor = np.array(cfor, bool)
        self.cins = np.array(cins, bool)
        self.wctx = np.array([cidx[(i, j)] for i, j in zip(z["orow"], z["octx"])], int)

    def ctx_sem(self, wprob: np.ndarray) -> np.ndarray:
        s = np.zeros(len(self.crow))
        if len(wprob):
            np.maximum.at(s, self.wctx, wprob)
        return s

    def flags(self, csem: np.ndarray, p: dict) -> np.ndarray:
        thr = np.where(self.cfor, np.minimum(p["t_lin"], p["t_foreign"]), p["t_lin"])
        thr = np.where(self.cins, max(p["t_lin"], 0.97), thr)
        first = self.clin >= thr
        lin = np.clip(self.clin, 1e-6, 1 - 1e-6)
        sem = np.clip(csem, 1e-6, 1 - 1e-6)
        z = p["alpha"] * np.log(lin / (1 - lin)) + np.log(sem / (1 - sem))
        both = 1 / (1 + np.exp(-z)) >= p["t_sem"]
        second = (
            (~self.cins) & (self.clin >= p["band"]) & (self.clin < thr) & both & (self.clin >= 0.02)
        )
        f = self.other.copy()
        hit = first | second
        f[self.crow[hit]] = True
        return f


def metrics(y, f, multi):
    tp = int((f & (y == 1)).sum())
    fp = int((f & (y == 0)).sum())
    npos = int((y == 1).sum())
    nneg = int((y == 0).sum())
    rec = tp / npos if npos else float("nan")
    prec = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * prec * rec / (prec + rec) if npos and prec + rec else float("nan")
    m = multi & (y == 1)
    return {
        "recall": rec,
        "fpr": fp / nneg if nneg else float("nan"),
        "f1": f1,
        "multi": f[m].mean() if m.any() else float("nan"),
        "tp": tp,
        "fp": fp,
        "npos": npos,
        "nneg": nneg,
        "nmulti": int(m.sum()),
        "tpmulti": int(f[m].sum()),
    }


def mlp_prob(layers, X):
    h = X
    for k, (w, b) in enumerate(layers):
        h = h @ w + b
        if k < len(layers) - 1:
            h = np.maximum(h, 0)
    z = h[:, 1] - h[:, 0] if h.shape[1] == 2 else h[:, 0]
    return 1 / (1 + np.exp(-z)), z


def load_d():
    meta = json.loads((DDIR / "airlock-model.json").read_text())
    z = np.load(DDIR / "head.npz")
    layers = [
        (z[f"w{i}"], z[f"b{i}"]) for i in range(len([k for k in z.files if k.startswith("w")]))
    ]
    p = {
        "t_lin": meta["linear_threshold"],
        "t_foreign": meta["linear_threshold_foreign"],
        "band": meta["band"],
        "alpha": meta["alpha"],
        "t_sem": meta["threshold"],
    }
    return layers, p


# ---------------------------------------------------------------- heads
def train_residual(X, y, dz, w, h=64, wd=1e-4, epochs=30, seed=0, lr=1e-3):
    """g(x) trained so that sigmoid(dz + g(x)) fits y (D's head logit dz frozen)."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    Xt = torch.tensor(X, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    dt = torch.tensor(dz, dtype=torch.float32)
    wt = torch.tensor(w, dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(512, h), torch.nn.ReLU(), torch.nn.Linear(h, 1))
    torch.nn.init.zeros_(net[2].weight)
    torch.nn.init.zeros_(net[2].bias)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=wd)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(len(Xt), generator=g)
        for i in range(0, len(Xt), 256):
            b = perm[i : i + 256]
            z = dt[b] + net(Xt[b])[:, 0]
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(z, yt[b], reduction="none")
                * wt[b]
            ).sum() / wt[b].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    l0, l2 = net[0], net[2]
    return [
        (l0.weight.detach().numpy().T.copy(), l0.bias.detach().numpy().copy()),
        (l2.weight.detach().numpy().T.copy(), l2.bias.detach().numpy().copy()),
    ]


def merge(dlayers, r):
    """D's head and a residual as one hidden layer: logit = D's logit + the residual's."""
    (w0, b0), (w1, b1) = dlayers
    (v0, c0), (v1, c1) = r
    W0 = np.hstack([w0, v0]).astype(np.float32)
    B0 = np.concatenate([b0, c0]).astype(np.float32)
    W1 = np.vstack([w1, np.hstack([np.zeros_like(v1), v1])]).astype(np.float32)
    B1 = (b1 + np.array([0.0, c1[0]])).astype(np.float32)
    return [(W0, B0), (W1, B1)]


def weights(folds, mode):
    """Row weights: 'flat' 1 each; 'source' each source's rows sum to sqrt(size), classes
    balanced overall."""
    y = np.concatenate([f.y for f in folds])
    src = np.concatenate([f.name + ":" + f.source for f in folds])
    w = np.ones(len(y))
    if mode == "source":
        u, inv, cnt = np.unique(src, return_inverse=True, return_counts=True)
        w = 1 / np.sqrt(cnt[inv])
    for c in (0, 1):
        w[y == c] *= len(y) / 2 / w[y == c].sum()
    return w


def weights2(y, src, mode):
    w = np.ones(len(y))
    if mode == "source":
        u, inv, cnt = np.unique(src, return_inverse=True, return_counts=True)
        w = 1 / np.sqrt(cnt[inv])
    for c in (0, 1):
        w[y == c] *= len(y) / 2 / w[y == c].sum()
    return w


# ---------------------------------------------------------------- calibration
GRID = {
    "t_lin": [0.9, 0.93, 0.957, 0.97, 0.98, 0.99],
    "t_foreign": [0.5, 0.6, 0.7, 0.8, 0.9],
    "band": [0.02, 0.05, 0.1, 0.2, 0.3],
    "alpha": [0.0, 0.5, 1.0],
}
TSEM = np.round(np.arange(0.30, 0.995, 0.01), 3)


def calibrate(folds, csems, fpr_cap):
    """Highest mean F1 (folds with injections) with mean FPR <= fpr_cap."""
    best = None
    for t_lin in GRID["t_lin"]:
        for t_for in sorted({min(t, t_lin) for t in GRID["t_foreign"]}):
            for band in GRID["band"]:
                for alpha in GRID["alpha"]:
                    for t_sem in TSEM[::-1]:  # high to low: FPR rises as t_sem falls
                        p = {
                            "t_lin": t_lin,
                            "t_foreign": t_for,
                            "band": band,
                            "alpha": alpha,
                            "t_sem": float(t_sem),
                        }
                        ms = [metrics(f.y, f.flags(c, p), f.multi) for f, c in zip(folds, csems)]
                        fpr = np.mean([m["fpr"] for m in ms])
                        if fpr > fpr_cap:
                            break
                        f1 = np.nanmean([m["f1"] for m in ms])
                        if best is None or f1 > best[0] + 1e-9:
                            best = (f1, p)
    return best


def row_parts(f: Fold, csem, p):
    """(fixed flag per row, best combined semantic score per row) for a setting without t_sem."""
    thr = np.where(f.cfor, np.minimum(p["t_lin"], p["t_foreign"]), p["t_lin"])
    thr = np.where(f.cins, max(p["t_lin"], 0.97), thr)
    first = f.clin >= thr
    lin = np.clip(f.clin, 1e-6, 1 - 1e-6)
    sem = np.clip(csem, 1e-6, 1 - 1e-6)
    both = 1 / (1 + np.exp(-(p["alpha"] * np.log(lin / (1 - lin)) + np.log(sem / (1 - sem)))))
    elig = (~f.cins) & (f.clin >= p["band"]) & (f.clin < thr) & (f.clin >= 0.02)
    fixed = f.other.copy()
    fixed[f.crow[first]] = True
    rs = np.zeros(f.n)
    np.maximum.at(rs, f.crow[elig], both[elig])
    return fixed, rs


def curves(f: Fold, csem, p):
    """Per t_sem in TSEM: tp, fp, tp on multilingual injections."""
    fixed, rs = row_parts(f, csem, p)
    fl = fixed[:, None] | (rs[:, None] >= TSEM[None, :])
    pos = f.y == 1
    return fl[pos].sum(0), fl[~pos].sum(0), fl[pos & f.multi].sum(0)


def calibrate(folds, csems, fpr_cap):  # noqa: F811  (the fast one)
    best = None
    for t_lin in GRID["t_lin"]:
        for t_for in sorted({min(t, t_lin) for t in GRID["t_foreign"]}):
            for band in GRID["band"]:
                for alpha in GRID["alpha"]:
                    p = {"t_lin": t_lin, "t_foreign": t_for, "band": band, "alpha": alpha}
                    f1s, fprs = [], []
                    for f, c in zip(folds, csems):
                        tp, fp, _ = curves(f, c, p)
                        npos, nneg = int((f.y == 1).sum()), int((f.y == 0).sum())
                        fprs.append(fp / nneg)
                        if npos:
                            prec = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0)
                            rec = tp / npos
                            f1s.append(
                                np.where(
                                    prec + rec > 0,
                                    2 * prec * rec / np.maximum(prec + rec, 1e-12),
                                    0,
                                )
                            )
                    mfpr = np.mean(fprs, 0)
                    mf1 = np.mean(f1s, 0) if f1s else -mfpr
                    ok = mfpr <= fpr_cap + 1e-12
                    if ok.any():
                        i = int(np.argmax(np.where(ok, mf1, -1)))
                        if best is None or mf1[i] > best[0] + 1e-9:
                            best = (float(mf1[i]), {**p, "t_sem": float(TSEM[i])})
    return best
