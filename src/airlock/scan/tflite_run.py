"""Bytes a TFLite model's tensors take when it runs (session 23, gate24).

The interpreter plans its arena at ``allocate_tensors`` from the shapes the kernels' Prepare
functions set, and touches it at ``invoke``: a FILL to a constant [2^29] (declared [1]), a
BROADCAST_TO or TILE of a [1] input to 2^29 floats, and a main input declared as 2^28 floats each
took 2 GiB at the first ``invoke`` in ai-edge-litert 2.3.0 (``allocate_tensors`` touched 40 MiB),
and were allowed: run-time cost was not judged for TFLite, while ONNX's is (AIR-ONNX-009's run
walk, ``onnx_run.py``).

Every non-constant tensor of every subgraph is alive from the operator writing it to the last
one reading it (as the arena planner keeps it), at its run-time shape where ``tflite_shapes``
derives it, else its declared shape (a dynamic dimension as 1: the smallest input the model
accepts); the most bytes alive together, summed over the subgraphs' arenas, is judged.
Operators sized by an input's *values* (FILL, BROADCAST_TO, TILE, RESIZE, PAD, RANGE, ONE_HOT,
SCATTER_ND, random ops...) count what those values make, whatever the file declares; the
values are followed through shape arithmetic (SHAPE, PACK, CONCATENATION, STRIDED_SLICE,
GATHER, CAST, ADD / MUL ...) from the constants and the shapes. A size the application feeds
(a main-subgraph input, as it is) is the caller's; one the walk cannot follow fails closed.
Not judged here: operators outside the shape table whose output grows from their inputs'
shapes alone (rt27fmt derived the broadcasting binary kernels, SELECT_V2, BATCH_MATMUL,
MATRIX_DIAG, GATHER, GATHER_ND, EMBEDDING_LOOKUP and FULLY_CONNECTED; others still count as
declared), and
WHILE trip counts (CPU time).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from airlock.formats.tflite import STABLEHLO_PAD, STABLEHLO_REDUCE_WINDOW, RunGraph, TensorInfo
from airlock.formats.tflite_shapes import OpView

MAX_ELEMENTS = 1 << 40
# TensorType -> bytes per element (STRING / RESOURCE / VARIANT and unknown types: 16)
_ITEM = {0: 4, 1: 2, 2: 4, 3: 1, 4: 8, 6: 1, 7: 2, 8: 8, 9: 1, 10: 8, 11: 16, 12: 8, 15: 4, 16: 2,
         17: 1, 18: 2, 19: 1, 20: 1, 21: 1, 22: 1}  # fmt: skip
WIDEST = 16

FILL, BROADCAST_TO, TILE, RANDOM_UNIFORM, RANDOM_NORMAL, MULTINOMIAL = 94, 130, 69, 148, 146, 149
SCATTER_ND, SPARSE_TO_DENSE, RESIZE_BILINEAR, RESIZE_NEAREST = 122, 68, 23, 97
SPACE_TO_BATCH_ND = 38  # rt27fmt: spatial dims padded by its paddings input ([m, 2])
PAD, PADV2, MIRROR_PAD, RANGE, ONE_HOT, TRANSPOSE_CONV = 34, 60, 100, 96, 85, 67
UNSORTED_SEGMENT = frozenset({153, 154, 155, 157})
SHAPE, PACK, CONCATENATION, CAST, RESHAPE, SQUEEZE, EXPAND_DIMS = 77, 83, 2, 53, 22, 43, 70
ADD, SUB, MUL, MAXIMUM, MINIMUM, FLOOR_DIV, FLOOR_MOD = 0, 41, 18, 55, 57, 90, 95
STRIDED_SLICE, SLICE, GATHER, BROADCAST_ARGS = 45, 65, 36, 145
# the size input of each value-sized operator (by position)
SIZE_INPUT = {
    FILL: 0, BROADCAST_TO: 1, TILE: 1, RANDOM_UNIFORM: 0, RANDOM_NORMAL: 0, MULTINOMIAL: 1,
    SCATTER_ND: 2, SPARSE_TO_DENSE: 1, RESIZE_BILINEAR: 1, RESIZE_NEAREST: 1, PAD: 1, PADV2: 1,
    MIRROR_PAD: 1, ONE_HOT: 1, TRANSPOSE_CONV: 0, **{k: 2 for k in UNSORTED_SEGMENT},
    SPACE_TO_BATCH_ND: 2,
}  # fmt: skip
_MOVES = frozenset({CAST, RESHAPE, SQUEEZE, EXPAND_DIMS})
# what keeps a fed value the caller's when read from its first input: slices, gathers, and
# reductions (tf.sequence_mask's REDUCE_MAX of the lengths)
_PICKS = frozenset({GATHER, STRIDED_SLICE, SLICE, 82, 89, 74, 81, 40, 56, 79})
NUDGE = 64  # constants a fed size may be added to, multiplied or bounded by
_ARITH: dict[int, Callable[[int, int], int]] = {
    ADD: lambda a, b: a + b, SUB: lambda a, b: a - b, MUL: lambda a, b: a * b,
    MAXIMUM: max, MINIMUM: min, FLOOR_DIV: lambda a, b: a // b if b else 0,
    FLOOR_MOD: lambda a, b: a % b if b else 0,  # rt27fmt: dilated convs' paddings
}  # fmt: skip
MAX_VALUES = 64
WHILE, LOGICAL_AND = 119, 86
_COMPARE = {58: "<", 63: "<=", 61: ">", 62: ">=", 72: "!="}  # LESS ... NOT_EQUAL
# WHILE iterations of a counted loop, as ONNX's MAX_ITERATIONS: a 2^31-iteration counter
# (a 600-byte model) kept invoke running past 20 s of CPU in ai-edge-litert 2.3.0
MAX_TRIPS = 1 << 24
SMALL = 1 << 16  # constants joined to a fed size (a fixed [batch, 16, 16] stays the caller's)


class _Unknown(Exception):
    """A size input the walk cannot follow."""


class _Walk:
    def __init__(self, g: RunGraph, main: bool) -> None:
        self.g = g
        self.values: dict[int, tuple[int, ...]] = dict(g.ints)
        # values the application feeds (a main input) and what is computed from them
        self.fed: set[int] = set(g.inputs) if main else set()
        # review24: how far the model scaled a fed value (constants multiplied in, joined
        # dims): five MULs by 64 made FILL 2^30 floats from a fed 1, and PACK(n, 65536, 65536)
        # 2^32, both the caller's before; past SMALL it is not the caller's size any more
        self.scale: dict[int, int] = {}

    def shape(self, i: int) -> tuple[int, ...] | None:
        """Run-time shape of tensor ``i`` (declared where not derived; dynamic dims as 1)."""
        if not 0 <= i < len(self.g.tensors):
            return None
        t = self.g.tensors[i]
        s = t.runtime if t.runtime is not None else t.shape or t.signature
        return None if s is None else tuple(max(d, 1) if d < 0 else d for d in s)

    def follow(self, op: OpView) -> None:
        """The values of ``op``'s output when it is shape arithmetic over known values."""
        if len(op.outputs) != 1:
            return
        out, ins = op.outputs[0], op.inputs
        vals = [self.values.get(i) for i in ins]
        if any(i in self.fed for i in ins) and op.builtin != SHAPE:
            # a fed value moved about stays the caller's; one added to, multiplied, or joined
            # with large constants is neither fed nor known (a size made from it fails closed)
            code = op.builtin
            scales = [self.scale.get(i, 1) for i in ins if i in self.fed]
            others = [v for i, v in zip(ins, vals, strict=True) if i not in self.fed]
            consts = [v for v in others if v is not None]
            known = len(consts) == len(others)
            scale: int | None = None
            if code in _MOVES or (code in _PICKS and ins[0] in self.fed):
                scale = self.scale.get(ins[0], 1)
            elif code in _ARITH and known and all(max(map(abs, v), default=0) <= NUDGE
                                                  for v in consts):  # fmt: skip
                # tf.range(n + 1), tf.maximum(n, 0): the caller's size, nudged
                if code == MUL:
                    scale = _prod(scales) * _prod([max(map(abs, v), default=1) for v in consts])
                elif code == ADD:
                    scale = sum(scales)
                else:
                    scale = max(scales, default=1)
            elif code in (PACK, CONCATENATION) and known:
                scale = _prod(scales) * _prod([_prod(v) for v in consts])
            if scale is not None and scale <= SMALL:
                self.fed.add(out)
                self.scale[out] = scale
            return
        got: tuple[int, ...] | None = None
        if op.builtin == SHAPE and ins:
            got = self.shape(ins[0])
        elif op.builtin in _MOVES and ins and vals[0] is not None:
            got = vals[0]
        elif op.builtin in (PACK, CONCATENATION) and ins and all(v is not None for v in vals):
            got = tuple(x for v in vals if v is not None for x in v)
        elif op.builtin in _ARITH and len(vals) == 2 and vals[0] is not None and vals[1]:
            a, b = vals[0], vals[1]
            if len(a) == 1 or len(b) == 1 or len(a) == len(b):
                n = max(len(a), len(b))
                fn = _ARITH[op.builtin]
                got = tuple(fn(a[k % len(a)], b[k % len(b)]) for k in range(n))
        elif op.builtin == GATHER and len(vals) == 2 and vals[0] is not None and vals[1]:
            a = vals[0]
            got = tuple(a[k] for k in vals[1] if -len(a) <= k < len(a))
        elif op.builtin in (STRIDED_SLICE, SLICE) and len(vals) >= 3 and vals[0] is not None:
            got = _slice(op, vals)
        elif op.builtin == BROADCAST_ARGS and len(vals) == 2 and vals[0] is not None and vals[1]:
            a, b = vals[0], vals[1]  # (tf.broadcast_dynamic_shape: BROADCAST_TO's shape)
            r = max(len(a), len(b))
            a, b = (1,) * (r - len(a)) + a, (1,) * (r - len(b)) + b
            got = tuple(max(x, y) if min(x, y) != 1 else x * y for x, y in zip(a, b, strict=True))
        if got is not None and len(got) <= MAX_VALUES:
            self.values[out] = got

    def made(self, op: OpView) -> int | None:
        """Elements ``op``'s output holds when an input's values size it (None: not such an
        operator, or its size is the application's); raises _Unknown when not followed."""
        k = SIZE_INPUT.get(op.builtin)
        if op.builtin in (STABLEHLO_PAD, STABLEHLO_REDUCE_WINDOW):
            return self.stablehlo(op)
        if op.builtin == RANGE:
            if len(op.inputs) < 3:
                raise _Unknown("RANGE without start / limit / delta")
            ends = [self.values.get(i) for i in op.inputs[:3]]
            if op.inputs[1] in self.fed:  # the caller's, by a whole step
                if ends[2] is not None and len(ends[2]) == 1 and abs(ends[2][0]) >= 1:
                    return None
                raise _Unknown("RANGE over a fed bound by a step not known")
            fed = any(i in self.fed for i in op.inputs[:3])
            if fed:
                # review24: a fed start (or step) under a constant limit, counted from 0 by 1
                # as ONNX's walk does (range(x, 2^30, 1) at x = 0: 4 GiB at invoke, clean)
                sub = zip(op.inputs[:3], ends, (0, 0, 1), strict=True)
                ends = [(k,) if i in self.fed else e for i, e, k in sub]
            if any(e is None or len(e) != 1 for e in ends):
                raise _Unknown("RANGE over values not followed")
            start, limit, delta = (e[0] for e in ends if e is not None)
            if fed:  # (either sign: the caller's start or step may be negative)
                return math.ceil(abs(limit - start) / abs(delta)) if delta else 0
            return max(math.ceil((limit - start) / delta), 0) if delta else 0
        if k is None:
            return None
        if k >= len(op.inputs):
            raise _Unknown("its size input is missing")
        i = op.inputs[k]
        if i in self.fed:
            return None
        v = self.values.get(i)
        if v is None and op.builtin == SPACE_TO_BATCH_ND:
            # TF 2.20's dilated convolutions over a dynamic H/W compute these paddings through
            # a 2-D STRIDED_SLICE the walk does not follow: sized as declared (residual)
            return None
        if v is None:
            raise _Unknown("its size is computed from values the scan does not follow")
        x = self.shape(op.inputs[0]) if op.inputs and op.inputs[0] >= 0 else None
        b = op.builtin
        if b in (FILL, RANDOM_UNIFORM, RANDOM_NORMAL, SCATTER_ND, SPARSE_TO_DENSE, TRANSPOSE_CONV):
            return _prod(v)
        if b == BROADCAST_TO:
            return _prod(v) * (_prod(x) if x is not None and len(x) > len(v) else 1)
        if b == MULTINOMIAL:
            return _prod(x[:1] if x else (1,)) * _prod(v)
        if x is None:
            raise _Unknown("its input's shape is not known")
        if b == TILE:
            return _prod(x) * _prod(v)
        if b in (RESIZE_BILINEAR, RESIZE_NEAREST):
            return _prod(x) // max(_prod(x[1:3]), 1) * _prod(v)
        if b == SPACE_TO_BATCH_ND:  # [batch, spatial..., rest]: the m spatial dims padded
            m = len(v) // 2
            if len(v) % 2 or not 0 < m < len(x):
                raise _Unknown("its paddings do not match its input's rank")
            pads = [max(p, 0) for p in v]
            spatial = [d + pads[2 * j] + pads[2 * j + 1] for j, d in enumerate(x[1 : m + 1])]
            return _prod([x[0], *spatial, *x[m + 1 :]])
        if b in (PAD, PADV2, MIRROR_PAD):
            pads = [max(p, 0) for p in v]
            dims = [d + sum(pads[2 * j : 2 * j + 2]) for j, d in enumerate(x)]
            return _prod(dims)
        if b == ONE_HOT:
            return _prod(x) * _prod(v)
        # unsorted segment ops: num_segments rows of the data's inner dims
        return _prod(v) * _prod(x[1:])

    def stablehlo(self, op: OpView) -> int:
        """rt27fmt: STABLEHLO_PAD / STABLEHLO_REDUCE_WINDOW are sized by their options_2 (the
        file's declared output is ignored by the kernel's Prepare), as the kernels compute it;
        options missing or not of the input's rank fail closed."""
        x = self.shape(op.inputs[0]) if op.inputs and op.inputs[0] >= 0 else None
        o = op.options
        if x is None or o is None:
            raise _Unknown("its input's shape or its options are not known")
        r = len(x)

        def vec(name: str, default: int, width: int = 1) -> tuple[int, ...]:
            v = o.get(name, ())
            if not isinstance(v, tuple):
                raise _Unknown(f"{name} is not read")
            if not v:
                return (default,) * (r * width)
            if len(v) != r * width:
                raise _Unknown(f"{name} does not match the input's rank")
            return v

        if op.builtin == STABLEHLO_PAD:
            lo, hi = vec("edge_padding_low", 0), vec("edge_padding_high", 0)
            mid = vec("interior_padding", 0)
            return _prod([d + a + b + max(d - 1, 0) * max(m, 0)
                          for d, a, b, m in zip(x, lo, hi, mid, strict=True)])  # fmt: skip
        win, step = vec("window_dimensions", 1), vec("window_strides", 1)
        base, wdil = vec("base_dilations", 1), vec("window_dilations", 1)
        pads = vec("padding", 0, 2)
        dims = []
        for j, d in enumerate(x):
            padded = max(d - 1, 0) * max(base[j], 1) + min(d, 1) + pads[2 * j] + pads[2 * j + 1]
            span = (max(win[j], 1) - 1) * max(wdil[j], 1) + 1
            dims.append((padded - span) // max(step[j], 1) + 1 if padded >= span else 0)
        return _prod(dims)


def _slice(op: OpView, vals: Sequence[tuple[int, ...] | None]) -> tuple[int, ...] | None:
    """A 1-D STRIDED_SLICE / SLICE of known values with known begin / end (size) / strides."""
    a, begin, end = vals[0], vals[1], vals[2]
    if a is None or begin is None or end is None or len(begin) != 1 or len(end) != 1:
        return None
    if op.builtin == SLICE:
        b, n = begin[0], end[0]
        return a[b : b + n] if n >= 0 else a[b:]
    strides = vals[3] if len(vals) > 3 else (1,)
    if strides is None or len(strides) != 1 or strides[0] == 0:
        return None
    o = op.options or {}  # no options table: the kernel runs with zeroed masks
    masks = [o.get(k, 0) for k in ("begin_mask", "end_mask", "shrink_axis_mask")]
    if not all(type(m) is int for m in masks) or o.get("ellipsis_mask") or o.get("new_axis_mask"):
        return None
    bm, em, sm = (m if type(m) is int else 0 for m in masks)
    if sm & 1:
        k = begin[0]
        return (a[k],) if -len(a) <= k < len(a) else None
    lo = None if bm & 1 else begin[0]
    hi = None if em & 1 else end[0]
    return a[lo:hi : strides[0]]


def _prod(dims: Sequence[int]) -> int:
    n = 1
    for d in dims:
        n = min(n * max(d, 0), MAX_ELEMENTS)
    return n


def _bytes(t: TensorInfo, elements: int) -> int:
    return elements * _ITEM.get(t.type, WIDEST)


def run_bytes(graphs: Sequence[RunGraph], cap: int) -> tuple[int, str, str | None]:
    """(bytes, the largest tensor, why the walk failed closed or None): the most bytes alive
    together in each subgraph's arena, over every subgraph."""
    total, worst, worst_bytes = 0, "", -1
    for gi, g in enumerate(graphs):
        walk = _Walk(g, gi == 0)
        sized: dict[int, int] = {}
        for n, op in enumerate(g.ops):
            where = f"operator {n} (builtin {op.builtin}) of subgraph {gi}"
            try:
                made = walk.made(op)
            except _Unknown as e:
                return total, worst, f"the size of {where} is not judged: {e}"
            trips = _trips(op, walk, graphs) if op.builtin == WHILE else None
            if trips is not None and trips > MAX_TRIPS:
                return total, worst, f"{where} is a WHILE counting {trips:,} iterations"
            walk.follow(op)
            if made is not None and op.outputs and 0 <= op.outputs[0] < len(g.tensors):
                sized[op.outputs[0]] = made
        first, last = _lifetimes(g)
        live = [0] * (len(g.ops) + 2)  # bytes alive at each operator (a difference array)
        for i, t in enumerate(g.tensors):
            if t.fixed and t.data_bytes > 0:
                continue  # a constant: its bytes are the file's
            s = walk.shape(i)
            b = _bytes(t, max(_prod(s) if s is not None else 0, sized.get(i, 0)))
            if b > worst_bytes:
                worst, worst_bytes = f"tensor {i} of subgraph {gi} ({b:,} bytes)", b
            live[first.get(i, 0)] += b
            live[last.get(i, len(g.ops)) + 1] -= b
        peak = now = 0
        for b in live:
            now += b
            peak = max(peak, now)
        total = min(total + peak, cap + 1)  # each subgraph has its own arena
        if total > cap:
            return total, worst, None
    return total, worst, None


def _trips(op: OpView, walk: _Walk, graphs: Sequence[RunGraph]) -> int | None:
    """Iterations of a WHILE whose condition compares a loop variable with a constant (or an
    unchanged loop variable), the body stepping it by a constant from a known start; None
    otherwise (a computed condition is the caller's, as in the ONNX walk)."""
    o = op.options or {}
    c, b = o.get("cond", 0), o.get("body", 0)
    if type(c) is not int or type(b) is not int or not 0 <= min(c, b) <= max(c, b) < len(graphs):
        return None
    cond, body = graphs[c], graphs[b]
    test = next((x for x in cond.ops if cond.outputs[:1] == x.outputs[:1]), None)
    if test is not None and test.builtin == LOGICAL_AND and len(test.inputs) == 2:
        # review24: a conjunction ends when either compare does (LOGICAL_AND(i < 2^31, i <
        # 2^31) was not counted: invoke killed at 60 s CPU, scanned clean)
        parts = [next((x for x in cond.ops if x.outputs[:1] == (t,)), None) for t in test.inputs]
        counts = [n for n in (_counted(p, op, walk, cond, body) for p in parts) if n is not None]
        return min(counts) if counts else None
    return _counted(test, op, walk, cond, body)


def _counted(
    test: OpView | None, op: OpView, walk: _Walk, cond: RunGraph, body: RunGraph
) -> int | None:
    """Iterations of ``op`` (a WHILE) while ``test`` (a compare in ``cond``) holds."""
    if test is None or test.builtin not in _COMPARE or len(test.inputs) != 2:
        return None
    pos = {t: k for k, t in enumerate(cond.inputs)}
    shifted: dict[int, tuple[int, int]] = {}  # i + c in cond (review24: i + 0 < 2^31 was clean)
    for arith in cond.ops:
        if arith.builtin in (ADD, SUB) and len(arith.inputs) == 2 and len(arith.outputs) == 1:
            u, w = arith.inputs
            if arith.builtin == ADD and u not in pos:
                u, w = w, u
            cv = cond.ints.get(w)
            if u in pos and cv is not None and len(cv) == 1:
                shifted[arith.outputs[0]] = (u, cv[0] if arith.builtin == ADD else -cv[0])

    def start(k: int) -> int | None:
        v = walk.values.get(op.inputs[k]) if k < len(op.inputs) else None
        return v[0] if v is not None and len(v) == 1 else None

    def bound(t: int) -> int | None:
        if t in cond.ints:
            return cond.ints[t][0] if len(cond.ints[t]) == 1 else None
        k = pos.get(t)
        if k is None or k >= min(len(body.inputs), len(body.outputs)):
            return None
        return start(k) if body.outputs[k] == body.inputs[k] else None

    a, lim = test.inputs
    sign = _COMPARE[test.builtin]
    if a not in pos and a not in shifted:
        a, lim = lim, a
        sign = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}[sign]
    a, shift = shifted.get(a, (a, 0))
    k = pos.get(a)
    if k is None or k >= len(body.outputs) or k >= len(body.inputs):
        return None
    init, limit = start(k), bound(lim)
    init = None if init is None else init + shift
    step_op = next((x for x in body.ops if x.outputs[:1] == (body.outputs[k],)), None)
    if init is None or limit is None or step_op is None or step_op.builtin not in (ADD, SUB):
        return None
    x, y = (*step_op.inputs, -1, -1)[:2]
    if body.inputs[k] not in (x, y):
        return None
    other = y if x == body.inputs[k] else x
    sv = body.ints.get(other)
    if sv is None or len(sv) != 1 or (step_op.builtin == SUB and other != y):
        return None
    step = sv[0] if step_op.builtin == ADD else -sv[0]
    gap = limit - init
    if sign in ("<=", ">="):
        gap += 1 if sign == "<=" else -1
    if sign == "!=":
        if gap == 0:
            return 0
        return gap // step if step and gap % step == 0 and gap // step > 0 else MAX_ELEMENTS
    if (sign[0] == "<" and gap <= 0) or (sign[0] == ">" and gap >= 0):
        return 0
    if step == 0 or (step > 0) != (gap > 0):
        return MAX_ELEMENTS  # never ends
    return -(-gap // step)


def _lifetimes(g: RunGraph) -> tuple[dict[int, int], dict[int, int]]:
    """The operator writing each tensor first and the last one reading it, as the arena
    planner keeps them: subgraph inputs from the start, outputs (and tensors nobody writes or
    reads) to the end."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    end = len(g.ops)
    for n, op in enumerate(g.ops):
        for o in op.outputs:
            first.setdefault(o, n)
        for i in op.inputs:
            last[i] = n
    for i in g.inputs:
        first[i] = 0
    for o in g.outputs:
        last[o] = end
    for i in range(len(g.tensors)):
        if i not in first or i not in last:  # never written or never read: the whole run
            first[i], last[i] = 0, end
    return first, last
