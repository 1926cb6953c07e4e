"""The string value of the YAML scalar after a tag, read as a YAML parser would (no YAML library).

HyperPyYAML's ``!tuple`` re-reads its scalar's *value* (escapes decoded, lines folded) as a new
YAML document under PyYAML's unsafe loader, so the tag rules must see that value, not the raw
text: ``"(\\x21\\x21python/object/apply:os.system [...])"`` is ``(!!python/...)``. Double- and
single-quoted scalars are decoded and folded; plain and block scalars are taken raw with every
following line more indented than the tag's line (over-inclusive, which can only add tags).
Bounded: a scalar longer than ``MAX_SCALAR`` characters is reported as incomplete."""

from __future__ import annotations

from airlock.lazy_regex import LazyPattern

MAX_SCALAR = 4096
_SIMPLE = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX = {"x": 2, "u": 4, "U": 8}
# blank and comment lines between the tag and its scalar, then an anchor
_PROPS = LazyPattern(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:&\S*[ \t]+)?")


def line_start(text: str, pos: int) -> int | None:
    """Where the line holding ``pos`` starts, or ``None`` when that is further back than
    ``MAX_SCALAR`` (not searched: reading back to it for every tag on one long line is
    quadratic)."""
    low = max(0, pos - MAX_SCALAR)
    start = text.rfind("\n", low, pos) + 1
    return None if start == 0 and low > 0 else start


def _indent_of_line(text: str, pos: int) -> int:
    """The indentation of the block collection holding the scalar at ``pos`` (its key's column,
    or its last ``- ``'s in ``- - x``); 0 (every later indented line continues the scalar:
    over-inclusive) when the line's start is further back than ``MAX_SCALAR``."""
    start = line_start(text, pos)
    if start is None:
        return 0
    line = text[start:pos]
    col = len(line) - len(line.lstrip(" "))
    dash = -1
    while line[col : col + 1] == "-" and line[col + 1 : col + 2] in (" ", "\t"):
        dash = col
        col += 1
        while line[col : col + 1] in (" ", "\t"):
            col += 1
    if dash >= 0 and ": " not in line[col:]:
        return dash  # a sequence entry's scalar: its last dash's column
    return col


def _double(text: str, i: int) -> tuple[str, bool]:
    out: list[str] = []
    end = min(len(text), i + MAX_SCALAR)
    while i < end:
        c = text[i]
        if c == '"':
            return "".join(out), True
        if c == "\\" and i + 1 < len(text):
            e = text[i + 1]
            if e in _HEX:
                digits = text[i + 2 : i + 2 + _HEX[e]]
                try:
                    out.append(chr(int(digits, 16)))
                except ValueError:
                    return "".join(out), False  # the loader refuses it too
                i += 2 + _HEX[e]
                continue
            if e in "\r\n":  # escaped line break: the next line's indentation is dropped
                i += 2 if text[i + 1 : i + 3] != "\r\n" else 3
                while i < end and text[i] in " \t":
                    i += 1
                continue
            out.append(_SIMPLE.get(e, ""))
            i += 2
            continue
        if c in "\r\n":
            i = _fold(text, i, end, out)
            continue
        out.append(c)
        i += 1
    return "".join(out), False


def _fold(text: str, i: int, end: int, out: list[str]) -> int:
    """A line break inside a quoted scalar at ``i``: trailing blanks dropped, the break folded
    to a space (blank lines to newlines), as YAML reads it. Returns the index after it."""
    while out and out[-1] in " \t":
        out.pop()
    i += 1
    breaks = 0
    while i < end and text[i] in " \t\r\n":
        breaks += text[i] == "\n"
        i += 1
    out.append("\n" * breaks if breaks else " ")
    return i


def _single(text: str, i: int) -> tuple[str, bool]:
    out: list[str] = []
    end = min(len(text), i + MAX_SCALAR)
    while i < end:
        c = text[i]
        if c == "'":
            if text[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), True
        if c in "\r\n":
            i = _fold(text, i, end, out)
            continue
        out.append(c)
        i += 1
    return "".join(out), False


def _raw(text: str, i: int, indent: int) -> tuple[str, bool]:
    """A plain or block scalar: the rest of the line and every later line more indented than
    ``indent`` (or blank), lines joined by spaces."""
    parts: list[str] = []
    size = 0
    eol = text.find("\n", i, i + MAX_SCALAR + 1)
    eol = min(len(text), i + MAX_SCALAR + 1) if eol < 0 else eol
    parts.append(text[i:eol].strip())
    size += eol - i
    while eol < len(text) and size <= MAX_SCALAR:
        cap = min(len(text), eol + 2 + MAX_SCALAR)
        nxt = text.find("\n", eol + 1, cap)
        nxt = cap if nxt < 0 else nxt
        line = text[eol + 1 : min(nxt, eol + 1 + MAX_SCALAR + 1)]
        body = line.lstrip(" \t")
        if body.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        parts.append(body.strip())
        size += nxt - eol
        eol = nxt
    value = " ".join(p for p in parts if p)
    return value, size <= MAX_SCALAR


def quoted_at(text: str, i: int) -> tuple[str, bool]:
    """The value of the quoted scalar whose opening quote is at ``i``, and whether it was read
    whole."""
    return _double(text, i + 1) if text[i] == '"' else _single(text, i + 1)


_BREAKS = LazyPattern("\r\n?|[\x85\u2028\u2029]")
_ESCAPED_BREAK = LazyPattern(r"\\\n[ \t]*")


def normal_breaks(text: str) -> str:
    """Every line break PyYAML and ruamel read (CR LF, CR, NEL, LS, PS; Python's text mode turns
    a lone CR into LF too) as LF, so rules that read lines see the loader's lines."""
    if "\r" not in text and not any(c in text for c in "\x85\u2028\u2029"):
        return text
    return _BREAKS.sub("\n", text)


def join_escaped_breaks(text: str) -> str:
    """``text`` with every backslash-newline and the next line's indentation removed: what a
    double-quoted scalar's escaped line break reads as (``"_tar\\<LF>  get_"`` is ``_target_``).
    Applied to the whole text (not only inside quotes), so it is a second reading, never the
    only one."""
    return _ESCAPED_BREAK.sub("", text) if "\\\n" in text else text


def plain_after(text: str, pos: int) -> bool:
    """Whether the scalar after the tag ending at ``pos`` is plain (not quoted)."""
    m = _PROPS.match(text, pos, min(len(text), pos + MAX_SCALAR))
    i = m.end() if m is not None else pos
    return text[i : i + 1] not in ('"', "'")


def scalar_after(text: str, pos: int) -> tuple[str, bool]:
    """The value of the scalar whose tag ends at ``pos`` (properties, comments and line breaks
    before it skipped), and whether it was read whole."""
    indent = _indent_of_line(text, pos)
    m = _PROPS.match(text, pos, min(len(text), pos + MAX_SCALAR))
    i = m.end() if m is not None else pos
    if i >= len(text):
        return "", True
    c = text[i]
    if c == '"':
        return _double(text, i + 1)
    if c == "'":
        return _single(text, i + 1)
    return _raw(text, i, indent)
