"""TensorFlow SavedModel: ordinary graphs (with checkpoint ops) are clean; Python, file and
network ops, escaping assets and Keras metadata gadgets are findings; no input crashes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.formats.savedmodel import read_savedmodel
from airlock.scan.engine import run_handler
from airlock.scan.handlers.keras_metadata import KerasMetadataHandler
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.handlers.savedmodel import SavedModelHandler
from airlock.scan.interface import ScanContext, Source

from . import pb

BENIGN = [
    ("x", "Placeholder"),
    ("w", "VarHandleOp"),
    ("mm", "MatMul"),
    ("save", "SaveV2"),
    ("restore", "RestoreV2"),
    ("sf", "ShardedFilename"),
    ("merge", "MergeV2Checkpoints"),
]


def rules(data: bytes) -> list[str]:
    h = SavedModelHandler()
    src = Source(data)
    assert h.sniff(src)
    assert not OnnxHandler().sniff(src)
    return [f.rule_id for f in run_handler(h, src, ScanContext("saved_model.pb")).findings]


def test_reader_lists_ops_in_graph_and_functions() -> None:
    m = read_savedmodel(pb.saved_model(BENIGN, [("c", "Const")], ["vocab.txt"]))
    assert m.schema_version == 1 and m.tags == [["serve"]] and m.tf_versions == ["2.15.0"]
    assert [u.op for u in m.ops] == [o for _, o in BENIGN] + ["Const"]
    assert m.functions == {"__inference_serve_1"} and m.assets == ["vocab.txt"]


def test_ordinary_graph_is_clean() -> None:
    assert rules(pb.saved_model(BENIGN, [("c", "Const")], ["vocab.txt"])) == []


def test_python_and_io_ops() -> None:
    data = pb.saved_model(
        [*BENIGN, ("r", "ReadFile"), ("g", "MatchingFiles")],
        [("py", "EagerPyFunc"), ("w", "WriteFile"), ("n", "DataServiceDatasetV4")],
    )
    ids = rules(data)
    assert ids.count("AIR-TF-001") == 1 and ids.count("AIR-TF-002") == 4


def test_escaping_asset() -> None:
    assert rules(pb.saved_model(BENIGN, assets=["../../etc/passwd"])) == ["AIR-TF-003"]


def test_truncated_graph() -> None:
    data = pb.saved_model(BENIGN)
    assert rules(data[:-3]) == ["AIR-TF-000"]


def test_keras_metadata_gadget() -> None:
    layer = {
        "class_name": "Lambda",
        "config": {"name": "l", "function": "system", "function_type": "function", "module": "os"},
    }
    blob = pb.lfield(
        1, pb.vfield(2, 1) + pb.lfield(3, "root.layer-1") + pb.lfield(5, json.dumps(layer))
    )
    h = KerasMetadataHandler()
    src = Source(blob)
    assert h.sniff(src)
    ids = sorted(f.rule_id for f in h.scan(src, ScanContext("keras_metadata.pb")).findings)
    assert ids == ["AIR-KERAS-002", "AIR-KERAS-004"]
    benign = pb.lfield(1, pb.lfield(5, json.dumps({"class_name": "Dense", "config": {"units": 2}})))
    assert h.scan(Source(benign), ScanContext("k")).findings == []


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=30), st.integers(0, 150))
def test_handler_never_crashes(noise: bytes, cut: int) -> None:
    base = pb.saved_model([*BENIGN, ("r", "ReadFile")], [("c", "Const")], ["a.txt"])
    data = base[:cut] + noise + base[cut + len(noise) :]
    h = SavedModelHandler()
    src = Source(data)
    if h.sniff(src):
        out = run_handler(h, src, ScanContext("f"))
        assert not any(f.rule_id == "AIR-SCAN-002" for f in out.findings)  # no crash


def test_json_starting_with_newline_is_not_protobuf() -> None:
    doc = b'\n{"class_name": "Dense", "config": {"units": 2}, "module": "os"}'
    out = KerasMetadataHandler().scan(Source(doc), ScanContext("x.json"))
    assert out.format == "json" and [f.rule_id for f in out.findings] == ["AIR-KERAS-002"]
