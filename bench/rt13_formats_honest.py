"""Honest files from the real savers through the rt13 format rules (AIR-KERAS-009 HDF5 walk,
AIR-CBM-001 CatBoost cores, CTR tables, JSON models and pickled CatBoost models,
TorchModuleWrapper payloads): per kind, how many scan with no finding and nothing not scanned.
Needs catboost, keras, torch, h5py, pandas. Run from the repository root:
``python bench/rt13_formats_honest.py``."""

from __future__ import annotations

import collections
import itertools
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, "src")

import catboost
import h5py
import keras
import numpy as np
import pandas as pd
import torch
from keras import layers

from airlock.scan.engine import scan_data

TALLY: collections.Counter[tuple[str, bool]] = collections.Counter()
NOT_CLEAN: list[tuple[str, str, list[str]]] = []


def judge(kind: str, data: bytes, name: str) -> None:
    r = scan_data(data, name)
    ok = not r.findings and all(o.status == "scanned" for o in r.objects)
    TALLY[(kind, ok)] += 1
    if not ok:
        NOT_CLEAN.append((kind, name, [f.rule_id for f in r.findings][:3]))


def catboost_models(tmp: Path) -> None:
    rng = np.random.default_rng(1)
    n = 300
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                       "c": rng.choice(list("xyzwq"), n),
                       "d": rng.choice([f"v{i}" for i in range(40)], n)})  # fmt: skip
    ys = {"Logloss": (df.a + df.b > 0).astype(int), "MultiClass": rng.integers(0, 3, n),
          "RMSE": df.a * 3}  # fmt: skip
    grid = itertools.product(["SymmetricTree", "Depthwise", "Lossguide"], list(ys),
                             ["none", "onehot", "ctr"], [2, 6])  # fmt: skip
    for grow, loss, cats, depth in grid:
        x = df[["a", "b"]] if cats == "none" else df
        kw: dict[str, Any] = {"iterations": 15, "depth": depth, "grow_policy": grow,
                              "loss_function": loss, "verbose": 0, "thread_count": 1,
                              "allow_writing_files": False}  # fmt: skip
        if cats != "none":
            kw.update(cat_features=["c", "d"], one_hot_max_size=50 if cats == "onehot" else 2)
        if grow == "Lossguide":
            kw["max_leaves"] = 8
        cls = catboost.CatBoostRegressor if loss == "RMSE" else catboost.CatBoostClassifier
        m = cls(**kw).fit(x, ys[loss])
        p = tmp / "m.cbm"
        m.save_model(str(p))
        name = f"{grow}-{loss}-{cats}-{depth}"
        judge("catboost .cbm", p.read_bytes(), f"{name}.cbm")
        pool = catboost.Pool(x, ys[loss], cat_features=["c", "d"]) if cats != "none" else None
        m.save_model(str(tmp / "m.json"), format="json", pool=pool)
        judge("catboost JSON", (tmp / "m.json").read_bytes(), f"{name}.json")
        for proto in (2, 5):
            judge("catboost pickle", pickle.dumps(m, protocol=proto), f"{name}-p{proto}.pkl")


def _tmw() -> Any:
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    m = keras.Sequential([layers.TorchModuleWrapper(net)])
    m(torch.zeros(1, 4))
    return m


def _functional() -> Any:
    i = keras.Input((4,))
    return keras.Model(i, layers.Add()([layers.Dense(4)(i), layers.Dense(4)(i)]))


ARCHS: dict[str, Callable[[], Any]] = {
    "dense": lambda: keras.Sequential(
        [
            keras.Input((8,)),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.1),
            layers.Dense(3),
        ]
    ),
    "conv": lambda: keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.Conv2D(4, 3),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2),
        ]
    ),
    "rnn": lambda: keras.Sequential(
        [keras.Input((5, 4)), layers.LSTM(6, return_sequences=True), layers.GRU(3)]
    ),
    "functional": _functional,
    "embed": lambda: keras.Sequential(
        [
            keras.Input((7,), dtype="int32"),
            layers.Embedding(50, 8),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1),
        ]
    ),
    "tmw": _tmw,
}


def keras_models(tmp: Path) -> None:
    for name, make in ARCHS.items():
        m = make()
        for ext in [".keras"] if name == "tmw" else [".h5", ".keras", ".weights.h5"]:
            p = tmp / f"m{ext}"
            (m.save_weights if ext == ".weights.h5" else m.save)(p)
            judge(f"keras {ext}", p.read_bytes(), name + ext)


def h5py_layouts(tmp: Path) -> None:
    grid = itertools.product(["earliest", "v108", "v110", "latest"], [False, True], [3, 20, 200])
    for libver, track, groups in grid:
        p = tmp / "h.h5"
        with h5py.File(p, "w", libver=libver, track_order=track) as f:
            for i in range(groups):
                g = f.create_group(f"g{i}")
                g.create_dataset("w", data=np.arange(10))
                g.attrs["x"] = i
                if i % 4 == 0:
                    g.create_dataset("c", data=np.arange(1000.0), chunks=(100,), compression="gzip")
            f["s"] = h5py.SoftLink("/g0")
        judge("h5py layouts", p.read_bytes(), f"{libver}-{track}-{groups}.h5")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        catboost_models(tmp)
        keras_models(tmp)
        h5py_layouts(tmp)
    for kind in sorted({k for k, _ in TALLY}):
        print(
            f"{kind}: {TALLY[(kind, True)]} clean of {TALLY[(kind, True)] + TALLY[(kind, False)]}"
        )
    print("not clean:", NOT_CLEAN)


if __name__ == "__main__":
    main()
