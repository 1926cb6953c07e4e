"""rich's markup rules without importing rich (~20 ms of ``airlock scan``'s start-up): the
escape for untrusted text, and markup rendered as plain text for pipes and files."""

from __future__ import annotations

import re

# compiled by ``re`` on first use (a scan with nothing to say renders no markup)
_STYLE = r"/?(?:bold|dim|red|green|yellow|cyan|magenta|blue)?(?: [a-z]+)*"
_TAG = r"(\\*)\[([a-z#/@][^\[]*?)\]"


def printable(text: str) -> str:
    """Untrusted text (file names, registry strings) without terminal control characters, so
    a name cannot move the cursor, recolour or rewrite earlier lines; a byte that is not UTF-8
    (a lone surrogate from ``os.fsdecode``) shows as ``\\xNN``, the byte itself."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == " "
        else f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF
        else f"\\x{ord(c):02x}"
        for c in text
    )  # fmt: skip


def escape_markup(text: str) -> str:
    """rich's markup escape: a backslash before every tag-like ``[...]``, existing backslashes
    before it doubled."""
    text = re.sub(_TAG, lambda m: f"{m.group(1)}{m.group(1)}\\[{m.group(2)}]", text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        text += "\\"
    return text


def render_plain(markup: str) -> str:
    """Markup as rich renders it, styles dropped: pairs of backslashes before a tag are
    backslashes and an odd one escapes the tag (printed as text); an unescaped style tag
    disappears, any other tag stays as text; between tags an escaped ``\\[`` is ``[``."""
    out: list[str] = []
    pos = 0
    for m in re.finditer(_TAG, markup):
        out.append(markup[pos : m.start()].replace("\\[", "["))
        pos = m.end()
        pairs, escaped = divmod(len(m.group(1)), 2)
        tag = m.group(2)
        out.append("\\" * pairs)
        if escaped or not re.fullmatch(_STYLE, tag):
            out.append(f"[{tag}]")
    out.append(markup[pos:].replace("\\[", "["))
    return "".join(out)
