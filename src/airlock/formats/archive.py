"""Containers read in memory, as leniently as the loaders and with hard bounds: zip, tar, gzip,
bz2, xz/lzma and raw zlib.

Why our own zip reader: ``zipfile`` gives up on a damaged central directory and checks CRCs, while
miniz (PyTorch) and other loaders are more forgiving; a scanner stricter than the loader is a
bypass. We read the central directory when it is sound (seek to the end, no member data touched)
and otherwise walk the local file headers from the start. Member data is produced lazily and
every expansion is bounded by size, ratio and a per-file budget (zip bombs, overlapping entries).
"""

import bz2
import itertools
import lzma
import mmap
import struct
import zlib
from collections.abc import Callable
from typing import Any, Final

from airlock.formats.ranged import LazyBytes
from airlock.formats.source import Budget, FormatProblem, Limits, Source

ZIP_LOCAL = b"PK\x03\x04"
ZIP_CENTRAL = b"PK\x01\x02"
ZIP_EOCD = b"PK\x05\x06"
ZIP64_EOCD = b"PK\x06\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP_DESCRIPTOR = b"PK\x07\x08"
LZ4_MAGIC = b"\x04\x22\x4d\x18"  # lz4frame.MAGIC (that reader loads only for an LZ4 stream)
_EOCD_MAX_SEARCH = 22 + 65535 + 20
_CHUNK = 1 << 20
_FIRST_CHUNK = 1 << 12
RATIO_FLOOR = 16 * 1024**2  # below this many expanded bytes the ratio is not judged

STORED, DEFLATED, BZIP2, LZMA = 0, 8, 12, 14
_METHODS = {STORED: "stored", DEFLATED: "deflate", BZIP2: "bzip2", LZMA: "lzma"}


class BombError(FormatProblem):
    """Expansion beyond the size/ratio/budget limits."""


class NoEndRecord(FormatProblem):
    """No end-of-central-directory record: no reader that needs the directory opens the zip."""


class EncryptedMember(FormatProblem):
    """The member is encrypted: its content cannot be inspected."""


class TruncatedStream(FormatProblem):
    """Compressed data broke off: ``partial`` holds what decoded before the break (a loader
    reading the stream would have consumed it, so it is still scanned)."""

    def __init__(self, message: str, partial: bytes | memoryview) -> None:
        super().__init__(message)
        self.partial = partial


class ZipMember:
    """One entry. ``data_offset`` is resolved from the local header (which wins over the
    central directory, as in miniz); ``None`` if the local header could not be found. (Plain
    classes here: a dataclass compiles its methods' source at import, on every run.)"""

    def __init__(
        self,
        name: str,
        method: int,
        flags: int,
        comp_size: int,
        size: int,
        crc: int,
        header_offset: int,
        data_offset: int | None = None,
        unix_mode: int = 0,
    ) -> None:
        self.name = name
        self.method = method
        self.flags = flags
        self.comp_size = comp_size
        self.size = size
        self.crc = crc
        self.header_offset = header_offset
        self.data_offset = data_offset
        self.unix_mode = unix_mode  # high half of the central directory's external attributes

    @property
    def is_symlink(self) -> bool:
        """Info-ZIP's unzip, bsdtar and 7-Zip extract this entry as a symbolic link whose target
        is the entry's data (whatever host system the entry claims)."""
        return self.unix_mode & 0o170000 == 0o120000

    @property
    def encrypted(self) -> bool:
        return bool(self.flags & 0x1)

    @property
    def is_dir(self) -> bool:
        """A directory entry: a name ending in '/' AND nothing in it. zipfile reads the data of
        such a name like any member's (rt17zip: ``dict(np.load(f, allow_pickle=True))`` read
        key ``b/``, an object array, and ran its pickle while the entry was skipped as a
        directory); it truncates what it reads at the declared size, so size 0 is empty."""
        return self.name.endswith("/") and self.size == 0


class ZipListing:
    def __init__(
        self,
        members: list[ZipMember],
        via: str,  # "central" or "local"
        problems: list[str],
        prefix: int = 0,  # bytes prepended before the archive start
        readings: list[str] | None = None,  # ways readers find different directories
    ) -> None:
        self.members = members
        self.via = via
        self.problems = problems
        self.prefix = prefix
        self.readings = readings or []
        # an end record was there but its directory not read as miniz/zipfile read it
        self.directory_unread = False

    def names(self) -> list[str]:
        return [m.name for m in self.members]


def looks_like_zip(src: Source) -> bool:
    """A zip local header at the start; or data prepended to a zip (self-extracting style, read
    by ``zipfile`` and ``np.load``): an end record that closes the file exactly, and not a tar
    that merely contains a zip."""
    if src.head.startswith(ZIP_LOCAL) or src.head.startswith(ZIP_EOCD):
        return True
    if src.size < 22 or looks_like_tar(src):
        return False
    tail = src.tail(_EOCD_MAX_SEARCH)
    pos = tail.rfind(ZIP_EOCD)
    while pos >= 0:
        if len(tail) - pos >= 22:
            (clen,) = struct.unpack_from("<H", tail, pos + 20)
            if pos + 22 + clen == len(tail):
                return True
        pos = tail.rfind(ZIP_EOCD, 0, pos)
    return False


def _decode_name(raw: bytes, flags: int) -> str:
    if flags & 0x800:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp437")


def zipfile_name(name: str) -> str:
    """The name Python's ``zipfile`` gives a member (``ZipInfo.__init__`` cuts it at the first
    NUL): what ``ZipFile.read(name)`` in skops, Keras, ``np.load`` and stable-baselines3
    finds, the last entry of that name winning."""
    return name.split("\0", 1)[0]


def name_clashes(members: list[ZipMember]) -> list[str]:
    """Names readers resolve differently: a NUL in a name (zipfile cuts it there, miniz and
    others do not), or entries with different bytes under one zipfile name (also with '\\'
    read as '/', as zipfile does on Windows): zipfile loads the last, others the first."""
    out = [f"member name {m.name!r} holds a NUL byte" for m in members if "\0" in m.name]
    where: dict[str, tuple[object, ...]] = {}
    for m in members:
        key = zipfile_name(m.name).replace("\\", "/")
        span = (m.data_offset, m.comp_size, m.method, m.size)
        if where.setdefault(key, span) != span and len(out) < 10:
            out.append(f"two entries with different bytes are both read as {key!r}")
            where[key] = span
    return out[:10]


def _zip64_extra(extra: bytes, size: int, comp: int, offset: int) -> tuple[int, int, int]:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        if tag == 0x0001:
            vals = [v for (v,) in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])]
            i = 0
            if size == 0xFFFFFFFF and i < len(vals):
                size, i = vals[i], i + 1
            if comp == 0xFFFFFFFF and i < len(vals):
                comp, i = vals[i], i + 1
            if offset == 0xFFFFFFFF and i < len(vals):
                offset = vals[i]
            break
        pos += 4 + length
    return size, comp, offset


def _zip64_record(src: Source, at: int) -> tuple[int, int, int] | None:
    """(entries, directory size, directory offset) of the zip64 end record at ``at``."""
    rec = src.read_at(at, 56) if 0 <= at <= src.size - 56 else b""
    if len(rec) != 56 or rec[:4] != ZIP64_EOCD:
        return None
    count, size, offset = struct.unpack_from("<QQQ", rec, 32)
    return count, size, offset


def _markers(values: tuple[int, int, int]) -> bool:
    """A 32-bit end record whose fields say "see zip64": a reader using them fails."""
    return values[0] == 0xFFFF or 0xFFFFFFFF in values[1:]


def _read_central(src: Source, limits: Limits) -> ZipListing:
    tail = src.tail(_EOCD_MAX_SEARCH)
    base = src.size - len(tail)
    pos = tail.rfind(ZIP_EOCD)
    while pos >= 0 and len(tail) - pos < 22:
        pos = tail.rfind(ZIP_EOCD, 0, pos)
    if pos < 0:
        raise NoEndRecord("no end-of-central-directory record")
    eocd = base + pos
    (_, _disk, _cd_disk, _n_disk, count, cd_size, cd_offset, _clen) = struct.unpack(
        "<4sHHHHIIH", src.read_at(eocd, 22)
    )
    end_of_cd = eocd
    readings: list[str] = []
    if eocd >= 20 and src.read_at(eocd - 20, 4) == ZIP64_LOCATOR:
        # the zip64 record sits just before its locator; its stated offset ignores any prefix.
        # Python's zipfile reads only the record just before the locator, miniz (torch) only
        # the one at the locator's offset: two records (or one of them) are two directories
        (z64_off,) = struct.unpack("<Q", src.read_at(eocd - 20 + 8, 8))
        before, at = _zip64_record(src, eocd - 76), None
        if z64_off != eocd - 76:
            at = _zip64_record(src, z64_off)
        plain = (count, cd_size, cd_offset)
        zipfile_reads = before or plain
        miniz_reads = (at if z64_off != eocd - 76 else before) or plain
        # readers that ignore zip64 records without markers (Go's archive/zip) read ``plain``
        usable = {r for r in (zipfile_reads, miniz_reads, plain) if not _markers(r)}
        if len(usable) > 1:
            readings.append(f"zip64 and zip end records name different central directories"
                            f" {sorted(usable)} (entries, size, offset): zipfile, miniz (torch)"
                            " and other readers list different members")  # fmt: skip
        if before is not None:
            end_of_cd, (count, cd_size, cd_offset) = eocd - 76, before
        elif at is not None:
            end_of_cd, (count, cd_size, cd_offset) = z64_off, at
    prefix = end_of_cd - cd_size - cd_offset
    if prefix < 0 or cd_size > src.size:
        raise FormatProblem("central directory offset/size out of range")
    if prefix and src.read_at(cd_offset, 4) == ZIP_CENTRAL:
        # zipfile (and we) read the directory just before the end record, shifting every
        # offset by the bytes in between; miniz (torch.load) reads it at the stated offset.
        # rt17zip: a second directory there made torch unpickle a data.pkl we never saw
        readings.append(f"a central directory at offset {cd_offset} and another at"
                        f" {cd_offset + prefix}: miniz (torch) reads the first, zipfile the"
                        " second")  # fmt: skip
    if count > limits.max_members:
        raise BombError(f"zip declares {count} members (limit {limits.max_members})")
    start = cd_offset + prefix
    cd = src.read_at(start, cd_size)
    if len(cd) != cd_size:
        raise FormatProblem("central directory truncated")
    members: list[ZipMember] = []
    p = 0
    while p + 46 <= len(cd) and cd[p : p + 4] == ZIP_CENTRAL:
        (flags, method, _t, _d, crc, comp, size, nlen, elen, clen) = struct.unpack_from(
            "<HHHHIIIHHH", cd, p + 8
        )
        (attributes, offset) = struct.unpack_from("<II", cd, p + 38)
        name_raw = cd[p + 46 : p + 46 + nlen]
        extra = cd[p + 46 + nlen : p + 46 + nlen + elen]
        size, comp, offset = _zip64_extra(extra, size, comp, offset)
        name = _decode_name(name_raw, flags)
        mode = attributes >> 16
        members.append(ZipMember(name, method, flags, comp, size, crc, offset + prefix, None, mode))
        if len(members) > limits.max_members:
            raise BombError(f"more than {limits.max_members} zip members")
        p += 46 + nlen + elen + clen
    if len(members) != count and count != 0xFFFF:
        raise FormatProblem(f"central directory lists {len(members)} of {count} entries")
    problems: list[str] = []
    for m in members:
        m.data_offset = _local_data_offset(src, m.header_offset)
        if m.data_offset is None:
            raise FormatProblem(f"local header of {m.name!r} missing")
        if len(problems) < 10:
            nlen = struct.unpack("<H", src.read_at(m.header_offset + 26, 2))[0]
            local = _decode_name(src.read_at(m.header_offset + 30, nlen), m.flags)
            if local != m.name:
                problems.append(f"local header names {local!r}, central directory {m.name!r}")
    problems += _overlaps(members)
    return ZipListing(members, "central", problems, prefix, readings)


def _overlaps(members: list[ZipMember]) -> list[str]:
    """Entries whose data ranges overlap: never produced by a writer (overlap zip bombs,
    polyglots where readers disagree)."""
    spans = sorted(
        (m.data_offset, m.data_offset + m.comp_size, m.name)
        for m in members
        if m.data_offset is not None and m.comp_size > 0
    )
    for (_a0, a1, an), (b0, _b1, bn) in itertools.pairwise(spans):
        if b0 < a1:
            return [f"entries {an!r} and {bn!r} overlap"]
    return []


def _local_data_offset(src: Source, offset: int) -> int | None:
    hdr = src.read_at(offset, 30)
    if len(hdr) < 30 or hdr[:4] != ZIP_LOCAL:
        return None
    nlen, elen = struct.unpack_from("<HH", hdr, 26)
    data = offset + 30 + nlen + elen
    return data if data <= src.size else None


class _Finder:
    """``_find`` remembering its last answer per needle: the walk's searches move forward, so a
    search from inside a span already searched reuses that answer. Without it, every member
    of a hostile walk searched to the end of the file (rt17zip: 20,000 headers with data
    descriptors that never come, before 20 MiB of zeros, ran for over ten minutes)."""

    def __init__(self, src: Source) -> None:
        self._src = src
        self._last: dict[bytes, tuple[int, int]] = {}  # needle -> (searched from, found at)

    def __call__(self, needle: bytes, start: int) -> int:
        start = max(0, start)
        known = self._last.get(needle)
        if known is not None and known[0] <= start and (known[1] < 0 or start <= known[1]):
            return known[1]
        found = _find(self._src, needle, start)
        self._last[needle] = (start, found)
        return found


def _walk_local(src: Source, limits: Limits) -> ZipListing:
    """Recover members from local headers (central directory missing or damaged)."""
    members: list[ZipMember] = []
    problems: list[str] = []
    allowance = [limits.max_expanded_bytes]
    find = _Finder(src)
    pos = find(ZIP_LOCAL, 0)
    while 0 <= pos and pos + 30 <= src.size:
        hdr = src.read_at(pos, 30)
        if hdr[:4] != ZIP_LOCAL:
            pos = find(ZIP_LOCAL, pos + 1)
            continue
        (flags, method, _t, _d, crc, comp, size, nlen, elen) = struct.unpack_from(
            "<HHHHIIIHH", hdr, 6
        )
        name_raw = src.read_at(pos + 30, nlen)
        extra = src.read_at(pos + 30 + nlen, elen)
        size, comp, _ = _zip64_extra(extra, size, comp, 0)
        data = pos + 30 + nlen + elen
        m = ZipMember(_decode_name(name_raw, flags), method, flags, comp, size, crc, pos, data)
        if flags & 0x8 or (comp in (0, 0xFFFFFFFF) and method != STORED):
            end = _stream_end(src, m, limits, allowance, find)
            if end is None:
                if len(problems) < 10:
                    problems.append(f"cannot find the end of {m.name!r}")
                members.append(m)
                nxt = find(ZIP_LOCAL, data)
                pos = nxt
                continue
            m.comp_size = end - data
        members.append(m)
        if len(members) > limits.max_members:
            raise BombError(f"more than {limits.max_members} zip members")
        nxt = data + m.comp_size
        if nxt <= pos:
            break
        following = src.read_at(nxt, 4)
        if following == ZIP_DESCRIPTOR:
            nxt += 16
        elif following != ZIP_LOCAL:
            nxt = find(ZIP_LOCAL, nxt)
        pos = nxt
    if not members:
        raise FormatProblem("no zip local headers found")
    return ZipListing(members, "local", problems)


def _find(src: Source, needle: bytes, start: int) -> int:
    """Next occurrence of ``needle`` at or after ``start`` (-1 if none), without copying."""
    view = src.view()
    pos = max(0, start)
    step = _FIRST_CHUNK  # most answers are near: copy little first
    while pos < src.size:
        chunk = bytes(view[pos : pos + step + len(needle)])
        i = chunk.find(needle)
        if i >= 0:
            return pos + i
        pos += step
        step = _CHUNK
    return -1


def _stream_end(
    src: Source, m: ZipMember, limits: Limits, allowance: list[int], find: _Finder
) -> int | None:
    """End offset of a member whose size is not in its local header (data descriptor). Finding
    it means inflating the member; ``allowance`` bounds that work across the whole archive."""
    assert m.data_offset is not None
    if m.method == DEFLATED:
        d = zlib.decompressobj(-15)
        pos = m.data_offset
        view = src.view()
        produced = 0
        cap = min(limits.max_member_bytes, allowance[0])
        while pos < src.size and not d.eof:
            chunk = bytes(view[pos : pos + _CHUNK])
            try:  # a corrupt deflate stream has no end to find (fuzz15: zlib.error escaped)
                out = d.decompress(chunk, _CHUNK)
                produced += len(out)
                while d.unconsumed_tail and not d.eof:
                    out = d.decompress(d.unconsumed_tail, _CHUNK)
                    produced += len(out)
                    if produced > cap:
                        allowance[0] = 0
                        return None
            except zlib.error:
                return None
            if d.eof:
                allowance[0] -= produced
                return pos + len(chunk) - len(d.unused_data)
            pos += len(chunk)
            if produced > cap:
                allowance[0] = 0
                return None
        return None
    nxt = find(ZIP_DESCRIPTOR, m.data_offset)
    return nxt if nxt >= 0 else None


def read_zip(src: Source, limits: Limits) -> ZipListing:
    """The members of a zip: from the central directory, else recovered from local headers."""
    cached = src.cache.get("zip")
    if isinstance(cached, ZipListing):
        return cached
    try:
        listing = _read_central(src, limits)
    except BombError:
        raise
    except (FormatProblem, struct.error) as exc:
        try:
            listing = _walk_local(src, limits)
        except struct.error:
            raise FormatProblem(f"damaged zip ({exc})") from None
        listing.problems.insert(0, f"central directory unusable ({exc}); read local headers")
        listing.directory_unread = not isinstance(exc, NoEndRecord)
    src.cache["zip"] = listing
    return listing


def member_data(src: Source, m: ZipMember, limits: Limits, budget: Budget) -> bytes | memoryview:
    """A member's bytes: a zero-copy slice when stored, bounded decompression otherwise."""
    raw = _member_raw(src, m)
    if m.method == STORED:
        if len(raw) > limits.max_member_bytes:
            raise BombError(f"{m.name}: {len(raw)} bytes exceeds the member limit")
        return raw
    dec, payload = _member_decoder(m, raw)
    return bounded_decompress(dec, payload, limits, budget, m.name)


def member_head(src: Source, m: ZipMember, n: int) -> bytes:
    """At most the first ``n`` bytes of a member, decoding no further than that (a header read
    from a member too large to expand whole). Fewer when the member is shorter or breaks off."""
    raw = _member_raw(src, m)
    if m.method == STORED:
        return bytes(raw[:n])
    dec, payload = _member_decoder(m, raw)
    out = bytearray()
    pos = 0
    try:
        while len(out) < n and not dec.eof:
            chunk = bytes(payload[pos : pos + _CHUNK]) if pos < len(payload) else b""
            pos += len(chunk)
            piece = dec.feed(chunk, n - len(out))
            out.extend(piece)
            if not chunk and not piece and not dec.pending():
                break
    except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError):
        return bytes(out)  # a stream broken early: its head is what decoded, the caller judges it
    return bytes(out)


def member_tail(
    src: Source, m: ZipMember, n: int, stop: Callable[[], bool] = lambda: False
) -> tuple[bytes, int] | None:
    """The last ``n`` bytes of a member and its length, decoding it through while holding no
    more than ``n`` bytes (a member's end judged without the member in memory); the mapped
    input pages read are dropped behind the decoder as ``bounded_decompress`` drops them.
    ``None`` when the data breaks off, does not decode, or ``stop()`` says time is up."""
    raw = _member_raw(src, m)
    if m.method == STORED:
        return bytes(raw[max(0, len(raw) - n) :]), len(raw)
    dec, payload = _member_decoder(m, raw)
    mapped = _whole_mapping(src.view())
    # where the stream starts in the mapping (an LZMA member's properties precede it)
    base = (m.data_offset or 0) + len(raw) - len(payload)
    window = bytearray()
    total = pos = dropped = 0
    try:
        while not dec.eof:
            if stop():
                return None
            chunk = bytes(payload[pos : pos + _CHUNK])
            pos += len(chunk)
            piece = dec.feed(chunk, _CHUNK)
            while True:
                total += len(piece)
                window += piece
                if len(window) > n:
                    del window[: len(window) - n]
                if not dec.pending():
                    break
                piece = dec.feed(b"", _CHUNK)
            if mapped is not None and pos - dropped >= _DROP_STEP:
                lo = (base + dropped) // mmap.PAGESIZE * mmap.PAGESIZE
                hi = (base + pos) // mmap.PAGESIZE * mmap.PAGESIZE
                if hi > lo:
                    mapped.madvise(mmap.MADV_DONTNEED, lo, hi - lo)
                dropped = pos
            if not chunk and not dec.eof:
                return None  # the stream breaks off before its end
    except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError):
        return None
    return bytes(window), total


def _member_raw(src: Source, m: ZipMember) -> memoryview:
    if m.encrypted:
        raise EncryptedMember(f"{m.name}: encrypted member")
    if m.data_offset is None:
        raise FormatProblem(f"{m.name}: local header not found")
    start = m.data_offset
    return src.view()[start : min(src.size, start + m.comp_size)]


def _member_decoder(m: ZipMember, raw: memoryview) -> tuple["Decoder", memoryview]:
    """The decoder for a compressed member and the part of its data it reads."""
    if m.method == DEFLATED:
        return Decoder("deflate"), raw
    if m.method == BZIP2:
        return Decoder("bz2"), raw
    if m.method == LZMA:
        # zip's LZMA: 2-byte version, 2-byte props size, props, raw LZMA1 stream.
        hdr = bytes(raw[:4])
        if len(hdr) < 4:
            raise FormatProblem(f"{m.name}: truncated LZMA header")
        psize = struct.unpack_from("<H", hdr, 2)[0]
        props = bytes(raw[4 : 4 + psize])
        try:
            filt = lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)  # type: ignore[attr-defined]
            return Decoder("lzma-raw", [filt]), raw[4 + psize :]
        except (lzma.LZMAError, ValueError) as exc:
            raise FormatProblem(f"{m.name}: bad LZMA properties ({exc})") from None
    raise FormatProblem(f"{m.name}: unsupported compression method {m.method}")


def method_name(method: int) -> str:
    return _METHODS.get(method, f"method {method}")


_STREAM_MAGIC = {"gzip": b"\x1f\x8b", "bz2": b"BZh", "xz": b"\xfd7zXZ\x00"}


class Decoder:
    """One decompressor behind one interface (zlib, bz2 and lzma objects differ in details)."""

    def __init__(self, kind: str, filters: list[dict[str, object]] | None = None) -> None:
        self.kind = kind
        self._filters = filters
        self._d: Any = self._new()

    def _new(self) -> Any:
        k = self.kind
        if k in ("deflate", "gzip", "zlib"):
            return zlib.decompressobj({"deflate": -15, "gzip": 31, "zlib": 15}[k])
        if k == "bz2":
            return bz2.BZ2Decompressor()
        if k == "xz":
            return lzma.LZMADecompressor(lzma.FORMAT_XZ)
        if k == "lzma":
            return lzma.LZMADecompressor(lzma.FORMAT_ALONE)
        if k == "lzma-raw":
            return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=self._filters)
        raise FormatProblem(f"unknown compression {k}")

    def restart(self) -> None:
        self._d = self._new()

    def feed(self, chunk: bytes, room: int) -> bytes:
        d = self._d
        if isinstance(d, bz2.BZ2Decompressor | lzma.LZMADecompressor):
            return bytes(d.decompress(chunk, room))
        return bytes(d.decompress(chunk if chunk else d.unconsumed_tail, room))

    def pending(self) -> bool:
        d = self._d
        if isinstance(d, bz2.BZ2Decompressor | lzma.LZMADecompressor):
            return not d.needs_input and not d.eof
        return bool(d.unconsumed_tail) and not d.eof

    @property
    def eof(self) -> bool:
        return bool(self._d.eof)

    @property
    def unused(self) -> bytes:
        return bytes(self._d.unused_data)


_DROP_STEP = 16 * 1024**2


def _whole_mapping(view: Any) -> mmap.mmap | None:
    """The memory-mapped file ``view`` spans from its first byte to its last, if it is one (a
    top-level file as the engine maps it); ``None`` for a slice, bytes in memory or remote bytes."""
    owner = getattr(view, "obj", None)
    if isinstance(owner, mmap.mmap) and view.nbytes == len(owner) and hasattr(owner, "madvise"):
        return owner
    return None


def bounded_decompress(
    dec: Decoder,
    data: bytes | memoryview | LazyBytes,
    limits: Limits,
    budget: Budget,
    name: str,
    *,
    multi_stream: bool = False,
) -> memoryview:
    """Decompress ``data``, never producing more than the member limit, the remaining budget,
    the memory still free for expanded data (``Budget.room``, a bound on peak memory), or
    ``max_ratio`` times the input (past a floor). Raises ``BombError`` past a bound and
    ``TruncatedStream`` (with what decoded) when the data breaks off."""
    cap = min(limits.max_member_bytes, budget.remaining())
    ratio_cap = max(RATIO_FLOOR, int(len(data) * limits.max_ratio))
    out = bytearray()
    # a remote object's bytes (``LazyBytes``) are fetched chunk by chunk as the decoder goes
    view: Any = data if isinstance(data, LazyBytes) else memoryview(data)
    pos = 0
    mapped = _whole_mapping(view)
    dropped = 0

    def grow(piece: bytes) -> None:
        # held as it grows, so parallel threads see each other's expanded bytes at once
        if len(piece) > budget.room():
            raise BombError(
                f"{name}: expanded data would exceed the memory budget "
                f"({budget.resident} bytes held at once)"
            )
        budget.hold(len(piece))
        out.extend(piece)

    while True:
        chunk = bytes(view[pos : pos + _CHUNK])
        pos += len(chunk)
        if mapped is not None and pos - dropped >= _DROP_STEP:
            # read input pages leave our mapping (they stay in the page cache): a big compressed
            # file costs its expansion in memory, not its size plus its expansion
            upto = pos // mmap.PAGESIZE * mmap.PAGESIZE
            mapped.madvise(mmap.MADV_DONTNEED, dropped, upto - dropped)
            dropped = upto
        try:
            grow(_feed(dec, chunk, len(out), cap, ratio_cap, name))
            while dec.pending():
                grow(_feed(dec, b"", len(out), cap, ratio_cap, name))
        except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError) as exc:
            budget.take(len(out))
            raise TruncatedStream(
                f"{name}: corrupt compressed data after {len(out)} bytes ({exc})", memoryview(out)
            ) from None
        except BombError:
            budget.take(len(out))
            raise
        if dec.eof:
            pos -= len(dec.unused)
            if multi_stream and dec.kind == "gzip":
                pos = _past_zeros(view, pos)
            nxt = bytes(view[pos : pos + 6])
            if multi_stream and nxt.startswith(_STREAM_MAGIC.get(dec.kind, b"\xff" * 7)):
                dec.restart()  # concatenated gzip/bz2/xz streams decode as one (like gzip -d)
                continue
            break
        if pos >= len(view):
            budget.take(len(out))
            raise TruncatedStream(
                f"{name}: truncated compressed data after {len(out)} bytes", memoryview(out)
            )
    budget.take(len(out))  # held (see grow) until the engine is done with it
    return memoryview(out)


def _past_zeros(view: Any, pos: int) -> int:
    """The first non-zero byte from ``pos``: Python's gzip (``gzip.open``, joblib, pandas)
    skips zero padding between members and decodes the member after it (rt17zip: a pickle
    split over two members with zeros between them ran under ``pickle.load(gzip.open(f))``
    while we stopped at the first member)."""
    while pos < len(view):
        chunk = bytes(view[pos : pos + _FIRST_CHUNK])
        rest = chunk.lstrip(b"\0")
        if rest:
            return pos + len(chunk) - len(rest)
        pos += len(chunk)
    return pos


def _feed(dec: Decoder, chunk: bytes, have: int, cap: int, ratio_cap: int, name: str) -> bytes:
    room = min(cap, ratio_cap) - have
    if room <= 0:
        if have >= ratio_cap and ratio_cap < cap:
            raise BombError(f"{name}: expansion ratio above the limit (decompression bomb)")
        raise BombError(f"{name}: expands beyond {cap} bytes (decompression bomb or too large)")
    # at most _CHUNK per call: the output is appended to ``out``, and one huge piece would sit
    # in memory twice (piece + copy) -- the bound is on peak memory, not only on the result
    return dec.feed(chunk, min(room, _CHUNK))


# --- single-stream compression ------------------------------------------------------------------


def compression_of(head: bytes) -> str | None:
    """Which stream compression starts ``head`` (checked by structure, not by a single byte)."""
    if head.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if head.startswith(b"BZh") and len(head) > 10 and head[3:4] in b"123456789":
        return "bz2" if head[4:10] in (b"1AY&SY", b"\x17rE8P\x90") else None
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(LZ4_MAGIC) and len(head) > 4 and head[4] >> 6 == 1:
        return "lz4"
    if len(head) >= 13 and head[0] == 0x5D and head[1] == 0:
        return "lzma" if _probe(lzma.LZMADecompressor(lzma.FORMAT_ALONE), head) else None
    if len(head) >= 2 and head[0] == 0x78 and (head[0] * 256 + head[1]) % 31 == 0:
        return "zlib" if _probe(zlib.decompressobj(), head) else None
    return None


def _probe(dec: object, head: bytes) -> bool:
    try:
        out = dec.decompress(head[:4096], 64)  # type: ignore[attr-defined]
    except (zlib.error, lzma.LZMAError, ValueError, EOFError):
        return False
    return len(out) > 0


def decompress_stream(
    kind: str, data: bytes | memoryview | LazyBytes, limits: Limits, budget: Budget, name: str
) -> bytes | memoryview:
    """Whole-stream decompression with bounds (gzip/bz2/xz may hold concatenated streams)."""
    if kind == "lz4":
        if isinstance(data, LazyBytes):  # the frame reader needs a buffer: held in memory
            data = memoryview(data.materialise(budget))
        return _lz4(data, limits, budget, name)
    if kind not in ("gzip", "zlib", "bz2", "xz", "lzma"):
        raise FormatProblem(f"{name}: unknown compression {kind}")
    multi = kind in ("gzip", "bz2", "xz")
    return bounded_decompress(Decoder(kind), data, limits, budget, name, multi_stream=multi)


def _lz4(data: bytes | memoryview, limits: Limits, budget: Budget, name: str) -> bytes:
    """LZ4 frames (joblib's lz4 compressor) under the same size, ratio and budget bounds."""
    from airlock.formats import lz4frame

    ratio_cap = max(RATIO_FLOOR, int(len(data) * limits.max_ratio))
    cap = min(limits.max_member_bytes, budget.remaining(), budget.room(), ratio_cap)
    try:
        out = lz4frame.decompress(data, cap)
    except lz4frame.Lz4Bomb as exc:
        budget.take(len(exc.partial))
        raise BombError(f"{name}: expands past the {cap}-byte limit") from None
    except lz4frame.Lz4Error as exc:
        budget.take(len(exc.partial))
        raise TruncatedStream(
            f"{name}: corrupt LZ4 data after {len(exc.partial)} bytes ({exc})", exc.partial
        ) from None
    budget.hold(len(out))
    budget.take(len(out))
    return out


# --- tar ----------------------------------------------------------------------------------------


def looks_like_tar(src: Source) -> bool:
    """POSIX/GNU magic at 257 and a valid header checksum (v7 tars without magic are ignored)."""
    head = src.head
    if len(head) < 512 or head[257:262] != b"ustar":
        return False
    try:
        stored = int(head[148:156].split(b"\0", 1)[0].strip() or b"-1", 8)
    except ValueError:
        return False
    calc = sum(head[:148]) + 8 * 32 + sum(head[156:512])
    return stored == calc


class TarMember:
    """One tar entry (immutable; a plain class, as ``ZipMember``)."""

    def __init__(
        self,
        name: str,
        offset: int,
        size: int,
        kind: str,  # "file", "sparse", "link", "dir", "other"
        link: str | None = None,  # symlink target, or the member a hard link names
        hard: bool = False,
    ) -> None:
        self.name: Final = name
        self.offset: Final = offset
        self.size: Final = size
        self.kind: Final = kind
        self.link: Final = link
        self.hard: Final = hard


def path_escape(name: str) -> str | None:
    """Why extracting a member called ``name`` writes outside the target directory (absolute
    path, drive letter, ``..`` climbing above the root), or ``None``. Both separators count:
    Windows extractors split on ``\\``."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":" and norm[0].isalpha()):
        return f"absolute path {name!r}"
    depth = 0
    for part in norm.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return f"{name!r} climbs out of the extraction directory"
        elif part not in ("", "."):
            depth += 1
    return None


MAX_LINK_HOPS = 40  # as the kernel's symlink limit
MAX_PATH_PARTS = 4096  # components walked per path (PATH_MAX / 1); deeper: not judged


def link_escapes(entries: list[tuple[str, str | None, bool]]) -> list[str]:
    """Why extracted members end up outside the extraction directory once the archive's links
    are followed as the file system follows them. ``entries``: (member name, link target or
    ``None``, hard link). A symbolic link resolves from its directory, a hard link from the root,
    and every path through the archive's own symbolic links: with ``a -> .``, ``a/../x`` leaves
    although its text stays inside (tar and unzip create both links; onnxruntime 1.17.3 then read
    external data through them)."""
    named = {_parts(n): t for n, t, hard in entries if t is not None and not hard}
    named_trie = _trie(named)
    links: dict[tuple[str, ...], str] = {}
    for parts, target in named.items():  # keyed where the link really lands (d -> . puts d/l at l)
        where = _resolve((), "/".join(parts[:-1]), named_trie)
        links[parts if where is None else (*where, *parts[-1:])] = target
    out: list[str] = []
    links_trie = _trie(links)
    for name, link, hard in entries:
        if not links and link is None:
            continue
        parts = _parts(name)
        if len(parts) > MAX_PATH_PARTS:
            out.append(f"{name[:80]!r}...: more than {MAX_PATH_PARTS} path components: not judged")
            continue
        where = _resolve((), "/".join(parts[:-1]), links_trie)
        if where is None:
            out.append(f"{name!r} is extracted outside the directory through the archive's links")
            continue
        if link is None:
            continue
        norm = link.replace("\\", "/")
        if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
            out.append(f"{name!r} links to absolute path {link!r}")
        elif _resolve(() if hard else where, link, links_trie) is None:
            out.append(f"{name!r} links outside the archive ({link!r})")
    return out


def link_contents(
    members: list[TarMember],
) -> tuple[list[tuple[str, TarMember]], list[str]]:
    """(link name, regular member) for every symbolic or hard link that extraction turns into
    a file with that member's bytes (links followed as :func:`link_escapes` follows them, and
    through hard links, which extract as a copy of whatever their target extracted as; every
    regular member of the target's name, since a later one may overwrite it), and why a hard
    link's chain could not be followed (longer than :data:`MAX_LINK_HOPS`; a dangling or
    looping chain extracts no file). A loader
    opens the link by its own name (NeMo's ``model_config.yaml`` linked to ``w.txt``), so its
    bytes are judged under that name too."""
    files: dict[tuple[str, ...], list[TarMember]] = {}
    hard: dict[tuple[str, ...], list[str]] = {}
    for m in members:
        if m.kind == "file":
            files.setdefault(_parts(m.name), []).append(m)
        elif m.kind == "link" and m.link is not None and m.hard:
            hard.setdefault(_parts(m.name), []).append(m.link)
    named = _trie({_parts(m.name): m.link for m in members if m.link is not None and not m.hard})
    out: list[tuple[str, TarMember]] = []
    problems: list[str] = []
    for m in members:
        if m.kind != "link" or m.link is None:
            continue
        start = () if m.hard else _parts(m.name)[:-1]
        todo, seen, hops = [(start, m.link)], set(), 0
        while todo:
            where = _resolve(*todo.pop(), named)
            if where is None or where in seen:
                continue  # outside (link_escapes reports it) or met already on this chain
            seen.add(where)
            out.extend((m.name, target) for target in files.get(where, []))
            hops += len(hard.get(where, []))
            if hops > MAX_LINK_HOPS:
                problems.append(f"{m.name!r}: chain of hard links longer than {MAX_LINK_HOPS}")
                break
            todo.extend(((), target) for target in hard.get(where, []))
    return out, problems


def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.replace("\\", "/").split("/") if p not in ("", "."))


_Trie = dict[str, "_Trie | str"]  # path component -> subtree; "" -> the link's target there


def _trie(links: dict[tuple[str, ...], str]) -> _Trie:
    """``links`` keyed component by component, so a walk looks each step up in O(1) instead of
    hashing the whole path so far (quadratic in its depth)."""
    root: _Trie = {}
    for parts, target in links.items():
        node = root
        for part in parts:
            child = node.setdefault(part, {})
            assert isinstance(child, dict)  # parts are never "" (see _parts)
            node = child
        node[""] = target
    return root


def _child(node: _Trie | None, part: str) -> _Trie | None:
    child = node.get(part) if node is not None else None
    return child if isinstance(child, dict) else None


def _resolve(start: tuple[str, ...], path: str, links: _Trie) -> tuple[str, ...] | None:
    """``path`` from directory ``start``, following ``links`` like realpath; ``None`` when it
    climbs above the root, meets an absolute link, loops, or walks more than
    :data:`MAX_PATH_PARTS` components (not judged: fail closed)."""
    if path.replace("\\", "/").startswith("/"):
        return None
    at = list(start)
    nodes: list[_Trie | None] = [links]  # nodes[i]: the trie under at[:i] (None: no link below)
    for part in start:
        nodes.append(_child(nodes[-1], part))
    pending = list(reversed(_parts(path)))  # a stack: the next component last
    hops, steps = 0, len(start)
    while pending:
        steps += 1
        if steps > MAX_PATH_PARTS:
            return None
        part = pending.pop()
        if part == "..":
            if not at:
                return None
            at.pop()
            nodes.pop()
            continue
        at.append(part)
        nodes.append(_child(nodes[-1], part))
        node = nodes[-1]
        target = node.get("") if node is not None else None
        if not isinstance(target, str):
            continue
        hops += 1
        norm = target.replace("\\", "/")
        if hops > MAX_LINK_HOPS or norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
            return None
        at.pop()
        nodes.pop()
        pending.extend(reversed(_parts(target)))
    return tuple(at)


def read_tar(src: Source, limits: Limits) -> list[TarMember]:
    """List members with their data offsets (regular files are then zero-copy slices)."""
    cached = src.cache.get("tar")
    if isinstance(cached, list):
        return cached
    import tarfile  # 15 ms: only when a tar is met

    members: list[TarMember] = []
    fileobj = _ViewReader(src)
    try:
        with tarfile.open(fileobj=fileobj, mode="r:") as tar:  # type: ignore[call-overload]
            while True:
                info = tar.next()
                if info is None:
                    break
                if info.isreg():
                    kind = "sparse" if info.issparse() else "file"
                elif info.isdir():
                    kind = "dir"
                elif info.issym() or info.islnk():
                    kind = "link"
                else:
                    kind = "other"
                link = info.linkname if kind == "link" else None
                members.append(
                    TarMember(info.name, info.offset_data, info.size, kind, link, info.islnk())
                )
                if len(members) > limits.max_members:
                    raise BombError(f"more than {limits.max_members} tar members")
    except (tarfile.TarError, EOFError, ValueError, OverflowError) as exc:
        if not members:
            raise FormatProblem(f"unreadable tar ({exc})") from None
    src.cache["tar"] = members
    return members


class _ViewReader:
    """A minimal read-only file over a Source (for very large tars; avoids BytesIO copies)."""

    def __init__(self, src: Source) -> None:
        self._src = src
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self._src.size - self._pos
        data = self._src.read_at(self._pos, n)
        self._pos += len(data)
        return data

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._src.size}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos
