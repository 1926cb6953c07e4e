"""Plain pickles and uncompressed joblib files from the hub are scanned by ranges (the pickle
analyser reads them in place), never staged: the local verdict, findings and root digest, for
allowed and denied models, a payload far into the file included; findings are named under the
remote name. Past the joblib marker search (64 MiB) a skipped payload is never fetched."""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

import pytest

from airlock.gate import check
from airlock.sources import judge
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.models import evil_pickle

BIG = 18 * 1024**2  # past plan.SMALL_BYTES: judged as a large file


def _pickle(path: Path, evil: bool) -> None:
    """A list: an 18 MiB byte string, then (denied) a call of os.system far into the file."""
    body = b"B" + struct.pack("<I", BIG) + os.urandom(BIG)
    tail = evil_pickle()[2:-1] if evil else b"K\x01"
    path.write_bytes(b"\x80\x02]q\x00(" + body + tail + b"e.")


def _joblib(path: Path, evil: bool) -> None:
    np = pytest.importorskip("numpy")
    joblib = pytest.importorskip("joblib")

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo never-run",))

    obj: dict[str, object] = {"w": np.frombuffer(os.urandom(BIG), dtype=np.uint8)}
    if evil:
        obj["p"] = Payload()
    buf = io.BytesIO()
    joblib.dump(obj, buf)  # uncompressed: raw array bytes between opcodes
    path.write_bytes(buf.getvalue())


KINDS = {"model.pkl": _pickle, "model.joblib": _joblib}


def _source(res: object) -> dict:  # type: ignore[type-arg]
    return next(s for s in res.steps if s.name == "source").data  # type: ignore[attr-defined]


@pytest.fixture
def never_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a pickle was staged whole")

    monkeypatch.setattr(judge._Stager, "_full", refuse)


@pytest.mark.parametrize("evil", [False, True])
@pytest.mark.parametrize("name", sorted(KINDS))
def test_pickle_streamed_like_the_local_scan(
    hub: HubServer, tmp_path: Path, never_whole: None, name: str, evil: bool
) -> None:
    src = tmp_path / f"src-{evil}"
    src.mkdir()
    KINDS[name](src / name, evil)
    repo = f"org/pkl-{name.replace('.', '-')}-{str(evil).lower()}"
    hub.add(HubRepo.from_dir(repo, src))
    local, remote = check(src), check(f"hf://{repo}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    assert {(f.rule_id, f.member, f.offset) for f in remote.findings} == {
        (f.rule_id, f.member, f.offset) for f in local.findings
    }
    data = _source(remote)
    (f,) = data["files"]
    # the hub states the sha256: kept (read only where the analyser reads), as a header's is
    assert (f["read"], f["digest_source"]) == ("stream", "stated"), f["reason"]
    assert data["staged_whole"] == [] and data["streamed"] == [name]
    for finding in remote.findings:  # named under hf://, never the staging folder
        assert finding.location.startswith(f"hf://{repo}@"), finding.location


def test_payload_past_the_marker_search_is_not_fetched(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the marker search shortened to 1 MiB (as a file past 64 MiB sees it), an 18 MiB
    payload the analyser skips by length is not fetched: the call after it is found from a
    few MiB; the verdict and findings are the local ones."""
    from airlock.formats import joblib

    monkeypatch.setattr(joblib, "SEARCH_MAX", 1024**2)
    src = tmp_path / "src-skip"
    src.mkdir()
    _pickle(src / "model.pkl", True)
    size = (src / "model.pkl").stat().st_size
    hub.add(HubRepo.from_dir("org/pkl-skip", src))
    local, remote = check(src), check("hf://org/pkl-skip")
    assert not remote.allowed and not local.allowed
    assert {(f.rule_id, f.offset) for f in remote.findings} == {
        (f.rule_id, f.offset) for f in local.findings
    }
    assert _source(remote)["bytes_received"] < size // 3


def test_pickle_past_the_staging_bound_is_still_judged(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a pickle the prefix did not settle was read whole into the staging folder, and
    past AIRLOCK_STAGING_MAX_BYTES it was not judged (denied); read by ranges it is judged."""
    src = tmp_path / "src-bound"
    src.mkdir()
    _pickle(src / "model.pkl", False)
    hub.add(HubRepo.from_dir("org/pkl-bound", src))
    monkeypatch.setenv("AIRLOCK_STAGING_MAX_BYTES", "1024")
    remote = check("hf://org/pkl-bound")
    assert remote.allowed
    assert _source(remote)["files"][0]["read"] == "stream"


def test_check_names_staged_findings_under_the_remote_name(hub: HubServer) -> None:
    """``check`` of a remote model: a staged (small) file's findings name hf://…, as
    ``scan`` does, not the private staging path."""
    res = check("hf://org/denied")
    assert not res.allowed and res.findings
    for f in res.findings:
        assert f.location.startswith("hf://org/denied@"), f.location
