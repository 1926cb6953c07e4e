"""Session 18 (rt19fmt): Keras builds every layer from the config's sizes and input shapes and
fills each variable with its initializer before a weight is read. An 11 KB ``.keras`` (a real
save with ``units`` and the input width raised) made Keras 3.15 (torch backend) allocate a
2 GiB kernel, 4.6 GiB peak, in safe mode, and was ALLOW. AIR-KERAS-011 bounds the variables a
config builds by the bytes the file carries for its weights."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from airlock.formats.keras import build_estimate
from airlock.scan.engine import run_handler
from airlock.scan.handlers.hdf5 import HDF5Handler
from airlock.scan.handlers.keras import KerasZipHandler
from airlock.scan.interface import ScanContext, Source

os.environ.setdefault("KERAS_BACKEND", "torch")


def _scan(path: Path, handler: Any) -> set[str]:
    src = Source(path.read_bytes(), path)
    assert handler.sniff(src)
    return {f.rule_id for f in run_handler(handler, src, ScanContext(str(path))).findings}


def _dense(units: int, width: int | None, **extra: Any) -> dict[str, Any]:
    layer: dict[str, Any] = {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "d", "units": units, "activation": "linear", "use_bias": True, **extra},
        "registered_name": None,
    }
    if width is not None:
        layer["build_config"] = {"input_shape": [None, width]}
    return layer


def _model(width: int, *layers: dict[str, Any]) -> dict[str, Any]:
    inp = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": [None, width], "dtype": "float32", "name": "i"},
        "registered_name": None,
    }
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "s", "layers": [inp, *layers]},
        "registered_name": None,
        "build_config": {"input_shape": [None, width]},
    }


def _keras_zip(path: Path, config: dict[str, Any], weights: bytes = b"\0" * 2048) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights)
    return path


HOSTILE = {
    "dense from its build_config": _model(4, _dense(1 << 14, 1 << 15)),
    "dense from the input layer (no build_config)": _model(1 << 15, _dense(1 << 14, None)),
    "many mid-sized layers": _model(2048, *[_dense(2048, 2048, name=f"d{i}") for i in range(80)]),
    "recurrent units squared": _model(
        4,
        {
            "module": "keras.layers",
            "class_name": "LSTM",
            "config": {"name": "l", "units": 1 << 14},
            "registered_name": None,
            "build_config": {"input_shape": [None, 10, 4]},
        },
    ),
    "convolutional recurrent state": _model(
        4,
        {
            "module": "keras.layers",
            "class_name": "ConvLSTM2D",
            "config": {"name": "c", "filters": 1 << 12, "kernel_size": [3, 3]},
            "registered_name": None,
            "build_config": {"input_shape": [None, 5, 8, 8, 4]},
        },
    ),
    "embedding table": _model(
        8,
        {
            "module": "keras.layers",
            "class_name": "Embedding",
            "config": {"name": "e", "input_dim": 1 << 20, "output_dim": 1 << 10},
            "registered_name": None,
            "build_config": {"input_shape": [None, 8]},
        },
    ),
    "unknown size argument": _model(
        4,
        {
            "module": "keras.layers",
            "class_name": "EinsumDense",
            "config": {"name": "x", "equation": "ab,bc->ac", "output_shape": [1 << 28]},
            "registered_name": None,
            "build_config": {"input_shape": [None, 4]},
        },
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_configs_building_huge_variables_are_denied(tmp_path: Path, name: str) -> None:
    path = _keras_zip(tmp_path / "m.keras", HOSTILE[name])
    assert "AIR-KERAS-011" in _scan(path, KerasZipHandler()), build_estimate(HOSTILE[name])


def test_the_weights_the_file_carries_allow_a_large_build(tmp_path: Path) -> None:
    """The bound is relative: a config whose weights ship with it is not judged by size."""
    config = _model(4, _dense(1 << 14, 1 << 15))
    assert build_estimate(config)[0] == (1 << 29) + 0  # 2 GiB of float32
    with zipfile.ZipFile(tmp_path / "m.keras", "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr("config.json", json.dumps(config))
        info = zipfile.ZipInfo("model.weights.h5")
        z.writestr(info, b"\0" * (1 << 28), compress_type=zipfile.ZIP_DEFLATED)  # 256 MiB
    assert "AIR-KERAS-011" not in _scan(tmp_path / "m.keras", KerasZipHandler())


def test_real_saves_stay_clean(tmp_path: Path) -> None:
    keras = pytest.importorskip("keras", reason="needs group test")
    L = keras.layers
    inp = keras.Input((32, 32, 3))
    x = L.Conv2D(64, 3, activation="relu")(inp)
    x = L.MaxPooling2D()(x)
    x = L.Conv2D(128, 3)(x)
    x = L.Flatten()(x)
    out = L.Dense(10)(L.Dropout(0.2)(L.Dense(512)(x)))
    keras.Model(inp, out).save(tmp_path / "cnn.keras")
    seq = keras.Input((50,), dtype="int32")
    y = L.Embedding(20000, 128)(seq)
    y = L.Bidirectional(L.LSTM(256, return_sequences=True))(y)
    y = L.MultiHeadAttention(8, 64)(y, y)
    y = L.LayerNormalization()(L.GRU(128)(y))
    m = keras.Model(seq, L.Dense(3)(y))
    m.save(tmp_path / "text.keras")
    m.save(tmp_path / "text.h5")
    keras.Sequential([keras.Input((4,)), L.Dense(3), L.BatchNormalization()]).save(
        tmp_path / "seq.keras"
    )
    for name in ("cnn.keras", "text.keras", "seq.keras"):
        assert "AIR-KERAS-011" not in _scan(tmp_path / name, KerasZipHandler()), name
    assert "AIR-KERAS-011" not in _scan(tmp_path / "text.h5", HDF5Handler())


def test_keras_really_allocates_what_the_config_builds(tmp_path: Path) -> None:
    """Oracle (a subprocess): Keras 3 asks for the 16 GiB kernel of ``Dense(2**17)`` on 2**15
    inputs while it loads a 1 KB file in safe mode (the allocator refuses it under the address
    space limit, so nothing is really used)."""
    pytest.importorskip("keras", reason="needs group test")
    path = _keras_zip(tmp_path / "m.keras", _model(4, _dense(1 << 17, 1 << 15)))
    assert "AIR-KERAS-011" in _scan(path, KerasZipHandler())
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))\n"
        "import keras\n"
        "try:\n"
        "    keras.saving.load_model(sys.argv[1])\n"
        "except BaseException as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    run = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert str(4 << 32) in run.stdout, (run.stdout[-800:], run.stderr[-800:])


def _layer(cls: str, config: dict[str, Any], shape: list[int | None] | None) -> dict[str, Any]:
    layer: dict[str, Any] = {
        "module": "keras.layers",
        "class_name": cls,
        "config": {"name": cls.lower(), **config},
        "registered_name": None,
    }
    if shape is not None:
        layer["build_config"] = {"input_shape": shape}
    return layer


def _wide_model(shape: list[int | None], layer: dict[str, Any]) -> dict[str, Any]:
    inp = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": shape, "dtype": "float32", "name": "i"},
        "registered_name": None,
    }
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "s", "layers": [inp, layer]},
        "registered_name": None,
        "build_config": {"input_shape": shape},
    }


_SQUARE: list[int | None] = [None, 30000, 30000]
# rt25fmt (session 24): variables spanning every input dimension, not only the last one. Each
# made Keras 3.15 (safe mode) ask for 3.6 GB while loading a 12 KB .keras the estimate passed.
SPANNING = {
    "PReLU alpha over the whole input": _wide_model(_SQUARE, _layer("PReLU", {}, _SQUARE)),
    "PReLU with no build_config": _wide_model(_SQUARE, _layer("PReLU", {}, None)),
    "LayerNormalization over two axes": _wide_model(
        _SQUARE, _layer("LayerNormalization", {"axis": [1, 2]}, _SQUARE)
    ),
    "Normalization over two axes": _wide_model(
        _SQUARE, _layer("Normalization", {"axis": [1, 2]}, _SQUARE)
    ),
    "BatchNormalization over one wide non-last axis": _wide_model(
        [None, 1 << 30, 4], _layer("BatchNormalization", {"axis": 1}, [None, 1 << 30, 4])
    ),
    "PReLU inside TimeDistributed": _wide_model(
        [None, 2, 30000, 30000],
        _layer("TimeDistributed", {"layer": _layer("PReLU", {}, None)}, None),
    ),
    "EinsumDense contracting two input axes": _wide_model(
        [None, 3000, 3000],
        _layer("EinsumDense", {"equation": "abc,bcd->ad", "output_shape": [100]}, None),
    ),
}


@pytest.mark.parametrize("name", sorted(SPANNING))
def test_variables_spanning_the_input_are_bounded(tmp_path: Path, name: str) -> None:
    path = _keras_zip(tmp_path / "m.keras", SPANNING[name])
    assert "AIR-KERAS-011" in _scan(path, KerasZipHandler()), build_estimate(SPANNING[name])


def test_real_spanning_layers_stay_clean(tmp_path: Path) -> None:
    """Honest saves of the same layers (and EinsumDense's ``equation``, whose ``->`` read as a
    custom-object registry key and denied every honest EinsumDense save) pass."""
    keras = pytest.importorskip("keras", reason="needs group test")
    L = keras.layers
    inp = keras.Input((64, 64, 32))
    x = L.PReLU()(inp)
    x = L.LayerNormalization(axis=[1, 2, 3])(x)
    x = L.BatchNormalization()(x)
    x = L.BatchNormalization(axis=1)(x)
    keras.Model(inp, x).save(tmp_path / "img.keras")
    seq = keras.Input((128, 256))
    y = L.EinsumDense("abc,cd->abd", output_shape=(None, 512), bias_axes="d")(seq)
    y = L.EinsumDense("abc,cd->abd", output_shape=(None, 16))(y)
    keras.Model(seq, y).save(tmp_path / "einsum.keras")
    for name in ("img.keras", "einsum.keras"):
        assert _scan(tmp_path / name, KerasZipHandler()) == set(), name
