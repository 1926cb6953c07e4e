"""Signed check verdicts: sign, verify (key and certificate), tamper detection, expectations."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import given, settings
from hypothesis import strategies as st_h

from airlock.attest import statement as st
from airlock.attest.bundle import sign, verify
from airlock.attest.verdict import attest_check, check_statement
from airlock.errors import FormatError
from airlock.gate import CheckOptions, check
from airlock.provenance.hashing import hash_model
from airlock.provenance.keys import generate_private_key
from tests.signing.helpers import make_pki

KEY = generate_private_key()


def _attested(model: Path, **opts: object) -> tuple[dict[str, object], CheckOptions]:
    options = CheckOptions(**opts)  # type: ignore[arg-type]
    result = check(model, options)
    return attest_check(result, options, KEY, name="org/sample"), options


def _files(model: Path) -> list[tuple[str, str]]:
    return [(f.path, f.digest) for f in hash_model(model).files]


def test_round_trip_key(model: Path) -> None:
    bundle, _ = _attested(model)
    res = verify(bundle, public_key=KEY.public_key(), files=_files(model))
    assert res.ok, res.problems
    out = res.to_json()
    assert out["verdict"] == "allow" and out["model"] == "org/sample"
    assert out["root_digest"] == hash_model(model).root_digest
    assert [s["name"] for s in out["steps"]] == ["hash", "scan"]
    stmt = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))  # type: ignore[index]
    pred = stmt["predicate"]
    assert (
        pred["scanner"]["allowlist"]["version"]
        and len(pred["scanner"]["allowlist"]["sha256"]) == 64
    )
    assert pred["policy"]["options"]["fail_on"] == "high" and len(pred["policy"]["sha256"]) == 64
    # every file is a subject after the root
    assert {(s["name"], s["digest"]["sha256"]) for s in stmt["subject"][1:]} == set(_files(model))


def test_policy_file_is_recorded(model: Path, tmp_path: Path) -> None:
    policy = tmp_path / "airlock-policy.toml"
    policy.write_text("fail_on = 'medium'\n")
    options = CheckOptions()
    stmt = check_statement(check(model, options), options, policy_file=policy)
    record = stmt["predicate"]["policy"]["file"]
    assert record["path"] == str(policy) and len(record["sha256"]) == 64


def test_tampered_payload_and_wrong_key_fail(model: Path) -> None:
    bundle, _ = _attested(model)
    other = generate_private_key()
    assert not verify(bundle, public_key=other.public_key()).ok
    stmt = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))  # type: ignore[index]
    stmt["predicate"]["verdict"] = "allow"
    stmt["predicate"]["steps"][1]["summary"] = "0 findings (edited)"
    forged = json.loads(json.dumps(bundle))
    forged["dsseEnvelope"]["payload"] = base64.b64encode(st.canonical(stmt)).decode()
    res = verify(forged, public_key=KEY.public_key())
    assert not res.ok and "does not verify" in res.problems[0]
    # A signature over another payload type does not verify either.
    forged = json.loads(json.dumps(bundle))
    forged["dsseEnvelope"]["payloadType"] = "application/json"
    assert not verify(forged, public_key=KEY.public_key()).ok


def test_changed_model_files_are_reported(model: Path) -> None:
    bundle, _ = _attested(model)
    victim = sorted(p for p in model.rglob("*") if p.is_file())[0]
    victim.write_bytes(victim.read_bytes() + b"\n")
    res = verify(bundle, public_key=KEY.public_key(), files=_files(model))
    assert not res.ok and "differ" in res.problems[0]
    res = verify(bundle, public_key=KEY.public_key(), digest=hash_model(model).root_digest)
    assert not res.ok and "not" in res.problems[0]


def test_deny_verdict_and_age(model: Path) -> None:
    (model / "evil.pkl").write_bytes(b"cos\nsystem\n(S'touch /tmp/x'\ntR.")
    bundle, _ = _attested(model)
    res = verify(bundle, public_key=KEY.public_key())
    assert not res.ok and res.statement is not None and res.statement.verdict == "deny"
    assert verify(bundle, public_key=KEY.public_key(), require_allow=False).ok
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    res = verify(
        bundle,
        public_key=KEY.public_key(),
        require_allow=False,
        max_age=dt.timedelta(days=1),
        now=later,
    )
    assert not res.ok and "older" in res.problems[0]


def _minimal() -> dict[str, Any]:
    """The smallest valid statement: one allow verdict, no files, no steps."""
    return st.build(
        name="m",
        root_digest="ab" * 32,
        files=[],
        verdict="allow",
        steps=[],
        checker_version="0",
        allowlist={},
        policy={},
    )


def test_statement_shape_is_enforced() -> None:
    good = _minimal()
    st.parse(st.canonical(good))
    for mutate in (
        lambda s: s.update(predicateType="https://example.com/other"),
        lambda s: s["predicate"].update(verdict="maybe"),
        lambda s: s["subject"][0].pop("annotations"),
        lambda s: s["subject"].append({"name": "x", "digest": {"sha256": "cd" * 32}}),
        lambda s: s["predicate"].update(steps=[{"name": "scan", "ok": False, "summary": ""}]),
        lambda s: s["predicate"].update(timestamp="yesterday"),
    ):
        bad = json.loads(json.dumps(good))
        mutate(bad)
        with pytest.raises(Exception, match="check attestation"):
            st.parse(st.canonical(bad))
    signed = sign(good, KEY)
    assert verify(signed, public_key=KEY.public_key()).ok


def test_certificate_method(model: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from airlock.provenance.certs import load_certificates

    pki = make_pki(tmp_path / "pki")
    key_path, _cert, cert = pki.leaf(tmp_path / "leaf")
    key = load_pem_private_key(key_path.read_bytes(), None)
    options = CheckOptions()
    stmt = check_statement(check(model, options), options)
    chain = [cert.public_bytes(Encoding.DER), pki.intermediate.public_bytes(Encoding.DER)]
    bundle = sign(stmt, key, certificate_chain=chain)  # type: ignore[arg-type]
    roots = load_certificates([pki.root_pem], "root")
    res = verify(bundle, trust_roots=roots)
    assert res.ok, res.problems
    assert res.method == "certificate" and "model signer" in res.signer
    other = make_pki(tmp_path / "other", "Other")
    res = verify(bundle, trust_roots=load_certificates([other.root_pem], "root"))
    assert not res.ok and "not trusted" in res.problems[0]
    # a key-method verifier refuses a certificate bundle and vice versa
    assert not verify(bundle, public_key=KEY.public_key()).ok
    assert not verify(sign(stmt, KEY), trust_roots=roots).ok


def test_cli_check_attest_and_verify(model: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    keys = tmp_path / "keys"
    env = {"AIRLOCK_KEY_PASSPHRASE": "correct horse"}
    proc = cli("keygen", "--out", str(keys), env=env)
    assert proc.returncode == 0, proc.stderr
    priv, pub = keys / "airlock.key", keys / "airlock.pub"
    out = tmp_path / "check.intoto.json"
    proc = cli("check", str(model), "--attest", str(priv), "-o", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    proc = cli(
        "verify-attestation", str(out), "--key", str(pub), "--model", str(model), "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "allow"
    (model / "extra.txt").write_text("added later")
    proc = cli("verify-attestation", str(out), "--key", str(pub), "--model", str(model))
    assert proc.returncode == 1 and "differ" in proc.stdout
    proc = cli("verify-attestation", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = cli("verify-attestation", str(tmp_path / "missing.json"), "--key", str(pub))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


_JSON = st_h.recursive(
    st_h.none() | st_h.booleans() | st_h.integers() | st_h.text(max_size=12),
    lambda inner: (
        st_h.lists(inner, max_size=3) | st_h.dictionaries(st_h.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(st_h.data())
def test_statement_parser_only_raises_format_errors(data: st_h.DataObject) -> None:
    """Any field of a valid statement replaced by any JSON: parsed, or a FormatError."""
    from airlock.errors import FormatError

    good = st.build(
        name="m", root_digest="ab" * 32, files=[], verdict="allow",
        steps=[{"name": "scan", "ok": True, "summary": "s"}],
        checker_version="0", allowlist={}, policy={},
    )  # fmt: skip
    paths = [("predicate",), ("subject",), ("predicate", "steps"), ("predicate", "verdict"),
             ("predicate", "timestamp"), ("_type",), ("predicateType",)]  # fmt: skip
    path = data.draw(st_h.sampled_from(paths))
    node = good
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(_JSON)
    try:
        parsed = st.parse(st.canonical(good))
    except FormatError:
        return
    assert parsed.verdict in ("allow", "deny") and len(parsed.root_digest) == 64


def test_timestamp_out_of_range_in_utc_is_a_format_error() -> None:
    """Year 1 at +14:00 parses but is before datetime.min in UTC: OverflowError, an internal
    error (exit 2) rather than a refused statement (rt25prov)."""
    good = _minimal()
    good["predicate"]["timestamp"] = "0001-01-01T00:00:00+14:00"
    with pytest.raises(FormatError, match="out of range"):
        st.parse(st.canonical(good))
    res = verify(sign(good, KEY), public_key=KEY.public_key())
    assert not res.ok and "out of range" in res.problems[0]


def test_cli_max_age_and_digest_forms(model: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """--max-age-hours nan/inf/1e300/-1 were internal errors or a nonsense 'older than -1 day';
    --digest sha256:HEX (as `airlock verify --digest` takes it) failed a good verdict."""
    from cryptography.hazmat.primitives import serialization

    priv, pub = tmp_path / "k.pem", tmp_path / "k.pub"
    priv.write_bytes(
        KEY.private_bytes(
            Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    pub.write_bytes(
        KEY.public_key().public_bytes(Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    out = tmp_path / "check.intoto.json"
    assert cli("check", str(model), "--attest", str(priv), "-o", str(out)).returncode == 0
    for bad in ("nan", "inf", "1e300", "-1"):
        proc = cli("verify-attestation", str(out), "--key", str(pub), "--max-age-hours", bad)
        assert proc.returncode == 2 and "--max-age-hours" in proc.stderr, (bad, proc.stderr)
        assert "internal error" not in proc.stderr
    root = hash_model(model).root_digest
    for form in ("sha256:" + root, root.upper(), " " + root):
        proc = cli("verify-attestation", str(out), "--key", str(pub), "--digest", form)
        assert proc.returncode == 0, (form, proc.stdout)
    proc = cli("verify-attestation", str(out), "--key", str(pub), "--digest", "sha256:zz")
    assert proc.returncode == 2 and "--digest" in proc.stderr
