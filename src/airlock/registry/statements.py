"""Signed decisions: in-toto Statements (Airlock predicate) in DSSE envelopes.

An approver signs, with their own key and on their own machine, a statement naming the exact
version (the OMS root digest), the decision (approve / reject / revoke), the state they saw
(``previous_state``), the version's current state record (``record``: a digest the registry
derives from the submission record and every state change since, with a random part, so a
statement can only be made for a version that exists, in the state it is in now: one signed
ahead of time, or for an earlier state, is refused now and on every later replay), a time and a
random nonce (a statement is accepted once). The registry verifies the
signature against the keys it trusts and takes the approver's identity from the key, never from
the statement.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from airlock.provenance.dsse import (
    INTOTO_PAYLOAD_TYPE,
    SignatureError,
    parse_envelope,
    sign_envelope,
    verify_envelope_detailed,
)
from airlock.provenance.keys import PrivateKey, PublicKey, key_hint
from airlock.registry.errors import InvalidRequest
from airlock.registry.errors import SignatureInvalid as SignatureInvalid

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://airlock.dev/registry/decision/v1"
DECISIONS = ("approve", "reject", "revoke")
#: The state each decision applies to.
FROM_STATE = {"approve": "submitted", "reject": "submitted", "revoke": "approved"}
MAX_STATEMENT_BYTES = 64 * 1024
MAX_REASON_CHARS = 4000
MAX_FUTURE_SKEW = timedelta(minutes=5)
MAX_AGE = timedelta(days=7)
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_NONCE = re.compile(r"^[0-9A-Za-z_-]{16,128}$")


@dataclass(frozen=True)
class Decision:
    """A verified decision statement."""

    decision: str
    digest: str
    model: str
    reason: str
    previous_state: str
    record: str
    timestamp: datetime
    nonce: str
    key_id: str
    identity: str


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    identity: str
    public_key: PublicKey


def make_statement(
    decision: str,
    digest: str,
    model: str,
    *,
    record: str,
    reason: str = "",
    previous_state: str | None = None,
    timestamp: datetime | None = None,
    nonce: str | None = None,
) -> dict[str, Any]:
    """The unsigned in-toto Statement for one decision over one version.

    ``record`` is the version's current state record as the registry shows it
    (``get_version(digest)["record"]``).
    """
    if decision not in DECISIONS:
        raise InvalidRequest(f"unknown decision {decision!r} (expected one of {DECISIONS})")
    if not _DIGEST.match(digest):
        raise InvalidRequest(f"{digest!r}: not a 64-character lowercase hex sha256 root digest")
    if not isinstance(record, str) or not _DIGEST.match(record):
        raise InvalidRequest("record: the version's state record (64 lowercase hex) is required")
    when = (timestamp or datetime.now(UTC)).astimezone(UTC)
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": model, "digest": {"sha256": digest}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "decision": decision,
            "reason": reason[:MAX_REASON_CHARS],
            "previousState": previous_state or FROM_STATE[decision],
            "record": record,
            "timestamp": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "nonce": nonce or secrets.token_hex(16),
        },
    }


def sign_statement(statement: dict[str, Any], private_key: PrivateKey) -> dict[str, Any]:
    """Wrap a statement in a DSSE envelope signed by ``private_key`` (keyid = OMS key hint)."""
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode("utf-8")
    envelope = sign_envelope(payload, INTOTO_PAYLOAD_TYPE, private_key)
    envelope["signatures"][0]["keyid"] = key_hint(private_key.public_key())
    return envelope


def sign_decision(
    decision: str,
    digest: str,
    model: str,
    private_key: PrivateKey,
    *,
    record: str,
    reason: str = "",
    previous_state: str | None = None,
) -> dict[str, Any]:
    """Make and sign a decision in one call (what ``airlock registry approve`` does)."""
    statement = make_statement(
        decision, digest, model, record=record, reason=reason, previous_state=previous_state
    )
    return sign_statement(statement, private_key)


def _field(obj: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind):
        raise InvalidRequest(f"{where}.{name}: missing or not a {kind.__name__}")
    return value


def _parse_time(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(f"statement timestamp {text[:40]!r} is not ISO 8601") from None
    if when.tzinfo is None:
        raise InvalidRequest("statement timestamp has no time zone")
    return when.astimezone(UTC)


def parse_statement(payload: bytes) -> dict[str, Any]:
    """Check the statement's shape; return its predicate fields plus digest and model."""
    if len(payload) > MAX_STATEMENT_BYTES:
        raise InvalidRequest(f"statement larger than {MAX_STATEMENT_BYTES} bytes")
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        raise InvalidRequest("statement payload is not valid JSON") from None
    if not isinstance(data, dict):
        raise InvalidRequest("statement must be a JSON object")
    if data.get("_type") != STATEMENT_TYPE:
        raise InvalidRequest(f"statement _type must be {STATEMENT_TYPE!r}")
    if data.get("predicateType") != PREDICATE_TYPE:
        raise InvalidRequest(f"statement predicateType must be {PREDICATE_TYPE!r}")
    subjects = _field(data, "subject", list, "statement")
    if len(subjects) != 1 or not isinstance(subjects[0], dict):
        raise InvalidRequest("statement must name exactly one subject")
    subject = subjects[0]
    name = _field(subject, "name", str, "statement.subject[0]")
    digests = _field(subject, "digest", dict, "statement.subject[0]")
    digest = digests.get("sha256")
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise InvalidRequest("statement.subject[0].digest.sha256: not a lowercase hex sha256")
    predicate = _field(data, "predicate", dict, "statement")
    decision = _field(predicate, "decision", str, "statement.predicate")
    if decision not in DECISIONS:
        raise InvalidRequest(
            f"statement.predicate.decision {decision[:20]!r} is not one of {DECISIONS}"
        )
    reason = _field(predicate, "reason", str, "statement.predicate")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidRequest(f"statement reason longer than {MAX_REASON_CHARS} characters")
    previous = _field(predicate, "previousState", str, "statement.predicate")
    record = predicate.get("record")
    if not isinstance(record, str) or not _DIGEST.match(record):
        raise InvalidRequest(
            "statement.predicate.record: missing or not a lowercase hex sha256 (a statement "
            "must name the version's state record it was made for)"
        )
    nonce = _field(predicate, "nonce", str, "statement.predicate")
    if not _NONCE.match(nonce):
        raise InvalidRequest("statement nonce must be 16-128 characters of [0-9A-Za-z_-]")
    when = _parse_time(_field(predicate, "timestamp", str, "statement.predicate"))
    return {
        "decision": decision,
        "digest": digest,
        "model": name,
        "reason": reason,
        "previous_state": previous,
        "record": record,
        "timestamp": when,
        "nonce": nonce,
    }


def verify_decision(
    envelope: Any,
    trusted: Callable[[str], Sequence[TrustedKey]],
    *,
    now: datetime | None = None,
) -> Decision:
    """Verify a signed decision envelope against the registry's trusted keys.

    ``trusted(keyid)`` returns candidate keys for the envelope's key hint (all trusted keys when
    the hint is empty). Raises ``SignatureInvalid`` or ``InvalidRequest`` with the reason.
    """
    try:
        _payload, payload_type, _sigs = parse_envelope(envelope, "envelope")
    except SignatureError as exc:
        raise InvalidRequest(str(exc)) from None
    if payload_type != INTOTO_PAYLOAD_TYPE:
        raise InvalidRequest(f"envelope payloadType must be {INTOTO_PAYLOAD_TYPE!r}")
    keyid = envelope["signatures"][0].get("keyid", "") or ""
    candidates = trusted(keyid)
    if not candidates:
        raise SignatureInvalid(
            f"statement signed by an unknown key {keyid[:16] or '(no key id)'}: "
            "register the approver's public key first"
        )
    for key in candidates:
        try:
            verified = verify_envelope_detailed(envelope, key.public_key, where="envelope")
        except SignatureError:
            continue
        fields = parse_statement(verified.payload)
        current = (now or datetime.now(UTC)).astimezone(UTC)
        if fields["timestamp"] > current + MAX_FUTURE_SKEW:
            raise InvalidRequest("statement timestamp is in the future")
        if fields["timestamp"] < current - MAX_AGE:
            raise InvalidRequest(f"statement is older than {MAX_AGE.days} days: sign a fresh one")
        return Decision(key_id=key.key_id, identity=key.identity, **fields)
    raise SignatureInvalid("statement signature does not verify with any trusted key")
