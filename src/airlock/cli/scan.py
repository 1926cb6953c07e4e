"""``airlock scan`` (static scan, never loads a model) and ``airlock schema report``."""

from pathlib import Path

import typer

from airlock.cli import _common
from airlock.cli.scan_job import ScanArgs, ScanFormat, run_scan


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
        None,
        "--output",
        "-o",
        readable=False,  # a report file need only be writable (as on the fast path)
        help="Write the report to FILE instead of stdout.",
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Parallel workers."),
    cache_url: str | None = _common.CACHE_URL_OPTION,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Explain findings; list objects."),
    download: bool = _common.DOWNLOAD_OPTION,
) -> None:
    """Statically scan model files for code that would run on load (pickle, PyTorch, NumPy,
    joblib, archives, safetensors, GGUF, ...). Never loads or executes anything."""
    args = ScanArgs(
        paths, fmt, None if fail_on is None else fail_on.value, policy, exit_zero,
        allow_unscanned, output, workers, cache_url, verbose, download,
    )  # fmt: skip
    raise typer.Exit(_common.guarded(lambda: run_scan(args)))


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
