"""Manifests and root digests: OMS-compatible ordering, ignore rules, symlinks, bad input."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.errors import InputError
from airlock.provenance.hashing import HashOptions, hash_model
from airlock.provenance.manifest import root_digest
from airlock.provenance.walk import WalkOptions, sort_key


def make_model(root: Path) -> Path:
    files = {
        "config.json": b'{"a": 1}',
        "a/b": b"ab",
        "a/c": b"ac",
        "a b/x": b"abx",
        "a-b": b"a-b",
        "a.txt": b"atxt",
        "sub/deeper/notes.txt": b"notes",
        "empty.bin": b"",
        ".git/HEAD": b"ref",
        ".gitattributes": b"*.bin lfs",
    }
    for name, data in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


def test_component_wise_order_and_root_digest(tmp_path: Path) -> None:
    m = hash_model(make_model(tmp_path / "m"))
    names = [f.path for f in m.files]
    assert names == [
        "a/b",
        "a/c",
        "a b/x",
        "a-b",
        "a.txt",
        "config.json",
        "empty.bin",
        "sub/deeper/notes.txt",
    ]
    expected = hashlib.sha256(
        b"".join(hashlib.sha256((tmp_path / "m" / n).read_bytes()).digest() for n in names)
    ).hexdigest()
    assert m.root_digest == expected
    assert m.by_path()["empty.bin"].digest == hashlib.sha256(b"").hexdigest()
    assert ".git" in m.ignore_paths


def test_same_root_digest_as_model_signing(tmp_path: Path) -> None:
    from model_signing import hashing

    root = make_model(tmp_path / "m")
    theirs = hashing.Config().hash(root)
    h = hashlib.sha256()
    for r in theirs.resource_descriptors():
        h.update(r.digest.digest_value)
    assert hash_model(root).root_digest == h.hexdigest()


def test_real_minilm_matches_model_signing(minilm_dir: Path) -> None:
    from model_signing import hashing

    theirs = hashing.Config().hash(minilm_dir)
    h = hashlib.sha256()
    for r in theirs.resource_descriptors():
        h.update(r.digest.digest_value)
    assert hash_model(minilm_dir).root_digest == h.hexdigest()


def test_single_file_is_named_dot(tmp_path: Path) -> None:
    f = tmp_path / "w.bin"
    f.write_bytes(b"x" * 10)
    m = hash_model(f)
    assert [x.path for x in m.files] == ["."]
    assert m.name == "w.bin"
    assert m.to_sha256sums("w.bin") == f"{hashlib.sha256(b'x' * 10).hexdigest()}  w.bin\n"


def test_user_ignore_and_no_git(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    m = hash_model(root, HashOptions(WalkOptions(ignore_paths=("sub", "/elsewhere"))))
    assert not any(f.path.startswith("sub/") for f in m.files)
    assert "sub" in m.ignore_paths and "/elsewhere" not in m.ignore_paths
    m2 = hash_model(root, HashOptions(WalkOptions(ignore_git_paths=False)))
    assert ".git/HEAD" in m2.by_path() and ".gitattributes" in m2.by_path()


def test_symlinks_refused_by_default_and_followed_inside(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (root / "link.json").symlink_to("config.json")
    with pytest.raises(InputError, match="symbolic link"):
        hash_model(root)
    m = hash_model(root, HashOptions(WalkOptions(follow_symlinks=True)))
    assert m.by_path()["link.json"].digest == m.by_path()["config.json"].digest


def test_symlink_outside_root_never_followed(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (tmp_path / "secret").write_text("s")
    (root / "escape").symlink_to(tmp_path / "secret")
    with pytest.raises(InputError, match="outside"):
        hash_model(root, HashOptions(WalkOptions(follow_symlinks=True)))


def test_symlink_loop(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (root / "sub" / "loop").symlink_to("..")
    with pytest.raises(InputError, match="loop"):
        hash_model(root, HashOptions(WalkOptions(follow_symlinks=True)))
    (root / "sub" / "loop").unlink()
    (root / "self").symlink_to("self")
    with pytest.raises(InputError):
        hash_model(root, HashOptions(WalkOptions(follow_symlinks=True)))


def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    os.mkfifo(root / "pipe")
    with pytest.raises(InputError, match="not a regular file"):
        hash_model(root)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        hash_model(tmp_path / "nope")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    (root / "a.txt").chmod(0)
    with pytest.raises(InputError, match=r"a\.txt"):
        hash_model(root)


def test_cache_hits_and_invalidation(tmp_path: Path) -> None:
    root = make_model(tmp_path / "m")
    opts = HashOptions(use_cache=True, cache_path=tmp_path / "c.sqlite")
    first = hash_model(root, opts)
    assert not any(f.cached for f in first.files)
    second = hash_model(root, opts)
    assert all(f.cached for f in second.files)
    assert second.root_digest == first.root_digest
    (root / "a.txt").write_bytes(b"changed!")
    third = hash_model(root, opts)
    assert not third.by_path()["a.txt"].cached
    assert third.by_path()["a.txt"].digest == hashlib.sha256(b"changed!").hexdigest()
    assert third.by_path()["a/b"].cached


names = st.lists(
    st.lists(
        st.text("ab .-_/0", min_size=1, max_size=4).filter(lambda s: "/" not in s),
        min_size=1,
        max_size=3,
    ).map("/".join),
    min_size=1,
    max_size=20,
    unique=True,
)


@given(names)
@settings(max_examples=200)
def test_sort_key_matches_purepath(items: list[str]) -> None:
    from pathlib import PurePosixPath

    assert sorted(items, key=sort_key) == sorted(items, key=PurePosixPath)


@given(st.lists(st.binary(min_size=32, max_size=32), max_size=10))
def test_root_digest_is_sha256_of_raw_digests(digests: list[bytes]) -> None:
    assert root_digest(d.hex() for d in digests) == hashlib.sha256(b"".join(digests)).hexdigest()
