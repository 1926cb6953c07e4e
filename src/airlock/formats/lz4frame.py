"""A bounded, pure-Python LZ4 frame decoder (what ``joblib.dump(compress="lz4")`` writes).

Pure Python on purpose: the scanner reads hostile bytes and C decoders of untrusted input belong
in the sandbox. The caller gives the output cap; going past it raises :class:`Lz4Bomb`. Broken
frames raise :class:`Lz4Truncated` with what decoded before the break (a loader would have read
that much). Checksums are not verified: a frame lz4 would reject for a bad checksum is still
decoded and judged, which only ever shows more.
"""

from __future__ import annotations

MAGIC = b"\x04\x22\x4d\x18"
_SKIPPABLE = range(0x184D2A50, 0x184D2A60)
_BLOCK_MAX = {4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024}


class Lz4Error(ValueError):
    """The frame is malformed; ``partial`` is what decoded before the problem."""

    def __init__(self, message: str, partial: bytes = b"") -> None:
        super().__init__(message)
        self.partial = partial


class Lz4Truncated(Lz4Error):
    pass


class Lz4Bomb(Lz4Error):
    pass


def decompress(data: bytes | memoryview, cap: int) -> bytes:
    """All frames in ``data`` (concatenated frames decode as one, skippable frames are skipped),
    producing at most ``cap`` bytes."""
    buf = bytes(data)
    out = bytearray()
    pos = 0
    frames = 0
    while pos < len(buf):
        if len(buf) - pos < 4:
            raise Lz4Truncated("trailing bytes after the last frame", bytes(out))
        magic = int.from_bytes(buf[pos : pos + 4], "little")
        if magic in _SKIPPABLE:
            if len(buf) - pos < 8:
                raise Lz4Truncated("truncated skippable frame", bytes(out))
            pos += 8 + int.from_bytes(buf[pos + 4 : pos + 8], "little")
            continue
        if buf[pos : pos + 4] != MAGIC:
            if frames:
                break  # trailing data after a complete frame: not part of the stream
            raise Lz4Error("not an LZ4 frame")
        pos = _frame(buf, pos + 4, out, cap)
        frames += 1
    if not frames:
        raise Lz4Error("no LZ4 frame")
    return bytes(out)


def _frame(buf: bytes, pos: int, out: bytearray, cap: int) -> int:
    n = len(buf)
    if n - pos < 3:
        raise Lz4Truncated("truncated frame descriptor", bytes(out))
    flg, bd = buf[pos], buf[pos + 1]
    if flg >> 6 != 1 or flg & 0x02 or bd & 0x8F:
        raise Lz4Error("unsupported LZ4 frame descriptor", bytes(out))
    block_max = _BLOCK_MAX.get((bd >> 4) & 7)
    if block_max is None:
        raise Lz4Error("invalid LZ4 block size", bytes(out))
    block_checksum = bool(flg & 0x10)
    content_checksum = bool(flg & 0x04)
    pos += 2 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0) + 1  # sizes, dict id, HC
    if flg & 0x01:
        raise Lz4Error("LZ4 frames with a dictionary are not supported", bytes(out))
    while True:
        if n - pos < 4:
            raise Lz4Truncated("truncated block header", bytes(out))
        word = int.from_bytes(buf[pos : pos + 4], "little")
        pos += 4
        if word == 0:
            break
        size = word & 0x7FFFFFFF
        if size > block_max or n - pos < size:
            raise Lz4Truncated("block runs past the data or its declared maximum", bytes(out))
        block = buf[pos : pos + size]
        pos += size + (4 if block_checksum else 0)
        if word & 0x80000000:
            if len(out) + size > cap:
                raise Lz4Bomb("decompressed size over the limit", bytes(out[:cap]))
            out += block
        else:
            _block(block, out, cap, block_max)
    return pos + (4 if content_checksum else 0)


def _block(src: bytes, out: bytearray, cap: int, block_max: int) -> None:
    """One LZ4 block appended to ``out``; matches may reach back into earlier blocks."""
    i = 0
    n = len(src)
    limit = min(cap, len(out) + block_max)
    while i < n:
        token = src[i]
        i += 1
        lit = token >> 4
        if lit == 15:
            while True:
                if i >= n:
                    raise Lz4Truncated("truncated literal length", bytes(out))
                b = src[i]
                i += 1
                lit += b
                if b != 255:
                    break
        if i + lit > n:
            raise Lz4Truncated("literals run past the block", bytes(out))
        if len(out) + lit > limit:
            raise _over(out, cap, limit)
        out += src[i : i + lit]
        i += lit
        if i == n:
            return  # the last sequence has literals only
        if i + 2 > n:
            raise Lz4Truncated("truncated match offset", bytes(out))
        offset = src[i] | (src[i + 1] << 8)
        i += 2
        if offset == 0 or offset > len(out):
            raise Lz4Error("match offset outside the decoded data", bytes(out))
        mlen = token & 15
        if mlen == 15:
            while True:
                if i >= n:
                    raise Lz4Truncated("truncated match length", bytes(out))
                b = src[i]
                i += 1
                mlen += b
                if b != 255:
                    break
        mlen += 4
        if len(out) + mlen > limit:
            raise _over(out, cap, limit)
        start = len(out) - offset
        if offset >= mlen:
            out += out[start : start + mlen]
        else:  # overlapping copy: the last ``offset`` bytes repeat
            pattern = bytes(out[start:])
            reps = -(-mlen // offset)
            out += (pattern * reps)[:mlen]
    raise Lz4Truncated("block ends without its last literals", bytes(out))


def _over(out: bytearray, cap: int, limit: int) -> Lz4Error:
    if limit >= cap:
        return Lz4Bomb("decompressed size over the limit", bytes(out))
    return Lz4Error("block decodes past its declared maximum size", bytes(out))
