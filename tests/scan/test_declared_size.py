"""A config declaring far more than the weights beside it hold (AIR-CFG-030): from_pretrained
builds the declared model and randomly initialises what the weights do not cover (session 23,
rt24tpl's open item: ``num_hidden_layers: 200000`` beside a one-layer BERT was killed at 60 s
CPU by transformers, and every file alone scanned clean)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from airlock.scan.declared_size import declared_parameters, most_layers
from airlock.scan.engine import scan

BERT = {"model_type": "bert", "architectures": ["BertModel"], "vocab_size": 100,
        "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
        "intermediate_size": 64}  # fmt: skip


def _folder(tmp_path: Path, config: Mapping[str, Any], weights: dict[str, int]) -> Path:
    d = tmp_path / "m"
    d.mkdir(parents=True)
    (d / "config.json").write_text(json.dumps(config))
    for name, size in weights.items():
        (d / name).write_bytes(b"\0" * size)  # only the size counts here
    return d


def _rules(folder: Path) -> list[str]:
    return [f.rule_id for f in scan(folder).findings]


BOMBS = [{"num_hidden_layers": 200_000}, {"num_hidden_layers": 40, "hidden_size": 8192},
         {"text_config": {"num_layers": 100_000, "d_model": 16}},
         # other names for the same count: Swin's depths, MPT's n_layers, T5's decoder layers
         {"depths": [2, 2, 60_000, 2]}, {"n_layers": 50_000}, {"num_decoder_layers": 9_000}]


@pytest.mark.parametrize("change", BOMBS)
def test_a_config_far_larger_than_its_weights_is_denied(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    d = _folder(tmp_path, {**BERT, **change}, {"model.safetensors": 120_000})
    assert "AIR-CFG-030" in _rules(d)


def test_honest_sizes_pass(tmp_path: Path) -> None:
    # Llama-3-8B's shape beside 16 GB of bf16 weights (sparse file: no disk used)
    llama = {"num_hidden_layers": 32, "hidden_size": 4096, "intermediate_size": 14336,
             "vocab_size": 128256}  # fmt: skip
    d = _folder(tmp_path, llama, {})
    with (d / "model-00001-of-00004.safetensors").open("wb") as f:
        f.truncate(16_000_000_000)
    assert "AIR-CFG-030" not in _rules(d)


def test_layer_index_lists_are_not_counts(tmp_path: Path) -> None:
    """``mlp_only_layers`` lists layer indices (94 layers: 0..93, summing past 4,000)."""
    cfg = {**BERT, "num_hidden_layers": 94, "mlp_only_layers": list(range(94))}
    d = _folder(tmp_path, cfg, {"model.safetensors": 120_000})
    assert "AIR-CFG-030" not in _rules(d)


def test_a_shard_index_total_counts_and_no_weights_is_not_judged(tmp_path: Path) -> None:
    llama = {"num_hidden_layers": 32, "hidden_size": 4096, "intermediate_size": 14336}
    d = _folder(tmp_path, llama, {"model-00001-of-00004.safetensors": 1000})
    assert "AIR-CFG-030" in _rules(d)
    (d / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_size": 16_000_000_000}, "weight_map": {}}))
    assert "AIR-CFG-030" not in _rules(d)
    e = _folder(tmp_path / "e", {**BERT, "num_hidden_layers": 200_000}, {"training_args.bin": 9})
    assert "AIR-CFG-030" not in _rules(e)  # no weights: nothing from_pretrained builds on


def test_a_config_too_large_to_size_is_not_allowed(tmp_path: Path) -> None:
    d = _folder(tmp_path, BERT, {"model.safetensors": 120_000})
    with (d / "config.json").open("a") as f:
        f.write(" " * (33 << 20))  # valid JSON: whitespace after the object
    assert "AIR-CFG-030" in _rules(d)


def test_sizes_are_bounded_on_hostile_configs() -> None:
    deep: dict[str, object] = {"num_hidden_layers": 10**9, "hidden_size": 10**9}
    for _ in range(50):
        deep = {"sub": deep}
    assert declared_parameters(deep) == 0.0 and most_layers(deep) == 0.0
    assert declared_parameters({"num_hidden_layers": True, "hidden_size": "big"}) == 0.0


def test_the_gate_denies_it_too(tmp_path: Path) -> None:
    """``airlock check`` reads the folder with its own walk: the folder findings apply there
    as well (the first version of AIR-CFG-030 was only in ``airlock scan``)."""
    from airlock.gate import check

    header = b'{"__metadata__":{"format":"pt"}}'
    weights = len(header).to_bytes(8, "little") + header  # a valid, empty safetensors file
    for name, cfg in (("bomb", {**BERT, "num_hidden_layers": 200_000}), ("honest", BERT)):
        d = tmp_path / name
        d.mkdir()
        (d / "config.json").write_text(json.dumps(cfg))
        (d / "model.safetensors").write_bytes(weights)
    assert not check(tmp_path / "bomb").allowed
    assert check(tmp_path / "honest").allowed


def test_a_hugging_face_cache_snapshot_is_judged_by_its_names(tmp_path: Path) -> None:
    """Snapshot files are symlinks to blobs named by their hash: the names that count are the
    snapshot's (``airlock check`` on such a snapshot said ALLOW before)."""
    from airlock.gate import check

    repo = tmp_path / "models--x--bomb"
    (repo / "blobs").mkdir(parents=True)
    snap = repo / "snapshots" / "s1"
    snap.mkdir(parents=True)
    header = b'{"__metadata__":{"format":"pt"}}'
    files = {"config.json": json.dumps({**BERT, "num_hidden_layers": 200_000}).encode(),
             "model.safetensors": len(header).to_bytes(8, "little") + header}  # fmt: skip
    for i, (name, data) in enumerate(files.items()):
        (repo / "blobs" / f"{i:040x}").write_bytes(data)
        (snap / name).symlink_to(f"../../blobs/{i:040x}")
    assert "AIR-CFG-030" in _rules(snap)
    assert not check(snap).allowed
