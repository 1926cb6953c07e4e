"""Session 18 (rt19fmt2): AIR-KERAS-011 judged only ``.keras`` and ``.h5`` configs. A bare Keras
JSON config (``model.to_json()``, 2 KB) with ``Dense(32768)`` on 32,768 inputs made
``keras.models.model_from_json`` ask for a 4 GiB kernel and was ALLOW; ``keras_metadata.pb``
(tf.keras SavedModel: every layer is revived from its config and built before the checkpoint is
read) had no check either. Both are now judged by the bytes their folder carries besides them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from airlock.scan.engine import run_handler, scan_paths
from airlock.scan.handlers.keras_metadata import KerasMetadataHandler
from airlock.scan.interface import ScanContext, Source

from . import pb

os.environ.setdefault("KERAS_BACKEND", "torch")


def _dense(name: str, units: int, width: int) -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": name, "units": units},
        "registered_name": None,
        "build_config": {"input_shape": [None, width]},
    }


def _functional(width: int, units: int) -> dict[str, Any]:
    inp = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": [None, width], "dtype": "float32", "name": "i"},
        "registered_name": None,
        "name": "i",
        "inbound_nodes": [],
    }
    dense = {
        **_dense("d", units, width),
        "name": "d",
        "inbound_nodes": [
            {
                "args": [
                    {
                        "class_name": "__keras_tensor__",
                        "config": {"shape": [None, width], "keras_history": ["i", 0, 0]},
                    }
                ],
                "kwargs": {},
            }
        ],
    }
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {
            "name": "f",
            "layers": [inp, dense],
            "input_layers": [["i", 0, 0]],
            "output_layers": [["d", 0, 0]],
        },
        "registered_name": "Functional",
    }


def _rules(folder: Path) -> set[str]:
    return {f.rule_id for f in scan_paths([folder]).findings}


def test_bare_json_config_building_gigabytes_is_denied(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(json.dumps(_functional(1 << 15, 1 << 15)))
    assert "AIR-KERAS-011" in _rules(tmp_path)


def test_bare_json_config_with_its_weights_beside_it_is_clean(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(json.dumps(_functional(1 << 15, 1 << 15)))
    with open(tmp_path / "model.weights.h5", "wb") as f:  # sparse: 600 MB declared
        f.truncate(600 << 20)
    assert "AIR-KERAS-011" not in {
        f.rule_id for f in scan_paths([tmp_path / "model.json"]).findings
    }


def test_small_json_config_is_clean(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(json.dumps(_functional(784, 128)))
    assert "AIR-KERAS-011" not in _rules(tmp_path)


def _metadata(layers: list[dict[str, Any]]) -> bytes:
    return b"".join(
        pb.lfield(
            1, pb.vfield(2, 1) + pb.lfield(3, f"root.layer-{i}") + pb.lfield(5, json.dumps(c))
        )
        for i, c in enumerate(layers)
    )


def _scan_metadata(path: Path) -> set[str]:
    src = Source(path.read_bytes(), path)
    h = KerasMetadataHandler()
    assert h.sniff(src)
    out = run_handler(h, src, ScanContext(str(path), fs_path=path))
    return {f.rule_id for f in out.findings}


def test_keras_metadata_layers_are_summed_over_nodes(tmp_path: Path) -> None:
    """40 nodes of Dense(4096) on 4096 inputs: 2.5 GiB, no node above 64 MiB alone."""
    path = tmp_path / "keras_metadata.pb"
    path.write_bytes(_metadata([_dense(f"d{i}", 4096, 4096) for i in range(40)]))
    assert "AIR-KERAS-011" in _scan_metadata(path)
    (tmp_path / "variables").mkdir()
    with open(tmp_path / "variables" / "variables.data-00000-of-00001", "wb") as f:
        f.truncate(2600 << 20)  # the checkpoint an honest SavedModel carries (sparse)
    assert "AIR-KERAS-011" not in _scan_metadata(path)


def test_model_from_json_really_allocates(tmp_path: Path) -> None:
    """Oracle (a subprocess): Keras 3 asks for the 4 GiB kernel while it reads the JSON."""
    keras = pytest.importorskip("keras", reason="needs group test")
    inp = keras.Input((32,))
    text = keras.Model(inp, keras.layers.Dense(4)(inp)).to_json()
    doc = json.loads(text)
    for layer in doc["config"]["layers"]:
        if layer["class_name"] == "InputLayer":
            layer["config"]["batch_shape"] = [None, 1 << 15]
        if layer["class_name"] == "Dense":
            layer["config"]["units"] = 1 << 15
            layer.pop("build_config", None)
    (tmp_path / "model.json").write_text(json.dumps(doc))
    assert "AIR-KERAS-011" in _rules(tmp_path)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "import keras\n"
        "try:\n"
        "    keras.models.model_from_json(open(sys.argv[1]).read())\n"
        "except BaseException as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "model.json")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert str(1 << 32) in run.stdout, (run.stdout[-800:], run.stderr[-800:])
