"""Non-pickle formats written by their own libraries: safetensors, Keras 3, ONNX, GGUF, plus
joblib on its own (plain values and large arrays with every compressor), and the other files a
Hugging Face repository ships beside its weights (tokenizer model, Flax weights, README images,
audio samples)."""

from __future__ import annotations

import os

from bench.ecosystem.writer import Writer


def safetensors_files(w: Writer) -> None:
    import torch
    from safetensors.torch import save_file

    for name, tensors in {
        "f32": {"w": torch.ones(4, 4), "b": torch.zeros(4)},
        "mixed": {
            "h": torch.ones(3, dtype=torch.float16),
            "i": torch.arange(5),
            "bf": torch.ones(2, dtype=torch.bfloat16),
            "bool": torch.ones(2).bool(),
        },
        "empty": {},
    }.items():
        w.custom(
            f"safetensors {name}",
            "safetensors",
            f"{name}.safetensors",
            lambda p, t=tensors: save_file(t, str(p), metadata={"format": "pt"}),
        )


def keras_files(w: Writer) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    models = {
        "sequential": lambda: keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(3),
                keras.layers.Dropout(0.1),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        ),
        "functional-conv": lambda: _conv(keras),
    }
    for name, make in models.items():
        model = make()
        model.compile(optimizer="adam", loss="mse")
        w.custom(f"keras {name}", "keras", f"{name}.keras", lambda p, m=model: m.save(str(p)))
        w.custom(
            f"keras {name} weights",
            "keras-weights",
            f"{name}.weights.h5",
            lambda p, m=model: m.save_weights(str(p)),
        )


def _conv(keras):  # type: ignore[no-untyped-def]
    inp = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(2, 3)(inp)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, keras.layers.Dense(2)(x))


def onnx_files(w: Writer) -> None:
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])
    wt = helper.make_tensor("W", TensorProto.FLOAT, [4, 2], [0.1] * 8)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["h"]), helper.make_node("Relu", ["h"], ["y"])],
        "g",
        [x],
        [y],
        [wt],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    w.custom("onnx MatMul+Relu", "onnx", "mlp.onnx", lambda p: onnx.save(model, str(p)))


def gguf_files(w: Writer) -> None:
    import gguf
    import numpy as np

    def write(p: object) -> None:
        wr = gguf.GGUFWriter(str(p), "llama")
        wr.add_block_count(1)
        wr.add_context_length(16)
        wr.add_tensor("tok_embd.weight", np.ones((8, 4), dtype=np.float32))
        wr.add_tensor("out.weight", np.ones((4, 8), dtype=np.float16))
        wr.write_header_to_file()
        wr.write_kv_data_to_file()
        wr.write_tensors_to_file()
        wr.close()

    w.custom("gguf llama f32/f16", "gguf", "tiny.gguf", write)


def joblib_values(w: Writer) -> None:
    import numpy as np

    big = {
        "weights": np.arange(200_000, dtype=np.float32).reshape(400, 500),
        "ids": np.arange(1000),
        "names": ["a", "b"],
        "meta": {"v": 1},
    }
    w.joblib("large-arrays", big)
    w.joblib("list-of-arrays", [np.ones(10), np.zeros((3, 3), dtype=np.int8)])
    w.joblib("plain-dict", {"a": 1, "b": [1.5, None], "c": ("x", b"y")})


def repo_files(w: Writer) -> None:
    """What real model repositories hold besides the weights: a SentencePiece ``tokenizer.model``
    trained by sentencepiece, README images by Pillow, a WAV sample by ``wave``, and
    ``flax_model.msgpack`` by msgpack in ``flax.serialization``'s layout (flax itself is not
    installed here: ext 1 = (shape, dtype name, bytes), ext 3 = numpy scalar)."""
    import io
    import wave

    import msgpack
    import numpy as np
    import sentencepiece as spm
    from PIL import Image

    def tokenizer(p: object) -> None:
        corpus = w.dir / "repo" / "corpus.txt"
        lines = (f"the tokenizer of model {i} splits words like token{i % 37}" for i in range(400))
        corpus.write_text("\n".join(lines))
        prefix = str(w.dir / "repo" / "tok")
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=prefix, vocab_size=80, minloglevel=2
        )
        os.replace(prefix + ".model", str(p))
        corpus.unlink()
        os.unlink(prefix + ".vocab")

    w.current = "sentencepiece"
    w.custom("sentencepiece unigram tokenizer", "sentencepiece", "repo/tokenizer.model", tokenizer)

    w.current = "pillow"
    img = Image.new("RGB", (64, 32), (20, 120, 220))
    for ext, fmt in (("png", "PNG"), ("jpg", "JPEG"), ("gif", "GIF"), ("webp", "WEBP")):
        w.custom(f"README image {fmt}", "media", f"repo/assets/diagram.{ext}",
                 lambda p, f=fmt: img.save(str(p), f))  # fmt: skip

    def wav(p: object) -> None:
        out = io.BytesIO()
        with wave.open(out, "wb") as wf:
            wf.setnchannels(1)
            wf.setsampwidth(2)
            wf.setframerate(16000)
            wf.writeframes(np.sin(np.arange(1600) / 5).astype("<i2").tobytes())
        with open(str(p), "wb") as fh:
            fh.write(out.getvalue())

    w.current = "wave"
    w.custom("audio sample WAV", "media", "repo/sample.wav", wav)

    def nd(a: np.ndarray) -> msgpack.ExtType:
        return msgpack.ExtType(1, msgpack.packb((a.shape, a.dtype.name, a.tobytes())))

    state = {
        "params": {
            "embeddings": {"embedding": nd(np.ones((32, 8), np.float32))},
            "dense": {"kernel": nd(np.ones((8, 8), np.float16)), "bias": nd(np.zeros(8))},
            "scale": msgpack.ExtType(3, msgpack.packb(((), "float32", b"\0\0\x80?"))),
        }
    }
    w.current = "msgpack"
    w.bytes("flax-layout msgpack state", "flax-msgpack", "repo/flax_model.msgpack",
            msgpack.packb(state))  # fmt: skip


def generate(w: Writer) -> dict[str, str]:
    import importlib.metadata as md

    versions = {}
    for lib, fn in (
        ("safetensors", safetensors_files),
        ("keras", keras_files),
        ("onnx", onnx_files),
        ("gguf", gguf_files),
        ("joblib", joblib_values),
        ("sentencepiece", repo_files),
    ):
        w.current = lib
        try:
            versions[lib] = md.version(lib)
            fn(w)
        except Exception as exc:
            w.skip(f"{lib}: {fn.__name__}", exc)
    return versions
