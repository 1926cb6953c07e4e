"""StableHLO kernels sized by ``builtin_options_2`` (session 27, rt27fmt: AIR-TFL-003).

The run walk sized every operator outside its table by the output shape the file declares,
but the kernel's Prepare sets it: a STABLEHLO_PAD of a [1] input whose options_2 pad it by
2^29 (output declared [1], a 400-byte model) took 2 GiB in ai-edge-litert 2.3.0's interpreter
and was allowed. STABLEHLO_PAD and STABLEHLO_REDUCE_WINDOW are now sized from their options as
the kernels compute them (a small pad by 3 ran to shape (4,), as computed here); options that
are missing or not of the input's rank fail closed. Built with the flatbuffers builder; nothing
is run.
"""

from __future__ import annotations

import struct

import flatbuffers
import pytest

from airlock.scan.engine import scan_data
from tests.scan_formats.test_tflite_stock import F32, _ints, _tensor_tables, finish

PAD, REDUCE_WINDOW = 195, 198
G = 1 << 29  # 2 GiB of float32


def _i64s(b: flatbuffers.Builder, values: list[int]) -> int:
    b.StartVector(8, len(values), 8)
    for v in reversed(values):
        b.PrependInt64(v)
    return int(b.EndVector())


def _model(code: int, options: dict[int, list[int]] | None) -> bytes:
    """One subgraph: ``code`` over a [1] float input and a scalar constant, output declared
    [1]; ``options``: the options_2 table's int64 vectors by slot (None: no table)."""
    b = flatbuffers.Builder(1024)
    b.StartObject(4)
    b.PrependInt8Slot(0, 127, 0)
    b.PrependInt32Slot(2, 1, 1)
    b.PrependInt32Slot(3, code, 0)
    opcode = b.EndObject()
    buffers, tensors = _tensor_tables(
        b, [([1], F32, None), ([], F32, struct.pack("<f", 0.0)), ([1], F32, None)]
    )
    table = None
    if options is not None:
        vecs = {slot: _i64s(b, v) for slot, v in options.items()}
        b.StartObject(6)
        for slot, vec in vecs.items():
            b.PrependUOffsetTRelativeSlot(slot, vec, 0)
        table = b.EndObject()
    ins, outs = _ints(b, [0, 1]), _ints(b, [2])
    b.StartObject(13)
    b.PrependUOffsetTRelativeSlot(1, ins, 0)
    b.PrependUOffsetTRelativeSlot(2, outs, 0)
    if table is not None:
        b.PrependUint8Slot(11, 10 if code == PAD else 13, 0)
        b.PrependUOffsetTRelativeSlot(12, table, 0)
    op = b.EndObject()
    return finish(b, [opcode], tensors, [op], [0], [2], buffers)


def _rules(data: bytes) -> set[str]:
    return {f.rule_id for f in scan_data(data, "model.tflite").findings}


@pytest.mark.parametrize(
    ("code", "options"),
    [
        (PAD, {0: [0], 1: [G], 2: [0]}),  # edge padding high
        (PAD, {0: [G], 1: [0], 2: [0]}),
        (PAD, {0: [G // 2], 1: [G // 2], 2: [7]}),  # both edges (interior: none in [1])
        (REDUCE_WINDOW, {0: [1], 1: [1], 2: [1], 3: [1], 4: [0, G]}),
        (REDUCE_WINDOW, {0: [1], 1: [1], 2: [1], 3: [1], 4: [G, 0]}),  # padding low
    ],
)
def test_stablehlo_sized_by_its_options_is_denied(code: int, options: dict[int, list[int]]) -> None:
    assert "AIR-TFL-003" in _rules(_model(code, options))


@pytest.mark.parametrize(
    ("code", "options"),
    [
        (PAD, None),  # no options table: not judged
        (PAD, {0: [0, 0], 1: [3, 3], 2: [0, 0]}),  # not of the input's rank
        (REDUCE_WINDOW, {0: [1], 1: [1], 2: [1], 3: [1], 4: [G]}),  # padding not [rank, 2]
    ],
)
def test_stablehlo_options_not_followed_fail_closed(
    code: int, options: dict[int, list[int]] | None
) -> None:
    assert "AIR-TFL-003" in _rules(_model(code, options))


@pytest.mark.parametrize(
    ("code", "options"),
    [
        (PAD, {0: [0], 1: [3], 2: [0]}),
        (PAD, {0: [2], 1: [2], 2: [4]}),
        (REDUCE_WINDOW, {0: [1], 1: [1], 2: [1], 3: [1], 4: [0, 3]}),
        (REDUCE_WINDOW, {0: [2], 1: [2]}),  # defaults for the rest
    ],
)
def test_small_stablehlo_stays_clean(code: int, options: dict[int, list[int]]) -> None:
    assert _rules(_model(code, options)) == set()
