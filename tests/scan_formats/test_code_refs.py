"""Code references at any depth of any JSON config (red-team session 8: ``auto_map`` nested in
``processor_config.json``'s ``image_processor`` passed the gate with one low finding while
``AutoImageProcessor.from_pretrained(..., trust_remote_code=True)`` ran the shipped code)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from airlock.gate import check
from airlock.report import Severity
from airlock.scan import config_rules
from airlock.scan.config_rules import ConfigTooLarge, code_references, json_config_findings
from airlock.scan.engine import run_handler, scan_paths
from airlock.scan.handlers.json_config import JsonConfigHandler
from airlock.scan.interface import ScanContext, Source

HAS_TRANSFORMERS = importlib.util.find_spec("transformers") is not None


def rules(doc: Any, name: str = "config.json", folder: Path | None = None) -> list[str]:
    return [f.rule_id for f in json_config_findings(doc, name, None, folder)]


def severities(doc: Any) -> set[Severity]:
    return {f.severity for f in json_config_findings(doc, "x.json", None)}


AUTO = {"AutoImageProcessor": "image_processing_x.XImageProcessor"}


@pytest.mark.parametrize(
    "doc",
    [
        {"auto_map": AUTO},  # the top level, as before
        {"image_processor": {"auto_map": AUTO}},  # the red-team file
        {"feature_extractor": {"auto_map": {"AutoFeatureExtractor": "fe.X"}}},
        {"audio_processor": {"auto_map": {"AutoFeatureExtractor": "fe.X"}}},
        {"video_processor": {"auto_map": {"AutoVideoProcessor": "vp.X"}}},
        {"some_future_processor": {"inner": [{"auto_map": AUTO}]}},  # a nesting not known today
        {"tokenizer": {"auto_map": ["tok.XTok", "tok.XTokFast"]}},  # list form
        {"a": {"b": {"c": {"d": {"e": {"custom_pipelines": {"x": {"impl": "p.P"}}}}}}}},
        [{"x": {"auto_map": AUTO}}],
    ],
)
def test_remote_code_reference_at_any_depth_is_high(doc: Any) -> None:
    assert rules(doc) == ["AIR-CFG-001"]
    assert severities(doc) == {Severity.HIGH}


def test_nested_foreign_repository_and_paths() -> None:
    doc = {"image_processor": {"auto_map": {"AutoImageProcessor": "evil/repo--ip.X"}}}
    found = json_config_findings(doc, "processor_config.json", None)
    assert [f.rule_id for f in found] == ["AIR-CFG-001", "AIR-CFG-002"]
    assert found[0].evidence.startswith("image_processor.auto_map:")
    deep = {"m": {"trust_remote_code": True}}
    assert rules(deep) == ["AIR-CFG-003"]


def test_walk_is_bounded_and_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {"x": [[[]] for _ in range(50)], "y": {"z": {"auto_map": AUTO}}}
    assert [r.path for r in code_references(doc)] == ["y.z.auto_map"]
    with pytest.raises(ConfigTooLarge):
        code_references(doc, max_nodes=20)
    # breadth first: what loaders read (shallow) is seen before a large deep part
    assert [r.kind for r in code_references({"auto_map": AUTO, "d": doc}, max_nodes=10**6)]
    # deep nesting: paths stay short
    deep: Any = {"auto_map": AUTO}
    for _ in range(300):
        deep = {"k" * 50: deep}
    (ref,) = code_references(deep)
    assert len(ref.path) < 300 and ref.path.endswith("...")
    # the file handler's parser hook sees every object: past the walk's bound the reference
    # is still judged (without its path)
    monkeypatch.setattr(config_rules, "MAX_WALK_NODES", 20)
    p = tmp_path / "config.json"
    p.write_text(json.dumps(doc))
    out = run_handler(JsonConfigHandler(), Source(p.read_bytes(), p), ScanContext(str(p)))
    assert not out.not_scanned
    assert [(f.rule_id, f.evidence[:11]) for f in out.findings] == [("AIR-CFG-001", "?.auto_map:")]


def test_parser_hook_sees_every_object() -> None:
    raw = json.dumps({"a": [{"b": {"auto_map": AUTO}}], "trust_remote_code": False, "c": 1})
    doc, watched = config_rules.parse_watched(raw)
    assert doc == json.loads(raw)
    assert watched == [doc["a"][0]["b"], doc]
    assert config_rules.parse_watched('{"x": 1, "x": {"auto_map": {}}}')[1] == [{"auto_map": {}}]
    assert config_rules.parse_watched('{"tokenizer_class": "X", "vocab": {"a": 1}}')[1] == []


def test_sentence_transformers_imports() -> None:
    router = {
        "types": {"q": "sentence_transformers.models.Transformer", "d": "custom_mod.Evil"},
        "structure": {"query": ["q"], "document": ["d"]},
        "parameters": {},
    }
    assert rules(router, "router_config.json") == ["AIR-CFG-004"]
    ce = {"sentence_transformers": {"activation_fn": "os.getpid"}, "model_type": "bert"}
    assert rules(ce) == ["AIR-CFG-004"]
    honest = [
        {"sentence_transformers": {"activation_fn": "torch.nn.modules.activation.Sigmoid"}},
        {"activation_function": "torch.nn.modules.activation.Tanh", "in_features": 4},
        {"activation_function": "gelu_new", "model_type": "gpt2"},  # GPT-2: a name, no import
        {"types": {"a": "b.C"}},  # a "types" key that is no Router config
    ]
    for doc in honest:
        assert rules(doc) == [], doc


def test_diffusers_custom_pipeline_and_components(tmp_path: Path) -> None:
    sd = {
        "_class_name": "StableDiffusionPipeline",
        "_diffusers_version": "0.30.0",
        "unet": ["diffusers", "UNet2DConditionModel"],
        "text_encoder": ["transformers", "CLIPTextModel"],
        "safety_checker": ["stable_diffusion", "StableDiffusionSafetyChecker"],
        "feature_extractor": [None, None],
        "requires_safety_checker": True,
    }
    assert rules(sd, "model_index.json", tmp_path) == []
    custom = {**sd, "_class_name": ["pipeline_x", "XPipeline"]}
    assert rules(custom, "model_index.json", tmp_path) == ["AIR-CFG-001"]
    comp = {**sd, "unet": ["my_unet", "MyUNet"]}
    assert rules(comp, "model_index.json", tmp_path) == ["AIR-CFG-016"]  # nothing shipped
    assert rules(comp, "model_index.json", None) == ["AIR-CFG-001"]  # folder unknown: closed
    (tmp_path / "unet").mkdir()
    (tmp_path / "unet" / "my_unet.py").write_text("class MyUNet: pass\n")
    assert rules(comp, "model_index.json", tmp_path) == ["AIR-CFG-001"]


def _write_red_team_model(d: Path, marker: Path, nest: str = "image_processor") -> None:
    d.mkdir()
    auto = "AutoImageProcessor" if nest == "image_processor" else "AutoFeatureExtractor"
    base = (
        ("transformers.image_processing_utils", "BaseImageProcessor")
        if nest == "image_processor"
        else ("transformers.feature_extraction_utils", "FeatureExtractionMixin")
    )
    doc = {nest: {"auto_map": {auto: "proc_x.XProc"}}}
    (d / "processor_config.json").write_text(json.dumps(doc))
    (d / "proc_x.py").write_text(
        f"import sys\nfrom {base[0]} import {base[1]}\n"
        f'sys.modules["os"].system("touch {marker}")\n'
        f"class XProc({base[1]}):\n    pass\n"
    )


def test_red_team_model_is_denied(tmp_path: Path) -> None:
    d = tmp_path / "m"
    _write_red_team_model(d, tmp_path / "pwned")
    result = check(d)
    assert not result.allowed
    by_rule = {f.rule_id: f.severity for f in scan_paths([d]).findings}
    assert by_rule["AIR-CFG-001"] == Severity.HIGH
    assert by_rule["AIR-CFG-005"] == Severity.CRITICAL  # os.system at import time


@pytest.mark.skipif(not HAS_TRANSFORMERS, reason="needs transformers")
@pytest.mark.parametrize("nest", ["image_processor", "feature_extractor", "audio_processor"])
def test_nested_auto_map_really_runs_code(tmp_path: Path, nest: str) -> None:
    """The fixture is real: transformers (in a child process, on the files this test wrote)
    imports the shipped code from the nested auto_map; the scan denies it without importing."""
    d, marker = tmp_path / "m", tmp_path / "pwned"
    _write_red_team_model(d, marker, nest)
    assert not check(d).allowed and not marker.exists()
    auto = "AutoImageProcessor" if nest == "image_processor" else "AutoFeatureExtractor"
    load = f"{auto}.from_pretrained({str(d)!r}, trust_remote_code=True)"
    code = f"from transformers import {auto}; {load}"
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert marker.exists()


@pytest.mark.skipif(not HAS_TRANSFORMERS, reason="needs transformers")
def test_transformers_saved_processors_are_clean(tmp_path: Path, minilm_dir: Path) -> None:
    """Processor configs as transformers' own savers write them (nested sub-processors in
    processor_config.json, preprocessor_config.json, generation_config.json) give no finding."""
    code = f"""
import transformers as tf
tok = tf.AutoTokenizer.from_pretrained({str(minilm_dir)!r})
out = {str(tmp_path)!r}
tf.BlipProcessor(tf.BlipImageProcessor(), tok).save_pretrained(out + "/blip")
tf.Wav2Vec2Processor(tf.Wav2Vec2FeatureExtractor(), tok).save_pretrained(out + "/w2v")
tf.CLIPImageProcessor().save_pretrained(out + "/clip")
tf.GenerationConfig(max_new_tokens=5).save_pretrained(out + "/gen")
"""
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300, check=True)
    assert json.loads((tmp_path / "blip" / "processor_config.json").read_text())["image_processor"]
    report = scan_paths([tmp_path])
    assert [f.rule_id for f in report.findings] == [] and not report.not_scanned


def test_custom_generate_file_is_remote_code(tmp_path: Path) -> None:
    """No config names it: transformers imports custom_generate/generate.py whenever a model is
    loaded with trust_remote_code=True."""
    d = tmp_path / "m"
    (d / "custom_generate").mkdir(parents=True)
    (d / "custom_generate" / "generate.py").write_text("def generate(model, **kw):\n    pass\n")
    (d / "generate.py").write_text("def generate(model, **kw):\n    pass\n")  # not the place
    found = [(f.rule_id, f.location) for f in scan_paths([d]).findings]
    assert [r for r, loc in found if r == "AIR-CFG-001"] == ["AIR-CFG-001"]
    assert all(
        loc.endswith("custom_generate/generate.py") for r, loc in found if r != "AIR-CFG-012"
    )
    assert not check(d).allowed


@pytest.mark.skipif(not HAS_TRANSFORMERS, reason="needs transformers")
def test_custom_generate_really_runs_on_load(tmp_path: Path) -> None:
    d, marker = tmp_path / "m", tmp_path / "pwned"
    code = f"""
import pathlib, transformers as tf
d = pathlib.Path({str(d)!r})
cfg = tf.LlamaConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                     num_attention_heads=2, num_key_value_heads=1, vocab_size=64)
tf.LlamaForCausalLM(cfg).save_pretrained(d)
(d / "custom_generate").mkdir()
(d / "custom_generate" / "generate.py").write_text(
    "from pathlib import Path\\nPath({str(marker)!r}).write_text('x')\\n"
    "def generate(model, *a, **k):\\n    return None\\n")
"""
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300, check=True)
    assert not check(d).allowed and not marker.exists()
    load = f"tf.AutoModelForCausalLM.from_pretrained({str(d)!r}, trust_remote_code=True)"
    subprocess.run(
        [sys.executable, "-c", f"import transformers as tf; {load}"],
        capture_output=True,
        timeout=300,
    )
    assert marker.exists()


def test_diffusers_model_config_lists_are_data(tmp_path: Path) -> None:
    """A model's own config.json (ConfigMixin passes its fields to ``__init__``) names no
    library: two-item lists of block types or conditioning names are data (sweep 11: UNet
    ``down_block_types``, StableCascadeUNet's default ``timestep_conditioning_type``)."""
    unet = {
        "_class_name": "UNet2DConditionModel",
        "_diffusers_version": "0.42.1",
        "down_block_types": ["DownBlock2D", "DownBlock2D"],
        "up_block_types": ["UpBlock2D", "UpBlock2D"],
    }
    cascade = {
        "_class_name": "StableCascadeUNet",
        "_diffusers_version": "0.42.1",
        "timestep_conditioning_type": ["sca", "crp"],
    }
    for doc in (unet, cascade):
        assert rules(doc, "config.json", tmp_path) == []
        assert rules(doc, "unet/config.json", tmp_path) == []
        # the same entries in a pipeline index are components diffusers imports
        assert set(rules(doc, "model_index.json", tmp_path)) == {"AIR-CFG-016"}
    # a config.json that claims a pipeline class is judged as an index (fail closed)
    pipe = {**cascade, "_class_name": "StableCascadePriorPipeline"}
    assert rules(pipe, "config.json", tmp_path) == ["AIR-CFG-016"]
    custom = {**cascade, "_class_name": ["pipeline_x", "XPipeline"]}
    assert "AIR-CFG-016" in rules(custom, "config.json", tmp_path)


def test_diffusers_hostile_index_components_still_flagged(tmp_path: Path) -> None:
    index = {
        "_class_name": "StableDiffusionPipeline",
        "_diffusers_version": "0.42.1",
        "unet": ["diffusers", "UNet2DConditionModel"],
        "scheduler": ["evil_lib", "Sched"],
    }
    assert rules(index, "model_index.json", tmp_path) == ["AIR-CFG-016"]
    assert rules(index, "model_index.json", None) == ["AIR-CFG-001"]
    # modular pipelines: [library, Class, spec]
    modular = {
        "_class_name": "StableDiffusionXLModularPipeline",
        "_diffusers_version": "0.42.1",
        "unet": ["diffusers", "UNet2DConditionModel", {"repo": "x/y", "subfolder": "unet"}],
        "vae": ["evil_lib", "VAE", {"repo": "x/y", "subfolder": "vae"}],
    }
    assert rules(modular, "modular_model_index.json", tmp_path) == ["AIR-CFG-016"]


@pytest.mark.skipif(importlib.util.find_spec("diffusers") is None, reason="needs diffusers")
def test_diffusers_saved_model_configs_are_clean(tmp_path: Path) -> None:
    from diffusers import StableCascadeUNet, UNet2DModel

    UNet2DModel.from_config(
        {"down_block_types": ["DownBlock2D", "DownBlock2D"], "up_block_types": ["UpBlock2D"] * 2,
         "block_out_channels": [8, 8], "norm_num_groups": 4, "sample_size": 8}
    ).save_config(tmp_path / "unet")  # fmt: skip
    StableCascadeUNet.from_config({}).save_config(tmp_path / "prior")
    for sub in ("unet", "prior"):
        doc = json.loads((tmp_path / sub / "config.json").read_text())
        assert rules(doc, str(tmp_path / sub / "config.json"), tmp_path / sub) == []
