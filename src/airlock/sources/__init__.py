"""Where a model lives: one way to name it (path, ``hf://``, ``s3://``, ``gs://``, ``https://``).

``resolve(name)`` is the only entry point the CLI, the gate and the Python API use. A local path
or a Hugging Face cache snapshot is judged in place; a remote model is judged before download
(only the bytes judgement needs are read, digests come from the source's metadata where it
states them) or, with ``download=True``, fetched whole into the HF cache layout first.

The names below are imported on first use: ``airlock scan`` of local paths imports
``airlock.sources.scanning`` and must not pay for the remote machinery (~18 ms of start-up).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airlock.sources.resolve import Resolved, resolve
    from airlock.sources.spec import ModelName, parse_name

__all__ = ["ModelName", "Resolved", "parse_name", "resolve"]
_HOME = {"Resolved": "resolve", "resolve": "resolve", "ModelName": "spec", "parse_name": "spec"}


class _Package(types.ModuleType):
    """``resolve`` names both a submodule and the function exported here. Python binds a
    submodule to its parent's attribute once imported; that must not replace the function."""

    def __getattr__(self, name: str) -> Any:
        if name not in _HOME:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
        super().__setattr__(name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return  # the submodule stays reachable as sys.modules["airlock.sources.resolve"]
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
