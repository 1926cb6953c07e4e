"""rt24sbx's sandbox probes (session 23). The one that got through: without --allow-exec, the
launcher's one permitted execve was recognised by its path pointer alone, and the EPERM/EFAULT
answers of a pointer scan find it (measured: found and exec'd /bin/sh after 193 s on a loaded
2-core VM). The test below gives the new program that pointer outright (the scan's result)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from airlock.sandbox import runner, seccomp
from airlock.sandbox.runner import SandboxPolicy, run

PY = str(Path(sys.executable).resolve())
ADDR = 0x2000_0000_0000  # a page nothing maps: where the "scan" found the launcher's buffer

# After exec_once: the program maps the page the launcher's path buffer had, writes a path
# there and calls execve with that pointer (and whatever the other registers hold).
ATTACK = r"""
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
ADDR = int(sys.argv[1])
if libc.mmap(ADDR, 4096, 3, 0x22 | 0x10, -1, 0) != ADDR:  # PRIVATE|ANON|FIXED
    print("no map"); sys.exit(2)
path = sys.executable.encode() + b"\0"
ctypes.memmove(ADDR, path, len(path))
argv = (ctypes.c_char_p * 4)(sys.executable.encode(), b"-c", b"print('EXEC-AGAIN')", None)
envp = (ctypes.c_char_p * 1)(None)
libc.syscall.restype = ctypes.c_long
libc.syscall.argtypes = [ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
libc.syscall(59, ADDR, argv, envp)  # execve on x86-64
print("refused", ctypes.get_errno())
"""

# Runs exec_once with its path buffer placed at ADDR (the attacker's knowledge), then ATTACK.
HARNESS = r"""
import ctypes, os, sys
from airlock.sandbox import seccomp
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
ADDR = int(sys.argv[1])
assert libc.mmap(ADDR, 4096, 3, 0x22 | 0x10, -1, 0) == ADDR
def at_known_address(data):
    buf = (ctypes.c_char * (len(data) + 1)).from_address(ADDR)
    ctypes.memmove(ADDR, data + b"\0", len(data) + 1)
    return buf
seccomp.ctypes.create_string_buffer = at_known_address
seccomp.exec_once(sys.executable, [sys.executable, "-c", sys.argv[2], str(ADDR)], dict(os.environ))
"""


@pytest.mark.skipif(
    not seccomp.available() or not sys.platform.startswith("linux"), reason="needs libseccomp"
)
@pytest.mark.skipif(
    __import__("platform").machine() != "x86_64", reason="execve number 59 is x86-64's"
)
def test_knowing_the_launchers_path_pointer_is_not_enough_to_exec() -> None:
    env = {"PYTHONPATH": str(Path(seccomp.__file__).resolve().parents[2])}
    out = subprocess.run(
        [PY, "-I", "-c", HARNESS.replace("import ctypes, os, sys", "import ctypes, os, sys\n"
                                          f"sys.path.insert(0, {env['PYTHONPATH']!r})"),
         str(ADDR), ATTACK],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "EXEC-AGAIN" not in out.stdout, out
    assert out.stdout.strip() == "refused 1", out  # EPERM from the filter


@pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)
def test_the_command_itself_still_starts_and_cannot_exec() -> None:
    script = ["/bin/sh", "-c", "echo started; /bin/echo pwned"]
    res = run(script, SandboxPolicy(wall_seconds=30, allow_exec=False))
    assert res.stdout == b"started\n" and b"Operation not permitted" in res.stderr


# Other syscall ABIs of an x86-64 process: the i386 one (int 0x80, IA32 emulation, on here) and
# x32 (numbers | 0x40000000, off in most kernels). The filters name x86-64 numbers, so libseccomp
# kills a call of any other ABI (SIGSYS) rather than letting io_uring_setup / socket / execve
# through under their i386 numbers.
OTHER_ABI = r"""
import ctypes, mmap, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def int80(eax, ebx, ecx):  # mov eax, ebx, ecx; xor edx, edx; int 0x80; ret
    code = (b"\xb8" + eax.to_bytes(4, "little") + b"\xbb" + ebx.to_bytes(4, "little")
            + b"\xb9" + ecx.to_bytes(4, "little") + b"\x31\xd2\xcd\x80\xc3")
    m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    m.write(code)
    return ctypes.CFUNCTYPE(ctypes.c_long)(ctypes.addressof(ctypes.c_char.from_buffer(m)))()
calls = {
    "i386 socket": lambda: int80(359, 2, 1),  # socket(AF_INET, SOCK_STREAM)
    "i386 io_uring_setup": lambda: int80(425, 8, 0),
    "i386 unshare": lambda: int80(310, 0x10000000, 0),  # CLONE_NEWUSER
    "x32 socket": lambda: libc.syscall(ctypes.c_long(41 | 0x40000000), 2, 1, 0),
}
for name, call in calls.items():
    pid = os.fork()
    if pid == 0:
        r = call()
        print(name, "returned", r, flush=True)
        os._exit(0)
    _, st = os.waitpid(pid, 0)
    print(name, "signal", os.WTERMSIG(st) if os.WIFSIGNALED(st) else None, flush=True)
"""


@pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)
@pytest.mark.skipif(__import__("platform").machine() != "x86_64", reason="x86-64 ABIs")
@pytest.mark.parametrize("allow_net", [False, True])
def test_other_syscall_abis_are_killed(allow_net: bool) -> None:
    from airlock.sandbox import netns
    from airlock.sandbox.launch import python_paths

    if allow_net and netns.slirp_path() is None:
        pytest.skip("slirp4netns missing")
    dirs, _ = python_paths()
    pol = SandboxPolicy(wall_seconds=60, allow_exec=False, allow_net=allow_net)
    res = run([PY, "-I", "-c", OTHER_ABI], pol, extra_ro=tuple(dirs))
    lines = res.stdout.decode().splitlines()
    assert len(lines) == 4 and all(ln.endswith("signal 31") for ln in lines), (lines, res)
    # not vacuous: outside, the i386 socket call makes a socket (where IA32 emulation is on)
    outside = subprocess.run([PY, "-I", "-c", OTHER_ABI], capture_output=True, text=True)
    assert "signal 31" not in outside.stdout, outside
