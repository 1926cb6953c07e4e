"""s3:// (and gs:// through the S3 API) against moto's server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from airlock.gate import check
from airlock.sources.errors import SourceError
from tests.sources.models import make_model

pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AIRLOCK_GS_ENDPOINT", moto_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-creds"))
    monkeypatch.setenv("AIRLOCK_STAGING_DIR", str(tmp_path))
    monkeypatch.setenv("AIRLOCK_HTTP_RETRIES", "1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return boto3.client("s3")


def _upload(client: object, bucket: str, prefix: str, src: Path, checksum: bool = False) -> None:
    client.create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    for p in sorted(src.rglob("*")):
        if p.is_file():
            extra = {"ChecksumAlgorithm": "SHA256"} if checksum else {}
            key = f"{prefix}/{p.relative_to(src).as_posix()}"
            client.put_object(Bucket=bucket, Key=key, Body=p.read_bytes(), **extra)  # type: ignore[attr-defined]


@pytest.mark.parametrize("denied", [False, True])
def test_s3_check_matches_local_copy(s3: object, tmp_path: Path, denied: bool) -> None:
    src = make_model(tmp_path / "src", denied=denied)
    bucket = f"models-{int(denied)}"
    _upload(s3, bucket, "team/bert", src)
    local = check(src)
    remote = check(f"s3://{bucket}/team/bert")
    assert remote.allowed is local.allowed is (not denied)
    assert remote.root_digest == local.root_digest
    source = next(s for s in remote.steps if s.name == "source")
    files = {f["path"]: f for f in source.data["files"]}
    # no digest stated by a plain bucket: computed by streaming, the weights judged by header
    assert files["model.safetensors"]["digest_source"] == "computed"
    assert files["model.safetensors"]["read"] == "header"
    assert not list(tmp_path.glob("airlock-remote-*"))


def test_s3_single_object_and_stated_checksum(s3: object, tmp_path: Path) -> None:
    src = make_model(tmp_path / "src")
    _upload(s3, "sums", "m", src, checksum=True)
    one = check("s3://sums/m/model.safetensors")
    assert one.root_digest == check(src / "model.safetensors").root_digest
    whole = check("s3://sums/m/")
    source = next(s for s in whole.steps if s.name == "source")
    st = next(f for f in source.data["files"] if f["path"] == "model.safetensors")
    assert st["digest_source"] in ("stated", "computed")  # stated where the store keeps SHA-256
    assert whole.root_digest == check(src).root_digest


def test_gs_through_the_s3_api(s3: object, tmp_path: Path) -> None:
    src = make_model(tmp_path / "src", denied=True)
    _upload(s3, "gbucket", "m", src)
    res = check("gs://gbucket/m")
    assert not res.allowed and res.root_digest == check(src).root_digest


def test_missing_bucket_and_prefix(s3: object) -> None:
    with pytest.raises(SourceError, match=r"not found|no objects"):
        check("s3://no-such-bucket/x")
    s3.create_bucket(Bucket="empty")  # type: ignore[attr-defined]
    with pytest.raises(SourceError, match="no objects"):
        check("s3://empty/nothing")


def test_s3_download_reads_every_byte(s3: object, tmp_path: Path) -> None:
    import airlock
    from airlock.gate import CheckOptions

    src = make_model(tmp_path / "src", denied=True)
    _upload(s3, "whole", "m", src)
    res = check("s3://whole/m", CheckOptions(download=True))
    source = next(s for s in res.steps if s.name == "source")
    assert {f["read"] for f in source.data["files"]} == {"full"}
    assert source.data["bytes_received"] >= source.data["total_size"]
    assert not res.allowed and res.root_digest == check(src).root_digest
    manifest = airlock.hash_model("s3://whole/m", download=True)
    assert manifest.root_digest == res.root_digest
    report = airlock.scan("s3://whole/m", download=True)
    assert {f.rule_id for f in report.findings} >= {f.rule_id for f in res.findings}
    assert not list(tmp_path.glob("airlock-remote-*"))


@pytest.mark.parametrize("denied", [False, True])
def test_s3_onnx_judged_from_its_structure(s3: object, tmp_path: Path, denied: bool) -> None:
    """A 19 MiB ONNX file in a bucket: judged from its protobuf structure (the digest is
    streamed through sha256, never staged), same verdict and root digest as the local copy."""
    from tests.sources.onnx_models import write_onnx

    src = tmp_path / "src"
    write_onnx(src / "model.onnx", big_mib=[9, 9, 1], denied=denied, attr_kib=200, small=40)
    bucket = f"onnx-{int(denied)}"
    _upload(s3, bucket, "m", src)
    local = check(src)
    remote = check(f"s3://{bucket}/m")
    assert remote.allowed is local.allowed is (not denied)
    assert remote.root_digest == local.root_digest
    source = next(s for s in remote.steps if s.name == "source")
    st = next(f for f in source.data["files"] if f["path"] == "model.onnx")
    assert st["read"] == "header" and st["digest_source"] == "computed"
    assert not source.data["staged_whole"]
