"""Binds a root caller's sandbox user cannot read, made readable without keeping uid 0.

A root caller's sandbox runs as SANDBOX_UID (65534). A read-only bind holding root-owned files
it cannot read (safetensors' ``save_file`` writes 0600, so every model saved by root) used to
make the whole sandbox keep the host's uid 0. Instead, each such file is copied by the host
into a private staging folder (``airlock-stage-<pid>-*`` in /var/tmp or the temporary folder,
0700 root: no other host user can reach it) as a world-readable file, and bubblewrap binds the
copy read-only over the original path; a folder the sandbox user cannot search is covered by a
small read-only tmpfs into which its entries are bound one by one. The copies live until the
sandbox has been killed (:func:`airlock.sandbox.runner.kill_group`). The sandbox keeps the
dropped uid; what cannot be arranged (too many entries, no room for a copy, a writable bind the
sandbox user cannot write) is a refusal to run, never uid 0. (bubblewrap 0.8 binds a
``--ro-bind-fd`` by the path the descriptor resolves to, so an unnamed O_TMPFILE copy cannot
be bound.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from airlock.errors import UsageError

MAX_ENTRIES = 200_000  # bind entries looked at per sandbox start (lstat each)
MAX_STAGED = 512  # files copied (one descriptor and one mount each)
MAX_DEPTH = 256
COVER_BYTES = 1 << 20  # the tmpfs over an unsearchable folder holds only mount points
SPARE_BYTES = 64 << 20  # left free on the filesystem a copy goes to


class StageError(UsageError):
    """A bind cannot be made usable by the sandbox user; nothing was run."""


def mode_ok(st: os.stat_result, uid: int, *, write: bool) -> bool:
    """Whether ``uid`` (no groups) may read (directories: list and search) and, with
    ``write``, write this entry by its mode bits."""
    if st.st_uid == uid:
        need = stat.S_IRUSR | (stat.S_IWUSR if write else 0)
        need |= stat.S_IXUSR if stat.S_ISDIR(st.st_mode) else 0
    else:
        need = stat.S_IROTH | (stat.S_IWOTH if write else 0)
        need |= stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else 0
    return st.st_mode & need == need


@dataclass
class _Node:
    """An entry the sandbox user cannot use as is (or a folder with such entries inside)."""

    path: Path
    st: os.stat_result
    usable: bool  # the entry itself (folders: listable and searchable)
    kids: list[tuple[str, os.stat_result, _Node | None]] = field(default_factory=list)


class _Walk:
    def __init__(self, uid: int) -> None:
        self.uid = uid
        self.seen = 0

    def judge(self, path: Path, write: bool, depth: int = 0) -> _Node | None:
        """None: ``path`` and everything under it is usable by the sandbox user."""
        if depth > MAX_DEPTH:
            raise StageError(f"{path}: sandbox bind nested more than {MAX_DEPTH} folders deep")
        try:
            st = path.lstat()
        except OSError:
            return None  # gone: bwrap reports a missing bind itself
        if stat.S_ISLNK(st.st_mode):
            return None
        is_dir = stat.S_ISDIR(st.st_mode)
        usable = mode_ok(st, self.uid, write=write and is_dir)
        if not is_dir:
            return None if usable else _Node(path, st, False)
        kids: list[tuple[str, os.stat_result, _Node | None]] = []
        bad = False
        try:
            with os.scandir(path) as it:
                entries = sorted(e.name for e in it)
        except OSError as e:
            raise StageError(f"{path}: cannot list a sandbox bind ({e.strerror})") from None
        for name in entries:
            self.seen += 1
            if self.seen > MAX_ENTRIES:
                raise StageError(
                    f"more than {MAX_ENTRIES} entries in the sandbox binds to check for what "
                    f"uid {self.uid} can read; bind smaller folders"
                )
            child = path / name
            try:
                cst = child.lstat()
            except OSError:
                continue
            node = self.judge(child, write, depth + 1)
            bad = bad or node is not None
            kids.append((name, cst, node))
        if usable and not bad:
            return None
        return _Node(path, st, usable, kids)


PREFIX = "airlock-stage-"


@dataclass
class Plan:
    """bubblewrap arguments (after the binds themselves) and the staging folder they name."""

    args: list[str] = field(default_factory=list)
    folder: Path | None = None
    copies: int = 0
    copied_bytes: int = 0

    def close(self) -> None:
        """Remove the copies (once the sandbox that binds them is gone)."""
        if self.folder is not None:
            remove(self.folder)
            self.folder = None


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def reap() -> None:
    """Remove staging folders whose creating process has exited."""
    for d in _roots():
        with contextlib.suppress(OSError), os.scandir(d) as it:
            for e in it:
                if not e.name.startswith(PREFIX):
                    continue
                try:
                    pid = int(e.name[len(PREFIX) :].split("-", 1)[0])
                    os.kill(pid, 0)
                except (ValueError, ProcessLookupError):
                    remove(Path(e.path))
                except PermissionError:
                    pass


def _roots() -> list[Path]:
    return list(dict.fromkeys([Path("/var/tmp"), Path(tempfile.gettempdir())]))  # noqa: S108


def plan(ro: Iterable[Path], rw: Iterable[Path], uid: int) -> Plan:
    """What makes every bind usable by ``uid``: raises StageError for a writable bind it cannot
    write (or read), or when the binds are too large to check or to copy. The caller closes the
    plan's descriptors once the sandbox has started (bubblewrap holds its own copies)."""
    walk = _Walk(uid)
    for p in rw:
        node = walk.judge(p.resolve(), True)
        if node is not None:
            bad = _first_bad(node)
            raise StageError(
                f"{bad}: the sandbox runs as uid {uid} (nobody), which cannot "
                f"{'write' if stat.S_ISDIR(bad.stat().st_mode) else 'read'} it in the writable "
                f"bind {p}; give it to that user (chown -R {uid} {p}) or bind another folder"
            )
    out = Plan()
    try:
        for p in ro:
            node = walk.judge(p.resolve(), False)
            if node is not None:
                _emit(node, True, out)
    except OSError as e:  # review21: making a copy failed (no space, a read error): a refusal
        out.close()
        raise StageError(
            f"{e.filename or 'a sandbox bind'}: cannot stage it for the sandbox ({e.strerror}); "
            "nothing was run"
        ) from None
    except BaseException:
        out.close()
        raise
    return out


def _first_bad(node: _Node) -> Path:
    if not node.usable:
        return node.path
    for _name, _st, kid in node.kids:
        if kid is not None:
            return _first_bad(kid)
    return node.path


def _emit(node: _Node, covered: bool, out: Plan) -> None:
    """Arguments that show ``node`` to the sandbox user: ``covered`` when it is visible already
    (inside a bind of its original folder), else it sits in a cover tmpfs and needs a bind."""
    path = str(node.path)
    if stat.S_ISREG(node.st.st_mode):
        out.args += ["--ro-bind", str(_copy(node.path, node.st, out)), path]
        return
    if not stat.S_ISDIR(node.st.st_mode):
        return  # an unreadable fifo, socket or device: stays unreadable (or absent)
    if node.usable:
        if not covered:
            out.args += ["--ro-bind", path, path]
        for _name, _st, kid in node.kids:
            if kid is not None:
                _emit(kid, True, out)
        return
    # not searchable: a read-only tmpfs hides it, holding a bind of each entry
    out.args += ["--perms", "0755", "--size", str(COVER_BYTES), "--tmpfs", path]
    for name, st, kid in node.kids:
        child = str(node.path / name)
        if kid is not None:
            _emit(kid, False, out)
        elif stat.S_ISLNK(st.st_mode):
            with contextlib.suppress(OSError):
                out.args += ["--symlink", os.readlink(child), child]
        else:
            out.args += ["--ro-bind", child, child]
    out.args += ["--remount-ro", path]


def _copy(src: Path, st: os.stat_result, out: Plan) -> Path:
    """A world-readable copy of ``src`` in the plan's staging folder."""
    if out.copies >= MAX_STAGED:
        raise StageError(
            f"more than {MAX_STAGED} files in the sandbox binds are unreadable to the sandbox "
            "user; make them readable (chmod o+r) or bind fewer"
        )
    try:
        # O_NONBLOCK: a fifo swapped in after the walk's lstat opens at once (then refused)
        # instead of blocking the host until some writer comes
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC | os.O_NONBLOCK
        fd_in = os.open(src, flags)
    except OSError as e:
        raise StageError(f"{src}: cannot open it to copy for the sandbox ({e.strerror})") from None
    try:
        now = os.fstat(fd_in)
        # review21: the walk's own lstat may already have gone through a folder swapped for a
        # symlink (a bind another user can write: sub -> /etc between listing sub and lstat of
        # sub/shadow), so the inode matches; the file opened must also sit at the walked path
        # (canonical: the walk starts from a resolved path and never enters a symlink)
        if (
            (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino)
            or not stat.S_ISREG(now.st_mode)
            or _fd_path(fd_in) != str(src)
        ):
            raise StageError(f"{src}: changed while the sandbox was being prepared; nothing ran")
        size = now.st_size
        folder = _folder(out, src, size)
        out.copies += 1
        dst = folder / str(out.copies)
        fd_out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            _copy_fd(fd_in, fd_out, size, src)
            os.fchmod(fd_out, 0o555 if st.st_mode & 0o111 else 0o444)
        finally:
            os.close(fd_out)
    finally:
        os.close(fd_in)
    out.copied_bytes += size
    return dst


def _fd_path(fd: int) -> str | None:
    """Where the kernel says the file open as ``fd`` is (None: it cannot say)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _folder(out: Plan, src: Path, size: int) -> Path:
    """The plan's staging folder (made on first use, 0700), with room for ``size`` bytes."""
    if out.folder is None:
        reap()
        tried: list[str] = []
        for d in _roots():
            try:
                out.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=d))
                break
            except OSError as e:
                tried.append(f"{d}: {e.strerror}")
        else:
            raise StageError(
                f"{src}: unreadable to the sandbox user and nowhere to copy it "
                f"({'; '.join(tried)}); make it readable (chmod o+r) instead"
            )
    vfs = os.statvfs(out.folder)
    if vfs.f_bavail * vfs.f_frsize < size + SPARE_BYTES:
        raise StageError(
            f"{src}: unreadable to the sandbox user and no room to copy it for the sandbox in "
            f"{out.folder.parent} ({size} bytes); make it readable (chmod o+r) instead"
        )
    return out.folder


def _copy_fd(fd_in: int, fd_out: int, size: int, src: Path) -> None:
    done = 0
    try:
        while done < size:
            n = os.copy_file_range(fd_in, fd_out, min(size - done, 1 << 30))
            if n == 0:
                break
            done += n
    except OSError:
        os.lseek(fd_in, 0, os.SEEK_SET)
        os.lseek(fd_out, 0, os.SEEK_SET)
        os.ftruncate(fd_out, 0)
        done = 0
        # at most one byte past ``size``: a file still growing is refused, not copied forever
        while done <= size and (chunk := os.read(fd_in, min(1 << 20, size + 1 - done))):
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd_out, view) :]
            done += len(chunk)
    if done != size:
        raise StageError(f"{src}: changed size while being copied for the sandbox")
