"""What a verdict depends on besides the bytes: analyser, allowlist, rules and policy.

Each part has a version string (what the cache key hashes) and a canonical document (what
``fleet rejudge`` diffs to find the names and rules that changed):

- analyser: the Airlock release plus a hash of the scanner's code and data (``airlock/scan``,
  ``airlock/formats``, the TorchScript operator allowlist; not the pickle allowlist):
  any change means every stored verdict is stale;
- allowlist: the pickle allowlist in force (its ``version`` field plus a hash of its bytes);
- rules: every rule id with its default severity and whether it blocks (not judged);
- policy: the content-scoped part of the policy file (fail-on, allowed globals, suppressions by
  digest). Path-scoped parts (ignore, suppress by path) depend on where a file sits, not on its
  bytes, so they are applied when a report is assembled, never cached.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from airlock.policyfile.model import PolicyFile

ALLOWLIST_RESOURCE = "data/pickle_allowlist.json"


def canonical(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _short(data: bytes | str, n: int = 16) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:n]


# modules outside the two packages whose code decides findings (rule texts and severities,
# the regex wrapper every text rule goes through)
ANALYSER_MODULES = ("report.py", "lazy_regex.py")


@lru_cache(maxsize=1)
def analyser_version() -> str:
    """The release plus a hash of every file the scanner judges with: the code of
    ``airlock/scan`` and ``airlock/formats`` and their data (the TorchScript operator
    allowlist, regenerated for each torch release, decides verdicts as code does), but the
    pickle allowlist, which has a version of its own (``allowlist_document``) so that
    ``rejudge`` can diff it name by name."""
    import airlock
    import airlock.formats
    import airlock.scan

    h = hashlib.sha256()
    skip = {Path(base) / ALLOWLIST_RESOURCE for base in airlock.scan.__path__}
    for pkg in (airlock.scan, airlock.formats):
        for base in pkg.__path__:
            for path in sorted(Path(base).rglob("*")):
                if not path.is_file() or path in skip or "__pycache__" in path.parts:
                    continue
                if path.suffix in (".pyc", ".pyo"):
                    continue
                h.update(path.relative_to(base).as_posix().encode() + b"\0")
                h.update(path.read_bytes())
    for base in airlock.__path__:
        for name in ANALYSER_MODULES:
            path = Path(base) / name
            if path.is_file():
                h.update(name.encode() + b"\0" + path.read_bytes())
    return f"{airlock.__version__}+{h.hexdigest()[:16]}"


@lru_cache(maxsize=1)
def allowlist_document() -> tuple[str, dict[str, Any]]:
    """(version, document) of the pickle allowlist this process scans with."""
    data = resources.files("airlock.scan").joinpath(ALLOWLIST_RESOURCE).read_bytes()
    doc: dict[str, Any] = json.loads(data)
    return f"{doc.get('version', 'unknown')}+{_short(data, 12)}", doc


@lru_cache(maxsize=1)
def rules_document() -> tuple[str, dict[str, Any]]:
    """(version, {rule_id: [severity, blocks]}) of every rule the scanner can report."""
    from airlock.scan.format_rules import all_rules

    doc = {r.rule_id: [str(r.severity), r.blocks] for r in all_rules()}
    return _short(canonical(doc)), doc


def policy_document(policy: PolicyFile | None) -> dict[str, Any]:
    """The content-scoped policy: what may change a file's verdict whatever its path."""
    if policy is None:
        return {"fail_on": None, "allow": [], "suppress_digest": []}
    sup = sorted(
        [s.rule, s.digest, str(s.expires or "")] for s in policy.suppress if s.digest is not None
    )
    return {
        "fail_on": None if policy.fail_on is None else str(policy.fail_on),
        "allow": sorted(a.name for a in policy.allow),
        "suppress_digest": sup,
    }


def policy_hash(doc: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(doc).encode()).hexdigest()


@dataclass(frozen=True)
class Ruleset:
    """The four versions a verdict was judged under, and the policy document itself."""

    analyser: str
    allowlist: str
    rules: str
    policy: str
    policy_doc: str  # canonical JSON of ``policy_document``

    def key(self, sha256: str, name: str) -> str:
        """The cache key of one file: its digest and name under these versions. The name is
        part of it because the scanner judges names too (a pickle named ``.safetensors``)."""
        parts = [sha256, name, self.analyser, self.allowlist, self.rules, self.policy]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def policy_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.policy_doc)
        return doc


def current(policy: PolicyFile | None = None) -> Ruleset:
    """The ruleset of this process (its scanner code and data) under ``policy``."""
    doc = policy_document(policy)
    return Ruleset(
        analyser=analyser_version(),
        allowlist=allowlist_document()[0],
        rules=rules_document()[0],
        policy=policy_hash(doc),
        policy_doc=canonical(doc),
    )


def with_policy_doc(policy_doc: str) -> Ruleset:
    """This process's ruleset under a stored policy document (a job's, a cache row's)."""
    doc = json.loads(policy_doc)
    return Ruleset(
        analyser=analyser_version(),
        allowlist=allowlist_document()[0],
        rules=rules_document()[0],
        policy=policy_hash(doc),
        policy_doc=canonical(doc),
    )


def documents(rs: Ruleset) -> list[tuple[str, str, str]]:
    """(kind, version, canonical document) rows to record for ``rs`` (rejudge diffs them)."""
    a_version, a_doc = allowlist_document()
    r_version, r_doc = rules_document()
    assert a_version == rs.allowlist and r_version == rs.rules
    return [
        ("allowlist", a_version, canonical(a_doc)),
        ("rules", r_version, canonical(r_doc)),
        ("policy", rs.policy, rs.policy_doc),
    ]
