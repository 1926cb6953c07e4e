"""YAML alias bombs (AIR-CFG-026): anchors whose nodes alias other anchors, nested.

``l1: &l1 [*l0, *l0]`` ... ``l39: &l39 [*l38, *l38]`` is 40 lines that PyYAML builds as shared
objects, but loaders that walk or copy the tree visit every path: ``load_hyperpyyaml`` (its
reference resolution and round trip) hangs on it while a plain ``yaml.safe_load`` returns at
once (OmegaConf 2.4 refuses more than 10,000 expanded nodes; older OmegaConf expanded them).
The expansion is counted from the text, without a YAML library: an anchor's node is the flow
collection after it (to its matching bracket) or the block below its line (lines indented
deeper), and its size is one plus the sizes of the
anchors its aliases name (each alias resolved to the latest earlier definition, as YAML does;
an alias inside its own anchor's node is a recursive structure and counts nothing)."""

from __future__ import annotations

import bisect
import re

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
MAX_NODES = 1_000_000  # nodes the expanded tree may hold
MAX_MARKS = 20_000  # anchors or aliases read; beyond: cannot be judged
MAX_WORK = 20_000_000  # alias visits while summing (nested scopes); beyond: cannot be judged
YAML_NAMES = (".yaml", ".yml")


def applies(name: str) -> bool:
    return name.lower().endswith(YAML_NAMES) or name == "MLmodel"


def _scope_end(text: str, pos: int, end_of_anchor: int) -> int:
    """Where the node after the anchor at ``pos`` ends."""
    eol = text.find("\n", end_of_anchor)
    eol = len(text) if eol < 0 else eol
    rest = text[end_of_anchor:eol].lstrip(" \t")
    if rest[:1] in ("[", "{"):
        depth, i = 0, end_of_anchor + (len(text[end_of_anchor:eol]) - len(rest))
        while i < len(text):
            c = text[i]
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return len(text)
    if rest and not rest.startswith("#"):
        return eol  # a scalar (or an alias) on the same line
    start = text.rfind("\n", 0, pos) + 1
    line = text[start:pos]
    indent = len(line) - len(line.lstrip(" \t"))
    item = line.lstrip(" \t").startswith("-")
    i = eol
    while i < len(text):
        nxt = text.find("\n", i + 1)
        nxt = len(text) if nxt < 0 else nxt
        body = text[i + 1 : nxt]
        stripped = body.lstrip(" \t")
        if stripped and not stripped.startswith("#"):
            spaces = len(body) - len(stripped)
            # deeper lines are the node; a key's block sequence may sit at the key's indent
            if spaces < indent or (spaces == indent and (item or not stripped.startswith("-"))):
                return i
        i = nxt
    return len(text)


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
    ends = [_scope_end(text, pos, end) for pos, _, end in anchors]
    targets: list[int | None] = []
    for pos, label in aliases:  # the latest definition before the alias
        defs = by_name.get(label, [])
        k = bisect.bisect_left([anchors[d][0] for d in defs], pos) - 1
        targets.append(defs[k] if k >= 0 else None)
    alias_pos = [pos for pos, _ in aliases]
    sizes: list[int | None] = [None] * len(anchors)
    work = 0
    for i in sorted(range(len(anchors)), key=lambda a: ends[a]):
        pos = anchors[i][0]
        lo, hi = bisect.bisect_left(alias_pos, pos), bisect.bisect_left(alias_pos, ends[i])
        work += hi - lo
        if work > MAX_WORK:
            return [_finding(location, member, name, "anchors nested too deeply to count")]
        total = 1
        for j in range(lo, hi):
            t = targets[j]
            if t is not None and t != i:
                total += sizes[t] or 0  # None: the alias is inside its anchor's node
            if total > MAX_NODES:
                break
        sizes[i] = total
        if total > MAX_NODES:
            label = anchors[i][1][:60]
            what = f"anchor &{label} expands past {MAX_NODES:,} nodes"
            return [_finding(location, member, name, what)]
    return []


def _finding(location: str, member: str | None, name: str, what: str) -> Finding:
    ev = f"{name}: {what}: loaders that walk or copy the tree (load_hyperpyyaml) hang"
    return ALIAS_BOMB.finding(location, ev, member=member)
