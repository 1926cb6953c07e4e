"""Embed (cached, keyed by window token ids) what the LOSO harness needs for each recorded set:
each row's first window (training feature) and every window the deployed stage would read for
each non-instruction judged context with linear >= 0.02. Writes /tmp/guard18/feat/NAME.npz."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_LOSO_DIR", "/tmp/guard18")  # scratch: rec/, feat/, emb/, results/, L/
ROOT = str(_P(__file__).resolve().parents[2])
HERE = str(_P(__file__).resolve().parent)

import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, f"{ROOT}/scripts")
sys.path.insert(0, f"{ROOT}/src")
from train_guard_semantic import Embedder

from airlock.guard.types import INSTRUCTION_ROLES

CACHE = Path(f"{WORK}/emb")
CACHE.mkdir(exist_ok=True)
emb = Embedder()


def key(w):
    return hashlib.sha256(np.asarray(w, dtype=np.int64).tobytes()).hexdigest()[:24]


def embed_all(ids, name):
    keys = [key(w) for w in ids]
    store = {}
    for f in CACHE.glob("*.npz"):
        with np.load(f, allow_pickle=False) as z:
            store.update(zip(z["keys"].tolist(), z["vecs"]))
    todo = {k: w for k, w in zip(keys, ids) if k not in store}
    if todo:
        t0 = time.time()
        vecs = emb.embed(list(todo.values()))
        print(f"{name}: embedded {len(todo)} windows in {time.time() - t0:.0f}s", flush=True)
        np.savez(CACHE / f"{name}.npz", keys=np.array(list(todo)), vecs=vecs)
        store.update(zip(todo, vecs))
    return np.stack([store[k] for k in keys]) if keys else np.zeros((0, 512), np.float32)


for name in sys.argv[1:] if __name__ == "__main__" else []:
    rows = json.loads(Path(f"{WORK}/rec/{name}.json").read_text())
    first = [ws[0] for ws in emb.windows([r["text"] for r in rows])]
    owner_row, owner_ctx, wins = [], [], []
    for i, r in enumerate(rows):
        for j, c in enumerate(r["ctx"]):
            if (
                c["role"] in INSTRUCTION_ROLES
                or c["lin"] is None
                or c["lin"] < 0.02
                or not c["texts"]
            ):
                continue
            for ws in emb.windows(c["texts"]):
                for w in ws:
                    owner_row.append(i)
                    owner_ctx.append(j)
                    wins.append(w)
    X = embed_all(first + wins, name)
    out = Path(f"{WORK}/feat")
    out.mkdir(exist_ok=True)
    np.savez(
        out / f"{name}.npz",
        X=X[: len(first)],
        W=X[len(first) :],
        orow=np.array(owner_row, int),
        octx=np.array(owner_ctx, int),
    )
    print(name, len(rows), len(first), len(wins), flush=True)
