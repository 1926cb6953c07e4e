"""Candidate M's selection (BENCHMARKS "Session 17 (helper guardft)"): three folds grouped by
fresh set; M (scripts/train_guard_ft.py) trained per fold on the base data plus the other
folds' sets, scoring the held fold's recorded rows (bench/guard_ft/recft.py), compared with D
on the same rows. Only counts and figures are printed, never a text.

    GUARD_FT_DIR=/tmp/guardft python bench/guard_ft/ft.py train --wheel-dir /tmp/guardft/w9 \\
        --sets-dir /tmp/guardft/sets --tag M1
    GUARD_FT_DIR=/tmp/guardft python bench/guard_ft/ft.py eval --tag M1
"""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_FT_DIR", "/tmp/guardft")
ROOT = str(_P(__file__).resolve().parents[2])

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, f"{ROOT}/scripts")
sys.path.insert(0, f"{ROOT}/bench/guard_loso")
from loso import INSTR, calibrate, load_d, metrics

FOLDS = {"A": ["fresh10", "fresh13", "fresh16"], "B": ["fresh11", "fresh14", "fresh17"],
         "C": ["fresh12", "fresh15", "fresh18"]}  # fmt: skip
# the protocol's sets that were rebuilt and recorded (recft.py) in time
SETS = [s for f in FOLDS.values() for s in f if Path(f"{WORK}/rec/{s}.json").exists()]
FOLD_OF = {s: k for k, f in FOLDS.items() for s in f}
SEL_ROWS = 1000  # rows per set in the selection (a keyed choice, the same for D and M)
EVAL_WINDOWS = 4  # windows read per text in the selection (the first 4 x 112 tokens)
ALWAYS = 0.99  # linear >= this is flagged by the first stage at every grid setting


class Set:
    """A recorded set's rows and judged contexts (what loso.Fold holds, without embeddings)."""

    def __init__(self, name: str):
        import hashlib

        rows = json.loads(Path(f"{WORK}/rec/{name}.json").read_text())
        rank = sorted(range(len(rows)), key=lambda i: hashlib.sha256(
            ("airlock-ft-sel:" + rows[i]["text"]).encode()).hexdigest())  # fmt: skip
        rows = [rows[i] for i in sorted(rank[:SEL_ROWS])]
        self.name, self.n = name, len(rows)
        self.rows = rows
        self.y = np.array([r["label"] for r in rows])
        self.multi = np.array([r["lang_bucket"] != "en" for r in rows])
        self.other = np.array([r["other"] != "allow" for r in rows])
        crow, clin, cfor, cins, dsem, ctexts = [], [], [], [], [], []
        for i, r in enumerate(rows):
            for c in r["ctx"]:
                if c["lin"] is None:
                    continue
                crow.append(i)
                clin.append(c["lin"])
                cfor.append(c["foreign"])
                cins.append(c["role"] in INSTR)
                dsem.append(c["dsem"] or 0.0)
                ctexts.append(c["texts"])
        self.crow, self.clin = np.array(crow, int), np.array(clin)
        self.cfor, self.cins = np.array(cfor, bool), np.array(cins, bool)
        self.dsem, self.ctexts = np.array(dsem), ctexts
        # contexts M reads: English, non-instruction, in the band at some grid setting
        self.mctx = np.flatnonzero(~self.cfor & ~self.cins & (self.clin >= 0.02)
                                   & (self.clin < ALWAYS))  # fmt: skip

    flags = None  # set below (loso.Fold.flags)


def _flags(self, csem, p):
    from loso import Fold

    return Fold.flags(self, csem, p)


Set.flags = _flags  # type: ignore[assignment]


def eval_windows(s: Set, tok):
    import guard_ft_model as G

    owner, ws = [], []
    for j in s.mctx:
        for per_text in G.windows(tok, s.ctexts[j], EVAL_WINDOWS):
            for w in per_text:
                owner.append(j)
                ws.append(w)
    return np.array(owner, int), ws


def cmd_base(a) -> None:
    """Fill the frozen-part cache for the base rows only (before the fresh sets are built)."""
    import guard_ft_model as G
    import torch
    import train_guard_ft as T

    torch.set_num_threads(a.threads)
    base = T.cap(T.base_rows(a.wheel_dir), a.cap_base)
    cache = T.Cache(G.load_pinned(), a.frozen, Path(f"{WORK}/cache{a.frozen}.npz"))
    cache.fill([w[0] for w in G.windows(G.tokenizer(), [r["text"] for r in base], 1)], log="base")
    cache.save()


def cmd_prep(a) -> None:
    """Fill the frozen-part cache for the recorded sets named (training rows + selection
    windows), so that ``train`` only trains."""
    import guard_ft_model as G
    import torch
    import train_guard_ft as T

    torch.set_num_threads(a.threads)
    tok = G.tokenizer()
    cache = T.Cache(G.load_pinned(), a.frozen, Path(f"{WORK}/cache{a.frozen}.npz"))
    for n in a.sets:
        rows = T.cap(T.fresh_rows(a.sets_dir / n / n), a.cap_fresh)
        ws = [w[0] for w in G.windows(tok, [r["text"] for r in rows], 1)]
        ws += eval_windows(Set(n), tok)[1]
        cache.fill(ws, log=n)
        cache.save()


def cmd_train(a) -> None:
    import guard_ft_model as G
    import torch
    import train_guard_ft as T

    torch.set_num_threads(a.threads)
    sets = {n: Set(n) for n in SETS}
    tok = G.tokenizer()
    base = T.cap(T.base_rows(a.wheel_dir), a.cap_base)
    fresh = {n: T.cap(T.fresh_rows(a.sets_dir / n / n), a.cap_fresh) for n in SETS}
    ev = {n: eval_windows(sets[n], tok) for n in SETS}
    print("base", len(base), "fresh", {n: len(r) for n, r in fresh.items()},
          "eval windows", {n: len(e[1]) for n, e in ev.items()}, flush=True)  # fmt: skip
    model = G.load_pinned()
    cache = T.Cache(model, a.frozen, Path(f"{WORK}/cache{a.frozen}.npz"))
    first = {id(r): w[0] for rs in [base, *fresh.values()] for r, w in
             zip(rs, G.windows(tok, [r["text"] for r in rs], 1))}  # fmt: skip
    allw = list(first.values()) + [w for e in ev.values() for w in e[1]]
    cache.fill(allw, log="cache")
    cache.save()
    out = Path(f"{WORK}/ft/{a.tag}")
    out.mkdir(parents=True, exist_ok=True)
    for k in a.folds or list(FOLDS):
        rows = base + [r for n in SETS if FOLD_OF[n] != k for r in fresh[n]]
        t0 = time.time()
        state = T.train(cache, [first[id(r)] for r in rows], np.array([r["label"] for r in rows]),
                        T.weights(rows), epochs=a.epochs, lr=a.lr, head_lr=a.head_lr,
                        log=f"fold {k} ({len(rows)} rows)")  # fmt: skip
        print(f"fold {k}: trained on {len(rows)} rows in {time.time() - t0:.0f}s", flush=True)
        for n in [n for n in FOLDS[k] if n in SETS]:
            owner, ws = ev[n]
            p = T.score(cache, state, ws) if ws else np.zeros(0)
            msem = np.zeros(len(sets[n].crow))
            if len(p):
                np.maximum.at(msem, owner, p)
            np.save(out / f"{n}.npy", msem)
            print(f"fold {k}: scored {n} ({len(ws)} windows)", flush=True)
    (out / "args.json").write_text(json.dumps({k: str(v) for k, v in vars(a).items()}))


def cmd_eval(a) -> None:
    _, DP = load_d()
    sets = [Set(n) for n in SETS]
    csD = [s.dsem for s in sets]
    csM = []
    for s in sets:
        m = np.load(f"{WORK}/ft/{a.tag}/{s.name}.npy")
        csM.append(np.where(s.cfor, s.dsem, m))
    dm = [metrics(s.y, s.flags(c, DP), s.multi) for s, c in zip(sets, csD)]
    res = {}
    for name, cs, cal in (("D", csD, False), ("D+cal", csD, True), ("M@D", csM, False),
                          ("M+cal", csM, True)):  # fmt: skip
        per = {}
        for i, s in enumerate(sets):
            p = DP
            if cal:
                others = [j for j, t in enumerate(sets) if FOLD_OF[t.name] != FOLD_OF[s.name]]
                capv = float(np.mean([dm[j]["fpr"] for j in others]))
                _, p = calibrate([sets[j] for j in others], [cs[j] for j in others], capv)
            m = metrics(s.y, s.flags(cs[i], p), s.multi)
            m["p"] = p
            per[s.name] = m
        mean = {k: float(np.nanmean([per[n][k] for n in per])) for k in ("recall", "fpr", "f1")}
        tpm, nm = sum(per[n]["tpmulti"] for n in per), sum(per[n]["nmulti"] for n in per)
        mean["multi_pooled"] = tpm / nm if nm else float("nan")
        res[name] = {"mean": mean, "sets": per}
        print(f"{name:8s} meanF1 {mean['f1']:.4f} meanR {mean['recall']:.4f} "
              f"meanFPR {mean['fpr'] * 100:.2f}% multi(pooled) {mean['multi_pooled']:.3f}")  # fmt: skip
        for n, m in per.items():
            print(f"   {n}: R {m['recall']:.3f} FPR {m['fpr'] * 100:.2f}% F1 {m['f1']:.3f} "
                  f"multi {m['tpmulti']}/{m['nmulti']} p={m['p']}")  # fmt: skip
    Path(f"{WORK}/ft/{a.tag}/eval.json").write_text(json.dumps(res, default=float, indent=1))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--wheel-dir", type=Path, required=True)
    t.add_argument("--sets-dir", type=Path, required=True)
    t.add_argument("--tag", required=True)
    t.add_argument("--folds", nargs="*")
    t.add_argument("--frozen", type=int, default=5)
    t.add_argument("--cap-base", type=int, default=50)
    t.add_argument("--cap-fresh", type=int, default=15)
    t.add_argument("--epochs", type=float, default=1.0)
    t.add_argument("--lr", type=float, default=1e-4)
    t.add_argument("--head-lr", type=float, default=5e-3)
    t.add_argument("--threads", type=int, default=2)
    pr = sub.add_parser("prep")
    pr.add_argument("--sets-dir", type=Path, required=True)
    pr.add_argument("--sets", nargs="+", required=True)
    pr.add_argument("--frozen", type=int, default=5)
    pr.add_argument("--cap-fresh", type=int, default=15)
    pr.add_argument("--threads", type=int, default=2)
    b = sub.add_parser("base")
    b.add_argument("--wheel-dir", type=Path, required=True)
    b.add_argument("--frozen", type=int, default=5)
    b.add_argument("--cap-base", type=int, default=80)
    b.add_argument("--threads", type=int, default=2)
    e = sub.add_parser("eval")
    e.add_argument("--tag", required=True)
    a = ap.parse_args()
    {"train": cmd_train, "prep": cmd_prep, "base": cmd_base, "eval": cmd_eval}[a.cmd](a)
