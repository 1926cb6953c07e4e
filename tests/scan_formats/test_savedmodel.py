"""TensorFlow SavedModel: ordinary graphs are clean; Python, file and network ops, escaping
assets and Keras metadata gadgets are findings; no input crashes. Checkpoint ops in the savers'
shapes: test_savedmodel_saver.py."""

from __future__ import annotations

import json

import pytest
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
    ("sf", "ShardedFilename"),
    ("join", "StringJoin"),
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


# -- repeated singular fields: read as protobuf reads them (last wins, messages merge) ----------


def _pb_classes() -> dict[str, type]:
    """The SavedModel messages the reader walks, built from their field numbers in TensorFlow's
    .proto files as a descriptor for the real protobuf runtime (TensorFlow is not installed; fields
    left out are unknown fields to protobuf, as they are skipped by the reader)."""
    pytest.importorskip("google.protobuf")
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    f = descriptor_pb2.FieldDescriptorProto
    layout = {
        "SavedModel": [("saved_model_schema_version", 1, f.TYPE_INT64, None, False),
                       ("meta_graphs", 2, f.TYPE_MESSAGE, "MetaGraphDef", True)],
        "MetaGraphDef": [("meta_info_def", 1, f.TYPE_MESSAGE, "MetaInfoDef", False),
                         ("graph_def", 2, f.TYPE_MESSAGE, "GraphDef", False),
                         ("asset_file_def", 6, f.TYPE_MESSAGE, "AssetFileDef", True)],
        "MetaInfoDef": [("tags", 4, f.TYPE_STRING, None, True),
                        ("tensorflow_version", 5, f.TYPE_STRING, None, False)],
        "GraphDef": [("node", 1, f.TYPE_MESSAGE, "NodeDef", True),
                     ("library", 2, f.TYPE_MESSAGE, "FunctionDefLibrary", False)],
        "FunctionDefLibrary": [("function", 1, f.TYPE_MESSAGE, "FunctionDef", True)],
        "FunctionDef": [("signature", 1, f.TYPE_MESSAGE, "OpDef", False),
                        ("node_def", 3, f.TYPE_MESSAGE, "NodeDef", True)],
        "OpDef": [("name", 1, f.TYPE_STRING, None, False)],
        "NodeDef": [("name", 1, f.TYPE_STRING, None, False), ("op", 2, f.TYPE_STRING, None, False)],
        "AssetFileDef": [("filename", 2, f.TYPE_STRING, None, False)],
    }  # fmt: skip
    file = descriptor_pb2.FileDescriptorProto(name="airlock_sm.proto", package="tftest")
    for msg, fields in layout.items():
        d = file.message_type.add(name=msg)
        for name, number, typ, ref, repeated in fields:
            d.field.add(
                name=name, number=number, type=typ, type_name=f".tftest.{ref}" if ref else None,
                label=f.LABEL_REPEATED if repeated else f.LABEL_OPTIONAL,
            )  # fmt: skip
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {m: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"tftest.{m}"))
            for m in layout}  # fmt: skip


def _as_protobuf_reads(data: bytes) -> dict[str, object]:
    """What the protobuf runtime parses from ``data``, in read_savedmodel's terms."""
    sm = _pb_classes()["SavedModel"].FromString(data)  # type: ignore[attr-defined]
    ops, functions, tags, versions, assets = [], set(), [], [], []
    for mg in sm.meta_graphs:
        if mg.HasField("meta_info_def"):
            tags.append(list(mg.meta_info_def.tags))
            if mg.meta_info_def.tensorflow_version:
                versions.append(mg.meta_info_def.tensorflow_version)
        ops += [(n.op, n.name) for n in mg.graph_def.node]
        for fn in mg.graph_def.library.function:
            functions.add(fn.signature.name)
            ops += [(n.op, n.name) for n in fn.node_def]
        assets += [a.filename for a in mg.asset_file_def]
    return {"schema": sm.saved_model_schema_version, "ops": ops, "functions": functions,
            "tags": tags, "versions": versions, "assets": assets}  # fmt: skip


def _as_airlock_reads(data: bytes) -> dict[str, object]:
    m = read_savedmodel(data)
    return {"schema": m.schema_version, "ops": [(u.op, u.node) for u in m.ops],
            "functions": m.functions, "tags": m.tags, "versions": m.tf_versions,
            "assets": m.assets}  # fmt: skip


def _twice(num: int, first: str, last: str) -> bytes:
    return pb.lfield(num, first) + pb.lfield(num, last)


def _model(nodes: bytes, fn: bytes = b"", info: bytes | None = None, assets: bytes = b"") -> bytes:
    graph = nodes + (pb.lfield(2, pb.lfield(1, fn)) if fn else b"")
    info = pb.lfield(1, pb.lfield(4, "serve") + pb.lfield(5, "2.15.0")) if info is None else info
    return pb.vfield(1, 1) + pb.lfield(2, info + pb.lfield(2, graph) + assets)


_SIG = pb.lfield(1, pb.lfield(1, "__inference_serve_1"))
DUPLICATES = {
    # NodeDef.op written twice: TensorFlow runs the second
    "graph-op": (_model(pb.lfield(1, pb.lfield(1, "r") + _twice(2, "Identity", "ReadFile"))),
                 ["AIR-TF-002"]),
    "function-op": (_model(b"", _SIG + pb.lfield(3, pb.lfield(1, "p") +
                                                 _twice(2, "Identity", "PyFunc"))),
                    ["AIR-TF-001"]),
    "write-op": (_model(pb.lfield(1, _twice(2, "NoOp", "WriteFile") + pb.lfield(1, "w"))),
                 ["AIR-TF-002"]),
    "dangerous-first": (_model(pb.lfield(1, pb.lfield(1, "r") + _twice(2, "ReadFile", "Identity"))),
                        []),
    # FunctionDef.signature twice (merged: the last name wins), OpDef.name twice
    "signature": (_model(b"", pb.lfield(1, pb.lfield(1, "a")) + pb.lfield(1, _twice(1, "b", "c")) +
                         pb.lfield(3, pb.node("x", "Const"))), []),
    # MetaInfoDef twice: tags appended, tensorflow_version last; schema version twice
    "meta-info": (_model(b"", info=pb.lfield(1, pb.lfield(4, "serve") + pb.lfield(5, "1.0")) +
                         pb.lfield(1, pb.lfield(4, "gpu") + pb.lfield(5, "2.15.0"))) +
                  pb.vfield(1, 7), []),
    # AssetFileDef.filename twice: the loader binds the last
    "asset-last": (_model(b"", assets=pb.lfield(6, _twice(2, "vocab.txt", "../../etc/passwd"))),
                   ["AIR-TF-003"]),
    "asset-first": (_model(b"", assets=pb.lfield(6, _twice(2, "../../etc/passwd", "vocab.txt"))),
                    []),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_repeated_singular_fields_read_as_protobuf_reads_them(case: str) -> None:
    data, expected = DUPLICATES[case]
    assert _as_airlock_reads(data) == _as_protobuf_reads(data)
    assert rules(data) == expected


def test_protobuf_semantics_of_the_fixtures() -> None:
    """The cases above really are last-wins / merge under the protobuf runtime."""
    graph = _as_protobuf_reads(DUPLICATES["graph-op"][0])
    assert graph["ops"] == [("ReadFile", "r")]
    meta = _as_protobuf_reads(DUPLICATES["meta-info"][0])
    assert meta["tags"] == [["serve", "gpu"]] and meta["versions"] == ["2.15.0"]
    assert meta["schema"] == 7
    assert _as_protobuf_reads(DUPLICATES["signature"][0])["functions"] == {"c"}
