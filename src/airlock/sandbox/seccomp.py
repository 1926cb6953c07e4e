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
SCMP_CMP_EQ = 4
SCMP_CMP_GE = 5
SCMP_CMP_MASKED_EQ = 7  # (arg & datum_a) == datum_b
AF_UNIX = 1
AF_INET = 2
AF_INET6 = 10
AF_NETLINK = 16
NETLINK_ROUTE = 0
AF_MAX = 64  # above every family Linux defines (46 in 6.x)
# With the network allowed: TCP/UDP and what name resolution needs (routing netlink, which
# getaddrinfo's AI_ADDRCONFIG queries). Not vsock (the hypervisor host), the kernel crypto API
# (AF_ALG), packet sockets, bluetooth, RDS, TIPC, other netlink protocols...
NET_FAMILIES = (AF_UNIX, AF_INET, AF_INET6, AF_NETLINK)
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_TYPE_MASK = 0xF  # socket type without SOCK_NONBLOCK / SOCK_CLOEXEC
# Namespace flags clone() accepts: a new user namespace gives the child every capability there,
# and so the kernel surface (mounts, netfilter, ...) the sandbox's own namespaces keep out of
# reach. CLONE_NEWTIME (0x80) exists only for unshare (denied) and clone3 (ENOSYS): in clone's
# flags that bit belongs to the exit signal.
CLONE_NEW_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)


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
# Calls that set a file's mode, and which argument holds it: a mode with the set-user-ID or
# set-group-ID bit is refused (rt27sbx: the sandbox planted setuid files in its --rw binds,
# host disk where its nosuid mount no longer applies: a setuid copy of the caller's uid for
# any local user to run, or of 65534, the uid every other sandbox runs as). openat2 carries
# its mode in a struct seccomp cannot read: ENOSYS (as on kernels before 5.6; libc's open()
# never uses it).
MODE_ARG = (("chmod", 1), ("fchmod", 1), ("fchmodat", 2), ("fchmodat2", 2), ("creat", 1),
            ("open", 2), ("openat", 3), ("mknod", 1), ("mknodat", 2))  # fmt: skip
S_ISUID = 0o4000
S_ISGID = 0o2000
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


def _clone_flags_arg() -> int:
    """Which clone() argument holds the flags (the stack comes first on s390)."""
    return 1 if os.uname().machine.startswith("s390") else 0


class Filter:
    """A default-allow filter with an EPERM deny list (owns a libseccomp context).

    Every filter also refuses setuid/setgid file modes (:data:`MODE_ARG`) and new namespaces:
    clone() with any CLONE_NEW* flag fails with EPERM and clone3() with ENOSYS (its flags sit
    in a struct seccomp cannot read; glibc then falls back to clone(), which the filter can
    inspect)."""

    def __init__(
        self,
        deny: Iterable[str],
        *,
        deny_inet_sockets: bool,
        exec_only_from: int | None = None,
        exec_keys: tuple[int, ...] = (),
        deny_unix_sockets: bool = False,
    ) -> None:
        """``exec_only_from``: deny execveat, and execve unless its path argument is exactly
        that address and its unused arguments 4-6 are exactly ``exec_keys`` (see
        :func:`exec_once`). ``deny_unix_sockets``: socket() fails for every
        family and socketpair() for datagram sockets, so the only unix sockets are connected
        stream/seqpacket pairs, which cannot be pointed at a path (connect on them is EISCONN, a
        destination address is refused or ignored): no host service behind a socket file in
        a bound directory is reachable, whenever that file appears."""
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
        for name, arg in MODE_ARG:
            nr = lib.seccomp_syscall_resolve_name(name.encode())
            if nr >= 0:
                for bit in (S_ISUID, S_ISGID):
                    self._add(eperm, nr, [_ArgCmp(arg, SCMP_CMP_MASKED_EQ, bit, bit)])
        openat2 = lib.seccomp_syscall_resolve_name(b"openat2")
        if openat2 >= 0:
            self._add(_act_errno(errno.ENOSYS), openat2, [])
        clone = lib.seccomp_syscall_resolve_name(b"clone")
        arg = _clone_flags_arg()
        for flag in CLONE_NEW_FLAGS:
            self._add(eperm, clone, [_ArgCmp(arg, SCMP_CMP_MASKED_EQ, flag, flag)])
        clone3 = lib.seccomp_syscall_resolve_name(b"clone3")
        if clone3 >= 0:
            self._add(_act_errno(errno.ENOSYS), clone3, [])
        socket = lib.seccomp_syscall_resolve_name(b"socket")
        if deny_unix_sockets:
            # only connected stream pairs: any other type (the kernel turns a unix SOCK_RAW
            # pair into DGRAM, which sendto() can aim at a socket file in a bind) is refused
            pair = lib.seccomp_syscall_resolve_name(b"socketpair")
            for kind in range(SOCK_TYPE_MASK + 1):
                if kind != SOCK_STREAM:
                    self._add(eperm, pair, [_ArgCmp(1, SCMP_CMP_MASKED_EQ, SOCK_TYPE_MASK, kind)])
        if deny_unix_sockets and deny_inet_sockets:
            self._add(_act_errno(errno.EAFNOSUPPORT), socket, [])
        elif deny_inet_sockets:
            self._add(_act_errno(errno.EAFNOSUPPORT), socket, [_ArgCmp(0, SCMP_CMP_NE, AF_UNIX, 0)])
        else:
            # with the network (the host's namespace, abstract unix sockets included): unix
            # sockets only when asked for (sbx21: host D-Bus/X11-style abstract sockets)
            eaf = _act_errno(errno.EAFNOSUPPORT)
            for fam in range(AF_MAX):
                if fam not in NET_FAMILIES or (fam == AF_UNIX and deny_unix_sockets):
                    self._add(eaf, socket, [_ArgCmp(0, SCMP_CMP_EQ, fam, 0)])
            self._add(eaf, socket, [_ArgCmp(0, SCMP_CMP_GE, AF_MAX, 0)])
            self._add(eaf, socket, [_ArgCmp(0, SCMP_CMP_EQ, AF_NETLINK, 0),
                                    _ArgCmp(2, SCMP_CMP_NE, NETLINK_ROUTE, 0)])  # fmt: skip
        if exec_only_from is not None:
            self._add(eperm, lib.seccomp_syscall_resolve_name(b"execveat"), [])
            nr = lib.seccomp_syscall_resolve_name(b"execve")
            self._add(eperm, nr, [_ArgCmp(0, SCMP_CMP_NE, exec_only_from, 0)])
            for i, key in enumerate(exec_keys[:3]):  # rules of one action: any mismatch denies
                self._add(eperm, nr, [_ArgCmp(3 + i, SCMP_CMP_NE, key, 0)])

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
    execve through only for a path pointer equal to a buffer of this process and three random
    64-bit keys in the arguments execve does not read (passed through the raw syscall), all of
    which the exec itself discards; the filter is not readable without CAP_SYS_ADMIN.

    The pointer alone was not enough (rt24sbx): a mismatch is EPERM from the filter while a
    match is EFAULT from the kernel (nothing mapped there), so the new program could scan the
    ~2^29 page-aligned candidates (the buffer's offset in its page is the same every run) at
    ~2.8 million execve calls a second, map the page it found, and exec (~190 s on this VM).
    With 192 bits of keys nothing answers until all of them match. Returns only by raising
    OSError."""
    libc = ctypes.CDLL(None, use_errno=True)
    lib = _lib()
    if lib is None:
        raise SeccompError("libseccomp is not installed (Debian package libseccomp2)")
    nr = lib.seccomp_syscall_resolve_name(b"execve")
    target = ctypes.create_string_buffer(os.fsencode(path))
    args = (ctypes.c_char_p * (len(argv) + 1))(*[os.fsencode(a) for a in argv], None)
    envp = [os.fsencode(f"{k}={v}") for k, v in env.items()]
    envs = (ctypes.c_char_p * (len(envp) + 1))(*envp, None)
    keys = tuple(int.from_bytes(os.urandom(8), "little") for _ in range(3))
    libc.syscall.restype = ctypes.c_long
    libc.syscall.argtypes = [ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                             ctypes.c_uint64, ctypes.c_uint64, ctypes.c_uint64]  # fmt: skip
    with Filter(
        (), deny_inet_sockets=False, exec_only_from=ctypes.addressof(target), exec_keys=keys
    ) as f:
        f.load()
    libc.syscall(nr, ctypes.addressof(target), args, envs, *keys)
    err = ctypes.get_errno()
    raise OSError(err, os.strerror(err))
