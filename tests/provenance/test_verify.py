"""Verification against manifests, sha256sum lists and root digests; malformed expectations."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airlock.errors import FormatError, InputError, UsageError
from airlock.provenance import filehash
from airlock.provenance.hashing import hash_model
from airlock.provenance.manifest import parse_manifest_json, parse_sha256sums
from airlock.provenance.verify import Status, verify_digests, verify_manifest, verify_root_digest

from .test_hashing import make_model


def statuses(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.path: f.status.value for f in result.files if f.status is not Status.OK}


def test_manifest_roundtrip_ok(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    m = hash_model(root)
    parsed = parse_manifest_json(json.dumps(m.to_json()), "m.json")
    res = verify_manifest(root, parsed)
    assert res.ok and res.actual_root == m.root_digest == res.expected_root
    assert ".git" in res.ignore_paths


def test_changed_missing_extra(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    m = hash_model(root)
    (root / "a.txt").write_bytes(b"atxX")  # same size, different bytes
    (root / "a-b").write_bytes(b"longer content")  # different size: detected without reading
    (root / "config.json").unlink()
    (root / "new.py").write_text("print(1)")
    res = verify_manifest(root, m)
    assert not res.ok
    assert statuses(res) == {
        "a.txt": "changed",
        "a-b": "changed",
        "config.json": "missing",
        "new.py": "extra",
    }
    assert verify_manifest(root, m, allow_extra=True).ok is False


def test_allow_extra(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    m = hash_model(root)
    (root / "README.md").write_text("hi")
    assert not verify_manifest(root, m).ok
    res = verify_manifest(root, m, allow_extra=True)
    assert res.ok and res.warnings


def test_sha256sums_gnu_bsd_and_binary_marker(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    d = {n: hashlib.sha256((root / n).read_bytes()).hexdigest() for n in ("a.txt", "a/b")}
    text = f"# from the model card\n{d['a.txt']}  ./a.txt\nSHA256 (a/b) = {d['a/b']}\n"
    parsed = parse_sha256sums(text, "SUMS")
    assert parsed == {"a.txt": d["a.txt"], "a/b": d["a/b"]}
    res = verify_digests(root, parsed, mode="sha256sums", allow_extra=True)
    assert res.ok
    assert not verify_digests(root, parsed, mode="sha256sums").ok  # extras fail by default


def test_sha256sums_for_single_file_uses_file_name(tmp_path: Path) -> None:
    f = tmp_path / "model.bin"
    f.write_bytes(b"weights")
    sums = parse_sha256sums(f"{hashlib.sha256(b'weights').hexdigest()} *model.bin\n", "S")
    assert verify_digests(f, sums, mode="sha256sums").ok


@pytest.mark.parametrize(
    "text",
    ["", "not a sum", "abc  file", "{}", "g" * 64 + "  x"],
)
def test_malformed_sums(text: str) -> None:
    with pytest.raises(FormatError):
        parse_sha256sums(text, "S")


@pytest.mark.parametrize(
    "doc",
    [
        "not json",
        "[]",
        json.dumps({"schema": "other"}),
        json.dumps({"schema": "airlock.manifest/v1", "files": {}}),
        json.dumps(
            {
                "schema": "airlock.manifest/v1",
                "files": [{"path": "a", "size": -1, "digest": "0" * 64}],
            }
        ),
        json.dumps(
            {"schema": "airlock.manifest/v1", "files": [{"path": "a", "size": 1, "digest": "zz"}]}
        ),
        json.dumps(
            {
                "schema": "airlock.manifest/v1",
                "root_digest": "0" * 64,
                "files": [{"path": "a", "size": 1, "digest": "1" * 64}],
            }
        ),
        "[" * 100000,
    ],
)
def test_malformed_manifest(doc: str) -> None:
    with pytest.raises(FormatError):
        parse_manifest_json(doc, "m.json")


@given(st.text(max_size=300))
def test_sums_parser_never_crashes(text: str) -> None:
    try:
        parse_sha256sums(text, "S")
    except FormatError:
        pass


@given(st.binary(max_size=300))
def test_manifest_parser_never_crashes(data: bytes) -> None:
    try:
        parse_manifest_json(data.decode("latin-1"), "m")
    except FormatError:
        pass


def test_root_digest(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    m = hash_model(root)
    assert verify_root_digest(root, m.root_digest).ok
    assert verify_root_digest(root, "sha256:" + m.root_digest.upper()).ok
    (root / "a.txt").write_bytes(b"x")
    res = verify_root_digest(root, m.root_digest)
    assert not res.ok and "root digest" in res.problems[0]
    with pytest.raises(UsageError):
        verify_root_digest(root, "abc")


def test_file_changing_while_hashed_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "w.bin"
    f.write_bytes(b"x" * 1000)
    real_fstat = os.fstat
    calls = {"n": 0}

    def fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        calls["n"] += 1
        if calls["n"] == 2:  # the 'after' stat: pretend a writer appended meanwhile
            values = list(st)
            values[6] = st.st_size + 1
            return os.stat_result(values)
        return st

    monkeypatch.setattr(filehash.os, "fstat", fstat)
    with pytest.raises(InputError, match="changed while being hashed"):
        filehash.hash_file(f)


def test_sums_carriage_return_escape_is_not_a_plain_r(tmp_path: Path) -> None:
    """coreutils 9 writes a name holding CR as ``\\<hex>  a\\rb``; it was read as ``arb``, so a
    list naming ``a<CR>b`` passed on a folder whose file is ``arb`` (rt25prov)."""
    digest = hashlib.sha256(b"x").hexdigest()
    line = f"\\{digest}  a\\rb\n"
    assert parse_sha256sums(line, "S") == {"a\rb": digest}
    impostor = tmp_path / "impostor"
    impostor.mkdir()
    (impostor / "arb").write_bytes(b"x")
    assert not verify_digests(impostor, parse_sha256sums(line, "S"), mode="sha256sums").ok
    real = tmp_path / "real"
    real.mkdir()
    (real / "a\rb").write_bytes(b"x")
    (real / "c\\d\ne").write_bytes(b"x")
    text = hash_model(real).to_sha256sums()
    assert text.count("\n") == 2 and "\\r" in text  # one line per file, as sha256sum writes
    assert verify_digests(real, parse_sha256sums(text, "S"), mode="sha256sums").ok


@pytest.mark.parametrize("name", ["a\x0cb", "a\u2028b", "a\x1eb", "a\x85b"])
def test_sums_lines_end_at_newline_only(tmp_path: Path, name: str) -> None:
    """sha256sum leaves these characters unescaped; str.splitlines broke the line at them."""
    (tmp_path / name).write_bytes(b"x")
    text = hash_model(tmp_path).to_sha256sums()
    assert verify_digests(tmp_path, parse_sha256sums(text, "S"), mode="sha256sums").ok


def test_sums_unknown_escape_is_refused() -> None:
    with pytest.raises(FormatError, match="bad escape"):
        parse_sha256sums(f"\\{'a' * 64}  a\\tb\n", "S")
