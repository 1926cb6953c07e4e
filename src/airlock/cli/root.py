"""The ``airlock`` typer application.

Each command group lives in its own module with a ``register(app)`` function; modules import
only typer at the top so that ``airlock --help`` stays fast.
"""

import importlib
import sys

import typer

from airlock.cli import _common, _run

# Which module registers each top-level command: a run registers only the module it needs
# (building every command's click objects costs ~40 ms); --help and unknown words get them all.
_COMMANDS: dict[str, str] = {
    "hash": "provenance",
    "verify": "provenance",
    "check": "check",
    "keygen": "signing",
    "sign": "signing",
    "scan": "scan",
    "schema": "scan",
    "registry": "registry",
    "guard": "guard",
    "sandbox": "guard",
    "policy": "guard",
    "trojan": "trojan",
    "data": "trojan",
    "leak-test": "trojan",
    "doctor": "doctor",
    "admission": "admission",
    "verify-attestation": "admission",
    "explain": "explain",
    "fleet": "fleet",
}
_ORDER = (
    "provenance",
    "check",
    "signing",
    "scan",
    "explain",
    "registry",
    "guard",
    "trojan",
    "doctor",
    "admission",
    "fleet",
)

app = typer.Typer(
    name="airlock",
    help="Let open-weight models in safely: hash, verify, sign, scan, approve, guard.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from airlock import __version__

        typer.echo(f"airlock {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks for errors (also accepted after the command)."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_print_version,
        help="Print the version and exit.",
    ),
) -> None:
    _common.State.debug = debug


_registered: set[str] = set()


def register(modules: tuple[str, ...] = _ORDER) -> typer.Typer:
    """Add the commands of ``modules`` (default: all) to ``app`` once; returns ``app``."""
    for name in modules:
        if name not in _registered:
            _registered.add(name)
            importlib.import_module(f"airlock.cli.{name}").register(app)
    from airlock.cli import examples

    examples.attach(app)
    return app


def _modules_for(argv: list[str]) -> tuple[str, ...]:
    words = [a for a in argv if not a.startswith("-")]
    if not words or words[0] not in _COMMANDS or {"-h", "--help"} & set(argv):
        return _ORDER
    return (_COMMANDS[words[0]],)


def _take_debug(argv: list[str]) -> list[str]:
    """``--debug`` is a root option, but users type it anywhere: move it to the front from among
    the words before ``--`` (after ``--`` everything belongs to a sandboxed command)."""
    end = argv.index("--") if "--" in argv else len(argv)
    words = [a for a in argv[:end] if not a.startswith("-")]
    if words[:2] == ["sandbox", "run"] and "--" not in argv:
        end = argv.index("run") + 1  # `sandbox run CMD ARGS`: the rest is the command's
    if "--debug" not in argv[:end]:
        return argv
    return ["--debug"] + [a for a in argv[:end] if a != "--debug"] + argv[end:]


def main() -> None:
    _run.tolerant_stdout()
    argv = _take_debug(sys.argv[1:])
    _common.State.group = next((a for a in argv if not a.startswith("-")), None)
    register(_modules_for(argv))
    app(args=argv, prog_name="airlock")
