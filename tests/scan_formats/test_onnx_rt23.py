"""rt23onnx: growth through operators the folding table does not follow (LSTM/GRU/RNN,
GridSample, DFT/STFT, windows, pools, attention, contrib and ai.onnx.ml operators), sizes
computed from graph inputs, growth over inputs of unknown shape, copies alive together, and
while-loops whose condition reads carried values. Each attack form made onnxruntime 1.32
allocate 2.5-4 GiB (or fail allocating under a 6 GB limit, or run past 60 s) at the first run
on the smallest declared input and was allowed before (RELIABILITY.md, session 22)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

import airlock.scan.onnx_run as onnx_run
from airlock.formats.onnx import read_onnx
from airlock.scan.engine import run_handler
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.interface import ScanContext, Source

G3 = 3 << 28  # 3 GiB of float32
S = 16384
X1 = h.make_tensor_value_info("x", T.FLOAT, [1])
X4 = h.make_tensor_value_info("x4", T.FLOAT, [1, 1, 1, 1])
X11 = h.make_tensor_value_info("x11", T.FLOAT, [1, 1])
XU = h.make_tensor_value_info("xu", T.UINT8, [1])
MS = [("com.microsoft", 1)]
ML = [("ai.onnx.ml", 3)]


def _i(name: str, v: object, dt: type = np.int64) -> onnx.TensorProto:
    return nh.from_array(np.array(v, dt), name)


def _f(name: str, v: object) -> onnx.TensorProto:
    return nh.from_array(np.array(v, np.float32), name)


def _model(
    nodes: list[onnx.NodeProto],
    inits: list[onnx.TensorProto],
    inputs: list[onnx.ValueInfoProto] | None = None,
    opset: int = 21,
    extra: list[tuple[str, int]] | None = None,
    reduce: bool = True,
) -> onnx.ModelProto:
    if reduce:
        nodes = [*nodes, h.make_node("ReduceMax", ["out"], ["y"], keepdims=0)]
    else:
        nodes = [*nodes, h.make_node("Identity", ["out"], ["y"])]
    g = h.make_graph(nodes, "g", inputs or [X1], [h.make_tensor_value_info("y", T.FLOAT, None)])
    g.initializer.extend(inits)
    ops = [h.make_opsetid("", opset)] + [h.make_opsetid(d, v) for d, v in extra or []]
    m = h.make_model(g, opset_imports=ops)
    m.ir_version = 10
    return m


def _scan(tmp_path: Path, m: onnx.ModelProto) -> list[str]:
    p = tmp_path / "m.onnx"
    onnx.save(m, p)
    out = run_handler(OnnxHandler(), Source(p.read_bytes(), p), ScanContext(str(p), fs_path=p))
    return sorted({f.rule_id for f in out.findings})


def _expand2(op: str, a: list[int], b: list[int], src: str = "x", **kw: object) -> list:
    return [
        h.make_node("Expand", [src, "a"], ["A"]),
        h.make_node("Expand", [src, "b"], ["B"]),
        h.make_node(op, ["A", "B"], ["out"], **kw),
    ], [_i("a", a), _i("b", b)]


def _rnn(kind: str) -> onnx.ModelProto:
    gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[kind]
    nodes = [
        h.make_node("Expand", ["x", "xs"], ["X"]),
        h.make_node("Expand", ["w1", "ws"], ["W"]),
        h.make_node("Expand", ["w1", "rs"], ["R"]),
        h.make_node(kind, ["X", "W", "R"], ["out"], hidden_size=64),
    ]
    inits = [_i("xs", [1, G3 // 64, 1]), _f("w1", [0.01]), _i("ws", [1, gates * 64, 1])]
    return _model(nodes, [*inits, _i("rs", [1, gates * 64, 64])], opset=14)


def _loop_while(
    body_nodes: list, inits: list, extra: list[tuple[str, int]] = ()
) -> onnx.ModelProto:  # type: ignore[assignment]
    names = [n for n, _ in extra]
    ins = [h.make_tensor_value_info(n, T.INT64, []) for n in ("k", *names)]
    outs = [h.make_tensor_value_info(n + "2", T.INT64, []) for n in ("k", *names)]
    body = h.make_graph(
        body_nodes,
        "body",
        [
            h.make_tensor_value_info("i", T.INT64, []),
            h.make_tensor_value_info("c", T.BOOL, []),
            *ins,
        ],
        [h.make_tensor_value_info("co", T.BOOL, []), *outs],
        inits,
    )
    nodes = [
        h.make_node("ReduceMax", ["x"], ["xm"], keepdims=0),
        h.make_node("Cast", ["xm"], ["k0"], to=T.INT64),
        h.make_node(
            "Loop",
            ["", "t", "k0", *[n + "0" for n in names]],
            ["kf", *[n + "f" for n in names]],
            body=body,
        ),
        h.make_node("Cast", ["kf"], ["out"], to=T.FLOAT),
    ]
    return _model(nodes, [_i("t", True, np.bool_), *[_i(n + "0", v) for n, v in extra]])


def _attack(form: str) -> onnx.ModelProto:
    if form in ("lstm", "gru", "rnn"):
        return _rnn(form.upper())
    if form in ("gridsample", "gridsample_ms"):
        dom = "com.microsoft" if form.endswith("_ms") else ""
        nodes = [
            h.make_node("Expand", ["x", "xs"], ["X"]),
            h.make_node("Expand", ["x", "gs"], ["grid"]),
            h.make_node("GridSample", ["X", "grid"], ["out"], domain=dom),
        ]
        inits = [_i("xs", [1, 3 * 4096, 1, 1]), _i("gs", [1, 256, 256, 2])]
        return _model(nodes, inits, opset=16, extra=MS if dom else None)
    if form == "dft_length":
        nodes = [
            h.make_node("Reshape", ["x", "s3"], ["X"]),
            h.make_node("DFT", ["X", "n", "ax"], ["out"]),
        ]
        return _model(nodes, [_i("s3", [1, 1, 1]), _i("n", 1 << 28), _i("ax", 1)], opset=20)
    if form == "stft":  # frames x bins: 2 GiB from a 96 K signal
        nodes = [
            h.make_node("Expand", ["x", "ls"], ["sig"]),
            h.make_node("STFT", ["sig", "step", "", "fl"], ["out"], onesided=1),
        ]
        inits = [_i("ls", [1, (1 << 15) + (1 << 14), 1]), _i("step", 1), _i("fl", 1 << 14)]
        return _model(nodes, inits, opset=17)
    if form in ("hann", "blackman"):
        op = {"hann": "HannWindow", "blackman": "BlackmanWindow"}[form]
        nodes = [
            h.make_node("Size", ["x"], ["sz"]),
            h.make_node("Add", ["sz", "big"], ["n"]),
            h.make_node(op, ["n"], ["out"]),
        ]
        return _model(nodes, [_i("big", G3 - 1)], opset=17)
    if form == "multinomial":
        node = h.make_node("Multinomial", ["x2"], ["out"], sample_size=G3, dtype=T.INT32)
        return _model([node], [], [h.make_tensor_value_info("x2", T.FLOAT, [1, 2])])
    if form == "roialign":
        node = h.make_node(
            "RoiAlign", ["x4", "rois", "bi"], ["out"], output_height=S, output_width=3 * S
        )
        return _model([node], [_f("rois", [[0, 0, 1, 1]]), _i("bi", [0])], [X4], opset=16)
    if form == "maxroipool":
        node = h.make_node("MaxRoiPool", ["x4", "rois5"], ["out"], pooled_shape=[S, 3 * S])
        return _model([node], [_f("rois5", [[0, 0, 0, 1, 1]])], [X4], opset=16)
    if form == "tfidf":
        node = h.make_node(
            "TfIdfVectorizer", ["xi"], ["out"], mode="TF", min_gram_length=1, max_gram_length=1,
            max_skip_count=0, ngram_counts=[0], ngram_indexes=[G3 - 1], pool_int64s=[1],
        )  # fmt: skip
        return _model([node], [], [h.make_tensor_value_info("xi", T.INT64, [1, 1])], opset=17)
    if form == "affinegrid":
        nodes = [
            h.make_node("Shape", ["x"], ["s"]),
            h.make_node("Concat", ["s", "s", "hw"], ["size"], axis=0),
            h.make_node("AffineGrid", ["theta", "size"], ["out"]),
        ]
        return _model(
            nodes, [_i("hw", [S, 24576]), _f("theta", [[[1, 0, 0], [0, 1, 0]]])], opset=20
        )
    if form == "centercroppad":
        nodes = [
            h.make_node("Reshape", ["x", "s2"], ["x2"]),
            h.make_node("CenterCropPad", ["x2", "cs"], ["out"]),
        ]
        return _model(nodes, [_i("s2", [1, 1]), _i("cs", [S, 3 * S])], opset=18)
    if form == "einsum_ellipsis":
        nodes, inits = _expand2("Einsum", [1, S], [1, 3 * S], equation="...i,...j->...ij")
        return _model(nodes, inits)
    if form == "matmulinteger":
        nodes, inits = _expand2("MatMulInteger", [S, 1], [1, 3 * S], src="xu")
        return _model(nodes, inits, [XU])
    if form == "qlinearmatmul":
        nodes = [
            h.make_node("Expand", ["xu", "a"], ["A"]),
            h.make_node("Expand", ["xu", "b"], ["B"]),
            h.make_node("QLinearMatMul", ["A", "s", "zp", "B", "s", "zp", "s", "zp"], ["out"]),
        ]
        zp = nh.from_array(np.array(0, np.uint8), "zp")
        return _model(nodes, [_i("a", [2 * S, 1]), _i("b", [1, 6 * S]), _f("s", 1.0), zp], [XU])
    if form == "fusedmatmul_trans":
        nodes, inits = _expand2(
            "FusedMatMul", [1, S], [3 * S, 1], domain="com.microsoft", transA=1, transB=1
        )
        return _model(nodes, inits, extra=MS)
    if form == "transposematmul":
        nodes, inits = _expand2("TransposeMatMul", [S, 1], [1, 3 * S], domain="com.microsoft")
        return _model(nodes, inits, extra=MS)
    if form == "cdist":
        nodes, inits = _expand2("CDist", [S, 1], [3 * S, 1], domain="com.microsoft")
        return _model(nodes, inits, extra=MS)
    if form == "gathernd_ms":
        nodes = [
            h.make_node("Expand", ["x", "a"], ["A"]),
            h.make_node("Expand", ["iz", "b"], ["I"]),
            h.make_node("GatherND", ["A", "I"], ["out"], domain="com.microsoft"),
        ]
        return _model(nodes, [_i("a", [1, S]), _i("b", [3 * S, 1, 1]), _i("iz", [0])], extra=MS)
    if form == "range_ms":
        nodes = [
            h.make_node("Cast", ["x"], ["s"], to=T.INT64),
            h.make_node("Squeeze", ["s"], ["s0"]),
            h.make_node("Range", ["s0", "lim", "d"], ["out"], domain="com.microsoft"),
        ]
        return _model(nodes, [_i("lim", G3 // 2), _i("d", 1)], extra=MS)
    if form == "pad_ms":
        return _model(
            [h.make_node("Pad", ["x", "pads"], ["out"], domain="com.microsoft")],
            [_i("pads", [0, G3])],
            extra=MS,
        )
    if form == "unfoldtensor":
        nodes = [
            h.make_node("Expand", ["x", "ls"], ["sig"]),
            h.make_node(
                "UnfoldTensor", ["sig"], ["out"], domain="com.microsoft", dim=1, size=S, step=1
            ),
        ]
        return _model(nodes, [_i("ls", [1, 4 * S])], extra=MS)
    if form == "cropandresize":
        node = h.make_node(
            "CropAndResize", ["x4", "rois", "bi32", "cs"], ["out"], domain="com.microsoft"
        )
        inits = [
            _f("rois", [[0, 0, 1, 1]]),
            _i("bi32", [0], np.int32),
            _i("cs", [S, 3 * S], np.int32),
        ]
        return _model([node], inits, [X4], extra=MS)
    if form == "attention_ms":
        nodes = [
            h.make_node("Expand", ["x", "qs"], ["q"]),
            h.make_node("Attention", ["q", "w", "b"], ["out"], domain="com.microsoft", num_heads=3),
        ]
        inits = [_i("qs", [1, S, 3]), _f("w", np.ones((3, 9)) * 0.01), _f("b", np.zeros(9))]
        return _model(nodes, inits, extra=MS)
    if form == "attention23":
        nodes = [
            h.make_node("Expand", ["x", "qs"], ["q"]),
            h.make_node("Attention", ["q", "q", "q"], ["out"]),
        ]
        return _model(nodes, [_i("qs", [1, 3, S, 1])], opset=23)
    if form in ("ml_tree", "ml_featurevectorizer"):
        if form == "ml_tree":
            node = h.make_node(
                "TreeEnsembleRegressor", ["x11"], ["out"], domain="ai.onnx.ml", n_targets=G3,
                nodes_treeids=[0], nodes_nodeids=[0], nodes_featureids=[0], nodes_modes=["LEAF"],
                nodes_values=[0.0], nodes_truenodeids=[0], nodes_falsenodeids=[0],
                target_treeids=[0], target_nodeids=[0], target_ids=[0], target_weights=[1.0],
            )  # fmt: skip
        else:
            node = h.make_node(
                "FeatureVectorizer", ["x11"], ["out"], domain="ai.onnx.ml", inputdimensions=[G3]
            )
        return _model([node], [], [X11], opset=17, extra=ML)
    if form == "ml_arrayfeature":
        nodes = [
            h.make_node("Expand", ["x11", "a"], ["A"]),
            h.make_node("Expand", ["ii", "b"], ["I"]),
            h.make_node("ArrayFeatureExtractor", ["A", "I"], ["out"], domain="ai.onnx.ml"),
        ]
        return _model(
            nodes, [_i("a", [S, 1]), _i("b", [3 * S]), _i("ii", [0])], [X11], opset=17, extra=ML
        )
    if form == "expand_cumsum":  # the open item: Expand(x, Add(CumSum(Shape(x)), 2^28 - 1))
        nodes = [
            h.make_node("Shape", ["x"], ["s"]),
            h.make_node("CumSum", ["s", "z"], ["c"]),
            h.make_node("Add", ["c", "big"], ["n"]),
            h.make_node("Expand", ["x", "n"], ["out"]),
        ]
        return _model(nodes, [_i("z", 0), _i("big", G3 - 1)])
    if form == "cos_reduceprod":
        nodes = [
            h.make_node("Shape", ["x"], ["s"]),
            h.make_node("ReduceProd", ["s"], ["p"], keepdims=1),
            h.make_node("Mul", ["p", "big"], ["n"]),
            h.make_node(
                "ConstantOfShape", ["n"], ["out"], value=h.make_tensor("v", T.FLOAT, [1], [1.0])
            ),
        ]
        return _model(nodes, [_i("big", G3)])
    if form == "expand_inputvalue":  # a caller's value plus 3 * 2^28
        nodes = [
            h.make_node("Add", ["k", "big"], ["n"]),
            h.make_node("Expand", ["x", "n"], ["out"]),
        ]
        return _model(nodes, [_i("big", G3 - 1)], [X1, h.make_tensor_value_info("k", T.INT64, [1])])
    if form == "expand_unique":
        nodes = [h.make_node("Unique", ["x"], ["u"]), h.make_node("Expand", ["u", "n"], ["out"])]
        return _model(nodes, [_i("n", [G3])])
    if form == "tile_compress":
        nodes = [
            h.make_node("Greater", ["x", "zf"], ["m"]),
            h.make_node("Compress", ["x", "m"], ["c"]),
            h.make_node("Tile", ["c", "n"], ["out"]),
        ]
        return _model(nodes, [_i("n", [G3]), _f("zf", [0.0])])
    if form in ("copies3", "copies_sum"):  # 800 MiB, and shape-keeping copies alive beside it
        n8 = [_i("n", [200 << 20])]
        if form == "copies3":
            nodes = [
                h.make_node("Expand", ["x", "n"], ["a"]),
                h.make_node("Neg", ["a"], ["b"]),
                h.make_node("Add", ["a", "b"], ["c"]),
                h.make_node("Mul", ["c", "a"], ["out"]),
            ]
        else:
            nodes = [
                h.make_node("Expand", ["x", "n"], ["a"]),
                h.make_node("Sigmoid", ["a"], ["b"]),
                h.make_node("Tanh", ["a"], ["c"]),
                h.make_node("Sum", ["a", "b", "c"], ["out"]),
            ]
        return _model(nodes, n8)
    one, lim = _i("one", 1), _i("lim", 1 << 40)
    if form == "while_mul_counter":  # k * 1 + 1 < 2^40
        return _loop_while(
            [
                h.make_node("Mul", ["k", "one"], ["km"]),
                h.make_node("Add", ["km", "one"], ["k2"]),
                h.make_node("Less", ["k2", "lim"], ["co"]),
            ],
            [one, lim],
        )
    if form == "while_noteq":  # k + 1 != -1: never false
        return _loop_while(
            [
                h.make_node("Add", ["k", "one"], ["k2"]),
                h.make_node("Equal", ["k2", "m1"], ["e"]),
                h.make_node("Not", ["e"], ["co"]),
            ],
            [one, _i("m1", -1)],
        )
    if form == "while_flag":  # the condition is a flag carried from the previous iteration
        return _loop_while(
            [
                h.make_node("Add", ["k", "one"], ["k2"]),
                h.make_node("Less", ["k", "lim"], ["f"]),
                h.make_node("Cast", ["f"], ["fl2"], to=T.INT64),
                h.make_node("Cast", ["fl"], ["co"], to=T.BOOL),
            ],
            [one, lim],
            [("fl", 1)],
        )
    if form == "while_reduce":  # ReduceSum(Unsqueeze(k + 1)) < 2^40
        return _loop_while(
            [
                h.make_node("Add", ["k", "one"], ["k2"]),
                h.make_node("Unsqueeze", ["k2", "ax"], ["ku"]),
                h.make_node("ReduceSum", ["ku"], ["ks"], keepdims=0),
                h.make_node("Less", ["ks", "lim"], ["co"]),
            ],
            [one, lim, _i("ax", [0])],
        )
    return _round2(form)


def _round2(form: str) -> onnx.ModelProto:
    """Attacks on this session's first draft (each allowed by it)."""
    if form == "col2im":  # one block, strides as wide as the image
        node = h.make_node("Col2Im", ["x3", "img", "blk"], ["out"], strides=[S, 3 * S])
        x3 = h.make_tensor_value_info("x3", T.FLOAT, [1, 1, 1])
        return _model([node], [_i("img", [S, 3 * S]), _i("blk", [1, 1])], [x3], opset=18)
    if form == "shape_unknown_tile":  # Expand to the shape of an input declared without one
        xn = h.make_tensor_value_info("xn", T.FLOAT, None)
        nodes = [
            h.make_node("Shape", ["xn"], ["s"]),
            h.make_node("Expand", ["one", "s"], ["e"]),
            h.make_node("Tile", ["e", "rep"], ["out"]),
        ]
        return _model(nodes, [_f("one", [1.0]), _i("rep", [G3])], [xn])
    if form == "copies_in_if":
        then = h.make_graph(
            [
                h.make_node("Expand", ["x", "n8"], ["a"]),
                h.make_node("Neg", ["a"], ["b"]),
                h.make_node("Add", ["a", "b"], ["ab"]),
                h.make_node("ReduceMax", ["ab"], ["o1"], keepdims=1),
            ],
            "then",
            [],
            [h.make_tensor_value_info("o1", T.FLOAT, None)],
        )
        els = h.make_graph(
            [h.make_node("Identity", ["x"], ["o2"])],
            "else",
            [],
            [h.make_tensor_value_info("o2", T.FLOAT, None)],
        )
        nodes = [
            h.make_node("Greater", ["x", "z"], ["c0"]),
            h.make_node("Squeeze", ["c0"], ["c"]),
            h.make_node("If", ["c"], ["out"], then_branch=then, else_branch=els),
        ]
        return _model(nodes, [_i("n8", [200 << 20]), _f("z", [0.0])])
    if form == "loop_carried_size":  # Expand(x, (k + 1) * 2^24), k carried from the input
        ins = [
            h.make_tensor_value_info("i", T.INT64, []),
            h.make_tensor_value_info("c", T.BOOL, []),
            h.make_tensor_value_info("k", T.INT64, [1]),
            h.make_tensor_value_info("s", T.FLOAT, []),
        ]
        outs = [
            h.make_tensor_value_info("co", T.BOOL, []),
            h.make_tensor_value_info("k2", T.INT64, [1]),
            h.make_tensor_value_info("s2", T.FLOAT, []),
        ]
        body_nodes = [
            h.make_node("Add", ["k", "one"], ["k2"]),
            h.make_node("Mul", ["k2", "big"], ["n"]),
            h.make_node("Expand", ["x", "n"], ["e"]),
            h.make_node("ReduceMax", ["e"], ["m"], keepdims=0),
            h.make_node("Max", ["s", "m"], ["s2"]),
            h.make_node("Identity", ["c"], ["co"]),
        ]
        body = h.make_graph(body_nodes, "body", ins, outs, [_i("one", [1]), _i("big", [1 << 24])])
        nodes = [
            h.make_node("ReduceMax", ["x"], ["xm"], keepdims=1),
            h.make_node("Cast", ["xm"], ["k0"], to=T.INT64),
            h.make_node("ReduceMax", ["x"], ["s0"], keepdims=0),
            h.make_node("Loop", ["M", "t", "k0", "s0"], ["kf", "out"], body=body),
        ]
        return _model(nodes, [_i("M", 64), _i("t", True, np.bool_)])
    raise AssertionError(form)


ATTACKS = [
    "col2im", "shape_unknown_tile", "copies_in_if", "loop_carried_size",
    "lstm", "gru", "rnn", "gridsample", "gridsample_ms", "dft_length", "stft", "hann",
    "blackman", "multinomial", "roialign", "maxroipool", "tfidf", "affinegrid",
    "centercroppad", "einsum_ellipsis", "matmulinteger", "qlinearmatmul", "fusedmatmul_trans",
    "transposematmul", "cdist", "gathernd_ms", "range_ms", "pad_ms", "unfoldtensor",
    "cropandresize", "attention_ms", "attention23", "ml_tree", "ml_featurevectorizer",
    "ml_arrayfeature", "expand_cumsum", "cos_reduceprod",
    "expand_inputvalue", "expand_unique", "tile_compress", "copies3", "copies_sum",
    "while_mul_counter", "while_noteq", "while_flag", "while_reduce",
]  # fmt: skip


@pytest.mark.parametrize("form", ATTACKS)
def test_growth_the_walk_did_not_follow_is_denied(tmp_path: Path, form: str) -> None:
    assert "AIR-ONNX-009" in _scan(tmp_path, _attack(form))


def _honest(form: str) -> onnx.ModelProto:
    """Small real-shaped graphs with symbolic dims (each passes onnx.checker)."""
    xb = h.make_tensor_value_info("xs", T.FLOAT, ["t", "b", 8])
    if form in ("lstm", "gru"):
        gates = 4 if form == "lstm" else 3
        node = h.make_node(
            form.upper(), ["xs", "W", "R", "B"], ["out"], hidden_size=16, direction="bidirectional"
        )
        inits = [
            _f("W", np.zeros((2, gates * 16, 8))),
            _f("R", np.zeros((2, gates * 16, 16))),
            _f("B", np.zeros((2, 2 * gates * 16))),
        ]
        return _model([node], inits, [xb], opset=14)
    if form == "mha_ms":
        q = h.make_tensor_value_info("q", T.FLOAT, ["b", "s", 64])
        node = h.make_node(
            "MultiHeadAttention", ["q", "q", "q"], ["out"], domain="com.microsoft", num_heads=4
        )
        return _model([node], [], [q], extra=MS)
    if form == "gridsample":
        xi = h.make_tensor_value_info("img", T.FLOAT, ["n", 3, 32, 32])
        gi = h.make_tensor_value_info("grid", T.FLOAT, ["n", 32, 32, 2])
        return _model([h.make_node("GridSample", ["img", "grid"], ["out"])], [], [xi, gi], opset=16)
    if form == "stft":
        sig = h.make_tensor_value_info("sig", T.FLOAT, ["b", "n", 1])
        nodes = [
            h.make_node("HannWindow", ["wl"], ["win"]),
            h.make_node("STFT", ["sig", "step", "win"], ["out"]),
        ]
        return _model(nodes, [_i("wl", 256), _i("step", 64)], [sig], opset=17)
    if form == "weights_as_inputs":  # ir < 4 style: every weight a graph input with a default
        xi = h.make_tensor_value_info("img", T.FLOAT, [1, 3, 64, 64])
        wi = h.make_tensor_value_info("w", T.FLOAT, [64, 3, 3, 3])
        nodes = [
            h.make_node("Conv", ["img", "w"], ["c"], strides=[2, 2], pads=[1, 1, 1, 1]),
            h.make_node("Relu", ["c"], ["out"]),
        ]
        return _model(nodes, [_f("w", np.zeros((64, 3, 3, 3)))], [xi, wi], opset=9)
    if form == "pad_attr":  # opset 2 Pad: pads as an attribute
        xi = h.make_tensor_value_info("img", T.FLOAT, [1, 3, 8, 8])
        node = h.make_node("Pad", ["img"], ["out"], pads=[0, 0, 1, 1, 0, 0, 1, 1])
        return _model([node], [], [xi], opset=9)
    if form == "while_decoder":  # a stop token read from the model's output: left to it
        body = h.make_graph(
            [
                h.make_node("Add", ["k", "one"], ["k2"]),
                h.make_node("Mul", ["v", "two"], ["vv"]),
                h.make_node("ReduceMax", ["vv"], ["m"], keepdims=0),
                h.make_node("Less", ["m", "thr"], ["co"]),
                h.make_node("Identity", ["v"], ["v2"]),
            ],
            "body",
            [
                h.make_tensor_value_info(n, t, [])
                for n, t in (("i", T.INT64), ("c", T.BOOL), ("k", T.INT64))
            ]
            + [h.make_tensor_value_info("v", T.FLOAT, None)],
            [
                h.make_tensor_value_info(n, t, None)
                for n, t in (("co", T.BOOL), ("k2", T.INT64), ("v2", T.FLOAT))
            ],
            [_i("one", 1), _f("two", 2.0), _f("thr", 100.0)],
        )
        nodes = [h.make_node("Loop", ["", "t", "k0", "x"], ["kf", "out"], body=body)]
        return _model(nodes, [_i("t", True, np.bool_), _i("k0", 0)])
    if form == "nchwc":  # a model saved at ORT_ENABLE_ALL: NCHWc convolutions
        xi = h.make_tensor_value_info("img", T.FLOAT, ["n", 3, 64, 64])
        nodes = [
            h.make_node("ReorderInput", ["img"], ["r"], domain="com.microsoft.nchwc"),
            h.make_node("Conv", ["r", "w"], ["c"], domain="com.microsoft.nchwc", pads=[1, 1, 1, 1]),
            h.make_node("ReorderOutput", ["c"], ["out"], domain="com.microsoft.nchwc", channels=16),
        ]
        inits = [_f("w", np.zeros((16, 16, 3, 3)))]
        return _model(nodes, inits, [xi], extra=[("com.microsoft.nchwc", 1)])
    raise AssertionError(form)


HONEST = [
    "nchwc",
    "lstm",
    "gru",
    "mha_ms",
    "gridsample",
    "stft",
    "weights_as_inputs",
    "pad_attr",
    "while_decoder",
]


@pytest.mark.parametrize("form", HONEST)
def test_honest_graphs_through_these_operators_stay_clean(tmp_path: Path, form: str) -> None:
    assert "AIR-ONNX-009" not in _scan(tmp_path, _honest(form))


def test_a_node_the_walk_cannot_follow_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node whose walk raised used to be skipped (`continue`): its outputs unknown, every
    node made from them uncounted. Now the walk stops with a reason."""
    m = _model([h.make_node("Neg", ["x"], ["n"]), h.make_node("Abs", ["n"], ["out"])], [])
    model = read_onnx(m.SerializeToString())
    real = onnx_run._step

    def broken(node, ins, pos=None):  # type: ignore[no-untyped-def]
        if node.op_type == "ReduceMax":
            raise IndexError("malformed")
        return real(node, ins, pos)

    monkeypatch.setattr(onnx_run, "_step", broken)
    ran = onnx_run.run_bytes(model.graphs, 1 << 30)
    assert ran.why is not None and "could not be followed" in ran.why


# -- strings (review23): an element is a string object plus text the walk does not see ---------


def _strings(op: str, strs: list[str], extra: list[onnx.TensorProto], inputs: list[str],
             **kw: object) -> onnx.ModelProto:  # fmt: skip
    """``op`` over a string tensor that depends on the graph input (Where picks it)."""
    domain = "com.microsoft" if op == "Tokenizer" else ""
    nodes = [
        h.make_node("Greater", ["x", "zero"], ["c"]),
        h.make_node("Where", ["c", "s", "s"], ["w"]),
        h.make_node(op, ["w", *inputs], ["out"], domain=domain, **kw),
    ]
    inits = [_f("zero", [0.0]), nh.from_array(np.array(strs, dtype=object), "s"), *extra]
    y = h.make_tensor_value_info("out", T.STRING, None)
    g = h.make_graph(nodes, "g", [X1], [y], initializer=inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 20), h.make_opsetid("com.microsoft", 1)])
    m.ir_version = 10
    return m


def test_string_split_padding_every_row_to_the_longest_is_not_bounded(tmp_path: Path) -> None:
    # onnxruntime: [2000] strings, one of 200 000 spaces -> [2000, 200 001]: 12.8 GB requested
    strs = [" " * 200_000] + ["a"] * 1999
    assert _scan(tmp_path, _strings("StringSplit", strs, [], [], delimiter=" "))
    assert _scan(tmp_path, _strings("Tokenizer", ["b" * 200_000] + ["a"] * 1999, [], [],
                                    mark=0, pad_value="#", mincharnum=1, tokenexp="."))  # fmt: skip
    # under a maxsplit the rows are bounded: a small split stays clean
    assert not _scan(tmp_path, _strings("StringSplit", ["a b", "c d"], [], [], delimiter=" ",
                                        maxsplit=1))  # fmt: skip


def test_string_concat_broadcasting_a_long_string_is_not_bounded(tmp_path: Path) -> None:
    # onnxruntime: 200 000 x one 100 000-char string -> 20 GB of text (the walk saw 3 MB)
    long = nh.from_array(np.array(["b" * 100_000], dtype=object), "t")
    assert _scan(tmp_path, _strings("StringConcat", ["a"] * 200_000, [long], ["t"]))
    # equal shapes: StringConcat(w, w) doubles the text; 22 steps of 1 KiB -> 4 GiB
    nodes = [h.make_node("Greater", ["x", "zero"], ["c"]),
             h.make_node("Where", ["c", "s", "s"], ["w0"])]  # fmt: skip
    nodes += [h.make_node("StringConcat", [f"w{i}", f"w{i}"], [f"w{i + 1}"]) for i in range(22)]
    nodes.append(h.make_node("Identity", ["w22"], ["out"]))
    y = h.make_tensor_value_info("out", T.STRING, None)
    inits = [_f("zero", [0.0]), nh.from_array(np.array(["b" * 1024], dtype=object), "s")]
    m = h.make_model(h.make_graph(nodes, "g", [X1], [y], initializer=inits),
                     opset_imports=[h.make_opsetid("", 20)])  # fmt: skip
    m.ir_version = 10
    assert _scan(tmp_path, m)
