"""Writes one object with every saver a library user would reach for, and records what was written.

Each ``Writer`` method saves one value in several real on-disk forms (pickle protocols, torch's zip
and legacy formats, joblib with each compressor) so that the corpus covers what the savers really
emit, not one canonical encoding. A saver that fails on a value is recorded as skipped, with why.
"""

from __future__ import annotations

import io
import json
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

JOBLIB_COMPRESSORS: tuple[tuple[str, Any], ...] = (
    ("raw", 0),
    ("zlib", ("zlib", 3)),
    ("gzip", ("gzip", 3)),
    ("bz2", ("bz2", 3)),
    ("lzma", ("lzma", 3)),
    ("xz", ("xz", 3)),
    ("lz4", ("lz4", 3)),
)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


class Writer:
    """Saves values under ``root/<library>/`` and keeps a manifest of artifacts and skips."""

    def __init__(self, root: Path, library: str) -> None:
        self.library = library
        self.current = library  # the library whose saver/classes the next artifacts exercise
        self.dir = root / library
        self.dir.mkdir(parents=True, exist_ok=True)
        self.artifacts: list[dict[str, str]] = []
        self.skipped: list[dict[str, str]] = []

    def _record(self, path: Path, kind: str, what: str) -> None:
        self.artifacts.append(
            {
                "path": str(path.relative_to(self.dir.parent)),
                "kind": kind,
                "what": what,
                "library": self.current,
            }
        )

    def skip(self, what: str, exc: BaseException | str) -> None:
        why = exc if isinstance(exc, str) else f"{type(exc).__name__}: {str(exc)[:200]}"
        self.skipped.append({"what": what, "why": why, "library": self.current})

    def _try(self, what: str, kind: str, path: Path, save: Callable[[Path], None]) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save(path)
        except Exception as exc:
            path.unlink(missing_ok=True)
            self.skip(f"{what} ({kind})", exc)
            return False
        self._record(path, kind, what)
        return True

    def pickle(self, what: str, obj: Any, protocols: tuple[int, ...] = (2, 4, 5)) -> None:
        """``pickle.dump`` at each protocol (2: torch's and py2-era default; 4, 5: py3.8+)."""
        for proto in protocols:
            path = self.dir / "pickle" / f"{_safe(what)}.p{proto}.pkl"

            def save(p: Path, proto: int = proto) -> None:
                p.write_bytes(pickle.dumps(obj, protocol=proto))

            self._try(what, f"pickle-p{proto}", path, save)

    def torch(self, what: str, obj: Any, legacy: bool = True) -> None:
        """``torch.save`` in the zip format (default) and the legacy (pre-1.6) format."""
        import torch

        path = self.dir / "torch" / f"{_safe(what)}.pt"
        self._try(what, "torch-zip", path, lambda p: torch.save(obj, p))
        if legacy:
            path = self.dir / "torch-legacy" / f"{_safe(what)}.pt"
            self._try(
                what,
                "torch-legacy",
                path,
                lambda p: torch.save(obj, p, _use_new_zipfile_serialization=False),
            )

    def joblib(self, what: str, obj: Any, compressors: tuple[str, ...] | None = None) -> None:
        """``joblib.dump`` uncompressed and with every compressor joblib ships."""
        import joblib

        for name, compress in JOBLIB_COMPRESSORS:
            if compressors is not None and name not in compressors:
                continue
            path = self.dir / "joblib" / name / f"{_safe(what)}.joblib"

            def save(p: Path, compress: Any = compress) -> None:
                joblib.dump(obj, p, compress=compress)

            self._try(what, f"joblib-{name}", path, save)

    def custom(self, what: str, kind: str, rel: str, save: Callable[[Path], None]) -> None:
        """A library's own saver writing file or folder ``rel`` (recorded as one artifact)."""
        self._try(what, kind, self.dir / rel, save)

    def bytes(self, what: str, kind: str, rel: str, data: bytes) -> None:
        self._try(what, kind, self.dir / rel, lambda p: p.write_bytes(data))

    def manifest(self, versions: dict[str, str]) -> dict[str, Any]:
        doc = {
            "library": self.library,
            "versions": versions,
            "artifacts": self.artifacts,
            "skipped": self.skipped,
        }
        (self.dir / "manifest.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
        return doc


def in_memory_pickle(obj: Any, proto: int = 4) -> bytes:
    buf = io.BytesIO()
    pickle.dump(obj, buf, protocol=proto)
    return buf.getvalue()
