"""Walking paths, statuses for what cannot be read, parallel plans, and reading only metadata."""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from airlock.errors import InputError
from airlock.scan import engine
from airlock.scan.engine import ScanOptions, scan_data, scan_paths

from . import samples


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        scan_paths([tmp_path / "nope"])


def test_symlinks_followed_once_and_git_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.pkl").write_bytes(pickle.dumps([1]))
    os.symlink(tmp_path / "a.pkl", tmp_path / "link.pkl")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "obj").write_bytes(zlib.compress(b"blob 3\0abc"))
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    report = scan_paths([tmp_path])
    tops = {Path(o.location).name: o for o in report.objects if o.member is None}
    assert "obj" not in tops
    assert tops["dangling"].status == "not_scanned"
    assert ("a.pkl" in tops) != ("link.pkl" in tops)  # same inode scanned once
    assert any(".git" in i for i in report.ignored)
    assert any("same file" in i for i in report.ignored)


def test_fifo_is_not_scanned(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    report = scan_paths([tmp_path])
    assert report.not_scanned[0].reason.startswith("not a regular file")
    assert any(f.rule_id == "AIR-SCAN-006" for f in report.findings)


def test_unrecognised_binary_is_not_scanned_never_clean(tmp_path: Path) -> None:
    (tmp_path / "w.bin").write_bytes(bytes(range(256)) * 10)
    report = scan_paths([tmp_path / "w.bin"])
    assert report.objects[0].status == "not_scanned"
    assert report.objects[0].reason == "unrecognised format"


def test_empty_file_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "e").write_bytes(b"")
    report = scan_paths([tmp_path / "e"])
    assert report.objects[0].format == "empty" and report.objects[0].status == "scanned"


def test_scan_data_matches_file_scan(tmp_path: Path) -> None:
    data = samples.torch_zip(samples.evil_pickle(tmp_path / "m"))
    (tmp_path / "m.pt").write_bytes(data)
    from_file = scan_paths([tmp_path / "m.pt"])
    in_memory = scan_data(data, str(tmp_path / "m.pt"))
    assert [f.rule_id for f in from_file.findings] == [f.rule_id for f in in_memory.findings]


def test_plan_picks_processes_for_pickle_heavy_repos(tmp_path: Path) -> None:
    big = pickle.dumps(list(range(400_000)), protocol=4)
    for i in range(4):
        (tmp_path / f"p{i}.pkl").write_bytes(big)
    (tmp_path / "small.txt").write_text("x")
    targets, *_ = engine.collect([tmp_path])
    mode, workers = engine._plan(targets, ScanOptions(workers=2))
    assert (mode, workers) == ("processes", 2)
    light, *_ = engine.collect([tmp_path / "small.txt", tmp_path / "p0.pkl"])
    assert engine._plan(light, ScanOptions(workers=2))[0] == "threads"
    assert engine._plan(targets[:1], ScanOptions())[0] == "serial"


def _sparse_torch_zip(path: Path, storage_bytes: int) -> None:
    """A torch-layout zip whose one storage member is ``storage_bytes`` of file holes."""
    pkl = pickle.dumps({"w": 1}, protocol=2)
    entries = [
        ("ck/data.pkl", pkl, len(pkl), zlib.crc32(pkl)),
        ("ck/data/0", None, storage_bytes, 0),
    ]
    with path.open("wb") as fh:
        central = b""
        for name, data, size, crc in entries:
            offset = fh.tell()
            raw = name.encode()
            local = struct.pack(
                "<4sHHHHHIIIHH", b"PK\x03\x04", 45, 0, 0, 0, 0, crc, size, size, len(raw), 0
            )
            fh.write(local + raw)
            if data is not None:
                fh.write(data)
            else:
                fh.seek(size, os.SEEK_CUR)
            central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 45, 45, 0, 0, 0, 0, crc,
                                   size, size, len(raw), 0, 0, 0, 0, 0, offset) + raw  # fmt: skip
        cd_offset = fh.tell()
        fh.write(central)
        fh.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 2, 2, len(central), cd_offset, 0))


def test_big_checkpoint_reads_only_metadata(tmp_path: Path) -> None:
    """A 3 GiB checkpoint is scanned with far less memory than its size (storages untouched)."""
    path = tmp_path / "big.pt"
    _sparse_torch_zip(path, 3 * 1024**3)
    code = (
        "import resource, sys\n"
        "from airlock.scan.engine import scan_paths\n"
        f"r = scan_paths([{str(path)!r}])\n"
        "assert r.objects[0].format == 'pytorch', r.objects\n"
        "assert sum(r.objects[0].skipped.values()) == 1\n"
        "print([ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # VmHWM (peak RSS of this process image, KiB); ru_maxrss would include the parent's at fork
    assert int(out.stdout.strip()) < 200 * 1024, out.stdout


def test_symlink_leaving_model_dir_is_a_finding(tmp_path: Path) -> None:
    from airlock.scan.engine import scan

    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (tmp_path / "secret").write_text("aws_secret_access_key = x")
    (model / "tokenizer.json").symlink_to(tmp_path / "secret")
    (model / "inside.json").symlink_to("config.json")
    rules = [f.rule_id for f in scan(model).findings]
    assert rules == ["AIR-CFG-015"]


def test_hf_snapshot_links_are_not_escapes(tmp_path: Path) -> None:
    from airlock.scan.engine import scan

    repo = tmp_path / "models--org--m"
    (repo / "blobs").mkdir(parents=True)
    (repo / "blobs" / ("a" * 40)).write_text("{}")
    snap = repo / "snapshots" / ("c" * 40)
    snap.mkdir(parents=True)
    (snap / "config.json").symlink_to(f"../../blobs/{'a' * 40}")
    assert scan(snap).findings == []
    assert scan(repo).findings == []


def test_unlistable_subdirectory_is_not_scanned_with_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Root reads every directory, so the denial is simulated where the walk lists it.)"""
    (tmp_path / "ok.txt").write_text("hello")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.pkl").write_bytes(b"N.")
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = scan_paths([tmp_path])
    unread = [o for o in report.objects if o.status == "not_scanned"]
    assert [Path(o.location).name for o in unread] == ["locked"]
    assert "Permission denied" in (unread[0].reason or "")
    assert any(f.rule_id == "AIR-SCAN-006" for f in report.findings)


def test_nested_vcs_and_lookalike_hf_folders_are_scanned(tmp_path: Path) -> None:
    for d in (".hg", ".svn", "sub/.git", "snapshots", "blobs"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "p.pkl").write_bytes(b"cos\nsystem\n(S'x'\ntR.")
    report = scan_paths([tmp_path])
    flagged = {str(Path(f.location).relative_to(tmp_path).parent) for f in report.findings}
    assert {".hg", ".svn", "sub/.git", "snapshots", "blobs"} <= flagged
