"""Output ranks of ONNX nodes from their inputs' ranks alone (no values), for the outsized-rank
check (fix20, rt21fmt): onnxruntime's shape inference keeps every dim of every tensor at
session creation, so a chain that doubles a rank (26 ``Gather(x, x)`` from an input [1, 1], 26
``GatherND(x, x)`` from [1, 1, 1]) took 3.5 GB and bad_alloc in onnxruntime 1.32.

A rank here is an upper bound of the real one where the operator allows several (Squeeze
without axes, GatherND, reductions); None when it is not known (an operator outside the rules
below: control flow, model-local functions, other domains). Ranks and shape-vector lengths are
capped just past MAX_RANK, so a chain never grows the numbers held.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

MAX_RANK = 64
CAP = MAX_RANK + 1

# the output rank is the widest input rank (elementwise, broadcasting, same-shape and
# rank-keeping operators; reductions and pools keep at most their input's rank)
SAME_RANK = frozenset(
    {
        "Identity", "Cast", "CastLike", "Neg", "Abs", "Relu", "Sigmoid", "Tanh", "Exp", "Log",
        "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Not", "Erf", "Sin", "Cos",
        "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
        "Softmax", "LogSoftmax", "Hardmax", "Clip", "LeakyRelu", "Elu", "Gelu", "HardSigmoid",
        "Selu", "Celu", "ThresholdedRelu", "Shrink", "DequantizeLinear", "QuantizeLinear",
        "IsNaN", "IsInf", "Softplus", "Softsign", "HardSwish", "Mish", "CumSum", "BitwiseNot",
        "Trilu", "Dropout", "Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal",
        "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Where", "Max", "Min", "Sum",
        "Mean", "Mod", "PRelu", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
        "MatMul", "MatMulInteger", "QLinearMatMul", "Conv", "ConvTranspose", "ConvInteger",
        "QLinearConv", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
        "GlobalMaxPool", "GlobalLpPool", "BatchNormalization", "InstanceNormalization",
        "LayerNormalization", "GroupNormalization", "LRN", "MeanVarianceNormalization",
        "LpNormalization", "Pad", "Resize", "Upsample", "Slice", "Split", "Tile", "Transpose",
        "TopK", "ReverseSequence", "DepthToSpace", "SpaceToDepth", "ScatterND",
        "ScatterElements", "Scatter", "RandomNormalLike", "RandomUniformLike", "Bernoulli",
        "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
        "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin",
        "EyeLike", "CenterCropPad", "GridSample", "RoiAlign", "MaxRoiPool", "Compress",
        "DynamicQuantizeLinear", "Einsum",
    }
)  # fmt: skip

RankFn = Callable[[Sequence[int | None], Sequence[str], Mapping[str, object]], int | None]


def _einsum(r: Sequence[int | None], names: Sequence[str], a: Mapping[str, object]) -> int | None:
    eq = a.get("equation")
    if not isinstance(eq, str):
        return None
    eq = eq.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(r):
        return None
    ell = 0
    for t, k in zip(terms, r, strict=True):
        if "..." in t and k is not None:
            ell = max(ell, k - sum(c.isalpha() for c in t))
    if arrow:
        return sum(c.isalpha() for c in rhs) + (ell if "..." in rhs else 0)
    letters = [c for c in lhs if c.isalpha()]
    return sum(letters.count(c) == 1 for c in set(letters)) + ell


def out_rank(
    op: str,
    attrs: Mapping[str, object],
    names: Sequence[str],
    rank: Callable[[str], int | None],
    length: Callable[[str], int | None],
    value: Callable[[str], tuple[int, ...] | None],
) -> tuple[int | None, int | None]:
    """(rank, length when it is a shape vector of known length) of the first output.
    ``value``: the values of a small constant input (a repeat count, a shape), or None."""
    r = [rank(n) if n else None for n in names]
    known = all(x is not None for x, n in zip(r, names, strict=True) if n)  # "" is absent
    r0 = r[0] if r else None
    if op in ("Reshape", "ConstantOfShape"):
        n = length(names[1 if op == "Reshape" else 0]) if len(names) > (op == "Reshape") else None
        shape = value(names[0]) if op == "ConstantOfShape" and names else None
        made = shape[0] if shape is not None and len(shape) == 1 and shape[0] >= 0 else None
        return n, made
    if op == "Shape":
        return 1, r0
    if op == "Size":
        return 0, None
    if op in ("NonZero", "Flatten", "Gemm"):
        return 2, None
    if op == "Range":
        v = [value(n) for n in names[:3]]
        if len(v) == 3 and all(x is not None and len(x) == 1 for x in v):
            start, limit, delta = (x[0] for x in v if x is not None)
            return 1, (max(-((start - limit) // delta), 0) if delta else None)
        return 1, None
    if op == "Einsum":
        return _einsum(r, names, attrs), None
    if r0 is None:
        return None, None
    if op == "Expand" and len(names) > 1:
        n = length(names[1])
        return (max(r0, n) if n is not None else None), None
    if op == "Unsqueeze":
        axes = attrs.get("axes")
        count = len(axes) if isinstance(axes, tuple) else length(names[1]) if len(names) > 1 else 1
        if count is None:
            return None, None
        return r0 + count, (1 if r0 == 0 and count == 1 else None)
    if op == "Tile" and len(names) > 1:
        reps, n = value(names[1]), length(names[0])
        if r0 == 1 and reps is not None and len(reps) == 1 and n is not None:
            return 1, n * max(reps[0], 0)
        return r0, None
    if op == "Squeeze":
        return r0, None  # at most its input's rank
    if op == "OneHot":
        return r0 + 1, None
    if op == "Concat":
        parts = [length(n) for n in names]
        lens = [x for x in parts if x is not None]
        return r0, (sum(lens) if r0 == 1 and len(lens) == len(parts) else None)
    if not known:
        return None, None
    ranks = [x for x in r if x is not None]
    if op == "Gather" and len(ranks) > 1:
        return max(ranks[0] + ranks[1] - 1, 0), None
    if op == "GatherND" and len(ranks) > 1:
        b = attrs.get("batch_dims", 0)
        return max(ranks[0] + ranks[1] - 2 - (b if isinstance(b, int) else 0), 0), None
    if op == "GatherElements" and len(ranks) > 1:
        return ranks[1], None
    if op in SAME_RANK:
        sizes = [length(n) for n in names if n]
        top = max(ranks)
        if top != 1 or any(x is None for x in sizes):
            return top, None
        return top, max(x for x in sizes if x is not None)  # elementwise: the longest
    return None, None
