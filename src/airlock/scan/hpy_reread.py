"""Strings HyperPyYAML hands to PyYAML's unsafe loader that carry no ``!tuple`` tag in the file.

``load_hyperpyyaml`` first reads the file with ruamel's round-trip loader (quotes are not kept),
resolves ``!ref``/``!copy``, dumps the tree back to text and loads that with its own loader,
where every plain scalar matching ``^\\(.*\\)$`` is an implicit ``!tuple``: its value is re-read
as ``"[" + value[1:-1] + "]"`` by ``yaml.load(Loader=yaml.Loader)``. So a quoted scalar whose
*decoded* value is ``(...)`` (``"\\x28!!python/object/apply:os.system [...])"``) and a ``!ref``
interpolation that builds one (``!ref <a><b>`` with ``a: "(!"``; ``'(%c' % 33`` through the
arithmetic HyperPyYAML evaluates on interpolated strings) are re-read as YAML. This module finds
those strings; :mod:`airlock.scan.yaml_tags` judges them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from airlock.scan import yaml_scalar

# where a quoted scalar may start with "(" once decoded: "(", an escape ("\x28", an escaped
# line break) in double quotes, "(" in single quotes
_QUOTED_PAREN = re.compile(r"\"(?=[(\\])|'(?=\()")
_TUPLE = re.compile(r"\(.*\)$")  # HyperPyYAML's implicit resolver (re.match: anchored start)
MAX_QUOTED = 1000  # quoted scalars decoded; beyond: not judged (the caller's high finding)
# a block-style key (after tags/anchors) and the rest of its line; complex and alias keys are
# not indexed (_HIDDEN_KEYS: a reference then is not proven)
_KEY_LINE = re.compile(
    r"""^[ \t]*(?:-[ \t]+)*(?:[!&][^\s]{0,255}[ \t]+){0,4}(["']?)([^\s"':#!&*?][^:#\n]{0,255}?)\1"""
    r"""[ \t]{0,64}:(?:[ \t]+(.*))?$""",
    re.MULTILINE,
)
# a flow-style key and its value up to the next ',', ']' or '}'
_FLOW_KEY = re.compile(
    r"""[{,][ \t]*(?:[!&][^\s,{}\[\]]{0,255}[ \t]+){0,4}(["']?)([^\s"':#!&*?,{}\[\]]"""
    r"""[^:#\n,{}\[\]]{0,255}?)\1[ \t]{0,64}:[ \t]*([^,}\]\n]*)"""
)
# keys a name search cannot read: complex keys (``? key``) and alias keys (``*k :``)
_HIDDEN_KEYS = re.compile(
    r"""(?:^|[{,])[ \t]*(?:-[ \t]+)*(?:\?(?:[ \t]|$)|\*[^\s,{}\[\]]+[ \t]*:)""", re.MULTILINE
)
# key names the key patterns can index (the name part of _KEY_LINE / _FLOW_KEY)
_INDEXABLE = re.compile(r"""[^\s"':#!&*?,{}\[\]][^:#\n,{}\[\]"']{0,255}""")
_REF = re.compile(r"<([^>]*)>")
# a ':' that may end a key: followed by a blank or line end, or after a quote (JSON-like key)
_COLON = re.compile(r"""["'][ \t]*:|:(?=\s|\Z)""")
_NON_WORD = re.compile(r"\W")
_NOT_NAME = re.compile(r"[:#,{}\[\]\"']")  # characters no indexable key name holds
MAX_NAME = 257  # longer names are not indexable (_INDEXABLE)
MAX_UNREAD = 100_000  # names unread ':'s may end; beyond: no !ref key proven
# characters that can make an interpolated string a tag to PyYAML's re-read (a "!", a string
# constant for HyperPyYAML's arithmetic, %-formatting) or hide one (escapes)
_UNSAFE = frozenset("!'\"%\\")
MAX_DEPTH = 10  # !ref chains followed; deeper: not proven
# ``**`` in an interpolated reference and its right operand: a literal exponent (group 1) not
# raised again (group 2); anything else (a reference, a tower) is computed without bound
_POWER = re.compile(r"\*\*\s*(?:\(?\s*-?(\d{1,6})\s*\)?)?(\s*\*\*)?")
MAX_EXPONENT = 64
MAX_BUILT = 10_000_000  # characters one resolved template may hold
MAX_SIZE_DEPTH = 100  # !ref chains followed for their size; deeper: too long


def quoted_tuples(text: str) -> Iterator[tuple[int, str, bool]]:
    """``(offset, value, whole)`` of every quoted scalar whose decoded value HyperPyYAML's
    round trip may turn into an implicit ``!tuple``; ``offset`` -1 when more than
    :data:`MAX_QUOTED` had to be decoded (the rest is not read)."""
    for n, m in enumerate(_QUOTED_PAREN.finditer(text)):
        if n >= MAX_QUOTED:
            yield -1, "", False
            return
        value, whole = yaml_scalar.quoted_at(text, m.start())
        if value.startswith("(") and (not whole or _TUPLE.match(value)):
            yield m.start(), value, whole


_ESCAPES = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
# a '<...>' a !ref/!copy tag reads: the tag, then plain template text on the same line
_REF_TEXT = re.compile(r"""!(?:ref|copy)[ \t]+[^,\[\]{}"'#\n]*$""")
_TEMPLATE = re.compile(r"<[^>\n]*>")
MAX_REF_TEXT = 512  # a template's text before a '<...>' read back this far


def bare_template(text: str) -> int | None:
    """Where the first ``<...>`` (read raw, and with every escape decoded) is that no
    ``!ref``/``!copy`` tag on its line reads, outside comment lines; ``None`` if none."""
    for form in (text, _ESCAPES.sub(lambda m: yaml_scalar.quoted_at(f'"{m.group()}"', 0)[0], text)):
        for m in _TEMPLATE.finditer(form):
            low = max(0, m.start() - MAX_REF_TEXT)
            nl = form.rfind("\n", low, m.start())
            before = form[nl + 1 if nl >= 0 or low == 0 else low : m.start()]
            comment = (nl >= 0 or low == 0) and before.lstrip(" \t")[:1] == "#"
            if comment or _REF_TEXT.search(before):
                continue
            return m.start()
    return None


class Templates:
    """Judges ``!ref``/``!copy`` templates. HyperPyYAML passes one whole ``<key>``'s value
    through unchanged (re-resolved when it is a string holding ``<...>``) and splices ``str()``
    of each value into any other template, then re-resolves the result and evaluates it as
    arithmetic. A template is proven unable to build a tag for PyYAML's re-read only when it
    and every value spliced into it (found by key name, through ``!ref`` chains) is one plain
    line without :data:`_UNSAFE` characters; a key that cannot be found is not proven."""

    def __init__(self, text: str) -> None:
        # ruamel drops one byte-order mark at the start; keys spelled with escaped line breaks
        # are read joined, a key's escapes as its quotes decode them (a single-quoted '\x6b'
        # is the key "\\x6b")
        text = text[1:] if text.startswith("\ufeff") else text
        self.text = yaml_scalar.join_escaped_breaks(yaml_scalar.normal_breaks(text))
        self.index: dict[str, list[str]] | None = None
        self.hidden: bool | None = None
        self.blank_colon = False  # a ':' with nothing before it on its line
        self.read_colons: set[int] = set()  # where the ':' of every indexed key is
        self.unread: set[str] | None = None  # names an unread ':' may end; None: too many
        self.memo: dict[tuple[str, bool], str | None] = {}
        self.sizes: dict[str, int] = {}  # the characters a key name's values resolve to

    def _values(self, key: str) -> list[str]:
        """The rest of the line after every block-style ``key:`` (``{}`` when the value is a
        block collection below it, the next line's text when that is its scalar)."""
        if self.index is None:
            self.index = {}
            text = self.text
            for m in _KEY_LINE.finditer(text):
                value = (m.group(3) or "").strip()
                indent = len(m.group(0)) - len(m.group(0).lstrip(" \t-"))
                end = m.end()
                if not value or value.startswith("#"):
                    value, end = _next_line(text, m.end(), indent)
                if _has_scalar(value) and _continued(text, end, indent):
                    value = "|"  # a multi-line scalar: only its first line was read
                self._add(m, value)
            for m in _FLOW_KEY.finditer(text):
                value = m.group(3).strip()
                if m.end() >= len(text) or text[m.end()] == "\n" or value.startswith("#"):
                    value = "|"  # the value (or its rest) is on a later line: not read
                self._add(m, value or "~")
        return self.index.get(key, [])

    def _add(self, m: re.Match[str], value: str) -> None:
        """Index the key ``m`` matched (its name decoded as its quotes read it) with ``value``
        and remember where its ``:`` is."""
        assert self.index is not None
        quote, name = m.group(1), m.group(2)
        if quote == '"':
            name = yaml_scalar.quoted_at(f'"{name}"', 0)[0]
        elif quote == "'":
            name = name.replace("''", "'")
        self.index.setdefault(name.strip() if not quote else name, []).append(value)
        colon = m.end(2) + len(quote)
        while self.text[colon] in " \t":
            colon += 1
        self.read_colons.add(colon)

    def _unread_names(self) -> set[str] | None:
        """Every name a ``:`` the index did not read as a key's may end (``None``: too many to
        list): the text before it on its line (blanks and a closing quote skipped) from each
        point after a non-word character, up to a character no indexable name holds, raw and
        escape-decoded. A ``:`` with nothing before it on its line (a complex key's value, or
        a key ruamel reads across a NEL/LS/PS break) makes the file's keys hidden."""
        if self.unread is not None:
            return self.unread
        self._values("")
        names: set[str] = set()
        text = self.text
        windows: set[tuple[str, bool]] = set()
        for m in _COLON.finditer(text):
            colon = m.end() - 1
            if colon in self.read_colons:
                continue
            low = max(0, colon - MAX_NAME)
            nl = text.rfind("\n", low, colon)
            whole_line = nl >= 0 or low == 0
            line = text[nl + 1 if whole_line else low : colon]
            if (line, whole_line) in windows:
                continue
            windows.add((line, whole_line))
            if whole_line and line.lstrip(" \t")[:1] == "#":
                continue  # a comment line holds no key
            before = line.rstrip(" \t")
            if not before.strip():
                self.blank_colon = True
                continue
            before = before[:-1] if before[-1] in ('"', "'") else before
            before = _NOT_NAME.split(before[-MAX_NAME:])[-1]
            if len(names) > MAX_UNREAD or len(windows) > MAX_UNREAD:
                return None
            for form in {before, yaml_scalar.quoted_at(f'"{before}"', 0)[0]}:
                names.add(form)
                names.update(form[i.end() :] for i in _NON_WORD.finditer(form))
        self.unread = names
        return names

    def _hidden_keys(self) -> bool:
        """Whether the file has keys a name search cannot read (complex, alias keys)."""
        if self.hidden is None:
            unread = self._unread_names()
            hidden = _HIDDEN_KEYS.search(self.text) is not None
            self.hidden = hidden or self.blank_colon or unread is None
        return self.hidden

    def _unread_key(self, key: str) -> bool:
        """Whether a key named ``key`` may be in the file at a place the index did not read: a
        name the key patterns cannot read (``"k:1"``) or one a ``:`` the index did not read
        as a key's may end (a key behind 300 blanks or a long anchor, a complex key)."""
        if not _INDEXABLE.fullmatch(key):
            return True
        unread = self._unread_names()
        return unread is None or key in unread

    def why_unproven(self, template: str, depth: int = 0, spliced: bool = False) -> str | None:
        """``None`` when the string ``template`` resolves to cannot hold a tag for PyYAML's
        re-read (``spliced``: it is itself spliced into another string), else why not."""
        refs = _REF.findall(template)
        if not refs:
            return None
        if depth >= MAX_DEPTH:
            return f"interpolation {template[:80]!r}: !ref chain too deep"
        whole = not spliced and _REF.fullmatch(template.strip()) is not None
        if not whole and not _UNSAFE.isdisjoint(template):
            return f"interpolation {template[:80]!r} holds a quote, '!', '%' or '\\'"
        for ref in refs:
            why = self._ref(ref, depth, not whole)
            if why is not None:
                return why
        return None

    def _ref(self, ref: str, depth: int, spliced: bool) -> str | None:
        if (ref, spliced) in self.memo:
            return self.memo[(ref, spliced)]
        # in progress: a key name seen again on the way is another key of that name (every
        # value of the name is judged in its own right) or a cycle, which HyperPyYAML refuses
        self.memo[(ref, spliced)] = None
        key = ref.split(".", 1)[0].split("[")[-1].strip("]")
        values = self._values(key)
        why: str | None = None
        if "." in ref and spliced:
            why = f"<{ref[:60]}>: an attribute reference (getattr) spliced into a string"
        elif (spliced and not values) or self._hidden_keys() or self._unread_key(key):
            why = f"<{ref[:60]}>: key {key[:60]!r} not read (absent, or spelled where the"
            why += " index does not read it)"
        # a whole reference to a key this file does not have: its value comes from the file
        # that !include-s this one or from the user's overrides (judged there, or trusted);
        # every key of that name must have been read (a value found elsewhere is no proof)
        for value in values:
            if why is not None:
                break
            value = re.split(r"[ \t]#", value, maxsplit=1)[0].strip()
            why = self._value(ref, value, depth, spliced)
        self.memo[(ref, spliced)] = why
        return why

    def _value(self, ref: str, value: str, depth: int, spliced: bool) -> str | None:
        if value == "~":
            return None
        for tag in ("!ref ", "!copy "):
            if value.startswith(tag):
                value = value[len(tag) :].strip()
                if value[:1] in ('"', "'"):
                    value, whole = yaml_scalar.quoted_at(value, 0)
                    if not whole:
                        return f"<{ref[:60]}>: a quoted template not on one line"
                return self.why_unproven(value, depth + 1, spliced)
        if value == "!PLACEHOLDER":
            return None  # the user's override fills it
        if value[:1] in ('"', "'"):
            value, whole = yaml_scalar.quoted_at(value, 0)
            if not whole:
                return f"<{ref[:60]}>: a quoted value not on one line"
        elif value[:1] in ("!", "&") and not spliced:
            rest = value.partition(" ")[2].strip()  # after a tag or anchor: its node
            if rest[:1] in ("", "[", "{", "#"):
                return None  # a collection or a built object passes through unchanged
            return self._value(ref, rest, depth + 1, spliced)
        elif not value or value[:1] in "!&*|>[{":
            if not spliced and value[:1] in ("[", "{", ""):
                return None  # a collection passes through unchanged
            return f"<{ref[:60]}>: value {value[:60]!r} is not one plain scalar"
        if spliced and not _UNSAFE.isdisjoint(value):
            return f"<{ref[:60]}>: value {value[:60]!r} holds a quote, '!', '%' or '\\'"
        return self.why_unproven(value, depth + 1, spliced)

    def why_costly(self, template: str) -> str | None:
        """Why resolving ``template`` may hang or exhaust the loader, else ``None``: HyperPyYAML
        computes ``**`` in an interpolated reference exactly (``<n> ** 10 ** 10``), and splices
        ``str()`` of each reference, so templates that splice another one twice double at every
        step of a chain (``a1: !ref <a0><a0>``, ``a2: !ref <a1><a1>``... 2**40 characters)."""
        if _REF.fullmatch(template.strip()) is not None:
            return None  # one whole reference passes its value through: nothing is built
        for m in _POWER.finditer(template):
            if not m.group(1) or int(m.group(1)) > MAX_EXPONENT or m.group(2):
                return f"interpolation {template[:80]!r} raises to a power it does not fix"
        size = self._size(template, 0)
        if size > MAX_BUILT:
            return f"interpolation {template[:80]!r} builds over {MAX_BUILT:,} characters"
        return None

    def _size(self, template: str, depth: int) -> int:
        """A bound on the characters ``template`` resolves to (every value of a key name
        counts; a chain deeper than :data:`MAX_SIZE_DEPTH` counts as too long)."""
        refs = _REF.findall(template)
        if not refs:
            return len(template)
        if depth > MAX_SIZE_DEPTH:
            return MAX_BUILT + 1
        total = len(_REF.sub("", template))
        for ref in refs:
            key = ref.split(".", 1)[0].split("[")[-1].strip("]")
            if key not in self.sizes:
                # in progress: another key of that name, or a cycle (HyperPyYAML refuses it)
                self.sizes[key] = 0
                best = 0
                for value in self._values(key):
                    value = re.split(r"[ \t]#", value, maxsplit=1)[0].strip()
                    for tag in ("!ref ", "!copy "):
                        if value.startswith(tag):
                            value = value[len(tag) :].strip().strip("\"'")
                    best = max(best, self._size(value, depth + 1))
                self.sizes[key] = best
            total += self.sizes[key]
            if total > MAX_BUILT:
                return total
        return total


def _next_line(text: str, pos: int, indent: int) -> tuple[str, int]:
    """The first content line after ``pos`` and where it ends: ``~`` (null) when it is indented
    no deeper than the key (``indent``), ``{}`` when it is a key or list item (a block
    collection), else its text (a scalar on the next line)."""
    for _ in range(yaml_scalar.MAX_SCALAR):
        if pos >= len(text):
            return "~", pos
        end = text.find("\n", pos + 1)
        end = len(text) if end < 0 else end
        raw = text[pos + 1 : end]
        line = raw.strip()
        if line and not line.startswith("#"):
            if len(raw) - len(raw.lstrip(" \t")) <= indent and not line.startswith("- "):
                return "~", end
            if line.startswith("- ") or line == "-" or _KEY_LINE.match(text, pos + 1):
                return "{}", end
            return line, end
        pos = end
    return "|", pos  # too far to read: not proven


def _has_scalar(value: str) -> bool:
    """Whether ``value`` (a key's line after the ``:``) holds scalar text after its tags and
    anchors (a collection or an empty node continues on the next lines as its own node)."""
    while value[:1] in ("!", "&"):
        value = value.partition(" ")[2].strip()
    return value[:1] not in ("", "[", "{", "#", "~")


def _continued(text: str, pos: int, indent: int) -> bool:
    """Whether the first content line after ``pos`` (the end of a scalar's first line) is
    indented deeper than its key (``indent``): it continues the scalar (or the file is not
    YAML). Too far to read counts as continued."""
    for _ in range(yaml_scalar.MAX_SCALAR):
        if pos >= len(text):
            return False
        end = text.find("\n", pos + 1)
        end = len(text) if end < 0 else end
        raw = text[pos + 1 : end]
        line = raw.strip()
        if line and not line.startswith("#"):
            return len(raw) - len(raw.lstrip(" \t")) > indent
        pos = end
    return True
