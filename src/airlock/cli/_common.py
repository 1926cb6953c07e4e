"""What every typer command shares: output formats and options, progress, and (from
``airlock.cli._run``, which needs no typer) error-to-exit-code mapping and printing.

This package is the only place in Airlock that prints or exits. Keep top-level imports light:
``airlock --help`` must start fast, so heavy modules are imported inside command bodies.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

from airlock.cli import _run
from airlock.cli._run import EXIT_ERROR as EXIT_ERROR
from airlock.cli._run import EXIT_FINDINGS as EXIT_FINDINGS
from airlock.cli._run import EXIT_OK as EXIT_OK
from airlock.cli._run import FailOn as FailOn
from airlock.cli._run import PlainConsole as PlainConsole
from airlock.cli._run import State as State
from airlock.cli._run import cache_summary as cache_summary
from airlock.cli._run import console as console
from airlock.cli._run import fail as fail
from airlock.cli._run import importing as importing
from airlock.cli._run import missing_dependency as missing_dependency
from airlock.cli._run import print_json as print_json
from airlock.cli._run import verdict_cache as verdict_cache

T = TypeVar("T")


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


FORMAT_OPTION = typer.Option(
    OutputFormat.text, "--format", "-f", help="Output format: human text or JSON on stdout."
)


POLICY_OPTION: Any = typer.Option(
    None,
    "--policy",
    help="Policy file, or a registry's /v1/scan-policy URL (default: airlock.toml or "
    "[tool.airlock] in pyproject.toml, searched from here upward).",
)


def fail_on_option(default: str, help: str, name: str = "--fail-on") -> Any:
    """``--fail-on SEVERITY`` that lists its values in ``--help`` and refuses others (exit 2)."""
    return typer.Option(
        FailOn(default),
        name,
        help=help,
        case_sensitive=False,
    )


def guarded(fn: Callable[[], T]) -> T:
    """``_run.guarded`` for typer commands: their own ``typer.Exit`` goes through."""
    return _run.guarded(fn, (typer.Exit,))


@contextmanager
def progress(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """A byte-progress bar on stderr when it is a terminal; a no-op callback otherwise.

    rich's bar appears only after a short delay, so work under a second shows nothing.
    """
    if not sys.stderr.isatty() or total <= 0:
        yield lambda _n: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
        refresh_per_second=8,
    )
    task = bar.add_task(description, total=total, start=True)
    started = [False]
    import time

    t0 = time.monotonic()

    def advance(n: int) -> None:
        if not started[0] and time.monotonic() - t0 > 1.0:
            bar.start()
            started[0] = True
        bar.advance(task, n)

    try:
        yield advance
    finally:
        if started[0]:
            bar.stop()


DOWNLOAD_OPTION = typer.Option(
    False,
    "--download",
    help="Judge every byte, not only what judgement needs: hf:// is fetched into the HF cache "
    "(digests checked) and judged there; s3://, gs://, https:// are read whole into a private "
    "temporary folder; a local path is read as always.",
)


def local_path(text: str, what: str = "PATH") -> Any:
    """A local model path given as text: typer turns ``""`` into ``Path(".")``, so a command
    given an unset variable (``sign "$MODEL"``) would act on the working directory instead."""
    from pathlib import Path

    from airlock.errors import UsageError

    if not text:
        raise UsageError(f"{what}: empty path (an unset variable?)")
    scheme = text.partition("://")[0].lower()
    if scheme in ("hf", "s3", "gs", "http", "https"):  # Path() would read it as "hf:/org/name"
        raise UsageError(
            f"{what}: {text} is not a local path; this command reads local files only "
            "(hash, verify, scan and check take remote names)"
        )
    return Path(text)


def uvicorn_http(body_timeout: float) -> Any:
    """uvicorn's ``http=`` for a serve command: httptools with a bounded request head and
    bounded head/body arrival times (``airlock.httpbounds``); without httptools, uvicorn's h11
    (which bounds the head at 16 KiB, not the arrival times)."""
    try:
        from airlock import httpbounds
    except ImportError:
        return "h11"
    httpbounds.configure(body_timeout=body_timeout)
    return httpbounds.BoundedHttpTools


def require_listen(host: str, port: int) -> None:
    """Fail (exit 2, one line) before a server announces itself when it could not listen:
    uvicorn printed its own error after our "listening on" line and exited 3."""
    import socket

    from airlock.errors import InputError, UsageError

    if not 0 <= port <= 65535:  # getaddrinfo wraps 99999 round to 34463
        raise UsageError(f"--port {port}: not a TCP port (0-65535)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {host!r}: not an address to listen on ({exc})") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
        try:
            sock.bind(addr)
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port} ({exc.strerror})") from None


@contextmanager
def resolved(name: str, walk: Any = None, download: bool = False) -> Iterator[Any]:
    """The model a command names (path, hf://, s3://, gs://, https://), cleaned up afterwards."""
    from airlock.sources import resolve

    with resolve(name, walk=walk, download=download) as model:
        yield model


CACHE_URL_OPTION = typer.Option(
    None,
    "--cache-url",
    envvar="AIRLOCK_CACHE_URL",
    help="Verdict cache: a registry database URL (sqlite:///F or postgresql://...); files "
    "judged before under the same analyser, allowlist, rules and policy are not scanned again.",
)
