"""review21: the staging copy step against a bind another user can write (no root needed: the
copy is judged for the sandbox uid, whoever runs the test)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from airlock.sandbox import stage

U = 65534


def test_a_folder_swapped_before_the_walks_lstat_is_not_copied(tmp_path: Path) -> None:
    """The walk lists ``sub`` (a real folder), then ``sub`` becomes a symlink to a host folder
    before the walk's lstat of ``sub/f``: the lstat and the open both go through the symlink,
    so the inodes agree; the copy is still refused (the file is not at the walked path)."""
    m = tmp_path / "m"
    m.mkdir()
    host = tmp_path / "host"
    host.mkdir()
    (host / "f").write_bytes(b"HOST-SECRET")
    os.chmod(host / "f", 0o600)
    os.symlink(host, m / "sub")
    src = m / "sub" / "f"  # the walked path (the walk saw sub as a folder)
    out = stage.Plan()
    try:
        with pytest.raises(stage.StageError, match="changed while"):
            stage._copy(src, os.stat(src), out)
        assert out.copies == 0 or not any(
            p.read_bytes() == b"HOST-SECRET" for p in (out.folder or tmp_path).glob("*")
        )
    finally:
        out.close()


def test_a_fifo_swapped_in_is_refused_without_blocking(tmp_path: Path) -> None:
    """A regular file at the walk, a fifo at the copy: refused at once, the host not left
    waiting for a writer."""
    f = tmp_path / "f"
    f.write_bytes(b"x")
    st = os.lstat(f)
    f.unlink()
    os.mkfifo(f)
    result: list[BaseException | None] = []

    def copy() -> None:
        out = stage.Plan()
        try:
            stage._copy(f, st, out)
            result.append(None)
        except BaseException as e:
            result.append(e)
        finally:
            out.close()

    t = threading.Thread(target=copy, daemon=True)
    t.start()
    t.join(20)
    if t.is_alive():  # release the blocked open
        fd = os.open(f, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        t.join(5)
        pytest.fail("the copy blocked on a fifo")
    assert isinstance(result[0], stage.StageError)


def test_a_file_growing_during_the_fallback_copy_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read/write fallback reads at most one byte past the size seen: a file that keeps
    growing is refused, not copied until the disk fills."""
    f = tmp_path / "f"
    f.write_bytes(b"a" * 100)
    reads = 0
    real_read = os.read

    def no_cfr(*_a: object) -> int:
        raise OSError(38, "no copy_file_range")

    def endless(fd: int, n: int) -> bytes:
        nonlocal reads
        reads += 1
        if reads > 1000:
            raise AssertionError("read past the size seen")
        return real_read(fd, n) or b"b" * min(n, 4096)  # always more to read

    monkeypatch.setattr(os, "copy_file_range", no_cfr)
    monkeypatch.setattr(os, "read", endless)
    out = stage.Plan()
    try:
        with pytest.raises(stage.StageError, match="changed size"):
            stage._copy(f, os.lstat(f), out)
    finally:
        out.close()


def test_a_failing_copy_is_a_refusal_and_leaves_no_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError while copying (no space, EIO) is a StageError, and the staging folder made
    for the copy is removed."""
    m = tmp_path / "m"
    m.mkdir()
    (m / "w").write_bytes(b"w")
    os.chmod(m / "w", 0o600)
    made: list[Path] = []
    real_folder = stage._folder

    def folder(out: stage.Plan, src: Path, size: int) -> Path:
        p = real_folder(out, src, size)
        made.append(p)
        return p

    def eio(*_a: object) -> None:
        raise OSError(5, "Input/output error", str(m / "w"))

    monkeypatch.setattr(stage, "_folder", folder)
    monkeypatch.setattr(stage, "_copy_fd", eio)
    with pytest.raises(stage.StageError, match="cannot stage"):
        stage.plan([m], [], U)
    assert made and not made[0].exists()
