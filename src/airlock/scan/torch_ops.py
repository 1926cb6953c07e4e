"""The operator policy of PyTorch programs stored as code or graphs (TorchScript ``code/``,
``torch.export`` PT2 ``models/*.json``): which ``namespace::operator`` a stored program may call.
Loaded from ``data/torchscript_allowlist.json`` (generated from torch's operator registry by
``tests/scan/torchscript_allowlist_gen.py``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class TorchScriptPolicy:
    allow: dict[str, frozenset[str]]
    aten_excluded: frozenset[str]
    builtins: frozenset[str]
    methods: frozenset[str]
    torchbind_namespaces: frozenset[str]
    dangerous: frozenset[str]
    # ops that trust raw sizes/strides/offsets/indices (no storage-bounds check): never allowed
    unchecked: dict[str, frozenset[str]]

    def is_unchecked(self, ns: str, op: str) -> bool:
        return op in self.unchecked.get(ns, frozenset())


@cache
def policy() -> TorchScriptPolicy:
    """The shipped allowlist; a missing or malformed file is an error (fail closed)."""
    raw = json.loads(
        (Path(__file__).parent / "data" / "torchscript_allowlist.json").read_text("utf-8")
    )
    if raw.get("schema") != 1:
        raise ValueError("torchscript_allowlist.json: unsupported schema")
    return TorchScriptPolicy(
        allow={str(ns): frozenset(map(str, ops)) for ns, ops in raw["allow"].items()},
        aten_excluded=frozenset(raw["aten_excluded"]),
        builtins=frozenset(raw["builtins"]),
        methods=frozenset(raw["methods"]),
        torchbind_namespaces=frozenset(raw["torchbind_namespaces"]),
        dangerous=frozenset(raw["dangerous"]),
        unchecked={str(ns): frozenset(map(str, ops)) for ns, ops in raw["unchecked"].items()},
    )


# names of TorchScript's own namespaces, where an unlisted operator is "outside the allowlist"
# rather than "a custom operator"
_TS_STD_NAMESPACES = frozenset(
    {"aten", "prim", "quantized", "_quantized", "quantization", "sparse", "mkldnn",
     "mkldnn_prepacked", "onednn", "mkl", "prims", "_c10d_functional", "c10d",
     "_c10d_functional_autograd", "symm_mem", "profiler", "static_runtime", "inductor", "_test"}
)  # fmt: skip
_TS_DANGEROUS_OP = re.compile(
    r"(?:^|_)(save|load|open|system|popen|exec|spawn|write|read_file|unlink|remove|file|mmap|"
    r"shm|shared)(?:_|$)"
)


class OpVerdict(Enum):
    ALLOWED = "allowed"
    DANGEROUS = "dangerous"  # reaches files (from_file, save...)
    UNLISTED = "unlisted"  # a standard namespace, not on its list
    CUSTOM = "custom"  # another namespace: native code loaded in the process


def op_verdict(ns: str, op: str) -> OpVerdict:
    """``ns::op``, however the program spells it."""
    pol = policy()
    if op in pol.dangerous:
        return OpVerdict.DANGEROUS
    if pol.is_unchecked(ns, op):
        return OpVerdict.UNLISTED  # memory-unsafe with crafted arguments
    if op in pol.allow.get(ns, frozenset()):
        return OpVerdict.ALLOWED
    if _TS_DANGEROUS_OP.search(op):
        return OpVerdict.DANGEROUS
    if ns in _TS_STD_NAMESPACES or ns in pol.allow:
        return OpVerdict.UNLISTED
    return OpVerdict.CUSTOM


# torch.export graphs (``models/<m>.json``): node targets are resolved by the deserializer's
# ``deserialize_operator`` (getattr walks from ``torch``, ``_operator`` or ``math``), so any
# attribute path of those modules can become a callable the program calls when it runs
_PT2_OPERATOR = frozenset(
    {"getitem", "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos", "abs",
     "eq", "ne", "lt", "le", "gt", "ge", "and_", "or_", "xor", "not_", "invert", "lshift",
     "rshift", "matmul", "truth", "index"}
)  # fmt: skip
_PT2_MATH = frozenset(
    {"ceil", "floor", "trunc", "sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan",
     "asin", "acos", "atan", "sinh", "cosh", "tanh", "pow", "fabs", "isnan", "isinf"}
)  # fmt: skip
_PT2_TORCH = frozenset(
    {"sym_int", "sym_float", "sym_max", "sym_min", "sym_not", "sym_ite", "sym_sqrt", "sym_sum",
     "_sym_sqrt"}
)  # fmt: skip
_PT2_HIGHER_ORDER = frozenset(
    {"cond", "while_loop", "map_impl", "scan", "associative_scan", "invoke_subgraph",
     "wrap_with_set_grad_enabled", "wrap_with_autocast", "auto_functionalized",
     "auto_functionalized_v2", "flex_attention", "with_effects", "run_const_graph"}
)  # fmt: skip


def pt2_target_verdict(target: str) -> OpVerdict:
    """A node target of a serialized ``torch.export`` graph."""
    parts = target.split(".")
    pol = policy()
    if parts[:2] == ["torch", "ops"] and len(parts) in (4, 5):
        ns, op = parts[2], parts[3]
        if ns == "higher_order":
            return OpVerdict.ALLOWED if op in _PT2_HIGHER_ORDER else OpVerdict.UNLISTED
        return op_verdict(ns, op)
    if len(parts) == 2 and parts[0] == "_operator" and parts[1] in _PT2_OPERATOR:
        return OpVerdict.ALLOWED
    if len(parts) == 2 and parts[0] == "math" and parts[1] in _PT2_MATH:
        return OpVerdict.ALLOWED
    if len(parts) == 2 and parts[0] == "torch" and parts[1] in _PT2_TORCH:
        return OpVerdict.ALLOWED
    if target.startswith("#"):
        return OpVerdict.CUSTOM  # an extension operator (a registered handler)
    if any(p in pol.dangerous or _TS_DANGEROUS_OP.search(p) for p in parts[1:]):
        return OpVerdict.DANGEROUS
    return OpVerdict.UNLISTED


def pt2_targets(doc: object, limit: int = 1_000_000) -> list[str]:
    """Every node ``target`` and ``as_operator`` string of a parsed program JSON (subgraphs
    included), iteratively."""
    found: list[str] = []
    stack = [doc]
    seen = 0
    while stack and seen < limit:
        cur = stack.pop()
        seen += 1
        if isinstance(cur, dict):
            target = cur.get("target")
            if isinstance(target, str) and "inputs" in cur:
                found.append(target)
            operator = cur.get("as_operator")
            if isinstance(operator, str):
                found.append(operator)  # an argument the deserializer resolves the same way
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    if stack:
        found.append("#<graph too large to walk>")
    return found
