"""rt21fmt: operators outside the ONNX folding table, rank chains through other operators,
graphs out of order, function calls over constants, and Python-running operators. Each
attack form made onnxruntime 1.32 allocate 2-4 GiB at InferenceSession or at the first run
(oracle: /tmp/rt21fmt/oracle.py, RELIABILITY.md session 20) and was allowed before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

from airlock.scan.engine import run_handler
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.interface import ScanContext, Source

N = 16383  # N * N floats: just under onnxruntime's 1 GiB per folded tensor
BIG = (1 << 28) - 4096


def _scan(tmp_path: Path, m: onnx.ModelProto) -> list[str]:
    p = tmp_path / "m.onnx"
    onnx.save(m, p)
    src = Source(p.read_bytes(), p)
    out = run_handler(OnnxHandler(), src, ScanContext(str(p), fs_path=p))
    return sorted({f.rule_id for f in out.findings})


def _model(
    nodes: list[onnx.NodeProto],
    inits: list[onnx.TensorProto],
    used: list[str],
    opsets: list[onnx.OperatorSetIdProto] | None = None,
    functions: list[onnx.FunctionProto] | None = None,
) -> onnx.ModelProto:
    """y = x + the max of each tensor in ``used`` (so every one is needed)."""
    nodes = list(nodes)
    reduced = []
    for k, c in enumerate(used):
        nodes.append(h.make_node("ReduceMax", [c], [f"red{k}"], keepdims=0))
        reduced.append(f"red{k}")
    nodes.append(h.make_node("Sum", ["x", *reduced], ["y"]))
    x = h.make_tensor_value_info("x", T.FLOAT, [1])
    y = h.make_tensor_value_info("y", T.FLOAT, None)
    graph = h.make_graph(nodes, "g", [x], [y], inits)
    m = h.make_model(
        graph,
        opset_imports=opsets or [h.make_opsetid("", 17)],
        functions=functions or [],
    )
    m.ir_version = 8
    return m


def _fill(k: int) -> onnx.TensorProto:
    return h.make_tensor("v", T.FLOAT, [1], [float(k + 1)])


def _einsum(n: int) -> onnx.ModelProto:  # 645 ** 3 floats each (4,153 MiB at session)
    inits, nodes = [], []
    for k in range(3):
        inits += [
            nh.from_array(np.full(n, k + j, np.float32), f"{a}{k}") for j, a in enumerate("abe")
        ]
        nodes.append(
            h.make_node("Einsum", [f"a{k}", f"b{k}", f"e{k}"], [f"c{k}"], equation="i,j,k->ijk")
        )
    return _model(nodes, inits, ["c0", "c1", "c2"])


def _conv(op: str, n: int) -> onnx.ModelProto:  # pads / strides of n (4,150 MiB at session)
    side = 1 if op == "Conv" else 2
    inits = [nh.from_array(np.ones((1, 1, side, side), np.float32), "X")]
    nodes = []
    for k in range(3):
        inits.append(nh.from_array(np.full((1, 1, 1, 1), k + 1, np.float32), f"w{k}"))
        attrs = {"pads": [0, 0, n - 1, n - 1]} if op == "Conv" else {"strides": [n - 1, n - 1]}
        nodes.append(h.make_node(op, ["X", f"w{k}"], [f"c{k}"], **attrs))
    return _model(nodes, inits, ["c0", "c1", "c2"])


def _nonzero(n: int) -> onnx.ModelProto:  # NonZero of a folded bool: 3,064 MiB at the run
    nodes, inits = [], []
    for k in range(3):
        inits.append(nh.from_array(np.array([n - k], np.int64), f"s{k}"))
        nodes += [
            h.make_node(
                "ConstantOfShape",
                [f"s{k}"],
                [f"b{k}"],
                value=h.make_tensor("v", T.BOOL, [1], [True]),
            ),
            h.make_node("NonZero", [f"b{k}"], [f"n{k}"]),
            h.make_node("Cast", [f"n{k}"], [f"c{k}"], to=T.FLOAT),
        ]
    return _model(nodes, inits, ["c0", "c1", "c2"])


def _fused(n: int) -> onnx.ModelProto:  # com.microsoft FusedMatMul: 1,144 MiB at the run
    ms = [h.make_opsetid("", 17), h.make_opsetid("com.microsoft", 1)]
    nodes = [
        h.make_node("ConstantOfShape", ["sc"], ["col"], value=_fill(0)),
        h.make_node("ConstantOfShape", ["sr"], ["row"], value=_fill(0)),
    ]
    nodes += [
        h.make_node(
            "FusedMatMul", ["col", "row"], [f"c{k}"], domain="com.microsoft", alpha=float(k + 1)
        )
        for k in range(3)
    ]
    inits = [
        nh.from_array(np.array([n, 1], np.int64), "sc"),
        nh.from_array(np.array([1, n], np.int64), "sr"),
    ]
    return _model(nodes, inits, ["c0", "c1", "c2"], opsets=ms)


def _shape_op(op: str, n: int) -> onnx.ModelProto:  # ConstantOfShape(Neg([-n])): 4,151 MiB
    nodes, inits = [], [nh.from_array(np.array([2], np.int64), "two")]
    for k in range(3):
        v = -(n - k) if op == "Neg" else 2 * (n - k)
        inits.append(nh.from_array(np.array([v], np.int64), f"s{k}"))
        args = [f"s{k}"] if op == "Neg" else [f"s{k}", "two"]
        nodes += [
            h.make_node(op, args, [f"p{k}"]),
            h.make_node("ConstantOfShape", [f"p{k}"], [f"c{k}"], value=_fill(k)),
        ]
    return _model(nodes, inits, ["c0", "c1", "c2"])


def _random(n: int) -> onnx.ModelProto:  # not folded, made at each run: 1,144 MiB
    nodes = [
        h.make_node("RandomNormal", [], [f"c{k}"], shape=[n, n], seed=float(k)) for k in range(3)
    ]
    return _model(nodes, [], ["c0", "c1", "c2"])


def _loop(op: str, n: int, outputs: int = 1, cond: str = "cond") -> onnx.ModelProto:
    """Loop of n iterations / Scan over a constant [n], each iteration's scan output a [n]
    ConstantOfShape: 2,204 MiB (Loop) / 2,199 MiB (Scan, 2 outputs) at the first run. With
    ``cond`` "x" the Loop's condition is the graph input (not all constant)."""
    made = [
        h.make_node("ConstantOfShape", ["bs"], [f"sc{j}"], value=_fill(j)) for j in range(outputs)
    ]
    outs = [h.make_tensor_value_info(f"sc{j}", T.FLOAT, [n]) for j in range(outputs)]
    bs = [nh.from_array(np.array([n], np.int64), "bs")]
    if op == "Loop":
        ins = [
            h.make_tensor_value_info("i", T.INT64, []),
            h.make_tensor_value_info("cin", T.BOOL, []),
        ]
        body = h.make_graph(
            [h.make_node("Identity", ["cin"], ["cout"]), *made],
            "body",
            ins,
            [h.make_tensor_value_info("cout", T.BOOL, []), *outs],
            bs,
        )
        node = h.make_node("Loop", ["M", cond], [f"c{j}" for j in range(outputs)], body=body)
        inits = [nh.from_array(np.array(n, np.int64), "M"), nh.from_array(np.array(True), "cond")]
    else:
        body = h.make_graph(made, "body", [h.make_tensor_value_info("e", T.FLOAT, [])], outs, bs)
        node = h.make_node(
            "Scan", ["sin"], [f"c{j}" for j in range(outputs)], body=body, num_scan_inputs=1
        )
        inits = [nh.from_array(np.zeros(n, np.float32), "sin")]
        if cond == "x":  # the scanned sequence is the graph input
            inits = []
            node.input[0] = "x"
    m = _model([node], inits, [f"c{j}" for j in range(outputs)])
    if cond == "x" and op == "Loop":
        m.graph.input.append(h.make_tensor_value_info("x_cond", T.BOOL, []))
        m.graph.node[0].input[1] = "x_cond"
    return m


ATTACKS: dict[str, Callable[[], onnx.ModelProto]] = {
    "Einsum": lambda: _einsum(645),
    "Conv": lambda: _conv("Conv", N),
    "ConvTranspose": lambda: _conv("ConvTranspose", N),
    "NonZero": lambda: _nonzero((1 << 27) - 4096),
    "FusedMatMul": lambda: _fused(N),
    "Neg": lambda: _shape_op("Neg", BIG),
    "Div": lambda: _shape_op("Div", BIG),
    "RandomNormal": lambda: _random(N),
    "Loop": lambda: _loop("Loop", N),
    "Scan": lambda: _loop("Scan", N, outputs=2),
}
HONEST: dict[str, Callable[[], onnx.ModelProto]] = {
    "Einsum": lambda: _einsum(64),
    "Conv": lambda: _conv("Conv", 64),
    "ConvTranspose": lambda: _conv("ConvTranspose", 64),
    "NonZero": lambda: _nonzero(4096),
    "FusedMatMul": lambda: _fused(256),
    "Neg": lambda: _shape_op("Neg", 4096),
    "Div": lambda: _shape_op("Div", 4096),
    "RandomNormal": lambda: _random(64),
    "Loop": lambda: _loop("Loop", 64, cond="x"),
    "Scan": lambda: _loop("Scan", 64, outputs=2, cond="x"),
}


@pytest.mark.parametrize("op", sorted(ATTACKS))
def test_operators_outside_the_old_folding_table_are_counted(tmp_path: Path, op: str) -> None:
    assert _scan(tmp_path, ATTACKS[op]()) == ["AIR-ONNX-009"]


@pytest.mark.parametrize("op", sorted(HONEST))
def test_small_uses_of_the_same_operators_are_clean(tmp_path: Path, op: str) -> None:
    assert _scan(tmp_path, HONEST[op]()) == []


def _unjudged(form: str) -> onnx.ModelProto:
    if form == "if-output":  # an If on a constant condition gives the shape: 4,151 MiB

        def branch(name: str) -> onnx.GraphProto:
            c = h.make_node("Constant", [], [name], value=nh.from_array(np.array([BIG], np.int64)))
            return h.make_graph([c], name, [], [h.make_tensor_value_info(name, T.INT64, [1])])

        nodes = [
            h.make_node("If", ["cond"], ["s"], then_branch=branch("a"), else_branch=branch("b"))
        ]
        nodes += [
            h.make_node("ConstantOfShape", ["s"], [f"c{k}"], value=_fill(k)) for k in range(3)
        ]
        return _model(nodes, [nh.from_array(np.array(True), "cond")], ["c0", "c1", "c2"])
    if form == "opaque-broadcast":  # a column of unknown shape + a row: 4,152 MiB
        sq = nh.from_array(np.array([float(N) ** 2, 1.0], np.float32), "sq")
        vec = nh.from_array(np.ones(N, np.float32), "vec")
        rows = [nh.from_array(np.full((1, N), k + 1, np.float32), f"row{k}") for k in range(3)]
        nodes = [
            h.make_node("Sqrt", ["sq"], ["rt"]),
            h.make_node("Cast", ["rt"], ["shp"], to=T.INT64),
            h.make_node("Reshape", ["vec", "shp"], ["col"]),
        ]
        nodes += [h.make_node("Add", ["col", f"row{k}"], [f"c{k}"]) for k in range(3)]
        return _model(nodes, [sq, vec, *rows], ["c0", "c1", "c2"])
    if form == "loop-iteration":  # scan output Expand(iteration number, [n]): 2,204 MiB
        ins = [
            h.make_tensor_value_info("i", T.INT64, []),
            h.make_tensor_value_info("cin", T.BOOL, []),
        ]
        body = h.make_graph(
            [
                h.make_node("Identity", ["cin"], ["cout"]),
                h.make_node("Cast", ["i"], ["fi"], to=T.FLOAT),
                h.make_node("Expand", ["fi", "bs"], ["sc"]),
            ],
            "body",
            ins,
            [
                h.make_tensor_value_info("cout", T.BOOL, []),
                h.make_tensor_value_info("sc", T.FLOAT, [N]),
            ],
            [nh.from_array(np.array([N], np.int64), "bs")],
        )
        x = h.make_tensor_value_info("x", T.BOOL, [])
        loop = h.make_node("Loop", ["M", "x"], ["c0"], body=body)
        graph = h.make_graph(
            [loop],
            "g",
            [x],
            [h.make_tensor_value_info("c0", T.FLOAT, None)],
            [nh.from_array(np.array(N, np.int64), "M")],
        )
        return h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])
    # an operator the table does not know, over constants (here Col2Im to [n, n])
    cols = nh.from_array(np.ones((1, 1, 1), np.float32), "cols")
    image = nh.from_array(np.array([N, N], np.int64), "image")
    block = nh.from_array(np.array([1, 1], np.int64), "block")
    node = h.make_node("Col2Im", ["cols", "image", "block"], ["c0"], pads=[0, 0, 0, 0])
    return _model([node], [cols, image, block], ["c0"], opsets=[h.make_opsetid("", 18)])


@pytest.mark.parametrize("form", ["if-output", "opaque-broadcast", "loop-iteration", "unknown-op"])
def test_nodes_over_constants_the_table_cannot_judge_fail_closed(tmp_path: Path, form: str) -> None:
    assert _scan(tmp_path, _unjudged(form)) == ["AIR-ONNX-009"]


def test_torch_expand_minus_one_pattern_stays_clean(tmp_path: Path) -> None:
    """torch.onnx's expand(-1): Where(Equal(shape, -1), ConstantOfShape(...), shape), all
    constants in a traced export (the first draft of the fail-closed rule denied it)."""
    nodes = [
        h.make_node(
            "Constant", [], ["src"], value=nh.from_array(np.arange(7, dtype=np.int64)[None])
        ),
        h.make_node("Constant", [], ["shape"], value=nh.from_array(np.array([2, -1], np.int64))),
        h.make_node("Constant", [], ["two"], value=nh.from_array(np.array([2], np.int64))),
        h.make_node(
            "ConstantOfShape", ["two"], ["ones"], value=nh.from_array(np.array([1], np.int64))
        ),
        h.make_node("Constant", [], ["m1"], value=nh.from_array(np.array(-1, np.int64))),
        h.make_node("Mul", ["ones", "m1"], ["neg"]),
        h.make_node("Equal", ["shape", "neg"], ["eq"]),
        h.make_node("Where", ["eq", "ones", "shape"], ["fixed"]),
        h.make_node("Expand", ["src", "fixed"], ["e"]),
        h.make_node("Cast", ["e"], ["c0"], to=T.FLOAT),
    ]
    assert _scan(tmp_path, _model(nodes, [], ["c0"])) == []


def test_function_called_over_constants_is_folded_per_call(tmp_path: Path) -> None:
    """A body making ConstantOfShape of its input, called 3 times on constant shapes: inlined
    and folded by onnxruntime (4,151 MiB); the body alone has no constant to follow."""
    fn = h.make_function(
        "loc",
        "mk",
        ["s"],
        ["o"],
        [h.make_node("ConstantOfShape", ["s"], ["o"], value=_fill(0))],
        [h.make_opsetid("", 17)],
    )
    opsets = [h.make_opsetid("", 17), h.make_opsetid("loc", 1)]
    for size, expected in ((BIG, ["AIR-ONNX-009"]), (4096, [])):
        nodes = [h.make_node("mk", [f"s{k}"], [f"c{k}"], domain="loc") for k in range(3)]
        inits = [nh.from_array(np.array([size - k], np.int64), f"s{k}") for k in range(3)]
        m = _model(nodes, inits, ["c0", "c1", "c2"], opsets=opsets, functions=[fn])
        assert _scan(tmp_path, m) == expected


def test_nodes_out_of_order_fail_closed(tmp_path: Path) -> None:
    """onnxruntime sorts the nodes itself: 3 ConstantOfShape behind a reversed Identity chain
    took 4,151 MiB; the checks follow the file's order."""
    nodes = [h.make_node("Identity", ["s"], ["t"]), h.make_node("Identity", ["t"], ["u"])]
    nodes += [h.make_node("ConstantOfShape", ["u"], [f"c{k}"], value=_fill(k)) for k in range(3)]
    shape = [nh.from_array(np.array([BIG], np.int64), "s")]
    assert _scan(tmp_path, _model(nodes, shape, ["c0", "c1", "c2"])) == ["AIR-ONNX-009"]
    m = _model(nodes, shape, ["c0", "c1", "c2"])
    m.graph.node.reverse()
    assert _scan(tmp_path, m) == ["AIR-ONNX-009"]
    small = [nh.from_array(np.array([64], np.int64), "s")]
    assert _scan(tmp_path, _model(nodes, small, ["c0", "c1", "c2"])) == []


def _rank_chain(form: str, grow: int) -> onnx.ModelProto:
    """Gathers that double a rank, around another operator the check did not follow; each full
    form took 3.5 GB and bad_alloc at InferenceSession under a 4 GiB limit."""

    def gathers(p: str, a: str, n: int) -> list[onnx.NodeProto]:
        names = [a] + [f"{p}{i + 1}" for i in range(n)]
        return [h.make_node("Gather", [names[i], names[i]], [names[i + 1]]) for i in range(n)]

    inits = [
        nh.from_array(np.array([0], np.int64), "ax0"),
        nh.from_array(np.array([1], np.int64), "one"),
        nh.from_array(np.array([1, 1], np.int64), "sh11"),
    ]
    x = h.make_tensor_value_info("x", T.INT64, [1, 1])
    if form == "GatherND":
        x = h.make_tensor_value_info("x", T.INT64, [1, 1, 1])
        names = ["x"] + [f"s{i + 1}" for i in range(grow)]
        nodes = [h.make_node("GatherND", [names[i], names[i]], [names[i + 1]]) for i in range(grow)]
    elif form == "no-rank":
        x = h.make_tensor_value_info("x", T.INT64, None)
        nodes = [h.make_node("Reshape", ["x", "sh11"], ["s0"]), *gathers("s", "s0", grow)]
    else:
        mid = {
            "Abs": [h.make_node("Abs", ["s5"], ["t0"])],
            "Squeeze": [
                h.make_node("Unsqueeze", ["s5", "ax0"], ["u"]),
                h.make_node("Squeeze", ["u", "ax0"], ["t0"]),
            ],
            "MatMul": [h.make_node("MatMul", ["s5", "s5"], ["t0"])],
            "OneHot": [
                h.make_node("OneHot", ["s5", "one", "sh11"], ["o"]),
                h.make_node("Squeeze", ["o", "ax0"], ["t0"]),
            ],
            "Flatten": [h.make_node("Flatten", ["s5"], ["t0"], axis=0)],
        }[form]
        nodes = [*gathers("s", "x", 5), *mid, *gathers("t", "t0", grow)]
    last = nodes[-1].output[0]
    graph = h.make_graph(nodes, "g", [x], [h.make_tensor_value_info(last, T.INT64, None)], inits)
    return h.make_model(graph, opset_imports=[h.make_opsetid("", 17)])


@pytest.mark.parametrize(
    ("form", "grow"),
    [
        ("GatherND", 26),
        ("no-rank", 26),
        ("Abs", 21),
        ("Squeeze", 21),
        ("MatMul", 21),
        ("OneHot", 21),
        ("Flatten", 26),
    ],
)
def test_rank_doubling_through_other_operators_is_outsized(
    tmp_path: Path, form: str, grow: int
) -> None:
    assert _scan(tmp_path, _rank_chain(form, grow)) == ["AIR-ONNX-009"]
    small = 1 if form in ("GatherND", "no-rank", "Flatten") else 0
    assert _scan(tmp_path, _rank_chain(form, small)) == []  # rank 64 at most


@pytest.mark.parametrize(
    ("op", "domain"),
    [("PythonOp", "com.microsoft"), ("PythonOpGrad", "com.microsoft"), ("PyOp", "ai.onnx.contrib")],
)
def test_operators_that_run_python_are_critical(tmp_path: Path, op: str, domain: str) -> None:
    """onnxruntime-training's PythonOp calls the Python function ``func_name`` names (the
    inference build refuses the node); onnxruntime-extensions' PyOp a registered one."""
    node = h.make_node(op, ["x"], ["ctx", "y"], domain=domain, func_name="os.system")
    graph = h.make_graph(
        [node],
        "g",
        [h.make_tensor_value_info("x", T.FLOAT, [1])],
        [h.make_tensor_value_info("y", T.FLOAT, [1])],
    )
    m = h.make_model(graph, opset_imports=[h.make_opsetid("", 17), h.make_opsetid(domain, 1)])
    assert "AIR-ONNX-010" in _scan(tmp_path, m)


def _with_sparse(m: onnx.ModelProto) -> onnx.ModelProto:
    """One unused 4-element sparse initializer (16 bytes dense)."""
    vals = h.make_tensor("spv", T.FLOAT, [1], [1.0])
    idx = h.make_tensor("spv_i", T.INT64, [1], [0])
    m.graph.sparse_initializer.extend([h.make_sparse_tensor(vals, idx, [4])])
    return m


@pytest.mark.parametrize("form", ["if-output", "opaque-broadcast", "loop-iteration", "unknown-op"])
def test_a_small_sparse_tensor_does_not_skip_the_unjudged_and_rank_checks(
    tmp_path: Path, form: str
) -> None:
    """review21: with any sparse tensor in the model, the unjudged-node and outsized-rank
    checks were skipped (a 16-byte sparse initializer let every rt21fmt attack through)."""
    assert _scan(tmp_path, _with_sparse(_unjudged(form))) == ["AIR-ONNX-009"]
    assert _scan(tmp_path, _with_sparse(_rank_chain("GatherND", 26))) == ["AIR-ONNX-009"]
    assert _scan(tmp_path, _with_sparse(_rank_chain("GatherND", 1))) == []


def _nchwc_upsample(over_input: bool) -> onnx.ModelProto:
    """3 com.microsoft.nchwc Upsample by 2,040 of a [1, 16, 2, 2] tensor: over a constant,
    1,135 MiB at onnxruntime 1.32's first run (review21)."""
    x4 = nh.from_array(np.ones((1, 16, 2, 2), np.float32), "X")
    src = "x4" if over_input else "X"
    nodes = [
        h.make_node("Upsample", [src], [f"c{k}"], domain="com.microsoft.nchwc",
                    scales=[1, 1, 2040, 2040], mode="nearest")
        for k in range(3)
    ]  # fmt: skip
    if over_input:
        nodes.insert(0, h.make_node("Expand", ["x", "shape4"], ["x4"]))
        x4 = nh.from_array(np.array([1, 16, 2, 2], np.int64), "shape4")
    opsets = [h.make_opsetid("", 17), h.make_opsetid("com.microsoft.nchwc", 1)]
    return _model(nodes, [x4], ["c0", "c1", "c2"], opsets=opsets)


def test_standard_but_unfolded_domains_over_constants_fail_closed(tmp_path: Path) -> None:
    """review21: nodes of com.microsoft.nchwc (and the other domains the handler takes as
    standard) were skipped as if custom, which the handler does not report for them."""
    assert _scan(tmp_path, _nchwc_upsample(False)) == ["AIR-ONNX-009"]
    # over the graph's input: not folded, but made at the first run (1 GiB each); rt23onnx: the
    # run walk does not size these domains' operators and fails closed on them
    assert _scan(tmp_path, _nchwc_upsample(True)) == ["AIR-ONNX-009"]
