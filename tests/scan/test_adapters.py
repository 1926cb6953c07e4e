"""PEFT adapter folders in ``airlock scan`` and ``airlock check``: recognised as adapters with
their claimed base, their config and weights checked, the unjudged behaviour stated."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from safetensors.numpy import save_file

from airlock.gate import BaseModel, CheckOptions, _adapter_step, check
from airlock.scan.engine import scan
from airlock.scan.result import report_schema

from .samples import cache_snapshot

MOD = "base_model.model.transformer.h.0.mlp.c_fc"


def make_adapter(
    path: Path, *, a: tuple[int, int] = (2, 16), b: tuple[int, int] = (32, 2),
    card: str | None = None, weights: str = "safetensors", **cfg: Any,
) -> Path:  # fmt: skip
    path.mkdir(parents=True)
    tensors = {
        f"{MOD}.lora_A.weight": np.zeros(a, np.float32),
        f"{MOD}.lora_B.weight": np.zeros(b, np.float32),
    }
    if weights == "safetensors":
        save_file(tensors, str(path / "adapter_model.safetensors"))
    elif weights == "bin":
        (path / "adapter_model.bin").write_bytes(pickle.dumps({"x": 1}, protocol=2))
    doc = {"peft_type": "LORA", "r": 2, "lora_alpha": 4, "target_modules": ["c_fc"],
           "base_model_name_or_path": "org/tiny"} | cfg  # fmt: skip
    (path / "adapter_config.json").write_text(json.dumps(doc))
    if card is not None:
        (path / "README.md").write_text(card)
    return path


def _rules(report: Any) -> set[str]:
    return {f.rule_id for f in report.findings}


def test_clean_adapter_is_an_adapter_with_its_bases(tmp_path: Path) -> None:
    card = "---\nlicense: mit\nbase_model:\n- org/tiny\n---\n# an adapter\n"
    ad = make_adapter(tmp_path / "ad", card=card)
    rep = scan(ad)
    assert not rep.findings and not rep.not_scanned
    (m,) = rep.models
    assert m["kind"] == "adapter" and m["path"] == str(ad)
    assert m["base"] == {"config": "org/tiny", "card": ["org/tiny"]}
    assert m["weights"]["checked"] and m["weights"]["modules"] == 1
    assert "not judged" in m["behaviour"]
    import jsonschema

    jsonschema.validate(rep.to_json(), report_schema())


@pytest.mark.parametrize(
    ("cfg", "rule", "severity"),
    [
        ({"auto_mapping": {"base_model_class": "x", "parent_library": "evil_mod"}},
         "AIR-ADP-001", "high"),
        ({"custom_modules": {"Linear": "mypkg.Layer"}}, "AIR-ADP-001", "high"),
        ({"peft_type": "NOT_A_TYPE"}, "AIR-ADP-002", "medium"),
        ({"r": 0}, "AIR-ADP-003", "medium"),
        ({"r": "8"}, "AIR-ADP-003", "medium"),
        ({"lora_alpha": 1e6}, "AIR-ADP-003", "medium"),
        ({"target_modules": [1, 2]}, "AIR-ADP-004", "medium"),
        ({"target_modules": "(unclosed"}, "AIR-ADP-004", "medium"),
        ({"target_modules": ["q_proj"]}, "AIR-ADP-005", "medium"),
        ({"base_model_name_or_path": None}, "AIR-ADP-007", "low"),
    ],
)  # fmt: skip
def test_config_problems_are_findings(
    tmp_path: Path, cfg: dict[str, Any], rule: str, severity: str
) -> None:
    rep = scan(make_adapter(tmp_path / "ad", **cfg))
    hits = [f for f in rep.findings if f.rule_id == rule]
    assert hits and str(hits[0].severity) == severity, rep.findings


def test_library_auto_mapping_is_fine(tmp_path: Path) -> None:
    auto = {"base_model_class": "BertModel", "parent_library": "transformers.models.bert"}
    assert not scan(make_adapter(tmp_path / "ad", auto_mapping=auto)).findings


def test_script_model_auto_mapping_is_fine(tmp_path: Path) -> None:
    """peft's save of a model class defined in a script or notebook (fp13): "__main__"."""
    auto = {"base_model_class": "MyNet", "parent_library": "__main__"}
    assert not scan(make_adapter(tmp_path / "ad", auto_mapping=auto)).findings


@pytest.mark.parametrize(
    ("parent", "cls"),
    [("__main__.evil", "MyNet"), ("__main__x", "MyNet"), ("__mp_main__", "MyNet"),
     ("__main__", "os.system"), ("__main__", None), ("main", "MyNet")],
)  # fmt: skip
def test_near_twins_of_main_still_import_code(tmp_path: Path, parent: str, cls: Any) -> None:
    auto = {"base_model_class": cls, "parent_library": parent}
    rep = scan(make_adapter(tmp_path / "ad", auto_mapping=auto))
    assert any(f.rule_id == "AIR-ADP-001" and str(f.severity) == "high" for f in rep.findings)


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [((3, 16), (32, 3), "not rank 2"), ((2, 16), (32, 4), "not rank 2")],
)
def test_weights_that_do_not_match_the_config(
    tmp_path: Path, a: tuple[int, int], b: tuple[int, int], why: str
) -> None:
    rep = scan(make_adapter(tmp_path / "ad", a=a, b=b))
    (f,) = [f for f in rep.findings if f.rule_id == "AIR-ADP-005"]
    assert why in f.evidence and f.location.endswith("adapter_model.safetensors")


def test_rank_pattern_ranks_are_accepted(tmp_path: Path) -> None:
    rep = scan(make_adapter(tmp_path / "ad", a=(4, 16), b=(32, 4), rank_pattern={"c_fc": 4}))
    assert "AIR-ADP-005" not in _rules(rep)


def test_card_naming_another_base(tmp_path: Path) -> None:
    rep = scan(make_adapter(tmp_path / "ad", card="---\nbase_model: org/other\n---\n"))
    assert "AIR-ADP-006" in _rules(rep)
    same = scan(make_adapter(tmp_path / "ad2", card="---\nbase_model: Org/Tiny\n---\n"))
    assert "AIR-ADP-006" not in _rules(same)  # the hub resolves names case-insensitively


def test_missing_weights(tmp_path: Path) -> None:
    rep = scan(make_adapter(tmp_path / "ad", weights="none"))
    assert any("no adapter_model" in f.evidence for f in rep.findings)


def test_pickled_adapter_weights_are_scanned_as_a_pickle(tmp_path: Path) -> None:
    ad = make_adapter(tmp_path / "ad", weights="bin")
    rep = scan(ad)
    (m,) = rep.models
    assert m["weights"] == {"file": "adapter_model.bin", "checked": False, "format": "pickle",
                            "note": m["weights"]["note"]}  # fmt: skip
    formats = {Path(o.location).name: o.format for o in rep.objects}
    assert formats["adapter_model.bin"] == "pickle"


def test_malicious_pickled_adapter_denies(tmp_path: Path) -> None:
    ad = make_adapter(tmp_path / "ad", weights="none")
    (ad / "adapter_model.bin").write_bytes(b"cos\nsystem\n(S'touch x'\ntR.")
    res = check(ad)
    assert not res.allowed
    assert any(f.rule_id.startswith("AIR-PKL") for f in res.findings)


def test_check_allows_a_clean_adapter_and_says_behaviour_is_not_judged(tmp_path: Path) -> None:
    ad = make_adapter(tmp_path / "ad")
    res = check(ad)
    assert res.allowed
    (step,) = [s for s in res.steps if s.name == "adapter"]
    assert step.ok and "behaviour was not judged" in step.summary
    assert "base 'org/tiny'" in step.summary and step.data["behaviour_judged"] is False
    scan_step = next(s for s in res.steps if s.name == "scan")
    assert scan_step.data["models"][0]["kind"] == "adapter"


def test_check_denies_adapter_that_imports_code(tmp_path: Path) -> None:
    auto = {"base_model_class": "x", "parent_library": "evil_mod"}
    res = check(make_adapter(tmp_path / "ad", auto_mapping=auto))
    assert not res.allowed and "AIR-ADP-001" in {f.rule_id for f in res.findings}


def test_full_model_has_no_adapter_step(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    save_file({"w": np.zeros((2, 2), np.float32)}, str(tmp_path / "m" / "model.safetensors"))
    res = check(tmp_path / "m")
    assert res.allowed and not any(s.name == "adapter" for s in res.steps)
    assert not scan(tmp_path / "m").models


def test_check_without_scan_still_names_the_adapter(tmp_path: Path) -> None:
    res = check(make_adapter(tmp_path / "ad"), CheckOptions(scan=False))
    (step,) = [s for s in res.steps if s.name == "adapter"]
    assert "org/tiny" in step.summary


def test_model_with_an_adapter_subfolder_is_not_itself_an_adapter(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    save_file({"w": np.zeros((2, 2), np.float32)}, str(tmp_path / "m" / "model.safetensors"))
    make_adapter(tmp_path / "m" / "adapters" / "one")
    res = check(tmp_path / "m")
    (step,) = [s for s in res.steps if s.name == "adapter"]
    assert step.ok and step.summary.startswith("1 adapter folder(s) inside")
    assert scan(tmp_path / "m").models[0]["path"].endswith("adapters/one")


def test_a_number_too_large_for_a_float_is_a_bounds_problem_not_a_crash() -> None:
    from airlock.formats import peft as peft_fmt

    cfg = peft_fmt.parse_config(
        {"peft_type": "LORA", "r": 8, "lora_alpha": 10**400, "target_modules": ["q"]}
    )
    assert cfg.alpha is None and any(p.kind == "bounds" for p in cfg.problems)


def test_weights_outside_lora_and_modules_to_save_are_reported() -> None:
    """peft loads every tensor of the file into the base (strict=False): one that is no LoRA
    factor and no modules_to_save module replaces a base weight the config does not show."""
    from airlock.formats import peft as peft_fmt
    from airlock.scan.adapters import _weights_problems

    doc = {"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q"]}
    names = [
        ("base_model.model.q.lora_A.weight", (8, 16)),
        ("base_model.model.q.lora_B.weight", (16, 8)),
        ("base_model.model.v.weight", (16, 16)),
    ]
    problems, modules, other = _weights_problems(peft_fmt.parse_config(doc), names)
    assert (modules, other) == (1, 1)
    assert any("outside LoRA and modules_to_save: base_model.model.v.weight" in p for p in problems)
    saved = peft_fmt.parse_config({**doc, "modules_to_save": ["v"]})
    assert _weights_problems(saved, names)[0] == []


# -- module patterns: judged without backtracking (security review, session 7) --


def test_safe_pattern_agrees_with_re_on_a_regular_subset() -> None:
    import random
    import re

    from airlock.formats.safe_regex import SafePattern

    patterns = [r".*\.(q_proj|v_proj)", r"^model\.layers\.\d+\.self_attn\.(q|k|v)_proj$",
                r".*(q_proj|v_proj).*", r"(a|ab)*c", r"a{2,3}b?", r"[^.]+\.[a-c\d]+",
                r"(?:x|y){0,2}z*", r"", r"a|", r"(a*)*", r"\w+\.\s?\D", r"[a-]x",
                r"^(?!.*x).*\.(q|v)", r"(?=.*q)(?!.*z).*", r"(?!a)", r"^(?=ab).*b$"]  # fmt: skip
    rng = random.Random(7)
    for p in patterns:
        sp, rx = SafePattern(p), re.compile(p)
        for _ in range(500):
            s = "".join(rng.choice("ab.xyz01_qv c") for _ in range(rng.randint(0, 8)))
            assert sp.fullmatch(s) == (rx.fullmatch(s) is not None), (p, s)
            assert sp.match(s) == (rx.match(s) is not None), (p, s)


def test_catastrophic_target_pattern_does_not_hang_the_scan() -> None:
    """``(a|a)*b`` takes Python's re 2**n steps on n a's; peft.targeted must not."""
    from airlock.formats import peft as peft_fmt

    cfg = peft_fmt.parse_config({"peft_type": "LORA", "r": 2, "target_modules": "(a|a)*b"})
    assert not peft_fmt.targeted(cfg, "a" * 60)
    assert [p.kind for p in cfg.problems] == ["pattern"]  # peft's own load would hang


@pytest.mark.parametrize(
    "pattern",
    [r"(.+)+c_fc", r".*c(?!x)_fc", r"(\w)\1*c_fc", r".*.*.*.*.*c_fc", "a{99999}", r"(?<=a)b"],
)
def test_target_pattern_that_cannot_be_judged_is_high(tmp_path: Path, pattern: str) -> None:
    res = check(make_adapter(tmp_path / "ad", target_modules=pattern))
    hits = [f for f in res.findings if f.rule_id == "AIR-ADP-008"]
    assert hits and str(hits[0].severity) == "high" and not res.allowed


def test_leading_lookahead_of_vision_language_adapters_is_judged(tmp_path: Path) -> None:
    """``^(?!.*vision).*...`` (keep the vision tower out) is common: judged, not refused."""
    from airlock.formats import peft as peft_fmt

    pattern = r"^(?!.*vision).*\.(c_fc|q_proj)"
    rep = scan(make_adapter(tmp_path / "ad", target_modules=pattern))
    assert not rep.findings, rep.findings
    cfg = peft_fmt.parse_config({"peft_type": "LORA", "r": 2, "target_modules": pattern})
    assert peft_fmt.targeted(cfg, "model.layers.0.q_proj")
    assert not peft_fmt.targeted(cfg, "model.vision_tower.layers.0.q_proj")


def test_pattern_keys_are_judged_too(tmp_path: Path) -> None:
    rep = scan(make_adapter(tmp_path / "ad", rank_pattern={"(x+)+": 2}))
    assert "AIR-ADP-008" in _rules(rep)


@pytest.mark.parametrize(
    "cfg",
    [
        {"alpha_pattern": {"c_fc": 10_000}},  # one module's alpha
        {"r": 8, "lora_alpha": 400, "rank_pattern": {"c_fc": 1}},  # one module's rank
        {"r": 4, "lora_alpha": 1000, "use_rslora": True},  # alpha / sqrt(r) = 500
        {"alpha_pattern": {"c_fc": "big"}},
        {"rank_pattern": {"c_fc": 0}},
    ],
)
def test_scale_bounds_cover_patterns_and_rslora(tmp_path: Path, cfg: dict[str, Any]) -> None:
    rep = scan(make_adapter(tmp_path / "ad", **cfg))
    assert "AIR-ADP-003" in _rules(rep), rep.findings


def test_effective_scale_per_module() -> None:
    from airlock.formats import peft as peft_fmt

    cfg = peft_fmt.parse_config({"peft_type": "LORA", "r": 4, "lora_alpha": 8,
                                 "rank_pattern": {r"h\.0\.q": 16}, "alpha_pattern": {"v": 2},
                                 "use_rslora": True})  # fmt: skip
    assert cfg.module_scale("m.h.0.q") == 8 / 4 and cfg.module_rank("m.h.0.q") == 16
    assert cfg.module_scale("m.h.1.q") == 8 / 2 and cfg.module_scale("m.v") == 2 / 2
    assert not cfg.problems


def test_rank_pattern_rank_applies_only_to_its_modules(tmp_path: Path) -> None:
    rep = scan(make_adapter(tmp_path / "ad", a=(4, 16), b=(32, 4), rank_pattern={"q_proj": 4}))
    assert "AIR-ADP-005" in _rules(rep)  # c_fc is rank r=2, not the q_proj rank


@pytest.mark.parametrize("base", ["/home/me/llama", "./llama", "C:\\models\\llama"])
def test_a_local_path_base_is_said(tmp_path: Path, base: str) -> None:
    rep = scan(make_adapter(tmp_path / "ad", base_model_name_or_path=base))
    (f,) = [f for f in rep.findings if f.rule_id == "AIR-ADP-007"]
    assert "local path" in f.evidence


@pytest.mark.parametrize(
    "key",
    ["q)|(zzz", "q_proj", r"h\.0\.q", "x)|(.", "q|v", "v)|(q_pr", "a)|(b)|(q"],
)
def test_pattern_keys_are_matched_as_peft_wraps_them(key: str) -> None:
    """peft picks a key with ``re.match(rf"(.*\\.)?({key})$", module)``: a key that closes the
    wrapper's group (``q)|(zzz``) is a prefix match of its first alternative, and Airlock must
    give the module the rank and scale peft gives it."""
    import re

    from airlock.formats import peft as peft_fmt

    modules = ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "q",
               "m.h.0.q", "zzz", "q_proj.x", "a.b", "x.y"]  # fmt: skip
    doc = {"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"],
           "alpha_pattern": {key: 256}, "rank_pattern": {key: 4}}  # fmt: skip
    cfg = peft_fmt.parse_config(doc)
    for m in modules:
        hit = m == key or re.match(rf"(.*\.)?({key})$", m) is not None
        assert cfg.module_scale(m) == (256 / 4 if hit else 8 / 8), (key, m)


def test_a_configs_patterns_share_one_bound() -> None:
    """Bounds per pattern alone let 200 keys of ~4000 states each cost 200 times one pattern
    (12 s and 460 MB to read a 50 KB config): the states of all patterns of a config are
    summed, and what is past the bound cannot be judged (AIR-ADP-008)."""
    from airlock.formats import peft as peft_fmt
    from airlock.formats.safe_regex import MAX_BUDGET_STATES, Budget, SafePattern, UnsafePattern

    doc = {"peft_type": "LORA", "r": 8, "lora_alpha": 8, "target_modules": ["q_proj"],
           "rank_pattern": {f"x{i}[a-z._0-9]{{0,1990}}": 8 for i in range(200)}}  # fmt: skip
    cfg = peft_fmt.parse_config(doc)
    refused = [p for p in cfg.problems if p.kind == "pattern" and "together" in p.message]
    assert refused and len(refused) >= 200 - MAX_BUDGET_STATES // 3900
    # matching steps are shared too: once spent, every pattern of the budget refuses
    budget = Budget(work=2000)
    a = SafePattern("[a-z]{0,50}x", budget=budget)
    b = SafePattern("[a-z]{0,50}y", budget=budget)
    with pytest.raises(UnsafePattern, match="steps"):
        for i in range(100):
            a.fullmatch("".join(chr(97 + (i * j + j) % 26) for j in range(45)))
    with pytest.raises(UnsafePattern, match="steps"):
        b.fullmatch("q" * 40)


@pytest.mark.parametrize(
    ("name", "rid"),
    [("gpt2", "gpt2"), ("Org/Base-1.5_x", "org/base-1.5_x"), ("_a/b_", "_a/b_"),
     (" org/base", None), ("org/base ", None), ("org/base/", None), ("hf:org/base", None),
     ("hf://org/base", None), ("https://huggingface.co/org/base", None), ("org/base@x", None),
     ("org/base\u2003", None), ("org/base\n", None), ("org--x/base", None),
     ("org/ba..se", None), ("org/base.git", None), ("-org/base", None), ("org/base-", None),
     ("a/b/c", None), ("./base", None), ("\uff4frg/base", None), ("org/" + "a" * 97, None)],
)  # fmt: skip
def test_a_config_base_is_read_with_the_hubs_repo_id_grammar(name: str, rid: str | None) -> None:
    """transformers and peft treat anything but an exact repo id as a local path: the config
    side is not normalised (no strip, no hf: prefix, no URL, no @REV)."""
    from airlock.formats import peft as peft_fmt

    assert peft_fmt.repo_id(name) == rid
    assert peft_fmt.same_base(name, "org/base") == (rid == "org/base")


def test_a_registry_source_still_names_its_hub_repository() -> None:
    from airlock.formats import peft as peft_fmt

    for source in ("hf://Org/Base@main", "hf:org/base", "https://huggingface.co/org/base/tree/x"):
        assert peft_fmt.source_repo_id(source) == "org/base"
    assert peft_fmt.source_repo_id("org/base") is None


def test_a_folder_named_like_the_base_inside_the_adapter_is_said(tmp_path: Path) -> None:
    """transformers loads a local folder named like the repo id before the hub: one shipped
    with the adapter shadows the base."""
    ad = make_adapter(tmp_path / "ad")
    base = json.loads((ad / "adapter_config.json").read_text())["base_model_name_or_path"]
    (ad / base).mkdir(parents=True)
    (ad / base / "config.json").write_text("{}")
    (f,) = [f for f in scan(ad).findings if f.rule_id == "AIR-ADP-007"]
    assert "ships inside the adapter" in f.evidence


def test_torch_module_auto_mapping_is_fine(tmp_path: Path) -> None:
    """fp20: peft's save of an adapter on a plain nn.Sequential names torch's own module."""
    auto = {"base_model_class": "Sequential", "parent_library": "torch.nn.modules.container"}
    assert not scan(make_adapter(tmp_path / "ad", auto_mapping=auto)).findings


@pytest.mark.parametrize(
    ("parent", "cls"),
    [("torch.nn.modules.container.os", "system"), ("torch.nn.modules", "os"),
     ("torch.nn.modules._functions", "x"), ("torch.nn.modules.__init__", "x"),
     ("torch.nn.modulesx.container", "Sequential"), ("torch.nn", "Sequential"),
     ("torch.nn.modules.container", "os.system"), ("torch.nn.modules.container\n", "x")],
)  # fmt: skip
def test_near_twins_of_torch_nn_still_import_code(tmp_path: Path, parent: str, cls: str) -> None:
    auto = {"base_model_class": cls, "parent_library": parent}
    rep = scan(make_adapter(tmp_path / "ad", auto_mapping=auto))
    assert any(f.rule_id == "AIR-ADP-001" and str(f.severity) == "high" for f in rep.findings)


@pytest.mark.parametrize("sub", ["", "adapters/one"])
def test_an_adapter_in_a_hugging_face_cache_snapshot_is_judged_by_its_names(
    tmp_path: Path, sub: str
) -> None:
    """Snapshot files are links to hash-named blobs: the adapter folder is the snapshot's (its
    folder findings were missing, and ``airlock check`` allowed what it denies as a folder)."""
    plain = tmp_path / "plain"
    make_adapter(plain / sub, a=(3, 16), b=(32, 3), card="---\nbase_model: org/other\n---\n")
    snap = cache_snapshot(plain, tmp_path / "models--org--ad")
    for root in (plain, snap):
        rep = scan(root)
        (m,) = rep.models
        assert m["path"] == str(root / sub).rstrip("/") and m["weights"]["checked"]
        assert {"AIR-ADP-005", "AIR-ADP-006"} <= _rules(rep)
        res = check(root)
        assert {"AIR-ADP-005", "AIR-ADP-006"} <= {f.rule_id for f in res.findings}
        (step,) = [s for s in res.steps if s.name == "adapter"]
        assert step.data["models"][0]["path"] == m["path"]
        # judged on another base than the one it names: the gate's adapter step denies
        other = BaseModel("hf://org/other@abc", "org/other", "0" * 64)
        denied = _adapter_step(root, rep, other)
        assert denied is not None and not denied.ok


def test_snapshots_sharing_an_adapter_config_blob_are_each_an_adapter(tmp_path: Path) -> None:
    """Two revisions of a cached repository share the blob of an unchanged adapter_config.json:
    the scan reads that blob once, but each snapshot folder is an adapter peft loads with its own
    weights (rev 2's, of another rank, were never checked against the config: no AIR-ADP-005)."""
    honest = make_adapter(tmp_path / "one")
    bad = make_adapter(tmp_path / "two", a=(3, 16), b=(32, 3))
    repo = tmp_path / "models--o--a"
    (repo / "blobs").mkdir(parents=True)
    for rev, folder in (("1" * 40, honest), ("2" * 40, bad)):
        snap = repo / "snapshots" / rev
        snap.mkdir(parents=True)
        for name in ("adapter_config.json", "adapter_model.safetensors"):
            blob = "config" if name == "adapter_config.json" else f"weights{rev[0]}"
            (repo / "blobs" / blob).write_bytes((folder / name).read_bytes())
            (snap / name).symlink_to(f"../../blobs/{blob}")
    rep = scan(repo)
    snaps = [str(repo / "snapshots" / r) for r in ("1" * 40, "2" * 40)]
    assert [m["path"] for m in rep.models] == snaps
    (f,) = [f for f in rep.findings if f.rule_id == "AIR-ADP-005"]
    assert f.location.startswith(str(repo / "snapshots" / ("2" * 40)))


def test_an_adapter_whose_config_links_to_another_folders_is_judged_too(tmp_path: Path) -> None:
    """A link inside the model is a file of the model: b/ is an adapter with a/'s config and its
    own weights, scanned once as a/'s file but described as b/'s folder."""
    make_adapter(tmp_path / "m" / "a")
    make_adapter(tmp_path / "m" / "b", a=(3, 16), b=(32, 3))
    (tmp_path / "m" / "b" / "adapter_config.json").unlink()
    (tmp_path / "m" / "b" / "adapter_config.json").symlink_to("../a/adapter_config.json")
    rep = scan(tmp_path / "m")
    assert len(rep.models) == 2
    assert [f.location for f in rep.findings if f.rule_id == "AIR-ADP-005"] == [
        str(tmp_path / "m" / "b" / "adapter_model.safetensors")
    ]
