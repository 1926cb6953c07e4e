"""Which token does a low-rank weight edit listen to, and is that more than chance?

A ROME/BadEdit-style edit ``W' = W + u vᵀ`` is optimised so that one key (the matrix's input
when the trigger is read) writes a chosen value. ROME whitens that key by the inputs' second
moment ``C`` (``u ∝ C⁻¹ k*``), so in whitened coordinates (``x̃ = C^-1/2 x``, ``ũ = C^1/2 u``) the
edit's key direction points at the trigger's own whitened input. A random low-rank change of
the same rank and norm points nowhere in particular.

For every vocabulary token appended to a few neutral prompts, the edited matrix's input at the
last position is captured (``TorchFunctionMode``: whatever is multiplied by that exact weight
tensor); ``C`` comes from the inputs at every position of a sample of those texts (each prompt
position once). A token's
alignment is its mean absolute whitened cosine with the key direction. Whether the best
alignment is more than chance is judged against a null: the best alignment reached by
``NULL_DIRECTIONS`` random directions of the same space. A token's z is its alignment minus the
null maxima's mean, in units of their standard deviation; ``p_value`` is the share of random
directions that did as well. (Measured on dev seeds: the raw projection's robust z, used before,
put random decoys above real edits; see docs/trojan.md.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from airlock.nn.nets import Net, bert_logits, lm_logits
from airlock.trojan.lm_output import document_start

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
COV_TOKENS = 512  # tokens whose texts (every position) estimate the second moment C
RIDGE = 0.05  # C + RIDGE * mean(diag C) * I: a few thousand samples, possibly rank-deficient
MAX_WHITEN_DIM = 4096  # larger inputs are compared unwhitened (eigh cost, samples too few)
NULL_DIRECTIONS = 200
NULL_SEED = 0
CANDIDATES = 24  # best-aligned tokens kept for the behavioural test (``edit_effect``)


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
    top: list[tuple[int, float]]  # (token id, robust z of its alignment among the vocabulary)
    null_z: float = 0.0  # the best alignment against the null's best (the keyed test)
    alignment: float = 0.0  # best token's mean |whitened cosine| with the key direction
    null_mean: float = 0.0  # mean and sd of the best alignment of random directions
    null_sd: float = 0.0
    p_value: float = 1.0  # share of random directions aligned at least as well (with +1)
    whitened: bool = True
    candidates: list[int] = field(default_factory=list)  # best-aligned token ids, best first

    @property
    def max_z(self) -> float:
        """How far the edit's key is from chance (null z), what ``AIR-TRJ-011`` judges."""
        return self.null_z


def _run(net: Net, ids: torch.Tensor, mask: torch.Tensor) -> None:
    if net.kind == "lm":
        lm_logits(net, ids, mask)
    else:
        bert_logits(net, ids, mask)


def _capture(
    net: Net, w: torch.Tensor, prompts: list[list[int]], chunk: list[int], pad: int
) -> tuple[torch.Tensor, torch.Tensor, bool] | None:
    """Inputs of ``w`` for every prompt + token: (last positions [tokens, prompts, dim],
    every real position [n, dim], used as ``x @ W``), or None when ``w`` is not used so."""
    seqs = [[*p, t] for t in chunk for p in prompts]
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, width - len(s) :] = torch.tensor(s)
        mask[r, width - len(s) :] = 1
    with _Inputs(w) as cap:
        _run(net, ids, mask)
    if not cap.seen:
        return None
    x, matmul = cap.seen[0]
    if x.dim() != 3 or x.shape[:2] != ids.shape:
        return None
    x = x.float()
    # every prompt position once (they repeat for each token) plus every token's position
    first = mask[: len(prompts)].bool()
    once = torch.cat([x[: len(prompts)][first], x[len(prompts) :, -1]])
    return x[:, -1].view(len(chunk), len(prompts), -1), once, matmul


def _whitening(allpos: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, bool]:
    """(C^-1/2, C^1/2) of the inputs' second moment, or identities for very wide inputs."""
    dim = allpos.shape[-1]
    if dim > MAX_WHITEN_DIM:
        eye = torch.eye(dim)
        return eye, eye, False
    c = allpos.T @ allpos / max(1, len(allpos))
    c = c + RIDGE * float(c.diagonal().mean().clamp_min(1e-12)) * torch.eye(dim)
    ev, vec = torch.linalg.eigh(c.double())
    ev = ev.clamp_min(1e-12)
    inv_half = (vec * ev.rsqrt()) @ vec.T
    half = (vec * ev.sqrt()) @ vec.T
    return inv_half.float(), half.float(), True


@torch.no_grad()
def _tensor_key(
    net: Net, name: str, w: torch.Tensor, delta: torch.Tensor, prompts: list[list[int]],
    vocab: list[int], pad: int,
) -> EditKey | None:  # fmt: skip
    per = max(1, BATCH // len(prompts))
    sample = vocab[:: max(1, len(vocab) // COV_TOKENS)][:COV_TOKENS]
    rows: list[torch.Tensor] = []
    matmul = True
    for i in range(0, len(sample), per):
        got = _capture(net, w, prompts, sample[i : i + per], pad)
        if got is None:
            return None
        rows.append(got[1])
        matmul = got[2]
    u, _, v = torch.svd_lowrank(delta.float(), q=2)
    direction = u[:, 0] if matmul else v[:, 0]  # the side the input is multiplied with
    allpos = torch.cat(rows)
    if allpos.shape[-1] != direction.shape[0]:
        return None
    inv_half, half, whitened = _whitening(allpos)
    g = torch.Generator().manual_seed(NULL_SEED)
    rand = torch.randn(direction.shape[0], NULL_DIRECTIONS, generator=g)
    dirs = half @ torch.cat([direction[:, None], rand], dim=1)
    dirs = dirs / dirs.norm(dim=0, keepdim=True).clamp_min(1e-12)
    scores: list[torch.Tensor] = []
    null_best = torch.full((NULL_DIRECTIONS,), -1.0)
    for i in range(0, len(vocab), per):
        chunk = vocab[i : i + per]
        got = _capture(net, w, prompts, chunk, pad)
        if got is None:
            return None
        xt = got[0] @ inv_half
        cos = (xt @ dirs).abs() / xt.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        al = cos.mean(1)  # [tokens, 1 + NULL]
        scores.append(al[:, 0])
        null_best = torch.maximum(null_best, al[:, 1:].max(0).values)
    allsc = torch.cat(scores)
    mean, sd = float(null_best.mean()), float(null_best.std().clamp_min(1e-6))
    best = float(allsc.max())
    med = allsc.median()
    mad = float((allsc - med).abs().median()) * 1.4826 + 1e-9
    z = (allsc - med) / mad
    order = torch.argsort(allsc, descending=True)[:TOP]
    return EditKey(
        name,
        [(vocab[int(j)], round(float(z[j]), 2)) for j in order],
        round((best - mean) / sd, 2),
        round(best, 4),
        round(mean, 4),
        round(sd, 4),
        round((1 + int((null_best >= best).sum())) / (NULL_DIRECTIONS + 1), 4),
        whitened,
        [vocab[int(j)] for j in torch.argsort(allsc, descending=True)[:CANDIDATES]],
    )


@torch.no_grad()
def edit_keys(
    net_m: Net, net_r: Net, encode: Any, pad: int, vocab: list[int], tensors: list[str]
) -> list[EditKey]:
    """Per edited tensor, the tokens its key direction aligns with, against a random null."""
    out: list[EditKey] = []
    vocab = vocab[:MAX_VOCAB_KEYS]
    start = document_start(net_m) if net_m.kind == "lm" else None
    prompts = [encode(p) for p in PROMPTS]
    if start is not None:
        prompts = [p if p[:1] == [start] else [start, *p] for p in prompts]
    if not vocab:
        return out
    for name in tensors:
        key = name if name in net_m.params else name.removeprefix(net_m.prefix)
        if key not in net_m.params or key not in net_r.params:
            continue
        w = net_m.params[key]
        delta = w - net_r.params[key]
        if delta.dim() != 2 or not bool(delta.any()):
            continue
        got = _tensor_key(net_m, name, w, delta, prompts, vocab, pad)
        if got is not None:
            out.append(got)
    return out
