"""A :class:`Source` over bytes that are not on this machine (a remote file read by ranges).

The scanner's handlers read objects through ``Source``: ``head``, ``read_at``, ``tail`` and
``view()``. Here ``read_at``/``tail`` go through a bounded LRU cache of fixed blocks fetched on
demand, and ``view()`` is a :class:`LazyBytes`: sliced and indexed like a memoryview, fetching
only what is touched. Container handlers run unchanged on it (a zip's directory, a tar's
headers, a compressed stream fed chunk by chunk to its decoder). A stored member is copied
into memory when small (``IN_MEMORY``); a larger one is scanned in place as an object of its
own (``LazyBytes.source``: a ``RangedSource`` over its span, the same block cache) when every
reading the engine takes of it runs on ranges (``engine.RANGED_READERS``: pickles, arrays,
text, nested zips, tars and compressed streams); only a member whose parser wants a buffer
(safetensors, GGUF, ONNX, HDF5, JSON...) is spooled to one temporary file in the staging folder
(bounded by the staging limit, unlinked at once, gone when unmapped) and scanned mapped from
there, as a local file's member is. Either way the verdict is the local one. Blocks are hashed
in file order as they arrive, and
``finish_digest`` fetches whatever was never read, so the sha256 always names the whole file.
"""

from __future__ import annotations

import mmap
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine imports this module for ``LazyBytes`` on every scan: a local
    # scan loads neither the thread pool, the hashers nor tempfile (start-up, issue 12)
    from concurrent.futures import Future, ThreadPoolExecutor

from airlock.formats.source import HEAD_BYTES, Budget, Source

BLOCK = 1024**2  # a scan reads on: large blocks, few requests
PROBE_BLOCK = 64 * 1024  # telling a format: small scattered reads (a zip's local headers)
CACHE_BYTES = 32 * 1024**2  # fetched blocks kept at once
FETCH_MAX = 8 * 1024**2  # one request fetches at most this many missing bytes

IN_MEMORY = 8 * 1024**2  # stored members up to this size are copied into memory (then: by ranges)

Fetch = Callable[[int, int], bytes]  # bytes [start, end), exactly that many, or an error


class Spool:
    """Disk room for stored members too large to copy into memory: a folder and a byte bound
    shared by every file of one model (what is left of the staging limit)."""

    def __init__(self, directory: Path, room: int) -> None:
        self.directory = directory
        self._room = room
        self._lock = threading.Lock()

    def take(self, n: int) -> bool:
        with self._lock:
            if n > self._room:
                return False
            self._room -= n
            return True

    def give(self, n: int) -> None:
        with self._lock:
            self._room += n


class BlockReader:
    """Fetched blocks of one remote file: a bounded LRU cache, with the sha256 (and git blob
    sha1, when asked) of the file advanced over blocks as they arrive in order."""

    def __init__(
        self,
        size: int,
        fetch: Fetch,
        *,
        git_sha1: bool = False,
        block: int = BLOCK,
        read_ahead: bool = False,
    ) -> None:
        self.size = size
        self.block = block
        self.spool: Spool | None = None  # where large stored members go (``LazyBytes.local``)
        self.cache_blocks = max(2, CACHE_BYTES // block)
        self._raw_fetch = fetch
        # the first read that failed or returned other bytes: a sniff that swallows it (a
        # sniff that raises is a "no") could pick another format, so the caller refuses the
        # scan whenever one happened (``streaming.scan_one``: fail closed)
        self.error: BaseException | None = None
        self._blocks: OrderedDict[int, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.fetched = 0  # bytes fetched so far (blocks fetched again count again)
        import hashlib

        self._sha = hashlib.sha256()
        self._git: Any = None
        if git_sha1:
            self._git = hashlib.sha1()  # noqa: S324 - git's blob id, compared only
            self._git.update(b"blob %d\0" % size)
        self._hashed = 0  # every byte before this offset went into the hashers
        # a fingerprint of every block as first received: a block fetched again (evicted, or
        # read for the digest after the scan) must be the same bytes, or the scan and the
        # digest would describe two files (a server may answer each request differently)
        self._seen: dict[int, bytes] = {}
        self._read_ahead = read_ahead
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: tuple[int, int, Future[bytes]] | None = None  # start, end, request
        self._last_end = -1  # where the last request ended

    def _failed(self, exc: BaseException) -> BaseException:
        if self.error is None:
            self.error = exc
        return exc

    def _fetch(self, start: int, end: int) -> bytes:
        try:
            data = self._raw_fetch(start, end)
        except BaseException as exc:
            raise self._failed(exc) from None
        if len(data) != end - start:
            raise self._failed(OSError(f"range {start}-{end}: {len(data)} bytes received"))
        return data

    def _hash(self, start: int, data: bytes) -> None:
        if start == self._hashed:
            self._sha.update(data)
            if self._git is not None:
                self._git.update(data)
            self._hashed += len(data)
            nxt = self._blocks.get(self._hashed // self.block)
            while nxt is not None and self._hashed < self.size:  # cached blocks further on
                self._sha.update(nxt)
                if self._git is not None:
                    self._git.update(nxt)
                self._hashed += len(nxt)
                nxt = self._blocks.get(self._hashed // self.block)

    def _admit(self, first: int, data: bytes) -> None:
        """Check ``data`` (blocks from ``first`` on) against what earlier requests returned."""
        import hashlib

        for k, off in enumerate(range(0, len(data), self.block), first):
            mark = hashlib.blake2b(data[off : off + self.block], digest_size=16).digest()
            if self._seen.setdefault(k, mark) != mark:
                raise self._failed(
                    OSError(
                        f"bytes {k * self.block}-{min(self.size, (k + 1) * self.block)} changed "
                        "between two reads: the source served different content for the same range"
                    )
                )

    def _take(self, a: int, b: int) -> bytes:
        """Bytes from ``a`` (block-aligned) to ``b`` or beyond: the read-ahead when it starts at
        ``a``, else a request. Two requests in a row (a scan reading on) start a read-ahead of
        the next ``FETCH_MAX`` bytes, fetched while the scan works on these."""
        ahead = self._ahead
        if ahead is not None and ahead[0] == a:
            self._ahead = None
            try:
                data = ahead[2].result()  # its error, if any, is this read's
            except BaseException as exc:
                raise self._failed(exc) from None
            want = ahead[1]
        else:
            self._ahead = None  # the scan went elsewhere: a stale read-ahead is dropped
            data, want = self._fetch(a, b), b
        if len(data) != want - a:
            raise self._failed(OSError(f"range {a}-{want}: {len(data)} bytes received"))
        self._admit(a // self.block, data)
        self.fetched += len(data)
        end = a + len(data)
        if self._read_ahead and a == self._last_end and end < self.size and self._ahead is None:
            k, stop = end // self.block, min(self.size, end + FETCH_MAX)
            while k * self.block < stop and k not in self._blocks:  # up to a cached block
                k += 1
            nxt = min(stop, k * self.block)
        else:
            nxt = end
        if nxt > end:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(1, thread_name_prefix="airlock-ahead")
            # a read-ahead's error counts only if the scan comes to use it (above)
            self._ahead = (end, nxt, self._pool.submit(self._raw_fetch, end, nxt))
        self._last_end = end
        return data

    def _load(self, first: int, last: int) -> None:
        """Blocks ``first..last`` into the cache, fetching runs of missing ones at once."""
        i = first
        run = max(1, FETCH_MAX // self.block)
        while i <= last:
            if i in self._blocks:
                self._blocks.move_to_end(i)
                i += 1
                continue
            j = i
            while j + 1 <= last and j + 1 not in self._blocks and j + 1 - i < run:
                j += 1
            a, b = i * self.block, min(self.size, (j + 1) * self.block)
            data = self._take(a, b)
            k = i
            for off in range(0, len(data), self.block):
                piece = data[off : off + self.block]
                if k not in self._blocks:
                    self._blocks[k] = piece
                    self._hash(k * self.block, piece)
                k += 1
            # a read-ahead may bring blocks past ``last``: room for them beyond this round's
            while len(self._blocks) > max(self.cache_blocks, last - first + 1) + run:
                self._blocks.popitem(last=False)
            i = min(j + 1, k)  # a shorter read-ahead: the rest of the run is fetched next

    def close(self) -> None:
        """Wait for a read-ahead in flight and drop the cache."""
        with self._lock:
            pool, self._pool, self._ahead = self._pool, None, None
            self._blocks.clear()
        if pool is not None:
            pool.shutdown(wait=True)

    def prefetch(self, start: int, end: int) -> None:
        """Blocks covering ``[start, end)`` into the cache; the request runs outside the lock, so
        several prefetches go at once (head and tail of a file: one round trip)."""
        a = max(0, start) // self.block * self.block
        b = min(self.size, -(-min(self.size, end) // self.block) * self.block)
        if b <= a:
            return
        data = self._fetch(a, b)
        if len(data) != b - a:
            raise OSError(f"range {a}-{b}: {len(data)} bytes received")
        with self._lock:
            self._admit(a // self.block, data)
            self.fetched += len(data)
            for k in range(a // self.block, -(-b // self.block)):
                piece = data[k * self.block - a : (k + 1) * self.block - a]
                if k not in self._blocks:
                    self._blocks[k] = piece
                    self._hash(k * self.block, piece)
            while len(self._blocks) > self.cache_blocks:
                self._blocks.popitem(last=False)

    def seed(self, start: int, data: bytes) -> None:
        """Bytes of this file fetched before (the judge's probe of its head and tail): the
        whole blocks they cover enter the cache, fingerprinted and hashed as if fetched now."""
        end = start + len(data)
        with self._lock:
            k = -(-start // self.block)
            while k * self.block < min(end, self.size):
                a, b = k * self.block, min(self.size, (k + 1) * self.block)
                if b > end:
                    break
                if k not in self._blocks:
                    piece = data[a - start : b - start]
                    self._admit(k, piece)
                    self._blocks[k] = piece
                    self._hash(a, piece)
                k += 1
            while len(self._blocks) > self.cache_blocks:
                self._blocks.popitem(last=False)

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)`` clipped to the file."""
        start, end = max(0, start), min(self.size, end)
        if end <= start:
            return b""
        k = start // self.block
        if (end - 1) // self.block == k:  # inside one block: the common small read
            with self._lock:
                self._load(k, k)
                return self._blocks[k][start - k * self.block : end - k * self.block]
        return bytes(self.read_buffer(start, end))

    def read_buffer(self, start: int, end: int) -> bytearray:
        """Bytes ``[start, end)`` clipped to the file, in one buffer (no second copy)."""
        start, end = max(0, start), min(self.size, end)
        out = bytearray()
        if end <= start:
            return out
        with self._lock:
            pos = start
            while pos < end:  # at most self.cache_blocks blocks pinned per round
                first = pos // self.block
                last = min((end - 1) // self.block, first + self.cache_blocks - 1)
                self._load(first, last)
                for k in range(first, last + 1):
                    block = self._blocks[k]
                    a = max(pos, k * self.block) - k * self.block
                    b = min(end, (k + 1) * self.block) - k * self.block
                    out += block[a:b]
                pos = min(end, (last + 1) * self.block)
        return out

    def finish_digest(self) -> tuple[str, str | None]:
        """The file's sha256 (and git blob sha1): bytes never read are fetched now, in order."""
        try:
            with self._lock:
                while self._hashed < self.size:
                    a = self._hashed
                    cached = self._blocks.get(a // self.block)
                    if cached is not None and a % self.block == 0:
                        self._hash(a, cached)  # and the cached blocks after it
                        continue
                    b, stop = a, min(self.size, a + FETCH_MAX)
                    while b < stop and (b // self.block) not in self._blocks:  # up to a cached one
                        b = min(stop, (b // self.block + 1) * self.block)
                    self._hash(a, self._take(a, b))
        finally:
            self.close()
        return self._sha.hexdigest(), (self._git.hexdigest() if self._git is not None else None)


class LazyBytes:
    """Bytes ``[start, stop)`` of a remote file, read only where sliced or indexed.

    Supports what the container readers do with a view: ``len``, ``x[i]``, ``x[a:b]`` (another
    ``LazyBytes``) and ``bytes(x)``. It is not a buffer: code that needs one
    (``memoryview(x)``) fails loudly, and the engine hands such code a member in memory or
    spooled to disk instead (``local``)."""

    __slots__ = ("_reader", "_start", "_stop")

    def __init__(self, reader: BlockReader, start: int, stop: int) -> None:
        self._reader = reader
        self._start = start
        self._stop = max(start, stop)

    def __len__(self) -> int:
        return self._stop - self._start

    def __getitem__(self, key: int | slice) -> Any:
        n = len(self)
        if isinstance(key, slice):
            a, b, step = key.indices(n)
            if step != 1:
                raise ValueError("LazyBytes: only contiguous slices")
            return LazyBytes(self._reader, self._start + a, self._start + max(a, b))
        i = key + n if key < 0 else key
        if not 0 <= i < n:
            raise IndexError("LazyBytes index out of range")
        return self._reader.read(self._start + i, self._start + i + 1)[0]

    def __bytes__(self) -> bytes:
        return self._reader.read(self._start, self._stop)

    def tobytes(self) -> bytes:
        return bytes(self)

    def materialise(self, budget: Budget) -> bytearray:
        """These bytes in memory, held against the scan's memory bound; past it the object is
        not scanned (``BombError``), as an expanded member past it is."""
        from airlock.formats.archive import BombError

        n = len(self)
        if n > budget.room():
            raise BombError(
                f"{n:,} bytes read from a remote source would exceed the memory budget "
                f"({budget.resident:,} bytes held at once): judge it with --download"
            )
        budget.hold(n)
        return self._reader.read_buffer(self._start, self._stop)

    def local(self, budget: Budget) -> bytes | bytearray | Spooled:
        """These bytes as a buffer a nested handler can take, as a local file's stored member
        is one (a mapped slice, not held against the memory bound): small ones in memory,
        larger ones spooled to disk. Without a spool, held in memory against the bound
        (``materialise``)."""
        n = len(self)
        spool = self._reader.spool
        if spool is None:
            return self.materialise(budget)
        if n <= IN_MEMORY:
            return self._reader.read_buffer(self._start, self._stop)
        if not spool.take(n):
            from airlock.formats.archive import BombError

            raise BombError(
                f"{n:,} bytes read from a remote source would take the staging folder past its "
                "bound (AIRLOCK_STAGING_MAX_BYTES): judge it with --download"
            )
        try:
            return Spooled(self, spool)
        except BaseException:
            spool.give(n)
            raise

    def source(self) -> RangedSource:
        """These bytes as an object of their own, read by ranges (a large stored member scanned
        as a top-level remote file is: nothing copied, nothing on disk)."""
        return RangedSource(self._reader, self._start, self._stop)

    def crc32(self, stop: Callable[[], bool] = lambda: False) -> int | None:
        """The zip CRC-32 of these bytes, read through in order ``FETCH_MAX`` at a time (the
        blocks read feed the file's digest and stay cached for the scan that follows, up to
        ``CACHE_BYTES``). ``None`` when ``stop()`` says time is up."""
        import zlib

        crc, pos = 0, self._start
        while pos < self._stop:
            if stop():
                return None
            end = min(self._stop, pos + FETCH_MAX)
            crc = zlib.crc32(self._reader.read_buffer(pos, end), crc)
            pos = end
        return crc & 0xFFFFFFFF

    def paged(self) -> Paged:
        """These bytes for code that indexes them byte by byte (the pickle analyser)."""
        return Paged(self._reader, self._start, self._stop)

    def release(self) -> None:
        pass


class Paged:
    """Bytes ``[start, stop)`` of a remote file for a reader that walks them byte by byte (the
    pickle analyser): ``x[i]`` is served from the block holding ``i`` (kept until the reader
    leaves it), ``x[a:b]`` is ``bytes``. Memory is the reader's bounded block cache whatever
    the file's size; nothing goes to disk. Offsets are relative to ``start``, as on a slice
    of a local file's mapping, so an analysis sees the same positions and the same bytes."""

    __slots__ = ("_blk", "_hi", "_lo", "_n", "_reader", "_start")

    def __init__(self, reader: BlockReader, start: int, stop: int) -> None:
        self._reader = reader
        self._start = start
        self._n = max(0, stop - start)
        self._lo = self._hi = 0  # the current block, in this view's offsets
        self._blk = b""

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        if type(i) is int and self._lo <= i < self._hi:  # the common case: one byte, this block
            return self._blk[i - self._lo]
        return self._other(i)

    def _other(self, i: Any) -> Any:
        n = self._n
        if isinstance(i, slice):
            a, b, step = i.indices(n)
            if step != 1:
                raise ValueError("Paged: only contiguous slices")
            if b <= a:
                return b""
            if self._lo <= a and b <= self._hi:
                return self._blk[a - self._lo : b - self._lo]
            return self._reader.read(self._start + a, self._start + b)
        j = i + n if i < 0 else i
        if not 0 <= j < n:
            raise IndexError("Paged index out of range")
        size, bs = self._reader.size, self._reader.block
        k = (self._start + j) // bs
        blk = self._reader.read(k * bs, min(size, (k + 1) * bs))
        lo = k * bs - self._start
        if lo < 0:
            blk, lo = blk[-lo:], 0
        if lo + len(blk) > n:
            blk = blk[: n - lo]
        self._lo, self._hi, self._blk = lo, lo + len(blk), blk
        return blk[j - lo]

    def prefix(self, n: int) -> Paged:
        """The first ``n`` bytes (a capped analysis), as ``memoryview(x)[:n]`` would be."""
        return Paged(self._reader, self._start, self._start + min(max(0, n), self._n))


class Spooled:
    """A member's bytes in an unlinked temporary file, mapped read-only; ``close`` unmaps it
    (the disk space goes with the mapping) and gives its room back to the spool."""

    def __init__(self, data: LazyBytes, spool: Spool) -> None:
        self.size = len(data)
        self._spool = spool
        import tempfile

        fd, name = tempfile.mkstemp(prefix="airlock-member-", dir=spool.directory)
        try:
            os.unlink(name)  # nothing left behind, whatever happens next
            reader, pos, stop = data._reader, data._start, data._stop
            while pos < stop:
                end = min(stop, pos + FETCH_MAX)
                chunk = memoryview(reader.read_buffer(pos, end))
                while chunk:
                    chunk = chunk[os.write(fd, chunk) :]
                pos = end
            self.map = mmap.mmap(fd, self.size, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Unmap, then give the room back; with a view still exported the bytes stay mapped
        (on disk) until the last view goes, and so does their room in the spool's bound."""
        try:
            self.map.close()
        except BufferError:  # unmapped when the map object is collected: room back then
            import weakref

            weakref.finalize(self.map, self._spool.give, self.size)
            return
        self._spool.give(self.size)


class RangedSource(Source):
    """An object read by ranges (see the module docstring): a top-level remote file, or bytes
    ``[start, stop)`` of one (a large stored member, offsets relative to ``start``)."""

    def __init__(
        self, reader: BlockReader, start: int = 0, stop: int | None = None
    ) -> None:  # no super().__init__: nothing mapped
        self.reader = reader
        self.start = start
        self.stop = reader.size if stop is None else max(start, min(stop, reader.size))
        self.size = self.stop - start
        self.path = None
        self.head = reader.read(start, min(self.stop, start + HEAD_BYTES))
        self.cache: dict[str, Any] = {}

    def view(self) -> memoryview:
        return LazyBytes(self.reader, self.start, self.stop)  # type: ignore[return-value]

    def read_at(self, offset: int, n: int) -> bytes:
        if offset < 0 or n <= 0 or offset >= self.size:
            return b""
        return self.reader.read(self.start + offset, self.start + min(self.size, offset + n))

    def tail(self, n: int) -> bytes:
        return self.reader.read(self.stop - min(max(0, n), self.size), self.stop)

    def crc32(self, stop: Callable[[], bool] = lambda: False) -> int | None:
        """The zip CRC-32 of these bytes (``LazyBytes.crc32``)."""
        return LazyBytes(self.reader, self.start, self.stop).crc32(stop)

    def release(self) -> None:
        pass
