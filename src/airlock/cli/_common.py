"""What every command shares: output formats, error-to-exit-code mapping, printing, progress.

This package is the only place in Airlock that prints or exits. Keep top-level imports light:
``airlock --help`` must start fast, so heavy modules are imported inside command bodies.
"""

from __future__ import annotations

import enum
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import typer

from airlock.render.markup import render_plain

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

T = TypeVar("T")


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


class State:
    """Global flags set by the root callback."""

    debug: bool = False
    group: str | None = None  # the command group run from the command line (``admission``)


FORMAT_OPTION = typer.Option(
    OutputFormat.text, "--format", "-f", help="Output format: human text or JSON on stdout."
)


class FailOn(enum.StrEnum):
    """``airlock.report.Severity``'s names, lowest first (a test keeps them equal; importing
    report here would slow every command's start-up)."""

    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


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


@contextmanager
def importing() -> Iterator[None]:
    """Around a command's deferred imports: they build objects that live as long as the process,
    so collecting meanwhile frees nothing and only costs time (see ``airlock._entry``)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    sys.stderr.write(f"airlock: error: {message}\n")
    raise typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code, turning Airlock errors (and any surprise) into one line + exit 2."""
    from airlock.errors import AirlockError

    try:
        return fn()
    except typer.Exit:
        raise
    except AirlockError as exc:
        if State.debug:
            raise
        fail(str(exc), exc.exit_code)
    except ModuleNotFoundError as exc:
        if State.debug:
            raise
        fail(missing_dependency(exc.name or str(exc), State.group))
    except BrokenPipeError:
        # the reader went away (``| head``): not an error of ours, and nothing left to say
        _silence_stdout()
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except MemoryError:
        fail("out of memory")
    except OSError as exc:  # an I/O error (stdout on a full disk, ...), not a bug of ours
        if State.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:
        if State.debug:
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# Which extras bring each optional module (pyproject.toml's [project.optional-dependencies]).
_EXTRAS: dict[str, tuple[str, ...]] = {
    "sqlalchemy": ("registry",),
    "alembic": ("registry",),
    "psycopg": ("registry",),
    "cyclonedx": ("registry",),
    "fastapi": ("registry", "guard"),
    "uvicorn": ("registry", "guard"),
    "httpx": ("registry", "guard", "admission", "remote"),
    "httptools": ("guard", "admission"),
    "uvloop": ("guard", "admission"),
    "orjson": ("admission",),
    "httpcore": ("guard",),
    "sniffio": ("guard",),
    "boto3": ("remote",),
    "botocore": ("remote",),
    "celery": ("fleet",),
    "kombu": ("fleet",),
}


# The extra a command group needs whole, and the extras it includes ([fleet] brings [registry]).
_GROUP_EXTRA: dict[str, tuple[str, ...]] = {
    "registry": ("registry",),
    "guard": ("guard",),
    "admission": ("admission",),
    "fleet": ("fleet", "registry"),
}


def missing_dependency(module: str, group: str | None = None) -> str:
    """One line telling the user which optional extra brings ``module``: the extra of the
    command ``group`` being run when that one brings it (one command to copy, not a choice)."""
    top = module.split(".")[0]
    if top == "torch":
        return "this needs PyTorch: pip install torch==2.13.0 (CPU build)"
    extras = _EXTRAS.get(top)
    if not extras:
        return f"this needs the Python package {top!r}, which is not installed"
    wanted = _GROUP_EXTRA.get(group or "")
    if wanted and any(e in extras for e in wanted):
        return f"this needs the optional package {top!r}: pip install 'model-airlock[{wanted[0]}]'"
    if len(extras) == 1:
        return f"this needs the optional package {top!r}: pip install 'model-airlock[{extras[0]}]'"
    return (
        f"this needs the optional package {top!r}, which the extras {', '.join(extras)} bring: "
        f"pip install 'model-airlock[EXTRA]' with the one for this command (or [all])"
    )


def print_json(data: Any) -> None:
    from airlock.render.json_report import dumps

    sys.stdout.write(dumps(data))


class PlainConsole:
    """rich's ``Console.print`` for pipes and files: markup stripped, no rich import (fast)."""

    def __init__(self, stderr: bool = False) -> None:
        self._stream = sys.stderr if stderr else sys.stdout

    def print(self, *objects: Any, markup: bool = True, **_: Any) -> None:
        text = " ".join(str(o) for o in objects)
        self._stream.write((render_plain(text) if markup else text) + "\n")


def console(stderr: bool = False) -> Any:
    """rich on a terminal (colours), a plain writer otherwise (saves ~40 ms of imports)."""
    stream = sys.stderr if stderr else sys.stdout
    if not stream.isatty():
        return PlainConsole(stderr)
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


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


def verdict_cache(url: str | None, policy: Any) -> Any:
    """The verdict cache at ``url`` under ``policy`` (``None`` without a URL)."""
    if not url:
        return None
    from airlock.fleet.cache import VerdictCache
    from airlock.fleet.ruleset import current

    return VerdictCache.open(url, current(policy))


def cache_summary(cache: Any, objects: Any) -> None:
    """One stderr line: how many files' results came from the verdict cache."""
    if cache is None:
        return
    from airlock.fleet.codec import CACHE_NOTE

    files = hits = 0
    for o in objects:
        member = o.get("member") if isinstance(o, dict) else o.member
        if member is not None:
            continue
        files += 1
        notes = o.get("notes", []) if isinstance(o, dict) else o.notes
        hits += any(str(n).startswith(CACHE_NOTE) for n in notes)
    console(stderr=True).print(
        f"verdict cache: {hits} of {files} files from the cache, {files - hits} scanned",
        markup=False,
        highlight=False,
    )
