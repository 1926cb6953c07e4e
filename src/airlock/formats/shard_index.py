"""Sharded checkpoints: the index (``*.index.json``) cross-checked against the shards' headers.

Loaders resolve each tensor through ``weight_map`` (tensor -> shard file), so an index that
names a shard that is not there, a tensor twice or in the wrong shard, or a dtype/shape other
than the shard's, makes two loaders (or a loader and a reviewer) see different weights. Pure:
the caller supplies each shard's tensors (or why it has none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from airlock.errors import FormatError
from airlock.provenance.walk import default_ignored

MAX_INDEX_TENSORS = 10_000_000
MAX_PROBLEMS = 200


class ShardIndexError(FormatError):
    """The index is not a readable ``{"weight_map": {...}}`` document."""


@dataclass(frozen=True)
class IndexEntry:
    tensor: str
    shard: str
    dtype: str | None = None
    shape: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ShardIndex:
    entries: list[IndexEntry]
    duplicates: list[str]

    @property
    def shards(self) -> list[str]:
        return sorted({e.shard for e in self.entries})


@dataclass(frozen=True)
class IndexProblem:
    code: str  # missing-shard | unsafe-shard | duplicate | absent | unnamed | mismatch
    message: str
    tensor: str | None = None


def _hook(dups: list[str]) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                dups.append(k)
            out[k] = v
        return out

    return hook


def parse_index(data: bytes) -> ShardIndex:
    """The weight map; duplicate keys are kept as problems (JSON parsers disagree on them)."""
    dups: list[str] = []
    try:
        doc = json.loads(data, object_pairs_hook=_hook(dups))
    except (ValueError, RecursionError) as exc:
        raise ShardIndexError(f"index is not JSON: {exc}"[:200]) from None
    wm = doc.get("weight_map") if isinstance(doc, dict) else None
    if not isinstance(wm, dict):
        raise ShardIndexError("index has no weight_map object")
    if len(wm) > MAX_INDEX_TENSORS:
        raise ShardIndexError(f"index names more than {MAX_INDEX_TENSORS} tensors")
    entries = []
    for tensor, value in wm.items():
        dtype = shape = None
        if isinstance(value, dict):  # {"file"/"filename": ..., "dtype": ..., "shape": [...]}
            shard = value.get("filename", value.get("file"))
            dtype = value.get("dtype") if isinstance(value.get("dtype"), str) else None
            raw = value.get("shape")
            if isinstance(raw, list) and all(isinstance(d, int) for d in raw):
                shape = tuple(raw)
        else:
            shard = value
        if not isinstance(shard, str):
            raise ShardIndexError(f"tensor {tensor!r}: shard is not a file name")
        entries.append(IndexEntry(tensor, shard, dtype, shape))
    return ShardIndex(entries, dups)


def safe_shard_name(name: str) -> bool:
    """A plain relative name inside the model, and outside the folders every walk skips
    (``.git``, ``.github``: a shard there is loaded but never scanned)."""
    parts = name.split("/")
    return (
        bool(name)
        and "\\" not in name
        and "\0" not in name
        and not any(p in ("", ".", "..") for p in parts)
        and not default_ignored(parts)
    )


ShardTensors = dict[str, tuple[str, tuple[int, ...]]]


def cross_check(
    index: ShardIndex, shards: dict[str, ShardTensors | str | None]
) -> list[IndexProblem]:
    """Problems between the index and the shards. ``shards[name]`` is the shard's tensors
    (name -> (dtype, shape)), ``None`` if the file does not exist, or a string saying why its
    tensors are unknown (not safetensors, unreadable): then only its existence is checked."""
    out: list[IndexProblem] = []
    for t in index.duplicates:
        out.append(IndexProblem("duplicate", f"index names tensor {t!r} more than once", t))
    for shard in index.shards:
        if not safe_shard_name(shard):
            out.append(
                IndexProblem(
                    "unsafe-shard", f"shard name {shard!r} leaves the files the scan judges"
                )
            )
        elif shards.get(shard) is None:
            out.append(
                IndexProblem("missing-shard", f"index names shard {shard!r}, which is not there")
            )
    owner: dict[str, list[str]] = {}
    for name, tensors in shards.items():
        if isinstance(tensors, dict):
            for t in tensors:
                owner.setdefault(t, []).append(name)
    for t, where in owner.items():
        if len(where) > 1:
            out.append(IndexProblem("duplicate", f"tensor {t!r} is in shards {sorted(where)}", t))
    named = set()
    for e in index.entries:
        named.add(e.tensor)
        tensors = shards.get(e.shard)
        if not isinstance(tensors, dict):
            continue
        got = tensors.get(e.tensor)
        if got is None:
            elsewhere = owner.get(e.tensor)
            hint = f" (it is in {sorted(elsewhere)})" if elsewhere else ""
            out.append(
                IndexProblem("absent", f"tensor {e.tensor!r} is not in {e.shard!r}{hint}", e.tensor)
            )
            continue
        if e.dtype is not None and e.dtype != got[0]:
            out.append(
                IndexProblem(
                    "mismatch",
                    f"tensor {e.tensor!r}: index dtype {e.dtype}, shard {got[0]}",
                    e.tensor,
                )
            )
        if e.shape is not None and e.shape != got[1]:
            out.append(
                IndexProblem(
                    "mismatch",
                    f"tensor {e.tensor!r}: index shape {list(e.shape)}, shard {list(got[1])}",
                    e.tensor,
                )
            )
    for t, where in owner.items():
        if t not in named and any(w in index.shards for w in where):
            out.append(
                IndexProblem("unnamed", f"tensor {t!r} in {where[0]!r} is not in the index", t)
            )
    return out
