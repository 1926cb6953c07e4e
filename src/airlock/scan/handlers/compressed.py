"""Compressed streams: gzip, bz2, xz, lzma-alone, LZ4 frames, raw zlib and joblib's ``ZF``
container. The decompressed stream is one child, expanded only when the engine reaches it."""

from __future__ import annotations

from airlock.formats import archive, joblib
from airlock.scan.interface import Child, FormatProblem, ScanContext, ScanOutcome, Source


class CompressedHandler:
    """One compressed stream."""

    name = "compressed"

    def sniff(self, src: Source) -> bool:
        head = src.head
        return archive.compression_of(head) is not None or joblib.parse_zfile(head) is not None

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        head = src.head
        zf = joblib.parse_zfile(head)
        if zf is not None:
            kind, start, label = "zlib", zf[0], "joblib-zfile"
        else:
            found = archive.compression_of(head)
            if found is None:
                raise FormatProblem("unknown compression")
            kind, start, label = found, 0, found
        payload = src.view()[start:]

        def load() -> bytes | memoryview:
            return archive.decompress_stream(kind, payload, ctx.limits, ctx.budget, label)

        return ScanOutcome(format=label, children=[Child(f"<{label}>", load, None)])
