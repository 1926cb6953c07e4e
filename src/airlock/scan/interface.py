"""The contract between the scan engine and one format handler (one module per format).

The engine sniffs each object (a file on disk or an archive member) by magic bytes and structure,
hands it to the first handler whose ``sniff`` accepts it, and recurses into the ``children`` the
handler returns (archive members, byte strings that hold nested pickles/zips/npys). Handlers never
execute or import anything from the object; they read bytes through a seekable binary file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from airlock.report import Finding


@dataclass(frozen=True)
class Limits:
    """Bounds for hostile input: every length, depth and count a handler reads is checked."""

    max_depth: int = 8
    max_members: int = 100_000
    max_member_bytes: int = 2 * 1024**3
    max_expanded_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0
    max_pickle_bytes: int = 512 * 1024**2
    max_pickle_ops: int = 50_000_000
    max_memo: int = 1_000_000
    max_json_bytes: int = 256 * 1024**2


@dataclass(frozen=True)
class ScanContext:
    """Where an object sits: top-level ``location``, ``member`` chain inside archives (``a!b``),
    the on-disk path when the object is a real file (lets ONNX/Keras handlers look at siblings)."""

    location: str
    member: str | None = None
    fs_path: Path | None = None
    depth: int = 0
    limits: Limits = Limits()

    def child(self, name: str) -> ScanContext:
        member = name if self.member is None else f"{self.member}!{name}"
        return ScanContext(self.location, member, None, self.depth + 1, self.limits)


@dataclass
class Child:
    """A nested object for the engine to scan in turn (data in memory, bounded by the limits)."""

    name: str
    data: bytes


@dataclass
class ScanOutcome:
    """What a handler found. ``not_scanned`` is a reason when the handler could not read the
    object completely (encrypted, too large, unsupported variant): never report such an object
    as clean."""

    format: str
    findings: list[Finding] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    not_scanned: str | None = None


class FormatHandler(Protocol):
    name: str

    def sniff(self, head: bytes, size: int) -> bool:
        """True if this handler recognises the object from its first bytes (up to 4 KiB)."""

    def scan(self, fh: BinaryIO, size: int, ctx: ScanContext) -> ScanOutcome:
        """Read the object (``fh`` positioned at 0, seekable) and return findings/children."""
