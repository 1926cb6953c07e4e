"""rt27sbx's sandbox probes (session 27): what got through, each failing on the code before.

- The model-loading workers (trojan probe, leak test, data-scan models) bind what the model
  folder's symlinks reach, so a folder shipping ``notes.txt -> /root/.ssh/id_rsa`` had the
  whole of ``/root/.ssh`` bound into the sandbox (and its 0600 files staged readable for the
  sandbox's uid): the loader read the host's secret.
- Files with the set-user-ID / set-group-ID bit could be made in a writable bind (chmod,
  fchmod, open/mknod with such a mode): host disk, where the sandbox's nosuid mount no longer
  applies, so a setuid copy of the caller's uid (or of 65534, the uid every sandbox of a root
  caller runs as) was left for any local user to run.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from airlock.sandbox import calls, runner
from airlock.sandbox.launch import python_paths
from airlock.sandbox.runner import SandboxPolicy, run
from airlock.sandbox.worker import run_python

needs_sandbox = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)


def _secret(tmp_path: Path) -> Path:
    """A host folder only its owner may enter, holding a 0600 file."""
    d = tmp_path / "host-secrets"
    d.mkdir()
    (d / "id_rsa").write_text("HOST-SECRET\n")
    (d / "id_rsa").chmod(0o600)
    d.chmod(0o700)
    return d


def _hostile_model(tmp_path: Path, secret: Path) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "notes.txt").symlink_to(secret / "id_rsa")
    (model / "extra").symlink_to(secret)
    return model


def test_a_model_folders_links_do_not_choose_the_sandboxs_binds(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    model = _hostile_model(tmp_path, secret)
    assert calls.visible_paths(model) == {model.resolve()}
    assert calls.policy_for([model]).ro_paths == (model.resolve(),)


def test_a_fake_snapshots_blobs_link_is_not_followed(tmp_path: Path) -> None:
    """A folder laid out like a cache snapshot whose ``blobs`` is itself a link elsewhere."""
    secret = _secret(tmp_path)
    snap = tmp_path / "repo" / "snapshots" / "abc"
    snap.mkdir(parents=True)
    (tmp_path / "repo" / "blobs").symlink_to(secret)
    (snap / "model.safetensors").symlink_to(Path("../../blobs/id_rsa"))
    assert calls.visible_paths(snap) == {snap.resolve()}


def test_real_snapshot_links_into_blobs_are_still_bound(tmp_path: Path) -> None:
    snap = tmp_path / "repo" / "snapshots" / "abc"
    blobs = tmp_path / "repo" / "blobs"
    snap.mkdir(parents=True)
    blobs.mkdir()
    (blobs / "f00d").write_text("{}")
    (snap / "config.json").symlink_to(Path("../../blobs/f00d"))
    (snap / "inside").symlink_to(snap / "config.json")
    assert calls.visible_paths(snap) == {snap.resolve(), blobs.resolve()}


@needs_sandbox
def test_a_sandboxed_loader_cannot_read_through_the_model_folders_links(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    model = _hostile_model(tmp_path, secret)
    code = (
        "import sys\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n"
        "        print(open(p).read().strip() if not p.endswith('extra') else __import__('os')"
        ".listdir(p))\n"
        "    except OSError as e:\n"
        "        print('refused', e.errno)\n"
    )
    pol = calls.policy_for([model])
    res = run_python(code, pol, [str(model / "notes.txt"), str(model / "extra")])
    out = res.stdout.decode()
    assert res.returncode == 0, res
    assert "HOST-SECRET" not in out and "id_rsa" not in out, out
    assert out.split() == ["refused", "2", "refused", "2"], out
    assert os.stat(secret).st_mode & 0o777 == 0o700  # nothing on the host changed


# Each way to give a file in the writable bind a set-ID bit, by raw syscall number (x86-64 and
# aarch64 differ; the names are resolved through libc's syscall table of this build).
SETID = r"""
import ctypes, errno, os, sys
d = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
def try_(what, fn):
    ctypes.set_errno(0)
    rc = fn()
    print(what, "made" if rc >= 0 else "refused", 0 if rc >= 0 else ctypes.get_errno())
for i, bit in enumerate((0o4000, 0o2000)):
    p = os.path.join(d, f"chmod{i}")
    open(p, "w").close()
    try_(f"chmod{i}", lambda: libc.chmod(p.encode(), 0o755 | bit))
    q = os.path.join(d, f"fchmod{i}")
    fd = os.open(q, os.O_CREAT | os.O_WRONLY, 0o755)
    try_(f"fchmod{i}", lambda: libc.fchmod(fd, 0o755 | bit))
    os.close(fd)
    try_(f"open{i}", lambda: libc.open(os.path.join(d, f"open{i}").encode(), 0o101, 0o755 | bit))
    m = os.path.join(d, f"mknod{i}").encode()
    try_(f"mknod{i}", lambda: libc.mknod(m, 0o100000 | 0o755 | bit, 0))
"""


def _setid_files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.lstat().st_mode & (stat.S_ISUID | stat.S_ISGID))


@needs_sandbox
@pytest.mark.parametrize("where", ["launcher", "worker"])
def test_no_setuid_or_setgid_file_can_be_left_in_a_writable_bind(tmp_path: Path, where: str) -> None:  # noqa: E501
    d = tmp_path / "rw"
    d.mkdir()
    runner.grant(d)
    pol = SandboxPolicy(rw_paths=(d,), wall_seconds=90)
    if where == "launcher":
        dirs, _ = python_paths()
        py = str(Path(sys.executable).resolve())
        res = run([py, "-I", "-c", SETID, str(d)], pol, extra_ro=tuple(dirs))
    else:
        res = run_python(SETID, pol, [str(d)])
    out = res.stdout.decode().split("\n")
    assert res.returncode == 0, res
    assert len([line for line in out if line]) == 8, out
    assert all(line.endswith("refused 1") for line in out if line), out
    assert _setid_files(d) == [], [oct(p.lstat().st_mode) for p in d.iterdir()]
    # ordinary modes still work in the bind
    probe = d / "chmod0"
    assert probe.exists() and not probe.stat().st_mode & stat.S_ISUID


# What a compromised loader can leave in its exchange folder for the host to read: before,
# these escaped as RecursionError / MemoryError instead of the clear IsolatedCallFailed.
def test_a_result_nested_past_the_parsers_depth_is_a_clear_refusal(tmp_path: Path) -> None:
    p = tmp_path / "result.json"
    p.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(calls.IsolatedCallFailed, match="no readable result"):
        calls.read_result(p, "probe")


def test_an_array_header_claiming_more_than_its_file_is_a_clear_refusal(tmp_path: Path) -> None:
    import struct

    import numpy as np

    head = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }"
    head = head.ljust(117) + "\n"
    raw = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode() + bytes(64)
    (tmp_path / "values.npy").write_bytes(raw)
    with pytest.raises(calls.IsolatedCallFailed, match="claims more data"):
        calls.read_array(tmp_path, "values")
    np.save(tmp_path / "values.npy", np.arange(12.0).reshape(3, 4))  # honest arrays still read
    assert calls.read_array(tmp_path, "values").sum() == 66.0
    np.save(tmp_path / "values.npy", np.zeros((0, 5)))
    assert calls.read_array(tmp_path, "values").shape == (0, 5)


def _usage_as_the_sandboxs_uid(d: Path) -> float:
    """``rw_usage`` as a caller who is not root sees it: as the owner of the folder (a root
    caller's watch never meets an unreadable folder)."""
    if os.geteuid() != 0:
        return runner.rw_usage([d])
    for p in (d.parent, d, *d.rglob("*")):
        os.lchown(p, runner.SANDBOX_UID, runner.SANDBOX_GID)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(runner.SANDBOX_GID)
            os.setuid(runner.SANDBOX_UID)
            os.write(w, repr(runner.rw_usage([d])).encode())
        finally:
            os._exit(0)
    os.close(w)
    out = os.read(r, 100).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return float(out)


@pytest.mark.parametrize("mode", [0o300, 0o600])
def test_a_folder_the_watch_cannot_read_does_not_hide_writes(mode: int) -> None:
    """Mode 0300 (writable, not listable) or 0600 (listable, entries not stat-able): before,
    what was written there was not counted towards --rw-quota-mb."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="airlock-rt27-"))  # under /tmp: others may traverse
    try:
        d = base / "rw"
        hidden = d / "hidden"
        hidden.mkdir(parents=True)
        (hidden / "big").write_bytes(os.urandom(1 << 20))
        assert _usage_as_the_sandboxs_uid(d) >= 1 << 20  # readable: counted
        hidden.chmod(mode)
        assert _usage_as_the_sandboxs_uid(d) == float("inf")
    finally:
        for p in (base, *base.rglob("*")):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o700)
        shutil.rmtree(base)
