"""The stock resolver's custom ops (SSD post-processing, Mfcc, AudioSpectrogram,
NumericVerify): honest nodes, with options as the converter writes them (a sorted flexbuffer
map of Int/Float/Bool) and static shapes that agree, are clean; missing or malformed options
and shapes the kernel would index past stay AIR-TFL-001. Where ai-edge-litert is installed the
real interpreter confirms both sides in a subprocess."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import flatbuffers
import pytest
from flatbuffers import flexbuffers

from airlock.formats.flexbuffer import read_flex_map
from airlock.formats.source import FormatProblem
from airlock.scan.engine import scan_data

F32, I32, U8 = 0, 2, 3
Opts = list[tuple[str, object]]


def flex_map(items: Opts) -> bytes:
    fb = flexbuffers.Builder()
    with fb.Map():
        for key, value in sorted(items):
            if isinstance(value, bool):
                fb.Bool(key, value)
            elif isinstance(value, int):
                fb.Int(key, value)
            else:
                assert isinstance(value, float)
                fb.Float(key, value)
    return bytes(fb.Finish())


def _ints(b: flatbuffers.Builder, values: list[int]) -> int:
    b.StartVector(4, len(values), 4)
    for v in reversed(values):
        b.PrependInt32(v)
    return int(b.EndVector())


def _tables(b: flatbuffers.Builder, offsets: list[int]) -> int:
    b.StartVector(4, len(offsets), 4)
    for off in reversed(offsets):
        b.PrependUOffsetTRelative(off)
    return int(b.EndVector())


def _custom_code(b: flatbuffers.Builder, op: str) -> int:
    """An OperatorCode table for the custom operator ``op``."""
    name = b.CreateString(op)
    b.StartObject(4)
    b.PrependInt8Slot(0, 32, 0)
    b.PrependUOffsetTRelativeSlot(1, name, 0)
    b.PrependInt32Slot(2, 1, 1)
    b.PrependInt32Slot(3, 32, 0)
    return int(b.EndObject())


def _tensor_tables(
    b: flatbuffers.Builder, tensors: list[tuple[list[int], int, bytes | None]]
) -> tuple[list[int], list[int]]:
    """(buffers, tensors): the empty buffer 0, one buffer per constant, one Tensor table each."""
    b.StartObject(1)
    buffers, tables = [b.EndObject()], []
    for shape, ttype, data in tensors:
        index = 0
        if data is not None:
            vec = b.CreateByteVector(data)
            b.StartObject(1)
            b.PrependUOffsetTRelativeSlot(0, vec, 0)
            buffers.append(b.EndObject())
            index = len(buffers) - 1
        dims = _ints(b, shape)
        b.StartObject(4)
        b.PrependUOffsetTRelativeSlot(0, dims, 0)
        b.PrependInt8Slot(1, ttype, 0)
        b.PrependUint32Slot(2, index, 0)
        tables.append(b.EndObject())
    return buffers, tables


def finish(
    b: flatbuffers.Builder,
    codes: list[int],
    tables: list[int],
    operators: list[int],
    inputs: list[int],
    outputs: list[int],
    buffers: list[int],
) -> bytes:
    """The one subgraph over ``tables`` and ``operators`` and the Model root (version 3) around
    it: what every builder here ends with."""
    tvec, ovec = _tables(b, tables), _tables(b, operators)
    graph_in, graph_out = _ints(b, inputs), _ints(b, outputs)
    b.StartObject(4)
    b.PrependUOffsetTRelativeSlot(0, tvec, 0)
    b.PrependUOffsetTRelativeSlot(1, graph_in, 0)
    b.PrependUOffsetTRelativeSlot(2, graph_out, 0)
    b.PrependUOffsetTRelativeSlot(3, ovec, 0)
    subgraph = b.EndObject()
    cvec, svec, bvec = _tables(b, codes), _tables(b, [subgraph]), _tables(b, buffers)
    b.StartObject(5)
    b.PrependUint32Slot(0, 3, 0)
    b.PrependUOffsetTRelativeSlot(1, cvec, 0)
    b.PrependUOffsetTRelativeSlot(2, svec, 0)
    b.PrependUOffsetTRelativeSlot(4, bvec, 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    return bytes(b.Output())


def model(
    op: str,
    tensors: list[tuple[list[int], int, bytes | None]],
    inputs: list[int],
    outputs: list[int],
    options: bytes | None,
    reshape: tuple[int, int, int] | None = None,
    also_inputs: tuple[int, ...] = (),
) -> bytes:
    """One subgraph, one custom operator ``op`` over ``tensors`` (shape, type, constant data);
    ``reshape`` (input, shape, output): a RESHAPE operator before it."""
    b = flatbuffers.Builder(1024)
    code = _custom_code(b, op)
    b.StartObject(4)
    b.PrependInt8Slot(0, 22, 0)  # RESHAPE
    b.PrependInt32Slot(2, 1, 1)
    b.PrependInt32Slot(3, 22, 0)
    reshape_code = b.EndObject()
    buffers, tables = _tensor_tables(b, tensors)
    custom = b.CreateByteVector(options) if options is not None else None
    ins, outs = _ints(b, inputs), _ints(b, outputs)
    b.StartObject(6)
    b.PrependUint32Slot(0, 0, 0)
    b.PrependUOffsetTRelativeSlot(1, ins, 0)
    b.PrependUOffsetTRelativeSlot(2, outs, 0)
    if custom is not None:
        b.PrependUOffsetTRelativeSlot(5, custom, 0)
    operator = b.EndObject()
    operators = [operator]
    if reshape is not None:
        rin, rout = _ints(b, list(reshape[:2])), _ints(b, [reshape[2]])
        b.StartObject(3)
        b.PrependUint32Slot(0, 1, 0)
        b.PrependUOffsetTRelativeSlot(1, rin, 0)
        b.PrependUOffsetTRelativeSlot(2, rout, 0)
        operators.insert(0, b.EndObject())
    produced = {reshape[2]} if reshape else set()
    graph_in = [*also_inputs] + [
        i for i, t in enumerate(tensors) if t[2] is None and i not in produced and i not in outputs
    ]
    return finish(b, [code, reshape_code], tables, operators, graph_in, outputs, buffers)


SSD: Opts = [
    ("max_detections", 10),
    ("max_classes_per_detection", 1),
    ("detections_per_class", 100),
    ("use_regular_nms", False),
    ("nms_score_threshold", 1e-8),
    ("nms_iou_threshold", 0.6),
    ("num_classes", 90),
    ("y_scale", 10.0),
    ("x_scale", 10.0),
    ("h_scale", 5.0),
    ("w_scale", 5.0),
    ("_output_quantized", True),  # the converter's own keys: ignored by the kernel
]
MFCC: Opts = [
    ("dct_coefficient_count", 13),
    ("filterbank_channel_count", 40),
    ("lower_frequency_limit", 20.0),
    ("upper_frequency_limit", 4000.0),
]
SPECTROGRAM: Opts = [("magnitude_squared", True), ("stride", 320), ("window_size", 640)]


def ssd(options: bytes | None, boxes: int = 1917, anchors: int | None = None) -> bytes:
    count = boxes if anchors is None else anchors
    table = struct.pack(f"<{4 * count}f", *([0.5, 0.5, 0.1, 0.1] * count))
    tensors: list[tuple[list[int], int, bytes | None]] = [
        ([1, boxes, 4], F32, None),
        ([1, boxes, 91], F32, None),
        ([count, 4], F32, table),
        ([1, 10, 4], F32, None),
        ([1, 10], F32, None),
        ([1, 10], F32, None),
        ([1], F32, None),
    ]
    return model("TFLite_Detection_PostProcess", tensors, [0, 1, 2], [3, 4, 5, 6], options)


def ssd_reshaped(boxes: int, declared: int, listed: bool = False) -> bytes:
    """Box encodings computed by a RESHAPE to ``boxes`` rows but declared (and anchored) as
    ``declared``: the kernel's Prepare sees the reshaped size, the anchors stay ``declared``."""
    table = struct.pack(f"<{4 * declared}f", *([0.5, 0.5, 0.1, 0.1] * declared))
    tensors: list[tuple[list[int], int, bytes | None]] = [
        ([1, declared, 4], F32, None),
        ([1, declared, 91], F32, None),
        ([declared, 4], F32, table),
        ([1, 10, 4], F32, None),
        ([1, 10], F32, None),
        ([1, 10], F32, None),
        ([1], F32, None),
        ([1, boxes * 4], F32, None),
        ([3], I32, struct.pack("<3i", 1, boxes, 4)),
    ]
    ops = ("TFLite_Detection_PostProcess", tensors, [0, 1, 2], [3, 4, 5, 6], flex_map(SSD))
    return model(*ops, reshape=(7, 8, 0), also_inputs=(0,) if listed else ())


def mfcc(options: bytes | None) -> bytes:
    tensors = [
        ([1, 49, 257], F32, None),
        ([1], I32, struct.pack("<i", 16000)),
        ([1, 49, 13], F32, None),
    ]
    return model("Mfcc", tensors, [0, 1], [2], options)  # type: ignore[arg-type]


def spectrogram(options: bytes | None) -> bytes:
    return model(
        "AudioSpectrogram", [([16000, 1], F32, None), ([1, 49, 513], F32, None)], [0], [1], options
    )


def numeric_verify(options: bytes | None, ref: int = 16) -> bytes:
    tensors = [([16], U8, None), ([ref], F32, None), ([16], F32, None)]
    return model("NumericVerify", tensors, [0, 1], [2], options)  # type: ignore[arg-type]


HONEST = {
    "ssd": ssd(flex_map(SSD)),
    "mfcc": mfcc(flex_map(MFCC)),
    "spectrogram": spectrogram(flex_map(SPECTROGRAM)),
    "numeric_verify": numeric_verify(flex_map([("tolerance", 5.0), ("log_if_failed", False)])),
}
HOSTILE = {  # each crashed ai-edge-litert 2.3.0 (SIGSEGV / SIGBUS) unless noted
    "ssd_no_options": ssd(None),
    "mfcc_no_options": mfcc(None),
    "spectrogram_no_options": spectrogram(None),
    "numeric_verify_no_options": numeric_verify(None),
    "ssd_short_anchors": ssd(flex_map(SSD), boxes=20000, anchors=1),
    "ssd_empty_map": ssd(flex_map([])),  # fails in Eval: not what the kernel needs
    "ssd_iou_out_of_range": ssd(flex_map([*SSD[:5], ("nms_iou_threshold", 0.0), *SSD[6:]])),
    "mfcc_missing_dct_count": mfcc(flex_map(MFCC[1:])),
    "spectrogram_huge_window": spectrogram(flex_map([*SPECTROGRAM[:2], ("window_size", 1 << 31)])),
    "numeric_verify_short_ref": numeric_verify(flex_map([("tolerance", 5.0)]), ref=1),
    "ssd_raw_float": ssd(struct.pack("<f", 0.5)),
    # regular NMS, one pass per class: 30,000 boxes x 1,000 classes took the interpreter 18 s;
    # this one asks ~1.8e11 comparisons (bounded at 1e9)
    "ssd_heavy_nms": ssd(
        flex_map(
            [
                *[o for o in SSD if o[0] not in ("use_regular_nms", "detections_per_class")],
                ("use_regular_nms", True),
                ("detections_per_class", 100_000),
            ]
        ),
        boxes=20_000,
    ),
    "ssd_reshaped_boxes": ssd_reshaped(200_000, 10),  # SIGBUS: anchors read past 10 rows
    # the same with the reshaped tensor also listed as a subgraph input: still resized (SIGBUS)
    "ssd_reshaped_listed_input": ssd_reshaped(200_000, 10, listed=True),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_stock_ops_are_clean(name: str) -> None:
    r = scan_data(HONEST[name], "m.tflite")
    assert r.findings == [], r.findings
    assert "stock custom ops, options and shapes proven" in " ".join(r.objects[0].notes)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_unproven_stock_ops_stay_high(name: str) -> None:
    r = scan_data(HOSTILE[name], "m.tflite")
    assert [(f.rule_id, f.severity.name) for f in r.findings] == [("AIR-TFL-001", "HIGH")]
    assert "not proven" in r.findings[0].evidence


def test_flexbuffer_map_reader_refuses_what_the_kernel_would_overread() -> None:
    good = flex_map(MFCC)
    assert read_flex_map(good)["filterbank_channel_count"].value == 40
    for bad in (b"", b"\x00\x24\x01", good[:-3] + b"\xff" + good[-2:], good[:-1] + b"\x08"):
        with pytest.raises(FormatProblem):
            read_flex_map(bad)
    unsorted = bytearray(good)
    a, z = unsorted.index(b"dct_"), unsorted.index(b"filterbank_")
    unsorted[a], unsorted[z] = unsorted[z], unsorted[a]  # 'f...' now sorts before 'd...'
    with pytest.raises(FormatProblem, match="sorted"):
        read_flex_map(bytes(unsorted))


_RUN = """
import sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1])
it.allocate_tensors()
for d in it.get_input_details():
    it.set_tensor(d["index"], np.full(d["shape"], 0.5).astype(d["dtype"]))
it.invoke()
"""


@pytest.mark.parametrize(
    "name", ["ssd", "mfcc", "spectrogram", "ssd_no_options", "ssd_short_anchors"]
)
def test_real_interpreter_agrees(name: str, tmp_path: Path) -> None:
    pytest.importorskip("ai_edge_litert.interpreter")
    path = tmp_path / "m.tflite"
    path.write_bytes(HONEST.get(name) or HOSTILE[name])
    proc = subprocess.run([sys.executable, "-c", _RUN, str(path)], capture_output=True, timeout=120)
    if name in HONEST:
        assert proc.returncode == 0, proc.stderr[-500:]
    else:
        assert proc.returncode < 0  # killed by a signal: the crash the finding stands for


def test_shared_output_vectors_cannot_make_the_walk_quadratic() -> None:
    """Many operators naming one long outputs vector, beside a stock operator (whose proof reads
    every operator's outputs): the entries read are bounded by the file, which is then not
    judged (fails closed) instead of costing operators x entries."""
    import time

    ops, entries = 3000, 5000
    b = flatbuffers.Builder(1 << 16)
    name = b.CreateString("Mfcc")
    b.StartObject(4)
    b.PrependInt8Slot(0, 32, 0)
    b.PrependUOffsetTRelativeSlot(1, name, 0)
    b.PrependInt32Slot(3, 32, 0)
    code = b.EndObject()
    shared = _ints(b, [0] * entries)
    operators = []
    for _ in range(ops):
        b.StartObject(3)
        b.PrependUOffsetTRelativeSlot(2, shared, 0)
        operators.append(b.EndObject())
    ovec = _tables(b, operators)
    b.StartObject(4)
    b.PrependUOffsetTRelativeSlot(3, ovec, 0)
    subgraph = b.EndObject()
    cvec, svec = _tables(b, [code]), _tables(b, [subgraph])
    b.StartObject(5)
    b.PrependUint32Slot(0, 3, 0)
    b.PrependUOffsetTRelativeSlot(1, cvec, 0)
    b.PrependUOffsetTRelativeSlot(2, svec, 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    start = time.monotonic()
    r = scan_data(bytes(b.Output()), "m.tflite")
    assert time.monotonic() - start < 10
    assert r.objects[0].status == "not_scanned" and "vector entries" in (r.objects[0].reason or "")
