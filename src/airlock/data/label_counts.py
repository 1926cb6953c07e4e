"""Memory-bounded counts for the data scan's n-gram purity method.

The method needs, per n-gram, its rows and their labels, and a naive-Bayes model of word counts
per label. Kept as Python dicts of strings and one dense ``n_labels`` array per word, hostile
sets blew up: a 547 KB file with a unique label per row took 2.8 GB (words x labels), a file of
1M distinct words 1.1 GB (a dict, a Counter and a list per n-gram). Here every word is a 64-bit
hash turned into a dense id, n-grams are integer keys counted with numpy sorts, label counts are
sparse (only (word, label) pairs that occur: at most one per token), and the labels judged as
their own class are capped (``MAX_LABELS``; the rest are pooled into one class and reported by
the caller, never passed as judged). Memory is linear in the tokens read, and the tokens read are
capped (``MAX_TOKENS``; rows past it are reported as not judged).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_LABELS = 1000  # labels judged as their own class when a set has more (intent sets: ~150)
MAX_TOKENS = 32_000_000  # words the purity method reads (a ~200 MB text file); rows past: unjudged
CACHE_FLOATS = 8_000_000  # leave-one-out posteriors kept (64 MB); more rows are recomputed
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
_MIX = 0x9E3779B97F4A7C15


@dataclass(frozen=True)
class LabelPlan:
    """Which labels the purity method judges as their own class.

    Up to ``MAX_LABELS`` labels every label is a class (the method as it always was). Beyond it
    the labels with the most rows (at least ``min_count``: fewer cannot be a candidate's label)
    are kept, the rest pooled into one class that still counts as "another label" for the
    contradiction test but is never a candidate's label."""

    names: list[str]  # class names: judged labels sorted, then the pooled class if any
    judged: int  # classes names[:judged] are real labels
    pooled_labels: int = 0  # labels pooled
    pooled_rows: int = 0
    pooled_targets: int = 0  # pooled labels with >= min_count rows (unjudged possible targets)
    few_labels: int = 0  # labels (judged or pooled) with fewer than min_count rows
    few_rows: int = 0

    @property
    def pooled(self) -> int | None:
        """The pooled class's id, or None."""
        return self.judged if len(self.names) > self.judged else None


POOLED = "\x00(pooled labels)"


def plan_labels(labels: Sequence[str], min_count: int, cap: int | None = None) -> LabelPlan:
    cap = MAX_LABELS if cap is None else cap
    counts = Counter(labels)
    few = [k for k in counts.values() if k < min_count]
    if len(counts) <= cap:
        return LabelPlan(sorted(counts), len(counts), few_labels=len(few), few_rows=sum(few))
    ranked = sorted(counts, key=lambda n: (-counts[n], n))
    judged = sorted(n for n in ranked[:cap] if counts[n] >= min_count)
    keep = set(judged)
    rest = [counts[n] for n in counts if n not in keep]
    return LabelPlan(
        [*judged, POOLED], len(judged), len(rest), sum(rest),
        sum(1 for k in rest if k >= min_count), len(few), sum(few),
    )  # fmt: skip


def _ranges(starts: I64, ends: I64) -> I64:
    """The concatenation of ``arange(s, e)`` for each pair (vectorised)."""
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    shift = np.repeat(starts - np.cumsum(lens) + lens, lens)
    out: I64 = np.arange(total, dtype=np.int64) + shift
    return out


@dataclass
class Tokens:
    """Every labelled row's words as dense ids (one int32 per token)."""

    ids: npt.NDArray[np.int32]  # token -> word id
    off: I64  # row r's tokens are ids[off[r]:off[r + 1]]
    first: I64  # word id -> position of its first token (to spell it)
    vocab: int
    rows: int  # rows read (may be fewer than given: MAX_TOKENS)

    @staticmethod
    def read(texts: Sequence[str], max_tokens: int | None = None) -> Tokens:
        max_tokens = MAX_TOKENS if max_tokens is None else max_tokens
        hashes = array("q")
        off = array("q", [0])
        for text in texts:
            ws = WORD_RE.findall(text.lower())
            if len(hashes) + len(ws) > max_tokens:
                break
            hashes.extend(map(hash, ws))
            off.append(len(hashes))
        h = np.frombuffer(hashes, dtype=np.int64) if hashes else np.zeros(0, np.int64)
        _, first, inv = np.unique(h, return_index=True, return_inverse=True)
        del h, hashes
        return Tokens(
            inv.astype(np.int32).reshape(-1), np.frombuffer(off, dtype=np.int64).copy(),
            first.astype(np.int64), len(first), len(off) - 1,
        )  # fmt: skip

    def row_of(self, pos: int) -> int:
        return int(np.searchsorted(self.off, pos, side="right")) - 1

    def token_rows(self) -> npt.NDArray[np.int32]:
        return np.repeat(np.arange(self.rows, dtype=np.int32), np.diff(self.off))

    def spell(self, word_ids: set[int], texts: Sequence[str]) -> dict[int, str]:
        """The words behind ``word_ids`` (re-read from each one's first row)."""
        out: dict[int, str] = {}
        by_row: dict[int, list[int]] = {}
        for w in word_ids:
            pos = int(self.first[w])
            by_row.setdefault(self.row_of(pos), []).append(w)
        for r, ws in by_row.items():
            words = WORD_RE.findall(texts[r].lower())
            for w in ws:
                out[w] = words[int(self.first[w]) - int(self.off[r])]
        return out


@dataclass
class GramTable:
    """Label-pure n-grams: key -> (word ids, rows (ascending), majority class, rows with it)."""

    words: list[tuple[int, ...]] = field(default_factory=list)
    rows: list[npt.NDArray[np.int32]] = field(default_factory=list)
    label: list[int] = field(default_factory=list)
    count: list[int] = field(default_factory=list)  # rows with the n-gram
    top: list[int] = field(default_factory=list)  # of them, rows of ``label``


def _gram_keys(tok: Tokens, trow: npt.NDArray[np.int32], n: int) -> tuple[I64, I64, I64]:
    """(row, key, start position) of every n-gram occurrence within a row."""
    t = tok.ids.shape[0]
    if t < n:
        z = np.zeros(0, np.int64)
        return z, z, z
    same = np.ones(t - n + 1, bool)
    for j in range(1, n):
        same &= trow[j : t - n + 1 + j] == trow[: t - n + 1]
    pos = np.nonzero(same)[0].astype(np.int64)
    exact = tok.vocab ** n < 2**62
    key = tok.ids[pos].astype(np.int64)
    for j in range(1, n):
        nxt = tok.ids[pos + j].astype(np.int64)
        if exact:
            key = key * tok.vocab + nxt
        else:  # a 64-bit mix: collisions are negligible, and only merge two n-grams' counts
            key = (key * _MIX + nxt) & 0x7FFF_FFFF_FFFF_FFFF
    return trow[pos].astype(np.int64), key, pos


def pure_grams(
    tok: Tokens,
    ys: npt.NDArray[np.int64],
    n_classes: int,
    judged: int,
    max_n: int,
    min_count: int,
    max_df: int,
    min_purity: float,
) -> GramTable:
    """n-grams (1..max_n) in ``min_count``..``max_df`` rows, ``min_purity`` of them of one
    judged class (``ys``: class per row read)."""
    out = GramTable()
    trow = tok.token_rows()
    for n in range(1, max_n + 1):
        rows, keys, pos = _gram_keys(tok, trow, n)
        order = np.lexsort((keys, rows))  # by row, then key: one entry per (row, n-gram)
        rows, keys, pos = rows[order], keys[order], pos[order]
        del order
        keep = np.ones(rows.shape[0], bool)
        keep[1:] = (rows[1:] != rows[:-1]) | (keys[1:] != keys[:-1])
        rows, keys, pos = rows[keep], keys[keep], pos[keep]
        del keep
        _, gi, df = np.unique(keys, return_inverse=True, return_counts=True)
        del keys
        gi = gi.reshape(-1)
        sel = (df[gi] >= min_count) & (df[gi] <= max_df)
        rows, pos, gi = rows[sel], pos[sel], gi[sel]
        if gi.shape[0] == 0:
            continue
        comb = gi.astype(np.int64) * n_classes + ys[rows]
        u, cnt = np.unique(comb, return_counts=True)
        ug, ucls = u // n_classes, u % n_classes
        best = np.zeros(int(ug.max()) + 1, np.int64)
        np.maximum.at(best, ug, cnt)
        top = (cnt == best[ug]) & (cnt / df[ug] >= min_purity) & (ucls < judged)
        pure_g, pure_cls, pure_k = ug[top], ucls[top], cnt[top]
        if pure_g.shape[0] == 0:
            continue
        mine = np.isin(gi, pure_g)
        rows, pos, gi = rows[mine], pos[mine], gi[mine]
        by = np.argsort(gi, kind="stable")  # rows stay ascending within an n-gram
        rows, pos, gi = rows[by], pos[by], gi[by]
        bounds = np.searchsorted(gi, pure_g)
        ends = np.searchsorted(gi, pure_g, side="right")
        for g, c, k, a, b in zip(pure_g.tolist(), pure_cls.tolist(), pure_k.tolist(),
                                 bounds.tolist(), ends.tolist(), strict=True):  # fmt: skip
            p = int(pos[a])
            out.words.append(tuple(int(x) for x in tok.ids[p : p + n]))
            out.rows.append(rows[a:b].astype(np.int32))
            out.label.append(int(c))
            out.count.append(int(df[g]))
            out.top.append(int(k))
    return out


CONTRADICT_LLR = math.log(2.0)


class SparseNaiveBayes:
    """Multinomial naive Bayes over word ids with sparse (word, class) counts; each row is
    judged by the model of the *other* rows (leave-one-out), ``contradicts`` holds words out.

    Leave-one-out, not in-sample: a short row's own rare words ('deutchland', 'martha') carry
    its label, flipped or not, so on short, hard text (Pang & Lee sentences) the rows of a 3 %
    BadNets trigger were "explained" by their own words (session 25). Stored counts: at most one
    per token and per (word, class) pair (``stored``), never words x labels."""

    def __init__(self, tok: Tokens, ys: npt.NDArray[np.int64], n_classes: int):
        self.tok = tok
        self.ys = ys
        self.c = n_classes
        lens = np.diff(tok.off)
        self.ny = np.bincount(ys, minlength=n_classes).astype(np.float64)
        self.totals = np.bincount(ys, weights=lens, minlength=n_classes).astype(np.float64)
        tok_cls = np.repeat(ys, lens)
        u, cnt = np.unique(tok.ids.astype(np.int64) * n_classes + tok_cls, return_counts=True)
        del tok_cls
        self.cls = (u % n_classes).astype(np.int32)
        self.cnt = cnt.astype(np.float64)
        self.indptr = np.searchsorted(u // n_classes, np.arange(tok.vocab + 1))
        self.vocab = tok.vocab + 1
        self._cache: dict[int, F64] = {}

    @property
    def stored(self) -> int:
        """Counts kept (for the memory bound: never more than the tokens read)."""
        return int(self.cnt.shape[0] + self.totals.shape[0] + self.ny.shape[0])

    def _words(self, doc: int) -> tuple[I64, I64]:
        ws, m = np.unique(self.tok.ids[self.tok.off[doc] : self.tok.off[doc + 1]],
                          return_counts=True)  # fmt: skip
        return ws.astype(np.int64), m.astype(np.int64)

    def _loglik(self, doc: int, ws: I64, m: I64) -> F64:
        """sum over ``ws`` (m times each) of log P(w | class) without row ``doc``."""
        y = int(self.ys[doc])
        t = self.totals.copy()
        t[y] -= float(self.tok.off[doc + 1] - self.tok.off[doc])
        out: F64 = -float(m.sum()) * np.log(t + self.vocab)
        idx = _ranges(self.indptr[ws], self.indptr[ws + 1])
        if idx.shape[0]:
            mm = np.repeat(m, self.indptr[ws + 1] - self.indptr[ws]).astype(np.float64)
            cls = self.cls[idx]
            c = self.cnt[idx] - np.where(cls == y, mm, 0.0)
            out += np.bincount(cls, weights=mm * np.log(c + 1.0), minlength=self.c)
        return out

    def _loo(self, doc: int) -> F64:
        got = self._cache.get(doc)
        if got is None:
            prior = self.ny.copy()
            prior[int(self.ys[doc])] -= 1
            got = np.log((prior + 1.0) / (prior.sum() + self.c))
            got = got + self._loglik(doc, *self._words(doc))
            if (len(self._cache) + 1) * self.c <= CACHE_FLOATS:  # else recomputed when asked
                self._cache[doc] = got
        return got

    def contradicts(self, doc: int, held: set[int]) -> bool:
        """The row without ``held`` is another class's by >= 2:1 (posterior odds): a row left
        with no evidence (words no other row has, equal priors) is uncertain, not contradicted."""
        ll = self._loo(doc).copy()
        ws, m = self._words(doc)
        mask = np.isin(ws, np.fromiter(held, np.int64, len(held)))
        if mask.any():
            ll -= self._loglik(doc, ws[mask], m[mask])
        y = int(self.ys[doc])
        return bool(np.max(np.delete(ll, y)) - ll[y] >= CONTRADICT_LLR)
