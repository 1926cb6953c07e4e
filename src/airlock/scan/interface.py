"""The contract between the scan engine and one format handler (one module per format).

The engine wraps every object (a file on disk, or an archive member / decompressed stream in
memory) in a :class:`Source`, asks each registered handler in order whether it ``sniff``\\s the
object (magic bytes and structure, never the file name), hands it to the first that does, and
recurses into the :class:`Child` objects the handler returns. Handlers never execute or import
anything from the object: they only read bytes.

Writing a handler (see ``airlock.scan.registry``)::

    class GgufHandler:
        name = "gguf"
        def sniff(self, src: Source) -> bool:
            return src.head.startswith(b"GGUF")
        def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
            ...  # read with src.read_at / src.view(), never more than the limits allow
            return ScanOutcome(format="gguf", findings=[...])

Raise :class:`FormatProblem` (or return ``ScanOutcome(not_scanned=...)``) when the object cannot
be read; the engine turns an unparseable object into a finding, never into "clean".
"""

from __future__ import annotations

import mmap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from airlock.report import Finding

HEAD_BYTES = 4096


@dataclass(frozen=True)
class Limits:
    """Bounds for hostile input: every length, depth and count a handler reads is checked."""

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


_DEADLINE: ContextVar[float | None] = ContextVar("airlock_scan_deadline", default=None)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Scan the current top-level file within ``seconds`` (per thread/context: parallel files
    each have their own)."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def deadline() -> float | None:
    """When the current file's time budget runs out (``time.monotonic``), if one is set."""
    return _DEADLINE.get()


def out_of_time() -> bool:
    end = _DEADLINE.get()
    return end is not None and time.monotonic() > end


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


@dataclass(frozen=True)
class ScanContext:
    """Where an object sits: top-level ``location``, ``member`` chain inside archives (``a!b``),
    the on-disk path when the object is a real file (lets ONNX/Keras handlers look at siblings),
    nesting ``depth``, the ``limits`` and the expansion ``budget`` of the top-level file."""

    location: str
    member: str | None = None
    fs_path: Path | None = None
    depth: int = 0
    limits: Limits = Limits()
    budget: Budget = field(default_factory=lambda: Budget(Limits().max_expanded_bytes))

    def child(self, name: str) -> ScanContext:
        member = name if self.member is None else f"{self.member}!{name}"
        return ScanContext(self.location, member, None, self.depth + 1, self.limits, self.budget)


@dataclass
class Child:
    """A nested object for the engine to scan in turn.

    ``load`` produces its bytes only when the engine gets to it (so a 100-member archive never
    holds 100 members in memory); it may raise :class:`FormatProblem`. ``hint`` names the handler
    to use without sniffing (e.g. ``"pickle"`` for a PyTorch ``data.pkl`` that the loader will
    unpickle whatever it looks like); ``options`` are keyword arguments for that handler's
    ``scan`` (e.g. ``{"joblib": True}``). ``size`` is the expected size when known (for reports);
    ``crc`` the CRC-32 the container recorded for the bytes (zip), checked by the engine.
    """

    name: str
    load: Callable[[], bytes | memoryview]
    size: int | None = None
    hint: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    crc: int | None = None

    @staticmethod
    def of(name: str, data: bytes | memoryview, hint: str | None = None, **options: Any) -> Child:
        return Child(name, lambda: data, len(data), hint, dict(options))


@dataclass
class ScanOutcome:
    """What a handler found. ``not_scanned`` is a reason when the handler could not read the
    object completely (encrypted, too large, unsupported variant): never report such an object
    as clean. ``skipped`` lists members deliberately not read with the reason (e.g. tensor
    storages, which loaders copy as raw bytes), ``notes`` short facts for the report."""

    format: str
    findings: list[Finding] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    not_scanned: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class FormatHandler(Protocol):
    """One format. ``name`` is stable (it appears in reports and in ``Child.hint``)."""

    name: str

    def sniff(self, src: Source) -> bool:
        """True if this handler recognises the object, from ``src.head`` (first 4 KiB) and, when
        needed, a few small reads (``src.tail``, ``src.read_at``). Must be cheap and never raise."""
        ...

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        """Read the object and return findings, children to recurse into, or a not-scanned
        reason. Raise ``FormatProblem`` for broken structure. ``options`` come from ``Child``."""
        ...
