"""A process-count limit for one sandboxed process tree: a child cgroup of the pids controller
with ``pids.max`` set, which the sandbox's first process joins before it execs bubblewrap.

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


def _own_dir() -> Path | None:
    """This process's pids cgroup directory (v1 ``pids`` hierarchy, else the v2 one)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    v1 = v2 = None
    for line in lines:
        _n, ctrls, path = line.split(":", 2)
        if "pids" in ctrls.split(","):
            v1 = ROOT / "pids" / path.lstrip("/")
        elif ctrls == "" and _n == "0":
            v2 = ROOT / path.lstrip("/")
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


def create(max_procs: int) -> Path | None:
    """A fresh group allowing ``max_procs`` tasks, or None if no pids controller is usable."""
    parent = _own_dir()
    if parent is None:
        return None
    _reap(parent)
    group = parent / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        group.mkdir()
    except OSError:
        return None
    try:
        (group / "pids.max").write_text(str(max_procs))
        if not (group / "cgroup.procs").is_file():
            raise OSError("no cgroup.procs")
    except OSError:
        remove(group)
        return None
    return group


def join_fd(group: Path) -> int:
    """An fd on the group's ``cgroup.procs``: the child writes its pid there before exec."""
    return os.open(group / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)


def join(fd: int) -> None:
    """Runs in the child between fork and exec."""
    os.write(fd, str(os.getpid()).encode())


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
