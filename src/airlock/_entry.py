"""The ``airlock`` console script. ``airlock --help`` is answered from help text rendered ahead
of time (``tests/test_cli_help.py`` keeps it equal to typer's own output) without importing
typer or building every command; everything else goes to ``airlock.cli``."""

from __future__ import annotations

import sys

HELP_FILE = "cli/help.txt"


def main() -> None:
    if sys.argv[1:] in (["--help"], ["-h"]):
        from importlib.resources import files

        sys.stdout.write(files("airlock").joinpath(HELP_FILE).read_text(encoding="utf-8"))
        return
    from airlock.cli import main as cli_main

    cli_main()
