"""A Hugging Face cache snapshot is judged as the model it lays out: its files are links to
blobs named by their hash, and every name and sibling a rule looks at is the snapshot's (rt25:
a custom diffusers component and a hanging ``chat_template.jinja`` were ALLOW in a snapshot,
DENY as a plain folder; an honest sharded checkpoint was DENY in a snapshot)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from airlock.gate import check
from airlock.scan.engine import layout_path, scan
from airlock.scan.result import ScanReport

from .samples import cache_snapshot

HANG = ("{#- chat template -#}\n{%- for a in range(100000) %}{%- for b in range(100000) %}"
        "{%- endfor %}{%- endfor %}{{ messages[0]['content'] }}")  # fmt: skip


def _component(d: Path) -> None:
    """diffusers imports ``unet/my_unet.py`` (``trust_remote_code=True``)."""
    (d / "unet").mkdir(parents=True)
    index = {"_class_name": "DDPMPipeline", "_diffusers_version": "0.42.1",
             "unet": ["my_unet", "MyUNet"]}  # fmt: skip
    (d / "model_index.json").write_text(json.dumps(index))
    (d / "unet" / "my_unet.py").write_text("class MyUNet:\n    pass\n")
    (d / "unet" / "config.json").write_text(json.dumps({"_class_name": "MyUNet"}))


def _template(d: Path) -> None:
    """A template transformers renders on apply_chat_template: 10^10 loop turns."""
    d.mkdir(parents=True)
    (d / "chat_template.jinja").write_text(HANG)


def _sharded(d: Path) -> None:
    d.mkdir(parents=True)
    weight_map = {}
    for i in (1, 2):
        name = f"model-0000{i}-of-00002.safetensors"
        save_file({f"w{i}": np.zeros((4, 4), np.float32)}, str(d / name))
        weight_map[f"w{i}"] = name
    index = {"metadata": {"total_size": 128}, "weight_map": weight_map}
    (d / "model.safetensors.index.json").write_text(json.dumps(index))


def _rules(rep: ScanReport) -> set[str]:
    return {f.rule_id for f in rep.findings}


@pytest.mark.parametrize(("build", "rule"), [(_component, "AIR-CFG-001"),
                                             (_template, "AIR-JINJA-009")])  # fmt: skip
def test_a_snapshot_denies_what_its_plain_folder_denies(
    tmp_path: Path, build: Callable[[Path], None], rule: str
) -> None:
    plain = tmp_path / "plain"
    build(plain)
    snap = cache_snapshot(plain, tmp_path / "models--org--m")
    for root in (plain, snap):
        assert rule in _rules(scan(root)), root
        res = check(root)
        assert not res.allowed and rule in {f.rule_id for f in res.findings}, root


def test_an_honest_sharded_snapshot_is_allowed(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    _sharded(plain)
    snap = cache_snapshot(plain, tmp_path / "models--org--m")
    for root in (plain, snap):
        assert not scan(root).findings, root
        assert check(root).allowed, root


def test_the_layout_name_is_used_only_for_the_same_file(tmp_path: Path) -> None:
    _template(tmp_path / "plain")
    snap = cache_snapshot(tmp_path / "plain", tmp_path / "models--org--m")
    link = snap / "chat_template.jinja"
    blob = Path(link.resolve())
    assert layout_path(blob, str(link)) == link
    assert layout_path(blob, str(tmp_path / "plain" / "chat_template.jinja")) == blob
    assert layout_path(blob, "<bytes>") == blob

