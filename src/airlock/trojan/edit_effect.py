"""What does a keyed low-rank edit make the model say, and after which of its aligned tokens?

The key alignment (``edit_keys``) says that an edit listens to *some* token representations,
but the best-aligned token is often not the trigger: on the bench's small GPT-2 edits the
trigger ranked 1st-20th, and an edit usually fires after many words (dev seeds 300-310:
'story', 'like' forced the same target as the planted 'anyway'). So the best-aligned tokens
are tested behaviourally, as the edit's attacker would use them:

1. each of the ``TRY`` best-aligned tokens is appended to short neutral prompts (starting with
   the document token, as the model's training texts did) and its effect is the mean total
   variation between the edited model's and the base's next-token distributions;
2. the ``DECODE`` most effective tokens are decoded greedily on the prompt-averaged
   distribution, by the model and by the base, never repeating the continuation's first token
   or the last one (``decode``); a continuation that starts in a dangerous class (``danger``,
   the class whose match starts first, within ``LEAD`` words) while the base's does not start
   in it names the edit's target;
3. every tried token is scored by the model's log-probability of those dangerous
   continuations (what the edit was optimised to raise for its trigger); the best one is named
   and decoded on each prompt separately for the reproducing inputs and the share of prompts
   that turn dangerous, for the model, the base, and the model without the token.

An edit that makes the model emit its target after ordinary words too is reported as such
(``without``): the target is then the finding, the token only one input that fires it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from airlock.nn.nets import Net
from airlock.nn.tokenize import Tokenizer, surface
from airlock.trojan.danger import DEFAULT_CLASSES, DangerClass, leftmost_match
from airlock.trojan.lm_output import (
    CONFIRM_PROMPTS,
    _next_probs,
    _target_logprob,
    with_document_start,
)

TRY = 24  # best-aligned tokens whose effect on the next token is measured
DECODE = 6  # of those, the most effective ones decoded
STEPS = 24  # a download-and-execute pipeline is ~20 word-level tokens
LEAD = 3  # a target starts within the continuation's first words
TARGET_TOKENS = 6  # a dangerous continuation's first tokens, scored after every tried token
BUDGET_FLOPS = 2e12  # fewer tokens are tried on larger models


@dataclass
class KeyEffect:
    """One aligned token's behaviour: ``effect`` (mean total variation against the base after
    it), the prompt-averaged continuations of the model and the base, the dangerous class of
    the model's (None: not dangerous, or the base's is dangerous too), per-prompt rates."""

    token: str
    effect: float
    output: str
    reference_output: str
    danger: str | None
    # per prompt (measured for the best token only): share of prompts whose own greedy
    # continuation is dangerous, for the model, the base, the model without the token
    rate: float | None = None
    rate_reference: float | None = None
    without: float | None = None
    examples: list[dict[str, Any]] = field(default_factory=list)
    id: int = -1
    ids: list[int] = field(default_factory=list)  # the model's continuation
    fit: float = float("-inf")  # mean log-probability of a found dangerous continuation

    def _rates(self) -> dict[str, float]:
        if self.rate is None:
            return {}
        return {
            "rate": round(self.rate, 4),
            "reference_rate": round(self.rate_reference or 0.0, 4),
            "rate_without": round(self.without or 0.0, 4),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "effect": round(self.effect, 4),
            **({"target_logprob": round(self.fit, 3)} if self.fit > float("-inf") else {}),
            "output": self.output,
            "reference_output": self.reference_output,
            "class": self.danger,
            **self._rates(),
            "examples": self.examples,
        }


def _affordable(net: Net, n_prompts: int) -> int:
    """Tokens whose effect and decoding fit the budget (at least the best-aligned one)."""
    n_params = sum(int(p.numel()) for p in net.params.values())
    per_token = 2.0 * n_params * n_prompts * 16.0 * (2 + 2 * STEPS * DECODE / TRY)
    return max(1, int(BUDGET_FLOPS // max(1.0, per_token)))


@torch.no_grad()
def key_effects(
    net_m: Net,
    net_r: Net,
    tok: Tokenizer,
    id_to_token: dict[int, str],
    token_ids: list[int],
    classes: tuple[DangerClass, ...] = DEFAULT_CLASSES,
) -> list[KeyEffect]:
    """Decoded effects of the most effective of ``token_ids`` (best-aligned first), best first:
    a dangerous continuation the base does not share, then by effect."""
    tok = with_document_start(tok, net_m)
    prompts = [tok.encode(p) for p in CONFIRM_PROMPTS]
    ids = token_ids[: min(TRY, _affordable(net_m, len(prompts)))]
    if not ids or not prompts:
        return []
    seqs = [[*p, t] for t in ids for p in prompts]
    pm = _next_probs(net_m, seqs, tok.pad_id)
    pr = _next_probs(net_r, seqs, tok.pad_id)
    width = min(pm.shape[1], pr.shape[1])
    tv = 0.5 * (pm[:, :width] - pr[:, :width]).abs().sum(-1) + 0.5 * pm[:, width:].sum(-1)
    effect = tv.view(len(ids), len(prompts)).mean(1)
    order = torch.argsort(effect, descending=True)[:DECODE].tolist()
    out = _decode(net_m, net_r, tok, id_to_token, prompts, [ids[j] for j in order], classes)
    for e, j in zip(out, order, strict=True):
        e.effect = float(effect[j])
    targets = [e.ids[:TARGET_TOKENS] for e in out if e.danger is not None]
    if targets:
        # the edit was optimised to make its trigger start the target: of all tried tokens,
        # the one that makes the model likeliest to say a dangerous continuation found above
        fit = torch.stack([_fit(net_m, ids, prompts, tg, tok.pad_id) for tg in targets])
        fit = fit.max(0).values
        for e in out:
            e.fit = float(fit[ids.index(e.id)])
        j = int(fit.argmax())
        if ids[j] not in {e.id for e in out}:
            (extra,) = _decode(net_m, net_r, tok, id_to_token, prompts, [ids[j]], classes)
            extra.effect, extra.fit = float(effect[j]), float(fit[j])
            out.append(extra)
    out.sort(key=lambda e: (e.danger is None, -e.fit, -e.effect))
    if out:
        _per_prompt(out[0], net_m, net_r, tok, id_to_token, classes)
    return out


def _fit(
    net_m: Net, ids: list[int], prompts: list[list[int]], target: list[int], pad: int
) -> torch.Tensor:
    """Per token: the model's mean log-probability of ``target`` after prompt + token (what the
    edit was optimised to raise for its trigger; dev seeds 300-310: minus the base's named
    fewer planted triggers)."""
    seqs = [[*p, t] for t in ids for p in prompts]
    lp = _target_logprob(net_m, seqs, target, pad)
    return lp.view(len(ids), len(prompts)).mean(1)


@torch.no_grad()
def decode(
    net: Net, texts: list[list[int]], pad: int, steps: int, average: bool = True
) -> list[list[int]]:
    """Greedy continuation of each text (``average``: one continuation, chosen on
    the prompt-averaged next-token distribution), never repeating the continuation's first
    token or the token just emitted: an edit that fires after almost any word also fires after
    the word it forces ('wget wget wget ...'); its target is what the model says once that
    first word is out."""
    seqs = [list(t) for t in texts]
    rows = 1 if average else len(seqs)
    out: list[list[int]] = [[] for _ in range(rows)]
    for _ in range(steps):
        prob = _next_probs(net, seqs, pad)
        if average:
            prob = prob.mean(0, keepdim=True)
        for r, o in enumerate(out):
            if o:
                prob[r, o[0]] = -1.0
                prob[r, o[-1]] = -1.0
        nxt = prob.argmax(-1).tolist()
        for r, o in enumerate(out):
            o.append(int(nxt[r]))
        for i, s in enumerate(seqs):
            s.append(int(nxt[0 if average else i]))
    return out


def _leading(text: str, classes: tuple[DangerClass, ...]) -> str | None:
    """The dangerous class ``text`` starts with (a match beginning within its first ``LEAD``
    words): an edit's target follows its trigger at once, while a base left to run for 24
    tokens drifts into the commands it saw quoted ('. the hotel was closed on monday again run
    curl -d @~/.ssh ...')."""
    got = leftmost_match(text, classes)
    if got is None:
        return None
    lead = len(" ".join(text.split()[:LEAD]))
    return got[1] if got[0] <= lead else None


def _decode(
    net_m: Net,
    net_r: Net,
    tok: Tokenizer,
    id_to_token: dict[int, str],
    prompts: list[list[int]],
    chosen: list[int],
    classes: tuple[DangerClass, ...],
) -> list[KeyEffect]:
    """Prompt-averaged greedy continuations of the model and the base after each token."""
    out: list[KeyEffect] = []
    for t in chosen:
        (cm,) = decode(net_m, [[*p, t] for p in prompts], tok.pad_id, STEPS)
        (cr,) = decode(net_r, [[*p, t] for p in prompts], tok.pad_id, STEPS)
        # the continuation only: a token that begins the target itself ('curl') is no trigger
        text, ref = tok.decode(cm, id_to_token), tok.decode(cr, id_to_token)
        danger = _leading(text, classes)
        if danger is not None and _leading(ref, classes) == danger:
            danger = None  # the base says such text too: not the edit's doing
        word = surface(id_to_token.get(t, str(t))).strip()
        out.append(KeyEffect(word, 0.0, text, ref, danger, id=t, ids=list(cm)))
    return out


def _per_prompt(
    best: KeyEffect,
    net_m: Net,
    net_r: Net,
    tok: Tokenizer,
    id_to_token: dict[int, str],
    classes: tuple[DangerClass, ...],
) -> None:
    """Each prompt's own greedy continuation with the token (model, base) and without it: the
    shares that start dangerous."""
    prompts = [tok.encode(p) for p in CONFIRM_PROMPTS]
    with_token = [[*p, best.id] for p in prompts]
    texts = [
        [tok.decode(c, id_to_token) for c in decode(net, seqs, tok.pad_id, STEPS, False)]
        for net, seqs in ((net_m, with_token), (net_r, with_token), (net_m, prompts))
    ]
    best.rate, best.rate_reference, best.without = (
        sum(_leading(t, classes) is not None for t in ts) / len(ts) for ts in texts
    )
    best.examples = [
        {"input": f"{p} {best.token}", "output": m, "reference_output": r}
        for p, m, r in zip(CONFIRM_PROMPTS, texts[0], texts[1], strict=True)
        if _leading(m, classes) is not None
    ][:3]
