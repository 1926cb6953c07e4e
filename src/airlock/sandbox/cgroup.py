"""A process-count limit for one sandboxed process tree: a child cgroup of the pids controller
with ``pids.max`` set, which the sandbox's first process joins before it execs bubblewrap; and,
where a memory controller is writable, a memory limit for the whole tree the same way (tmpfs
and memfd pages are charged there; no rlimit counts them).

``RLIMIT_NPROC`` (set inside the sandbox's user namespace as well) does not bind a process whose
real user is root on the host, so where Airlock runs as root the cgroup is what stops a fork
bomb. Where no pids controller is writable, :func:`create` returns None and the rlimit alone
applies (see ``airlock sandbox probe``).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PREFIX = "airlock-"


def _own_dir(controller: str = "pids") -> Path | None:
    """This process's cgroup directory for ``controller`` (its v1 hierarchy, else the v2 one
    where the controller is enabled for children)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    v1 = v2 = None
    for line in lines:
        _n, ctrls, path = line.split(":", 2)
        if controller in ctrls.split(","):
            v1 = ROOT / controller / path.lstrip("/")
        elif ctrls == "" and _n == "0":
            v2 = ROOT / path.lstrip("/")
    if v2 is not None and controller != "pids":  # (pids: kept as before, probed by create())
        try:
            if controller not in (v2 / "cgroup.subtree_control").read_text().split():
                v2 = None
        except OSError:
            v2 = None
    for d in (v1, v2):
        if d is not None and d.is_dir() and os.access(d, os.W_OK):
            return d
    return None


def _owner_alive(name: str) -> bool:
    """Groups are named ``airlock-<creator pid>-<random>``; the creator may still be about to
    move its child in (an empty group is not yet a leftover)."""
    try:
        os.kill(int(name[len(PREFIX) :].split("-", 1)[0]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _reap(parent: Path) -> None:
    """Remove leftover groups of creators that have exited (their tasks are gone too)."""
    try:
        leftovers = [p for p in parent.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    except OSError:
        return
    for p in leftovers:
        if _owner_alive(p.name):
            continue
        try:
            p.rmdir()
        except OSError:
            pass


def parent_dir() -> Path | None:
    """Where sandbox groups are made (this process's pids cgroup), after reaping leftovers; None
    if no pids controller is writable here."""
    parent = _own_dir()
    if parent is not None:
        _reap(parent)
    return parent


def group_path(parent: Path, creator: int, child: int) -> Path:
    return parent / f"{PREFIX}{creator}-{child}"


def enter(parent: Path, max_procs: int) -> None:
    """Runs in the child between fork and exec: make ``airlock-<parent pid>-<own pid>`` with
    ``pids.max`` and move in. Made by the child itself, so no other process's reaper can remove
    it between creation and joining (it is never empty while its creator runs). Raises
    (failing the start closed) if the group cannot be made."""
    group = group_path(parent, os.getppid(), os.getpid())
    try:
        os.mkdir(group)
    except FileExistsError:
        # A leftover of an earlier child that had this pid under the same creator (pids are
        # reused; its removal may have timed out): that child is gone, so the group is ours.
        pass
    for name, value in (("pids.max", str(max_procs)), ("cgroup.procs", str(os.getpid()))):
        fd = os.open(group / name, os.O_WRONLY)
        try:
            os.write(fd, value.encode())
        finally:
            os.close(fd)


MEMORY_FILES = ("memory.max", "memory.limit_in_bytes")  # v2, v1


def _memory_file(group: Path) -> Path:
    for name in MEMORY_FILES:
        if (group / name).exists():
            return group / name
    raise OSError(f"{group}: no memory limit file")


_MEMORY: list[Path | None] = []


def memory_parent_dir() -> Path | None:
    """Where sandbox memory groups are made, after reaping leftovers; None if no memory
    controller is writable here or a trial group could not be limited (checked once)."""
    if not _MEMORY:
        parent = _own_dir("memory")
        if parent is not None:
            trial = parent / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            try:
                trial.mkdir()
                try:
                    _memory_file(trial).write_text(str(64 << 20))
                finally:
                    remove(trial)
            except OSError:
                parent = None
        _MEMORY.append(parent)
    parent = _MEMORY[0]
    if parent is not None:
        _reap(parent)
    return parent


def enter_memory(parent: Path, limit_bytes: int) -> None:
    """Like :func:`enter`, for the memory controller: the whole tree (its processes, tmpfs and
    memfd pages) shares ``limit_bytes``; over it the kernel reclaims, then OOM-kills inside."""
    group = group_path(parent, os.getppid(), os.getpid())
    try:
        os.mkdir(group)
    except FileExistsError:
        pass  # a leftover (see enter), or the pids group itself on cgroup v2
    for path, value in ((_memory_file(group), str(limit_bytes)),
                        (group / "cgroup.procs", str(os.getpid()))):  # fmt: skip
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, value.encode())
        finally:
            os.close(fd)


def oom_kills(group: Path) -> int | None:
    """Processes the kernel OOM-killed in ``group`` (``oom_kill`` of v2 ``memory.events`` or v1
    ``memory.oom_control``); None where ``group`` has no such counter (not a memory group)."""
    for name in ("memory.events", "memory.oom_control"):
        try:
            text = (group / name).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip().isdigit():
                return int(value)
    return None


def create(max_procs: int) -> Path | None:
    """A fresh, empty group allowing ``max_procs`` tasks (for probes), or None."""
    parent = parent_dir()
    if parent is None:
        return None
    group = parent / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        group.mkdir()
    except OSError:
        return None
    try:
        (group / "pids.max").write_text(str(max_procs))
    except OSError:
        remove(group)
        return None
    return group


def remove(group: Path, wait_s: float = 2.0) -> None:
    """Kill what is left in the group and remove it (bounded wait; the reaper retries later)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            for pid in (group / "cgroup.procs").read_text().split():
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, PermissionError, ValueError):
                    pass
            group.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)


def usable() -> bool:
    """Whether a pids group can be made here (for probes and doctor)."""
    g = create(8)
    if g is None:
        return False
    remove(g)
    return True
