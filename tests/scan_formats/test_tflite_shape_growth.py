"""Operators whose output grows from their inputs' shapes alone (session 27, rt27fmt).

The run walk (AIR-TFL-003) sized an operator the shape table does not derive by the output
shape the file declares; the kernels resize it in Prepare. MATRIX_DIAG of a constant [16384],
BATCH_MATMUL of constants [16384, 1] x [1, 16384] (each output declared [1], files of ~130 KB)
made a 1 GiB output and peaked at ~3 GB in ai-edge-litert 2.3.0, allowed; ADD of the same
constants was already derived (a broadcast) and denied. Every broadcasting binary kernel,
SELECT_V2, BATCH_MATMUL (adj_x / adj_y) and MATRIX_DIAG are now derived exactly. Built with
the flatbuffers builder of ``test_tflite_shapes``; nothing is run.
"""

from __future__ import annotations

import struct

import pytest

from airlock.formats.tflite import read_tflite
from airlock.scan.engine import scan_data
from tests.scan_formats.test_tflite_shapes import Graph, Op
from tests.scan_formats.test_tflite_stock import F32

N = 16384
LESS, POW, SELECT_V2, BATCH_MATMUL, MATRIX_DIAG, ADD = 58, 78, 123, 126, 113, 0
GATHER, EMBEDDING_LOOKUP, GATHER_ND, FULLY_CONNECTED = 36, 7, 107, 9
I32 = 2
BMM_OPTIONS = 101
ADJ = [("u8", 0, 1), ("u8", 1, 1)]  # BatchMatMulOptions adj_x, adj_y


def _ones(*shape: int) -> bytes:
    n = 1
    for d in shape:
        n *= d
    return struct.pack(f"<{n}f", *([1.0] * n))


def _zeros(*shape: int) -> bytes:
    n = 1
    for d in shape:
        n *= d
    return bytes(4 * n)


def _graph(
    code: int, consts: list[list[int]], options: tuple | None = None, ints: int | None = None
) -> Graph:
    """``code`` over constants of ``consts`` shapes (``ints``: that one int32 zeros, the
    indices), its output declared [1], then an ADD of the main input (so it is used)."""
    tensors = [
        (s, I32, _zeros(*s)) if j == ints else (s, F32, _ones(*s)) for j, s in enumerate(consts)
    ]
    k = len(tensors)
    tensors += [([1], F32, None), ([1], F32, None), ([1], F32, None)]
    ops = [Op(0, list(range(k)), [k], options), Op(1, [k, k + 1], [k + 2])]
    return Graph([(code, None), (ADD, None)], tensors, ops, [k + 1], [k + 2])


ATTACKS = {
    "matrix_diag": (MATRIX_DIAG, [[N]], None),
    "batch_matmul": (BATCH_MATMUL, [[N, 1], [1, N]], None),
    "batch_matmul_adj": (BATCH_MATMUL, [[1, N], [N, 1]], (BMM_OPTIONS, ADJ)),
    "less": (LESS, [[2 * N, 1], [1, 2 * N]], None),
    "pow": (POW, [[N, 1], [1, N]], None),
    "select_v2": (SELECT_V2, [[N, 1], [1, N], [1]], None),
    # ai-edge-litert 2.3.0: GATHER of a [1, 16384] constant by 16,384 zero indices, 3.1 GB
    "gather": (GATHER, [[1, N], [N]], None),
    "gather_axis1": (GATHER, [[N, 1], [N]], (23, [("i32", 0, 1), ("i32", 1, 0)])),
    "embedding_lookup": (EMBEDDING_LOOKUP, [[N], [1, N]], None),
    "gather_nd": (GATHER_ND, [[1, N], [N, 1]], None),
    # a [16384, 1] constant input by [16384, 1] weights: [16384, 16384], 3.1 GB in LiteRT
    "fully_connected": (FULLY_CONNECTED, [[N, 1], [N, 1]], None),
    "fully_connected_keep": (FULLY_CONNECTED, [[N, 1], [N, 1]], (8, [("u8", 2, 1)])),
}
INDICES = {GATHER: 1, EMBEDDING_LOOKUP: 0, GATHER_ND: 1}


@pytest.mark.parametrize("form", sorted(ATTACKS))
def test_outputs_grown_from_shapes_are_sized(form: str) -> None:
    code, consts, options = ATTACKS[form]
    data = _graph(code, consts, options, INDICES.get(code)).build()
    assert "AIR-TFL-003" in {f.rule_id for f in scan_data(data, "m.tflite").findings}


def test_small_ones_are_derived_exactly_and_clean() -> None:
    cases = [
        (MATRIX_DIAG, ((4, 8),), None, (4, 8, 8)),
        (BATCH_MATMUL, ((2, 3, 5), (5, 7)), None, (2, 3, 7)),
        (BATCH_MATMUL, ((2, 5, 3), (1, 7, 5)), (BMM_OPTIONS, ADJ), (2, 3, 7)),
        (LESS, ((3, 1), (1, 4)), None, (3, 4)),
        (SELECT_V2, ((3, 1), (1, 4), (1,)), None, (3, 4)),
        (GATHER, ((5, 6, 7), (2, 3)), (23, [("i32", 0, 1), ("i32", 1, 0)]), (5, 2, 3, 7)),
        (GATHER, ((5, 6), (5, 3)), (23, [("i32", 0, -1), ("i32", 1, 1)]), (5, 3)),
        (EMBEDDING_LOOKUP, ((4,), (10, 8)), None, (4, 8)),
        (GATHER_ND, ((5, 6, 7), (3, 2)), None, (3, 7)),
        (FULLY_CONNECTED, ((2, 3, 4), (5, 4)), None, (6, 5)),
        (FULLY_CONNECTED, ((2, 3, 4), (5, 4)), (8, [("u8", 2, 1)]), (2, 3, 5)),
    ]
    for code, consts, options, want in cases:
        data = _graph(code, [list(c) for c in consts], options, INDICES.get(code)).build()
        model = read_tflite(data, all_shapes=True)
        assert model.runtime[0][len(consts)] == want, (code, consts)
        assert scan_data(data, "m.tflite").findings == []


def _space_to_batch(pad: int) -> bytes:
    """SPACE_TO_BATCH_ND of a [1, 1, 1, 1] input by block [1, 1] and constant paddings
    [[0, pad], [0, pad]], its output declared [1, 1, 1, 1]."""
    pads = struct.pack("<4i", 0, pad, 0, pad)
    tensors = [([1, 1, 1, 1], F32, None), ([2], I32, struct.pack("<2i", 1, 1)),
               ([2, 2], I32, pads), ([1, 1, 1, 1], F32, None)]  # fmt: skip
    return Graph([(38, None)], tensors, [Op(0, [0, 1, 2], [3])], [0], [3]).build()


def test_space_to_batch_is_sized_by_its_paddings() -> None:
    # ai-edge-litert 2.3.0: padded by 2^14 on both spatial dims, 2.09 GB at invoke (was clean)
    big = scan_data(_space_to_batch(1 << 14), "m.tflite")
    assert "AIR-TFL-003" in {f.rule_id for f in big.findings}
    assert scan_data(_space_to_batch(3), "m.tflite").findings == []  # ran to (1, 4, 4, 1)
