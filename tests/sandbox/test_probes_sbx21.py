"""Session 20 (sbx21): a root caller's sandbox keeps uid 65534 with unreadable binds (copies
instead of the uid-0 fallback), no Python between fork and exec (sandboxes started from
threads), and an attacker round from inside ``sandbox run``'s launcher and the Python worker.

Each probe runs inside and, where harmless, its effect is checked outside (the host listener,
the host file, the host process), so that a pass is not vacuous."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from airlock.errors import UsageError
from airlock.sandbox import runner
from airlock.sandbox.launch import python_paths
from airlock.sandbox.runner import SandboxPolicy, run
from airlock.sandbox.worker import run_python
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)
PY = str(Path(sys.executable).resolve())
ROOT = os.geteuid() == 0
DROPS = ROOT and runner.run_as() is not None
needs_drop = pytest.mark.skipif(
    not DROPS, reason="the caller is not root, or user namespaces are closed to the sandbox uid"
)
U = runner.SANDBOX_UID


def inside(code: str, *args: str, **policy: object) -> subprocess.CompletedProcess[str]:
    """``code`` run by the sandbox's launcher (``sandbox run``; the library's default allows
    exec, the CLI's does not: the exec probes pass ``allow_exec=False``)."""
    dirs, _ = python_paths()
    pol = SandboxPolicy(wall_seconds=60, **policy)  # type: ignore[arg-type]
    res = run([PY, "-I", "-c", code, *args], pol, extra_ro=tuple(dirs))
    return subprocess.CompletedProcess([], res.returncode, res.stdout.decode(), res.stderr.decode())


def worker(code: str, *args: str, **policy: object) -> subprocess.CompletedProcess[str]:
    """``code`` run by the model-loading Python worker (its own lockdown)."""
    res = run_python(code, SandboxPolicy(wall_seconds=60, **policy), list(args))  # type: ignore[arg-type]
    return subprocess.CompletedProcess([], res.returncode, res.stdout.decode(), res.stderr.decode())


def staging_folders() -> set[str]:
    found: set[str] = set()
    for d in ("/var/tmp", "/tmp"):  # where the runner stages (host side)
        with contextlib.suppress(OSError):
            mine = f"airlock-stage-{os.getpid()}-"  # (not a parallel test worker's)
            found |= {f"{d}/{n}" for n in os.listdir(d) if n.startswith(mine)}
    return found


# -- 1. unreadable binds: copies, never uid 0 ---------------------------------------------------
READ_ALL = """
import os, sys
print(os.getuid())
for p in sys.argv[1:]:
    try:
        with open(p, "rb") as f:
            print(p.rsplit("/", 1)[-1], f.read().decode())
    except OSError as e:
        print(p.rsplit("/", 1)[-1], "denied", e.errno)
"""


@needs_drop
@pytest.mark.parametrize("where", ["launcher", "worker"])
def test_root_saved_0600_files_load_as_the_sandbox_uid(tmp_path: Path, where: str) -> None:
    """A model folder as root saves it (0600 weights, a 0700 subfolder with a 0600 file and a
    readable one, a symlink in it): everything reads inside, as uid 65534, and the host's files
    are untouched."""
    m = tmp_path / "model"
    (m / "sub").mkdir(parents=True)
    (m / "w.safetensors").write_bytes(b"weights")
    (m / "sub" / "secret.bin").write_bytes(b"inner")
    (m / "sub" / "open.txt").write_bytes(b"open")
    (m / "sub" / "link").symlink_to("open.txt")
    os.chmod(m / "w.safetensors", 0o600)
    os.chmod(m / "sub" / "secret.bin", 0o600)
    os.chmod(m / "sub", 0o700)
    files = [str(m / "w.safetensors"), str(m / "sub" / "secret.bin"), str(m / "sub" / "link")]
    run_in = inside if where == "launcher" else worker
    out = run_in(READ_ALL, *files, ro_paths=(m,))
    assert out.stdout.split("\n")[:4] == [str(U), "w.safetensors weights", "secret.bin inner",
                                          "link open"], out.stderr  # fmt: skip
    assert stat.S_IMODE((m / "w.safetensors").stat().st_mode) == 0o600
    assert stat.S_IMODE((m / "sub").stat().st_mode) == 0o700


@needs_drop
def test_copies_are_read_only_private_and_removed_afterwards(tmp_path: Path) -> None:
    """Inside: the copy cannot be written, chmod-ed, removed or added to (EROFS); outside: its
    staging folder is 0700 root while the sandbox runs and gone when it ends."""
    m = tmp_path / "m"
    (m / "d").mkdir(parents=True)
    (m / "w.bin").write_bytes(b"w")
    os.chmod(m / "w.bin", 0o600)
    os.chmod(m / "d", 0o700)
    before = staging_folders()
    code = """
import os, sys, time
m = sys.argv[1]
w = m + "/w.bin"
for what, f in (("write", lambda: open(w, "r+b")), ("chmod", lambda: os.chmod(w, 0o666)),
                ("unlink", lambda: os.unlink(w)), ("create", lambda: open(m + "/d/new", "wb"))):
    try:
        f()
        print(what, "done")
    except OSError as e:
        print(what, e.errno)
sys.stdout.flush()
time.sleep(3)
"""
    seen: list[tuple[str, int, int]] = []

    def watch() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not seen:
            for d in staging_folders() - before:
                with contextlib.suppress(OSError):
                    st = os.stat(d)
                    seen.append((d, stat.S_IMODE(st.st_mode), st.st_uid))
            time.sleep(0.05)

    t = threading.Thread(target=watch)
    t.start()
    out = inside(code, str(m), ro_paths=(m,))
    t.join()
    ro, acc = str(errno.EROFS), str(errno.EACCES)  # (write: the 0444 mode answers first)
    assert out.stdout.split() in (["write", e, "chmod", ro, "unlink", ro, "create", ro]
                                  for e in (ro, acc)), out  # fmt: skip
    assert seen and all(mode == 0o700 and uid == 0 for _d, mode, uid in seen), seen
    assert not (staging_folders() - before)
    assert (m / "w.bin").read_bytes() == b"w"


@needs_drop
def test_a_0700_script_runs_as_the_sandbox_uid_with_allow_exec(tmp_path: Path) -> None:
    d = tmp_path / "tools"
    d.mkdir()
    script = d / "tool.sh"
    script.write_text("#!/bin/sh\nid -u\n")
    os.chmod(script, 0o700)
    res = run([str(script)], SandboxPolicy(ro_paths=(d,), wall_seconds=60))
    assert res.returncode == 0 and res.stdout == f"{U}\n".encode(), res.stderr


@needs_drop
def test_writable_bind_the_sandbox_uid_cannot_write_is_refused(tmp_path: Path) -> None:
    """Was: the whole sandbox kept uid 0 to write there. Now a clear refusal, nothing run."""
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    marker = tmp_path / "ran"
    with pytest.raises(UsageError, match="chown -R 65534"):
        run(["/bin/sh", "-c", f"touch {marker}"], SandboxPolicy(rw_paths=(out,)))
    cli = run_cli("sandbox", "run", "--rw", str(out), "--", "/bin/true")
    assert cli.returncode == 2 and "chown -R 65534" in cli.stderr, cli.stderr
    assert "Traceback" not in cli.stderr and not marker.exists()
    runner.grant(out)
    res = run(["/bin/sh", "-c", f"id -u > {out}/u"], SandboxPolicy(rw_paths=(out,)))
    assert res.returncode == 0 and (out / "u").read_text() == f"{U}\n"


@needs_drop
def test_a_file_swapped_after_the_check_is_not_copied(tmp_path: Path) -> None:
    """The host copies what it judged: a folder replaced by a symlink to a host folder between
    the walk and the copy (a bind another user can write) is refused, not followed."""
    from airlock.sandbox import stage

    m = tmp_path / "m"
    (m / "sub").mkdir(parents=True)
    (m / "sub" / "f").write_bytes(b"x")
    os.chmod(m / "sub" / "f", 0o600)
    host = tmp_path / "host"
    host.mkdir()
    before = staging_folders()
    (host / "f").write_bytes(b"HOST-SECRET")
    os.chmod(host / "f", 0o600)
    real = stage._copy

    def swap_then_copy(src: Path, st: os.stat_result, out: stage.Plan) -> Path:
        os.rename(m / "sub", tmp_path / "moved")
        os.symlink(host, m / "sub")
        return real(src, st, out)

    stage._copy = swap_then_copy  # type: ignore[assignment]
    try:
        with pytest.raises(stage.StageError, match="changed while"):
            stage.plan([m], [], U)
    finally:
        stage._copy = real  # type: ignore[assignment]
    assert not (staging_folders() - before)


# -- 2. no Python between fork and exec -------------------------------------------------------
def test_the_sandbox_is_started_without_a_preexec_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """A preexec_fn runs Python in the forked child of a possibly threaded caller (locks held
    by other threads at the fork stay held: deadlock); the start must not use one."""
    seen: list[object] = []
    real = subprocess.Popen

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, *a: object, **kw: object) -> None:
            seen.append(kw.get("preexec_fn"))
            super().__init__(*a, **kw)

    monkeypatch.setattr(subprocess, "Popen", Spy)
    res = run(["/bin/true"], SandboxPolicy(wall_seconds=60))
    assert res.returncode == 0 and seen and all(f is None for f in seen), seen


CONCURRENT = r"""
import sys, threading, time
from airlock.sandbox.runner import SandboxPolicy, run
from airlock.sandbox.worker import run_python
results, stop = [], False
def busy():  # threads that allocate and take locks while others fork
    lock = threading.Lock()
    while not stop:
        with lock:
            [str(i) for i in range(200)]
def starter(i):
    for j in range(3):
        if (i + j) % 2:
            r = run(["/bin/sh", "-c", "echo %d" % i], SandboxPolicy(wall_seconds=60))
            results.append(r.returncode == 0 and r.stdout == b"%d\n" % i)
        else:
            r = run_python("print(%d)" % i, SandboxPolicy(wall_seconds=60))
            results.append(r.returncode == 0 and r.stdout == b"%d\n" % i)
busies = [threading.Thread(target=busy) for _ in range(2)]
for t in busies: t.start()
ts = [threading.Thread(target=starter, args=(i,)) for i in range(6)]
for t in ts: t.start()
for t in ts: t.join()
stop = True
for t in busies: t.join()
print(sum(results), len(results))
"""


def test_sandboxes_start_concurrently_from_threads() -> None:
    """Six threads each start three sandboxes (launcher and worker) while two more threads
    churn allocations and locks; in a subprocess with a timeout so a hang fails, not stalls."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_paths()[1])}
    try:
        out = subprocess.run([PY, "-c", CONCURRENT], capture_output=True, text=True, env=env,
                             timeout=400, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("starting sandboxes from several threads hung")
    assert out.stdout.strip() == "18 18", out.stderr[-2000:]


# -- 3. attacker round --------------------------------------------------------------------------
@contextlib.contextmanager
def host_unix_listener(address: str | bytes) -> Iterator[list[bytes]]:
    """A host service on a unix socket (abstract when ``address`` starts with NUL)."""
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(address)
    srv.listen(4)
    srv.settimeout(60)
    got: list[bytes] = []

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                c, _ = srv.accept()
                got.append(b"connection")
                c.sendall(b"HOST-SERVICE")
                c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield got
    finally:
        srv.close()


@contextlib.contextmanager
def host_tcp_listener() -> Iterator[tuple[int, list[bytes]]]:
    """A host service on 127.0.0.1 (PostgreSQL and Redis listen there on this machine)."""
    srv = socket.socket(socket.AF_INET)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(60)
    got: list[bytes] = []

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                c, _ = srv.accept()
                got.append(b"connection")
                c.sendall(b"HOST-SERVICE")
                c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield srv.getsockname()[1], got
    finally:
        srv.close()


CONNECT_UNIX = """
import socket, sys
a = sys.argv[1]
a = "\\0" + a[1:] if a.startswith("@") else a
try:
    s = socket.socket(socket.AF_UNIX)
    s.connect(a)
    print("reached", s.recv(100).decode())
except OSError as e:
    print("held", e.errno)
"""


@pytest.mark.parametrize("landlock", [True, False])
def test_abstract_unix_socket_of_the_host_is_unreachable_with_the_network(landlock: bool) -> None:
    """--allow-net shares the host's network namespace, and with it the abstract unix socket
    namespace (D-Bus, X11, containerd, ... listen there): unix sockets stay refused there
    unless --allow-unix-sockets (Landlock's scoping covers it only on ABI >= 6)."""
    name = f"@airlock-sbx21-{os.getpid()}-{landlock}"
    with host_unix_listener("\0" + name[1:]) as got:
        out = inside(CONNECT_UNIX, name, allow_net=True, landlock=landlock).stdout.strip()
        assert out.startswith("held"), out
        assert not got
        outside = subprocess.run([PY, "-c", CONNECT_UNIX, name], capture_output=True, text=True)
        assert outside.stdout.strip() == "reached HOST-SERVICE" and got


def test_unix_socket_in_a_bind_is_unreachable_with_the_network(tmp_path: Path) -> None:
    """A socket file of a host service in a bound folder (PostgreSQL's /var/run/postgresql)
    was reachable with --allow-net (unix sockets were allowed with the network)."""
    d = tmp_path / "run"
    d.mkdir()
    sock = d / "svc.sock"
    with host_unix_listener(str(sock)) as got:
        out = inside(CONNECT_UNIX, str(sock), allow_net=True, ro_paths=(d,)).stdout.strip()
        assert out.startswith("held"), out
        assert not got


def test_unix_socket_binds_are_refused_whenever_unix_sockets_are_allowed(tmp_path: Path) -> None:
    """--allow-unix-sockets with --allow-net did not check the binds for socket files."""
    d = tmp_path / "run"
    d.mkdir()
    with host_unix_listener(str(d / "svc.sock")), pytest.raises(UsageError, match="unix socket"):
        run(["/bin/true"], SandboxPolicy(ro_paths=(d,), allow_net=True, allow_unix_sockets=True))


CONNECT_TCP = """
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    print("reached", s.recv(100).decode())
except OSError as e:
    print("held", e.errno)
"""


@pytest.mark.parametrize("where", ["launcher", "worker"])
def test_host_loopback_service_is_unreachable_without_the_network(where: str) -> None:
    with host_tcp_listener() as (port, got):
        run_in = inside if where == "launcher" else worker
        out = run_in(CONNECT_TCP, str(port)).stdout.strip()
        assert out.startswith("held"), out
        assert not got


def test_host_loopback_service_is_unreachable_with_the_network() -> None:
    """--allow-net shared the host's network: a TCP port a host service listens on (Redis and
    PostgreSQL on 127.0.0.1 here, no password on loopback) was reachable from the sandbox.
    sbx21 denied the ports listening at start (Landlock); sbx22 gives the sandbox a network
    namespace of its own (slirp4netns), whose 127.0.0.1 is its own loopback."""
    with host_tcp_listener() as (port, got):
        out = inside(CONNECT_TCP, str(port), allow_net=True).stdout.strip()
        assert out == f"held {errno.ECONNREFUSED}", out
        wout = worker(CONNECT_TCP, str(port), allow_net=True).stdout.strip()
        assert wout == f"held {errno.ECONNREFUSED}", wout
        assert not got
        outside = subprocess.run([PY, "-c", CONNECT_TCP, str(port)], capture_output=True, text=True)
        assert outside.stdout.strip() == "reached HOST-SERVICE"


def test_signals_do_not_reach_host_processes() -> None:
    host = subprocess.Popen(["sleep", "60"])
    try:
        code = """
import os, signal, sys
for target in (int(sys.argv[1]), -1):
    try:
        os.kill(target, signal.SIGKILL)
        print("sent")
    except OSError as e:
        print("held", e.errno)
"""
        out = inside(code, str(host.pid)).stdout.split("\n")
        assert out[0] == f"held {errno.ESRCH}", out  # no such pid in its namespace
        time.sleep(0.3)
        assert host.poll() is None
        worker(code, str(host.pid))
        time.sleep(0.3)
        assert host.poll() is None
    finally:
        host.kill()
        host.wait()


FDS = """
import os
print(sorted(int(n) for n in os.listdir("/proc/self/fd")))
"""


def test_descriptors_of_the_caller_do_not_reach_the_sandbox(tmp_path: Path) -> None:
    """Inheritable descriptors the caller holds (a log file, a socket) are not in the sandbox:
    only stdin, stdout, stderr (and listdir's own)."""
    f = tmp_path / "log"
    fd = os.open(f, os.O_WRONLY | os.O_CREAT, 0o644)
    os.set_inheritable(fd, True)
    s = socket.socket()
    s.set_inheritable(True)
    try:
        out = inside(FDS).stdout.strip()
        assert out == "[0, 1, 2, 3]", out
        assert worker(FDS).stdout.strip() == "[0, 1, 2, 3]"
    finally:
        os.close(fd)
        s.close()


SHM = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.shmget(int(sys.argv[1]), 4096, 0)
print("found" if r >= 0 else "held %d" % ctypes.get_errno())
import os
print(sorted(os.listdir("/dev/shm")))
"""


def test_host_shared_memory_is_not_visible() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    key = 0x5B21_0000 + os.getpid() % 0xFFFF
    shmid = libc.shmget(key, 4096, 0o1666)  # IPC_CREAT | 0666
    if shmid < 0:
        pytest.skip("the host refuses SysV shared memory")
    host_posix = Path("/dev/shm") / f"airlock-sbx21-{os.getpid()}"
    host_posix.write_bytes(b"x")
    try:
        out = inside(SHM, str(key)).stdout.split("\n")
        assert out[0] == f"held {errno.ENOENT}" and out[1] == "[]", out
        out = worker(SHM, str(key)).stdout.split("\n")
        assert out[0] == f"held {errno.ENOENT}" and out[1] == "[]", out
    finally:
        libc.shmctl(shmid, 0, None)  # IPC_RMID
        host_posix.unlink()


HOSTNAME = """
import ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
for call in (libc.sethostname, libc.setdomainname):
    rc = call(b"pwned", 5)
    print("set" if rc == 0 else "held %d" % ctypes.get_errno())
print(socket.gethostname())
"""


def test_hostname_cannot_be_changed() -> None:
    out = inside(HOSTNAME).stdout.split("\n")
    assert out[:3] == [f"held {errno.EPERM}"] * 2 + ["airlock-sandbox"], out
    assert socket.gethostname() != "pwned"


MEMFD_EXEC = """
import ctypes, os
fd = os.memfd_create("x")
with open("/bin/true", "rb") as f:
    os.write(fd, f.read())
libc = ctypes.CDLL(None, use_errno=True)
for how, call in (("execveat", lambda: libc.syscall(322, fd, b"", None, None, 0x1000)),
                  ("proc", lambda: os.execv("/proc/self/fd/%d" % fd, ["x"]))):
    try:
        rc = call()
        print(how, "held", ctypes.get_errno() if rc != 0 else 0)
    except OSError as e:
        print(how, "held", e.errno)
"""


def test_memfd_exec_after_start_is_refused() -> None:
    """A binary written to a memfd (no file on any mount) and exec'd after start."""
    if os.uname().machine != "x86_64":
        pytest.skip("execveat number for x86-64 only")
    eperm = errno.EPERM
    out = inside(MEMFD_EXEC, allow_exec=False).stdout.split("\n")
    assert out[:2] == [f"execveat held {eperm}", f"proc held {eperm}"], out
    wout = worker(MEMFD_EXEC).stdout.split("\n")
    assert wout[:2] == [f"execveat held {eperm}", f"proc held {eperm}"], wout


PROC_MEM = """
import mmap, os, sys
f = open(sys.argv[1], "rb")
m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ)
with open("/proc/self/maps") as maps:
    base = next(int(line.split("-")[0], 16) for line in maps if line.rstrip().endswith("w.bin"))
try:
    fd = os.open("/proc/self/mem", os.O_RDWR)
    os.pwrite(fd, b"PWNED", base)
    print("wrote")
except OSError as e:
    print("held", e.errno)
"""


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_proc_self_mem_cannot_write_through_a_shared_mapping_of_a_bind(
    tmp_path: Path, mode: int
) -> None:
    """/proc/self/mem writes ignore a mapping's protection (FOLL_FORCE): not for a shared
    read-only mapping of a bound file (or of the copy of an unreadable one)."""
    d = tmp_path / "m"
    d.mkdir()
    f = d / "w.bin"
    f.write_bytes(b"original")
    os.chmod(f, mode)
    out = inside(PROC_MEM, str(f), ro_paths=(d,))
    assert out.stdout.strip().startswith("held"), (out.stdout, out.stderr)
    assert f.read_bytes() == b"original"


RLIMIT_NPROC_OTHER = """
import os, time
n = 0
while n < 400:
    try:
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        n += 1
    except OSError:
        break
print("forked", n, flush=True)
time.sleep(20)
"""


FORK_AND_WAIT = """
import os
for _ in range(20):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print("ok")
"""


def test_a_fork_bomb_in_one_sandbox_does_not_stop_another() -> None:
    """Every root caller's sandbox is host uid 65534: the process limit of one must not count
    another's processes (RLIMIT_NPROC counts per user namespace; the pids cgroup per sandbox)."""
    bomb: list[runner.SandboxResult] = []
    t = threading.Thread(target=lambda: bomb.append(
        run([PY, "-I", "-c", RLIMIT_NPROC_OTHER], SandboxPolicy(max_procs=64, wall_seconds=12),
            extra_ro=tuple(python_paths()[0]))))  # fmt: skip
    t.start()
    time.sleep(3)
    other = inside(FORK_AND_WAIT, max_procs=64)
    t.join()
    assert other.stdout.strip() == "ok", other.stderr
    assert bomb and b"forked" in bomb[0].stdout


PERSONALITY_EXEC = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.personality(0x0040000)  # ADDR_NO_RANDOMIZE: does not reach back into the launcher
try:
    os.execv("/bin/true", ["true"])
except OSError as e:
    print("held", e.errno)
"""


def test_exec_stays_denied_after_disabling_randomization() -> None:
    out = inside(PERSONALITY_EXEC, allow_exec=False).stdout.strip()
    assert out == f"held {errno.EPERM}", out


DEV_PROBE = """
import os
for p in ("/dev/userfaultfd", "/dev/fuse", "/dev/kvm", "/dev/mem", "/dev/net/tun", "/dev/vsock"):
    try:
        os.close(os.open(p, os.O_RDWR))
        print(p, "opened")
    except OSError as e:
        print(p, "held", e.errno)
"""


def test_kernel_device_nodes_are_absent() -> None:
    """userfaultfd through its device node (not the syscall), FUSE, KVM, /dev/mem, TUN."""
    out = inside(DEV_PROBE).stdout
    assert "opened" not in out and out.count(" held ") == 6, out


KERNEL_CALLS = """
import ctypes, errno, json
libc = ctypes.CDLL(None, use_errno=True)
out = {}
for name, nr, args in json.loads(__import__("sys").argv[1]):
    rc = libc.syscall(nr, *[ctypes.c_long(a) for a in args])
    out[name] = "ok" if rc >= 0 else errno.errorcode[ctypes.get_errno()]
print(json.dumps(out, sort_keys=True))
"""
# x86-64 numbers: ptrace(PTRACE_TRACEME), keyctl(KEYCTL_GET_KEYRING_ID, session), perf_event_open,
# bpf(BPF_PROG_LOAD), userfaultfd, unshare(CLONE_NEWUSER), mount, setns, add_key, kcmp
X86_CALLS = [("ptrace", 101, [0, 0, 0, 0]), ("keyctl", 250, [0, -3, 0]),
             ("perf_event_open", 298, [0, 0, -1, -1, 0]), ("bpf", 321, [5, 0, 0]),
             ("userfaultfd", 323, [0]), ("unshare", 272, [0x10000000]),
             ("mount", 165, [0, 0, 0, 0, 0]), ("setns", 308, [0, 0]),
             ("add_key", 248, [0, 0, 0, 0, 0])]  # fmt: skip


def test_the_model_loading_worker_refuses_kernel_calls() -> None:
    """sbx20 probed these from the launcher; the Python worker (what loads a model) too."""
    if os.uname().machine != "x86_64":
        pytest.skip("syscall numbers for x86-64 only")
    import json

    out = json.loads(worker(KERNEL_CALLS, json.dumps(X86_CALLS)).stdout)
    assert out == {name: "EPERM" for name, _nr, _a in X86_CALLS}, out


FIFO_ARRAY = r"""
import os, sys, threading
from pathlib import Path
from airlock.sandbox import calls
out = Path(sys.argv[1])
os.mkfifo(out / "values.npy")  # what a hostile callee leaves in its exchange folder
(out.parent / "host").mkdir()
import numpy as np
np.save(out.parent / "host" / "values.npy", np.arange(3))
for case in ("fifo", "folder link"):
    if case == "folder link":
        os.rename(out, out.parent / "old")
        os.symlink(out.parent / "host", out)
    try:
        calls.read_array(out, "values")
        print(case, "read")
    except calls.IsolatedCallFailed:
        print(case, "refused")
"""


def test_array_left_as_a_fifo_or_behind_a_linked_folder_is_refused(tmp_path: Path) -> None:
    """The callee's exchange folder is the sandbox's to write: a FIFO named like the array
    blocked the host's read forever (its writer gone), and ``out`` made a symlink to a host
    folder was followed. In a subprocess with a timeout, so the old hang fails the test."""
    out = tmp_path / "x" / "out"
    out.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_paths()[1])}
    try:
        res = subprocess.run([PY, "-c", FIFO_ARRAY, str(out)], capture_output=True, text=True,
                             env=env, timeout=60, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("reading an array the sandbox left as a FIFO hung")
    assert res.stdout.split("\n")[:2] == ["fifo refused", "folder link refused"], res.stderr


FILL = """
import os, sys, time
d = sys.argv[1]
chunk = b"x" * (1 << 20)
for i in range(200):  # 200 files of 4 MB: each under RLIMIT_FSIZE, together 800 MB
    with open(f"{d}/f{i}", "wb") as f:
        for _ in range(4):
            f.write(chunk)
    time.sleep(0.01)  # (at least 2 s in all: the watcher polls every 0.2 s, even on a busy host)
print("wrote all")
"""


def test_writable_binds_are_bounded_in_total(tmp_path: Path) -> None:
    """RLIMIT_FSIZE bounds each file only: a hostile model in the loading worker filled the
    host disk through its exchange folder (a writable bind) file by file. With a quota the run
    is killed once the binds hold more (checked every 0.2 s); calls set one."""
    d = tmp_path / "x"
    d.mkdir()
    runner.grant(d)
    pol = SandboxPolicy(rw_paths=(d,), wall_seconds=120, rw_quota_mb=40)  # type: ignore[call-arg]
    res = run_python(FILL, pol, [str(d)])
    assert res.over_quota and b"wrote all" not in res.stdout, res.stderr
    assert runner.rw_usage([d]) < 400 << 20  # stopped near the quota, far from 800 MB
    for f in d.iterdir():
        f.unlink()
    honest = run_python(FILL.replace("200", "5"), pol, [str(d)])  # 20 MB
    assert not honest.over_quota and b"wrote all" in honest.stdout, honest.stderr


def test_isolated_calls_bound_their_exchange_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from airlock.sandbox import calls, worker

    seen: list[SandboxPolicy] = []

    def fake(code: str, policy: SandboxPolicy, args: list[str]) -> runner.SandboxResult:
        seen.append(policy)
        return runner.SandboxResult(-9, b"", b"", False, "bwrap", 0.1, None, True)  # type: ignore[call-arg]

    monkeypatch.setattr(worker, "run_python", fake)
    with pytest.raises(calls.IsolatedCallFailed, match="exchange folder"):
        with calls.isolated_call("airlock.x.y_entry", {}, SandboxPolicy()):
            pass
    assert seen and 0 < seen[0].rw_quota_mb <= 8192  # type: ignore[attr-defined]
