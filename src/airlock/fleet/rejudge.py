"""``airlock fleet rejudge``: bring stored verdicts up to the current analyser, allowlist, rules
and policy, re-judging only the files whose recorded evidence meets what changed.

For each ruleset stored verdicts were judged under, the documents recorded with it
(``fleet_rulesets``) are diffed against the current ones:

- allowlist: names whose entry changed (allowed, reference-only, dangerous, argument rules) and
  module/prefix entries; a file is touched when one of its pickle globals matches (a module
  entry matches everything below it and attribute paths through it); a file whose global list
  is incomplete is touched by any allowlist change;
- rules: rule ids whose default severity or blocking changed; a file is touched when it has a
  finding of one;
- policy: allowed globals added or removed, digest suppressions for the file's digest, fail-on;
- analyser (code): every file is touched and needs its bytes.

Touched files are re-judged from their stored result where that is exactly what a fresh scan
would give: policy and severity changes always, and a global that moves from unknown to allowed
when it is judged only by name (not an argument-checked or attribute-reaching helper). Otherwise
their bytes are scanned again from a recorded location (``unavailable`` when none is left).
Untouched files are carried to the new key unchanged. Every verdict that flipped is listed with
the models and registry deployments that contain the file.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from airlock.fleet import codec, judge
from airlock.fleet.cache import Stored, cacheable, insert_verdict, load_row, record_ruleset, writing
from airlock.fleet.evidence import has_pickle
from airlock.fleet.ruleset import Ruleset
from airlock.fleet.tables import FleetFileRow, FleetRulesetRow, FleetVerdictRow
from airlock.scan.allowlist import group_names
from airlock.scan.result import FileResult

UNKNOWN_RULE = "AIR-PKL-002"
_ARG_TABLES = ("calls_args", "import_args", "nested_args", "match_args")


@dataclass(frozen=True)
class AllowlistChange:
    names: frozenset[str]  # exact names whose entry changed
    modules: frozenset[str]  # danger modules / allow prefixes whose entry changed

    def touches(self, name: str) -> bool:
        if name in self.names:
            return True
        dotted = f".{name}."
        return any(f".{m}." in dotted for m in self.modules)  # at component boundaries

    def __bool__(self) -> bool:
        return bool(self.names or self.modules)


def _entries(doc: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """name -> what the allowlist says of it; module/prefix -> what it says."""
    names: dict[str, str] = {}
    modules: dict[str, str] = {}
    for group in doc.get("allow", []):
        for n in group_names(group):
            names[n] = "allow"
    for group in doc.get("ref_only", []):
        for n in group_names(group):
            names[n] = "ref-only"
    for cat in doc.get("dangerous", []):
        what = f"danger:{cat.get('severity')}:{cat.get('category')}"
        for n in cat.get("names", []):
            names[n] = what
        for m in cat.get("modules", []):
            modules[m] = what
    for p in doc.get("allow_prefixes", []):
        modules[p["prefix"].rstrip(".")] = "allow-prefix"
    for table in _ARG_TABLES:
        for k, v in doc.get(table, {}).items():
            if not k.startswith("_"):
                names[k] = names.get(k, "") + f"|{table}:{json.dumps(v, sort_keys=True)}"
    return names, modules


def allowlist_change(old: dict[str, Any], new: dict[str, Any]) -> AllowlistChange:
    on, om = _entries(old)
    nn, nm = _entries(new)
    names = {k for k in on.keys() | nn.keys() if on.get(k) != nn.get(k)}
    modules = {k for k in om.keys() | nm.keys() if om.get(k) != nm.get(k)}
    return AllowlistChange(frozenset(names), frozenset(modules))


def rules_change(old: dict[str, Any], new: dict[str, Any]) -> tuple[frozenset[str], bool]:
    """Rule ids whose severity/blocking changed, and whether rules were added (a new check:
    nothing stored says whether it would fire, so every file needs its bytes)."""
    changed = frozenset(k for k in old.keys() & new.keys() if old[k] != new[k])
    return changed | frozenset(old.keys() - new.keys()), bool(new.keys() - old.keys())


@dataclass(frozen=True)
class PolicyChange:
    allow: frozenset[str]
    digests: frozenset[str]
    fail_on: bool

    def __bool__(self) -> bool:
        return bool(self.allow or self.digests or self.fail_on)


def policy_change(old: dict[str, Any], new: dict[str, Any]) -> PolicyChange:
    allow = set(old.get("allow", [])) ^ set(new.get("allow", []))
    sup_old = {tuple(x) for x in old.get("suppress_digest", [])}
    sup_new = {tuple(x) for x in new.get("suppress_digest", [])}
    digests = {str(x[1]) for x in sup_old ^ sup_new}
    return PolicyChange(
        frozenset(allow), frozenset(digests), old.get("fail_on") != new.get("fail_on")
    )


@dataclass
class Flip:
    sha256: str
    name: str
    before: str
    after: str
    how: str
    models: list[str] = field(default_factory=list)
    versions: list[dict[str, str]] = field(default_factory=list)
    deployments: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "how": self.how,
            "models": self.models,
            "registry_versions": self.versions,
            "deployments": self.deployments,
        }


@dataclass
class RejudgeReport:
    considered: int = 0
    up_to_date: int = 0
    carried: int = 0
    touched: int = 0
    from_evidence: int = 0
    rescanned: int = 0
    unavailable: list[dict[str, str]] = field(default_factory=list)
    flips: list[Flip] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "considered": self.considered,
            "up_to_date": self.up_to_date,
            "touched": self.touched,
            "rejudged_from_evidence": self.from_evidence,
            "rescanned": self.rescanned,
            "unavailable": self.unavailable,
            "carried_unchanged": self.carried,
            "flipped": [f.to_json() for f in self.flips],
            "changes": self.changes,
            "seconds": round(self.seconds, 3),
            "dry_run": self.dry_run,
        }


def _doc(engine: Engine, kind: str, version: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(FleetRulesetRow.document).where(
                FleetRulesetRow.kind == kind, FleetRulesetRow.version == version
            )
        ).first()
    return None if row is None else json.loads(row[0])


def _current_docs(rs: Ruleset) -> dict[str, dict[str, Any]]:
    from airlock.fleet.ruleset import allowlist_document, rules_document

    return {
        "allowlist": allowlist_document()[1],
        "rules": rules_document()[1],
        "policy": rs.policy_json(),
    }


def _evidence_allow(
    stored: Stored, change: AllowlistChange, old: dict[str, Any], new: dict[str, Any]
) -> set[str] | None:
    """The globals that become allowed, when re-judging from evidence is exact (each touched
    global moves from unknown to allowed and is judged by name only); ``None`` otherwise."""
    from airlock.scan.allowlist import ALLOW, UNKNOWN, Policy
    from airlock.scan.pickle_vm import _special_names  # the analyser's own list

    ev = stored.evidence
    if not ev.get("globals_complete", False):
        return None
    old_p, new_p = Policy(old), Policy(new)
    special = _special_names(old_p) | _special_names(new_p)
    globals_ = set(ev.get("globals", []))
    if globals_ & special:
        return None  # attribute-reaching or argument-checked helpers: judged in context
    touched = {g for g in globals_ if change.touches(g)}
    if any(g not in change.names for g in touched):
        return None  # a module/prefix entry moved: judged by more than the name
    out: set[str] = set()
    for g in touched:
        module, _, qual = g.partition(".")
        if old_p.classify(module, qual).status != UNKNOWN:
            return None
        if new_p.classify(module, qual).status != ALLOW:
            return None
        out.add(g)
    return out


def _drop_allowed(result: FileResult, names: set[str]) -> FileResult:
    kept = []
    dropped: dict[str | None, int] = defaultdict(int)
    for f in result.findings:
        name = f.extra.get("callable")
        if f.rule_id == UNKNOWN_RULE and isinstance(name, str) and name in names:
            dropped[f.member] += 1
            continue
        kept.append(f)
    result.findings = kept
    for o in result.objects:
        o.findings = max(0, o.findings - dropped.get(o.member, 0))
    return result


def _location(engine: Engine, sha256: str, name: str) -> str | None:
    f = FleetFileRow
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.location).where(f.sha256 == sha256, f.name == name).order_by(f.id.desc())
        ).all()
    for (loc,) in rows:
        if Path(loc).is_file():
            return str(loc)
    return None


def _rescan(location: str, sha256: str) -> FileResult | None:
    from airlock.scan.engine import ScanOptions, read_once

    done = read_once(Path(location), location, ScanOptions(mode="serial"), "sha256")
    if done.digest != sha256 or done.changed or not cacheable(done.result):
        return None
    return done.result


def rejudge(engine: Engine, rs: Ruleset, *, dry_run: bool = False) -> RejudgeReport:
    """Re-judge every stored verdict not under ``rs`` (see the module docstring)."""
    t0 = time.perf_counter()
    rep = RejudgeReport(dry_run=dry_run)
    now = _current_docs(rs)
    v = FleetVerdictRow
    with engine.connect() as conn:
        combos = conn.execute(
            select(v.analyser_version, v.allowlist_version, v.rules_version, v.policy_hash)
            .where(v.origin != "context")
            .distinct()
        ).all()
    pending: list[tuple[str, str, FileResult, str, int]] = []
    current_combo = (rs.analyser, rs.allowlist, rs.rules, rs.policy)
    # nearest rulesets first: a file judged under several is re-judged from the cheapest
    combos = sorted(
        combos, key=lambda c: tuple(a != b for a, b in zip(c, current_combo, strict=True))
    )
    done_keys: set[str] = set()
    for combo in combos:
        if tuple(combo) == current_combo:
            continue
        analyser, allowlist, rules, policy = combo
        old = {
            "allowlist": _doc(engine, "allowlist", allowlist),
            "rules": _doc(engine, "rules", rules),
            "policy": _doc(engine, "policy", policy),
        }
        code_changed = analyser != rs.analyser
        a_change = (
            allowlist_change(old["allowlist"], now["allowlist"])
            if allowlist != rs.allowlist and old["allowlist"] is not None
            else AllowlistChange(frozenset(), frozenset())
        )
        a_unknown = allowlist != rs.allowlist and old["allowlist"] is None
        r_changed, r_added = (
            rules_change(old["rules"], now["rules"])
            if rules != rs.rules and old["rules"] is not None
            else (frozenset(), rules != rs.rules)
        )
        p_change = (
            policy_change(old["policy"], now["policy"])
            if policy != rs.policy and old["policy"] is not None
            else PolicyChange(frozenset(), frozenset(), policy != rs.policy)
        )
        rep.changes.append(
            {
                "from": {
                    "analyser": analyser,
                    "allowlist": allowlist,
                    "rules": rules,
                    "policy": policy,
                },
                "analyser_changed": code_changed,
                "allowlist_names": sorted(a_change.names)[:200],
                "allowlist_modules": sorted(a_change.modules)[:200],
                "rules": sorted(r_changed),
                "rules_added": r_added,
                "policy_allow": sorted(p_change.allow),
                "policy_digests": sorted(p_change.digests),
                "policy_fail_on": p_change.fail_on,
            }
        )
        with engine.connect() as conn:
            rows = conn.execute(
                select(v).where(
                    v.analyser_version == analyser,
                    v.allowlist_version == allowlist,
                    v.rules_version == rules,
                    v.policy_hash == policy,
                    v.origin != "context",
                )
            ).all()
        from airlock.fleet.jobs import existing_keys

        present = existing_keys(engine, {rs.key(r.sha256, r.name) for r in rows})
        for row in rows:
            stored = load_row(row)
            new_key = rs.key(stored.sha256, stored.name)
            if new_key in done_keys:
                continue
            rep.considered += 1
            if new_key in present:
                rep.up_to_date += 1
                done_keys.add(new_key)
                continue
            ev = stored.evidence
            needs_bytes = code_changed or r_added or a_unknown
            how = "carried"
            allow_now: set[str] | None = set()
            if not needs_bytes and a_change and has_pickle(ev):
                if not ev.get("globals_complete", False) or any(
                    a_change.touches(g) for g in ev.get("globals", [])
                ):
                    allow_now = _evidence_allow(
                        stored, a_change, old["allowlist"] or {}, now["allowlist"]
                    )
                    if allow_now is None:
                        needs_bytes = True
                    else:
                        how = "evidence"
            if not needs_bytes and how == "carried":
                globals_ = set(ev.get("globals", []))
                if (
                    set(ev.get("rules", [])) & r_changed
                    or (globals_ & p_change.allow)
                    or stored.sha256 in p_change.digests
                    or (p_change.fail_on and ev.get("rules"))
                ):
                    how = "evidence"
            result: FileResult | None
            if needs_bytes:
                rep.touched += 1
                loc = _location(engine, stored.sha256, stored.name)
                result = None if loc is None or dry_run else _rescan(loc, stored.sha256)
                if result is None:
                    if not dry_run:
                        rep.unavailable.append(
                            {
                                "sha256": stored.sha256,
                                "name": stored.name,
                                "why": "no readable copy of these bytes",
                            }
                        )
                    done_keys.add(new_key)
                    continue
                rep.rescanned += 1
                how = "rescanned"
                origin = "scan"
            else:
                result = codec.decode(stored.result, stored.name)
                if how == "evidence":
                    rep.touched += 1
                    rep.from_evidence += 1
                    if old["rules"] is not None and r_changed:
                        result = judge.regrade(result, old["rules"], now["rules"])
                    if allow_now:
                        result = _drop_allowed(result, allow_now)
                else:
                    rep.carried += 1
                origin = "evidence" if how == "evidence" else "carried"
            after = judge.judge(result, stored.sha256, rs.policy_json()).verdict
            if after != stored.verdict:
                rep.flips.append(Flip(stored.sha256, stored.name, stored.verdict, after, how))
            if not dry_run:
                pending.append((stored.sha256, stored.name, result, origin, int(row.size)))
                if len(pending) >= 200:
                    _flush(engine, rs, pending)
            done_keys.add(new_key)
    if pending:
        _flush(engine, rs, pending)
    _where(engine, rep.flips)
    rep.seconds = time.perf_counter() - t0
    return rep


def _flush(
    engine: Engine, rs: Ruleset, pending: list[tuple[str, str, FileResult, str, int]]
) -> None:
    """Write re-judged verdicts in one transaction (idempotent rows), and empty ``pending``."""
    with writing(engine) as conn:
        record_ruleset(conn, rs)
        for sha256, name, result, origin, size in pending:
            insert_verdict(conn, rs, sha256, name, result, origin=origin, size=size)
    pending.clear()


def _where(engine: Engine, flips: list[Flip]) -> None:
    """Models (fleet jobs) and registry versions/deployments holding each flipped file."""
    if not flips:
        return
    f = FleetFileRow
    by_sha: dict[str, list[Flip]] = defaultdict(list)
    for fl in flips:
        by_sha[fl.sha256].append(fl)
    with engine.connect() as conn:
        for fl in flips:
            models = conn.execute(
                select(f.model).where(f.sha256 == fl.sha256, f.name == fl.name).distinct()
            ).all()
            fl.models = sorted(str(m[0]) for m in models)
        try:
            versions = conn.execute(
                text(
                    "SELECT v.id, v.digest, v.state, v.manifest, m.name FROM versions v "
                    "JOIN models m ON m.id = v.model_id"
                )
            ).all()
            deployments = conn.execute(
                text("SELECT name, environment, version_id FROM deployments")
            ).all()
        except Exception:  # a database without the registry's tables: fleet-only
            return
    deployed: dict[int, list[dict[str, str]]] = defaultdict(list)
    for name, env, vid in deployments:
        deployed[int(vid)].append({"name": str(name), "environment": str(env)})
    for vid, digest, state, manifest, model in versions:
        try:
            files = json.loads(manifest).get("files", [])
        except ValueError:
            continue
        for entry in files:
            sha = str(entry.get("digest", "")).removeprefix("sha256:")
            for fl in by_sha.get(sha, []):
                if Path(str(entry.get("path", ""))).name != fl.name:
                    continue
                fl.versions.append(
                    {
                        "model": str(model),
                        "version": str(digest),
                        "state": str(state),
                        "file": str(entry.get("path")),
                    }
                )
                fl.deployments += [{**d, "version": str(digest)} for d in deployed[int(vid)]]
