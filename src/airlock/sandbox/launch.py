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
                      deny_tcp=not cfg["net"], deny_connect_ports=cfg["host_ports"])
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


# The first program of every sandbox start, exec'd by the caller's fork (``python -I -S -c
# STARTER cfg``): nothing of Python runs between the caller's fork and exec (a preexec_fn in a
# threaded caller - a server starting sandboxes from its threads - can deadlock on a lock
# another thread held at the fork). In this fresh single-threaded interpreter it joins the
# sandbox's cgroups, sets the rlimits, for a root caller drops its groups, becomes SANDBOX_GID
# and enters a user namespace mapping host 0 and SANDBOX_UID (a helper forked before the
# unshare writes the maps: a map of more than one id may only be written from the parent
# namespace), then execs bubblewrap (or, unsandboxed, the command). What fails is written to
# the status pipe (close-on-exec: end of file there means the exec happened) and nothing runs.
STARTER = r"""
import json, os, sys
cfg = json.loads(sys.argv[1])
st = cfg["status"]
os.set_inheritable(st, False)
def fail(what, code=126):
    os.write(st, what.encode("utf-8", "replace"))
    os._exit(code)
me = os.getpid()
try:
    for parent, files in cfg["groups"]:
        g = parent + "/airlock-%d-%d" % (os.getppid(), me)
        try:
            os.mkdir(g)
        except FileExistsError:
            pass  # a leftover of an earlier child with this pid, or v2's shared group
        for names, value in files + [[["cgroup.procs"], str(me)]]:
            name = next((n for n in names if os.path.exists(g + "/" + n)), names[0])
            fd = os.open(g + "/" + name, os.O_WRONLY)
            try:
                os.write(fd, value.encode())
            finally:
                os.close(fd)
except (OSError, StopIteration) as e:
    fail("limits: cgroup: %s" % e)
import resource
try:
    for res, soft, hard in cfg["rlimits"]:
        resource.setrlimit(res, (soft, hard))
except (OSError, ValueError) as e:
    fail("limits: rlimit: %s" % e)
if cfg["drop"]:
    import ctypes
    try:
        gid = cfg["gid"]
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        r, w = os.pipe()
        helper = os.fork()
        if helper == 0:  # stays in the host namespace: only from there may it map uid 0
            code = 1
            try:
                os.close(w)
                if os.read(r, 1) == b"1":
                    for name in ("uid_map", "gid_map"):
                        f = os.open("/proc/%d/%s" % (me, name), os.O_WRONLY)
                        os.write(f, cfg["maps"].encode())
                        os.close(f)
                    code = 0
            finally:
                os._exit(code)
        os.close(r)
        rc = ctypes.CDLL(None, use_errno=True).unshare(0x10000000)  # CLONE_NEWUSER
        os.write(w, b"1" if rc == 0 else b"0")
        os.close(w)
        _, status = os.waitpid(helper, 0)
        if rc != 0 or status != 0:
            raise OSError("could not enter a user namespace mapping the sandbox's uid")
    except OSError as e:
        fail("userns: %s" % e)
argv = cfg["argv"]
try:
    if cfg["search"]:
        os.execvp(argv[0], argv)
    os.execv(argv[0], argv)
except OSError as e:
    fail("exec: %d %s" % (e.errno or 0, argv[0]), 127)
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
    # no port deny-list: an allow_net sandbox has a network namespace of its own (:mod:`.netns`)
    return {"paths": entries, "ro": ro, "rw": rw, "net": allow_net, "host_ports": []}


def python_exe() -> str:
    return str(Path(sys.executable).resolve())
