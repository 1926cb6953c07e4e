"""Run-time shapes through the operators the TFLite converter writes before its stock custom ops
(session 17, helper tflreal). TensorFlow 2.21's converter writes an SSD head as CONV_2D ->
RESHAPE(shape [1, -1, 4], no options) -> CONCATENATION(axis 1) -> TFLite_Detection_PostProcess,
and a 1-D audio input as RESHAPE to [samples, 1] before AudioSpectrogram: the box encodings and
the audio are operator outputs, which were not proven (every real SSD export was denied). Their
shapes are now derived from the fixed tensors as the kernels' Prepare computes them; the same
graph whose real sizes disagree with its anchors (a larger input than the declared outputs
suggest) stays AIR-TFL-001, and the real interpreter crashes on it.

The graphs are rebuilt here with the flatbuffers builder, in the structure the converter wrote
(no TensorFlow blobs)."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import flatbuffers
import pytest

from airlock.formats.tflite import read_tflite
from airlock.formats.tflite_shapes import (
    ADD,
    AVERAGE_POOL_2D,
    CONCATENATION,
    CONV_2D,
    DEPTHWISE_CONV_2D,
    EXPAND_DIMS,
    LOGISTIC,
    RESHAPE,
    SQUEEZE,
    TRANSPOSE,
    OpView,
    Shape,
    infer,
)
from airlock.scan.engine import scan_data
from tests.scan_formats.test_tflite_stock import (
    F32,
    I32,
    MFCC,
    SPECTROGRAM,
    SSD,
    _ints,
    _tensor_tables,
    finish,
    flex_map,
)

CUSTOM = 32
Tensor = tuple[list[int], int, bytes | None]


@dataclass
class Op:
    code: int  # index into the graph's operator codes
    inputs: list[int]
    outputs: list[int]
    options: tuple[int, list[tuple[str, int, int]]] | None = None  # union type, (kind, slot, value)
    custom: bytes | None = None


@dataclass
class Graph:
    codes: list[tuple[int, str | None]]  # (builtin, custom name)
    tensors: list[Tensor]
    ops: list[Op]
    inputs: list[int]
    outputs: list[int]
    signatures: dict[int, list[int]] = field(default_factory=dict)  # tensor -> shape_signature

    def build(self) -> bytes:
        b = flatbuffers.Builder(4096)
        codes = []
        for builtin, name in self.codes:
            text = b.CreateString(name) if name is not None else None
            b.StartObject(4)
            b.PrependInt8Slot(0, min(builtin, 127), 0)
            if text is not None:
                b.PrependUOffsetTRelativeSlot(1, text, 0)
            b.PrependInt32Slot(2, 1, 1)
            b.PrependInt32Slot(3, builtin, 0)
            codes.append(b.EndObject())
        buffers, tables = _tensor_tables(b, self.tensors)
        for i, sig in self.signatures.items():  # the same Tensor table with a shape_signature
            shape, ttype, _ = self.tensors[i]
            dims, sig_dims = _ints(b, shape), _ints(b, sig)
            b.StartObject(8)
            b.PrependUOffsetTRelativeSlot(0, dims, 0)
            b.PrependInt8Slot(1, ttype, 0)
            b.PrependUOffsetTRelativeSlot(7, sig_dims, 0)
            tables[i] = b.EndObject()
        operators = []
        for op in self.ops:
            custom = b.CreateByteVector(op.custom) if op.custom is not None else None
            opts = None
            if op.options is not None:
                b.StartObject(8)
                for kind, slot, value in op.options[1]:
                    if kind == "u8":
                        b.PrependUint8Slot(slot, value, 0)
                    else:
                        b.PrependInt32Slot(slot, value, -(1 << 31))  # always written
                opts = b.EndObject()
            ins, outs = _ints(b, op.inputs), _ints(b, op.outputs)
            b.StartObject(6)
            b.PrependUint32Slot(0, op.code, 0)
            b.PrependUOffsetTRelativeSlot(1, ins, 0)
            b.PrependUOffsetTRelativeSlot(2, outs, 0)
            if op.options is not None and opts is not None:
                b.PrependUint8Slot(3, op.options[0], 0)
                b.PrependUOffsetTRelativeSlot(4, opts, 0)
            if custom is not None:
                b.PrependUOffsetTRelativeSlot(5, custom, 0)
            operators.append(b.EndObject())
        return finish(b, codes, tables, operators, self.inputs, self.outputs, buffers)


def floats(*shape: int) -> bytes:
    n = 1
    for d in shape:
        n *= d
    return struct.pack(f"<{n}f", *([0.01] * n))


def i32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}i", *values)


def conv_options(stride: int, padding: int = 0) -> tuple[int, list[tuple[str, int, int]]]:
    """Conv2DOptions as the converter wrote them: padding, strides, fused RELU6 or none."""
    return 1, [
        ("u8", 0, padding),
        ("i32", 1, stride),
        ("i32", 2, stride),
        ("i32", 4, 1),
        ("i32", 5, 1),
    ]


CONCAT_AXIS_1 = (10, [("i32", 0, 1)])


def ssd_head(
    size: int = 32,
    anchors_per_cell: int = 3,
    classes: int = 1,
    declared_size: int | None = None,
    anchors: int | None = None,
    concat_options: tuple[int, list[tuple[str, int, int]]] | None = CONCAT_AXIS_1,
    first_stride: int = 2,
) -> bytes:
    """image [1, size, size, 3] -> two stride-2 convolutions (two feature maps) -> per map a box
    conv and a class conv -> RESHAPE [1, -1, 4] / [1, -1, classes + 1] -> CONCATENATION axis 1
    (class scores through LOGISTIC) -> TFLite_Detection_PostProcess with constant anchors.
    ``declared_size``: the sizes every intermediate tensor declares (and the anchors follow),
    as a model built for that input would; ``anchors``: the anchor rows, else the real boxes."""
    a, c = anchors_per_cell, classes + 1
    d = declared_size or size
    m1, m2 = d // 2, d // 4  # as declared for stride 2
    boxes = (m1 * m1 + m2 * m2) * a
    rows = boxes if anchors is None else anchors
    t: list[Tensor] = [
        ([1, size, size, 3], F32, None),  # 0 image
        ([8, 3, 3, 3], F32, floats(8, 3, 3, 3)),  # 1 trunk filter 1
        ([8], F32, floats(8)),  # 2
        ([8, 3, 3, 8], F32, floats(8, 3, 3, 8)),  # 3 trunk filter 2
        ([1, m1, m1, 8], F32, None),  # 4 feature map 1
        ([1, m2, m2, 8], F32, None),  # 5 feature map 2
        ([4 * a, 3, 3, 8], F32, floats(4 * a, 3, 3, 8)),  # 6 box filter
        ([4 * a], F32, floats(4 * a)),  # 7
        ([c * a, 3, 3, 8], F32, floats(c * a, 3, 3, 8)),  # 8 class filter
        ([c * a], F32, floats(c * a)),  # 9
        ([1, m1, m1, 4 * a], F32, None),  # 10 boxes map 1
        ([1, m2, m2, 4 * a], F32, None),  # 11 boxes map 2
        ([1, m1, m1, c * a], F32, None),  # 12 classes map 1
        ([1, m2, m2, c * a], F32, None),  # 13 classes map 2
        ([3], I32, i32(1, -1, 4)),  # 14
        ([3], I32, i32(1, -1, c)),  # 15
        ([1, m1 * m1 * a, 4], F32, None),  # 16
        ([1, m2 * m2 * a, 4], F32, None),  # 17
        ([1, m1 * m1 * a, c], F32, None),  # 18
        ([1, m2 * m2 * a, c], F32, None),  # 19
        ([1, boxes, 4], F32, None),  # 20 box encodings
        ([1, boxes, c], F32, None),  # 21 class logits
        ([1, boxes, c], F32, None),  # 22 class predictions
        ([rows, 4], F32, struct.pack(f"<{4 * rows}f", *([0.5, 0.5, 0.1, 0.1] * rows))),  # 23
        ([1, 10, 4], F32, None),  # 24
        ([1, 10], F32, None),
        ([1, 10], F32, None),
        ([1], F32, None),  # 27
    ]
    ops = [
        Op(0, [0, 1, 2], [4], conv_options(first_stride)),
        Op(0, [4, 3, 2], [5], conv_options(2)),
        Op(0, [4, 6, 7], [10], conv_options(1)),
        Op(0, [5, 6, 7], [11], conv_options(1)),
        Op(0, [4, 8, 9], [12], conv_options(1)),
        Op(0, [5, 8, 9], [13], conv_options(1)),
        Op(1, [10, 14], [16]),  # RESHAPE without options, as the converter writes it
        Op(1, [11, 14], [17]),
        Op(1, [12, 15], [18]),
        Op(1, [13, 15], [19]),
        Op(2, [16, 17], [20], concat_options),
        Op(2, [18, 19], [21], concat_options),
        Op(3, [21], [22]),
        Op(
            4,
            [20, 22, 23],
            [24, 25, 26, 27],
            custom=flex_map([*SSD[:6], ("num_classes", classes), *SSD[7:]]),
        ),
    ]
    codes = [
        (CONV_2D, None),
        (RESHAPE, None),
        (CONCATENATION, None),
        (LOGISTIC, None),
        (CUSTOM, "TFLite_Detection_PostProcess"),
    ]
    return Graph(codes, t, ops, [0], [24, 25, 26, 27]).build()


def audio_1d(samples: int, declared: int | None = None, shape_from: int | None = None) -> bytes:
    """audio [samples] -> RESHAPE to [samples, 1] (the converter's ExpandDims) ->
    AudioSpectrogram -> Mfcc; ``declared``: the samples the reshaped tensor declares;
    ``shape_from``: the reshape's shape is [-1, 1] (a stretch) when set to 1."""
    n = declared or samples
    target = i32(-1, 1) if shape_from else i32(samples, 1)
    rows = 1 + (n - 640) // 320
    t: list[Tensor] = [
        ([samples], F32, None),
        ([2], I32, target),
        ([n, 1], F32, None),
        ([1, rows, 513], F32, None),
        ([1], I32, i32(16000)),
        ([1, rows, 13], F32, None),
    ]
    ops = [
        Op(0, [0, 1], [2]),
        Op(1, [2], [3], custom=flex_map(SPECTROGRAM)),
        Op(2, [3, 4], [5], custom=flex_map(MFCC)),
    ]
    codes = [(RESHAPE, None), (CUSTOM, "AudioSpectrogram"), (CUSTOM, "Mfcc")]
    return Graph(codes, t, ops, [0], [5]).build()


def audio_dynamic(window: int = 640, stride: int = 320, dct: int = 13) -> bytes:
    """audio of dynamic length (shape [1, 1], shape_signature [-1, 1], as TF 2.21 writes a
    ``TensorSpec((None, 1))``) straight into AudioSpectrogram -> Mfcc."""
    bins = (1 << (window - 1).bit_length()) // 2 + 1
    spectro = [("magnitude_squared", True), ("stride", stride), ("window_size", window)]
    mfcc = [("dct_coefficient_count", dct), *MFCC[1:]]
    t: list[Tensor] = [
        ([1, 1], F32, None),
        ([1, 1, bins], F32, None),
        ([1], I32, i32(16000)),
        ([1, 1, dct], F32, None),
    ]
    ops = [
        Op(0, [0], [1], custom=flex_map(spectro)),
        Op(1, [1, 2], [3], custom=flex_map(mfcc)),
    ]
    codes = [(CUSTOM, "AudioSpectrogram"), (CUSTOM, "Mfcc")]
    sigs = {0: [-1, 1], 1: [1, -1, bins], 3: [1, -1, dct]}
    return Graph(codes, t, ops, [0], [3], signatures=sigs).build()


def audio_dynamic_1d(stride: int = 160, broadcast: bool = False) -> bytes:
    """audio [-1] -> EXPAND_DIMS(axis -1, a rank-0 constant: what TF 2.21 wrote for
    ``tf.expand_dims(audio, -1)`` of a ``TensorSpec((None,))``) -> AudioSpectrogram -> Mfcc;
    ``broadcast``: an ADD of a [1, 64] constant after it (64 channels per sample)."""
    spectro = [("magnitude_squared", True), ("stride", stride), ("window_size", 480)]
    t: list[Tensor] = [
        ([1], F32, None),  # 0 audio, signature [-1]
        ([], I32, i32(-1)),  # 1 axis
        ([1, 1], F32, None),  # 2 expanded, signature [-1, 1]
        ([1, 1, 257], F32, None),  # 3
        ([1], I32, i32(16000)),  # 4
        ([1, 1, 10], F32, None),  # 5
        ([1, 64], F32, floats(1, 64)),  # 6
        ([1, 64], F32, None),  # 7 widened, signature [-1, 64]
    ]
    ops = [Op(0, [0, 1], [2])]
    audio = 2
    if broadcast:
        ops.append(Op(3, [2, 6], [7]))
        audio = 7
    ops += [
        Op(1, [audio], [3], custom=flex_map(spectro)),
        Op(2, [3, 4], [5], custom=flex_map([("dct_coefficient_count", 10), *MFCC[1:]])),
    ]
    codes = [(EXPAND_DIMS, None), (CUSTOM, "AudioSpectrogram"), (CUSTOM, "Mfcc"), (ADD, None)]
    sigs = {0: [-1], 2: [-1, 1], 3: [1, -1, 257], 5: [1, -1, 10], 7: [-1, 64]}
    return Graph(codes, t, ops, [0], [5], signatures=sigs).build()


HONEST = {
    "ssd_converter_head": ssd_head(),
    "ssd_converter_head_more_classes": ssd_head(size=48, anchors_per_cell=6, classes=4),
    "audio_expand_dims": audio_1d(16000),
    "audio_expand_dims_stretch": audio_1d(16000, shape_from=1),
    "audio_dynamic_length": audio_dynamic(),
    "audio_dynamic_length_dense": audio_dynamic(window=1024, stride=128, dct=40),
    "audio_dynamic_expand_dims": audio_dynamic_1d(),
}
HOSTILE = {
    # the same head fed a 2048 x 2048 image: 3,932,160 boxes at run time against the 960
    # anchors a 32 x 32 model declares (every tensor on the way declares the small sizes):
    # SIGSEGV in ai-edge-litert 2.3.0 (at 512 x 512 the read past the anchors stayed in mapped
    # memory and Eval failed on the garbage boxes instead)
    "ssd_input_larger_than_declared": ssd_head(size=2048, declared_size=32),
    "ssd_anchors_short": ssd_head(anchors=10),  # the kernel never compares them
    "ssd_concat_without_options": ssd_head(concat_options=None),  # params unknown: not derived
    "ssd_concat_options_of_another_type": ssd_head(concat_options=(1, [("i32", 0, 1)])),
    # the first convolution with stride 1: 4x the boxes the tensors declare
    "ssd_stride_smaller_than_declared": ssd_head(first_stride=1),
    # 2^25 samples into a spectrogram the model declares for 16,000 (the reshape's output size
    # is the constant's, whatever the tensor says): 104,856 rows x 513 bins, over the budget
    "audio_reshaped_larger": audio_1d(1 << 25, declared=16000),
    "audio_stretched_larger": audio_1d(1 << 25, declared=16000, shape_from=1),
    # dynamic length: 513 values for every sample the application feeds (16,000 samples: 30 MB
    # of spectrogram for 64 KB of audio) where an honest front end asks about 1.6
    "audio_dynamic_stride_1": audio_dynamic(window=1024, stride=1),
    # Mfcc writes dct values per row whatever the row's width: 40 from 9 bins
    "audio_dynamic_mfcc_wider_than_rows": audio_dynamic(window=16, stride=8, dct=40),
    "audio_dynamic_expand_dims_stride_1": audio_dynamic_1d(stride=1),
    # a broadcast makes 64 values of each sample before the spectrogram: not carried
    "audio_dynamic_through_broadcast": audio_dynamic_1d(broadcast=True),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_converter_structures_are_proven(name: str) -> None:
    r = scan_data(HONEST[name], "m.tflite")
    assert r.findings == [], r.findings
    assert "stock custom ops, options and shapes proven" in " ".join(r.objects[0].notes)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_same_operators_with_real_sizes_that_disagree_stay_high(name: str) -> None:
    r = scan_data(HOSTILE[name], "m.tflite")
    assert r.findings and {(f.rule_id, f.severity.name) for f in r.findings} == {
        ("AIR-TFL-001", "HIGH")
    }
    assert all("not proven" in f.evidence for f in r.findings)


_SHAPES = """
import json, sys
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1])
it.allocate_tensors()
print(json.dumps({d["index"]: [int(x) for x in d["shape"]] for d in it.get_tensor_details()}))
"""
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


@pytest.mark.parametrize("name", ["ssd_converter_head", "audio_expand_dims_stretch"])
def test_derived_shapes_are_the_interpreters(name: str, tmp_path: Path) -> None:
    """Every shape derived here equals the one ai-edge-litert gives the tensor after
    allocate_tensors (its Prepare), and the model runs."""
    pytest.importorskip("ai_edge_litert.interpreter")
    path = tmp_path / "m.tflite"
    path.write_bytes(HONEST[name])
    proc = subprocess.run(
        [sys.executable, "-c", _SHAPES, str(path)], capture_output=True, timeout=120, text=True
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    real = {int(k): tuple(v) for k, v in json.loads(proc.stdout.splitlines()[-1]).items()}
    derived = read_tflite(HONEST[name], all_shapes=True).runtime[0]
    known = {i: s for i, s in enumerate(derived) if s is not None}
    assert len(known) >= 10 if name.startswith("ssd") else len(known) >= 3
    assert {i: real[i] for i in known} == known
    run = subprocess.run([sys.executable, "-c", _RUN, str(path)], capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]


_DYNAMIC = """
import sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1])
d = it.get_input_details()[0]
assert list(d["shape_signature"]) == [-1, 1], d
it.resize_tensor_input(d["index"], [16000, 1])
it.allocate_tensors()
it.set_tensor(d["index"], np.full((16000, 1), 0.5, np.float32))
it.invoke()
print([int(x) for x in it.get_output_details()[0]["shape"]])
"""


def test_dynamic_length_runs_at_the_applications_size(tmp_path: Path) -> None:
    pytest.importorskip("ai_edge_litert.interpreter")
    path = tmp_path / "m.tflite"
    path.write_bytes(HONEST["audio_dynamic_length"])
    proc = subprocess.run(
        [sys.executable, "-c", _DYNAMIC, str(path)], capture_output=True, timeout=120, text=True
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.split()[-3:] == ["[1,", "49,", "13]"]


def test_real_interpreter_crashes_on_the_larger_input(tmp_path: Path) -> None:
    pytest.importorskip("ai_edge_litert.interpreter")
    path = tmp_path / "m.tflite"
    path.write_bytes(HOSTILE["ssd_input_larger_than_declared"])
    proc = subprocess.run([sys.executable, "-c", _RUN, str(path)], capture_output=True, timeout=120)
    assert proc.returncode < 0  # killed by a signal: the anchors read past their buffer


# ---------------------------------------------------------------- the rules one by one


def _infer(ops: list[OpView], start: list[Shape | None], consts: dict[int, tuple[int, ...]]):
    writers = [0] * len(start)
    for op in ops:
        for o in op.outputs:
            writers[o] += 1
    return infer(ops, start, writers, consts.get)


CONV = {"padding": 1, "stride_w": 2, "stride_h": 1, "dilation_w": 1, "dilation_h": 2}


def test_rules_follow_the_kernels_arithmetic() -> None:
    x, w = (1, 17, 20, 3), (5, 3, 3, 3)
    got = _infer([OpView(CONV_2D, (0, 1), (2,), CONV)], [x, w, None], {})
    assert got[2] == (1, 13, 9, 5)  # VALID: (17 + 1 - 5) // 1, (20 + 2 - 3) // 2
    dw = {**CONV, "padding": 0}
    got = _infer([OpView(DEPTHWISE_CONV_2D, (0, 1), (2,), dw)], [x, (1, 3, 3, 6), None], {})
    assert got[2] == (1, 17, 10, 6)  # SAME: ceil; channels from the filter's last axis
    pool = {"padding": 1, "stride_w": 2, "stride_h": 2, "filter_w": 2, "filter_h": 2}
    assert _infer([OpView(AVERAGE_POOL_2D, (0,), (1,), pool)], [x, None], {})[1] == (1, 8, 10, 3)
    assert _infer([OpView(ADD, (0, 1), (2,))], [(4, 1, 3), (5, 1), None], {})[2] == (4, 5, 3)
    assert _infer([OpView(ADD, (0, 1), (2,))], [(4, 2), (3,), None], {})[2] is None
    perm = {1: (2, 0, 1)}
    assert _infer([OpView(TRANSPOSE, (0, 1), (2,))], [(2, 3, 4), (3,), None], perm)[2] == (4, 2, 3)
    sq = {"squeeze_dims": (-2,)}
    assert _infer([OpView(SQUEEZE, (0,), (1,), sq)], [(1, 7, 1, 4), None], {})[1] == (1, 7, 4)
    bad = {"squeeze_dims": (1,)}
    assert _infer([OpView(SQUEEZE, (0,), (1,), bad)], [(1, 7, 1, 4), None], {})[1] is None
    axis = {1: (-1,)}
    assert _infer([OpView(EXPAND_DIMS, (0, 1), (2,))], [(5, 6), (), None], axis)[2] == (5, 6, 1)


def test_reshape_and_concat_refuse_what_they_cannot_derive() -> None:
    shape = {1: (1, -1, 4)}
    ok = [OpView(RESHAPE, (0, 1), (2,))]
    assert _infer(ok, [(1, 8, 8, 12), (3,), None], shape)[2] == (1, 192, 4)
    assert _infer(ok, [(1, 8, 8, 6), (3,), None], {1: (1, -1, 5)})[2] is None  # not divisible
    assert _infer(ok, [(1, 8, 8, 6), (3,), None], {1: (-1, -1, 4)})[2] is None  # two stretches
    differ = [OpView(RESHAPE, (0, 1), (2,), {"new_shape": (1, 96, 8)})]
    assert _infer(differ, [(1, 8, 8, 12), (3,), None], shape)[2] is None  # options disagree
    assert _infer(ok, [(1, 8, 8, 12), (3,), None], {})[2] is None  # shape not a constant
    assert _infer(ok, [(1, 8, 8, 12), (1, 3), None], shape)[2] is None  # not a vector
    cat = {"axis": -2}
    start: list[Shape | None] = [(1, 5, 4), (1, 7, 4), None]
    assert _infer([OpView(CONCATENATION, (0, 1), (2,), cat)], start, {})[2] == (1, 12, 4)
    start = [(1, 5, 4), (1, 7, 3), None]
    assert _infer([OpView(CONCATENATION, (0, 1), (2,), cat)], start, {})[2] is None
    assert _infer([OpView(CONCATENATION, (0, 1), (2,), None)], start, {})[2] is None


def test_dynamic_sizes_pass_only_where_the_element_count_is_kept() -> None:
    dyn: list[Shape | None] = [(-1,), (), None]
    assert _infer([OpView(EXPAND_DIMS, (0, 1), (2,))], dyn, {1: (-1,)})[2] == (-1, 1)
    start: list[Shape | None] = [(-1, 3), (2,), None]
    assert _infer([OpView(TRANSPOSE, (0, 1), (2,))], start, {1: (1, 0)})[2] == (3, -1)
    assert _infer([OpView(RESHAPE, (0, 1), (2,))], start, {1: (-1, 1)})[2] == (-1, 1)
    assert _infer([OpView(RESHAPE, (0, 1), (2,))], start, {1: (6, 1)})[2] == (6, 1)
    assert _infer([OpView(RESHAPE, (0, 1), (2,))], start, {1: (-1, 0)})[2] is None
    assert _infer([OpView(LOGISTIC, (0,), (1,))], [(-1, 3), None], {})[1] == (-1, 3)
    assert _infer([OpView(ADD, (0, 1), (2,))], [(-1, 1), (1, 64), None], {})[2] is None
    conv = [OpView(CONV_2D, (0, 1), (2,), {**CONV, "padding": 0})]
    assert _infer(conv, [(-1, 8, 8, 3), (4, 3, 3, 3), None], {})[2] is None
    cat = [OpView(CONCATENATION, (0, 1), (2,), {"axis": 0})]
    assert _infer(cat, [(-1, 3), (-1, 3), None], {})[2] is None


def test_order_and_writers_fail_closed() -> None:
    """A consumer prepared before its producer sees no derived shape; a tensor two operators
    write is never derived; an unknown operator's output is unknown."""
    shape = {1: (2, 6)}
    later = [OpView(LOGISTIC, (2,), (3,)), OpView(RESHAPE, (0, 1), (2,))]
    got = _infer(later, [(3, 4), (2,), None, None], shape)
    # rt18tfl: the consumer's kernel was prepared on the declared dims, then the writer resized
    # the tensor: the tensor itself has no one run-time shape either
    assert got[2] is None and got[3] is None
    inplace = [OpView(LOGISTIC, (2,), (2,))]
    assert _infer(inplace, [None, None, None], {})[2] is None
    twice = [OpView(RESHAPE, (0, 1), (2,)), OpView(LOGISTIC, (0,), (2,))]
    assert _infer(twice, [(12,), (2,), None], shape)[2] is None
    assert _infer([OpView(9, (0,), (1,))], [(3, 4), None], {})[1] is None


# ---------------------------------------------------------------- session 17, helper rt18tfl


def ssd_read_before_written(boxes: int = 20_000) -> bytes:
    """TFLite_Detection_PostProcess placed before the RESHAPE that writes its box encodings
    (declared [1, 10, 4]): its Prepare sizes its temporaries from the declared 10 boxes, the
    RESHAPE then resizes the tensor to the anchors' 20,000. Was allowed (the derived shape was
    the writer's)."""
    t: list[Tensor] = [
        ([1, boxes * 4], F32, None),
        ([3], I32, i32(1, -1, 4)),
        ([1, 10, 4], F32, None),
        ([1, boxes, 2], F32, None),
        ([boxes, 4], F32, struct.pack(f"<{4 * boxes}f", *([0.5, 0.5, 0.1, 0.1] * boxes))),
        ([1, 10, 4], F32, None),
        ([1, 10], F32, None),
        ([1, 10], F32, None),
        ([1], F32, None),
    ]
    post = flex_map([*SSD[:6], ("num_classes", 1), *SSD[7:]])
    ops = [Op(1, [2, 3, 4], [5, 6, 7, 8], custom=post), Op(0, [0, 1], [2])]
    codes = [(RESHAPE, None), (CUSTOM, "TFLite_Detection_PostProcess")]
    return Graph(codes, t, ops, [0, 3], [5, 6, 7, 8]).build()


def mfcc_on_constant(rows: int, bins: int, channels: int, dct: int, nodes: int = 1) -> bytes:
    """Mfcc of a constant spectrogram [1, rows, bins]: its work is rows x channels x dct (the
    DCT of every row), which no output bound limits; ``nodes``: that many Mfcc nodes."""
    opts = [
        ("dct_coefficient_count", dct),
        ("filterbank_channel_count", channels),
        ("lower_frequency_limit", 20.0),
        ("upper_frequency_limit", 4000.0),
    ]
    t: list[Tensor] = [
        ([1, rows, bins], F32, floats(1, rows, bins)),
        ([1], I32, i32(16000)),
        ([1], F32, None),
    ]
    ops = []
    for k in range(nodes):
        t.append(([1, rows, dct], F32, None))
        ops.append(Op(0, [0, 1], [3 + k], custom=flex_map(opts)))
    return Graph([(CUSTOM, "Mfcc")], t, ops, [2], list(range(3, 3 + nodes))).build()


def test_consumer_before_its_writer_is_not_proven() -> None:
    r = scan_data(ssd_read_before_written(), "m.tflite")
    assert {(f.rule_id, f.severity.name) for f in r.findings} == {("AIR-TFL-001", "HIGH")}
    assert "not derived" in r.findings[0].evidence


def test_stock_work_is_bounded_per_node_and_per_model() -> None:
    """2,000 rows x 4,096 channels x 4,096 coefficients: ai-edge-litert 2.3.0 ran past 60 s
    (was allowed: its output, 8 M values, is under the element bound); 40 x 13 is proven, and
    so are a few such nodes, but not 2,000 of them."""
    hang = scan_data(mfcc_on_constant(2000, 257, 4096, 4096), "m.tflite")
    assert {f.rule_id for f in hang.findings} == {"AIR-TFL-001"}
    assert "operations" in hang.findings[0].evidence
    assert scan_data(mfcc_on_constant(49, 257, 40, 13, nodes=4), "m.tflite").findings == []
    many = scan_data(mfcc_on_constant(2000, 257, 400, 400, nodes=12), "m.tflite")
    assert {f.rule_id for f in many.findings} == {"AIR-TFL-001"}
    assert scan_data(mfcc_on_constant(2000, 257, 400, 400, nodes=1), "m.tflite").findings == []


def test_buffer_zero_is_no_constant() -> None:
    """The interpreter reads no data from buffer 0 (the empty sentinel): a shape stored there
    is not a constant, so a Reshape naming it is not derived."""
    import flatbuffers as fb

    from tests.scan_formats import test_tflite_stock as stock

    real = stock._tensor_tables

    def zero_holds(b: fb.Builder, tensors: list[Tensor]) -> tuple[list[int], list[int]]:
        buffers, tables = real(b, tensors)
        vec = b.CreateByteVector(i32(-1, 1))
        b.StartObject(1)
        b.PrependUOffsetTRelativeSlot(0, vec, 0)
        buffers[0] = b.EndObject()
        dims = _ints(b, [2])
        b.StartObject(8)  # tensor 1 names buffer 0 explicitly
        b.PrependUOffsetTRelativeSlot(0, dims, 0)
        b.PrependInt8Slot(1, I32, 0)
        b.PrependUint32Slot(2, 0, 1)
        tables[1] = b.EndObject()
        return buffers, tables

    t: list[Tensor] = [([4], F32, None), ([2], I32, None), ([4, 1], F32, None)]
    graph = Graph([(RESHAPE, None)], t, [Op(0, [0, 1], [2])], [0], [2])
    try:
        globals()["_tensor_tables"] = zero_holds
        data = graph.build()
    finally:
        globals()["_tensor_tables"] = real
    model = read_tflite(data, all_shapes=True)
    assert model.runtime[0][1] == (2,) and model.runtime[0][2] is None
