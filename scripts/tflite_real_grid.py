"""Real TFLiteConverter outputs (session 17, helper tflreal; BENCHMARKS.md).

Runs only in a separate venv with tensorflow-cpu==2.21.0 (never the project's):
``python scripts/tflite_real_grid.py GRID OUTDIR [NAME ...]`` (grid 1: tuned on; 2: held out).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

GRID, OUT = int(sys.argv[1]), sys.argv[2]
only = set(sys.argv[3:])
rng = np.random.default_rng(GRID)
keras = tf.keras
L = keras.layers


def save(name, conv_fn):
    if only and name not in only:
        return
    try:
        data = conv_fn()
        with open(os.path.join(OUT, name + ".tflite"), "wb") as f:
            f.write(data)
        print("OK", name, len(data), flush=True)
    except Exception as exc:
        print("FAIL", name, type(exc).__name__, str(exc)[:300].replace("\n", " "), flush=True)


def from_keras(m, **kw):
    c = tf.lite.TFLiteConverter.from_keras_model(m)
    for k, v in kw.items():
        setattr(c, k, v)
    return c.convert()


def from_fn(fn, *specs, trackable=None, **kw):
    cf = fn.get_concrete_function(*specs)
    c = tf.lite.TFLiteConverter.from_concrete_functions([cf], trackable)
    for k, v in kw.items():
        setattr(c, k, v)
    return c.convert()


# ---------------------------------------------------------------- architectures
def mobilenet(h, w, alpha, classes, batch=None, blocks=3):
    x = inp = keras.Input((h, w, 3), batch_size=batch)
    ch = int(32 * alpha)
    x = L.Conv2D(ch, 3, strides=2, padding="same", use_bias=False)(x)
    x = L.BatchNormalization()(x)
    x = L.ReLU(6.0)(x)
    for i in range(blocks):
        x = L.DepthwiseConv2D(3, strides=2 if i % 2 else 1, padding="same", use_bias=False)(x)
        x = L.BatchNormalization()(x)
        x = L.ReLU(6.0)(x)
        ch *= 2
        x = L.Conv2D(ch, 1, use_bias=False)(x)
        x = L.BatchNormalization()(x)
        x = L.ReLU(6.0)(x)
    x = L.GlobalAveragePooling2D()(x)
    x = L.Dense(classes, activation="softmax")(x)
    return keras.Model(inp, x)


def rep(shape):
    def gen():
        for _ in range(8):
            yield [rng.random((1, *shape), dtype=np.float32)]

    return gen


def quant_variants(prefix, m, shape):
    save(prefix + "_float", lambda: from_keras(m))
    save(prefix + "_dynrange", lambda: from_keras(m, optimizations=[tf.lite.Optimize.DEFAULT]))
    save(
        prefix + "_f16",
        lambda: from_keras(
            m, optimizations=[tf.lite.Optimize.DEFAULT], target_spec=_spec(types=[tf.float16])
        ),
    )
    save(
        prefix + "_int8",
        lambda: from_keras(
            m,
            optimizations=[tf.lite.Optimize.DEFAULT],
            representative_dataset=rep(shape),
            target_spec=_spec(ops=[tf.lite.OpsSet.TFLITE_BUILTINS_INT8]),
            inference_input_type=tf.int8,
            inference_output_type=tf.int8,
        ),
    )
    save(
        prefix + "_uint8io",
        lambda: from_keras(
            m,
            optimizations=[tf.lite.Optimize.DEFAULT],
            representative_dataset=rep(shape),
            inference_input_type=tf.uint8,
            inference_output_type=tf.uint8,
        ),
    )


def _spec(ops=None, types=None):
    s = tf.lite.TargetSpec()
    if ops:
        s.supported_ops = set(ops)
    if types:
        s.supported_types = list(types)
    return s


def rnn(kind, units, steps, feat, batch=1, stacked=1, bidir=False):
    x = inp = keras.Input((steps, feat), batch_size=batch)
    for i in range(stacked):
        layer = getattr(L, kind)(units, return_sequences=i < stacked - 1)
        x = L.Bidirectional(layer)(x) if bidir else layer(x)
    return keras.Model(inp, L.Dense(4)(x))


def transformer(seq, dim, heads, vocab, batch=1):
    inp = keras.Input((seq,), batch_size=batch, dtype="int32")
    x = L.Embedding(vocab, dim)(inp)
    a = L.MultiHeadAttention(heads, dim // heads)(x, x)
    x = L.LayerNormalization()(x + a)
    f = L.Dense(dim * 2, activation="gelu")(x)
    x = L.LayerNormalization()(x + L.Dense(dim)(f))
    return keras.Model(inp, L.Dense(3)(L.GlobalAveragePooling1D()(x)))


# ---------------------------------------------------------------- SSD head
def ssd_attrs(max_det, classes, regular, per_class=100, max_cls=1):
    attrs = [
        ("max_detections", "i", max_det),
        ("max_classes_per_detection", "i", max_cls),
        ("detections_per_class", "i", per_class),
        ("num_classes", "i", classes),
        ("nms_score_threshold", "f", 1e-8),
        ("nms_iou_threshold", "f", 0.6),
        ("y_scale", "f", 10.0),
        ("x_scale", "f", 10.0),
        ("h_scale", "f", 5.0),
        ("w_scale", "f", 5.0),
        ("use_regular_nms", "b", regular),
    ]
    sig = ['name: "TFLite_Detection_PostProcess"']
    for k, t, v in attrs:
        val = {"i": f"i: {v}", "f": f"f: {v}", "b": f"b: {str(v).lower()}"}[t]
        sig.append(f'attr {{ key: "{k}" value {{ {val} }} }}')
    return " ".join(sig)


def ssd_model(
    size,
    levels,
    anchors_per_cell,
    classes,
    max_det=10,
    regular=False,
    quant=None,
    batch=1,
    flat_reshape=False,
    saved=True,
):
    # frozen weights as constants (what freezing a detector's SavedModel yields)
    def const(*shape):
        return tf.constant(rng.normal(0, 0.1, shape).astype(np.float32))

    trunk, ch_in, ch, hw = [], 3, 16, size
    for _ in range(levels + 1):
        trunk.append((const(3, 3, ch_in, ch), const(ch)))
        ch_in, ch = ch, min(ch * 2, 64)
        hw = (hw + 1) // 2
    heads, total, hw = [], 0, size
    for i in range(levels + 1):
        hw = (hw + 1) // 2
        if i >= 1:
            c_in = trunk[i][0].shape[-1]
            heads.append(
                (
                    (const(3, 3, c_in, anchors_per_cell * 4), const(anchors_per_cell * 4)),
                    (
                        const(3, 3, c_in, anchors_per_cell * (classes + 1)),
                        const(anchors_per_cell * (classes + 1)),
                    ),
                )
            )
            total += hw * hw * anchors_per_cell

    def backbone(x):
        feats = []
        for i, (w, b) in enumerate(trunk):
            x = tf.nn.relu6(tf.nn.conv2d(x, w, 2, "SAME") + b)
            if i >= 1:
                feats.append(x)
        outs = []
        for f, ((wb, bb), (ws, bs)) in zip(feats, heads, strict=True):
            outs += [tf.nn.conv2d(f, wb, 1, "SAME") + bb, tf.nn.conv2d(f, ws, 1, "SAME") + bs]
        return outs

    anchors = tf.constant(rng.random((total, 4), dtype=np.float32) * 0.5 + 0.25)

    @tf.function(experimental_implements=ssd_attrs(max_det, classes, regular))
    def post(box_encodings, class_predictions, anchors):
        boxes = tf.constant(0.0, dtype=tf.float32, name="boxes")
        scores = tf.constant(0.0, dtype=tf.float32, name="scores")
        classes_ = tf.constant(0.0, dtype=tf.float32, name="classes")
        num = tf.constant(0.0, dtype=tf.float32, name="num_detections")
        return boxes, classes_, scores, num

    @tf.function(input_signature=[tf.TensorSpec((batch, size, size, 3), tf.float32)])
    def detect(image):
        outs = backbone(image)
        boxes, scores = [], []
        for b, c in zip(outs[0::2], outs[1::2], strict=True):
            if flat_reshape:
                n = b.shape[1] * b.shape[2] * anchors_per_cell
                boxes.append(tf.reshape(b, [batch, n, 4]))
                scores.append(tf.reshape(c, [batch, n, classes + 1]))
            else:
                boxes.append(tf.reshape(b, [tf.shape(b)[0], -1, 4]))
                scores.append(tf.reshape(c, [tf.shape(c)[0], -1, classes + 1]))
        box = tf.concat(boxes, axis=1)
        cls = tf.sigmoid(tf.concat(scores, axis=1))
        return post(box, cls, anchors)

    kw = {"allow_custom_ops": True}
    if quant == "dynrange":
        kw["optimizations"] = [tf.lite.Optimize.DEFAULT]
    elif quant == "int8":
        kw["optimizations"] = [tf.lite.Optimize.DEFAULT]
        kw["representative_dataset"] = rep((size, size, 3))
    elif quant == "f16":
        kw["optimizations"] = [tf.lite.Optimize.DEFAULT]
        kw["target_spec"] = _spec(types=[tf.float16])
    if not saved:
        return from_fn(detect, **kw)
    mod = tf.Module()
    mod.detect = detect
    path = os.path.join(tmp, f"ssd_{size}_{levels}_{anchors_per_cell}_{classes}_{quant}")
    tf.saved_model.save(mod, path, signatures={"serving_default": detect})
    c = tf.lite.TFLiteConverter.from_saved_model(path)
    for k, v in kw.items():
        setattr(c, k, v)
    return c.convert()


# ---------------------------------------------------------------- audio
def audio_raw(samples, window, stride, dct, channels=40, rate=16000, from_1d=False, dynamic=False):
    n = None if dynamic else samples
    spec = tf.TensorSpec((n,) if from_1d else (n, 1), tf.float32)

    @tf.function(input_signature=[spec])
    def f(audio):
        a = tf.expand_dims(audio, -1) if from_1d else audio
        s = tf.raw_ops.AudioSpectrogram(
            input=a, window_size=window, stride=stride, magnitude_squared=True
        )
        return tf.raw_ops.Mfcc(
            spectrogram=s,
            sample_rate=tf.constant(rate),
            upper_frequency_limit=4000.0,
            lower_frequency_limit=20.0,
            filterbank_channel_count=channels,
            dct_coefficient_count=dct,
        )

    return from_fn(f, allow_custom_ops=True)


def audio_signal(samples, frame, step, mels=40, dct=13):
    @tf.function(input_signature=[tf.TensorSpec((1, samples), tf.float32)])
    def f(audio):
        st = tf.abs(tf.signal.stft(audio, frame, step, fft_length=frame))
        w = tf.signal.linear_to_mel_weight_matrix(mels, st.shape[-1], 16000, 20.0, 4000.0)
        mel = tf.math.log(tf.tensordot(st, w, 1) + 1e-6)
        return tf.signal.mfccs_from_log_mel_spectrograms(mel)

    return from_fn(
        f, target_spec=_spec(ops=[tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS])
    )


# ------------------------------------------------ flex / strings / tables / signatures
def flex_model(kind):
    if kind == "strings":

        @tf.function(input_signature=[tf.TensorSpec((None,), tf.string)])
        def f(s):
            return tf.strings.to_number(tf.strings.regex_replace(s, "[a-z]", ""))
    elif kind == "linalg":

        @tf.function(input_signature=[tf.TensorSpec((4, 4), tf.float32)])
        def f(m):
            return tf.linalg.inv(m + tf.eye(4) * 4.0), tf.math.bincount(
                tf.cast(tf.abs(m), tf.int32), minlength=8
            )
    elif kind == "unique":

        @tf.function(input_signature=[tf.TensorSpec((8,), tf.float32)])
        def f(v):
            return tf.sort(tf.math.cumsum(v)), tf.nn.ctc_greedy_decoder(
                tf.reshape(v, (2, 1, 4)), [2]
            )[1]

    return from_fn(
        f, target_spec=_spec(ops=[tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS])
    )


def hashtable_model(flex):
    class M(tf.Module):
        def __init__(self):
            init = tf.lookup.KeyValueTensorInitializer(
                tf.constant(["a", "b", "c"]), tf.constant([1, 2, 3], tf.int64)
            )
            self.table = tf.lookup.StaticHashTable(init, -1)

        @tf.function(input_signature=[tf.TensorSpec((None,), tf.string)])
        def __call__(self, s):
            return self.table.lookup(s)

    m = M()
    ops = [tf.lite.OpsSet.TFLITE_BUILTINS] + ([tf.lite.OpsSet.SELECT_TF_OPS] if flex else [])
    cf = m.__call__.get_concrete_function()
    c = tf.lite.TFLiteConverter.from_concrete_functions([cf], m)
    c.target_spec.supported_ops = set(ops)
    return c.convert()


def signatures_model(tmp):
    class M(tf.Module):
        def __init__(self):
            self.w = tf.Variable(tf.ones((3, 2)))

        @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
        def infer(self, x):
            return {"y": tf.matmul(x, self.w)}

        @tf.function(
            input_signature=[
                tf.TensorSpec((None, 3), tf.float32),
                tf.TensorSpec((None, 2), tf.float32),
            ]
        )
        def loss(self, x, y):
            return {"l": tf.reduce_mean((tf.matmul(x, self.w) - y) ** 2)}

    m = M()
    path = os.path.join(tmp, "sm_sig")
    tf.saved_model.save(m, path, signatures={"infer": m.infer, "loss": m.loss})
    return tf.lite.TFLiteConverter.from_saved_model(
        path, signature_keys=["infer", "loss"]
    ).convert()


def control_flow():
    @tf.function(input_signature=[tf.TensorSpec((None,), tf.float32)])
    def f(x):
        i = tf.constant(0)

        def body(i, x):
            return i + 1, tf.cond(tf.reduce_sum(x) > 0, lambda: x * 0.5, lambda: x + 1.0)

        return tf.while_loop(lambda i, x: i < 5, body, [i, x])[1]

    return from_fn(f)


tmp = os.path.join(OUT, "_tmp")
os.makedirs(tmp, exist_ok=True)
if GRID == 1:
    quant_variants("mobilenet_a05", mobilenet(96, 96, 0.5, 10), (96, 96, 3))
    save("mobilenet_dynbatch", lambda: from_keras(mobilenet(64, 64, 0.25, 5)))
    save("lstm", lambda: from_keras(rnn("LSTM", 32, 20, 8)))
    save(
        "lstm_dynrange",
        lambda: from_keras(rnn("LSTM", 32, 20, 8), optimizations=[tf.lite.Optimize.DEFAULT]),
    )
    save("gru", lambda: from_keras(rnn("GRU", 16, 10, 6)))
    save("transformer", lambda: from_keras(transformer(16, 32, 4, 100)))
    save("transformer_dynbatch", lambda: from_keras(transformer(16, 32, 2, 50, batch=None)))
    save("flex_strings", lambda: flex_model("strings"))
    save("flex_linalg", lambda: flex_model("linalg"))
    save("hashtable_builtin", lambda: hashtable_model(False))
    save("hashtable_flex", lambda: hashtable_model(True))
    save("signatures", lambda: signatures_model(tmp))
    save("control_flow", control_flow)
    save("ssd_float", lambda: ssd_model(64, 3, 3, 5))
    save("ssd_concrete", lambda: ssd_model(64, 3, 3, 5, saved=False))
    save("ssd_regular", lambda: ssd_model(64, 2, 2, 3, regular=True))
    save("ssd_flatreshape", lambda: ssd_model(96, 3, 4, 10, flat_reshape=True))
    save("ssd_int8", lambda: ssd_model(64, 3, 3, 5, quant="int8"))
    save("ssd_dynrange", lambda: ssd_model(64, 2, 3, 5, quant="dynrange"))
    save("audio_raw", lambda: audio_raw(16000, 640, 320, 13))
    save("audio_raw_1d", lambda: audio_raw(16000, 480, 160, 10, from_1d=True))
    save("audio_raw_dynamic", lambda: audio_raw(16000, 640, 320, 13, dynamic=True))
    save("audio_signal", lambda: audio_signal(16000, 512, 256))
    save(
        "audio_raw_1d_dynamic_t", lambda: audio_raw(16000, 480, 160, 10, from_1d=True, dynamic=True)
    )
else:
    quant_variants("mobilenet_a1", mobilenet(128, 128, 1.0, 20, blocks=5), (128, 128, 3))
    save(
        "mobilenet_dynbatch_f16",
        lambda: from_keras(
            mobilenet(48, 48, 0.75, 3, blocks=4),
            optimizations=[tf.lite.Optimize.DEFAULT],
            target_spec=_spec(types=[tf.float16]),
        ),
    )
    save("lstm_stacked", lambda: from_keras(rnn("LSTM", 24, 12, 5, stacked=2)))
    save("bilstm", lambda: from_keras(rnn("LSTM", 16, 8, 4, bidir=True)))
    save(
        "gru_int8",
        lambda: from_keras(
            rnn("GRU", 16, 10, 6),
            optimizations=[tf.lite.Optimize.DEFAULT],
            representative_dataset=rep((10, 6)),
        ),
    )
    save("simplernn_dynbatch", lambda: from_keras(rnn("SimpleRNN", 8, 6, 3, batch=None)))
    save("transformer_big", lambda: from_keras(transformer(32, 64, 8, 500)))
    save(
        "transformer_dynrange",
        lambda: from_keras(transformer(24, 48, 4, 200), optimizations=[tf.lite.Optimize.DEFAULT]),
    )
    save("flex_unique", lambda: flex_model("unique"))
    save("control_flow", control_flow)
    save("ssd_big", lambda: ssd_model(128, 4, 6, 20, max_det=25))
    save("ssd_regular_int8", lambda: ssd_model(96, 3, 3, 8, regular=True, quant="int8"))
    save("ssd_f16", lambda: ssd_model(80, 2, 4, 2, quant="f16"))
    save(
        "ssd_flatreshape_dynrange",
        lambda: ssd_model(64, 2, 2, 1, flat_reshape=True, quant="dynrange"),
    )
    save("audio_raw_8k", lambda: audio_raw(8000, 256, 128, 12, channels=32, rate=8000))
    save("audio_raw_1d_long", lambda: audio_raw(48000, 1024, 512, 20, from_1d=True))
    save("audio_raw_1d_dynamic", lambda: audio_raw(16000, 400, 160, 13, from_1d=True, dynamic=True))
    save("audio_signal_long", lambda: audio_signal(32000, 1024, 512, mels=64, dct=20))
