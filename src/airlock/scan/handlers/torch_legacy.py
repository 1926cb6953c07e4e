"""``torch.save(..., _use_new_zipfile_serialization=False)``: five stacked pickles, then raw
storage bytes that are never read."""

from __future__ import annotations

from airlock.formats import torch
from airlock.scan.handlers.common import analyze, error_finding, shift
from airlock.scan.interface import Child, ScanContext, ScanOutcome, Source


class TorchLegacyHandler:
    """Legacy (pre-zip) PyTorch checkpoints."""

    name = "pytorch-legacy"

    def sniff(self, src: Source) -> bool:
        return torch.is_legacy_stacked(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        data = src.view()
        out = ScanOutcome(format="pytorch-legacy")
        offset = 0
        for _ in range(torch.LEGACY_PICKLES):
            res = analyze(data[offset:], ctx, multi=False)
            out.findings += shift(list(res.findings), offset) + error_finding(res, ctx, offset)
            out.children += [Child.of(n, b) for n, b in res.nested]
            if res.error:
                return out
            offset += res.end_offset
        out.notes.append(f"{src.size - offset} bytes of raw storage data not read")
        return out
