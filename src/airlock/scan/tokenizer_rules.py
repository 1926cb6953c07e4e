"""``tokenizer.json`` pipelines that multiply their input (AIR-CFG-027).

The Rust ``tokenizers`` library runs a tokenizer's normalizer, pre-tokenizer, model and
post-processor on every text it encodes (``AutoTokenizer``, ``apply_chat_template(tokenize=
True)``) and its decoder on every decode. A ``Replace`` normalizer turning ``a`` into ten
``a``s, nine times over in a ``Sequence``, makes one character of honest text a billion
(rt24tpl: > 60 s CPU for 500 characters); a ``TemplateProcessing`` post-processor naming
``$A`` 200,000 times copies every encoding that often. Each step's growth is bounded from
its own JSON (a ``Replace``: its content per shortest match; ``Precompiled``: the longest
string of its charsmap; a template: its ``$A``/``$B`` copies) and the chain's product must
stay under :data:`MAX_GROWTH`; an honest pipeline stays under 20 (NFKD decomposition 18).
"""

from __future__ import annotations

import base64
import binascii
import importlib
import struct
from collections.abc import Callable
from typing import Any

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule

_parser: Any = importlib.import_module("re._parser")  # only getwidth() on a Regex pattern

AMPLIFIES = Rule(
    "AIR-CFG-027",
    Severity.HIGH,
    "tokenizer.json multiplies the text it encodes or decodes",
    "tokenizers runs the normalizer, post-processor and decoder on every text: a Replace that"
    " writes more than it matches, chained in a Sequence, or a template repeating the input"
    " makes one character of honest input millions, and encoding hangs or exhausts memory.",
    "https://huggingface.co/docs/tokenizers/api/normalizers",
)

MAX_GROWTH = 64  # output characters (tokens) per input character, whole chain
MAX_PRE_GROWTH = 8  # a pre-tokenizer: one ByteLevel (4 bytes a character) and a Metaspace
MAX_ADDED = 10_000  # special-token ids a post-processor adds to one encoding
MAX_DEPTH = 32  # nested Sequence objects walked; deeper is judged as unbounded
MAX_WORD = 1000  # WordPiece max_input_chars_per_word: longer words become [UNK] at once
# steps that keep the length within a small constant of the input (case, accents, spaces,
# unicode forms: NFKD/NFKC expand a character to at most 18)
_SMALL = {"NFD": 4, "NFKD": 18, "NFC": 3, "NFKC": 18, "BertNormalizer": 3, "ByteLevel": 4}
UNBOUNDED = float("inf")


def tokenizer_findings(doc: Any, location: str, member: str | None) -> list[Finding]:
    """AIR-CFG-027 for a parsed ``tokenizer.json`` (an object with a ``model`` and any of the
    pipeline keys); other documents give nothing."""
    if not looks_like_tokenizer(doc):
        return []
    out: list[Finding] = []
    enc = _normalizer(doc.get("normalizer"), 0)
    post, added = _post(doc.get("post_processor"), 0)
    if enc * post > MAX_GROWTH:
        ev = f"encoding grows the text x{_shown(enc * post)} (normalizer x{_shown(enc)},"
        ev += f" post-processor x{_shown(post)}; bound {MAX_GROWTH})"
        out.append(AMPLIFIES.finding(location, ev, member=member))
    pre = _pre_tokenizer(doc.get("pre_tokenizer"), 0)
    if pre > MAX_PRE_GROWTH:
        ev = f"pre-tokenizer grows the text x{_shown(pre)} (bound {MAX_PRE_GROWTH})"
        out.append(AMPLIFIES.finding(location, ev, member=member))
    if added > MAX_ADDED:
        ev = f"post-processor adds {_shown(added)} special-token ids to every encoding"
        out.append(AMPLIFIES.finding(location, ev, member=member))
    model = doc["model"]
    longest = model.get("max_input_chars_per_word")
    if model.get("type") == "WordPiece" and isinstance(longest, int) and longest > MAX_WORD:
        # greedy longest-match from every position: a 5,000-character word (a base64 blob in
        # a prompt) took 6.6 s at 10**9, 20,000 characters past 100 s (rt24tpl); BERT's is 100
        ev = f"WordPiece max_input_chars_per_word {longest:,} (bound {MAX_WORD:,}): matching a"
        ev += " long word is polynomial in its length"
        out.append(AMPLIFIES.finding(location, ev, member=member))
    dec = _normalizer(doc.get("decoder"), 0)
    if dec > MAX_GROWTH:
        ev = f"decoding grows the text x{_shown(dec)} (bound {MAX_GROWTH})"
        out.append(AMPLIFIES.finding(location, ev, member=member))
    return out


def looks_like_tokenizer(doc: Any) -> bool:
    """A ``tokenizers`` serialisation: a ``model`` object beside a pipeline key."""
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("model"), dict)
        and any(k in doc for k in ("normalizer", "pre_tokenizer", "post_processor", "decoder"))
    )


def _shown(x: float) -> str:
    return "unbounded" if x == UNBOUNDED else f"{x:,.0f}"


def _chain(parts: Any, judge: Callable[[Any, int], float], depth: int, cap: float) -> float:
    """Growth of a ``Sequence``: the product of its parts', stopping once past ``cap``."""
    total = 1.0
    for part in parts if isinstance(parts, list) else []:
        total *= judge(part, depth + 1)
        if total > cap:
            break
    return total


def _normalizer(node: Any, depth: int) -> float:
    """Growth of a normalizer or decoder (same shapes: ``Sequence``, ``Replace``...)."""
    if not isinstance(node, dict):
        return 1.0
    if depth > MAX_DEPTH:
        return UNBOUNDED
    kind = node.get("type")
    if kind == "Sequence":
        return _chain(node.get("normalizers", node.get("decoders")), _normalizer, depth,
                      MAX_GROWTH)
    if kind == "Replace":
        return _replace(node.get("pattern"), node.get("content"))
    if kind == "Precompiled":
        return _charsmap(node.get("precompiled_charsmap"))
    if kind == "Prepend":
        # tpl25fp: once per non-empty split around added tokens that are not normalized, not
        # once per text: 'aX' * 1000 with 'X' added and a 63-character prefix normalizes to
        # 65,000 characters (x32.5, counted x2: beside Replace x32 an encode of 600,000
        # characters aborted on memory under 4 GB, scanned clean). A split is >= 1 character
        # and its added token >= 1: at most 1 + len / 2 per character read.
        prefix = node.get("prepend")
        if not isinstance(prefix, str) or len(prefix) >= 64:
            return UNBOUNDED
        return max(2.0, 1.0 + len(prefix) / 2)
    if kind == "Strip" and "content" in node:  # decoders.Strip removes characters
        return 1.0
    if kind == "BPEDecoder":  # replaces the suffix with a space: "" puts one between all chars
        return 2.0 if node.get("suffix") == "" else 1.0
    if kind == "WordPiece":  # a space between tokens at most
        return 2.0
    if isinstance(kind, str) and kind in _SMALL:
        return float(_SMALL[kind])
    return 1.0  # lowercase, strip, accents, metaspace, byte fallback...; unknown: refused


def _pre_tokenizer(node: Any, depth: int) -> float:
    """Growth of a pre-tokenizer. review24: ByteLevel writes one character per UTF-8 byte and
    its characters for bytes past ASCII are two bytes each, so a Sequence of 30 doubled
    'hello world' (its space) 2^30 times: a 2.4 GB abort in Tokenizer.encode, scanned clean."""
    if not isinstance(node, dict):
        return 1.0
    if depth > MAX_DEPTH:
        return UNBOUNDED
    kind = node.get("type")
    if kind == "Sequence":
        return _chain(node.get("pretokenizers"), _pre_tokenizer, depth, MAX_PRE_GROWTH)
    if kind == "ByteLevel":
        return 4.0
    if kind == "Metaspace":  # spaces to '▁' (one character) and a '▁' before each word
        return 2.0
    return 1.0  # splitting (Split, Whitespace, Punctuation, Digits, BertPreTokenizer...)


def _replace(pattern: Any, content: Any) -> float:
    """Characters written per character read: the content per shortest match (a regex's
    match is taken as one character), plus the content once per position when the pattern
    can match nothing."""
    if not isinstance(content, str):
        return 1.0
    size = len(content)
    if not isinstance(pattern, dict):
        return UNBOUNDED
    if isinstance(pattern.get("String"), str):
        lit = pattern["String"]
        return max(1.0, size / len(lit)) if lit else float(size + 1)
    regex = pattern.get("Regex")
    if not isinstance(regex, str):
        return UNBOUNDED
    try:
        low = min(1, int(_parser.parse(regex).getwidth()[0]))
    except Exception:  # Oniguruma syntax re cannot read: assume it can match nothing
        low = 0
    # review24: re's width is only trusted as "can match nothing or not": Oniguruma reads
    # '[[:alpha:][:alpha:]...]' as one character where re sees a set and literals (n + 1 wide,
    # so 40 of them x5 grew 'hello world' to 3.2 GB, scanned clean), and its case folding
    # matches 'ss' / 'ffi' with one character
    return float(size + 1) if low == 0 else max(1.0, float(size))


def _charsmap(blob: Any) -> float:
    """The longest replacement a sentencepiece charsmap holds: ``u32`` trie size, the trie,
    then the replacement strings, NUL-separated (what ``Precompiled`` writes per match)."""
    if not isinstance(blob, str):
        return 1.0
    try:
        raw = base64.b64decode(blob, validate=False)
        (trie,) = struct.unpack_from("<I", raw, 0)
    except (binascii.Error, ValueError, struct.error):
        return 1.0  # tokenizers refuses it
    pool = raw[4 + trie :]
    return float(max((len(s) for s in pool.split(b"\0")), default=1) or 1)


def _post(node: Any, depth: int) -> tuple[float, int]:
    """(copies of the input a post-processor makes, special-token ids it adds)."""
    if not isinstance(node, dict):
        return 1.0, 0
    if depth > MAX_DEPTH:
        return UNBOUNDED, 0
    kind = node.get("type")
    if kind == "Sequence":
        grow, added = 1.0, 0
        parts = node.get("processors")
        for part in parts if isinstance(parts, list) else []:
            g, a = _post(part, depth + 1)
            grow, added = grow * g, added + a
            if grow > MAX_GROWTH:
                break
        return grow, added
    if kind != "TemplateProcessing":
        return 1.0, 0
    specials = node.get("special_tokens")
    sizes: dict[str, int] = {}
    if isinstance(specials, dict):
        for name, tok in specials.items():
            ids = tok.get("ids") if isinstance(tok, dict) else None
            sizes[name] = len(ids) if isinstance(ids, list) else 1
    grow, added = 1.0, 0
    for key in ("single", "pair"):
        seq = node.get(key)
        if not isinstance(seq, list):
            continue
        copies: dict[str, int] = {}  # "$A" / "$B" pieces: each is the whole input again
        extra = 0
        for piece in seq:
            if isinstance(piece, dict) and isinstance(piece.get("Sequence"), dict):
                which = str(piece["Sequence"].get("id"))
                copies[which] = copies.get(which, 0) + 1
            elif isinstance(piece, dict) and isinstance(piece.get("SpecialToken"), dict):
                extra += sizes.get(str(piece["SpecialToken"].get("id")), 1)
        grow = max(grow, float(max(copies.values(), default=1)))
        added = max(added, extra)
    return grow, added
