"""Keys (generate/store/load/hint) and DSSE envelopes (PAE, sign/verify, tamper, legacy form)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from airlock.errors import AirlockError, UsageError
from airlock.provenance import dsse, keys


def test_pae_matches_dsse_spec_example() -> None:
    assert dsse.pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


@pytest.mark.parametrize("kind", ["p256", "p384", "p521", "ed25519"])
def test_sign_verify_roundtrip_and_tamper(kind: str) -> None:
    key = keys.generate_private_key(kind)
    env = dsse.sign_envelope(b'{"a":1}', dsse.INTOTO_PAYLOAD_TYPE, key)
    assert dsse.verify_envelope(env, key.public_key()) == b'{"a":1}'
    other = dsse.sign_envelope(b'{"a":2}', dsse.INTOTO_PAYLOAD_TYPE, key)
    forged = dict(env, signatures=other["signatures"])
    with pytest.raises(dsse.SignatureError, match="does not verify"):
        dsse.verify_envelope(forged, key.public_key())
    with pytest.raises(dsse.SignatureError):
        dsse.verify_envelope(env, keys.generate_private_key(kind).public_key())
    retyped = dict(env, payloadType="application/json")
    with pytest.raises(dsse.SignatureError):
        dsse.verify_envelope(retyped, key.public_key())


def test_ecdsa_hash_follows_curve() -> None:
    for kind, alg in (("p256", hashes.SHA256), ("p384", hashes.SHA384), ("p521", hashes.SHA512)):
        key = keys.generate_private_key(kind)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        env = dsse.sign_envelope(b"x", "t", key)
        sig = base64.b64decode(env["signatures"][0]["sig"])
        key.public_key().verify(sig, dsse.pae("t", b"x"), ec.ECDSA(alg()))


def test_legacy_pae_only_when_allowed() -> None:
    key = keys.generate_private_key("p256")
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    payload = b'{"x": "y"}'
    legacy = dsse.pae_legacy(dsse.INTOTO_PAYLOAD_TYPE, payload)
    assert legacy.startswith(b"DSSEV1 28 application/vnd.in-toto+json 10 b'{")
    sig = key.sign(legacy, ec.ECDSA(hashes.SHA256()))
    env = {
        "payload": dsse.b64encode(payload),
        "payloadType": dsse.INTOTO_PAYLOAD_TYPE,
        "signatures": [{"sig": dsse.b64encode(sig), "keyid": ""}],
    }
    with pytest.raises(dsse.SignatureError):
        dsse.verify_envelope(env, key.public_key())
    got = dsse.verify_envelope_detailed(env, key.public_key(), allow_legacy_pae=True)
    assert got.legacy_pae and got.payload == payload


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda e: e.update(payload="!!!"), "not valid base64"),
        (lambda e: e.update(payload="YQ"), "not valid base64"),
        (lambda e: e.update(payloadType=3), "payloadType"),
        (lambda e: e.update(signatures=[]), "missing or empty"),
        (lambda e: e["signatures"][0].update(sig=None), "base64 string"),
    ],
)
def test_malformed_envelopes_have_one_line_reasons(mutate: object, reason: str) -> None:
    key = keys.generate_private_key()
    env = dsse.sign_envelope(b"p", "t", key)
    mutate(env)  # type: ignore[operator]
    with pytest.raises(dsse.SignatureError, match=reason) as info:
        dsse.verify_envelope(env, key.public_key())
    assert "\n" not in str(info.value)


def test_keypair_written_encrypted_and_loadable(tmp_path: Path) -> None:
    key = keys.generate_private_key("p384")
    files = keys.write_key_pair(tmp_path, key, b"s3cret")
    data = files.private_path.read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(os.stat(files.private_path).st_mode) == 0o600
    assert keys.private_key_is_encrypted(files.private_path)
    with pytest.raises(keys.KeyFileError, match="no passphrase"):
        keys.load_private_key(files.private_path)
    with pytest.raises(keys.KeyFileError, match="wrong passphrase"):
        keys.load_private_key(files.private_path, b"nope")
    loaded = keys.load_private_key(files.private_path, b"s3cret")
    pub = keys.load_public_key(files.public_path)
    assert keys.key_hint(pub) == hashlib.sha256(files.public_path.read_bytes()).hexdigest()
    assert keys.key_hint(loaded.public_key()) == files.hint
    assert files.oms_compatible and files.key_type == "p384"
    with pytest.raises(UsageError, match="already exists"):
        keys.write_key_pair(tmp_path, key, b"s3cret")
    with pytest.raises(UsageError, match="empty"):
        keys.write_key_pair(tmp_path / "x", key, b"")


def test_hint_equals_openssl_pubout(tmp_path: Path) -> None:
    key = keys.generate_private_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "k.pem").write_bytes(pem)
    try:
        out = subprocess.run(
            ["openssl", "pkey", "-in", str(tmp_path / "k.pem"), "-pubout"],
            capture_output=True,
            check=True,
        ).stdout
    except (FileNotFoundError, subprocess.CalledProcessError):
        pytest.skip("openssl not available")
    assert hashlib.sha256(out).hexdigest() == keys.key_hint(key.public_key())


def test_ed25519_is_labelled_airlock_only() -> None:
    key = keys.generate_private_key("ed25519")
    assert not keys.is_oms_compatible(key.public_key())


def test_rejects_rsa_and_garbage(tmp_path: Path) -> None:
    rsa_pub = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    p = tmp_path / "rsa.pub"
    p.write_bytes(
        rsa_pub.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(keys.KeyFileError, match="unsupported public key type"):
        keys.load_public_key(p)
    g = tmp_path / "g.pub"
    g.write_bytes(b"-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----\n")
    with pytest.raises(AirlockError):
        keys.load_public_key(g)
    with pytest.raises(AirlockError, match="no such"):
        keys.load_public_key(tmp_path / "missing.pub")
    with pytest.raises(UsageError):
        keys.generate_private_key("rsa")


def test_envelope_json_roundtrip_is_plain_json() -> None:
    key = keys.generate_private_key()
    env = dsse.sign_envelope(b"{}", dsse.INTOTO_PAYLOAD_TYPE, key)
    assert dsse.verify_envelope(json.loads(json.dumps(env)), key.public_key()) == b"{}"
