"""Python inside the sandbox: the caller's code runs only after the worker has locked itself
down further (seccomp without execve or sockets, Landlock on the visible paths).

This is the library call Airlock features use when they must load a model (e.g. behavioural
trojan probes): pass the code that loads and probes, read its stdout.
"""

from __future__ import annotations

import json

from airlock.errors import UsageError
from airlock.sandbox.launch import landlock_config, python_exe, python_paths
from airlock.sandbox.runner import SandboxPolicy, SandboxResult, run

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


def run_python(
    code: str, policy: SandboxPolicy, args: list[str] | None = None, *, landlock: bool = True
) -> SandboxResult:
    """Run Python ``code`` (read from stdin by the worker) under the sandbox ``policy``."""
    if len(code) > MAX_CODE:
        raise UsageError("sandboxed code is too large")
    dirs, _ = python_paths()
    cfg = landlock_config(policy.ro_paths, policy.rw_paths, policy.allow_net)
    cfg.update(landlock=landlock and policy.landlock, args=args or [])
    cmd = [python_exe(), "-I", "-S", "-c", _BOOT, json.dumps(cfg)]
    # the worker applies Landlock itself (together with its stricter seccomp filter)
    return run(cmd, policy, extra_ro=tuple(dirs), stdin=code.encode(), wrap_landlock=False)
