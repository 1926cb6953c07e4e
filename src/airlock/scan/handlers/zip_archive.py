"""Any zip that no more specific handler took (``.npz``, archives of models): every member is
sniffed in turn by the engine."""

from __future__ import annotations

from airlock.formats import archive
from airlock.scan.handlers.common import zip_outcome
from airlock.scan.interface import ScanContext, ScanOutcome, Source


class ZipHandler:
    """Generic zip archives."""

    name = "zip"

    def sniff(self, src: Source) -> bool:
        return archive.looks_like_zip(src)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        listing, out = zip_outcome(src, ctx)
        names = [m.name for m in listing.members if not m.is_dir]
        if names and all(n.endswith(".npy") for n in names):
            out.format = "npz"
        return out
