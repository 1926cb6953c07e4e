"""Bytes onnxruntime's constant folding may allocate at ``InferenceSession`` creation.

With the default graph optimisations onnxruntime runs every node whose inputs are all
constants (initializers that are not graph inputs, Constant nodes, outputs of nodes already
folded) and stores the result as a new initializer. A node that makes a tensor from a *value*
rather than from its inputs' bytes (ConstantOfShape, Expand, Tile, Range, a broadcast of two
small constants, MatMul of an [n, 1] and a [1, n]) turns a few bytes into gigabytes there: 3
ConstantOfShape of 2^28 - 4096 floats, a 400-byte file, took 3,127 MiB and 26 s in
onnxruntime 1.32 (rt20fmt; it skips one node's output past 1 GiB, older releases did not).

This follows shapes (and small integer values: shapes, repeats, axes) through the nodes of each
graph and model-local function body (3 such ConstantOfShape in a function called once: the
same 3,127 MiB), in order, for the operators below; a node of another
operator ends the constant chain (its output is treated as not constant). The total is an
estimate of the folded bytes, not a bound on every operator.
"""

from __future__ import annotations

import math
from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence

from airlock.formats.onnx import (
    ELEM_BITS,
    MAX_VALUES,
    WIDEST_BITS,
    Const,
    FoldNode,
    GraphIO,
    packed_bytes,
)

MAX_ELEMENTS = 1 << 40
# outputs with the shape of their first input (element type may change: Cast)
SAME_SHAPE = frozenset(
    {
        "Identity", "Cast", "CastLike", "Neg", "Abs", "Relu", "Sigmoid", "Tanh", "Exp", "Log",
        "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Not", "Erf", "Sin", "Cos",
        "Softmax", "LogSoftmax", "Clip", "LeakyRelu", "Elu", "Gelu", "HardSigmoid", "Selu",
        "DequantizeLinear", "QuantizeLinear", "IsNaN", "IsInf", "Softplus", "Softsign",
        "HardSwish", "Mish", "CumSum", "BitwiseNot", "Trilu", "Dropout",
    }
)  # fmt: skip
BROADCAST = frozenset(
    {
        "Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Less", "Greater",
        "LessOrEqual", "GreaterOrEqual", "Where", "Max", "Min", "Sum", "Mean", "Mod", "PRelu",
        "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    }
)  # fmt: skip
# values carried through (a shape vector built by Concat / Unsqueeze / Cast of constants)
VALUE_KEEPING = frozenset({"Identity", "Cast", "Reshape", "Unsqueeze", "Squeeze", "Flatten"})


# rt20b: a chain of nodes must not grow what the estimator holds (a 604-byte chain of 24 Mul
# squaring an int64 took 30 s, 26 Gathers of a tensor by itself doubled its rank past 1.6 GB,
# 30 Concats of a vector with itself 3 GB): dims are capped at MAX_ELEMENTS, values past
# MAX_VALUES are dropped and integers wrap to int64 as onnxruntime's kernels do. A rank past
# MAX_RANK counts as MAX_ELEMENTS: onnxruntime keeps every dim (those 26 Gathers of a [1, 1]
# zero tensor took 1.9 GB and did not end in 30 s at InferenceSession)
MAX_RANK = 64


def _capped_prod(dims: Sequence[int]) -> int:
    if 0 in dims:
        return 0
    n = 1
    for d in dims:
        n = min(n * d, MAX_ELEMENTS)
    return n


def _wrap(v: float) -> float:
    if type(v) is int and not -(1 << 63) <= v < 1 << 63:
        return ((v + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)
    return v


class _Val:
    __slots__ = ("data_type", "dims", "elements", "values")

    def __init__(self, dims: Sequence[int], data_type: int, values: Sequence[float] | None):
        kept = tuple(min(max(int(d), 0), MAX_ELEMENTS) for d in dims)
        if len(kept) > MAX_RANK:  # onnxruntime keeps every dim: counted as outsized
            kept = (MAX_ELEMENTS,)
        self.elements = _capped_prod(kept)
        self.dims = kept
        self.data_type = data_type
        vals = tuple(values) if values is not None and len(values) <= MAX_VALUES else None
        self.values = tuple(_wrap(v) for v in vals) if vals is not None else None

    @property
    def nbytes(self) -> int:
        n = self.elements
        b = packed_bytes(self.data_type, n)
        return n * WIDEST_BITS // 8 if b is None else b


def _ints(v: _Val | None) -> tuple[int, ...] | None:
    if v is None or v.values is None:
        return None
    try:
        return tuple(int(x) for x in v.values)
    except (ValueError, OverflowError):
        return None


def _widest(ins: list[_Val]) -> int:
    """The input element type with the most bits (a broadcast's output is at most that wide)."""
    return max(ins, key=lambda v: ELEM_BITS.get(v.data_type, WIDEST_BITS)).data_type


def _broadcast(shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    rank = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(rank):
        dims = [s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0]
        out.append(max(dims, default=1))
    return tuple(out)


_ARITH: dict[str, Callable[[float, float], float]] = {
    "Add": lambda a, b: a + b,
    "Sub": lambda a, b: a - b,
    "Mul": lambda a, b: a * b,
    "Max": max,
    "Min": min,
}


def _arith(op: str, ins: list[_Val], dims: tuple[int, ...]) -> tuple[float, ...] | None:
    """Values of shape arithmetic over small vectors (a shape computed as 16,384 * 16,384)."""
    fn = _ARITH.get(op)
    if fn is None or len(ins) != 2 or len(dims) > 1 or math.prod(dims) > MAX_VALUES:
        return None
    a, b = ins[0].values, ins[1].values
    if a is None or b is None or not a or not b:
        return None
    n = math.prod(dims)
    return tuple(fn(a[i % len(a)], b[i % len(b)]) for i in range(n))


def _fold(node: FoldNode, ins: list[_Val]) -> list[_Val] | None:
    """The outputs of ``node`` over constant inputs, or None (not followed)."""
    op, a = node.op_type, node.attrs
    x = ins[0] if ins else None
    if op == "Constant":
        c = a.get("value")
        if isinstance(c, Const):
            return [_Val(c.dims, c.data_type, c.values)]
        ints = a.get("value_ints")
        if isinstance(ints, tuple):
            return [_Val((len(ints),), 7, ints)]
        one = a.get("value_int")
        if isinstance(one, int):
            return [_Val((), 7, (one,))]
        return None
    if x is None:
        return None
    if op in VALUE_KEEPING or op in SAME_SHAPE:
        dims: tuple[int, ...] = x.dims
        to = a.get("to")
        dt = to if op == "Cast" and isinstance(to, int) else x.data_type
        if op == "Reshape":
            shape = _ints(ins[1]) if len(ins) > 1 else None
            if shape is None:
                return None
            fixed = [x.dims[i] if s == 0 and i < len(x.dims) else s for i, s in enumerate(shape)]
            rest = math.prod(d for d in fixed if d > 0) or 1
            dims = tuple(x.elements // rest if d == -1 else d for d in fixed)
        elif op == "Unsqueeze":
            axes = a.get("axes") if len(ins) < 2 else _ints(ins[1])
            if not isinstance(axes, tuple):
                return None
            rank = len(x.dims) + len(axes)
            where = {ax % rank for ax in axes} if rank else set()
            kept = iter(x.dims)
            dims = tuple(1 if i in where else next(kept, 1) for i in range(rank))
        elif op in ("Squeeze", "Flatten"):
            dims = (x.elements,)
        return [_Val(dims, dt, x.values)]
    if op in BROADCAST:
        dims = _broadcast([v.dims for v in ins])
        return [_Val(dims, _widest(ins), _arith(op, ins, dims))]
    if op == "Pad":
        pads = _ints(ins[1]) if len(ins) > 1 else None
        if pads is None or len(pads) != 2 * len(x.dims):
            return None
        r = len(x.dims)
        return [_Val([d + pads[i] + pads[i + r] for i, d in enumerate(x.dims)], x.data_type, None)]
    if op in ("Resize", "Upsample"):
        sizes = _ints(ins[3]) if len(ins) > 3 else None
        scales = ins[2] if op == "Resize" and len(ins) > 2 else ins[1] if len(ins) > 1 else None
        if sizes is not None and len(sizes) == len(x.dims):
            return [_Val(sizes, x.data_type, None)]
        if scales is not None and scales.values is not None and len(scales.values) == len(x.dims):
            dims = tuple(int(d * f) for d, f in zip(x.dims, scales.values, strict=True))
            return [_Val(dims, x.data_type, None)]
        return None
    if op == "OneHot" and len(ins) > 2:
        depth = _ints(ins[1])
        if depth is None or len(depth) != 1:
            return None
        return [_Val((*x.dims, depth[0]), ins[2].data_type, None)]
    if op == "Slice":
        starts, ends = (_ints(ins[1]), _ints(ins[2])) if len(ins) > 2 else (None, None)
        if x.values is not None and len(x.dims) == 1 and starts and ends and len(ins) == 3:
            vals = x.values[slice(starts[0], ends[0])]
            return [_Val((len(vals),), x.data_type, vals)]
        return [_Val(x.dims, x.data_type, None)]  # never larger than its input
    if op == "Shape":
        return [_Val((len(x.dims),), 7, x.dims)]
    if op == "Gather" and len(ins) > 1:
        idx = ins[1]
        picks = _ints(idx)
        if x.values is not None and len(x.dims) == 1 and picks is not None:
            n = len(x.values)
            picked = tuple(x.values[i] for i in picks) if all(-n <= i < n for i in picks) else None
            return [_Val(idx.dims, x.data_type, picked)]
        axis = a.get("axis", 0)
        if not isinstance(axis, int) or not x.dims:
            return None
        axis %= len(x.dims)
        return [_Val((*x.dims[:axis], *idx.dims, *x.dims[axis + 1 :]), x.data_type, None)]
    if op == "GatherElements" and len(ins) > 1:
        return [_Val(ins[1].dims, x.data_type, None)]
    if op == "GatherND" and len(ins) > 1 and ins[1].dims:
        idx = ins[1]
        k = idx.dims[-1]
        return [_Val((*idx.dims[:-1], *x.dims[k:]), x.data_type, None)]
    if op in ("ScatterND", "ScatterElements", "Scatter"):
        return [_Val(x.dims, x.data_type, None)]
    if op == "Concat":
        axis = a.get("axis", 0)
        if not isinstance(axis, int) or not ins or any(len(v.dims) != len(x.dims) for v in ins):
            return None
        if not x.dims:
            return None
        axis %= len(x.dims)
        joined = list(x.dims)
        joined[axis] = sum(v.dims[axis] for v in ins)
        values: list[float] | None = []
        for v in ins:
            if v.values is None or values is None:
                values = None
            else:
                values.extend(v.values)
        return [_Val(joined, x.data_type, values if len(joined) == 1 else None)]
    if op == "ConstantOfShape":
        shape = _ints(x)
        if shape is None:
            return None
        c = a.get("value")
        return [_Val(shape, c.data_type if isinstance(c, Const) else 1, None)]
    if op == "Expand":
        shape = _ints(ins[1]) if len(ins) > 1 else None
        if shape is None:
            return None
        return [_Val(_broadcast([x.dims, shape]), x.data_type, None)]
    if op == "Tile":
        reps = _ints(ins[1]) if len(ins) > 1 else None
        if reps is None or len(reps) != len(x.dims):
            return None
        return [_Val([d * r for d, r in zip(x.dims, reps, strict=True)], x.data_type, None)]
    if op == "Range":
        if len(ins) < 3 or any(v.values is None or len(v.values) != 1 for v in ins[:3]):
            return None
        start, limit, delta = (v.values[0] for v in ins[:3])  # type: ignore[index]
        if delta == 0:
            return None
        n = max(math.ceil((limit - start) / delta), 0)
        return [_Val((n,), x.data_type, None)]
    if op in ("MatMul", "Gemm") and len(ins) >= 2:
        y = ins[1]
        if not x.dims or not y.dims:
            return None
        if op == "Gemm":
            m = x.dims[-1] if a.get("transA") else x.dims[0]
            n = y.dims[0] if a.get("transB") else y.dims[-1]
            return [_Val((m, n), x.data_type, None)]
        m = x.dims[-2] if len(x.dims) > 1 else 1
        n = y.dims[-1] if len(y.dims) > 1 else 1
        batch = _broadcast([x.dims[:-2], y.dims[:-2]])
        return [_Val((*batch, m, n), x.data_type, None)]
    if op == "Transpose":
        perm = a.get("perm")
        if isinstance(perm, tuple) and sorted(perm) == list(range(len(x.dims))):
            return [_Val([x.dims[p] for p in perm], x.data_type, None)]
        return [_Val(tuple(reversed(x.dims)), x.data_type, None)]
    return None


def folded_bytes(
    graphs: list[GraphIO], cap: int, copies: Mapping[tuple[str, str] | None, int] | None = None
) -> tuple[int, str]:
    """Estimated bytes constant folding makes over every graph (capped at ``cap + 1``), and the
    largest folded node. ``copies``: how many times each scope is inlined; a model-local
    function's body called at all counts once (its inlined copies fold the same constants, and
    onnxruntime merges them: 64 calls of a body folding 16 MiB peaked at 71 MiB), one never
    called not at all."""
    total, worst, worst_bytes = 0, "", -1
    seen: dict[int, ChainMap[str, _Val]] = {}  # per graph (a subgraph reads its parent's)
    for g in graphs:
        own = {name: _Val(c.dims, c.data_type, c.values) for name, c in g.consts.items()}
        outer = seen.get(id(g.parent)) if g.parent is not None else None
        known = outer.new_child(own) if outer is not None else ChainMap(own)
        seen[id(g)] = known
        times = min(copies.get(g.scope, 1), 1) if copies is not None else 1
        if times == 0:
            continue
        for node in g.nodes:
            if node.domain not in ("", "ai.onnx"):
                continue
            if node.op_type != "Constant" and (
                not node.inputs or any(i and i not in known for i in node.inputs)
            ):
                continue
            ins = [known[i] for i in node.inputs if i]
            try:
                outs = _fold(node, ins)
            except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError):
                outs = None
            if not outs or not node.outputs:
                continue
            out = outs[0]
            known[node.outputs[0]] = out
            if node.op_type == "Constant":
                continue  # stored in the file, not made
            b = out.nbytes
            if b > worst_bytes:
                worst, worst_bytes = f"{node.op_type} -> {list(out.dims)} in {g.where}", b
            total = min(total + b * times, cap + 1)
    return total, worst


def _out_rank(
    node: FoldNode, rank: Mapping[str, int], length: Mapping[str, int]
) -> tuple[int, int | None] | None:
    """The output rank of ``node`` (and its length, when it is a vector of known length: a
    shape), from its inputs' ranks alone, or None (unknown)."""
    op, a = node.op_type, node.attrs
    names = [i for i in node.inputs if i]
    if not names or any(i not in rank for i in names):
        return None
    r = [rank[i] for i in names]
    if op == "Gather" and len(r) > 1:
        return max(r[0] + r[1] - 1, 0), None
    if op == "GatherElements" and len(r) > 1:
        return r[1], None
    if op == "Concat":
        parts = [length.get(i) for i in names]
        known = [x for x in parts if x is not None]
        joined = sum(known) if len(known) == len(parts) else None
        return r[0], joined if r[0] == 1 else None
    if op == "Unsqueeze":
        axes = a.get("axes")
        count = len(axes) if isinstance(axes, tuple) else length.get(names[1], 1)
        return r[0] + count, None
    if op in ("Expand", "Reshape") and len(names) > 1:
        n = length.get(names[1])
        if n is None:
            return None
        return (max(r[0], n) if op == "Expand" else n), None
    if op == "ConstantOfShape":
        n = length.get(names[0])
        return (n, None) if n is not None else None
    if op == "Shape":
        return 1, r[0]
    if op in ("Tile", "Identity", "Cast", "Transpose"):
        return r[0], length.get(names[0])
    return max(r), None  # elementwise ops broadcast to the widest rank


def outsized_rank(graphs: list[GraphIO]) -> str | None:
    """fix20: a tensor whose rank passes MAX_RANK, followed through every node (constant or
    not) from the graph inputs' declared ranks and the constants: onnxruntime's shape
    inference keeps every dim at session creation (rt20b: 26 Gather(x, x) from an input of
    shape [1, 1] doubled its rank, 2.0 GB and no end in 30 s). Ranks are capped, so the work
    is one step per input of each node."""
    seen: dict[int, ChainMap[str, int]] = {}
    for g in graphs:
        own = {n: len(c.dims) for n, c in g.consts.items()}
        own.update(g.input_ranks)
        lengths = {n: c.dims[0] for n, c in g.consts.items() if len(c.dims) == 1}
        outer = seen.get(id(g.parent)) if g.parent is not None else None
        rank = outer.new_child(own) if outer is not None else ChainMap(own)
        seen[id(g)] = rank
        for node in g.ranked:
            got = _out_rank(node, rank, lengths)
            if got is None or not node.outputs:
                continue
            r, n = got
            if r > MAX_RANK:
                return f"{node.op_type} -> a tensor of rank {r} or more in {g.where}"
            rank[node.outputs[0]] = r
            if n is not None:
                lengths[node.outputs[0]] = min(n, MAX_RANK + 1)
    return None
