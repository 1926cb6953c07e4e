"""NumPy ``.npy``: the header literal parsed, an object array's pickle handed on as a child."""

from __future__ import annotations

from airlock.formats import numpy
from airlock.scan.interface import Child, FormatProblem, ScanContext, ScanOutcome, Source


class NumpyHandler:
    """``.npy`` arrays."""

    name = "npy"

    def sniff(self, src: Source) -> bool:
        return src.head.startswith(numpy.MAGIC)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        need = numpy.header_bytes_needed(src.head)
        try:
            header = numpy.parse_header(src.read_at(0, need))
        except numpy.NpyError as exc:
            raise FormatProblem(str(exc)) from None
        out = ScanOutcome(format="npy")
        if header.has_object:
            # Not a finding by itself: the embedded pickle is judged like any other, so a clean
            # object array of plain values is clean (np.save of strings, dicts, dates).
            out.notes.append(f"object array {header.descr!r}: embedded pickle analysed"[:200])
            payload = src.view()[header.data_offset :]
            out.children.append(Child.of("<object-array-pickle>", payload, hint="pickle"))
        else:
            out.notes.append(f"array {header.descr!r} shape {header.shape}"[:200])
            size = numpy.array_bytes(header)
            if size is not None and not ctx.read_as.head_only:
                if header.data_offset + size > src.size:  # np.load raises: not a whole array
                    have = max(0, src.size - header.data_offset)
                    raise FormatProblem(f".npy data truncated: {have} of {size} bytes")
        return out
