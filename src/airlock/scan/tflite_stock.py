"""Proofs for the custom operators the stock TFLite op resolver registers itself
(``TFLite_Detection_PostProcess``, ``Mfcc``, ``AudioSpectrogram``, ``NumericVerify``): their
kernels are the interpreter's own, so they are not the application's native code, but each
reads its ``custom_options`` flexbuffer without bounds checks and trusts tensor shapes it never
compares. A node is proven when its options read as a well-formed map whose keys hold what the
kernel needs (type and range, as the converter writes them) and the tensors it indexes have
static shapes that agree; ``judge`` returns why a node is not proven, else ``None``.

Seen with ai-edge-litert 2.3.0: no options → SIGSEGV in Init (all four); SSD anchors shorter
than the box count → SIGBUS in Eval; NumericVerify reads ``ref`` by the input's element count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

from airlock.formats.flexbuffer import FlexScalar, read_flex_map
from airlock.formats.source import FormatProblem
from airlock.formats.tflite import StockNode, TensorInfo

F32, F16, I32, U8, I16, I8 = 0, 1, 2, 3, 7, 9
MAX_COUNT = 100_000  # detections, classes, boxes: far above any SSD head
MAX_ELEMENTS = 50_000_000  # the kernels' temporaries are sized from these
MAX_WINDOW = 1 << 20
MAX_CHANNELS = 4096
MAX_NMS_WORK = 1_000_000_000
MAX_PER_SAMPLE = 8  # spectrogram values per audio sample when the audio length is dynamic
# the kernels' arithmetic, summed over a model's stock nodes (Mfcc: rows x channels x dct,
# unbounded per node before: 2,000 rows of a constant spectrogram with 4,096 x 4,096 ran for
# minutes in ai-edge-litert 2.3.0); per input element where the audio length is dynamic
MAX_MODEL_WORK = 2_000_000_000
MAX_WORK_PER_SAMPLE = 1024


class Budget:
    """The work a model's proven stock nodes ask of the interpreter, all nodes together."""

    def __init__(self) -> None:
        self.fixed = 0
        self.per_sample = 0

    def charge(self, fixed: int = 0, per_sample: int = 0) -> None:
        self.fixed += fixed
        self.per_sample += per_sample
        if self.fixed > MAX_MODEL_WORK:
            raise _Unproven(f"the model's stock ops ask about {self.fixed} operations in all")
        if self.per_sample > MAX_WORK_PER_SAMPLE:
            raise _Unproven(f"{self.per_sample} operations per sample of dynamic-length audio")


class _Unproven(Exception):
    pass


Producers = Mapping[tuple[int, int], StockNode]


def producers(nodes: Iterable[StockNode]) -> Producers:
    """AudioSpectrogram nodes by (subgraph, output tensor): where an Mfcc finds its input's."""
    return {
        (n.subgraph, n.output_ids[0]): n
        for n in nodes
        if n.name == "AudioSpectrogram" and n.output_ids
    }


def judge(
    node: StockNode, nodes: Producers | None = None, budget: Budget | None = None
) -> str | None:
    """Why ``node`` is not proven safe for its stock kernel (``None``: proven); ``nodes``: the
    model's ``producers``, where an Mfcc finds the AudioSpectrogram that sizes its input;
    ``budget``: shared by every node of one model (their work adds up)."""
    try:
        _judge(node, nodes or {}, budget or Budget())
    except FormatProblem as exc:
        return f"custom_options: {exc}"
    except _Unproven as exc:
        return str(exc)
    return None


def _judge(node: StockNode, nodes: Producers, budget: Budget) -> tuple[int, ...] | None:
    """Proves ``node`` (raises ``_Unproven``); an AudioSpectrogram's output shape."""
    if node.options is None:
        raise _Unproven("no custom_options the kernel can read (it reads them unchecked)")
    options = _Options(read_flex_map(node.options))
    if node.name == "Mfcc":
        _mfcc(options, node, nodes, budget)
        return None
    if node.name == "AudioSpectrogram":
        return _spectrogram(options, node, budget)
    _JUDGES[node.name](options, node, budget)
    return None


class _Options:
    def __init__(self, values: dict[str, FlexScalar]) -> None:
        self.values = values

    def number(self, key: str, kinds: tuple[str, ...], low: float, high: float) -> float:
        value = self.values.get(key)
        if value is None or value.kind not in kinds:
            found = "missing" if value is None else value.kind
            raise _Unproven(f"option {key!r} is {found}, the kernel needs {'/'.join(kinds)}")
        if not (low <= value.value <= high):
            raise _Unproven(f"option {key!r} = {value.value} outside [{low}, {high}]")
        return value.value

    def integer(self, key: str, low: float, high: float) -> int:
        return int(self.number(key, ("int",), low, high))

    def real(self, key: str, low: float = -1e30, high: float = 1e30) -> float:
        return self.number(key, ("float", "int"), low, high)

    def flag(self, key: str) -> None:
        if key in self.values:
            self.number(key, ("bool", "int"), -math.inf, math.inf)


def _present(t: TensorInfo | None, what: str, types: tuple[int, ...]) -> None:
    """A tensor the kernel reads by its runtime shape (checked there): only present and typed."""
    if t is None or t.type not in types:
        raise _Unproven(f"{what} tensor missing or of type {t.type if t else None}")


def _static(t: TensorInfo | None, what: str, rank: int, types: tuple[int, ...]) -> tuple[int, ...]:
    """A tensor whose shape the kernel trusts: its run-time shape must be known, as declared
    (a constant or a main-subgraph input) or as derived from them through the operators that
    write it (``tflite_shapes``: the Reshape and Concatenation of an SSD head)."""
    if t is None or (t.shape is None and t.fixed):
        raise _Unproven(f"{what} tensor has no static shape")
    shape = t.runtime
    if shape is None:
        raise _Unproven(f"{what} tensor is an operator output whose run-time shape is not derived")
    if -1 in shape:
        raise _Unproven(f"{what} tensor has a dynamic shape {shape}")
    if len(shape) != rank or t.type not in types:
        raise _Unproven(f"{what} tensor is rank {len(shape)} type {t.type}")
    if math.prod(shape) > MAX_ELEMENTS:
        raise _Unproven(f"{what} tensor has {math.prod(shape)} elements")
    return shape


def _arity(node: StockNode, inputs: int, outputs: int) -> None:
    if len(node.inputs) != inputs or len(node.outputs) != outputs:
        raise _Unproven(f"{len(node.inputs)} inputs / {len(node.outputs)} outputs")


def _detection(o: _Options, node: StockNode, budget: Budget) -> None:
    """detection_postprocess.cc: outputs sized max_detections * max_classes_per_detection;
    anchors read as [boxes, 4] of the box type, never checked against the box count."""
    detections = o.integer("max_detections", 1, MAX_COUNT)
    per_box = o.integer("max_classes_per_detection", 1, MAX_COUNT)
    if detections * per_box > MAX_COUNT:
        raise _Unproven(f"{detections} detections x {per_box} classes each")
    per_class = 100  # the kernel's default
    if "detections_per_class" in o.values:
        per_class = o.integer("detections_per_class", 1, MAX_COUNT)
    o.flag("use_regular_nms")
    regular = o.values["use_regular_nms"].value != 0 if "use_regular_nms" in o.values else False
    o.real("nms_score_threshold")
    o.real("nms_iou_threshold", 1e-9, 1.0)
    classes = o.integer("num_classes", 1, MAX_COUNT)
    for key in ("y_scale", "x_scale", "h_scale", "w_scale"):
        if o.real(key) == 0:
            raise _Unproven(f"option {key!r} is 0")
    _arity(node, 3, 4)
    one, boxes, coords = _static(node.inputs[0], "box encodings", 3, (F32, U8))
    scores = _static(node.inputs[1], "class predictions", 3, (F32, U8))
    box_type = node.inputs[0].type if node.inputs[0] else F32
    anchors = _static(node.inputs[2], "anchors", 2, (box_type,))
    if one != 1 or coords < 4 or not 1 <= boxes <= MAX_COUNT or anchors != (boxes, 4):
        raise _Unproven(f"box encodings {(one, boxes, coords)} against anchors {anchors}")
    if scores[:2] != (1, boxes) or scores[2] - classes not in (0, 1):
        raise _Unproven(f"class predictions {scores} against {boxes} boxes, {classes} classes")
    # NMS compares each kept box with the boxes after it until enough are selected: about
    # boxes x selections per pass, one pass per class with regular NMS (an SSD head: ~2e7)
    work = boxes * (classes * per_class if regular else detections)
    if work > MAX_NMS_WORK:
        raise _Unproven(f"non-max suppression of about {work} box comparisons")
    budget.charge(fixed=work + boxes * scores[2])


def _mfcc(o: _Options, node: StockNode, nodes: Producers, budget: Budget) -> None:
    """mfcc.cc: counts size the filterbank and DCT tables; output is [.., .., dct], one row of
    dct values per spectrogram row whatever its width (2 bins x 4096 coefficients: 2048 times
    the input), so the output is bounded from the spectrogram's run-time shape."""
    channels = o.integer("filterbank_channel_count", 1, MAX_CHANNELS)
    dct = o.integer("dct_coefficient_count", 1, channels)
    low = o.real("lower_frequency_limit", 0, 1e6)
    if o.real("upper_frequency_limit", 0, 1e6) <= low:
        raise _Unproven("upper_frequency_limit not above lower_frequency_limit")
    _arity(node, 2, 1)  # Prepare checks ranks, types and the rate's size at run time
    _present(node.inputs[0], "spectrogram", (F32,))
    _present(node.inputs[1], "sample rate", (I32,))
    shape = _spectrogram_shape(node, nodes)
    row_work = channels * dct + shape[2]  # mel filterbank, then the DCT of every row
    if -1 in shape:  # rows follow the audio's length: no more coefficients than bins per row
        if dct > shape[2]:
            raise _Unproven(f"{dct} coefficients from {shape[2]} bins per row of dynamic length")
        # a proven spectrogram gives at most MAX_PER_SAMPLE values (bins) per input element
        budget.charge(per_sample=-(-MAX_PER_SAMPLE * row_work // shape[2]))
    elif math.prod(shape[:2]) * dct > MAX_ELEMENTS:
        raise _Unproven(f"output of {math.prod(shape[:2])} rows x {dct} coefficients")
    else:
        budget.charge(fixed=math.prod(shape[:2]) * row_work)


def _spectrogram_shape(node: StockNode, nodes: Producers) -> tuple[int, ...]:
    """The run-time shape of an Mfcc's input: its own when fixed, else the output of the
    proven AudioSpectrogram of the subgraph that alone writes it."""
    t = node.inputs[0]
    if t is not None and t.runtime is not None:
        return _static(t, "spectrogram", 3, (F32,))
    other = nodes.get((node.subgraph, node.input_ids[0])) if node.input_ids else None
    if other is not None and t is not None and t.writers == 1:
        shape = _judge(other, {}, Budget())  # charged where it is judged itself
        if shape is not None:
            return shape
    raise _Unproven("spectrogram tensor neither fixed nor written by one proven AudioSpectrogram")


def _spectrogram(o: _Options, node: StockNode, budget: Budget) -> tuple[int, ...]:
    """audio_spectrogram.cc: window and stride size the FFT; the output is [channels, rows,
    bins] with rows = 1 + (samples - window) / stride and bins = fft / 2 + 1 (fft: window up to
    a power of two), from the audio's run-time shape (window 1024, stride 1 over 2^20 samples:
    4.2 GiB), so that shape must be fixed and the output bounded."""
    window = o.integer("window_size", 2, MAX_WINDOW)
    stride = o.integer("stride", 1, MAX_WINDOW)
    o.flag("magnitude_squared")
    _arity(node, 1, 1)
    bins = (1 << (window - 1).bit_length()) // 2 + 1
    fft_work = (bins - 1) * 2 * (window - 1).bit_length() + window  # one row's FFT and window
    audio = node.inputs[0]
    if audio is not None and audio.runtime is not None and -1 in audio.runtime:
        shape = _dynamic_spectrogram(audio, bins, stride)
        budget.charge(per_sample=-(-fft_work // stride))
        return shape
    samples, channels = _static(audio, "audio", 2, (F32,))
    rows = 0 if samples < window else 1 + (samples - window) // stride
    if channels * rows * bins > MAX_ELEMENTS:
        raise _Unproven(f"output of {channels} x {rows} x {bins} values")
    budget.charge(fixed=channels * (rows * fft_work + samples))
    return channels, rows, bins


def _dynamic_spectrogram(audio: TensorInfo, bins: int, stride: int) -> tuple[int, ...]:
    """Audio of dynamic length ([-1, channels]: a main-subgraph input the application sizes
    to its audio, or that input through ExpandDims/Reshape, which keep its element count): the
    output grows with that audio, one row of ``bins`` per ``stride`` samples, so the model may
    only ask a bounded multiple of what it is given (an honest front end: about 1.6 values per
    sample; window 1024 with stride 1: 513)."""
    sig = audio.runtime or ()
    if len(sig) != 2 or audio.type != F32:
        raise _Unproven(f"audio tensor of dynamic shape {sig} type {audio.type}")
    if bins > MAX_PER_SAMPLE * stride:
        raise _Unproven(f"{bins} bins every {stride} samples of dynamic-length audio")
    return sig[1], -1, bins


def _numeric_verify(o: _Options, node: StockNode, budget: Budget) -> None:
    """numeric_verify.cc: reads ``ref`` for as many elements as the quantized input has."""
    o.real("tolerance", 0, 1e30)
    o.flag("log_if_failed")
    _arity(node, 2, 1)
    quantized = _static_any(node.inputs[0], "input", (U8, I8, I16, F16))
    ref = _static_any(node.inputs[1], "ref", (F32,))
    if math.prod(quantized) != math.prod(ref):
        raise _Unproven(f"input {quantized} and ref {ref} differ in size")
    budget.charge(fixed=math.prod(ref))


def _static_any(t: TensorInfo | None, what: str, types: tuple[int, ...]) -> tuple[int, ...]:
    if t is None or t.runtime is None or -1 in t.runtime or t.type not in types:
        raise _Unproven(f"{what} tensor has no known run-time shape of an accepted type")
    return t.runtime


_JUDGES: dict[str, Callable[[_Options, StockNode, Budget], None]] = {
    "TFLite_Detection_PostProcess": _detection,
    "NumericVerify": _numeric_verify,
}
