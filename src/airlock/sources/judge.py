"""Judge a remote model before download: stage the bytes judgement needs, digest what is read.

Staging writes a sparse file of the real size per remote file, holding only the ranges that were
fetched (see ``plan``), so the scanner runs unchanged on a folder that, for every byte it looks
at, equals the real model (``readings`` checks that; a file that fails is read whole). Large
generic zips, tars and compressed streams are not staged at all (``stream``): the scan reads
them by ranges later (``sources.streaming``). The manifest takes each file's sha256 from the
source when stated (``stated``; checked against the bytes when they were all read:
``verified``) and from the bytes otherwise (``computed``: the whole file is streamed through
sha256, not kept).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import mmap
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from airlock.formats.ranged import PROBE_BLOCK, BlockReader, Spool
from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.provenance.walk import DEFAULT_IGNORES
from airlock.sources import plan as P
from airlock.sources.errors import DigestMismatch, SourceError
from airlock.sources.httpio import RangeIgnored
from airlock.sources.readings import (
    BROKEN,
    LEGACY_PRIMARY,
    PICKLE_PRIMARY,
    Ranges,
    legacy_end,
    local_header_guesses,
    other_readings,
    pickle_end,
    recording,
    zip_readings,
)
from airlock.sources.remote import RemoteFile, RemoteModel

COPY_CHUNK = 8 * 1024**2
# "pending": a streamed file with no stated sha256, hashed when the scan reads it (once)
DigestSource = Literal["stated", "verified", "computed", "pending"]
SEED_BYTES = 32 * 1024**2  # probe bytes kept for streamed files' scans (not fetched again)
ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class JudgeOptions:
    ignore_paths: tuple[str, ...] = ()
    ignore_git_paths: bool = True
    max_full_bytes: int = P.DEFAULT_MAX_FULL
    workers: int = 8
    staging_dir: Path | None = None
    read_all: bool = False  # --download for buckets and URLs: every file read whole
    stream: bool = True  # zips, tars, compressed streams: scanned by ranges, never staged
    staging_max_bytes: int = field(default_factory=lambda: _env_bytes("AIRLOCK_STAGING_MAX_BYTES"))


def _env_bytes(name: str) -> int:
    try:
        return max(0, int(os.environ.get(name) or P.DEFAULT_STAGING_MAX))
    except ValueError:
        return P.DEFAULT_STAGING_MAX


@dataclass(frozen=True)
class JudgedFile:
    path: str
    size: int
    digest: str
    digest_source: DigestSource
    strategy: P.Strategy
    reason: str = ""
    hash_all: bool = True  # a streamed file: its scan fetches what it did not read, to hash

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "digest": self.digest,
            "digest_source": self.digest_source,
            "read": self.strategy,
            "reason": self.reason,
        }


@dataclass
class Staged:
    """The staged folder (delete with ``cleanup``), per-file judgement facts and the manifest."""

    root: Path
    model: RemoteModel
    files: list[JudgedFile]
    ignores: tuple[str, ...]
    bytes_received: int
    ignored: list[str] = field(default_factory=list)
    tmp: Path | None = None
    spool_room: int = 0  # staging bytes left for streamed files' large stored members
    # head and tail bytes the probe fetched, per streamed file: its scan starts from them
    seeds: dict[str, list[tuple[int, bytes]]] = field(default_factory=dict)
    # scans of streamed files run early (to hash a pending digest): (limits, FileResult)
    scanned: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def manifest(self) -> Manifest:
        """The OMS manifest of the judged files; a pending digest is computed first (the
        file is scanned by ranges then, once, and the scan kept for ``add_streamed``)."""
        self.settle()
        return Manifest(
            files=sorted_files([FileDigest(j.path, j.size, j.digest) for j in self.files]),
            ignore_paths=self.ignores,
            name=self.model.name,
        )

    def settle(self) -> None:
        """Hash every streamed file whose digest is pending, scanning it on the way (one read
        of its bytes serves both; default limits: the scan is reused when they match)."""
        from airlock.scan.engine import ScanOptions
        from airlock.sources.streaming import scan_one

        for j in [j for j in self.files if j.digest_source == "pending"]:
            options = ScanOptions()
            self.scanned[j.path] = (options.limits, scan_one(self, j, options))
        self.bytes_received = self.model.reader.bytes_received()

    @functools.cached_property
    def spool(self) -> Spool | None:
        """Where streamed files' stored members too large for memory are scanned from: the
        staging folder, within what is left of its bound (shared by all streamed files)."""
        return Spool(self.tmp, self.spool_room) if self.tmp is not None else None

    @property
    def unjudged(self) -> list[JudgedFile]:
        return [f for f in self.files if f.strategy == "unjudged"]

    @property
    def stated_only(self) -> list[JudgedFile]:
        """Files whose digest the source stated and nobody computed from their bytes: the root
        digest, and any expectation matched against it, names bytes that were not hashed."""
        return [f for f in self.files if f.digest_source == "stated"]

    @property
    def streamed(self) -> list[JudgedFile]:
        """Files never staged: the scanner reads them by ranges (``sources.streaming``)."""
        return [f for f in self.files if f.strategy == "stream"]

    def mark_hashed(self, path: str, sha256: str) -> None:
        """A streamed file's bytes were all hashed: its stated digest is verified, a pending
        one computed."""
        from airlock.sources.streaming import mark

        self.files = mark(self.files, path, sha256)

    @property
    def staged_whole(self) -> list[JudgedFile]:
        """Large files read whole into the staging folder (not judged from a part of them)."""
        return [f for f in self.files if f.strategy == "full" and f.size > P.SMALL_BYTES]

    def stated_note(self) -> str:
        """'' when every digest was computed from bytes; else which were only stated."""
        stated = self.stated_only
        if not stated:
            return ""
        names = ", ".join(f.path for f in stated[:3]) + (
            f" (+{len(stated) - 3} more)" if len(stated) > 3 else ""
        )
        return (
            f"stated by the source, not computed from bytes: {names} "
            "(the root digest names bytes nobody hashed: --download hashes them)"
        )

    def summary(self) -> str:
        """One line for the ``source`` step: what was read, and which digests were not
        computed from bytes (named, so that a passing --digest is not mistaken for a hash)."""
        total = sum(f.size for f in self.files)
        counts: dict[str, int] = {}
        for f in self.files:
            counts[f.digest_source] = counts.get(f.digest_source, 0) + 1
        line = (
            f"{self.model.label}: read {self.bytes_received:,} of {total:,} bytes; digests "
            + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        )
        note = self.stated_note()
        if note:
            line += f"; {note}"
        streamed = self.streamed
        if streamed:
            line += (
                f"; {len(streamed)} archive(s)/compressed file(s) scanned by ranges, not staged "
                f"({sum(f.size for f in streamed):,} bytes)"
            )
        whole = self.staged_whole
        if whole:
            line += (
                f"; {len(whole)} large file(s) staged whole on disk "
                f"({sum(f.size for f in whole):,} bytes)"
            )
        return line

    def to_json(self) -> dict[str, Any]:
        total = sum(f.size for f in self.files)
        counts: dict[str, int] = {}
        for f in self.files:
            counts[f.digest_source] = counts.get(f.digest_source, 0) + 1
        return {
            "source": self.model.label,
            "commit": self.model.commit,
            "total_size": total,
            "bytes_received": self.bytes_received,
            "digests": counts,
            "stated_not_computed": [f.path for f in self.stated_only],
            "staged_whole": [f.path for f in self.staged_whole],
            "streamed": [f.path for f in self.streamed],
            "ignored": self.ignored,
            "files": [f.to_json() for f in self.files],
        }

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp or self.root, ignore_errors=True)


def _ignored(path: str, ignores: tuple[str, ...]) -> bool:
    p = PurePosixPath(path)
    return any(p.is_relative_to(PurePosixPath(i)) for i in ignores)


def _git_sha1_hasher(size: int) -> Any:
    h = hashlib.sha1()  # noqa: S324 - git's blob id, compared, not trusted for security
    h.update(b"blob %d\0" % size)
    return h


class _Stager:
    def __init__(
        self, model: RemoteModel, root: Path, options: JudgeOptions, progress: ProgressFn | None
    ) -> None:
        self.model = model
        self.root = root
        self.options = options
        self.progress = progress
        self._lock = threading.Lock()
        self.staged_full = 0  # bytes of files staged whole so far
        self.seeds: dict[str, list[tuple[int, bytes]]] = {}
        self._seed_room = SEED_BYTES
        # ranges fetched into each staged file: what its header judgement saw (``_hashed``
        # checks a later stream of the file against them)
        self._fetched: dict[str, Ranges] = {}

    def _note(self, f: RemoteFile, start: int, end: int) -> None:
        with self._lock:
            self._fetched.setdefault(f.path, Ranges([])).add([(start, end)])

    def _advance(self, n: int) -> None:
        if self.progress is not None and n:
            with self._lock:
                self.progress(n)

    def _target(self, f: RemoteFile) -> Path:
        dest = self.root if f.path == "." else self.root / f.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def _copy(self, f: RemoteFile, fd: int, start: int, end: int) -> None:
        pos = start
        while pos < end:
            stop = min(end, pos + COPY_CHUNK)
            data = self.model.reader.read_range(f, pos, stop)
            if data.count(0) != len(data):  # zeros stay a hole: the sparse file reads them
                os.pwrite(fd, data, pos)
            self._note(f, pos, stop)
            pos = stop

    def one(self, f: RemoteFile) -> JudgedFile:
        try:
            return self._one(f)
        except OSError as exc:
            raise SourceError(
                f"{self.model.label}/{f.path}: cannot stage ({exc.strerror or exc})"
            ) from None

    def _one(self, f: RemoteFile) -> JudgedFile:
        try:
            return self._judge(f)
        except RangeIgnored:  # judged from ranges, it would be read from byte 0 per range
            why = f"{RangeIgnored.WHY}: read whole, once"
            return self._whole(f, P.fallback(f.size, self.options.max_full_bytes, why))

    def _whole(self, f: RemoteFile, plan: P.Plan) -> JudgedFile:
        """``f`` read whole into the staging folder (``plan`` "full"), or not judged."""
        dest = self._target(f)
        fd = os.open(dest, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            return self._settle(f, dest, fd, plan)
        finally:
            os.close(fd)

    def _settle(self, f: RemoteFile, dest: Path, fd: int, plan: P.Plan) -> JudgedFile:
        if plan.strategy == "full" and not self._reserve(f.size):
            plan = P.Plan(
                "unjudged",
                f"{plan.reason}; reading it whole would take the staging folder past "
                f"{self.options.staging_max_bytes:,} bytes (AIRLOCK_STAGING_MAX_BYTES): "
                "use --download",
            )
        if plan.strategy == "full":
            os.ftruncate(fd, 0)
            return self._full(f, fd, plan.reason)
        if plan.strategy == "unjudged":
            os.ftruncate(fd, 0)
            dest.unlink()
            return self._unjudged(f, plan.reason)
        return self._digest_only(f, plan.reason, judged=fd)

    def _judge(self, f: RemoteFile) -> JudgedFile:
        plan = P.first_look(f.size, self.options.max_full_bytes)
        if self.options.read_all:
            plan = P.Plan("full", "--download: read whole")
        probe: BlockReader | None = None
        kind: str | None = None
        if plan.strategy == "header":
            probe = self._probe(f)
            kind = P.first_reading(probe) if self.options.stream else None
            if kind in P.STREAMED or kind in P.STREAMED_PARTLY:
                self._keep(f, probe)
                return self._stream(f, kind)
        dest = self._target(f)
        fd = os.open(dest, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            if plan.strategy == "header":
                assert probe is not None
                plan = self._header(f, fd, probe)
            return self._settle(f, dest, fd, plan)
        finally:
            os.close(fd)

    def _keep(self, f: RemoteFile, probe: BlockReader) -> None:
        """The probe's head and tail of a streamed file, for its scan (within ``SEED_BYTES``
        for all files; past that its scan fetches them again)."""
        t0, t1 = P.tail_range(f.size)
        spans = Ranges([(0, min(f.size, P.HEAD_BYTES)), (t0, t1)]).spans
        n = sum(b - a for a, b in spans)
        with self._lock:
            if self._seed_room < n:
                return
            self._seed_room -= n
        self.seeds[f.path] = [(a, probe.read(a, b)) for a, b in spans]

    def _reserve(self, n: int) -> bool:
        """Room for ``n`` more whole-file bytes in the staging folder (all workers share it):
        disk use stays bounded however large the model; past the bound files are unjudged."""
        with self._lock:
            if self.staged_full + n > self.options.staging_max_bytes and not self.options.read_all:
                return False
            self.staged_full += n
            return True

    def _probe(self, f: RemoteFile) -> BlockReader:
        """Head and tail of a large file, in memory: enough to tell its format (and, for the
        kinds scanned by ranges, the start of that scan)."""
        reader = BlockReader(
            f.size, lambda a, b: self.model.reader.read_range(f, a, b), block=PROBE_BLOCK
        )
        t0, t1 = P.tail_range(f.size)
        wanted = [(0, min(f.size, P.HEAD_BYTES)), (t0, t1)]
        with ThreadPoolExecutor(2, thread_name_prefix="airlock-probe") as pool:  # at once
            list(pool.map(lambda r: reader.prefetch(*r), wanted))
        return reader

    def _header(self, f: RemoteFile, fd: int, probe: BlockReader) -> P.Plan:
        os.ftruncate(fd, f.size)
        head_end = min(f.size, P.HEAD_BYTES)
        for a, b in Ranges([(0, head_end), P.tail_range(f.size)]).spans:  # fetched by the probe
            os.pwrite(fd, probe.read(a, b), a)
            self._note(f, a, b)
        head = os.pread(fd, 16, 0)
        end = P.safetensors_header_end(head, f.size)
        if end is not None:
            self._copy(f, fd, head_end, max(head_end, end))
            why = f"safetensors header ({end:,} bytes)"
        elif P.is_gguf(head):
            got = self._gguf(f, fd, head_end) or 0
            if not got:
                return P.fallback(f.size, self.options.max_full_bytes, "GGUF header not bounded")
            why = f"GGUF header ({got:,} bytes)"
        elif head[:4] == b"PK\x03\x04":
            read = self._torch_zip(f, fd)
            if read is None:
                return P.fallback(f.size, self.options.max_full_bytes, "a zip, not a checkpoint")
            doubt = zip_readings(fd, f.size)
            if doubt:
                return P.fallback(f.size, self.options.max_full_bytes, doubt)
            return P.Plan("header", f"PyTorch zip: directory, headers and pickles ({read:,} bytes)")
        elif P.is_legacy_torch(head):
            got = self._legacy(f, fd, head_end) or 0
            if not got:
                return P.fallback(
                    f.size, self.options.max_full_bytes, "legacy torch pickles not bounded"
                )
            why = f"legacy torch.save pickles ({got:,} bytes; raw storages not read)"
            doubt = other_readings(fd, f.size, got, primaries=LEGACY_PRIMARY)
            if doubt:
                return P.fallback(f.size, self.options.max_full_bytes, doubt)
            return P.Plan("header", why)
        elif P.is_onnx(os.pread(fd, P.SNIFF_BYTES, 0)):
            walked = self._onnx(f, fd)
            if walked is None:
                return P.fallback(f.size, self.options.max_full_bytes, "ONNX structure not walked")
            doubt = other_readings(fd, f.size, walked, primaries=ONNX_PRIMARY)
            if doubt:
                return P.fallback(f.size, self.options.max_full_bytes, doubt)
            return P.Plan(
                "header", f"ONNX graph: its structure without tensor payloads ({walked:,} bytes)"
            )
        elif P.is_pickle_start(head) and f.size > P.PICKLE_PREFIX_MIN:
            got = self._pickle(f, fd, head_end) or 0
            if not got:
                return P.fallback(f.size, self.options.max_full_bytes, "pickle not bounded")
            doubt = other_readings(fd, f.size, got, primaries=PICKLE_PRIMARY)
            if doubt:
                return P.fallback(f.size, self.options.max_full_bytes, doubt)
            return P.Plan("header", f"pickle: the prefix the scanner reads ({got:,} bytes)")
        else:
            return P.fallback(f.size, self.options.max_full_bytes, "not judged by its header")
        prefix = max(head_end, end or 0, got if end is None else 0)
        doubt = other_readings(fd, f.size, prefix)
        if doubt:
            return P.fallback(f.size, self.options.max_full_bytes, doubt)
        return P.Plan("header", why)

    def _gguf(self, f: RemoteFile, fd: int, have: int) -> int | None:
        """Grow the fetched prefix until the GGUF header parses inside it."""
        from airlock.formats.gguf import read_gguf_partial

        while True:
            mm = mmap.mmap(fd, have, access=mmap.ACCESS_READ)  # file pages, not heap
            parsed, error = read_gguf_partial(mm)
            del parsed
            try:
                mm.close()
            except BufferError:  # the parser kept a view; the GC unmaps it
                pass
            if error is None:
                return have
            if have >= f.size or have >= P.GGUF_MAX_HEADER:
                return None
            nxt = min(f.size, have * 2, P.GGUF_MAX_HEADER)
            self._copy(f, fd, have, nxt)
            have = nxt

    def _legacy(self, f: RemoteFile, fd: int, have: int) -> int | None:
        """Grow the fetched prefix (x4 a round) until the pickles a legacy ``torch.save`` file
        opens with all end inside it: bytes fetched, or None (broken, or longer than
        ``P.PICKLE_PREFIX_MAX``). The raw storages after them are never fetched."""
        while True:
            end = legacy_end(fd, f.size, have)
            if end == BROKEN:
                return None
            if end is not None:
                return have
            if have >= f.size or have >= P.PICKLE_PREFIX_MAX:
                return None
            nxt = min(f.size, have * 4, P.PICKLE_PREFIX_MAX)
            if not self._reserve(nxt - have):  # the staging bound covers prefixes too
                return None
            self._copy(f, fd, have, nxt)
            have = nxt

    def _pickle(self, f: RemoteFile, fd: int, have: int) -> int | None:
        """Grow the fetched prefix of a plain pickle until it holds everything the scanner's
        pickle reading reads (see ``pickle_end``): bytes fetched, or None."""
        from airlock.formats.joblib import SEARCH_MAX  # the scanner's joblib marker search

        limit = min(f.size, max(P.pickle_readable(), SEARCH_MAX))
        want = min(f.size, max(have, P.PICKLE_PREFIX_MIN, SEARCH_MAX))
        while True:
            if want > have:
                if not self._reserve(want - have):
                    return None
                self._copy(f, fd, have, want)
                have = want
            end = pickle_end(fd, f.size, have)
            if end == BROKEN:
                return None
            if end is not None:
                return have
            if have >= limit:
                return None
            want = min(limit, have * 4)

    def _onnx(self, f: RemoteFile, fd: int) -> int | None:
        """Fetch what the ONNX reader reads (``onnx_walk``): the protobuf structure, read in
        blocks that grow while the walk runs on and shrink after a jump over a skipped
        payload. Bytes fetched, or None (the walker was unsure, or too much to fetch)."""
        from airlock.sources.onnx_walk import Unsure, walk

        have = Ranges([(0, min(f.size, P.HEAD_BYTES)), P.tail_range(f.size)])
        state = {"block": ONNX_BLOCK, "end": -1, "fetches": 0, "last": 0}
        cache: list[Any] = [-1, b""]  # one block read back from the staged file
        jumps: list[int] = []  # where reads landed after a skipped payload

        def ensure(a: int, b: int) -> None:
            if have.covers(a, b):
                return
            missing = have.missing([(a, b)])
            a0 = missing[0][0]
            state["block"] = (
                min(ONNX_BLOCK_MAX, state["block"] * 2) if a0 == state["end"] else ONNX_BLOCK
            )
            wanted = [(s, min(f.size, max(e, s + state["block"]))) for s, e in missing]
            ahead = predict_jumps(jumps, ONNX_AHEAD)  # the next headers of a repeating layout
            wanted += [(h, min(f.size, h + ONNX_BLOCK)) for h in ahead if 0 <= h < f.size]
            spans = have.missing(wanted)
            state["fetches"] += 1
            more = sum(e - s for s, e in spans)
            if (
                state["fetches"] > ONNX_MAX_FETCHES
                or len(have.spans) > ONNX_MAX_SPANS
                or have.total + more > self.options.max_full_bytes
            ):
                raise Unsure("too many reads or bytes for the ONNX structure")
            if not self._reserve(more):  # fetched structure counts against the staging bound
                raise Unsure("staging bound reached")
            self._fetch_all(f, fd, spans)
            have.add(spans)
            state["end"] = spans[-1][1]
            cache[0] = -1

        def read(pos: int, n: int) -> bytes:
            n = max(0, min(n, f.size - pos))
            if pos - state["last"] >= ONNX_JUMP:
                jumps.append(pos)
                del jumps[: -2 * ONNX_MAX_PERIOD - 1]  # what predict_jumps looks at
            state["last"] = pos
            start, data = cache
            if not (start <= pos and pos + n <= start + len(data)):
                ensure(pos, pos + n)
                start = pos
                data = os.pread(fd, max(n, ONNX_READ), pos)
                data = data[: (have.span_end(pos) or pos + n) - pos]  # fetched bytes only
                cache[0], cache[1] = start, data
            return bytes(data[pos - start : pos - start + n])

        try:
            walk(read, ensure, f.size)
        except Unsure:
            return None
        return have.total

    def _fetch_all(self, f: RemoteFile, fd: int, ranges: list[tuple[int, int]]) -> None:
        """Fetch ranges concurrently (head and tail; zip local headers spread over the file):
        one round trip of latency instead of one per range, at most RANGE_WORKERS at once."""
        if len(ranges) <= 1:
            for r in ranges:
                self._copy(f, fd, *r)
            return
        workers = min(RANGE_WORKERS, len(ranges))
        with ThreadPoolExecutor(workers, thread_name_prefix="airlock-ranges") as pool:
            list(pool.map(lambda r: self._copy(f, fd, r[0], r[1]), ranges))

    def _torch_zip(self, f: RemoteFile, fd: int) -> int | None:
        """Fetch what the zip reader asks for (end record, directory, local headers) until it
        asks for nothing new, then every member but tensor storages. Bytes fetched, or None
        when this is not a PyTorch checkpoint read through its central directory."""
        from airlock.formats import archive, torch
        from airlock.scan.interface import Limits

        have = Ranges([(0, min(f.size, P.HEAD_BYTES)), P.tail_range(f.size)])
        headers = local_header_guesses(fd, f.size)  # all at once, not one per round
        if headers:
            missing = have.missing(headers)
            self._fetch_all(f, fd, missing)
            have.add(missing)
        listing = None
        for _ in range(MAX_ZIP_ROUNDS):
            mm = mmap.mmap(fd, f.size, access=mmap.ACCESS_READ)
            src = recording(mm)
            try:
                listing = archive._read_central(src, Limits())
            except Exception:  # the reader gave up: on zeros, or on the real bytes
                listing = None
            finally:
                wanted = src.requested
                src.release()
                try:
                    mm.close()
                except BufferError:  # the reader kept a view; the GC unmaps it
                    pass
            missing = have.missing(wanted)
            if not missing:
                break
            if sum(b - a for a, b in missing) + have.total > self.options.max_full_bytes:
                return None
            self._fetch_all(f, fd, missing)
            have.add(missing)
        else:
            return None
        if listing is None or listing.via != "central":
            return None
        names = listing.names()
        if not torch.is_torch_zip(names):
            return None
        storages = set(torch.classify_members(names).storages)
        data = [
            (m.data_offset, min(f.size, m.data_offset + m.comp_size))
            for m in listing.members
            if m.name not in storages and m.data_offset is not None and m.comp_size
        ]
        missing = have.missing(data)
        if sum(b - a for a, b in missing) + have.total > self.options.max_full_bytes:
            return None
        self._fetch_all(f, fd, missing)
        have.add(missing)
        return have.total

    def _hashed(
        self, f: RemoteFile, fd: int | None = None, judged: int | None = None
    ) -> tuple[str, DigestSource]:
        """Stream every byte of ``f`` through sha256 (and the git blob sha1 when stated),
        written to ``fd`` when given, and check them against what the source states.

        ``judged``: the staged file its header was judged from. The stream is another request
        (a plain GET) than the range reads that staged it, and a server may answer the two
        differently: every streamed byte that was staged must equal it, or the digest would
        name bytes nobody judged (``check`` would allow a file whose content it never saw)."""
        sha = hashlib.sha256()
        git = _git_sha1_hasher(f.size) if f.git_sha1 else None
        spans = list(self._fetched[f.path].spans) if judged is not None else []
        pos = 0
        for chunk in self.model.reader.stream(f, self._advance):
            sha.update(chunk)
            if git is not None:
                git.update(chunk)
            if fd is not None:
                os.pwrite(fd, chunk, pos)
            if spans:
                assert judged is not None
                _same_as_staged(f"{self.model.label}/{f.path}", judged, spans, pos, chunk)
            pos += len(chunk)
        if pos != f.size:
            raise SourceError(f"{self.model.label}/{f.path}: {pos} bytes read, {f.size} stated")
        digest = sha.hexdigest()
        compare(
            f"{self.model.label}/{f.path}",
            f.sha256,
            f.git_sha1,
            digest,
            git.hexdigest() if git is not None else None,
        )
        return digest, "verified" if (f.sha256 or f.git_sha1) else "computed"

    def _full(self, f: RemoteFile, fd: int, reason: str) -> JudgedFile:
        digest, source = self._hashed(f, fd)
        return JudgedFile(f.path, f.size, digest, source, "full", reason)

    def _stream(self, f: RemoteFile, kind: str) -> JudgedFile:
        """Nothing staged: the scanner reads it by ranges later (``sources.streaming``) and
        hashes it then; with no stated sha256 its digest is pending until that one read. A
        pickle's stated digest is kept: its scan reads only what the analyser reads."""
        self._advance(f.size)
        if f.sha256:
            partly = kind in P.STREAMED_PARTLY
            why = f"{kind}: scanned by ranges, never staged" + (
                "; only what the pickle analyser reads" if partly else ""
            )
            return JudgedFile(f.path, f.size, f.sha256, "stated", "stream", why, not partly)
        why = f"{kind}: scanned by ranges, never staged; digest from the same read"
        return JudgedFile(f.path, f.size, "", "pending", "stream", why)

    def _digest_only(
        self,
        f: RemoteFile,
        reason: str,
        how: Literal["header", "stream", "unjudged"] = "header",
        judged: int | None = None,
    ) -> JudgedFile:
        """The stated digest, or one computed by streaming the bytes (checked against a stated
        git blob id, and against the staged bytes ``judged`` was judged from). ``how`` says
        what judged the content: its header here, the scanner reading it by ranges later
        (``sources.streaming``), or nothing (``unjudged``)."""
        if f.sha256:
            self._advance(f.size)
            return JudgedFile(f.path, f.size, f.sha256, "stated", how, reason)
        digest, source = self._hashed(f, judged=judged)
        return JudgedFile(f.path, f.size, digest, source, how, reason + "; digest streamed")

    def _unjudged(self, f: RemoteFile, reason: str) -> JudgedFile:
        return self._digest_only(f, reason, "unjudged")


def _same_as_staged(
    where: str, fd: int, spans: list[tuple[int, int]], pos: int, chunk: bytes
) -> None:
    """The part of ``chunk`` (bytes ``pos``.. of the file) that ``spans`` say was staged in
    ``fd`` must be what was staged; spans wholly before ``pos`` are dropped as passed."""
    end = pos + len(chunk)
    while spans and spans[0][1] <= pos:
        spans.pop(0)
    for s0, s1 in spans:
        if s0 >= end:
            break
        a, b = max(s0, pos), min(s1, end)
        if os.pread(fd, b - a, a) != chunk[a - pos : b - pos]:
            raise SourceError(
                f"{where}: bytes {a}-{b} changed between two reads: the source served "
                "different content to the range reads it was judged from and to the read "
                "its digest was computed from"
            )


def compare(
    where: str, sha256: str | None, git_sha1: str | None, got_sha256: str, got_git: str | None
) -> None:
    """The digests of the bytes read against those stated (or computed before): a
    ``DigestMismatch`` naming the file when they differ."""
    if sha256 and sha256 != got_sha256:
        raise DigestMismatch(
            f"{where}: the source states sha256 {sha256} but the bytes hash to {got_sha256}"
        )
    if git_sha1 and got_git and git_sha1 != got_git:
        raise DigestMismatch(
            f"{where}: the source states git blob {git_sha1} but the bytes hash to {got_git}"
        )


RANGE_WORKERS = 8
MAX_ZIP_ROUNDS = 6
ONNX_PRIMARY = frozenset({"onnx"})
ONNX_BLOCK = 4096  # after a jump over a tensor payload: its neighbour's header
ONNX_BLOCK_MAX = 8 * 1024**2  # a walk running on through nodes reads ahead this far
ONNX_MAX_FETCHES = 20_000
ONNX_READ = 64 * 1024
ONNX_JUMP = 64 * 1024  # a read this far past the previous one landed after a skipped payload
ONNX_AHEAD = 32  # headers fetched ahead when the jumps repeat with a period
ONNX_MAX_PERIOD = 16
ONNX_MAX_SPANS = 8192  # separate fetched pieces (large tensors) before reading it whole


def predict_jumps(jumps: list[int], ahead: int) -> list[int]:
    """The next ``ahead`` landing places if the last ones repeat with a period ``p`` <= 16
    (a model's layers: the same tensors, the same sizes, each layer ``d`` bytes further on):
    ``jumps[i + p] - jumps[i]`` constant over the last ``2p + 1``. A guess costs only bytes
    (a 4 KiB block each, fetched with the read that was needed anyway), never a wrong
    judgement: the walker still reads everything it needs, fetched or not."""
    n = len(jumps)
    for p in range(1, ONNX_MAX_PERIOD + 1):
        if n < 2 * p + 1:
            break
        d = jumps[-1] - jumps[-1 - p]
        if d > 0 and all(jumps[-1 - i] - jumps[-1 - i - p] == d for i in range(p + 1)):
            seq = list(jumps)
            for _ in range(ahead):
                seq.append(seq[-p] + d)
            return seq[n:]
    return []


def check_nesting(label: str, files: list[RemoteFile]) -> None:
    """No file may lie under another file's name (``a`` and ``a/b``): no folder holds both."""
    names = {f.path for f in files}
    for f in files:
        parts = PurePosixPath(f.path).parts
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in names:
                raise SourceError(f"{label}: {f.path!r} lies under a file of the same name")


def stage(
    model: RemoteModel, options: JudgeOptions | None = None, progress: ProgressFn | None = None
) -> Staged:
    """Fetch what judgement needs into a new staging folder; the caller must ``cleanup()``."""
    options = options or JudgeOptions()
    ignores = tuple(DEFAULT_IGNORES if options.ignore_git_paths else ()) + tuple(
        i.strip("/") for i in options.ignore_paths if i.strip("/")
    )
    wanted = [f for f in model.files if not _ignored(f.path, ignores)]
    check_nesting(model.label, wanted)
    ignored = [f.path for f in model.files if _ignored(f.path, ignores)]
    base = options.staging_dir or Path(
        os.environ.get("AIRLOCK_STAGING_DIR") or tempfile.gettempdir()
    )
    root = Path(tempfile.mkdtemp(prefix="airlock-remote-", dir=base))
    single = len(model.files) == 1 and model.files[0].path == "."
    target = root / model.name if single else root / (model.name or "model")
    if not single:
        target.mkdir()
    stager = _Stager(model, target if not single else root, options, progress)
    if single:
        wanted = [RemoteFile(model.name, f.size, f.sha256, f.git_sha1, f.key) for f in wanted]
    try:
        order = sorted(wanted, key=lambda f: f.size, reverse=True)
        workers = max(1, min(options.workers, len(order)))
        with ThreadPoolExecutor(workers, thread_name_prefix="airlock-remote") as pool:
            judged = list(pool.map(stager.one, order))
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    if single:
        judged = [dataclasses.replace(j, path=".") for j in judged]
    judged.sort(key=lambda j: PurePosixPath(j.path).parts)
    received = model.reader.bytes_received()
    room = max(0, options.staging_max_bytes - stager.staged_full)
    seeds = {("." if single else p): v for p, v in stager.seeds.items()}
    return Staged(
        target, model, judged, ignores, received, ignored, tmp=root, spool_room=room, seeds=seeds
    )
