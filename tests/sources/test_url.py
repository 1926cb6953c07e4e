"""https:// (here http:// on loopback) URLs of single files, and model-name parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.errors import UsageError
from airlock.gate import check
from airlock.sources.spec import parse_name
from tests.sources.hubserver import HubServer


def test_url_of_one_file(hub: HubServer, tmp_path: Path) -> None:
    url = f"{hub.url}/org/denied/resolve/main/pytorch_model.bin"
    local = check(tmp_path / "src-denied" / "pytorch_model.bin")
    remote = check(url)
    assert not remote.allowed and remote.root_digest == local.root_digest
    big = check(f"{hub.url}/org/allowed/resolve/main/model.safetensors")
    assert big.allowed
    assert big.root_digest == check(tmp_path / "src-allowed" / "model.safetensors").root_digest
    source = next(s for s in big.steps if s.name == "source")
    assert source.data["files"][0]["digest_source"] == "computed"


def test_url_not_found(hub: HubServer) -> None:
    from airlock.sources.errors import SourceError

    with pytest.raises(SourceError, match="404"):
        check(f"{hub.url}/org/allowed/resolve/main/nope.bin")


@pytest.mark.parametrize(
    "text,kind",
    [
        ("hf://org/name", "hf"),
        ("hf://org/name@refs/pr/1", "hf"),
        ("s3://bucket/a/b", "s3"),
        ("gs://bucket", "gs"),
        ("https://example.org/m.gguf", "https"),
        ("./local/dir", "path"),
        ("org/name", "path"),
    ],
)
def test_parse_names(text: str, kind: str) -> None:
    assert parse_name(text).kind == kind


@pytest.mark.parametrize(
    "bad",
    ["hf://org", "hf://org/name/extra", "hf://../x", "hf://org/name@../../x", "s3://B/x",
     "s3://bucket/../x", "https://host/", "hf://org/na me"],
)  # fmt: skip
def test_bad_names_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_name(bad)
