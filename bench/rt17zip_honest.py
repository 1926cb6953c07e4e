"""Honest archives for rt17zip (session 16): real torch.save / torch.jit.save / np.save(z) /
joblib (every compressor) / Keras outputs, and a zip and a tar.gz of some of them, to check the
archive fixes change no honest verdict. Run: KERAS_BACKEND=torch python bench/rt17zip_honest.py
OUT, then airlock scan OUT (seed 1617)."""

import os
import sys
import tarfile
import zipfile

import joblib
import numpy as np
import torch
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(1617)
    torch.manual_seed(1617)
    nn = torch.nn
    torch.save({"w": torch.randn(4, 4)}, f"{out}/t1.pt")
    mlp = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
    torch.save(mlp.state_dict(), f"{out}/t2.pt")
    conv = {"opt": {"lr": 0.1, "step": 3}, "m": nn.Conv2d(3, 8, 3).state_dict()}
    torch.save({**conv, "e": torch.empty(0)}, f"{out}/t3.pt")
    mixed = [torch.arange(10), torch.ones(3, dtype=torch.float16), torch.zeros(2).bool()]
    torch.save(mixed, f"{out}/t4.pt")
    torch.save(nn.LSTM(4, 8).state_dict(), f"{out}/t5.pt", _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(nn.Linear(3, 2)), f"{out}/t6.pt")
    torch.save({"big": torch.randn(512, 1024)}, f"{out}/t7.pt")
    np.save(f"{out}/n1.npy", rng.normal(size=(10, 10)))
    np.savez(f"{out}/n2.npz", a=np.arange(5), b=rng.normal(size=3))
    np.savez_compressed(f"{out}/n3.npz", a=np.zeros((300, 300)), b=np.arange(100, dtype=np.int8))
    np.savez_compressed(f"{out}/n4.npz", big=np.zeros((1200, 1200)))
    rec = np.zeros(3, dtype=[("x", "<f4"), ("y", "<i8")])
    np.savez(f"{out}/n5.npz", s=np.array(["a", "bb"]), r=rec)
    x = rng.normal(size=(40, 3))
    y = (x[:, 0] > 0).astype(int)
    lr = LogisticRegression().fit(x, y)
    rf = RandomForestClassifier(n_estimators=5, random_state=0).fit(x, y)
    for c in [None, "zlib", "gzip", "bz2", "lzma", "xz"]:
        joblib.dump(rf, f"{out}/j_{c}.joblib", compress=(c, 3) if c else 0)
    joblib.dump({"lr": lr, "arr": np.arange(1000)}, f"{out}/j_dict.joblib")
    try:
        joblib.dump(lr, f"{out}/j_lz4.joblib", compress=("lz4", 3))
    except ValueError as exc:  # lz4 not installed
        print("lz4", exc)
    with zipfile.ZipFile(f"{out}/z1.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(f"{out}/t1.pt", "models/t1.pt")
        z.write(f"{out}/n2.npz", "n2.npz")
        z.writestr("dir/", b"")
    with tarfile.open(f"{out}/a1.tar.gz", "w:gz") as t:
        t.add(f"{out}/t2.pt", "t2.pt")
        t.add(f"{out}/n1.npy", "n1.npy")
    try:  # Keras 3 on the torch backend (KERAS_BACKEND=torch)
        import keras

        k1 = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
        k1.save(f"{out}/k1.keras")
        layers = [keras.layers.Dense(5, activation="relu"), keras.layers.Dropout(0.1)]
        k2 = keras.Sequential([keras.Input((8,)), *layers, keras.layers.Dense(2)])
        k2.save(f"{out}/k2.keras")
    except ImportError as exc:
        print("keras", exc)
    print(len(os.listdir(out)), "files in", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rt17zip/honest")
