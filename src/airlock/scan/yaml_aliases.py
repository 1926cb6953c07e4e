"""YAML alias bombs (AIR-CFG-026): anchors whose nodes alias other anchors, nested.

``l1: &l1 [*l0, *l0]`` ... ``l39: &l39 [*l38, *l38]`` is 40 lines that PyYAML builds as shared
objects, but loaders that walk or copy the tree visit every path: ``load_hyperpyyaml`` (its
reference resolution and round trip) hangs on it while a plain ``yaml.safe_load`` returns at
once (OmegaConf 2.4 refuses more than 10,000 expanded nodes; older OmegaConf expanded them).
The expansion is counted from the text, without a YAML library: an anchor's node is the flow
collection after it (to its matching bracket) or the block below its line (lines indented
deeper), and its size is one plus the sizes of the
anchors its aliases name (an alias inside its own anchor's node is a recursive structure and
counts nothing). Every reading errs towards more: an alias counts the largest earlier
definition of its name (YAML takes the latest, but a "definition" may sit in a comment, a
quoted or a block scalar), and a node ends where the later of two readings ends it: the raw
text, and the text with comments, quoted and block scalars blanked as a YAML scanner delimits
them (a quoted ``"]"`` or a ``# ]`` inside a flow collection, a flow collection or quoted
scalar continued on a less indented line, and a tag between the anchor and its block, each
made a node look shorter than the loader reads it: rt18parse). Properties (anchor, tags)
alone on their line own the lines below as deep as the key, dash or ``?`` above them allows
(the node may sit at the anchor's indent or less: review19), and a tag is read both as a flow
tag and as PyYAML reads it (``!<tag:a,b>``, ``!a[0]``: up to a space)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule

ALIAS_BOMB = Rule(
    "AIR-CFG-026",
    Severity.HIGH,
    "YAML aliases expand to a tree too large to walk",
    "Anchors whose nodes alias other anchors, nested, make a tree PyYAML shares but loaders"
    " that walk or copy it (SpeechBrain's load_hyperpyyaml) expand: a few lines hang them.",
    "https://en.wikipedia.org/wiki/Billion_laughs_attack",
)

_ANCHOR = re.compile(r"(?<![^\s,\[\]{}:\-?])&([^\s,\[\]{}]+)")
_ALIAS = re.compile(r"(?<![^\s,\[\]{}:\-?])\*([^\s,\[\]{}]+)")
MAX_NODES = 1_000_000  # nodes aliases may add to the tree beyond those written out
MAX_MARKS = 20_000  # anchors or aliases read; beyond: cannot be judged
MAX_WORK = 20_000_000  # alias visits while summing (nested scopes); beyond: cannot be judged
MAX_STEPS = 2_000_000  # indicators the scanner reads; beyond: cannot be judged
YAML_NAMES = (".yaml", ".yml")
_TAGS = re.compile(r"(?:![^\s,\[\]{}]*[ \t]*)+")
_TAGS_WIDE = re.compile(r"(?:!\S*[ \t]*)+")
_PROPS = re.compile(r"(?:[!&]\S*[ \t]+)*")  # tags and anchors, each then a space
# nothing but them (and a comment); every split unique: no backtracking
_PROPS_LINE = re.compile(r"(?:[!&]\S*[ \t]+)*(?:[!&]\S*)?(?:(?<=[ \t])#.*)?")
_DOC = re.compile(r"(?:---|\.\.\.)(?=[ \t\n]|$)")  # a document marker at a line's start


_SPECIAL = re.compile(r"[\n#\"'\[\]{},:&!*|>?\-.]")
_PLAIN_STOP_FLOW = ",[]{}"


def _mask(text: str) -> tuple[str, list[int]]:
    """``text`` with comments, quoted scalars and block scalars blanked (line breaks kept), as
    a YAML scanner delimits them (a quote opens a scalar only where a token starts, never
    inside a plain scalar), and the offsets of the lines that start inside a flow collection,
    a quoted scalar or a block scalar (they continue a node: they never end a block)."""
    spans: list[tuple[int, int]] = []
    cont: list[int] = []
    n = len(text)
    depth, tok, plain, i = 0, True, False, 0

    def blank(a: int, b: int) -> None:
        b = min(b, n)
        if a < b:
            spans.append((a, b))
            cont.extend(m.end() for m in _BREAK.finditer(text, a, b) if m.end() < n)

    steps = 0
    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            break
        steps += 1
        if steps > MAX_STEPS:
            raise _TooCostly
        j = m.start()
        if tok and text[i:j].strip(" \t"):
            tok, plain = False, True
        c = text[j]
        after = text[j + 1] if j + 1 < n else "\n"
        before = text[j - 1] if j else "\n"
        i = j + 1
        if c == "\n":
            if depth and j + 1 < n:
                cont.append(j + 1)
            else:
                tok, plain = True, False
        elif c == "#":
            if before in " \t\n":
                eol = text.find("\n", j)
                eol = n if eol < 0 else eol
                blank(j, eol)
                i, plain = eol, False
        elif c in "\"'" and tok:
            q = (_DOUBLE if c == '"' else _SINGLE).match(text, j)
            k = q.end() - 1 if q else n
            blank(j + 1, k)
            i, tok, plain = k + 1, False, False
        elif c in "[{":
            if depth or tok:
                depth, tok, plain = depth + 1, True, False
        elif c in "]}":
            if depth:
                depth, tok, plain = depth - 1, False, False
        elif c == ",":
            if depth:
                tok, plain = True, False
        elif c == ":":
            if after in " \t\n" or (depth and (not plain or after in _PLAIN_STOP_FLOW)):
                tok, plain = True, False
        elif c in "-?" and tok:
            if after in " \t\n":
                continue
            if (
                c == "-"
                and before == "\n"
                and text.startswith("--", j + 1)
                and (text[j + 3 : j + 4] in (" ", "\t", "\n", ""))
            ):
                i = j + 3
                continue
            tok, plain = False, True
        elif c == "." and tok and before == "\n" and text.startswith("...", j):
            i = j + 3
        elif c in "&!" and tok:
            m2 = (_NAME_FLOW if depth else _NAME_BLOCK).match(text, j + 1)
            i = m2.end() if m2 else j + 1
        elif c == "*" and tok:
            m2 = _NAME_FLOW.match(text, j + 1)
            i, tok = (m2.end() if m2 else j + 1), False
        elif c in "|>" and tok and not depth:
            i = _block_scalar(text, j, blank)
            tok, plain = True, False
        elif tok and c not in " \t":
            tok, plain = False, True
    parts, last = [], 0
    for a, b in spans:
        parts += [text[last:a], _NOT_BREAK.sub(_spaces, text[a:b])]
        last = b
    return "".join([*parts, text[last:]]), cont


# where a node may start: a flow collection, an entry, a key or value, a line
_NODE = re.compile(r"[\[{,\n]|[-?:](?=[ \t\n])")
_BREAK = re.compile(r"\n")
_BLANKS = re.compile(r"[ \t]*")
_DOUBLE = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)  # possessive: no stack
_SINGLE = re.compile(r"'[^']*+(?:''[^']*+)*+'")
_BRACKET = re.compile(r"[\[\]{}]")
_NOT_BREAK = re.compile(r"[^\n]+")
_NAME_FLOW = re.compile(r"[^\s,\[\]{}]*")
_NAME_BLOCK = re.compile(r"\S*")
_MARKERS = re.compile(r"[ \t]*(?:[-?][ \t]+)*")


def _spaces(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _block_scalar(text: str, j: int, blank: Callable[[int, int], None]) -> int:
    """Blanks the block scalar whose ``|``/``>`` header is at ``j``: its header comment and
    every following line that is blank or indented deeper than its parent (the key's column, or
    the ``-``/``?`` before the header); returns where the main scan resumes (the break before
    the first line of the parent's level)."""
    start = text.rfind("\n", 0, j) + 1
    cut = j  # drop the properties (&anchor, !tag) before the header
    while True:
        while cut > start and text[cut - 1] in " \t":
            cut -= 1
        word = max(text.rfind(" ", start, cut), text.rfind("\t", start, cut)) + 1
        if cut > start and text[max(word, start)] in "&!":
            cut = max(word, start)
            continue
        break
    head = text[start:cut]
    if head.endswith(":"):  # key: |  (the key's column, after any - / ? markers)
        markers = _MARKERS.match(text, start, j)
        parent = (markers.end() if markers else start) - start
    elif head.endswith(("-", "?")):  # - |
        parent = len(head) - 1
    else:  # the header alone on its line: content from its column on
        parent = j - start - 1
    eol = text.find("\n", j)
    if eol < 0:
        return len(text)
    blank(j + 1, eol)
    k = eol
    while k < len(text):
        nxt = text.find("\n", k + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[k + 1 : nxt]
        body = line.lstrip(" \t")
        if body and len(line) - len(body) <= parent:
            break
        k = nxt
    blank(eol, k)
    return k


def applies(name: str) -> bool:
    return name.lower().endswith(YAML_NAMES) or name == "MLmodel"


class _TooCostly(Exception):
    pass


def _closers(text: str) -> dict[int, int]:
    """Each ``[``/``{`` and the bracket that brings the depth back below it (either kind, as
    a miscounted pair only lengthens a node); unmatched: the end of the text."""
    stack: list[int] = []
    out: dict[int, int] = {}
    for m in _BRACKET.finditer(text):
        if m.group() in "[{":
            stack.append(m.start())
        elif stack:
            out[stack.pop()] = m.end()
    for k in stack:
        out[k] = len(text)
    return out


def _scope_end(
    text: str,
    pos: int,
    end_of_anchor: int,
    cont: frozenset[int],
    closers: dict[int, int],
    budget: list[int],
    breaks: list[int],
) -> int:
    """Where the node after the anchor at ``pos`` ends (``cont``: line starts that continue a
    node, never ending a block; ``budget``: lines the block walks may still read; ``breaks``:
    the text's line break offsets, shared by both readings)."""
    k = bisect.bisect_left(breaks, end_of_anchor)
    eol = breaks[k] if k < len(breaks) else len(text)
    first = _BLANKS.match(text, end_of_anchor, eol).end()  # type: ignore[union-attr]
    same_line, block = eol, False
    for tag_re in (_TAGS, _TAGS_WIDE):  # a flow tag, and PyYAML's (``!<a,b>``, ``!a[0]``)
        tags = tag_re.match(text, first, eol)
        after = _BLANKS.match(text, tags.end(), eol).end() if tags else first  # type: ignore[union-attr]
        rest = text[after : after + 1] if after < eol else ""
        if rest in ("[", "{"):
            same_line = max(same_line, closers[after])
        elif not rest or rest == "#":
            block = True
    if not block:
        return same_line  # a flow collection, a scalar (or an alias) on the same line
    line = bisect.bisect_left(breaks, pos)
    start = breaks[line - 1] + 1 if line else 0
    indent = _BLANKS.match(text, start, pos).end() - start  # type: ignore[union-attr]
    item = text[start + indent : start + indent + 1] == "-" and start + indent < pos
    if _DOC.match(text, start, pos):  # --- &a: the document's root, every line below
        indent, item = -1, False
    elif _PROPS.fullmatch(text, start + indent, pos):
        # the properties start their line: the node is on the lines below, as deep as the
        # key, dash or ``?`` that owns it allows (review19: ``l1:\n  &l1\n  [*l0, *l0]``)
        indent, item = _owner(text, line, indent, budget, breaks)
    i = eol  # the break ending the anchor's line: breaks[k], k as found above
    flow = same_line  # the first content line after the properties opens a flow: its closer
    first_line = True
    while i < len(text):
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooCostly
        k += 1
        nxt = breaks[k] if k < len(breaks) else len(text)
        spaces = _BLANKS.match(text, i + 1, nxt).end() - i - 1  # type: ignore[union-attr]
        head = text[i + 1 + spaces : i + 2 + spaces] if i + 1 + spaces < nxt else ""
        if first_line and head and head != "#":
            props = _PROPS.match(text, i + 1 + spaces, nxt)
            at = props.end() if props else i + 1 + spaces
            if at < nxt and text[at] in "[{":
                flow = max(flow, closers[at])
            first_line = bool(_PROPS_LINE.fullmatch(text, i + 1 + spaces, nxt))
        if head and head != "#" and i + 1 not in cont:
            # deeper lines are the node; a key's block sequence may sit at the key's indent
            if spaces < indent or (spaces == indent and (item or head != "-")):
                return max(i, flow)
        i = nxt
    return len(text)


def _owner(
    text: str, line: int, column: int, budget: list[int], breaks: list[int]
) -> tuple[int, bool]:
    """The indent of the line that owns properties standing alone on line ``line`` at
    ``column`` (the nearest line above, less indented, that is not only comments and
    properties), and whether it is a sequence entry; (-1, False) for the document's root.
    An owner found too shallow only lengthens the node."""
    while line > 0:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooCostly
        line -= 1
        start = breaks[line - 1] + 1 if line else 0
        end = breaks[line]
        first = _BLANKS.match(text, start, end).end()  # type: ignore[union-attr]
        if _DOC.match(text, start, end):
            return -1, False
        if first == end or text[first] == "#" or _PROPS_LINE.fullmatch(text, first, end):
            continue
        if first - start < column:
            return first - start, text[first] == "-"
    return -1, False


def _node_ends(text: str, anchors: list[tuple[int, str, int]]) -> tuple[str, list[int]]:
    """The masked text and where each anchor's node ends: the later of the two readings."""
    masked, starts = _mask(text)
    cont, none = frozenset(starts), frozenset[int]()
    raw_closers, masked_closers, budget = _closers(text), _closers(masked), [MAX_WORK]
    breaks = [m.start() for m in _BREAK.finditer(text)]
    ends = [
        max(
            _scope_end(text, pos, end, none, raw_closers, budget, breaks),
            _scope_end(masked, pos, end, cont, masked_closers, budget, breaks),
        )
        for pos, _, end in anchors
    ]
    return masked, ends


def findings(text: str, location: str, member: str | None, name: str) -> list[Finding]:
    """A finding when the aliases of ``text`` expand past :data:`MAX_NODES` nodes."""
    if "&" not in text or "*" not in text:
        return []
    anchors = [(m.start(), m.group(1), m.end()) for m in _ANCHOR.finditer(text)]
    if not anchors:
        return []
    aliases = [(m.start(), m.group(1)) for m in _ALIAS.finditer(text)]
    if len(anchors) > MAX_MARKS or len(aliases) > MAX_MARKS:
        return [_finding(location, member, name, "more than 20,000 anchors or aliases to count")]
    by_name: dict[str, list[int]] = {}
    for i, (_, label, _) in enumerate(anchors):
        by_name.setdefault(label, []).append(i)
    try:
        masked, ends = _node_ends(text, anchors)
    except _TooCostly:
        return [_finding(location, member, name, "too long to delimit its anchored nodes")]
    starts_by_name = {k: [anchors[d][0] for d in v] for k, v in by_name.items()}
    candidates: list[tuple[list[int], int]] = []  # every earlier definition of the alias's name
    for pos, label in aliases:
        earlier = bisect.bisect_left(starts_by_name.get(label, []), pos)
        candidates.append((by_name.get(label, []), earlier))
    alias_pos = [pos for pos, _ in aliases]
    marks = [m.start() for m in _NODE.finditer(masked)]

    def weight(lo: int, hi: int) -> int:  # nodes written out between lo and hi, at least one
        return 1 + bisect.bisect_left(marks, hi) - bisect.bisect_left(marks, lo)

    sizes: list[int | None] = [None] * len(anchors)
    work = 0
    order = sorted(range(len(anchors)), key=lambda a: ends[a])
    for i in [*order, -1]:  # -1: the whole document, every alias in it
        pos, end = (anchors[i][0], ends[i]) if i >= 0 else (0, len(text))
        lo, hi = bisect.bisect_left(alias_pos, pos), bisect.bisect_left(alias_pos, end)
        work += hi - lo + sum(candidates[j][1] for j in range(lo, hi))
        if work > MAX_WORK:
            return [_finding(location, member, name, "anchors nested too deeply to count")]
        own = weight(pos, end)
        total = own
        for j in range(lo, hi):
            # None: the alias is inside its anchor's node (a recursive structure)
            defs, earlier = candidates[j]
            total += max((sizes[t] or 0 for t in defs[:earlier] if t != i), default=0)
            if total > MAX_NODES + own:
                break
        if i >= 0:
            sizes[i] = total
        if total > MAX_NODES + own:
            label = f"anchor &{anchors[i][1][:60]}" if i >= 0 else "the document"
            what = f"{label} expands past {MAX_NODES:,} nodes more than it writes out"
            return [_finding(location, member, name, what)]
    return []


def _finding(location: str, member: str | None, name: str, what: str) -> Finding:
    ev = f"{name}: {what}: loaders that walk or copy the tree (load_hyperpyyaml) hang"
    return ALIAS_BOMB.finding(location, ev, member=member)
