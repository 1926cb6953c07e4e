"""String elements are sized by the longest string the model holds (session 23, gate24).

The run walk and the fold counted 16 bytes per string element whatever its text: a 1 MiB
string Const expanded / tiled / concatenated / gathered 3,000 times (3 GB) scanned clean, and
onnxruntime 1.32 ran out of a 4 GB address space at the first run (or at session creation for
the constant Expand). The fixtures are written here; nothing is downloaded or run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

from airlock.formats.onnx import read_onnx
from airlock.scan.engine import run_handler
from airlock.scan.handlers.onnx import OnnxHandler
from airlock.scan.interface import ScanContext, Source

BIG = "A" * (1 << 20)
N = 3000
B = h.make_tensor_value_info("b", T.BOOL, [1])
SX = h.make_tensor_value_info("x", T.STRING, [1])
IX = h.make_tensor_value_info("i", T.INT64, [1])
SY = h.make_tensor_value_info("y", T.STRING, None)
ML = ("ai.onnx.ml", 3)


def _s(name: str, vals: list[str]) -> onnx.TensorProto:
    return nh.from_array(np.array(vals, dtype=object), name)


def _i(name: str, vals: list[int]) -> onnx.TensorProto:
    return nh.from_array(np.array(vals, np.int64), name)


def _model(nodes: list[onnx.NodeProto], inputs: list[onnx.ValueInfoProto],
           inits: list[onnx.TensorProto], ml: bool = False) -> onnx.ModelProto:  # fmt: skip
    g = h.make_graph(nodes, "g", inputs, [SY], inits)
    ops = [h.make_opsetid("", 18)] + ([h.make_opsetid(*ML)] if ml else [])
    m = h.make_model(g, opset_imports=ops)
    m.ir_version = 8
    return m


def _scan(tmp_path: Path, m: onnx.ModelProto) -> list[str]:
    p = tmp_path / "m.onnx"
    onnx.save(m, p)
    out = run_handler(OnnxHandler(), Source(p.read_bytes(), p), ScanContext(str(p), fs_path=p))
    return sorted({f.rule_id for f in out.findings})


_PICK = h.make_node("Where", ["b", "c", "x"], ["w"])  # a value of the run, not a constant


def _attack(form: str, text: str = BIG) -> onnx.ModelProto:
    c, shp = _s("c", [text]), _i("shp", [N])
    if form == "expand_const":  # constants only: folded at session creation
        return _model([h.make_node("Expand", ["c", "shp"], ["y"])], [], [c, shp])
    if form in ("expand", "tile"):
        op = form.capitalize()
        return _model([_PICK, h.make_node(op, ["w", "shp"], ["y"])], [B, SX], [c, shp])
    if form == "concat":
        return _model([_PICK, h.make_node("Concat", ["w"] * N, ["y"], axis=0)], [B, SX], [c])
    if form == "gather":
        z = _i("z", [0] * N)
        return _model([_PICK, h.make_node("Gather", ["w", "z"], ["y"])], [B, SX], [c, z])
    if form in ("value_strings", "value_string"):
        kw: dict[str, object] = {form: [text] if form == "value_strings" else text}
        nodes = [h.make_node("Constant", [], ["c"], **kw), _PICK,
                 h.make_node("Expand", ["w", "shp"], ["y"])]  # fmt: skip
        return _model(nodes, [B, SX], [shp])
    if form == "label_encoder":  # 3,000 ints to the default string
        nodes = [h.make_node("Expand", ["i", "shp"], ["e"]),
                 h.make_node("LabelEncoder", ["e"], ["y"], domain="ai.onnx.ml", keys_int64s=[7],
                             values_strings=["a"], default_string=text)]  # fmt: skip
        return _model(nodes, [IX], [shp], ml=True)
    if form == "category_mapper":
        nodes = [h.make_node("Expand", ["i", "shp"], ["e"]),
                 h.make_node("CategoryMapper", ["e"], ["y"], domain="ai.onnx.ml", cats_int64s=[7],
                             cats_strings=["a"], default_string=text)]  # fmt: skip
        return _model(nodes, [IX], [shp], ml=True)
    if form in ("function_ref", "function_ref_ep_name"):
        # review24: a local function's Constant takes its value_string from the caller's
        # attribute (ref_attr_name); Where over that opaque value was sized as bools, and an
        # attribute named ep_cache_context (outside an EPContext) was not a string the file holds
        ref = "ep_cache_context" if form == "function_ref_ep_name" else "text"
        a = onnx.AttributeProto(name="value_string", ref_attr_name=ref,
                                type=onnx.AttributeProto.STRING)  # fmt: skip
        const = h.make_node("Constant", [], ["o"])
        const.attribute.append(a)
        fn = h.make_function("custom", "F", [], ["o"], [const], [h.make_opsetid("", 18)],
                             attributes=[ref])  # fmt: skip
        call = h.make_node("F", [], ["c"], domain="custom", **{ref: text})
        m = _model([call, _PICK, h.make_node("Expand", ["w", "shp"], ["y"])], [B, SX], [shp])
        m.opset_import.append(h.make_opsetid("custom", 1))
        m.functions.append(fn)
        return m
    assert form == "loop"  # Concat(v, v), 12 times: 4,096 copies
    body = h.make_graph(
        [h.make_node("Concat", ["v", "v"], ["v2"], axis=0),
         h.make_node("Identity", ["cond"], ["cond_out"])], "body",
        [h.make_tensor_value_info("it", T.INT64, []), h.make_tensor_value_info("cond", T.BOOL, []),
         h.make_tensor_value_info("v", T.STRING, None)],
        [h.make_tensor_value_info("cond_out", T.BOOL, []),
         h.make_tensor_value_info("v2", T.STRING, None)],
    )  # fmt: skip
    tc, tr = nh.from_array(np.array(12, np.int64), "tc"), nh.from_array(np.array(True), "tr")
    nodes = [_PICK, h.make_node("Loop", ["tc", "tr", "w"], ["y"], body=body)]
    return _model(nodes, [B, SX], [c, tc, tr])


FORMS = ["expand_const", "expand", "tile", "concat", "gather", "value_strings", "value_string",
         "label_encoder", "category_mapper", "loop", "function_ref",
         "function_ref_ep_name"]  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
def test_a_long_string_copied_thousands_of_times_is_denied(tmp_path: Path, form: str) -> None:
    assert _scan(tmp_path, _attack(form)) == ["AIR-ONNX-009"]


@pytest.mark.parametrize("form", FORMS)
def test_the_same_graphs_over_short_strings_stay_clean(tmp_path: Path, form: str) -> None:
    assert _scan(tmp_path, _attack(form, "hello")) == []


def test_a_long_string_used_once_stays_clean(tmp_path: Path) -> None:
    m = _model([h.make_node("Where", ["b", "c", "x"], ["y"])], [B, SX], [_s("c", [BIG])])
    assert _scan(tmp_path, m) == []
    # a label encoder from long strings to ints makes ints
    nodes = [h.make_node("Expand", ["x", "shp"], ["e"]),
             h.make_node("LabelEncoder", ["e"], ["o"], domain="ai.onnx.ml",
                         keys_strings=[BIG[:100_000]], values_int64s=[1], default_int64=0),
             h.make_node("Cast", ["o"], ["y"], to=T.STRING)]  # fmt: skip
    assert _scan(tmp_path, _model(nodes, [SX], [_i("shp", [N])], ml=True)) == []


def test_the_parser_keeps_the_longest_string() -> None:
    m = _attack("value_string", "x" * 5000)
    assert read_onnx(m.SerializeToString()).longest_string == 5000
    m = _attack("gather", "y" * 700)
    assert read_onnx(m.SerializeToString()).longest_string == 700


def test_bounded_outputs_of_strings_stay_strings() -> None:
    # an operator bounded by its inputs (Unique, StringNormalizer over an unknown shape...) made
    # int64s of a string input; a Constant's undefined type still yields int64
    from airlock.scan.onnx_fold import _opaque, _Val

    assert _opaque([_Val((3,), 8, None)])[0].data_type == 8
    assert _opaque([_Val((3,), 0, None)])[0].data_type == 7
