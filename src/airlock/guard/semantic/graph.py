"""The encoder (and optionally a classification head) as one ONNX graph, built from the arrays
of :mod:`.encoder`: the DAN + CNN n-gram encoder of USE multilingual v3, written out in plain
ONNX operators (Gather, Conv, LayerNormalization, MatMul...) so the existing sandboxed ONNX
worker can run it like any sequence classifier: int64 ``input_ids`` + ``attention_mask`` in,
``logits`` (or ``embedding`` for training) out."""

from __future__ import annotations

from typing import Any

import numpy as np

from airlock.guard.onnx.common import _import
from airlock.guard.semantic.encoder import Weights

OPSET = 17
CNN = 256
# (n-gram order, tokens of left context) of the three convolution branches
ORDERS = ((2, 0), (3, 1), (5, 2))


class _G:
    """A tiny graph writer: each call adds one node and returns its output's name."""

    def __init__(self) -> None:
        self.onnx = _import("onnx")
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self.n = 0

    def const(self, arr: np.ndarray, name: str = "") -> str:
        self.n += 1
        name = name or f"c{self.n}"
        self.inits.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def op(self, kind: str, *inputs: str, **attrs: Any) -> str:
        self.n += 1
        out = f"t{self.n}"
        self.nodes.append(self.onnx.helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    def linear(self, x: str, w: np.ndarray, b: np.ndarray | None = None) -> str:
        y = self.op("MatMul", x, self.const(w))
        return y if b is None else self.op("Add", y, self.const(b))


def build(w: Weights, head: list[tuple[np.ndarray, np.ndarray]] | None = None) -> bytes:
    """Serialised ONNX model. ``head``: dense layers applied to the 512-d sentence embedding
    (ReLU between them) whose last one gives two logits; without it the output is the
    embedding itself."""
    g = _G()
    a, f32 = w.arrays, np.float32
    ids, mask = "input_ids", "attention_mask"
    axis1 = g.const(np.array([1], dtype=np.int64))
    last = g.const(np.array([-1], dtype=np.int64))
    m = g.op("Unsqueeze", g.op("Cast", mask, to=1), last)  # [B, T, 1]

    # quantised embedding rows: uint8 * per-row scale + per-row offset
    q = g.op("Cast", g.op("Gather", g.const(w.table, "table"), ids), to=1)
    sc = g.op("Unsqueeze", g.op("Gather", g.const(w.row_scale.astype(f32)), ids), last)
    lo = g.op("Unsqueeze", g.op("Gather", g.const(w.row_lo.astype(f32)), ids), last)
    emb = g.op("Add", g.op("Mul", q, sc), lo)  # [B, T, 512]

    proj = np.concatenate([a[f"proj{n}"] for n, _ in ORDERS], axis=1)
    proj_b = np.concatenate([a[f"proj_b{n}"] for n, _ in ORDERS])
    gam = np.concatenate([a[f"ln_g{n}"] for n, _ in ORDERS])
    bet = np.concatenate([a[f"ln_b{n}"] for n, _ in ORDERS])
    x = g.op("LayerNormalization", g.linear(emb, proj, proj_b), g.const(gam), g.const(bet),
             axis=-1, epsilon=w.eps)  # fmt: skip

    def conv(inp: str, wmat: np.ndarray, bias: np.ndarray, n: int, left: int) -> str:
        """ReLU(window @ W + b) over n-token windows; positions outside the text read zeros."""
        kernel = wmat.reshape(n, CNN, CNN).transpose(2, 1, 0)  # [out, in, n]
        t = g.op("Transpose", g.op("Mul", inp, m), perm=[0, 2, 1])
        c = g.op("Conv", t, g.const(np.ascontiguousarray(kernel)), g.const(bias),
                 pads=[left, n - 1 - left], kernel_shape=[n])  # fmt: skip
        return g.op("Transpose", g.op("Relu", c), perm=[0, 2, 1])

    parts = [emb]
    for i, (n, left) in enumerate(ORDERS):
        starts = g.const(np.array([i * CNN], dtype=np.int64))
        ends = g.const(np.array([(i + 1) * CNN], dtype=np.int64))
        xs = g.op("Slice", x, starts, ends, g.const(np.array([2], dtype=np.int64)))
        h = g.op("Add", conv(xs, a[f"w1_{n}"], a[f"b1_{n}"], n, left), xs)
        parts.append(g.op("Add", conv(h, a[f"w2_{n}"], a[f"b2_{n}"], n, left), h))
    feats = g.op("LayerNormalization", g.op("Concat", *parts, axis=-1), g.const(a["ln_g"]),
                 g.const(a["ln_b"]), axis=-1, epsilon=w.eps)  # fmt: skip

    # sum over the text's tokens, project, scale by 1/sqrt(length)
    total = g.op("ReduceSum", g.op("Mul", feats, m), axis1, keepdims=0)
    length = g.op("ReduceSum", g.op("Cast", mask, to=1), axis1, keepdims=1)  # [B, 1]
    mean = g.op("Add", g.linear(total, a["cnn_W"]), g.op("Mul", length, g.const(a["cnn_b"])))
    mean = g.op("Div", mean, g.op("Sqrt", g.op("Max", length, g.const(np.array(1, f32)))))
    y0 = g.op("Relu", g.linear(mean, a["d0"]))
    y1 = g.op("Relu", g.op("Add", g.linear(mean, a["p1"]), g.linear(y0, a["d1"])))
    y2 = g.op("Relu", g.linear(y1, a["d2"]))
    z = g.op("Tanh", g.op("Add", g.linear(y1, a["p3"]), g.linear(y2, a["d3"])))
    norm2 = g.op("ReduceSum", g.op("Mul", z, z), axis1, keepdims=1)
    z = g.op("Div", z, g.op("Sqrt", g.op("Max", norm2, g.const(np.array(w.eps, f32)))))

    out_name = "embedding"
    if head:
        for k, (hw, hb) in enumerate(head):
            z = g.linear(z, hw.astype(f32), hb.astype(f32))
            if k < len(head) - 1:
                z = g.op("Relu", z)
        out_name = "logits"
    g.nodes.append(g.onnx.helper.make_node("Identity", [z], [out_name]))

    oh = g.onnx.helper
    tp = g.onnx.TensorProto
    inputs = [oh.make_tensor_value_info(k, tp.INT64, ["batch", "sequence"]) for k in (ids, mask)]
    width = 2 if head else 512
    outputs = [oh.make_tensor_value_info(out_name, tp.FLOAT, ["batch", width])]
    graph = oh.make_graph(g.nodes, "airlock-semantic", inputs, outputs, g.inits)
    model = oh.make_model(graph, opset_imports=[oh.make_opsetid("", OPSET)],
                          producer_name="airlock")  # fmt: skip
    model.ir_version = 8
    return bytes(model.SerializeToString())
