"""Undo the tricks that hide text from matchers: compatibility forms, invisible and tag
characters, bidi controls, look-alike letters, and base64/hex/URL-encoded segments and runs
of HTML numeric character references.

Every matcher (rules, triggers, classifier) sees the output of :func:`normalize`, so one obfuscated
spelling cannot slip past one scanner while another is fooled.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

# Zero-width and other invisible format characters that render as nothing.
_INVISIBLE = frozenset(
    [
        *(0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0),
        *range(0x200B, 0x2010),
        *range(0x2060, 0x2070),
        *range(0xFE00, 0xFE10),
    ]
)
_JOINERS = frozenset([0x200C, 0x200D])
# Bidirectional embedding/override/isolate controls (Trojan Source).
_BIDI = frozenset([0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069])
# Unicode "tag" block: invisible ASCII shadows used for ASCII smuggling.
_TAG_START, _TAG_END = 0xE0000, 0xE007F

# Look-alike letters (Cyrillic, Greek, Armenian, Cherokee, ...) mapped to the Latin letter they
# imitate: the UTS #39 skeleton restricted to lower-case letters after case folding. Applied per
# word, only where a word mixes scripts or the text is written in Latin letters (see _skeleton),
# so Russian or Greek prose keeps its own letters.
_CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ѡ": "w", "ԍ": "g", "ս": "u", "օ": "o",
    "ց": "g", "հ": "h", "ո": "n", "ⅰ": "i", "ℓ": "l", "ꮪ": "s", "ꭺ": "a", "ꮯ": "c", "ꭼ": "e",
}  # fmt: skip
# Latin look-alikes that NFKC leaves alone: small capitals and other IPA letters. Always mapped
# (they are Latin already; nobody writes prose in small capitals).
_LATIN_LOOKALIKES = {
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɑ": "a", "ı": "i",
    "ȷ": "j", "ɩ": "i", "ɒ": "a", "ꞵ": "b", "ɛ": "e", "ɔ": "c", "ꝺ": "d", "ƅ": "b",
    **{chr(0x1F1E6 + i): chr(ord("a") + i) for i in range(26)},  # regional indicators
}  # fmt: skip
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
_LATIN_TABLE = str.maketrans(_LATIN_LOOKALIKES)
_WORD_RE = re.compile(r"\w+")

MAX_DECODE_SEGMENTS = 32
MAX_DECODE_DEPTH = 2
_MIN_ENCODED = 16

_B64_RE = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RE = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Fa-f])")
_URL_RE = re.compile(r"(?<!\S)(?:[^\s%]*%[0-9A-Fa-f]{2})+[^\s%]*")
_MIN_URL_ESCAPES = 3
# four or more HTML numeric character references in a row (&#73;&#103;... or &#x49;...): text
# hidden from a reader of the raw request that a model, or a page renderer, reads as letters
_HTML_RE = re.compile(r"(?:&#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});?\s*){4,}")
# base32 (RFC 4648 alphabet, upper case) and Adobe Ascii85 (<~ ... ~>): encodings injection kits
# use because filters decode base64 and hex only
# Combining marks (categories Mn, Me). On Latin, Greek and Cyrillic letters (and on spaces,
# punctuation, symbols) they can be piled onto every letter of an instruction so that no
# phrase matches: NFKC composes "e" + U+0301 into "é" and leaves strike-throughs alone.


def _ranges(cps: list[int]) -> str:
    """A regex character-class body for these code points, runs merged (a short class is a
    fast class: sre walks a long one item by item)."""
    out: list[str] = []
    start = prev = cps[0]
    for cp in [*cps[1:], -1]:
        if cp != prev + 1:
            out.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = cp
        prev = cp
    return "".join(out)


_BMP_MARKS, _ASTRAL_MARKS = (
    _ranges([cp for cp in range(lo, hi) if unicodedata.category(chr(cp)) in ("Mn", "Me")])
    for lo, hi in ((0x0300, 0x10000), (0x10000, 0x1F000))
)
_ASTRAL_MARKS += "\U000e0100-\U000e01ef"  # variation selectors supplement
# Letters of the scripts whose marks are decoration an attacker can add (after NFD: base letters)
_LATINISH = "a-z\u00df-\u024f\u0250-\u02af\u0370-\u03ff\u0400-\u052f\u1d00-\u1fff"


def _mark_patterns(mark: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of marks; words of 4+ letters with a mark on every letter (no orthography writes
    like that)."""
    # a word may not start after a letter or a mark, and the repetition is atomic: linear time
    # (without both, every letter inside a long marked word was a new start: quadratic)
    words = rf"(?<![^\W\d_])(?<!{mark})(?>(?:[{_LATINISH}](?:{mark})+){{4,}})(?![^\W\d_])"
    return re.compile(f"(?:{mark})+"), re.compile(words)


# sre walks a class with astral ranges item by item: the BMP-only pair is the fast common case
_BMP_MARK_RES = _mark_patterns(f"[{_BMP_MARKS}]")
_ALL_MARK_RES = _mark_patterns(f"[{_BMP_MARKS}]|[{_ASTRAL_MARKS}]")
# Marks no orthography spells with: overlays, strike-throughs, underlines, overlines, enclosing
# marks (the keycap after 0-9, # and * is an emoji and is kept).
_DECORATIVE = frozenset(
    [0x0305, 0x0332, 0x0333, 0x0334, 0x0335, 0x0336, 0x0337, 0x0338, 0x033F, 0x0488, 0x0489,
     0x1ABE, 0x20D2, 0x20D3, 0x20D8, 0x20D9, 0x20DA, 0x20DD, 0x20DE, 0x20DF, 0x20E0, 0x20E2,
     0x20E3, 0x20E4, 0x20E5, 0x20E6, 0x20EA, 0x20EB, 0xA670, 0xA671, 0xA672]
)  # fmt: skip
_KEYCAP_BASES = frozenset("0123456789#*")
# Mark abuse: marks stacked this high on one letter (Vietnamese and Yoruba stop at two), this
# many decorative marks, this many words of 4+ letters with a mark on every letter.
_MAX_STACK = 3
_MIN_DECORATIVE = 3
_MIN_MARKED_WORDS = 2
_B32_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9])")
_A85_RE = re.compile(r"<~[!-u\s]{8,}~>")


@dataclass(frozen=True)
class Normalized:
    """The text matchers should see, and what was stripped to get there."""

    text: str
    invisible: int = 0
    bidi: int = 0
    confusables: int = 0
    hidden_tag_text: str = ""
    # combining marks removed from letters because the text abuses them (see _demark)
    marks: int = 0
    # the text with every mark on a Latin, Greek or Cyrillic letter removed, when that differs
    # from ``text`` and ``text`` kept its marks (honest accents): a view for the phrase rules
    demarked: str = ""

    @property
    def obfuscated(self) -> bool:
        return bool(self.bidi or self.hidden_tag_text or self.invisible > 2)


@dataclass(frozen=True)
class Decoded:
    """A segment that decoded to readable text (``kind``: base64, base32, ascii85, hex, url,
    html)."""

    kind: str
    start: int
    end: int
    text: str
    depth: int = 1
    children: list[Decoded] = field(default_factory=list)


def normalize(text: str) -> Normalized:
    """NFKC-fold, drop invisible/bidi characters, reveal tag-smuggled ASCII, map confusables.

    Case is folded too, so matchers and the classifier can be written in lower case.
    """
    invisible = bidi = 0
    tag_chars: list[str] = []
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        cp = ord(ch)
        if cp in _INVISIBLE:
            # Zero-width (non-)joiners are spelling in Persian, Arabic, Indic scripts and emoji
            # sequences: removed like the rest, but only counted as hiding after ASCII or nothing.
            if cp not in _JOINERS or not out or out[-1].isascii():
                invisible += 1
        elif cp in _BIDI:
            bidi += 1
        elif _TAG_START <= cp <= _TAG_END:
            if 0xE0020 <= cp <= 0xE007E:
                tag_chars.append(chr(cp - 0xE0000))
                out.append(chr(cp - 0xE0000))
        else:
            out.append(ch)
    # Turkish capital İ case-folds to "i" + combining dot: fold it to plain "i" like "ı" below.
    joined = "".join(out).casefold().replace("i\u0307", "i")
    bare, marks, abuse = _demark(joined)
    view = ""
    if abuse:
        joined = bare
    elif marks:
        view = _skeleton(bare.translate(_LATIN_TABLE))
    mapped = _skeleton(joined.translate(_LATIN_TABLE))
    confusables = sum(1 for a, b in zip(joined, mapped, strict=True) if a != b)
    return Normalized(
        text=mapped,
        invisible=invisible,
        bidi=bidi,
        confusables=confusables,
        hidden_tag_text="".join(tag_chars),
        marks=marks if abuse else 0,
        demarked=view,
    )


def _strippable(base: str) -> bool:
    """Marks on this character are decoration, not spelling: Latin, Greek and Cyrillic letters,
    and spaces, punctuation and symbols. Marks on letters of other scripts (Devanagari, Arabic,
    Hebrew, Thai vowel signs and nuktas...) and on their spacing vowel signs are kept."""
    if not base:
        return True
    cp = ord(base)
    if cp < 0x0530 or 0x1D00 <= cp < 0x2000 or 0x2C60 <= cp < 0x2C80 or 0xA720 <= cp < 0xA800:
        return True
    if 0xA640 <= cp < 0xA6A0 or 0xAB30 <= cp < 0xAB70:
        return True
    return unicodedata.category(base)[0] in "ZPS"


def _demark(text: str) -> tuple[str, int, bool]:
    """``text`` without the combining marks on Latin/Greek/Cyrillic letters and non-letters,
    how many were removed, and whether they were abused: stacked three high, decorative
    (overlay, strike-through, underline, enclosing), or on every letter of two 4+ letter words.
    Honest accents (French, Vietnamese, Czech, Yoruba...) are not abuse: their text keeps them."""
    if text.isascii():
        return text, 0, False
    nfd = unicodedata.normalize("NFD", text)
    runs, marked_words = _ALL_MARK_RES if max(nfd) > "\uffff" else _BMP_MARK_RES
    removed = stacked = decorative = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal removed, stacked, decorative
        marks, i = m.group(0), m.start()
        base = nfd[i - 1] if i else ""
        if not _strippable(base) or (base in _KEYCAP_BASES and marks == "\u20e3"):
            return marks
        removed += len(marks)
        stacked += len(marks) >= _MAX_STACK
        decorative += sum(ord(c) in _DECORATIVE for c in marks)
        return ""

    bare = runs.sub(drop, nfd)
    if not removed:
        return text, 0, False
    abuse = bool(stacked) or decorative >= _MIN_DECORATIVE
    if not abuse and removed >= 4 * _MIN_MARKED_WORDS:
        abuse = sum(1 for _ in marked_words.finditer(nfd)) >= _MIN_MARKED_WORDS
    return unicodedata.normalize("NFC", bare), removed, abuse


def _is_latin(ch: str) -> bool:
    return "a" <= ch <= "z" or "\u00e0" <= ch <= "\u024f"


def _skeleton(text: str) -> str:
    """Map look-alike letters to Latin in words that mix scripts, and in every word when the
    text is Latin-lettered or its non-Latin letters are nearly all look-alikes (a spoof)."""
    if text.isascii():
        return text
    latin = other = lookalike = 0
    for ch in text:
        if _is_latin(ch):
            latin += 1
        elif ch.isalpha():
            other += 1
            lookalike += ch in _CONFUSABLES
    if lookalike == 0:
        return text
    if latin >= other or lookalike >= 0.9 * other:
        return text.translate(_CONFUSABLE_TABLE)

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        return w.translate(_CONFUSABLE_TABLE) if any(_is_latin(c) for c in w) else w

    return _WORD_RE.sub(fix, text)


# Words that make reversed English readable again (function words and injection vocabulary).
_COMMON = frozenset(
    "the you your and all to of a is are be it this that in for with not do now me my what "
    "tell say ignore previous prior instructions prompt system forget rules reveal print "
    "above disregard override from on as i".split()
)


def reversed_variant(text: str) -> str | None:
    """The text read backwards (whole or word by word) when that reads better than forwards:
    an instruction written in reverse for the model to undo must not pass the matchers."""
    words = _WORD_RE.findall(text[:20_000])
    if len(words) < 3:
        return None
    backwards = sum(w != w[::-1] and w[::-1] in _COMMON for w in words)
    forwards = sum(w != w[::-1] and w in _COMMON for w in words)
    if backwards < 2 or backwards < forwards / 2:
        return None
    whole = text[::-1]
    per_word = _WORD_RE.sub(lambda m: m.group(0)[::-1], text)
    # word order tells the two readings apart: the whole-string reversal also reverses it
    return whole if _order_score(whole) >= _order_score(per_word) else per_word


_ORDER = ("ignore all", "all previous", "previous instructions", "the system", "system prompt",
          "you are", "tell me", "and the", "of the", "in the", "to the")  # fmt: skip


def _order_score(text: str) -> int:
    return sum(text.count(p) for p in _ORDER)


def _readable(raw: bytes) -> str | None:
    """Decoded bytes count as text only if they are UTF-8 and mostly printable."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) < 4:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\t\r")
    letters = sum(1 for c in text if c.isalpha() or c == " ")
    if printable < 0.95 * len(text) or letters < 0.5 * len(text):
        return None
    return text


def _decode_one(kind: str, segment: str) -> str | None:
    try:
        if kind == "base64":
            s = segment.rstrip("=")
            s = s + "=" * (-len(s) % 4)
            alt = "-_" if ("-" in s or "_" in s) else None
            raw = base64.b64decode(s, altchars=alt.encode() if alt else None, validate=False)
        elif kind == "hex":
            raw = binascii.unhexlify(segment)
        elif kind == "html":
            raw = html.unescape(segment).encode("utf-8", "replace")
        elif kind == "base32":
            s = segment.rstrip("=")
            raw = base64.b32decode(s + "=" * (-len(s) % 8))
        elif kind == "ascii85":
            raw = base64.a85decode(segment, adobe=True, ignorechars=b" \t\r\n")
        else:
            raw = unquote_to_bytes(segment)
    except (binascii.Error, ValueError):
        return None
    return _readable(raw)


def _iter_candidates(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    kinds = (("html", _HTML_RE), ("ascii85", _A85_RE), ("hex", _HEX_RE), ("base64", _B64_RE),
             ("base32", _B32_RE), ("url", _URL_RE))  # fmt: skip
    for kind, rx in kinds:
        for m in rx.finditer(text):
            yield kind, m


def decode_segments(text: str, depth: int = 1, budget: list[int] | None = None) -> list[Decoded]:
    """Find encoded segments that decode to readable text, recursively up to a small depth.

    Bounded by :data:`MAX_DECODE_SEGMENTS` in total and :data:`MAX_DECODE_DEPTH` levels.
    """
    budget = budget if budget is not None else [MAX_DECODE_SEGMENTS]
    found: list[Decoded] = []
    taken: list[tuple[int, int]] = []
    for kind, m in _iter_candidates(text):
        if budget[0] <= 0:
            break
        if kind == "url" and m.group(0).count("%") < _MIN_URL_ESCAPES:
            continue
        if len(m.group(0)) < _MIN_ENCODED and kind != "url":
            continue
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        decoded = _decode_one(kind, m.group(0))
        if decoded is None:
            continue
        budget[0] -= 1
        taken.append((m.start(), m.end()))
        children = decode_segments(decoded, depth + 1, budget) if depth < MAX_DECODE_DEPTH else []
        found.append(Decoded(kind, m.start(), m.end(), decoded, depth, children))
    return found


def flatten(decoded: list[Decoded]) -> Iterator[Decoded]:
    """Every decoded segment, children included."""
    for d in decoded:
        yield d
        yield from flatten(d.children)


def windows(text: str, size: int, overlap: int) -> Iterator[tuple[int, str]]:
    """Overlapping windows ``(offset, chunk)`` so long inputs are scanned piecewise.

    The overlap keeps any phrase shorter than ``overlap`` whole in at least one window.
    """
    if size <= overlap:
        raise ValueError("window size must exceed overlap")
    if len(text) <= size:
        yield 0, text
        return
    step = size - overlap
    for start in range(0, len(text) - overlap, step):
        yield start, text[start : start + size]
