"""Issue 16's sandbox probes, each run inside and (where harmless) outside the sandbox so that a
pass cannot be vacuous: exec after start, fork bombs, io_uring, plus `sandbox run --allow-exec`.
(Network connect, reads/writes outside the binds and host processes: test_sandbox.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.sandbox import cgroup, runner
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
