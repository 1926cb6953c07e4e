"""``airlock --help`` is served from src/airlock/cli/help.txt: it must equal typer's output.

Regenerate after changing commands: AIRLOCK_REGEN_HELP=1 pytest tests/test_cli_help.py
"""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

import airlock
from airlock.cli import register

HELP = Path(airlock.__file__).parent / "cli" / "help.txt"


def test_static_help_matches_typer(cli) -> None:  # type: ignore[no-untyped-def]
    live = CliRunner().invoke(register(), ["--help"], prog_name="airlock", terminal_width=80)
    assert live.exit_code == 0
    if os.environ.get("AIRLOCK_REGEN_HELP") == "1":
        HELP.write_text(live.output, encoding="utf-8")
    assert HELP.read_text(encoding="utf-8") == live.output
    proc = cli("--help")
    assert proc.returncode == 0 and proc.stdout == live.output


def test_fast_version_matches_typer(cli) -> None:  # type: ignore[no-untyped-def]
    """``airlock --version`` is answered before typer builds every command (~0.3 s of CPU);
    it must print what typer's root option prints."""
    live = CliRunner().invoke(register(), ["--version"], prog_name="airlock")
    assert live.exit_code == 0 and live.output == f"airlock {airlock.__version__}\n"
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout == live.output
    # anything more than the bare option still goes through typer
    assert cli("--version", "--debug").stdout == live.output
