"""Become the unprivileged sandbox uid from inside the sandbox (a root caller's sandbox only).

The first process inside starts as its user namespace's root, which is the host's root, with
just CAP_SETUID and CAP_SETPCAP (see :func:`airlock.sandbox.runner.sandboxed_argv`); before it
runs anything else it empties the capability bounding set, becomes ``uid`` (the kernel then
clears its permitted and effective capabilities) and clears the inheritable set, so nothing it
execs can get a capability back.
"""

from __future__ import annotations

import ctypes
import os

PR_CAPBSET_DROP = 24
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]  # fmt: skip


CAP_SETUID = 7


def drop_if_privileged(uid: int) -> None:
    """Become ``uid`` if this process was started in the runner's drop mode: a user namespace
    mapping exactly host 0 and ``uid``, holding CAP_SETUID. Otherwise it already runs as the
    caller (not root, or no sandbox at all: ``--allow-unsandboxed``; the runner refuses a root
    caller it cannot drop) and there is nothing to drop."""
    try:
        with open("/proc/self/uid_map") as f:
            rows = [line.split() for line in f]
        with open("/proc/self/status") as f:
            eff = next(int(x.split()[1], 16) for x in f if x.startswith("CapEff:"))
    except (OSError, StopIteration, ValueError):
        raise SystemExit("airlock sandbox: cannot read its uid map or capabilities") from None
    ours = sorted([["0", "0", "1"], [str(uid), str(uid), "1"]])
    if sorted(rows) == ours and eff >> CAP_SETUID & 1:
        become(uid)


def become(uid: int) -> None:
    """Drop to ``uid`` for good; raises SystemExit if any step fails (fail closed)."""
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        last = int(open("/proc/sys/kernel/cap_last_cap").read())
    except (OSError, ValueError):
        last = 63
    for cap in range(last + 1):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise SystemExit(f"airlock sandbox: cannot drop capability {cap} from the bounding set")
    os.setresuid(uid, uid, uid)
    header = _Header(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_Data * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise SystemExit("airlock sandbox: cannot clear the inheritable capabilities")
    if os.getresuid() != (uid, uid, uid) or _caps() != 0:
        raise SystemExit("airlock sandbox: could not become the unprivileged sandbox user")


def _caps() -> int:
    """Every capability set of this process OR'd together (0: none at all)."""
    total = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:")):
                total |= int(line.split()[1], 16)
    return total
