"""Each isolation layer on its own, in a throwaway subprocess (they are irreversible)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from airlock.sandbox import landlock, seccomp

SRC = str(Path(__file__).resolve().parents[2] / "src")


def py(code: str) -> subprocess.CompletedProcess[str]:
    prelude = f"import sys; sys.path.insert(0, {SRC!r})\n"
    argv = [sys.executable, "-c", prelude + code]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not seccomp.available(), reason="libseccomp not installed")
def test_seccomp_denies_exec_and_inet_sockets_but_not_unix() -> None:
    r = py(
        "from airlock.sandbox import seccomp\n"
        "import socket, subprocess\n"
        "seccomp.Filter(seccomp.EXEC, deny_inet_sockets=True).load()\n"
        "socket.socket(socket.AF_UNIX).close(); print('unix ok')\n"
        "for f in (lambda: socket.socket(), lambda: subprocess.run(['/bin/true'])):\n"
        "    try: f(); print('allowed')\n"
        "    except OSError as e: print('denied', e.errno)\n"
    )
    assert r.stdout.split("\n")[:3] == ["unix ok", "denied 97", "denied 1"], r.stderr


@pytest.mark.skipif(landlock.abi_version() < 1, reason="kernel without Landlock")
def test_landlock_confines_reads(tmp_path: Path) -> None:
    allowed, hidden = tmp_path / "allowed", tmp_path / "hidden"
    allowed.mkdir()
    hidden.mkdir()
    (allowed / "a.txt").write_text("A")
    (hidden / "h.txt").write_text("H")
    r = py(
        "from pathlib import Path\nfrom airlock.sandbox import landlock\n"
        f"keep = [Path({str(allowed)!r}), Path(sys.prefix), Path(sys.base_prefix)]\n"
        "landlock.restrict(keep, [])\n"
        f"print(open({str(allowed / 'a.txt')!r}).read())\n"
        f"try: open({str(hidden / 'h.txt')!r}).read(); print('leaked')\n"
        "except PermissionError: print('denied')\n"
    )
    assert r.stdout.split() == ["A", "denied"], r.stderr


def test_seccomp_filter_exports_bpf(tmp_path: Path) -> None:
    if not seccomp.available():
        pytest.skip("libseccomp not installed")
    out = tmp_path / "f.bpf"
    with out.open("wb") as fh, seccomp.Filter(seccomp.ALWAYS_DENY, deny_inet_sockets=True) as f:
        f.export_bpf(fh.fileno())
    data = out.read_bytes()
    assert len(data) > 0 and len(data) % 8 == 0  # struct sock_filter is 8 bytes
