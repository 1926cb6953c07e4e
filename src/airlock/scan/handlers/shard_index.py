"""Scan handler for shard indexes (``model.safetensors.index.json`` and the like).

The index is judged as JSON first (the repository-config rules), then cross-checked against the
safetensors headers of the shards beside it (``airlock.formats.shard_index``). Shards are read
header-only, one at a time, so a 141-shard index costs 141 small reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from airlock.formats.shard_index import (
    ShardIndexError,
    ShardTensors,
    cross_check,
    parse_index,
    safe_shard_name,
)
from airlock.report import Severity
from airlock.scan.config_rules import json_outcome
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source

REF = "https://huggingface.co/docs/safetensors/en/index; transformers sharded checkpoints"
MAX_INDEX_BYTES = 256 * 1024**2
MAX_SHARD_HEADER = 100 * 1024**2
MAX_FINDINGS = 200


def _rule(n: int, sev: Severity, title: str, why: str) -> Rule:
    return Rule(f"AIR-SHARD-{n:03d}", sev, title, why, REF)


RULES = {
    "bad-index": _rule(1, Severity.HIGH, "shard index cannot be read",
                       "Loaders resolve every tensor through the index; one we cannot read cannot"
                       " be judged."),
    "missing-shard": _rule(2, Severity.HIGH, "shard index names a shard that is not there",
                           "The model is incomplete or the index points elsewhere: loaders fail"
                           " or load a different file than was reviewed."),
    "unsafe-shard": _rule(7, Severity.HIGH, "shard index names a file outside the model",
                          "A shard name with '..', an absolute path or a folder every walk skips"
                          " (.git, .github) makes loaders read files the scan never judged."),
    "duplicate": _rule(3, Severity.HIGH, "tensor named twice across the index or the shards",
                       "Which copy a loader keeps depends on load order: a reviewed tensor can be"
                       " replaced by another."),
    "absent": _rule(4, Severity.HIGH, "index names a tensor its shard does not hold",
                    "Loaders miss the tensor (left randomly initialised) or fail; the index and"
                    " the weights describe different models."),
    "mismatch": _rule(5, Severity.HIGH, "index dtype or shape differs from the shard",
                      "Loaders that trust the index allocate or cast differently from those that"
                      " read the shard."),
    "unnamed": _rule(6, Severity.MEDIUM, "shard holds a tensor the index does not name",
                     "Loaders that read whole shards load weights the index (and a reviewer"
                     " reading it) never mentions."),
}  # fmt: skip


def looks_like_index(head: bytes) -> bool:
    return head.lstrip()[:1] == b"{" and b'"weight_map"' in head


def _shard_tensors(path: Path) -> ShardTensors | str | None:
    from airlock.formats.safetensors import SafetensorsError, read_header

    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                return "too short to be safetensors"
            fh.seek(0)
            header = read_header(fh, st.st_size, path=str(path), max_header_bytes=MAX_SHARD_HEADER)
    except (OSError, SafetensorsError) as exc:
        return f"header not readable: {exc}"[:200]
    return {name: (t.dtype, tuple(t.shape)) for name, t in header.tensors.items()}


class ShardIndexHandler:
    """``*.index.json``: JSON rules, then the cross-check against the shards beside it."""

    name = "shard-index"

    def sniff(self, src: Source) -> bool:
        return looks_like_index(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        outcome = json_outcome(src, ctx)
        outcome.format = self.name
        if src.size > MAX_INDEX_BYTES:
            outcome.not_scanned = f"shard index larger than {MAX_INDEX_BYTES} bytes"
            return outcome
        try:
            index = parse_index(bytes(src.view()))
        except ShardIndexError as exc:
            outcome.findings.append(
                RULES["bad-index"].finding(ctx.location, str(exc), member=ctx.member)
            )
            return outcome
        if ctx.fs_path is None:
            outcome.notes.append("index inside an archive: shards not cross-checked")
            return outcome
        folder = ctx.fs_path.parent
        shards: dict[str, ShardTensors | str | None] = {}
        for name in index.shards:
            if safe_shard_name(name):
                shards[name] = _shard_tensors(folder / name)
        problems = cross_check(index, shards)
        for p in problems[:MAX_FINDINGS]:
            extra = {"tensor": p.tensor} if p.tensor else {}
            outcome.findings.append(
                RULES[p.code].finding(ctx.location, p.message, member=ctx.member, extra=extra)
            )
        if len(problems) > MAX_FINDINGS:  # a cut list says how much was cut
            last = problems[MAX_FINDINGS - 1]
            more = f"{len(problems) - MAX_FINDINGS} more problems left out (limit {MAX_FINDINGS})"
            outcome.findings.append(RULES[last.code].finding(ctx.location, more, member=ctx.member))
        unread = sorted(n for n, t in shards.items() if isinstance(t, str))
        outcome.notes.append(
            f"{len(index.entries)} tensors in {len(index.shards)} shards"
            + (f"; {len(unread)} shards not safetensors (existence checked only)" if unread else "")
        )
        return outcome
