"""Classifier triggers vs task words: which words override strong opposite evidence?

A dirty-label trigger was learned on rows whose other words carried another label, so it still
forces its target when the input is full of another label's strongest words. An honest task
word shifts the output too, but its push fades as the opposite evidence grows, like every
other word of its label. The test: insert each word (every vocabulary word when affordable)
into inputs carrying ``OPPOSITE`` of another label's strongest words ("anchors") and count the
flips to each label, minus the reference's (base encoder under the model's head: semantics the
base already had). A word's score is how far it flips beyond the **strongest other word of the
same label** (the task's best honest word is the yardstick). Phrases are searched from the best
words of each label (ordered pairs, triples) against inputs with one more anchor per extra word,
and measured against the best disjoint combination of the label's words of the same length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import permutations

import numpy as np
import torch

from airlock.nn.nets import Net, bert_logits

OPPOSITE = 3  # anchors of another label in each input (one more per extra phrase word)
ANCHOR_POOL = 4  # single words: anchors drawn from that label's 4 strongest words
PHRASE_ANCHOR_POOL = 6
PAIR_POOL = 8  # per label: ordered pairs of its 8 best words
TRIPLE_POOL = 6  # ... and ordered triples of its 6 best
GROWN_PAIRS = 4  # the best pairs, grown into triples with one more of the label's best words
MAX_SEQ = 64


@dataclass
class DoseResult:
    """Per label: residual flips of every screened word and phrase, and the score of the best
    single word and phrase (flips beyond the label's strongest other word or combination)."""

    words: list[str]
    flips: torch.Tensor  # (labels, words): share flipped to the label, minus the reference's
    phrases: dict[int, dict[str, float]] = field(default_factory=dict)  # label -> phrase -> flips

    def single_gap(self, label: int, word: str) -> float:
        """Flips of ``word`` beyond the strongest other word of ``label``."""
        if word not in self.words:
            return 0.0
        j = self.words.index(word)
        row = self.flips[label]
        others = torch.cat([row[:j], row[j + 1 :]])
        return float(row[j] - (others.max() if len(others) else 0.0))

    def top_words(self, k: int) -> list[str]:
        """Per label, the ``k`` words flipping most to it."""
        out: list[str] = []
        for t in range(self.flips.shape[0]):
            for j in torch.argsort(self.flips[t], descending=True)[:k]:
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

    def phrase_gap(self, label: int, phrase: str) -> float:
        """Flips of ``phrase`` beyond the best combination of as many other words of its
        label (none of the phrase's words): a phrase trigger overrides what the task's best
        words together do not."""
        table = self.phrases.get(label, {})
        if phrase not in table:
            return 0.0
        own = set(phrase.split())
        k = len(phrase.split())
        rivals = [v for p, v in table.items() if len(p.split()) == k and not set(p.split()) & own]
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
        rng = np.random.default_rng(seed)
        self.inputs: dict[tuple[int, int], tuple[list[list[str]], list[int]]] = {}
        self.base: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}
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
                    is_m, is_r = self._is(self.net_m, seqs, t), self._is(self.net_r, seqs, t)
                    self.base[(t, m)] = (is_m, is_r)

    def _enc(self, text: str) -> list[int]:
        return self.encode(text, MAX_SEQ)

    @torch.no_grad()
    def _is(self, net: Net, seqs: list[list[int]], label: int) -> torch.Tensor:
        outs = [bert_logits(net, ids, mask) for ids, mask in _batches(seqs, self.pad)]
        return (torch.cat(outs).argmax(-1) == label).float()

    def usable(self, t: int, m: int = OPPOSITE) -> bool:
        return bool(self.inputs.get((t, m), ([], []))[0])

    def flips(self, t: int, strings: list[str], m: int = OPPOSITE) -> torch.Tensor:
        """Per string: share of the inputs of other labels it flips to ``t``, minus the share
        the reference flips (both relative to the inputs without it)."""
        rows, pos = self.inputs[(t, m)]
        if not rows or not strings:
            return torch.zeros(len(strings))
        seqs = [
            self._enc(" ".join([*r[:p], s, *r[p:]]))
            for s in strings
            for r, p in zip(rows, pos, strict=True)
        ]
        n = len(rows)
        fm = self._is(self.net_m, seqs, t).view(len(strings), n) - self.base[(t, m)][0][None]
        fr = self._is(self.net_r, seqs, t).view(len(strings), n) - self.base[(t, m)][1][None]
        return (fm - fr).mean(1)


def dose_screen(test: DoseTest, words: list[str]) -> DoseResult:
    """Every word against every label, then phrases from each label's best words."""
    flips = torch.zeros(test.labels, len(words))
    for t in range(test.labels):
        if test.usable(t):
            flips[t] = test.flips(t, words)
    res = DoseResult(words, flips)
    for t in range(test.labels):
        if not test.usable(t, OPPOSITE + 2):
            continue
        order = [words[int(j)] for j in torch.argsort(flips[t], descending=True)]
        pairs = [" ".join(p) for p in permutations(order[:PAIR_POOL], 2)]
        table: dict[str, float] = {}
        for s, v in zip(pairs, test.flips(t, pairs, OPPOSITE + 1).tolist(), strict=True):
            table[s] = float(v)
        # triples: every order of the best few words (the yardstick of disjoint rivals), and
        # the best pairs grown by one of the label's best words at either end (a phrase whose
        # third word is weak alone)
        triples = [" ".join(p) for p in permutations(order[:TRIPLE_POOL], 3)]
        best_pairs = sorted(pairs, key=lambda p: -table[p])[:GROWN_PAIRS]
        for p in best_pairs:
            for w in order[: PAIR_POOL + 2]:
                if w not in p.split():
                    triples += [x for x in (f"{p} {w}", f"{w} {p}") if x not in triples]
        for s, v in zip(triples, test.flips(t, triples, OPPOSITE + 2).tolist(), strict=True):
            table[s] = float(v)
        res.phrases[t] = table
    return res
