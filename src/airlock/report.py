"""Findings and severities shared by every analyser, and the verdict they roll up into.

Core analysers return ``Finding`` objects; renderers (text, JSON, SARIF) turn them into output.
Nothing here prints or exits.
"""

import enum
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    """Ordered severities; ``--fail-on`` compares with ``>=``."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


class Finding(NamedTuple):
    """One thing worth a human's attention, located precisely.

    ``rule_id`` is stable across releases (e.g. ``AIR-PKL-001``); ``location`` is the file path as
    given to the scanner, ``member`` the path inside an archive (``a.zip!b/data.pkl``), ``offset``
    a byte offset within the innermost object when one is known. Immutable (a ``NamedTuple``:
    no method source is compiled at import, unlike a frozen dataclass); ``extra`` is never
    modified after construction (the shared empty default included).
    """

    rule_id: str
    severity: Severity
    title: str
    location: str
    evidence: str = ""
    why: str = ""
    member: str | None = None
    offset: int | None = None
    reference: str | None = None
    extra: dict[str, Any] = {}  # noqa: RUF012 -- read only, see above

    def to_json(self) -> dict[str, Any]:
        from copy import deepcopy

        data = self._asdict()
        data["severity"] = str(self.severity)
        data["extra"] = deepcopy(self.extra)  # a copy the caller may change, as before
        return data


def max_severity(findings: list[Finding]) -> Severity | None:
    """Highest severity among ``findings`` (``None`` if there are none)."""
    return max((f.severity for f in findings), default=None)
