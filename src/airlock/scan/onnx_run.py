"""Bytes a run of an ONNX model makes from its graph inputs (rt22onnx).

Constant folding (onnx_fold) follows only nodes over constants. This walk follows every node
of every graph, from the graph inputs' declared shapes (a symbolic or missing dim counts as 1:
the smallest input the model accepts) and the constants, with the same shape table, and
counts the nodes that make more elements than they read (Expand, Tile, Pad, Resize,
ConstantOfShape of a computed shape, an outer product...): an Expand of a [1] input to 2^28
floats, 3 times (286 bytes), took 1,142 MiB at the first run in onnxruntime 1.32.

Control flow is followed too: If walks both branches (the larger counts), a call of a
model-local function walks its body with the call's values bound, and Loop / Scan run their
body iteration by iteration (up to MAX_SIM iterations, or until the carried shapes stop
changing) with the loop-carried values: a Loop of 28 iterations doubling a carried value that
starts as a [1] graph input (306 bytes) took 2.2 GB and failed under a 4 GiB limit. A carried
value still growing past MAX_SIM iterations of an unbounded trip count grows without bound (a
doubling reaches any limit within 64 iterations); one growing by a fixed step is extrapolated
to a constant trip count (300 iterations of Pad by 2^22: 3.1 GB), and left to the caller when
the trip count is an input or the loop ends on a computed condition (a decoder appending one
token per step).

Values whose shape the table cannot follow are unknown and end the chain (nothing is counted
for them): this is an estimate of what the model itself makes from a small input, not a bound.
"""

from __future__ import annotations

import math
from collections import ChainMap
from collections.abc import Mapping, Sequence
from itertools import pairwise

from airlock.formats.onnx import WIDEST_BITS, FoldNode, GraphIO
from airlock.scan.onnx_fold import (
    BOUNDED,
    CONTROL,
    MAX_ELEMENTS,
    MS_AS,
    SAME_SHAPE,
    VALUE_KEEPING,
    _ints,
    _opaque,
    _Val,
    elem_bits,
    fold_known,
    string_const,
)
from airlock.scan.onnx_ops import ABSENT, bounded_by_inputs, opaque_bound, scratch, shape_of

MAX_SIM = 64  # loop iterations simulated per Loop / Scan visit
MAX_RUN_NODES = 4_000_000  # node visits in all, loop iterations and calls included
MAX_DEPTH = 16  # nested calls / loop bodies followed
GROWTH_WINDOW = 8  # a carried value that doubles over this many iterations grows geometrically
# iterations of constant-count loops (nested counts multiplied): onnxruntime 1.32 spends about
# a microsecond per iteration of an empty Loop body; a for-loop of 2^62 iterations (286 bytes)
# ran past 40 s. A real model's fixed loops run over a sequence, a few thousand steps at most.
MAX_ITERATIONS = 1 << 24
STAY_STEPS = 8  # rt23onnx: iterations a while-loop's condition is followed before extrapolating

_Env = ChainMap[str, _Val]
# elementwise operators outside the folding table's SAME_SHAPE (their values are not followed
# there, so it leaves them out): here their shape is their input's (a loop doubling a carried
# value through Concat(v, Tan(v)) was not followed)
ELEMENTWISE = frozenset(
    {
        "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Celu",
        "ThresholdedRelu", "Shrink", "Hardmax", "LpNormalization", "Swish", "BitwiseNot",
        "MeanVarianceNormalization", "LRN", "Softmax", "LogSoftmax", "IsNaN", "IsInf",
        "CumProd",
    }
)  # fmt: skip


# an input with no declared tensor shape (or a sequence / optional type), and a loop's carried
# value the table cannot follow: one element of unknown shape (element counts still follow
# it through size-keeping operators, so a doubling is seen)
_COMPARE = frozenset({"Less", "LessOrEqual", "Greater", "GreaterOrEqual"})
# rt23onnx: domains followed here; the other standard domains (no AIR-ONNX-003: onnxruntime runs
# them as they are) fail closed on a node the walk does not size
_TRAINING = frozenset({"ai.onnx.training", "ai.onnx.preview.training"})
_FOLLOWED_DOMAINS = frozenset(
    {"", "ai.onnx", "com.microsoft", "ai.onnx.ml", "com.microsoft.nchwc", *_TRAINING}
)
_STANDARD_ELSEWHERE = frozenset({"com.microsoft.experimental", "com.ms.internal.nhwc"})
# com.microsoft operators that are the standard ones under another domain
_MS_STANDARD = frozenset({"Range", "Pad", "GatherND", "Trilu", "Unique", "ExpandDims"})
_PASS = (SAME_SHAPE | ELEMENTWISE) - {"Cast", "CastLike", "Dropout"}
# review22: operators that only move values about (the inputs whose values they move; None:
# all): a size input made by these from constants is bounded by the largest of them
_MOVES: dict[str, tuple[int, ...] | None] = {
    "Identity": (0,), "Cast": (0,), "CastLike": (0,), "Reshape": (0,), "Squeeze": (0,),
    "Unsqueeze": (0,), "Flatten": (0,), "Transpose": (0,), "Slice": (0,), "Gather": (0,),
    "GatherElements": (0,), "GatherND": (0,), "Split": (0,), "Expand": (0,), "Tile": (0,),
    "Concat": None, "Where": (1, 2), "Abs": (0,), "Neg": (0,), "Max": None, "Min": None,
    "ConstantOfShape": (), "Pad": (0, 2),
}  # fmt: skip
# rt23onnx: arithmetic whose result is bounded by its inputs' magnitudes (a sum, a product, the
# largest): Add(CumSum(Shape(x)), 2^28) or Mul(k, 2^28) of a graph input
_INT_TYPES = frozenset({2, 3, 4, 5, 6, 7, 12, 13})
# operators sized by an input's values: a value the caller passes sizes them (the caller's)
_VALUE_SIZED = frozenset(
    {
        "Range", "OneHot", "HannWindow", "HammingWindow", "BlackmanWindow", "MelWeightMatrix",
        "DFT", "STFT", "CenterCropPad", "AffineGrid", "Resize", "Upsample", "Pad", "Expand",
        "Tile", "ConstantOfShape", "TopK", "Col2Im", "CropAndResize", "MaxUnpool", "Reshape",
    }
)  # fmt: skip
_ARITH_BOUND = frozenset({"Add", "Sub", "Mul", "Sum", "Max", "Min", "Neg", "Abs", "Mean"})
# review22: the inputs that set how many elements these operators make
_SIZE_INPUTS = {
    "Expand": (1,), "Tile": (1,), "Pad": (1,), "Resize": (2, 3), "Upsample": (1,),
    "Range": (1, 2), "OneHot": (1,), "MaxUnpool": (2,), "CenterCropPad": (1,),
    "ConstantOfShape": (0,),
}  # fmt: skip
# review22: operators that never make more elements than their largest input (a body nested
# past MAX_DEPTH holding only these, and calls of such functions, is left unwalked)
_KEEPS = (
    SAME_SHAPE
    | ELEMENTWISE
    | {"Constant", "Shape", "Size", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Transpose"}
    | {r for r in BOUNDED if r.startswith("Reduce")}
)


def _unknown() -> _Val:
    return _Val((1,), 1, None, opaque=True)


class Ran:
    """What the walk found: ``total`` bytes the counted nodes make (capped at ``cap + 1``), the
    largest of them, and why the walk stopped early (``why``: fails closed)."""

    __slots__ = ("total", "why", "worst", "worst_bytes")

    def __init__(self) -> None:
        self.total, self.worst, self.worst_bytes = 0, "", -1
        self.why: str | None = None


class _Run:
    def __init__(self, cap: int, functions: Mapping[tuple[str, str], GraphIO], budget: int):
        self.cap = cap
        self.functions = functions
        self.budget = budget
        self.depth = 0
        self.iterations = 1  # the product of the enclosing loops' known trip counts
        self.all_iterations = 0  # every loop's, all together (a loop in a function called often)
        # a value that is another plus a constant (Add(x, c), Sub(x, c), Identity, Cast): a Range
        # from x to x + 2^28 makes 2^28 elements whatever x is
        self.offsets: dict[str, tuple[str, int]] = {}
        self.producers: dict[int, dict[str, FoldNode]] = {}  # per graph: output -> its node
        self.keeps_only: set[int] = set()  # graphs found to hold only shape-keeping operators
        self.bounds: dict[tuple[int, str], float | None] = {}  # (graph, name): see _bound
        self._scratch_bounds: dict[tuple[int, str], float | None] = {}  # (a body's)
        self.out = Ran()

    def add(self, b: int, what: str) -> None:
        if b > self.out.worst_bytes:
            self.out.worst, self.out.worst_bytes = what, b
        self.out.total = min(self.out.total + b, self.cap + 1)

    def over(self) -> bool:
        return self.out.total > self.cap or self.out.why is not None

    # -- one graph ----------------------------------------------------------------------

    def graph(self, g: GraphIO, env: _Env) -> None:
        self._graph(g, env)
        if self.out.why is None and self.out.total <= self.cap:
            peak, at = _peak_live(g, env)  # (main graph, bodies, function calls alike)
            if peak > self.cap:
                self.out.why = (
                    f"the values alive together at {at} in {g.where} hold {peak:,} bytes"
                    f" (more than {self.cap:,})"
                )

    def _graph(self, g: GraphIO, env: _Env) -> None:
        for node in g.all_nodes:
            if self.over():
                return
            self.budget -= 1
            if self.budget < 0:
                self.out.why = f"the run-time walk passed {MAX_RUN_NODES:,} node visits"
                return
            try:
                self.node(node, g, env)
            except (ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError) as e:
                # rt23onnx: a node the walk cannot follow left its outputs unknown, and every
                # node made from them uncounted: fails closed
                self.out.why = (
                    f"{node.op_type} in {g.where}: the node could not be followed"
                    f" ({type(e).__name__})"
                )
                return

    def node(self, node: FoldNode, g: GraphIO, env: _Env) -> None:
        op = node.op_type
        if op in _PASS and node.domain in ("", "ai.onnx") and node.inputs and node.outputs:
            # shape-keeping over a tensor with no values followed: its input's value object
            # (a 200,000-node Relu chain makes no new objects)
            x = env.get(node.inputs[0])
            if x is not None and x.values is None and not isinstance(x, _Seq):
                if node.outputs[0]:
                    env[node.outputs[0]] = x
                return
        names = [i for i in node.inputs if i]
        ins = [env.get(i) for i in names]
        where = f"{op} in {g.where}"
        outs: list[_Val | None] | None
        key = (node.domain, node.op_type)
        if key in self.functions:
            outs = self.call(node, env, where)
        elif node.domain not in _FOLLOWED_DOMAINS:
            if node.domain in _STANDARD_ELSEWHERE and any(node.outputs):
                # rt23onnx: runs in onnxruntime without a custom-op library (no AIR-ONNX-003)
                # and its output is not sized here: fails closed
                self.out.why = f"{where} ({node.domain}): its output size is not judged"
            return  # other domains: AIR-ONNX-003 (custom)
        elif node.op_type == "If" and node.domain in ("", "ai.onnx"):
            outs = self.branches(node, env, where)
        elif node.op_type in ("Loop", "Scan") and node.domain in ("", "ai.onnx"):
            outs = self.loop(node, g, env, where)
        elif node.op_type == "SequenceMap" and node.domain in ("", "ai.onnx"):
            outs = self.seq_map(node, env, where)
        else:
            known = [v for v in ins if v is not None]
            if len(known) < len(ins):
                return
            if op in ("Identity", "Cast", "Add", "Sub"):
                self._offset(node, env)
            pos = [env[i] if i else ABSENT for i in node.inputs]
            outs = list(_step(node, known, pos) or [])
            if node.op_type == "Range" and len(names) == 3:
                outs = self._span(names, env) or outs
            if not any(v is not None for v in outs):
                self._unfollowed_size(node, g, env, where)
                if self.out.why is None and not any(o in env for o in node.outputs if o):
                    self._unsized(node, known, g, env, where)
                    return
            temp = scratch(node.domain, node.op_type, node.attrs, pos)
            if temp is not None:
                self.add(min(temp.nbytes, self.cap + 1), f"{where}: scores {list(temp.dims)}")
        made = [v for v in outs if v is not None] if outs else []
        for o, v in zip(node.outputs, outs or [], strict=False):
            if o and v is not None:
                env[o] = v
        if not made or node.op_type == "Constant":
            return
        read = sum(v.elements for v in {id(v): v for v in ins if v is not None}.values())
        grown = sum(v.elements for v in made)
        if grown > read:
            b = min(sum(v.nbytes for v in made), self.cap + 1)
            shown = made[0].dims if len(made[0].dims) <= 8 else (f"rank {len(made[0].dims)}",)
            self.add(b, f"{where} -> {list(shown)}")

    def _unsized(self, node: FoldNode, ins: list[_Val], g: GraphIO, env: _Env, where: str) -> None:
        """rt23onnx: an operator whose output size the walk cannot tell from what it knows
        (an LSTM over a wide batch, GridSample, a DFT length, an attribute-sized output of an
        operator not in the tables...) used to end the chain unseen: 1-3 GiB at the first run
        each, allowed. Unless its outputs are bounded by its inputs, the walk fails closed."""
        if not any(node.outputs) or node.op_type in CONTROL or node.op_type == "EPContext":
            return  # (an EPContext's compiled blob: AIR-ONNX-006 judges it)
        if ins and not any(v.opaque for v in ins) and bounded_by_inputs(node.domain, node.op_type):
            return  # (_step has given these their bound already)
        if node.op_type in _VALUE_SIZED and any(
            v is not None and v.values is None and v.elements <= 64
            and self._caller(i, g, env, 0)
            for i, v in ((i, env.get(i)) for i in node.inputs if i)
        ):  # fmt: skip
            # sized by a value the caller passes (a DFT length, a window size...): at least one
            # element, its size the caller's (round 2: left unknown, a Tile of it by 3 * 2^28
            # was not followed)
            for o in node.outputs:
                if o:
                    env[o] = _unknown()
            return
        detail = "an input whose shape is not known" if any(v.opaque for v in ins) else "it"
        self.out.why = f"{where}: the output size of {node.op_type} over {detail} is not judged"

    def _unfollowed_size(self, node: FoldNode, g: GraphIO, env: _Env, where: str) -> None:
        """review22: a size input (Expand's shape, Tile's repeats, Pad's pads...) computed from
        constants by operators whose values the table does not follow (CumSum, Einsum, TopK,
        ReduceMax, Pow, BitShift, Sqrt, ScatterElements of a constant [2^28]) left the node's
        output unknown: 3 Expands of the [1] input by such a shape took 3.2 GB at the first
        run in onnxruntime 1.32 and were clean. onnxruntime fixes that value at session
        creation. When it only moves constants about (torch's F.pad export: ConstantOfShape,
        Concat, Reshape, Slice, Transpose, Cast of the pads), the largest of those constants
        bounds it and the output is counted at that bound; otherwise the walk fails closed."""
        if node.domain not in ("", "ai.onnx") or self.out.why is not None:
            return
        op = node.op_type
        if op == "Range" and len(node.inputs) == 3 and all(node.inputs):
            # (limit + start) / the least |delta| elements at most
            ends = [self._bound(i, g, env, 0) for i in node.inputs[:2]]
            step = env.get(node.inputs[2])
            least = min((abs(float(v)) for v in step.values or ()), default=0.0) if step else 0
            if least > 0 and all(e is not None for e in ends):
                total = sum(e or 0.0 for e in ends) / least
                n = min(math.ceil(total), MAX_ELEMENTS) if math.isfinite(total) else MAX_ELEMENTS
                made = _Val((n,), step.data_type if step else 7, None)
                if node.outputs and node.outputs[0]:
                    env[node.outputs[0]] = made
                if n > 1:
                    self.add(min(made.nbytes, self.cap + 1), f"{where} -> [{n}] (bound)")
                return
        for k in _SIZE_INPUTS.get(op, ()):
            name = node.inputs[k] if k < len(node.inputs) else ""
            v = env.get(name) if name else None
            if v is None or v.values is not None:
                continue
            # rt23onnx: from the graph inputs too (a value the caller passes counts as 1, its
            # smallest: Expand(x, Add(k, 3 * 2^28 - 1)) took 3 GiB on k = 1, allowed)
            bound = self._bound(name, g, env, 0)
            x = env.get(node.inputs[0]) if node.inputs and node.inputs[0] else None
            # rt23onnx: the vector's length as the reader followed it when the walk's count
            # is an opaque bound (a Concat of computed pieces read as 35 long, not 4)
            count = g.length(name) if v.opaque and g.length(name) is not None else v.elements
            dims = None if bound is None else _dims_at(op, k, x, count or v.elements, bound)
            if dims is None:
                if self._caller(name, g, env, 0):
                    if node.outputs and node.outputs[0]:
                        env[node.outputs[0]] = _unknown()  # the caller's size: 1 at least
                    return
                self.out.why = (
                    f"{where}: its size input {name!r} is computed by operators whose values"
                    " are not followed"
                )
                return
            made = _Val(dims, x.data_type if x is not None and op != "ConstantOfShape" else 1, None)
            if node.outputs and node.outputs[0]:
                env[node.outputs[0]] = made
            read = x.elements if x is not None else 0
            if made.elements > read:
                self.add(min(made.nbytes, self.cap + 1), f"{where} -> {list(dims)[:8]} (bound)")
            return

    def _bound(self, name: str, g: GraphIO, env: _Env, depth: int) -> float | None:
        """The largest magnitude ``name`` can hold when it only moves constants about (None:
        an operator computes it, or it is not found). Remembered per graph for the whole walk
        (constants only: the same wherever it is asked). rt23onnx: also arithmetic over the
        main graph's inputs (their smallest value, 1); a body's or function's input is not a
        caller's value (a loop-carried k sized Expand(x, (k + 1) * 2^24): 4 GiB at k = 64, the
        walk took k as 1): there the answer is not remembered, and its inputs bound nothing."""
        stable = g.parent is None and g.params is None
        if depth == 0 and not stable:
            self._scratch_bounds = {}
        memo, key = (self.bounds if stable else self._scratch_bounds), (id(g), name)
        if key in memo:
            return memo[key]
        v = env.get(name)
        if v is not None and v.values is not None:
            return max((abs(float(x)) for x in v.values), default=0.0)
        memo[key] = None  # a cycle reads as unknown
        n = self._producer(g, name)
        if n is None:
            # rt23onnx: a main-graph input holding a small vector: the caller's value, at its
            # smallest (1), as the walk takes a symbolic dim
            top = _top_input(g, name)
            out1 = 1.0 if top and v is not None and v.elements <= 64 and not v.opaque else None
            memo[key] = out1
            return out1
        if depth > 64 or n.domain not in ("", "ai.onnx"):
            return None
        if n.op_type == "Div" and len(n.inputs) == 2:  # |a / b| <= |a| / the least |b|
            a, b = self._bound(n.inputs[0], g, env, depth + 1), env.get(n.inputs[1])
            least = min((abs(float(x)) for x in b.values), default=0.0) if b and b.values else 0
            whole = b is not None and b.data_type in _INT_TYPES
            out2 = None if a is None or not (least or whole) else a / (least or 1.0)
            memo[key] = out2
            return out2
        if n.op_type in _ARITH_BOUND:
            got = [self._bound(i, g, env, depth + 1) for i in n.inputs if i]
            if not got or any(b is None for b in got):
                return None
            nums = [b or 0.0 for b in got]
            most = math.prod(nums) if n.op_type == "Mul" else max(nums)
            if n.op_type in ("Add", "Sub", "Sum"):
                most = sum(nums)
            memo[key] = most
            return most
        if n.op_type not in _MOVES:
            return None
        if n.op_type == "ConstantOfShape":
            c = n.attrs.get("value")
            vals = getattr(c, "values", ()) if c is not None else (0.0,)
            out = None if vals is None else max((abs(float(x)) for x in vals), default=0.0)
        else:
            which = _MOVES[n.op_type]
            idx = range(len(n.inputs)) if which is None else which
            got = [
                self._bound(n.inputs[i], g, env, depth + 1)
                for i in idx
                if i < len(n.inputs) and n.inputs[i]
            ]
            out = None if not got or any(b is None for b in got) else max(b or 0.0 for b in got)
        memo[key] = out
        return out

    def _caller(self, name: str, g: GraphIO, env: _Env, depth: int) -> bool:
        """``name`` only moves values a graph input (or body input) holds about: the size is
        the one the caller passes (Expand to a shape input: the caller's)."""
        n = self._producer(g, name)
        if n is None:
            v = env.get(name)
            return v is not None and v.values is None and _top_input(g, name)
        if n.op_type == "Shape" and n.inputs and n.domain in ("", "ai.onnx"):
            # the shape of a value whose shape is not known (an input declared without one)
            v = env.get(n.inputs[0])
            return v is not None and v.opaque and v.elements <= 1
        if depth > 64 or n.domain not in ("", "ai.onnx") or n.op_type not in _MOVES:
            return False
        which = _MOVES[n.op_type]
        idx = range(len(n.inputs)) if which is None else which
        moved = [n.inputs[i] for i in idx if i < len(n.inputs) and n.inputs[i]]
        return any(
            self._caller(i, g, env, depth + 1) for i in moved
        ) and all(self._caller(i, g, env, depth + 1) or self._bound(i, g, env, 0) is not None
                  for i in moved)  # fmt: skip

    def _producer(self, g: GraphIO, name: str) -> FoldNode | None:
        at: GraphIO | None = g
        while at is not None:
            made = self.producers.get(id(at))
            if made is None:
                made = {o: n for n in at.all_nodes for o in n.outputs if o}
                self.producers[id(at)] = made
            if name in made:
                return made[name]
            at = at.parent
        return None

    def _offset(self, node: FoldNode, env: _Env) -> None:
        op, names = node.op_type, node.inputs
        if not node.outputs or not node.outputs[0] or node.domain not in ("", "ai.onnx"):
            return
        base: tuple[str, int] | None = None
        if op in ("Identity", "Cast") and names and names[0]:
            base = self.offsets.get(names[0], (names[0], 0))
        elif op in ("Add", "Sub") and len(names) == 2:
            for k in (1, 0) if op == "Add" else (1,):
                c = _ints(env.get(names[k]))
                other = names[1 - k]
                if c is not None and len(c) == 1:
                    b, off = self.offsets.get(other, (other, 0))
                    base = (b, off + (c[0] if op == "Add" else -c[0]))
                    break
        if base is not None:
            self.offsets[node.outputs[0]] = base

    def _span(self, names: Sequence[str], env: _Env) -> list[_Val | None] | None:
        start = self.offsets.get(names[0], (names[0], 0))
        limit = self.offsets.get(names[1], (names[1], 0))
        delta = _ints(env.get(names[2]))
        v = env.get(names[0])
        if start[0] != limit[0] or delta is None or len(delta) != 1 or not delta[0] or v is None:
            return None
        n = max(-(-(limit[1] - start[1]) // delta[0]), 0)
        return [_Val((n,), v.data_type, None)]

    # -- control flow ---------------------------------------------------------------------

    def _nested(self, bodies: Sequence[GraphIO] = (), where: str = "") -> bool:
        """Deeper bodies are not followed (their outputs are unknown): calls that multiply
        at inlining are AIR-ONNX-008's, and a chain of 3,000 one-call functions is honest.
        review22: but a body left unwalked that can make more elements than it reads (an
        Expand of a [1] graph input to 2^28 floats under 20 nested Ifs: 1,110 MiB in
        onnxruntime 1.32, scanned clean) ends the walk closed."""
        if self.depth < MAX_DEPTH:
            return True
        grows = self._deep_growth(bodies)
        if grows is not None and self.out.why is None:
            self.out.why = (
                f"{where}: nested deeper than {MAX_DEPTH} bodies/calls, and the body not"
                f" followed can make more than it reads ({grows})"
            )
        return False

    def _deep_growth(self, bodies: Sequence[GraphIO]) -> str | None:
        """The first operator, in ``bodies``, their subgraphs and the functions they call,
        that may make more elements than it reads (None: only shape-keeping ones)."""
        stack = list(bodies)
        seen: set[int] = set()
        seen_fn: set[tuple[str, str]] = set()
        while stack:
            g = stack.pop()
            if id(g) in seen or id(g) in self.keeps_only:
                continue
            seen.add(id(g))
            for n in g.all_nodes:
                key = (n.domain, n.op_type)
                if key in self.functions:
                    if key not in seen_fn:
                        seen_fn.add(key)
                        stack.append(self.functions[key])
                    continue
                stack.extend(n.bodies)
                if n.domain not in ("", "ai.onnx", "com.microsoft"):
                    continue  # not followed by the walk either (AIR-ONNX-003)
                if n.domain != "com.microsoft" and (n.op_type in _KEEPS or n.op_type == "If"):
                    continue  # an If: its branches are on the stack
                return f"{n.op_type} in {g.where}"
        self.keeps_only |= seen  # (each graph is looked through once: 10^5 deep calls of one
        return None  # big function stay linear)

    def call(self, node: FoldNode, env: _Env, where: str) -> list[_Val | None]:
        body = self.functions[(node.domain, node.op_type)]
        if not self._nested([body], where):
            return []
        bound = {
            p: env[a]
            for p, a in zip(body.params or [], node.inputs, strict=False)
            if a and a in env
        }
        inner: _Env = ChainMap(bound, _consts(body))
        self.depth += 1
        try:
            self.graph(body, inner)
        finally:
            self.depth -= 1
        return [inner.get(o) for o in body.outputs[: len(node.outputs)]]

    def _isolated(self, body: GraphIO, env: _Env) -> tuple[int, _Env]:
        """Walk ``body`` in a child scope; the bytes it counts are returned, not added."""
        saved, worst = self.out.total, (self.out.worst, self.out.worst_bytes)
        self.out.total = 0
        inner = env.new_child(_consts(body))
        self.depth += 1
        try:
            self.graph(body, inner)
        finally:
            self.depth -= 1
        made = self.out.total
        self.out.total = saved
        if self.out.worst_bytes < worst[1]:
            self.out.worst, self.out.worst_bytes = worst
        return made, inner

    def branches(self, node: FoldNode, env: _Env, where: str) -> list[_Val | None]:
        """Both branches of an If (the condition is not known): the larger of each output,
        and the larger of what each branch makes."""
        if not self._nested(node.bodies, where):
            return []
        outs: list[_Val | None] | None = None
        most = 0
        for body in node.bodies:
            made, inner = self._isolated(body, env)
            most = max(most, made)
            got = [inner.get(o) for o in body.outputs[: len(node.outputs)]]
            if outs is None:
                outs = got
            else:
                outs = [_larger(a, b) for a, b in zip(outs, got, strict=False)]
        if most:
            self.add(min(most, self.cap + 1), f"{where} (a branch)")
        return outs or []

    def seq_map(self, node: FoldNode, env: _Env, where: str) -> list[_Val | None]:
        """SequenceMap: the body once over the largest element of each input sequence; its
        outputs (and what it makes) once per element (3 Expands of an element to 1 GiB)."""
        if not node.bodies or not self._nested(node.bodies, where):
            return []
        body = node.bodies[0]
        ins = [env.get(i) if i else None for i in node.inputs]
        first = ins[0] if ins else None
        count = first.count if isinstance(first, _Seq) else None
        bind: dict[str, _Val] = {}
        for p, v in zip(body.input_list, ins, strict=False):
            if isinstance(v, _Seq):
                bind[p] = v.item if v.item is not None else _unknown()
            elif v is not None:
                bind[p] = v
        made, inner = self._isolated(body, env.new_child(bind))
        times = count if count is not None else 1
        if made:
            self.add(min(made * times, self.cap + 1), f"{where} (x {times} elements)")
        outs: list[_Val | None] = []
        for o in body.outputs[: len(node.outputs)]:
            v = inner.get(o)
            outs.append(None if v is None else _Seq(v.elements * times, v.data_type, times, v))
        return outs

    def loop(self, node: FoldNode, g: GraphIO, env: _Env, where: str) -> list[_Val | None]:
        """Run a Loop / Scan body iteration by iteration over its carried values."""
        if not node.bodies or not self._nested(node.bodies, where):
            return []
        body = node.bodies[0]
        ins = [env.get(i) if i else None for i in node.inputs]
        if node.op_type == "Loop":
            trip_v = ins[0] if ins else None
            trip_i = _ints(trip_v)
            trip = trip_i[0] if trip_i is not None and len(trip_i) == 1 else None
            if node.inputs and not node.inputs[0]:
                trip = None  # no trip count: the condition ends it
            cond_free = _for_like(body)
            unbounded = not node.inputs or not node.inputs[0] or (trip or 0) > MAX_ITERATIONS
            if unbounded and not cond_free and self._stays_true(body, env, ins[2:]):
                self.out.why = (
                    f"{where}: its condition, followed over the carried values (a counter"
                    f" extrapolated), is still true at iteration {MAX_ITERATIONS:,}"
                )
                return []
            if trip is not None and not cond_free:
                if trip > MAX_ITERATIONS and self._runs_on(node, body, env, ins[2:]):
                    self.out.why = (
                        f"{where}: its condition depends only on the iteration number and is"
                        f" still true at iteration {MAX_ITERATIONS:,} (trip count {trip:,})"
                    )
                    return []
                trip = None  # ends on a computed condition: the count is only an upper bound
            # a for-loop whose count comes from constants through operators whose values are
            # not followed: not a count the caller chooses
            fixed = trip is None and cond_free and bool(node.inputs) and g.sees(node.inputs[0])
            carried = ins[2:]
            elements: list[_Val | None] = []
        else:
            k = node.attrs.get("num_scan_inputs")
            if not isinstance(k, int) or k < 1 or k > len(node.inputs):
                return []
            n_carried = len(node.inputs) - k
            carried = ins[:n_carried]
            scans = ins[n_carried:]
            axes = node.attrs.get("scan_input_axes")
            trip, elements, fixed = None, [], False
            for j, v in enumerate(scans):
                ax = axes[j] if isinstance(axes, tuple) and j < len(axes) else 0
                if v is None or v.opaque or not v.dims:
                    elements.append(None)
                    continue
                ax %= len(v.dims)
                trip = v.dims[ax] if trip is None else min(trip, v.dims[ax])
                elements.append(_Val(v.dims[:ax] + v.dims[ax + 1 :], v.data_type, None))
        carried = [v if v is not None else _unknown() for v in carried]
        if trip is not None:
            self.all_iterations = min(self.all_iterations + trip * self.iterations, 1 << 62)
        if trip is not None and self.all_iterations > MAX_ITERATIONS:
            self.out.why = (
                f"{where} runs {trip:,} iterations"
                + (f" (x {self.iterations:,} around it)" if self.iterations > 1 else "")
                + f": more than {MAX_ITERATIONS:,} loop iterations in all"
            )
            return []
        steps = MAX_SIM if trip is None else min(max(trip, 0), MAX_SIM)
        outer_iterations = self.iterations
        self.iterations *= max(trip or 1, 1)
        try:
            return self._iterate(node, env, where, body, trip, steps, carried, elements, fixed)
        finally:
            self.iterations = outer_iterations

    def _counter(
        self, body: GraphIO, inner: _Env, start: list[tuple[int, ...] | None]
    ) -> int | None:
        """A while-loop whose condition compares a carried counter (k + c each iteration)
        with a constant: about how many iterations it runs (a start the caller passes counts
        from 0; k < 2^40 from an input of 1 ran past 40 s)."""
        params, outs = body.input_list, body.outputs
        made = {o: n for n in body.all_nodes for o in n.outputs if o}
        name = outs[0] if outs else ""
        n = made.get(name)
        while n is not None and n.op_type == "Identity" and n.inputs:
            n = made.get(n.inputs[0])
        if n is None or n.op_type not in _COMPARE or len(n.inputs) != 2:
            return None
        for k in (0, 1):
            bound = _ints(inner.get(n.inputs[1 - k]))
            base, off = self.offsets.get(n.inputs[k], (n.inputs[k], 0))
            if bound is None or len(bound) != 1 or base not in params[2:]:
                continue
            j = params.index(base) - 2
            if j + 1 >= len(outs):
                continue
            again, step = self.offsets.get(outs[1 + j], (outs[1 + j], 0))
            if again != base or step == 0:
                continue
            first = start[j] if j < len(start) else None
            at = (first[0] if first is not None and len(first) == 1 else 0) + off
            # the counter on the left: Less / LessOrEqual go on while it is below the bound
            below = (n.op_type in ("Less", "LessOrEqual")) == (k == 0)
            gap = bound[0] - at if below else at - bound[0]
            toward = step if below else -step
            if gap <= 0:
                return 0
            if toward <= 0:
                return MAX_ELEMENTS  # moves away from its bound: until it wraps
            return -(-gap // toward)
        return None

    def _stays_true(self, body: GraphIO, env: _Env, carried: list[_Val | None]) -> bool:
        """rt23onnx: a while-loop whose condition reads carried values other than a simple
        counter (k * 1 + 1 < 2^40, Not(Equal(k + 1, -1)), a flag carried from the previous
        iteration, ReduceSum(Unsqueeze(k)) < 2^40) was trusted to stop: each ran past 60 s in
        onnxruntime 1.32. Its body runs STAY_STEPS times with the carried values' values (a
        scalar the caller passes counts from 0); if the condition is known true every time and
        every carried scalar steps by a constant, they are extrapolated to iteration
        MAX_ITERATIONS and the condition asked again (a decoder's stop token is not known:
        left to it)."""
        params = body.input_list
        n_c = len(params) - 2
        if n_c < 0 or not body.outputs or len(body.outputs) < 1 + n_c:
            return False
        vals: list[_Val | None] = []
        for v in carried[:n_c]:
            if v is not None and v.values is None and not v.opaque and v.elements == 1:
                v = _Val(v.dims, v.data_type, (0,)) if v.data_type in _INT_TYPES else v
            vals.append(v)
        seen: list[list[tuple[int, ...] | None]] = []
        for it in range(STAY_STEPS + 1):
            at = it if it < STAY_STEPS else MAX_ITERATIONS
            bind = {params[0]: _Val((), 7, (at,)), params[1]: _Val((), 9, (1,))}
            for p, v in zip(params[2:], vals, strict=False):
                if v is not None:
                    bind[p] = v
            _, inner = self._isolated(body, env.new_child(bind))
            cond = _ints(inner.get(body.outputs[0]))
            if cond is None or len(cond) != 1 or cond[0] == 0 or self.out.why is not None:
                return False
            if it == STAY_STEPS:
                return True
            new = [inner.get(o) for o in body.outputs[1 : 1 + n_c]]
            if any(
                (a is None) != (b is None) or (a is not None and b is not None and a.dims != b.dims)
                for a, b in zip(vals, new, strict=False)
            ):
                return False  # a carried shape grows: the growth checks judge it, not this
            vals = new
            seen.append([_ints(v) for v in vals])
            if it == STAY_STEPS - 1:  # extrapolate each carried scalar to MAX_ITERATIONS
                for j, v in enumerate(vals):
                    last = [h[j] for h in seen[-3:]]
                    if v is None or any(x is None for x in last):
                        continue
                    if any(len(x or ()) != 1 for x in last):
                        if len(set(last)) > 1:
                            return False  # a vector that changes: not extrapolated
                        continue
                    steps = {b[0] - a[0] for a, b in pairwise(last) if a and b}
                    if len(steps) != 1:
                        return False  # not a counter: not judged here
                    d = steps.pop()
                    end = last[-1]
                    vals[j] = _Val(
                        v.dims, v.data_type, (end[0] + d * (MAX_ITERATIONS - it),) if end else None
                    )
        return False

    def _runs_on(
        self, node: FoldNode, body: GraphIO, env: _Env, carried: list[_Val | None]
    ) -> bool:
        """A while-loop whose condition reads only the iteration number (and constants): is it
        still true at iteration MAX_ITERATIONS? (Less(i, 2^40) with an empty body: forever.)"""
        params = body.input_list
        if len(params) < 2 or not body.outputs:
            return False
        if _reads(body, body.outputs[0]) - {params[0], params[1]}:
            return False  # reads a carried value: not judged
        bind = {params[0]: _Val((), 7, (MAX_ITERATIONS,)), params[1]: _Val((), 9, (1,))}
        for p, v in zip(params[2:], carried, strict=False):
            bind[p] = v if v is not None else _unknown()
        _, inner = self._isolated(body, env.new_child(bind))
        cond = _ints(inner.get(body.outputs[0]))
        return cond is not None and len(cond) == 1 and cond[0] != 0

    def _iterate(
        self,
        node: FoldNode,
        env: _Env,
        where: str,
        body: GraphIO,
        trip: int | None,
        steps: int,
        carried: list[_Val | None],
        elements: list[_Val | None],
        fixed: bool,
    ) -> list[_Val | None]:
        params = body.input_list
        n_carried = len(carried)
        first_carried_param = 2 if node.op_type == "Loop" else 0
        out_names = body.outputs
        carried_out = out_names[(1 if node.op_type == "Loop" else 0) :][:n_carried]
        scan_out = out_names[(1 if node.op_type == "Loop" else 0) + n_carried :]
        history = [_elements(carried)]
        most = 0
        per: list[_Val | None] = [None] * len(scan_out)
        settled = False
        held = 0  # bytes of the carried values a growing last iteration read
        for it in range(steps):
            bind: dict[str, _Val] = {}
            if node.op_type == "Loop":
                if params:
                    bind[params[0]] = _Val((), 7, (it,))
            else:
                for p, v in zip(params[n_carried:], elements, strict=False):
                    if v is not None:
                        bind[p] = v
            for p, v in zip(params[first_carried_param:], carried, strict=False):
                if v is not None:
                    bind[p] = v
            made, inner = self._isolated(body, env.new_child(bind))
            most = max(most, made)
            new = [inner.get(o) for o in carried_out]
            per = [inner.get(o) for o in scan_out]
            # settled: every carried value keeps its shape, or is no longer followed
            same = len(new) == len(carried) and all(
                b is None or (a is not None and a.dims == b.dims and a.opaque == b.opaque)
                for a, b in zip(carried, new, strict=True)
            )
            held = 0 if same else _bytes(carried)
            carried = new
            history.append(_elements(carried))
            if self.over():
                return []
            if _bytes(carried) > self.cap:
                self.add(self.cap + 1, f"{where}: a carried value after {it + 1} iterations")
                return []
            if same:
                settled = True
                break
        if node.op_type == "Loop" and trip is None and steps:
            start = [_ints(env.get(i)) if i else None for i in node.inputs[2:]]
            runs = self._counter(body, inner, start)
            if runs is not None and runs * self.iterations > MAX_ITERATIONS:
                self.out.why = (
                    f"{where}: a carried counter steps toward its bound in the condition:"
                    f" about {runs:,} iterations (more than {MAX_ITERATIONS:,})"
                )
                return []
        if most or held:
            # the last iteration's own nodes, and the carried values it read (alive with its
            # outputs: a sequence doubled 28 times holds 1.5 GiB at the end, not 1)
            self.add(min(most + held, self.cap + 1), f"{where} (one iteration)")
        done = settled or (trip is not None and trip <= MAX_SIM)
        if settled and node.op_type == "Loop" and trip is not None and trip > len(history) - 1:
            # settled early, but a shape may follow the iteration number (Pad(v, [0, i]): no
            # growth at i = 0, 4.5e8 elements after 30,000): one more look at the last one
            bind = {params[0]: _Val((), 7, (trip - 1,))} if params else {}
            for p, v in zip(params[first_carried_param:], carried, strict=False):
                if v is not None:
                    bind[p] = v
            _, inner = self._isolated(body, env.new_child(bind))
            late = _elements([inner.get(o) for o in carried_out])
            now = history[-1]
            if late is not None and now is not None and late > now:
                grown = min(now + (trip - len(history) + 1) * (late - now), MAX_ELEMENTS)
                b = grown * _widest_bits(carried) // 8
                self.add(min(b, self.cap + 1), f"{where}: carried values after {trip:,} iterations")
                carried = [None] * len(carried)
        if not done and len(history) > GROWTH_WINDOW and history[-1] is not None:
            last, before = history[-1], history[-1 - GROWTH_WINDOW]
            half = len(history) // 2
            mid, q3 = history[half], history[(half + len(history)) // 2]
            span = len(history) - 1 - half
            # slopes over the second half (a value doubling every 16th iteration is flat for
            # 15 of them: the last step alone says nothing)
            step = (last - mid) // max(span, 1) if mid is not None else 0
            early = (q3 - mid) * 2 // max(span, 1) if q3 is not None and mid is not None else 0
            late = (last - q3) * 2 // max(span, 1) if q3 is not None else 0
            accel = max(late - early, 0) * 2 // max(span, 1)
            quad = mid is not None and last >= 8 * max(mid, 1)
            if before is not None and (last >= 2 * max(before, 1) or quad) and step > 0:
                self.out.why = (
                    f"{where}: a carried value grows geometrically ({before:,} -> {last:,}"
                    f" elements over {GROWTH_WINDOW} iterations) and the trip count is"
                    f" {'not bounded' if trip is None else f'{trip:,}'}"
                )
                return []
            if trip is None and fixed and step > 0:
                self.out.why = (
                    f"{where}: a carried value grows every iteration and the trip count is"
                    " computed from constants by operators not followed here"
                )
                return []
            if trip is not None and step > 0:
                # a step that itself grows (Pad by the iteration number: 30,000 iterations
                # make 4.5e8 elements) is extrapolated as a quadratic
                n = trip - len(history) + 1
                grown = min(last + n * step + accel * n * (n + 1) // 2, MAX_ELEMENTS)
                b = grown * _widest_bits(carried) // 8
                self.add(min(b, self.cap + 1), f"{where}: carried values after {trip:,} iterations")
                carried = [None] * len(carried)
            elif step > 0:
                carried = [None] * len(carried)  # grows with a count the caller chooses
        if trip is None:
            stacked: list[_Val | None] = [None] * len(per)
        else:
            stacked = [None if v is None else _Val((trip, *v.dims), v.data_type, None) for v in per]
            for v in stacked:
                if v is not None:
                    twice = 2 if node.op_type == "Loop" else 1
                    self.add(min(v.nbytes * twice, self.cap + 1), f"{where}: a scan output")
        return [*carried, *stacked]


def _step(node: FoldNode, ins: list[_Val], pos: list[_Val] | None = None) -> list[_Val] | None:
    """One node over known values (the folding table, sequences and optionals); ``pos``: the
    inputs by position (ABSENT for an optional input left out)."""
    pos = pos if pos is not None else ins
    op = node.op_type
    if node.domain == "com.microsoft" and op not in _MS_STANDARD:
        if op not in MS_AS:
            return _sized(node, op, ins, pos)
        op = MS_AS[op]
    elif node.domain not in ("", "ai.onnx", "com.microsoft"):
        return _sized(node, op, ins, pos)
    seq = _sequence(op, node, ins)
    if seq is not None:
        return seq
    if op == "MaxUnpool" and ins and not ins[0].opaque:
        return _max_unpool(node, ins)
    if op in ELEMENTWISE and ins and not ins[0].opaque:
        return [_Val(ins[0].dims, ins[0].data_type, None)]
    if op == "Range" and len(ins) == 3 and ins[0].values is None:
        # a start the caller passes, a constant limit: counted from 0 (3 Range(x, 2^28, 1) made
        # 3 GiB of int64 at the first run on x = 1)
        lim, delta = _ints(ins[1]), _ints(ins[2])
        if lim is not None and delta is not None and len(lim) == len(delta) == 1 and delta[0]:
            n = max(-(-lim[0] // delta[0]), 0)
            return [_Val((n,), ins[1].data_type, None)]
    if op == "Slice" and len(ins) >= 3 and not ins[0].opaque:
        # exact: the folding table's bound (the input's shape) grows a loop's carried value
        # by its whole length each iteration (a decoder appending out[:, -1:])
        cut = _slice(ins)
        if cut is not None:
            return [cut]
    outs = fold_known(node, op, ins)
    if outs is None and ins and (op in BOUNDED or op in SAME_SHAPE or op in VALUE_KEEPING):
        outs = _opaque(ins, max(len(node.outputs), 1))
    if outs is None and node.domain in ("", "ai.onnx", "com.microsoft"):
        outs = _sized(node, op, ins, pos)
    return outs


def _sized(node: FoldNode, op: str, ins: list[_Val], pos: list[_Val]) -> list[_Val] | None:
    """rt23onnx: operators outside the folding table (onnx_ops), a bound over an input of
    unknown shape, or the inputs' own count for operators that never make more."""
    domain = "" if node.domain == "ai.onnx" or node.domain in _TRAINING else node.domain
    if op == "Constant":  # a sparse value (or a caller's attribute): stored in the file
        return string_const(node.attrs) or [_Val((0,), 0, None, opaque=True)]
    if any(v.opaque for v in ins) and domain == "ai.onnx.ml" and pos and pos[0].opaque:
        # ml operators size [N, width] by rows: N at most the input's count
        rows = _Val((pos[0].elements, 1), pos[0].data_type, None)
        got = shape_of(domain, op, node.attrs, [rows, *pos[1:]])
        if got is not None:
            return [_Val((v.elements,), v.data_type, None, opaque=True) for v in got]
        return _opaque(ins, max(len(node.outputs), 1)) if bounded_by_inputs(domain, op) else None
    if any(v.opaque for v in ins):
        got = opaque_bound(op, ins) if domain in ("", "com.microsoft") else None
        if got is None and bounded_by_inputs(domain, op):
            got = _opaque(ins, max(len(node.outputs), 1))
        return got
    outs = shape_of(domain, op, node.attrs, pos)
    if outs is None and ins and bounded_by_inputs(domain, op):
        outs = _opaque(ins, max(len(node.outputs), 1))
    return outs


def _dims_at(op: str, k: int, x: _Val | None, count: int, bound: float) -> list[int] | None:
    """The output dims of ``op`` when every value of its size input ``k`` (``count`` of them)
    is ``bound`` (None: not estimated this way)."""
    b = min(math.ceil(bound), MAX_ELEMENTS) if math.isfinite(bound) else MAX_ELEMENTS
    if op == "ConstantOfShape":
        return [b] * count if count <= 64 else None
    if x is None or x.opaque:
        return None
    if op == "Expand":
        rank = max(len(x.dims), count)
        xd = [1] * (rank - len(x.dims)) + list(x.dims)
        return [max(d, b) for d in xd]
    if op == "Tile" or (op in ("Resize", "Upsample") and k in (1, 2)):
        return [d * b for d in x.dims]
    if op == "Resize" and k == 3:
        return [b] * len(x.dims)
    if op == "Pad":
        return [d + 2 * b for d in x.dims]
    if op == "OneHot":
        return [*x.dims, b]
    if op == "CenterCropPad" and count <= len(x.dims):
        return [*x.dims[: len(x.dims) - count], *([b] * count)]
    return None


def _top_input(g: GraphIO, name: str) -> bool:
    """``name`` is an input of the main graph (seen from ``g``, a subgraph of it): a value the
    caller passes, not a loop's carried value nor a function's argument."""
    at: GraphIO | None = g
    while at is not None:
        if name in at.input_list:
            return at.parent is None and at.params is None
        at = at.parent
    return False


def _max_unpool(node: FoldNode, ins: list[_Val]) -> list[_Val] | None:
    """MaxUnpool: ``output_shape`` when given, else (in - 1) * stride - pads + kernel."""
    x = ins[0]
    shape = _ints(ins[2]) if len(ins) > 2 else None
    if shape is not None:
        return [_Val(shape, x.data_type, None)]
    k = node.attrs.get("kernel_shape")
    st = node.attrs.get("strides")
    if not isinstance(k, tuple) or len(x.dims) != len(k) + 2:
        return None
    strides = st if isinstance(st, tuple) and len(st) == len(k) else (1,) * len(k)
    out = [max(d - 1, 0) * max(s, 1) + kk for d, s, kk in zip(x.dims[2:], strides, k, strict=True)]
    return [_Val((*x.dims[:2], *out), x.data_type, None)]


def _slice(ins: list[_Val]) -> _Val | None:
    x = ins[0]
    starts, ends = _ints(ins[1]), _ints(ins[2])
    axes = _ints(ins[3]) if len(ins) > 3 else tuple(range(len(starts or ())))
    steps = _ints(ins[4]) if len(ins) > 4 else (1,) * len(starts or ())
    if starts is None or ends is None or axes is None or steps is None:
        return None
    if not len(starts) == len(ends) == len(axes) == len(steps) or not x.dims:
        return None
    dims = list(x.dims)
    for b, e, ax, st in zip(starts, ends, axes, steps, strict=True):
        if st == 0 or not -len(dims) <= ax < len(dims):
            return None
        n = dims[ax]
        dims[ax] = len(range(*slice(b, e, st).indices(n))) if n < 1 << 31 else n
    vals = None
    if x.values is not None and len(dims) == 1 and len(starts) == 1:
        vals = x.values[slice(starts[0], ends[0], steps[0])]
    return _Val(dims, x.data_type, vals)


class _Seq(_Val):
    """A sequence: the elements it holds in all (an opaque count), how many tensors, and the
    largest of them when known (SequenceAt / SequenceMap read it)."""

    __slots__ = ("count", "item")

    def __init__(self, elements: int, data_type: int, count: int, item: _Val | None) -> None:
        super().__init__((min(elements, MAX_ELEMENTS),), data_type, None, opaque=True)
        self.count = min(count, MAX_ELEMENTS)
        self.item = item


def _seq_of(items: Sequence[_Val], dt: int = 0, base: _Val | None = None) -> _Seq:
    """``base`` (a sequence, or not known as one) with ``items`` added."""
    n = sum(v.elements for v in items) + (base.elements if base is not None else 0)
    count = len(items) + (base.count if isinstance(base, _Seq) else 0)
    whole = base is None or (isinstance(base, _Seq) and (base.item is not None or not base.count))
    known = [*items, *([base.item] if isinstance(base, _Seq) and base.item is not None else [])]
    item = max(known, key=lambda v: v.elements) if whole and known else None
    if item is not None and item.opaque:
        item = None
    data_type = dt or (items[0].data_type if items else base.data_type if base else 1)
    return _Seq(n, data_type, count, item)


def _sequence(op: str, node: FoldNode, ins: list[_Val]) -> list[_Val] | None:
    """Sequences and optionals as the elements they hold (an opaque count)."""
    if op == "SequenceEmpty":
        dt = node.attrs.get("dtype")
        return [_seq_of([], dt if isinstance(dt, int) else 1)]
    if op == "SequenceConstruct":
        return [_seq_of(ins)]
    if op == "SequenceInsert" and len(ins) >= 2:
        return [_seq_of(ins[1:2], base=ins[0])]
    if op == "SequenceAt" and ins:
        s = ins[0]
        if isinstance(s, _Seq) and s.item is not None:
            return [s.item]
        return [_Val((s.elements,), s.data_type, None, opaque=True)]
    if op in ("SequenceErase", "ConcatFromSequence", "SplitToSequence") and ins:
        s = ins[0]
        if op == "SequenceErase" and isinstance(s, _Seq):
            return [s]
        return [_Seq(s.elements, s.data_type, s.elements, None)]
    if op in ("Optional", "OptionalGetElement"):
        return [ins[0]] if ins else None
    if op in ("SequenceLength", "OptionalHasElement"):
        return [_Val((), 7, None)]
    return None


def _consts(g: GraphIO) -> dict[str, _Val]:
    return {n: _Val(c.dims, c.data_type, c.values) for n, c in g.consts.items()}


def _larger(a: _Val | None, b: _Val | None) -> _Val | None:
    if a is None or b is None:
        return None
    if a.dims == b.dims and a.data_type == b.data_type:
        return a
    big = a if a.elements >= b.elements else b
    if len(a.dims) == len(b.dims) and not a.opaque and not b.opaque:
        dims = tuple(max(x, y) for x, y in zip(a.dims, b.dims, strict=True))
        return _Val(dims, big.data_type, None)
    return _Val((big.elements,), big.data_type, None, opaque=True)


def _elements(vals: Sequence[_Val | None]) -> int | None:
    if any(v is None for v in vals):
        return None
    return min(sum(v.elements for v in vals if v is not None), MAX_ELEMENTS)


def _bytes(vals: Sequence[_Val | None]) -> int:
    return sum(v.nbytes for v in vals if v is not None)


def _widest_bits(vals: Sequence[_Val | None]) -> int:
    return max((elem_bits(v.data_type) for v in vals if v is not None), default=WIDEST_BITS)


def _for_like(body: GraphIO) -> bool:
    """The body's condition output is its condition input (through Identity) or a constant:
    the Loop runs exactly its trip count."""
    if not body.outputs or len(body.input_list) < 2:
        return False
    cond_in, name = body.input_list[1], body.outputs[0]
    made = {o: n for n in body.all_nodes for o in n.outputs if o}
    for _ in range(64):
        if name == cond_in or name in body.consts:
            return True
        n = made.get(name)
        if n is None:  # a body input (carried: computed) or an outer value (fixed)
            return name not in body.input_list
        if n.op_type == "Constant":
            return True
        if n.op_type != "Identity" or not n.inputs:
            return False
        name = n.inputs[0]
    return False


def _reads(body: GraphIO, name: str) -> set[str]:
    """The body inputs ``name`` is computed from (through the body's nodes)."""
    made = {o: n for n in body.all_nodes for o in n.outputs if o}
    params = set(body.input_list)
    seen: set[str] = set()
    todo = [name]
    while todo:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        n = made.get(x)
        if n is not None:
            todo.extend(i for i in n.inputs if i)
    return seen & params


def _declared(g: GraphIO) -> dict[str, _Val]:
    out: dict[str, _Val] = {}
    for name in g.input_list:
        if name in g.consts:
            continue
        c = g.defaults.get(name)
        if c is not None:  # rt23onnx: its initializer (ir < 4 models list weights as inputs)
            out[name] = _Val(c.dims, c.data_type, c.values)
            continue
        if name not in g.declared:
            out[name] = _unknown()
            continue
        dims, elem = g.declared[name]
        shape = [d if isinstance(d, int) and d >= 0 else 1 for d in dims]
        out[name] = _Val(shape, elem or 1, None)
    return out


def run_bytes(graphs: list[GraphIO], cap: int, budget: int = MAX_RUN_NODES) -> Ran:
    """Bytes the counted nodes of one run make (module doc), from every graph that is not a
    subgraph or a function body (the main graph, training graphs)."""
    functions = {g.scope: g for g in graphs if g.params is not None and g.scope is not None}
    run = _Run(cap, functions, budget)
    for g in graphs:
        if g.parent is not None or g.params is not None:
            continue
        env: _Env = ChainMap(_declared(g), _consts(g))
        run.graph(g, env)
        if run.over():
            break
    return run.out


def _peak_live(g: GraphIO, env: _Env) -> tuple[int, str]:
    """rt23onnx: the most bytes the main graph's node outputs hold at once, each from the node
    making it to its last reader (a graph output: to the end). The growth count takes each
    amplifying node once; the copies later shape-keeping nodes make of it are alive beside it
    (an 800 MiB Expand, its Neg and their Add: 2.5 GB at the first run in onnxruntime 1.32,
    counted 800 MiB)."""
    nodes = g.all_nodes
    last: dict[str, int] = {}
    for i, n in enumerate(nodes):
        for x in n.inputs:
            if x:
                last[x] = i
        for x in _outer_reads(n):
            last[x] = i
    end = len(nodes)
    for o in g.outputs:
        last[o] = end
    alive: dict[str, int] = {}
    live = peak = 0
    at = ""
    for i, n in enumerate(nodes):
        if n.op_type != "Constant":
            for o in n.outputs:
                v = env.get(o) if o else None
                if v is not None and o not in alive:
                    alive[o] = b = v.nbytes
                    live += b
        if live > peak:
            peak, at = live, f"{n.op_type} (node {i})"
        for x in {*n.inputs, *n.outputs}:
            if x in alive and last.get(x, -1) <= i:
                live -= alive.pop(x)
    return peak, at


def _outer_reads(node: FoldNode, limit: int = 100_000) -> set[str]:
    """Names the node's subgraphs read (an outer value stays alive until the node is done)."""
    out: set[str] = set()
    stack = list(node.bodies)
    seen = 0
    while stack and seen < limit:
        body = stack.pop()
        for n in body.all_nodes:
            seen += 1
            out.update(x for x in n.inputs if x)
            stack.extend(n.bodies)
    return out
