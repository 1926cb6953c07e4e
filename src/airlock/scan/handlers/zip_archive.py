"""Any zip that no more specific handler took (``.npz``, archives of models): every member is
sniffed in turn by the engine."""

from __future__ import annotations

from airlock.formats import archive, numpy
from airlock.formats.source import HEAD_BYTES
from airlock.scan.handlers.common import zip_child, zip_outcome
from airlock.scan.interface import (
    Child,
    FormatProblem,
    ReadAs,
    ScanContext,
    ScanOutcome,
    Source,
    out_of_time,
)

# members above this are first looked at by their head (smaller ones expand at no real cost)
_HEAD_FIRST = 1 << 20
# how far from its end ``zipfile`` looks for an end record (22 bytes plus a 64 KiB comment)
_ZIP_TAIL = 22 + 0xFFFF


class ZipHandler:
    """Generic zip archives."""

    name = "zip"

    def sniff(self, src: Source) -> bool:
        return archive.looks_like_zip(src)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        listing, out = zip_outcome(src, ctx, _member_child)
        names = [m.name for m in listing.members if not m.is_dir]
        if names and all(n.endswith(".npy") for n in names):
            out.format = "npz"
        # numpy resolves a key by its exact name before name + ".npy": any zip whose members
        # answer load_npz's five keys gets the proof, suffixed or not
        _sparse_npz(src, ctx, listing, names, out)
        return out


def _sparse_npz(
    src: Source, ctx: ScanContext, listing: archive.ZipListing, names: list[str], out: ScanOutcome
) -> None:
    """A scipy ``save_npz`` file: ``load_npz`` trusts its index arrays (npz_sparse)."""
    if "indptr" not in names and "indptr.npy" not in names:
        return  # cheap test first: most zips are not sparse matrices
    from airlock.scan import npz_sparse

    read = npz_sparse.reader(src, listing, ctx.limits, ctx.budget)
    if read is None:
        return
    from airlock.scan.interface import FormatProblem
    from airlock.scan.pickle_rules import rule

    try:
        why = npz_sparse.verdict(read)
    except FormatProblem as exc:
        why = f"members not read ({type(exc).__name__}: {exc})"[:200]
    except Exception as exc:  # odd arrays: not proven, never a crash
        why = f"not checked ({type(exc).__name__})"
    if why is None:
        out.notes.append("scipy sparse npz: indices proven in range")
        return
    out.findings.append(
        rule("AIR-PKL-017").finding(
            ctx.location,
            f"scipy.sparse.load_npz: index arrays not proven in range: {why}",
            member=ctx.member,
            extra={"callable": "scipy.sparse.load_npz"},
        )
    )


def _member_child(src: Source, m: archive.ZipMember, ctx: ScanContext) -> Child:
    """A member; a large one that is a plain-dtype array is judged by its ``.npy`` header and
    its end, without expanding it in memory.

    ``np.load`` reads every zip as an ``NpzFile``, and that reads a member starting with the
    ``.npy`` magic with ``read_array``: its header alone decides whether a pickle runs, and a
    plain dtype's data is copied as numbers. So a 2 GiB float array in ``np.savez_compressed``
    (or a mask of zeros, expanding 1000 times) needs its header, not its expansion. Its end is
    decoded through too: a zip end record there would make the member a zip as well (the
    polyglot the engine reports for a member it holds), and a length other than the directory's
    means the directory does not describe the member. Anything else (no magic, an object dtype,
    a header that does not parse, a zip end record, a broken stream, time up) is expanded as any
    member is, under the same limits, so it stays not scanned when they stop it.
    """
    if m.size <= min(_HEAD_FIRST, ctx.limits.max_member_bytes):
        return zip_child(src, m, ctx)

    def load() -> bytes | memoryview:
        head = archive.member_head(src, m, HEAD_BYTES)
        if head.startswith(numpy.MAGIC):
            need = numpy.header_bytes_needed(head)
            if need > len(head):
                head = archive.member_head(src, m, need)
            try:
                header = numpy.parse_header(head[:need])
            except numpy.NpyError:
                header = None
            if header is not None and not header.has_object:
                size = numpy.array_bytes(header)
                if size is not None and header.data_offset + size > m.size:
                    raise FormatProblem(f".npy data truncated: {m.size} of {size} bytes")
                end = archive.member_tail(src, m, _ZIP_TAIL, out_of_time)
                if end is not None and end[1] == m.size and archive.ZIP_EOCD not in end[0]:
                    # the member's first 4 KiB: what every sniffer that reads a head would see
                    return head
        return archive.member_data(src, m, ctx.limits, ctx.budget)

    return Child(m.name, load, m.size, None, ReadAs(head_only=True), crc=None)
