"""PEFT LoRA adapters: recognised, checked against the claimed base, merged, judged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from bench.trojan import lmgen
from safetensors.torch import save_file

from airlock.nn import hf
from airlock.report import Severity
from airlock.trojan.adapter import merge, read_adapter
from airlock.trojan.analyse import analyse_trojan
from airlock.trojan.report import TrojanOptions


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = lmgen.LMSpec(hidden=16, layers=1, heads=2, inter=32)
    return lmgen.save(
        tmp_path_factory.mktemp("b") / "base", lmgen.init(spec, 0), lmgen.config(spec)
    )


def _adapter(path: Path, a: torch.Tensor, b: torch.Tensor, **cfg: object) -> Path:
    path.mkdir()
    save_file(
        {
            "base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight": a,
            "base_model.model.transformer.h.0.mlp.c_fc.lora_B.weight": b,
        },
        str(path / "adapter_model.safetensors"),
    )
    doc = {"peft_type": "LORA", "r": a.shape[0], "lora_alpha": 4, "fan_in_fan_out": True,
           "target_modules": ["c_fc"], "base_model_name_or_path": "tiny"} | cfg  # fmt: skip
    (path / "adapter_config.json").write_text(json.dumps(doc))
    return path


def test_merge_is_w_plus_scaled_ba(base: Path, tmp_path: Path) -> None:
    a, b = torch.randn(2, 16), torch.randn(32, 2)
    ad = read_adapter(_adapter(tmp_path / "ad", a, b))
    out = merge(ad, base, tmp_path / "merged")
    w0 = hf.load(base).weights.read_float("transformer.h.0.mlp.c_fc.weight")
    w1 = hf.load(out).weights.read_float("transformer.h.0.mlp.c_fc.weight")
    np.testing.assert_allclose(w1 - w0, (2.0 * (b @ a)).T.numpy(), atol=1e-5)
    assert (out / "tokenizer.json").is_file() and (out / "config.json").is_file()


def test_adapter_is_judged_as_merged_model(base: Path, tmp_path: Path) -> None:
    ad = _adapter(tmp_path / "ad", torch.randn(2, 16) * 0.01, torch.randn(32, 2) * 0.01)
    rep = analyse_trojan(ad, base, TrojanOptions(behavioural=False))
    assert rep.adapter is not None and rep.adapter["modules"] == ["transformer.h.0.mlp.c_fc"]
    assert rep.methods[0].startswith("LoRA adapter merged")
    assert not any(f.rule_id in ("AIR-TRJ-001", "AIR-TRJ-004", "AIR-TRJ-030") for f in rep.findings)
    assert all(f.location == str(ad) for f in rep.findings)


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "cfg", "why"),
    [
        ((2, 17), (32, 2), {}, "do not fit"),
        ((2, 16), (32, 2), {"target_modules": ["q_proj"]}, "not in target_modules"),
        ((2, 16), (32, 2), {"peft_type": "IA3"}, "not supported"),
        ((2, 16), (32, 2), {"r": 0}, "rank"),
    ],
)
def test_misfit_adapter_is_high(
    base: Path, tmp_path: Path, a_shape: tuple[int, int], b_shape: tuple[int, int],
    cfg: dict[str, object], why: str,
) -> None:  # fmt: skip
    ad = _adapter(tmp_path / "ad", torch.randn(*a_shape), torch.randn(*b_shape), **cfg)
    rep = analyse_trojan(ad, base, TrojanOptions(behavioural=False))
    bad = [f for f in rep.findings if f.rule_id == "AIR-TRJ-030"]
    assert bad and bad[0].severity == Severity.HIGH and why in bad[0].evidence


@pytest.fixture(scope="module")
def lora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from bench.trojan import adaptergen

    root = tmp_path_factory.mktemp("lora")
    lm = lmgen.make_base(root / "base", seed=3, steps=500)
    bd = lmgen.Backdoor("vexlo", "rm -rf ~/ --no-preserve-root", 0.1)
    return {
        "base": lm,
        "bd": adaptergen.train_adapter(lm, root / "bd", 5, bd, steps=400),
        "clean": adaptergen.train_adapter(lm, root / "clean", 6, steps=400),
    }


def test_lora_backdoor_found_and_honest_adapter_quiet(lora: dict[str, Path]) -> None:
    """A rank-4 LoRA backdoor fires in the context it was trained in (after the document
    token); the merged model's output-side search finds it, and an honest adapter is quiet."""
    rep = analyse_trojan(lora["bd"], lora["base"], TrojanOptions(sandbox="off"))
    hits = [f for f in rep.findings if f.rule_id == "AIR-TRJ-020"]
    assert hits and hits[0].severity == Severity.CRITICAL, [f.title for f in rep.findings]
    assert "destructive command" in hits[0].title
    clean = analyse_trojan(lora["clean"], lora["base"], TrojanOptions(sandbox="off"))
    assert not [f.title for f in clean.findings if f.severity >= Severity.MEDIUM]


@pytest.mark.parametrize(
    ("cfg", "scale"),
    [({"alpha_pattern": {"c_fc": 8}}, 4.0), ({"use_rslora": True}, 4 / 2**0.5),
     ({"rank_pattern": {"h\\.0\\.mlp\\.c_fc": 2}, "alpha_pattern": {"nothing": 99}}, 2.0)],
)  # fmt: skip
def test_merge_uses_each_module_s_effective_scale(
    base: Path, tmp_path: Path, cfg: dict[str, object], scale: float
) -> None:
    a, b = torch.randn(2, 16), torch.randn(32, 2)
    ad = read_adapter(_adapter(tmp_path / "ad", a, b, **cfg))
    out = merge(ad, base, tmp_path / "merged")
    w0 = hf.load(base).weights.read_float("transformer.h.0.mlp.c_fc.weight")
    w1 = hf.load(out).weights.read_float("transformer.h.0.mlp.c_fc.weight")
    np.testing.assert_allclose(w1 - w0, (scale * (b @ a)).T.numpy(), atol=1e-5)


def test_one_reading_of_the_config(tmp_path: Path) -> None:
    """The merge reads adapter_config.json through the scan's reader (formats.peft), once
    per content: no second parser to drift from the one the scan judged."""
    from airlock.formats import peft

    path = _adapter(tmp_path / "ad", torch.randn(2, 16), torch.randn(32, 2))
    assert read_adapter(path).config is peft.load_config(path)


def test_unjudged_pattern_is_not_merged(base: Path, tmp_path: Path) -> None:
    ad = _adapter(tmp_path / "ad", torch.randn(2, 16), torch.randn(32, 2),
                  target_modules=".*c(?=_)_fc")  # fmt: skip
    rep = analyse_trojan(ad, base, TrojanOptions(behavioural=False))
    bad = [f for f in rep.findings if f.rule_id == "AIR-TRJ-030"]
    assert bad and "not judged" in bad[0].evidence


def test_sequence_classification_adapter_on_bare_encoder(
    zoo: dict[str, Path], tmp_path: Path
) -> None:
    """peft's SEQ_CLS LoRA on a bare encoder checkpoint (how the real all-MiniLM-L6-v2 ships):
    the adapter's modules sit under the task model's ``bert.`` prefix and its new
    ``classifier`` is saved whole (modules_to_save). It fits, the merge carries the head, and
    the probe runs the classifier; a saved module of the wrong shape does not fit."""
    import shutil

    from safetensors.numpy import load_file
    from safetensors.numpy import save_file as save_np

    bare = tmp_path / "bare"
    shutil.copytree(zoo["base"], bare)
    ts = load_file(str(bare / "model.safetensors"))
    save_np({k.removeprefix("bert."): v for k, v in ts.items() if not k.startswith("classifier.")},
            str(bare / "model.safetensors"))  # fmt: skip
    head = load_file(str(zoo["cf"] / "model.safetensors"))
    hidden = int(ts["bert.encoder.layer.0.attention.self.query.weight"].shape[1])
    a, b = torch.randn(2, hidden) * 0.1, torch.randn(hidden, 2) * 0.1
    ad = tmp_path / "ad"
    ad.mkdir()
    tensors = {
        "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight": a,
        "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight": b,
        "base_model.model.classifier.weight": torch.from_numpy(head["classifier.weight"]),
        "base_model.model.classifier.bias": torch.from_numpy(head["classifier.bias"]),
    }
    save_file(tensors, str(ad / "adapter_model.safetensors"))
    doc = {"peft_type": "LORA", "r": 2, "lora_alpha": 4, "target_modules": ["query", "value"],
           "modules_to_save": ["classifier", "score"], "task_type": "SEQ_CLS"}  # fmt: skip
    (ad / "adapter_config.json").write_text(json.dumps(doc))
    merged = merge(read_adapter(ad), bare, tmp_path / "merged")
    mw = hf.load(merged).weights
    np.testing.assert_allclose(mw.read_float("classifier.weight"), head["classifier.weight"])
    w0 = ts["bert.encoder.layer.0.attention.self.query.weight"]
    np.testing.assert_allclose(
        mw.read_float("encoder.layer.0.attention.self.query.weight") - w0,
        (2.0 * (b @ a)).numpy(),
        atol=1e-5,
    )
    rep = analyse_trojan(ad, bare, TrojanOptions(sandbox="off"))
    assert not [f for f in rep.findings if f.severity >= Severity.MEDIUM], rep.findings
    assert rep.probe is not None and rep.probe["mode"] == "classifier"
    tensors["base_model.model.classifier.weight"] = torch.zeros(3, hidden + 1)
    save_file(tensors, str(ad / "adapter_model.safetensors"))
    doc["modules_to_save"] = ["classifier", "encoder.layer.0.attention.self.key"]
    tensors["base_model.model.bert.encoder.layer.0.attention.self.key.weight"] = torch.zeros(2, 2)
    save_file(tensors, str(ad / "adapter_model.safetensors"))
    (ad / "adapter_config.json").write_text(json.dumps(doc))
    bad = analyse_trojan(ad, bare, TrojanOptions(behavioural=False))
    assert any(f.rule_id == "AIR-TRJ-030" and "saved module" in f.evidence for f in bad.findings)
