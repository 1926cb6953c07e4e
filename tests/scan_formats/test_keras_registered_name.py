"""Session 16 (rt17graph): Keras 3 resolves ``registered_name`` in the application's
custom-object registry before ``module``/``class_name`` (``_retrieve_class_or_fn``), so a layer
that reads as ``keras.layers.Dense`` can build any class a third-party package registered
(Keras 3.15, safe mode: the registered class was constructed while the file scanned clean).
Keras' own saves write ``registered_name`` null, the class name, or (functions) ``function``."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from airlock.formats.keras import analyze_config
from airlock.scan.engine import scan_paths


def _dense(registered: object) -> dict[str, object]:
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "dense", "units": 2},
        "registered_name": registered,
    }


@pytest.mark.parametrize("registered", ["thirdparty>Marker", "Custom>Dense", "Other"])
def test_registered_name_other_than_the_class_is_foreign(registered: str) -> None:
    issues = analyze_config(
        {"module": "keras", "class_name": "Sequential", "config": {"layers": [_dense(registered)]}}
    )
    assert [(i.kind, i.critical) for i in issues] == [("foreign-module", False)]
    assert registered in issues[0].evidence


def _seq(layer: dict[str, object]) -> dict[str, object]:
    return {"module": "keras", "class_name": "Sequential", "config": {"layers": [layer]}}


@pytest.mark.parametrize("registered", ["absent", "thirdparty>Marker", None])
def test_registry_key_as_class_name_is_foreign(registered: object) -> None:
    """review16: with registered_name absent Keras looks class_name up in the registry, so a
    ``package>name`` class_name built the registered class (Keras 3.15, safe mode)."""
    layer: dict[str, object] = {**_dense(registered), "class_name": "thirdparty>Marker"}
    if registered == "absent":
        del layer["registered_name"]
    issues = analyze_config(_seq(layer))
    if registered is None:  # get_registered_object(None) finds nothing; Keras fails to load
        assert all(i.kind != "foreign-module" for i in issues)
    else:
        assert [(i.kind, i.critical) for i in issues] == [("foreign-module", False)]


def test_registry_key_as_function_name_is_foreign() -> None:
    """review16: a function's registry lookup goes by its config name (Keras called the
    registered ``thirdparty>marker_fn`` in safe mode)."""
    fn = {
        "module": "keras.activations",
        "class_name": "function",
        "config": "thirdparty>marker_fn",
        "registered_name": "function",
    }
    layer = {**_dense(None), "config": {"name": "dense", "units": 2, "activation": fn}}
    issues = analyze_config(_seq(layer))
    assert [(i.kind, i.critical) for i in issues] == [("foreign-module", False)]


@pytest.mark.parametrize("registered", [None, "Dense", ""])
def test_keras_own_registered_names_are_clean(registered: object) -> None:
    fn = {
        "module": "keras.activations",
        "class_name": "function",
        "config": "relu",
        "registered_name": "function",
    }
    layer = {**_dense(registered), "config": {"name": "dense", "units": 2, "activation": fn}}
    assert (
        analyze_config(
            {"module": "keras", "class_name": "Sequential", "config": {"layers": [layer]}}
        )
        == []
    )


_SAVE = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import keras
keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="relu")]).save(sys.argv[1])
"""
_LOAD = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import keras
@keras.saving.register_keras_serializable(package="thirdparty")
class Marker(keras.layers.Dense):  # any class a package in the process registered
    def __init__(self, *a, **k):
        open(sys.argv[2], "w").write("built")
        super().__init__(*a, **k)
try:
    keras.models.load_model(sys.argv[1])
except Exception:
    pass
"""


@pytest.mark.parametrize("where", ["registered_name", "class_name"])
def test_real_keras_builds_the_registered_class(tmp_path: Path, where: str) -> None:
    # find_spec, not importorskip: importing keras here would pick the TensorFlow backend
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec("torch") is None:
        pytest.skip("keras and torch write and load the models (group test)")
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    honest = tmp_path / "honest.keras"
    subprocess.run([sys.executable, "-c", _SAVE, str(honest)], check=True, env=env, timeout=300)
    assert scan_paths([honest]).findings == []
    with zipfile.ZipFile(honest) as z:
        members = {n: z.read(n) for n in z.namelist()}
    config = json.loads(members["config.json"])
    layer = config["config"]["layers"][1]
    if where == "registered_name":
        layer["registered_name"] = "thirdparty>Marker"
    else:  # review16: with no registered_name Keras looks class_name up in the registry
        layer["class_name"] = "thirdparty>Marker"
        del layer["registered_name"]
    members["config.json"] = json.dumps(config).encode()
    swapped = tmp_path / "swap.keras"
    with zipfile.ZipFile(swapped, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    marker = tmp_path / "MARKER"
    subprocess.run([sys.executable, "-c", _LOAD, str(swapped), str(marker)], env=env, timeout=300)
    assert marker.exists()  # the oracle: Keras built the registered class, not Dense
    report = scan_paths([swapped])
    assert [(f.rule_id, f.severity.name) for f in report.findings] == [("AIR-KERAS-002", "HIGH")]


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("kernel_initializer", "thirdparty>MarkerInit"),
        ("kernel_regularizer", "thirdparty>MarkerReg"),
        ("activation", "thirdparty>marker_fn"),
        ("bias_initializer", "third-party>marker-init.v2"),
        ("metrics", ["thirdparty>MarkerMetric"]),
    ],
)
def test_registry_key_as_a_plain_string_is_foreign(where: str, value: object) -> None:
    """review16b: deserialize_keras_object returns ``custom_objects[s]`` for any string that is
    a registry key; ``"kernel_initializer": "thirdparty>MarkerInit"`` had Keras 3.15 (safe
    mode) build and call the registered initializer while the file scanned clean."""
    layer = {**_dense(None), "config": {"name": "a>b", "units": 2, where: value}}
    issues = analyze_config(_seq(layer))
    assert [(i.kind, i.critical) for i in issues] == [("foreign-module", False)], issues
    assert "party>" in issues[0].evidence


@pytest.mark.parametrize("value", ["<[^>]*>", "a -> b", "glorot_uniform", "x > 1"])
def test_strings_that_are_not_registry_keys_are_clean(value: str) -> None:
    layer = {**_dense(None), "config": {"name": "dense", "units": 2, "standardize": value}}
    assert analyze_config(_seq(layer)) == []


_LOAD_INIT = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import keras
@keras.saving.register_keras_serializable(package="thirdparty")
class MarkerInit(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        open(sys.argv[2], "w").write("called")
        return keras.ops.zeros(shape, dtype=dtype)
try:
    keras.models.load_model(sys.argv[1])
except Exception:
    pass
"""


def test_real_keras_calls_a_registered_initializer_named_by_string(tmp_path: Path) -> None:
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec("torch") is None:
        pytest.skip("keras and torch write and load the models (group test)")
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    honest = tmp_path / "honest.keras"
    subprocess.run([sys.executable, "-c", _SAVE, str(honest)], check=True, env=env, timeout=300)
    with zipfile.ZipFile(honest) as z:
        members = {n: z.read(n) for n in z.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"][1]["config"]["kernel_initializer"] = "thirdparty>MarkerInit"
    members["config.json"] = json.dumps(config).encode()
    edited = tmp_path / "init.keras"
    with zipfile.ZipFile(edited, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    marker = tmp_path / "MARKER"
    subprocess.run(
        [sys.executable, "-c", _LOAD_INIT, str(edited), str(marker)], env=env, timeout=300
    )
    assert marker.exists()  # the oracle: Keras called the registered initializer
    report = scan_paths([edited])
    assert [(f.rule_id, f.severity.name) for f in report.findings] == [("AIR-KERAS-002", "HIGH")]


def _hub(module: str, class_name: str, registered: object) -> dict[str, object]:
    return {
        "module": module,
        "class_name": class_name,
        "config": {"name": "bert_backbone", "vocabulary_size": 45, "num_layers": 1},
        "registered_name": registered,
    }


@pytest.mark.parametrize("package", ["keras_hub", "keras_nlp"])
def test_keras_hub_own_registry_key_is_clean(package: str) -> None:
    """fp26: KerasHub's ``keras_hub_export`` registers each class as ``keras_hub>Name`` (and
    ``keras_nlp>Name``); its ``.keras`` files and preset configs name that key beside the class's
    own module (keras-hub 0.32 BertBackbone/GPT2Backbone/LlamaBackbone/BertTokenizer)."""
    module = "keras_hub.src.models.bert.bert_backbone"
    node = _hub(module, "BertBackbone", f"{package}>BertBackbone")
    assert analyze_config(node) == []


@pytest.mark.parametrize(
    ("module", "class_name", "registered"),
    [
        # another package's key, or another name, on a keras_hub class
        ("keras_hub.src.models.bert.bert_backbone", "BertBackbone", "thirdparty>BertBackbone"),
        ("keras_hub.src.models.bert.bert_backbone", "BertBackbone", "keras_hub>Marker"),
        # a keras_hub key on a core Keras object (the registry gives another class than Dense)
        ("keras.layers", "Dense", "keras_hub>Dense"),
        # an API-path class name (Keras resolves "models.X" under the module) keeps the rule
        ("keras_hub", "models.BertBackbone", "keras_hub>models.BertBackbone"),
    ],
)
def test_other_registry_keys_on_keras_hub_stay_foreign(
    module: str, class_name: str, registered: str
) -> None:
    issues = analyze_config(_hub(module, class_name, registered))
    assert ("foreign-module", False) in [(i.kind, i.critical) for i in issues]
