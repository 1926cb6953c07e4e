"""Bounded structural walkers for the images and audio samples model repositories ship (README
figures, demo clips): PNG, JPEG, GIF, RIFF (WebP, WAV), FLAC, MP3 and MP4.

No loader executes these files, so a walk only has to prove the bytes are what the magic says,
and where the media structure ends: whatever follows is handed back to the scanner to judge
(an image with a pickle or zip glued on must still be judged as that). Pixel and sample data
are never decoded. Every length is checked against the object before it is used.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from airlock.formats.source import FormatProblem

MAX_UNITS = 4_000_000  # chunks / segments / blocks / frames walked in one object
_WINDOW = 1 << 20


@dataclass(frozen=True)
class Media:
    """``kind`` (``png``, ``jpeg``...), where its structure ends, and a short description."""

    kind: str
    end: int
    what: str


def sniff_kind(head: bytes) -> str | None:
    """The media kind the first bytes claim (magic only), if any."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if head[8:12] == b"WEBP" else "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3"):
        return "mp3"
    first = _mp3_frame_len(head, 0)  # bare MPEG audio: two frames in a row
    if first is not None and _mp3_frame_len(head, first) is not None:
        return "mp3"
    return None


def read_media(buf: memoryview) -> Media:
    """Walk the media structure of ``buf``; ``FormatProblem`` if it does not hold."""
    kind = sniff_kind(bytes(buf[:16]))
    if kind is None:
        raise FormatProblem("no image or audio magic")
    return _READERS[kind](buf)


def _need(buf: memoryview, pos: int, n: int, what: str) -> None:
    if n < 0 or pos + n > len(buf):
        raise FormatProblem(f"{what} at {pos}: {n} bytes run past the end ({len(buf)} bytes)")


def _count(n: int, what: str) -> None:
    if n > MAX_UNITS:
        raise FormatProblem(f"more than {MAX_UNITS} {what}")


def _png(buf: memoryview) -> Media:
    pos, n, seen_idat = 8, 0, False
    while True:
        n += 1
        _count(n, "PNG chunks")
        _need(buf, pos, 8, "PNG chunk header")
        length, ctype = struct.unpack_from(">I4s", buf, pos)
        if length > 0x7FFFFFFF or not ctype.isalpha():
            raise FormatProblem(f"PNG chunk at {pos}: bad type {ctype!r} or length {length}")
        if n == 1 and (ctype != b"IHDR" or length != 13):
            raise FormatProblem("PNG does not start with a 13-byte IHDR chunk")
        _need(buf, pos + 8, length + 4, f"PNG chunk {ctype.decode()}")
        (crc,) = struct.unpack_from(">I", buf, pos + 8 + length)
        if zlib.crc32(buf[pos + 4 : pos + 8 + length]) != crc:
            raise FormatProblem(f"PNG chunk {ctype.decode()} at {pos}: CRC mismatch")
        seen_idat = seen_idat or ctype == b"IDAT"
        pos += 12 + length
        if ctype == b"IEND":
            break
    if not seen_idat:
        raise FormatProblem("PNG without image data (IDAT)")
    width, height = struct.unpack_from(">II", buf, 16)
    return Media("png", pos, f"PNG image {width}x{height}, {n} chunks")


def _find_marker(buf: memoryview, pos: int) -> int:
    """Position of the next JPEG marker (0xFF then not 0x00, not RSTn, not 0xFF) after entropy
    coded data starting at ``pos``."""
    end = len(buf)
    while pos < end:
        window = bytes(buf[pos : min(end, pos + _WINDOW)])
        i = window.find(b"\xff")
        while i != -1:
            if pos + i + 1 >= end:
                raise FormatProblem("JPEG entropy-coded data runs to the end (no EOI)")
            nxt = buf[pos + i + 1]
            if nxt != 0 and not 0xD0 <= nxt <= 0xD7 and nxt != 0xFF:
                return pos + i
            i = window.find(b"\xff", i + 1)
        pos += max(1, len(window) - 1)  # a 0xFF at the window's end is looked at again
    raise FormatProblem("JPEG entropy-coded data runs to the end (no EOI)")


def _jpeg(buf: memoryview) -> Media:
    pos, n, frame = 2, 0, ""
    while True:
        n += 1
        _count(n, "JPEG segments")
        _need(buf, pos, 2, "JPEG marker")
        if buf[pos] != 0xFF:
            raise FormatProblem(f"JPEG: expected a marker at {pos}, found {buf[pos]:#04x}")
        marker = buf[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            pos += 2
            break
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        _need(buf, pos + 2, 2, "JPEG segment length")
        (length,) = struct.unpack_from(">H", buf, pos + 2)
        if length < 2:
            raise FormatProblem(f"JPEG segment {marker:#04x} at {pos}: length {length}")
        _need(buf, pos + 2, length, f"JPEG segment {marker:#04x}")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and length >= 8:
            h, w = struct.unpack_from(">HH", buf, pos + 5)
            frame = f" {w}x{h}"
        pos += 2 + length
        if marker == 0xDA:
            pos = _find_marker(buf, pos)
    if not frame:
        raise FormatProblem("JPEG without a frame header (SOFn)")
    return Media("jpeg", pos, f"JPEG image{frame}, {n} segments")


def _sub_blocks(buf: memoryview, pos: int) -> int:
    n = 0
    while True:
        n += 1
        _count(n, "GIF sub-blocks")
        _need(buf, pos, 1, "GIF sub-block")
        size = buf[pos]
        if size == 0:
            return pos + 1
        _need(buf, pos + 1, size, "GIF sub-block")
        pos += 1 + size


def _gif(buf: memoryview) -> Media:
    _need(buf, 0, 13, "GIF header")
    width, height, flags = struct.unpack_from("<HHB", buf, 6)
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    images = n = 0
    while True:
        n += 1
        _count(n, "GIF blocks")
        _need(buf, pos, 1, "GIF block")
        intro = buf[pos]
        if intro == 0x3B:
            pos += 1
            break
        if intro == 0x21:
            _need(buf, pos, 2, "GIF extension")
            pos = _sub_blocks(buf, pos + 2)
        elif intro == 0x2C:
            _need(buf, pos, 11, "GIF image descriptor")
            local = buf[pos + 9]
            pos += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            _need(buf, pos, 1, "GIF LZW code size")
            pos = _sub_blocks(buf, pos + 1)
            images += 1
        else:
            raise FormatProblem(f"GIF: unknown block {intro:#04x} at {pos}")
    if not images:
        raise FormatProblem("GIF without an image")
    return Media("gif", pos, f"GIF image {width}x{height}, {images} frame(s)")


def _riff(buf: memoryview) -> Media:
    _need(buf, 0, 12, "RIFF header")
    (size,) = struct.unpack_from("<I", buf, 4)
    form = bytes(buf[8:12])
    if form == b"WAVE" and size in (0, 0xFFFFFFFF):  # streaming writers leave the size unset
        size = len(buf) - 8
    end = 8 + size + (size & 1)
    if size < 4 or 8 + size > len(buf):
        raise FormatProblem(f"RIFF size {size} does not fit the file ({len(buf)} bytes)")
    end = min(end, len(buf))
    pos, ids = 12, list[bytes]()
    while pos < 8 + size:
        _count(len(ids), "RIFF chunks")
        _need(buf, pos, 8, "RIFF chunk header")
        cid, length = struct.unpack_from("<4sI", buf, pos)
        if cid == b"data" and length == 0xFFFFFFFF and form == b"WAVE":
            length = 8 + size - pos - 8  # streamed: the samples run to the end
        if 8 + length > 8 + size - pos:
            raise FormatProblem(f"RIFF chunk {cid!r} at {pos}: {length} bytes past the RIFF end")
        ids.append(cid)
        pos += 8 + length + (length & 1)
    if form == b"WAVE":
        if b"fmt " not in ids or b"data" not in ids:
            raise FormatProblem("WAV without 'fmt ' and 'data' chunks")
        return Media("wav", end, f"WAV audio, {len(ids)} chunks")
    if not ids or ids[0] not in (b"VP8 ", b"VP8L", b"VP8X"):
        raise FormatProblem("WebP does not start with a VP8/VP8L/VP8X chunk")
    return Media("webp", end, f"WebP image ({ids[0].decode().strip()}), {len(ids)} chunks")


def _flac(buf: memoryview) -> Media:
    pos, n = 4, 0
    while True:
        n += 1
        _count(n, "FLAC metadata blocks")
        _need(buf, pos, 4, "FLAC metadata block header")
        (word,) = struct.unpack_from(">I", buf, pos)
        last, btype, length = word >> 31, (word >> 24) & 0x7F, word & 0xFFFFFF
        if btype == 127 or (n == 1 and (btype != 0 or length != 34)):
            raise FormatProblem(f"FLAC metadata block type {btype} at {pos}")
        _need(buf, pos + 4, length, "FLAC metadata block")
        pos += 4 + length
        if last:
            break
    # audio frames follow to the end; their bodies are sample data nothing executes
    if pos < len(buf) and (
        len(buf) - pos < 2 or bytes(buf[pos : pos + 2]) not in (b"\xff\xf8", b"\xff\xf9")
    ):
        raise FormatProblem(f"FLAC: no frame sync after the metadata at {pos}")
    return Media("flac", len(buf), f"FLAC audio, {n} metadata blocks")


_MP3_BITRATES = {  # (version is MPEG-1, layer) -> kbit/s by index
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame_len(buf: bytes | memoryview, pos: int) -> int | None:
    """Length of the MPEG audio frame whose header is at ``pos`` (``None``: no valid header)."""
    if pos + 4 > len(buf) or buf[pos] != 0xFF or buf[pos + 1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (buf[pos + 1] >> 3) & 3, (buf[pos + 1] >> 1) & 3
    rate_i, sr_i, pad = buf[pos + 2] >> 4, (buf[pos + 2] >> 2) & 3, (buf[pos + 2] >> 1) & 1
    if version == 1 or layer_bits == 0 or rate_i in (0, 15) or sr_i == 3:
        return None
    layer = 4 - layer_bits
    kbps = _MP3_BITRATES[(version == 3, layer)][rate_i]
    rate = _MP3_RATES[version][sr_i]
    if layer == 1:
        return (12 * kbps * 1000 // rate + pad) * 4
    per = 144 if version == 3 or layer == 2 else 72
    return per * kbps * 1000 // rate + pad


def _mp3(buf: memoryview) -> Media:
    pos = 0
    if bytes(buf[:3]) == b"ID3":
        _need(buf, 0, 10, "ID3 header")
        size_bytes = bytes(buf[6:10])
        if any(b & 0x80 for b in size_bytes):
            raise FormatProblem("ID3 size is not sync-safe")
        size = (size_bytes[0] << 21) | (size_bytes[1] << 14) | (size_bytes[2] << 7) | size_bytes[3]
        pos = 10 + size + (10 if buf[5] & 0x10 else 0)
        _need(buf, 0, pos, "ID3 tag")
        while pos < len(buf) and buf[pos] == 0:  # padding some taggers leave after the tag
            pos += 1
        if bytes(buf[pos : pos + 4]) == b"fLaC":  # FLAC with an ID3v2 tag in front
            flac = _flac(buf[pos:])
            return Media("flac", pos + flac.end, flac.what + " (ID3 tag)")
    frames = 0
    while pos < len(buf):
        length = _mp3_frame_len(buf, pos)
        if length is None or length < 4:
            break
        frames += 1
        _count(frames, "MP3 frames")
        if pos + length > len(buf):
            pos = len(buf)  # a last frame cut short is common and harmless
            break
        pos += length
    if not frames:
        raise FormatProblem("MP3 without a valid MPEG audio frame")
    if len(buf) - pos >= 128 and bytes(buf[pos : pos + 3]) == b"TAG":
        pos += 128  # ID3v1
    return Media("mp3", pos, f"MP3 audio, {frames} frames")


_MP4_TOP = frozenset({b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta",
                      b"moof", b"mfra", b"sidx", b"styp", b"pdin", b"prft", b"emsg", b"udta"})


def _mp4(buf: memoryview) -> Media:
    """ISO base media (MP4/MOV demo clips): top-level boxes walked by their sizes."""
    pos, boxes, seen = 0, 0, set()
    while pos < len(buf):
        boxes += 1
        _count(boxes, "MP4 boxes")
        _need(buf, pos, 8, "MP4 box header")
        size, btype = struct.unpack_from(">I4s", buf, pos)
        header = 8
        if size == 1:
            _need(buf, pos, 16, "MP4 large box header")
            (size,) = struct.unpack_from(">Q", buf, pos + 8)
            header = 16
        elif size == 0:
            size = len(buf) - pos  # the last box runs to the end
        if btype not in _MP4_TOP or size < header:
            raise FormatProblem(f"MP4: box {btype!r} of {size} bytes at {pos}")
        _need(buf, pos, size, f"MP4 box {btype.decode()}")
        seen.add(btype)
        pos += size
    if b"moov" not in seen and b"moof" not in seen:
        raise FormatProblem("MP4 without a movie box (moov)")
    return Media("mp4", pos, f"MP4/QuickTime video, {boxes} top-level boxes")


_READERS = {
    "png": _png,
    "jpeg": _jpeg,
    "gif": _gif,
    "webp": _riff,
    "wav": _riff,
    "flac": _flac,
    "mp3": _mp3,
    "mp4": _mp4,
}
