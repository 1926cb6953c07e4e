"""Opt-in digest cache: an unchanged file is not read again.

Keyed on (device, inode, size, mtime_ns, ctime_ns) and the algorithm; ctime changes on every
write or metadata change and cannot be set from user space, so a rewritten file never hits.
Stored in SQLite under the user cache dir (``AIRLOCK_CACHE_DIR`` overrides).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from airlock.errors import InputError
from airlock.provenance.filehash import FileStamp

_SCHEMA = """
CREATE TABLE IF NOT EXISTS digests (
    dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, algorithm TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (dev, ino, algorithm)
)
"""


def default_cache_path() -> Path:
    override = os.environ.get("AIRLOCK_CACHE_DIR")
    if override:
        return Path(override) / "digests.sqlite"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("airlock")) / "digests.sqlite"


class DigestCache:
    """Thread-safe get/put over one SQLite connection; writes are batched until ``close``."""

    def __init__(self, path: Path | None = None) -> None:
        import sqlite3  # only when the cache is asked for

        self.path = path or default_cache_path()
        self._sqlite_error = sqlite3.Error
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: cannot open digest cache ({exc})") from None
        except OSError as exc:  # its folder cannot be made (read-only, not a directory, ...)
            raise InputError(
                f"{self.path}: cannot open digest cache ({exc.strerror}); "
                "set AIRLOCK_CACHE_DIR to a writable folder"
            ) from None
        self._lock = threading.Lock()
        self._pending: list[tuple[int, int, int, int, int, str, str]] = []

    def get(self, stamp: FileStamp, algorithm: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT digest FROM digests WHERE dev=? AND ino=? AND algorithm=? AND size=?"
                " AND mtime_ns=? AND ctime_ns=?",
                (stamp.dev, stamp.ino, algorithm, stamp.size, stamp.mtime_ns, stamp.ctime_ns),
            ).fetchone()
        return str(row[0]) if row else None

    def put(self, stamp: FileStamp, algorithm: str, digest: str) -> None:
        with self._lock:
            self._pending.append(
                (
                    stamp.dev,
                    stamp.ino,
                    stamp.size,
                    stamp.mtime_ns,
                    stamp.ctime_ns,
                    algorithm,
                    digest,
                )
            )

    def close(self) -> None:
        with self._lock:
            try:
                if self._pending:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO digests VALUES (?,?,?,?,?,?,?)", self._pending
                    )
                    self._db.commit()
                self._pending.clear()
            except self._sqlite_error as exc:
                raise InputError(f"{self.path}: cannot write digest cache ({exc})") from None
            finally:
                self._db.close()
