"""The ``airlock`` command line: a thin shell over the library.

Each command group lives in its own module with a ``register(app)`` function; modules import
only typer at the top so that ``airlock --help`` stays fast.
"""

from __future__ import annotations

import typer

from airlock.cli import _common
from airlock.cli import check as _check
from airlock.cli import guard as _guard
from airlock.cli import provenance as _provenance
from airlock.cli import registry as _registry
from airlock.cli import scan as _scan
from airlock.cli import signing as _signing
from airlock.cli import trojan as _trojan

app = typer.Typer(
    name="airlock",
    help="Let open-weight models in safely: hash, verify, sign, scan, approve, guard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    _common.State.debug = debug


for _module in (_provenance, _check, _signing, _scan, _registry, _guard, _trojan):
    _module.register(app)


def main() -> None:
    app()
