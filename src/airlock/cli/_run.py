"""What running a command needs without typer: exit codes, errors as one line and an exit
code, consoles, the verdict cache. ``airlock._entry`` runs the common ``airlock scan`` forms on
these alone (``airlock.cli.scan_job``): importing typer and building a command is ~30 % of a
checkpoint scan's start-up. ``airlock.cli._common`` adds typer's options on top.

Exits are ``SystemExit``: click lets it through unchanged, so a command behaves the same under
typer and on the fast path."""

from __future__ import annotations

import enum
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

from airlock.render.markup import render_plain

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

T = TypeVar("T")


class State:
    """Global flags set by the root callback."""

    debug: bool = False
    group: str | None = None  # the command group run from the command line (``admission``)


class FailOn(enum.StrEnum):
    """``airlock.report.Severity``'s names, lowest first (a test keeps them equal; importing
    report here would slow every command's start-up)."""

    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


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
    raise SystemExit(code)


def guarded(fn: Callable[[], T], passthrough: tuple[type[Exception], ...] = ()) -> T:
    """Run library code, turning Airlock errors (and any surprise) into one line + exit 2;
    ``passthrough``: exceptions that are a command's own way out (``typer.Exit``)."""
    from airlock.errors import AirlockError

    try:
        return fn()
    except passthrough:
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
        raise SystemExit(EXIT_ERROR) from None
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


def tolerant_stdout() -> None:
    """File names that are not UTF-8 reach reports as lone surrogates (``os.fsdecode``). Python's
    stdout is strict under a UTF-8 locale (surrogateescape only under C/POSIX), so a report that
    named such a file died as an internal error. Write the name's own bytes, as GNU tools do."""
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    try:
        sys.stdout.reconfigure(  # type: ignore[union-attr]
            errors="surrogateescape" if enc == "utf8" else "backslashreplace"
        )
    except (AttributeError, ValueError, OSError):
        pass
