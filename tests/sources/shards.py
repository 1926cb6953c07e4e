"""Generate sharded safetensors checkpoints: many shards, many tensors per header, tiny data."""

from __future__ import annotations

import json
from pathlib import Path

from tests.sources.models import write_safetensors


def make_sharded(
    root: Path, shards: int, tensors_per_shard: int, *, pad: int | None = None
) -> tuple[Path, dict[str, str]]:
    """A checkpoint of ``shards`` files plus ``model.safetensors.index.json``."""
    root.mkdir(parents=True, exist_ok=True)
    weight_map: dict[str, str] = {}
    for s in range(shards):
        name = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        tensors = {
            f"model.layers.{s}.block.{t}.weight": ("F16", [2, 2]) for t in range(tensors_per_shard)
        }
        filler = f"model.layers.{s}.padding"
        write_safetensors(root / name, tensors, size=pad, filler=filler)
        weight_map.update(dict.fromkeys(tensors, name))
        if pad is not None:
            weight_map[filler] = name
    index = {"metadata": {"total_size": 0}, "weight_map": weight_map}
    (root / "model.safetensors.index.json").write_text(json.dumps(index))
    (root / "config.json").write_text(json.dumps({"model_type": "llama"}))
    return root, weight_map
