"""The on-disk queue of admission decisions on their way to the registry's audit chain.

Each decision is appended (one ``write``) to the current segment file before the webhook
answers, so a crash or restart of the webhook loses none: on start, segments left over are sent
first. Segments hold at most ``SEGMENT_EVENTS`` decisions; a full or flushed segment is fsync'd
(off the event loop) and sent as one batch (one registry transaction); it is deleted only
after the registry acknowledged it. A batch whose acknowledgement was lost is sent again: every
event carries a unique ``id``, so such a duplicate is recognisable in the chain.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from airlock.admission import jsonio

SEGMENT_EVENTS = 1000
SUFFIX = ".jsonl"


class Spool:
    def __init__(self, directory: Path, *, max_backlog: int = 100_000) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.max_backlog = max_backlog
        self._closed: list[Path] = sorted(self.dir.glob(f"*{SUFFIX}"))
        self._pending = sum(_count_lines(p) for p in self._closed)
        self._next = 1 + max((_number(p) for p in self._closed), default=0)
        self._fd: int | None = None
        self._current: Path | None = None
        self._current_count = 0
        self._unsealed: list[tuple[int, Path]] = []

    @property
    def backlog(self) -> int:
        """Decisions written but not yet acknowledged by the registry."""
        return self._pending

    def full(self) -> bool:
        return self._pending >= self.max_backlog

    def add(self, event: dict[str, Any]) -> None:
        line = jsonio.dumps(event) + b"\n"
        if self._fd is None:
            self._current = self.dir / f"{self._next:012d}{SUFFIX}"
            self._next += 1
            self._fd = os.open(self._current, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._current_count = 0
        os.write(self._fd, line)
        self._current_count += 1
        self._pending += 1
        if self._current_count >= SEGMENT_EVENTS:
            self._detach()

    def _detach(self) -> None:
        """Stop appending to the current segment (made durable later, by :meth:`seal`)."""
        if self._fd is None or self._current is None:
            return
        self._unsealed.append((self._fd, self._current))
        self._fd = None
        self._current = None

    def rotate(self) -> list[tuple[int, Path]]:
        """Detach the current segment; returns every segment not yet sealed, oldest first.

        Cheap (no I/O): the webhook calls it on its event loop, then :meth:`seal` in a thread
        (an fsync can take tens of milliseconds on a busy disk), then :meth:`sealed`."""
        self._detach()
        segments, self._unsealed = self._unsealed, []
        return segments

    @staticmethod
    def seal(segments: list[tuple[int, Path]]) -> None:
        for fd, _ in segments:
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def sealed(self, segments: list[tuple[int, Path]]) -> None:
        self._closed.extend(path for _, path in segments)

    def ready(self) -> list[Path]:
        """Seal every written segment and return every segment waiting to be sent, oldest
        first (blocking: for start-up, shutdown and tests)."""
        segments = self.rotate()
        self.seal(segments)
        self.sealed(segments)
        return list(self._closed)

    def waiting(self) -> list[Path]:
        """Sealed segments waiting to be sent, oldest first."""
        return list(self._closed)

    @staticmethod
    def read(path: Path) -> list[bytes]:
        """A segment's decisions as the JSON lines written (complete lines only: a line torn by
        a crash mid-write belongs to a decision that was never answered)."""
        with path.open("rb") as fh:
            return [raw.rstrip(b"\n") for raw in fh if raw.endswith(b"\n") and raw.strip()]

    @staticmethod
    def load(path: Path) -> tuple[list[bytes], int]:
        """``read`` and the segment's line count (torn lines included, as the backlog counts)."""
        with path.open("rb") as fh:
            raw = fh.read()
        lines = raw.split(b"\n")
        complete = [line for line in lines[:-1] if line.strip()]
        return complete, raw.count(b"\n") + (1 if lines[-1] else 0)

    def done(self, path: Path, count: int | None = None) -> None:
        """The registry acknowledged ``path``'s events (``count`` lines): forget the segment."""
        if count is None:
            count = _count_lines(path) if path.exists() else 0
        path.unlink(missing_ok=True)
        if path in self._closed:
            self._closed.remove(path)
        self._pending = max(0, self._pending - count)

    def close(self) -> None:
        self.ready()


def _number(path: Path) -> int:
    try:
        return int(path.stem)
    except ValueError:
        return 0


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)
