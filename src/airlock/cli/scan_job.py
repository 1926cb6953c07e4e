"""What ``airlock scan`` does once its arguments are known, without typer, and the common forms
of its command line read without typer.

``airlock scan`` is run once per file by pre-commit hooks and CI steps, where start-up is most
of the time: importing typer and building the command costs ~120 M instructions, a third of a
1 GiB checkpoint's whole scan (issue 12). ``airlock._entry`` therefore reads the forms below
itself and hands everything else (``--help``, ``--debug``, ``--``, a repeated or unknown option,
a value typer would have to convert or refuse) to typer. Both paths end in :func:`run_scan`;
``tests/test_cli_scan_fast.py`` keeps their outputs and exit codes equal."""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import NamedTuple

from airlock.cli import _run
from airlock.cli._run import EXIT_FINDINGS, EXIT_OK


class ScanFormat(enum.StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


class ScanArgs(NamedTuple):
    paths: list[str]
    fmt: ScanFormat = ScanFormat.text
    fail_on: str | None = None
    policy: str | None = None
    exit_zero: bool = False
    allow_unscanned: bool = False
    output: Path | None = None
    workers: int | None = None
    cache_url: str | None = None
    verbose: bool = False
    download: bool = False


_FLAGS = {"--exit-zero": "exit_zero", "--allow-unscanned": "allow_unscanned",
          "--verbose": "verbose", "-v": "verbose", "--download": "download"}  # fmt: skip
_VALUED = {"--format": "fmt", "-f": "fmt", "--fail-on": "fail_on", "--policy": "policy",
           "--output": "output", "-o": "output", "--workers": "workers"}  # fmt: skip
_FAIL_ON = frozenset(level.value for level in _run.FailOn)


def fast_args(argv: list[str]) -> ScanArgs | None:
    """``argv`` after ``scan`` when it is one of the plain forms (paths and the options above,
    each at most once, values given as ``--opt V`` or ``--opt=V``), else ``None`` (typer)."""
    if "AIRLOCK_CACHE_URL" in os.environ:  # typer reads --cache-url's default from it
        return None
    paths: list[str] = []
    got: dict[str, object] = {}
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if not word.startswith("-") or word == "-":
            paths.append(word)
            continue
        name, eq, value = word.partition("=")
        if eq and not name.startswith("--"):  # click reads -f=json as -f with "=json"
            return None
        val: object
        if name in _FLAGS and not eq:
            key, val = _FLAGS[name], True
        elif name in _VALUED:
            if not eq:
                if i >= len(argv):
                    return None
                value, i = argv[i], i + 1
            if value.startswith("-"):
                return None
            key, val = _VALUED[name], _value(_VALUED[name], value)
            if val is None:
                return None
        else:
            return None
        if key in got:
            return None
        got[key] = val
    if not paths:
        return None
    return ScanArgs(paths, **got)  # type: ignore[arg-type]


def _value(key: str, text: str) -> object:
    """The option's value as typer would pass it, or ``None`` when typer should judge it."""
    if key == "fmt":
        return ScanFormat(text) if text in ScanFormat.__members__ else None
    if key == "fail_on":
        return text.lower() if text.lower() in _FAIL_ON else None
    if key == "workers":
        return int(text) if text.isascii() and text.isdigit() and int(text) >= 1 else None
    if key == "output":
        return Path(text) if text else None
    return text if text else None  # --policy


def run_scan(args: ScanArgs) -> int:
    """Scan, render, and the exit code: findings at or above the threshold, or objects not
    fully judged (unless ``allow_unscanned``), fail as at the gate."""
    with _run.importing():
        from airlock.policyfile import apply_policy, load_policy
        from airlock.report import Severity
        from airlock.scan.engine import ScanOptions
        from airlock.sources.scanning import scan_models

    given = Severity.parse(args.fail_on) if args.fail_on is not None else None
    pol = load_policy(args.policy)
    threshold = given if given is not None else (pol.fail_on or Severity.HIGH)
    cache = _run.verdict_cache(args.cache_url, pol)
    report = scan_models(
        list(args.paths), ScanOptions(workers=args.workers, cache=cache), download=args.download
    )
    _run.cache_summary(cache, report.objects)
    apply_policy(report, pol)
    if args.fmt is ScanFormat.text and args.output is None:
        from airlock.render.text_report import render_text

        render_text(report, _run.console(), verbose=args.verbose)
    else:
        text = render(report, args.fmt, args.verbose)
        if args.output is None:
            import sys

            sys.stdout.write(text)
        else:
            try:
                args.output.write_text(text, encoding="utf-8")
            except OSError as exc:
                from airlock.errors import InputError

                raise InputError(f"{args.output}: cannot write report ({exc.strerror})") from None
    failed = report.fails(threshold) or (not args.allow_unscanned and bool(report.not_scanned))
    return EXIT_FINDINGS if failed and not args.exit_zero else EXIT_OK


def render(report: object, fmt: ScanFormat, verbose: bool) -> str:
    from airlock.scan.result import ScanReport

    assert isinstance(report, ScanReport)
    if fmt is ScanFormat.sarif:
        from airlock.render.sarif import render_sarif

        return render_sarif(report)
    if fmt is ScanFormat.json:
        from airlock.render.json_report import render_json

        return render_json(report)
    import io

    from rich.console import Console

    from airlock.render.text_report import render_text

    buf = io.StringIO()
    render_text(report, Console(file=buf, width=120, highlight=False), verbose=verbose)
    return buf.getvalue()
