"""Tar links that extract as another member's bytes under a name loaders look for (rt15cfg).

A ``.nemo`` tar whose ``model_config.yaml`` was a symbolic or hard link to ``w.txt`` holding
``target: pathlib.Path.write_text`` scanned clean: ``w.txt`` was judged by its own name, where
NeMo's ``target`` rule does not apply, while NeMo extracts the tar and reads
``model_config.yaml``, the link. The link's bytes are now judged under the link's name too."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from airlock.report import Finding, Severity
from airlock.scan.engine import scan_data

EVIL = b"model:\n  target: pathlib.Path.write_text\n"
HONEST = b"model:\n  target: nemo.collections.asr.models.EncDecCTCModel\n"


def _tar(config: bytes, kind: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo("w.txt")
        info.size = len(config)
        t.addfile(info, io.BytesIO(config))
        link = tarfile.TarInfo("./model_config.yaml")
        link.type, link.linkname = kind, "w.txt"
        t.addfile(link)
    return buf.getvalue()


def _nemo(data: bytes) -> list[Finding]:
    return [f for f in scan_data(data, "model.nemo").findings if f.rule_id == "AIR-CFG-024"]


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_a_linked_model_config_is_judged_by_the_link_name(kind: bytes, tmp_path: Path) -> None:
    found = _nemo(_tar(EVIL, kind))
    assert found and found[0].severity == Severity.CRITICAL
    honest = _nemo(_tar(HONEST, kind))
    assert [f.severity for f in honest] == [Severity.MEDIUM]
    # oracle: extraction as NeMo does it (here even with the "data" filter, Python 3.14's
    # default) makes model_config.yaml the payload
    yaml = pytest.importorskip("yaml")
    with tarfile.open(fileobj=io.BytesIO(_tar(EVIL, kind))) as t:
        t.extractall(tmp_path, filter="data")
    assert yaml.safe_load((tmp_path / "model_config.yaml").read_text())["model"]["target"] == (
        "pathlib.Path.write_text"
    )


def test_links_elsewhere_add_nothing() -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo("model_config.yaml")
        info.size = len(HONEST)
        t.addfile(info, io.BytesIO(HONEST))
        for name, target in (("latest.yaml", "model_config.yaml"), ("gone", "missing.bin")):
            link = tarfile.TarInfo(name)
            link.type, link.linkname = tarfile.SYMTYPE, target
            t.addfile(link)
    found = scan_data(buf.getvalue(), "model.nemo").findings
    assert [f.severity for f in found if f.rule_id == "AIR-CFG-024"] == [Severity.MEDIUM]


def _chain(config: bytes, chain: list[tuple[str, bytes, str]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo("w.txt")
        info.size = len(config)
        t.addfile(info, io.BytesIO(config))
        for name, kind, target in chain:
            link = tarfile.TarInfo(name)
            link.type, link.linkname = kind, target
            t.addfile(link)
    return buf.getvalue()


CHAINS = [  # fix14cfg: a link landing on another hard link found no regular member
    [("a", tarfile.LNKTYPE, "w.txt"), ("model_config.yaml", tarfile.LNKTYPE, "a")],
    [("a", tarfile.LNKTYPE, "w.txt"), ("model_config.yaml", tarfile.SYMTYPE, "a")],
    [
        ("a", tarfile.LNKTYPE, "w.txt"),
        ("b", tarfile.SYMTYPE, "a"),
        ("model_config.yaml", tarfile.LNKTYPE, "b"),
    ],
]


@pytest.mark.parametrize("chain", CHAINS)
def test_links_through_hard_links_are_judged(
    chain: list[tuple[str, bytes, str]], tmp_path: Path
) -> None:
    found = _nemo(_chain(EVIL, chain))
    assert found and found[0].severity == Severity.CRITICAL
    assert [f.severity for f in _nemo(_chain(HONEST, chain))] == [Severity.MEDIUM]
    yaml = pytest.importorskip("yaml")  # oracle: extraction makes model_config.yaml the payload
    with tarfile.open(fileobj=io.BytesIO(_chain(EVIL, chain))) as t:
        t.extractall(tmp_path, filter="data")
    assert (
        "write_text"
        in yaml.safe_load((tmp_path / "model_config.yaml").read_text())["model"]["target"]
    )


def test_hard_link_chains_past_the_hop_bound_are_findings() -> None:
    chain = [("h0", tarfile.LNKTYPE, "w.txt")]
    chain += [(f"h{i}", tarfile.LNKTYPE, f"h{i - 1}") for i in range(1, 60)]
    chain.append(("model_config.yaml", tarfile.LNKTYPE, "h59"))
    found = scan_data(_chain(HONEST, chain), "model.nemo").findings
    assert any("chain of hard links longer than" in f.evidence for f in found)


def _deep(depth: int) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo("a/" * depth + "x")
        info.size = 1
        t.addfile(info, io.BytesIO(b"1"))
        link = tarfile.TarInfo("l")
        link.type, link.linkname = tarfile.SYMTYPE, "x"
        t.addfile(link)
    return buf.getvalue()


def test_paths_deeper_than_the_bound_are_not_judged() -> None:
    """fix14cfg: link resolution hashed the whole path per component (80,000 components: 62 s);
    past MAX_PATH_PARTS a path is a finding (fail closed), below it honest depth stays clean."""
    from airlock.formats.archive import MAX_PATH_PARTS

    deep = scan_data(_deep(MAX_PATH_PARTS + 10), "deep.tar").findings
    assert any("path components: not judged" in f.evidence for f in deep)
    assert not [f for f in scan_data(_deep(200), "ok.tar").findings if f.severity >= Severity.HIGH]
