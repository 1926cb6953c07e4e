"""Core ML ``.mlmodel`` protobufs and ``.mlpackage`` weight files built here in the layout of
Model.proto / MIL blob storage v2: plain models and packages are clean, custom models and custom
layers are findings, broken files are never clean and never crash the scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.scan.engine import scan_data, scan_paths

from .coreml_build import blob_storage, layer, model, network
from .pb import lfield, vfield


def test_neural_network_and_package_are_clean(tmp_path: Path) -> None:
    pkg = tmp_path / "m.mlpackage" / "Data" / "com.apple.CoreML"
    (pkg / "weights").mkdir(parents=True)
    (pkg / "model.mlmodel").write_bytes(model(502, lfield(1, vfield(1, 1))))  # mlProgram
    (pkg / "weights" / "weight.bin").write_bytes(blob_storage([b"\x01" * 100, b"\x02" * 64]))
    (tmp_path / "nn.mlmodel").write_bytes(network(layer("fc1"), layer("fc2")))
    report = scan_paths([tmp_path])
    assert report.findings == [] and not report.not_scanned
    assert {o.format for o in report.objects} == {"coreml", "coreml-weights"}


def test_pipeline_of_models_is_walked() -> None:
    inner = network(layer("fc"), layer("odd", 500, lfield(10, b"MyLayer")))
    r = scan_data(model(202, lfield(1, inner)), "p.mlmodel")
    assert [f.rule_id for f in r.findings] == ["AIR-CML-001"]
    assert "MyLayer" in r.findings[0].evidence


def test_custom_model_and_linked_model_are_findings() -> None:
    r = scan_data(model(555, lfield(10, b"MyCustomModel")), "c.mlmodel")
    assert [(f.rule_id, f.severity.name) for f in r.findings] == [("AIR-CML-001", "HIGH")]
    linked = model(556, lfield(1, lfield(1, lfield(1, b"other.mlmodelc"))))
    r = scan_data(linked, "l.mlmodel")
    assert [f.rule_id for f in r.findings] == ["AIR-CML-002"]


@pytest.mark.parametrize(
    "data",
    [
        network(layer("fc"))[:-3],
        network(layer("fc")) + lfield(300, b""),  # two model types
        network(layer("fc")) + lfield(7777, b"x"),  # a field Model does not have
        blob_storage([b"\x01" * 100])[:-40],
        blob_storage([b"\x01" * 100]) + b"cos\nsystem\n(S'x'\ntR.",
    ],
)
def test_broken_files_are_not_clean(data: bytes) -> None:
    r = scan_data(data, "m.mlmodel")
    assert r.findings and any(o.status == "not_scanned" for o in r.objects)


_SEEDS = [network(layer("fc"), layer("c", 500, lfield(10, b"X"))), blob_storage([b"\x01" * 70])]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=4),
)
def test_mutated_files_never_crash_the_scanner(seed: bytes, edits: list[tuple[int, int]]) -> None:
    data = bytearray(seed)
    for pos, value in edits:
        data[pos % len(data)] = value
    r = scan_data(bytes(data), "m.mlmodel")
    assert not any(f.rule_id == "AIR-SCAN-002" for f in r.findings), r.findings


def _program(file_name: str, nested: bool = False) -> bytes:
    """mlProgram (MIL.proto): function 'main' -> block 'CoreML5' -> a const whose 'val'
    attribute is a BlobFileValue (or, ``nested``, an op input binding holding a tuple of one)."""
    value = lfield(5, lfield(1, file_name.encode()) + vfield(2, 64))  # Value.blobFileValue
    if nested:
        tup = lfield(3, lfield(2, lfield(1, value)))  # Value{immediateValue{tuple{values}}}
        op = lfield(1, b"const") + lfield(
            2, lfield(1, b"x") + lfield(2, lfield(1, lfield(2, tup)))
        )  # inputs["x"] = Argument{Binding{value}}
    else:
        op = lfield(1, b"const") + lfield(5, lfield(1, b"val") + lfield(2, value))
    block = lfield(3, op)
    function = lfield(3, lfield(1, b"CoreML5") + lfield(2, block))
    program = vfield(1, 1) + lfield(2, lfield(1, b"main") + lfield(2, function))
    return model(502, program, version=7)


@pytest.mark.parametrize("nested", [False, True])
def test_mlprogram_weight_file_outside_the_package_is_high(nested: bool) -> None:
    """Session 15: BlobFileValue.fileName was not read; honest savers write @model_path/."""
    assert scan_data(_program("@model_path/weights/weight.bin", nested), "m.mlmodel").findings == []
    for name in ("/etc/passwd", "@model_path/../../../etc/passwd", "weights/weight.bin"):
        r = scan_data(_program(name, nested), "m.mlmodel")
        assert [(f.rule_id, f.severity.name) for f in r.findings] == [("AIR-CML-003", "HIGH")]
