"""``airlock scan`` in its plain forms runs without typer (``airlock.cli.scan_job``, issue 12's
start-up); every other form goes to typer. Both must say and exit the same: each case runs once
through the console entry (fast path where it applies) and once through typer's application."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.cli.scan_job import ScanArgs, ScanFormat, fast_args

from .scan.samples import evil_pickle

_TYPER = "import sys\nfrom airlock.cli import main\nsys.argv = sys.argv[1:]\nmain()\n"
_FAST = (
    "import atexit, sys\n"
    "atexit.register(lambda: 'typer' in sys.modules and sys.stderr.write('typer loaded\\n'))\n"
    "from airlock._entry import main\nsys.argv = sys.argv[1:]\nmain()\n"
)


def _run(code: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AIRLOCK_POLICY", "AIRLOCK_CACHE_URL")}
    proc = subprocess.run(
        [sys.executable, "-c", code, "airlock", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # the only difference allowed: how long the scan took
    out = re.sub(r'"seconds": [0-9.e-]+|\b[0-9]+\.[0-9]+s\b', "T", proc.stdout)
    return proc.returncode, out, proc.stderr


@pytest.fixture
def models(tmp_path: Path) -> Path:
    (tmp_path / "clean.pkl").write_bytes(pickle.dumps({"w": [1.0, 2.0]}, protocol=4))
    (tmp_path / "evil.pkl").write_bytes(evil_pickle(tmp_path / "marker", 4))
    (tmp_path / "trunc.pkl").write_bytes(pickle.dumps(list(range(50)), protocol=2)[:-9])
    (tmp_path / "airlock.toml").write_text('fail-on = "critical"\n')
    (tmp_path / "bad.toml").write_text("fail-on = [\n")
    return tmp_path


FAST_CASES = [
    ["clean.pkl"],
    ["evil.pkl"],
    ["evil.pkl", "--format", "json"],
    ["--format=sarif", "evil.pkl"],
    ["evil.pkl", "-f", "json", "--exit-zero"],
    ["evil.pkl", "clean.pkl", "--fail-on", "CRITICAL", "-f", "json"],
    ["trunc.pkl", "-f", "json"],
    ["trunc.pkl", "--allow-unscanned"],
    ["missing.pkl"],
    ["clean.pkl", "-o", "report.json", "-f", "json"],
    ["evil.pkl", "--output=nodir/r.json", "-f", "json"],
    ["evil.pkl", "--verbose"],
    ["evil.pkl", "-v", "--workers", "2", "-f", "json"],
    ["evil.pkl", "--policy", "airlock.toml"],
    ["evil.pkl", "--policy", "bad.toml"],
    ["evil.pkl", "--policy=missing.toml"],
    [".", "-f", "json"],
]
TYPER_CASES = [
    [],
    ["evil.pkl", "--format", "JSON"],
    ["evil.pkl", "-f=json"],
    ["evil.pkl", "--workers", "0"],
    ["evil.pkl", "--fail-on", "severe"],
    ["evil.pkl", "--debug"],
    ["evil.pkl", "--exit-zero", "--exit-zero"],
    ["--", "evil.pkl"],
    ["evil.pkl", "--help"],
    ["evil.pkl", "--format"],
    ["evil.pkl", "--policy", "--exit-zero"],
    ["evil.pkl", "--no-such-option"],
]


@pytest.mark.parametrize("args", FAST_CASES, ids=" ".join)
def test_plain_forms_run_without_typer_and_say_what_typer_says(
    models: Path, args: list[str]
) -> None:
    assert fast_args(args) is not None
    typer_rc, typer_out, typer_err = _run(_TYPER, ["scan", *args], models)
    for name in ("report.json",):
        (models / name).unlink(missing_ok=True)
    fast_rc, fast_out, fast_err = _run(_FAST, ["scan", *args], models)
    assert "typer loaded" not in fast_err
    assert (fast_rc, fast_out, fast_err) == (typer_rc, typer_out, typer_err)
    assert "Traceback" not in fast_err


@pytest.mark.parametrize("args", TYPER_CASES, ids=" ".join)
def test_other_forms_go_to_typer(models: Path, args: list[str]) -> None:
    assert fast_args(args) is None
    fast_rc, _, fast_err = _run(_FAST, ["scan", *args], models)
    assert "typer loaded" in fast_err and "Traceback" not in fast_err
    typer_rc, _, _ = _run(_TYPER, ["scan", *args], models)
    assert fast_rc == typer_rc


def test_the_verdict_cache_variable_leaves_the_command_line_to_typer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert fast_args(["m.pkl"]) == ScanArgs(["m.pkl"])
    monkeypatch.setenv("AIRLOCK_CACHE_URL", "sqlite:///x.db")
    assert fast_args(["m.pkl"]) is None


def test_values_arrive_as_typer_passes_them() -> None:
    got = fast_args(["-", "--fail-on=High", "--workers", "01", "-f", "sarif", "-o", "r"])
    assert got == ScanArgs(["-"], ScanFormat.sarif, "high", None, False, False, Path("r"), 1)


def test_typer_does_not_ask_for_a_readable_report_file() -> None:
    """click's Path checks ``os.access(R_OK)`` by default: typer refused ``-o r.json`` for an
    existing write-only file (exit 2) where the fast path wrote it (review19b)."""
    import inspect

    from airlock.cli.scan import scan_command

    option = inspect.signature(scan_command).parameters["output"].default
    assert option.param_decls[0] == "--output" and option.readable is False


def test_a_closed_stdout_is_one_line(models: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m airlock scan clean.pkl >&-", shell=True, cwd=models,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr == (
        "airlock: error: cannot write output: stdout is closed\n"
    )
