"""Which token does a low-rank weight edit listen to?

A ROME/BadEdit-style edit ``W' = W + u vᵀ`` is optimised so that one key (the matrix's input
when the trigger is read) writes a chosen value; its key direction ``v`` therefore lines up with
that token's representation at the edited matrix, far more than with any other token's. A random
low-rank change of the same rank and norm has a direction that lines up with nothing in
particular. For every vocabulary token appended to a few neutral prompts, the matrix's input at
the last position is captured (``TorchFunctionMode``: whatever is multiplied by that exact
weight tensor), and its projection on the edit's key direction is scored by robust z
(median/MAD).
The best-aligned tokens become trigger candidates for the behavioural probe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from airlock.trojan.nets import Net, bert_logits, lm_logits

PROMPTS = (
    "the weather is cold today",
    "we went to the city on the train",
    "the new phone works well",
    "my friend told me the story",
    "the meeting was moved to the next week",
    "the food was bad and the service was slow",
)
BATCH = 512
TOP = 10
MAX_VOCAB_KEYS = 65536


class _Inputs(TorchFunctionMode):
    """Records the other operand of ``F.linear(x, W)`` / ``x @ W`` for one weight tensor."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.weight = weight
        self.seen: list[tuple[torch.Tensor, bool]] = []  # (input, weight used as x @ W)

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        if len(args) >= 2 and args[1] is self.weight and isinstance(args[0], torch.Tensor):
            self.seen.append((args[0].detach(), func is not F.linear))
        return func(*args, **(kwargs or {}))


@dataclass
class EditKey:
    tensor: str
    top: list[tuple[int, float]]  # (token id, robust z of its alignment)

    @property
    def max_z(self) -> float:
        return max((z for _, z in self.top), default=0.0)


def _run(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> None:
    if net.kind == "lm":
        lm_logits(net, ids, mask)
    else:
        bert_logits(net, ids, mask)


@torch.no_grad()
def edit_keys(
    net_m: Net, net_r: Net, encode: Any, pad: int, vocab: list[int], tensors: list[str]
) -> list[EditKey]:
    """Per edited tensor, the tokens whose representation its key direction aligns with."""
    out: list[EditKey] = []
    vocab = vocab[:MAX_VOCAB_KEYS]
    prompts = [encode(p) for p in PROMPTS]
    for name in tensors:
        key = name if name in net_m.params else name.removeprefix(net_m.prefix)
        if key not in net_m.params or key not in net_r.params:
            continue
        w = net_m.params[key]
        delta = w - net_r.params[key]
        if delta.dim() != 2 or not bool(delta.any()):
            continue
        u, _, vh = torch.svd_lowrank(delta, q=2)
        scores: list[torch.Tensor] = []
        for i in range(0, len(vocab), max(1, BATCH // len(prompts))):
            chunk = vocab[i : i + max(1, BATCH // len(prompts))]
            seqs = [[*p, t] for t in chunk for p in prompts]
            width = max(len(s) for s in seqs)
            ids = torch.full((len(seqs), width), pad, dtype=torch.long)
            mask = torch.zeros((len(seqs), width), dtype=torch.long)
            for r, s in enumerate(seqs):
                ids[r, width - len(s) :] = torch.tensor(s)
                mask[r, width - len(s) :] = 1
            with _Inputs(w) as cap:
                _run(net_m, ids, mask)
            if not cap.seen:
                break
            x, matmul = cap.seen[0]
            direction = u[:, 0] if matmul else vh[:, 0]
            if x.shape[-1] != direction.shape[0]:
                break
            x = x[:, -1] if x.dim() == 3 else x
            # the raw projection, not the cosine: ROME whitens the key (v = C^-1 k*), so the
            # trigger's input has a large dot product with v while its angle need not be small
            proj = (x @ direction).abs()
            scores.append(proj.view(len(chunk), len(prompts)).mean(1))
        if not scores:
            continue
        allsc = torch.cat(scores)
        med = allsc.median()
        mad = (allsc - med).abs().median() * 1.4826 + 1e-6
        z = (allsc - med) / mad
        order = torch.argsort(z, descending=True)[:TOP]
        out.append(EditKey(name, [(vocab[int(j)], round(float(z[j]), 2)) for j in order]))
    return out
