"""Regular expressions compiled on first use.

Compiling one costs 0.2-2.5 M instructions, and most of a scanner's patterns serve formats or
classes a given run never meets: compiled at import, two dozen of them were ~4 % of a checkpoint
scan's start-up (issue 12). ``LazyPattern`` has the methods of ``re.Pattern`` that Airlock
calls; compiling twice from two threads is harmless (same pattern, ``re``'s cache)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import AnyStr, Generic


class LazyPattern(Generic[AnyStr]):
    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: AnyStr, flags: int = 0) -> None:
        self._source: AnyStr = source
        self._flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        pattern = self._compiled
        if pattern is None:
            pattern = self._compiled = re.compile(self._source, self._flags)
        return pattern

    def match(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def sub(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> AnyStr:
        return self.compiled.sub(repl, string, count)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r})"
