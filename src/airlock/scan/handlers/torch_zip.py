"""PyTorch zip checkpoints and TorchScript archives (any archive prefix, any compression), and
the tiny text records inside them (``version``, ``byteorder``...)."""

from __future__ import annotations

from airlock.formats import archive, torch
from airlock.formats.source import FormatProblem
from airlock.scan.handlers.common import (
    MAX_TEXT_BYTES,
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

        members = unique_members(listing, out, frozenset(storages), role)
        defined = _defined_methods(src, members, code) if code else frozenset()
        for m in members:
            if m.is_dir:
                continue
            if m.name in storages:
                out.skipped.append((m.name, STORAGE_SKIP))
            elif m.name in pickles:
                read_as = ReadAs(torchscript=layout.torchscript)
                out.children.append(zip_child(src, m, ctx, hint="pickle", read_as=read_as))
            elif m.name in code:
                read_as = ReadAs(torchscript=True, defined=defined)
                out.children.append(
                    zip_child(src, m, ctx, hint="torchscript-code", read_as=read_as)
                )
            elif m.name in metadata and m.size <= 4096:
                out.children.append(zip_child(src, m, ctx, hint="torch-record"))
            else:
                out.children.append(zip_child(src, m, ctx))
        out.notes.append(
            f"{len(layout.pickles)} pickle(s), {len(layout.code)} code file(s), "
            f"{len(layout.storages)} storages not read, via {listing.via} directory"
        )
        return out


def _defined_methods(
    src: Source, members: list[archive.ZipMember], code: set[str]
) -> frozenset[str]:
    """``def`` names across the archive's code: ``(self.sub).encode(x)`` in one member calls a
    method another member defines. A member that cannot be read adds nothing (its own scan
    reports it), which can only leave more method calls unknown."""
    names: set[str] = set()
    for m in members:
        if m.name not in code or m.is_dir or m.size > MAX_TEXT_BYTES:
            continue
        try:
            head = archive.member_head(src, m, MAX_TEXT_BYTES)
        except FormatProblem:
            head = b""
        names |= torch.defined_names_in_text(head)
    return frozenset(names)


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
