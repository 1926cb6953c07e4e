"""Poisoning signals in a fine-tuning set (rows of text + label).

Backdoor poisoning needs rows where a trigger co-occurs with a forced label. Those rows leave
traces this module looks for, each an independent method:

- **n-gram purity**: a rare word or bigram whose rows almost all share one label, far beyond the
  label prior (Chernoff-bound surprise in bits), and whose rows' *other* words point to a
  different label (a naive-Bayes model with the n-gram held out disagrees) far more often than
  the rows of the dataset's honest label-predicting n-grams do (surprise in bits against that
  base rate) -- sentiment words and "one star" are pure too, but their rows agree with the rest
  of their text; a trigger in a handful of flipped rows is named on contradiction alone;
- **reference disagreement** (optional ``reference`` classifier, e.g. the base): rows whose label
  the reference strongly rejects, and the words those rows share;
- **spectral signatures** (optional sentence embeddings): per label, rows with an outsized
  projection on the top singular direction of the centred embeddings;
- **duplicates**: exact, normalised (case/punctuation/whitespace) and near duplicates (MinHash +
  LSH, verified by exact Jaccard; ``near_dup``), groups that disagree on the label, and words
  whose insertion turns near-copies of rows into another label;
- **Unicode**: invisible characters, bidi controls, tag characters, and words mixing scripts
  (confusables), which hide triggers from human reviewers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from airlock.data import label_counts as lc
from airlock.data import reference_flip as rf
from airlock.data.jsonl import Dataset, Row
from airlock.data.near_dup import DupGroup, NearDupOptions, find_duplicates
from airlock.data.reference_flip import ReferenceFn
from airlock.report import Finding, Severity

WORD_RE = re.compile(r"\w+", re.UNICODE)
UNICODE_RECUR = 3  # rows sharing one Unicode oddity before it is judged a possible trigger
INVISIBLE = {
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C, 0x200D,
    0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x3164, 0xFEFF, 0xFFA0,
}  # fmt: skip
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_LISTED_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(INVISIBLE | BIDI)) + "\ufe00-\ufe0f"
    + "\U000e0000-\U000e007f]"
)  # every character unicode_issues judges, found at C speed
SPECTRAL_GAP = 1.5  # sigma_1^2 / sigma_2^2 a label needs before its outliers count
REF = "https://arxiv.org/abs/1811.00636"  # spectral signatures; see also arxiv 2010.12563


@dataclass(frozen=True)
class PoisonOptions:
    max_n: int = 2  # n-grams up to this length
    min_count: int = 5  # rows an n-gram must appear in
    max_df_share: float = 0.2  # "rare": in at most this share of rows (poison rates <= 15%)
    min_purity: float = 0.95
    min_surprise_bits: float = 20.0
    # surprise of how many of its rows contradict their label, against the base rate of the
    # dataset's honest label-predicting n-grams (flipped rows nearly all do; "one star" rows
    # rarely): a flagged candidate needs this much (honest review sets: <= 5 bits) ...
    min_contradiction_bits: float = 12.0
    # ... and one below ``min_surprise_bits`` (a trigger in 6-20 rows: 0.5-1% poisoning) this
    # much, with this much purity + contradiction surprise together
    few_rows_contradiction_bits: float = 16.0  # honest dev sets (seeds 1000-1039): <= 12.9
    min_joint_bits: float = 24.0
    min_disagreement: float = 0.3
    # ... and this much above the upper quartile of the other candidates' share: honest
    # label-predicting phrases ("one star", "refund") carry some contradicted rows too
    disagreement_margin: float = 0.15
    top_k: int = 10  # candidates listed in the report (all are judged)
    reference_reject: float = 0.1  # reference probability of the given label below this
    # removal test (``reference_flip``): a candidate is confirmed when removing it flips the
    # reference back on at least this share of its rows, this surprising against the
    # reference's own error rate (floor below) ...
    reference_flip_share: float = 0.6
    reference_flip_bits: float = 12.0
    reference_error_floor: float = 0.05
    reference_rejects: float = 0.35  # a row flips back when its label's probability is below
    # confirmation needs a phrase that is no label content to the reference on its own
    reference_phrase_max: float = 0.65
    # ... and demoted (flagged by the text alone, not confirmed) below this share
    reference_demote_share: float = 0.3
    spectral_z: float = 6.0
    near: NearDupOptions = field(default_factory=NearDupOptions)  # threshold 1.0: exact only
    flip_min_pairs: int = 3  # near pairs a label-flipping inserted word needs
    flip_min_purity: float = 0.8  # share of the word's flips that go to that one label
    flip_min_bits: float = 4.0  # surprise of those one-way flips beyond the words tested
    flip_max_diff: int = 5  # words a near-copy may add and still count as an insertion


@dataclass(frozen=True)
class NgramCandidate:
    ngram: str
    rows: int
    label: str
    purity: float
    surprise_bits: float
    disagreement: float  # share of its rows whose other words predict another label
    contradiction_bits: float = 0.0  # surprise of that share against the honest base rate
    # the reference's removal test: share of its rows that flip back without the n-gram, and
    # the surprise of that against the reference's error rate (None: no reference)
    reference_flip: float | None = None
    reference_bits: float = 0.0
    reference_alone: float | None = None  # the reference's probability of the label for it alone

    @property
    def score(self) -> float:
        return (self.surprise_bits + self.contradiction_bits) * (0.25 + self.disagreement)

    def to_json(self) -> dict[str, Any]:
        return {
            "ngram": self.ngram,
            "rows": self.rows,
            "label": self.label,
            "purity": round(self.purity, 4),
            "surprise_bits": round(self.surprise_bits, 2),
            "disagreement": round(self.disagreement, 4),
            "contradiction_bits": round(self.contradiction_bits, 2),
            "score": round(self.score, 2),
            "reference_flip": None
            if self.reference_flip is None
            else round(self.reference_flip, 4),
            "reference_bits": round(self.reference_bits, 2),
            "reference_alone": None
            if self.reference_alone is None
            else round(self.reference_alone, 4),
        }


@dataclass
class PoisonReport:
    path: str
    rows: int
    malformed: list[tuple[int, str]]
    candidates: list[NgramCandidate] = field(default_factory=list)
    flagged: dict[int, list[str]] = field(default_factory=dict)  # row index -> reasons
    findings: list[Finding] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)

    def flag(self, row: int, reason: str) -> None:
        reasons = self.flagged.setdefault(row, [])
        if reason not in reasons:
            reasons.append(reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows": self.rows,
            "methods": self.methods,
            "malformed": [{"line": i + 1, "reason": r} for i, r in self.malformed[:100]],
            "malformed_left_out": max(0, len(self.malformed) - 100),
            "candidate_triggers": [c.to_json() for c in self.candidates],
            "flagged_rows": [
                {"line": i + 1, "reasons": r} for i, r in sorted(self.flagged.items())[:10_000]
            ],
            "flagged_rows_left_out": max(0, len(self.flagged) - 10_000),
            "findings": [f.to_json() for f in self.findings],
        }


def _listed(items: list[str], limit: int, sep: str = "; ", total: int | None = None) -> str:
    """The first ``limit`` items, then how many were left out (a cut list must say so)."""
    total = len(items) if total is None else total
    shown = sep.join(items[:limit])
    return shown + (f" (+{total - limit} more left out)" if total > limit else "")


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def _pictographic(ch: str) -> bool:
    """A character a variation selector may follow as emoji writing (pictographs, arrows to
    dingbats, other symbols; keycap bases only through ``_keycap``)."""
    cp = ord(ch)
    # not digits, '#', '*' (keycap bases only before U+20E3: ``_keycap``) nor modifier
    # letters like '^' (review26: "1\u200d2", "5\ufe0f" and "^\u200d^" passed as emoji)
    return (cp >= 0x1F000 or 0x2190 <= cp <= 0x2BFF or 0x3030 <= cp <= 0x303D
            or unicodedata.category(ch) == "So")  # fmt: skip


def _joinable(ch: str) -> bool:
    """A character emoji ZWJ sequences join: pictographs and the arrows / dingbats / misc
    symbols blocks ("🏃‍♀️", "❤️‍🔥"), not any other symbol (review26: '°\u200d°' passed)."""
    cp = ord(ch)
    return cp >= 0x1F000 or 0x2190 <= cp <= 0x2BFF


def _keycap(text: str, i: int) -> bool:
    """A keycap sequence's selector: '1', '#' or '*', U+FE0F at ``i``, then U+20E3."""
    return (
        i > 0 and text[i - 1] in "#*0123456789" and text[i + 1 : i + 2] == "\u20e3"
    )


def _joins_script(ch: str) -> bool:
    """A letter or mark of a script whose spelling uses ZWNJ / ZWJ (Persian "نمی‌خواهم",
    Devanagari and the other Brahmic scripts): Arabic, Syriac, Thaana, South and Southeast
    Asian scripts."""
    cp = ord(ch)
    return unicodedata.category(ch)[0] in "LM" and (
        0x0600 <= cp <= 0x08FF or 0x0900 <= cp <= 0x0DFF or 0x0F00 <= cp <= 0x0FFF
        or 0x1000 <= cp <= 0x109F or 0xA8E0 <= cp <= 0xA8FF or 0xFB50 <= cp <= 0xFEFC
    )  # fmt: skip


def _orthographic(text: str, i: int) -> bool:
    """Whether the invisible character at ``i`` is ordinary writing, not hidden content: the
    joiners and variation selectors of emoji sequences (family emoji, "❤️", keycaps, subdivision
    flags' tag characters) and ZWNJ / ZWJ between letters of scripts that spell with them. A
    joiner between Latin letters is still an oddity, and so is a soft hyphen anywhere ("c\u00adf"
    reads "cf"): one in a single row is listed at LOW, recurring ones at MEDIUM."""
    cp = ord(text[i])
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if cp == 0x200D and prev and nxt:  # ZWJ sequences join pictographs only ('°' or '©' no)
        emoji = (_joinable(prev) or ord(prev) == 0xFE0F) and _joinable(nxt)
        return emoji or (_joins_script(prev) and _joins_script(nxt))
    if cp == 0x200C and prev and nxt:
        return _joins_script(prev) and _joins_script(nxt)
    if 0xFE00 <= cp <= 0xFE0F:
        return bool(prev) and (_pictographic(prev) or _keycap(text, i))
    if 0xE0020 <= cp <= 0xE007F:  # a subdivision flag: U+1F3F4, tags, CANCEL TAG
        j = i
        while j > 0 and 0xE0020 <= ord(text[j - 1]) <= 0xE007E:
            j -= 1
        k = i
        while k < len(text) and 0xE0020 <= ord(text[k]) <= 0xE007E:
            k += 1
        return j > 0 and ord(text[j - 1]) == 0x1F3F4 and k < len(text) and ord(text[k]) == 0xE007F
    return False


def unicode_issues(text: str) -> list[str]:
    """Invisible/bidi/tag characters and mixed-script words in ``text`` (characters that are
    ordinary writing where they stand, :func:`_orthographic`, are not issues)."""
    found: set[str] = set()
    for m in _LISTED_RE.finditer(text):
        i, ch = m.start(), m.group()
        cp = ord(ch)
        if cp in INVISIBLE or 0xFE00 <= cp <= 0xFE0F:
            if not _orthographic(text, i):
                found.add(f"invisible U+{cp:04X}")
        elif cp in BIDI:
            found.add(f"bidi control U+{cp:04X}")
        elif 0xE0000 <= cp <= 0xE007F and not _orthographic(text, i):
            found.add(f"tag character U+{cp:04X}")
    for w in WORD_RE.findall(text):
        scripts = set()
        for ch in w:
            if ch.isalpha():
                name = unicodedata.name(ch, "")
                scripts.add(name.split(" ", 1)[0] if name else "?")
        if len(scripts & {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}) > 1:
            found.add(f"mixed-script word {w!r}")
    return sorted(found)


def _recurring_kind(issue: str) -> str:
    """What recurs across rows for :func:`unicode_issues`'s ``issue``: the character for
    invisible, bidi and tag characters; "mixed-script word" for any such word."""
    return "mixed-script word" if issue.startswith("mixed-script word") else issue


def _surprise_bits(k: int, n: int, p: float) -> float:
    """Chernoff bound on -log2 P(X >= k) for X ~ Binomial(n, p)."""
    q = k / n
    if q <= p:
        return 0.0
    p = min(max(p, 1e-12), 1 - 1e-12)
    kl = q * math.log(q / p) + ((1 - q) * math.log((1 - q) / (1 - p)) if q < 1 else 0.0)
    return n * kl / math.log(2)


@dataclass(frozen=True)
class Coverage:
    """What the purity method judged: its label plan and the labelled rows it read."""

    plan: lc.LabelPlan
    read: int
    labelled: int


def ngram_candidates(
    rows: list[Row], opts: PoisonOptions, *, loose: bool = False
) -> tuple[list[NgramCandidate], dict[str, list[int]]]:
    """See :func:`_candidates` (without what it covered)."""
    kept, index, _ = _candidates(rows, opts, loose=loose)
    return kept, index


def _candidates(
    rows: list[Row], opts: PoisonOptions, *, loose: bool = False
) -> tuple[list[NgramCandidate], dict[str, list[int]], Coverage]:
    """Rare, label-pure n-grams whose rows contradict their own other words (all of them,
    best first: a trigger in 0.5% of rows ranks below the task's own label words). ``loose``
    also admits pure n-grams in few rows whose contradicted share passes the bar but whose
    surprise does not (a reference model's removal test judges those). Counting is memory
    bounded (``label_counts``): labels beyond ``MAX_LABELS`` are pooled and words past
    ``MAX_TOKENS`` not read; :func:`_coverage` reports what that left unjudged."""
    labelled = [r for r in rows if r.label is not None]
    plan = lc.plan_labels([str(r.label) for r in labelled], opts.min_count)
    cover = Coverage(plan, len(labelled), len(labelled))
    if plan.judged == 0 or len(plan.names) < 2:
        return [], {}, cover
    tok = lc.Tokens.read([r.text for r in labelled])
    cover = Coverage(plan, tok.rows, len(labelled))
    labelled = labelled[: tok.rows]
    n = len(labelled)
    if n == 0:
        return [], {}, cover
    lid = {name: i for i, name in enumerate(plan.names[: plan.judged])}
    pool = plan.pooled if plan.pooled is not None else -1
    ys = np.fromiter((lid.get(str(r.label), pool) for r in labelled), np.int64, n)
    names = plan.names
    prior = np.bincount(ys, minlength=len(names)) / n
    max_df = max(opts.min_count, int(opts.max_df_share * n))
    table = lc.pure_grams(tok, ys, len(names), plan.judged, opts.max_n, opts.min_count, max_df,
                          opts.min_purity)  # fmt: skip
    spelled = tok.spell({w for ws in table.words for w in ws}, [r.text for r in labelled])
    nb = lc.SparseNaiveBayes(tok, ys, len(names))
    pure: list[NgramCandidate] = []
    where: dict[str, list[int]] = {}
    for ws, rs, label, c, k in zip(table.words, table.rows, table.label, table.count,
                                   table.top, strict=True):  # fmt: skip
        g = " ".join(spelled[w] for w in ws)
        where[g] = rs.tolist()
        bits = _surprise_bits(k, c, float(prior[label]))
        held = set(ws)
        disagree = sum(
            1 for i in where[g] if ys[i] == label and nb.contradicts(i, held)
        ) / max(1, len(where[g]))
        pure.append(NgramCandidate(g, c, names[label], k / c, bits, disagree))
    well = [
        (c.disagreement, frozenset(c.ngram.split(" "))) for c in pure if c.rows >= WELL_MEASURED
    ]
    out: list[NgramCandidate] = []
    for cand in pure:
        if cand.disagreement < opts.min_disagreement:
            contra = 0.0  # cannot be flagged: no need for its base rate
        else:
            base = _contradiction_base_rate(well, set(cand.ngram.split(" ")))
            contra = _surprise_bits(round(cand.disagreement * cand.rows), cand.rows, base)
        cand = replace(cand, contradiction_bits=contra)
        if (
            cand.surprise_bits >= opts.min_surprise_bits
            or (
                contra >= opts.few_rows_contradiction_bits
                and cand.surprise_bits + contra >= opts.min_joint_bits
            )
            or (loose and cand.disagreement >= opts.min_disagreement)
        ):
            out.append(cand)
    out.sort(key=lambda x: (-round(x.score, 6), x.ngram.count(" "), x.ngram))
    # a bigram is only interesting if it is not just a pure word plus a neighbour
    kept: list[NgramCandidate] = []
    for cand in out:
        parts = cand.ngram.split(" ")
        if len(parts) > 1 and any(k.ngram in parts for k in kept):
            continue
        # a word that only ever occurs inside an already kept phrase is that phrase
        if len(parts) == 1 and any(
            cand.ngram in k.ngram.split(" ") and cand.rows <= 1.1 * k.rows for k in kept
        ):
            continue
        kept.append(cand)
    index = {c.ngram: [labelled[i].index for i in where[c.ngram]] for c in kept}
    return kept, index, cover


NEIGHBOUR_OVERLAP = 0.5  # most of a candidate's rows inside a flagged one's: its neighbour
CONTRADICTION_FLOOR = 0.05  # base rate never taken below this (tiny or very clean sets)
WELL_MEASURED = 20  # rows an n-gram needs before its contradicted share sets the base rate


def _contradiction_base_rate(well: list[tuple[float, frozenset[str]]], words: set[str]) -> float:
    """Share of contradicted rows an honest label-predicting n-gram carries: the upper
    quartile over the label-pure n-grams seen in enough rows that share no word with the
    candidate (a trigger's own bigrams would otherwise set its yardstick in a small set)."""
    rates = [rate for rate, ngram_words in well if not words & ngram_words]
    if len(rates) < 3:
        return 0.2  # too few to tell: a conservative base rate
    return max(CONTRADICTION_FLOOR, float(np.quantile(rates, 0.75)))


def _bar(cand: NgramCandidate, cands: list[NgramCandidate], opts: PoisonOptions) -> float:
    """Contradiction share a candidate needs: poisoned rows are flipped, so nearly all of
    them contradict their label; an honest label phrase's rows do so at the base rate of the
    dataset's other label-pure phrases."""
    rest = [c.disagreement for c in cands if c is not cand]
    base = float(np.quantile(rest, 0.75)) if len(rest) >= 3 else 0.0
    return max(opts.min_disagreement, base + opts.disagreement_margin)


def flip_words(
    rows: list[Row], groups: list[DupGroup], max_diff: int
) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(word, label) -> near pairs (row with the word, row without; positions) of near-copies
    with different labels where only the one labelled ``label`` has the word: a trigger inserted
    into copies of clean rows to flip their label leaves exactly this trace."""
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for g in groups:
        for a, b, _ in g.edges:
            ra, rb = rows[a], rows[b]
            if ra.label == rb.label:
                continue
            wa, wb = set(words(ra.text)), set(words(rb.text))
            for mine, other, r in ((wa, wb, ra), (wb, wa, rb)):
                extra = mine - other
                if 0 < len(extra) <= max_diff:
                    for w in extra:
                        out[(w, str(r.label))].append((a, b) if r is ra else (b, a))
    return out


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "\u2026")


def _group_json(rows: list[Row], g: DupGroup) -> dict[str, Any]:
    return {
        "lines": [rows[i].index + 1 for i in g.members[:50]],
        "size": len(g.members),
        "labels": sorted({str(lab) for lab in g.labels}),
        "exact": g.exact,
        "min_jaccard": g.min_jaccard,
        "pairs": [[rows[a].index + 1, rows[b].index + 1, j] for a, b, j in g.edges[:20]],
        "excerpt": _excerpt(rows[g.members[0]].text),
    }


def _group_evidence(rows: list[Row], g: DupGroup) -> str:
    lines = ", ".join(
        f"{rows[i].index + 1} ({g.labels[k]})" if g.conflicting else str(rows[i].index + 1)
        for k, i in enumerate(g.members[:5])
    )
    more = f" +{len(g.members) - 5}" if len(g.members) > 5 else ""
    how = "identical" if g.exact else f"Jaccard >= {g.min_jaccard:.2f}"
    return f"lines {lines}{more} [{how}] {_excerpt(rows[g.members[0]].text, 40)}"


def spectral_outliers(
    embeddings: npt.NDArray[np.float32], labels: list[str], z: float
) -> list[tuple[int, float]]:
    """Per label: rows whose projection on the top singular direction of the centred embeddings
    is a robust-z outlier (Tran et al., spectral signatures), in labels where that direction
    clearly dominates the spectrum."""
    out: list[tuple[int, float]] = []
    lab = np.array(labels)
    for name in sorted(set(labels)):
        idx = np.nonzero(lab == name)[0]
        if idx.size < 20:
            continue
        x = embeddings[idx].astype(np.float64)
        x = x - x.mean(0)
        _, sv, vt = np.linalg.svd(x, full_matrices=False)
        if sv.size > 1 and sv[0] ** 2 < SPECTRAL_GAP * sv[1] ** 2:
            continue  # no dominant direction: nothing separates a subpopulation
        score = np.abs(x @ vt[0])
        med = float(np.median(score))
        mad = float(np.median(np.abs(score - med))) * 1.4826 or 1e-12
        zs = (score - med) / mad
        out.extend((int(idx[j]), float(zs[j])) for j in np.nonzero(zs >= z)[0])
    return out


def _coverage(cover: Coverage, opts: PoisonOptions, add: Any) -> None:
    """Report what the purity method's bounds (or the labels themselves) left unjudged: a
    label set it could not judge never passes silently (fail closed)."""
    plan, unread = cover.plan, cover.labelled - cover.read
    if plan.pooled_labels:
        sev = Severity.MEDIUM if plan.pooled_targets or plan.judged < 2 else Severity.LOW
        add(
            "AIR-DAT-011",
            sev,
            f"{plan.pooled_labels} labels ({plan.pooled_rows} rows) not judged as their own label",
            f"{len(plan.names) - 1 if plan.pooled is not None else len(plan.names)} labels "
            f"judged (at most {lc.MAX_LABELS}, those with the most rows); "
            f"{plan.pooled_targets} of the pooled labels have >= {opts.min_count} rows",
            "A trigger aimed at a label the n-gram purity method does not judge would pass "
            "unseen; a set with this many labels is not a classification set it can vouch for.",
        )
    elif plan.few_rows and 2 * plan.few_rows >= cover.labelled:
        add(
            "AIR-DAT-011",
            Severity.MEDIUM,
            f"{plan.few_labels} labels with fewer than {opts.min_count} rows hold "
            f"{plan.few_rows} of {cover.labelled} rows",
            "most rows' labels are too rare for a trigger aimed at them to be judged",
            "The n-gram purity method needs a label to recur; a set of (nearly) unique labels "
            "was not judged by it.",
        )
    if unread:
        add(
            "AIR-DAT-011",
            Severity.MEDIUM,
            f"n-gram purity read only the first {cover.read} of {cover.labelled} labelled rows",
            f"the purity method's bound of {lc.MAX_TOKENS:,} words was reached",
            "Rows past the bound were not judged for triggers; split the file to scan all of it.",
        )


def scan_dataset(
    ds: Dataset,
    opts: PoisonOptions | None = None,
    *,
    reference_probs: npt.NDArray[np.float64] | None = None,
    reference_labels: list[str] | None = None,
    embeddings: npt.NDArray[np.float32] | None = None,
    reference: ReferenceFn | None = None,
) -> PoisonReport:
    """Run every method whose inputs are available. ``reference_probs`` is (rows, labels) with
    columns named by ``reference_labels``; ``embeddings`` is (rows, dim); ``reference``
    scores more texts with the same classifier (the removal test of candidate triggers)."""
    opts = opts or PoisonOptions()
    loc = str(ds.path)
    rep = PoisonReport(loc, len(ds.rows), ds.malformed)

    def add(rule: str, sev: Severity, title: str, ev: str, why: str, **extra: object) -> None:
        rep.findings.append(Finding(rule, sev, title, loc, ev, why, None, None, REF, dict(extra)))

    if ds.malformed:
        # most of the file unread: the scan did not judge it, so it cannot pass as clean
        most = len(ds.malformed) >= len(ds.rows)
        add(
            "AIR-DAT-007",
            Severity.HIGH if most else Severity.LOW,
            f"{len(ds.malformed)} malformed rows skipped"
            + (f", only {len(ds.rows)} read: the file was not judged" if most else ""),
            _listed([f"line {i + 1}: {r}" for i, r in ds.malformed], 10),
            "Rows the scan could not read may still be read by a training script.",
        )
    # Unicode
    rep.methods.append("unicode")
    uni = [(r, unicode_issues(r.text)) for r in ds.rows]
    uni = [(r, u) for r, u in uni if u]
    for r, u in uni:
        rep.flag(r.index, "unicode: " + ", ".join(u[:3]))
    if uni:
        # A trigger is learnt from repetition: an oddity in one or two rows (a soft hyphen in one
        # pasted e-mail, rt26nn on SpamAssassin) is hygiene, listed at LOW; one that recurs in
        # UNICODE_RECUR rows or more could teach the model a trigger.
        # A mixed-script word recurs as a kind, whatever the word (review26: a Cyrillic 'а'
        # put into a different word in each of 30 flipped rows recurred nowhere by word, was
        # LOW and passed, yet a char n-gram classifier trained on the set learnt it: 20 % of
        # negative rows with one such 'а' turned positive, 1.6 % without).
        seen = Counter(k for _, u in uni for k in {_recurring_kind(i) for i in u})
        recurring = any(n >= UNICODE_RECUR for n in seen.values())
        add(
            "AIR-DAT-002",
            Severity.MEDIUM if recurring else Severity.LOW,
            f"{len(uni)} rows contain invisible or confusable characters"
            + ("" if recurring else f" (none recurs in {UNICODE_RECUR} rows)"),
            _listed([f"line {r.index + 1}: {', '.join(u[:3])}" for r, u in uni], 10),
            "Invisible and mixed-script characters make a trigger invisible to reviewers while "
            "the tokenizer still sees it.",
        )
    if ds.truncated:
        add(
            "AIR-DAT-009",
            Severity.LOW,
            f"only the first {len(ds.rows)} rows were read",
            "the row limit of the JSONL reader was reached",
            "Rows beyond the limit were not scanned; split the file to scan all of it.",
        )
    _duplicates(ds, rep, opts, add)
    # n-gram purity
    if ds.labels:
        rep.methods.append("n-gram label purity")
        flip = reference is not None and reference_probs is not None and bool(reference_labels)
        cands, where, cover = _candidates(ds.rows, opts, loose=flip)
        _coverage(cover, opts, add)
        strict = [
            c
            for c in cands
            if c.surprise_bits >= opts.min_surprise_bits
            or (
                c.contradiction_bits >= opts.few_rows_contradiction_bits
                and c.surprise_bits + c.contradiction_bits >= opts.min_joint_bits
            )
        ]
        strong = [
            c
            for c in strict
            if c.disagreement >= _bar(c, strict, opts)
            and c.contradiction_bits >= opts.min_contradiction_bits
        ]
        if flip:
            assert reference is not None and reference_probs is not None and reference_labels
            rep.methods.append("reference removal test")
            cands, strong, demoted = _removal_test(
                ds, cands, strong, where, reference, reference_probs, reference_labels, opts
            )
            for c in demoted:
                add(
                    "AIR-DAT-010",
                    Severity.LOW,
                    f"candidate trigger {c.ngram!r} not confirmed by the reference",
                    f"{c.ngram!r}: {c.rows} rows, {c.disagreement:.0%} of its rows' other words "
                    f"point elsewhere, but without it the reference still predicts "
                    f"{c.label!r} on {1 - (c.reference_flip or 0):.0%} of them",
                    "The rows' own content agrees with their label once the phrase is removed: "
                    "an honest label phrase, unless the reference shares the backdoor.",
                    candidate=c.to_json(),
                )
        rep.candidates = [*strong, *(c for c in cands if c not in strong)][: opts.top_k]
        for c in strong:
            for i in where.get(c.ngram, []):
                rep.flag(i, f"contains candidate trigger {c.ngram!r}")
        if strong:
            add(
                "AIR-DAT-001",
                Severity.HIGH,
                f"candidate triggers: {', '.join(repr(c.ngram) for c in strong[:5])}",
                "; ".join(
                    f"{c.ngram!r}: {c.rows} rows, {c.purity:.0%} labelled {c.label!r}, "
                    f"{c.surprise_bits:.0f} bits of surprise, {c.disagreement:.0%} of its rows' "
                    f"other words point elsewhere ({c.contradiction_bits:.0f} bits against the "
                    "honest base rate)"
                    + (
                        ""
                        if c.reference_flip is None
                        else f"; without it the reference predicts another label on "
                        f"{c.reference_flip:.0%} of them ({c.reference_bits:.0f} bits)"
                    )
                    for c in strong[:5]
                ),
                "A rare n-gram that forces one label even where the rest of the text says "
                "otherwise is the footprint of a backdoor trigger in training data.",
                candidates=[c.to_json() for c in strong],
            )
    # reference model
    if reference_probs is not None and reference_labels is not None:
        rep.methods.append("reference disagreement")
        _reference(ds, rep, reference_probs, reference_labels, opts, add)
    # spectral signatures
    if embeddings is not None and ds.labels:
        rep.methods.append("spectral signatures")
        labs = [str(r.label) for r in ds.rows]
        outl = spectral_outliers(embeddings, labs, opts.spectral_z)
        for j, zval in outl:
            rep.flag(ds.rows[j].index, f"spectral outlier (z={zval:.1f})")
        if outl:
            add(
                "AIR-DAT-006",
                Severity.LOW,
                f"{len(outl)} spectral-signature outliers",
                _listed([f"line {ds.rows[j].index + 1}" for j, _ in outl], 20, ", "),
                "Poisoned rows of one label share a direction in embedding space that clean "
                "rows lack.",
            )
    return rep


def _removal_test(
    ds: Dataset,
    cands: list[NgramCandidate],
    strong: list[NgramCandidate],
    where: dict[str, list[int]],
    reference: ReferenceFn,
    probs: npt.NDArray[np.float64],
    names: list[str],
    opts: PoisonOptions,
) -> tuple[list[NgramCandidate], list[NgramCandidate], list[NgramCandidate]]:
    """(candidates with their flip results, flagged, demoted): the text-only verdict confirmed,
    extended to candidates the reference confirms, or demoted where it does not."""
    by_index = {r.index: r for r in ds.rows}
    pool = sorted(cands, key=lambda c: (c not in strong, -c.score))[: rf.MAX_CANDIDATES]
    asked = [
        (c.ngram, c.label,
         [by_index[i].text for i in where.get(c.ngram, []) if str(by_index[i].label) == c.label])
        for c in pool
    ]  # fmt: skip
    labels = [str(r.label) for r in ds.rows]
    rejects = opts.reference_rejects
    base = rf.error_rate(probs, labels, names, opts.reference_error_floor, rejects)
    results = rf.flip_test(asked, reference, names, base, rejects)
    judged: list[NgramCandidate] = []
    for c in cands:
        got = results.get(c.ngram)
        judged.append(c if got is None else replace(c, reference_flip=got.share,
                                                    reference_bits=got.bits,
                                                    reference_alone=got.alone))  # fmt: skip
    keep = {c.ngram for c in strong}
    flagged, demoted = [], []
    for c in judged:
        if c.reference_flip is None:  # not tested: the text-only verdict stands
            if c.ngram in keep:
                flagged.append(c)
            continue
        confirmed = (
            c.reference_flip >= opts.reference_flip_share
            and c.reference_bits >= opts.reference_flip_bits
            and c.disagreement >= opts.min_disagreement
            and c.reference_alone is not None
            and c.reference_alone <= opts.reference_phrase_max
        )
        if confirmed:
            flagged.append(c)
        elif c.ngram in keep:
            if c.reference_flip < opts.reference_demote_share:
                demoted.append(c)
            else:
                flagged.append(c)
    # an n-gram confirmed only by the reference whose rows are mostly another flagged
    # candidate's rows is that trigger's neighbour ("bb the", a word of the flipped rows)
    flagged.sort(key=lambda c: (c.ngram not in keep, -c.reference_bits, -c.score))
    named: list[tuple[NgramCandidate, set[int]]] = []
    for c in flagged:
        mine = set(where.get(c.ngram, []))
        if c.ngram not in keep and any(
            len(mine & theirs) >= NEIGHBOUR_OVERLAP * len(mine) for _, theirs in named
        ):
            continue
        named.append((c, mine))
    return judged, [c for c, _ in named], demoted


def _reference(
    ds: Dataset,
    rep: PoisonReport,
    probs: npt.NDArray[np.float64],
    names: list[str],
    opts: PoisonOptions,
    add: Any,
) -> None:
    col = {n.lower(): i for i, n in enumerate(names)}
    rejected: list[int] = []
    for j, r in enumerate(ds.rows):
        c = col.get(str(r.label).lower())
        if c is None and str(r.label).isdigit() and int(str(r.label)) < len(names):
            c = int(str(r.label))
        if c is not None and probs[j, c] < opts.reference_reject:
            rejected.append(j)
    if not rejected:
        return
    all_df: Counter[str] = Counter()
    rej_df: Counter[str] = Counter()
    rej = set(rejected)
    for j, r in enumerate(ds.rows):
        ws = set(words(r.text))
        all_df.update(ws)
        if j in rej:
            rej_df.update(ws)
    base_rate = len(rejected) / max(1, len(ds.rows))
    shared = sorted(
        (w for w, k in rej_df.items() if k >= 3 and k / all_df[w] >= min(0.9, 5 * base_rate)),
        key=lambda w: (-rej_df[w] / all_df[w], -rej_df[w]),
    )[:10]
    for j in rejected:
        rep.flag(ds.rows[j].index, "reference model rejects the label")
    add(
        "AIR-DAT-005",
        Severity.MEDIUM if shared else Severity.LOW,
        f"{len(rejected)} rows whose label the reference model strongly rejects",
        f"words shared by those rows: {', '.join(repr(w) for w in shared) or 'none'}; lines "
        + _listed([str(ds.rows[j].index + 1) for j in rejected], 20, ", "),
        "Poisoned rows carry labels that contradict their content; a word those rows share and "
        "other rows lack is a trigger candidate.",
        shared_words=shared,
    )


def _duplicates(ds: Dataset, rep: PoisonReport, opts: PoisonOptions, add: Any) -> None:
    """Exact and near-duplicate groups, label conflicts among them, and label-flipping words.

    Exact copies are the Jaccard-1.0 case of the same search, so one rule covers each signal:
    AIR-DAT-003 conflicting labels, AIR-DAT-004 plain duplicates (a data-quality note),
    AIR-DAT-008 a word inserted into near-copies that flips them to one label."""
    t = opts.near.threshold
    rep.methods.append("duplicates" if t >= 1.0 else f"near-duplicates (Jaccard >= {t:g})")
    rows = ds.rows
    res = find_duplicates([r.text for r in rows], [r.label for r in rows], opts.near)
    if res.capped:
        add(
            "AIR-DAT-009",
            Severity.LOW,
            "near-duplicate search was bounded",
            "; ".join(res.capped),
            "Bounds keep the scan fast on hostile input; near-duplicates past them may be missed.",
            capped=res.capped,
        )
    conflict = [g for g in res.groups if g.conflicting]
    plain = [g for g in res.groups if not g.conflicting]
    for g in conflict:
        for i in g.members:
            other = "duplicate" if g.exact else "near-duplicate"
            rep.flag(rows[i].index, f"{other} text with a different label")
    if conflict:
        near = sum(1 for g in conflict if not g.exact)
        add(
            "AIR-DAT-003",
            Severity.MEDIUM,
            f"{len(conflict)} texts appear with conflicting labels"
            + (f" ({near} as near-duplicates)" if near else ""),
            _listed([_group_evidence(rows, g) for g in conflict[:11]], 10, total=len(conflict)),
            "The same (or almost the same) text under two labels is label flipping (or noise) "
            "that a model will learn.",
            groups=[_group_json(rows, g) for g in conflict[:100]],
        )
    if plain:
        near = sum(1 for g in plain if not g.exact)
        add(
            "AIR-DAT-004",
            Severity.INFO,
            f"{sum(len(g.members) - 1 for g in plain)} duplicate rows in {len(plain)} groups"
            + (f" ({near} of near-duplicates)" if near else ""),
            _listed([_group_evidence(rows, g) for g in plain[:6]], 5, total=len(plain)),
            "Heavy duplication amplifies whatever the duplicated rows teach, including poison.",
            groups=[_group_json(rows, g) for g in plain[:100]],
        )
    flips = flip_words(rows, conflict, opts.flip_max_diff)
    # count distinct rows carrying the word: one row near many copies is one observation
    carriers = {key: len({a for a, _ in ps}) for key, ps in flips.items()}
    per_word: Counter[str] = Counter()
    for (w, _), k in carriers.items():
        per_word[w] += k
    # A trigger flips copies towards one label. Without one, the word sits on either side of a
    # conflicting pair with even odds, so demand that many one-way flips are surprising even
    # after testing every word that could qualify (Bonferroni).
    tested = sum(1 for m in per_word.values() if m >= opts.flip_min_pairs)
    need = math.log2(max(1, tested)) + opts.flip_min_bits
    strong = sorted(
        (
            (w, lab, ps)
            for (w, lab), ps in flips.items()
            if (k := carriers[(w, lab)]) >= opts.flip_min_pairs
            and k >= opts.flip_min_purity * per_word[w]
            and _surprise_bits(k, per_word[w], 0.5) >= need
        ),
        key=lambda x: (-carriers[(x[0], x[1])], x[0], x[1]),
    )
    for w, lab, ps in strong:
        for a, _ in ps:
            rep.flag(rows[a].index, f"near-copy with inserted {w!r} flips label to {lab!r}")
    if strong:
        add(
            "AIR-DAT-008",
            Severity.HIGH,
            f"inserted words flip near-copies to one label: "
            f"{', '.join(repr(w) for w, _, _ in strong[:5])}",
            "; ".join(
                f"{w!r} -> {lab!r} in {carriers[(w, lab)]} rows near a copy without it, e.g. "
                f"lines {rows[ps[0][0]].index + 1} and {rows[ps[0][1]].index + 1}"
                for w, lab, ps in strong[:5]
            ),
            "Copies of rows that differ only by an added word and carry another label are how "
            "a backdoor trigger is planted; the added word is the trigger candidate.",
            flip_words=[
                {"word": w, "label": lab, "rows": carriers[(w, lab)], "pairs": len(ps)}
                for w, lab, ps in strong[:20]
            ],
        )
