"""Where did the weights change? Per-tensor delta energy, similarity and effective rank.

Fine-tuning spreads small, fairly high-rank changes over many tensors. Model-editing attacks
(ROME, BadEdit) instead write a rank-one (or very low rank) update into one or two MLP matrices
and leave the rest untouched. Per tensor we keep the relative delta energy, the cosine to the base
and, for matrices, the share of the delta's energy in its top singular direction (randomised SVD,
so cost stays O(m * n * k) and memory near the two tensors).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

SVD_K = 8
_LAYER_RE = re.compile(r"(?:^|\.)(?:layer|layers|h|blocks?)\.(\d+)\.")


@dataclass(frozen=True)
class TensorDelta:
    name: str
    shape: tuple[int, ...]
    base_norm: float
    delta_norm: float
    cosine: float
    top1_share: float | None  # sigma_1^2 / ||delta||_F^2 (matrices only)
    rank90: int | None  # singular directions needed for 90% of the energy (None: > SVD_K)
    layer: int | None

    @property
    def relative(self) -> float:
        return (
            self.delta_norm / self.base_norm if self.base_norm > 0 else float(self.delta_norm > 0)
        )

    @property
    def changed(self) -> bool:
        return self.relative > 1e-6

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "shape": list(self.shape),
            "relative_delta": round(self.relative, 8),
            "cosine": round(self.cosine, 6),
            "top1_share": None if self.top1_share is None else round(self.top1_share, 4),
            "rank90": self.rank90,
            "layer": self.layer,
        }


_CHUNK = 1 << 20


def _sumsq(a: npt.NDArray[np.float32]) -> float:
    """Sum of squares in float64, a chunk at a time (no full-size float64 copy)."""
    flat = a.reshape(-1)
    return float(
        sum(
            np.dot(c, c)
            for c in (flat[i : i + _CHUNK].astype(np.float64) for i in range(0, flat.size, _CHUNK))
        )
    )


def _dot(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
    fa, fb = a.reshape(-1), b.reshape(-1)
    total = 0.0
    for i in range(0, fa.size, _CHUNK):
        total += float(
            np.dot(fa[i : i + _CHUNK].astype(np.float64), fb[i : i + _CHUNK].astype(np.float64))
        )
    return total


def layer_of(name: str) -> int | None:
    m = _LAYER_RE.search(name)
    return int(m.group(1)) if m else None


def top_singular_energy(
    delta: npt.NDArray[np.float32], k: int = SVD_K, seed: int = 0
) -> tuple[float, int | None]:
    """(share of energy in sigma_1, directions for 90% energy or None) by randomised SVD."""
    mat = delta.reshape(delta.shape[0], -1).astype(np.float32, copy=False)
    total = _sumsq(mat)
    if total <= 0:
        return 0.0, 0
    m, n = mat.shape
    k = max(1, min(k, m, n))
    rng = np.random.default_rng(seed)
    omega = rng.standard_normal((n, min(k + 6, n))).astype(np.float32)
    y = mat @ omega
    q, _ = np.linalg.qr(y)
    y = mat @ (mat.T @ q)  # one power iteration sharpens the top of the spectrum
    q, _ = np.linalg.qr(y)
    s = np.linalg.svd(q.T @ mat, compute_uv=False).astype(np.float64)
    energy = np.cumsum(s**2) / total
    top1 = float(min(1.0, energy[0]))
    hits = np.nonzero(energy[:k] >= 0.9)[0]
    return top1, (int(hits[0]) + 1 if hits.size else None)


def compare_tensor(
    name: str, base: npt.NDArray[np.float32], model: npt.NDArray[np.float32]
) -> TensorDelta:
    """Delta statistics of one tensor pair of identical shape. ``model`` is overwritten with the
    delta when writable (callers pass arrays they own and do not reuse)."""
    b64n = math.sqrt(_sumsq(base))
    m64n = math.sqrt(_sumsq(model))
    dot = _dot(base, model)
    cosine = dot / (b64n * m64n) if b64n > 0 and m64n > 0 else float(b64n == m64n)
    # the delta overwrites the model array when we own it: memory stays at two tensors
    if model.flags.writeable and model.dtype == np.float32:
        delta = np.subtract(model, base, out=model)
    else:
        delta = np.subtract(model, base, dtype=np.float32)
    dn = math.sqrt(_sumsq(delta))
    top1: float | None = None
    rank90: int | None = None
    if delta.ndim >= 2 and min(delta.shape[0], delta.size // delta.shape[0]) >= 2 and dn > 0:
        top1, rank90 = top_singular_energy(delta)
    return TensorDelta(name, tuple(base.shape), b64n, dn, cosine, top1, rank90, layer_of(name))


def layer_energy(deltas: list[TensorDelta]) -> dict[int, float]:
    """Share of the total relative delta energy that falls into each numbered layer."""
    per: dict[int, float] = {}
    total = 0.0
    for d in deltas:
        e = d.relative**2
        total += e
        if d.layer is not None:
            per[d.layer] = per.get(d.layer, 0.0) + e
    return {k: v / total for k, v in sorted(per.items())} if total > 0 else {}
