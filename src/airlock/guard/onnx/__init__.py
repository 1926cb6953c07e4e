"""A user-supplied ONNX sequence classifier (e.g. a Hugging Face Optimum export of a
prompt-injection model) as one more guard scanner.

The model is untrusted input until Airlock has judged it, so loading goes: read the bytes once,
scan the folder *and* those exact bytes with Airlock's scanner, refuse on any finding at medium
or above or any object left unscanned, then hand onnxruntime the in-memory bytes (never the path)
with no custom-op libraries, the CPU provider only and one intra-op thread. External data is read
by us from inside the folder and supplied as initializers, so onnxruntime never opens a file.
The tokenizer is ``tokenizer.json`` read by the ``tokenizers`` library: data, not code.

Even a model that passed the scan is parsed by onnxruntime (C++) and ``tokenizers`` (Rust), and
the guard sees all traffic, so by default both run in a long-lived sandboxed worker
(:mod:`airlock.sandbox.service`): the parent sends it the scanned bytes (it binds no user file)
and asks it for scores; a crash or a hang fails that request closed and a fresh worker serves
the next. ``sandbox=False`` keeps the old in-process loading for machines without a sandbox.

Modules by job: ``prepare`` (locate, read, scan, refuse), ``model`` (session and scoring),
``worker`` (the sandboxed service), ``scanner`` (the guard scanner).
"""

from __future__ import annotations

from pathlib import Path

from airlock.guard.onnx.common import _import
from airlock.guard.onnx.model import OnnxTextClassifier, _build
from airlock.guard.onnx.prepare import _prepare
from airlock.guard.onnx.scanner import OnnxClassifierScanner, TextClassifier
from airlock.guard.onnx.worker import SandboxedOnnxClassifier, _sandboxed

__all__ = [
    "OnnxClassifierScanner",
    "OnnxTextClassifier",
    "SandboxedOnnxClassifier",
    "TextClassifier",
    "load_onnx_classifier",
]


def load_onnx_classifier(
    path: Path, label: str | None = None, *, sandbox: bool = True
) -> OnnxTextClassifier | SandboxedOnnxClassifier:
    """Scan, then load and validate an ONNX sequence classifier folder (Optimum layout): in a
    sandboxed worker by default (refused if no sandbox works here), in-process with
    ``sandbox=False``."""
    _import("onnxruntime")  # name the missing extra before scanning anything
    _import("tokenizers")
    prep = _prepare(path, label)
    return _sandboxed(prep) if sandbox else _build(prep)


