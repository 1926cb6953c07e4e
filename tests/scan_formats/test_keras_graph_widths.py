"""Session 18 (rt19fmt2): AIR-KERAS-011 took a layer's input width from its ``build_config`` and,
without one, from the widest declared last dimension. The functional graph builds the layer
anyway, from the shape its input layer produces: a real 18 KB ``.h5`` (or ``.keras``) with the
``build_config`` entries removed and ``Input(128, 128, 64) -> Flatten -> Dense(2048)`` made Keras
3.15 ask for an 8 GiB kernel (``UpSampling2D(size=(512, 512))`` before the Flatten: 2 GiB) and
was ALLOW. The estimate now propagates shapes along ``inbound_nodes`` (Keras 3 and tf.keras 2
spellings) and the order of a Sequential."""

from __future__ import annotations

import json
import os
import shutil
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


def _strip(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("build_config", None)
        for v in node.values():
            _strip(v)
    elif isinstance(node, list):
        for v in node:
            _strip(v)


def _widen(config: dict[str, Any], shape: list[int] | None, **sizes: Any) -> None:
    """Remove every build_config, set the input shape and the named layers' arguments."""
    _strip(config)
    for layer in config["config"]["layers"]:
        c = layer["config"]
        if layer["class_name"] == "InputLayer" and shape is not None:
            c["batch_shape"] = [None, *shape]
        for key, value in sizes.get(layer["class_name"], {}).items():
            c[key] = value


def _edit_keras(src: Path, dst: Path, edit: Any) -> Path:
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w") as zo:
        for info in zi.infolist():
            data = zi.read(info.filename)
            if info.filename == "config.json":
                config = json.loads(data)
                edit(config)
                data = json.dumps(config).encode()
            zo.writestr(info, data)
    return dst


def _edit_h5(src: Path, dst: Path, edit: Any) -> Path:
    h5py = pytest.importorskip("h5py", reason="needs group test")
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        edit(config)
        f.attrs["model_config"] = json.dumps(config)
    return dst


def _saves(tmp_path: Path) -> dict[str, Path]:
    keras = pytest.importorskip("keras", reason="needs group test")
    L = keras.layers
    i = keras.Input((8, 8, 4))
    flat = keras.Model(i, L.Dense(4)(L.Flatten()(i)))
    j = keras.Input((8, 8, 4))
    up = keras.Model(j, L.Dense(4)(L.Flatten()(L.UpSampling2D((2, 2))(j))))
    out = {}
    for name, model in (("flat", flat), ("up", up)):
        for ext in ("keras", "h5"):
            out[f"{name}.{ext}"] = tmp_path / f"{name}.{ext}"
            model.save(out[f"{name}.{ext}"])
    return out


EDITS = {
    "flat": lambda c: _widen(c, [128, 128, 64], Dense={"units": 2048}),  # 2**31 elements
    "up": lambda c: _widen(c, None, UpSampling2D={"size": [512, 512]}, Dense={"units": 8}),
}


@pytest.mark.parametrize("name", ["flat.keras", "flat.h5", "up.keras", "up.h5"])
def test_graph_derived_widths_are_counted(tmp_path: Path, name: str) -> None:
    saves = _saves(tmp_path)
    handler: Any = KerasZipHandler() if name.endswith(".keras") else HDF5Handler()
    assert "AIR-KERAS-011" not in _scan(saves[name], handler)  # the honest save
    editor = _edit_keras if name.endswith(".keras") else _edit_h5
    hostile = editor(saves[name], tmp_path / f"big_{name}", EDITS[name.split(".")[0]])
    assert "AIR-KERAS-011" in _scan(hostile, handler)


def _tf2_functional(shape: list[int], units: int) -> dict[str, Any]:
    """A tf.keras 2 functional config: no build_config, inbound nodes as name lists."""

    def layer(cls: str, name: str, config: dict[str, Any], inbound: str | None) -> dict[str, Any]:
        nodes = [[[inbound, 0, 0, {}]]] if inbound else []
        return {
            "class_name": cls,
            "name": name,
            "config": {"name": name, **config},
            "inbound_nodes": nodes,
        }

    return {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [
                layer("InputLayer", "input_1", {"batch_input_shape": [None, *shape]}, None),
                layer(
                    "Conv2D",
                    "conv",
                    {"filters": 512, "kernel_size": [3, 3], "padding": "same"},
                    "input_1",
                ),
                layer("Flatten", "flatten", {}, "conv"),
                layer("Dense", "dense", {"units": units}, "flatten"),
            ],
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [["dense", 0, 0]],
        },
    }


def test_tf_keras_2_inbound_nodes_are_followed() -> None:
    """Flatten of a same-padded convolution with 512 filters on 64x64: 2,097,152 inputs."""
    elements, where = build_estimate(_tf2_functional([64, 64, 3], 256))
    assert elements >= (64 * 64 * 512) * 256, where
    small, _ = build_estimate(_tf2_functional([7, 7, 3], 10))  # a VGG-sized head stays small
    assert small < 1 << 24


def test_sequential_without_build_config_is_followed() -> None:
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 4096], "name": "i"},
                },
                {"class_name": "Embedding", "config": {"input_dim": 10, "output_dim": 512}},
                {"class_name": "Flatten", "config": {}},
                {"class_name": "Dense", "config": {"units": 1024}},
            ],
        },
    }
    assert build_estimate(config)[0] >= 4096 * 512 * 1024


def test_keras_really_builds_the_graph_derived_kernel(tmp_path: Path) -> None:
    """Oracle (a subprocess): Keras 3 asks for the 8 GiB kernel of the edited ``.keras``."""
    saves = _saves(tmp_path)
    path = _edit_keras(saves["flat.keras"], tmp_path / "big.keras", EDITS["flat"])
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
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
    assert str(1 << 33) in run.stdout, (run.stdout[-800:], run.stderr[-800:])


def test_legacy_h5_estimate_follows_the_graph(tmp_path: Path) -> None:
    """Keras 3's own ``.h5`` carries no ``build_config``: the widest declared dimension (the
    Flatten output) was charged to every convolution, 8.6x VGG16's weights (4.4 GiB for an honest
    ``VGG16(weights=None).save("m.h5")``: a false AIR-KERAS-011). The graph gives the widths."""
    keras = pytest.importorskip("keras", reason="needs group test")
    h5py = pytest.importorskip("h5py", reason="needs group test")
    L = keras.layers
    m = keras.Sequential(
        [
            keras.Input((64, 64, 3)),
            L.Conv2D(32, 3, padding="same"),
            L.MaxPooling2D(),
            L.Conv2D(64, 3),
            L.MaxPooling2D(),
            L.Conv2D(128, 3, strides=2, padding="same"),
            L.Flatten(),
            L.Dense(256),
            L.Dense(10),
        ]
    )
    m.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5") as f:
        config = json.loads(f.attrs["model_config"])
    elements, where = build_estimate(config)
    assert 0.99 * m.count_params() <= elements <= 1.2 * m.count_params(), (elements, where)
