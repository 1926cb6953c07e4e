"""Output sizes of ONNX operators outside the folding table, for the run-time walk (rt23onnx).

The run walk (onnx_run) follows values from the graph inputs with the folding table
(onnx_fold). An operator the table does not follow used to end the chain silently: its output,
and everything made from it, counted nothing. These operators make their output from
attributes or input values, not from their inputs' bytes, and each turned a [1] graph input
into 2-3 GiB at the first run in onnxruntime 1.32 while the gate allowed it (RELIABILITY.md,
session 22): LSTM / GRU / RNN over a wide batch, GridSample, DFT with a dft_length, STFT,
Hann/Blackman windows and MelWeightMatrix of a computed size, Multinomial's sample_size,
RoiAlign / MaxRoiPool output sizes, TfIdfVectorizer's ngram indexes, AffineGrid, pools with a
huge kernel and pads, CenterCropPad, Einsum with an ellipsis, MatMulInteger / QLinearMatMul /
contrib matmuls as outer products, CDist, UnfoldTensor, CropAndResize, attention's
S x S scores, ai.onnx.ml TreeEnsembleRegressor / LinearRegressor / FeatureVectorizer widths.

``shape_of`` gives their outputs (exact, or a bound as an opaque count) and, for attention,
the score tensor it makes on the way (counted, not bound to a name). ``bounded_by_inputs``
names the operators whose outputs never hold more elements than their inputs together (a
small factor for a few); any other operator whose output the walk cannot size fails closed
there (onnx_run).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from airlock.formats.onnx import ELEM_BITS, Const, FoldNode
from airlock.scan.onnx_fold import (
    MAX_ELEMENTS,
    _broadcast,
    _fold,
    _ints,
    _opaque,
    _Val,
    _widest,
)

# standard operators that never make more elements than their inputs hold together (their
# outputs: an opaque count, shape unknown). Sized here or in the folding table otherwise.
_BOUNDED_STD = frozenset(
    {
        "NonMaxSuppression", "StringNormalizer", "RegexFullMatch",
        "Bernoulli", "SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss", "Momentum",
        "Adagrad", "Adam", "Optional", "OptionalGetElement", "OptionalHasElement",
        "RotaryEmbedding", "RMSNormalization", "TensorScatter", "QLinearConcat", "Swish",
        "Gradient", "TopK", "GatherElements", "SequenceLength", "Identity", "If", "Loop", "Scan",
        "SwiGLU",
    }
)  # fmt: skip
# com.microsoft operators onnxruntime runs on the CPU whose outputs never exceed their inputs
_BOUNDED_MS = frozenset(
    {
        "BiasGelu", "FastGelu", "QuickGelu", "Gelu", "BiasSoftmax", "BiasDropout", "BiasAdd",
        "BiasSplitGelu", "SkipLayerNormalization", "SimplifiedLayerNormalization",
        "SkipSimplifiedLayerNormalization", "LayerNormalization", "GroupNorm", "SkipGroupNorm",
        "RotaryEmbedding", "Trilu", "Unique", "Inverse", "MurmurHash3", "ExpandDims",
        "DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear", "QLinearLeakyRelu",
        "QLinearSigmoid", "QLinearSoftmax", "QLinearConcat", "QLinearGlobalAveragePool",
        "QLinearReduceMean", "BifurcationDetector", "NGramRepeatBlock", "Affine",
        "ParametricSoftplus", "ScaledTanh", "Scale", "ImageScaler", "Crop", "ThresholdedRelu",
        "StringNormalizer", "SampleOp", "DynamicTimeWarping",
    }
)  # fmt: skip
# ai.onnx.ml operators with outputs of their input's shape, or smaller
_ML_SAME = frozenset(
    {"Binarizer", "Imputer", "Normalizer", "Scaler", "LabelEncoder", "CategoryMapper"}
)
_BOUNDED_ML = _ML_SAME | {"CastMap", "ZipMap", "DictVectorizer"}


# an optional input left out (an empty name): the rules read inputs by position
ABSENT = _Val((0,), 0, None)


def bounded_by_inputs(domain: str, op: str) -> bool:
    if domain in ("", "ai.onnx"):
        return op in _BOUNDED_STD
    if domain == "com.microsoft":
        return op in _BOUNDED_MS
    return domain == "ai.onnx.ml" and op in _BOUNDED_ML


def _int(a: Mapping[str, object], key: str, default: int) -> int:
    v = a.get(key, default)
    return v if isinstance(v, int) else default


def _ints_attr(a: Mapping[str, object], key: str) -> tuple[int, ...] | None:
    v = a.get(key)
    return v if isinstance(v, tuple) and all(isinstance(i, int) for i in v) else None


def _one(v: _Val | None) -> int | None:
    got = _ints(v)
    return got[0] if got is not None and len(got) == 1 else None


def _v(dims: Sequence[int], dt: int) -> _Val:
    return _Val([max(int(d), 0) for d in dims], dt, None)


def _rnn(op: str, a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """LSTM / GRU / RNN: Y [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden]),
    Y_h and Y_c [dirs, batch, hidden]. The hidden size is the attribute or R's last dim."""
    x = ins[0]
    if len(ins) < 3:
        return None
    hidden = _int(a, "hidden_size", 0) or (ins[2].dims[-1] if ins[2].dims else 0)
    dirs = 2 if a.get("direction") == "bidirectional" else 1
    if len(x.dims) != 3:  # seq x batch is at most the input's elements
        n = min(x.elements * dirs * max(hidden, 1), MAX_ELEMENTS)
        return [_Val((n,), x.data_type, None, opaque=True)] * (3 if op == "LSTM" else 2)
    if _int(a, "layout", 0):  # batch first
        y = _v([x.dims[0], x.dims[1], dirs, hidden], x.data_type)
        last = _v([x.dims[0], dirs, hidden], x.data_type)
    else:
        y = _v([x.dims[0], dirs, x.dims[1], hidden], x.data_type)
        last = _v([dirs, x.dims[1], hidden], x.data_type)
    return [y, last, last] if op == "LSTM" else [y, last]


def _pool(a: Mapping[str, object], x: _Val, k: int = 1) -> list[_Val] | None:
    """MaxPool / AveragePool / LpPool: the exact output of its kernel, pads, strides,
    dilations (ceil_mode, auto_pad). MaxPool's indices are int64 of the same shape."""
    kernel = _ints_attr(a, "kernel_shape")
    sp = len(x.dims) - 2
    if kernel is None or sp < 1 or len(kernel) != sp:
        return None
    pads = _ints_attr(a, "pads") or (0,) * (2 * sp)
    strides = _ints_attr(a, "strides") or (1,) * sp
    dil = _ints_attr(a, "dilations") or (1,) * sp
    if len(pads) != 2 * sp or len(strides) != sp or len(dil) != sp:
        return None
    same = a.get("auto_pad") in ("SAME_UPPER", "SAME_LOWER")
    ceil = bool(_int(a, "ceil_mode", 0))
    out = []
    for i in range(sp):
        s = max(strides[i], 1)
        if same:
            out.append(-(-x.dims[2 + i] // s))
            continue
        span = x.dims[2 + i] + max(pads[i], 0) + max(pads[i + sp], 0)
        span -= (kernel[i] - 1) * max(dil[i], 1) + 1
        n = -(-span // s) if ceil else span // s
        out.append(max(n + 1, 0))
    dims = [*x.dims[:2], *out]
    return [_v(dims, x.data_type), _v(dims, 7)][:k]


def _dft(a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """DFT: the signal with its transformed axis at dft_length (onesided: n // 2 + 1) and a
    last dim of 2. The axis is an attribute (opset 17: 1) or an input (opset 20: -2); the
    larger of the two readings counts."""
    x = ins[0]
    if len(x.dims) < 2:
        return None
    given = len(ins) > 1 and ins[1] is not ABSENT
    n = _one(ins[1]) if given else None
    if given and n is None:
        return None
    axes = {_int(a, "axis", 1), -2}
    if len(ins) > 2 and ins[2] is not ABSENT:
        got = _one(ins[2])
        if got is None:
            return None
        axes = {got}
    best: list[int] | None = None
    for ax in axes:
        if not -len(x.dims) <= ax < len(x.dims):
            continue
        dims = list(x.dims)
        m = n if n is not None else dims[ax]
        dims[ax] = m // 2 + 1 if _int(a, "onesided", 0) else m
        dims[-1] = 2
        if best is None or math.prod(dims) > math.prod(best):
            best = dims
    return None if best is None else [_v(best, x.data_type)]


def _stft(a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """STFT: [batch, frames, bins, 2], frames = (length - frame_length) // step + 1."""
    x = ins[0]
    if len(x.dims) < 2 or len(ins) < 2:
        return None
    step = _one(ins[1])
    fl = _one(ins[3]) if len(ins) > 3 and ins[3] is not ABSENT else None
    if fl is None and len(ins) > 2 and ins[2] is not ABSENT and ins[2].dims:
        fl = ins[2].dims[0]
    if step is None or fl is None or step < 1:
        return None
    frames = max((x.dims[1] - fl) // step + 1, 0)
    bins = fl // 2 + 1 if _int(a, "onesided", 1) else fl
    return [_v([x.dims[0], frames, bins, 2], x.data_type)]


def _attention_ms(op: str, a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """com.microsoft Attention / MultiHeadAttention: the output [batch, q, width] and the
    present key / value (at most what the inputs hold)."""
    q = ins[0]
    if len(q.dims) < 3:
        return None
    batch, sq = q.dims[0], q.dims[1]
    if op == "Attention":
        w = ins[1] if len(ins) > 1 else None
        hidden = _ints_attr(a, "qkv_hidden_sizes")
        width = hidden[-1] if hidden else (w.dims[-1] // 3 if w is not None and w.dims else 1)
    else:
        width = q.dims[-1] if len(q.dims) == 3 else math.prod(q.dims[2:])
        if len(ins) > 2 and len(ins[2].dims) == 3:
            width = ins[2].dims[-1]
    rest = _opaque(ins)[0]
    return [_v([batch, sq, width], q.data_type), rest, rest, rest]


def _attention23(a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """Attention (opset 23): Q [B, Hq, Sq, D] (or [B, Sq, Hq * D]): the output of Q's shape
    with V's head size; present key / value (at most the inputs); qk output: the scores."""
    if len(ins) < 3:
        return None
    q, v = ins[0], ins[2]
    if len(q.dims) == 4 and len(v.dims) == 4:
        out = [*q.dims[:3], v.dims[3]]
    elif len(q.dims) == 3 and len(v.dims) == 3:
        hq = max(_int(a, "q_num_heads", 1), 1)
        hkv = max(_int(a, "kv_num_heads", 1), 1)
        out = [q.dims[0], q.dims[1], v.dims[2] * hq // hkv]
    else:
        return None
    scores = scratch("", "Attention", a, ins)
    rest = _opaque(ins)[0]
    return [_v(out, q.data_type), rest, rest, scores or rest]


def scratch(domain: str, op: str, a: Mapping[str, object], ins: list[_Val]) -> _Val | None:
    """The [batch, heads, q, kv] scores an attention operator makes on the way (counted as
    made, bound to no name: 3 heads over a 16,384-long query took 3.2 GiB in onnxruntime
    1.32, through com.microsoft MultiHeadAttention / Attention and opset 23 Attention)."""
    if not ins or any(v.opaque for v in ins):
        return None
    q = ins[0]
    if domain == "com.microsoft" and op in ("Attention", "MultiHeadAttention"):
        if len(q.dims) < 3:
            return None
        heads = max(_int(a, "num_heads", 1), 1)
        sq = q.dims[1]
        k = ins[1] if op == "MultiHeadAttention" and len(ins) > 1 else None
        skv = sq if k is None or len(k.dims) < 2 else k.dims[2] if len(k.dims) == 4 else k.dims[1]
        return _v([q.dims[0], heads, sq, max(skv, 1)], 1)
    if domain in ("", "ai.onnx") and op == "Attention" and len(ins) > 1:
        k = ins[1]
        if len(q.dims) == 4 and len(k.dims) == 4:
            return _v([q.dims[0], q.dims[1], q.dims[2], k.dims[2]], 1)
        if len(q.dims) == 3 and len(k.dims) == 3:
            hq = max(_int(a, "q_num_heads", 1), 1)
            return _v([q.dims[0], hq, q.dims[1], k.dims[1]], 1)
    return None


def _matmul_t(a: Mapping[str, object], x: _Val, y: _Val, dt: int) -> list[_Val] | None:
    """MatMul with FusedMatMul's transA / transB (an outer product of [1, n] and [m, 1]
    transposed was read as [1, 1])."""
    if not x.dims or not y.dims:
        return None
    xd, yd = list(x.dims), list(y.dims)
    if len(xd) > 1 and _int(a, "transA", 0):
        xd[-1], xd[-2] = xd[-2], xd[-1]
    if len(yd) > 1 and _int(a, "transB", 0):
        yd[-1], yd[-2] = yd[-2], yd[-1]
    m = xd[-2] if len(xd) > 1 else 1
    n = yd[-1] if len(yd) > 1 else 1
    rank = max(len(xd), len(yd)) - 2
    bx, by = xd[:-2], yd[:-2]
    bx, by = [1] * (rank - len(bx)) + bx, [1] * (rank - len(by)) + by
    batch = [max(p, r) for p, r in zip(bx, by, strict=True)]
    return [_v([*batch, m, n], dt)]


_MS_MATMUL = {  # (A, B) input positions, output element type (0: A's)
    "FusedMatMul": (0, 1, 0), "TransposeMatMul": (0, 1, 0), "MatMulIntegerToFloat": (0, 1, 1),
    "DynamicQuantizeMatMul": (0, 1, 1), "MatMulInteger16": (0, 1, 6), "QOrderedMatMul": (0, 3, 0),
    "FusedMatMulActivation": (0, 1, 0),
}  # fmt: skip
_STD_MATMUL = {"MatMulInteger": (0, 1, 6), "QLinearMatMul": (0, 3, 0)}
_CONV_LIKE = {  # (x, w) positions: Conv's shape
    "ConvInteger": (0, 1), "QLinearConv": (0, 3), "FusedConv": (0, 1), "NhwcFusedConv": (0, 1),
    "ConvTransposeWithDynamicPads": (0, 1),
}  # fmt: skip
_QBINARY = frozenset({"QLinearAdd", "QLinearMul"})  # broadcast of inputs 0 and 3


def _conv(node_attrs: Mapping[str, object], op: str, x: _Val, w: _Val) -> list[_Val] | None:
    kind = "ConvTranspose" if op == "ConvTransposeWithDynamicPads" else "Conv"
    return _fold(FoldNode(kind, "", ("x", "w"), ("y",), dict(node_attrs)), [x, w])


def _window(ins: list[_Val], dt: int) -> list[_Val] | None:
    n = _one(ins[0]) if ins else None
    return None if n is None else [_v([n], dt)]


def _ml_type(op: str, a: Mapping[str, object], dt: int) -> int:
    """gate24: the element type of a label mapping (ints to strings: a 1 MiB default_string
    for 3,000 ints was sized as 3,000 int64s)."""
    if op == "CategoryMapper":
        return 7 if dt == 8 else 8
    if op == "LabelEncoder":
        t = a.get("values_tensor")
        if "values_strings:count" in a or (isinstance(t, Const) and t.data_type == 8):
            return 8
    return dt


def _ml(op: str, a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """ai.onnx.ml regressors / vectorizers: [N, width] from an attribute (n_targets: 3 GiB
    from a [1, 1] input and one leaf)."""
    x = ins[0]
    n = x.dims[0] if x.dims else 1
    if op in _ML_SAME:
        return [_v(x.dims, _ml_type(op, a, x.data_type))]
    if op == "ArrayFeatureExtractor" and len(ins) > 1:
        return [_v([*x.dims[:-1], ins[1].elements], x.data_type)]
    if op in ("TreeEnsembleRegressor", "TreeEnsemble"):
        return [_v([n, _int(a, "n_targets", 1)], 1)]
    if op == "LinearRegressor":
        return [_v([n, _int(a, "targets", 1)], 1)]
    if op == "FeatureVectorizer":
        return [_v([n, _int(a, "inputdimensions:sum", 0)], 1)]
    if op in ("TreeEnsembleClassifier", "LinearClassifier", "SVMClassifier"):
        width = max(
            _int(a, "classlabels_int64s:count", 0), _int(a, "classlabels_strings:count", 0), 2
        )
        return [_v([n], 7), _v([n, width], 1)]
    if op == "OneHotEncoder":
        width = max(_int(a, "cats_int64s:count", 0), _int(a, "cats_strings:count", 0))
        return [_v([*x.dims, width], 1)]
    if op == "SVMRegressor":
        return [_v([n, 1], 1)]
    return None


def shape_of(domain: str, op: str, a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    """The outputs of ``op`` over known inputs, by position (ABSENT: an optional input left
    out); None: not sized here (an opaque input: see opaque_bound)."""
    if not ins or any(v.opaque for v in ins) or ins[0] is ABSENT:
        return None
    x = ins[0]
    if domain in ("", "ai.onnx"):
        return _std(op, a, ins, x)
    if domain == "com.microsoft":
        return _ms(op, a, ins, x)
    if domain == "ai.onnx.ml":
        return _ml(op, a, ins)
    if domain == "com.microsoft.nchwc":
        return _nchwc(op, a, ins, x)
    return None


def _nchwc(op: str, a: Mapping[str, object], ins: list[_Val], x: _Val) -> list[_Val] | None:
    """onnxruntime's NCHWc layout (a model saved at ORT_ENABLE_ALL): channels padded to the
    block (at most 16); Upsample by its integer scales."""
    if op in ("Conv", "FusedConv") and len(ins) > 1:
        return _conv(a, "Conv", x, ins[1])
    if op in ("MaxPool", "AveragePool"):
        return _pool(a, x)
    if op in ("GlobalAveragePool", "GlobalMaxPool") and len(x.dims) > 2:
        return [_v([*x.dims[:2], *([1] * (len(x.dims) - 2))], x.data_type)]
    if op == "ReorderInput" and len(x.dims) > 1:
        return [_v([x.dims[0], -(-x.dims[1] // 16) * 16, *x.dims[2:]], x.data_type)]
    if op == "ReorderOutput" and len(x.dims) > 1:
        c = min(_int(a, "channels", x.dims[1]), x.dims[1])
        if _int(a, "channels_last", 0):
            return [_v([x.dims[0], *x.dims[2:], c], x.data_type)]
        return [_v([x.dims[0], c, *x.dims[2:]], x.data_type)]
    if op == "Upsample":
        scales = _ints_attr(a, "scales")
        if scales is None or len(scales) != len(x.dims):
            return None
        return [_v([d * max(k, 1) for d, k in zip(x.dims, scales, strict=True)], x.data_type)]
    return None


def _std(op: str, a: Mapping[str, object], ins: list[_Val], x: _Val) -> list[_Val] | None:
    if op in ("LSTM", "GRU", "RNN"):
        return _rnn(op, a, ins)
    if op in ("MaxPool", "AveragePool", "LpPool"):
        return _pool(a, x, 2 if op == "MaxPool" else 1)
    if op == "GridSample" and len(ins) > 1 and len(ins[1].dims) >= 3 and len(x.dims) >= 2:
        return [_v([x.dims[0], x.dims[1], *ins[1].dims[1:-1]], x.data_type)]
    if op == "DFT":
        return _dft(a, ins)
    if op == "STFT":
        return _stft(a, ins)
    if op in ("HannWindow", "HammingWindow", "BlackmanWindow"):
        return _window(ins, _int(a, "output_datatype", 1))
    if op == "MelWeightMatrix" and len(ins) > 1:
        bins, n = _one(ins[0]), _one(ins[1])
        return None if bins is None or n is None else [_v([n // 2 + 1, bins], 1)]
    if op == "Multinomial" and x.dims:
        return [_v([x.dims[0], _int(a, "sample_size", 1)], 6)]
    if op == "RoiAlign" and len(ins) > 1 and len(x.dims) == 4 and ins[1].dims:
        oh, ow = _int(a, "output_height", 1), _int(a, "output_width", 1)
        return [_v([ins[1].dims[0], x.dims[1], oh, ow], x.data_type)]
    if op == "MaxRoiPool" and len(ins) > 1 and len(x.dims) == 4 and ins[1].dims:
        pooled = _ints_attr(a, "pooled_shape")
        if pooled is None or len(pooled) != 2:
            return None
        return [_v([ins[1].dims[0], x.dims[1], *pooled], x.data_type)]
    if op == "TfIdfVectorizer":
        width = _int(a, "ngram_indexes:max", 0) + 1
        lead = list(x.dims[:-1]) if len(x.dims) > 1 else []
        return [_v([*lead, width], 1)]
    if op == "AffineGrid" and len(ins) > 1:
        size = _ints(ins[1])
        if size is None or len(size) not in (4, 5):
            return None
        return [_v([size[0], *size[2:], len(size) - 2], x.data_type)]
    if op == "CenterCropPad" and len(ins) > 1:
        shape = _ints(ins[1])
        axes = _ints_attr(a, "axes") or tuple(range(len(x.dims) - len(shape or ()), len(x.dims)))
        if shape is None or len(shape) != len(axes):
            return None
        dims = list(x.dims)
        for ax, d in zip(axes, shape, strict=True):
            if not -len(dims) <= ax < len(dims):
                return None
            dims[ax] = d
        return [_v(dims, x.data_type)]
    if op == "Einsum":  # with an ellipsis (the table folds the rest): every input's product
        n = 1
        for v in ins:
            n = min(n * max(v.elements, 1), MAX_ELEMENTS)
        return [_Val((n,), x.data_type, None, opaque=True)]
    if op in _STD_MATMUL and len(ins) > _STD_MATMUL[op][1]:
        i, j, dt = _STD_MATMUL[op]
        return _matmul_t({}, ins[i], ins[j], dt or ins[i].data_type)
    if op in _CONV_LIKE and len(ins) > _CONV_LIKE[op][1]:
        i, j = _CONV_LIKE[op]
        return _conv(a, op, ins[i], ins[j])
    if op == "Attention":
        return _attention23(a, ins)
    if op == "BitCast":  # the same bytes: a narrower type adds a last dim
        src = ELEM_BITS.get(x.data_type, 0) or 8
        to = _int(a, "to", x.data_type)
        dst = ELEM_BITS.get(to, 0) or 8
        return [_v([*x.dims, src // dst] if src > dst else x.dims, to)]
    if op == "CausalConvWithState" and len(ins) > 1 and len(x.dims) == 3 and ins[1].dims:
        return [_v(x.dims, x.data_type), _v([x.dims[0], x.dims[1], ins[1].dims[-1] - 1], 1)]
    if op == "LinearAttention" and len(ins) > 2:
        q, k, v = ins[0], ins[1], ins[2]
        if len(q.dims) != 3 or len(k.dims) != 3 or len(v.dims) != 3:
            return None
        hq, hkv = max(_int(a, "q_num_heads", 1), 1), max(_int(a, "kv_num_heads", 1), 1)
        dk, dv = k.dims[2] // hkv, v.dims[2] // hkv
        state = _v([q.dims[0], hkv, dk, dv], q.data_type)  # an outer product of head sizes
        return [_v([q.dims[0], q.dims[1], hq * dv], q.data_type), state]
    if op == "Col2Im" and len(ins) > 2 and len(x.dims) == 3:  # (rt23onnx round 2)
        image, block = _ints(ins[1]), _ints(ins[2])
        if image is None or block is None:
            return None
        chans = x.dims[1] // max(math.prod(block), 1)
        return [_v([x.dims[0], chans, *image], x.data_type)]
    if op == "DeformConv" and len(ins) > 2 and len(ins[2].dims) > 2 and ins[1].dims:
        return [_v([x.dims[0] if x.dims else 1, ins[1].dims[0], *ins[2].dims[2:]], x.data_type)]
    # Strings (review23): an element is a string object plus its text, which the walk does not
    # see. StringConcat is left unsized: a broadcast copies a string per partner (7 MB: 2 M x
    # one 1 MB string -> bad_alloc after 2.6 GB) and StringConcat(w, w) doubles the text at
    # every step (a 1.8 KB model: 22 steps of a 1 KiB string -> 4 GiB). StringSplit (and
    # com.microsoft Tokenizer, unsized) pads every row to the longest one's count ([2000]
    # strings, one of 200 000 spaces -> 12.8 GB): sized only under a maxsplit.
    if op == "StringSplit" and _int(a, "maxsplit", -1) >= 0:
        return [_v([*x.dims, _int(a, "maxsplit", 0) + 1], 8), _v(x.dims, 7)]
    if op == "NonMaxSuppression" and len(ins) > 1:
        return [_v([ins[1].elements, 3], 7)]
    return None


_MS_SAME = frozenset(
    {
        "BiasGelu", "FastGelu", "QuickGelu", "Gelu", "BiasSoftmax", "BiasDropout", "BiasAdd",
        "SkipLayerNormalization", "SimplifiedLayerNormalization", "LayerNormalization",
        "SkipSimplifiedLayerNormalization", "GroupNorm", "SkipGroupNorm", "RotaryEmbedding",
        "Inverse", "MurmurHash3", "QLinearLeakyRelu", "QLinearSigmoid", "QLinearSoftmax",
        "ScaledTanh", "ParametricSoftplus", "Affine", "Scale", "ThresholdedRelu",
    }
)  # fmt: skip


def _ms(op: str, a: Mapping[str, object], ins: list[_Val], x: _Val) -> list[_Val] | None:
    if op in _MS_SAME:  # the first input's shape; statistics / extra outputs at most the input
        return [_v(x.dims, x.data_type), *_opaque([x], 2), _v(x.dims, x.data_type)]
    if op in ("MaxpoolWithMask", "NhwcMaxPool"):
        return _pool(a, x) if op == "MaxpoolWithMask" else None
    if op in ("EmbedLayerNormalization", "QEmbedLayerNormalization") and len(ins) > 2:
        hidden = ins[2].dims[-1] if ins[2].dims else 1  # the word embedding's width
        batch, seq = (x.dims[0], x.dims[1]) if len(x.dims) == 2 else (1, x.elements)
        out = _v([batch, seq, hidden], 1)
        return [out, _v([batch], 6), out]
    if op in _MS_MATMUL and len(ins) > _MS_MATMUL[op][1]:
        i, j, dt = _MS_MATMUL[op]
        return _matmul_t(a, ins[i], ins[j], dt or ins[i].data_type)
    if op == "MatMulNBits" or op == "MatMulBnb4":
        n = _int(a, "N", 0)
        return [_v([*x.dims[:-1], n], x.data_type)] if x.dims and n > 0 else None
    if op in _CONV_LIKE and len(ins) > _CONV_LIKE[op][1]:
        i, j = _CONV_LIKE[op]
        return _conv(a, op, ins[i], ins[j])
    if op in _QBINARY and len(ins) > 3:
        return _fold_std("Add", {}, [ins[0], ins[3]])
    if op in ("Attention", "MultiHeadAttention"):
        return _attention_ms(op, a, ins)
    if op == "CDist" and len(ins) > 1 and x.dims and ins[1].dims:
        return [_v([x.dims[0], ins[1].dims[0]], x.data_type)]
    if op == "UnfoldTensor":
        dim, size, step = _int(a, "dim", -1), _int(a, "size", 1), max(_int(a, "step", 1), 1)
        if not -len(x.dims) <= dim < len(x.dims) or size < 1:
            return None
        dims = list(x.dims)
        dims[dim] = max((dims[dim] - size) // step + 1, 0)
        return [_v([*dims, size], x.data_type)]
    if op == "CropAndResize" and len(ins) > 3 and len(x.dims) == 4 and ins[1].dims:
        crop = _ints(ins[3])
        if crop is None or len(crop) != 2:
            return None
        return [_v([ins[1].dims[0], x.dims[1], *crop], x.data_type)]
    if op == "GridSample" and len(ins) > 1 and len(ins[1].dims) >= 3 and len(x.dims) >= 2:
        return [_v([x.dims[0], x.dims[1], *ins[1].dims[1:-1]], x.data_type)]
    if op in ("Range", "Pad", "GatherND", "Tile", "Expand", "ConstantOfShape", "Resize"):
        return _fold_std(op, a, ins)
    if op == "QLinearAveragePool":
        return _pool(a, x)
    if op in ("QAttention", "GroupQueryAttention", "PackedAttention", "PackedMultiHeadAttention",
              "DecoderMaskedMultiHeadAttention", "DecoderMaskedSelfAttention", "SparseAttention",
              "DecoderAttention", "LongformerAttention", "QOrderedAttention"):  # fmt: skip
        return None
    return None


def _fold_std(op: str, a: Mapping[str, object], ins: list[_Val]) -> list[_Val] | None:
    names = tuple(f"i{k}" for k in range(len(ins)))
    try:
        return _fold(FoldNode(op, "", names, ("y",), dict(a)), ins)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError):
        return None


def opaque_bound(op: str, ins: list[_Val]) -> list[_Val] | None:
    """Growth over an input whose shape is not known (an opaque count: Unique's, Compress's
    output): an upper bound from the sizes the node is given (Expand of Unique(x) to 2^28
    was not followed)."""
    x = ins[0] if ins else None
    if x is None:
        return None
    if op in ("Expand", "Tile", "OneHot") and len(ins) > 1:
        size = _ints(ins[1])
        if size is None:
            return None
        n = x.elements
        for d in size:
            n = min(n * max(d, 1), MAX_ELEMENTS)
        return [_Val((n,), ins[2].data_type if op == "OneHot" and len(ins) > 2 else x.data_type,
                     None, opaque=True)]  # fmt: skip
    if op == "Pad" and len(ins) > 1:
        pads = _ints(ins[1])
        if pads is None:
            return None
        n = x.elements
        r = len(pads) // 2
        for i in range(r):
            n = min(n * (1 + max(pads[i], 0) + max(pads[i + r], 0)), MAX_ELEMENTS)
        return [_Val((n,), x.data_type, None, opaque=True)]
    if op == "Conv" and len(ins) > 1 and not ins[1].opaque and len(ins[1].dims) > 2:
        # N x C x spatial = the input; out: N x M x (spatial + pads) at most
        w = ins[1]
        chans = max(w.dims[1], 1)
        n = -(-x.elements // chans) * w.dims[0]
        return [_Val((min(n, MAX_ELEMENTS),), x.data_type, None, opaque=True)]
    if op in ("MatMul", "Gemm") and len(ins) > 1 and not ins[1].opaque and len(ins[1].dims) >= 2:
        k, m = ins[1].dims[-2], ins[1].dims[-1]  # Gemm's transB: the larger side counts
        n = -(-x.elements // max(min(k, m), 1)) * max(k, m)
        return [_Val((min(n, MAX_ELEMENTS),), x.data_type, None, opaque=True)]
    if op in _BROADCAST_LIKE:  # the known inputs broadcast exactly; each opaque one multiplies
        n = max(math.prod(_broadcast([v.dims for v in ins if not v.opaque])), 1)
        for v in ins:
            if v.opaque:
                n = min(n * max(v.elements, 1), MAX_ELEMENTS)
        # review24: Where's elements are its values', not its condition's (bools: a 1 MiB
        # string picked over an opaque input and expanded 3,000 times was 3,000 bytes)
        dt = _widest(ins[1:]) if op == "Where" and len(ins) > 1 else x.data_type
        return [_Val((n,), dt, None, opaque=True)]
    if op in ("MatMul", "Gemm", "Gather", "Einsum", "MatMulInteger"):
        n = 1
        for v in ins:
            n = min(n * max(v.elements, 1), MAX_ELEMENTS)
        return [_Val((n,), x.data_type, None, opaque=True)]
    return None


_BROADCAST_LIKE = frozenset(
    {
        "Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Less", "Greater",
        "LessOrEqual", "GreaterOrEqual", "Where", "Max", "Min", "Sum", "Mean", "Mod", "PRelu",
        "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    }
)  # fmt: skip
