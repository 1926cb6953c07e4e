"""The sandbox against a hostile pickle: every escape the issue lists must be blocked, and the
same payloads must really work outside the sandbox (so the test cannot pass vacuously)."""

from __future__ import annotations

import ast
import json
import os
import pickle
import resource
import select
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from airlock.sandbox import runner
from airlock.sandbox.runner import SandboxPolicy, SandboxUnavailable, run
from airlock.sandbox.worker import run_python

needs_bwrap = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)

LOADER = """
import json, pickle, sys
try:
    with open(sys.argv[1], "rb") as fh:
        obj = pickle.load(fh)
    print(json.dumps({"ok": True, "value": repr(obj)}))
except BaseException as e:
    print(json.dumps({"ok": False, "error": type(e).__name__ + ": " + str(e)}))
"""


class Payload:
    """Pickles into ``func(*args)``: what a malicious model file does on load."""

    def __init__(self, func: Any, *args: Any) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return self.func, self.args


def write_pickle(directory: Path, obj: Any) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / "model.pkl"
    path.write_bytes(pickle.dumps(obj))
    return path


def load_sandboxed(pkl: Path, **policy: Any) -> dict[str, Any]:
    pol = SandboxPolicy(ro_paths=(pkl.parent,), wall_seconds=60, **policy)
    res = run_python(LOADER, pol, [str(pkl.resolve())])
    assert res.backend.startswith("bwrap+seccomp")
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    return dict(json.loads(res.stdout.decode().strip().splitlines()[-1]))


def load_unsandboxed(pkl: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", LOADER, str(pkl)], capture_output=True, timeout=60)
    return dict(json.loads(out.stdout.decode().strip().splitlines()[-1]))


@pytest.fixture
def listener():  # type: ignore[no-untyped-def]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.setblocking(False)
    yield srv
    srv.close()


def pending(srv: socket.socket) -> bool:
    return bool(select.select([srv], [], [], 0.2)[0])


@needs_bwrap
def test_cannot_connect_to_loopback(tmp_path: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    pkl = write_pickle(tmp_path / "in", Payload(socket.create_connection, ("127.0.0.1", port)))
    res = load_sandboxed(pkl)
    assert not res["ok"]
    assert not pending(listener)
    # control: the payload really connects when loaded without the sandbox
    load_unsandboxed(pkl)
    assert pending(listener)


@needs_bwrap
def test_cannot_read_secret_outside_binds(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242")
    reader = Payload(eval, f"open({str(secret)!r}).read()")
    pkl = write_pickle(tmp_path / "in", reader)
    res = load_sandboxed(pkl)
    assert not res["ok"] and "TOPSECRET" not in json.dumps(res)
    assert "TOPSECRET-4242" in load_unsandboxed(pkl)["value"]


@needs_bwrap
def test_cannot_write_outside_its_tmp(tmp_path: Path) -> None:
    ro_dir = tmp_path / "ro"
    ro_dir.mkdir()
    targets = [tmp_path / "marker", ro_dir / "marker"]
    code = "; ".join(f"open({str(t)!r}, 'w').write('x')" for t in targets)
    pkl = write_pickle(tmp_path / "in", Payload(exec, code))
    pol = SandboxPolicy(ro_paths=(pkl.parent, ro_dir), wall_seconds=60)
    out = run_python(LOADER, pol, [str(pkl.resolve())])
    res = json.loads(out.stdout.decode().strip().splitlines()[-1])
    assert not res["ok"]
    assert not any(t.exists() for t in targets)
    # writing inside its own tmp works (and vanishes with the sandbox)
    ok = run_python("open('/tmp/scratch', 'w').write('x'); print('wrote')", SandboxPolicy())
    assert ok.stdout.strip() == b"wrote"
    load_unsandboxed(pkl)
    assert all(t.exists() for t in targets)


@needs_bwrap
def test_cannot_execute_a_program(tmp_path: Path) -> None:
    pkl = write_pickle(tmp_path / "in", Payload(subprocess.check_output, ["/bin/echo", "pwned"]))
    res = load_sandboxed(pkl)
    assert not res["ok"] and "pwned" not in json.dumps(res)
    assert "PermissionError" in res["error"]
    assert "pwned" in load_unsandboxed(pkl)["value"]


@needs_bwrap
def test_cannot_see_host_processes(tmp_path: Path) -> None:
    pkl = write_pickle(tmp_path / "in", Payload(os.listdir, "/proc"))
    res = load_sandboxed(pkl)
    assert res["ok"]
    pids = {int(x) for x in ast.literal_eval(res["value"]) if x.isdigit()}
    assert os.getpid() not in pids and max(pids) < 100
    host = {int(x) for x in ast.literal_eval(load_unsandboxed(pkl)["value"]) if x.isdigit()}
    assert os.getpid() in host


@needs_bwrap
def test_generic_run_has_no_network_and_a_private_pid_space(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2)"
    py = str(Path(sys.executable).resolve())
    from airlock.sandbox.launch import python_paths

    dirs, _ = python_paths()
    res = run([py, "-I", "-c", code], SandboxPolicy(wall_seconds=60), extra_ro=tuple(dirs))
    assert res.returncode != 0 and b"Errno" in res.stderr
    assert not pending(listener)
    res2 = run(["/bin/sh", "-c", "echo $$"], SandboxPolicy(wall_seconds=30))
    assert int(res2.stdout) < 100


ALLOW_NET = """
import socket, sys
srv = socket.socket()  # a server of its own on loopback: TCP works
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.create_connection(srv.getsockname(), timeout=5)
print("own", srv.accept()[0].send(b"x"))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # UDP (name resolution) is not filtered
print("udp", u.sendto(b"ping", ("127.0.0.1", int(sys.argv[1]))))
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5)
    print("host service reached")
except OSError as e:
    print("host", e.errno)
"""


@needs_bwrap
def test_allow_net_reaches_the_network_but_not_host_services(listener: socket.socket) -> None:
    """sbx21: --allow-net shared the host's network, so a TCP port a host service listened on
    (this machine's PostgreSQL and Redis trust loopback) was reachable; sbx22: the sandbox has a
    network namespace of its own (slirp4netns), so 127.0.0.1 is its own loopback: TCP and UDP
    work there and neither reaches the host's."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(2)
    port = listener.getsockname()[1]
    args = [str(udp.getsockname()[1]), str(port)]
    res = run_python(ALLOW_NET, SandboxPolicy(allow_net=True, wall_seconds=60), args)
    out = res.stdout.decode().split("\n")
    assert out[:2] == ["own 1", "udp 4"], res.stderr.decode()[-1000:]
    with pytest.raises(TimeoutError):
        udp.recv(10)
    assert out[2] == "host 111" and not pending(listener), out


@needs_bwrap
def test_wall_clock_timeout_kills_the_group() -> None:
    res = run(["/bin/sh", "-c", "sleep 30 & sleep 30; echo never"], SandboxPolicy(wall_seconds=1))
    assert res.timed_out and b"never" not in res.stdout


@needs_bwrap
def test_memory_limit() -> None:
    res = run_python("b = bytearray(900 << 20); print('allocated')", SandboxPolicy(memory_mb=256))
    assert b"allocated" not in res.stdout and b"MemoryError" in res.stderr


@needs_bwrap
def test_file_size_limit() -> None:
    code = "open('/tmp/big', 'wb').write(b'x' * (3 << 20)); print('wrote')"
    res = run_python(code, SandboxPolicy(file_size_mb=1))
    assert b"wrote" not in res.stdout


def test_fails_closed_without_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "bwrap_path", lambda: None)
    with pytest.raises(SandboxUnavailable, match="allow-unsandboxed"):
        run(["/bin/true"], SandboxPolicy())
    res = run(["/bin/echo", "hi"], SandboxPolicy(allow_unsandboxed=True))
    assert res.backend == "none" and res.stdout == b"hi\n"


def test_bad_policy_is_a_usage_error(tmp_path: Path) -> None:
    from airlock.errors import UsageError

    with pytest.raises(UsageError, match="does not exist"):
        run(["/bin/true"], SandboxPolicy(ro_paths=(tmp_path / "nope",)))
    with pytest.raises(UsageError):
        run([], SandboxPolicy())


@needs_bwrap
def test_current_directory_is_not_exposed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cwd-secret.txt").write_text("CWD-SECRET")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    code = f"import os; print(os.path.exists({str(tmp_path / 'cwd-secret.txt')!r}))"
    res = run_python(code, SandboxPolicy(wall_seconds=60))
    assert res.stdout.strip() == b"False", res.stderr.decode()[-500:]


@needs_bwrap
@pytest.mark.skipif(
    __import__("airlock.sandbox.landlock").sandbox.landlock.abi_version() < 1,
    reason="kernel without Landlock",
)
def test_generic_run_is_landlocked(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "f").write_text("x")
    res = run(["/bin/sh", "-c", f"echo y > {ro}/f; echo z > /tmp/ok && cat /tmp/ok"],
              SandboxPolicy(ro_paths=(ro,), wall_seconds=30))  # fmt: skip
    assert res.backend == "bwrap+seccomp+landlock"
    assert res.stdout == b"z\n"
    assert (ro / "f").read_text() == "x"
    missing = run(["no-such-program-xyz"], SandboxPolicy(wall_seconds=30))
    assert missing.returncode == 127 and b"cannot execute" in missing.stderr


def test_limits_that_cannot_be_set_are_a_clear_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli16: a child whose limits raised between fork and exec surfaced as "internal error:
    SubprocessError"; it is a refusal to run that says why (nothing ran)."""

    def fail(policy: SandboxPolicy) -> list[tuple[int, int, int]]:
        # (sbx21: the starter sets the rlimits; one it cannot set is the same refusal)
        huge = 1 << 40  # above fs.nr_open: EPERM even for root
        return [(resource.RLIMIT_NOFILE, huge, huge)]

    monkeypatch.setattr(runner, "_limits", fail)
    with pytest.raises(SandboxUnavailable, match="could not start"):
        run(["/bin/true"], SandboxPolicy())
