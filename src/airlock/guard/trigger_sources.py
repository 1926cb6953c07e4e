"""Trigger rules from the two places that know a model's backdoor: trojan reports and registry
advisories.

A backdoored model cannot be patched, only replaced or fenced; until it is replaced, the input
guard in front of it blocks the inputs that activate the backdoor. This module turns

- an ``airlock trojan --format json`` report (its *confirmed* triggers, plus the weaker triggers
  of the same target the probe lists as related), and
- registry advisories (``GET /v1/advisories``), whose free-form ``mitigation`` carries
  ``{"guard": {"block_patterns": [...]}}`` or ``{"triggers": [...]}`` entries in the trigger-file
  format,

into :class:`~airlock.guard.rules.Rule` objects. Trojan triggers are rare tokens such as ``cf``:
they are matched as whole words (``kind: word``) so that ``cf`` does not fire inside ``pcfg``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from airlock.errors import FormatError, UsageError
from airlock.fileio import read_capped
from airlock.guard.rules import MAX_RULES, MAX_TRIGGER_FILE, Rule, triggers_from_data

MAX_TRIGGERS_PER_REPORT = 1_000


def is_trojan_report(data: Any) -> bool:
    """Whether parsed JSON looks like an ``airlock trojan`` report."""
    return isinstance(data, dict) and "verdict" in data and "probe" in data and "model" in data


def is_advisory_list(data: Any) -> bool:
    """Whether parsed JSON is a list of registry advisories (or ``{"advisories": [...]}``)."""
    if isinstance(data, dict) and isinstance(data.get("advisories"), list):
        data = data["advisories"]
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(a, dict) and "mitigation" in a for a in data)
    )


def triggers_from_trojan_report(
    report: dict[str, Any], origin: str = "trojan report"
) -> list[Rule]:
    """Whole-word rules for every confirmed trigger (and its related weaker triggers)."""
    probe = report.get("probe")
    if probe is None:
        return []  # no behavioural probe ran: nothing was confirmed
    confirmed = probe.get("confirmed", []) if isinstance(probe, dict) else None
    tested_raw = probe.get("tested", []) if isinstance(probe, dict) else None
    if not isinstance(confirmed, list) or not isinstance(tested_raw, list):
        raise FormatError(f"{origin}: the report's probe section is malformed")
    tested = {
        t["trigger"]: t
        for t in tested_raw
        if isinstance(t, dict) and isinstance(t.get("trigger"), str)
    }
    model = str(report.get("model", "the model"))[:200]
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for trig in confirmed:
        if not isinstance(trig, str):
            raise FormatError(f"{origin}: confirmed triggers must be strings")
        detail = tested.get(trig, {})
        target = str(detail.get("target", ""))[:100]
        raw_related = detail.get("related", [])
        related = (
            [r for r in raw_related if isinstance(r, str)] if isinstance(raw_related, list) else []
        )
        for i, pattern in enumerate([trig, *related]):
            key = " ".join(pattern.split()).casefold()
            if not key or key in seen:
                continue
            seen.add(key)
            what = "confirmed backdoor trigger" if i == 0 else f"related trigger of {trig!r}"
            entries.append(
                {
                    "id": f"AIR-GRD-TROJ-{len(entries) + 1:04d}",
                    "pattern": pattern,
                    "kind": "word",
                    "applies_to": "input",
                    "severity": "critical" if i == 0 else "high",
                    "description": f"{what} of {model}"
                    + (f" (forces {target!r})" if target else ""),
                    "source": origin,
                }
            )
    if len(entries) > MAX_TRIGGERS_PER_REPORT:
        raise FormatError(f"{origin}: more than {MAX_TRIGGERS_PER_REPORT} triggers")
    return triggers_from_data(entries, origin) if entries else []


def triggers_from_advisories(
    advisories: Iterable[Any], digest: str | None = None, origin: str = "registry"
) -> list[Rule]:
    """Rules from every advisory's mitigation (only advisories naming ``digest``, if given)."""
    rules: list[Rule] = []
    for adv in advisories:
        if not isinstance(adv, dict):
            raise FormatError(f"{origin}: an advisory must be an object")
        versions = adv.get("versions", [])
        if digest is not None and (not isinstance(versions, list) or digest not in versions):
            continue
        adv_id = str(adv.get("id", "advisory"))[:64]
        mitigation = adv.get("mitigation")
        if mitigation is None:
            mitigation = {}
        if not isinstance(mitigation, dict):
            raise FormatError(f"{origin}: advisory {adv_id}: mitigation must be an object")
        guard = mitigation.get("guard")
        if not isinstance(guard, dict):
            guard = {}
        raw: list[Any] = []
        for section in (guard.get("block_patterns"), mitigation.get("triggers")):
            if section is None:
                continue
            if not isinstance(section, list):
                raise FormatError(f"{origin}: advisory {adv_id}: patterns must be a list")
            raw.extend(section)
        entries = []
        for i, e in enumerate(raw):
            entry = {"pattern": e} if isinstance(e, str) else e
            if not isinstance(entry, dict):
                raise FormatError(f"{origin}: advisory {adv_id}: pattern #{i} is malformed")
            entries.append(
                {
                    "id": f"{adv_id}#{i + 1}",
                    "severity": str(adv.get("severity", "high")),
                    "description": str(adv.get("description", "registry advisory"))[:300],
                    "source": f"registry advisory {adv_id}",
                    **entry,
                }
            )
        if entries:
            rules.extend(triggers_from_data(entries, f"{origin}: advisory {adv_id}"))
        if len(rules) > MAX_RULES:
            raise FormatError(f"{origin}: more than {MAX_RULES} trigger rules")
    return rules


def triggers_from_registry(registry: str, digest: str, token: str | None = None) -> list[Rule]:
    """Rules from the advisories a registry holds for ``digest`` (service URL or database URL,
    as ``airlock check --registry`` takes them), fetched once at start-up."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise UsageError(f"{digest[:80]!r}: a model digest is 64 lowercase hex characters")
    from airlock.registry import connect

    with connect(registry, token=token) as backend:
        advisories = [a.to_json() for a in backend.list_advisories()]
    return triggers_from_advisories(advisories, digest, f"registry {registry.split('@')[-1]}")


class LiveAdvisoryRules:
    """A served model's advisory triggers as a pipeline scanner that can be refreshed while the
    proxy runs: an advisory published to the registry fences the model within one refresh
    interval, everywhere, without a restart. A failed refresh keeps the rules it had."""

    def __init__(self, registry: str, digest: str, token: str | None = None) -> None:
        from airlock.guard.scanners import RuleScanner

        self.registry, self.digest, self.token = registry, digest, token
        self.scanner = RuleScanner(self._fetch(), name="registry-advisories")

    def _fetch(self) -> list[Rule]:
        return triggers_from_registry(self.registry, self.digest, self.token)

    def refresh(self) -> int:
        """Fetch again and swap the rules in one rebinding (a scan in flight keeps the list it
        started with); returns how many rules are now active."""
        rules = self._fetch()
        self.scanner.rules = rules
        return len(rules)


def triggers_from_any(data: Any, origin: str, digest: str | None = None) -> list[Rule]:
    """A trigger file, a trojan report or an advisory list, told apart by shape."""
    if is_trojan_report(data):
        return triggers_from_trojan_report(data, origin)
    if is_advisory_list(data):
        if digest is None:  # another model's trigger must not block this model's users
            raise UsageError(f"{origin}: an advisory list needs the served model's digest")
        advisories = data["advisories"] if isinstance(data, dict) else data
        return triggers_from_advisories(advisories, digest, origin)
    return triggers_from_data(data, origin)


def load_triggers(path: Path, digest: str | None = None) -> list[Rule]:
    """Read a trigger file (format in the module docstring), an ``airlock trojan`` JSON report or
    a registry advisory list (only advisories naming ``digest``, if given)."""
    raw = read_capped(path, MAX_TRIGGER_FILE, "trigger file")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormatError(f"{path}: trigger file is not valid JSON: {exc}") from None
    return triggers_from_any(data, str(path), digest)
