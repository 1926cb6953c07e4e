"""What TorchScript code runs inside ``torch.jit.load``, and whether it is bounded.

The importer only compiles the archive's code; what it runs at load is every ``__setstate__``
(called as data.pkl's objects are rebuilt) and whatever those call: the archive's own methods
and functions, named by ``self.m(...)``, ``(self).m(...)``, ``__torch__.x.f(...)`` or an alias,
every method of a class the body names (``Cls(...)`` runs ``__init__``), and every operator
method (``x[0]`` runs ``__getitem__``). Any name there that some ``def`` in the archive carries
is followed (over-approximate: a name shared with a forward-only method is followed too).

That code is judged by an ALLOWLIST (session 16: a denylist of allocating ops missed
broadcasting ``a[:, None] - a[None, :]``, ``==``, ``torch.where``, matmul, cdist, einsum,
``hann_window(n)``, each 1.2-1.7 GiB at load from a 68 KB archive). Honest ``__setstate__``
bodies copy attributes, unpack the state, compare a dtype and call quantized prepack ops; so
every loop is unbounded (a constant ``range(26)`` of ``torch.cat([a, a])`` doubled a tensor to
1.7 GiB), and every call must be one that cannot produce more than its inputs: the archive's
own functions (judged in turn), the ops in ``ALLOWED_OPS``, a comparison or arithmetic with a
constant on one side (no broadcasting, no list/string repetition), or a factory with small
constant sizes; an index must be a constant or a slice (``a[idx]`` with a tensor gathers).
Anything else is AIR-TS-005.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator

MAX_FINDINGS = 10
# a factory with constant sizes (product of its numbers): run once PER OBJECT data.pkl
# rebuilds, so small (review16b: 2^20 float64 in the __setstate__ of 200 submodules of one
# class, a 58 KB archive, took 1.8 GiB at torch.jit.load; honest bodies build a few scalars)
MAX_CONSTANT_ELEMENTS = 256

# ``torch.X`` / ``ops.ns.X`` whose result is never larger than one input (views, copies,
# casts: at most 8x for a dtype widening, once per statement of straight-line code)
SAME_SIZE = frozenset(
    {
        "select", "slice", "narrow", "unsqueeze", "squeeze", "view", "reshape", "contiguous",
        "detach", "clone", "t", "transpose", "permute", "flatten", "dequantize", "int_repr",
        "q_scale", "q_zero_point", "q_per_channel_scales", "q_per_channel_zero_points",
        "q_per_channel_axis", "qscheme", "size", "dim", "len", "numel", "item", "copy_", "to",
        "requires_grad_", "__getitem__", "__contains__", "__not__", "list", "keys", "values",
        "items", "zeros_like", "ones_like", "empty_like", "warn", "dtype", "device", "layout",
        "is_quantized", "is_cuda", "requires_grad", "RaiseException", "unchecked_cast",
        "isinstance", "Uninitialized", "data", "__is__", "__isnot__", "Int", "Float", "Bool",
        "append",
    }
)  # fmt: skip
# the same op on a value and a constant: elementwise, shape of the value (a list or string
# plus a constant grows by the constant's length once; ``mul`` / ``pow`` would multiply it)
SCALAR_SIDE = frozenset(
    {
        "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "div", "floordiv", "remainder",
        "__and__", "__or__", "__xor__", "__rshift__", "neg", "abs",
    }
)  # fmt: skip
# constant-sized tensors (``torch.zeros([4])``)
FACTORIES = frozenset({"zeros", "ones", "empty", "full", "tensor", "scalar_tensor"})
# Python builtins of TorchScript's serialized code (types and casts of one value)
BUILTINS = frozenset(
    {"annotate", "uninitialized", "unchecked_cast", "isinstance", "int", "float", "bool", "len"}
)


def prepack(op: str) -> bool:
    """Quantized weight packing (``conv2d_prepack``, ``linear_prepack_fp16``, ...): the packed
    copy of a weight already in the archive, what quantized modules' ``__setstate__`` runs."""
    return op.endswith(("_prepack", "_prepack_fp16", "_unpack"))


# methods Python syntax calls without naming them (``x[0]``, ``len(x)``, ``a + b``, ``with``...):
# hand-written code can rely on them where torch's serializer writes ``.__getitem__(0)``
IMPLICIT = frozenset(
    {
        "__getitem__", "__setitem__", "__delitem__", "__len__", "__contains__", "__iter__",
        "__next__", "__call__", "__enter__", "__exit__", "__bool__", "__int__", "__float__",
        "__str__", "__repr__", "__hash__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__",
        "__ge__", "__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__",
        "__pow__", "__and__", "__or__", "__xor__", "__neg__", "__invert__", "__lshift__",
        "__rshift__", "__matmul__", "__radd__", "__rmul__", "__iadd__", "__imul__", "__index__",
    }
)  # fmt: skip


def load_run_problems(trees: list[tuple[str, ast.Module]]) -> list[tuple[str, int, str]]:
    """(member, line, why) for each unbounded or unlisted construct in code run at load."""
    defs: dict[str, list[tuple[str, ast.FunctionDef]]] = {}
    classes: dict[str, list[tuple[str, ast.FunctionDef]]] = {}
    for member, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                defs.setdefault(node.name, []).append((member, node))
            elif isinstance(node, ast.ClassDef):
                methods = [(member, f) for f in node.body if isinstance(f, ast.FunctionDef)]
                classes.setdefault(node.name, []).extend(methods)
    todo = list(defs.get("__setstate__", []))
    if todo:  # a class method any load-run expression may reach without naming it
        todo.extend(d for name in IMPLICIT for d in defs.get(name, []))
    own = frozenset(defs) | frozenset(classes)
    seen: set[int] = set()
    out: list[tuple[str, int, str]] = []
    while todo and len(out) < MAX_FINDINGS:
        member, fn = todo.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        for stmt in fn.body:
            for line, why in _unbounded(stmt, own):
                out.append((member, line, f"{why} in {fn.name}, run by torch.jit.load"))
        for name in _names(fn):
            todo.extend(defs.get(name, []))
            todo.extend(classes.get(name, []))  # ``Cls(...)`` runs its __init__
    out.extend(_call_count_problems(trees))
    return out[:MAX_FINDINGS]


# calls one run of a ``__setstate__`` may make, the archive's own functions expanded (session
# 18, review19: f0..f39 each calling the next twice, no loop, no op, made 2^40 calls at
# torch.jit.load; L=23 took 9 s): honest load code makes at most HONEST_MAX_CALLS (quantized
# modules' prepack; ``torch.jit.script`` / trace / ``_save_for_lite_interpreter`` of standard
# modules incl. LSTM, GRU, TransformerEncoder/Decoder: RELIABILITY session 18 fixtscall)
HONEST_MAX_CALLS = 9  # 7 in code/, 9 in bytecode.pkl (quantized Conv2d)
MAX_LOAD_CALLS = max(4096, 64 * HONEST_MAX_CALLS)
# ... and summed over every object data.pkl rebuilds (4,096 calls x 200,000 small objects of
# one class would be 15 minutes): about 4 s at review19's 1 us a call
MAX_ARCHIVE_LOAD_CALLS = 1 << 22
MAX_CALL_DEPTH = 64
# nodes that may run an operator method of the archive without naming it (``x[0]``, ``a + b``,
# ``-a``, ``a < b``, ``f(x)`` on an object with ``__call__``, ``with``, a truth test)
_IMPLICIT_NODES = (
    ast.Subscript, ast.BinOp, ast.AugAssign, ast.UnaryOp, ast.Compare, ast.Call, ast.With,
    ast.If, ast.IfExp, ast.BoolOp, ast.Assert,
)  # fmt: skip


class _Uncounted(Exception):
    """Calls that cannot be counted: recursion, or a callee found by value, not by name."""

    def __init__(self, why: str) -> None:
        self.why = why


class _Code:
    """The archive's functions by name, for counting calls (``_calls``)."""

    def __init__(self, trees: list[tuple[str, ast.Module]]) -> None:
        self.defs: dict[str, list[ast.FunctionDef]] = {}
        self.inits: dict[str, list[ast.FunctionDef]] = {}  # class name -> its __init__
        self.classes: list[tuple[str, str, ast.ClassDef]] = []  # (member, qualname, class)
        # attributes classes declare of the archive's classes (``sub : __torch__.m.Sub``):
        # ``self.sub(x)`` runs its forward, which no name in the call gives
        self.attributes: set[str] = set()
        for member, tree in trees:
            prefix = qualname_prefix(member)
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    self.defs.setdefault(node.name, []).append(node)
                elif isinstance(node, ast.ClassDef):
                    qual = f"{prefix}.{node.name}" if prefix else ""
                    self.classes.append((member, qual, node))
                    self.inits.setdefault(node.name, []).extend(
                        f
                        for f in node.body
                        if isinstance(f, ast.FunctionDef) and f.name == "__init__"
                    )
                    self.attributes.update(
                        f.target.id
                        for f in node.body
                        if isinstance(f, ast.AnnAssign)
                        and isinstance(f.target, ast.Name)
                        and "__torch__" in ast.unparse(f.annotation)
                    )
        self.implicit = [fn for name in IMPLICIT for fn in self.defs.get(name, [])]
        self.memo: dict[int, float] = {}

    def targets(self, name: str) -> list[ast.FunctionDef]:
        """What calling ``name`` may run of the archive: its ``def``s, a class's ``__init__``."""
        return [*self.defs.get(name, []), *self.inits.get(name, [])]

    def setstates(self, cls: ast.ClassDef) -> list[ast.FunctionDef]:
        return [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__setstate__"]


def _call_count_problems(trees: list[tuple[str, ast.Module]]) -> list[tuple[str, int, str]]:
    """Each ``__setstate__`` whose one run may make more than MAX_LOAD_CALLS calls (callees
    first, memoised, as AIR-ONNX-008 counts ONNX local functions), or whose calls cannot be
    counted (recursion, direct or mutual; a callee held by a local or an attribute)."""
    code = _Code(trees)
    out: list[tuple[str, int, str]] = []
    for member, _, cls in code.classes:
        for fn in code.setstates(cls):
            try:
                n = 1.0 + _calls(fn, code, ())
            except _Uncounted as exc:
                why = f"{exc.why} (its calls cannot be counted)"
            else:
                if n <= MAX_LOAD_CALLS:
                    continue
                many = "more than 10^18" if n > 1e18 else f"{n:,.0f}"
                why = f"{many} calls (more than {MAX_LOAD_CALLS:,}) per object"
            out.append((member, fn.lineno, f"{why} in {fn.name}, run by torch.jit.load"))
    return out


def setstate_calls(trees: list[tuple[str, ast.Module]]) -> dict[str, float]:
    """Class qualname -> calls one run of its ``__setstate__`` makes (``_calls``; 0 without
    one, ``inf`` when they cannot be counted), the key ``""`` the largest (an object whose class
    is not found under its name), as ``setstate_costs``: summed per object of data.pkl by the
    pickle scan (``pickle_stream``)."""
    code = _Code(trees)
    out: dict[str, float] = {}
    for _, qual, cls in code.classes:
        value = 0.0
        for fn in code.setstates(cls):
            try:
                value = max(value, 1.0 + _calls(fn, code, ()))
            except _Uncounted:
                value = UNBOUNDED
        for key in (qual, "") if qual else ("",):
            out[key] = max(out.get(key, 0.0), value)
    return out


def _calls(fn: ast.FunctionDef, code: _Code, stack: tuple[int, ...]) -> float:
    """Calls one run of ``fn`` makes, every call its body holds counted with what the callee
    makes (a name several ``def`` carry: the largest), once each (loops are AIR-TS-005), and
    each node that may run an operator method of the archive as if it ran the largest."""
    if id(fn) in code.memo:
        return code.memo[id(fn)]
    if id(fn) in stack:
        raise _Uncounted(f"recursion through {fn.name[:80]}")
    if len(stack) > MAX_CALL_DEPTH:
        raise _Uncounted(f"calls nested over {MAX_CALL_DEPTH} deep at {fn.name[:80]}")
    inner = (*stack, id(fn))
    # an operator method already being counted is not counted again: it reaches ``fn``, so
    # running it from here would be recursion, which TorchScript's compiler rejects at load
    # ("method 'f0' is called recursively"); a named call back is reported (fails closed)
    extra = max(
        (_calls(d, code, inner) + 1 for d in code.implicit if id(d) not in inner), default=0.0
    )
    nodes = [node for stmt in fn.body for node in ast.walk(stmt)]
    # names this body binds (``g = self.f0`` / ``f9 = __torch__.m.f0`` / ``int = self.sub``,
    # then ``f9(1)``: TorchScript calls what the local holds, whatever def carries its name)
    bound = {n.id for n in nodes if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
    total = 0.0
    for node in nodes:
        if isinstance(node, ast.Call):
            total += 1.0
            name = _callee(node.func)
            if isinstance(node.func, ast.Name) and name in bound:
                raise _Uncounted(f"{fn.name}: a call of the local {name[:40]} (an alias)")
            if isinstance(node.func, ast.Attribute) and name in code.attributes:
                raise _Uncounted(f"{fn.name}: a call of the attribute {name[:40]} (its forward)")
            if _dotted(node.func)[:1] not in (["torch"], ["ops"]):
                total += max((_calls(d, code, inner) for d in code.targets(name)), default=0.0)
        if extra and isinstance(node, _IMPLICIT_NODES):
            total += extra
    code.memo[id(fn)] = total
    return total


def _names(fn: ast.FunctionDef) -> Iterator[str]:
    """Names in the body (not the signature: ``self: __torch__.M`` would pull in M's forward)."""
    for stmt in fn.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                yield node.id
            elif isinstance(node, ast.Attribute):
                yield node.attr


_LOOPS = (ast.While, ast.For, ast.AsyncFor, ast.comprehension)
_MULTIPLYING = (ast.Mult, ast.Pow, ast.LShift, ast.MatMult)
_BOOL_TESTS = (ast.Is, ast.IsNot, ast.In, ast.NotIn)


def _unbounded(stmt: ast.stmt, own: frozenset[str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(stmt):
        line = getattr(node, "lineno", getattr(stmt, "lineno", 0))
        if isinstance(node, _LOOPS):
            yield line, "a loop (code run at load must be straight-line)"
        elif isinstance(node, ast.Call):
            why = _unlisted_call(node, own)
            if why:
                yield line, why
        elif isinstance(node, (ast.BinOp, ast.AugAssign)):
            left, right = (
                (node.left, node.right)
                if isinstance(node, ast.BinOp)
                else (node.target, node.value)
            )
            if not _scalar_side(node.op, left, right):
                yield line, "an operator on two values read at load (broadcasts or repeats)"
        elif isinstance(node, ast.Subscript) and not _constant_index(node.slice):
            yield line, "an index read at load (a tensor index gathers, broadcast, unbounded)"
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for op, a, b in zip(node.ops, sides, sides[1:], strict=False):
                if not isinstance(op, _BOOL_TESTS) and not (_constant(a) or _constant(b)):
                    yield line, "a comparison of two values read at load (broadcasts)"
                    break


def _constant_index(index: ast.expr) -> bool:
    """``x[0]``, ``x[1:n]``, ``x[:, None]``: constants and slices (views) only."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return all(isinstance(p, ast.Slice) or _constant(p) for p in parts)


def _scalar_side(op: ast.operator, left: ast.expr, right: ast.expr) -> bool:
    if isinstance(op, _MULTIPLYING):
        return _constant(left) and _constant(right)
    return _constant(left) or _constant(right)


def _unlisted_call(call: ast.Call, own: frozenset[str]) -> str:
    """Why a call is not known to be bounded at load ("" when it is)."""
    parts = _dotted(call.func)
    name = _callee(call.func)
    if parts and parts[0] in ("torch", "ops"):
        at = parts.index("ops") + 1 if "ops" in parts[:2] else 0
        ns = parts[at] if at and len(parts) > at + 1 else "aten"
        if (ns == "quantized" and prepack(name)) or (ns in ("aten", "prim") and _op_ok(name, call)):
            return ""
        return f"{'.'.join(parts)[:80]}() (not an op known to be bounded at load)"
    if name in own and (parts[:1] in (["self"], ["__torch__"]) or not _aten(name)):
        return ""  # the archive's own code: judged where it is defined
    if isinstance(call.func, ast.Name) and name in BUILTINS:
        return ""
    return f"{name[:80] or 'a computed callee'}() (not an op known to be bounded at load)"


def _op_ok(op: str, call: ast.Call) -> bool:
    if op in SAME_SIZE:
        return True
    if op in SCALAR_SIDE:  # at most one operand read at load, however the call orders them
        operands = [*call.args, *(k.value for k in call.keywords if k.arg not in _SCALARS)]
        return sum(not _constant(a) for a in operands) <= 1
    if op in FACTORIES:  # dtype / device may be computed (``ops.prim.dtype(x)``), sizes not
        sized = [*call.args, *(k.value for k in call.keywords if k.arg not in _OPTIONS)]
        return all(_constant(a) for a in sized) and _elements(sized) <= MAX_CONSTANT_ELEMENTS
    return False


# keywords of SCALAR_SIDE ops that are scalars, never broadcast (``alpha=1`` written before
# ``other=b`` passed for the constant side: review16b)
_SCALARS = frozenset({"alpha", "rounding_mode"})
_OPTIONS = frozenset({"dtype", "device", "layout", "pin_memory", "requires_grad", "memory_format"})


def _aten(name: str) -> bool:
    """A tensor method name (``a.repeat(n)`` calls aten even if the archive defines ``repeat``)."""
    from airlock.scan import torch_ops

    pol = torch_ops.policy()
    return name in pol.allow.get("aten", frozenset()) or name in pol.methods


def _elements(args: list[ast.expr]) -> float:
    numbers = [
        abs(n.value)
        for a in args
        for n in ast.walk(a)
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float))
    ]
    return math.prod(max(float(v), 1.0) for v in numbers)


def _dotted(func: ast.expr) -> list[str]:
    """``torch.ops.quantized.x`` -> its parts; ``[]`` when the chain is not all names."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return []
    parts.append(func.id)
    return parts[::-1]


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, (str, bytes)) or len(node.value) < 4096
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_constant(e) for e in node.elts)
    return False


# lite-interpreter operators (``bytecode.pkl`` carries the overload: ``aten::eq.str``,
# ``aten::sub.Tensor``): the same allowlist; sizes of a factory are not visible, so none
MOBILE_PRIM = frozenset(
    {"TupleUnpack", "TupleConstruct", "TupleIndex", "ListConstruct", "ListUnpack",
     "DictConstruct", "NumToTensor"}
)  # fmt: skip
COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
NUMERIC_OVERLOADS = frozenset(
    {"int", "float", "Scalar", "int_float", "float_int", "Scalar_Scalar", "complex", "bool"}
)


def mobile_op_bounded(name: str, overload: str) -> bool:
    """``ns::op`` with ``overload`` in a lite-interpreter method run at load: never larger than
    its inputs (``eq.Tensor`` broadcasts two tensors; ``add.str`` / ``add.t`` can double)."""
    ns, _, op = name.partition("::")
    if ns == "quantized":
        return prepack(op)
    if ns == "prim":
        return op in SAME_SIZE or op in MOBILE_PRIM
    if ns != "aten":
        return False
    if op in SAME_SIZE:
        return True
    if op in COMPARISONS:
        return bool(overload) and "Tensor" not in overload
    return op in SCALAR_SIDE and overload in NUMERIC_OVERLOADS


# -- how much one run of a class's load code may copy (``airlock.scan.load_cost``) ----------

# calls that never allocate a tensor (views, metadata, scalars, in-place)
_NO_COPY = frozenset(
    {
        "select", "slice", "narrow", "unsqueeze", "squeeze", "view", "detach", "t", "transpose",
        "permute", "size", "dim", "len", "numel", "item", "q_scale", "q_zero_point",
        "q_per_channel_axis", "qscheme", "__getitem__", "__contains__", "__not__", "warn",
        "dtype", "device", "layout", "is_quantized", "is_cuda", "requires_grad",
        "requires_grad_", "RaiseException", "unchecked_cast", "isinstance", "Uninitialized",
        "uninitialized", "annotate", "data", "__is__", "__isnot__", "Int", "Float", "Bool",
        "int", "float", "bool", "append", "copy_", "getattr", "hasattr",
    }
)  # fmt: skip
# a copy of one input at its own width (a prepack copies the weight once)
_SAME_WIDTH = frozenset(
    {"clone", "contiguous", "reshape", "flatten", "zeros_like", "ones_like", "empty_like",
     "q_per_channel_scales", "q_per_channel_zero_points"}
)  # fmt: skip
# one object per element of the input (rt18b2: ``len(list(state[0]))`` over a 20 MB string
# made 20M one-character strings, 1.8 GiB resident at torch.jit.load from a 20 MB archive
# the per-byte count of 1 allowed): a string, list entry and tuple each, up to 128 bytes a byte
_PER_ELEMENT = frozenset({"list", "keys", "values", "items"})
PER_ELEMENT_FACTOR = 128.0
WIDEST_FACTOR = 16.0  # any other call: a copy up to 16 bytes an input byte
SCALAR_FACTOR = 8.0
UNBOUNDED = math.inf


def _op_factor(name: str) -> float:
    if name in _NO_COPY or name in FACTORIES or name in BUILTINS:
        return 0.0  # views and scalars; factories have constant sizes (judged per statement)
    if name in _PER_ELEMENT:
        return PER_ELEMENT_FACTOR
    if name in _SAME_WIDTH or name in COMPARISONS or prepack(name):
        return 1.0  # a comparison's result is bool: no wider than its input
    if name in SCALAR_SIDE:
        return SCALAR_FACTOR  # int8 / 2 is float32; bool + 1j is complex64
    return WIDEST_FACTOR


def _reading_constants(defs: dict[str, list[ast.FunctionDef]]) -> set[int]:
    """ids of the functions that read ``CONSTANTS`` or call (by name) one that does."""
    calls: dict[int, set[str]] = {}
    reach: set[int] = set()
    every = [d for ds in defs.values() for d in ds]
    for d in every:
        names = set(_names(d))
        calls[id(d)] = names & defs.keys()
        if "CONSTANTS" in names:
            reach.add(id(d))
    for _ in range(64):
        more = {
            id(d)
            for d in every
            if id(d) not in reach and any(id(c) in reach for n in calls[id(d)] for c in defs[n])
        }
        if not more:
            return reach
        reach |= more
    return {id(d) for d in every}  # call chains longer than followed: all of them


def qualname_prefix(member: str) -> str | None:
    """``<archive>/code/__torch__/a/b.py`` -> ``__torch__.a.b`` (the module its classes are in)."""
    rel = member.split("/", 1)[1] if "/" in member else member
    if not rel.startswith("code/") or not rel.endswith(".py"):
        return None
    return rel[len("code/") : -len(".py")].replace("/", ".")


def setstate_costs(trees: list[tuple[str, ast.Module]]) -> dict[str, tuple[float, bool]]:
    """Class qualname -> (bytes one run of its ``__setstate__`` may allocate per byte of the
    object's state (0 for classes without one; ``inf`` for recursion), whether that code reads
    ``CONSTANTS``, tensors of constants.pkl outside the state). The key ``""`` holds the
    largest, for an object whose class is not found under its name."""
    defs: dict[str, list[ast.FunctionDef]] = {}
    classes: list[tuple[str, ast.ClassDef]] = []
    for member, tree in trees:
        prefix = qualname_prefix(member)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                defs.setdefault(node.name, []).append(node)
            elif isinstance(node, ast.ClassDef):
                classes.append((f"{prefix}.{node.name}" if prefix else "", node))
    memo: dict[int, float] = {}
    constants = _reading_constants(defs)
    implicit = [d for name in IMPLICIT for d in defs.get(name, [])]

    def cost(fn: ast.FunctionDef, stack: frozenset[int]) -> float:
        if id(fn) in memo:
            return memo[id(fn)]
        if id(fn) in stack or len(stack) > 64:
            return UNBOUNDED
        inner = stack | {id(fn)}
        extra = max((cost(d, inner) for d in implicit if id(d) != id(fn)), default=0.0)
        total = 0.0
        for stmt in fn.body:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call):
                    name = _callee(node.func)
                    own = defs.get(name, [])
                    root = _dotted(node.func)[:1]
                    if own and (root in (["self"], ["__torch__"]) or not _aten(name)):
                        total += max(cost(d, inner) for d in own)  # the archive's method
                    elif own and root not in (["torch"], ["ops"]):
                        # the archive's method, or the aten op of that name on a tensor
                        total += max(_op_factor(name), *(cost(d, inner) for d in own))
                    else:
                        total += _op_factor(name)
                elif isinstance(node, (ast.BinOp, ast.AugAssign)):
                    total += SCALAR_FACTOR
                elif isinstance(node, ast.Compare):
                    total += len(node.ops)
                if extra and isinstance(node, (ast.Subscript, ast.BinOp, ast.Compare, ast.Call)):
                    total += extra
        memo[id(fn)] = total
        return total

    out: dict[str, tuple[float, bool]] = {}
    for qual, cls in classes:
        fns = [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__setstate__"]
        value = max((cost(f, frozenset()) for f in fns), default=0.0)
        reads = any(id(f) in constants for f in fns) or (
            bool(fns) and any(id(d) in constants for d in implicit)
        )
        for key in (qual, "") if qual else ("",):
            was = out.get(key, (0.0, False))
            out[key] = (max(was[0], value), was[1] or reads)
    return out


def mobile_setstate_costs(
    steps: dict[str, tuple[list[tuple[str, str]] | None, bool]],
) -> dict[str, tuple[float, bool]]:
    """``setstate_costs`` for the lite interpreter, from ``bytecode.pkl`` (what it runs; session
    18, rt19ts: a ``.ptl`` whose ``code/`` was dropped or disagreed with its bytecode had no
    per-object cost, and 300 objects whose bytecode ``__setstate__`` clones one shared 4 MiB
    tensor took 1.4 GiB at ``_load_for_lite_interpreter``, ALLOW). Each OP instruction runs once
    (a loop is AIR-TS-005 on its own); a method that calls out is unbounded. No key ``""``: the
    lite loader finds ``<class>.__setstate__`` by the exact qualified name data.pkl gives the
    object (and restores objects of other classes as plain attribute dicts)."""
    out: dict[str, tuple[float, bool]] = {}
    for cls, (ops, reads) in steps.items():
        if ops is None:
            value = UNBOUNDED
        else:
            value = sum(_mobile_factor(name) for name, _ in ops)
        was = out.get(cls, (0.0, False))
        out[cls] = (max(was[0], value), was[1] or reads)
    return out


def mobile_setstate_calls(
    steps: dict[str, tuple[list[tuple[str, str]] | None, bool]],
) -> dict[str, float]:
    """``setstate_calls`` from ``bytecode.pkl``: one call per OP instruction of a class's
    ``__setstate__`` (straight-line: a loop is AIR-TS-005 on its own) and the method itself;
    a method that calls out (CALL / INTERFACE_CALL / CALL_METHOD, which could fan out to other
    methods) is unbounded."""
    out: dict[str, float] = {}
    for cls, (ops, _) in steps.items():
        value = UNBOUNDED if ops is None else 1.0 + len(ops)
        out[cls] = max(out.get(cls, 0.0), value)
    return out


def _mobile_factor(name: str) -> float:
    ns, _, op = name.partition("::")
    if ns == "prim" and op in MOBILE_PRIM:
        return 0.0  # tuples and lists of the values already there
    return _op_factor(op or name)
