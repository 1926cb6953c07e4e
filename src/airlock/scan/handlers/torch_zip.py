"""PyTorch zip checkpoints and TorchScript archives (any archive prefix, any compression), and
the tiny text records inside them (``version``, ``byteorder``...)."""

from __future__ import annotations

from airlock.formats import archive, torch
from airlock.scan.handlers.common import (
    STORAGE_SKIP,
    sniff_zip,
    unique_members,
    zip_child,
    zip_listing,
    zip_problems,
)
from airlock.scan.interface import ReadAs, ScanContext, ScanOutcome, Source


class TorchZipHandler:
    """``torch.save`` zips and ``torch.jit.save`` archives."""

    name = "pytorch-zip"

    def sniff(self, src: Source) -> bool:
        listing = sniff_zip(src)
        return listing is not None and torch.is_torch_zip(listing.names())

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        listing = zip_listing(src, ctx)
        layout = torch.classify_members(listing.names())
        out = ScanOutcome(format="torchscript" if layout.torchscript else "pytorch")
        zip_problems(listing, ctx, out)
        storages = set(layout.storages)
        pickles = set(layout.pickles)
        code = set(layout.code)
        metadata = set(layout.metadata)

        def role(m: archive.ZipMember) -> int:
            return (m.name in pickles) + 2 * (m.name in code) + 4 * (m.name in metadata)

        for m in unique_members(listing, out, frozenset(storages), role):
            if m.is_dir:
                continue
            if m.name in storages:
                out.skipped.append((m.name, STORAGE_SKIP))
            elif m.name in pickles:
                read_as = ReadAs(torchscript=layout.torchscript)
                out.children.append(zip_child(src, m, ctx, hint="pickle", read_as=read_as))
            elif m.name in code:
                out.children.append(zip_child(src, m, ctx, hint="torchscript-code"))
            elif m.name in metadata and m.size <= 4096:
                out.children.append(zip_child(src, m, ctx, hint="torch-record"))
            else:
                out.children.append(zip_child(src, m, ctx))
        out.notes.append(
            f"{len(layout.pickles)} pickle(s), {len(layout.code)} code file(s), "
            f"{len(layout.storages)} storages not read, via {listing.via} directory"
        )
        return out


class TorchRecordHandler:
    """Tiny records of a PyTorch zip that torch parses as a number or a word, never unpickles:
    checked to be short text, nothing else."""

    name = "torch-record"

    def sniff(self, src: Source) -> bool:
        return False  # reached only by hint

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        text = bytes(src.view()[:4096])
        if src.size > 4096 or not all(32 <= b < 127 or b in (9, 10, 13) for b in text):
            return ScanOutcome(format="torch-record", not_scanned="unexpected binary record")
        return ScanOutcome(format="torch-record")
