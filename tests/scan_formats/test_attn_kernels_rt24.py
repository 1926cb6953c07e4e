"""rt24tpl: config.json naming a Hub kernel as its attention (AIR-CFG-029)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airlock.scan.engine import scan_paths

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 16,
         "num_attention_heads": 2, "num_hidden_layers": 1, "vocab_size": 64}  # fmt: skip


def _rules(tmp_path: Path, doc: dict[str, Any], name: str = "config.json") -> set[str]:
    d = tmp_path / "m"
    d.mkdir()
    (d / name).write_text(json.dumps(doc))
    return {f.rule_id for f in scan_paths([d]).findings}


@pytest.mark.parametrize(
    "value",
    ["kernels-community/flash-attn2", "evil-org/attn@main", "org/repo:fn", "paged|org/repo"],
)
def test_hub_kernel_attention_is_denied(tmp_path: Path, value: str) -> None:
    """c12: transformers 5.25 from_pretrained called kernels.get_kernel on the config's value
    (refused only by the network publisher check); ALLOW before."""
    assert "AIR-CFG-029" in _rules(tmp_path, LLAMA | {"attn_implementation": value})


def test_a_sub_config_mapping_is_judged(tmp_path: Path) -> None:
    doc = LLAMA | {"text_config": {"attn_implementation": {"": "sdpa", "vision": "a/b"}}}
    assert "AIR-CFG-029" in _rules(tmp_path, doc)


@pytest.mark.parametrize(
    "value", ["eager", "sdpa", "flash_attention_2", "flash_attention_3", "flex_attention", None]
)
def test_built_in_attention_is_clean(tmp_path: Path, value: Any) -> None:
    doc = LLAMA | {"attn_implementation": value, "_attn_implementation_autoset": True}
    assert "AIR-CFG-029" not in _rules(tmp_path, doc)
