"""Session 19 (sbx20) probes: what a sandboxed command may not reach, one test per probe, each
run inside (`sandbox run`'s launcher, no --allow-exec unless said) and, where it is harmless
and this host allows it, outside too, so that a pass is not vacuous.

A root caller's sandbox runs as SANDBOX_UID (65534) when its binds are readable by it; root-only
/proc files are covered for every caller; /proc/sys is read-only."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.sandbox import calls, runner
from airlock.sandbox.launch import python_paths
from airlock.sandbox.runner import SandboxPolicy, run

pytestmark = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)
PY = str(Path(sys.executable).resolve())
ROOT = os.geteuid() == 0
# (getattr: on the code before the drop existed these tests run, and fail)
DROPS = ROOT and getattr(runner, "run_as", lambda: True)() is not None
needs_drop = pytest.mark.skipif(
    not DROPS,
    reason="the caller is not root, or user namespaces are closed to the sandbox uid here",
)
# x86-64 / aarch64 numbers of the calls glibc has no wrapper for (or Python does not expose)
NR = {
    "x86_64": {"ptrace": 101, "keyctl": 250, "add_key": 248, "perf_event_open": 298, "bpf": 321,
               "userfaultfd": 323, "pivot_root": 155, "kexec_load": 246, "init_module": 175,
               "setns": 308, "unshare": 272, "mount": 165, "chroot": 161},
    "aarch64": {"ptrace": 117, "keyctl": 219, "add_key": 217, "perf_event_open": 241, "bpf": 280,
                "userfaultfd": 282, "pivot_root": 41, "kexec_load": 104, "init_module": 105,
                "setns": 268, "unshare": 97, "mount": 40, "chroot": 51},
}.get(platform.machine())  # fmt: skip
SYSCALL = """
import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
nr, *args = [int(a) for a in sys.argv[1:]]
args = [ctypes.c_long(a) for a in args]
rc = libc.syscall(nr, *args)
print("ok" if rc >= 0 else errno.errorcode[ctypes.get_errno()])
"""


def inside(code: str, *args: str, **policy: object) -> subprocess.CompletedProcess[str]:
    dirs, _ = python_paths()
    pol = SandboxPolicy(wall_seconds=60, **policy)  # type: ignore[arg-type]
    res = run([PY, "-I", "-c", code, *args], pol, extra_ro=tuple(dirs))
    return subprocess.CompletedProcess([], res.returncode, res.stdout.decode(), res.stderr.decode())


def syscall_inside(name: str, *args: int, **policy: object) -> str:
    if NR is None:
        pytest.skip(f"no syscall table for {platform.machine()}")
    return inside(SYSCALL, str(NR[name]), *map(str, args), **policy).stdout.strip()


# -- kernel information: root-only /proc files, /sys -----------------------------------------
READ = """
import sys
for p in sys.argv[1:]:
    try:
        with open(p, "rb") as f:
            print(p, "read", len(f.read(4096)))
    except OSError as e:
        print(p, "denied", e.errno)
"""
ROOT_ONLY = ["/proc/timer_list", "/proc/slabinfo", "/proc/vmallocinfo", "/proc/pagetypeinfo",
             "/proc/kpageflags", "/proc/kmsg"]  # fmt: skip
KERNEL_INFO = ["/proc/keys", "/proc/key-users", "/proc/kallsyms", "/proc/sysrq-trigger"]


@pytest.mark.parametrize("path", ROOT_ONLY + KERNEL_INFO)
def test_kernel_proc_file_is_not_readable(path: str) -> None:
    # a file this kernel lacks must read as denied (ENOENT) inside too: no skip, which CI refuses
    out = inside(READ, path).stdout
    assert out.startswith(f"{path} denied"), out
    if ROOT and path in ROOT_ONLY[:3]:  # the host's root reads them: the cover is what holds
        assert subprocess.run([PY, "-c", READ, path], capture_output=True, text=True,
                              check=True).stdout.startswith(f"{path} read")  # fmt: skip


def test_root_only_proc_sys_file_is_not_readable_as_the_sandbox_uid() -> None:
    files = [p for p in ("/proc/sys/kernel/cad_pid", "/proc/sys/vm/mmap_rnd_bits",
                         "/proc/sys/kernel/usermodehelper/bset") if os.path.exists(p)]  # fmt: skip
    if not files:
        pytest.skip("none of the 0600 sysctls exists here")
    out = inside(READ, *files).stdout.splitlines()
    if not DROPS:
        pytest.skip("the sandbox keeps the caller's uid here (not root, or no drop)")
    assert all(" denied " in line for line in out), out


def test_sys_is_not_mounted() -> None:
    out = inside(READ, "/sys/kernel/notes", "/sys/firmware/dmi/tables/DMI").stdout
    assert out.count(" denied 2") == 2, out  # ENOENT: no /sys at all


# -- privileges -------------------------------------------------------------------------------
IDS = """
import os
with open("/proc/self/status") as f:
    caps = {x.split(":")[0]: x.split()[1] for x in f if x.startswith(("Cap", "NoNew"))}
print(os.getresuid(), os.getresgid(), os.getgroups(), sorted(set(caps.values())))
"""


@needs_drop
def test_a_root_callers_sandbox_runs_as_the_unprivileged_uid() -> None:
    u = runner.SANDBOX_UID
    out = inside(IDS).stdout.strip()
    assert out == f"({u}, {u}, {u}) ({u}, {u}, {u}) [] ['0000000000000000', '1']", out
    from airlock.sandbox.worker import run_python  # the Python worker's lockdown too

    res = run_python(IDS, SandboxPolicy(wall_seconds=60))
    assert res.stdout.decode().strip() == out, res.stderr


@needs_drop
def test_unreadable_binds_no_longer_keep_the_callers_uid(tmp_path: Path) -> None:
    """sbx21: a bind the sandbox uid cannot read (safetensors writes 0600 files) kept the
    caller's uid 0 for the whole sandbox; now the sandbox stays 65534 and reads a copy."""
    secret = tmp_path / "m"
    secret.mkdir()
    (secret / "w.bin").write_bytes(b"w")
    os.chmod(secret / "w.bin", 0o600)
    res = inside("import os; print(os.getuid(), open(os.sys.argv[1]).read())",
                 str(secret / "w.bin"), ro_paths=(secret,))  # fmt: skip
    assert res.stdout == f"{runner.SANDBOX_UID} w\n", res.stderr


WRITE_SYSCTL = """
import os, sys
for p in sys.argv[1:]:
    try:
        os.close(os.open(p, os.O_WRONLY))  # the open is the check; nothing is written
        print(p, "writable")
    except OSError as e:
        print(p, "denied", e.errno)
"""


@pytest.mark.parametrize("landlock", [True, False])
def test_proc_sys_is_not_writable(landlock: bool) -> None:
    """Without Landlock, the host's uid 0 could open /proc/sys/kernel/core_pattern for writing
    inside the sandbox (a core-dump helper runs as the host's root): read-only now."""
    files = ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches"]
    out = inside(WRITE_SYSCTL, *files, landlock=landlock).stdout
    assert "writable" not in out and out.count(" denied ") == 2, out


def test_setuid_binary_in_a_bind_gives_nothing(tmp_path: Path) -> None:
    idp = shutil.which("id")
    if idp is None:
        pytest.skip("no id binary")
    d = tmp_path / "bin"
    d.mkdir(mode=0o755)
    os.chmod(tmp_path, 0o755)
    shutil.copy(idp, d / "sid")
    os.chmod(d / "sid", 0o4755)  # setuid to its owner (root when the tests run as root)
    res = run([str(d / "sid"), "-u"], SandboxPolicy(ro_paths=(d,), wall_seconds=30))
    assert res.returncode == 0, res.stderr
    if DROPS:
        assert res.stdout == f"{runner.SANDBOX_UID}\n".encode()  # nosuid, no_new_privs
    else:
        assert res.stdout == f"{os.geteuid()}\n".encode()


RAISE = """
import resource as r
for k in (r.RLIMIT_AS, r.RLIMIT_NOFILE, r.RLIMIT_NPROC):
    s, h = r.getrlimit(k)
    try:
        r.setrlimit(k, (h + 1, h + 1))
        print("raised")
    except (ValueError, OSError):
        print("held")
"""


def test_rlimits_cannot_be_raised() -> None:
    assert inside(RAISE).stdout.split() == ["held"] * 3


def test_clock_settime_is_refused() -> None:
    code = ("import time\ntry:\n    time.clock_settime(time.CLOCK_REALTIME, time.time())\n"
            "    print('set')\nexcept OSError as e:\n    print('refused', e.errno)\n")  # fmt: skip
    assert inside(code).stdout.strip() == "refused 1"


# -- other processes ---------------------------------------------------------------------------
OTHER = """
import os
out = []
for name in ("mem", "environ", "maps", "root/"):
    try:
        p = f"/proc/1/{name}"
        os.listdir(p) if name.endswith("/") else open(p, "rb").read(16)
        out.append(name + "=read")
    except OSError as e:
        out.append(f"{name}={e.errno}")
print(" ".join(out))
"""


def test_proc_of_the_sandbox_init_is_not_readable() -> None:
    """pid 1 inside is bubblewrap's reaper (the host's root in a root caller's sandbox)."""
    out = inside(OTHER).stdout.split()
    assert all(not x.endswith("=read") for x in out), out


# -- calls the seccomp filter refuses ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "args"),
    [("ptrace", (16, 1, 0, 0)), ("keyctl", (0, -3, 0)), ("add_key", (0, 0, 0, 0, -3)),
     ("perf_event_open", (0, 0, -1, -1, 0)), ("bpf", (0, 0, 0)), ("userfaultfd", (0,)),
     ("mount", (0, 0, 0, 0, 0)), ("unshare", (0x20000,)), ("setns", (0, 0)),
     ("chroot", (0,)), ("pivot_root", (0, 0)), ("kexec_load", (0, 0, 0, 0)),
     ("init_module", (0, 0, 0))],
)  # fmt: skip
def test_kernel_call_is_refused(name: str, args: tuple[int, ...]) -> None:
    assert syscall_inside(name, *args) == "EPERM"
    assert syscall_inside(name, *args, allow_net=True) == "EPERM"


SOCK = """
import socket, sys
fam, kind, proto = (int(a) for a in sys.argv[1:])
try:
    socket.socket(fam, kind, proto).close()
    print("made")
except OSError as e:
    print("refused", e.errno)
"""
AF_NETLINK, AF_PACKET, AF_VSOCK, AF_ALG = 16, 17, 40, 38


@pytest.mark.parametrize(
    ("fam", "kind", "proto"),
    [(2, 3, 1), (10, 3, 58), (AF_PACKET, 3, 0), (AF_NETLINK, 3, 0), (AF_NETLINK, 3, 9),
     (AF_VSOCK, 1, 0), (AF_ALG, 5, 0)],
    ids=["raw-inet", "raw-inet6", "packet", "netlink-route", "netlink-audit", "vsock", "alg"],
)  # fmt: skip
def test_socket_family_is_refused(fam: int, kind: int, proto: int) -> None:
    out = inside(SOCK, str(fam), str(kind), str(proto)).stdout
    assert out.startswith("refused"), out


@pytest.mark.parametrize(
    ("fam", "kind", "proto"), [(AF_VSOCK, 1, 0), (AF_ALG, 5, 0), (AF_NETLINK, 3, 9)],
    ids=["vsock", "alg", "netlink-audit"],
)  # fmt: skip
def test_the_network_opt_in_is_inet_only(fam: int, kind: int, proto: int) -> None:
    """--allow-net is for TCP/UDP: vsock (the hypervisor host), the kernel crypto API and
    netlink other than routing (which getaddrinfo uses) stay refused."""
    out = inside(SOCK, str(fam), str(kind), str(proto), allow_net=True).stdout
    assert out.startswith("refused"), out
    assert inside(SOCK, "2", "1", "0", allow_net=True).stdout == "made\n"
    assert inside(SOCK, str(AF_NETLINK), "3", "0", allow_net=True).stdout == "made\n"


# -- devices, terminal, symlinks ---------------------------------------------------------------
DEVICES = """
import os, stat
for n in sorted(os.listdir("/dev")):
    st = os.lstat("/dev/" + n)
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        print(n)
try:
    os.mknod("/tmp/sda", 0o600 | stat.S_IFBLK, os.makedev(8, 0))
except OSError as e:
    print("mknod", e.errno)
"""


def test_only_harmless_device_nodes() -> None:
    out = inside(DEVICES).stdout.split()
    assert out == ["full", "null", "random", "tty", "urandom", "zero", "mknod", "1"], out


TIOCSTI = """
import fcntl, os, termios
out = []
for fd in (0, 1, 2):
    try:
        fcntl.ioctl(fd, termios.TIOCSTI, b"x")
        out.append("injected")
    except OSError as e:
        out.append(str(e.errno))
try:
    os.open("/dev/tty", os.O_RDWR)
    out.append("tty")
except OSError as e:
    out.append(str(e.errno))
print(" ".join(out))
"""


def test_tiocsti_has_no_terminal_to_reach() -> None:
    out = inside(TIOCSTI).stdout.split()
    assert "injected" not in out and "tty" not in out, out


def test_symlink_in_a_writable_bind_stays_inside(tmp_path: Path) -> None:
    rw = tmp_path / "rw"
    rw.mkdir()
    runner.grant(rw)
    code = """
import os, sys
d = sys.argv[1]
os.symlink("/etc/shadow", d + "/l")
os.symlink("/", d + "/r")
for p in (d + "/l", d + "/r/etc/hostname", d + "/r/root/.bashrc"):
    try:
        open(p).read()
        print("read")
    except OSError as e:
        print(e.errno)
"""
    res = inside(code, str(rw), rw_paths=(rw,))
    assert res.stdout.split() == ["2", "2", "2"], res.stdout + res.stderr  # not in its view
    assert (rw / "l").is_symlink()  # made, and the host side (below) never follows such links


def test_result_file_made_a_symlink_is_not_followed(tmp_path: Path) -> None:
    """The parent reads the callee's result.json from the writable exchange folder after the
    sandbox ended: a symlink there (to a host JSON file) must not be read as the answer."""
    host = tmp_path / "host.json"
    host.write_text('{"secret": 1}')
    xchg = tmp_path / "x"
    xchg.mkdir()
    (xchg / "result.json").symlink_to(host)
    with pytest.raises(calls.IsolatedCallFailed, match="no readable result"):
        calls.read_result(xchg / "result.json", "probe")
    (xchg / "result.json").unlink()
    (xchg / "result.json").write_text('{"ok": 2}')
    assert calls.read_result(xchg / "result.json", "probe") == {"ok": 2}
