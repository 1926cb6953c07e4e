"""A long-lived sandboxed Python worker that answers requests: for hostile bytes that must stay
loaded (a guard's ONNX classifier), where starting a sandbox per request would cost too much.

The worker is started like :func:`airlock.sandbox.worker.run_python` (bubblewrap, seccomp, then
in-process Landlock and a stricter seccomp filter without execve or sockets, rlimits), runs the
caller's boot code (which may read further boot frames, e.g. model bytes, and must define
``handle(request) -> result``) and then serves requests over its stdin/stdout pipes. Frames are a
4-byte big-endian length and that many bytes (JSON for requests and answers); both sides bound
every length. Stray output (a ``print`` in the boot code, a C library writing to fd 1) goes to
stderr, never into the protocol.

The parent side, :class:`SandboxedService`, is thread-safe (one call at a time), bounds every call
with a timeout, kills the worker's whole process group on a timeout, a crash or a protocol
violation (reporting a clear error for that call) and starts a fresh worker on the next call.
Without a usable sandbox it refuses unless the policy allows running unsandboxed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import struct
import threading
import time
import weakref
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.errors import AirlockError, UsageError
from airlock.sandbox import landlock, runner, worker
from airlock.sandbox.runner import SandboxPolicy

_LEN = struct.Struct(">I")
MAX_FRAME = (1 << 32) - 1  # what the 4-byte length can say
DEFAULT_MAX_MESSAGE = 16 << 20
STDERR_TAIL = 4096
# A long-lived worker accumulates CPU time across requests: RLIMIT_CPU would eventually kill a
# healthy one mid-request, so per-call wall-clock timeouts bound it instead.
SERVICE_CPU_SECONDS = 1 << 30

# Runs after worker.LOCKDOWN (so after Landlock and the no-exec/no-socket seccomp filter).
_SERVE = r"""
import os, struct
_in, _out = os.dup(0), os.dup(1)
_null = os.open("/dev/null", os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
os.dup2(2, 1)  # stray prints (Python or C) go to stderr, never into the protocol

def _exact(n):
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(_in, min(n - len(buf), 1 << 20))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)

def recv_frame(limit=cfg["max_request"]):
    (n,) = struct.unpack(">I", _exact(4))
    if n > limit:
        raise SystemExit(f"airlock service: frame of {n} bytes exceeds {limit}")
    return _exact(n)

def send_frame(data):
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        view = view[os.write(_out, view):]

def _error(e):
    return {"ok": False, "type": type(e).__name__, "error": " ".join(str(e).split())[:2000]}

g = {"__name__": "__airlock_service__", "recv_frame": recv_frame, "BOOT_LIMIT": cfg["max_boot"]}
try:
    exec(compile(recv_frame(cfg["max_boot"]).decode(), "<service boot>", "exec"), g)
    handle = g["handle"]
    ready = json.dumps({"ok": True, "result": g.get("READY")}).encode()
except EOFError:
    raise SystemExit(0)
except Exception as e:
    send_frame(json.dumps(_error(e)).encode())
    raise SystemExit(1)
send_frame(ready)
while True:
    try:
        req = recv_frame()
    except EOFError:
        break
    try:
        res = json.dumps({"ok": True, "result": handle(json.loads(req))}).encode()
    except Exception as e:
        res = json.dumps(_error(e)).encode()
    send_frame(res)
"""


class ServiceError(AirlockError):
    """A call to the sandboxed worker failed (crash, protocol violation, oversized message); the
    worker has been killed and the next call starts a fresh one."""


class ServiceTimeout(ServiceError, TimeoutError):
    """The worker did not answer in time; it has been killed (a ``TimeoutError``, so callers
    that treat overruns as timeouts need no special case)."""


class ServiceCallError(ServiceError):
    """The worker's code raised: an ordinary error (bad input, a model it refuses), not a
    crash; the worker keeps running."""

    def __init__(self, name: str, kind: str, detail: str) -> None:
        super().__init__(f"{name}: {kind}: {detail}")
        self.kind = kind
        self.detail = detail


class _Died(Exception):
    pass


class _Expired(Exception):
    pass


@dataclass
class _Worker:
    proc: Any  # subprocess.Popen[bytes]
    backend: str
    tail: bytearray = field(default_factory=bytearray)
    drain: threading.Thread | None = None
    stopped: bool = False
    oom_kills: int | None = None  # what its memory cgroup counted (None: no memory cgroup)
    watch: runner.QuotaWatch | None = None  # its writable binds' total (policy.rw_quota_mb)

    def stop(self) -> int | None:
        """Kill the whole group and reap, once (a reaped pid may be reused); returns the exit
        status (negative: signal)."""
        if not self.stopped:
            self.stopped = True
            if self.watch is not None:
                self.watch.stop()
            self.oom_kills = runner.kill_group(self.proc.pid)
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        if self.drain is not None:
            self.drain.join(timeout=2)
        rc: int | None = self.proc.returncode
        return rc

    def stderr_tail(self) -> str:
        text = bytes(self.tail).decode("utf-8", "replace").strip()
        return " ".join(text.splitlines()[-3:])[-400:]


def _drain(stream: Any, tail: bytearray) -> None:
    """Keep the worker's stderr pipe empty (a full pipe would block it) and its last lines."""
    try:
        while chunk := stream.read1(65536):
            tail += chunk
            del tail[:-STDERR_TAIL]
    except (OSError, ValueError):
        pass


def _stop_all(box: list[_Worker]) -> None:
    while box:
        box.pop().stop()


def _await_exit(pid: int, seconds: float) -> None:
    """Wait for ``pid`` to exit without reaping it (so its group id stays ours to kill)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return
        except ChildProcessError:
            return
        time.sleep(0.01)


def _describe(rc: int | None) -> str:
    if rc is None:
        return "still running"
    if rc < 0 or rc > 128:
        sig = -rc if rc < 0 else rc - 128
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(sig).name}"
    return f"exit status {rc}"


def _wait(fd: int, event: int, deadline: float) -> None:
    """poll (not select: a busy guard may hold more than FD_SETSIZE descriptors)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Expired
    p = select.poll()
    p.register(fd, event)
    p.poll(max(1, int(left * 1000)))


def _write(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        _wait(fd, select.POLLOUT, deadline)
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            continue
        except BrokenPipeError:
            raise _Died from None


def _read(fd: int, n: int, deadline: float) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        _wait(fd, select.POLLIN, deadline)
        try:
            chunk = os.read(fd, min(n - len(buf), 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise _Died
        buf += chunk
    return bytes(buf)


def _grow_pipe(fd: int) -> None:
    """1 MiB pipes: fewer wake-ups for large frames (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


_SPAWN_LOCK = threading.Lock()
_SPAWNER: list[ThreadPoolExecutor] = []


def _spawner() -> ThreadPoolExecutor:
    """One long-lived thread starts every worker: bubblewrap's --die-with-parent (and
    PR_SET_PDEATHSIG in general) fires when the *thread* that forked it exits, and callers (the
    guard's scanner pool, a restart helper) may use short-lived threads."""
    with _SPAWN_LOCK:
        if not _SPAWNER:
            _SPAWNER.append(ThreadPoolExecutor(1, thread_name_prefix="airlock-service-spawn"))
        return _SPAWNER[0]


def _start(cmd: list[str], extra: tuple[Path, ...], policy: SandboxPolicy) -> tuple[Any, str]:
    with runner.sandboxed_argv(
        cmd, policy, extra_ro=extra, wrap_landlock=False, drops_uid=True
    ) as spec:
        argv, fd, backend = spec
        return runner.popen(argv, policy, fd, backend), backend


class SandboxedService:
    """Parent side of a persistent sandboxed worker; see the module docstring.

    ``boot_code`` runs once per worker start with ``recv_frame(limit)`` and ``BOOT_LIMIT`` in its
    globals; it must define ``handle(request) -> result`` (JSON values) and may set ``READY``
    (returned by :meth:`start`). ``boot_frames`` are sent after it, for the boot code to read;
    they are kept to boot replacement workers.
    """

    def __init__(
        self,
        boot_code: str,
        policy: SandboxPolicy,
        *,
        boot_frames: Sequence[bytes] = (),
        name: str = "sandboxed service",
        call_timeout_s: float = 10.0,
        boot_timeout_s: float = 120.0,
        max_request: int = DEFAULT_MAX_MESSAGE,
        max_response: int = DEFAULT_MAX_MESSAGE,
        max_boot: int = MAX_FRAME,
    ) -> None:
        if not 0 < max_request <= MAX_FRAME or not 0 < max_response <= MAX_FRAME:
            raise UsageError(f"message limits must be 1..{MAX_FRAME} bytes")
        frames = [boot_code.encode(), *boot_frames]
        if any(len(f) > max_boot for f in frames) or max_boot > MAX_FRAME:
            raise UsageError(f"{name}: boot frame larger than {min(max_boot, MAX_FRAME)} bytes")
        self.name = name
        self.policy = policy
        self.call_timeout_s = call_timeout_s
        self.boot_timeout_s = boot_timeout_s
        self.max_request = max_request
        self.max_response = max_response
        self.max_boot = max_boot
        self.ready: Any = None
        self.starts = 0
        self._frames = frames
        self._lock = threading.Lock()
        self._box: list[_Worker] = []
        self._closed = False
        # kills the worker when this object is collected or the interpreter exits
        self._finalizer = weakref.finalize(self, _stop_all, self._box)

    @property
    def backend(self) -> str:
        """``bwrap+seccomp(+landlock)`` or ``none`` (only with ``allow_unsandboxed``)."""
        return self._box[0].backend if self._box else ""

    def start(self) -> Any:
        """Start the worker now (rather than on the first call); returns its ``READY`` value."""
        with self._lock:
            self._ensure()
            return self.ready

    def call(self, request: Any, timeout_s: float | None = None) -> Any:
        """Send one request and return the worker's result; raises :class:`ServiceTimeout`,
        :class:`ServiceError` (worker killed, restarted on the next call) or
        :class:`ServiceCallError` (the handler raised)."""
        body = json.dumps(request).encode()
        if len(body) > self.max_request:
            raise ServiceError(f"{self.name}: request of {len(body)} bytes exceeds"
                               f" {self.max_request}")  # fmt: skip
        limit = self.call_timeout_s if timeout_s is None else timeout_s
        if not self._lock.acquire(timeout=max(limit, 0.001)):
            raise ServiceTimeout(f"{self.name}: worker busy for {limit:g}s (starting, or"
                                 " answering another call)")  # fmt: skip
        try:
            w = self._ensure()
            try:
                raw = self._exchange(w, [body], time.monotonic() + limit, f"within {limit:g}s")
                return self._result(raw)
            except ServiceCallError:
                raise
            except ServiceError:
                self._warm_in_background()
                raise
        finally:
            self._lock.release()

    def _warm_in_background(self) -> None:
        """Start the replacement now, so the next request does not pay for booting it."""

        def warm() -> None:
            with self._lock, contextlib.suppress(Exception):  # errors resurface on the next call
                if not self._closed:
                    self._ensure()

        threading.Thread(target=warm, daemon=True, name="airlock-service-restart").start()

    def reset(self) -> None:
        """Kill the worker (e.g. after it answered nonsense); the next call starts a fresh one."""
        with self._lock:
            _stop_all(self._box)

    def close(self) -> None:
        """Stop the worker (also done at interpreter exit and when this object is collected)."""
        with self._lock:
            self._closed = True
            _stop_all(self._box)

    def __enter__(self) -> SandboxedService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure(self) -> _Worker:
        if self._closed:
            raise ServiceError(f"{self.name}: closed")
        if self._box and self._box[0].proc.poll() is None:
            return self._box[0]
        _stop_all(self._box)  # died between calls: reap it and start afresh
        cfg = {"max_request": self.max_request, "max_boot": self.max_boot}
        cmd, extra = worker.python_command(_SERVE, self.policy, cfg)
        watch = runner.QuotaWatch.of(self.policy)
        proc, backend = _spawner().submit(_start, cmd, extra, self.policy).result()
        if watch is not None:
            watch.start(proc)
        if backend != "none" and self.policy.landlock and landlock.abi_version() >= 1:
            backend += "+landlock"  # applied by the worker itself, with its stricter seccomp
        w = _Worker(proc, backend, watch=watch)
        w.drain = threading.Thread(target=_drain, args=(proc.stderr, w.tail), daemon=True,
                                   name=f"airlock-service-stderr-{proc.pid}")  # fmt: skip
        w.drain.start()
        for stream in (proc.stdin, proc.stdout):
            _grow_pipe(stream.fileno())
            os.set_blocking(stream.fileno(), False)
        self._box.append(w)
        self.starts += 1
        deadline = time.monotonic() + self.boot_timeout_s
        raw = self._exchange(w, self._frames, deadline, f"started within {self.boot_timeout_s:g}s")
        try:
            self.ready = self._result(raw)
        except ServiceCallError:
            _stop_all(self._box)
            raise
        return w

    def _exchange(self, w: _Worker, frames: list[bytes], deadline: float, within: str) -> bytes:
        """Write ``frames``, read one answer; any failure kills the worker."""
        try:
            wfd, rfd = w.proc.stdin.fileno(), w.proc.stdout.fileno()
            for f in frames:  # header and body apart: no copy of a multi-GB model
                _write(wfd, _LEN.pack(len(f)), deadline)
                _write(wfd, f, deadline)
            (n,) = _LEN.unpack(_read(rfd, _LEN.size, deadline))
            if n > self.max_response:
                _stop_all(self._box)
                raise ServiceError(f"{self.name}: answer of {n} bytes exceeds {self.max_response};"
                                   " worker killed")  # fmt: skip
            return _read(rfd, n, deadline)
        except _Expired:
            _stop_all(self._box)
            raise ServiceTimeout(f"{self.name}: no answer {within}; worker killed (a fresh"
                                 " one starts on the next call)") from None  # fmt: skip
        except _Died:
            _await_exit(w.proc.pid, 1.0)  # report its own exit status, not our SIGKILL
            rc = w.stop()
            _stop_all(self._box)  # the same worker: stop() is idempotent
            tail = w.stderr_tail()
            why = _describe(rc)
            if w.oom_kills:
                why = f"ran out of memory: over the {self.policy.memory_mb} MB limit, {why}"
            if w.watch is not None and w.watch.over:
                mb = self.policy.rw_quota_mb
                why = f"wrote more than {mb} MB into its writable binds, {why}"
            raise ServiceError(f"{self.name}: worker died ({why})"
                               f"{'; stderr: ' + tail if tail else ''}") from None  # fmt: skip

    def _result(self, raw: bytes) -> Any:
        # the worker may be compromised: an answer nested past the parser's limit
        # (RecursionError), or an error whose fields are not the strings _SERVE writes, is
        # malformed like any other
        try:
            msg = json.loads(raw)
            ok = msg["ok"]
            if ok is not True:
                kind, error = msg.get("type", "Error"), msg.get("error")
                if not isinstance(kind, str) or not isinstance(error, str):
                    raise TypeError
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            _stop_all(self._box)
            raise ServiceError(f"{self.name}: malformed answer; worker killed") from None
        if ok is True:
            return msg.get("result")
        raise ServiceCallError(self.name, kind, error)
