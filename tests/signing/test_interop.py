"""Interoperability with the reference, model_signing 1.1.1, run as a subprocess (its CLI).

Both directions: model_signing accepts our signatures and we accept theirs; both reject the
same tampering (flipped bit, added/removed/renamed file, wrong key) and both accept extra .git
files. Key and certificate methods, directory and single-file models.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from airlock.provenance.signing import sign, verify_signature
from tests.signing.helpers import KeyFiles, Pki, make_model, write_plain_keypair

REFERENCE = Path(sys.executable).parent / "model_signing"
pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="model-signing not installed")


def ref(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REFERENCE), *map(str, args)], capture_output=True, text=True, timeout=300
    )


def ref_verify_key(model: Path, sig: Path, pub: Path) -> bool:
    out = ref("verify", "key", model, "--signature", sig, "--public_key", pub)
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode == 0


def flip_bit(m: Path) -> None:
    p = m / "weights" / "shard-00001.bin"
    data = bytearray(p.read_bytes())
    data[4321] ^= 0x10
    p.write_bytes(bytes(data))


def add_file(m: Path) -> None:
    (m / "weights" / "deeper" / "added.bin").write_bytes(b"new")


def remove_file(m: Path) -> None:
    (m / "tokenizer" / "vocab.txt").unlink()


def rename_file(m: Path) -> None:
    (m / "config.json").rename(m / "config2.json")


def remove_empty_file(m: Path) -> None:
    (m / "weights" / "deeper" / "empty.bin").unlink()


TAMPERING: dict[str, Callable[[Path], None]] = {
    "flipped bit": flip_bit,
    "added file": add_file,
    "removed file": remove_file,
    "renamed file": rename_file,
    "removed empty file": remove_empty_file,
}


def add_git_files(m: Path) -> None:
    (m / ".git" / "objects").mkdir(parents=True, exist_ok=True)
    (m / ".git" / "objects" / "ab").write_bytes(b"blob")
    (m / ".gitignore").write_text("*.tmp\n")
    (m / ".github").mkdir(exist_ok=True)
    (m / ".github" / "ci.yml").write_text("on: push\n")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One model, one key pair, our signature and theirs (sign once, tamper copies)."""
    base = tmp_path_factory.mktemp("interop")
    model = make_model(base / "model")
    kp = write_plain_keypair(base / "keys")
    ours = base / "ours.sig"
    sign(model, kp.key, output=ours)
    theirs = base / "theirs.sig"
    out = ref("sign", "key", model, "--signature", theirs, "--private_key", kp.private)
    assert out.returncode == 0, out.stderr
    other = write_plain_keypair(base / "other")
    return {"model": model, "pub": kp.public, "other": other.public, "ours": ours, "theirs": theirs}


def test_same_statement_content(signed: dict[str, Path]) -> None:
    import base64
    import json

    def statement(p: Path) -> dict[str, object]:
        b = json.loads(p.read_bytes())
        return json.loads(base64.b64decode(b["dsseEnvelope"]["payload"]))  # type: ignore[no-any-return]

    a, b = statement(signed["ours"]), statement(signed["theirs"])
    assert a["subject"] == b["subject"]
    assert a["predicate"]["resources"] == b["predicate"]["resources"]  # type: ignore[index]
    sa, sb = a["predicate"]["serialization"], b["predicate"]["serialization"]  # type: ignore[index]
    assert sorted(sa.pop("ignore_paths")) == sorted(sb.pop("ignore_paths"))
    assert sa == sb


def test_both_accept_both(signed: dict[str, Path]) -> None:
    m, pub = signed["model"], signed["pub"]
    assert ref_verify_key(m, signed["ours"], pub), "model_signing rejected our signature"
    res = verify_signature(m, signed["theirs"], public_key=pub)
    assert res.ok, res.reason
    assert res.signed_ignore_paths  # their signed ignore list is surfaced


def test_both_accept_extra_git_files(signed: dict[str, Path], tmp_path: Path) -> None:
    m = tmp_path / "model"
    shutil.copytree(signed["model"], m)
    add_git_files(m)
    assert ref_verify_key(m, signed["ours"], signed["pub"])
    assert verify_signature(m, signed["theirs"], public_key=signed["pub"]).ok
    assert verify_signature(m, signed["ours"], public_key=signed["pub"]).ok


@pytest.mark.parametrize("case", list(TAMPERING))
def test_both_reject_tampering(signed: dict[str, Path], tmp_path: Path, case: str) -> None:
    m = tmp_path / "model"
    shutil.copytree(signed["model"], m)
    TAMPERING[case](m)
    assert not ref_verify_key(m, signed["ours"], signed["pub"]), f"reference accepted {case}"
    for sig in (signed["ours"], signed["theirs"]):
        res = verify_signature(m, sig, public_key=signed["pub"])
        assert not res.ok, f"we accepted {case} ({sig.name})"
        assert res.signature_valid and any(f.status != "ok" for f in res.files)


def test_both_reject_wrong_key(signed: dict[str, Path]) -> None:
    assert not ref_verify_key(signed["model"], signed["ours"], signed["other"])
    res = verify_signature(signed["model"], signed["theirs"], public_key=signed["other"])
    assert not res.ok and res.reason.startswith("key mismatch")


def test_single_file_model_both_ways(tmp_path: Path, keypair: KeyFiles) -> None:
    f = tmp_path / "solo" / "model.gguf"
    f.parent.mkdir()
    f.write_bytes(b"GGUF" + bytes(range(256)) * 100)
    ours, theirs = tmp_path / "ours.sig", tmp_path / "theirs.sig"
    sign(f, keypair.key, output=ours)
    out = ref("sign", "key", f, "--signature", theirs, "--private_key", keypair.private)
    assert out.returncode == 0, out.stderr
    assert ref_verify_key(f, ours, keypair.public)
    assert verify_signature(f, theirs, public_key=keypair.public).ok
    renamed = tmp_path / "renamed.gguf"
    f.rename(renamed)
    assert verify_signature(renamed, theirs, public_key=keypair.public).ok
    renamed.write_bytes(renamed.read_bytes() + b"\0")
    assert not ref_verify_key(renamed, ours, keypair.public)
    assert not verify_signature(renamed, theirs, public_key=keypair.public).ok


def test_certificate_method_both_ways(model: Path, pki: Pki, tmp_path: Path) -> None:
    key_path, cert_path, cert = pki.leaf(tmp_path / "leaf")
    ours, theirs = tmp_path / "ours.sig", tmp_path / "theirs.sig"
    der = serialization.Encoding.DER
    sign(
        model,
        key_path,
        output=ours,
        certificate_chain=[cert.public_bytes(der), pki.intermediate.public_bytes(der)],
    )
    out = ref(
        "sign", "certificate", model, "--signature", theirs, "--private_key", key_path,
        "--signing_certificate", cert_path, "--certificate_chain", pki.inter_pem,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    roots = tmp_path / "roots.pem"
    roots.write_bytes(pki.root_pem.read_bytes())
    out = ref("verify", "certificate", model, "--signature", ours, "--certificate_chain", roots)
    assert out.returncode == 0, out.stderr
    res = verify_signature(model, theirs, trust_roots=[pki.root_pem])
    assert res.ok, res.reason
    assert res.certificate is not None and res.certificate["validity_time"] == "now"
    flip_bit(model)
    out = ref("verify", "certificate", model, "--signature", ours, "--certificate_chain", roots)
    assert out.returncode != 0
    assert not verify_signature(model, theirs, trust_roots=[pki.root_pem]).ok


REF_API_SIGN = """
import sys
from model_signing import hashing, signing
model, sig, key, mode = sys.argv[1:5]
h = hashing.Config()
if mode == "shards":
    h = h.use_shard_serialization(shard_size=10_000)
elif mode == "blake2":
    h = h.use_file_serialization(hashing_algorithm="blake2")
signing.Config().use_elliptic_key_signer(private_key=key).set_hashing_config(h).sign(model, sig)
"""


@pytest.mark.parametrize("mode", ["shards", "blake2"])
def test_we_verify_reference_api_shards_and_blake2(
    model: Path, keypair: KeyFiles, tmp_path: Path, mode: str
) -> None:
    """model_signing's own shard signatures (float shard_size) it cannot verify itself; we can."""
    sig = tmp_path / f"{mode}.sig"
    out = subprocess.run(
        [sys.executable, "-c", REF_API_SIGN, str(model), str(sig), str(keypair.private), mode],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    res = verify_signature(model, sig, public_key=keypair.public)
    assert res.ok, res.reason
    assert res.serialization["method"] == ("shards" if mode == "shards" else "files")
    if mode == "shards":
        assert res.serialization["shard_size"] == 10_000
    else:
        assert res.serialization["hash_type"] == "blake2b"
    flip_bit(model)
    res = verify_signature(model, sig, public_key=keypair.public)
    assert not res.ok
    assert [f.path for f in res.files if f.status == "changed"] == ["weights/shard-00001.bin"]
