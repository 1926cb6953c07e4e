"""A TFLite run's tensors are sized (session 23, gate24: AIR-TFL-003).

rt23tf left run-time cost open for TFLite: a FILL to a constant [2^29] declared [1], a
BROADCAST_TO / TILE of a [1] input to 2^29 floats, and a declared 2^28-float input took 1-2 GiB
at the first ``invoke`` in ai-edge-litert 2.3.0 and were allowed. The graphs are built here with
the flatbuffers builder of ``test_tflite_shapes``; nothing is run.
"""

from __future__ import annotations

import struct

import pytest

from airlock.scan.engine import scan_data
from tests.scan_formats.test_tflite_shapes import Graph, Op, conv_options, floats, i32
from tests.scan_formats.test_tflite_stock import F32, I32

ADD, CONV, FC, RESHAPE, FILL, BCAST, TILE = 0, 3, 9, 22, 94, 130, 69
SHAPE, STRIDED_SLICE, PACK, RANGE, PAD, BCAST_ARGS = 77, 45, 83, 96, 34, 145
REDUCE_MAX, MAXIMUM, MUL = 82, 55, 18
G = 1 << 29  # 2 GiB of float32
SHAPE_OPTIONS = (55, [("u8", 0, 2)])  # out_type int32
SHRINK_0 = (32, [("i32", 4, 1)])  # StridedSliceOptions.shrink_axis_mask = 1
PACK_2 = (59, [("i32", 0, 2)])  # PackOptions.values_count = 2


def _attack(form: str) -> Graph:
    if form == "fill_const":  # declared [1]
        return Graph([(FILL, None)], [([1], I32, i32(G)), ([], F32, None), ([1], F32, None)],
                     [Op(0, [0, 1], [2])], [1], [2])  # fmt: skip
    if form in ("broadcast_to", "tile"):
        code = BCAST if form == "broadcast_to" else TILE
        return Graph([(code, None)], [([1], F32, None), ([1], I32, i32(G)), ([1], F32, None)],
                     [Op(0, [0, 1], [2])], [0], [2])  # fmt: skip
    if form == "big_input":  # a declared input of 2^28 floats
        return Graph([(ADD, None)], [([G // 2], F32, None), ([G // 2], F32, None)],
                     [Op(0, [0, 0], [1])], [0], [1])  # fmt: skip
    if form == "fill_computed":  # dims ADD(2^28, 2^28) at run time
        return Graph([(ADD, None), (FILL, None)],
                     [([1], I32, i32(1 << 28)), ([1], I32, None), ([], F32, None),
                      ([1], F32, None)],
                     [Op(0, [0, 0], [1]), Op(1, [1, 2], [3])], [2], [3])  # fmt: skip
    if form == "fill_fed_plus_constant":  # an input size plus 2^29: not the caller's alone
        return Graph([(ADD, None), (FILL, None)],
                     [([1], I32, None), ([1], I32, i32(G)), ([1], I32, None), ([], F32, None),
                      ([1], F32, None)],
                     [Op(0, [0, 1], [2]), Op(1, [2, 3], [4])], [0, 3], [4])  # fmt: skip
    if form == "range":
        return Graph([(RANGE, None)],
                     [([], I32, i32(0)), ([], I32, i32(G)), ([], I32, i32(1)), ([1], I32, None)],
                     [Op(0, [0, 1, 2], [3])], [], [3])  # fmt: skip
    if form == "range_fed_start":  # review24: range(x, 2^30, 1): 4 GiB at x = 0 (invoke)
        return Graph([(RANGE, None)],
                     [([], I32, None), ([], I32, i32(1 << 30)), ([], I32, i32(1)),
                      ([1], I32, None)],
                     [Op(0, [0, 1, 2], [3])], [0], [3])  # fmt: skip
    if form == "range_fed_tiny_step":  # range(0, x, 4e-9): x = 1.0 made 2.5e8 floats (1.9 GB)
        return Graph([(RANGE, None)],
                     [([], F32, struct.pack("<f", 0.0)), ([], F32, None),
                      ([], F32, struct.pack("<f", 4e-9)), ([1], F32, None)],
                     [Op(0, [0, 1, 2], [3])], [1], [3])  # fmt: skip
    if form == "fill_fed_times_64_five_times":  # review24: a fed 1 made 2^30 floats (4 GiB)
        tensors = [([1], I32, None), ([1], I32, i32(64))] + [([1], I32, None)] * 5
        ops = [Op(0, [0 if j == 0 else j + 1, 1], [j + 2]) for j in range(5)]
        return Graph([(MUL, None), (FILL, None)],
                     [*tensors, ([], F32, None), ([1], F32, None)],
                     [*ops, Op(1, [6, 7], [8])], [0, 7], [8])  # fmt: skip
    if form == "fill_fed_packed_with_big_dims":  # review24: PACK(n, 65536, 65536): 2^32 n
        return Graph([(PACK, None), (FILL, None)],
                     [([], I32, None), ([], I32, i32(1 << 16)), ([3], I32, None),
                      ([], F32, None), ([1, 1, 1], F32, None)],
                     [Op(0, [0, 1, 1], [2], (59, [("i32", 0, 3)])), Op(1, [2, 3], [4])],
                     [0, 3], [4])  # fmt: skip
    assert form == "pad"
    return Graph([(PAD, None)],
                 [([1], F32, None), ([1, 2], I32, i32(0, G)), ([1], F32, None)],
                 [Op(0, [0, 1], [2])], [0], [2])  # fmt: skip


ATTACKS = ["fill_const", "broadcast_to", "tile", "big_input", "fill_computed",
           "fill_fed_plus_constant", "range", "range_fed_tiny_step", "pad",
           "fill_fed_times_64_five_times", "fill_fed_packed_with_big_dims",
           "range_fed_start"]  # fmt: skip


def _rules(g: Graph) -> list[str]:
    out = scan_data(g.build(), "m.tflite")
    return sorted({f.rule_id for f in out.findings})


@pytest.mark.parametrize("form", ATTACKS)
def test_run_time_bombs_are_denied(form: str) -> None:
    assert _rules(_attack(form)) == ["AIR-TFL-003"]


def _honest(form: str) -> Graph:
    if form == "convnet":  # [1, 32, 32, 3] -> conv -> reshape -> fully connected
        return Graph(
            [(CONV, None), (RESHAPE, None), (FC, None)],
            [([1, 32, 32, 3], F32, None), ([8, 3, 3, 3], F32, floats(8, 3, 3, 3)),
             ([8], F32, floats(8)), ([1, 16, 16, 8], F32, None), ([2], I32, i32(1, 2048)),
             ([1, 2048], F32, None), ([10, 2048], F32, floats(10, 2048)),
             ([10], F32, floats(10)), ([1, 10], F32, None)],
            [Op(0, [0, 1, 2], [3], conv_options(2)), Op(1, [3, 4], [5]), Op(2, [5, 6, 7], [8])],
            [0], [8],
        )  # fmt: skip
    if form == "fill_small":  # FILL [4, 8] + BROADCAST_TO of the input to [4, 8]
        return Graph([(FILL, None), (BCAST, None), (ADD, None)],
                     [([2], I32, i32(4, 8)), ([], F32, None), ([4, 8], F32, None),
                      ([1], F32, None), ([4, 8], F32, None), ([4, 8], F32, None)],
                     [Op(0, [0, 1], [2]), Op(1, [3, 0], [4]), Op(2, [2, 4], [5])],
                     [1, 3], [5])  # fmt: skip
    if form == "dynamic_batch":  # FILL([batch, 16]) from SHAPE / STRIDED_SLICE / PACK
        return Graph(
            [(SHAPE, None), (STRIDED_SLICE, None), (PACK, None), (FILL, None)],
            [([1, 16], F32, None), ([2], I32, None), ([1], I32, i32(0)), ([1], I32, i32(1)),
             ([1], I32, i32(1)), ([], I32, None), ([], I32, i32(16)), ([2], I32, None),
             ([], F32, None), ([1, 16], F32, None)],
            [Op(0, [0], [1], SHAPE_OPTIONS), Op(1, [1, 2, 3, 4], [5], SHRINK_0),
             Op(2, [5, 6], [7], PACK_2), Op(3, [7, 8], [9])],
            [0, 8], [9], signatures={0: [-1, 16]},
        )  # fmt: skip
    if form == "pad_small":  # PAD by a [2, 2] constant (rank 2: read flat)
        pads = ([2, 2], I32, i32(1, 1, 2, 2))
        return Graph([(PAD, None)], [([4, 4], F32, None), pads, ([6, 8], F32, None)],
                     [Op(0, [0, 1], [2])], [0], [2])  # fmt: skip
    if form == "broadcast_args":  # tf.broadcast_to(x, tf.broadcast_dynamic_shape(...))
        return Graph([(SHAPE, None), (BCAST_ARGS, None), (BCAST, None)],
                     [([2, 1], F32, None), ([1, 3], F32, None), ([2], I32, None),
                      ([2], I32, None), ([2], I32, None), ([2, 3], F32, None)],
                     [Op(0, [0], [2], SHAPE_OPTIONS), Op(0, [1], [3], SHAPE_OPTIONS),
                      Op(1, [2, 3], [4]), Op(2, [0, 4], [5])], [0, 1], [5])  # fmt: skip
    if form == "sequence_mask":  # tf.sequence_mask(lengths): RANGE(0, max(max(n), 0), 1)
        return Graph([(REDUCE_MAX, None), (MAXIMUM, None), (RANGE, None)],
                     [([4], I32, None), ([1], I32, i32(0)), ([], I32, i32(0)), ([], I32, i32(1)),
                      ([], I32, None), ([], I32, None), ([1], I32, None)],
                     [Op(0, [0, 1], [4]), Op(1, [4, 2], [5]), Op(2, [2, 5, 3], [6])],
                     [0], [6])  # fmt: skip
    if form == "range_plus_one":  # tf.range(n + 1)
        return Graph([(ADD, None), (RANGE, None)],
                     [([], I32, None), ([], I32, i32(0)), ([], I32, i32(1)), ([], I32, None),
                      ([1], I32, None)],
                     [Op(0, [0, 2], [3]), Op(1, [1, 3, 2], [4])], [0], [4])  # fmt: skip
    if form == "fed_times_two_packed":  # FILL([2 * n, 16, 16]): the caller's, scaled a little
        return Graph([(MUL, None), (PACK, None), (FILL, None)],
                     [([], I32, None), ([], I32, i32(2)), ([], I32, None), ([], I32, i32(16)),
                      ([3], I32, None), ([], F32, None), ([1, 16, 16], F32, None)],
                     [Op(0, [0, 1], [2]), Op(1, [2, 3, 3], [4], (59, [("i32", 0, 3)])),
                      Op(2, [4, 5], [6])], [0, 5], [6])  # fmt: skip
    assert form == "fed_size"  # FILL to a size the application feeds: the caller's
    return Graph([(FILL, None)], [([2], I32, None), ([], F32, None), ([1, 1], F32, None)],
                 [Op(0, [0, 1], [2])], [0, 1], [2])  # fmt: skip


HONEST = ["convnet", "fill_small", "dynamic_batch", "pad_small", "broadcast_args",
          "sequence_mask", "range_plus_one", "fed_size", "fed_times_two_packed"]  # fmt: skip


@pytest.mark.parametrize("form", HONEST)
def test_honest_graphs_stay_clean(form: str) -> None:
    assert _rules(_honest(form)) == []


def test_a_size_from_an_operator_not_followed_fails_closed() -> None:
    # FILL dims from a FULLY_CONNECTED output (values not followed): not judged -> denied
    g = Graph([(FC, None), (FILL, None)],
              [([1, 2], F32, None), ([2, 2], F32, floats(2, 2)), ([1, 2], I32, None),
               ([], F32, None), ([1, 1], F32, None)],
              [Op(0, [0, 1], [2]), Op(1, [2, 3], [4])], [0, 3], [4])  # fmt: skip
    out = scan_data(g.build(), "m.tflite")
    assert [f.rule_id for f in out.findings] == ["AIR-TFL-003"]
    assert "not judged" in out.findings[0].evidence


def _while_model(limit: int, step: int = 1, cmp: str = "LESS", wrap: str = "") -> bytes:
    """tf.while_loop(lambda i, a: i CMP limit, lambda i, a: (i + step, a + 1.0), [0, x]) in
    the layout TensorFlow 2.21's converter writes (main, cond and body subgraphs)."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as s

    m = s.ModelT()
    m.version = 3
    ops = [s.BuiltinOperator.WHILE, getattr(s.BuiltinOperator, cmp), s.BuiltinOperator.ADD,
           s.BuiltinOperator.LOGICAL_AND]
    m.operatorCodes = []
    for b in ops:
        c = s.OperatorCodeT()
        c.builtinCode, c.deprecatedBuiltinCode, c.version = b, min(b, 127), 1
        m.operatorCodes.append(c)
    m.buffers = [s.BufferT()]

    def tensor(shape: list[int], ttype: int, data: bytes | None = None) -> object:
        t = s.TensorT()
        t.shape, t.type, t.buffer = shape, ttype, 0
        if data is not None:
            buf = s.BufferT()
            buf.data = list(data)
            m.buffers.append(buf)
            t.buffer = len(m.buffers) - 1
        return t

    def op(code: int, ins: list[int], outs: list[int]) -> object:
        o = s.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = code, ins, outs
        return o

    def graph(tensors: list[object], ops_: list[object], ins: list[int], outs: list[int]) -> object:
        g = s.SubGraphT()
        g.tensors, g.operators, g.inputs, g.outputs = tensors, ops_, ins, outs
        return g

    main_while = op(0, [1, 0], [2, 3])
    main_while.builtinOptionsType = s.BuiltinOptions.WhileOptions
    opts = s.WhileOptionsT()
    opts.condSubgraphIndex, opts.bodySubgraphIndex = 1, 2
    main_while.builtinOptions = opts
    main = graph([tensor([1], F32), tensor([], I32, i32(0)), tensor([], I32), tensor([1], F32)],
                 [main_while], [0], [3])  # fmt: skip
    cond = graph([tensor([], I32), tensor([1], F32), tensor([], I32, i32(limit)),
                  tensor([], 6)], [op(1, [0, 2], [3])], [0, 1], [3])  # fmt: skip
    if wrap == "and":  # review24: LOGICAL_AND(i < limit, i < limit)
        cond.tensors.append(tensor([], 6))
        cond.operators.append(op(3, [3, 3], [4]))
        cond.outputs = [4]
    elif wrap == "add0":  # review24: (i + 0) < limit
        cond.tensors += [tensor([], I32, i32(0)), tensor([], I32)]
        cond.operators = [op(2, [0, 4], [5]), op(1, [5, 2], [3])]
    body = graph([tensor([], I32), tensor([1], F32), tensor([], I32, i32(step)),
                  tensor([1], F32, floats(1)), tensor([], I32), tensor([1], F32)],
                 [op(2, [0, 2], [4]), op(2, [1, 3], [5])], [0, 1], [4, 5])  # fmt: skip
    m.subgraphs = [main, cond, body]
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


@pytest.mark.parametrize("wrap", ["and", "add0"])
def test_a_counted_while_behind_a_conjunction_or_an_offset_is_counted(wrap: str) -> None:
    # review24: both scanned clean; ai-edge-litert 2.3.0's invoke of the LOGICAL_AND one was
    # killed at 60 s CPU
    out = scan_data(_while_model((1 << 31) - 1, 1, "LESS", wrap), "m.tflite")
    assert [f.rule_id for f in out.findings] == ["AIR-TFL-003"]
    assert "WHILE counting" in out.findings[0].evidence
    assert not scan_data(_while_model(10, 1, "LESS", wrap), "m.tflite").findings


def test_a_counted_while_of_billions_of_iterations_is_denied() -> None:
    # ai-edge-litert 2.3.0: invoke of the 2^31 - 1 loop ran past 20 s of CPU (killed)
    for limit, step, cmp in [((1 << 31) - 1, 1, "LESS"), (5, 0, "LESS"), (7, 2, "NOT_EQUAL")]:
        out = scan_data(_while_model(limit, step, cmp), "m.tflite")
        assert [f.rule_id for f in out.findings] == ["AIR-TFL-003"], (limit, step, cmp)
        assert "WHILE counting" in out.findings[0].evidence
    for limit, step, cmp in [(10, 1, "LESS"), (1 << 20, 1, "LESS_EQUAL"), (8, 2, "NOT_EQUAL")]:
        assert not scan_data(_while_model(limit, step, cmp), "m.tflite").findings
