"""The registry's tables replayed from the audit events, and compared with what is stored.

No event hash covers a table row, and the gate reads rows. A writer with database access but no
signing key could edit a row (state, policy, advisory, evidence, a version's manifest or base
name...) and leave every event intact; ``audit verify`` replays what the events recorded and
reports each row that differs. Every column is either replayed here, derived from a covered
column (checked), or listed as display-only in ``docs/registry.md`` ("What audit verify covers").

Fields added to events later (``version.submit``'s source_revision, base_model, license and
manifest digest; a decision's envelope digest; an advisory's text digests; a token's secret
digest) are missing from older events: migration 0007 appended one ``*.baseline`` event per
existing version, advisory and token recording their values at that time. A field is covered
from its first record (event or baseline) on; a later baseline that disagrees is reported,
never taken over (an old schema version written back to re-run the migration over an edit).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, text

from airlock.registry import audit

MISSING = object()


def aware(value: datetime | str) -> datetime:
    """As ``store.base.aware`` (a stored time as aware UTC; SQLite hands back naive/text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: The ``version.submit`` fields added in migration 0007 (before: only in the salted record).
VERSION_FIELDS = ("source_revision", "base_model", "license", "manifest_sha256")
ADVISORY_FIELDS = ("description_sha256", "mitigation_sha256")
_SKIPPED = ("decision.refused", "attestation.refused")
_DECISIONS = ("version.approve", "version.reject", "version.revoke")


def sha256_text(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def next_record(previous: str, state: str, event_hash: str) -> str:
    """As ``store.versions.next_record`` (kept here to avoid an import cycle)."""
    body = audit.canonical_json({"previous": previous, "state": state, "event": event_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class _Version:
    data: dict[str, Any]
    state: str = "submitted"
    record: str | None = None
    fields: dict[str, Any] | None = None
    decisions: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    attestations: list[tuple[Any, ...]] = field(default_factory=list)


class Replay:
    """Feed events in sequence order (:meth:`feed`), then compare with the tables."""

    def __init__(self) -> None:
        self.versions: dict[str, _Version] = {}
        self.advisories: dict[str, dict[str, Any]] = {}
        self.policies: dict[str, Any] = {}
        self.keys: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.locations: dict[str, Any] = {}
        self.deployments: dict[str, Any] = {}
        self.envelopes: dict[str, str] = {}
        self.nonces: set[str] = set()
        self.problems: list[str] = []

    def _merge(self, have: dict[str, Any] | None, new: Any, what: str, seq: int) -> Any:
        """A baseline's values: taken where nothing covered them yet, else must agree."""
        if not isinstance(new, dict):
            return have
        if have is None:
            return dict(new)
        for k, v in new.items():
            if k in have and have[k] != v:
                self.problems.append(
                    f"event {seq}: {what}'s {k} differs from what an earlier event recorded "
                    "(edited, then a baseline written over it)"
                )
            have.setdefault(k, v)
        return have

    def feed(self, seq: int, action: str, subject: str, data: Any, event_hash: str) -> None:
        data = data if isinstance(data, dict) else {}
        v = self.versions.get(subject)
        if action == "version.submit":
            if v is not None:
                self.problems.append(f"version {subject[:16]} has two version.submit events")
            fields = {k: data[k] for k in VERSION_FIELDS if k in data} or None
            self.versions[subject] = _Version(data, record=data.get("record"), fields=fields)
        elif action == "version.baseline":
            if v is not None:
                v.fields = self._merge(v.fields, data.get("fields"), f"version {subject[:16]}", seq)
                if v.record is None and isinstance(data.get("record"), str):
                    v.record = data["record"]
                elif data.get("record") not in (None, v.record):
                    self.problems.append(
                        f"event {seq}: version {subject[:16]}'s record differs from its replay"
                    )
            for nonce, digest in (data.get("envelopes") or {}).items():
                if self.envelopes.setdefault(nonce, digest) != digest:
                    self.problems.append(f"event {seq}: decision {nonce[:16]}'s envelope differs")
        elif action.startswith("version.") and v is not None:
            before = v.state
            if "from" in data and data["from"] != before:
                self.problems.append(
                    f"event {seq} ({action}) moves version {subject[:16]} from {data['from']} "
                    f"but its events leave it {before}: its state was changed outside the "
                    "registry before this event"
                )
            if isinstance(data.get("to"), str):
                v.state = data["to"]
                if v.state != before and v.record is not None:
                    v.record = next_record(v.record, v.state, event_hash)
            if action in _DECISIONS:
                nonce = data.get("nonce")
                if isinstance(nonce, str):
                    if nonce in self.nonces:
                        self.problems.append(
                            f"event {seq}: signed statement {nonce[:16]} used twice (replayed)"
                        )
                    self.nonces.add(nonce)
                    if isinstance(data.get("envelope_sha256"), str):
                        self.envelopes[nonce] = data["envelope_sha256"]
                fact = tuple(data.get(k) for k in ("approver", "key_id", "nonce", "reason"))
                v.decisions[(action.partition(".")[2], *fact)] += 1
        elif action.startswith("attestation.") and v is not None:
            fact = (data.get("signer"), data.get("document_sha256"), data.get("verdict"))
            v.attestations.append((action.partition(".")[2], *fact))
        elif action == "advisory.publish":
            digests = sorted(map(str, data.get("versions") or ()))
            texts = {k: data[k] for k in ADVISORY_FIELDS if k in data} or None
            self.advisories[subject] = {"severity": data.get("severity"), "versions": digests,
                                        "texts": texts}  # fmt: skip
        elif action == "advisory.baseline" and subject in self.advisories:
            a = self.advisories[subject]
            a["texts"] = self._merge(a["texts"], data, f"advisory {subject}", seq)
        elif action == "policy.set":
            self.policies[subject] = data
        elif action == "key.add":
            self.keys[subject] = {"identity": data.get("identity"), "revoked": False}
        elif action == "key.revoke" and subject in self.keys:
            self.keys[subject]["revoked"] = True
        elif action == "token.create":
            secret = data.get("secret_sha256")
            self.tokens[subject] = {"name": data.get("name"), "scopes": data.get("scopes"),
                                    "revoked": False, "secret": secret}  # fmt: skip
        elif action == "token.revoke" and subject in self.tokens:
            self.tokens[subject]["revoked"] = True
        elif action == "token.baseline" and subject in self.tokens:
            t = self.tokens[subject]
            got = self._merge(
                {"secret": t["secret"]} if t["secret"] else None,
                {"secret": data.get("secret_sha256")},
                f"token {subject}",
                seq,
            )
            t["secret"] = got["secret"] if got else None
        elif action == "location.set":
            self.locations[subject] = data.get("digest")
        elif action == "deployment.record":
            self.deployments[subject] = data.get("digest")


_Q_EVENTS = text(
    "SELECT seq, action, subject, payload, hash FROM audit_events WHERE seq > :after "
    "AND action NOT LIKE 'admission.%' ORDER BY seq LIMIT 1000"
)


def replay_all(conn: Connection) -> Replay:
    r = Replay()
    after = 0
    while True:
        batch = conn.execute(_Q_EVENTS, {"after": after}).all()
        if not batch:
            return r
        for seq, action, subject, payload, event_hash in batch:
            if action in _SKIPPED:
                continue
            try:
                data = json.loads(payload)
            except (ValueError, RecursionError):
                continue  # audit.verify reports a modified event already
            r.feed(seq, action, subject, data, event_hash)
        after = batch[-1][0]


_VERSION_COLUMNS = (
    "SELECT v.id, v.digest, v.state, m.name, m.source, v.kind, v.base_digest, v.record, "
    "v.source_revision, v.base_model, v.license, v.manifest, v.algorithm, v.file_count, "
    "v.total_size FROM versions v JOIN models m ON m.id = v.model_id"
)
_Q_VERSIONS = text(_VERSION_COLUMNS)
_Q_VERSION = text(_VERSION_COLUMNS + " WHERE v.digest = :d")
_DECISION_COLUMNS = (
    "SELECT version_id, decision, approver, key_id, nonce, reason, envelope FROM decisions"
)
_Q_DECISIONS = text(_DECISION_COLUMNS + " ORDER BY id")
_Q_DECISIONS_OF = text(_DECISION_COLUMNS + " WHERE version_id = :v ORDER BY id")
_ATTESTATION_COLUMNS = (
    "SELECT version_id, kind, signer, document_digest, verdict, document, issued_at "
    "FROM attestations"
)
_Q_ATTESTATIONS = text(_ATTESTATION_COLUMNS + " ORDER BY id")
_Q_ATTESTATIONS_OF = text(_ATTESTATION_COLUMNS + " WHERE version_id = :v ORDER BY id")
_Q_ADVISORIES = text(
    "SELECT id, advisory_id, severity, description, mitigation FROM advisories ORDER BY id"
)
_Q_ADVISED = text(
    "SELECT av.advisory_pk, v.digest FROM advisory_versions av "
    "JOIN versions v ON v.id = av.version_id"
)
_Q_POLICIES = text("SELECT scope, document FROM policies ORDER BY scope")
_Q_KEYS = text("SELECT key_id, identity, public_key, revoked FROM keys ORDER BY id")
_Q_TOKENS = text("SELECT token_id, name, scopes, revoked, secret_hash FROM tokens ORDER BY id")
_Q_LOCATIONS = text(
    "SELECT l.uri, v.digest FROM locations l JOIN versions v ON v.id = l.version_id"
)
_Q_DEPLOYMENTS = text(
    "SELECT d.environment, d.name, v.digest FROM deployments d "
    "JOIN versions v ON v.id = d.version_id"
)


def _manifest_problem(manifest: str, row: Any) -> str | None:
    """The derived columns (digest, algorithm, file count, total size) against the manifest."""
    try:
        data = json.loads(manifest)
        want = (data["root_digest"], data["algorithm"], len(data["files"]), data["total_size"])
    except (ValueError, RecursionError, KeyError, TypeError):
        return "its manifest is not a registry manifest"
    if want != (row.digest, row.algorithm, row.file_count, row.total_size):
        return "its digest, algorithm, file count or size differ from its manifest"
    return None


def check_issued_at(document: str, issued_at: Any) -> bool:
    """Whether a check attestation's ``issued_at`` column is the time inside its signed
    statement (the document's digest is covered by its event; the column is what the
    policy's ``max_age`` reads)."""
    from airlock.attest import statement as st

    try:
        envelope = json.loads(document)["dsseEnvelope"]
        stmt = st.parse(base64.b64decode(envelope["payload"], validate=True))
    except Exception:  # any unreadable document is a mismatch
        return False
    return issued_at is not None and aware(issued_at) == stmt.issued_at


def _row_problem(row: Any, want: _Version | None) -> str | None:
    """What differs between one version row and its replay (``None``: nothing)."""
    if want is None:
        return f"version {row.digest[:16]} ({row.state}) has no version.submit event"
    if want.state != row.state:
        return (
            f"version {row.digest[:16]} is {row.state} but its audit events leave it "
            f"{want.state}: its state was changed outside the registry"
        )
    changed = [
        k
        for k, v in (("model", row.name), ("source", row.source))
        if k in want.data and want.data[k] != v
    ]
    fields = want.fields or {}
    if "kind" in fields:  # a 0007 baseline: kind and base as stored then
        if (row.kind, row.base_digest) != (fields["kind"], fields.get("base_digest")):
            changed.append("kind or adapter base")
    elif want.data.get("kind") == "adapter" or row.kind != "adapter":
        # since 0007 the submit's kind is exact (0005/0006 only turned models into adapters,
        # before 0007, and those versions have baselines)
        if (row.kind, row.base_digest) != (want.data.get("kind"), want.data.get("base_digest")):
            changed.append("kind or adapter base")
    if want.record is not None and want.record != row.record:
        changed.append("state record")
    stored = {
        "source_revision": row.source_revision,
        "base_model": row.base_model,
        "license": row.license,
        "manifest_sha256": sha256_text(row.manifest),
    }
    if want.fields is None:
        changed.append("source_revision, base_model, license and manifest (not recorded)")
    else:
        changed += [k for k in VERSION_FIELDS if want.fields.get(k, MISSING) != stored[k]]
    derived = _manifest_problem(row.manifest, row)
    if derived:
        changed.append(derived)
    if not changed:
        return None
    return (
        f"version {row.digest[:16]}: {', '.join(changed)} changed outside the registry"
        " (not what its audit events say)"
    )


def _evidence(
    r: Replay, by_id: dict[int, str], decisions: Any, attestations: Any
) -> tuple[defaultdict[str, Counter[tuple[Any, ...]]], defaultdict[str, list[Any]], set[str]]:
    stored_d: defaultdict[str, Counter[tuple[Any, ...]]] = defaultdict(Counter)
    stored_a: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
    bad: set[str] = set()
    for vid, decision, approver, key_id, nonce, reason, envelope in decisions:
        digest = by_id.get(vid, "")
        stored_d[digest][(decision, approver, key_id, nonce, reason)] += 1
        if r.envelopes.get(nonce) != sha256_text(str(envelope)):
            bad.add(digest)
    for vid, kind, signer, doc_digest, verdict, document, issued_at in attestations:
        digest = by_id.get(vid, "")
        stored_a[digest].append((kind, signer, doc_digest, verdict))
        if sha256_text(str(document)) != doc_digest:
            bad.add(digest)
        elif kind == "check" and not check_issued_at(str(document), issued_at):
            bad.add(digest)
    return stored_d, stored_a, bad


def _evidence_problem(digest: str) -> str:
    return (
        f"version {digest[:16]}: its decisions or attestations were changed outside the "
        "registry (not what its audit events recorded)"
    )


def _version_problems(conn: Connection, r: Replay) -> list[str]:
    rows = conn.execute(_Q_VERSIONS).all()
    by_id = {row.id: row.digest for row in rows}
    decisions, attestations, bad = _evidence(
        r, by_id, conn.execute(_Q_DECISIONS), conn.execute(_Q_ATTESTATIONS)
    )
    problems = [p for row in rows if (p := _row_problem(row, r.versions.get(row.digest)))]
    for digest in sorted(r.versions.keys() | decisions.keys() | attestations.keys()):
        want_v = r.versions.get(digest)
        want_d = want_v.decisions if want_v else Counter()
        want_a = want_v.attestations if want_v else []
        if decisions.get(digest, Counter()) != want_d or attestations.get(digest, []) != want_a:
            bad.add(digest)
    return problems + [_evidence_problem(d) for d in sorted(bad)]


def _advisory_problems(
    r: Replay, stored: list[Any], advised: dict[int, list[str]], only: set[str] | None = None
) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for pk, advisory_id, severity, description, mitigation in stored:
        seen.add(advisory_id)
        published = r.advisories.get(advisory_id)
        if published is None:
            problems.append(f"advisory {advisory_id} has no advisory.publish event")
            continue
        texts = {
            "description_sha256": sha256_text(description),
            "mitigation_sha256": sha256_text(mitigation),
        }
        recorded = published["texts"]
        stored_facts = (severity, sorted(advised.get(pk, [])))
        if (
            (published["severity"], published["versions"]) != stored_facts
            or recorded is None
            or any(recorded.get(k, MISSING) != texts[k] for k in ADVISORY_FIELDS)
        ):
            problems.append(
                f"advisory {advisory_id}: its severity, versions, description or mitigation "
                "were changed outside the registry (not what its audit events say)"
            )
    wanted = r.advisories.keys() if only is None else only
    return problems + [
        f"advisory {a} was deleted outside the registry (published, no longer stored)"
        for a in sorted(wanted - seen)
    ]


def _policy_problems(r: Replay, rows: Any, scopes: set[str] | None = None) -> list[str]:
    stored: dict[str, object] = {}
    for scope, document in rows:
        try:
            stored[scope] = json.loads(document)
        except (ValueError, RecursionError):
            stored[scope] = None
    wanted = stored.keys() | r.policies.keys() if scopes is None else scopes
    return [
        f"policy {scope!r} was changed outside the registry (not what its last policy.set "
        "event says)"
        for scope in sorted(wanted)
        if stored.get(scope, MISSING) != r.policies.get(scope, MISSING)
    ]


def _other_problems(conn: Connection, r: Replay) -> list[str]:
    advised: dict[int, list[str]] = {}
    for pk, digest in conn.execute(_Q_ADVISED):
        advised.setdefault(pk, []).append(digest)
    problems = _advisory_problems(r, list(conn.execute(_Q_ADVISORIES)), advised)
    problems += _policy_problems(r, conn.execute(_Q_POLICIES))
    keys: dict[str, dict[str, Any]] = {}
    for key_id, identity, public_key, revoked in conn.execute(_Q_KEYS):
        keys[key_id] = {"identity": identity, "revoked": bool(revoked)}
        if sha256_text(str(public_key)) != key_id:
            keys[key_id]["public_key"] = "replaced"
    problems += [
        f"key {k[:16]} was added, changed or deleted outside the registry"
        for k in sorted(keys.keys() | r.keys.keys())
        if keys.get(k) != r.keys.get(k)
    ]
    tokens: dict[str, dict[str, Any]] = {}
    for token_id, name, scopes, revoked, secret_hash in conn.execute(_Q_TOKENS):
        tokens[token_id] = {
            "name": name,
            "scopes": sorted(str(scopes).split(",")),
            "revoked": bool(revoked),
            "secret": sha256_text(secret_hash),
        }
    problems += [
        f"token {t[:16]} was added, changed or deleted outside the registry"
        for t in sorted(tokens.keys() | r.tokens.keys())
        if tokens.get(t) != r.tokens.get(t)
    ]
    locations = {uri[:300]: digest for uri, digest in conn.execute(_Q_LOCATIONS)}
    problems += [
        f"location {u[:80]!r} was moved, added or deleted outside the registry"
        for u in sorted(locations.keys() | r.locations.keys())
        if locations.get(u) != r.locations.get(u)
    ]
    deployed = {f"{env}/{name}": d for env, name, d in conn.execute(_Q_DEPLOYMENTS)}
    problems += [
        f"deployment {d[:80]!r} was moved, added or deleted outside the registry"
        for d in sorted(deployed.keys() | r.deployments.keys())
        if deployed.get(d) != r.deployments.get(d)
    ]
    return problems


def table_problems(conn: Connection) -> list[str]:
    """Every stored row that is not what the audit events recorded (see the module doc)."""
    r = replay_all(conn)
    problems = r.problems + _version_problems(conn, r) + _other_problems(conn, r)
    return problems[: audit.MAX_PROBLEMS]


# -- the gate's check of one version ---------------------------------------------------------

#: What can name a version as its subject and change the gate's answer. ``decision.refused``
#: and ``attestation.refused`` (anyone with a token can add them, one per refused request) are
#: left out in the query itself: with the (subject, action) index (migration 0008) they cost
#: the gate nothing, however many there are.
VERSION_ACTIONS = (
    "version.submit", "version.baseline", "version.approve", "version.reject",
    "version.revoke", "version.promote", "attestation.scan", "attestation.oms",
    "attestation.check",
)  # fmt: skip
#: More events naming one version than this: the gate denies (it does not verify part of
#: them). ``Attestations`` refuses the attestation that would pass ``MAX_VERSION_ATTESTATIONS``,
#: so an honest registry never gets here.
MAX_GATE_EVENTS = 2000
_GATE_COLUMNS = "SELECT seq, ts, actor, action, subject, payload, prev_hash, hash FROM audit_events"
# One round trip: the version's own events (bounded), its policies' and every advisory's.
# (Built from the constants above only: no value from a request is spliced in.)
_Q_GATE_EVENTS = text(
    f"SELECT * FROM ({_GATE_COLUMNS} WHERE subject = :d AND action IN :actions "  # noqa: S608
    "ORDER BY seq LIMIT :lim) own "
    f"UNION ALL {_GATE_COLUMNS} WHERE subject IN ('*', :m) AND action = 'policy.set' "
    f"UNION ALL {_GATE_COLUMNS} WHERE action IN ('advisory.publish', 'advisory.baseline')"
).bindparams(bindparam("actions", expanding=True))
# decisions and attestations of the version in one result (id order within each kind)
_Q_EVIDENCE_OF = text(
    "SELECT 'd' AS t, id, version_id, decision, approver, key_id, nonce, reason, envelope, "
    "NULL AS issued_at FROM decisions WHERE version_id = :v "
    "UNION ALL SELECT 'a', id, version_id, kind, signer, document_digest, verdict, NULL, "
    "document, issued_at FROM attestations WHERE version_id = :v ORDER BY 1, 2"
)
_Q_ADVISORIES_OF = text(
    "SELECT a.id, a.advisory_id, a.severity, a.description, a.mitigation, v.digest "
    "FROM advisories a LEFT JOIN advisory_versions av ON av.advisory_pk = a.id "
    "LEFT JOIN versions v ON v.id = av.version_id "
    "WHERE a.id IN (SELECT advisory_pk FROM advisory_versions WHERE version_id = :v) "
    "OR a.advisory_id IN :names"
).bindparams(bindparam("names", expanding=True))
_Q_POLICIES_OF = text("SELECT scope, document FROM policies WHERE scope IN ('*', :m)")


def gate_problems(conn: Connection, digest: str) -> list[str]:
    """What the gate's answer for ``digest`` rests on, replayed from this version's events,
    its policies' and the advisories' (each event's own hash recomputed), and compared with
    the rows the gate reads: the version, its decisions and attestations, the advisories
    naming it, the global and model policies. Each event the answer rests on must also be
    linked into the chain (its two neighbours, :func:`audit.link_problems`): an event
    rewritten with its hash recomputed denies here unless every event after it was rewritten
    too and the head moved -- which only a checkpoint, or the prefix a running server
    verified (``audit.VerifiedPrefix``), shows. Cost: bounded by the version's own events
    (at most ``MAX_GATE_EVENTS``; refused requests are not read), the advisories and the
    policy events, never by the chain's length."""
    row = conn.execute(_Q_VERSION, {"d": digest}).first()
    if row is None:
        return []
    params = {"d": digest, "m": row.name, "lim": MAX_GATE_EVENTS + 1, "actions": VERSION_ACTIONS}
    events = sorted(conn.execute(_Q_GATE_EVENTS, params).all())
    own = sum(1 for e in events if e.subject == digest and e.action in VERSION_ACTIONS)
    if own > MAX_GATE_EVENTS:
        return [
            f"more than {MAX_GATE_EVENTS} audit events name this version: too many to verify "
            "at the gate"
        ]
    r = Replay()
    problems: list[str] = []
    names: set[str] = set()
    used: list[Any] = []  # the events this answer rests on: linked into the chain below
    last_policy: dict[str, Any] = {}
    for e in events:
        if audit.event_hash(e.seq, e.ts, e.actor, e.action, e.subject, e.payload, e.prev_hash) != (
            e.hash
        ):
            problems.append(f"event {e.seq} ({e.action}) was modified: its hash does not match")
            continue
        try:
            data = json.loads(e.payload)
        except (ValueError, RecursionError):
            continue
        if e.action == "advisory.publish":
            if not isinstance(data, dict) or digest not in (data.get("versions") or ()):
                continue
            names.add(e.subject)
        if e.action == "policy.set":
            last_policy[e.subject] = e
        elif e.action != "advisory.baseline" or e.subject in names:
            used.append(e)
        r.feed(e.seq, e.action, e.subject, data, e.hash)
    problems += audit.link_problems(conn, used + list(last_policy.values()))
    problem = _row_problem(row, r.versions.get(digest))
    if problem:
        problems.append(problem)
    evidence = conn.execute(_Q_EVIDENCE_OF, {"v": row.id}).all()
    decisions, attestations, bad = _evidence(
        r,
        {row.id: digest},
        [e[2:9] for e in evidence if e[0] == "d"],
        [(*e[2:7], e[8], e[9]) for e in evidence if e[0] == "a"],
    )
    want = r.versions.get(digest)
    if want is not None and (
        decisions.get(digest, Counter()) != want.decisions
        or attestations.get(digest, []) != want.attestations
    ):
        bad.add(digest)
    problems += [_evidence_problem(d) for d in sorted(bad)]
    stored: dict[str, tuple[Any, ...]] = {}
    advised: defaultdict[int, list[str]] = defaultdict(list)
    for pk, advisory_id, severity, description, mitigation, linked in conn.execute(
        _Q_ADVISORIES_OF, {"v": row.id, "names": sorted(names) or [""]}
    ):
        stored[advisory_id] = (pk, advisory_id, severity, description, mitigation)
        if linked is not None:
            advised[pk].append(linked)
    names |= stored.keys()
    problems += _advisory_problems(r, list(stored.values()), advised, only=names)
    scopes = {"*", row.name}
    problems += _policy_problems(r, conn.execute(_Q_POLICIES_OF, {"m": row.name}), scopes)
    return r.problems + problems
