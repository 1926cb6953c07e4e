"""Candidate C's reading (session 27, not built: -2.2 % everyday flags on seen sets, its rule
asked 10 %): what the semantic stage's sentence encoder would read of a text that holds code,
its prose, and of each code line only the natural language in it (comments and strings).
``scripts/guard_fields.py dump`` records the encoder's score of this reading as ``sem_prose``.

The encoder and its head were trained on prompts, not on source code; a run of code tokens
(``return ErrUnauthorized + } + _ = claims```) reads to them like an obfuscated jailbreak
payload and scores near 1 (session 27: the best 120-character passage of 440 everyday texts the
stage flagged scored 0.998 at the median, nearly all of it code). An instruction hidden in code
is still read: comments and strings are where natural language lives in code, and they are
kept. The linear stage, the rules and everything else still judge the whole text.

Every pattern is linear-time; a text with more than ``MAX_LINES`` lines is returned unchanged
(the whole text is read, as before: stricter).
"""

from __future__ import annotations

import re

MAX_LINES = 4000
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_DIFF = re.compile(r"^(?:diff --git |index [0-9a-f]{4,}|@@ |--- |\+\+\+ )")
# characters that are rare in prose and common in code
_PUNCT = re.compile(r"[{}()\[\];=<>$\\|&*^~`]")
_LETTER = re.compile(r"[^\W\d_]")
# tokens prose does not have: a method call, an arrow, a scope, a comparison, a logical operator
_SYNTAX = re.compile(r"\w[.:]\w+\(|\w\(\)|->|=>|::|==|!=|&&|\|\||\+=|:=|^@\w+"
                     r"|^[\w.\[\]]+\s*[-+*/%]?=\s")
_CODE_START = re.compile(
    r"^\s*(?:def|class|import|from\s+\S+\s+import|func|fn|pub|public|private|protected|static"
    r"|return|if|elif|else|for|while|let|const|var|val|#include|#define|package|using"
    r"|namespace|async|await|try|catch|except|finally|throw|raise|switch|case|struct|enum"
    r"|interface|impl|type|SELECT|INSERT|UPDATE|DELETE|CREATE)\b[^.!?]*$"
)
_COMMENT = re.compile(r"(?://|#(?=\s)|--(?=\s)|/\*|<!--)\s*(.*?)\s*(?:\*/|-->)?\s*$")
_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.){0,2000})\"|'((?:[^'\\\n]|\\.){0,2000})'")


def _is_code(line: str) -> bool:
    """A line that reads as code rather than prose: a diff header, a line starting with a
    keyword and no sentence end, or one dense in code punctuation."""
    body = line.strip()
    if not body:
        return False
    if _DIFF.match(line) or _CODE_START.match(body):
        return True
    bare = _STRING.sub('""', body)  # letters inside strings are prose, not evidence of code
    if _SYNTAX.search(bare):
        return True
    punct = len(_PUNCT.findall(bare))
    letters = len(_LETTER.findall(bare))
    return (punct >= 1 and letters == 0) or (punct >= 2 and punct * 6 >= letters)


def _natural(line: str) -> str:
    """The comment and string-literal text of one code line."""
    parts: list[str] = []
    m = _COMMENT.search(line)
    code = line
    if m is not None and m.group(1):
        parts.append(m.group(1))
        code = line[: m.start()]
    for s in _STRING.finditer(code):
        val = s.group(1) if s.group(1) is not None else s.group(2)
        if val and _LETTER.search(val):
            parts.append(val)
    return " ".join(parts)


def prose_view(text: str) -> str:
    """``text`` with each code line (inside a fenced block, a diff, or one that reads as code)
    replaced by its comments and strings; ``text`` itself when it has no code line."""
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        return text
    looks = [_is_code(line) for line in lines]
    out: list[str] = []
    fenced = changed = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced, changed = not fenced, True
            continue
        diff_body = line[:1] in ("+", "-") and _is_code(line[1:])
        # a lone code-looking line amid prose stays prose: code comes in blocks
        block = looks[i] and ((i > 0 and looks[i - 1]) or (i + 1 < len(lines) and looks[i + 1]))
        # inside a fence too, only lines that read as code: pasted prose, logs in words, or an
        # instruction written plainly between fences are read as they are
        if (fenced and looks[i]) or diff_body or block or (looks[i] and _DIFF.match(line)):
            changed = True
            kept = _natural(line[1:] if diff_body else line)
            if kept:
                out.append(kept)
            continue
        out.append(line)
    return "\n".join(out) if changed else text
