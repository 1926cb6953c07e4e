"""Exact and near-duplicate groups in a fine-tuning set: MinHash + LSH, verified by exact Jaccard.

A near-copy of a row with a flipped label (often with a few inserted words: the trigger) is the
shape of a backdoor; plain duplicates only amplify what they teach. One path finds both kinds:

1. rows are normalised (NFKC, lower case, ``\\w+`` words); identical normalised texts form
   *exact groups* (Jaccard 1.0), keyed by a 128-bit digest, so buckets of thousands of identical
   rows never reach the sketch;
2. one representative per exact group is sketched: MinHash over shingles with a fixed seed,
   vectorised with numpy (stable 64-bit shingle hashes from blake2b and splitmix64, then
   multiply-add-shift permutations -- never Python's randomised ``hash()``);
3. LSH banding yields candidate pairs, a b-bit estimate drops hopeless ones, and every remaining
   pair is verified by exact Jaccard over the real shingle sets, so a reported pair is never a
   false positive of the sketch;
4. union-find joins verified pairs (and their exact groups) into clusters.

Similarity of two rows is the Jaccard index of their character 5-gram sets when both rows are
shorter than ``short_words`` words, otherwise of their word 3-gram sets: word shingles are cheap
and precise for long rows, character shingles keep short rows comparable.

Work and memory are bounded (rows, words per row, bucket size, verified pairs); hitting a bound
is reported in ``NearDupResult.capped`` rather than silently lowering recall.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from airlock.errors import UsageError

WORD_RE = re.compile(r"\w+", re.UNICODE)
WORD_K = 3  # words per word shingle
CHAR_K = 5  # characters per character shingle
MAX_WORD_CHARS = 64
SEED = 0x5EED_A1B0
U64 = npt.NDArray[np.uint64]
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class NearDupOptions:
    threshold: float = 0.8  # Jaccard at or above which two rows are near-duplicates
    num_perm: int = 128
    short_words: int = 16  # rows shorter than this compare by character shingles
    max_rows: int = 1_000_000  # rows sketched; the rest are only checked for exact copies
    max_words: int = 5_000  # words per row that take part (a row's first words)
    max_bucket: int = 200  # LSH bucket size beyond which members meet a few pivots only
    pivots: int = 8
    max_pairs: int = 5_000_000  # candidate pairs verified
    target_recall: float = 0.99  # LSH collision probability wanted for a pair at ``threshold``

    def check(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise UsageError(f"near-duplicate threshold must be in (0, 1], not {self.threshold}")
        if not 8 <= self.num_perm <= 1024:
            raise UsageError("num_perm must be between 8 and 1024")


@dataclass(frozen=True)
class DupGroup:
    """Rows (0-based dataset positions) that are copies or near-copies of each other."""

    members: tuple[int, ...]
    labels: tuple[str | None, ...]  # per member
    min_jaccard: float  # over the verified edges (1.0: all exact copies)
    edges: tuple[tuple[int, int, float], ...]  # verified near pairs (positions), exact omitted

    @property
    def exact(self) -> bool:
        return not self.edges

    @property
    def conflicting(self) -> bool:
        return len(set(self.labels)) > 1


@dataclass
class NearDupResult:
    groups: list[DupGroup] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)  # bounds that were hit, in words
    candidates: int = 0  # LSH candidate pairs before the b-bit filter
    verified: int = 0  # pairs whose exact Jaccard was computed


# -- normalisation and shingles ---------------------------------------------------------------


def normalise(text: str, max_words: int) -> list[str]:
    """The words two rows are compared on (what the exact-duplicate key has always used).

    A "word" longer than ``MAX_WORD_CHARS`` (a blob, not language) stands as its digest, so a
    megabyte token neither blows up character shingles nor loses its identity."""
    ws = WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())[:max_words]
    return [w if len(w) <= MAX_WORD_CHARS else _long_word(w) for w in ws]


def _long_word(word: str) -> str:
    return "#" + hashlib.blake2b(word.encode(), digest_size=12).hexdigest()


def char_shingles(ws: Sequence[str]) -> set[str]:
    s = " ".join(ws).ljust(CHAR_K)
    return {s[i : i + CHAR_K] for i in range(len(s) - CHAR_K + 1)}


def word_shingles(ws: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(ws[i : i + WORD_K]) for i in range(len(ws) - WORD_K + 1)}


def uses_chars(n_a: int, n_b: int, short_words: int) -> bool:
    """The pair is compared on character shingles (both rows short) or word shingles."""
    return max(n_a, n_b) < short_words


def jaccard(a: Sequence[str], b: Sequence[str], short_words: int) -> float:
    """Exact Jaccard of two normalised rows under the module's similarity definition."""
    sa: set[str] | set[tuple[str, ...]]
    sb: set[str] | set[tuple[str, ...]]
    if uses_chars(len(a), len(b), short_words):
        sa, sb = char_shingles(a), char_shingles(b)
    else:
        sa, sb = word_shingles(a), word_shingles(b)
    if not sa and not sb:
        return 1.0
    inter = len(sa & sb)
    return inter / (len(sa) + len(sb) - inter)


def _mix(x: U64) -> U64:
    """splitmix64 finaliser: a stable, well-spread 64-bit hash of a 64-bit value."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _shingle_hashes(tokens: U64, offsets: npt.NDArray[np.int64], k: int) -> tuple[U64, U64]:
    """64-bit hashes of every k-token window inside each row of a flat token array, and each
    hash's row (rows must hold at least k tokens)."""
    n_rows = offsets.size - 1
    lengths = np.diff(offsets)
    row = np.repeat(np.arange(n_rows, dtype=np.uint64), lengths)
    pos = np.arange(tokens.size, dtype=np.int64)
    keep = pos + k <= np.repeat(offsets[1:], lengths)
    padded = np.concatenate([tokens, np.zeros(k, np.uint64)])
    acc = np.zeros(tokens.size, np.uint64)
    for j in range(k):
        salt = np.uint64((int(_GOLD) * (j + 1)) % 2**64)
        acc = _mix(acc ^ (padded[j : j + tokens.size] + salt))
    return acc[keep], row[keep]


# -- MinHash and LSH --------------------------------------------------------------------------


def lsh_params(threshold: float, num_perm: int, target: float) -> tuple[int, int]:
    """(bands, rows per band): the most selective banding whose collision probability for a pair
    at ``threshold`` still reaches ``target`` (verification removes the extra candidates)."""
    best = (num_perm, 1)
    for r in range(1, num_perm + 1):
        b = num_perm // r
        if 1 - (1 - threshold**r) ** b >= target:
            best = (b, r)
    return best


class _Vocab(dict[str, int]):
    """Word -> stable 64-bit hash, computed once per distinct word."""

    def __missing__(self, word: str) -> int:
        h = self[word] = _word_hash(word)
        return h


class _Sketcher:
    def __init__(self, num_perm: int):
        rng = np.random.default_rng(SEED)
        self.a = rng.integers(1, 2**63, num_perm, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)
        self.vocab = _Vocab()

    def signatures(self, docs: list[str], chars: bool) -> npt.NDArray[np.uint32]:
        """MinHash signatures (rows x num_perm) of normalised ``docs`` (words joined by one
        space), computed in chunks of about a million shingles to bound memory."""
        out = np.empty((len(docs), self.a.size), np.uint32)
        start = 0
        while start < len(docs):
            stop, budget = start, 0
            while stop < len(docs) and budget < 1_000_000:
                budget += len(docs[stop]) // (1 if chars else 6) + CHAR_K
                stop += 1
            out[start:stop] = self._chunk(docs[start:stop], chars)
            start = stop
        return out

    def _chunk(self, docs: list[str], chars: bool) -> npt.NDArray[np.uint32]:
        lengths: list[int]
        if chars:
            strs = [s.ljust(CHAR_K) for s in docs]
            flat = np.frombuffer("".join(strs).encode("utf-32-le"), np.uint32).astype(np.uint64)
            lengths = [len(s) for s in strs]
            k = CHAR_K
        else:
            vocab = self.vocab
            ids: list[int] = []
            lengths = []
            for doc in docs:
                ws = doc.split(" ")
                lengths.append(len(ws))
                ids.extend(map(vocab.__getitem__, ws))
            flat = np.array(ids, np.uint64)
            k = WORD_K
        offsets = np.zeros(len(docs) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        hashes, row = _shingle_hashes(flat, offsets, k)
        starts = np.searchsorted(row, np.arange(len(docs), dtype=np.uint64))
        sig = np.empty((len(docs), self.a.size), np.uint32)
        v = np.empty_like(hashes)
        for i in range(self.a.size):
            np.multiply(hashes, self.a[i], out=v)
            np.add(v, self.b[i], out=v)
            # min commutes with the monotone ">> 32", so shift the n minima, not every value
            sig[:, i] = np.minimum.reduceat(v, starts) >> np.uint64(32)
        return sig


def _band_pairs(
    sig: npt.NDArray[np.uint32],
    bands: int,
    r: int,
    order_key: npt.NDArray[np.uint64],
    opts: NearDupOptions,
    capped: list[str],
) -> npt.NDArray[np.int64]:
    """Candidate pairs (i < j, encoded i * n + j) of rows sharing a band; oversized buckets pair
    their members with a few content-chosen pivots only."""
    n = sig.shape[0]
    chunks: list[npt.NDArray[np.int64]] = []
    big = total = 0
    for band in range(bands):
        if total > 4 * opts.max_pairs:
            capped.append(
                f"more than {4 * opts.max_pairs} LSH candidate pairs; bands {band + 1}-{bands} "
                "were skipped"
            )
            break
        key = np.zeros(n, np.uint64)
        for c in range(band * r, band * r + r):
            key = _mix(key ^ (sig[:, c].astype(np.uint64) + _GOLD))
        # order by (bucket, content) so pivots and pairs do not depend on row order
        order = np.lexsort((order_key, key))
        ks = key[order]
        bounds = np.flatnonzero(np.diff(ks)) + 1
        starts = np.concatenate([[0], bounds])
        sizes = np.diff(np.concatenate([starts, [n]]))
        two = starts[sizes == 2]
        if two.size:
            chunks.append(_encode(order[two], order[two + 1], n))
            total += two.size
        for s, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
            members = order[s : s + size]
            if size > opts.max_bucket:
                big += 1
                piv = members[: opts.pivots]
                ii = np.repeat(piv, size)
                jj = np.tile(members, piv.size)
            else:
                iu, ju = np.triu_indices(size, 1)
                ii, jj = members[iu], members[ju]
            keep = ii != jj
            chunks.append(_encode(ii[keep], jj[keep], n))
            total += chunks[-1].size
    if big:
        capped.append(
            f"{big} LSH buckets held more than {opts.max_bucket} rows; their members were "
            f"compared with {opts.pivots} pivots only"
        )
    if not chunks:
        return np.zeros(0, np.int64)
    return np.unique(np.concatenate(chunks))


def _encode(i: npt.NDArray[np.int64], j: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    lo, hi = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    out: npt.NDArray[np.int64] = lo * n + hi
    return out


def _bbit_keep(
    pairs: npt.NDArray[np.int64], low: npt.NDArray[np.uint8], n: int, threshold: float
) -> npt.NDArray[np.int64]:
    """Drop pairs whose 8-bit MinHash agreement puts them far below the threshold (> 6 sigma):
    a cheap vectorised filter in front of exact verification."""
    p = low.shape[1]
    margin = 6 * math.sqrt(threshold * (1 - threshold) / p) + 0.05
    keep = np.zeros(pairs.size, bool)
    step = max(1, 4_000_000 // p)
    for s in range(0, pairs.size, step):
        chunk = pairs[s : s + step]
        agree = (low[chunk // n] == low[chunk % n]).mean(1)
        est = (agree - 1 / 256) / (1 - 1 / 256)
        keep[s : s + step] = est >= threshold - margin
    out: npt.NDArray[np.int64] = pairs[keep]
    return out


# -- the search -------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_duplicates(
    texts: Sequence[str],
    labels: Sequence[str | None],
    opts: NearDupOptions | None = None,
) -> NearDupResult:
    """Exact and near-duplicate groups of ``texts`` (with ``labels`` per row), largest first.

    Rows without a word are ignored. ``threshold=1.0`` skips the sketch: exact groups only."""
    opts = opts or NearDupOptions()
    opts.check()
    res = NearDupResult()
    # 1. exact groups by normalised text (one normalised string per distinct text is kept)
    by_key: dict[bytes, int] = {}
    rep_of: list[int] = []  # row -> exact-group id (-1: no words)
    reps: list[int] = []  # exact-group id -> first row
    docs: list[str] = []  # exact-group id -> normalised text
    counts: list[int] = []  # exact-group id -> words
    digests: list[bytes] = []
    long_rows = 0
    for i, text in enumerate(texts):
        ws = normalise(text, opts.max_words + 1)
        if len(ws) > opts.max_words:
            long_rows += 1
            ws = ws[: opts.max_words]
        if not ws:
            rep_of.append(-1)
            continue
        doc = " ".join(ws)
        digest = hashlib.blake2b(doc.encode(), digest_size=16).digest()
        gid = by_key.get(digest)
        if gid is None:
            gid = by_key[digest] = len(reps)
            reps.append(i)
            docs.append(doc)
            counts.append(len(ws))
            digests.append(digest)
        rep_of.append(gid)
    if long_rows:
        res.capped.append(
            f"{long_rows} rows longer than {opts.max_words} words were compared on their first "
            f"{opts.max_words} words"
        )
    uf = _UnionFind(len(reps))
    edges: list[tuple[int, int, float]] = []  # (group a, group b, jaccard)
    if opts.threshold < 1.0 and len(reps) > 1:
        m = len(reps)
        if m > opts.max_rows:
            m = opts.max_rows
            res.capped.append(
                f"near-duplicate search covered the first {opts.max_rows} distinct texts of "
                f"{len(reps)}; later rows were checked for exact copies only"
            )
        edges = _near_pairs(docs[:m], counts[:m], digests[:m], opts, res)
        for a, b, _ in edges:
            uf.union(a, b)
    # 2. clusters: exact groups joined by verified edges
    members: dict[int, list[int]] = {}
    for row, gid in enumerate(rep_of):
        if gid >= 0:
            members.setdefault(uf.find(gid), []).append(row)
    by_root: dict[int, list[tuple[int, int, float]]] = {}
    for a, b, jac in edges:
        by_root.setdefault(uf.find(a), []).append((reps[a], reps[b], round(jac, 4)))
    for root, rows in members.items():
        if len(rows) < 2:
            continue
        es = sorted(by_root.get(root, []))
        res.groups.append(
            DupGroup(
                tuple(rows),
                tuple(labels[r] for r in rows),
                min((e[2] for e in es), default=1.0),
                tuple(es),
            )
        )
    res.groups.sort(key=lambda g: (-len(g.members), g.members[0]))
    return res


def _near_pairs(
    docs: list[str],
    counts: list[int],
    digests: list[bytes],
    opts: NearDupOptions,
    res: NearDupResult,
) -> list[tuple[int, int, float]]:
    """Verified near pairs (indices into ``docs``) with their exact Jaccard."""
    t = opts.threshold
    lens = np.array(counts, np.int64)
    order_key = np.array([int.from_bytes(d[:8], "little") for d in digests], np.uint64)
    bands, r = lsh_params(t, opts.num_perm, opts.target_recall)
    sketch = _Sketcher(opts.num_perm)
    # a row reaches ``t`` against a row of >= short_words words (word shingles) only if its own
    # shingle count allows: J <= (n - 2) / (short_words - 2)
    min_word_row = max(WORD_K, math.ceil(WORD_K - 1 + t * (opts.short_words - WORD_K + 1)))
    found: set[int] = set()
    n = len(docs)
    for chars in (True, False):
        idx = np.flatnonzero(lens < opts.short_words if chars else lens >= min_word_row)
        if idx.size < 2:
            continue
        sig = sketch.signatures([docs[i] for i in idx.tolist()], chars)
        pairs = _band_pairs(sig, bands, r, order_key[idx], opts, res.capped)
        res.candidates += int(pairs.size)
        pairs = _bbit_keep(pairs, sig.astype(np.uint8), idx.size, t)  # low 8 bits
        del sig
        gi, gj = idx[pairs // idx.size], idx[pairs % idx.size]
        found.update((gi * n + gj).tolist())
    cand = sorted(found)
    if len(cand) > opts.max_pairs:
        res.capped.append(f"{len(cand)} candidate pairs; only {opts.max_pairs} were verified")
        cand = cand[: opts.max_pairs]
    out: list[tuple[int, int, float]] = []
    for code in cand:
        a, b = divmod(code, n)
        la, lb = counts[a], counts[b]
        chars = uses_chars(la, lb, opts.short_words)
        if not chars and min(la, lb) < t * max(la, lb) - WORD_K:
            continue  # word-shingle Jaccard <= (min - 2) / (max - 2) < t
        res.verified += 1
        jac = jaccard(docs[a].split(" "), docs[b].split(" "), opts.short_words)
        if jac >= t:
            out.append((a, b, jac))
    return out
