"""What a Python process inside the sandbox needs to see, and the tiny launcher that locks the
sandbox down from inside before exec'ing an arbitrary command.

Landlock cannot be applied before bubblewrap (a Landlocked process may not mount), and
RLIMIT_NPROC only counts the sandbox's own processes once it is set inside its user namespace,
so both are applied by the first process inside, which then becomes the requested command
(through :func:`airlock.sandbox.seccomp.exec_once` when further execs are denied).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

SANDBOX_TMP = "/tmp"  # noqa: S108 - a private tmpfs inside the sandbox
SANDBOX_SHM = "/dev/shm"  # noqa: S108 - likewise (POSIX semaphores and shared memory)
SYSTEM_RO = ("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/proc")
SYSTEM_RW = (SANDBOX_TMP, "/dev")  # bwrap's minimal /dev: null, zero, random, urandom, tty

LAUNCHER = r"""
import json, os, resource, shutil, sys
cfg = json.loads(sys.argv[1])
sys.path[:0] = cfg["paths"]
from airlock.sandbox.privs import drop_if_privileged
drop_if_privileged(cfg["uid"])  # a root caller's sandbox: become the unprivileged uid first
from pathlib import Path
from airlock.sandbox import landlock, seccomp
resource.setrlimit(resource.RLIMIT_NPROC, (cfg["nproc"], cfg["nproc"]))
if cfg["landlock"]:
    landlock.restrict([Path(p) for p in cfg["ro"]], [Path(p) for p in cfg["rw"]],
                      deny_tcp=not cfg["net"])
cmd = cfg["cmd"]
path = cmd[0] if "/" in cmd[0] else shutil.which(cmd[0])
err = "not found"
if path is not None:
    try:
        if cfg["exec_once"]:
            seccomp.exec_once(path, cmd, dict(os.environ))
        else:
            os.execv(path, cmd)
    except OSError as e:
        err = e.strerror
sys.stderr.write(f"airlock sandbox: cannot execute {cmd[0]}: {err}\n")
sys.exit(127)
"""


def python_paths() -> tuple[list[Path], list[str]]:
    """Directories the interpreter needs visible, and the sys.path entries to restore.

    Only the interpreter's prefixes and the directory holding the ``airlock`` package are
    exposed; other sys.path entries (the current directory, PYTHONPATH) stay hidden unless the
    caller binds them explicitly.
    """
    import airlock

    pkg_root = Path(airlock.__file__).resolve().parent.parent
    exe = Path(sys.executable).resolve()
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), exe.parent, pkg_root}
    keep: list[Path] = []
    for d in sorted(roots, key=lambda p: len(p.parts)):
        if not any(d.is_relative_to(o) for o in keep):
            keep.append(d)
    entries: list[str] = []
    for p in sys.path:
        if not p:
            continue
        rp = Path(p).resolve()
        if rp.is_dir() and any(rp.is_relative_to(k) for k in keep) and str(rp) not in entries:
            entries.append(str(rp))
    if str(pkg_root) not in entries:
        entries.append(str(pkg_root))
    return keep, entries


def landlock_config(
    ro_paths: tuple[Path, ...], rw_paths: tuple[Path, ...], allow_net: bool
) -> dict[str, Any]:
    """The JSON config both the launcher and the Python worker read."""
    dirs, entries = python_paths()
    ro = [*SYSTEM_RO, *(str(d) for d in dirs), *(str(p.resolve()) for p in ro_paths)]
    rw = [*SYSTEM_RW, *(str(p.resolve()) for p in rw_paths)]
    return {"paths": entries, "ro": ro, "rw": rw, "net": allow_net}


def python_exe() -> str:
    return str(Path(sys.executable).resolve())
