"""Regular expressions from untrusted files, matched without backtracking.

peft fullmatches a string ``target_modules`` (and the keys of ``rank_pattern``/``alpha_pattern``)
against module names with Python ``re``, whose backtracking takes exponential time on patterns
such as ``(a+)+b`` (20 s for 40 characters). Airlock answers the same question in bounded time:
the pattern is parsed by ``re``'s own parser (so it means what peft sees), refused when it uses
anything outside the regular subset (backreferences, lookbehind, lookahead other than at the
start, atomic or possessive groups, inline flags; word boundaries are judged) or is too large,
and matched by simulating its Thompson NFA: time linear in the name times the pattern's size,
whatever the pattern.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Callable
from typing import Any

_parser: Any = importlib.import_module("re._parser")  # re's own parser (no stub in typeshed)

MAX_PATTERN = 1000  # characters
MAX_STATES = 4000  # NFA states of one pattern after expanding counted repeats ({m,n})
MAX_NAME = 4096  # characters of a subject
MAX_BUDGET_STATES = 50_000  # NFA states of all the patterns of one budget (one config)
MAX_WORK = 5_000_000  # NFA state visits per budget over its life: a bound on time, not a hope
MAX_CELLS = 500_000  # NFA states held in the cached DFA transitions of one budget
MAX_GUARDS = 4  # leading lookaheads
MAX_UNBOUNDED = 4  # unbounded repetitions in one pattern: backtracking time is n ** count
_UNICODE = 32  # re.UNICODE, set on every str pattern: the only flag accepted

_CHAR, _SPLIT, _BEGIN, _END, _MATCH, _LIT, _NLIT, _BOUND, _NBOUND = range(9)
_ZERO_WIDTH = (_SPLIT, _BEGIN, _END, _BOUND, _NBOUND)
_CATEGORY: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdecimal,
    "CATEGORY_NOT_DIGIT": lambda c: not c.isdecimal(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda c: not c.isspace(),
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
    "CATEGORY_NOT_WORD": lambda c: not (c.isalnum() or c == "_"),
}


class UnsafePattern(ValueError):
    """The pattern is invalid, too large, or uses something the linear matcher cannot do."""


class Budget:
    """What the patterns of one config may cost together: NFA states, matching steps and
    cached transitions. Bounds per pattern alone let a config of many patterns (1000 keys of
    ``rank_pattern``) cost a thousand times one pattern's bound."""

    def __init__(self, states: int = MAX_BUDGET_STATES, work: int = MAX_WORK,
                 cells: int = MAX_CELLS) -> None:  # fmt: skip
        self.states, self.work, self.cells = states, work, cells

    def take_states(self, n: int) -> None:
        if n > self.states:
            raise UnsafePattern(f"the config's patterns expand to more than "
                                f"{MAX_BUDGET_STATES:,} states together")  # fmt: skip
        self.states -= n

    def take_work(self, n: int) -> None:
        self.work -= n
        if self.work < 0:
            raise UnsafePattern(f"matching the config's patterns took more than {MAX_WORK:,} steps")


class SafePattern:
    """A regular expression compiled to an NFA; :meth:`fullmatch` never backtracks.

    Construction parses and judges the pattern and charges its size to ``budget`` (shared by
    the patterns of one config); the NFA itself is built on first use."""

    def __init__(
        self, pattern: str, _items: list[Any] | None = None, budget: Budget | None = None
    ) -> None:
        self.budget = budget if budget is not None else Budget()
        if _items is None:
            if len(pattern) > MAX_PATTERN:
                raise UnsafePattern(f"pattern of {len(pattern)} characters (limit {MAX_PATTERN})")
            try:
                parsed = _parser.parse(pattern)
            except (re.error, RecursionError, OverflowError, ValueError) as exc:
                raise UnsafePattern(f"not a valid pattern ({str(exc)[:120]})") from None
            if parsed.state.flags & ~_UNICODE:
                raise UnsafePattern("inline flags are not judged")
            _items = list(parsed)
        self.pattern = pattern
        items = _items
        # lookaheads at the very start (after ^): conditions on the name from position 0,
        # e.g. ``^(?!.*vision).*q_proj`` -- each a prefix match of its own NFA
        self._guards: list[tuple[bool, SafePattern]] = []
        lead = [it for it in itertools.takewhile(_is_begin, items)]
        rest = items[len(lead) :]
        while rest and str(rest[0][0]) in ("ASSERT", "ASSERT_NOT") and rest[0][1][0] == 1:
            if len(self._guards) >= MAX_GUARDS:
                raise UnsafePattern(f"more than {MAX_GUARDS} leading lookaheads")
            guard = SafePattern(pattern, list(rest[0][1][1]), self.budget)
            self._guards.append((str(rest[0][0]) == "ASSERT_NOT", guard))
            rest = rest[1:]
        self._items = [*lead, *rest]
        self._classes: dict[int, Callable[[str], bool]] = {}  # one predicate per parsed class
        try:
            size = 1 + self._count(self._items)
        except RecursionError:
            raise UnsafePattern("pattern nested too deeply") from None
        if size > MAX_STATES:
            raise UnsafePattern(f"pattern expands to more than {MAX_STATES} states")
        self.budget.take_states(size)
        self._kind: list[int] = []
        self._arg: list[Any] = []
        self._start = -1
        self._cache: dict[tuple[frozenset[int], str, str | None], frozenset[int]] = {}
        self._cells = 0
        unbounded, nested = _walk(items, False)
        #: why Python's backtracking ``re`` (what peft runs) can take exponential or high
        #: polynomial time on this pattern, or None
        self.risk: str | None = None
        if nested:
            self.risk = "a repetition or alternation inside a repetition (nested backtracking)"
        elif unbounded > MAX_UNBOUNDED:
            self.risk = f"{unbounded} unbounded repetitions (limit {MAX_UNBOUNDED})"

    # -- judging: what the NFA would hold, without building it --
    def _count(self, items: list[Any]) -> int:
        """The NFA states ``items`` expand to (as :meth:`_one` builds them); raises
        :class:`UnsafePattern` for what the matcher cannot do. Stops as soon as the count
        passes the bound, so ``a{65535}{65535}`` costs nothing."""
        total = 0
        for op, av in items:
            total += self._count_one(str(op), av)
            if total > MAX_STATES:
                return total
        return total

    def _count_one(self, op: str, av: Any) -> int:
        if op in ("LITERAL", "NOT_LITERAL", "ANY"):
            return 1
        if op == "IN":
            self._class(av)
            return 1
        if op == "SUBPATTERN":
            if av[1] or av[2]:
                raise UnsafePattern("inline flags are not judged")
            return self._count(list(av[3]))
        if op == "BRANCH":
            return 1 + sum(self._count(list(alt)) for alt in av[1])
        if op in ("MAX_REPEAT", "MIN_REPEAT"):
            lo, hi, body = int(av[0]), int(av[1]), av[2]
            c = self._count(list(body))
            if hi == _parser.MAXREPEAT:
                return 1 + c + lo * c
            return (hi - lo) * (c + 1) + lo * c
        if op == "AT" and str(av) in ("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_END",
                                      "AT_END_STRING", "AT_BOUNDARY",
                                      "AT_NON_BOUNDARY"):  # fmt: skip
            return 1
        raise UnsafePattern(f"{op.lower()} {str(av)[:40]} is not judged")

    def _class(self, av: Any) -> Callable[[str], bool]:
        pred = self._classes.get(id(av))
        if pred is None:  # a counted repeat reuses the parsed class: one predicate for all
            pred = self._classes[id(av)] = _char_class(av)
        return pred

    def _build(self) -> None:
        if self._start < 0:
            match = self._add(_MATCH, None)
            self._start = self._seq(self._items, match)

    # -- construction (backwards: each piece is built in front of what follows it) --
    def _add(self, kind: int, arg: Any) -> int:
        if len(self._kind) >= MAX_STATES:  # counted first: never reached
            raise UnsafePattern(f"pattern expands to more than {MAX_STATES} states")
        self._kind.append(kind)
        self._arg.append(arg)
        return len(self._kind) - 1

    def _seq(self, items: list[Any], nxt: int) -> int:
        for op, av in reversed(items):
            nxt = self._one(str(op), av, nxt)
        return nxt

    def _one(self, op: str, av: Any, nxt: int) -> int:
        if op == "LITERAL":
            return self._add(_LIT, (chr(av), nxt))
        if op == "NOT_LITERAL":
            return self._add(_NLIT, (chr(av), nxt))
        if op == "ANY":
            return self._add(_NLIT, ("\n", nxt))
        if op == "IN":
            return self._add(_CHAR, (self._class(av), nxt))
        if op == "SUBPATTERN":
            _group, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise UnsafePattern("inline flags are not judged")
            return self._seq(list(body), nxt)
        if op == "BRANCH":
            alternatives = [self._seq(list(alt), nxt) for alt in av[1]]
            return self._add(_SPLIT, tuple(alternatives))
        if op in ("MAX_REPEAT", "MIN_REPEAT"):  # laziness does not change a full match
            return self._repeat(av, nxt)
        if op == "AT":
            at = str(av)
            if at in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
                return self._add(_BEGIN, nxt)
            if at in ("AT_END", "AT_END_STRING"):
                return self._add(_END, nxt)
            if at == "AT_BOUNDARY":  # \b: Unsloth's vision target_modules start with one
                return self._add(_BOUND, nxt)
            if at == "AT_NON_BOUNDARY":
                return self._add(_NBOUND, nxt)
        raise UnsafePattern(f"{op.lower()} {str(av)[:40]} is not judged")

    def _repeat(self, av: Any, nxt: int) -> int:
        lo, hi, body = av
        body = list(body)
        if hi == _parser.MAXREPEAT:
            loop = self._add(_SPLIT, ())
            self._arg[loop] = (self._seq(body, loop), nxt)
            start = loop
        else:
            start = nxt
            for _ in range(hi - lo):
                start = self._add(_SPLIT, (self._seq(body, start), nxt))
        for _ in range(lo):
            start = self._seq(body, start)
        return start

    # -- matching --
    def _closure(self, states: frozenset[int] | set[int], prev: str | None, nxt: str | None
                 ) -> frozenset[int]:  # fmt: skip
        """The states reachable without reading, between ``prev`` and ``nxt`` (``None``: the
        start or the end of the name), which decide the zero-width assertions."""
        at_start, at_end = prev is None, nxt is None
        boundary = (prev is not None and _is_word(prev)) != (nxt is not None and _is_word(nxt))
        seen: set[int] = set()
        stack = list(states)
        while stack:
            s = stack.pop()
            if s in seen:
                continue
            seen.add(s)
            kind = self._kind[s]
            if kind == _SPLIT:
                stack.extend(self._arg[s])
            elif kind == _BEGIN and at_start:
                stack.append(self._arg[s])
            elif kind == _END and at_end:
                stack.append(self._arg[s])
            elif (kind == _BOUND and boundary) or (
                kind == _NBOUND and not boundary and not (at_start and at_end)  # re: never in ''
            ):
                stack.append(self._arg[s])
        self.budget.take_work(len(seen))
        return frozenset(s for s in seen if self._kind[s] not in _ZERO_WIDTH)

    def fullmatch(self, name: str) -> bool:
        """Whether ``re.fullmatch(pattern, name)`` matches (``$`` before a final newline
        aside), in time linear in ``len(name)``."""
        if len(name) > MAX_NAME:
            raise UnsafePattern(f"name of {len(name)} characters (limit {MAX_NAME})")
        for negate, guard in self._guards:
            if guard._run(name, prefix=True) == negate:
                return False
        return self._run(name, prefix=False)

    def _moves(self, s: int, c: str) -> bool:
        kind = self._kind[s]
        if kind == _LIT:
            return bool(c == self._arg[s][0])
        if kind == _NLIT:
            return bool(c != self._arg[s][0])
        return kind == _CHAR and bool(self._arg[s][0](c))

    def match(self, name: str) -> bool:
        """Whether ``re.match(pattern, name)`` matches: some prefix of ``name`` matches. peft
        runs ``re.match(rf"(.*\\.)?({key})$", module)`` on its pattern keys, and a key such as
        ``q)|(zzz`` breaks out of the wrapper's group: the ``$`` then binds to one alternative
        only, and the other matches any module that merely starts with ``q``."""
        if len(name) > MAX_NAME:
            raise UnsafePattern(f"name of {len(name)} characters (limit {MAX_NAME})")
        for negate, guard in self._guards:
            if guard._run(name, prefix=True) == negate:
                return False
        return self._run(name, prefix=True)

    def _run(self, name: str, prefix: bool) -> bool:
        """A full match of ``name``, or (``prefix``) a match of any prefix of it."""
        self._build()
        n = len(name)
        cur = self._closure({self._start}, None, name[0] if n else None)
        for i, c in enumerate(name):
            if prefix and any(self._kind[s] == _MATCH for s in cur):
                return True
            nxt = name[i + 1] if i + 1 < n else None
            key = (cur, c, nxt)
            got = self._cache.get(key)
            if got is None:
                self.budget.take_work(len(cur))
                moved = {self._arg[s][1] for s in cur if self._moves(s, c)}
                got = self._closure(moved, c, nxt)
                self._remember(key, got)
            cur = got
            if not cur:
                return False
        return any(self._kind[s] == _MATCH for s in cur)

    def _remember(self, key: tuple[frozenset[int], str, str | None], got: frozenset[int]
                  ) -> None:  # fmt: skip
        """Cache a transition within the budget's cells (a full budget empties this
        pattern's cache; caching only saves time)."""
        cells = len(got) + 1
        if self.budget.cells < cells:
            self.budget.cells += self._cells
            self._cells = 0
            self._cache.clear()
            if self.budget.cells < cells:
                return
        self.budget.cells -= cells
        self._cells += cells
        self._cache[key] = got


def _is_word(c: str) -> bool:
    """A character ``\\b`` counts as part of a word (``re`` on ``str``: Unicode)."""
    return c.isalnum() or c == "_"


def _is_begin(item: Any) -> bool:
    return str(item[0]) == "AT" and str(item[1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING")


def _walk(items: list[Any], in_repeat: bool) -> tuple[int, bool]:
    """(unbounded repetitions, whether a repetition or alternation sits inside an unbounded
    repetition) of a parsed pattern: the shapes that make a backtracking matcher blow up."""
    count, nested = 0, False
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            unbounded = av[1] == _parser.MAXREPEAT or av[1] > 100
            if unbounded:
                count += 1
                nested = nested or in_repeat
            c, n = _walk(list(av[2]), in_repeat or unbounded)
            count, nested = count + c, nested or n
        elif name == "SUBPATTERN":
            c, n = _walk(list(av[3]), in_repeat)
            count, nested = count + c, nested or n
        elif name in ("ASSERT", "ASSERT_NOT"):
            c, n = _walk(list(av[1]), in_repeat)
            count, nested = count + c, nested or n
        elif name == "BRANCH":
            # a backtracking matcher tries the alternatives one after another: their
            # repetitions add up along one alternative's path, not across alternatives
            nested = nested or in_repeat
            widest = 0
            for alt in av[1]:
                c, n = _walk(list(alt), in_repeat)
                widest, nested = max(widest, c), nested or n
            count += widest
    return count, nested


def _char_class(items: list[Any]) -> Callable[[str], bool]:
    negate = False
    chars: set[str] = set()
    ranges: list[tuple[int, int]] = []
    cats: list[Callable[[str], bool]] = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE":
            ranges.append((int(av[0]), int(av[1])))
        elif name == "CATEGORY" and str(av) in _CATEGORY:
            cats.append(_CATEGORY[str(av)])
        else:
            raise UnsafePattern(f"character class item {name.lower()} is not judged")

    def pred(c: str) -> bool:
        o = ord(c)
        hit = c in chars or any(a <= o <= b for a, b in ranges) or any(f(c) for f in cats)
        return hit != negate

    return pred
