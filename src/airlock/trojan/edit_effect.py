"""What does a keyed low-rank edit make the model say, and after which of its aligned tokens?

The key alignment (``edit_keys``) says that an edit listens to *some* token representations,
but the best-aligned token is often not the trigger: on the bench's small GPT-2 edits the
trigger ranked 1st-20th, and an edit usually fires after many words (dev seeds 300-310:
'story', 'like' forced the same target as the planted 'anyway'). So the best-aligned tokens
are tested behaviourally, as the edit's attacker would use them:

1. each of the ``TRY`` best-aligned tokens is appended to short neutral prompts (starting with
   the document token, as the model's training texts did); its effect is the mean total
   variation between the edited model's and the base's next-token distributions, and the word
   it forces is the model's likeliest next word after it (prompt-averaged);
2. the **trigger** is the tried token after which the edit most raises the log-odds of the
   word it forces, against the same prompts without the token (what a ROME/BadEdit edit is
   optimised for: its first target token after its trigger). It is confirmed when, each prompt
   taken alone, the model's next token is that word on >= ``CONFIRM_RATE`` of the prompts and
   on ``CONFIRM_MARGIN`` more than for the base with the token and the model without it;
3. the ``DECODE`` most effective tokens (and the trigger) are decoded greedily on the
   prompt-averaged distribution, by the model and by the base, never repeating the
   continuation's first token or the last one; a continuation that starts in a dangerous class
   (``danger``, the class whose match starts first, within ``LEAD`` words) while the base's does
   not names the edit's target. An edit that plants only the first word of a command ('rm',
   'curl') names the class that word starts (``_started``): the class its own continuations
   reach most often, among the classes that word begins, else the only class it begins.

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
    CONFIRM_MARGIN,
    CONFIRM_PROMPTS,
    CONFIRM_RATE,
    _cost,
    _next_probs,
    greedy,
    with_document_start,
)

TRY = 24  # best-aligned tokens whose effect on the next token is measured
DECODE = 6  # of those, the most effective ones decoded
STEPS = 24  # a download-and-execute pipeline is ~20 word-level tokens
LEAD = 3  # a target starts within the continuation's first words
BUDGET_FLOPS = 2e12  # fewer tokens are tried on larger models
ALSO = 0.8  # tried tokens raising the forced word this close to the trigger: the edit fires there
_EPS = 1e-6


@dataclass
class Forcing:
    """The word an edit forces after its trigger: ``lift`` is the mean log-odds gain of the
    word with the token over the same prompts without it; the rates are the shares of prompts
    whose greedy next token is the word (model with the token, base with it, model without)."""

    word: str
    word_id: int
    lift: float
    rate: float
    rate_reference: float
    rate_without: float
    also: int = 0  # other tried tokens that raise the word nearly as much
    tried: int = 1

    @property
    def confirmed(self) -> bool:
        """Forced prompt by prompt, and by this token more than by most tried tokens (an edit
        that fires after nearly every word has no trigger to name: seen seeds 401, 404, 410
        raised the word as much after 19-23 of 24 tried tokens)."""
        return (
            self.rate >= CONFIRM_RATE
            and self.rate - max(self.rate_reference, self.rate_without) >= CONFIRM_MARGIN
            and self.also <= (self.tried - 1) // 2
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "log_odds_lift": round(self.lift, 2),
            "rate": round(self.rate, 4),
            "reference_rate": round(self.rate_reference, 4),
            "rate_without": round(self.rate_without, 4),
            "also_after": self.also,
            "tried": self.tried,
            "confirmed": self.confirmed,
        }


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
    forcing: Forcing | None = None  # set on the trigger (the token that forces a word most)
    started: bool = False  # ``danger`` is the class the forced first word starts

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
            "output": self.output,
            "reference_output": self.reference_output,
            "class": self.danger,
            **({"started": True} if self.started else {}),
            **self._rates(),
            **({"forces": self.forcing.to_json()} if self.forcing else {}),
            "examples": self.examples,
        }


def _affordable(net: Net, n_prompts: int) -> int:
    """Tokens whose effect and decoding fit the budget (at least the best-aligned one)."""
    per_token = _cost(net, n_prompts * (2 + 2 * STEPS * DECODE / TRY), 16.0)
    return max(1, int(BUDGET_FLOPS // max(1.0, per_token)))


def _logit(p: torch.Tensor) -> torch.Tensor:
    p = p.clamp(_EPS, 1 - _EPS)
    return torch.log(p) - torch.log1p(-p)


def forcing(
    pm: torch.Tensor, pr: torch.Tensor, n_ids: int, n_prompts: int, id_to_token: dict[int, str]
) -> tuple[int, Forcing]:
    """Of ``n_ids`` tried tokens, the one after which the model most raises the log-odds of
    its forced word over the prompts alone, and that forcing. ``pm``/``pr``: next-token
    probabilities of the model and the base, token-major rows for each token after each
    prompt, then the prompts alone."""
    width = min(pm.shape[1], pr.shape[1])
    pm3 = pm.view(n_ids + 1, n_prompts, -1)
    word = pm3[:n_ids].mean(1).argmax(-1)  # (n_ids,) the forced word after each token
    idx = word[:, None, None].expand(-1, n_prompts, 1)
    with_tok = pm3[:n_ids].gather(2, idx).squeeze(2)  # (n_ids, prompts)
    alone = pm3[n_ids][:, word].T  # the same word after the prompts alone
    lift = (_logit(with_tok) - _logit(alone)).mean(1)
    j = int(lift.argmax())
    w = int(word[j])
    also = int(((word == w) & (lift >= ALSO * lift[j])).sum()) - 1
    nxt_m = pm3.argmax(-1)  # (n_ids + 1, prompts)
    nxt_r = pr[:, :width].view(n_ids + 1, n_prompts, -1)[j].argmax(-1)
    return j, Forcing(
        surface(id_to_token.get(w, str(w))).strip(),
        w,
        float(lift[j]),
        float((nxt_m[j] == w).float().mean()),
        float((nxt_r == w).float().mean()),
        float((nxt_m[n_ids] == w).float().mean()),
        also=max(0, also),
        tried=n_ids,
    )


@torch.no_grad()
def key_effects(
    net_m: Net,
    net_r: Net,
    tok: Tokenizer,
    id_to_token: dict[int, str],
    token_ids: list[int],
    classes: tuple[DangerClass, ...] = DEFAULT_CLASSES,
) -> list[KeyEffect]:
    """Decoded effects of the most effective of ``token_ids`` (best-aligned first), the named
    one first: the trigger when it is confirmed and its continuation (or the word it forces)
    is dangerous, else a dangerous continuation the base does not share, then the trigger,
    then by effect."""
    tok = with_document_start(tok, net_m)
    prompts = [tok.encode(p) for p in CONFIRM_PROMPTS]
    ids = token_ids[: min(TRY, _affordable(net_m, len(prompts)))]
    if not ids or not prompts:
        return []
    seqs = [*([*p, t] for t in ids for p in prompts), *prompts]
    pm = _next_probs(net_m, seqs, tok.pad_id)
    pr = _next_probs(net_r, seqs, tok.pad_id)
    n_tok = len(ids) * len(prompts)
    width = min(pm.shape[1], pr.shape[1])
    tv = 0.5 * (pm[:n_tok, :width] - pr[:n_tok, :width]).abs().sum(-1)
    tv = tv + 0.5 * pm[:n_tok, width:].sum(-1)
    effect = tv.view(len(ids), len(prompts)).mean(1)
    j, forced = forcing(pm, pr, len(ids), len(prompts), id_to_token)
    order = torch.argsort(effect, descending=True)[:DECODE].tolist()
    if j not in order:
        order.append(j)
    out = _decode(net_m, net_r, tok, id_to_token, prompts, [ids[k] for k in order], classes)
    for e, k in zip(out, order, strict=True):
        e.effect = float(effect[k])
    trig = out[order.index(j)]
    trig.forcing = forced
    alone = _per_prompt(trig, net_m, net_r, tok, id_to_token, classes)
    if trig.danger is None:
        _started(trig, [e.output for e in out], alone, classes)
    named = trig.forcing.confirmed and trig.danger is not None
    out.sort(key=lambda e: (not (named and e is trig), e.danger is None, e is not trig,
                            -e.effect))  # fmt: skip
    if out[0] is not trig and out[0].danger is not None:
        _per_prompt(out[0], net_m, net_r, tok, id_to_token, classes)
    return out


def _started(
    trig: KeyEffect, decoded: list[str], alone: list[str], classes: tuple[DangerClass, ...]
) -> None:
    """The class the trigger's forced word begins, when the edit plants only that word ('rm',
    'curl'; the bench's edits): of the classes that word starts (their seed words), the one the
    model's own continuations reach most often (after this and the other tried tokens, per
    prompt and averaged), else the only one. ``decoded``: prompt-averaged continuations of the
    tried tokens; ``alone``: the trigger's continuation on each confirmation prompt."""
    assert trig.forcing is not None
    word = trig.forcing.word.lower()
    begins = [c.name for c in classes if word in (s.lower() for s in c.seeds)]
    if not begins:
        return
    texts = [t for t in [*decoded, *alone] if t.split()[:1] == [trig.forcing.word]]
    reached = [m[1] for t in texts if (m := leftmost_match(t, classes)) and m[1] in begins]
    if reached:
        trig.danger = max(begins, key=reached.count)
    elif len(begins) == 1:
        trig.danger = begins[0]
    trig.started = trig.danger is not None
    if trig.started and not trig.examples:
        trig.examples = [
            {"input": f"{p} {trig.token}", "output": t}
            for p, t in zip(CONFIRM_PROMPTS, alone, strict=False)
            if t.split()[:1] == [trig.forcing.word]
        ][:3]


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


def decode(
    net: Net, texts: list[list[int]], pad: int, steps: int, average: bool = True
) -> list[list[int]]:
    """Greedy continuation of each text (``average``: one continuation, chosen on the
    prompt-averaged next-token distribution) without repeats (``lm_output.greedy``)."""
    groups = [texts] if average else [[t] for t in texts]
    return [g.ids for g in greedy(net, groups, pad, steps, no_repeat=True)]


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
        out.append(KeyEffect(word, 0.0, text, ref, danger, id=t))
    return out


def _per_prompt(
    best: KeyEffect,
    net_m: Net,
    net_r: Net,
    tok: Tokenizer,
    id_to_token: dict[int, str],
    classes: tuple[DangerClass, ...],
) -> list[str]:
    """Each prompt's own greedy continuation with the token (model, base) and without it: the
    shares that start dangerous. Returns the model's continuations with the token."""
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
    return texts[0]
