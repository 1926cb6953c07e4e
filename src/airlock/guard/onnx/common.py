"""What the ONNX classifier's modules share: limits, the optional-import helper, and the judged
inputs a session is built from."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from airlock.errors import DependencyError

EXTRA = "guard-onnx"
DEFAULT_MAX_LEN = 512
DEFAULT_THRESHOLD = 0.5
LABEL_HINT = re.compile(r"injection|jailbreak|unsafe", re.IGNORECASE)
MAX_JSON_BYTES = 64 << 20
MAX_MODEL_BYTES = 2 << 30  # protobuf's own limit for one ModelProto
ALLOWED_INPUTS = frozenset({"input_ids", "attention_mask", "token_type_ids"})
# TensorProto.DataType -> numpy dtype, for external initializers we read ourselves
_NP_TYPES: dict[int, Any] = {
    1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32,
    7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64,
}  # fmt: skip
# The top-level graph as formats.onnx labels it; anything nested (subgraphs, functions,
# attributes) carries more text and is refused if it asks for external data.
_TOP_GRAPH = re.compile(r"graph(?: '[^']*'| \"[^\"]*\")?")

Window = tuple[list[int], list[int], tuple[int, int]]
"""Token ids, token type ids, and the character span of the text the window covers."""
Best = tuple[float, int, int]
"""A text's highest window score and that window's character span."""
# Memory for the sandboxed worker: interpreter, numpy, onnxruntime, tokenizers (address space,
# so generous), plus copies of the model: the bytes received, the session's, its arena.
WORKER_BASE_MB = 2048
HARD_GRACE_S = 1.0


def _import(name: str) -> Any:
    """Optional dependencies as ``Any`` (onnxruntime ships no type information)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise DependencyError(
            f"the ONNX classifier needs {name!r} from the {EXTRA!r} extra:"
            f" pip install 'model-airlock[{EXTRA}]'"
        ) from None


@dataclass(frozen=True)
class _Prepared:
    """Everything the session is built from, already judged by the parent: the exact bytes it
    scanned, the parsed config and the external tensors it read itself."""

    source: str
    model_name: str
    model_bytes: bytes
    tok_text: str
    labels: list[str]
    target: int
    cfg_len: int | None
    pad: int
    multi: bool
    external: list[tuple[str, Any]]


