"""Where a model lives: one way to name it (path, ``hf://``, ``s3://``, ``gs://``, ``https://``).

``resolve(name)`` is the only entry point the CLI, the gate and the Python API use. A local path
or a Hugging Face cache snapshot is judged in place; a remote model is judged before download
(only the bytes judgement needs are read, digests come from the source's metadata where it
states them) or, with ``download=True``, fetched whole into the HF cache layout first.
"""

from __future__ import annotations

from airlock.sources.resolve import Resolved, resolve
from airlock.sources.spec import ModelName, parse_name

__all__ = ["ModelName", "Resolved", "parse_name", "resolve"]
