"""Run a command or a Python snippet inside the sandbox, with limits, and collect its output.

Layers, outermost first: rlimits (memory, CPU, file size, open files), a pids cgroup capping
the process count and a memory cgroup capping the whole tree's memory (tmpfs and memfd pages
included) where they are writable, and a new session so the whole process group can be killed
at the wall-clock deadline; bubblewrap with every namespace unshared (with ``allow_net`` the
network namespace gets outbound NAT through slirp4netns, :mod:`.netns`), a fresh /proc, a
size-limited private /tmp and /dev/shm (the rest read-only) and read-only binds of just the
system and the listed paths; a seccomp filter (io_uring, new
namespaces through clone/clone3 and, without the network, any unix socket that could be
pointed at a path); inside, a launcher that sets RLIMIT_NPROC in the sandbox's user namespace,
applies Landlock and, unless ``allow_exec``, a filter that lets exactly one execve through (its
own, of the command); and for Python workers, a second in-process seccomp filter (no execve, no
sockets) plus Landlock.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from airlock.errors import AirlockError, UsageError
from airlock.sandbox import cgroup, landlock, netns, seccomp, stage
from airlock.sandbox.launch import (
    LAUNCHER,
    SANDBOX_SHM,
    SANDBOX_TMP,
    STARTER,
    landlock_config,
    python_exe,
    python_paths,
)

MAX_CAPTURE = 16 << 20
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf",
             "/etc/passwd", "/etc/group", "/etc/ssl/certs", "/etc/alternatives")  # fmt: skip
# A root caller's sandbox runs as this host uid/gid (nobody/nogroup), not as root: root inside a
# user namespace is still the host's root to every permission check on a host-owned object, so a
# root-only file (/proc/timer_list, /proc/slabinfo, a 0600 file in a bind) would be readable,
# and RLIMIT_NPROC would not bind (the kernel exempts the host's root user).
SANDBOX_UID = SANDBOX_GID = 65534
# /proc files that describe the host kernel rather than the sandbox's own processes: covered by
# an unreadable node (also for a caller who is not root), together with every top-level /proc
# file the host keeps from other users (mode without o+r), whatever this kernel adds.
MASKED_PROC = ("kcore", "kmsg", "keys", "key-users", "timer_list", "sched_debug", "slabinfo",
               "vmallocinfo", "kallsyms", "pagetypeinfo", "kpagecgroup", "kpagecount",
               "kpageflags", "latency_stats", "sysrq-trigger", "config.gz", "iomem",
               "ioports")  # fmt: skip


DEFAULT_RW_QUOTA_MB = 1024


class SandboxUnavailable(AirlockError):
    """No isolation backend works here; running anyway needs an explicit opt-in."""


@dataclass(frozen=True)
class SandboxPolicy:
    """What the sandboxed process may see and use."""

    ro_paths: tuple[Path, ...] = ()
    rw_paths: tuple[Path, ...] = ()
    allow_net: bool = False
    memory_mb: int = 4096
    cpu_seconds: int = 300
    wall_seconds: float = 600.0
    file_size_mb: int = 1024
    open_files: int = 256
    env: dict[str, str] = field(default_factory=dict)
    allow_unsandboxed: bool = False
    landlock: bool = True  # used when the kernel offers it
    max_procs: int = 256  # processes + threads of the whole tree (pids cgroup, RLIMIT_NPROC)
    allow_exec: bool = True  # False: the command may not exec anything after it starts
    # All writable tmpfs mounts together (/tmp, /dev/shm), in MB; 0: min(memory_mb // 2, 512).
    # tmpfs pages are host memory no rlimit counts, so this is what bounds them.
    tmpfs_mb: int = 0
    # Unix sockets are refused (socket() of the unix family, datagram pairs; without the
    # network, socket() of any family), with the network too (it shares the host's abstract
    # socket namespace): True lets the command make them (multiprocessing's forkserver,
    # Manager, torch DataLoader's fd passing), and then binds holding a socket file are
    # refused instead.
    allow_unix_sockets: bool = False
    # How much all the writable binds together may grow, in MB (0: unbounded): they are host
    # disk, which no rlimit bounds in total (RLIMIT_FSIZE is per file, and never above this);
    # past it the run (or a long-lived service worker) is killed (watched every WATCH_S, so a
    # fast writer may overshoot by what it writes in that time).
    rw_quota_mb: int = DEFAULT_RW_QUOTA_MB

    def tmpfs_sizes(self) -> tuple[int, int]:
        """Bytes for the private /tmp and /dev/shm (together at most ``tmpfs_mb``)."""
        total = self.tmpfs_mb or min(self.memory_mb // 2, 512)
        shm = max(1, total // 4)
        return (total - shm) << 20, shm << 20

    def unix_sockets_denied(self) -> bool:
        # with the network too: it shares the host's abstract unix socket namespace
        return not self.allow_unix_sockets


@dataclass(frozen=True)
class SandboxResult:
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool
    backend: str
    elapsed_s: float
    # processes the memory cgroup OOM-killed (None: no memory cgroup here, only the rlimit)
    oom_kills: int | None = None
    over_quota: bool = False  # killed for writing more than rw_quota_mb into its rw binds

    def out_of_memory(self) -> bool:
        """Killed for memory: the cgroup counted an OOM kill, or (no cgroup to ask) SIGKILL
        that was not the wall-clock kill (bubblewrap passes a killed command on as 128 + 9)."""
        if self.returncode == 0 or self.timed_out:
            return False
        if self.oom_kills is not None:
            return self.oom_kills > 0
        return self.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL)

    def oom_message(self, memory_mb: int, hint: str = "raise it with --memory-mb") -> str:
        """One line for a command :meth:`out_of_memory` says was killed for memory."""
        how = ("the kernel OOM-killed it in its memory cgroup" if self.oom_kills
               else "killed by SIGKILL, most likely out of memory")  # fmt: skip
        return f"ran out of memory: over the {memory_mb} MB limit ({how}); {hint}"


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _bind_args(flag: str, path: Path) -> list[str]:
    return [flag, str(path), str(path)]


def _parent_dirs(dests: list[Path]) -> list[str]:
    """``--dir`` for the parents of the bind destinations that bubblewrap would otherwise
    create itself: it makes them 0700, which a sandbox running as SANDBOX_UID cannot cross."""
    made: list[str] = []
    for d in dests:
        for a in reversed(d.parents[:-1]):  # outermost first, without "/"
            if str(a) in made or a in dests or any(a.is_relative_to(x) for x in dests):
                continue
            if any(a == Path(s) or a.is_relative_to(s) for s in (*SYSTEM_DIRS, "/proc", "/dev")):
                continue
            made.append(str(a))
    return [arg for a in made for arg in ("--dir", a)]


@lru_cache(maxsize=1)
def masked_proc() -> tuple[str, ...]:
    """The /proc paths covered inside (those that exist on this kernel)."""
    names = set(MASKED_PROC)
    with contextlib.suppress(OSError), os.scandir("/proc") as it:
        for e in it:
            if e.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                st = e.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and not st.st_mode & stat.S_IROTH:
                    names.add(e.name)
    return tuple(sorted(f"/proc/{n}" for n in names if os.path.lexists(f"/proc/{n}")))


def bwrap_argv(
    policy: SandboxPolicy,
    seccomp_fd: int | None,
    extra_ro: tuple[Path, ...] = (),
    drop: bool = False,
    staged: list[str] | None = None,
    net_fds: tuple[int, ...] | None = None,
) -> list[str]:
    """The bubblewrap command line for ``policy`` (without the command itself). ``drop``: the
    caller is root and bubblewrap starts in a user namespace made for it (see :func:`popen`),
    so it makes none of its own, and the first process inside (a launcher of ours, never the
    command) keeps CAP_SETUID and CAP_SETPCAP to become SANDBOX_UID (:mod:`.privs`).
    ``staged``: arguments after the binds that cover what SANDBOX_UID could not read in them
    (:mod:`.stage`). ``net_fds``: with ``allow_net``, bubblewrap's ``--info-fd``, ``--block-fd``
    and the resolv.conf it binds (:mod:`.netns`)."""
    bw = bwrap_path()
    if bw is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed (Debian package: bubblewrap)")
    unshare = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try"] if drop else ["--unshare-all"])  # fmt: skip
    argv = [bw, *unshare, "--die-with-parent", "--new-session", "--clearenv",
            "--cap-drop", "ALL", "--hostname", "airlock-sandbox"]  # fmt: skip
    if drop:
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETPCAP"]
    etc = list(ETC_FILES)
    made = list(etc)
    if policy.allow_net:  # a network namespace of its own, behind slirp4netns (.netns)
        if net_fds is None:
            raise SandboxUnavailable("--allow-net: the sandbox's network was not prepared")
        etc.append("/etc/hosts")
        made.append("/etc/resolv.conf")
        argv += ["--info-fd", str(net_fds[0]), "--block-fd", str(net_fds[1])]
    for d in SYSTEM_DIRS:
        p = Path(d)
        if p.is_symlink():
            argv += ["--symlink", os.readlink(p), d]
        elif p.is_dir():
            argv += _bind_args("--ro-bind", p)
    tmp_bytes, shm_bytes = policy.tmpfs_sizes()
    # Every writable tmpfs is size-bounded: bwrap's /dev is one (read-only once /dev/shm is on
    # it), and so is its root (read-only at the end, below).
    sticky = ["--perms", "1777"] if drop else []  # SANDBOX_UID writes there, root owns them
    argv += ["--proc", "/proc", "--dev", "/dev", "--size", str(shm_bytes), *sticky, "--tmpfs",
             SANDBOX_SHM, "--remount-ro", "/dev", "--size", str(tmp_bytes), *sticky, "--tmpfs",
             SANDBOX_TMP]  # fmt: skip
    for m in masked_proc():  # /dev/null on a nodev mount: opening it is EACCES
        argv += ["--ro-bind", "/dev/null", m]
    # bubblewrap leaves /proc/sys writable (its cover skips it: the directory is never writable
    # itself), and the kernel lets the host's uid 0 write its files without any capability
    # (core_pattern, drop_caches...): read-only (the kernel shows each reader its own
    # namespaces' values, so the host's procfs serves the same content)
    argv += ["--ro-bind", "/proc/sys", "/proc/sys"]
    binds = [p.resolve() for p in (*extra_ro, *policy.ro_paths, *policy.rw_paths)]
    argv += _parent_dirs([*map(Path, made), *binds])
    for f in etc:
        argv += ["--ro-bind-try", f, f]
    if net_fds is not None:
        argv += ["--perms", "0444", "--ro-bind-data", str(net_fds[2]), "/etc/resolv.conf"]
    for p in (*extra_ro, *policy.ro_paths):
        argv += _bind_args("--ro-bind", p.resolve())
    for p in policy.rw_paths:
        argv += _bind_args("--bind", p.resolve())
    argv += staged or []
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": SANDBOX_TMP, "LANG": "C.UTF-8",
           "TMPDIR": SANDBOX_TMP, **policy.env}  # fmt: skip
    for k, v in env.items():
        argv += ["--setenv", k, v]
    argv += ["--remount-ro", "/", "--chdir", SANDBOX_TMP]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]
    return [*argv, "--"]


def _limits(policy: SandboxPolicy) -> list[tuple[int, int, int]]:
    """``(resource, soft, hard)`` rlimits the starter sets before it execs bubblewrap."""
    mem = policy.memory_mb << 20
    fsz = policy.file_size_mb << 20
    if policy.rw_paths and policy.rw_quota_mb:  # one file alone never passes the total
        fsz = min(fsz, policy.rw_quota_mb << 20)
    return [(resource.RLIMIT_AS, mem, mem),
            (resource.RLIMIT_CPU, policy.cpu_seconds, policy.cpu_seconds + 5),
            (resource.RLIMIT_FSIZE, fsz, fsz),
            (resource.RLIMIT_NOFILE, policy.open_files, policy.open_files),
            (resource.RLIMIT_CORE, 0, 0)]  # fmt: skip


def _check_policy(policy: SandboxPolicy) -> None:
    for p in (*policy.ro_paths, *policy.rw_paths):
        if not p.exists():
            raise UsageError(f"{p}: sandbox bind path does not exist")
    if (
        policy.memory_mb < 64
        or policy.cpu_seconds < 1
        or not (policy.wall_seconds > 0 and math.isfinite(policy.wall_seconds))  # nan, inf
    ):
        raise UsageError("sandbox limits too small (memory >= 64 MB, cpu >= 1 s, wall > 0, finite)")
    if not 8 <= policy.max_procs <= 1 << 20:
        raise UsageError("sandbox process limit must be between 8 and 1048576")
    if policy.rw_quota_mb < 0:
        raise UsageError("sandbox quota for writable binds must be >= 0 (0: unbounded)")
    if not 0 <= policy.tmpfs_mb <= policy.memory_mb or 0 < policy.tmpfs_mb < 2:
        raise UsageError("sandbox tmpfs size must be between 2 MB and the memory limit")
    if policy.allow_unix_sockets:  # (with or without the network)
        for p in (*policy.ro_paths, *policy.rw_paths):
            sock = find_socket(p)
            if sock is not None:
                raise UsageError(
                    f"{sock}: a unix socket inside the sandbox bind {p} would let the sandbox "
                    "reach the host service behind it; bind a directory without sockets"
                )


MAX_WALK = 200_000


def find_socket(root: Path, limit: int = MAX_WALK) -> Path | None:
    """The first unix socket file in ``root`` (itself or its tree; links not followed). A tree
    too large to check within ``limit`` entries is refused (fail closed)."""
    seen = 0
    stack = [root.resolve()]
    while stack:
        d = stack.pop()
        try:
            st = d.lstat()
        except OSError:
            continue
        if stat.S_ISSOCK(st.st_mode):
            return d
        if not stat.S_ISDIR(st.st_mode):
            continue
        try:
            with os.scandir(d) as it:
                for e in it:
                    seen += 1
                    if seen > limit:
                        raise UsageError(
                            f"{root}: more than {limit} entries to check for unix sockets; "
                            "bind a smaller directory"
                        )
                    stack.append(Path(e.path))
        except OSError:
            continue
    return None


@contextmanager
def sandboxed_argv(
    cmd: list[str],
    policy: SandboxPolicy,
    *,
    extra_ro: tuple[Path, ...] = (),
    wrap_landlock: bool = True,
    drops_uid: bool = False,
) -> Iterator[tuple[list[str], int | None, str]]:
    """``(argv, seccomp fd, backend)`` to start ``cmd`` in the sandbox; refuses (fail closed)
    if bubblewrap is unusable. The fd must stay open until the process has been started, so
    this is a context manager shared by one-shot runs and long-lived services.

    A root caller's sandbox runs as SANDBOX_UID (see :func:`run_as`): the launcher becomes it
    first thing; a ``cmd`` started without the launcher (``wrap_landlock=False``) must do so
    itself and say so with ``drops_uid`` (the Python worker's lockdown does), else a root
    caller is refused, as it is where :func:`run_as` finds no such namespace. Bound files
    SANDBOX_UID cannot read are shown to it as read-only copies (:mod:`.stage`); a writable
    bind it cannot write is refused.

    With Landlock available, ``cmd`` is started through a launcher that confines it to the
    bound paths first (read-only system and ``ro_paths``; read-write only /tmp, /dev and
    ``rw_paths``).
    """
    if not cmd:
        raise UsageError("no command given to run in the sandbox")
    _check_policy(policy)
    backend = "bwrap+seccomp"
    if bwrap_path() is None or not bwrap_works():
        if not policy.allow_unsandboxed:
            raise SandboxUnavailable(
                "no sandbox backend works here (bubblewrap missing or user namespaces disabled); "
                "refusing to run untrusted code (pass --allow-unsandboxed to override)"
            )
        sys.stderr.write("airlock: WARNING: running WITHOUT a sandbox (--allow-unsandboxed)\n")
        yield cmd, None, "none"
        return
    drop = run_as() is not None and (drops_uid or wrap_landlock)
    if os.geteuid() == 0 and not drop:
        # root inside its own user namespace is still the host's root (or the container's) to
        # every permission check on a host-owned object: never run a sandbox as uid 0
        why = ("the command would keep uid 0 (started without the launcher, and it does not "
               "drop the uid itself)" if run_as() is not None else
               f"the kernel refuses a user namespace mapping uid {SANDBOX_UID} (nobody) here "
               "(e.g. a container whose user namespace maps only uid 0), so the sandbox would "
               "run as uid 0")  # fmt: skip
        raise SandboxUnavailable(
            f"refusing to sandbox as root: {why}; run airlock as an unprivileged user, or "
            f"map uid {SANDBOX_UID} into this user namespace; nothing was run"
        )
    if policy.allow_net and netns.slirp_path() is None:
        raise SandboxUnavailable(
            "--allow-net needs slirp4netns (Debian package slirp4netns) to give the sandbox a "
            "network of its own; refusing to share the host's network (its loopback services "
            "and ports); nothing was run"
        )
    plan = stage.Plan()
    if drop:
        for p in extra_ro:  # the interpreter's folders: only their tops are checked
            if not _usable(p.resolve()):
                raise SandboxUnavailable(
                    f"{p}: the sandbox runs as uid {SANDBOX_UID} (nobody), which cannot read "
                    "this folder the sandboxed Python needs (chmod o+rx it); nothing was run"
                )
        plan = stage.plan(policy.ro_paths, policy.rw_paths, SANDBOX_UID)
        if plan.folder is not None:  # popen hands it to the sandbox's process (kill_group)
            _UNCLAIMED[str(plan.folder)] = plan
    if wrap_landlock:
        cfg = landlock_config(policy.ro_paths, policy.rw_paths, policy.allow_net)
        use_landlock = policy.landlock and landlock.abi_version() >= 1
        cfg.update({"cmd": cmd, "landlock": use_landlock, "nproc": policy.max_procs,
                    "exec_once": not policy.allow_exec, "uid": SANDBOX_UID})  # fmt: skip
        cmd = [python_exe(), "-I", "-S", "-c", LAUNCHER, json.dumps(cfg)]
        extra_ro = (*extra_ro, *python_paths()[0])
        if use_landlock:
            backend = "bwrap+seccomp+landlock"
    net = _prepare_net() if policy.allow_net else None
    net_key = net.child_fds[0] if net is not None else -1
    try:
        with tempfile.TemporaryFile() as bpf:
            with seccomp.Filter(
                seccomp.ALWAYS_DENY, deny_inet_sockets=not policy.allow_net,
                deny_unix_sockets=policy.unix_sockets_denied(),
            ) as f:  # fmt: skip
                f.export_bpf(bpf.fileno())
            bpf.seek(0)
            fd = os.dup(bpf.fileno())
            try:
                nfds = None if net is None else net.child_fds
                argv = bwrap_argv(policy, fd, extra_ro, drop, plan.args, nfds) + cmd
                yield argv, fd, backend
            finally:
                os.close(fd)
    finally:
        if plan.folder is not None and _UNCLAIMED.pop(str(plan.folder), None) is not None:
            plan.close()  # never started
        if net is not None and _NET_PENDING.pop(net_key, None) is not None:
            net.close()  # never started


def _prepare_net() -> netns.Net:
    """The pipes of an allow_net sandbox (see :mod:`.netns`), pending until :func:`popen`."""
    info_r, info_w = os.pipe()
    block_r, block_w = os.pipe()
    resolv_r, resolv_w = os.pipe()
    os.write(resolv_w, netns.RESOLV_CONF.encode())
    os.close(resolv_w)
    net = netns.Net(info_r, block_w, (info_w, block_r, resolv_r))
    _NET_PENDING[info_w] = net
    return net


FD_ARGS = ("--seccomp", "--ro-bind-fd", "--bind-fd", "--info-fd", "--block-fd", "--ro-bind-data")
# Staging folders of copies (see sandboxed_argv) not yet in use by a started sandbox, and those
# each started sandbox binds (removed by kill_group).
_UNCLAIMED: dict[str, stage.Plan] = {}
_STAGED: dict[int, list[stage.Plan]] = {}
# allow_net sandboxes' networks: prepared, keyed by bubblewrap's --info-fd, then by its pid
_NET_PENDING: dict[int, netns.Net] = {}
_NETS: dict[int, netns.Net] = {}
START_TIMEOUT_S = 60.0


def _passed_fds(argv: list[str]) -> tuple[int, ...]:
    """The descriptors a bubblewrap command line from :func:`sandboxed_argv` names."""
    fds: list[int] = []
    for i, a in enumerate(argv[:-1]):
        if a == "--":
            break
        if a in FD_ARGS:
            fds.append(int(argv[i + 1]))
    return tuple(dict.fromkeys(fds))


def popen(
    argv: list[str], policy: SandboxPolicy, fd: int | None, backend: str
) -> subprocess.Popen[bytes]:
    """Start ``argv`` (from :func:`sandboxed_argv`) with rlimits, in its own cgroups and session
    (so the whole group can be killed), with all three standard streams piped; a root caller's
    sandbox starts in a user namespace of its own (see :func:`run_as`).

    No Python runs between the fork and the exec (safe from threaded callers): the child execs
    the starter (:data:`airlock.sandbox.launch.STARTER`), which sets all that up and execs
    ``argv``; this returns once it has (or raises SandboxUnavailable, nothing run)."""
    sandboxed = backend != "none"
    env = None if sandboxed else {**os.environ, **policy.env}
    parent = cgroup.parent_dir() if sandboxed else None
    mem_parent = cgroup.memory_parent_dir() if sandboxed else None
    # argv from sandboxed_argv: bwrap, then "--unshare-ipc" exactly when built for the drop
    drop = sandboxed and len(argv) > 1 and argv[1] == "--unshare-ipc"
    groups: list[tuple[str, list[tuple[list[str], str]]]] = []
    if parent is not None:
        groups.append((str(parent), [(["pids.max"], str(policy.max_procs))]))
    if mem_parent is not None:
        groups.append((str(mem_parent), [(list(cgroup.MEMORY_FILES), str(policy.memory_mb << 20))]))
    fds = (*_passed_fds(argv), *((fd,) if fd is not None else ())) if sandboxed else ()
    proc, status = _start(
        argv, groups, _limits(policy), drop, not sandboxed, tuple(dict.fromkeys(fds)), env
    )
    made = [cgroup.group_path(d, os.getpid(), proc.pid) for d in (parent, mem_parent) if d]
    if made:
        _GROUPS[proc.pid] = list(dict.fromkeys(made))
    staged = [
        _UNCLAIMED.pop(k) for k in list(_UNCLAIMED) if any(a.startswith(k + "/") for a in argv)
    ]
    if staged:
        _STAGED[proc.pid] = staged
    net = None
    if sandboxed and "--info-fd" in argv:
        net = _NET_PENDING.pop(int(argv[argv.index("--info-fd") + 1]), None)
        if net is not None:
            _NETS[proc.pid] = net
            net.close_child_fds()  # bubblewrap holds its own (or never will: EOF on info)
    err = _started(status)
    if err is None and sandboxed and policy.allow_net:
        if net is None:
            err = "its network was not prepared"
        else:
            try:
                netns.attach(net, python_exe())
            except (netns.NetworkUnavailable, OSError) as e:  # (bubblewrap gone: EPIPE)
                err = f"--allow-net: {e}"
    if err is None:
        return proc
    kill_group(proc.pid)
    proc.wait()
    if err.startswith("exec: ") and not sandboxed:
        code, _, name = err[6:].partition(" ")
        raise OSError(int(code), os.strerror(int(code)), name)
    raise SandboxUnavailable(
        f"the sandbox could not start: {err} (cgroup {parent}); nothing was run"
    )


def _start(
    argv: list[str],
    groups: list[tuple[str, list[tuple[list[str], str]]]],
    rlimits: list[tuple[int, int, int]],
    drop: bool,
    search: bool,
    fds: tuple[int, ...],
    env: dict[str, str] | None,
) -> tuple[subprocess.Popen[bytes], int]:
    """Popen of the starter for ``argv``, and the read end of its status pipe."""
    r, w = os.pipe()  # (both close-on-exec here; pass_fds hands the write end on)
    cfg = {"status": w, "groups": groups, "rlimits": rlimits, "drop": drop, "gid": SANDBOX_GID,
           "maps": _MAPS, "argv": argv, "search": search}  # fmt: skip
    try:
        proc = subprocess.Popen(
            [python_exe(), "-I", "-S", "-c", STARTER, json.dumps(cfg)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(*fds, w),
            start_new_session=True,
            env=env,
        )
    except BaseException:
        os.close(r)
        raise
    finally:
        os.close(w)
    return proc, r


def _started(r: int) -> str | None:
    """Wait for the starter's exec (end of file on its status pipe ``r``, which this closes):
    None, or what it could not do."""
    buf = b""
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        with selectors.DefaultSelector() as sel:
            sel.register(r, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return "the starter did not exec within its time limit"
                chunk = os.read(r, 4096)
                if not chunk:
                    break
                buf += chunk
    finally:
        os.close(r)
    return buf.decode("utf-8", "replace") or None


_GROUPS: dict[int, list[Path]] = {}


def run(
    cmd: list[str],
    policy: SandboxPolicy,
    *,
    extra_ro: tuple[Path, ...] = (),
    stdin: bytes = b"",
    wrap_landlock: bool = True,
    drops_uid: bool = False,
) -> SandboxResult:
    """Run ``cmd`` in the sandbox and collect its output (see :func:`sandboxed_argv`)."""
    with sandboxed_argv(
        cmd, policy, extra_ro=extra_ro, wrap_landlock=wrap_landlock, drops_uid=drops_uid
    ) as spec:
        argv, fd, backend = spec
        return _spawn(argv, policy, fd, backend, stdin)


def _spawn(
    argv: list[str], policy: SandboxPolicy, fd: int | None, backend: str, stdin: bytes
) -> SandboxResult:
    t0 = time.monotonic()
    watch = QuotaWatch.of(policy)
    proc = popen(argv, policy, fd, backend)
    timed_out = False
    if watch is not None:
        watch.start(proc)
    try:
        deadline = t0 + policy.wall_seconds
        out, err, timed_out = _collect(proc, stdin, deadline)
        if not timed_out:  # both streams closed; the command may still run (it closed them)
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.001))
            except subprocess.TimeoutExpired:
                timed_out = True
        if timed_out:
            kill_group(proc.pid)
            more_out, more_err, _ = _collect(proc, b"", time.monotonic() + DRAIN_AFTER_KILL_S)
            out, err = (out + more_out)[:MAX_CAPTURE], (err + more_err)[:MAX_CAPTURE]
        proc.wait()
    finally:
        if watch is not None:
            watch.stop()
        ooms = kill_group(proc.pid)  # (after a timeout: None, and out_of_memory() says no)
    return SandboxResult(
        proc.returncode, out, err, timed_out, backend, time.monotonic() - t0, ooms,
        watch is not None and watch.over,
    )  # fmt: skip


WATCH_S = 0.2
MAX_WATCH_ENTRIES = 100_000


class QuotaWatch:
    """A thread that kills the sandbox's process group once its writable binds hold more than
    ``rw_quota_mb`` beyond what they held before it started: the blocks of the files there
    (more than MAX_WATCH_ENTRIES entries counts as over) and of the files on their filesystems
    that a sandboxed process holds open or mapped after unlinking them (or made unnamed,
    O_TMPFILE), which no directory walk sees."""

    @classmethod
    def of(cls, policy: SandboxPolicy) -> QuotaWatch | None:
        """A watch (measured now, before the start) if ``policy`` bounds writable binds."""
        return cls(policy) if policy.rw_quota_mb and policy.rw_paths else None

    def __init__(self, policy: SandboxPolicy) -> None:
        self.paths = [p.resolve() for p in policy.rw_paths]
        self.devs = set()
        for p in self.paths:
            with contextlib.suppress(OSError):
                self.devs.add(p.stat().st_dev)
        before = rw_usage(self.paths)
        if math.isinf(before):
            # review22: the baseline read inf (past MAX_WATCH_ENTRIES), so the limit was inf and
            # nothing was ever over it: 40 MB written at a quota of 8 beside 100,001 files
            raise UsageError(
                f"the writable binds already hold more than {MAX_WATCH_ENTRIES:,} entries or a "
                "folder this process cannot read: their growth cannot be watched; bind a smaller "
                "folder, or pass a quota of 0 to run without one; nothing was run"
            )
        self.limit = before + (policy.rw_quota_mb << 20)
        self.over = False
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, proc: subprocess.Popen[bytes]) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(proc.pid,), daemon=True, name="airlock-rw-quota"
        )
        self._thread.start()

    def _run(self, pid: int) -> None:
        while not self._done.wait(WATCH_S):
            if rw_usage(self.paths) + held_unlinked(pid, self.devs) > self.limit:
                self.over = True
                if not self._done.is_set():
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(pid, signal.SIGKILL)
                return

    def stop(self) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (every process of a sandbox descends from its bubblewrap:
    orphans inside are reparented to the sandbox's own pid 1)."""
    children: dict[int, list[int]] = {}
    with contextlib.suppress(OSError), os.scandir("/proc") as it:
        for e in it:
            if not e.name.isdigit():
                continue
            try:
                with open(f"/proc/{e.name}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(e.name))
    found, stack = [], [root]
    while stack:
        p = stack.pop()
        found.append(p)
        stack.extend(children.get(p, ()))
    return found


def held_unlinked(root: int, devs: set[int]) -> int:
    """Bytes allocated to files on ``devs`` that a process of the tree of ``root`` holds open
    or mapped with no name left (unlinked, O_TMPFILE): disk the binds' walk cannot see. Mapped
    files are stat'ed through /proc/PID/map_files (root only); for another caller their mapped
    length is counted."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for pid in _tree(root):
        names: list[str] = []
        with contextlib.suppress(OSError):
            names += [f"/proc/{pid}/fd/{n}" for n in os.listdir(f"/proc/{pid}/fd")]
        with contextlib.suppress(OSError):
            names += [f"/proc/{pid}/map_files/{n}" for n in os.listdir(f"/proc/{pid}/map_files")]
        for name in names:
            try:
                st = os.stat(name)
            except OSError:
                if "/map_files/" in name:  # not root: the mapping's length, from its name
                    total += _mapped_unlinked(pid, name, devs, seen)
                continue
            if st.st_nlink == 0 and st.st_dev in devs and (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def _mapped_unlinked(pid: int, name: str, devs: set[int], seen: set[tuple[int, int]]) -> int:
    """The length of a mapping of an unlinked file on ``devs`` (from /proc/PID/maps)."""
    span = name.rsplit("/", 1)[1]
    try:
        with open(f"/proc/{pid}/maps") as f:
            for line in f:
                cols = line.split()
                if cols[0] != span or not line.rstrip().endswith("(deleted)"):
                    continue
                major, minor = (int(x, 16) for x in cols[3].split(":"))
                dev, ino = os.makedev(major, minor), int(cols[4])
                if dev not in devs or (dev, ino) in seen:
                    return 0
                seen.add((dev, ino))
                lo, hi = (int(x, 16) for x in span.split("-"))
                return hi - lo
    except (OSError, ValueError, IndexError):
        pass
    return 0


def rw_usage(paths: list[Path]) -> float:
    """Bytes allocated under ``paths`` (links not followed); inf past MAX_WATCH_ENTRIES, or
    when a folder there cannot be listed or an entry stat'ed for want of permission (rt27sbx:
    a caller who is not root watches as the uid the sandbox runs as, and a folder the sandbox
    made mode 0300 - writable, not listable - hid 50 MB from the count). Any other error but
    an entry gone (or no folder) meanwhile counts as over too (review27: folders nested past
    PATH_MAX, ENAMETOOLONG here, hid 50 MB written at a quota of 8)."""
    total, seen = 0, 0
    stack = list(paths)
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                for e in it:
                    seen += 1
                    if seen > MAX_WATCH_ENTRIES:
                        return math.inf
                    try:
                        st = e.stat(follow_symlinks=False)
                    except (FileNotFoundError, NotADirectoryError):
                        continue  # removed since it was listed
                    except OSError:
                        return math.inf
                    total += st.st_blocks * 512
                    if stat.S_ISDIR(st.st_mode):
                        stack.append(Path(e.path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            return math.inf
    return total


DRAIN_AFTER_KILL_S = 10.0


def _collect(
    proc: subprocess.Popen[bytes], stdin: bytes, deadline: float
) -> tuple[bytes, bytes, bool]:
    """Feed ``stdin`` and read stdout and stderr until both close or ``deadline`` passes
    (``(out, err, timed_out)``). Unlike ``communicate`` it keeps at most MAX_CAPTURE bytes of
    each stream and reads and drops the rest: the output is host memory that no sandbox limit
    counts (a command writing /dev/zero to stdout would otherwise grow this process by GBs/s)."""
    assert proc.stdout is not None and proc.stderr is not None  # popen pipes all three
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    kept = {out_fd: bytearray(), err_fd: bytearray()}
    sel = selectors.DefaultSelector()
    for stream in (proc.stdout, proc.stderr):
        if not stream.closed:
            sel.register(stream.fileno(), selectors.EVENT_READ)
    view = memoryview(stdin)
    in_fd = -1
    if proc.stdin is not None and not proc.stdin.closed:
        if view:
            in_fd = proc.stdin.fileno()
            os.set_blocking(in_fd, False)
            sel.register(in_fd, selectors.EVENT_WRITE)
        else:
            proc.stdin.close()
    timed_out = False
    try:
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in sel.select(left):
                if key.fd == in_fd:
                    try:
                        view = view[os.write(in_fd, view[:PIPE_CHUNK]) :]
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:
                        view = view[:0]
                    if not view and proc.stdin is not None:
                        sel.unregister(in_fd)
                        proc.stdin.close()
                    continue
                chunk = os.read(key.fd, PIPE_CHUNK)
                if not chunk:
                    sel.unregister(key.fd)
                    continue
                buf = kept[key.fd]
                if len(buf) < MAX_CAPTURE:
                    buf += chunk[: MAX_CAPTURE - len(buf)]
    finally:
        sel.close()
    return bytes(kept[out_fd]), bytes(kept[err_fd]), timed_out


PIPE_CHUNK = 1 << 16


def kill_group(pid: int) -> int | None:
    """SIGKILL the process group led by ``pid`` (started with a new session) and whatever is
    left in its cgroups, and remove them. Returns how many processes its memory cgroup
    OOM-killed, read before the removal (None: no memory cgroup, or removed already)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    groups = _GROUPS.pop(pid, [])
    counts = [n for n in (cgroup.oom_kills(g) for g in groups) if n is not None]
    for group in groups:
        cgroup.remove(group)
    for plan in _STAGED.pop(pid, []):
        plan.close()
    net = _NETS.pop(pid, None)
    if net is not None:
        net.close()
    return max(counts) if counts else None


_WORKS: list[bool] = []


def bwrap_works() -> bool:
    """Whether bubblewrap can actually create its namespaces here (cached per process)."""
    if not _WORKS:
        bw = bwrap_path()
        ok = False
        if bw is not None:
            try:
                r = subprocess.run(
                    [bw, "--unshare-all", "--ro-bind", "/", "/", "--", "true"],
                    capture_output=True, timeout=20, check=False,
                )  # fmt: skip
                ok = r.returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
        _WORKS.append(ok)
    return _WORKS[0]


_MAPS = f"0 0 1\n{SANDBOX_UID} {SANDBOX_UID} 1\n"


_DROP: list[bool] = []


def run_as() -> tuple[int, int] | None:
    """``(SANDBOX_UID, SANDBOX_GID)`` when the caller is root and bubblewrap works from the user
    namespace the starter makes (see :func:`popen`); None: the sandbox runs as the caller, who
    is then not root (a root caller without that namespace is refused, see
    :func:`sandboxed_argv`)."""
    if os.geteuid() != 0:
        return None
    if not _DROP:
        bw = bwrap_path()
        ok = False
        if bw is not None:
            argv = [bw, "--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "--perms",
                    "1777", "--tmpfs", SANDBOX_TMP, "--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
                    "--cap-add", "CAP_SETPCAP", "--", "/bin/true"]  # fmt: skip
            try:
                proc, status = _start(argv, [], [], True, False, (), None)
                ok = _started(status) is None
                try:
                    proc.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    kill_group(proc.pid)
                    proc.communicate()
                ok = ok and proc.returncode == 0
            except (OSError, subprocess.SubprocessError):
                ok = False
        _DROP.append(ok)
    return (SANDBOX_UID, SANDBOX_GID) if _DROP[0] else None


def _usable(path: Path) -> bool:
    try:
        return stage.mode_ok(path.stat(), SANDBOX_UID, write=False)
    except OSError:
        return False


def grant(path: Path) -> None:
    """Hand a directory the caller made for the sandbox to write (an exchange folder) to the
    uid the sandbox runs as (group root, with the owner's bits). Nothing to do for a caller who
    is not root."""
    if run_as() is not None:
        os.chown(path, SANDBOX_UID, 0)
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode | (mode & 0o700) >> 3)
