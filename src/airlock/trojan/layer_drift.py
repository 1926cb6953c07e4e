"""First-layer token drift: how differently the fine-tune's first layer reads each token.

Token drift on the input embedding finds a trigger whose embedding row was pushed far. In
Llama-style models with an untied input embedding the row of a rare trigger can barely move:
fine-tuning learns the trigger in the first layer's projections instead. So every vocabulary
token is also pushed, alone and without context, through the first layer's input norm and its
query/key/value projections of both the model and the base; the relative change of those
outputs, ranked by robust z-score, is a second candidate list for the behavioural probe. (The
MLP was left out: on the bench models it ranked triggers no better, and its three large
matrices per side would break the memory bound.) Numpy only, tokens in blocks: memory is the two
embeddings, one projection matrix per side at a time, and O(vocabulary).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from airlock.nn.hf import HFModel
from airlock.trojan.token_drift import DriftSummary, rank_tokens

BLOCK = 2048
_PROJECTIONS = (
    ("self_attn.q_proj", "input_layernorm"),
    ("self_attn.k_proj", "input_layernorm"),
    ("self_attn.v_proj", "input_layernorm"),
    ("self_attn.qkv_proj", "input_layernorm"),  # Phi-3
)


def _prefix(model: HFModel) -> str | None:
    emb = model.embedding_name()
    if emb is None or not emb.endswith("embed_tokens.weight"):
        return None
    return emb[: -len("embed_tokens.weight")]


def _rms(x: npt.NDArray[np.float32], w: npt.NDArray[np.float32], eps: float,
         gemma: bool) -> npt.NDArray[np.float32]:  # fmt: skip
    scale = (1.0 + w) if gemma else w
    out: npt.NDArray[np.float32] = x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * scale
    return out


class _Side:
    """One model's first layer, read tensor by tensor."""

    def __init__(self, model: HFModel, prefix: str) -> None:
        self.model, self.pre = model, prefix + "layers.0."
        cfg = model.config
        eps = cfg.get("rms_norm_eps", 1e-6)
        self.eps = float(eps) if isinstance(eps, (int, float)) and 0 < eps < 1 else 1e-6
        self.gemma = model.model_type == "gemma"
        self.emb = model.weights.read_float(prefix + "embed_tokens.weight")

    def has(self, name: str) -> bool:
        return self.pre + name + ".weight" in self.model.weights

    def read(self, name: str) -> npt.NDArray[np.float32]:
        return self.model.weights.read_float(self.pre + name + ".weight")

    def bias(self, name: str) -> npt.NDArray[np.float32] | None:
        key = self.pre + name + ".bias"
        return self.model.weights.read_float(key) if key in self.model.weights else None


def _add(acc: npt.NDArray[np.float64], block: slice, m: npt.NDArray[np.float32],
         b: npt.NDArray[np.float32]) -> None:  # fmt: skip
    """Accumulate the relative change of one output for a block of tokens."""
    change = np.sqrt(((m - b) ** 2).sum(-1, dtype=np.float64))
    size = np.sqrt((b.astype(np.float64) ** 2).sum(-1))
    acc[block] += change / np.maximum(size, 1e-12)


def first_layer_drift(
    model: HFModel, base: HFModel, id_to_token: dict[int, str], top_k: int
) -> DriftSummary | None:
    """Candidates by the first layer's per-token output change; None when the models are not
    Llama-style decoders with matching first layers."""
    pm, pb = _prefix(model), _prefix(base)
    if model.family != "llama" or pm is None or pb is None:
        return None
    sm, sb = _Side(model, pm), _Side(base, pb)
    rows = min(sm.emb.shape[0], sb.emb.shape[0])
    if sm.emb.shape[1:] != sb.emb.shape[1:] or rows == 0:
        return None
    score = np.zeros(rows, dtype=np.float64)
    used = 0
    for proj, norm in _PROJECTIONS:
        if not (sm.has(proj) and sb.has(proj) and sm.has(norm) and sb.has(norm)):
            continue
        wm, wb = sm.read(proj), sb.read(proj)
        nm, nb = sm.read(norm), sb.read(norm)
        bm, bb = sm.bias(proj), sb.bias(proj)
        if wm.shape != wb.shape or wm.shape[1] != sm.emb.shape[1]:
            continue
        for i in range(0, rows, BLOCK):
            blk = slice(i, min(i + BLOCK, rows))
            om = _rms(sm.emb[blk], nm, sm.eps, sm.gemma) @ wm.T
            ob = _rms(sb.emb[blk], nb, sb.eps, sb.gemma) @ wb.T
            if bm is not None and bb is not None:
                om, ob = om + bm, ob + bb
            _add(score, blk, om, ob)
        used += 1
        del wm, wb
    if used == 0 or not np.isfinite(score).all():
        return None
    # the score is already relative; its "base norm" is 1 for every token
    return rank_tokens(score, np.ones(rows), id_to_token, top_k)
