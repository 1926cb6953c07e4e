"""Containers we cannot open (7z, RAR, zstd): not scanned, and said so loudly."""

from __future__ import annotations

from airlock.scan import engine_rules as R
from airlock.scan.interface import ScanContext, ScanOutcome, Source

_UNSUPPORTED = {
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "rar",
    b"\x28\xb5\x2f\xfd": "zstd",
}


class UnsupportedArchiveHandler:
    """7z, RAR and zstd containers."""

    name = "unsupported-archive"

    def sniff(self, src: Source) -> bool:
        return any(src.head.startswith(magic) for magic in _UNSUPPORTED)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        kind = next(k for m, k in _UNSUPPORTED.items() if src.head.startswith(m))
        finding = R.UNSUPPORTED_ARCHIVE.finding(
            ctx.location, f"{kind} container", member=ctx.member
        )
        return ScanOutcome(
            format=kind, findings=[finding], not_scanned=f"{kind} archives are not supported"
        )
