"""Session 16 rt17graph: TFLite stock custom ops (SSD post-processing, Mfcc, AudioSpectrogram)
honest and mutated, our verdict against the real interpreter (ai-edge-litert, each model loaded,
allocated and invoked in a child process). Counts (kind, honest, proven, oracle outcome); a
proven model that crashes or hangs is a bypass, an honest one not proven a false positive.
Usage: python bench/rt17_tflite_stock_sweep.py SEED COUNT (needs ai-edge-litert, flatbuffers)."""


import collections
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, "src")
import flatbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as S
from flatbuffers import flexbuffers

from airlock.scan.engine import scan_data

RUN = """
import sys, numpy as np
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1]); it.allocate_tensors()
for d in it.get_input_details():
    it.set_tensor(d["index"], np.random.RandomState(1).rand(*d["shape"]).astype(d["dtype"]))
it.invoke(); print("OK")
"""


def flex_map(items):
    """items: list of (key, kind, value) with kind in int/float/bool, written like C++ fbb.Map."""
    b = flexbuffers.Builder()
    with b.Map():
        for k, kind, v in sorted(items):
            if kind == "int":
                b.Int(k, v)
            elif kind == "float":
                b.Float(k, v)
            elif kind == "bool":
                b.Bool(k, v)
            elif kind == "str":
                b.String(k, v)
    return bytes(b.Finish())


def model(op_name, tensors, inputs, outputs, options, graph_in, graph_out, consts=None):
    """tensors: list of (shape, type); consts: {tensor index: np array}."""
    m = S.ModelT()
    m.version = 3
    oc = S.OperatorCodeT()
    oc.builtinCode = S.BuiltinOperator.CUSTOM
    oc.deprecatedBuiltinCode = 32
    oc.customCode = op_name
    oc.version = 1
    m.operatorCodes = [oc]
    m.buffers = [S.BufferT()]
    sg = S.SubGraphT()
    sg.tensors = []
    for i, (shape, typ) in enumerate(tensors):
        t = S.TensorT()
        t.shape = list(shape)
        t.type = typ
        t.name = f"t{i}"
        t.buffer = 0
        if consts and i in consts:
            buf = S.BufferT()
            buf.data = list(consts[i].tobytes())
            m.buffers.append(buf)
            t.buffer = len(m.buffers) - 1
        sg.tensors.append(t)
    op = S.OperatorT()
    op.opcodeIndex = 0
    op.inputs = inputs
    op.outputs = outputs
    if options is not None:
        op.customOptions = list(options)
    sg.operators = [op]
    sg.inputs = graph_in
    sg.outputs = graph_out
    m.subgraphs = [sg]
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


F32, U8, I32 = S.TensorType.FLOAT32, S.TensorType.UINT8, S.TensorType.INT32

SSD_OPTS = [
    ("max_detections", "int", 10),
    ("max_classes_per_detection", "int", 1),
    ("detections_per_class", "int", 100),
    ("use_regular_nms", "bool", False),
    ("nms_score_threshold", "float", 1e-8),
    ("nms_iou_threshold", "float", 0.6),
    ("num_classes", "int", 90),
    ("y_scale", "float", 10.0),
    ("x_scale", "float", 10.0),
    ("h_scale", "float", 5.0),
    ("w_scale", "float", 5.0),
]


def ssd(options, n=1917, classes=91, anchors_n=None, typ=F32):
    anchors_n = n if anchors_n is None else anchors_n
    anchors = (
        np.random.RandomState(0).rand(anchors_n, 4).astype(np.float32 if typ == F32 else np.uint8)
    )
    tensors = [
        ([1, n, 4], typ),
        ([1, n, classes], typ),
        ([anchors_n, 4], typ),
        ([1, 10, 4], F32),
        ([1, 10], F32),
        ([1, 10], F32),
        ([1], F32),
    ]
    return model(
        "TFLite_Detection_PostProcess",
        tensors,
        [0, 1, 2],
        [3, 4, 5, 6],
        options,
        [0, 1],
        [3, 4, 5, 6],
        {2: anchors},
    )


MFCC_OPTS = [
    ("dct_coefficient_count", "int", 13),
    ("filterbank_channel_count", "int", 40),
    ("lower_frequency_limit", "float", 20.0),
    ("upper_frequency_limit", "float", 4000.0),
]


def mfcc(options, frames=49, bins=257):
    tensors = [([1, frames, bins], F32), ([1], I32), ([1, frames, 13], F32)]
    return model("Mfcc", tensors, [0, 1], [2], options, [0], [2], {1: np.array([16000], np.int32)})


SPEC_OPTS = [
    ("magnitude_squared", "bool", True),
    ("stride", "int", 320),
    ("window_size", "int", 640),
]


def spectrogram(options, samples=16000):
    tensors = [([samples, 1], F32), ([1, 49, 513], F32)]
    return model("AudioSpectrogram", tensors, [0], [1], options, [0], [1])


def run(path, timeout=60):
    try:
        p = subprocess.run(
            [sys.executable, "-c", RUN, path], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "HANG"
    if p.returncode < 0:
        return f"CRASH(sig {-p.returncode})"
    return "ERROR" if p.returncode else "OK"


seed = int(sys.argv[1])
count = int(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="rt17tfl")
R = random.Random(seed)


def ssd_honest():
    n = R.choice([100, 500, 1917, 2034, 1000])
    nc = R.choice([1, 2, 20, 80, 90])
    bg = R.choice([0, 1])
    opts = [
        ("max_detections", "int", R.choice([10, 20, 100])),
        ("max_classes_per_detection", "int", R.choice([1, 1, 3])),
        ("use_regular_nms", "bool", R.choice([False, True])),
        ("nms_score_threshold", "float", R.choice([1e-8, 0.3, 0.5])),
        ("nms_iou_threshold", "float", R.choice([0.5, 0.6])),
        ("num_classes", "int", nc),
        ("y_scale", "float", 10.0),
        ("x_scale", "float", 10.0),
        ("h_scale", "float", 5.0),
        ("w_scale", "float", 5.0),
    ]
    if R.random() < 0.7:
        opts.append(("detections_per_class", "int", 100))
    if R.random() < 0.5:
        opts.append(("_output_quantized", "bool", True))
    if R.random() < 0.5:
        opts.append(("_support_output_type_float_in_quantized_op", "bool", True))
    return opts, dict(n=n, classes=nc + bg, typ=R.choice([F32, F32, U8]))


def mfcc_honest():
    ch = R.choice([20, 40, 64])
    dct = R.choice([10, 13, min(ch, 40)])
    return [
        ("dct_coefficient_count", "int", dct),
        ("filterbank_channel_count", "int", ch),
        ("lower_frequency_limit", "float", R.choice([20.0, 0.0])),
        ("upper_frequency_limit", "float", R.choice([4000.0, 7600.0])),
    ], dict(frames=R.choice([1, 49, 98]), bins=R.choice([257, 513]))


def spec_honest():
    w = R.choice([480, 640, 1024, 400])
    return [
        ("magnitude_squared", "bool", R.choice([True, False])),
        ("stride", "int", R.choice([160, 320, w // 2])),
        ("window_size", "int", w),
    ], dict(samples=R.choice([16000, 8000, 1000]))


KINDS = {"ssd": (ssd_honest, ssd), "mfcc": (mfcc_honest, mfcc), "spec": (spec_honest, spectrogram)}


def mutate(opts, shape):
    opts = list(opts)
    how = R.choice(["drop", "type", "extreme", "shape", "bytes", "bytes", "zero", "neg"])
    if how == "drop":
        opts.pop(R.randrange(len(opts)))
    elif how == "type":
        i = R.randrange(len(opts))
        k, kind, v = opts[i]
        opts[i] = (
            k,
            R.choice(["int", "float", "bool", "str"]),
            {"str": "x"}.get("str") if False else v,
        )
        if opts[i][1] == "int":
            opts[i] = (k, "int", int(v))
        if opts[i][1] == "str":
            opts[i] = (k, "str", "12")
        if opts[i][1] == "bool":
            opts[i] = (k, "bool", bool(v))
        if opts[i][1] == "float":
            opts[i] = (k, "float", float(v))
    elif how in ("extreme", "zero", "neg"):
        i = R.randrange(len(opts))
        k, kind, v = opts[i]
        val = {
            "extreme": R.choice([2**31 - 1, 2**40, 10**6, 1e30]),
            "zero": 0,
            "neg": R.choice([-1, -(2**31)]),
        }[how]
        opts[i] = (
            k,
            kind,
            float(val) if kind == "float" else (bool(val) if kind == "bool" else int(val)),
        )
    elif how == "shape":
        key = R.choice(list(shape))
        shape = dict(shape)
        if key == "typ":
            shape[key] = R.choice([F32, U8, I32])
        else:
            shape[key] = R.choice([1, 2, shape[key] * 3, max(1, shape[key] - 1), 70000])
        if R.random() < 0.5 and "n" in shape:
            shape["anchors_n"] = R.choice([1, shape["n"] - 1, shape["n"] + 5])
    return opts, shape, how


results = collections.Counter()
bad = []
for i in range(count):
    kind = R.choice(list(KINDS))
    gen, build_fn = KINDS[kind]
    opts, shape = gen()
    hostile = R.random() < 0.6
    how = "honest"
    if hostile:
        opts, shape, how = mutate(opts, shape)
    try:
        blob = flex_map(opts)
    except Exception:
        continue
    if how == "bytes":
        b = bytearray(blob)
        for _ in range(R.randint(1, 3)):
            b[R.randrange(len(b))] = R.randrange(256)
        blob = bytes(b)
    try:
        data = build_fn(blob, **shape)
    except Exception:
        continue
    r = scan_data(data, "m.tflite")
    proven = not r.findings
    path = os.path.join(TMP, f"{seed}_{i}.tflite")
    open(path, "wb").write(data)
    o = run(path, timeout=30)
    crash = o.startswith("CRASH") or o == "HANG"
    results[
        (
            kind,
            how == "honest",
            proven,
            "crash" if crash else ("ok" if o.startswith("OK") else "err"),
        )
    ] += 1
    if proven and crash:
        bad.append(("BYPASS", kind, how, opts, shape, o))
    if how == "honest" and not proven:
        bad.append(("FP", kind, opts, shape, r.findings[0].evidence[:200]))
    os.remove(path)
for k, v in sorted(results.items()):
    print(k, v)
for b in bad[:20]:
    print(b)
