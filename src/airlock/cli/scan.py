"""``airlock scan`` (static scan, never loads a model) and ``airlock schema report``."""

import enum
from pathlib import Path

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK


class ScanFormat(enum.StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


def _severity(text: str) -> object:
    from airlock.report import Severity

    try:
        return Severity.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def scan_command(
    paths: list[str] = typer.Argument(
        ...,
        metavar="PATH...",
        help="Files, directories, HF cache repos, hf://ORG/NAME[@REV], s3://B/P, https:// URLs.",
    ),
    fmt: ScanFormat = typer.Option(ScanFormat.text, "--format", "-f", help="text, json or sarif."),
    fail_on: _common.FailOn | None = typer.Option(
        None,
        "--fail-on",
        case_sensitive=False,
        help="Exit 1 if a finding is at or above this severity "
        "(default: the policy file's fail-on, else high).",
    ),
    policy: str | None = _common.POLICY_OPTION,
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even with findings."),
    allow_unscanned: bool = typer.Option(
        False,
        "--allow-unscanned",
        help="Objects that could not be fully scanned (budget hit, unreadable) do not fail.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to FILE instead of stdout."
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Parallel workers."),
    cache_url: str | None = _common.CACHE_URL_OPTION,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Explain findings; list objects."),
    download: bool = _common.DOWNLOAD_OPTION,
) -> None:
    """Statically scan model files for code that would run on load (pickle, PyTorch, NumPy,
    joblib, archives, safetensors, GGUF, ...). Never loads or executes anything."""
    given = _severity(fail_on) if fail_on is not None else None

    def run() -> int:
        with _common.importing():
            from airlock.policyfile import apply_policy, load_policy
            from airlock.report import Severity
            from airlock.scan.engine import ScanOptions
            from airlock.sources.scanning import scan_models

        pol = load_policy(policy)
        threshold = given if isinstance(given, Severity) else (pol.fail_on or Severity.HIGH)
        cache = _common.verdict_cache(cache_url, pol)
        report = scan_models(
            list(paths), ScanOptions(workers=workers, cache=cache), download=download
        )
        _common.cache_summary(cache, report.objects)
        apply_policy(report, pol)
        if fmt is ScanFormat.text and output is None:
            from airlock.render.text_report import render_text

            render_text(report, _common.console(), verbose=verbose)
        else:
            text = _render(report, fmt, verbose)
            if output is None:
                import sys

                sys.stdout.write(text)
            else:
                try:
                    output.write_text(text, encoding="utf-8")
                except OSError as exc:
                    from airlock.errors import InputError

                    raise InputError(f"{output}: cannot write report ({exc.strerror})") from None
        # not scanned = not judged: fails like a finding, as at the gate (pre-commit hooks)
        failed = report.fails(threshold) or (not allow_unscanned and bool(report.not_scanned))
        return EXIT_FINDINGS if failed and not exit_zero else EXIT_OK

    raise typer.Exit(_common.guarded(run))


def _render(report: object, fmt: ScanFormat, verbose: bool) -> str:
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


schema_app = typer.Typer(
    help="Print the JSON Schema of Airlock's JSON outputs.", no_args_is_help=True
)


@schema_app.command("report")
def schema_report() -> None:
    """JSON Schema of the scan report (airlock scan --format json)."""
    from airlock.scan.result import report_schema

    _common.guarded(lambda: _common.print_json(report_schema()))  # `| head -c0`: no traceback


def register(app: typer.Typer) -> None:
    app.command("scan")(scan_command)
    app.add_typer(schema_app, name="schema")
