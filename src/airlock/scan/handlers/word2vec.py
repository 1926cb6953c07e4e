"""word2vec binary vectors (``KeyedVectors.save_word2vec_format(binary=True)``, the C tool's
``-binary 1``, e.g. GoogleNews-vectors-negative300.bin): a header line ``<count> <size>``, then
per word its bytes up to a space and ``size`` float32 values.

``gensim``'s ``load_word2vec_format(binary=True)`` parses exactly that into a numpy array (no
pickle, nothing imported): it allocates ``count x size`` floats from the header first, then reads
``count`` entries, each word found with ``find(b' ')`` from the end of the previous vector
(a word's leading newlines, which the C tool writes after each vector, are stripped), and stops.
So the file is recognised by walking it as that loader does; it is accepted only when exactly
``count`` entries fill it (nothing after them but line breaks), so the header's allocation is
bounded by the file's own size. Anything else that starts with such a header is not this format
and goes on to the other handlers' sniffing (text files: the text handler)."""

from __future__ import annotations

import re
from functools import lru_cache

from airlock.report import Severity
from airlock.scan.format_rules import Rule
from airlock.scan.handlers.common import looks_like_text
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

UNPARSEABLE = Rule(
    "AIR-W2V-000",
    Severity.HIGH,
    "word2vec binary file cannot be parsed",
    "The file starts like word2vec binary vectors and does not parse as one (entries past the "
    "end, words too long, bytes after the last vector): a file the scanner cannot follow cannot "
    "be judged.",
    "https://radimrehurek.com/gensim/models/keyedvectors.html",
    blocks=True,
)

_HEADER = re.compile(rb"([1-9][0-9]{0,11}) ([1-9][0-9]{0,5})\r?\n")
MAX_WORD = 4096  # bytes of one word (honest vocabularies: tens)
# bytes read at once: a file of tiny vectors ("N 1") has an entry every few bytes, and one read
# per entry ran at ~3 MB/s (review14)
_CHUNK = 1 << 20  # more than MAX_WORD + 1: a refill always holds a whole word window
_BATCH = 512  # entries matched by one regex call


@lru_cache(maxsize=8)
def _entries(vec: int, k: int, max_word: int) -> re.Pattern[bytes]:
    """``k`` entries: a word of at most MAX_WORD bytes up to its first space, ``vec`` bytes.
    The word cannot backtrack past a space, so a failed match costs one pass over the bytes."""
    return re.compile(rb"(?s:[^ ]{0,%d} .{%d}){%d}" % (max_word, vec, k))


def _header(head: bytes) -> tuple[int, int, int] | None:
    m = _HEADER.match(head)
    return None if m is None else (int(m.group(1)), int(m.group(2)), m.end())


def walk(src: Source) -> str | tuple[int, int]:
    """(count, size) when the whole file is ``count`` entries of ``size`` float32 values as the
    loader reads them; else why not."""
    got = _header(src.head)
    if got is None:
        return "no '<count> <size>' header line"
    count, size, pos = got
    vec = 4 * size
    if count * (vec + 1) > src.size:
        return f"{count} entries of {vec} bytes do not fit in {src.size} bytes"
    buf, base = b"", pos  # file bytes [base, base + len(buf)), read a chunk at a time
    i = 0
    while i < count:
        off = pos - base
        if len(buf) - off < _CHUNK // 2 and base + len(buf) < src.size:
            buf, base, off = src.read_at(pos, _CHUNK), pos, 0
        # a batch of whole entries inside the buffer in one regex match (each word up to its
        # first space, as find does, then its vector); else (a batch running past the buffer,
        # or a bad entry in it) that many entries one by one, with their bounds and messages
        k = min(count - i, _BATCH)
        if k > 1 and k * (vec + 1) <= len(buf) - off:  # (two batch sizes: one compiled each)
            m = _entries(vec, k, MAX_WORD).match(buf, off)
            if m is not None:
                pos = base + m.end()
                i += k
                continue
        for j in range(i, i + k):
            off = pos - base
            if off + MAX_WORD + 1 > len(buf) and base + len(buf) < src.size:
                buf, base, off = src.read_at(pos, _CHUNK), pos, 0
            space = buf.find(b" ", off, off + MAX_WORD + 1)
            if space < 0:
                return f"entry {j}: no space within {MAX_WORD} bytes (a word too long, or the end)"
            pos = base + space + 1
            if pos + vec > src.size:
                return f"entry {j}: its {size} values run past the end"
            pos += vec
        i = j + 1
    rest = src.read_at(pos, min(src.size - pos, 65))
    if len(rest) > 64 or rest.strip(b"\r\n"):
        return f"{src.size - pos} bytes after the last of {count} entries"
    return count, size


class Word2VecBinaryHandler:
    """word2vec binary vector files."""

    name = "word2vec-binary"

    def sniff(self, src: Source) -> bool:
        # text-format vectors start with the same header: those are the text handler's
        return _header(src.head) is not None and not looks_like_text(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        got = walk(src)
        if isinstance(got, str):
            raise Unparseable(UNPARSEABLE, got)
        count, size = got
        note = f"word2vec binary: {count} words x {size} float32 values: vector data, no code"
        return ScanOutcome(format=self.name, notes=[note])
