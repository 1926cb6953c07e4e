"""Zips, tars and compressed streams (compressed joblib files too) from the hub, S3 and a URL are
scanned by ranges: never staged on disk, the verdict, findings and digests those of the local
copy, every byte hashed and checked against the stated digest."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from airlock.gate import check
from airlock.sources import judge
from airlock.sources.errors import DigestMismatch
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.models import evil_pickle

OK_PICKLE = b"\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s."
NOISE = 17 * 1024**2  # past plan.SMALL_BYTES: judged as a large file


class _Payload:
    """Pickles to a call of ``os.system`` (never executed: only written and scanned)."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo pwned",))


def _members(evil: bool) -> list[tuple[str, bytes]]:
    """An incompressible .npy array (a known format: judged) and a pickle."""
    np = pytest.importorskip("numpy")
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(os.urandom(NOISE), dtype=np.uint8))
    pkl = evil_pickle() if evil else OK_PICKLE
    return [("model/weights.npy", buf.getvalue()), ("model/model.pkl", pkl)]


def make_zip(path: Path, evil: bool) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for i, (name, data) in enumerate(_members(evil)):  # one stored, one deflated
            method = zipfile.ZIP_STORED if i == 0 else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(name), data, compress_type=method)


def make_tar(path: Path, evil: bool, mode: str = "w:gz", first: str = "model") -> None:
    with tarfile.open(path, mode) as t:  # type: ignore[call-overload]
        for name, data in _members(evil):
            info = tarfile.TarInfo(name.replace("model", first, 1))
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def make_joblib(path: Path, evil: bool) -> None:
    np = pytest.importorskip("numpy")
    joblib = pytest.importorskip("joblib")
    obj: dict[str, object] = {"w": np.frombuffer(os.urandom(NOISE), dtype=np.uint8)}
    if evil:
        obj["p"] = _Payload()
    joblib.dump(obj, path, compress=3)


KINDS = {
    "archive.zip": make_zip,
    "archive.tar.gz": make_tar,
    "model.joblib": make_joblib,
}


@pytest.fixture
def no_staging(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamed files must never reach the staging code paths."""

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a streamed file was staged")

    monkeypatch.setattr(judge._Stager, "_full", refuse)
    monkeypatch.setattr(judge._Stager, "_header", refuse)


def _source(res: object) -> dict:  # type: ignore[type-arg]
    return next(s for s in res.steps if s.name == "source").data  # type: ignore[attr-defined]


@pytest.mark.parametrize("evil", [False, True])
@pytest.mark.parametrize("name", sorted(KINDS))
def test_streamed_from_the_hub(
    hub: HubServer, tmp_path: Path, no_staging: None, name: str, evil: bool
) -> None:
    src = tmp_path / f"src-{evil}"
    src.mkdir()
    KINDS[name](src / name, evil)
    repo = f"org/stream-{name.replace('.', '-')}-{str(evil).lower()}"
    hub.add(HubRepo.from_dir(repo, src))
    local = check(src)
    remote = check(f"hf://{repo}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    assert {(f.rule_id, f.member) for f in remote.findings} == {
        (f.rule_id, f.member) for f in local.findings
    }
    data = _source(remote)
    (f,) = data["files"]
    assert f["read"] == "stream", f["reason"]
    assert f["digest_source"] == "verified"  # stated by the hub, then hashed while scanned
    assert data["streamed"] == [name] and data["staged_whole"] == []
    assert not list(tmp_path.glob("airlock-remote-*/**/*.*"))  # nothing left, nothing staged


def test_tar_named_like_opcodes_and_plain_tar(hub: HubServer, tmp_path: Path) -> None:
    """A tar's first bytes are a member name: 'p...' is a pickle PUT, so the engine also reads
    it as a pickle from offset 0; that reading is made from a prefix remotely."""
    src = tmp_path / "src-tar"
    src.mkdir()
    make_tar(src / "a.tar", True, mode="w", first="pkl")
    hub.add(HubRepo.from_dir("org/tars", src))
    local, remote = check(src), check("hf://org/tars")
    assert not remote.allowed and not local.allowed
    assert {(f.rule_id, f.member) for f in remote.findings} == {
        (f.rule_id, f.member) for f in local.findings
    }
    assert _source(remote)["files"][0]["read"] == "stream"


def test_streamed_digest_lie_is_caught(hub: HubServer, tmp_path: Path) -> None:
    src = tmp_path / "src-lie"
    src.mkdir()
    make_zip(src / "archive.zip", False)
    hub.add(HubRepo.from_dir("org/lie", src))
    hub.faults.lie["archive.zip"] = "e" * 64
    hub.faults.lie_etag["archive.zip"] = "e" * 64
    with pytest.raises(DigestMismatch, match=r"archive\.zip"):
        check("hf://org/lie")


def test_single_url_streamed(hub: HubServer, tmp_path: Path, no_staging: None) -> None:
    src = tmp_path / "src-url"
    src.mkdir()
    make_tar(src / "evil.tar.gz", True)
    hub.add(HubRepo.from_dir("org/url", src))
    remote = check(f"{hub.url}/org/url/resolve/main/evil.tar.gz")
    local = check(src / "evil.tar.gz")
    assert not remote.allowed and not local.allowed
    assert remote.root_digest == local.root_digest
    f = _source(remote)["files"][0]
    assert (f["read"], f["digest_source"]) == ("stream", "computed")


def test_scan_names_streamed_objects_like_the_local_scan(hub: HubServer, tmp_path: Path) -> None:
    from airlock.sources.scanning import scan_models

    src = tmp_path / "src-scan"
    src.mkdir()
    make_zip(src / "archive.zip", True)
    hub.add(HubRepo.from_dir("org/scan", src))
    report = scan_models(["hf://org/scan"])
    tops = [o.location for o in report.objects if o.member is None]
    assert len(tops) == 1 and tops[0].startswith("hf://org/scan@"), tops
    assert tops[0].endswith("/archive.zip")
    assert ("AIR-PKL-001", "model/model.pkl") in {(f.rule_id, f.member) for f in report.findings}


def test_fleet_keeps_staging_whole(hub: HubServer, tmp_path: Path) -> None:
    from airlock.sources import resolve

    src = tmp_path / "src-fleet"
    src.mkdir()
    make_zip(src / "archive.zip", False)
    hub.add(HubRepo.from_dir("org/fleet", src))
    with resolve("hf://org/fleet", stream=False) as model:
        root = model.materialise()
        assert (root / "archive.zip").stat().st_size == (src / "archive.zip").stat().st_size
        assert model.staged is not None and not model.staged.streamed


def test_streamed_digest_expectation(hub: HubServer, tmp_path: Path) -> None:
    from airlock.gate import CheckOptions

    src = tmp_path / "src-expect"
    src.mkdir()
    make_tar(src / "archive.tar.gz", False)
    hub.add(HubRepo.from_dir("org/expect", src))
    local = check(src)
    assert local.allowed
    ok = check("hf://org/expect", CheckOptions(digest=local.root_digest))
    bad = check("hf://org/expect", CheckOptions(digest="sha256:" + "0" * 64))
    assert ok.allowed and not bad.allowed


def test_s3_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_staging: None) -> None:
    """A plain bucket states no digest: computed by streaming when staging, checked again
    against every byte the scan hashed."""
    pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    from tests.sources.test_s3 import _free_port

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        url = f"http://127.0.0.1:{port}"
        for k, v in {
            "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(tmp_path / "no-cfg"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-creds"),
            "AIRLOCK_STAGING_DIR": str(tmp_path), "NO_PROXY": "127.0.0.1",
        }.items():  # fmt: skip
            monkeypatch.setenv(k, v)
        client = boto3.client("s3")
        client.create_bucket(Bucket="models")
        src = tmp_path / "src-s3"
        src.mkdir()
        make_zip(src / "archive.zip", True)
        client.put_object(
            Bucket="models", Key="m/archive.zip", Body=(src / "archive.zip").read_bytes()
        )
        local, remote = check(src), check("s3://models/m")
        assert not remote.allowed and not local.allowed
        assert remote.root_digest == local.root_digest
        f = _source(remote)["files"][0]
        assert (f["read"], f["digest_source"]) == ("stream", "computed")
    finally:
        server.stop()


def test_zstd_container_is_not_staged(hub: HubServer, tmp_path: Path, no_staging: None) -> None:
    """zstd (like 7z and RAR) is a container the scanner does not open, locally or remotely:
    not scanned, which denies. Remotely it is no longer read whole into the staging folder
    first just to say so: streamed, the same findings and root digest."""
    src = tmp_path / "src-zstd"
    src.mkdir()
    (src / "model.bin.zst").write_bytes(b"\x28\xb5\x2f\xfd" + os.urandom(NOISE))
    hub.add(HubRepo.from_dir("org/zstd", src))
    local, remote = check(src), check("hf://org/zstd")
    assert not remote.allowed and not local.allowed
    assert remote.root_digest == local.root_digest
    assert {(f.rule_id, f.member) for f in remote.findings} == {
        (f.rule_id, f.member) for f in local.findings
    }
    assert _source(remote)["files"][0]["read"] == "stream"
