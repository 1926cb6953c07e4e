"""Python inside the sandbox: the caller's code runs only after the worker has locked itself
down further (seccomp without execve or sockets, Landlock on the visible paths).

This is the library call Airlock features use when they must load a model (e.g. behavioural
trojan probes): pass the code that loads and probes, read its stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from airlock.errors import UsageError
from airlock.sandbox.runner import SANDBOX_TMP, SandboxPolicy, SandboxResult, run

MAX_CODE = 1 << 20

# Runs first inside the sandbox (with ``python -I -S``, so no site hooks or env influence it).
_BOOT = r"""
import json, sys
cfg = json.loads(sys.argv[1])
sys.path[:0] = cfg["paths"]
from airlock.sandbox import seccomp, landlock
from pathlib import Path
if cfg["landlock"] and landlock.abi_version() >= 1:
    landlock.restrict([Path(p) for p in cfg["ro"]], [Path(p) for p in cfg["rw"]],
                      deny_tcp=not cfg["net"])
deny = [*seccomp.ALWAYS_DENY, *seccomp.EXEC, *([] if cfg["net"] else seccomp.NETWORK)]
with seccomp.Filter(deny, deny_inet_sockets=not cfg["net"]) as f:
    f.load()
sys.argv = ["<sandboxed>"] + cfg["args"]
code = sys.stdin.read()
g = {"__name__": "__main__"}
exec(compile(code, "<sandboxed>", "exec"), g)
"""


def python_paths() -> tuple[list[Path], list[str]]:
    """Directories the interpreter needs visible, and the sys.path entries to restore.

    Only the interpreter's prefixes and the directory holding the ``airlock`` package are
    exposed; other sys.path entries (the current directory, PYTHONPATH) stay hidden unless the
    caller binds them explicitly.
    """
    import airlock

    pkg_root = Path(airlock.__file__).resolve().parent.parent
    exe = Path(sys.executable).resolve()
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), exe.parent, pkg_root}
    keep: list[Path] = []
    for d in sorted(roots, key=lambda p: len(p.parts)):
        if not any(d.is_relative_to(o) for o in keep):
            keep.append(d)
    entries: list[str] = []
    for p in sys.path:
        if not p:
            continue
        rp = Path(p).resolve()
        if rp.is_dir() and any(rp.is_relative_to(k) for k in keep) and str(rp) not in entries:
            entries.append(str(rp))
    if str(pkg_root) not in entries:
        entries.append(str(pkg_root))
    return keep, entries


def run_python(
    code: str, policy: SandboxPolicy, args: list[str] | None = None, *, landlock: bool = True
) -> SandboxResult:
    """Run Python ``code`` (read from stdin by the worker) under the sandbox ``policy``."""
    if len(code) > MAX_CODE:
        raise UsageError("sandboxed code is too large")
    dirs, sys_paths = python_paths()
    system = ["/usr", "/lib", "/lib64", "/bin", "/etc", "/proc", "/dev"]
    ro = [*system, *(str(d) for d in dirs), *(str(p.resolve()) for p in policy.ro_paths)]
    rw = [SANDBOX_TMP, *(str(p.resolve()) for p in policy.rw_paths)]
    cfg = {"paths": sys_paths, "ro": ro, "rw": rw, "net": policy.allow_net,
           "landlock": landlock, "args": args or []}  # fmt: skip
    exe = str(Path(sys.executable).resolve())
    cmd = [exe, "-I", "-S", "-c", _BOOT, json.dumps(cfg)]
    return run(cmd, policy, extra_ro=tuple(dirs), stdin=code.encode())
