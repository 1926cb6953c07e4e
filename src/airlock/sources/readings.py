"""Does a staged file read like the real one? The checks that let a remote file be judged from
some of its bytes (see ``judge``).

The scanner judges every reading a loader could give a file; a staged file (the real size, only
the fetched ranges, holes elsewhere) may stand in for the real one only when each of those
readings uses fetched bytes alone. Each function here answers that for one kind of file from the
staged bytes, or says how far a reader goes so that ``judge`` can fetch up to there.
"""

from __future__ import annotations

import mmap
import os
from typing import Any

from airlock.sources import plan as P

PICKLE_READERS = frozenset({"pickle", "pytorch-legacy", "empty"})  # engine: no pickle-from-0


class Ranges:
    """Byte ranges already fetched (merged); ``missing`` gives what a request still lacks."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.spans: list[tuple[int, int]] = []
        self.add(ranges)

    def add(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for a, b in sorted([*self.spans, *((a, b) for a, b in ranges if b > a)]):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self.spans = merged

    @property
    def total(self) -> int:
        return sum(b - a for a, b in self.spans)

    def span_end(self, pos: int) -> int | None:
        """End of the fetched span holding ``pos`` (None: not fetched). Binary search."""
        import bisect

        i = bisect.bisect_right(self.spans, pos, key=lambda s: s[0]) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i][1]
        return None

    def covers(self, a: int, b: int) -> bool:
        if b <= a:
            return True
        end = self.span_end(a)
        return end is not None and end >= b

    def missing(self, wanted: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for a, b in wanted:
            pos = a
            for s0, s1 in self.spans:
                if s1 <= pos or s0 >= b:
                    continue
                if s0 > pos:
                    out.append((pos, s0))
                pos = max(pos, s1)
                if pos >= b:
                    break
            if pos < b:
                out.append((pos, b))
        gaps = Ranges(out)
        return gaps.spans


def _recording_source() -> Any:
    from airlock.scan.interface import Source

    class RecordingSource(Source):
        """A Source that notes every range read through ``read_at``/``tail``."""

        def __init__(self, data: Any) -> None:
            super().__init__(data)
            self.requested: list[tuple[int, int]] = [(0, min(self.size, len(self.head)))]

        def read_at(self, offset: int, n: int) -> bytes:
            if 0 <= offset < self.size and n > 0:
                self.requested.append((offset, min(self.size, offset + n)))
            return super().read_at(offset, n)

        def tail(self, n: int) -> bytes:
            self.requested.append((max(0, self.size - n), self.size))
            return super().tail(n)

        def view(self) -> memoryview:
            self.requested.append((0, self.size))  # an unbounded read: everything
            return super().view()

    return RecordingSource


def recording(data: Any) -> Any:
    return _recording_source()(data)


def local_header_guesses(fd: int, size: int) -> list[tuple[int, int]]:
    """Where the members' local headers are, from the central directory as ``zipfile`` reads it
    (a hint only: the project's own zip reader then asks for what it really needs)."""
    import zipfile

    from airlock.scan.interface import Limits

    try:
        with os.fdopen(os.dup(fd), "rb") as fh, zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
            if len(infos) > Limits().max_members:
                return []
            return [
                (i.header_offset, min(size, i.header_offset + 30 + len(i.orig_filename) * 4 + 256))
                for i in infos
                if 0 <= i.header_offset < size
            ]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return []


def zip_readings(fd: int, size: int) -> str:
    """Why a range-staged PyTorch zip might be judged differently ('' if it cannot): the
    scanner must take it for a PyTorch zip, find no tar in it, and (its first byte being 'P')
    never read it as a pickle from offset 0."""
    from airlock.formats.archive import looks_like_tar
    from airlock.scan import registry
    from airlock.scan.interface import Source

    mm = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
    src = Source(mm)
    try:
        first = registry.sniff(src)
        primary = first.name if first else "unknown"
        if primary != "pytorch-zip":
            return f"read as {primary}"
        if looks_like_tar(src):
            return "also a tar"
        return ""
    finally:
        src.release()
        try:
            mm.close()
        except BufferError:
            pass


ZIP_END_SIGNATURES = (b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07")
LEGACY_PRIMARY = frozenset({"pytorch-legacy"})
BROKEN = -1
# the scanner's readings besides the primary handler (engine.OTHER_READINGS); each sniffs the
# head and at most the last 64 KiB, both fetched
OTHER_READERS = ("zip", "tar", "compressed", "unsupported-archive")


def legacy_end(fd: int, size: int, have: int) -> int | None:
    """Where the pickles of a legacy ``torch.save`` file end, read as the scanner reads them
    (each pickle alone, from where the last one stopped) over the staged file: the offset when
    it lies inside the fetched ``have`` bytes, None when a pickle runs past them (fetch more),
    ``BROKEN`` when a pickle breaks inside them or names joblib's array wrapper (whose raw
    bytes another reading would look at): then the file is read whole."""
    from airlock.formats import torch
    from airlock.scan.pickle_vm import analyze_pickle

    mm = mmap.mmap(fd, size, access=mmap.ACCESS_READ)  # file pages, not heap
    view = memoryview(mm)
    offset = 0
    try:
        for _ in range(torch.LEGACY_PICKLES):
            res = analyze_pickle(view[offset:], location="staged", multi=False)
            stop = offset + res.end_offset
            if res.error or res.pickles != 1:
                return None if stop >= have - LEGACY_MARGIN else BROKEN
            if stop > have:
                return None
            if any("NumpyArrayWrapper" in c or "NDArrayWrapper" in c for c in res.callables):
                return BROKEN
            offset = stop
            del res
        return offset
    finally:
        view.release()
        try:
            mm.close()
        except BufferError:  # the analyser kept a view; the GC unmaps it
            pass


LEGACY_MARGIN = 64  # an opcode that broke this close to the fetched end may have read past it
PICKLE_PRIMARY = frozenset({"pickle"})


def pickle_end(fd: int, size: int, have: int) -> int | None:
    """Whether the scanner's reading of a plain pickle (``PickleHandler``: the joblib marker
    search over the first ``joblib.SEARCH_MAX`` bytes, then stacked pickles from offset 0 up to
    the opcode limit) stays inside the fetched ``have`` bytes: the end offset if it does, None
    to fetch more, ``BROKEN`` for a joblib stream (array bytes among the opcodes: read whole).

    Inside when the whole file was fetched, or when the last pickle completes cleanly inside
    the prefix and the byte after it, fetched too, is not an opcode (where the analyser stops
    without looking; the format sniffer walks the same opcodes). A pickle running to the
    analyser's limit is not cut short here: the sniffer's walk can jump past the limit over an
    opcode's stated length, so such a file is read whole (or not judged)."""
    from airlock.formats import joblib
    from airlock.formats.pickle_ops import IS_OPCODE
    from airlock.scan.pickle_vm import analyze_pickle

    mm = mmap.mmap(fd, size, access=mmap.ACCESS_READ)  # file pages, not heap
    view = memoryview(mm)
    try:
        if joblib.is_joblib_pickle(view):  # its search reads the first SEARCH_MAX: fetched
            return BROKEN
        if have >= size:
            return have
        res = analyze_pickle(view, location="staged")
        if res.error or not res.pickles or res.end_offset >= have:
            return None
        if any("NumpyArrayWrapper" in c or "NDArrayWrapper" in c for c in res.callables):
            return BROKEN
        if res.end_offset < size and IS_OPCODE[view[res.end_offset]]:
            return None  # another pickle might start there: the analyser reads on
        return res.end_offset
    finally:
        view.release()
        try:
            mm.close()
        except BufferError:  # the analyser kept a view; the GC unmaps it
            pass


def other_readings(
    fd: int, size: int, prefix: int, primaries: frozenset[str] = P.HEADER_FORMATS
) -> str:
    """Why the staged file might be judged differently from the real one ('' if it cannot).

    The scanner judges every reading a loader could give a file: the first handler that sniffs
    it, a pickle from offset 0, a zip by its end record, a tar by its header, a compressed
    stream or an unsupported archive by its magic. The staged file must get the same readings
    from fetched bytes only: the primary handler is one of ``primaries`` (formats whose handler
    reads only the fetched prefix), no other reading sniffs it (nor a zip end record anywhere in
    the tail), and a pickle reading from offset 0 (run for non-pickle primaries) stops inside
    the fetched prefix.
    """
    from airlock.formats.pickle_ops import IS_OPCODE
    from airlock.scan import registry
    from airlock.scan.interface import Source
    from airlock.scan.pickle_vm import analyze_pickle

    t0, _t1 = P.tail_range(size)
    tail = os.pread(fd, size - t0, t0)
    if any(sig in tail for sig in ZIP_END_SIGNATURES):
        return "a zip end record in its tail"
    mm = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
    src = Source(mm)
    try:
        first = registry.sniff(src)
        primary = first.name if first else "unknown"
        if primary not in primaries:
            return f"read as {primary}"
        for name in OTHER_READERS:
            other = registry.by_name(name)
            try:
                if other is None or other.sniff(src):
                    return f"also read as {name}"
            except Exception:
                return f"also read as {name}?"
        if primary not in PICKLE_READERS and IS_OPCODE[src.head[0]]:
            analysis = analyze_pickle(src.view()[:prefix], location="staged")
            ran_out = "truncated" in (analysis.error or "")
            if ran_out or analysis.end_offset >= prefix - 1:
                return "a pickle reading runs past the fetched header"
        return ""
    finally:
        src.release()
        try:
            mm.close()
        except BufferError:  # a parser kept a view; the GC unmaps it
            pass
