"""POSIX/GNU tar: regular members are zero-copy slices handed to the engine; a link that
extracts as a member's bytes is that member again under the link's name."""

from __future__ import annotations

from airlock.formats import archive
from airlock.scan.handlers.common import escapes, tar_child, tar_problems
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
            elif m.kind == "sparse":  # tarfile reassembles it: content we do not read
                out.not_scanned = f"{m.name}: sparse tar member not read"[:200]
            elif m.kind == "other":  # devices, FIFOs: no content in the archive
                out.skipped.append((m.name, "special tar member not read"))
        contents, problems = archive.link_contents(members)
        for name, target in contents:
            out.children.append(tar_child(src, target)._replace(name=name))
        escapes(problems, ctx, out)
        return out
