"""Everyday tuning rows D's head trained on (never the held-out parts): guard_data's benign rows
not held out + bench/benign_chat.txt (load_benign) and guard_synth's non-held-out prompts (both
labels). First windows embedded -> /tmp/guard18/feat/anchors.npz."""

import os
from pathlib import Path as _P

WORK = os.environ.get("GUARD_LOSO_DIR", "/tmp/guard18")  # scratch: rec/, feat/, emb/, results/, L/
ROOT = str(_P(__file__).resolve().parents[2])
HERE = str(_P(__file__).resolve().parent)

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, f"{ROOT}/scripts")
sys.path.insert(0, f"{ROOT}/src")
sys.path.insert(0, HERE)
from guard_data import load_benign
from guard_synth import generate

ben = [
    b.text
    for b in load_benign(
        Path(os.environ.get("GUARD_W9", "/tmp/w9")), Path(f"{ROOT}/bench/benign_chat.txt")
    )
    if not b.held_out
]
syn = [s for s in generate() if not s.held_out]
texts = ben + [s.text for s in syn]
y = np.array([0] * len(ben) + [int(s.label) for s in syn])
print(len(ben), len(syn), int(y.sum()), flush=True)
import emb as E

first = [ws[0] for ws in E.emb.windows(texts)]
X = E.embed_all(first, "anchors")
np.savez(f"{WORK}/feat/anchors.npz", X=X, y=y)
print("anchors", X.shape, flush=True)
