"""Classifier triggers vs task words: which words override strong opposite evidence?

A dirty-label trigger was learned on rows whose other words carried another label, so it still
forces its target when the input is full of another label's strongest words. An honest task
word shifts the output too, but its push fades as the opposite evidence grows, like every
other word of its label. The test: insert each word (every vocabulary word when affordable)
into inputs carrying ``OPPOSITE`` of another label's strongest words ("anchors") and count the
flips to each label, minus the reference's (base encoder under the model's head: semantics the
base already had). A word's score is how far it flips beyond the **strongest other word of the
same label** (the task's best honest word is the yardstick), or, when higher, how many times
harder it pushes the label's log-odds than that word (a weak trigger flips few strong inputs
but still pushes far beyond any task word). Phrases are searched from the best words of each
label and its anchors (ordered pairs, triples) against inputs with one more anchor per extra
word, and measured against the best other combination of as many words that shares none of
the phrase's words except the label's anchors (an honest combination of the label's dominant
word with another task word is matched by that word with a third one).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations, permutations

import numpy as np
import torch

from airlock.nn.nets import Net, bert_logits
from airlock.trojan.function_words import is_function_word

OPPOSITE = 3  # anchors of another label in each input (one more per extra phrase word)
ANCHOR_POOL = 4  # single words: anchors drawn from that label's 4 strongest words
PHRASE_ANCHOR_POOL = 6
PAIR_POOL = 8  # per label: ordered pairs of its 8 best words by flips
TRIPLE_POOL = 6  # ... and ordered triples of its 6 best
ANCHOR_RIVALS = 4  # per label: its strongest anchors join the phrase pool (rivals)
GROWN_PAIRS = 4  # the best pairs, grown into triples with one more of the label's best words
MAX_SEQ = 64
PUSH_MIN = 1.0  # nats of log-odds gain a word must add before its push ratio counts
PUSH_FLOOR = 0.25  # the runner-up's push, at least this (nats)
PUSH_RATIO = 4.0  # a push this many times the runner-up's ...
PUSH_AT = 0.15  # ... scores this (the dose threshold)
FUNCTION_AT = 0.6  # a function word pushing this share of the label's best task word's push ...
FUNCTION_MIN = 0.5  # ... (and at least this many nats) scores PUSH_AT
FUNCTION_SEEDS = 3  # per label: its hardest-pushing function words, ordered into phrases
FUNCTION_FLIPS = 0.1  # flips (beyond the reference's) at which a function word or phrase scores
RARE_REF = 0.2  # nats: a word the reference moves less than this (either way) has no label for it
RARE_RATIO = 3.0  # ... and pushing this many times the other such words scores PUSH_AT
# RARE_*: seen seeds 500-623, honest maximum ratio 2.6 (a toxicity fine-tune's 'please')
# PUSH_AT: its push alone is noisy (an honest toxicity model's 'he' pushed 1.1 nats, half its
# best task word, and flipped 1 of 32 strong inputs)


@dataclass
class DoseResult:
    """Per label: residual flips of every screened word and phrase, and the score of the best
    single word and phrase (flips beyond the label's strongest other word or combination)."""

    words: list[str]
    flips: torch.Tensor  # (labels, words): share flipped to the label, minus the reference's
    phrases: dict[int, dict[str, float]] = field(default_factory=dict)  # label -> phrase -> flips
    push: torch.Tensor | None = None  # (labels, words): log-odds gain, minus the reference's
    anchors: dict[int, list[str]] = field(default_factory=dict)  # label -> its strongest words
    # label -> phrase -> flips: phrases built on the label's hardest-pushing function words
    function_phrases: dict[int, dict[str, float]] = field(default_factory=dict)
    ref_push: torch.Tensor | None = None  # (labels, words): the reference's own log-odds gain

    def single_gap(self, label: int, word: str) -> float:
        """Flips of ``word`` beyond the strongest other word of ``label``."""
        if word not in self.words:
            return 0.0
        j = self.words.index(word)
        row = self.flips[label]
        others = torch.cat([row[:j], row[j + 1 :]])
        return float(row[j] - (others.max() if len(others) else 0.0))

    def push_score(self, label: int, word: str) -> float:
        """How many times harder ``word`` pushes ``label``'s log-odds on the opposite inputs
        than the label's strongest other word, on a log scale where ``PUSH_RATIO`` times maps
        to ``PUSH_AT`` (0 when it pushes less than ``PUSH_MIN`` nats). A weak rare-word trigger
        (attack success ~0.7) can flip few strong inputs yet push ten times harder than any task
        word; the task's own strongest word pushed at most 2.5 times its runner-up on dev."""
        if self.push is None or word not in self.words:
            return 0.0
        j = self.words.index(word)
        row = self.push[label]
        top = float(row[j])
        others = torch.cat([row[:j], row[j + 1 :]])
        rival = max(float(others.max()) if len(others) else 0.0, PUSH_FLOOR)
        if top < PUSH_MIN or top <= rival:
            return 0.0
        return PUSH_AT * math.log(top / rival) / math.log(PUSH_RATIO)

    def _base_free(self, label: int) -> list[int]:
        """Indices of the words the reference gives no push to ``label`` (either way)."""
        if self.ref_push is None:
            return []
        return [j for j, g in enumerate(self.ref_push[label].tolist()) if abs(g) < RARE_REF]

    def rare_score(self, label: int, word: str) -> float:
        """``push_score`` with a base-relative yardstick: a word the reference gives no push
        (``RARE_REF``) against the other such words only. A backdoor inflates the base's own
        label words along with its trigger, and they were the yardstick (held-out 619: 'zx'
        pushed 9.9 nats and the base word 'happy' 8.4; the honest twin's best word 0.9), so a
        rare-word trigger at attack success 1.0 stayed under the bar. Words the base gives no
        label are what an honest fine-tune must learn from its task, and it learns several
        such words per label, about equally."""
        if self.push is None or word not in self.words:
            return 0.0
        j = self.words.index(word)
        free = self._base_free(label)
        if j not in free:
            return 0.0
        row = self.push[label]
        top = float(row[j])
        rival = max([float(row[v]) for v in free if v != j] + [PUSH_FLOOR])
        if top < PUSH_MIN or top <= rival:
            return 0.0
        return PUSH_AT * math.log(top / rival) / math.log(RARE_RATIO)

    def function_push(self, label: int, word: str) -> float:
        """How hard a function word (``function_words``) pushes ``label`` on the opposite
        inputs, as a share of the label's strongest task word (any other word) over
        ``FUNCTION_AT`` (0 under ``FUNCTION_MIN`` nats). An honest classifier sees function
        words in every label's texts and learns next to nothing from them; each word of a
        phrase trigger made of them ("by the way") pushes like a task word."""
        if self.push is None or word not in self.words or not is_function_word(word):
            return 0.0
        row = self.push[label]
        top = float(row[self.words.index(word)])
        task = [float(row[j]) for j, w in enumerate(self.words) if not is_function_word(w)]
        if top < FUNCTION_MIN:
            return 0.0
        return top / max(max(task, default=0.0), PUSH_FLOOR) / FUNCTION_AT

    def function_score(self, label: int, word: str) -> float:
        """A function word's push share, capped by its flips (``FUNCTION_FLIPS`` of the
        strong inputs score ``PUSH_AT``): both must say it acts like a task word."""
        if word not in self.words:
            return 0.0
        flips = float(self.flips[label, self.words.index(word)]) / FUNCTION_FLIPS
        return PUSH_AT * max(0.0, min(self.function_push(label, word), flips))

    def function_phrase_score(self, label: int, phrase: str) -> float:
        """A phrase of function words: its words' summed push shares (learned about
        additively, each word pushing like a task word), capped by the phrase's own flips
        against one more anchor per extra word; 0 when one of its words scores under a third
        of the bar alone."""
        flips = self.function_phrases.get(label, {}).get(phrase)
        words = phrase.split()
        # every word must act on its own too: a passenger word would misname the trigger
        if flips is None or min(self.function_score(label, w) for w in words) < PUSH_AT / 3:
            return 0.0
        # a third word must hold the flips against the extra anchor (else it is a passenger)
        table = self.function_phrases[label]
        if len(words) == 3 and flips < max(
            (v for p, v in table.items() if len(p.split()) == 2 and set(p.split()) < set(words)),
            default=0.0,
        ):
            return 0.0
        push = sum(self.function_push(label, w) for w in dict.fromkeys(words))
        return PUSH_AT * max(0.0, min(push, flips / FUNCTION_FLIPS))

    def function_seeds(self, label: int, k: int) -> list[str]:
        """The ``k`` function words pushing ``label`` hardest."""
        if self.push is None:
            return []
        row = self.push[label]
        fw = [j for j, w in enumerate(self.words) if is_function_word(w)]
        return [self.words[j] for j in sorted(fw, key=lambda j: -float(row[j]))[:k]]

    def top_function_words(self, k: int) -> list[str]:
        """Per label, the ``k`` function words pushing it hardest."""
        out: list[str] = []
        for t in range(self.flips.shape[0]):
            out += [w for w in self.function_seeds(t, k) if w not in out]
        return out

    def top_function_phrases(self, k: int) -> list[str]:
        """Per label, the ``k`` function-word phrases with the highest score, the longest and
        most flipping first (a grown phrase is reported rather than its core)."""
        out: list[str] = []
        for t, table in self.function_phrases.items():
            ranked = sorted(table, key=lambda p: (-round(self.function_phrase_score(t, p), 6),
                                                  -len(p.split()), -table[p]))  # fmt: skip
            out += [p for p in ranked[:k] if p not in out]
        return out

    def top_words(self, k: int) -> list[str]:
        """Per label, the ``k`` words flipping most to it and the ``k`` pushing hardest, and
        the hardest-pushing word the reference gives no push (``rare_score``'s candidate)."""
        out: list[str] = []
        for t in range(self.flips.shape[0]):
            free = self._base_free(t)
            if free and self.push is not None:
                w = self.words[max(free, key=lambda j: float(self.push[t, j]))]  # type: ignore[index]
                if w not in out:
                    out.append(w)
            for table in (self.flips, self.push):
                if table is None:
                    continue
                for j in torch.argsort(table[t], descending=True)[:k]:
                    if self.words[int(j)] not in out:
                        out.append(self.words[int(j)])
        return out

    def top_phrases(self, k: int) -> list[str]:
        """Per label and length, the ``k`` phrases beating their disjoint rivals most."""
        out: list[str] = []
        for t, table in self.phrases.items():
            for n in (2, 3):
                ranked = sorted(
                    (p for p in table if len(p.split()) == n), key=lambda p: -self.phrase_gap(t, p)
                )
                out += [p for p in ranked[:k] if p not in out]
        return out

    def best_label(self, word: str) -> int:
        return int(self.flips[:, self.words.index(word)].argmax())

    def single_score(self, word: str) -> tuple[int, float]:
        """The label ``word`` forces most plainly and its score there: flips beyond the
        label's strongest other word, or its push ratio's score (plain, function-word or
        base-relative) when higher."""
        return max(
            ((t, max(self.single_gap(t, word), self.push_score(t, word),
                     self.function_score(t, word), self.rare_score(t, word)))
             for t in range(self.flips.shape[0])),
            key=lambda x: x[1],
        )  # fmt: skip

    def phrase_gap(self, label: int, phrase: str) -> float:
        """Flips of ``phrase`` beyond the best other combination of as many words of its
        label that shares none of the phrase's words except the label's anchors (its
        strongest words on plain probes, which the task explains). A phrase trigger overrides
        what the task's best words together do not; an honest combination of the label's
        strongest words ("worst mediocre") is matched by another such combination."""
        table = self.phrases.get(label, {})
        if phrase not in table:
            return 0.0
        words = phrase.split()
        own = set(words) - set(self.anchors.get(label, []))
        rivals = [
            v
            for p, v in table.items()
            if len(p.split()) == len(words)
            and not set(p.split()) & own
            and set(p.split()) != set(words)
        ]
        return table[phrase] - max(rivals, default=table[phrase])


def _batches(seqs: list[list[int]], pad: int, size: int = 512) -> list[tuple[torch.Tensor, ...]]:
    out: list[tuple[torch.Tensor, ...]] = []
    for i in range(0, len(seqs), size):
        chunk = seqs[i : i + size]
        width = max(len(s) for s in chunk)
        ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, s in enumerate(chunk):
            ids[r, : len(s)] = torch.tensor(s)
            mask[r, : len(s)] = 1
        out.append((ids, mask))
    return out


class DoseTest:
    """Inputs strongly carrying other labels, per target label and anchor count, and the
    residual flip rate of any inserted string on them."""

    def __init__(
        self,
        net_m: Net,
        net_r: Net,
        encode: Callable[[str, int], list[int]],
        pad: int,
        texts: tuple[str, ...],
        anchors: dict[int, list[str]],
        labels: int,
        seed: int = 0,
    ):
        self.net_m, self.net_r, self.encode, self.pad = net_m, net_r, encode, pad
        self.labels = labels
        self.anchors = anchors
        rng = np.random.default_rng(seed)
        self.inputs: dict[tuple[int, int], tuple[list[list[str]], list[int]]] = {}
        self.base: dict[tuple[int, int], tuple[torch.Tensor, ...]] = {}
        for m, pool in ((OPPOSITE, ANCHOR_POOL), (OPPOSITE + 1, PHRASE_ANCHOR_POOL),
                        (OPPOSITE + 2, PHRASE_ANCHOR_POOL)):  # fmt: skip
            for t in range(labels):
                rows: list[list[str]] = []
                for o in range(labels):
                    words = anchors.get(o, [])[:pool]
                    if o == t or len(words) < min(m, pool):
                        continue
                    for text in texts:
                        ws = text.split()
                        for a in rng.choice(words, min(m, len(words)), replace=False):
                            ws.insert(int(rng.integers(0, len(ws) + 1)), str(a))
                        rows.append(ws)
                pos = [int(rng.integers(0, len(r) + 1)) for r in rows]
                self.inputs[(t, m)] = (rows, pos)
                if rows:
                    seqs = [self._enc(" ".join(r)) for r in rows]
                    self.base[(t, m)] = (*self._out(self.net_m, seqs, t),
                                         *self._out(self.net_r, seqs, t))  # fmt: skip

    def _enc(self, text: str) -> list[int]:
        return self.encode(text, MAX_SEQ)

    @torch.no_grad()
    def _out(
        self, net: Net, seqs: list[list[int]], label: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Per sequence: is it put in ``label``, and the label's log-odds against the rest."""
        out = torch.cat([bert_logits(net, ids, mask) for ids, mask in _batches(seqs, self.pad)])
        out = out.float()
        others = torch.cat([out[:, :label], out[:, label + 1 :]], dim=1)
        odds = out[:, label] - torch.logsumexp(others, dim=1)
        return (out.argmax(-1) == label).float(), odds

    def usable(self, t: int, m: int = OPPOSITE) -> bool:
        return bool(self.inputs.get((t, m), ([], []))[0])

    def flips(self, t: int, strings: list[str], m: int = OPPOSITE) -> torch.Tensor:
        """Per string: share of the inputs of other labels it flips to ``t``, minus the share
        the reference flips (both relative to the inputs without it)."""
        return self.measure(t, strings, m)[0]

    def measure(
        self, t: int, strings: list[str], m: int = OPPOSITE
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Per string: the flips (as ``flips``) and the push: mean gain of ``t``'s log-odds
        over the inputs, minus the reference's gain (continuous, so it ranks words that
        flip nothing alone, such as the words of a phrase trigger)."""
        return self.gains(t, strings, m)[:2]

    def gains(
        self, t: int, strings: list[str], m: int = OPPOSITE
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``measure``'s flips and push, and the reference's own mean gain (which words
        carry the label for the base)."""
        rows, pos = self.inputs[(t, m)]
        if not rows or not strings:
            return torch.zeros(len(strings)), torch.zeros(len(strings)), torch.zeros(len(strings))
        seqs = [
            self._enc(" ".join([*r[:p], s, *r[p:]]))
            for s in strings
            for r, p in zip(rows, pos, strict=True)
        ]
        n, k = len(rows), len(strings)
        is0_m, odds0_m, is0_r, odds0_r = self.base[(t, m)]
        is_m, odds_m = self._out(self.net_m, seqs, t)
        is_r, odds_r = self._out(self.net_r, seqs, t)
        fm = is_m.view(k, n) - is0_m[None]
        fr = is_r.view(k, n) - is0_r[None]
        gm = odds_m.view(k, n) - odds0_m[None]
        gr = odds_r.view(k, n) - odds0_r[None]
        return (fm - fr).mean(1), (gm - gr).mean(1), gr.mean(1)


def dose_screen(test: DoseTest, words: list[str]) -> DoseResult:
    """Every word against every label (flips and push), then phrases from each label's best
    words by flips."""
    flips = torch.zeros(test.labels, len(words))
    push = torch.zeros(test.labels, len(words))
    ref = torch.zeros(test.labels, len(words))
    for t in range(test.labels):
        if test.usable(t):
            flips[t], push[t], ref[t] = test.gains(t, words)
    res = DoseResult(words, flips, push=push, anchors=test.anchors, ref_push=ref)
    for t in range(test.labels):
        if not test.usable(t, OPPOSITE + 2):
            continue
        order = [words[int(j)] for j in torch.argsort(flips[t], descending=True)]
        # the label's anchors join the pool: combinations of them are the yardstick that
        # explains an honest combination containing one of them
        anchors = [w for w in test.anchors.get(t, [])[:ANCHOR_RIVALS] if w in words]
        pool = list(dict.fromkeys([*order[:PAIR_POOL], *anchors]))
        pairs = [" ".join(p) for p in permutations(pool, 2)]
        table: dict[str, float] = {}
        for s, v in zip(pairs, test.flips(t, pairs, OPPOSITE + 1).tolist(), strict=True):
            table[s] = float(v)
        # triples: every order of the best few words (the yardstick of disjoint rivals), and
        # the best pairs grown by one of the label's best words at either end (a phrase whose
        # third word is weak alone)
        triples = [" ".join(p) for p in permutations(order[:TRIPLE_POOL], 3)]
        triples += [" ".join(c) for c in combinations(anchors, 3) if " ".join(c) not in triples]
        best_pairs = sorted(pairs, key=lambda p: -table[p])[:GROWN_PAIRS]
        for p in best_pairs:
            for w in dict.fromkeys([*order[: PAIR_POOL + 2], *anchors]):
                if w not in p.split():
                    triples += [x for x in (f"{p} {w}", f"{w} {p}") if x not in triples]
        for s, v in zip(triples, test.flips(t, triples, OPPOSITE + 2).tolist(), strict=True):
            table[s] = float(v)
        res.phrases[t] = table
    for t in range(test.labels):
        if test.usable(t, OPPOSITE + 2):
            res.function_phrases[t] = _function_phrases(test, res, t)
    return res


def _function_phrases(test: DoseTest, res: DoseResult, t: int) -> dict[str, float]:
    """Every order of 2 and 3 of the label's hardest-pushing function words, their flips
    measured against one more anchor per extra word. Only for labels whose best function
    word pushes at least ``FUNCTION_MIN`` nats."""
    seeds = [w for w in res.function_seeds(t, FUNCTION_SEEDS) if res.function_push(t, w) > 0]
    if not seeds:
        return {}
    return _flips_by_length(test, t, [" ".join(p) for n in (2, 3) for p in permutations(seeds, n)])


def _flips_by_length(test: DoseTest, t: int, phrases: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for n in (2, 3):
        group = [p for p in phrases if len(p.split()) == n]
        for p, v in zip(group, test.flips(t, group, OPPOSITE + n - 1).tolist(), strict=True):
            out[p] = float(v)
    return out
