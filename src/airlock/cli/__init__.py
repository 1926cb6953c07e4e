"""The ``airlock`` command line: a thin shell over the library.

The typer application lives in ``airlock.cli.root`` and is imported on first use of ``app``,
``main`` or ``register`` here, so that the modules that need no typer (``_run``, ``scan_job``:
the common ``airlock scan`` forms, see ``airlock._entry``) can be imported without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airlock.cli.root import _take_debug, app, main, register

__all__ = ["_take_debug", "app", "main", "register"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from airlock.cli import root

        return getattr(root, name)
    raise AttributeError(f"module 'airlock.cli' has no attribute {name!r}")
