"""Option files a command reads whole (manifests, keys, bundles, canaries, registry JSON) given a
FIFO nobody writes to, a device or a symlink loop: one clear line and exit 2, never a hang and
never reading /dev/urandom until memory runs out."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from airlock import fileio
from airlock.errors import FormatError, InputError

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=SRC)
    return subprocess.run(
        [sys.executable, "-m", "airlock", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_fifo_without_writer_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    monkeypatch.setattr(fileio, "PIPE_IDLE_SECONDS", 0.2)
    t0 = time.monotonic()
    with pytest.raises(InputError, match="no data"):
        fileio.read_capped(fifo, 100, "key")
    assert time.monotonic() - t0 < 5


def test_fifo_with_writer_is_read(tmp_path: Path) -> None:
    """`--key <(cat key.pem)` keeps working."""
    fifo = tmp_path / "f"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(b"hello")

    t = threading.Thread(target=write)
    t.start()
    assert fileio.read_capped(fifo, 100) == b"hello"
    t.join()


def test_devices_loops_and_dirs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):
        fileio.read_capped(Path("/dev/zero"), 100)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputError, match="symbolic links"):
        fileio.read_capped(tmp_path / "a", 100)
    with pytest.raises(InputError, match="is a directory"):
        fileio.read_capped(tmp_path, 100)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(FormatError, match="larger than"):
        fileio.read_capped(big, 100)


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "{m}", "--sha256sums", "/dev/urandom"],
        ["verify", "{m}", "--signature", "/dev/urandom", "--trust-roots", "/dev/urandom"],
        ["sign", "{m}", "--key", "/dev/urandom", "--cert", "/dev/urandom"],
        ["leak-test", "{m}", "--canaries", "/dev/zero"],
        ["registry", "policy", "set", "/dev/urandom", "--database", "sqlite:///{d}/r.db"],
        [
            "registry",
            "submit",
            "{m}",
            "--model",
            "a/b",
            "--scan-report",
            "/dev/zero",
            "--database",
            "sqlite:///{d}/r.db",
        ],
    ],
)
def test_device_as_option_file_is_refused_quickly(tmp_path: Path, args: list[str]) -> None:
    model = tmp_path / "m"
    model.mkdir()
    (model / "config.json").write_text("{}")
    argv = [a.format(m=model, d=tmp_path) for a in args]
    res = _cli(*argv, timeout=60)
    assert res.returncode == 2, res.stderr
    assert "not a regular file" in res.stderr and "Traceback" not in res.stderr


def test_fifo_manifest_does_not_hang(tmp_path: Path) -> None:
    model = tmp_path / "m"
    model.mkdir()
    (model / "config.json").write_text("{}")
    fifo = tmp_path / "manifest"
    os.mkfifo(fifo)
    res = _cli("verify", str(model), "--manifest", str(fifo), timeout=60)
    assert res.returncode == 2 and "no data" in res.stderr, res.stderr


def test_admission_tls_files_that_are_not_pem(tmp_path: Path) -> None:
    from airlock.admission.http import server_context

    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"\x00not pem")
    with pytest.raises(FormatError, match="not a PEM certificate chain"):
        server_context(str(junk), str(junk))


def test_fleet_metrics_bad_listen_address(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    assert _cli("registry", "init", "--database", db).returncode == 0
    res = _cli("fleet", "metrics", "--listen", "999.1.1.1:99999", "--database", db)
    assert res.returncode == 2 and "internal error" not in res.stderr, res.stderr
    assert "not a TCP port" in res.stderr


@pytest.mark.parametrize("args", [["--help"], ["schema", "report"], ["--version"]])
def test_output_to_a_full_disk_is_one_line(args: list[str]) -> None:
    env = dict(os.environ, PYTHONPATH=SRC)
    with open("/dev/full", "wb") as full:
        res = subprocess.run(
            [sys.executable, "-m", "airlock", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert "No space left on device" in res.stderr


@pytest.mark.parametrize("value", ["nan", "-1", "inf"])
def test_guard_serve_refuses_a_nonsense_guard_timeout(value: str) -> None:
    """It used to start serving with a NaN per-check timeout."""
    res = _cli(
        "guard", "serve", "--upstream", "http://127.0.0.1:9", "--port", "0",
        "--guard-timeout", value, timeout=60,
    )  # fmt: skip
    assert res.returncode == 2 and "--guard-timeout" in res.stderr, res.stderr


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_sandbox_run_refuses_a_nonsense_timeout(value: str) -> None:
    res = _cli("sandbox", "run", "--timeout", value, "--", "/bin/true")
    assert res.returncode == 2 and "sandbox limits" in res.stderr, res.stderr
