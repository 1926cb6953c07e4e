"""POSIX/GNU tar: regular members are zero-copy slices handed to the engine."""

from __future__ import annotations

from airlock.formats import archive
from airlock.scan.handlers.common import tar_child, tar_problems
from airlock.scan.interface import ScanContext, ScanOutcome, Source


class TarHandler:
    """Generic tar archives."""

    name = "tar"

    def sniff(self, src: Source) -> bool:
        return archive.looks_like_tar(src)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        members = archive.read_tar(src, ctx.limits)
        out = ScanOutcome(format="tar")
        tar_problems(members, ctx, out)
        for m in members:
            if m.kind == "file":
                out.children.append(tar_child(src, m))
            elif m.kind in ("sparse", "other"):
                out.skipped.append((m.name, f"{m.kind} tar member not supported"))
        return out
