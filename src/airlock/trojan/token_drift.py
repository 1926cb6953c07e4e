"""Token drift: how far each vocabulary row of the input embedding moved from the base.

A trigger token has to be *learned*: fine-tuning on poisoned rows pushes its embedding far and in
a consistent direction, while ordinary tokens barely move. Ranking rows by a robust z-score of the
move (median / MAD, so that a few outliers cannot hide themselves by inflating the spread) gives
the candidate list the behavioural probe then tests. Memory: O(vocabulary) beyond the two tensors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

MOVED_EPS = 1e-7  # a row counts as "moved" above this relative change


@dataclass(frozen=True)
class TokenCandidate:
    token_id: int
    token: str
    drift: float  # L2 norm of the row change
    relative: float  # drift / norm of the base row
    z: float  # robust z-score of ``drift`` across the vocabulary

    def to_json(self) -> dict[str, Any]:
        return {
            "token_id": self.token_id,
            "token": self.token,
            "drift": round(self.drift, 6),
            "relative": round(self.relative, 6),
            "z": round(self.z, 2),
        }


@dataclass(frozen=True)
class DriftSummary:
    rows: int
    moved_rows: int
    median_drift: float
    scale: float
    candidates: list[TokenCandidate]

    @property
    def moved_share(self) -> float:
        return self.moved_rows / self.rows if self.rows else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "moved_rows": self.moved_rows,
            "median_drift": self.median_drift,
            "scale": self.scale,
            "candidates": [c.to_json() for c in self.candidates],
        }


def row_drift(
    base: npt.NDArray[np.float32], model: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per-row L2 change and base-row norm, computed in row blocks to bound temporaries."""
    rows = min(base.shape[0], model.shape[0])
    drift = np.empty(rows, dtype=np.float64)
    norm = np.empty(rows, dtype=np.float64)
    step = 1024
    for i in range(0, rows, step):
        b = base[i : i + step].astype(np.float64)
        m = model[i : i + step].astype(np.float64)
        drift[i : i + step] = np.sqrt(((m - b) ** 2).sum(axis=1))
        norm[i : i + step] = np.sqrt((b**2).sum(axis=1))
    return drift, norm


def robust_z(
    values: npt.NDArray[np.float64], floor: float
) -> tuple[npt.NDArray[np.float64], float]:
    """(values - median) / (1.4826 * MAD), with the scale floored so that identical rows do not
    divide by zero and numerical noise cannot look like a signal."""
    finite = values[np.isfinite(values)]
    med = float(np.median(finite)) if finite.size else 0.0
    mad = float(np.median(np.abs(finite - med))) if finite.size else 0.0
    scale = max(1.4826 * mad, floor, 1e-12)
    z = (values - med) / scale
    z[~np.isfinite(z)] = np.inf
    return z, scale


def rank_tokens(
    drift: npt.NDArray[np.float64],
    base_norm: npt.NDArray[np.float64],
    id_to_token: dict[int, str],
    top_k: int,
) -> DriftSummary:
    """The ``top_k`` rows by robust z-score of their drift."""
    typical = float(np.median(base_norm)) if base_norm.size else 0.0
    z, scale = robust_z(drift, floor=1e-3 * typical)
    relative = drift / np.maximum(base_norm, 1e-12)
    moved = int(np.count_nonzero(relative > MOVED_EPS))
    k = min(top_k, drift.size)
    order = np.argsort(-np.nan_to_num(z, nan=np.inf), kind="stable")[:k]
    cands = [
        TokenCandidate(
            int(i),
            id_to_token.get(int(i), f"<id {int(i)}>"),
            float(drift[i]),
            float(relative[i]),
            float(z[i]),
        )
        for i in order
    ]
    med = float(np.median(drift)) if drift.size else 0.0
    return DriftSummary(int(drift.size), moved, med, scale, cands)
