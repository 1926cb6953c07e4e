"""Python inside the sandbox: the caller's code runs only after the worker has locked itself
down further (seccomp without execve or sockets, Landlock on the visible paths).

This is the library call Airlock features use when they must load a model (e.g. behavioural
trojan probes): pass the code that loads and probes, read its stdout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from airlock.errors import UsageError
from airlock.sandbox.launch import landlock_config, python_exe, python_paths
from airlock.sandbox.runner import SANDBOX_UID, SandboxPolicy, SandboxResult, run

MAX_CODE = 1 << 20

# Runs first inside the sandbox (with ``python -I -S``, so no site hooks or env influence it):
# the lockdown every sandboxed Python worker shares; what follows it is the worker's own job.
LOCKDOWN = r"""
import json, resource, sys
cfg = json.loads(sys.argv[1])
sys.path[:0] = cfg["paths"]
from airlock.sandbox.privs import drop_if_privileged
drop_if_privileged(cfg["uid"])  # a root caller's sandbox: become the unprivileged uid first
resource.setrlimit(resource.RLIMIT_NPROC, (cfg["nproc"], cfg["nproc"]))
from airlock.sandbox import seccomp, landlock
from pathlib import Path
if cfg["landlock"] and landlock.abi_version() >= 1:
    landlock.restrict([Path(p) for p in cfg["ro"]], [Path(p) for p in cfg["rw"]],
                      deny_tcp=not cfg["net"], deny_connect_ports=cfg["host_ports"])
deny = [*seccomp.ALWAYS_DENY, *seccomp.EXEC, *([] if cfg["net"] else seccomp.NETWORK)]
with seccomp.Filter(deny, deny_inet_sockets=not cfg["net"]) as f:
    f.load()
sys.argv = ["<sandboxed>"] + cfg["args"]
"""

_RUN_STDIN = r"""
code = sys.stdin.read()
g = {"__name__": "__main__"}
exec(compile(code, "<sandboxed>", "exec"), g)
"""


def python_command(
    body: str, policy: SandboxPolicy, cfg: dict[str, Any] | None = None, *, landlock: bool = True
) -> tuple[list[str], tuple[Path, ...]]:
    """``(cmd, extra read-only binds)`` for a Python worker that locks itself down (Landlock,
    seccomp without execve or sockets) and then runs ``body``; ``cfg`` reaches it as ``cfg``."""
    dirs, _ = python_paths()
    full = landlock_config(policy.ro_paths, policy.rw_paths, policy.allow_net)
    full.update({"landlock": landlock and policy.landlock, "args": [], "uid": SANDBOX_UID,
                 "nproc": policy.max_procs, **(cfg or {})})  # fmt: skip
    return [python_exe(), "-I", "-S", "-c", LOCKDOWN + body, json.dumps(full)], tuple(dirs)


def run_python(
    code: str, policy: SandboxPolicy, args: list[str] | None = None, *, landlock: bool = True
) -> SandboxResult:
    """Run Python ``code`` (read from stdin by the worker) under the sandbox ``policy``."""
    if len(code) > MAX_CODE:
        raise UsageError("sandboxed code is too large")
    cmd, extra = python_command(_RUN_STDIN, policy, {"args": args or []}, landlock=landlock)
    # the worker applies Landlock itself (together with its stricter seccomp filter)
    return run(
        cmd, policy, extra_ro=extra, stdin=code.encode(), wrap_landlock=False, drops_uid=True
    )
