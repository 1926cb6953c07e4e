"""Byte sources and budgets shared by the format readers and the scan engine: the object being
read (:class:`Source`), the bounds for hostile input (:class:`Limits`), the expansion budget of
one top-level file (:class:`Budget`) and :class:`FormatProblem`. They live here, below both, so
that readers such as ``formats.archive`` never import the engine above them.
"""

import mmap
import threading
from pathlib import Path
from typing import Any, NamedTuple

HEAD_BYTES = 4096


class Limits(NamedTuple):
    """Bounds for hostile input: every length, depth and count a handler reads is checked.

    Immutable records on the scan's start-up path are NamedTuples: as frozen, comparable and
    hashable as a frozen dataclass, without the six methods a frozen dataclass compiles at
    import on Python 3.11 (~0.8 ms each; most of a small scan is start-up, BENCHMARKS.md)."""

    max_depth: int = 8
    max_members: int = 100_000
    max_member_bytes: int = 2 * 1024**3
    max_expanded_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0
    max_pickle_bytes: int = 384 * 1024**2  # opcode bytes read (mapped pages count as memory)
    max_pickle_ops: int = 50_000_000
    max_memo: int = 1_000_000
    max_json_bytes: int = 256 * 1024**2
    # expanded (decompressed) data held in memory at once, nested containers included: the
    # peak-memory bound (a member that would need more is not scanned, never an OOM kill)
    max_resident_bytes: int = 320 * 1024**2
    # wall-clock seconds for one top-level file and everything nested in it: past it the
    # objects not yet judged are not scanned (a slow hostile input costs time, never a pass)
    max_seconds: float = 300.0


class FormatProblem(Exception):
    """A handler recognised the object but its structure is broken or hostile.

    The engine records the object as not scanned with this message and adds an
    "unparseable file" finding: a loader might still accept what we could not read.
    """


_PROCESS_LOCK = threading.Lock()
_PROCESS_HELD = [0]  # expanded bytes held by every Budget of this process


class Budget:
    """Bytes a whole top-level file may expand to (shared by every nested archive in it).

    Zip bombs (including overlapping-entry bombs) are stopped here rather than per member.
    """

    def __init__(self, limit: int, resident: int | None = None, *, shared: bool = False) -> None:
        self.limit = limit
        self.used = 0
        self.shared = shared  # counts toward the process-wide bound (the engine's budgets)
        self.resident = Limits().max_resident_bytes if resident is None else resident
        self.held = 0  # expanded bytes alive right now (released by the engine after use)

    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def take(self, n: int) -> None:
        self.used += n

    def room(self) -> int:
        """Expanded bytes that may still be held in memory at once: by this file, and by all
        files scanned in parallel threads of this process (the bound is per process)."""
        own = self.resident - self.held
        if not self.shared:
            return max(0, own)
        with _PROCESS_LOCK:
            return max(0, min(own, self.resident - _PROCESS_HELD[0]))

    def hold(self, n: int) -> None:
        self.held += n
        if self.shared:
            with _PROCESS_LOCK:
                _PROCESS_HELD[0] += n

    def release_to(self, mark: int) -> None:
        """Back to ``mark`` held bytes (the engine, once a nested object is judged)."""
        if self.shared:
            with _PROCESS_LOCK:
                _PROCESS_HELD[0] -= max(0, self.held - mark)
        self.held = min(self.held, mark)


class Source:
    """Random-access bytes of one object: a memory-mapped file, or data in memory.

    ``view()`` is zero-copy (pages of a mapped file are read only when touched), so a handler that
    needs 2 KiB of a 10 GiB file reads 2 KiB. ``cache`` lets ``sniff`` hand parsed structures to
    ``scan`` (e.g. a zip directory) so nothing is parsed twice.
    """

    def __init__(self, data: bytes | bytearray | memoryview | mmap.mmap, path: Path | None = None):
        self._view = memoryview(data).cast("B") if not isinstance(data, memoryview) else data
        self.size = len(self._view)
        self.path = path
        self.head = bytes(self._view[:HEAD_BYTES])
        self.cache: dict[str, Any] = {}

    def view(self) -> memoryview:
        """The whole object as a read-only buffer (no copy)."""
        return self._view

    def read_at(self, offset: int, n: int) -> bytes:
        """Up to ``n`` bytes at ``offset`` (fewer at the end; empty outside the object)."""
        if offset < 0 or n <= 0 or offset >= self.size:
            return b""
        return bytes(self._view[offset : offset + n])

    def tail(self, n: int) -> bytes:
        """The last ``n`` bytes (or the whole object when it is shorter)."""
        return bytes(self._view[max(0, self.size - n) :])

    def release(self) -> None:
        """Drop the buffer (lets a mapped file be closed)."""
        self._view.release()
