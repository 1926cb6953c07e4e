"""seccomp filters through the system libseccomp (ctypes), exported as BPF for bubblewrap's
``--seccomp FD`` or loaded into the current process by a sandboxed Python worker.

Denied calls fail with EPERM rather than killing the process, so a hostile payload sees an
ordinary error and the sandbox can report what it tried.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
from collections.abc import Iterable
from functools import lru_cache

from airlock.errors import AirlockError

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_NE = 1
AF_UNIX = 1


def _act_errno(err: int) -> int:
    return 0x00050000 | (err & 0xFFFF)


class SeccompError(AirlockError):
    """libseccomp is missing or refused the filter."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


# Calls no model loader needs and every escape or host-attack path uses.
ALWAYS_DENY = (
    "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root",
    "chroot", "bpf", "perf_event_open", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "keyctl", "add_key", "request_key", "setns", "unshare",
    "userfaultfd", "open_by_handle_at", "name_to_handle_at", "swapon", "swapoff", "reboot",
    "syslog", "acct", "quotactl", "fanotify_init", "move_mount", "open_tree", "fsopen",
    "fsmount", "fspick", "mount_setattr", "iopl", "ioperm",
    # io_uring runs socket, open and connect operations without the syscalls filtered here
    "io_uring_setup", "io_uring_enter", "io_uring_register",
)  # fmt: skip
NETWORK = ("connect", "accept", "accept4", "bind", "listen", "sendto", "sendmsg", "sendmmsg")
EXEC = ("execve", "execveat")


@lru_cache(maxsize=1)
def _lib() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_ArgCmp)
    ]  # fmt: skip
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def available() -> bool:
    return _lib() is not None


class Filter:
    """A default-allow filter with an EPERM deny list (owns a libseccomp context)."""

    def __init__(
        self, deny: Iterable[str], *, deny_inet_sockets: bool, exec_only_from: int | None = None
    ) -> None:
        """``exec_only_from``: deny execveat, and execve unless its path argument is exactly
        that address (see :func:`exec_once`)."""
        lib = _lib()
        if lib is None:
            raise SeccompError("libseccomp is not installed (Debian package libseccomp2)")
        self._lib = lib
        ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
        if not ctx:
            raise SeccompError("seccomp_init failed")
        self._ctx: int = ctx
        eperm = _act_errno(errno.EPERM)
        for name in deny:
            nr = lib.seccomp_syscall_resolve_name(name.encode())
            if nr < 0:
                continue  # not a syscall on this architecture
            self._add(eperm, nr, [])
        if deny_inet_sockets:
            nr = lib.seccomp_syscall_resolve_name(b"socket")
            self._add(_act_errno(errno.EAFNOSUPPORT), nr, [_ArgCmp(0, SCMP_CMP_NE, AF_UNIX, 0)])
        if exec_only_from is not None:
            self._add(eperm, lib.seccomp_syscall_resolve_name(b"execveat"), [])
            nr = lib.seccomp_syscall_resolve_name(b"execve")
            self._add(eperm, nr, [_ArgCmp(0, SCMP_CMP_NE, exec_only_from, 0)])

    def _add(self, action: int, nr: int, cmps: list[_ArgCmp]) -> None:
        arr = (_ArgCmp * max(1, len(cmps)))(*cmps)
        rc = self._lib.seccomp_rule_add_array(self._ctx, action, nr, len(cmps), arr)
        if rc < 0:
            raise SeccompError(f"seccomp_rule_add failed for syscall {nr}: {os.strerror(-rc)}")

    def export_bpf(self, fd: int) -> None:
        rc = self._lib.seccomp_export_bpf(self._ctx, fd)
        if rc < 0:
            raise SeccompError(f"seccomp_export_bpf failed: {os.strerror(-rc)}")

    def load(self) -> None:
        """Install in the calling process (irreversible; sets no_new_privs)."""
        rc = self._lib.seccomp_load(self._ctx)
        if rc < 0:
            raise SeccompError(f"seccomp_load failed: {os.strerror(-rc)}")

    def close(self) -> None:
        if self._ctx:
            self._lib.seccomp_release(self._ctx)
            self._ctx = 0

    def __enter__(self) -> Filter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def exec_once(path: str, argv: list[str], env: dict[str, str]) -> None:
    """Become ``argv`` (``path`` is the program) with every later exec denied: the filter lets
    execve through only for a path pointer equal to a buffer of this process, which the exec
    itself discards; the new program cannot name that address (it is random and the filter is
    not readable without CAP_SYS_ADMIN). Returns only by raising OSError."""
    libc = ctypes.CDLL(None, use_errno=True)
    target = ctypes.create_string_buffer(os.fsencode(path))
    args = (ctypes.c_char_p * (len(argv) + 1))(*[os.fsencode(a) for a in argv], None)
    envp = [os.fsencode(f"{k}={v}") for k, v in env.items()]
    envs = (ctypes.c_char_p * (len(envp) + 1))(*envp, None)
    libc.execve.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    with Filter((), deny_inet_sockets=False, exec_only_from=ctypes.addressof(target)) as f:
        f.load()
    libc.execve(ctypes.addressof(target), args, envs)
    err = ctypes.get_errno()
    raise OSError(err, os.strerror(err))
