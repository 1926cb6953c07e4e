"""Library sign/verify: per-file statuses, ignore lists, single files, shards, certificates."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from airlock.errors import InputError, UsageError
from airlock.provenance import dsse, keys, oms
from airlock.provenance.hashing import hash_model
from airlock.provenance.signing import sign, verify_signature
from tests.signing.helpers import KeyFiles, Pki, make_pki, write_plain_keypair


def _statuses(res: object) -> dict[str, str]:
    return {f.path: f.status for f in res.files}  # type: ignore[attr-defined]


def _payload(sig: Path) -> dict[str, object]:
    bundle = json.loads(sig.read_bytes())
    return json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))  # type: ignore[no-any-return]


def test_sign_writes_oms_bundle_with_hash_model_root(
    model: Path, keypair: KeyFiles, tmp_path: Path
) -> None:
    sig = tmp_path / "model.sig"
    res = sign(model, keypair.key, output=sig)
    raw = sig.read_bytes()
    assert not raw.endswith(b"\n") and b": " not in raw[:200]
    bundle = json.loads(raw)
    assert bundle["mediaType"] == oms.BUNDLE_MEDIA_TYPE
    assert bundle["verificationMaterial"]["publicKey"]["hint"] == keys.key_hint(
        keypair.key.public_key()
    )
    stmt = _payload(sig)
    assert stmt["predicateType"] == oms.PREDICATE_V1
    assert stmt["subject"] == [{"name": "my-model", "digest": {"sha256": res.root_digest}}]
    assert res.root_digest == hash_model(model).root_digest
    names = [r["name"] for r in stmt["predicate"]["resources"]]  # type: ignore[index]
    assert names == [
        "a b/x.txt",
        "a-b",
        "a.txt",
        "config.json",
        "tokenizer/vocab.txt",
        "weights/deeper/empty.bin",
        "weights/deeper/shard-00002.bin",
        "weights/shard-00001.bin",
    ]


def test_verify_ok_then_every_kind_of_tampering(
    model: Path, keypair: KeyFiles, tmp_path: Path
) -> None:
    sig = tmp_path / "model.sig"
    sign(model, keypair.key, output=sig)
    res = verify_signature(model, sig, public_key=keypair.public)
    assert res.ok and res.signature_valid and res.method == "key"
    assert res.signed_ignore_paths == (".git", ".gitattributes", ".github", ".gitignore")
    assert set(_statuses(res).values()) == {"ok"}

    (model / ".git" / "index").write_bytes(b"more git")  # git paths stay ignored
    assert verify_signature(model, sig, public_key=keypair.public).ok

    blob = model / "weights" / "shard-00001.bin"
    data = bytearray(blob.read_bytes())
    data[1234] ^= 0x01
    blob.write_bytes(bytes(data))
    res = verify_signature(model, sig, public_key=keypair.public)
    assert not res.ok and _statuses(res)["weights/shard-00001.bin"] == "changed"
    assert sum(1 for s in _statuses(res).values() if s != "ok") == 1
    data[1234] ^= 0x01
    blob.write_bytes(bytes(data))

    (model / "tokenizer" / "extra.txt").write_text("new")
    res = verify_signature(model, sig, public_key=keypair.public)
    assert not res.ok and _statuses(res)["tokenizer/extra.txt"] == "extra"
    res = verify_signature(model, sig, public_key=keypair.public, ignore_unsigned_files=True)
    assert res.ok and "extra" in _statuses(res).values()
    res = verify_signature(
        model, sig, public_key=keypair.public, ignore_paths=["tokenizer/extra.txt"]
    )
    assert res.ok
    (model / "tokenizer" / "extra.txt").unlink()

    (model / "a.txt").rename(model / "renamed.txt")
    res = verify_signature(model, sig, public_key=keypair.public)
    assert not res.ok
    assert _statuses(res)["a.txt"] == "missing" and _statuses(res)["renamed.txt"] == "extra"
    res = verify_signature(model, sig, public_key=keypair.public, ignore_unsigned_files=True)
    assert not res.ok, "a missing signed file fails even with ignore_unsigned_files"
    (model / "renamed.txt").rename(model / "a.txt")

    (model / "weights" / "deeper" / "empty.bin").unlink()
    res = verify_signature(model, sig, public_key=keypair.public)
    assert not res.ok and _statuses(res)["weights/deeper/empty.bin"] == "missing"


def test_swapped_files_are_detected(model: Path, keypair: KeyFiles, tmp_path: Path) -> None:
    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig)
    a, b = model / "a.txt", model / "a-b"
    da, db = a.read_bytes(), b.read_bytes()
    a.write_bytes(db)
    b.write_bytes(da)
    res = verify_signature(model, sig, public_key=keypair.public)
    assert (
        not res.ok and _statuses(res)["a.txt"] == "changed" and _statuses(res)["a-b"] == "changed"
    )


def test_wrong_key_fails_before_hashing(
    model: Path, keypair: KeyFiles, other_keypair: KeyFiles, tmp_path: Path
) -> None:
    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig)
    res = verify_signature(model, sig, public_key=other_keypair.public)
    assert not res.ok and not res.signature_valid and res.files == []
    assert res.reason.startswith("key mismatch")
    # without the hint, the DSSE signature itself must fail
    bundle = json.loads(sig.read_bytes())
    del bundle["verificationMaterial"]["publicKey"]["hint"]
    res = verify_signature(model, json.dumps(bundle).encode(), public_key=other_keypair.public)
    assert not res.ok and "does not verify" in res.reason
    res = verify_signature(model, json.dumps(bundle).encode(), public_key=keypair.public)
    assert res.ok and any("no public key hint" in w for w in res.warnings)


def test_signature_over_another_payload(model: Path, keypair: KeyFiles, tmp_path: Path) -> None:
    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig)
    bundle = json.loads(sig.read_bytes())
    stmt = _payload(sig)
    stmt["predicate"]["resources"][0]["digest"] = "0" * 64  # type: ignore[index]
    bundle["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(stmt).encode()).decode()
    res = verify_signature(model, json.dumps(bundle).encode(), public_key=keypair.public)
    assert not res.ok and "does not verify" in res.reason


def test_inconsistent_subject_digest_is_reported(
    model: Path, keypair: KeyFiles, tmp_path: Path
) -> None:
    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig)
    stmt = _payload(sig)
    stmt["subject"][0]["digest"]["sha256"] = "ab" * 32  # type: ignore[index]
    env = dsse.sign_envelope(json.dumps(stmt).encode(), dsse.INTOTO_PAYLOAD_TYPE, keypair.key)
    bundle = oms.build_bundle(env, key_hint=keys.key_hint(keypair.key.public_key()))
    res = verify_signature(model, oms.bundle_bytes(bundle), public_key=keypair.public)
    assert not res.ok and "does not match the resources" in res.reason


def test_signature_inside_model_and_single_file(tmp_path: Path, keypair: KeyFiles) -> None:
    single = tmp_path / "one" / "model.safetensors"
    single.parent.mkdir()
    single.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    sig = tmp_path / "one.sig"
    sign(single, keypair.key, output=sig)
    stmt = _payload(sig)
    assert [r["name"] for r in stmt["predicate"]["resources"]] == ["."]  # type: ignore[index]
    assert stmt["subject"][0]["name"] == "model.safetensors"  # type: ignore[index]
    moved = tmp_path / "renamed.bin"
    shutil.copy(single, moved)
    assert verify_signature(moved, sig, public_key=keypair.public).ok
    moved.write_bytes(b"x" + moved.read_bytes()[1:])
    assert not verify_signature(moved, sig, public_key=keypair.public).ok

    d = tmp_path / "m2"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "w").write_bytes(b"w")
    inside = d / "model.sig"
    res = sign(d, keypair.key, output=inside)
    assert "model.sig" in res.ignore_paths
    assert verify_signature(d, inside, public_key=keypair.public).ok


@pytest.mark.parametrize("curve", [ec.SECP384R1(), ec.SECP521R1()])
def test_other_curves(model: Path, tmp_path: Path, curve: ec.EllipticCurve) -> None:
    kp = write_plain_keypair(tmp_path / curve.name, curve)
    sig = tmp_path / "s.sig"
    sign(model, kp.key, output=sig)
    assert verify_signature(model, sig, public_key=kp.public).ok


def test_ed25519_airlock_only(model: Path, tmp_path: Path) -> None:
    key = keys.generate_private_key("ed25519")
    files = keys.write_key_pair(tmp_path / "ed", key, b"pw")
    sig = tmp_path / "s.sig"
    res = sign(model, files.private_path, passphrase=b"pw", output=sig)
    assert not res.oms_compatible
    v = verify_signature(model, sig, public_key=files.public_path)
    assert v.ok and any("Airlock-only" in w for w in v.warnings)


def test_shards_with_float_shard_size(model: Path, keypair: KeyFiles, tmp_path: Path) -> None:
    sig = tmp_path / "s.sig"
    res = sign(model, keypair.key, output=sig, method="shards", shard_size=10_000)
    stmt = _payload(sig)
    names = [r["name"] for r in stmt["predicate"]["resources"]]  # type: ignore[index]
    assert "weights/shard-00001.bin:0:10000" in names
    assert "weights/shard-00001.bin:60000:70000" in names
    assert not any(n.startswith("weights/deeper/empty.bin") for n in names)
    assert res.resource_count == len(names)
    # re-sign the statement with shard_size as a float, as model_signing's protobuf Struct does
    stmt["predicate"]["serialization"]["shard_size"] = 10000.0  # type: ignore[index]
    env = dsse.sign_envelope(json.dumps(stmt).encode(), dsse.INTOTO_PAYLOAD_TYPE, keypair.key)
    fsig = tmp_path / "float.sig"
    fsig.write_bytes(
        oms.bundle_bytes(oms.build_bundle(env, key_hint=keys.key_hint(keypair.key.public_key())))
    )
    for s in (sig, fsig):
        v = verify_signature(model, s, public_key=keypair.public)
        assert v.ok, v.reason
        assert v.serialization["method"] == "shards"
    blob = model / "weights" / "shard-00001.bin"
    data = bytearray(blob.read_bytes())
    data[65_000] ^= 0x80
    blob.write_bytes(bytes(data))
    v = verify_signature(model, fsig, public_key=keypair.public)
    assert not v.ok
    changed = [f for f in v.files if f.status == "changed"]
    assert [f.path for f in changed] == ["weights/shard-00001.bin"]
    assert changed[0].detail == "1 of 7 shards differ"
    blob.write_bytes(bytes(data[:-1]))
    v = verify_signature(model, fsig, public_key=keypair.public)
    assert [f.detail for f in v.files if f.status == "changed"] == ["size differs"]


def test_shard_names_with_colons(tmp_path: Path, keypair: KeyFiles) -> None:
    d = tmp_path / "m"
    d.mkdir()
    (d / "a:1:2").write_bytes(b"x" * 25)
    sig = tmp_path / "s.sig"
    sign(d, keypair.key, output=sig, method="shards", shard_size=10)
    assert verify_signature(d, sig, public_key=keypair.public).ok


def test_legacy_v01_predicate_accepted_with_warning(model: Path, keypair: KeyFiles) -> None:
    manifest = hash_model(model)
    stmt = {
        "_type": oms.STATEMENT_TYPE,
        "subject": [{"name": f.path, "digest": {"sha256": f.digest}} for f in manifest.files],
        "predicateType": oms.PREDICATE_LEGACY,
    }
    payload = json.dumps(stmt).encode()
    # model_signing 0.2 signed the buggy encoding with SHA-256
    sig = keypair.key.sign(
        dsse.pae_legacy(dsse.INTOTO_PAYLOAD_TYPE, payload),
        ec.ECDSA(dsse.ecdsa_hash(keypair.key.curve)),
    )
    env = {
        "payload": dsse.b64encode(payload),
        "payloadType": dsse.INTOTO_PAYLOAD_TYPE,
        "signatures": [{"sig": dsse.b64encode(sig), "keyid": ""}],
    }
    bundle = oms.bundle_bytes(oms.build_bundle(env))
    v = verify_signature(model, bundle, public_key=keypair.public)
    assert v.ok, v.reason
    assert any("legacy predicate" in w for w in v.warnings)
    assert any("0.2's buggy DSSE" in w for w in v.warnings)
    (model / "a.txt").write_text("changed")
    assert not verify_signature(model, bundle, public_key=keypair.public).ok


def test_certificate_method(model: Path, pki: Pki, tmp_path: Path) -> None:
    key_path, _, cert = pki.leaf(tmp_path / "leaf")
    chain = [
        cert.public_bytes(serialization.Encoding.DER),
        pki.intermediate.public_bytes(serialization.Encoding.DER),
    ]
    sig = tmp_path / "cert.sig"
    res = sign(model, key_path, output=sig, certificate_chain=chain)
    assert res.method == "certificate"
    bundle = json.loads(sig.read_bytes())
    assert len(bundle["verificationMaterial"]["x509CertificateChain"]["certificates"]) == 2
    v = verify_signature(model, sig, trust_roots=[pki.root_pem])
    assert v.ok, v.reason
    assert v.method == "certificate" and v.validity_time == "now"
    assert v.certificate is not None and "model signer leaf" in v.certificate["subject"]
    # untrusted root
    other = make_pki(tmp_path / "other", "Other")
    v = verify_signature(model, sig, trust_roots=[other.root_pem])
    assert not v.ok and "not trusted" in v.reason
    # a key given for a certificate bundle, and trust roots for a key bundle
    v = verify_signature(model, sig, public_key=cert.public_key())  # type: ignore[arg-type]
    assert not v.ok and "--trust-roots" in v.reason
    with pytest.raises(UsageError):
        verify_signature(model, sig)


def test_expired_certificate_and_validity_time(model: Path, pki: Pki, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    key_path, _, cert = pki.leaf(
        tmp_path / "old",
        not_before=now - dt.timedelta(days=20),
        not_after=now - dt.timedelta(days=10),
        name="old",
    )
    chain = [
        cert.public_bytes(serialization.Encoding.DER),
        pki.intermediate.public_bytes(serialization.Encoding.DER),
    ]
    sig = tmp_path / "old.sig"
    sign(model, key_path, output=sig, certificate_chain=chain)
    v = verify_signature(model, sig, trust_roots=[pki.root_pem])
    assert not v.ok and "expired" in v.reason and "(now)" in v.reason
    v = verify_signature(model, sig, trust_roots=[pki.root_pem], validity_time="not-before")
    assert v.ok and v.validity_time == "not-before"
    assert any("notBefore" in w for w in v.warnings)


def test_certificate_key_usage_required(model: Path, pki: Pki, tmp_path: Path) -> None:
    key_path, _, cert = pki.leaf(
        tmp_path / "tls", digital_signature=False, code_signing=False, name="tls"
    )
    chain = [
        cert.public_bytes(serialization.Encoding.DER),
        pki.intermediate.public_bytes(serialization.Encoding.DER),
    ]
    sig = tmp_path / "tls.sig"
    sign(model, key_path, output=sig, certificate_chain=chain)
    v = verify_signature(model, sig, trust_roots=[pki.root_pem])
    assert not v.ok and "key usage" in v.reason


def test_intermediate_from_cert_chain_option(model: Path, pki: Pki, tmp_path: Path) -> None:
    key_path, _, cert = pki.leaf(tmp_path / "l")
    sig = tmp_path / "leafonly.sig"
    sign(
        model,
        key_path,
        output=sig,
        certificate_chain=[cert.public_bytes(serialization.Encoding.DER)],
    )
    assert not verify_signature(model, sig, trust_roots=[pki.root_pem]).ok
    v = verify_signature(model, sig, trust_roots=[pki.root_pem], cert_chain=[pki.inter_pem])
    assert v.ok, v.reason


def test_sign_rejects_mismatched_certificate(
    model: Path, pki: Pki, keypair: KeyFiles, tmp_path: Path
) -> None:
    _, _, cert = pki.leaf(tmp_path / "l")
    with pytest.raises(UsageError, match="public half"):
        sign(model, keypair.key, certificate_chain=[cert.public_bytes(serialization.Encoding.DER)])


def test_unusable_inputs_raise(tmp_path: Path, keypair: KeyFiles, model: Path) -> None:
    with pytest.raises(InputError):
        verify_signature(tmp_path / "nope", tmp_path / "x.sig", public_key=keypair.public)
    with pytest.raises(InputError, match="no such signature"):
        verify_signature(model, tmp_path / "x.sig", public_key=keypair.public)
    with pytest.raises(UsageError):
        sign(model, keypair.key, method="weird")


def test_signed_git_files_are_still_checked(model: Path, keypair: KeyFiles, tmp_path: Path) -> None:
    sig = tmp_path / "s.sig"
    res = sign(model, keypair.key, output=sig, ignore_git_paths=False)
    assert ".git" not in res.ignore_paths
    assert verify_signature(model, sig, public_key=keypair.public).ok
    (model / ".git" / "HEAD").write_text("ref: refs/heads/evil\n")
    v = verify_signature(model, sig, public_key=keypair.public)
    assert not v.ok and _statuses(v)[".git/HEAD"] == "changed"
    (model / ".github").mkdir()
    (model / ".github" / "x.yml").write_text("x")  # not signed, git path: still ignored
    assert ".github" in verify_signature(model, sig, public_key=keypair.public).applied_ignore_paths


def test_symlinks_follow_the_signed_rule(model: Path, keypair: KeyFiles, tmp_path: Path) -> None:
    (model / "link.json").symlink_to("config.json")
    with pytest.raises(InputError, match="symbolic link"):
        sign(model, keypair.key)
    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig, allow_symlinks=True)
    v = verify_signature(model, sig, public_key=keypair.public)
    assert v.ok and v.serialization["allow_symlinks"] is True
    (model / "config.json").write_text("{}")
    v = verify_signature(model, sig, public_key=keypair.public)
    assert {"config.json", "link.json"} <= {f.path for f in v.files if f.status == "changed"}


def test_blake2b_signatures(model: Path, keypair: KeyFiles, tmp_path: Path) -> None:
    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig, hash_type="blake2b")
    stmt = _payload(sig)
    assert stmt["predicate"]["serialization"]["hash_type"] == "blake2b"  # type: ignore[index]
    assert verify_signature(model, sig, public_key=keypair.public).ok


def test_precomputed_manifest_is_reused_only_when_it_fits(
    model: Path, keypair: KeyFiles, tmp_path: Path
) -> None:
    from airlock.provenance.manifest import FileDigest, Manifest

    sig = tmp_path / "s.sig"
    sign(model, keypair.key, output=sig)
    manifest = hash_model(model)
    assert verify_signature(model, sig, public_key=keypair.public, manifest=manifest).ok
    # a manifest entry with the right size is trusted as the file's digest (no second read) ...
    forged = Manifest(
        tuple(
            FileDigest(f.path, f.size, "0" * 64) if f.path == "a.txt" else f for f in manifest.files
        )
    )
    v = verify_signature(model, sig, public_key=keypair.public, manifest=forged)
    assert _statuses(v)["a.txt"] == "changed"
    # ... but not when the size or algorithm differs
    resized = Manifest(
        tuple(
            FileDigest(f.path, f.size + 1, "0" * 64) if f.path == "a.txt" else f
            for f in manifest.files
        )
    )
    assert verify_signature(model, sig, public_key=keypair.public, manifest=resized).ok
    other_alg = Manifest(forged.files, algorithm="blake2b")
    assert verify_signature(model, sig, public_key=keypair.public, manifest=other_alg).ok
