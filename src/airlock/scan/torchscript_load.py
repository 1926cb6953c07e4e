"""What TorchScript code runs inside ``torch.jit.load``, and whether it is bounded.

The importer only compiles the archive's code; what it runs at load is every ``__setstate__``
(called as data.pkl's objects are rebuilt) and whatever those call: the archive's own methods
and functions, named by ``self.m(...)``, ``(self).m(...)``, ``__torch__.x.f(...)`` or an alias,
every method of a class the body names (``Cls(...)`` runs ``__init__``), and every operator
method (``x[0]`` runs ``__getitem__``). Any name there that some ``def`` in the archive carries
is followed (over-approximate: a name shared with a forward-only method is followed too).

In that code a ``while`` loop, a ``for`` loop whose trip count is not a constant ``range``
(nested counts multiplied), a tensor factory / repeat whose sizes are not constants, or an
add / multiply / extend of a value that is not a constant (lists and strings grow) has no bound
the scanner can see: session 16's ``while`` in ``__setstate__`` hung ``torch.jit.load`` while
the archive scanned clean, as did a loop in a class's ``__getitem__`` reached by ``x[0]``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

MAX_TRIPS = 100_000
MAX_FINDINGS = 10
# ops whose result size comes from their arguments, not from a tensor already in the archive
ALLOCATING = frozenset(
    {
        "zeros", "ones", "empty", "full", "rand", "randn", "randint", "randperm", "arange",
        "range", "linspace", "logspace", "eye", "repeat", "repeat_interleave", "tile", "expand",
        "new_zeros", "new_ones", "new_empty", "new_full", "empty_strided", "broadcast_to",
        "pad", "constant_pad_nd", "resize_", "ljust", "rjust", "center", "zfill",
        # views or products larger than their inputs
        "as_strided", "new_empty_strided", "kron", "outer", "ger", "cartesian_prod",
        "combinations", "meshgrid", "block_diag", "diag_embed", "diag", "one_hot", "bincount",
        "histc", "normal", "multinomial", "tril_indices", "triu_indices", "unfold",
    }
)  # fmt: skip

# list/str repetition and concatenation: ``torch.mul([7], n)``, ``torch.add(l, l)`` in a loop or
# chained doubles each time; the scanner cannot tell a list from a number, so any non-constant
# operand in load-run code is unbounded (honest __setstate__ seen: attribute copies, prepacks)
GROWING = frozenset({"add", "mul", "add_", "mul_", "extend", "__add__", "__mul__", "__iadd__"})
_GROWING_OPS = (ast.Add, ast.Mult, ast.Pow, ast.LShift)


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
    """(member, line, why) for each unbounded construct in code run at load."""
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
    seen: set[int] = set()
    out: list[tuple[str, int, str]] = []
    while todo and len(out) < MAX_FINDINGS:
        member, fn = todo.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        for line, why in _unbounded(fn, 1):
            out.append((member, line, f"{why} in {fn.name}, run by torch.jit.load"))
        for name in _names(fn):
            todo.extend(defs.get(name, []))
            todo.extend(classes.get(name, []))  # ``Cls(...)`` runs its __init__
    return out[:MAX_FINDINGS]


def _names(fn: ast.FunctionDef) -> Iterator[str]:
    """Names in the body (not the signature: ``self: __torch__.M`` would pull in M's forward)."""
    for stmt in fn.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                yield node.id
            elif isinstance(node, ast.Attribute):
                yield node.attr


def _unbounded(node: ast.AST, trips: int) -> Iterator[tuple[int, str]]:
    for child in ast.iter_child_nodes(node):
        line = getattr(child, "lineno", 0)
        if isinstance(child, ast.While):
            yield line, "a while loop (no bound)"
            continue
        inner = trips
        if isinstance(child, (ast.For, ast.comprehension)):
            count = _constant_range(child.iter)
            if count is None:
                yield line, "a for loop over a value read at load (no constant bound)"
                continue
            inner = trips * max(count, 1)
            if inner > MAX_TRIPS:
                yield line, f"nested loops of {inner} iterations"
                continue
        if isinstance(child, ast.Call) and _callee(child.func) in ALLOCATING | GROWING:
            if not all(_constant(a) for a in [*child.args, *(k.value for k in child.keywords)]):
                yield line, f"{_callee(child.func)}() sized by a value read at load"
        if isinstance(child, (ast.BinOp, ast.AugAssign)) and isinstance(child.op, _GROWING_OPS):
            if not all(_constant(v) for v in _operands(child)):
                yield line, "+ / * of a value read at load (a list or string can grow)"
        yield from _unbounded(child, inner)


def _operands(node: ast.BinOp | ast.AugAssign) -> list[ast.expr]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    return [node.target, node.value]


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


def _constant_range(node: ast.expr) -> int | None:
    """Trip count of ``range(<int literals>)``; ``None`` for anything else."""
    if not (isinstance(node, ast.Call) and _callee(node.func) == "range") or node.keywords:
        return None
    values: list[int] = []
    for arg in node.args:
        try:
            value = ast.literal_eval(arg)
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        values.append(value)
    if not 1 <= len(values) <= 3 or (len(values) == 3 and values[2] == 0):
        return None
    try:
        return len(range(*values))
    except OverflowError:
        return None
