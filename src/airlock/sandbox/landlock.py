"""Landlock (unprivileged filesystem and TCP access control) via raw syscalls.

Applied inside sandboxed Python workers as a second wall behind bubblewrap's mount namespace:
even a path that is visible can only be read (or written) if it was explicitly allowed.
"""

from __future__ import annotations

import ctypes
import os
import platform
from collections.abc import Iterable
from pathlib import Path

from airlock.errors import AirlockError

_NR = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
_VERSION_FLAG = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_V1 = (1 << 13) - 1
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | _TRUNCATE | _IOCTL_DEV
_CONNECT_TCP = 1 << 1
_NET_ALL = (1 << 0) | _CONNECT_TCP
_RULE_NET_PORT = 2
_SCOPE_ALL = (1 << 0) | (1 << 1)


class LandlockError(AirlockError):
    """The kernel does not offer Landlock or refused the ruleset."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _NetPort(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def abi_version() -> int:
    """Landlock ABI version (0 when unsupported or disabled)."""
    nrs = _NR.get(platform.machine())
    if nrs is None:
        return 0
    v = int(_libc().syscall(nrs[0], None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION_FLAG)))
    return max(v, 0)


def _fs_mask(abi: int) -> int:
    mask = _FS_V1
    if abi >= 2:
        mask |= _REFER
    if abi >= 3:
        mask |= _TRUNCATE
    if abi >= 5:
        mask |= _IOCTL_DEV
    return mask


def restrict(
    read_only: Iterable[Path],
    read_write: Iterable[Path],
    *,
    deny_tcp: bool = True,
    deny_connect_ports: Iterable[int] = (),
) -> int:
    """Confine the calling process (and children) to these paths; deny TCP (or, without
    ``deny_tcp``, TCP connect() to ``deny_connect_ports``: ABI >= 4 only); returns the ABI."""
    abi = abi_version()
    nrs = _NR.get(platform.machine())
    if abi < 1 or nrs is None:
        raise LandlockError("Landlock is not available in this kernel")
    libc = _libc()
    fs = _fs_mask(abi)
    skip = set(deny_connect_ports)
    net = 0
    if abi >= 4:
        net = _NET_ALL if deny_tcp else (_CONNECT_TCP if skip else 0)
    attr = _RulesetAttr(fs, net, _SCOPE_ALL if abi >= 6 else 0)
    size = 24 if abi >= 6 else (16 if abi >= 4 else 8)
    rfd = int(libc.syscall(nrs[0], ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)))
    if rfd < 0:
        raise LandlockError(f"landlock_create_ruleset: {os.strerror(ctypes.get_errno())}")
    try:
        ro = EXECUTE | READ_FILE | READ_DIR
        for paths, access in ((read_only, ro), (read_write, fs)):
            for p in paths:
                _add_path(libc, nrs[1], rfd, Path(p), access & fs)
        if net == _CONNECT_TCP:  # an allow-list: every port but the denied ones
            _allow_ports(libc, nrs[1], rfd, skip)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise LandlockError("prctl(PR_SET_NO_NEW_PRIVS) failed")
        if int(libc.syscall(nrs[2], rfd, ctypes.c_uint32(0))) != 0:
            raise LandlockError(f"landlock_restrict_self: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(rfd)
    return abi


def _allow_ports(libc: ctypes.CDLL, nr: int, rfd: int, skip: set[int]) -> None:
    rule = _NetPort(_CONNECT_TCP, 0)
    ref, flags, call = ctypes.byref(rule), ctypes.c_uint32(0), libc.syscall
    for port in range(1, 1 << 16):
        if port in skip:
            continue
        rule.port = port
        if call(nr, rfd, _RULE_NET_PORT, ref, flags) != 0:
            err = os.strerror(ctypes.get_errno())
            raise LandlockError(f"landlock_add_rule(port {port}): {err}")


def _add_path(libc: ctypes.CDLL, nr: int, rfd: int, path: Path, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # absent paths simply stay inaccessible
    try:
        if not path.is_dir():
            access &= _FILE_ONLY
        rule = _PathBeneath(access, fd)
        rc = int(libc.syscall(nr, rfd, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)))
        if rc != 0:
            raise LandlockError(f"landlock_add_rule({path}): {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)
