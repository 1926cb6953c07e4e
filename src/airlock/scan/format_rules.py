"""Rule catalogue for the non-pickle format handlers (safetensors, GGUF, Jinja, ONNX, Keras, TF,
repository configs): one place that holds each rule's stable id, severity, title, why and reference,
so handlers only supply the evidence."""

from __future__ import annotations

import sys
from typing import Any, Final

from airlock.report import Finding, Severity

MAX_EVIDENCE = 400
_REGISTRY: dict[str, Rule] = {}


class Rule:
    """A stable rule id with its default severity and explanation.

    Every rule registers itself on creation (:func:`lookup`, :func:`all_rules`): the SARIF rule
    metadata and the rule table of ``docs/scan-formats.md`` come from this one registry.
    ``blocks``: a finding of this rule means the object was not (fully) judged -- a budget
    stopped the analysis, or a claimed format did not parse -- so the engine reports the object
    as not scanned (which denies). Immutable (``Final``: mypy rejects any assignment); equal
    (and hashed) by everything but ``defined_in`` (the module, for ``airlock explain RULE``). A
    plain class: a frozen dataclass would compile its methods' source at import, on every run."""

    def __init__(
        self,
        rule_id: str,
        severity: Severity,
        title: str,
        why: str,
        reference: str | None = None,
        blocks: bool = False,
        defined_in: str = "",
    ) -> None:
        self.rule_id: Final = rule_id
        self.severity: Final = severity
        self.title: Final = title
        self.why: Final = why
        self.reference: Final = reference
        self.blocks: Final = blocks
        # the module whose code created the rule, unless given
        self.defined_in: Final = defined_in or sys._getframe(1).f_globals["__name__"]
        known = _REGISTRY.get(rule_id)
        if known is not None and known != self:
            raise ValueError(f"rule id {rule_id} defined twice with different content")
        _REGISTRY[rule_id] = self

    def _key(self) -> tuple[object, ...]:
        return (self.rule_id, self.severity, self.title, self.why, self.reference, self.blocks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rule):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Rule(rule_id={self.rule_id!r}, severity={self.severity!r}, title={self.title!r}, "
            f"why={self.why!r}, reference={self.reference!r}, blocks={self.blocks!r}, "
            f"defined_in={self.defined_in!r})"
        )

    def finding(
        self,
        location: str,
        evidence: str = "",
        *,
        member: str | None = None,
        offset: int | None = None,
        severity: Severity | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Finding:
        """A ``Finding`` for this rule; evidence is cut so hostile input cannot bloat reports."""
        if len(evidence) > MAX_EVIDENCE:
            evidence = evidence[: MAX_EVIDENCE - 3] + "..."
        return Finding(
            rule_id=self.rule_id,
            severity=self.severity if severity is None else severity,
            title=self.title,
            location=location,
            evidence=evidence,
            why=self.why,
            member=member,
            offset=offset,
            reference=self.reference,
            extra=dict(extra or {}),
        )


def short(value: object, limit: int = 120) -> str:
    """``repr`` of untrusted data, cut to ``limit`` characters for evidence strings."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def lookup(rule_id: str) -> Rule | None:
    """The rule with this id, if its module has been imported (a finding implies it was)."""
    return _REGISTRY.get(rule_id)


def all_rules() -> list[Rule]:
    """Every rule of the scanner, sorted by id (imports every ``airlock.scan`` module)."""
    import importlib
    import pkgutil

    import airlock.scan

    for mod in pkgutil.walk_packages(airlock.scan.__path__, "airlock.scan."):
        importlib.import_module(mod.name)
    return sorted(_REGISTRY.values(), key=lambda r: r.rule_id)


def rule_table() -> str:
    """The Markdown rule table of ``docs/scan-formats.md`` (a test keeps the doc in step)."""
    rows = ["| rule | default severity | not judged | title | reference |",
            "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for r in all_rules():
        ref = (r.reference or "").replace("|", "\\|")
        rows.append(
            f"| {r.rule_id} | {r.severity} | {'yes' if r.blocks else ''} | {r.title} | {ref} |"
        )
    return "\n".join(rows) + "\n"
