"""``airlock check ADAPTER --base BASE``: the adapter is judged merged into the base, and the
report names the base judged (name and root digest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from bench.trojan import lmgen
from safetensors.torch import save_file

from airlock.gate import BaseModel, CheckOptions, _adapter_step, check
from airlock.provenance.hashing import hash_model
from airlock.scan.engine import scan


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = lmgen.LMSpec(hidden=16, layers=1, heads=2, inter=32)
    return lmgen.save(
        tmp_path_factory.mktemp("b") / "base", lmgen.init(spec, 0), lmgen.config(spec)
    )


def _adapter(path: Path, a_in: int = 16) -> Path:
    path.mkdir()
    mod = "base_model.model.transformer.h.0.mlp.c_fc"
    save_file(
        {f"{mod}.lora_A.weight": torch.randn(2, a_in) * 0.01,
         f"{mod}.lora_B.weight": torch.randn(32, 2) * 0.01},
        str(path / "adapter_model.safetensors"),
    )  # fmt: skip
    doc = {"peft_type": "LORA", "r": 2, "lora_alpha": 4, "fan_in_fan_out": True,
           "target_modules": ["c_fc"], "base_model_name_or_path": "org/tiny"}  # fmt: skip
    (path / "adapter_config.json").write_text(json.dumps(doc))
    return path


def test_adapter_checked_on_its_base(base: Path, tmp_path: Path) -> None:
    res = check(_adapter(tmp_path / "ad"), CheckOptions(base=base))
    names = [s.name for s in res.steps]
    assert "adapter" in names and "trojan" in names
    step = next(s for s in res.steps if s.name == "adapter")
    assert step.data["behaviour_judged"] is True
    assert step.data["base"]["root_digest"] == hash_model(base).root_digest
    trojan = next(s for s in res.steps if s.name == "trojan")
    assert trojan.data["adapter"]["modules"] == ["transformer.h.0.mlp.c_fc"]


def test_adapter_that_does_not_fit_its_base_denies(base: Path, tmp_path: Path) -> None:
    res = check(_adapter(tmp_path / "ad", a_in=17), CheckOptions(base=base))
    assert not res.allowed
    assert any(f.rule_id == "AIR-TRJ-030" for f in res.findings)


def test_base_named_on_the_hub_must_be_the_one_peft_loads(tmp_path: Path) -> None:
    ad = _adapter(tmp_path / "ad")
    rep = scan(ad)
    same = _adapter_step(ad, rep, BaseModel("hf://org/tiny@abc", "org/tiny", "0" * 64))
    other = _adapter_step(ad, rep, BaseModel("hf://org/other@abc", "org/other", "0" * 64))
    local = _adapter_step(ad, rep, BaseModel(str(tmp_path), None, "0" * 64))
    assert same is not None and same.ok
    assert other is not None and not other.ok and "peft loads 'org/tiny'" in other.summary
    assert [f.rule_id for f in other.findings] == ["AIR-ADP-009"]
    # a local base has no repo id: peft would fetch org/tiny, which nobody compared with it
    assert local is not None and not local.ok and "local folder" in local.summary
    hf_form = _adapter_step(ad, rep, BaseModel("hf://Org/Tiny@abc", "Org/Tiny", "0" * 64))
    assert hf_form is not None and hf_form.ok


def test_local_base_is_accepted_only_by_the_policy_file(base: Path, tmp_path: Path) -> None:
    from airlock.policyfile.model import PolicyFile, Suppression

    ad = _adapter(tmp_path / "ad")
    assert not check(ad, CheckOptions(base=base)).allowed
    policy = PolicyFile(
        "p", "0" * 64, suppress=(Suppression("AIR-ADP-009", "reviewed", path=str(ad)),)
    )
    res = check(ad, CheckOptions(base=base, policy=policy))
    step = next(s for s in res.steps if s.name == "adapter")
    assert step.ok and "accepted by the policy file" in step.summary


@pytest.mark.parametrize(
    ("claimed", "judged", "same"),
    [("org/tiny", "org/tiny", True), ("Org/Tiny", "ORG/tiny", True),
     # transformers reads none of these as the hub repo org/tiny (a local path to it)
     ("hf://org/tiny@v1", "ORG/tiny", False), ("hf:org/tiny", "org/tiny", False),
     ("https://huggingface.co/org/tiny/tree/main", "org/tiny", False),
     (" org/tiny", "org/tiny", False), ("org/tiny/", "org/tiny", False),
     ("org/tiny@x", "org/tiny", False), ("org/tiny\u2003", "org/tiny", False),
     ("org/tiny\n", "org/tiny", False),
     ("evil/tiny", "org/tiny", False), ("/models/tiny", "org/tiny", False),
     ("./tiny", "org/tiny", False), ("", "org/tiny", False), ("org/tiny", "", False)],
)  # fmt: skip
def test_base_names_are_normalised_before_comparing(claimed: str, judged: str, same: bool) -> None:
    from airlock.gate import base_mismatch

    assert (base_mismatch(claimed, judged) is None) == same


def test_a_pinned_commit_must_be_the_one_judged(tmp_path: Path) -> None:
    ad = _adapter(tmp_path / "ad")
    doc = json.loads((ad / "adapter_config.json").read_text())
    (ad / "adapter_config.json").write_text(json.dumps({**doc, "revision": "b" * 40}))
    rep = scan(ad)
    other = _adapter_step(ad, rep, BaseModel(f"hf://org/tiny@{'a' * 40}", "org/tiny", "0" * 64))
    assert other is not None and not other.ok and "not commit" in other.summary
    same = _adapter_step(ad, rep, BaseModel(f"hf://org/tiny@{'b' * 40}", "org/tiny", "0" * 64))
    assert same is not None and same.ok


@pytest.mark.parametrize(
    ("rev", "judged", "ok"),
    [("b" * 40, "b" * 40, True), ("B" * 40, "b" * 40, True), ("b" * 40, "a" * 40, False),
     ("bbbbbbb", "b" * 40, False), ("refs/pr/1", "b" * 40, False), ("main", "b" * 40, False),
     (None, "b" * 40, True), (None, "", True), ("main", "", False), ("refs/pr/1", "", False)],
)  # fmt: skip
def test_only_the_full_commit_judged_passes(tmp_path: Path, rev: str | None, judged: str,
                                            ok: bool) -> None:  # fmt: skip
    """A base judged at a commit: the config must pin exactly that commit (a branch, a PR ref
    or a prefix loads whatever it points to when loaded). No revision (peft's default) loads
    the default branch then: said in the step, not refused."""
    ad = _adapter(tmp_path / "ad")
    doc = json.loads((ad / "adapter_config.json").read_text())
    if rev is not None:
        doc["revision"] = rev
    (ad / "adapter_config.json").write_text(json.dumps(doc))
    label = f"hf://org/tiny@{judged}" if judged else "hf://org/tiny"
    step = _adapter_step(ad, scan(ad), BaseModel(label, "org/tiny", "0" * 64))
    assert step is not None and step.ok == ok, step.summary
    assert ("pins no base revision" in step.summary) == (rev is None and bool(judged))


def test_every_adapter_folder_is_compared_with_the_base(tmp_path: Path) -> None:
    """peft's multi-adapter layout: an adapter in a subfolder (loaded with ``subfolder=``)
    loads the base its own config names, which must be the base judged as well."""
    ad = _adapter(tmp_path / "ad")
    _adapter(ad / "other")
    doc = json.loads((ad / "other/adapter_config.json").read_text())
    doc["base_model_name_or_path"] = "evil/tiny"
    (ad / "other/adapter_config.json").write_text(json.dumps(doc))
    judged = BaseModel("hf://org/tiny", "org/tiny", "0" * 64)
    step = _adapter_step(ad, scan(ad), judged)
    assert step is not None and not step.ok and "'evil/tiny'" in step.summary
    (ad / "adapter_config.json").unlink()
    (ad / "adapter_model.safetensors").unlink()
    only_sub = _adapter_step(ad, scan(ad), judged)
    assert only_sub is not None and not only_sub.ok and "'evil/tiny'" in only_sub.summary
    from airlock.provenance.hashing import hash_model

    no_scan = _adapter_step(ad, None, judged, manifest=hash_model(ad))
    assert no_scan is not None and not no_scan.ok
