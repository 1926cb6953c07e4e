"""The long-lived sandboxed worker: round trips, the same walls as one-shot workers (each with a
control proving the attempt works outside), and recovery from hangs, crashes and oversized
answers."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from airlock.sandbox import runner
from airlock.sandbox.runner import SandboxPolicy, SandboxUnavailable
from airlock.sandbox.service import (
    SandboxedService,
    ServiceCallError,
    ServiceError,
    ServiceTimeout,
)

needs_bwrap = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)

BOOT = r"""
import os, socket, subprocess, time
GREETING = recv_frame(BOOT_LIMIT).decode()
READY = {"greeting": GREETING, "pid": os.getpid()}
print("stray output must not reach the protocol", flush=True)

def attempt(f):
    try:
        return {"ok": True, "value": repr(f())}
    except OSError as e:
        return {"ok": False, "error": type(e).__name__ + ": " + str(e)}

def handle(req):
    op = req["op"]
    if op == "echo":
        return req["value"]
    if op == "sleep":
        time.sleep(req["seconds"])
    if op == "exit":
        os._exit(7)
    if op == "big":
        return "x" * req["size"]
    if op == "fill":  # memfd pages: only the memory cgroup counts them
        fds = [os.memfd_create("fill") for _ in range(4)]
        for fd in fds:
            for _ in range(128):
                os.write(fd, b"\xa5" * (1 << 20))
    if op == "raise":
        raise ValueError("not this one")
    if op == "raw":  # a compromised worker writes whatever answer frame it likes
        recv_frame.__globals__["send_frame"](req["frame"].encode())
    if op == "connect":
        return attempt(lambda: socket.create_connection(("127.0.0.1", req["port"]), timeout=2))
    if op == "exec":
        return attempt(lambda: subprocess.check_output(["/bin/echo", "pwned"]))
    if op == "read":
        return attempt(lambda: open(req["path"]).read())
    return None
"""


def service(**kw: object) -> SandboxedService:
    policy = kw.pop("policy", SandboxPolicy(memory_mb=1024, cpu_seconds=3600))
    assert isinstance(policy, SandboxPolicy)
    return SandboxedService(BOOT, policy, boot_frames=[b"hello"], **kw)  # type: ignore[arg-type]


@pytest.fixture
def listener():  # type: ignore[no-untyped-def]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    yield srv
    srv.close()


@needs_bwrap
def test_round_trip_and_boot_frames() -> None:
    with service() as svc:
        ready = svc.start()
        assert ready["greeting"] == "hello" and ready["pid"] < 100  # a private pid namespace
        assert svc.backend.startswith("bwrap+seccomp")
        value = {"text": "héllo" * 1000, "n": [1, 2.5, None]}
        for _ in range(3):
            assert svc.call({"op": "echo", "value": value}) == value
        with pytest.raises(ServiceCallError, match="ValueError: not this one") as err:
            svc.call({"op": "raise"})
        assert err.value.kind == "ValueError"
        assert svc.call({"op": "echo", "value": 1}) == 1 and svc.starts == 1  # still the same


@needs_bwrap
def test_worker_has_no_network_exec_or_outside_files(
    tmp_path: Path, listener: socket.socket
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242")
    reqs = [{"op": "connect", "port": listener.getsockname()[1]}, {"op": "exec"},
            {"op": "read", "path": str(secret)}]  # fmt: skip
    with service() as svc:
        got = [svc.call(r) for r in reqs]
    assert [g["ok"] for g in got] == [False, False, False], got
    assert "PermissionError" in got[1]["error"] and "TOPSECRET" not in repr(got)
    # control: the read works without bubblewrap and Landlock (the no-exec, no-socket seccomp
    # filter stays even then, and has its own test in test_layers)
    policy = SandboxPolicy(memory_mb=1024, cpu_seconds=3600, allow_unsandboxed=True,
                           landlock=False)  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runner, "bwrap_path", lambda: None)
        with service(policy=policy) as plain:
            assert plain.call(reqs[2]) == {"ok": True, "value": repr("TOPSECRET-4242")}
            assert plain.backend == "none"


@needs_bwrap
def test_hang_hits_the_call_timeout_and_the_next_call_restarts() -> None:
    with service(call_timeout_s=30) as svc:
        svc.start()
        with pytest.raises(ServiceTimeout, match=r"no answer within 0\.5s; worker killed"):
            svc.call({"op": "sleep", "seconds": 60}, timeout_s=0.5)
        assert svc.call({"op": "echo", "value": "again"}) == "again"
        assert svc.starts == 2


@needs_bwrap
def test_death_mid_call_is_a_clear_error_then_restart() -> None:
    with service() as svc:
        with pytest.raises(ServiceError, match=r"worker died \(exit status 7\)"):
            svc.call({"op": "exit"})
        assert svc.call({"op": "echo", "value": 2}) == 2
        assert svc.starts == 2


@needs_bwrap
def test_out_of_memory_death_names_the_limit() -> None:
    from airlock.sandbox import cgroup

    if cgroup.memory_parent_dir() is None:
        pytest.skip("no writable memory cgroup here")
    with service(policy=SandboxPolicy(memory_mb=256, cpu_seconds=3600)) as svc:
        with pytest.raises(ServiceError, match=r"worker died \(ran out of memory: over the 256 MB"):
            svc.call({"op": "fill"}, timeout_s=60)
        assert svc.call({"op": "echo", "value": 4}) == 4


@needs_bwrap
def test_oversized_answer_is_refused_and_the_worker_replaced() -> None:
    with service(max_response=4096) as svc:
        assert len(svc.call({"op": "big", "size": 4000})) == 4000
        with pytest.raises(ServiceError, match="exceeds 4096; worker killed"):
            svc.call({"op": "big", "size": 5000})
        assert svc.call({"op": "echo", "value": 3}) == 3
        assert svc.starts == 2


@needs_bwrap
@pytest.mark.parametrize("frame", [
    '{"ok": true, "result": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"ok": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"ok": false, "type": "X", "error": ' + "[" * 100_000 + "]" * 100_000 + "}",
])  # fmt: skip
def test_answer_too_deep_to_parse_is_refused_and_the_worker_replaced(frame: str) -> None:
    """rt19run: a JSON answer nested past the parser's recursion limit raised RecursionError
    out of ``call`` (not a ServiceError) and the worker that sent it stayed in service."""
    with service() as svc:
        with pytest.raises(ServiceError, match="malformed answer; worker killed"):
            svc.call({"op": "raw", "frame": frame})
        assert svc.call({"op": "echo", "value": 3}) == 3
        assert svc.starts == 2


@needs_bwrap
def test_oversized_request_is_refused_before_sending() -> None:
    with service(max_request=1000) as svc:
        with pytest.raises(ServiceError, match="exceeds 1000"):
            svc.call({"op": "echo", "value": "y" * 2000})
        assert svc.starts == 0


@needs_bwrap
def test_boot_failure_is_reported() -> None:
    bad = SandboxedService("raise RuntimeError('no model here')", SandboxPolicy(memory_mb=1024))
    with bad, pytest.raises(ServiceCallError, match="RuntimeError: no model here"):
        bad.start()


@needs_bwrap
def test_close_kills_the_worker() -> None:
    svc = service()
    svc.start()
    proc = svc._box[0].proc
    svc.close()
    assert proc.poll() is not None
    with pytest.raises(ServiceError, match="closed"):
        svc.call({"op": "echo", "value": 1})


def test_fails_closed_without_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "bwrap_path", lambda: None)
    with service() as svc, pytest.raises(SandboxUnavailable, match="allow-unsandboxed"):
        svc.start()
    policy = SandboxPolicy(memory_mb=1024, allow_unsandboxed=True)
    with service(policy=policy) as plain:
        assert plain.call({"op": "echo", "value": "plain"}) == "plain"
        assert plain.backend == "none"
