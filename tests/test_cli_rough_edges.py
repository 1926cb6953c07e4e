"""Root-level CLI behaviour a new user expects (issue 20): ``--debug`` anywhere, ``--fail-on``
listing its values, shell completion."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from airlock.cli import _take_debug
from airlock.cli._common import FailOn
from airlock.report import Severity
from tests.conftest import run_cli


def test_debug_after_the_subcommand(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing")
    plain = run_cli("hash", missing)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    for args in (("--debug", "hash", missing), ("hash", missing, "--debug"),
                 ("hash", "--debug", missing)):  # fmt: skip
        r = run_cli(*args)
        assert r.returncode != 0 and "Traceback" in r.stderr and "InputError" in r.stderr, args
        assert "No such option" not in r.stderr


def test_debug_after_double_dash_belongs_to_the_command() -> None:
    argv = ["sandbox", "run", "--", "/bin/echo", "--debug"]
    assert _take_debug(list(argv)) == argv
    assert _take_debug(["scan", "x", "--debug"]) == ["--debug", "scan", "x"]
    argv = ["sandbox", "run", "python3", "x.py", "--debug"]  # no "--": still the command's
    assert _take_debug(list(argv)) == argv
    moved = _take_debug(["sandbox", "--debug", "run", "echo"])
    assert moved == ["--debug", "sandbox", "run", "echo"]


def test_fail_on_names_are_the_severities() -> None:
    assert [f.value for f in FailOn] == [str(s) for s in sorted(Severity)]


@pytest.mark.parametrize(
    "command", [("scan",), ("check",), ("trojan",), ("data", "scan"), ("leak-test",)]
)
def test_fail_on_lists_its_values(command: tuple[str, ...], tmp_path: Path) -> None:
    r = run_cli(*command, "--help")
    assert r.returncode == 0 and "info|low|medium|high|critical" in r.stdout, r.stdout
    bad = run_cli(*command, str(tmp_path), "--fail-on", "severe")
    assert bad.returncode == 2
    assert "'severe' is not one of 'info', 'low', 'medium', 'high', 'critical'" in bad.stderr


def test_other_severity_options_list_their_values() -> None:
    cases = ((("check",), "--trojan-fail-on"), (("registry", "advise"), "--severity"))
    for command, option in cases:
        r = run_cli(*command, "--help")
        assert f"{option} <info|low|medium|high|critical>" in r.stdout, r.stdout


def test_fail_on_is_case_insensitive(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    r = run_cli("scan", str(tmp_path), "--fail-on", "HIGH")
    assert r.returncode == 0, r.stderr


def test_completion_completes_commands() -> None:
    env = {"_AIRLOCK_COMPLETE": "complete_bash", "COMP_WORDS": "airlock registry to",
           "COMP_CWORD": "2"}  # fmt: skip
    r = run_cli(env=env)
    assert r.returncode == 0 and r.stdout.split() == ["token"], r.stdout + r.stderr
    env["COMP_WORDS"], env["COMP_CWORD"] = "airlock sc", "1"
    assert sorted(run_cli(env=env).stdout.split()) == ["scan", "schema"]


def test_install_completion_for_bash(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    cmd = f"{shlex.quote(sys.executable)} -m airlock --install-completion; exit $?"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    script = tmp_path / ".bash_completions" / "airlock.sh"
    assert "_AIRLOCK_COMPLETE" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


def test_ctrl_c_while_the_cli_is_importing_is_exit_130_without_a_traceback() -> None:
    """Ctrl-C in the first ~0.2 s lands in an import, before any command's handler exists: it
    printed a KeyboardInterrupt traceback (seen by sending SIGINT 0.15 s after start)."""
    code = (
        "import sys\n"
        "class Stop:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'airlock.cli':\n"
        "            raise KeyboardInterrupt\n"
        "        return None\n"
        "sys.meta_path.insert(0, Stop())\n"
        "sys.argv = ['airlock', 'scan', '.']\n"
        "from airlock._entry import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130
    assert done.stderr == "airlock: error: interrupted\n"
