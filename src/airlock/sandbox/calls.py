"""Call one of Airlock's own functions inside the sandbox: how features that must load a model
(trojan probes, leak tests, reference models and encoders for the data scan) keep hostile bytes
away from the calling process.

The callee is named by dotted path and must live in the ``airlock`` package: the worker imports
nothing else by name. Arguments travel as a JSON file in a private exchange folder (so that a
100,000-row dataset does not hit the argv limit); the callee returns JSON and may write ``.npy``
arrays into its output folder, which the parent reads back with ``allow_pickle=False``. Only the
exchange folder is writable; the models are bound read-only.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from airlock.errors import AirlockError
from airlock.sandbox.runner import SandboxPolicy, grant

MAX_RESULT_BYTES = 64 << 20
MAX_ARRAY_BYTES = 4 << 30
# Address space for the interpreter, torch and its thread pools, on top of the weights.
BASE_MEMORY_MB = 6144

_WORKER = r"""
import importlib, json, sys
from pathlib import Path

xchg = Path(sys.argv[1])
call = json.loads((xchg / "call.json").read_text())
import os
os.environ["OMP_NUM_THREADS"] = str(int(call["threads"]))  # read when torch is first imported
module, name = call["target"].rsplit(".", 1)
if module.split(".")[0] != "airlock":
    raise SystemExit("refusing a callee outside the airlock package")
fn = getattr(importlib.import_module(module), name)
from airlock.errors import AirlockError
try:
    result = fn(out_dir=xchg / "out", **call["args"])
except AirlockError as exc:  # an expected refusal: the caller re-raises it as itself
    result = {"__airlock_error__": {"type": type(exc).__name__, "message": str(exc)[:2000]}}
(xchg / "result.json").write_text(json.dumps(result))
"""


class IsolatedCallFailed(AirlockError):
    """The sandboxed call crashed, ran out of memory or time, or answered nonsense."""


def visible_paths(root: Path, limit: int = 10_000) -> set[Path]:
    """A model folder and, for Hugging Face cache snapshots, the folders its links reach
    (``blobs/``, also from links in subfolders such as ``1_Pooling/``); at most ``limit``
    entries are looked at.

    Only links into the folder itself or into the ``blobs/`` folder of the cache repository
    the snapshot belongs to are followed (rt27sbx): the folder is the model's, so its links are
    the attacker's, and a link ``notes.txt -> /root/.ssh/id_rsa`` bound the whole of
    ``/root/.ssh`` into the sandbox (its 0600 files staged readable for the sandbox's uid).
    Other links stay dangling inside."""
    paths = {root.resolve()}
    if not root.is_dir():
        return paths
    base = root.resolve()
    allowed = [base]
    repo = next((p.parent for p in base.parents if p.name == "snapshots"), None)
    if repo is not None and (repo / "blobs").is_dir() and not (repo / "blobs").is_symlink():
        allowed.append(repo / "blobs")
    seen = 0
    for folder, dirs, files in os.walk(root):  # does not descend into linked folders
        for name in (*dirs, *files):
            seen += 1
            entry = Path(folder) / name
            if entry.is_symlink():
                try:
                    target = entry.resolve()
                except (OSError, RuntimeError):
                    continue
                if not any(target.is_relative_to(a) for a in allowed):
                    continue
                paths.add(target if target.is_dir() else target.parent)
        if seen >= limit:
            break
    return paths


def weights_mb(root: Path) -> int:
    """Size of the weight files under ``root`` (safetensors), in MiB."""
    total = 0
    base = root.resolve()
    files = [base] if base.is_file() else base.rglob("*.safetensors")
    for p in files:
        try:
            total += p.stat().st_size
        except OSError:
            continue
    return total >> 20


def policy_for(
    models: Iterable[Path],
    *,
    wall_seconds: float = 1800.0,
    allow_unsandboxed: bool = False,
) -> SandboxPolicy:
    """Read-only binds of the model folders, no network, memory sized to the weights."""
    models = list(models)
    ro: set[Path] = set()
    for m in models:
        ro |= visible_paths(m)
    # half-precision weights double when read as float32, plus a copy while converting
    memory = BASE_MEMORY_MB + 4 * sum(weights_mb(m) for m in models)
    return SandboxPolicy(
        ro_paths=tuple(sorted(ro)),
        memory_mb=memory,
        cpu_seconds=int(wall_seconds * 2),
        wall_seconds=wall_seconds,
        file_size_mb=max(64, MAX_ARRAY_BYTES >> 20),
        allow_unsandboxed=allow_unsandboxed,
    )


def threads_for(models: Iterable[Path]) -> int:
    """Compute threads for a sandboxed model: one for small models, whose matrices are too
    small to split (thread hand-offs made a 2-layer probe 4-7x slower on two cores), the cores
    (at most 8) for large ones."""
    if sum(weights_mb(m) for m in models) < 256:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


@contextmanager
def isolated_call(
    target: str, args: dict[str, Any], policy: SandboxPolicy, threads: int = 1
) -> Iterator[tuple[Any, Path]]:
    """``with isolated_call(target, args, policy) as (result, out):`` runs
    ``target(out_dir=..., **args)`` in the sandbox with ``threads`` compute threads; ``out``
    holds the arrays it wrote until the block ends."""
    from airlock.sandbox.worker import run_python

    if not target.startswith("airlock."):
        raise ValueError("only airlock functions can be called in the sandbox")
    what = target.rsplit(".", 1)[-1].removesuffix("_entry")
    with tempfile.TemporaryDirectory(prefix="airlock-call-") as tmp:
        xchg = Path(tmp)
        (xchg / "out").mkdir()
        for d in (xchg, xchg / "out"):  # written by the sandbox (SANDBOX_UID for a root caller)
            grant(d)
        call = {"target": target, "args": args, "threads": max(1, int(threads))}
        (xchg / "call.json").write_text(json.dumps(call))
        # the exchange folder is host disk: bounded in total (sbx21), not only per file
        need = (MAX_ARRAY_BYTES + 2 * MAX_RESULT_BYTES) >> 20
        quota = max(policy.rw_quota_mb, need) if policy.rw_quota_mb else need
        pol = replace(policy, rw_paths=(*policy.rw_paths, xchg), rw_quota_mb=quota)
        res = run_python(_WORKER, pol, [str(xchg)])
        if res.over_quota:
            raise IsolatedCallFailed(
                f"sandboxed {what} wrote more than {quota} MB into its exchange folder"
            )
        if res.timed_out:
            limit = f"{pol.wall_seconds:.0f} s"
            raise IsolatedCallFailed(f"sandboxed {what} ran past its {limit} limit")
        if res.out_of_memory():
            hint = f"the limit is sized to the weights ({BASE_MEMORY_MB} MB + 4x their size)"
            raise IsolatedCallFailed(f"sandboxed {what} {res.oom_message(pol.memory_mb, hint)}")
        if res.returncode != 0:
            tail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise IsolatedCallFailed(
                f"sandboxed {what} failed (exit {res.returncode}): " + " | ".join(tail)[-400:]
            )
        result = read_result(xchg / "result.json", what)
        if isinstance(result, dict) and "__airlock_error__" in result:
            raise _reraised(result["__airlock_error__"])
        yield result, xchg / "out"


def read_result(path: Path, what: str) -> Any:
    """The callee's JSON answer. The folder was the sandbox's to write: a symlink there (to a
    host file the sandbox cannot see, say a credentials JSON) is refused, never followed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise ValueError("not a regular file")
            if st.st_size > MAX_RESULT_BYTES:
                raise IsolatedCallFailed(f"sandboxed {what} answered more than 64 MiB")
            return json.loads(f.read(MAX_RESULT_BYTES + 1))
    except (OSError, ValueError, RecursionError):  # nested past the parser's depth (rt27sbx)
        raise IsolatedCallFailed(f"sandboxed {what} answered no readable result") from None


def _reraised(err: Any) -> AirlockError:
    """The sandboxed callee's own refusal (usage, input, format, dependency) as the same class."""
    from airlock import errors

    known = {c.__name__: c for c in (errors.UsageError, errors.InputError,
                                     errors.FormatError, errors.DependencyError)}  # fmt: skip
    if not isinstance(err, dict):
        return IsolatedCallFailed("sandboxed call answered a malformed error")
    cls = known.get(str(err.get("type")), IsolatedCallFailed)
    return cls(str(err.get("message", ""))[:2000])


def read_array(out: Path, name: str) -> npt.NDArray[Any]:
    """An array the sandboxed callee saved as ``out/name.npy`` (never unpickled). The folder
    was the sandbox's to write: neither ``out`` nor the file may be a symlink, and the file must
    be a regular file (sbx21: a FIFO left there blocked this read forever, its writer gone)."""
    if not name.isidentifier():
        raise IsolatedCallFailed(f"sandboxed call wrote an unusable array name {name!r}")
    try:
        dfd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
            fd = os.open(f"{name}.npy", flags, dir_fd=dfd)
        finally:
            os.close(dfd)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise IsolatedCallFailed(f"sandboxed call wrote an array {name} that is no file")
            if st.st_size > MAX_ARRAY_BYTES:
                raise IsolatedCallFailed(f"sandboxed call wrote an array over 4 GiB ({name})")
            _check_header(f, st.st_size, name)
            arr: npt.NDArray[Any] = np.load(f, allow_pickle=False)
    except (OSError, ValueError, MemoryError) as exc:
        raise IsolatedCallFailed(
            f"sandboxed call wrote an unreadable array {name}: {exc}"
        ) from None
    return arr


def _check_header(f: Any, size: int, name: str) -> None:
    """Refuse an array whose header claims more data than the file holds (rt27sbx: a 200-byte
    file claiming 745 GiB was a MemoryError in the caller, not a clear refusal); rewinds."""
    fmt = np.lib.format
    try:
        major, _ = fmt.read_magic(f)
        read = fmt.read_array_header_1_0 if major == 1 else fmt.read_array_header_2_0
        shape, _, dtype = read(f)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise ValueError(f"bad header: {exc}") from None
    count = 1
    for n in shape:
        count *= int(n)
    if count * dtype.itemsize > size - f.tell():
        raise IsolatedCallFailed(f"sandboxed call wrote an array {name} whose header claims"
                                 " more data than its file holds")  # fmt: skip
    f.seek(0)
