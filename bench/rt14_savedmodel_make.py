"""Honest TensorFlow SavedModels from the real savers for ``rt14_savedmodel_honest.py``: TF2
modules, Keras exports, lookup tables with vocabulary assets, control flow, and TF1 builders;
the Keras models also as ``.keras`` and legacy ``.h5`` (lookup layers' vocabularies).
Needs tensorflow (and its keras); run by ``rt14_savedmodel_honest.py`` with ``--tf-python``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.w = tf.Variable(tf.ones([4, n]))
        self.b = tf.Variable(tf.zeros([n]))

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        return tf.nn.relu(x @ self.w + self.b)


class Loop(tf.Module):
    def __init__(self) -> None:
        super().__init__()
        self.v = tf.Variable(2.0)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def f(self, x: tf.Tensor) -> tf.Tensor:
        i = tf.constant(0)
        while i < 3:
            x = x * self.v if x > 0 else x - 1.0
            i += 1
        return x

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def g(self, s: tf.Tensor) -> tf.Tensor:
        return tf.strings.length(tf.strings.join([s, "x"]))


class Table(tf.Module):
    def __init__(self, vocab: str) -> None:
        super().__init__()
        init = tf.lookup.TextFileInitializer(
            vocab, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
            tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)  # fmt: skip
        self.t = tf.lookup.StaticHashTable(init, -1)
        self.k = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([1, 2], tf.int64)), -1
        )

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def __call__(self, s: tf.Tensor) -> tf.Tensor:
        return self.t.lookup(s) + self.k.lookup(s)


def keras_models() -> dict[str, keras.Model]:
    inp = keras.Input((8,))
    x = keras.layers.Dense(4, activation="relu")(inp)
    func = keras.Model(inp, keras.layers.Dense(2)(x))
    seq = keras.Sequential([keras.Input((10,)), keras.layers.Embedding(50, 4),
                            keras.layers.LSTM(3), keras.layers.Dense(1)])  # fmt: skip
    conv = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3),
                             keras.layers.BatchNormalization(), keras.layers.Flatten(),
                             keras.layers.Dropout(0.1), keras.layers.Dense(3)])  # fmt: skip
    txt = keras.Sequential([keras.Input((1,), dtype="string"),
                            keras.layers.StringLookup(vocabulary=["a", "b", "c"])])  # fmt: skip
    intl = keras.Sequential([keras.Input((1,), dtype="int64"),
                             keras.layers.IntegerLookup(vocabulary=[3, 5, 7])])  # fmt: skip
    tv = keras.layers.TextVectorization(max_tokens=20, output_mode="tf_idf")
    tv.adapt(["the cat sat", "the dog ran", "a cat ran"])
    vec = keras.Sequential([keras.Input((1,), dtype="string"), tv])
    return {"functional": func, "lstm": seq, "conv": conv, "stringlookup": txt,
            "integerlookup": intl, "textvectorization": vec}  # fmt: skip


def tf1_models(out: Path) -> None:
    v1 = tf.compat.v1
    for sharded in (True, False):
        g = tf.Graph()
        with g.as_default():
            x = v1.placeholder(tf.float32, [None, 3], name="x")
            w = v1.get_variable("w", [3, 2])
            y = tf.identity(x @ w, name="y")
            with v1.Session(graph=g) as sess:
                sess.run(v1.global_variables_initializer())
                d = out / f"tf1_builder_{'main_op' if sharded else 'plain'}"
                b = v1.saved_model.Builder(str(d))
                sig = v1.saved_model.predict_signature_def({"x": x}, {"y": y})
                b.add_meta_graph_and_variables(
                    sess, ["serve"], signature_def_map={"serving_default": sig},
                    main_op=v1.tables_initializer() if sharded else None)  # fmt: skip
                b.save()
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        w = v1.get_variable("w", [3, 2])
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            v1.saved_model.simple_save(sess, str(out / "tf1_simple_save"), {"x": x}, {"y": x @ w})


def main(out: Path) -> None:
    keras.utils.set_random_seed(14)  # the same weights (and data-shard bytes) every run
    vocab = Path(tempfile.mkdtemp()) / "vocab.txt"
    vocab.write_text("a\nb\nc\n")
    for n in (1, 3):
        tf.saved_model.save(Dense(n), str(out / f"tf2_dense{n}"))
    tf.saved_model.save(Loop(), str(out / "tf2_control_flow"))
    tf.saved_model.save(Table(str(vocab)), str(out / "tf2_table_asset"))
    m = Dense(2)
    sigs = {"a": m.__call__, "b": m.__call__.get_concrete_function()}
    tf.saved_model.save(m, str(out / "tf2_signatures"), signatures=sigs)
    for name, km in keras_models().items():
        km.save(str(out / f"keras_zip_{name}.keras"))
        if name not in ("textvectorization",):  # TextVectorization has no legacy-H5 config
            km.save(str(out / f"keras_h5_{name}.h5"))
        if name in ("integerlookup", "textvectorization"):  # new in the grid: .keras only
            continue
        km.export(str(out / f"keras_export_{name}"))
        tf.saved_model.save(km, str(out / f"keras_tfsave_{name}"))
    tf1_models(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
