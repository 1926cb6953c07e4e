"""Issue 16's sandbox probes, each run inside and (where harmless) outside the sandbox so that a
pass cannot be vacuous: exec after start, fork bombs, io_uring, plus `sandbox run --allow-exec`;
then tmpfs filling, namespaces through clone() and unix sockets inside binds.
(Network connect, reads/writes outside the binds and host processes: test_sandbox.py.)"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from airlock.errors import UsageError
from airlock.sandbox import cgroup, runner, seccomp
from airlock.sandbox.launch import python_paths
from airlock.sandbox.runner import SandboxPolicy, run
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)
PY = str(Path(sys.executable).resolve())
FORK_BOMB = """
import os, time
n = 0
while n < 1000:
    try:
        pid = os.fork()
    except OSError as e:
        print("refused", n, e.errno)
        break
    if pid == 0:
        time.sleep(2)
        os._exit(0)
    n += 1
else:
    print("forked", n)
"""
IO_URING = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)
fd = libc.syscall(425, 8, params)  # io_uring_setup(entries, params) on x86-64 and arm64
print(fd, ctypes.get_errno())
"""


def py_run(code: str, **policy: object) -> runner.SandboxResult:
    dirs, _ = python_paths()
    pol = SandboxPolicy(wall_seconds=60, **policy)  # type: ignore[arg-type]
    return run([PY, "-I", "-c", code], pol, extra_ro=tuple(dirs))


def test_exec_after_start_is_denied_unless_allowed() -> None:
    script = ["/bin/sh", "-c", "echo started; /bin/echo pwned"]
    denied = run(script, SandboxPolicy(wall_seconds=30, allow_exec=False))
    assert denied.stdout == b"started\n"
    assert b"Operation not permitted" in denied.stderr
    allowed = run(script, SandboxPolicy(wall_seconds=30, allow_exec=True))
    assert allowed.stdout == b"started\npwned\n"


def test_exec_denial_covers_execveat_and_python() -> None:
    code = "import os, sys; os.execv('/bin/echo', ['echo', 'pwned'])"
    res = py_run(code, allow_exec=False)
    assert res.returncode != 0 and b"pwned" not in res.stdout
    assert b"PermissionError" in res.stderr
    # the same program unsandboxed does exec
    assert subprocess.run([PY, "-c", code], capture_output=True).stdout == b"pwned\n"


def test_fork_bomb_stops_at_the_process_limit() -> None:
    res = py_run(FORK_BOMB, max_procs=32)
    out = res.stdout.decode().split()
    assert out[0] == "refused" and int(out[1]) < 32, res.stdout
    big = py_run(FORK_BOMB, max_procs=400)  # the limit, not something else, stopped it
    assert int(big.stdout.decode().split()[1]) > 32


def test_process_limit_holds_for_root_through_the_cgroup() -> None:
    if os.geteuid() != 0:
        pytest.skip("RLIMIT_NPROC binds non-root users; the cgroup path is for root")
    assert cgroup.usable(), "running as root with no writable pids cgroup"
    res = py_run(FORK_BOMB, max_procs=16)
    assert res.stdout.split()[0] == b"refused"


def test_io_uring_is_denied_inside_and_works_outside() -> None:
    inside = py_run(IO_URING).stdout.split()
    assert inside == [b"-1", b"1"]  # EPERM
    for allow_net in (True,):  # every filter, the network-sharing one too
        assert py_run(IO_URING, allow_net=allow_net).stdout.split() == [b"-1", b"1"]
    outside = subprocess.run([PY, "-c", IO_URING], capture_output=True).stdout.split()
    if outside[0] == b"-1":
        pytest.skip(f"io_uring unavailable on this host (errno {outside[1].decode()})")
    assert int(outside[0]) >= 0


def test_python_worker_denies_io_uring_too() -> None:
    from airlock.sandbox.worker import run_python

    res = run_python(IO_URING, SandboxPolicy(wall_seconds=60))
    assert res.stdout.split() == [b"-1", b"1"]


def test_no_cgroup_is_left_behind() -> None:
    for _ in range(3):
        run(["/bin/true"], SandboxPolicy(wall_seconds=30))
    parent = cgroup._own_dir()
    if parent is None:
        pytest.skip("no writable pids cgroup here")
    prefix = f"{cgroup.PREFIX}{os.getpid()}-"
    mine = [p for p in parent.iterdir() if p.name.startswith(prefix)]
    assert mine == []


def test_sandbox_run_cli_denies_exec_unless_allowed() -> None:
    r = run_cli("sandbox", "run", "--", "/bin/sh", "-c", "/bin/echo pwned")
    assert r.returncode != 0 and "pwned" not in r.stdout
    r = run_cli("sandbox", "run", "--allow-exec", "--", "/bin/sh", "-c", "/bin/echo ok")
    assert r.returncode == 0 and r.stdout == "ok\n"
    r = run_cli("sandbox", "run", "--max-procs", "2", "--", "/bin/true")
    assert r.returncode == 2 and "process limit" in r.stderr


def test_sandbox_run_cli_unix_sockets_and_tmpfs_size() -> None:
    make = "import socket; socket.socket(socket.AF_UNIX); print('made')"
    r = run_cli("sandbox", "run", "--", PY, "-I", "-c", make)
    assert r.returncode != 0 and "made" not in r.stdout
    r = run_cli("sandbox", "run", "--allow-unix-sockets", "--", PY, "-I", "-c", make)
    assert r.returncode == 0 and r.stdout == "made\n"
    fill = "open('/tmp/f', 'wb').write(bytes(16 << 20))"
    r = run_cli("sandbox", "run", "--tmpfs-mb", "8", "--", PY, "-I", "-c", fill)
    assert r.returncode != 0 and "No space left" in r.stderr


# Red-team round 10b: tmpfs is host memory, clone() flags make namespaces, sockets in binds.
needs_seccomp = pytest.mark.skipif(
    not seccomp.available(), reason="libseccomp missing (Debian package libseccomp2)"
)
TMPFS_FILL = """
import errno, os, sys
chunk = b"\\xa5" * (1 << 20)
for d in sys.argv[2:]:
    n, err = 0, 0
    try:
        with open(os.path.join(d, "fill"), "wb", buffering=0) as f:
            while n < 1024:
                f.write(chunk)
                n += 1
    except OSError as e:
        err = e.errno
    print(d, n, err)
for p in ("/fill", "/dev/fill") if sys.argv[1] == "inside" else ():
    try:  # bwrap's own tmpfs mounts (root, /dev) are read-only
        open(p, "wb").close()
        print(p, "written")
    except OSError as e:
        print(p, e.errno)
"""


@needs_seccomp
def test_tmpfs_is_bounded_by_the_memory_limit(tmp_path: Path) -> None:
    dirs, _ = python_paths()
    cmd = [PY, "-I", "-c", TMPFS_FILL, "inside", "/tmp", "/dev/shm"]
    res = run(cmd, SandboxPolicy(wall_seconds=60, memory_mb=256), extra_ro=tuple(dirs))
    lines = [ln.split() for ln in res.stdout.decode().splitlines()]
    sizes = {ln[0]: tuple(map(int, ln[1:])) for ln in lines}
    # default budget min(256 // 2, 512) = 128 MB: /tmp 96, /dev/shm 32, then ENOSPC
    assert sizes["/tmp"][1] == errno.ENOSPC and sizes["/tmp"][0] <= 96, res.stdout
    assert sizes["/dev/shm"][1] == errno.ENOSPC and sizes["/dev/shm"][0] <= 32, res.stdout
    assert sizes["/fill"][0] == errno.EROFS and sizes["/dev/fill"][0] == errno.EROFS
    small = run(cmd, SandboxPolicy(wall_seconds=60, tmpfs_mb=8), extra_ro=tuple(dirs))
    assert small.stdout.split()[1:3] == [b"6", str(errno.ENOSPC).encode()], small.stdout
    # the same writes outside (96 MB, the default /tmp budget at 256 MB) succeed
    outside = subprocess.run([PY, "-c", TMPFS_FILL.replace("1024", "96"), "outside", str(tmp_path)],
                             capture_output=True, check=True)  # fmt: skip
    assert outside.stdout.split()[1:3] == [b"96", b"0"]


CLONE_NS = """
import ctypes, errno, os, platform
libc = ctypes.CDLL(None, use_errno=True)
CLONE, CLONE3 = (220, 435) if platform.machine() == "aarch64" else (56, 435)
flags = {"NEWNS": 0x20000, "NEWCGROUP": 0x2000000, "NEWUTS": 0x4000000, "NEWIPC": 0x8000000,
         "NEWUSER": 0x10000000, "NEWPID": 0x20000000, "NEWNET": 0x40000000}
def clone(f):
    pid = libc.syscall(CLONE, f | 17, 0, 0, 0, 0)  # 17: SIGCHLD
    if pid == 0:
        os._exit(0)
    if pid > 0:
        os.waitpid(pid, 0)
        return "ok"
    return errno.errorcode[ctypes.get_errno()]
out = [f"{n}={clone(flags['NEWUSER'] | f)}" for n, f in flags.items()]
out.append(f"plain={clone(0)}")
args = (ctypes.c_uint64 * 11)(flags["NEWUSER"] | flags["NEWNET"], 0, 0, 0, 17)
pid = libc.syscall(CLONE3, args, 88)
if pid == 0:
    os._exit(0)
out.append("clone3=" + ("ok" if pid > 0 else errno.errorcode[ctypes.get_errno()]))
if pid > 0:
    os.waitpid(pid, 0)
print(" ".join(out))
"""


@needs_seccomp
def test_clone_cannot_make_namespaces() -> None:
    from airlock.sandbox.worker import run_python

    denied = ("NEWNS=EPERM NEWCGROUP=EPERM NEWUTS=EPERM NEWIPC=EPERM NEWUSER=EPERM NEWPID=EPERM "
              "NEWNET=EPERM plain=ok clone3=ENOSYS")  # fmt: skip
    for pol in ({}, {"allow_net": True}, {"allow_exec": False}):  # every bwrap-level filter
        res = py_run(CLONE_NS, **pol)
        assert res.stdout.decode().strip() == denied, (pol, res.stdout, res.stderr)
    worker = run_python(CLONE_NS, SandboxPolicy(wall_seconds=60))  # and the worker's own
    assert worker.stdout.decode().strip() == denied, worker.stderr
    outside = subprocess.run([PY, "-c", CLONE_NS], capture_output=True, text=True).stdout
    if "NEWUSER=ok" not in outside:
        pytest.skip(f"this host refuses user namespaces itself ({outside.strip()})")
    assert "clone3=ok" in outside and "EPERM" not in outside


UNIX_CONNECT = """
import socket, sys
for p in sys.argv[1:]:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(p)
        print("reached", s.recv(100).decode())
    except OSError as e:
        print("held", e.errno)
a, b = socket.socketpair()  # connected pairs (multiprocessing.Pipe, asyncio) still work
a.sendall(b"pair"); print(b.recv(4).decode())
try:
    socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    print("dgram pair")
except OSError as e:
    print("dgram held", e.errno)
for kind in (socket.SOCK_RAW, socket.SOCK_SEQPACKET):  # RAW becomes DGRAM (review, session 10)
    try:
        socket.socketpair(socket.AF_UNIX, kind)
        print("pair", int(kind))
    except OSError as e:
        print("held", e.errno)
"""


@contextlib.contextmanager
def host_listener(path: Path) -> Iterator[None]:
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(str(path))
    srv.listen(4)
    srv.settimeout(30)

    def serve() -> None:
        try:
            while True:
                c, _ = srv.accept()
                c.sendall(b"HOST-SERVICE")
                c.close()
        except OSError:
            return

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield
    finally:
        srv.close()


@needs_seccomp
def test_unix_socket_in_a_bind_does_not_reach_the_host(tmp_path: Path) -> None:
    rw, ro = tmp_path / "rw", tmp_path / "ro"
    rw.mkdir()
    ro.mkdir()
    runner.grant(rw)  # writable by the sandbox uid of a root caller
    socks = [rw / "svc.sock", ro / "svc.sock"]
    with host_listener(socks[0]), host_listener(socks[1]):
        cmd = [PY, "-I", "-c", UNIX_CONNECT, *map(str, socks)]
        dirs, _ = python_paths()
        res = run(cmd, SandboxPolicy(ro_paths=(ro,), rw_paths=(rw,), wall_seconds=60),
                  extra_ro=tuple(dirs))  # fmt: skip
        eaf = str(errno.EAFNOSUPPORT)
        eperm = errno.EPERM
        want = [f"held {eaf}", f"held {eaf}", "pair", f"dgram held {eperm}", f"held {eperm}",
                f"held {eperm}"]  # fmt: skip
        assert res.stdout.decode().split("\n")[:6] == want, res.stdout
        outside = subprocess.run(cmd, capture_output=True, text=True).stdout
        assert outside.count("reached HOST-SERVICE") == 2
        # opting in to unix sockets: a bind holding one is refused before anything runs
        with pytest.raises(UsageError, match="unix socket"):
            run(cmd, SandboxPolicy(ro_paths=(ro,), allow_unix_sockets=True, wall_seconds=60))
        r = run_cli("sandbox", "run", "--ro", str(ro), "--", PY, "-I", "-c", UNIX_CONNECT,
                    str(socks[1]))  # fmt: skip
        assert "reached" not in r.stdout and f"held {eaf}" in r.stdout, r.stdout + r.stderr


@needs_seccomp
def test_multiprocessing_still_works_inside() -> None:
    code = "import multiprocessing as m; p = m.Pool(2); print(p.map(abs, [-1, -2]))"
    assert py_run(code).stdout == b"[1, 2]\n"
    # a Manager (like the forkserver) listens on a socket in /tmp: only with unix sockets allowed
    code = "import multiprocessing as m; print(m.Manager().list([3]))"
    assert py_run(code, allow_unix_sockets=True).stdout == b"[3]\n"
    assert py_run(code).returncode != 0


MEMFD_FILL = """
import os
fds, chunk = [], b"\\xa5" * (1 << 20)
for i in range(4):
    fds.append(os.memfd_create("fill"))
    for _ in range(128):
        os.write(fds[-1], chunk)
    print("memfd MiB", 128 * len(fds), flush=True)
"""


@needs_seccomp
def test_memory_limit_covers_the_whole_tree_through_the_cgroup() -> None:
    """memfd (like tmpfs) pages count against no rlimit: only the memory cgroup bounds them."""
    parent = cgroup.memory_parent_dir()
    if parent is None:
        pytest.skip("no writable memory cgroup here (RLIMIT_AS and the tmpfs sizes apply)")
    res = py_run(MEMFD_FILL, memory_mb=256)
    assert res.returncode in (-9, 137), (res.returncode, res.stdout)  # OOM-killed in the group
    assert b"memfd MiB 512" not in res.stdout
    big = py_run(MEMFD_FILL, memory_mb=1024)  # the limit, not something else, stopped it
    assert big.returncode == 0 and b"memfd MiB 512" in big.stdout, big.stderr
    prefix = f"{cgroup.PREFIX}{os.getpid()}-"
    assert [p for p in parent.iterdir() if p.name.startswith(prefix)] == []


# An OOM kill says so: the memory cgroup's oom_kill counter (or, with no cgroup to ask, SIGKILL
# that was not the wall-clock kill), one line naming the limit and --memory-mb; exit 137 kept.
TWO_ALLOCATE = """
import os, time
pid = os.fork()
block = b"\\xa5" * (150 << 20)  # each under RLIMIT_AS (per process), together past the group
time.sleep(1)
if pid:
    _, status = os.waitpid(pid, 0)
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
print("allocated", flush=True)
"""


@needs_seccomp
def test_oom_kill_is_reported_with_the_limit_and_the_flag() -> None:
    if cgroup.memory_parent_dir() is None:
        pytest.skip("no writable memory cgroup here (RLIMIT_AS and the tmpfs sizes apply)")
    for code in (MEMFD_FILL, TWO_ALLOCATE):
        res = py_run(code, memory_mb=256)
        assert res.oom_kills and res.out_of_memory(), (res.returncode, res.oom_kills)
        assert "256 MB" in res.oom_message(256) and "--memory-mb" in res.oom_message(256)
    fine = py_run(TWO_ALLOCATE, memory_mb=1024)
    assert fine.returncode == 0 and fine.oom_kills == 0 and not fine.out_of_memory()
    r = run_cli("sandbox", "run", "--memory-mb", "256", "--", PY, "-I", "-c", MEMFD_FILL)
    assert r.returncode == 137, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("airlock:")]
    assert lines == [
        "airlock: sandboxed command ran out of memory: over the 256 MB limit (the kernel "
        "OOM-killed it in its memory cgroup); raise it with --memory-mb"
    ], r.stderr


@needs_seccomp
def test_sigkill_is_blamed_on_memory_only_without_a_cgroup_to_ask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kill = ["/bin/sh", "-c", "kill -9 $$"]
    if cgroup.memory_parent_dir() is not None:  # the counter says no OOM kill happened
        res = run(kill, SandboxPolicy(wall_seconds=30))
        assert res.returncode == 137 and res.oom_kills == 0 and not res.out_of_memory()
    monkeypatch.setattr(cgroup, "memory_parent_dir", lambda: None)
    res = run(kill, SandboxPolicy(wall_seconds=30, memory_mb=300))
    assert res.returncode == 137 and res.oom_kills is None and res.out_of_memory()
    assert "300 MB" in res.oom_message(300) and "most likely" in res.oom_message(300)
    assert not run(["/bin/sh", "-c", "exit 3"], SandboxPolicy(wall_seconds=30)).out_of_memory()
    slow = run(["/bin/sleep", "5"], SandboxPolicy(wall_seconds=0.5))
    assert slow.timed_out and not slow.out_of_memory()


def test_isolated_call_names_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from airlock.sandbox import calls, worker

    killed = runner.SandboxResult(137, b"", b"", False, "bwrap+seccomp", 0.1, oom_kills=1)
    monkeypatch.setattr(worker, "run_python", lambda *a, **k: killed)
    pol = SandboxPolicy(memory_mb=6200)
    with pytest.raises(
        calls.IsolatedCallFailed, match=r"embed ran out of memory: over the 6200 MB"
    ):
        with calls.isolated_call("airlock.data.models.embed_entry", {}, pol):
            pass


# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a child forked from a big pytest
# worker would report the worker's size
FLOOD_PARENT = """
import re, sys
from airlock.sandbox.runner import MAX_CAPTURE, SandboxPolicy, run
res = run(["/usr/bin/head", "-c", sys.argv[1], "/dev/zero"], SandboxPolicy(memory_mb=128,
          wall_seconds=120))
with open("/proc/self/status") as f:
    hwm_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1))
print(res.returncode, len(res.stdout), len(res.stdout) == MAX_CAPTURE, hwm_kb >> 10)
"""


def test_output_flood_does_not_grow_the_parent() -> None:
    """A sandboxed command's output is host memory no sandbox limit counts: the parent keeps at
    most MAX_CAPTURE bytes of each stream and drops the rest as it reads (rt19run: `cat
    /dev/zero` at --memory-mb 128 grew `airlock sandbox run` to 2.7 GB in 4 s)."""
    src = str(Path(runner.__file__).resolve().parents[2])
    size = 640 << 20
    env = {**os.environ, "PYTHONPATH": src}
    got = subprocess.run([sys.executable, "-c", FLOOD_PARENT, str(size)], capture_output=True,
                         text=True, timeout=300, env=env, check=False)  # fmt: skip
    assert got.returncode == 0, got.stderr[-2000:]
    rc, n, capped, maxrss_mb = got.stdout.split()
    assert (rc, capped) == ("0", "True")
    assert int(n) == runner.MAX_CAPTURE < size
    assert int(maxrss_mb) < 256, f"parent peaked at {maxrss_mb} MiB for {size >> 20} MiB of output"
