"""Signed decision statements: shape, signature, key lookup; hostile payloads never crash."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.provenance.dsse import INTOTO_PAYLOAD_TYPE, sign_envelope
from airlock.provenance.keys import generate_private_key, key_hint
from airlock.registry.errors import InvalidRequest, RegistryError, SignatureInvalid
from airlock.registry.statements import (
    PREDICATE_TYPE,
    STATEMENT_TYPE,
    TrustedKey,
    make_statement,
    parse_statement,
    sign_decision,
    sign_statement,
    verify_decision,
)

DIGEST = "ab" * 32
REC = "5e" * 32
KEY = generate_private_key()
TRUSTED = TrustedKey(key_hint(KEY.public_key()), "alice", KEY.public_key())


def lookup(keyid: str) -> list[TrustedKey]:
    return [TRUSTED] if keyid in ("", TRUSTED.key_id) else []


def test_roundtrip() -> None:
    env = sign_decision("approve", DIGEST, "org/m", KEY, record=REC, reason="fine")
    assert env["payloadType"] == INTOTO_PAYLOAD_TYPE
    assert env["signatures"][0]["keyid"] == TRUSTED.key_id
    stmt = json.loads(base64.b64decode(env["payload"]))
    assert stmt["_type"] == STATEMENT_TYPE and stmt["predicateType"] == PREDICATE_TYPE
    assert stmt["subject"] == [{"name": "org/m", "digest": {"sha256": DIGEST}}]
    d = verify_decision(env, lookup)
    assert (d.decision, d.digest, d.model, d.identity, d.reason) == (
        "approve",
        DIGEST,
        "org/m",
        "alice",
        "fine",
    )
    assert d.previous_state == "submitted"
    assert sign_decision("revoke", DIGEST, "m", KEY, record=REC)["payload"] != env["payload"]


def test_identity_comes_from_the_key_not_the_statement() -> None:
    other = generate_private_key()
    env = sign_decision("approve", DIGEST, "org/m", other, record=REC)
    with pytest.raises(SignatureInvalid, match="unknown key"):
        verify_decision(env, lookup)
    env["signatures"][0]["keyid"] = ""  # no hint: every trusted key is tried, none verifies
    with pytest.raises(SignatureInvalid, match="any trusted key"):
        verify_decision(env, lookup)


def test_tampered_payload_fails() -> None:
    env = sign_decision("approve", DIGEST, "org/m", KEY, record=REC)
    stmt = json.loads(base64.b64decode(env["payload"]))
    stmt["predicate"]["decision"] = "revoke"
    env["payload"] = base64.b64encode(json.dumps(stmt).encode()).decode()
    with pytest.raises(SignatureInvalid):
        verify_decision(env, lookup)


def test_wrong_payload_type_and_shapes() -> None:
    payload = json.dumps(make_statement("approve", DIGEST, "m", record=REC)).encode()
    env = sign_envelope(payload, "text/plain", KEY)
    with pytest.raises(InvalidRequest, match="payloadType"):
        verify_decision(env, lookup)
    for bad in (
        None,
        [],
        {"payload": "!!"},
        {"payloadType": INTOTO_PAYLOAD_TYPE, "payload": "", "signatures": []},
    ):
        with pytest.raises(InvalidRequest):
            verify_decision(bad, lookup)


def test_statement_fields_checked() -> None:
    good = make_statement("approve", DIGEST, "m", record=REC)
    for mutate in (
        lambda s: s.update(_type="x"),
        lambda s: s.update(predicateType="x"),
        lambda s: s.update(subject=[]),
        lambda s: s["subject"][0]["digest"].update(sha256="XYZ"),
        lambda s: s["predicate"].update(decision="delete"),
        lambda s: s["predicate"].update(nonce="short"),
        lambda s: s["predicate"].update(timestamp="yesterday"),
        lambda s: s["predicate"].update(timestamp="2026-01-01T00:00:00"),
        lambda s: s["predicate"].update(reason=1),
        lambda s: s["predicate"].pop("previousState"),
    ):
        stmt = json.loads(json.dumps(good))
        mutate(stmt)
        with pytest.raises(InvalidRequest):
            parse_statement(json.dumps(stmt).encode())
    with pytest.raises(InvalidRequest):
        make_statement("approve", "not hex", "m", record=REC)


def test_freshness_window() -> None:
    now = datetime.now(UTC)
    stale = sign_statement(
        make_statement("approve", DIGEST, "m", record=REC, timestamp=now - timedelta(days=8)), KEY
    )
    with pytest.raises(InvalidRequest, match="older"):
        verify_decision(stale, lookup)
    assert verify_decision(stale, lookup, now=now - timedelta(days=2)).decision == "approve"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_parse_statement_never_crashes(payload: bytes) -> None:
    try:
        parse_statement(payload)
    except InvalidRequest:
        pass


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_verify_decision_never_crashes(envelope: object) -> None:
    try:
        verify_decision(envelope, lookup)
    except RegistryError:
        pass
