"""Bundle and statement parsing: strict, precise one-line reasons, never an uncaught exception."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.provenance import dsse, keys, oms
from airlock.provenance.dsse import SignatureError


def _resources() -> list[oms.Resource]:
    return [
        oms.Resource("a/b.bin", "sha256", "11" * 32),
        oms.Resource("c.json", "sha256", "22" * 32),
    ]


def _statement(**changes: Any) -> dict[str, Any]:
    stmt = oms.build_statement("m", oms.Serialization(ignore_paths=(".git",)), _resources())
    stmt.update(changes)
    return stmt


def _parse(stmt: Any) -> oms.SignedStatement:
    return oms.parse_statement(json.dumps(stmt).encode(), dsse.INTOTO_PAYLOAD_TYPE)


def test_build_and_parse_roundtrip() -> None:
    stmt = _statement()
    assert stmt["subject"][0]["digest"]["sha256"] == oms.root_digest_of(_resources())
    parsed = _parse(stmt)
    assert parsed.resources == tuple(_resources())
    assert parsed.serialization.ignore_paths == (".git",)
    assert parsed.subject_name == "m" and not parsed.legacy


def test_unknown_predicate_fields_are_ignored() -> None:
    stmt = _statement()
    stmt["predicate"]["model_card"] = {"x": 1}
    stmt["predicate"]["serialization"]["future"] = True
    assert _parse(stmt).resources == tuple(_resources())


def test_protobuf_style_values_are_tolerated() -> None:
    stmt = _statement()
    stmt["predicate"]["serialization"]["allow_symlinks"] = "false"
    assert not _parse(stmt).serialization.allow_symlinks


def _bad(stmt: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    target: Any = stmt
    for p in path[:-1]:
        target = target[p]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return stmt


@pytest.mark.parametrize(
    "path, value, reason",
    [
        (["_type"], "https://in-toto.io/Statement/v0.1", "_type"),
        (["predicateType"], "https://example.com/other", "unknown predicateType"),
        (["subject"], [], "subject missing"),
        (["subject", 0, "digest", "sha256"], "zz", "64 hex"),
        (["subject", 0, "digest", "sha256"], "ab" * 32, "does not match the resources"),
        (["predicate"], KeyError, "predicate missing"),
        (["predicate", "serialization", "method"], "chunks", "unknown method"),
        (["predicate", "serialization", "hash_type"], "md5", "unknown hash type"),
        (["predicate", "serialization", "ignore_paths"], "x", "ignore_paths"),
        (["predicate", "resources", 0, "algorithm"], "blake2b", "does not match the serialization"),
        (["predicate", "resources", 0, "digest"], "11" * 31, "digest must be 64"),
        (["predicate", "resources", 0, "name"], "../etc/passwd", "normalised relative"),
        (["predicate", "resources", 0, "name"], "/abs", "normalised relative"),
        (["predicate", "resources", 1, "name"], "a/b.bin", "duplicate resource"),
        (["predicate", "resources"], {"a": 1}, "resources"),
    ],
)
def test_statement_errors_are_precise(path: list[Any], value: Any, reason: str) -> None:
    stmt = _bad(_statement(), path, value)
    with pytest.raises(SignatureError, match=reason) as info:
        _parse(stmt)
    assert "\n" not in str(info.value)


def test_two_subjects_rejected() -> None:
    stmt = _statement()
    stmt["subject"].append(dict(stmt["subject"][0]))
    with pytest.raises(SignatureError, match="exactly one subject"):
        _parse(stmt)


def test_payload_type_and_json_errors() -> None:
    with pytest.raises(SignatureError, match="unknown payload type"):
        oms.parse_statement(b"{}", "application/json")
    with pytest.raises(SignatureError, match="malformed JSON"):
        oms.parse_statement(b"{nope", dsse.INTOTO_PAYLOAD_TYPE)
    with pytest.raises(SignatureError, match="not UTF-8"):
        oms.parse_statement(b"\xff\xfe{", dsse.INTOTO_PAYLOAD_TYPE)
    with pytest.raises(SignatureError, match="nested too deeply"):
        oms.parse_statement(b"[" * 100_000, dsse.INTOTO_PAYLOAD_TYPE)


def test_shards_statement_parsing() -> None:
    ser = oms.Serialization("shards", "sha256", False, (), 100)
    res = [oms.Resource("x:y.bin:0:100", "sha256-sharded-100", "33" * 32)]
    stmt = oms.build_statement("m", ser, res)
    stmt["predicate"]["serialization"]["shard_size"] = 100.0
    parsed = _parse(stmt)
    assert parsed.serialization.shard_size == 100
    assert parsed.resources[0].shard == ("x:y.bin", 0, 100)
    stmt["predicate"]["serialization"]["shard_size"] = 100.5
    with pytest.raises(SignatureError, match="not an integer"):
        _parse(stmt)
    stmt["predicate"]["serialization"]["shard_size"] = 100
    stmt["predicate"]["resources"][0]["name"] = "x.bin:0:200"
    with pytest.raises(SignatureError, match="invalid byte range"):
        _parse(stmt)
    stmt["predicate"]["resources"][0]["name"] = "x.bin"
    with pytest.raises(SignatureError, match="shard name"):
        _parse(stmt)


def _bundle() -> dict[str, Any]:
    key = keys.generate_private_key()
    env = dsse.sign_envelope(oms.compact_json(_statement()), dsse.INTOTO_PAYLOAD_TYPE, key)
    return oms.build_bundle(env, key_hint=keys.key_hint(key.public_key()))


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda b: b.update(mediaType="application/vnd.dev.sigstore.bundle+json;version=0.2"),
         "wrong media type"),
        (lambda b: b.pop("dsseEnvelope"), "dsseEnvelope missing"),
        (lambda b: b.update(verificationMaterial={"x": 1}), "no publicKey or certificate"),
        (lambda b: b["verificationMaterial"].update(tlogEntries={}), "tlogEntries"),
        (lambda b: b.update(verificationMaterial={"x509CertificateChain": {"certificates": []}}),
         "certificates must list"),
        (lambda b: b.update(verificationMaterial={
            "x509CertificateChain": {"certificates": [{"rawBytes": "%%%"}]}}), "not valid base64"),
    ],
)  # fmt: skip
def test_bundle_errors_are_precise(mutate: Any, reason: str) -> None:
    b = _bundle()
    mutate(b)
    with pytest.raises(SignatureError, match=reason):
        oms.parse_bundle(json.dumps(b).encode())


def test_bundle_roundtrip_and_bytes() -> None:
    b = _bundle()
    raw = oms.bundle_bytes(b)
    assert not raw.endswith(b"\n") and b", " not in raw
    parsed = oms.parse_bundle(raw)
    assert parsed.method == "key" and parsed.key_hint and not parsed.certificates
    with pytest.raises(SignatureError, match="malformed JSON"):
        oms.parse_bundle(raw[:-1])
    with pytest.raises(SignatureError, match="not a JSON object"):
        oms.parse_bundle(b"[1]")


def _verify_all(data: bytes, key: keys.PublicKey) -> None:
    """The whole parse path on arbitrary bytes: only SignatureError may escape."""
    try:
        bundle = oms.parse_bundle(data)
        v = dsse.verify_envelope_detailed(bundle.envelope, key, allow_legacy_pae=True)
        oms.parse_statement(v.payload, v.payload_type)
    except SignatureError as exc:
        assert "\n" not in str(exc)


_KEY = keys.generate_private_key()
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_fuzz_bundle_bytes(data: bytes) -> None:
    _verify_all(data, _KEY.public_key())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON, st.sampled_from(["dsseEnvelope", "verificationMaterial", "mediaType", "root"]))
def test_fuzz_bundle_structure(value: Any, where: str) -> None:
    b = _bundle()
    if where == "root":
        doc: Any = value
    else:
        b[where] = value
        doc = b
    _verify_all(json.dumps(doc).encode(), _KEY.public_key())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _JSON,
    st.sampled_from(
        [("subject",), ("predicate",), ("predicate", "serialization"), ("predicate", "resources"),
         ("predicate", "serialization", "shard_size"), ("predicate", "serialization", "method"),
         ("predicateType",)]
    ),
)  # fmt: skip
def test_fuzz_signed_statement(value: Any, path: tuple[str, ...]) -> None:
    """Even a correctly signed statement with garbage inside fails cleanly."""
    stmt = _statement()
    target: Any = stmt
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    env = dsse.sign_envelope(json.dumps(stmt).encode(), dsse.INTOTO_PAYLOAD_TYPE, _KEY)
    _verify_all(oms.bundle_bytes(oms.build_bundle(env)), _KEY.public_key())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fuzz_base64_fields(text: str) -> None:
    b = _bundle()
    b["dsseEnvelope"]["payload"] = text
    _verify_all(json.dumps(b).encode(), _KEY.public_key())
    b = _bundle()
    b["dsseEnvelope"]["signatures"][0]["sig"] = text
    _verify_all(json.dumps(b).encode(), _KEY.public_key())


def test_signature_count_and_size_bounds() -> None:
    b = _bundle()
    b["dsseEnvelope"]["signatures"] = [{"sig": base64.b64encode(b"x").decode()}] * 17
    with pytest.raises(SignatureError, match="more than 16"):
        dsse.verify_envelope(b["dsseEnvelope"], _KEY.public_key())
    b = _bundle()
    b["dsseEnvelope"]["signatures"][0]["sig"] = base64.b64encode(b"x" * 5000).decode()
    with pytest.raises(SignatureError, match="larger than"):
        dsse.verify_envelope(b["dsseEnvelope"], _KEY.public_key())


def test_bundle_without_verification_material_is_a_key_bundle() -> None:
    b = _bundle()
    b["verificationMaterial"] = {}
    parsed = oms.parse_bundle(json.dumps(b).encode())
    assert parsed.method == "key" and parsed.key_hint is None
    assert any("pre-1.0" in w for w in parsed.warnings)
