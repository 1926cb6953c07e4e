"""ONNX and protobuf wire reader: models written by the onnx library are clean; escaping external
data, custom domains and oversized shapes are findings; no input crashes the readers."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from airlock.formats.onnx import read_onnx
from airlock.formats.protobuf_wire import ProtobufError, collect, iter_fields, read_varint
from airlock.scan.engine import run_handler
from airlock.scan.handlers.common import location_escapes
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.interface import ScanContext, Source


def make_model(nodes=None, inits=None, functions=None, shape=(1, 4), opsets=None):  # type: ignore[no-untyped-def]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, list(shape))
    w = numpy_helper.from_array(np.ones((4, 4), np.float32), "w")
    nodes = nodes or [helper.make_node("MatMul", ["x", "w"], ["y"])]
    graph = helper.make_graph(nodes, "g", [x], [y], [w, *(inits or [])])
    return helper.make_model(
        graph,
        opset_imports=opsets or [helper.make_opsetid("", 17)],
        functions=functions or [],
        producer_name="airlock-test",
    )


def scan_file(path: Path) -> list[str]:
    data = path.read_bytes()
    h = OnnxHandler()
    src = Source(data, path)
    assert h.sniff(src)
    out = run_handler(h, src, ScanContext(str(path), fs_path=path))
    return [f.rule_id for f in out.findings]


def test_benign_model_is_clean(tmp_path: Path) -> None:
    p = tmp_path / "m.onnx"
    onnx.save(make_model(), p)
    assert scan_file(p) == []
    m = read_onnx(p.read_bytes())
    assert [n.op_type for n in m.nodes] == ["MatMul"] and m.ir_version >= 3
    assert m.tensors[0].dims == (4, 4) and m.tensors[0].raw_len == 64


def test_benign_external_data_is_clean(tmp_path: Path) -> None:
    p = tmp_path / "m.onnx"
    big = numpy_helper.from_array(np.ones((64, 64), np.float32), "big")
    model = make_model(inits=[big])
    onnx.save_model(model, p, save_as_external_data=True, location="weights.bin", size_threshold=0)
    assert (tmp_path / "weights.bin").exists()
    assert scan_file(p) == []


def _external(location: str) -> onnx.ModelProto:
    t = TensorProto()
    t.name = "leak"
    t.data_type = TensorProto.UINT8
    t.dims.append(16)
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", location
    return make_model(inits=[t])


@pytest.mark.parametrize(
    "location",
    [
        "/etc/passwd",
        "../../../../etc/passwd",
        "sub/../../x",
        "C:\\Windows\\win.ini",
        "..\\..\\secret",
    ],
)
def test_external_data_escaping_is_critical(tmp_path: Path, location: str) -> None:
    p = tmp_path / "m.onnx"
    onnx.save(_external(location), p)
    assert "AIR-ONNX-001" in scan_file(p)


def test_external_data_symlink_escape(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"s" * 16)
    os.symlink(secret, model_dir / "weights.bin")
    p = model_dir / "m.onnx"
    onnx.save(_external("weights.bin"), p)
    assert "AIR-ONNX-001" in scan_file(p)


def test_external_data_missing_and_out_of_range(tmp_path: Path) -> None:
    p = tmp_path / "m.onnx"
    onnx.save(_external("weights.bin"), p)
    assert scan_file(p) == ["AIR-ONNX-002"]
    (tmp_path / "weights.bin").write_bytes(b"\0" * 4)
    assert scan_file(p) == ["AIR-ONNX-005"]


def test_custom_domain_and_local_functions(tmp_path: Path) -> None:
    custom = helper.make_node("Evil", ["x"], ["y"], domain="com.attacker")
    p = tmp_path / "c.onnx"
    onnx.save(
        make_model(
            nodes=[custom],
            opsets=[helper.make_opsetid("", 17), helper.make_opsetid("com.attacker", 1)],
        ),
        p,
    )
    assert scan_file(p) == ["AIR-ONNX-003"]
    # a function defined inside the model is not a custom op library
    body = [helper.make_node("Relu", ["a"], ["b"])]
    fn = helper.make_function(
        "local.fn", "MyRelu", ["a"], ["b"], body, [helper.make_opsetid("", 17)]
    )
    use = helper.make_node("MyRelu", ["x"], ["y"], domain="local.fn")
    p2 = tmp_path / "f.onnx"
    onnx.save(
        make_model(
            nodes=[use],
            functions=[fn],
            opsets=[helper.make_opsetid("", 17), helper.make_opsetid("local.fn", 1)],
        ),
        p2,
    )
    assert scan_file(p2) == []


def test_custom_op_inside_subgraph(tmp_path: Path) -> None:
    then_g = helper.make_graph(
        [helper.make_node("Hidden", [], ["o"], domain="x.native")],
        "t",
        [],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT, [1])],
    )
    cond = helper.make_node("If", ["c"], ["y"], then_branch=then_g, else_branch=then_g)
    p = tmp_path / "s.onnx"
    onnx.save(make_model(nodes=[cond]), p)
    assert scan_file(p) == ["AIR-ONNX-003"]


def test_oversized_shapes(tmp_path: Path) -> None:
    p = tmp_path / "o.onnx"
    onnx.save(make_model(shape=(1 << 40, 1 << 20)), p)
    assert "AIR-ONNX-004" in scan_file(p)
    t = numpy_helper.from_array(np.ones(4, np.float32), "lie")
    t.dims[0] = 1000  # raw_data keeps 16 bytes
    p2 = tmp_path / "l.onnx"
    p2.write_bytes(make_model(inits=[t]).SerializeToString())
    assert scan_file(p2) == ["AIR-ONNX-004"]


def test_truncated_model_is_unparseable(tmp_path: Path) -> None:
    data = make_model().SerializeToString()
    p = tmp_path / "t.onnx"
    p.write_bytes(data[: len(data) - 7])
    assert scan_file(p) == ["AIR-ONNX-000"]


def test_location_escapes() -> None:
    assert location_escapes("weights/a.bin") is None
    assert location_escapes("a..b.bin") is None
    assert location_escapes("/abs") == "absolute path"
    assert location_escapes("x\0y") == "NUL byte in location"


def test_wire_reader_matches_protobuf() -> None:
    data = make_model().SerializeToString()
    fields = collect(data)
    assert fields[1][0].as_int() == make_model().ir_version
    assert fields[2][0].text() == "airlock-test"
    assert read_varint(memoryview(b"\xff" * 9 + b"\x01"), 0, 10)[0] == 2**64 - 1
    with pytest.raises(ProtobufError):
        read_varint(memoryview(b"\xff" * 11), 0, 11)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_wire_reader_only_raises_protobuf_error(data: bytes) -> None:
    try:
        for f in iter_fields(data):
            if f.wire == 2:
                list(iter_fields(f.data))
    except ProtobufError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=40), st.integers(0, 200))
def test_onnx_handler_never_crashes(noise: bytes, cut: int) -> None:
    base = make_model().SerializeToString()
    data = base[:cut] + noise + base[cut + len(noise) :]
    h = OnnxHandler()
    src = Source(data)
    if h.sniff(src):
        out = run_handler(h, src, ScanContext("f.onnx"))
        assert not any(f.rule_id == "AIR-SCAN-002" for f in out.findings)  # no crash


def test_torch_exported_model_is_clean(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch", reason="needs extra [trojan]")
    m = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.GELU(), torch.nn.LayerNorm(16))
    p = tmp_path / "t.onnx"
    try:
        torch.onnx.export(
            m,
            (torch.randn(1, 8),),
            str(p),
            dynamo=False,
            input_names=["x"],
            dynamic_axes={"x": {0: "batch"}},
        )
    except Exception as exc:  # exporter variants differ between torch builds
        pytest.skip(f"torch.onnx.export unavailable: {exc}")
    assert scan_file(p) == []


def _folder_verdict(folder: Path) -> tuple[dict[str, tuple[str, str | None]], list[str]]:
    """Scan and check a model folder: each file's (status, reason) and the gate's verdict."""
    from airlock.gate import CheckOptions, check
    from airlock.scan.engine import scan_paths

    report = scan_paths([folder])
    objects = {Path(o.location).name: (o.status, o.reason) for o in report.objects}
    result = check(folder, CheckOptions())
    return objects, [s.name for s in result.steps if not s.ok] if not result.allowed else []


@pytest.mark.parametrize("threshold", [0, 1024])
def test_external_data_file_is_judged_raw_data_in_a_folder(tmp_path: Path, threshold: int) -> None:
    # real exports (onnx.save_model with external data, as LLM exports ship) scan and check clean
    big = numpy_helper.from_array(np.ones((64, 64), np.float32), "big")
    onnx.save_model(
        make_model(inits=[big]),
        tmp_path / "model.onnx",
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location="model.onnx_data",
        size_threshold=threshold,
    )
    objects, failed = _folder_verdict(tmp_path)
    assert objects["model.onnx_data"] == ("scanned", None)
    assert failed == []


def test_external_data_claim_does_not_clear_other_content(tmp_path: Path) -> None:
    # a referenced file that is a pickle is still judged as one; an unreferenced unknown file,
    # or one the model reads out of range, stays not scanned
    import pickle

    onnx.save(_external("weights.bin"), tmp_path / "m.onnx")
    (tmp_path / "weights.bin").write_bytes(pickle.dumps({"a": 1}, protocol=2) + b"\0" * 16)
    (tmp_path / "other.bin").write_bytes(bytes(range(128, 192)))  # no known format
    objects, failed = _folder_verdict(tmp_path)
    assert objects["weights.bin"][0] == "scanned" and objects["other.bin"][0] == "not_scanned"
    assert failed
    short = tmp_path / "short"
    short.mkdir()
    onnx.save(_external("weights.bin"), short / "m.onnx")
    (short / "weights.bin").write_bytes(b"\x9f\x12\xee\x01")  # the tensor needs 16
    objects, failed = _folder_verdict(short)
    assert objects["weights.bin"][0] == "not_scanned" and failed


def test_model_without_producer_and_a_large_graph_is_onnx(tmp_path: Path) -> None:
    # ir_version, then a graph longer than the sniffing window: no producer fields in between
    big = numpy_helper.from_array(np.ones((64, 64), np.float32), "big")
    model = make_model(inits=[big])
    model.ClearField("producer_name")
    model.ClearField("opset_import")
    p = tmp_path / "m.onnx"
    p.write_bytes(model.SerializeToString())
    data = p.read_bytes()
    assert data[2] == (7 << 3 | 2)  # field 7 (graph) right after ir_version
    assert OnnxHandler().sniff(Source(data, p))
    objects, failed = _folder_verdict(tmp_path)
    assert objects["m.onnx"] == ("scanned", None) and failed == []


def _ld(num: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field (tag, length, payload)."""

    def varint(n: int) -> bytes:
        out = b""
        while True:
            b, n = n & 0x7F, n >> 7
            if not n:
                return out + bytes([b])
            out += bytes([b | 0x80])

    return varint(num << 3 | 2) + varint(len(payload)) + payload


def _with_graph_field(model: onnx.ModelProto, extra: bytes) -> bytes:
    """The model with ``extra`` appended to its graph (a repeated singular field is legal wire
    data: protobuf keeps the last occurrence)."""
    graph = model.graph.SerializeToString() + extra
    model = copy.deepcopy(model)
    model.ClearField("graph")
    return model.SerializeToString() + _ld(7, graph)


def test_duplicate_external_data_value_reads_the_last(tmp_path: Path) -> None:
    """Red team session 10 gen_1.py: one StringStringEntryProto with two ``value`` fields; the
    scanner read the first (w.bin, inside), onnx/onnxruntime the last (outside the folder)."""
    (tmp_path / "w.bin").write_bytes(b"\0" * 16)
    t = TensorProto(name="W", data_type=TensorProto.UINT8, dims=[16],
                    data_location=TensorProto.EXTERNAL)  # fmt: skip
    entry = _ld(1, b"location") + _ld(2, b"w.bin") + _ld(2, b"../secret.bin")
    tensor = t.SerializeToString() + _ld(13, entry) + _ld(13, _ld(1, b"length") + _ld(2, b"16"))
    model = helper.make_model(helper.make_graph(
        [helper.make_node("Identity", ["W"], ["Y"])], "g", [],
        [helper.make_tensor_value_info("Y", TensorProto.UINT8, [16])]))  # fmt: skip
    data = _with_graph_field(model, _ld(5, tensor))
    parsed = onnx.load_from_string(data)  # protobuf itself: the last value
    assert parsed.graph.initializer[0].external_data[0].value == "../secret.bin"
    ours = read_onnx(data).tensors[0].external
    assert ours is not None and ours["location"] == "../secret.bin"
    p = tmp_path / "m.onnx"
    p.write_bytes(data)
    assert "AIR-ONNX-001" in scan_file(p)


def test_duplicate_node_domain_reads_the_last(tmp_path: Path) -> None:
    node = helper.make_node("Relu", ["x"], ["y"]).SerializeToString()
    node += _ld(7, b"") + _ld(7, b"com.evil")  # domain "" then "com.evil"
    model = make_model(nodes=[helper.make_node("Identity", ["x"], ["y"])])
    model.graph.ClearField("node")
    data = _with_graph_field(model, _ld(1, node))
    assert onnx.load_from_string(data).graph.node[0].domain == "com.evil"
    assert [n.domain for n in read_onnx(data).nodes] == ["com.evil"]
    p = tmp_path / "m.onnx"
    p.write_bytes(data)
    assert "AIR-ONNX-003" in scan_file(p)


def test_duplicate_dim_oneof_reads_the_last() -> None:
    shape_dim = bytes([0x08, 0x05]) + _ld(2, b"batch")  # dim_value 5, then dim_param "batch"
    shape = _ld(1, shape_dim)
    tensor_type = bytes([0x08, 0x01]) + _ld(2, shape)
    value = _ld(1, b"x") + _ld(2, _ld(1, tensor_type))
    model = make_model()
    model.graph.ClearField("input")
    data = _with_graph_field(model, _ld(11, value))
    parsed = onnx.load_from_string(data).graph.input[0].type.tensor_type.shape.dim[0]
    assert parsed.WhichOneof("value") == "dim_param" and parsed.dim_param == "batch"
    assert [s.dims for s in read_onnx(data).shapes if s.name == "x"] == [("batch",)]


def _external_tensor(name: str, location: str, n: int = 16) -> TensorProto:
    t = TensorProto(name=name, data_type=TensorProto.UINT8, dims=[n],
                    data_location=TensorProto.EXTERNAL)  # fmt: skip
    for key, value in (("location", location), ("offset", "0"), ("length", str(n))):
        e = t.external_data.add()
        e.key, e.value = key, value
    return t


def _sparse_constant(values: TensorProto) -> onnx.ModelProto:
    indices = helper.make_tensor("i", TensorProto.INT64, [16], list(range(16)))
    sparse = helper.make_sparse_tensor(values, indices, [4, 4])
    return make_model(nodes=[helper.make_node("Constant", [], ["y"], sparse_value=sparse)])


def _function_default(value: TensorProto) -> onnx.ModelProto:
    """A model-local function whose Constant takes its ``value`` from the function's default
    attribute (FunctionProto.attribute_proto), which onnxruntime substitutes when inlining."""
    body = helper.make_node("Constant", [], ["o"])
    body.attribute.add().CopyFrom(helper.make_attribute_ref("value", onnx.AttributeProto.TENSOR))
    fn = helper.make_function("local", "F", [], ["o"], [body], [helper.make_opsetid("", 17)])
    fn.attribute_proto.append(helper.make_attribute("value", value))
    return make_model(
        nodes=[helper.make_node("F", [], ["y"], domain="local")],
        functions=[fn],
        opsets=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)],
    )


@pytest.mark.parametrize("build", [_sparse_constant, _function_default])
def test_external_data_in_sparse_attributes_and_function_defaults(
    tmp_path: Path, build: object
) -> None:
    """rt15og: onnxruntime 1.17.3 read '../' external data of a Constant's sparse_value and of a
    function's default tensor attribute (the canary file came back as the output); neither was
    walked, so both scanned clean. Inline data in the same places stays clean."""
    assert callable(build)
    outside = tmp_path / "m"
    outside.mkdir()
    p = outside / "m.onnx"
    onnx.save(build(_external_tensor("W", "../secret.bin")), p)
    assert "AIR-ONNX-001" in scan_file(p)
    inline = helper.make_tensor("W", TensorProto.UINT8, [16], b"\0" * 16, raw=True)
    onnx.save(build(inline), p)
    assert scan_file(p) == []


def test_onnxruntime_memory_address_marker_is_critical(tmp_path: Path) -> None:
    """rt15og: location '*/_ORT_MEM_ADDR_/*' made onnxruntime 1.17.3 read 16 bytes of its own
    process memory at ``offset`` into a Constant (a secret buffer came back); it was only
    'external data file missing' (low, allowed)."""
    t = _external_tensor("W", "*/_ORT_MEM_ADDR_/*")
    t.external_data[1].value = str(0x7F0000000000)
    p = tmp_path / "m.onnx"
    onnx.save(make_model(nodes=[helper.make_node("Constant", [], ["y"], value=t)]), p)
    assert scan_file(p) == ["AIR-ONNX-001"]


def _ep_context_model(**attrs: object) -> onnx.ModelProto:
    node = helper.make_node("EPContext", ["x"], ["y"], domain="com.microsoft", name="ep0", **attrs)
    return make_model(
        nodes=[node],
        opsets=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )


@pytest.mark.parametrize("path", ["/tmp/secret.txt", "../secret.txt", "a/../../b", "C:\\x.bin"])
def test_ep_context_cache_file_outside_the_model_directory_is_critical(
    tmp_path: Path, path: str
) -> None:
    """EPContext with embed_mode=0 names a file the execution provider reads; before session 15
    it was no finding at all (com.microsoft is a standard domain)."""
    p = tmp_path / "m.onnx"
    onnx.save(_ep_context_model(embed_mode=0, ep_cache_context=path, source="QNN"), p)
    assert "AIR-ONNX-001" in scan_file(p)


def test_ep_context_inside_the_folder_or_embedded_is_medium(tmp_path: Path) -> None:
    p = tmp_path / "m.onnx"
    onnx.save(_ep_context_model(embed_mode=0, ep_cache_context="ctx.bin", source="QNN"), p)
    # missing: reported, and so is the provider binary the node expects (review15 V1: the
    # medium finding used to be dropped, so a cache file dropped in later was never mentioned)
    assert sorted(scan_file(p)) == ["AIR-ONNX-002", "AIR-ONNX-006"]
    (tmp_path / "ctx.bin").write_bytes(b"\0" * 16)
    assert scan_file(p) == ["AIR-ONNX-006"]
    # embedded (embed_mode 1, the default): the bytes are the blob, not a path
    onnx.save(_ep_context_model(ep_cache_context="/blob-that-starts-with-a-slash"), p)
    assert scan_file(p) == ["AIR-ONNX-006"]
    # a duplicated embed_mode: some provider reads 0, the path is judged
    node = helper.make_node("EPContext", ["x"], ["y"], domain="com.microsoft", embed_mode=1)
    node.attribute.extend([helper.make_attribute("embed_mode", 0)])
    node.attribute.extend([helper.make_attribute("ep_cache_context", "/etc/passwd")])
    model = make_model(nodes=[node], opsets=[helper.make_opsetid("", 17)])
    onnx.save(model, p)
    assert "AIR-ONNX-001" in scan_file(p)


def test_ep_context_overlong_cache_path_fails_closed(tmp_path: Path) -> None:
    """Only the first 64 KiB of ep_cache_context are kept; a longer path is not the one judged,
    so it is refused rather than read as its prefix (review15)."""
    p = tmp_path / "m.onnx"
    path = "ctx.bin" + "/x" * (1 << 15) + "/../../../etc/passwd"
    (tmp_path / "ctx.bin").write_bytes(b"\0" * 16)
    onnx.save(_ep_context_model(embed_mode=0, ep_cache_context=path, source="QNN"), p)
    assert "AIR-ONNX-001" in scan_file(p)


def test_ep_context_attribute_from_a_function_caller_fails_closed(tmp_path: Path) -> None:
    node = helper.make_node("EPContext", ["x"], ["y"], domain="com.microsoft", embed_mode=0)
    ref = onnx.AttributeProto()
    ref.name, ref.ref_attr_name, ref.type = "ep_cache_context", "p", onnx.AttributeProto.STRING
    node.attribute.append(ref)
    fn = helper.make_function(
        "local", "F", ["x"], ["y"], [node], [helper.make_opsetid("", 17)], attributes=["p"]
    )
    call = helper.make_node("F", ["x"], ["y"], domain="local", p="/etc/passwd")
    model = make_model(
        nodes=[call], functions=[fn],
        opsets=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)],
    )  # fmt: skip
    p = tmp_path / "m.onnx"
    onnx.save(model, p)
    assert "AIR-ONNX-001" in scan_file(p)


def test_ort_config_metadata_is_reported(tmp_path: Path) -> None:
    """ORT_LOAD_CONFIG_FROM_MODEL=1 (opt-in) applies these; enable_profiling writes a trace into
    the loader's working directory (onnxruntime 1.32 checked in session 15)."""
    model = make_model()
    helper.set_model_props(model, {"ort_config": '{"session_options": {"enable_profiling": 1}}'})
    p = tmp_path / "m.onnx"
    onnx.save(model, p)
    assert scan_file(p) == ["AIR-ONNX-007"]


def _local_functions(calls: dict[str, list[str]], root: list[str]) -> onnx.ModelProto:
    """Model-local functions in domain 'loc': each name maps to the ops its body chains (a name
    in ``calls`` is a call of that function, anything else a standard one-input op)."""
    ops = [helper.make_opsetid("", 17), helper.make_opsetid("loc", 1)]

    def chain(names: list[str], first: str, last: str) -> list[onnx.NodeProto]:
        nodes, cur = [], first
        for i, op in enumerate(names):
            nxt = last if i == len(names) - 1 else f"{first}_{i}"
            nodes.append(helper.make_node(op, [cur], [nxt], domain="loc" if op in calls else ""))
            cur = nxt
        return nodes

    fns = [
        helper.make_function("loc", name, ["a"], ["b"], chain(body, "a", "b"), ops)
        for name, body in calls.items()
    ]
    graph = helper.make_graph(
        chain(root, "x", "y"), "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )  # fmt: skip
    return helper.make_model(graph, opset_imports=ops, functions=fns)


def test_local_functions_that_multiply_at_inlining_are_high(tmp_path: Path) -> None:
    """review17: f0..f39 each calling the next twice is 3 KB and 2**39 nodes once onnxruntime
    inlines them at InferenceSession (16 levels did not finish in 120 s); a function that calls
    itself, directly or through another, never finishes inlining either."""
    p = tmp_path / "m.onnx"
    doubling = {f"f{i}": [f"f{i + 1}", f"f{i + 1}"] for i in range(39)} | {"f39": ["Relu"]}
    onnx.save(_local_functions(doubling, ["f0"]), p)
    assert scan_file(p) == ["AIR-ONNX-008"]
    onnx.save(_local_functions({"f": ["Relu", "g"], "g": ["f"]}, ["f"]), p)
    assert scan_file(p) == ["AIR-ONNX-008"]


def test_layers_kept_as_local_functions_are_clean(tmp_path: Path) -> None:
    """What an exporter that keeps modules as functions writes: a block function called once per
    layer from a model function, a few levels deep; and a chain of 3,000 functions (no deeper a
    recursion for the scanner than one)."""
    p = tmp_path / "m.onnx"
    blocks = {
        "attention": ["Relu"] * 40,
        "mlp": ["Relu"] * 20,
        "layer": ["attention", "mlp", "Relu"],
        "model": ["layer"] * 48,
    }
    onnx.save(_local_functions(blocks, ["model", "Relu"]), p)
    assert scan_file(p) == []
    chain = {f"c{i}": [f"c{i + 1}"] for i in range(2999)} | {"c2999": ["Relu"]}
    onnx.save(_local_functions(chain, ["c0"]), p)
    assert scan_file(p) == []


def _sparse(
    dims: list[int], name: str = "v", data_type: int = TensorProto.FLOAT
) -> onnx.SparseTensorProto:
    values = helper.make_tensor(name, data_type, [1], [1])
    return helper.make_sparse_tensor(
        values, helper.make_tensor(f"{name}_i", TensorProto.INT64, [1], [5]), dims
    )


def test_sparse_tensors_that_densify_into_gigabytes_are_high(tmp_path: Path) -> None:
    """rt20fmt: an 80-byte model whose sparse initializer declares 2**29 - 1024 float elements
    made onnxruntime 1.32's InferenceSession allocate 4,150 MiB (14 s) before any input; three
    of them bad_alloc under an 8 GiB limit. Sparse initializers, sparse Constant values (in a
    subgraph too) and a sparse Constant in a function inlined 64 times are all densified."""
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    p = tmp_path / "m.onnx"
    graph = helper.make_graph([helper.make_node("Identity", ["v"], ["y"])], "g", [], [y])
    graph.sparse_initializer.extend([_sparse([(1 << 29) - 1024])])
    onnx.save(helper.make_model(graph), p)
    assert scan_file(p) == ["AIR-ONNX-009"]
    const = helper.make_node("Constant", [], ["a"], sparse_value=_sparse([(1 << 28) + 1024]))
    then = helper.make_graph(
        [const], "t", [], [helper.make_tensor_value_info("a", TensorProto.FLOAT, None)]
    )
    other = helper.make_node(
        "Constant", [], ["b"], value=helper.make_tensor("b", TensorProto.FLOAT, [1], [2.0])
    )
    orelse = helper.make_graph(
        [other], "e", [], [helper.make_tensor_value_info("b", TensorProto.FLOAT, None)]
    )
    cond = helper.make_tensor_value_info("c", TensorProto.BOOL, [])
    node = helper.make_node("If", ["c"], ["y"], then_branch=then, else_branch=orelse)
    onnx.save(helper.make_model(helper.make_graph([node], "g", [cond], [y])), p)
    assert scan_file(p) == ["AIR-ONNX-009"]
    # 16 MiB dense per call, 64 calls (4 x 4 x 4 through three functions): 1 GiB + 16 MiB
    fconst = helper.make_node("Constant", [], ["o"], sparse_value=_sparse([(1 << 22) + 4096]))
    inner = helper.make_function("loc", "f0", ["i"], ["o"], [fconst], [helper.make_opsetid("", 17)])
    funcs = [inner]
    for k in (1, 2):
        calls = [helper.make_node(f"f{k - 1}", ["i"], [f"o{j}"], domain="loc") for j in range(4)]
        calls.append(helper.make_node("Sum", [f"o{j}" for j in range(4)], ["o"]))
        funcs.append(
            helper.make_function("loc", f"f{k}", ["i"], ["o"], calls, [helper.make_opsetid("", 17)])
        )
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, None)
    top = [helper.make_node("f2", ["x"], [f"y{j}"], domain="loc") for j in range(4)]
    top.append(helper.make_node("Sum", [f"y{j}" for j in range(4)], ["y"]))
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("loc", 1)]
    model = helper.make_model(
        helper.make_graph(top, "g", [x], [y]), functions=funcs, opset_imports=opsets
    )
    onnx.save(model, p)
    assert scan_file(p) == ["AIR-ONNX-009"]
    del top[3]
    top[-1] = helper.make_node("Sum", ["y0", "y1", "y2"], ["y"])
    model = helper.make_model(
        helper.make_graph(top, "g", [x], [y]), functions=funcs, opset_imports=opsets
    )
    onnx.save(model, p)
    assert scan_file(p) == []  # 48 calls: 770 MiB


def test_honest_sparse_and_sub_byte_tensors_are_clean(tmp_path: Path) -> None:
    """A small sparse initializer densifies to little; INT4/UINT4/FLOAT4 raw_data holds two
    elements a byte, UINT2/INT2 four (rt20fmt: 16 INT4 elements in 8 bytes were AIR-ONNX-004)."""
    p = tmp_path / "m.onnx"
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    graph = helper.make_graph([helper.make_node("Identity", ["v"], ["y"])], "g", [], [y])
    graph.sparse_initializer.extend([_sparse([1 << 20])])
    onnx.save(helper.make_model(graph), p)
    assert scan_file(p) == []
    inits = [
        helper.make_tensor(f"w{dt}", dt, [15], bytes((15 * bits + 7) // 8), raw=True)
        for dt, bits in (
            (TensorProto.INT4, 4), (TensorProto.UINT4, 4), (TensorProto.FLOAT4E2M1, 4),
            (TensorProto.INT2, 2), (TensorProto.UINT2, 2), (TensorProto.FLOAT8E4M3FN, 8),
        )
    ]  # fmt: skip
    graph = helper.make_graph([helper.make_node("Identity", ["v"], ["y"])], "g", [], [y], inits)
    onnx.save(helper.make_model(graph), p)
    assert scan_file(p) == []
    bad = helper.make_tensor("w", TensorProto.INT4, [16], bytes(8), raw=True)
    bad.raw_data = bytes(16)  # one element a byte: what the sub-byte table no longer accepts
    graph = helper.make_graph([helper.make_node("Identity", ["v"], ["y"])], "g", [], [y], [bad])
    onnx.save(helper.make_model(graph), p)
    assert scan_file(p) == ["AIR-ONNX-004"]


def _folding_model(nodes: list[onnx.NodeProto], inits: list[onnx.TensorProto]) -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, None)
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    outs = [o for n in nodes for o in n.output if o.startswith("c")]
    graph = helper.make_graph(
        [*nodes, helper.make_node("Sum", ["x", *outs], ["y"])], "g", [x], [y], inits
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_constant_folding_into_gigabytes_is_high(tmp_path: Path) -> None:
    """rt20fmt: three ConstantOfShape of 2**28 - 4096 floats over one constant shape (a 400-byte
    file) took 3,127 MiB and 26 s in onnxruntime 1.32's InferenceSession (it folds each node
    under 1 GiB at session creation); Expand, Tile and Range of a constant likewise (1,078
    MiB each). A shape built by Concat of Constant nodes, and the outer product of an [n, 1]
    and a [1, n] initializer, are followed too."""
    p = tmp_path / "m.onnx"
    n = (1 << 28) - 4096
    shp = numpy_helper.from_array(np.array([n], np.int64), "shp")
    one = numpy_helper.from_array(np.ones(1, np.float32), "one")
    value = helper.make_tensor("v", TensorProto.FLOAT, [1], [2.0])
    cos = [helper.make_node("ConstantOfShape", ["shp"], [f"c{k}"], value=value) for k in range(3)]
    expand = [helper.make_node("Expand", ["one", "shp"], [f"c{k}"]) for k in range(3)]
    tile = [helper.make_node("Tile", ["one", "shp"], [f"c{k}"]) for k in range(3)]
    lim = [numpy_helper.from_array(np.float32(v), k) for k, v in (("a", 0), ("b", n), ("d", 1))]
    rng = [helper.make_node("Range", ["a", "b", "d"], [f"c{k}"]) for k in range(3)]
    for nodes, inits in ((cos, [shp]), (expand, [shp, one]), (tile, [shp, one]), (rng, lim)):
        onnx.save(_folding_model(nodes, inits), p)
        assert scan_file(p) == ["AIR-ONNX-009"], nodes[0].op_type
    parts = [
        helper.make_node("Constant", [], ["p0"], value_ints=[1 << 15]),
        helper.make_node("Constant", [], ["p1"], value_ints=[1 << 14]),
        helper.make_node("Concat", ["p0", "p1"], ["s"], axis=0),
        helper.make_node("ConstantOfShape", ["s"], ["c0"]),
        helper.make_node("Cast", ["c0"], ["c1"], to=TensorProto.DOUBLE),
    ]
    onnx.save(_folding_model(parts, []), p)
    assert scan_file(p) == ["AIR-ONNX-009"]  # 2 GiB + 4 GiB
    col = numpy_helper.from_array(np.ones((1 << 15, 1), np.float32), "col")
    row = numpy_helper.from_array(np.ones((1, 1 << 15), np.float32), "row")
    onnx.save(_folding_model([helper.make_node("MatMul", ["col", "row"], ["c0"])], [col, row]), p)
    assert scan_file(p) == ["AIR-ONNX-009"]  # 4 GiB from 256 KiB
    vec = numpy_helper.from_array(np.ones(1 << 15, np.float32), "vec")
    axes = [numpy_helper.from_array(np.array([k], np.int64), f"ax{k}") for k in (0, 1)]
    outer = [
        helper.make_node("Unsqueeze", ["vec", "ax1"], ["u1"]),
        helper.make_node("Unsqueeze", ["vec", "ax0"], ["u0"]),
        helper.make_node("Add", ["u1", "u0"], ["c0"]),
    ]
    onnx.save(_folding_model(outer, [vec, *axes]), p)
    assert scan_file(p) == ["AIR-ONNX-009"]  # [n, 1] + [1, n]: 4 GiB from 128 KiB
    small = numpy_helper.from_array(np.array([1 << 20], np.int64), "shp")
    onnx.save(_folding_model(cos, [small]), p)
    assert scan_file(p) == []  # 12 MiB
    shape_input = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Expand", ["one", "s"], ["c0"]),
    ]
    onnx.save(_folding_model(shape_input, [one]), p)
    assert scan_file(p) == []  # the shape comes from the input: nothing folds


def _grow(op: str) -> tuple[list[onnx.NodeProto], list[onnx.TensorProto]]:
    n = (1 << 28) - 4096
    one = numpy_helper.from_array(np.ones(1, np.float32), "one")
    vals = [numpy_helper.from_array(np.float32(k), f"cv{k}") for k in range(3)]
    if op == "Pad":
        pads = numpy_helper.from_array(np.array([0, n - 1], np.int64), "pads")
        nodes = [helper.make_node("Pad", ["one", "pads", f"cv{k}"], [f"c{k}"]) for k in range(3)]
        return nodes, [one, pads, *vals]
    if op == "Resize":
        one4 = numpy_helper.from_array(np.ones((1, 1, 1, 1), np.float32), "one4")
        sizes = [
            numpy_helper.from_array(np.array([1, 1, 16384 - k, 16384], np.int64), f"sz{k}")
            for k in range(3)
        ]
        nodes = [
            helper.make_node("Resize", ["one4", "", "", f"sz{k}"], [f"c{k}"], mode="nearest")
            for k in range(3)
        ]
        return nodes, [one4, *sizes]
    if op == "OneHot":
        idx = numpy_helper.from_array(np.zeros((1, 1), np.int64), "idx")
        onoff = numpy_helper.from_array(np.array([1.0, 0.0], np.float32), "onoff")
        depths = [numpy_helper.from_array(np.array(n - k, np.int64), f"d{k}") for k in range(3)]
        nodes = [helper.make_node("OneHot", ["idx", f"d{k}", "onoff"], [f"c{k}"]) for k in range(3)]
        return nodes, [idx, onoff, *depths]
    if op == "Gather":  # a [1, m] row picked m times: 3 GiB from a 320 KB file
        rows = [
            numpy_helper.from_array(np.full((1, 16384), k, np.float32), f"r{k}") for k in range(3)
        ]
        picks = numpy_helper.from_array(np.zeros(16383, np.int64), "idx")
        nodes = [helper.make_node("Gather", [f"r{k}", "idx"], [f"c{k}"], axis=0) for k in range(3)]
        return nodes, [*rows, picks]
    m = 16384  # Where: a bool [m, 1] condition does not make the [m, m] float output bool
    cond = numpy_helper.from_array(np.ones((m, 1), bool), "cond")
    col = numpy_helper.from_array(np.ones((m, 1), np.float32), "col")
    rows = [numpy_helper.from_array(np.full((1, m), k, np.float32), f"row{k}") for k in range(3)]
    nodes = [helper.make_node("Where", ["cond", "col", f"row{k}"], [f"c{k}"]) for k in range(3)]
    return nodes, [cond, col, *rows]


@pytest.mark.parametrize("op", ["Pad", "Resize", "OneHot", "Where", "Gather"])
def test_constant_folding_of_sized_operators_is_high(tmp_path: Path, op: str) -> None:
    """rt20fmt's held-out forms (each 3,127-4,151 MiB peak in onnxruntime 1.32's
    InferenceSession, ALLOW on main): Pad with a 2**28 pad, Resize to 16,384 x 16,384, OneHot of
    depth 2**28, Where broadcasting a bool [n, 1] condition with [1, n] floats; Gather of one
    [1, n] row n times (3,127 MiB)."""
    p = tmp_path / "m.onnx"
    nodes, inits = _grow(op)
    onnx.save(_folding_model(nodes, inits), p)
    assert scan_file(p) == ["AIR-ONNX-009"]


def test_constant_folding_in_a_subgraph_over_outer_constants_is_high(tmp_path: Path) -> None:
    """rt20fmt: an If on a constant condition whose branch makes 3 ConstantOfShape of 2**28 -
    4096 floats from the outer graph's shape initializer: onnxruntime 1.32 folded it at
    InferenceSession (5,175 MiB, then out of memory under 6 GiB); the branch saw no outer
    constant and the model was ALLOW."""
    p = tmp_path / "m.onnx"
    value = [helper.make_tensor("v", TensorProto.FLOAT, [1], [float(k + 1)]) for k in range(3)]
    body = [
        helper.make_node("ConstantOfShape", ["shp"], [f"b{k}"], value=value[k]) for k in range(3)
    ]
    body.append(helper.make_node("Sum", ["b0", "b1", "b2"], ["t"]))
    then = helper.make_graph(body, "then", [], [helper.make_tensor_value_info("t", 1, None)])
    orelse = helper.make_graph(
        [helper.make_node("Identity", ["one"], ["e"])],
        "else",
        [],
        [helper.make_tensor_value_info("e", 1, None)],
    )
    nodes = [helper.make_node("If", ["cond"], ["c0"], then_branch=then, else_branch=orelse)]
    inits = [
        numpy_helper.from_array(np.array(True), "cond"),
        numpy_helper.from_array(np.array([(1 << 28) - 4096], np.int64), "shp"),
        numpy_helper.from_array(np.ones(1, np.float32), "one"),
    ]
    onnx.save(_folding_model(nodes, inits), p)
    assert scan_file(p) == ["AIR-ONNX-009"]
    inits[1] = numpy_helper.from_array(np.array([1 << 16], np.int64), "shp")
    onnx.save(_folding_model(nodes, inits), p)
    assert scan_file(p) == []


def _chain(op: str, n: int, start: np.ndarray) -> onnx.ModelProto:
    """``s{i+1} = op(s{i}, s{i})`` n times over one small initializer, then a Shape/Cast so the
    chain feeds the output."""
    nodes = [helper.make_node(op, [f"s{i}", f"s{i}"], [f"s{i + 1}"]) for i in range(n)]
    if op in ("Concat", "Gather"):
        for node in nodes:
            node.attribute.append(helper.make_attribute("axis", 0))
    nodes += [
        helper.make_node("Shape", [f"s{n}"], ["sh"]),
        helper.make_node("Cast", ["sh"], ["c0"], to=TensorProto.FLOAT),
    ]
    return _folding_model(nodes, [numpy_helper.from_array(start, "s0")])


def test_folding_estimator_holds_bounded_values_and_shapes() -> None:
    """rt20b: the estimator itself grew with a chain of nodes (a 604-byte model of 24 Mul
    squaring an int64 took 30 s in `airlock scan`, 32 did not end in 60 s; 26 Gathers of a
    tensor by itself doubled its rank to 1.6 GB; 30 Concats of a vector with itself, 3 GB;
    300,000 Add doubling an int64, 4 GB). Integers wrap to int64 as onnxruntime's kernels do,
    at most MAX_VALUES values are kept, dims are capped; a rank past MAX_RANK counts as outsized
    (onnxruntime keeps every dim)."""
    from airlock.formats.onnx import MAX_VALUES
    from airlock.scan.onnx_fold import MAX_ELEMENTS, MAX_RANK, _Val

    v = _Val((1,), 7, (3**200,))
    assert v.values is not None and -(1 << 63) <= int(v.values[0]) < 1 << 63
    assert _Val((1,), 7, ((1 << 63) + 5,)).values == (-(1 << 63) + 5,)
    assert _Val((MAX_VALUES + 1,), 7, tuple(range(MAX_VALUES + 1))).values is None
    assert _Val((1 << 200, 2), 1, None).dims == (MAX_ELEMENTS, 2)
    deep = _Val((1,) * (MAX_RANK + 1), 1, None)  # onnxruntime keeps every dim
    assert deep.dims == (MAX_ELEMENTS,) and deep.elements == MAX_ELEMENTS
    assert _Val((0, 1 << 70), 1, None).elements == 0


@pytest.mark.parametrize(
    ("op", "n", "start", "expected"),
    [
        ("Mul", 64, np.array([3], np.int64), []),  # squares: wraps, stays one value
        ("Add", 200, np.array([1 << 62], np.int64), []),
        # rank doubles: 26 took 1.9 GB and no end in 30 s at InferenceSession
        ("Gather", 64, np.zeros((1, 1), np.int64), ["AIR-ONNX-009"]),
        ("Concat", 40, np.ones(1, np.int64), ["AIR-ONNX-009"]),  # 2**40 int64 do fold
    ],
)
def test_folding_chains_stay_bounded(
    tmp_path: Path, op: str, n: int, start: np.ndarray, expected: list[str]
) -> None:
    p = tmp_path / "m.onnx"
    onnx.save(_chain(op, n, start), p)
    assert scan_file(p) == expected


def _input_chain(op: str, n: int) -> onnx.ModelProto:
    """A chain over a graph *input* x of shape [1, 1] (nothing to fold): ``Gather``: s{i+1} =
    Gather(s{i}, s{i}) (the rank doubles less one); ``Concat``: a shape vector concatenated
    with itself n times, then Reshape of x by it (its length doubles)."""
    x = helper.make_tensor_value_info("s0", TensorProto.INT64, [1, 1])
    if op == "Gather":
        nodes = [helper.make_node("Gather", [f"s{i}", f"s{i}"], [f"s{i + 1}"]) for i in range(n)]
        last = f"s{n}"
    else:
        nodes = [helper.make_node("Shape", ["s0"], ["h0"])]
        nodes += [helper.make_node("Concat", [f"h{i}", f"h{i}"], [f"h{i + 1}"], axis=0)
                  for i in range(n)]  # fmt: skip
        nodes.append(helper.make_node("Reshape", ["s0", f"h{n}"], ["r"]))
        last = "r"
    y = helper.make_tensor_value_info(last, TensorProto.INT64, None)
    graph = helper.make_graph(nodes, "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


@pytest.mark.parametrize(
    ("op", "n", "expected"),
    [
        ("Gather", 26, ["AIR-ONNX-009"]),  # rank 2**26 + 1: 2.0 GB, no end in 30 s (rt20b)
        ("Gather", 3, []),  # rank 9
        ("Concat", 6, ["AIR-ONNX-009"]),  # Reshape to rank 128
        ("Concat", 4, []),  # rank 32
    ],
)
def test_rank_doubling_over_a_graph_input_is_outsized(
    tmp_path: Path, op: str, n: int, expected: list[str]
) -> None:
    """fix20 (rt20b's open item): onnxruntime's shape inference at InferenceSession follows a
    chain over a graph input that constant folding never touches; a rank past MAX_RANK (64)
    is outsized, a short chain is not."""
    p = tmp_path / "m.onnx"
    onnx.save(_input_chain(op, n), p)
    assert scan_file(p) == expected
