"""The oracle: the real victim loaders, run on each generated file inside Airlock's sandbox
(bubblewrap + seccomp + Landlock, rlimits), in one long-lived child that handles many files.

The child may start processes (``os.system`` payloads need ``execve``), but sees only the
system, the interpreter and one scratch folder (read-write): the inputs, the marker folder and
the extraction folders all live there. A loader "executed the payload" when the marker file the
payload creates exists after the loader returned or failed. Each load runs under an interval
timer; a file whose loaders hang or kill the child is reported as such, and the child restarts.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from airlock.sandbox import runner
from airlock.sandbox.launch import python_exe, python_paths
from airlock.sandbox.runner import SandboxPolicy

LOADERS = ("pickle.load", "pickle._Unpickler", "torch.load", "torch.load(weights_only)",
           "np.load(allow_pickle)", "joblib.load", "pandas.read_pickle", "tarfile.extractall",
           "tar -x", "zipfile.extractall")  # fmt: skip

_CHILD = r"""
import gc, io, json, os, shutil, signal, subprocess, sys, tarfile, time, warnings, zipfile
sys.path[:0] = json.loads(sys.argv[1])
warnings.simplefilter("ignore")
proto_out = os.fdopen(os.dup(1), "w")
proto_in = os.fdopen(os.dup(0), "r")
null = os.open("/dev/null", os.O_RDWR)
os.dup2(null, 0); os.dup2(null, 1); os.dup2(null, 2)
import pickle
import numpy as np
import torch, joblib, pandas
gc.freeze()
torch.set_num_threads(1)
PER_LOAD = float(sys.argv[2])

class Hung(BaseException):
    pass

def _alarm(signum, frame):
    raise Hung()

signal.signal(signal.SIGALRM, _alarm)

def l_pickle(p, ctx):
    with open(p, "rb") as f:
        return pickle.load(f)

def l_pypickle(p, ctx):
    with open(p, "rb") as f:
        return pickle._Unpickler(f).load()

def l_torch(p, ctx):
    return torch.load(p, weights_only=False, map_location="cpu")

def l_torch_wo(p, ctx):
    return torch.load(p, weights_only=True, map_location="cpu")

def l_numpy(p, ctx):
    r = np.load(p, allow_pickle=True)
    if isinstance(r, np.lib.npyio.NpzFile):
        with r:
            return [r[k] for k in r.files]
    return r

def l_joblib(p, ctx):
    return joblib.load(p)

def l_pandas(p, ctx):
    return pandas.read_pickle(p)

FILE_LOADERS = {"pickle.load": l_pickle, "pickle._Unpickler": l_pypickle, "torch.load": l_torch,
    "torch.load(weights_only)": l_torch_wo, "np.load(allow_pickle)": l_numpy,
    "joblib.load": l_joblib, "pandas.read_pickle": l_pandas}

def _load_tree(d, ctx, depth):
    # what a user does next: load every extracted file with every loader, open nested archives
    for root, dirs, files in os.walk(d):
        for name in files:
            q = os.path.join(root, name)
            if os.path.islink(q) or not os.path.isfile(q):
                continue
            for fn in FILE_LOADERS.values():
                try:
                    fn(q, ctx)
                except BaseException as e:
                    if isinstance(e, Hung):
                        raise
                if ctx["stop_first"] and ctx["m"] and os.path.lexists(ctx["m"]):
                    return  # the payload ran: nothing more to learn from this file
            if depth < 2:
                _extract_any(q, ctx, depth + 1)

def _dest(ctx):
    ctx["n"] += 1
    d = os.path.join(ctx["scratch"], "x", f"{ctx['i']}_{ctx['n']}", "d")
    os.makedirs(d)
    return d

def _extract_any(p, ctx, depth):
    if tarfile.is_tarfile(p):
        d = _dest(ctx)
        with tarfile.open(p) as t:
            t.extractall(d, filter="fully_trusted")
        _load_tree(d, ctx, depth)
    elif zipfile.is_zipfile(p):
        d = _dest(ctx)
        with zipfile.ZipFile(p) as z:
            z.extractall(d)
        _load_tree(d, ctx, depth)

def l_tarfile(p, ctx):
    if not tarfile.is_tarfile(p):
        raise ValueError("not a tar")
    d = _dest(ctx)
    with tarfile.open(p) as t:
        t.extractall(d, filter="fully_trusted")
    _load_tree(d, ctx, 1)

def l_gnutar(p, ctx):
    if not tarfile.is_tarfile(p):
        raise ValueError("not a tar")
    d = _dest(ctx)
    subprocess.run(["tar", "-xf", p, "-C", d], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=PER_LOAD, check=True)
    _load_tree(d, ctx, 1)

def l_zipfile(p, ctx):
    if not zipfile.is_zipfile(p):
        raise ValueError("not a zip")
    d = _dest(ctx)
    with zipfile.ZipFile(p) as z:
        z.extractall(d)
    _load_tree(d, ctx, 1)

ARCHIVE_LOADERS = {"tarfile.extractall": l_tarfile, "tar -x": l_gnutar,
                   "zipfile.extractall": l_zipfile}
LOADERS = {**FILE_LOADERS, **ARCHIVE_LOADERS}

def _clear(m):
    if os.path.isdir(m) and not os.path.islink(m):
        shutil.rmtree(m, ignore_errors=True)
    elif os.path.lexists(m):
        os.unlink(m)

for line in proto_in:
    req = json.loads(line)
    t_req = time.perf_counter()
    m = req["marker"]
    ctx = {"scratch": req["scratch"], "i": req["i"], "n": 0, "m": m,
           "stop_first": req.get("stop_first", False)}
    fired, loaded, errors, times = [], [], {}, {}
    for name in req["loaders"]:
        fn = LOADERS[name]
        t0 = time.perf_counter()
        try:
            # re-fires every 0.1 s: a loader that swallows the first Hung gets another
            budget = PER_LOAD * (8 if name in ARCHIVE_LOADERS else 1)  # they load each member
            signal.setitimer(signal.ITIMER_REAL, budget, 0.1)
            try:
                fn(req["path"], ctx)
                loaded.append(name)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except Hung:
            errors[name] = "timeout"
        except BaseException as e:
            errors[name] = type(e).__name__
        times[name] = round(time.perf_counter() - t0, 4)
        if m and os.path.lexists(m):
            fired.append(name)
            _clear(m)
            if ctx["stop_first"]:
                break
    times["(loaders)"] = round(time.perf_counter() - t_req, 4)
    shutil.rmtree(os.path.join(ctx["scratch"], "x"), ignore_errors=True)
    times["(all)"] = round(time.perf_counter() - t_req, 4)
    if req["i"] % 500 == 0:
        gc.collect()  # payload file objects hold descriptors; a full collection costs ~0.1 s
    proto_out.write(json.dumps({"i": req["i"], "fired": fired, "loaded": loaded,
                                "errors": errors, "times": times}) + "\n")
    proto_out.flush()
"""


@dataclass
class Outcome:
    """What the loaders did with one file."""

    fired: list[str] = field(default_factory=list)  # loaders that ran the payload
    loaded: list[str] = field(default_factory=list)  # loaders that returned normally
    errors: dict[str, str] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)  # seconds per loader
    crashed: bool = False  # the child died or hung on this file


class Oracle:
    """A long-lived sandboxed child running the victim loaders; use as a context manager.

    ``scratch`` is the only writable folder inside the sandbox; inputs must be placed under
    ``scratch / "in"`` and markers under ``scratch / "m"``.
    """

    def __init__(self, scratch: Path, *, per_load_s: float = 0.5, file_timeout_s: float = 90.0,
                 restart_every: int = 3000) -> None:  # fmt: skip
        self.scratch = scratch.resolve()
        for sub in ("in", "m", "x"):
            (self.scratch / sub).mkdir(parents=True, exist_ok=True)
            runner.grant(self.scratch / sub)  # the victim loaders write here
        runner.grant(self.scratch)
        self.per_load_s, self.file_timeout_s = per_load_s, file_timeout_s
        self.restart_every = restart_every
        self.policy = SandboxPolicy(
            rw_paths=(self.scratch,), memory_mb=8192, cpu_seconds=1 << 20,
            wall_seconds=1e9, file_size_mb=512, open_files=4096,
        )  # fmt: skip
        self._proc: Any = None
        self._served = 0
        self.restarts = 0
        self.backend = ""

    def __enter__(self) -> Oracle:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _start(self) -> None:
        dirs, entries = python_paths()
        cmd = [python_exe(), "-I", "-S", "-c", _CHILD, json.dumps(entries), str(self.per_load_s)]
        for attempt in range(5):  # a busy machine can refuse a fork for a moment (EAGAIN)
            try:
                with runner.sandboxed_argv(cmd, self.policy, extra_ro=tuple(dirs)) as spec:
                    argv, fd, backend = spec
                    self._proc = runner.popen(argv, self.policy, fd, backend)
                break
            except (OSError, subprocess.SubprocessError):
                if attempt == 4:
                    raise
                time.sleep(1 + attempt)
        self.backend = backend
        self._proc.stderr.close()
        self._served = 0

    def close(self) -> None:
        if self._proc is not None:
            runner.kill_group(self._proc.pid)
            self._proc.wait()
            for s in (self._proc.stdin, self._proc.stdout):
                try:
                    s.close()
                except OSError:
                    pass
            self._proc = None

    def run(
        self,
        path: Path,
        marker: str | None,
        loaders: tuple[str, ...] = LOADERS,
        *,
        stop_first: bool = False,
    ) -> Outcome:
        """Load ``path`` with each loader; which of them created ``marker``. With
        ``stop_first`` the loaders stop at the first that ran the payload (campaign speed)."""
        if self._proc is None or self._served >= self.restart_every:
            self.close()
            self._start()
        self._served += 1
        req = {"i": self._served, "path": str(path), "marker": marker, "loaders": list(loaders),
               "scratch": str(self.scratch), "stop_first": stop_first}  # fmt: skip
        proc = self._proc
        try:
            proc.stdin.write(json.dumps(req).encode() + b"\n")
            proc.stdin.flush()
            line = _readline(proc.stdout, self.file_timeout_s)
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            # hung or died on this file: whatever the marker says, and start afresh
            fired = [] if marker is None or not os.path.lexists(marker) else ["(crashed child)"]
            self.close()
            self.restarts += 1
            _clear(marker)
            shutil.rmtree(self.scratch / "x", ignore_errors=True)
            return Outcome(fired=fired, crashed=True)
        res = json.loads(line)
        return Outcome(res["fired"], res["loaded"], res["errors"], res["times"])


def _clear(marker: str | None) -> None:
    if marker is None:
        return
    p = Path(marker)
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    elif os.path.lexists(p):
        p.unlink()


def _readline(stream: IO[bytes], timeout: float) -> bytes | None:
    """One line from the child within ``timeout`` seconds (None on timeout or EOF)."""
    deadline = time.monotonic() + timeout
    fd = stream.fileno()
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None
        buf += chunk
    return buf
