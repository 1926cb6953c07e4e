"""The ``airlock`` console script. ``airlock --help`` and ``--version`` are answered from text
rendered ahead of time (``tests/test_cli_help.py`` keeps them equal to typer's own output)
without importing typer or building every command, and ``airlock scan`` in its plain forms runs
without typer (``airlock.cli.scan_job``); everything else goes to ``airlock.cli``."""

from __future__ import annotations

import gc
import sys

HELP_FILE = "cli/help.txt"


def main() -> None:
    """Output that cannot be written (`| head -c0`, a full disk) ends the run with one line and
    exit 2, also for --help and --version, which no command's error handling wraps; Ctrl-C while
    the CLI is still importing (before any command's handler exists) is exit 130, no traceback."""
    try:
        _main()
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("airlock: error: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_exit()
    except OSError as exc:
        sys.stderr.write(f"airlock: error: cannot write output: {exc.strerror or exc}\n")
        _quiet_exit()


def _quiet_exit() -> None:
    import os

    try:  # the interpreter's final flush would fail again and print a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(2)


def _main() -> None:
    if sys.stdout is None:  # started with stdout closed (`>&-`): nothing could be reported
        sys.stderr.write("airlock: error: cannot write output: stdout is closed\n")
        sys.exit(2)
    if sys.argv[1:] == ["--version"]:  # as typer's root option prints it, without building
        from airlock import __version__  # every command (~0.3 s of CPU)

        sys.stdout.write(f"airlock {__version__}\n")
        return
    if sys.argv[1:] in (["--help"], ["-h"]):
        from importlib.resources import files

        sys.stdout.write(files("airlock").joinpath(HELP_FILE).read_text(encoding="utf-8"))
        return
    if sys.argv[1:2] == ["scan"] and _fast_scan(sys.argv[2:]):
        return
    # Importing typer and the CLI allocates tens of thousands of objects that live as long as
    # the process; with the collector on, that costs ~40 collections that free almost nothing
    # (~15 ms of a 0.1 s `airlock scan`). Collect nothing while importing, then move what was
    # built to the permanent generation (never traversed again) and collect as usual.
    gc.disable()
    try:
        from airlock.cli import main as cli_main
    finally:
        gc.freeze()
        gc.enable()
    cli_main()


def _fast_scan(argv: list[str]) -> bool:
    """``airlock scan`` in its plain forms without typer (``airlock.cli.scan_job``); False when
    typer must read the command line."""
    gc.disable()
    try:
        from airlock.cli import scan_job
    finally:
        gc.freeze()
        gc.enable()
    args = scan_job.fast_args(argv)
    if args is None:
        return False
    from airlock.cli import _run

    _run.tolerant_stdout()
    _run.State.group = "scan"
    sys.exit(_run.guarded(lambda: scan_job.run_scan(args)))
