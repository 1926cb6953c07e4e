"""The gate end to end: every step can deny, and the verdict is allow only when all pass."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from airlock.gate import CheckOptions, check
from airlock.provenance.hashing import hash_model
from airlock.report import Severity

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-model"
# A protocol-0 pickle calling os.system: never loaded, only scanned.
EVIL_PICKLE = b"cos\nsystem\n(S'touch /tmp/airlock-marker'\ntR."


@pytest.fixture
def model(tmp_path: Path) -> Path:
    dst = tmp_path / "model"
    shutil.copytree(SAMPLE, dst)
    return dst


def step(result, name: str):  # type: ignore[no-untyped-def]
    return next(s for s in result.steps if s.name == name)


def test_sample_model_is_allowed(model: Path) -> None:
    sums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in model.iterdir()}
    result = check(model, CheckOptions(sha256sums=sums))
    assert result.allowed
    assert [s.name for s in result.steps] == ["hash", "provenance", "scan"]
    assert result.root_digest == hash_model(model).root_digest
    assert result.to_json()["verdict"] == "allow"


def test_tampered_file_denies(model: Path) -> None:
    manifest = hash_model(model)
    (model / "config.json").write_text("{}")
    result = check(model, CheckOptions(manifest=manifest))
    assert not result.allowed and not step(result, "provenance").ok


def test_malicious_pickle_denies_through_scan(model: Path) -> None:
    (model / "pytorch_model.bin").write_bytes(EVIL_PICKLE)
    result = check(model)
    scan = step(result, "scan")
    assert not result.allowed and not scan.ok
    assert any(f.severity is Severity.CRITICAL for f in scan.findings)
    assert any("os.system" in (f.evidence + f.title) for f in scan.findings)


def test_fail_on_threshold_and_no_scan(model: Path) -> None:
    (model / "pytorch_model.bin").write_bytes(EVIL_PICKLE)
    assert check(model, CheckOptions(scan=False)).allowed
    assert not check(model, CheckOptions(fail_on=Severity.CRITICAL)).allowed


def test_signature_step(model: Path, tmp_path: Path) -> None:
    from airlock.provenance.keys import generate_private_key
    from airlock.provenance.signing import sign

    key = generate_private_key("p256")
    sig = tmp_path / "model.sig"
    sign(model, key, output=sig)
    pub = key.public_key()
    ok = check(model, CheckOptions(signature=sig, public_key=pub))  # type: ignore[arg-type]
    assert ok.allowed and step(ok, "signature").ok
    (model / "extra.txt").write_text("not signed")
    bad = check(model, CheckOptions(signature=sig, public_key=pub))  # type: ignore[arg-type]
    assert not bad.allowed and not step(bad, "signature").ok


def test_cli_json_and_exit_codes(model: Path, cli) -> None:  # type: ignore[no-untyped-def]
    proc = cli("check", str(model), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "airlock.check-report/v1" and doc["verdict"] == "allow"
    (model / "evil.pkl").write_bytes(EVIL_PICKLE)
    proc = cli("check", str(model))
    assert proc.returncode == 1 and "DENY" in proc.stdout
    proc = cli("check", str(model), "--fail-on", "bogus")
    assert proc.returncode == 2 and "'bogus' is not one of 'info'" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--key", "k.pem"],
        ["--cert-chain", "c.pem"],
        ["--trust-roots", "r.pem"],
        ["--ignore-unsigned-files"],
        ["--no-scan", "--allow-unscanned"],
        ["--no-scan", "--fail-on", "low"],
        ["--trojan-fail-on", "high"],
    ],
)
def test_options_that_would_do_nothing_are_usage_errors(  # type: ignore[no-untyped-def]
    model: Path, cli, args: list[str]
) -> None:
    proc = cli("check", str(model), *args)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)


def test_digest_mismatch_reason_reaches_the_verdict(model: Path, cli) -> None:  # type: ignore[no-untyped-def]
    want = hash_model(model).root_digest
    (model / "config.json").write_text("{}")
    result = check(model, CheckOptions(digest=want))
    prov = step(result, "provenance")
    assert not result.allowed and f"!= expected {want}" in prov.summary
    proc = cli("check", str(model), "--digest", want)
    assert proc.returncode == 1 and "!= expected" in proc.stdout.replace("\n", "")


def test_trojan_evidence_denies_whatever_the_scan_threshold(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airlock.report import Finding
    from airlock.trojan import analyse
    from airlock.trojan.report import TrojanReport

    def fake(path: Path, base: Path) -> TrojanReport:
        rep = TrojanReport(str(path), str(base))
        rep.findings.append(
            Finding("AIR-TRJ-006", Severity.MEDIUM, "drift", str(path), "evidence", "why")
        )
        return rep

    monkeypatch.setattr(analyse, "analyse_trojan", fake)
    for fail_on in (Severity.HIGH, Severity.CRITICAL):
        result = check(model, CheckOptions(base=model, fail_on=fail_on))
        assert not result.allowed and not step(result, "trojan").ok
    ok = check(model, CheckOptions(base=model, trojan_fail_on=Severity.HIGH))
    assert step(ok, "trojan").ok


def _tops(result) -> set[str]:  # type: ignore[no-untyped-def]
    scan = step(result, "scan").data
    return {o["location"] for o in scan["objects"] if o["member"] is None}


def test_every_hashed_file_is_judged(model: Path) -> None:
    """One walk: what the hash covers (nested VCS folders, links followed with
    --follow-symlinks, folders that merely look like an HF cache) is exactly what is scanned."""
    import os

    from airlock.provenance.hashing import HashOptions
    from airlock.provenance.walk import WalkOptions

    for vcs in (".hg", ".svn", "sub/.git"):
        (model / vcs).mkdir(parents=True)
        (model / vcs / "data.pkl").write_bytes(EVIL_PICKLE)
    (model / "snapshots").mkdir()
    (model / "blobs").mkdir()
    (model / "real").mkdir()
    (model / "real" / "w.bin").write_bytes(EVIL_PICKLE)
    os.symlink("real", model / "linked")
    opts = CheckOptions(hashing=HashOptions(walk=WalkOptions(follow_symlinks=True)))
    result = check(model, opts)
    hashed = {str(model / f.path) for f in result_manifest(result)}
    assert hashed == _tops(result)
    assert not result.allowed
    bad = {f.location for f in step(result, "scan").findings if f.severity >= Severity.HIGH}
    for vcs in (".hg", ".svn", "sub/.git"):
        assert str(model / vcs / "data.pkl") in bad
    assert str(model / "linked" / "w.bin") in bad


def result_manifest(result):  # type: ignore[no-untyped-def]
    from airlock.provenance.manifest import parse_manifest_json

    return parse_manifest_json(json.dumps(step(result, "hash").data), "hash").files


def test_swapped_file_digest_names_the_judged_bytes(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file replaced (rename) after it was opened: the gate hashed and judged the bytes it
    opened, so the digest it reports is theirs, never the replacement's."""
    from airlock.scan import engine

    target = model / "model.safetensors"
    benign = target.read_bytes()
    evil = model.parent / "evil.bin"
    evil.write_bytes(EVIL_PICKLE)
    real = engine._scan_object
    swapped = []

    def swap_then_scan(src, ctx, *a):  # type: ignore[no-untyped-def]
        if ctx.member is None and ctx.location == str(target) and not swapped:
            evil.replace(target)
            swapped.append(True)
        return real(src, ctx, *a)

    monkeypatch.setattr(engine, "_scan_object", swap_then_scan)
    result = check(model)
    assert swapped
    digest = next(f.digest for f in result_manifest(result) if f.path == "model.safetensors")
    assert digest == hashlib.sha256(benign).hexdigest()  # the bytes judged, not the swap's
    # replacing the name unlinks the opened inode, which moves its ctime: flagged as a change
    changed = any(f.rule_id == "AIR-SCAN-007" for f in step(result, "scan").findings)
    assert result.allowed != changed


def test_file_changed_in_place_while_checked_denies(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airlock.scan import engine

    target = model / "config.json"
    real = engine._scan_object

    def edit_then_scan(src, ctx, *a):  # type: ignore[no-untyped-def]
        if ctx.member is None and ctx.location == str(target):
            with open(target, "r+b") as fh:
                fh.write(b" ")
        return real(src, ctx, *a)

    monkeypatch.setattr(engine, "_scan_object", edit_then_scan)
    result = check(model)
    assert not result.allowed and not step(result, "hash").ok
    assert any(f.rule_id == "AIR-SCAN-007" for f in step(result, "scan").findings)
