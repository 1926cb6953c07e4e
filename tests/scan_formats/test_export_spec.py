"""transformers export folders (``export.json``, AIR-CFG-019): the pytree specs' class paths are
imported and called by ``ExportedModel.from_pretrained`` + the first call (red team session 10,
/work/redteam10/gen_4.py, rebuilt here). Payload shapes are denied; manifests as transformers'
saver writes them (hand-built, and from the real exporter when it runs) are clean; an oracle in a
child process shows the payload runs when the gate is bypassed."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.export_spec import cache_class, manifest_findings, model_output_type

LEAF = {"type": None, "context": None, "children_spec": []}


def _node(typ: str | None, ctx: Any, children: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": typ, "context": ctx, "children_spec": children}


def _dumps(root: dict[str, Any]) -> str:
    return json.dumps([1, root])  # torch.utils._pytree.treespec_dumps' layout


def _cache_ctx(layer_state: dict[str, Any], cls: str = "DynamicCache") -> str:
    layer = {"_t": "obj", "p": "transformers.cache_utils:DynamicLayer", "s": layer_state}
    return json.dumps(
        {
            "_t": "obj",
            "p": f"transformers.cache_utils:{cls}",
            "s": {"layers": [layer], "layer_class_to_replicate": None, "offloading": False},
        }
    )


IN_SPEC = _dumps(
    _node(
        "builtins.tuple",
        "null",
        [
            _node("builtins.tuple", "null", []),
            _node(
                "builtins.dict",
                json.dumps(["input_ids", "cache"]),
                [
                    LEAF,
                    _node(
                        "transformers.cache_utils:DynamicCache",
                        _cache_ctx({"keys": None, "values": None, "is_initialized": False}),
                        [],
                    ),
                ],
            ),
        ],
    )
)
OUT_STATE = {
    "keys": {"_t": "tensor", "i": 0},
    "values": {"_t": "tensor", "i": 1},
    "is_initialized": True,
    "device": {"_t": "device", "s": "cpu"},
}
OUT_SPEC = _dumps(
    _node(
        "transformers.modeling_outputs.CausalLMOutputWithPast",
        json.dumps(["logits", "past_key_values"]),
        [LEAF, _node("transformers.cache_utils:DynamicCache", _cache_ctx(OUT_STATE), [LEAF, LEAF])],
    )
)


def honest_manifest(out_spec: str = OUT_SPEC, in_spec: str | None = IN_SPEC) -> dict[str, Any]:
    """export.json as ``ExportedModel.save_pretrained`` (transformers 5.25) writes it."""
    meta = {
        "architecture": "GPT2LMHeadModel",
        "packages": {"transformers": "5.25.0", "torch": "2.13.0+cpu", "onnx": "1.23.2"},
        "export_config": {
            "dynamic": False,
            "dynamic_shapes": None,
            "export_format": "onnx",
            "opset_version": None,
            "optimize": True,
            "strict": False,
        },
        "export_dtype": "float32",
        "export_device": "cpu",
        "kwargs": {"input_ids": {"rank": 2, "shape": [1, 5], "dtype": "int64"}},
        "in_spec": in_spec,
        "out_spec": out_spec,
        "in_constants": {"use_cache": True, "output_attentions": None},
        "out_constants": [[2, None]],
    }
    return {
        "schema_version": 1,
        "export_format": "onnx",
        "components": {"model": {"file": "model.onnx", "metadata": meta}},
    }


def _payload_spec(ctx: Any, typ: str = "transformers.cache_utils:StaticCache") -> str:
    """The red team's shape: a cache node whose context names any module:callable."""
    return _dumps(_node(typ, json.dumps(ctx), [LEAF]))


def _ids(doc: Any, name: str = "export.json") -> list[str]:
    return [f.rule_id for f in manifest_findings(doc, "x", None, name)]


def test_honest_manifest_is_clean() -> None:
    assert _ids(honest_manifest()) == []
    assert _ids(honest_manifest(in_spec=None)) == []


def test_red_team_folder_is_denied(tmp_path: Path) -> None:
    """gen_4.py's folder: export.json + model.onnx; was ALLOW, exit 0."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
    )
    onnx.save(helper.make_model(graph), str(tmp_path / "model.onnx"))
    spec = [
        1,
        {
            "type": "transformers.cache_utils:StaticCache",
            "context": json.dumps({"_t": "seq", "p": "os:system", "v": ["touch /tmp/m"]}),
            "children_spec": [LEAF],
        },
    ]
    manifest = honest_manifest(out_spec=json.dumps(spec))
    (tmp_path / "export.json").write_text(json.dumps(manifest, indent=2))
    findings = scan_paths([tmp_path]).findings
    hits = [f for f in findings if f.rule_id == "AIR-CFG-019"]
    assert hits and all(f.severity == Severity.CRITICAL for f in hits)
    assert "os:system" in hits[0].evidence


PAYLOADS: dict[str, Any] = {
    "seq": {"_t": "seq", "p": "os:system", "v": ["touch /tmp/m"]},
    "map": {"_t": "map", "p": "builtins:exec", "v": {"print(1)": 1}},
    "obj": {"_t": "obj", "p": "subprocess:Popen", "s": {}},
    "type": {"_t": "type", "p": "antigravity:x"},
    "nested_seq": {
        "a": [
            {
                "_t": "seq",
                "p": "builtins:tuple",
                "v": [{"_t": "seq", "p": "os:system", "v": ["id"]}],
            }
        ]
    },
    "items_value": {"_t": "items", "v": [[0, {"_t": "obj", "p": "os:system", "s": {}}]]},
    "obj_other_transformers": {"_t": "obj", "p": "transformers.trainer:Trainer", "s": {}},
    "seq_namedtuple": {"_t": "seq", "p": "transformers.x:T", "v": []},
    "cache_dotted": {"_t": "obj", "p": "transformers.cache_utils.DynamicCache", "s": {}},
    "enum_hook": {"k": {"__enum__": True, "fqn": "os:system", "name": "x"}},
    "unknown_tag": {"_t": "pickle", "v": "gASV"},
    "tag_not_str": {"_t": 1, "p": "os:system"},
    "extra_key": {"_t": "tensor", "i": 0, "p": "os:system"},
    "missing_key": {"_t": "seq", "p": "builtins:tuple"},
    "dtype_getattr": {"_t": "dtype", "n": "load"},
    "layout_getattr": {"_t": "layout", "n": "hub"},
    "device": {"_t": "device", "s": "evil"},
    "tensor_index": {"_t": "tensor", "i": "0"},
    "size": {"_t": "size", "v": ["1"]},
    "items_shape": {"_t": "items", "v": [[0]]},
    "seq_values": {"_t": "seq", "p": "builtins:tuple", "v": {"a": 1}},
    "obj_state": {"_t": "obj", "p": "transformers.cache_utils:DynamicCache", "s": [1]},
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_context_payloads_are_denied(name: str) -> None:
    doc = honest_manifest(out_spec=_payload_spec(PAYLOADS[name]))
    assert _ids(doc) and set(_ids(doc)) == {"AIR-CFG-019"}, name
    doc = honest_manifest(in_spec=_payload_spec(PAYLOADS[name]))
    assert _ids(doc), name


def _spec_with(mutate: Any) -> str:
    root = json.loads(OUT_SPEC)
    mutate(root[1])
    return json.dumps(root)


def _deep_nodes(depth: int) -> dict[str, Any]:
    node = LEAF
    for _ in range(depth):
        node = _node("builtins.tuple", "null", [node])
    return node


SPECS: dict[str, str] = {
    # register_treespec_types imports any "type": "transformers..." it finds in the raw text
    "node_other_module": _payload_spec({}, "transformers.trainer:Trainer"),
    "node_dotted_non_output": _payload_spec([], "transformers.models.bert.modeling_bert.BertModel"),
    "node_defaultdict": _dumps(
        _node(
            "collections.defaultdict",
            json.dumps(
                {
                    "default_factory_module": "os",
                    "default_factory_name": "system",
                    "dict_context": [],
                }
            ),
            [],
        )
    ),
    "node_unknown": _payload_spec([], "os.system"),
    "duplicate_type_key": '[1, {"type": "transformers.trainer:Trainer", "type": null, '
    '"context": null, "children_spec": []}]',
    "hidden_type_key": _spec_with(lambda n: n.update({"x": {"type": "transformers.a:B"}})),
    "escaped_key": '[1, {"a\\"type": "transformers.evil:X", "type": null, "context": null,'
    ' "children_spec": []}]',
    "leaf_with_context": _dumps(_node(None, "[]", [])),
    "context_not_json": _dumps(_node("builtins.tuple", "{not json", [])),
    "context_not_string": _dumps(_node("builtins.tuple", {"_t": "seq"}, [])),
    "children_not_list": _dumps(_node("builtins.tuple", "null", {})),  # type: ignore[arg-type]
    "protocol_2": json.dumps([2, LEAF]),
    "protocol_true": json.dumps([True, LEAF]),
    "not_a_list": json.dumps({"type": None}),
    "not_json": "[1, {",
    "deep_nodes": _dumps(_deep_nodes(150)),
    "deep_context": _payload_spec(json.loads("[" * 150 + "]" * 150)),
    "huge_nesting": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_shapes_are_denied(name: str) -> None:
    assert _ids(honest_manifest(out_spec=SPECS[name])), name


MANIFESTS: dict[str, Any] = {
    "file_parent": lambda m: m["components"]["model"].update(file="../secret.onnx"),
    "file_absolute": lambda m: m["components"]["model"].update(file="/etc/passwd"),
    "file_drive": lambda m: m["components"]["model"].update(file="C:\\x.onnx"),
    "file_backslash": lambda m: m["components"]["model"].update(file="a\\..\\..\\x.onnx"),
    "file_home": lambda m: m["components"]["model"].update(file="~/x.onnx"),
    "file_url": lambda m: m["components"]["model"].update(file="https://e.x/m.onnx"),
    "file_not_str": lambda m: m["components"]["model"].update(file=["model.onnx"]),
    "file_empty": lambda m: m["components"]["model"].update(file=""),
    "format_unknown": lambda m: m.update(export_format="evil_backend"),
    "format_missing": lambda m: m.pop("export_format"),
    "schema_str": lambda m: m.update(schema_version="1"),
    "components_list": lambda m: m.update(components=[]),
    "components_empty": lambda m: m.update(components={}),
    "unknown_top_key": lambda m: m.update(custom_classes=["os:system"]),
    "unknown_entry_key": lambda m: m["components"]["model"].update(runner="os:system"),
    "unknown_meta_key": lambda m: m["components"]["model"]["metadata"].update(hooks=["x:y"]),
    "meta_not_dict": lambda m: m["components"]["model"].update(metadata="x"),
    "dtype_getattr": lambda m: m["components"]["model"]["metadata"].update(export_dtype="load"),
    "spec_not_str": lambda m: m["components"]["model"]["metadata"].update(out_spec=[1, LEAF]),
    "in_constants_obj": lambda m: m["components"]["model"]["metadata"].update(
        in_constants={"cache": {"_t": "seq", "p": "os:system"}}
    ),
    "out_constants_shape": lambda m: m["components"]["model"]["metadata"].update(
        out_constants=[[0, [1]]]
    ),
    "export_config_list": lambda m: m["components"]["model"]["metadata"].update(export_config=[]),
}


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_manifest_shapes_are_denied(name: str) -> None:
    doc = honest_manifest()
    MANIFESTS[name](doc)
    assert _ids(doc), name


def test_manifest_is_recognised_by_name_or_shape() -> None:
    bad = honest_manifest(out_spec=_payload_spec(PAYLOADS["seq"]))
    assert _ids(bad, "Export.JSON") and _ids(bad, "renamed.json")  # both keys: judged anywhere
    # an unrelated export.json (neither key the loader reads first) and other configs are not
    assert _ids({"version": 3, "files": ["/abs"]}) == []
    assert _ids({"components": {"a": 1}}, "config.json") == []


def test_allowlists() -> None:
    for ok in (
        "transformers.cache_utils:StaticCache",
        "transformers.cache_utils:DynamicLayer",
        "transformers.models.xlstm.modeling_xlstm:xLSTMCache",
        "transformers.models.minimax.modeling_minimax:MiniMaxCache",
        "transformers.models.mimi.modeling_mimi:MimiConv1dPaddingCache",
        "transformers.models.muse_spark.modeling_muse_spark:MuseSparkAudioConv1dCacheLayer",
        "transformers.models.unlimited_ocr.modeling_unlimited_ocr:"
        "UnlimitedOcrStaticReferenceSlidingWindowLayer",
    ):
        assert cache_class(ok), ok
    for bad in (
        "transformers.cache_utils:CacheLayerMixin",
        "transformers.trainer:Trainer",
        "os:system",
        "transformers.cache_utils.StaticCache",
        "transformers:Cache",
        "transformers.models.bert.modeling_bert:BertLayer",
        "transformers.models.x.configuration_x:XCache",
        "a:b:c",
        None,
        1,
    ):
        assert not cache_class(bad), bad
    assert model_output_type("transformers.modeling_outputs.Seq2SeqLMOutput")
    assert model_output_type("transformers.models.clip.modeling_clip.CLIPOutput")
    assert model_output_type("transformers.models.flava.modeling_flava.FlavaLosses")
    for bad in (
        "transformers.models.bert.modeling_bert.BertModel",
        "transformers.Output",
        "transformers.generation.utils.GenerateDecoderOnlyOutput",
        "os.Output",
        "transformers.modeling_outputs:BaseModelOutput",
    ):
        assert not model_output_type(bad), bad


# -- the real exporter: its manifests are clean -----------------------------------------------


def _real_exports(root: Path) -> list[Path]:
    """Tiny random-weight models exported by transformers' own DynamoExporter (torch.export, no
    onnxscript needed; the specs are the ones every backend writes): a single graph, generation
    with a dynamic cache, with a static cache, and an encoder-decoder (its cache's int keys)."""
    pytest.importorskip("transformers.exporters")
    import torch
    from transformers import (
        AutoConfig,
        AutoModelForCausalLM,
        AutoModelForSeq2SeqLM,
        GenerationConfig,
    )
    from transformers.exporters import DynamoConfig, DynamoExporter

    torch.manual_seed(0)
    small = {
        "vocab_size": 64,
        "hidden_size": 16,
        "intermediate_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "head_dim": 8,
        "max_position_embeddings": 64,
    }
    inputs = {
        "input_ids": torch.randint(1, 60, (1, 5)),
        "attention_mask": torch.ones(1, 5, dtype=torch.long),
    }
    llama = AutoModelForCausalLM.from_config(AutoConfig.for_model("llama", **small)).eval()
    t5cfg = AutoConfig.for_model(
        "t5",
        vocab_size=64,
        d_model=16,
        d_kv=8,
        d_ff=32,
        num_layers=1,
        num_heads=2,
        decoder_start_token_id=0,
    )
    t5 = AutoModelForSeq2SeqLM.from_config(t5cfg).eval()
    gen = {"max_new_tokens": 2, "do_sample": False}
    exporter, out = DynamoExporter(), []
    jobs = {
        "single": lambda: exporter.export(
            llama, {**inputs, "output_hidden_states": True}, DynamoConfig()
        ),
        "dynamic": lambda: exporter.export_for_generation(
            llama, inputs, DynamoConfig(), generation_config=GenerationConfig(**gen)
        ),
        "static": lambda: exporter.export_for_generation(
            llama,
            inputs,
            DynamoConfig(),
            generation_config=GenerationConfig(cache_implementation="static", **gen),
        ),
        "t5": lambda: exporter.export_for_generation(
            t5,
            inputs,
            DynamoConfig(),
            generation_config=GenerationConfig(decoder_start_token_id=0, **gen),
        ),
    }
    for name, job in jobs.items():
        job().save_pretrained(root / name)
        out.append(root / name)
    return out


@pytest.fixture(scope="module")
def real_exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _real_exports(tmp_path_factory.mktemp("exports"))


@pytest.mark.slow
def test_real_exporter_manifests_are_clean(real_exports: list[Path]) -> None:
    seen_kinds: set[str] = set()
    for folder in real_exports:
        for entry in json.loads((folder / "export.json").read_text())["components"].values():
            specs = [entry["metadata"][k] or "" for k in ("in_spec", "out_spec")]
            # a context is a JSON string inside the spec: its tags appear with escaped quotes
            seen_kinds.update(re.findall(r'\\"_t\\": \\"(\w+)\\"', "".join(specs)))
        # export.json only: the .pt2 programs carry pickled sample inputs, judged by other rules
        hits = [f for f in scan_paths([folder / "export.json"]).findings]
        assert [(f.rule_id, f.evidence) for f in hits] == [], folder.name
    assert {"obj", "tensor", "device", "items"} <= seen_kinds, seen_kinds


# -- oracle: the loader's own spec code runs the payload when the gate is bypassed -------------

_UNFLATTEN = """
import json, os, sys, torch
from transformers.exporters.metadata import load_treespec
manifest = json.load(open(os.path.join(sys.argv[1], "export.json")))
meta = manifest["components"]["model"]["metadata"]
spec = load_treespec(meta["out_spec"])  # what ModelRunner.__init__ does
# ModelRunner.unflatten, on the first call of the model
torch.utils._pytree.tree_unflatten([torch.ones(1)] * spec.num_leaves, spec)
"""
_FULL = """
import sys, torch
from transformers.exporters import ExportedModel
m = ExportedModel.from_pretrained(sys.argv[1])
m(x=torch.ones(4))
"""


def _oracle(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
        env=env,
    )


def _malicious(folder: Path, marker: Path) -> Path:
    folder.mkdir()
    ctx = {"_t": "seq", "p": "builtins:open", "v": [str(marker), "w"]}  # open(marker, "w")
    spec = [
        1,
        {
            "type": "transformers.cache_utils:StaticCache",
            "context": json.dumps(ctx),
            "children_spec": [LEAF],
        },
    ]
    manifest = honest_manifest(out_spec=json.dumps(spec), in_spec=None)
    manifest["components"]["model"]["metadata"]["kwargs"] = {
        "x": {"rank": 1, "shape": [4], "dtype": "float32"}
    }
    (folder / "export.json").write_text(json.dumps(manifest, indent=2))
    return folder


@pytest.mark.slow
def test_oracle_spec_payload_runs_when_the_gate_is_bypassed(tmp_path: Path) -> None:
    pytest.importorskip("transformers.exporters")
    marker = tmp_path / "marker"
    folder = _malicious(tmp_path / "evil", marker)
    assert "AIR-CFG-019" in {f.rule_id for f in scan_paths([folder]).findings}
    proc = _oracle(_UNFLATTEN, folder)
    assert marker.exists(), proc.stderr[-2000:]
    honest = tmp_path / "honest"
    honest.mkdir()
    (honest / "export.json").write_text(json.dumps(honest_manifest()))
    assert scan_paths([honest]).findings == []
    proc = _oracle(_UNFLATTEN, honest)
    assert proc.returncode == 0, proc.stderr[-2000:]  # the hand-built honest spec is real


@pytest.mark.slow
def test_oracle_full_loader(tmp_path: Path) -> None:
    """ExportedModel.from_pretrained + a call, as the red team ran it (needs onnx-ir and
    onnxscript, which are not test dependencies: skipped without them)."""
    pytest.importorskip("onnx_ir")
    pytest.importorskip("onnxscript")
    pytest.importorskip("onnxruntime")
    onnx = pytest.importorskip("onnx")
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    marker = tmp_path / "marker"
    folder = _malicious(tmp_path / "evil", marker)
    w = numpy_helper.from_array(np.ones(4, np.float32), "w")
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "w"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
        [w],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(
        model,
        str(folder / "model.onnx"),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location="model.onnx.data",
        size_threshold=0,
    )
    assert any(f.rule_id == "AIR-CFG-019" for f in scan_paths([folder]).findings)
    _oracle(_FULL, folder)
    assert marker.exists()


# -- never a traceback ------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "_t",
                    "p",
                    "v",
                    "s",
                    "i",
                    "n",
                    "type",
                    "context",
                    "children_spec",
                    "__enum__",
                    "file",
                    "x",
                ]
            )
            | st.text(max_size=5),
            kids,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(ctx=_json, node=_json, meta=_json)
def test_random_json_never_raises(ctx: Any, node: Any, meta: Any) -> None:
    doc = honest_manifest(out_spec=_payload_spec(ctx))
    manifest_findings(doc, "x", None, "export.json")
    doc = honest_manifest(out_spec=json.dumps([1, node]))
    manifest_findings(doc, "x", None, "export.json")
    doc = honest_manifest()
    doc["components"]["model"]["metadata"] = meta
    manifest_findings(doc, "x", None, "export.json")
    tampered = copy.deepcopy(honest_manifest())
    tampered["components"] = meta
    manifest_findings(tampered, "x", None, "export.json")
    manifest_findings(meta, "x", None, "export.json")
