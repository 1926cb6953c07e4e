"""fastText binary models (``model.bin`` / ``.ftz`` of the fastText tool, the published
``cc.*.300.bin`` vectors, gensim's ``save_facebook_model``): an int32 magic and version, the
training arguments, the dictionary (NUL-terminated words with a count and a type), then the
input and output matrices (dense float32, or product-quantized in ``.ftz``).

Both loaders (fastText's ``FastText::loadModel`` in C++, gensim's ``load_facebook_model`` in
Python) read these fields in this order and nothing else: no pickle, no code, no other file.
The C++ loader indexes its vectors with the header's counts and never checks them against each
other, so the file is accepted only when it is exactly what the tool writes: the dictionary's
``size`` entries are ``nwords`` words then ``nlabels`` labels, the input matrix has
``nwords + bucket`` rows (one per word, one per hashed n-gram bucket) of ``dim`` values, the
output matrix one row per word (labels for a supervised model) of ``dim`` values, quantized
matrices' codes and centroids the sizes their quantizer gives, and nothing after the output
matrix. Anything else that starts with the magic cannot be judged (AIR-FT-000)."""

from __future__ import annotations

import struct

from airlock.report import Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

UNPARSEABLE = Rule(
    "AIR-FT-000",
    Severity.HIGH,
    "fastText binary model cannot be parsed",
    "The file starts with fastText's magic number and is not a whole model as the fastText tool "
    "writes it (counts that disagree, matrices of the wrong shape, bytes past the end): the C++ "
    "loader indexes its vectors with those counts unchecked, so the file cannot be judged.",
    "https://fasttext.cc/docs/en/python-module.html",
    blocks=True,
)

MAGIC = struct.pack("<i", 793712314)
VERSIONS = (11, 12)
_ARGS = struct.Struct("<12id")  # dim ws epoch minCount neg wordNgrams loss model bucket minn
#                                  maxn lrUpdateRate, then t
_DICT = struct.Struct("<iiiqq")  # size nwords nlabels ntokens pruneidx_size
_ENTRY_TAIL = 9  # int64 count + int8 type after a word's NUL
_MAX_WORD = 1 << 16
_CHUNK = 1 << 20
_KSUB = 256  # product-quantizer centroids per sub-quantizer (1 << nbits, nbits = 8)
_LOSSES = (1, 2, 3, 4)  # hs ns softmax ova
_MODELS = (1, 2, 3)  # cbow sg sup
_MAX_DIM = 1 << 20
_MAX_ENTRIES = 22_500_000  # 0.75 x MAX_VOCAB_SIZE: the tool never writes more; the loader's
#                            open-addressed word table (30M slots) fills and its probe loops


def _words(src: Source, pos: int, size: int, nwords: int) -> int | str:
    """Position after ``size`` dictionary entries (words then labels), or why not."""
    buf, base = b"", pos
    for i in range(size):
        off = pos - base
        if len(buf) - off < _MAX_WORD + _ENTRY_TAIL + 1 and base + len(buf) < src.size:
            buf, base, off = src.read_at(pos, _CHUNK), pos, 0
        nul = buf.find(b"\0", off, off + _MAX_WORD + 1)
        if nul < 0:
            return f"entry {i}: no NUL within {_MAX_WORD} bytes"
        tail = buf[nul + 1 : nul + 1 + _ENTRY_TAIL]
        if len(tail) < _ENTRY_TAIL:
            return f"entry {i}: its count and type run past the end"
        count, kind = struct.unpack("<qb", tail)
        if count < 0 or kind != (0 if i < nwords else 1):
            return f"entry {i}: count {count} / type {kind} (words first, then labels)"
        pos = base + nul + 1 + _ENTRY_TAIL
    return pos


def _prune_index(src: Source, pos: int, pruned: int) -> str:
    """Why the ``pruned`` (n-gram id, row) pairs at ``pos`` are not what the tool writes, or "".

    The loader maps a word's hashed n-gram through these pairs to input row ``nwords + row``
    unchecked (a row past the matrix: reads out of bounds at the first lookup), so every row
    must be one of the ``pruned`` n-gram rows."""
    if 8 * pruned > src.size - pos:
        return f"prune index of {pruned} pairs runs past the end"
    step = _CHUNK // 8
    for first in range(0, pruned, step):
        n = min(step, pruned - first)
        rows = struct.unpack(f"<{2 * n}i", src.read_at(pos + 8 * first, 8 * n))[1::2]
        if rows and not 0 <= min(rows) <= max(rows) < pruned:
            return f"prune index maps an n-gram to row {min(rows)} / {max(rows)} of {pruned}"
    return ""


def _matrix(src: Source, pos: int, rows: int, dim: int, what: str) -> int | str:
    """Position after the ``what`` matrix at ``pos`` (quantized flag first), or why not."""
    flag = src.read_at(pos, 1)
    if flag not in (b"\0", b"\1"):
        return f"{what}: quantized flag {flag!r}"
    pos += 1
    if flag == b"\0":
        head = src.read_at(pos, 16)
        if len(head) < 16:
            return f"{what}: shape runs past the end"
        m, n = struct.unpack("<qq", head)
        if (m, n) != (rows, dim):
            return f"{what}: {m} x {n} where the header gives {rows} x {dim}"
        return pos + 16 + 4 * rows * dim
    head = src.read_at(pos, 21)
    if len(head) < 21:
        return f"{what}: quantized header runs past the end"
    qnorm, m, n, codesize = struct.unpack("<?qqi", head)
    if (m, n) != (rows, dim):
        return f"{what}: {m} x {n} where the header gives {rows} x {dim}"
    pos += 21
    got = _quantizer(src, pos + codesize, dim)
    if isinstance(got, str):
        return f"{what}: {got}"
    nsubq, pos = got
    if codesize != m * nsubq:
        return f"{what}: {codesize} codes where {m} rows x {nsubq} sub-quantizers need {m * nsubq}"
    if qnorm:  # one norm code per row, then a one-dimensional quantizer of the norms
        got = _quantizer(src, pos + m, 1)
        if isinstance(got, str):
            return f"{what} norms: {got}"
        pos = got[1]
    return pos


def _quantizer(src: Source, pos: int, dim: int) -> tuple[int, int] | str:
    """(nsubq, position after) of the ProductQuantizer at ``pos`` for vectors of ``dim``."""
    head = src.read_at(pos, 16)
    if len(head) < 16:
        return "quantizer runs past the end"
    qdim, nsubq, dsub, lastdsub = struct.unpack("<iiii", head)
    if qdim != dim or dsub < 1 or nsubq < 1 or nsubq != -(-dim // dsub):
        return f"quantizer dim {qdim} / {nsubq} x {dsub} does not cover {dim} values"
    if lastdsub != dim - (nsubq - 1) * dsub:
        return f"quantizer's last sub-vector of {lastdsub} values (dim {dim})"
    return nsubq, pos + 16 + 4 * dim * _KSUB


def walk(src: Source) -> str | tuple[int, int, int, int]:
    """(version, dim, nwords, nlabels) when the file is a whole fastText model, else why not."""
    head = src.read_at(0, 8 + _ARGS.size + _DICT.size)
    if len(head) < 8 + _ARGS.size + _DICT.size:
        return "shorter than the model header"
    version = struct.unpack_from("<i", head, 4)[0]
    if version not in VERSIONS:
        return f"version {version} (the tool reads 11 and 12)"
    args = _ARGS.unpack_from(head, 8)
    dim, word_ngrams, loss, model, bucket, maxn = args[0], *args[5:9], args[10]
    if not 0 < dim <= _MAX_DIM or loss not in _LOSSES or model not in _MODELS or bucket < 0:
        return f"arguments dim {dim} / loss {loss} / model {model} / bucket {bucket}"
    if bucket == 0 and (maxn > 0 or word_ngrams > 1):
        # the loader hashes every word's character n-grams modulo bucket (initNgrams) and
        # predict its word n-grams likewise: a division by zero (SIGFPE); the tool itself sets
        # bucket 0 only when both are off
        return f"bucket 0 with maxn {maxn} / wordNgrams {word_ngrams}"
    size, nwords, nlabels, _ntokens, pruned = _DICT.unpack_from(head, 8 + _ARGS.size)
    if nwords < 0 or nlabels < 0 or size != nwords + nlabels:
        return f"dictionary of {size} entries is not {nwords} words + {nlabels} labels"
    if size > _MAX_ENTRIES:
        return f"{size} dictionary entries (the tool writes at most {_MAX_ENTRIES})"
    if size * (_ENTRY_TAIL + 1) > src.size:
        return f"{size} dictionary entries do not fit in {src.size} bytes"
    pos = _words(src, 8 + _ARGS.size + _DICT.size, size, nwords)
    if isinstance(pos, str):
        return pos
    if pruned >= 0:  # quantized with a cutoff: (ngram id, new row) int32 pairs; -1: not pruned
        bad = _prune_index(src, pos, pruned)
        if bad:
            return bad
        pos += 8 * pruned
        rows = nwords + pruned
    else:
        rows = nwords + bucket
    got = _matrix(src, pos, rows, dim, "input matrix")
    if isinstance(got, str):
        return got
    got = _matrix(src, got, nlabels if model == 3 else nwords, dim, "output matrix")
    if isinstance(got, str):
        return got
    if got != src.size:
        return (
            f"{src.size - got} bytes after the output matrix"
            if got < src.size
            else ("the output matrix runs past the end")
        )
    return version, dim, nwords, nlabels


class FastTextHandler:
    """fastText binary models."""

    name = "fasttext-bin"

    def sniff(self, src: Source) -> bool:
        return src.head[:4] == MAGIC

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        got = walk(src)
        if isinstance(got, str):
            raise Unparseable(UNPARSEABLE, got)
        version, dim, nwords, nlabels = got
        note = (
            f"fastText model v{version}: {nwords} words, {nlabels} labels, dim {dim}: "
            "vectors and counts, no code"
        )
        return ScanOutcome(format=self.name, notes=[note])
