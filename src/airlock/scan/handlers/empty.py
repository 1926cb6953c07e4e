"""Zero-length objects: nothing to load, nothing to run."""

from __future__ import annotations

from airlock.scan.interface import ScanContext, ScanOutcome, Source


class EmptyHandler:
    """Zero-length objects."""

    name = "empty"

    def sniff(self, src: Source) -> bool:
        return src.size == 0

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        return ScanOutcome(format="empty")
