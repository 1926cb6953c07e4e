"""Run-time tensor shapes of a TFLite subgraph, as the interpreter's ``Prepare`` functions set
them, for the operators the converter writes around its stock custom ops (an SSD head's
convolutions, ``RESHAPE`` to ``[1, -1, 4]`` and ``CONCATENATION`` of the feature maps; an
``ExpandDims`` before an ``AudioSpectrogram``).

An operator's output is resized by its kernel whatever the file declares (session 16: a
Reshape to 200,000 boxes declared as 10), so a shape here is derived, never read from an
output: only fixed tensors (constants, the main subgraph's inputs) start with their declared
shape, and each rule follows its kernel's arithmetic (``conv.cc``, ``reshape.cc``,
``concatenation.cc``, ...). An operator not listed, options that are missing or of another
type, a value the kernel would reject, or a tensor with more than one writer gives ``None``
(unknown): the proof that needs it then fails closed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Shape = tuple[int, ...]
DYNAMIC = -1  # a dimension the application sizes (shape_signature -1 of a main input)
_PLACEHOLDER = (1 << 31) - 7  # stands for DYNAMIC inside rules that only move dimensions
MAX_RANK = 8
MAX_DIM = 1 << 30  # larger sizes are not derived (the kernels hold them in int)

ADD, AVERAGE_POOL_2D, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D = 0, 1, 2, 3, 4
DEQUANTIZE, LOGISTIC, MAX_POOL_2D, MUL, RELU, RELU_N1_TO_1, RELU6 = 6, 14, 17, 18, 19, 20, 21
RESHAPE, TANH, TRANSPOSE, SUB, DIV, SQUEEZE, CAST = 22, 28, 39, 41, 42, 43, 53
MAXIMUM, MINIMUM, EXPAND_DIMS, LEAKY_RELU, ABS, QUANTIZE, HARD_SWISH = 55, 57, 70, 98, 101, 114, 117

# output = the input's shape (ResizeTensor(output, TfLiteIntArrayCopy(input->dims)))
SAME_SHAPE = frozenset(
    {DEQUANTIZE, LOGISTIC, RELU, RELU_N1_TO_1, RELU6, TANH, CAST, LEAKY_RELU, ABS, QUANTIZE}
    | {HARD_SWISH}
)
BROADCAST = frozenset({ADD, MUL, SUB, DIV, MAXIMUM, MINIMUM})
# rt27fmt: every other broadcasting binary kernel (comparisons, POW, SQUARED_DIFFERENCE,
# FLOOR_DIV/MOD, logical ops, PRELU, ATAN2, bitwise/shift ops) and the ops whose output grows
# from their inputs' shapes alone: their outputs were sized as declared ([1]), so LESS of a
# [32768, 1] and a [1, 32768] constant, BATCH_MATMUL of [n, 1] x [1, n] or MATRIX_DIAG of [n]
# (n = 16,384: 1 GiB, ~3 GB peak in ai-edge-litert 2.3.0 from a 130 KB file) were allowed
LESS, GREATER, GREATER_EQUAL, LESS_EQUAL, EQUAL, NOT_EQUAL = 58, 61, 62, 63, 71, 72
BROADCAST = BROADCAST | frozenset(
    {LESS, GREATER, GREATER_EQUAL, LESS_EQUAL, EQUAL, NOT_EQUAL, 54, 78, 84, 86, 90, 95, 99,
     156, 160, 161}
)  # fmt: skip
SELECT_V2, BATCH_MATMUL, MATRIX_DIAG = 123, 126, 113
GATHER, EMBEDDING_LOOKUP, GATHER_ND = 36, 7, 107  # constant indices times constant rows
FULLY_CONNECTED = 9  # a constant [n, 1] input by [n, 1] weights: [n, n]

# builtin code -> (BuiltinOptions union type, {field index: (name, "u8"/"i32"/"vec", default)})
OptionSpec = dict[int, tuple[str, str, int]]
OPTIONS: dict[int, tuple[int, OptionSpec]] = {
    CONV_2D: (
        1,
        {
            0: ("padding", "u8", 0),
            1: ("stride_w", "i32", 0),
            2: ("stride_h", "i32", 0),
            4: ("dilation_w", "i32", 1),
            5: ("dilation_h", "i32", 1),
        },
    ),
    DEPTHWISE_CONV_2D: (
        2,
        {
            0: ("padding", "u8", 0),
            1: ("stride_w", "i32", 0),
            2: ("stride_h", "i32", 0),
            5: ("dilation_w", "i32", 1),
            6: ("dilation_h", "i32", 1),
        },
    ),
    AVERAGE_POOL_2D: (
        5,
        {
            0: ("padding", "u8", 0),
            1: ("stride_w", "i32", 0),
            2: ("stride_h", "i32", 0),
            3: ("filter_w", "i32", 0),
            4: ("filter_h", "i32", 0),
        },
    ),
    CONCATENATION: (10, {0: ("axis", "i32", 0)}),
    RESHAPE: (17, {0: ("new_shape", "vec", 0)}),
    SQUEEZE: (30, {0: ("squeeze_dims", "vec", 0)}),
}
OPTIONS[MAX_POOL_2D] = OPTIONS[AVERAGE_POOL_2D]
OPTIONS[126] = (101, {0: ("adj_x", "u8", 0), 1: ("adj_y", "u8", 0)})  # BATCH_MATMUL (rt27fmt)
OPTIONS[36] = (23, {0: ("axis", "i32", 0), 1: ("batch_dims", "i32", 0)})  # GATHER (rt27fmt)
OPTIONS[9] = (8, {2: ("keep_num_dims", "u8", 0)})  # FULLY_CONNECTED (rt27fmt)
# gate24: read for the run-time size walk (scan/tflite_run.py), not by a shape rule here
OPTIONS[119] = (93, {0: ("cond", "i32", 0), 1: ("body", "i32", 0)})  # WHILE
OPTIONS[45] = (  # STRIDED_SLICE
    32,
    {
        0: ("begin_mask", "i32", 0),
        1: ("end_mask", "i32", 0),
        2: ("ellipsis_mask", "i32", 0),
        3: ("new_axis_mask", "i32", 0),
        4: ("shrink_axis_mask", "i32", 0),
    },
)


@dataclass(frozen=True)
class OpView:
    """One operator as the inference needs it: ``options`` holds the fields of ``OPTIONS``
    read from its builtin options table, or is ``None`` when the table is absent or of another
    union type (the interpreter then runs with zeroed parameters)."""

    builtin: int
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: dict[str, int | tuple[int, ...]] | None = None


Constant = Callable[[int], "tuple[int, ...] | None"]


def infer(
    ops: Sequence[OpView], start: list[Shape | None], writers: Sequence[int], constant: Constant
) -> list[Shape | None]:
    """Run-time shapes: ``start`` holds the fixed tensors' shapes (``None`` elsewhere);
    operators are prepared in file order (the execution plan), each from what is known when it
    runs; ``constant(i)``: the int32 values of fixed constant tensor ``i`` (else ``None``)."""
    shapes = list(start)
    n = len(shapes)
    derived: set[int] = set()
    early: set[int] = set()  # read by an operator prepared before (or as) its writer
    for op in ops:
        early.update(i for i in op.inputs if 0 <= i < n and start[i] is None and i not in derived)
        derived.update(o for o in op.outputs if 0 <= o < n)
        if len(op.outputs) != 1 or not 0 <= op.outputs[0] < n or writers[op.outputs[0]] != 1:
            continue
        ins = [shapes[i] if 0 <= i < n else None for i in op.inputs]
        try:
            shape = _rule(op, ins, constant)
        except (ArithmeticError, IndexError, TypeError, ValueError):
            shape = None
        if shape is not None and (
            len(shape) > MAX_RANK or any(not -1 <= d < MAX_DIM for d in shape)
        ):
            shape = None
        shapes[op.outputs[0]] = shape
    # a consumer prepared before the writer sized the tensor from its declared dims (the stock
    # kernels size their temporaries in Prepare): no single run-time shape, so unknown
    return [None if i in early else s for i, s in enumerate(shapes)]


def _rule(op: OpView, ins: list[Shape | None], constant: Constant) -> Shape | None:
    code, o = op.builtin, op.options
    if any(s is not None and DYNAMIC in s for s in ins):
        return _dynamic(op, ins, constant)  # (its placeholder is never a real size)
    if code in SAME_SHAPE:
        return ins[0] if len(ins) == 1 else None
    if code in BROADCAST:
        return _broadcast(ins[0], ins[1]) if len(ins) == 2 else None
    if code == SELECT_V2:
        return _broadcast(_broadcast(ins[0], ins[1]), ins[2]) if len(ins) == 3 else None
    if code == MATRIX_DIAG:
        return (*ins[0], ins[0][-1]) if len(ins) == 1 and ins[0] else None
    if code == BATCH_MATMUL:
        return _batch_matmul(ins, o)
    if code in (GATHER, EMBEDDING_LOOKUP, GATHER_ND):
        return _gather(code, ins, o)
    if code == FULLY_CONNECTED:
        return _fully_connected(ins, o)
    if code == RESHAPE:  # the shape input, when a constant int32 vector, wins over options
        return _reshape(op, ins, constant)
    if code in OPTIONS and o is None:
        return None
    if code == CONCATENATION:
        return _concat(ins, _int(o, "axis"))
    if code in (CONV_2D, DEPTHWISE_CONV_2D):
        if len(ins) not in (2, 3) or ins[0] is None or ins[1] is None:
            return None
        x, w = ins[0], ins[1]
        if len(x) != 4 or len(w) != 4:
            return None
        out_h = _out_size(o, x[1], w[1], "h")
        out_w = _out_size(o, x[2], w[2], "w")
        channels = w[0] if code == CONV_2D else w[3]
        return None if out_h is None or out_w is None else (x[0], out_h, out_w, channels)
    if code in (AVERAGE_POOL_2D, MAX_POOL_2D):
        pooled = ins[0] if len(ins) == 1 else None
        if pooled is None or len(pooled) != 4:
            return None
        out_h = _out_size(o, pooled[1], _int(o, "filter_h"), "h", pool=True)
        out_w = _out_size(o, pooled[2], _int(o, "filter_w"), "w", pool=True)
        if out_h is None or out_w is None:
            return None
        return (pooled[0], out_h, out_w, pooled[3])
    if code == TRANSPOSE:
        perm = constant(op.inputs[1]) if len(ins) == 2 else None
        source = ins[0]
        if source is None or perm is None or sorted(perm) != list(range(len(source))):
            return None
        return tuple(source[p] for p in perm)
    if code == SQUEEZE:
        return _squeeze(ins, o)
    if code == EXPAND_DIMS:
        axis = constant(op.inputs[1]) if len(ins) == 2 else None
        base = ins[0]
        if base is None or axis is None or len(axis) != 1:
            return None
        a = axis[0] + len(base) + 1 if axis[0] < 0 else axis[0]
        return (*base[:a], 1, *base[a:]) if 0 <= a <= len(base) else None
    return None


def _dynamic(op: OpView, ins: list[Shape | None], constant: Constant) -> Shape | None:
    """A dimension of dynamic size (-1: a main-subgraph input the application sizes) passes
    only through operators that keep the element count (ExpandDims, a Reshape stretching it,
    Transpose, elementwise ops of one input): the result then holds exactly as many elements
    as the application gave, so a kernel after it can bound its output per input element."""
    if op.builtin == RESHAPE:
        shape_in = ins[1] if len(ins) == 2 else None
        target = constant(op.inputs[1]) if shape_in is not None and len(shape_in) == 1 else None
        if target is None or (op.options or {}).get("new_shape", ()) not in ((), target):
            return None
        if target.count(-1) > 1 or any(d < -1 for d in target) or 0 in target:
            return None
        return target  # without -1: Prepare fails unless the element counts agree
    if op.builtin not in (EXPAND_DIMS, TRANSPOSE) and not (
        op.builtin in SAME_SHAPE and len(ins) == 1
    ):
        return None
    if any(s is None or _PLACEHOLDER in s for s in ins) or any(
        DYNAMIC in (s or ()) for s in ins[1:]
    ):
        return None
    # these rules move dimensions without reading their sizes: run them with a placeholder
    first = tuple(_PLACEHOLDER if d == DYNAMIC else d for d in ins[0] or ())
    out = _rule(op, [first, *ins[1:]], constant)
    return None if out is None else tuple(DYNAMIC if d == _PLACEHOLDER else d for d in out)


def _int(o: dict[str, int | tuple[int, ...]] | None, key: str) -> int:
    value = (o or {}).get(key)
    if not isinstance(value, int):
        raise TypeError(key)
    return value


def _out_size(
    o: dict[str, int | tuple[int, ...]] | None, image: int, filt: int, axis: str, pool: bool = False
) -> int | None:
    """ComputeOutSize (padding.h): SAME ceil(image / stride), VALID with the dilated filter."""
    stride = _int(o, f"stride_{axis}")
    dilation = 1 if pool else _int(o, f"dilation_{axis}")
    padding = _int(o, "padding")
    if stride <= 0 or dilation <= 0 or filt <= 0 or image <= 0 or padding not in (0, 1):
        return None
    effective = (filt - 1) * dilation + 1
    size = (
        (image + stride - 1) // stride if padding == 0 else (image + stride - effective) // stride
    )
    return size if size > 0 else None


def _batch_matmul(
    ins: list[Shape | None], o: dict[str, int | tuple[int, ...]] | None
) -> Shape | None:
    """batch_matmul.cc: the batch dimensions broadcast, then rows of x by columns of y
    (adj_x / adj_y transpose them; no options table: both false)."""
    if len(ins) < 2 or ins[0] is None or ins[1] is None or len(ins[0]) < 2 or len(ins[1]) < 2:
        return None
    x, y = ins[0], ins[1]
    batch = _broadcast(x[:-2] or (1,), y[:-2] or (1,)) if x[:-2] or y[:-2] else ()
    if batch is None:
        return None
    rows = x[-1] if (o or {}).get("adj_x") else x[-2]
    cols = y[-2] if (o or {}).get("adj_y") else y[-1]
    return (*batch, rows, cols)


def _fully_connected(
    ins: list[Shape | None], o: dict[str, int | tuple[int, ...]] | None
) -> Shape | None:
    """fully_connected.cc: [input elements / filter columns, filter rows], or the input's
    shape with its last dimension replaced when keep_num_dims (no options table: false)."""
    if len(ins) < 2 or ins[0] is None or ins[1] is None or len(ins[1]) != 2 or ins[1][1] <= 0:
        return None
    x, (units, depth) = ins[0], ins[1]
    if (o or {}).get("keep_num_dims"):
        return (*x[:-1], units) if x and x[-1] == depth else None
    return (math.prod(x) // depth, units)


def _opt(o: dict[str, int | tuple[int, ...]] | None, key: str) -> int:
    """An int option, 0 when the table is absent (the kernel's zeroed parameters)."""
    value = (o or {}).get(key, 0)
    return value if isinstance(value, int) else 0


def _gather(
    code: int, ins: list[Shape | None], o: dict[str, int | tuple[int, ...]] | None
) -> Shape | None:
    """gather.cc (axis, batch_dims; no options table: both 0), embedding_lookup.cc (the ids'
    shape by a value row), gather_nd.cc (the indices' outer shape by the slices they pick)."""
    if len(ins) != 2 or ins[0] is None or ins[1] is None:
        return None
    first, second = ins[0], ins[1]
    if code == EMBEDDING_LOOKUP:  # (ids, value)
        return (*first, *second[1:]) if len(first) == 1 and second else None
    if code == GATHER_ND:  # (params, indices)
        depth = second[-1] if second else 0
        return (*second[:-1], *first[depth:]) if 0 < depth <= len(first) else None
    x, pos = first, second
    axis, batch = _opt(o, "axis"), _opt(o, "batch_dims")
    axis, batch = axis + len(x) if axis < 0 else axis, batch + len(pos) if batch < 0 else batch
    if not 0 <= axis < len(x) or not 0 <= batch <= min(axis, len(pos)):
        return None
    return (*x[:axis], *pos[batch:], *x[axis + 1 :])


def _broadcast(a: Shape | None, b: Shape | None) -> Shape | None:
    if a is None or b is None or 0 in a or 0 in b:
        return None
    if a == b:
        return a
    out = []
    for i in range(max(len(a), len(b))):
        da = a[len(a) - 1 - i] if i < len(a) else 1
        db = b[len(b) - 1 - i] if i < len(b) else 1
        if da != db and 1 not in (da, db):
            return None
        out.append(max(da, db))
    return tuple(reversed(out))


def _reshape(op: OpView, ins: list[Shape | None], constant: Constant) -> Shape | None:
    """reshape.cc: the int32 vector of the constant shape input (else the options' new_shape:
    refused here when they differ, so the kernel's choice between them does not matter), one
    -1 stretched to keep the element count, which Prepare then requires equal."""
    if len(ins) != 2 or ins[1] is None or len(ins[1]) != 1:
        return None
    target = constant(op.inputs[1])
    if target is None:
        return None
    given = (op.options or {}).get("new_shape", ())
    if given and tuple(given) != target:  # type: ignore[arg-type]
        return None
    if target.count(-1) > 1 or any(d < -1 for d in target):
        return None
    known = math.prod(d for d in target if d != -1)
    if -1 not in target:
        return target  # Prepare fails unless the input has as many elements
    x = ins[0]
    if x is None or known == 0 or math.prod(x) % known:
        return None
    return tuple(math.prod(x) // known if d == -1 else d for d in target)


def _concat(ins: list[Shape | None], axis: int) -> Shape | None:
    """concatenation.cc: same rank, the same size on every other axis (checked), summed."""
    if not ins or any(s is None for s in ins):
        return None
    shapes = [s for s in ins if s is not None]
    rank = len(shapes[0])
    a = axis + rank if axis < 0 else axis
    if not 0 <= a < rank or any(len(s) != rank for s in shapes):
        return None
    if any(s[:a] + s[a + 1 :] != shapes[0][:a] + shapes[0][a + 1 :] for s in shapes):
        return None
    return (*shapes[0][:a], sum(s[a] for s in shapes), *shapes[0][a + 1 :])


def _squeeze(ins: list[Shape | None], o: dict[str, int | tuple[int, ...]] | None) -> Shape | None:
    x = ins[0] if len(ins) == 1 else None
    dims = (o or {}).get("squeeze_dims", ())
    if x is None or not isinstance(dims, tuple):
        return None
    if not dims:
        return tuple(d for d in x if d != 1)
    drop = {d + len(x) if d < 0 else d for d in dims}
    if any(not 0 <= d < len(x) or x[d] != 1 for d in drop):
        return None
    return tuple(d for i, d in enumerate(x) if i not in drop)
