"""rt24tpl: the other adapter_config strings peft turns into Python ``re`` patterns, and an
honest Unsloth vision ``target_modules`` that the linear matcher refused."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from airlock.formats.safe_regex import SafePattern
from airlock.scan.engine import scan
from tests.scan.test_adapters import make_adapter

HANG = "(.|.)*Z"  # 2**n backtracking on an n-character module name that never matches
# Unsloth's FastVisionModel.get_peft_model writes this string target_modules for Gemma 3,
# Llama 3.2 Vision, Qwen2.5-VL... adapters (language layers only, vision tower left alone)
UNSLOTH = (
    r"(?:.*?(?:language|text).*?(?:self_attn|attention|attn|mlp|feed_forward|ffn|dense).*?"
    r"(?:q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj).*?)|(?:\bmodel\.layers\.[\d]{1,}"
    r"\.(?:self_attn|attention|attn|mlp|feed_forward|ffn|dense)\.(?:(?:q_proj|k_proj|v_proj|"
    r"o_proj|gate_proj|up_proj|down_proj)))"
)


def _rules(rep: Any) -> set[str]:
    return {f.rule_id for f in rep.findings}


@pytest.mark.parametrize(
    "cfg",
    [
        {"exclude_modules": HANG},
        {"exclude_modules": "((.*)*)*Z"},
        {"modules_to_save": ["classifier", HANG]},
        {"layers_to_transform": [0], "layers_pattern": HANG},
        {"layers_to_transform": [0], "layers_pattern": ["h", HANG]},
    ],
)
def test_backtracking_patterns_outside_target_modules_are_denied(
    tmp_path: Path, cfg: dict[str, Any]
) -> None:
    """peft 0.21 ``check_target_module_exists``: ``re.fullmatch(exclude_modules, key)``,
    ``re.match(rf"(^|.*\\.){m}($|\\..*)", key)`` per ``modules_to_save`` entry and
    ``re.match(rf"(?:^|.*?\\.){pattern}\\.(?P<idx>\\d+)\\.", key)`` per layers pattern, for every
    module of the base: minutes per 30-character name (rt24tpl c17-c19, c22: killed at 60 s CPU
    in ``PeftModel.from_pretrained`` on a 2-layer Llama); ALLOW before."""
    rep = scan(make_adapter(tmp_path / "ad", **cfg))
    assert "AIR-ADP-008" in _rules(rep), rep.findings


@pytest.mark.parametrize(
    "cfg",
    [
        {"modules_to_save": ["classifier", "score"]},
        {"modules_to_save": ["lm_head", "embed_tokens"], "exclude_modules": ".*visual.*"},
        {"exclude_modules": ["lm_head", "vision_tower"]},
        {"layers_to_transform": [28, 29], "layers_pattern": "layers"},
        {"target_modules": UNSLOTH},
    ],
)
def test_honest_adapter_patterns_stay_clean(tmp_path: Path, cfg: dict[str, Any]) -> None:
    """The Unsloth string was AIR-ADP-008 (\\b was not judged, and the repetitions of its two
    alternatives were added up: a backtracking matcher walks one alternative at a time)."""
    rep = scan(make_adapter(tmp_path / "ad", **cfg))
    assert "AIR-ADP-008" not in _rules(rep), rep.findings


@pytest.mark.parametrize(
    "pattern",
    [UNSLOTH, r"\bq_proj\b", r".*\Bproj", r"\b", r"a\b.", r"(\bx|y\B)+", r"\B", r"x*\B",
     r"^\bab\b$", r".*\bmodel\.layers\.\d+\.mlp\b.*"],
)  # fmt: skip
def test_word_boundaries_match_as_re_does(pattern: str) -> None:
    rng = random.Random(7)
    names = ["model.layers.0.self_attn.q_proj", "language_model.model.layers.3.mlp.down_proj",
             "q_proj", "", "a", "é.", "_a b", "xq_proj"]  # fmt: skip
    names += ["".join(rng.choice("ab._ xé") for _ in range(rng.randint(0, 8))) for _ in range(300)]
    sp = SafePattern(pattern)
    for n in names:
        assert sp.fullmatch(n) == bool(re.fullmatch(pattern, n)), (pattern, n)
        assert sp.match(n) == bool(re.match(pattern, n)), (pattern, n)
