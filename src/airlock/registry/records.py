"""What registry operations return: frozen records shared by the store, the HTTP client, the API
and the console.

Each record's ``to_json()`` is exactly what the service sends (and what ``--format json``
prints); ``from_json()`` parses a server's answer strictly, so a malformed or hostile answer is a
``RemoteError`` rather than a ``KeyError`` deep inside a caller. Times are ISO 8601 strings in
UTC, as stored in the audit trail. Documents that are JSON by nature (policies, mitigations,
manifest files, audit payloads) stay JSON objects.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Self

from airlock.registry.errors import RemoteError

JsonObject = dict[str, Any]
MAX_ITEMS = 100_000  # the largest list a server answer may hold (export is bounded by 100k)


class Record:
    """Base of every result record: JSON out by field, JSON in by type hint (strictly)."""

    def to_json(self) -> JsonObject:
        return {f.name: _dump(getattr(self, f.name)) for f in fields(typing.cast(Any, self))}

    def __getitem__(self, key: str) -> Any:
        """A field's JSON form (``version["state"]``): a transitional read for callers written
        against the former dict results; new code reads the attributes."""
        if key not in _field_names(type(self)):
            raise KeyError(key)
        return _dump(getattr(self, key))

    @classmethod
    def from_json(cls, data: Any, where: str = "answer") -> Self:
        if not isinstance(data, dict):
            raise RemoteError(f"registry {where}: expected an object")
        hints = _hints(cls)
        values: dict[str, Any] = {}
        for f in fields(typing.cast(Any, cls)):
            if f.name not in data:
                if f.default is not MISSING:
                    continue
                raise RemoteError(f"registry {where}: missing {f.name!r}")
            values[f.name] = _load(hints[f.name], data[f.name], f"{where}.{f.name}")
        return cls(**values)

    @classmethod
    def list_from_json(cls, data: Any, where: str = "answer") -> list[Self]:
        if not isinstance(data, list) or len(data) > MAX_ITEMS:
            raise RemoteError(f"registry {where}: expected a list of at most {MAX_ITEMS}")
        return [cls.from_json(item, f"{where}[{i}]") for i, item in enumerate(data)]


_HINTS: dict[type, dict[str, Any]] = {}
_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = frozenset(f.name for f in fields(typing.cast(Any, cls)))
    return found


def _hints(cls: type) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_json()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _load(hint: Any, value: Any, where: str) -> Any:
    """``value`` checked against ``hint`` (str, int, bool, X | None, tuple[X, ...], JSON object,
    Any, a Record)."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        return _load(options[0], value, where)
    if origin is tuple:
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise RemoteError(f"registry {where}: expected a list")
        item = typing.get_args(hint)[0]
        return tuple(_load(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise RemoteError(f"registry {where}: expected an object")
        return value
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_json(value, where)
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise RemoteError(f"registry {where}: expected an integer")
    if hint in (str, bool) and not isinstance(value, hint):
        raise RemoteError(f"registry {where}: expected a {hint.__name__}")
    return value


# -- models and versions ----------------------------------------------------------------------


@dataclass(frozen=True)
class ModelSummary(Record):
    name: str
    source: str
    versions: int


@dataclass(frozen=True)
class Version(Record):
    """One registered version (identity: its OMS root digest) and its current state."""

    digest: str
    model: str
    source: str
    state: str
    record: str  # the state record signed decisions bind to
    algorithm: str
    file_count: int
    total_size: int
    source_revision: str
    base_model: str
    license: str
    created_at: str
    updated_at: str
    # a PEFT adapter is deployed on a base: which one (root digest); older servers omit both
    kind: str = field(default="model", kw_only=True)
    base_digest: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class AttestationSummary(Record):
    kind: str
    signer: str | None
    digest: str  # sha256 of the stored document
    created_at: str


@dataclass(frozen=True)
class DecisionSummary(Record):
    decision: str
    approver: str
    key_id: str
    reason: str
    created_at: str


@dataclass(frozen=True)
class DeploymentRef(Record):
    name: str
    environment: str
    last_seen: str


@dataclass(frozen=True)
class VersionDetail(Version):
    """A version with its attestations, decisions, advisory ids and deployments."""

    attestations: tuple[AttestationSummary, ...]
    decisions: tuple[DecisionSummary, ...]
    advisories: tuple[str, ...]
    deployments: tuple[DeploymentRef, ...]


@dataclass(frozen=True)
class Attachment(Record):
    """An attestation (scan report, OMS signature, check verdict) attached to a version."""

    digest: str
    kind: str
    signer: str | None
    document_sha256: str
    state: str  # the version's state afterwards (new evidence can promote it)


# -- keys, policies, decisions ----------------------------------------------------------------


@dataclass(frozen=True)
class Key(Record):
    key_id: str
    identity: str
    revoked: bool


@dataclass(frozen=True)
class Policy(Record):
    scope: str  # "*" (global) or a model name
    policy: JsonObject


@dataclass(frozen=True)
class PolicyEvaluation(Record):
    ok: bool
    reasons: tuple[str, ...]
    policy: JsonObject


@dataclass(frozen=True)
class DecisionOutcome(Record):
    """The result of a signed approve / reject / revoke; ``pending``: what policy still needs."""

    digest: str
    decision: str
    approver: str
    state: str
    pending: tuple[str, ...]


# -- advisories and deployments ---------------------------------------------------------------


@dataclass(frozen=True)
class AdvisoryNotice(Record):
    """An advisory as it applies to one version (no list of versions)."""

    id: str
    severity: str
    description: str
    mitigation: JsonObject


@dataclass(frozen=True)
class Advisory(AdvisoryNotice):
    """An advisory and every version it names."""

    versions: tuple[str, ...]


@dataclass(frozen=True)
class Deployment(Record):
    name: str
    environment: str
    digest: str
    state: str
    last_seen: str


@dataclass(frozen=True)
class AffectedDeployment(Record):
    """A deployment running a revoked version or one named by an advisory."""

    name: str
    environment: str
    digest: str
    state: str
    advisories: tuple[AdvisoryNotice, ...]
    last_seen: str


# -- tokens -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token(Record):
    token_id: str
    name: str
    scopes: tuple[str, ...]
    revoked: bool


@dataclass(frozen=True)
class IssuedToken(Record):
    """A new token; ``token`` (the secret) is shown once and never stored."""

    token_id: str
    name: str
    scopes: tuple[str, ...]
    token: str


@dataclass(frozen=True)
class RevokedToken(Record):
    token_id: str
    name: str
    revoked: bool = True


# -- audit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEvent(Record):
    seq: int
    ts: str
    actor: str
    action: str
    subject: str
    payload: Any  # the event's JSON payload (text if it was stored unparseable)
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditHead(Record):
    """The newest event's sequence number and hash (where a follower starts)."""

    seq: int
    hash: str


@dataclass(frozen=True)
class AuditVerification(Record):
    ok: bool
    events: int
    head_seq: int
    head_hash: str
    problems: tuple[str, ...] = ()


# -- locations, admission, export -------------------------------------------------------------


@dataclass(frozen=True)
class Location(Record):
    uri: str
    digest: str
    model: str


@dataclass(frozen=True)
class AdmissionBatch(Record):
    recorded: int
    head_seq: int


@dataclass(frozen=True)
class Approval(Record):
    decision: str
    approver: str


@dataclass(frozen=True)
class ExportRecord(Version):
    """A version with its files, decisions and advisories (the CycloneDX BOM's input)."""

    files: tuple[JsonObject, ...]
    decisions: tuple[Approval, ...]
    advisories: tuple[AdvisoryNotice, ...]


@dataclass(frozen=True)
class AllowedVersion(Record):
    digest: str
    model: str | None


@dataclass(frozen=True)
class AllowedVersions(Record):
    """Every version the gate allows right now (what a signed offline allowlist carries)."""

    versions: tuple[AllowedVersion, ...]


# -- the gate ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateDecision:
    """Allow or deny one exact version, with every reason for a denial."""

    allow: bool
    digest: str
    state: str | None
    model: str | None
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    advisories: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": "allow" if self.allow else "deny",
            "allow": self.allow,
            "digest": self.digest,
            "state": self.state,
            "model": self.model,
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
            "advisories": list(self.advisories),
        }

    @classmethod
    def from_json(cls, data: Any) -> GateDecision:
        """Parse a server's answer strictly: anything unexpected is a ``RemoteError``."""
        if not isinstance(data, dict):
            raise RemoteError("registry answered /v1/check with something other than an object")
        allow = data.get("allow")
        digest = data.get("digest")
        reasons = data.get("reasons", [])
        warnings = data.get("warnings", [])
        advisories = data.get("advisories", [])
        if (
            not isinstance(allow, bool)
            or not isinstance(digest, str)
            or not isinstance(reasons, list)
            or not isinstance(warnings, list)
            or not isinstance(advisories, list)
        ):
            raise RemoteError("registry answered /v1/check with a malformed decision")
        state = data.get("state")
        model = data.get("model")
        return cls(
            allow=allow,
            digest=digest,
            state=state if isinstance(state, str) else None,
            model=model if isinstance(model, str) else None,
            reasons=tuple(str(r) for r in reasons[:1000]),
            warnings=tuple(str(w) for w in warnings[:1000]),
            advisories=tuple(a for a in advisories[:1000] if isinstance(a, dict)),
        )
