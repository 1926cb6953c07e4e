"""The scan engine: walk paths, sniff every object, dispatch to handlers, recurse, report.

- Files are memory-mapped, so a handler that needs the zip directory and one pickle of a 10 GiB
  checkpoint reads only those pages.
- Objects are identified by content (``registry``), never by name; a name only matters to flag a
  pickle that pretends to be something safer.
- Every object ends ``scanned`` or ``not_scanned`` with a reason; failures become findings.
- Files run in parallel: threads when the work is mostly I/O and C (zip, zlib, mmap), processes
  when several files need the pure-Python pickle analysis (the GIL would serialise it).
"""

import mmap
import os
import stat
import threading
import time
import zlib
from collections.abc import Sequence
from pathlib import Path, PurePath, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, NamedTuple, Protocol

from airlock.errors import InputError
from airlock.formats.archive import BombError, EncryptedMember, TruncatedStream
from airlock.formats.pickle_ops import IS_OPCODE, refused_before_effect
from airlock.formats.ranged import IN_MEMORY, LazyBytes, RangedSource, Spooled
from airlock.provenance.walk import WalkOptions, WalkProblem, walk_model
from airlock.report import Finding
from airlock.scan import declared_size, gensim_specials, registry
from airlock.scan import engine_rules as R
from airlock.scan.format_rules import Rule, lookup
from airlock.scan.interface import (
    Budget,
    Child,
    FormatHandler,
    FormatProblem,
    Limits,
    ScanContext,
    ScanOutcome,
    Source,
    Unparseable,
    out_of_time,
    time_budget,
    watching_folder,
)
from airlock.scan.result import FileResult, ObjectResult, ScanReport

if TYPE_CHECKING:
    from concurrent.futures import Executor

Mode = Literal["auto", "serial", "threads", "processes"]
MAX_FILES = 1_000_000
PICKLE_FAMILY = frozenset(
    {"pickle", "joblib", "pytorch", "torchscript", "pytorch-legacy", "pytorch-legacy-tar"}
    | {"torch-package"}
)
SAFE_LOOKING_SUFFIXES = frozenset(
    {".safetensors", ".gguf", ".onnx", ".json", ".txt", ".md", ".yaml", ".yml", ".msgpack",
     ".png", ".jpg", ".jpeg", ".tflite", ".model", ".tiktoken", ".csv"}
)  # fmt: skip
# Who reads an object as what (see ``_other_readings``); handler names.
# (a legacy tar's ``storages``/``tensors`` records start with the pickle torch loads first)
PICKLE_READERS = frozenset({"pickle", "pytorch-legacy", "pytorch-legacy-records", "empty"})
ZIP_FAMILY = frozenset({"pytorch-zip", "zip", "keras", "skops"})
TAR_FAMILY = frozenset({"tar", "pytorch-legacy-tar"})
# zipfile finds a zip by its end record, tarfile a tar by its header, joblib/pandas decompress
# by the magic at offset 0 (whatever follows the stream): each is judged when it applies.
OTHER_READINGS: tuple[tuple[str, frozenset[str]], ...] = (
    ("zip", ZIP_FAMILY),
    ("tar", TAR_FAMILY),
    ("compressed", frozenset({"compressed"})),
    ("unsupported-archive", frozenset({"unsupported-archive"})),
)
# formats that carry a zip at their end by design (TFLite metadata packs its associated files,
# labels and vocabularies, as a zip after the flatbuffer): the zip is judged, not a polyglot
ZIP_CARRIERS = frozenset({"tflite"})
WEAK_PRIMARIES = frozenset({None, "text"})  # no loader reads these: another reading replaces them
WEAK_REASONS = frozenset({"unrecognised format", "unrecognised binary format"})
# Names whose loaders insist on one format (suffix -> formats the scan may have found).
NAME_CLAIMS: dict[str, frozenset[str]] = {
    ".safetensors": frozenset({"safetensors"}),
    ".gguf": frozenset({"gguf"}),
    ".npy": frozenset({"npy"}),
    ".npz": frozenset({"npz", "zip", "pytorch", "torchscript", "keras"}),  # any zip
    ".h5": frozenset({"hdf5", "keras-h5"}),
    ".hdf5": frozenset({"hdf5", "keras-h5"}),
    ".keras": frozenset({"keras", "hdf5", "keras-h5"}),
    ".onnx": frozenset({"onnx"}),
}
# Whole names that TensorFlow's SavedModel loader opens by name (tf.saved_model.load reads
# saved_model.pb, else saved_model.pbtxt as text format, and the chunked saved_model.cpb): only
# a parsed binary SavedModel is judged (schema version 3 made one sniff as a graphless ONNX).
NAME_CLAIMS_EXACT: dict[str, frozenset[str]] = {
    "saved_model.pb": frozenset({"tf-savedmodel"}),
    "saved_model.pbtxt": frozenset(),
    "saved_model.cpb": frozenset(),
}
# Content readings that no loader picks by content alone (see ``_content_reading``).
CONTENT_IGNORED = frozenset({"text", "empty", "json", "jinja", "python", "torch-record"})
_PERSID = frozenset(b"PQ")
_HEAVY = frozenset({"pickle", "pytorch-legacy", "compressed"})
_PROCESS_MIN_BYTES = 4 * 1024**2
CRC_MAX_BYTES = 64 * 1024**2
# handlers (and ``None``: no format, other readings only) that read a ``LazyBytes`` view by
# ranges, as for a top-level remote file: a large remote stored member they take is scanned
# in place; any other is spooled to disk (``LazyBytes.local``): its parser wants a buffer
RANGED_READERS = frozenset(
    {None, "pickle", "npy", "text", "zip", "pytorch-zip", "tar", "compressed"}
    | {"unsupported-archive"}
)
READ_FALLBACK_MAX = 256 * 1024**2
HASH_STEP = 64 * 1024**2
_TIME_WHY = "per-file time budget of {:g} s exceeded: the rest was not judged"


class ResultCache(Protocol):
    """A per-file result store keyed by content (``airlock.fleet.cache.VerdictCache``): the
    engine's one cache hook. ``get`` gives the stored result relabelled as ``display`` (or
    ``None``); ``put`` stores a fresh one. Both see the sha256 of the very bytes read."""

    def get(self, digest: str, display: str) -> FileResult | None: ...

    def put(self, digest: str, display: str, result: FileResult) -> None: ...


class ScanOptions(NamedTuple):
    """How to scan. ``workers=None`` picks from the CPU count; ``mode="auto"`` picks threads or
    processes from what the files look like. ``cache``: per-file results by sha256 (the file
    is still read once to hash it)."""

    limits: Limits = Limits()  # frozen: one shared default is safe
    workers: int | None = None
    mode: Mode = "auto"
    cache: ResultCache | None = None


# --- walking ------------------------------------------------------------------------------------


class _Target:
    __slots__ = ("display", "path", "size")  # a plain class: no namedtuple source compiled

    def __init__(self, path: Path, display: str, size: int) -> None:
        self.path = path
        self.display = display
        self.size = size


SCAN_WALK = WalkOptions(follow_symlinks=True)  # links inside a root are files of the model


def collect(
    paths: Sequence[str | os.PathLike[str]], walk: WalkOptions = SCAN_WALK
) -> tuple[list[_Target], list[ObjectResult], list[str], list[Finding], list[tuple[Path, str]]]:
    """Files to scan, from the same walk that hashing uses (``provenance.walk``: OMS ignore
    rules, HF snapshot links as files); what cannot be scanned (links leaving the root, special
    files, unlistable directories) as not-scanned objects with a finding each; what was
    deliberately ignored; every (path, display) of a regular file, for the folder findings. A
    file reached twice (hard link, link inside the root) is scanned once, but is in the layout
    under each name: two snapshots of a Hugging Face cache repository share the blob of an
    unchanged adapter_config.json, and each snapshot folder is an adapter of its own."""
    targets: list[_Target] = []
    unreadable: list[ObjectResult] = []
    ignored: list[str] = []
    findings: list[Finding] = []
    layout: list[tuple[Path, str]] = []
    seen: dict[tuple[int, int], str] = {}

    def add(path: Path, display: str) -> None:
        try:
            st = os.stat(path)
        except OSError as exc:
            unreadable.append(_unread(display, f"cannot read ({exc.strerror})"))
            return
        if not stat.S_ISREG(st.st_mode):
            unreadable.append(_unread(display, "not a regular file"))
            return
        layout.append((path, display))
        key = (st.st_dev, st.st_ino)
        if key in seen:
            ignored.append(f"{display}: same file as {seen[key]} (scanned there)")
            return
        seen[key] = display
        targets.append(_Target(path, display, st.st_size))
        if len(targets) > MAX_FILES:
            raise InputError(f"{display}: more than {MAX_FILES} files to scan")

    for raw in paths:
        root = Path(raw)
        if not os.path.lexists(root):
            raise InputError(f"{root}: no such file or directory")
        problems: list[WalkProblem] = []
        try:
            entries, ignores = walk_model(root, walk, problems)
        except InputError as exc:  # the root itself: dangling link, FIFO, device
            reason = str(exc).removeprefix(f"{root}: ")
            unreadable.append(_unread(str(root), reason))
            continue
        ignored += [f"{root / i}: ignored (OMS default/ignore rules)" for i in ignores
                    if os.path.lexists(root / i)]  # fmt: skip
        # an HF cache repo: name a blob by the snapshot path that links to it (blobs last)
        for e in sorted(entries, key=lambda e: e.name.startswith("blobs/")):
            add(e.path, str(root) if e.name == "." else str(root / e.name))
        for p in problems:
            unreadable.append(_unread(p.path, p.reason))
            findings.append(_problem_finding(p))
    return targets, unreadable, ignored, findings, layout


def _problem_finding(p: WalkProblem) -> Finding:
    if p.kind == "link-outside":
        from airlock.scan.config_rules import SYMLINK

        return SYMLINK.finding(p.path, p.reason)
    return R.UNREADABLE.finding(p.path, p.reason)


def _unread(display: str, reason: str) -> ObjectResult:
    return ObjectResult(display, None, "unknown", "not_scanned", reason)


# --- one file -----------------------------------------------------------------------------------


def scan_file(path: Path, display: str, options: ScanOptions) -> FileResult:
    """Scan one file and everything nested in it. Never raises for content problems."""
    return read_once(path, display, options).result


class ReadOnce:
    """One file read once: the scan result and, when asked, the digest of the very bytes that
    were scanned. ``changed``: the file changed while it was read (neither can be trusted)."""

    def __init__(self, result: FileResult) -> None:  # plain: no method source compiled at import
        self.result = result
        self.digest: str | None = None
        self.size = 0
        self.stamp: tuple[int, ...] | None = None
        self.changed = False
        self.cached = False  # the result came from ``ScanOptions.cache``


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    # ctime moves on every write and cannot be set back without root: in-place edits show
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_once(
    path: Path,
    display: str,
    options: ScanOptions,
    algorithm: str | None = None,
    *,
    follow_symlinks: bool = True,
) -> ReadOnce:
    """Open ``path`` once, digest it (``algorithm``) and scan it from the same mapping, then
    check that the file did not change meanwhile. The gate's answer to time-of-check vs
    time-of-use: the digest it reports always names the bytes it judged."""
    t0 = time.perf_counter()
    out = ReadOnce(FileResult(display))
    if options.cache is not None and algorithm is None:
        algorithm = "sha256"  # the cache is keyed by the sha256 of the bytes read
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        out.result.objects.append(_unread(display, f"cannot read ({exc.strerror or exc})"))
        return out
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):  # swapped for a FIFO/device since the walk
            out.result.objects.append(_unread(display, "not a regular file"))
            return out
        out.size, out.stamp = before.st_size, _stamp(before)
        with os.fdopen(fd, "rb", buffering=0, closefd=False) as fh:
            _read_and_scan(fh, layout_path(path, display), display, options, algorithm, out)
        out.changed = _stamp(os.fstat(fd)) != out.stamp
    except OSError as exc:
        out.result.objects.append(_unread(display, f"cannot read ({exc.strerror or exc})"))
    finally:
        os.close(fd)
    if out.changed:
        why = "file changed while it was being hashed and scanned"
        out.result.objects.append(_unread(display, why))
        out.result.findings.append(R.CHANGED.finding(display, why))
    out.result.seconds = time.perf_counter() - t0
    if options.cache is not None and out.digest and not out.changed and not out.cached:
        if algorithm == "sha256":
            options.cache.put(out.digest, display, out.result)
    return out


def layout_path(path: Path, display: str) -> Path:
    """The file as the model lays it out, for every name and sibling a handler looks at: in a
    Hugging Face cache snapshot the walk opens the blob a link resolves to (named by its hash,
    in ``blobs/``), while loaders see the link's own name and folder (``chat_template.jinja``
    beside ``unet/my_unet.py``). ``display`` when it names the same file, else ``path``."""
    if display == str(path):
        return path
    try:
        same = os.path.realpath(display) == os.path.realpath(path)
    except (OSError, ValueError):
        same = False
    return Path(display) if same else path


def _read_and_scan(
    fh: BinaryIO,
    path: Path,
    display: str,
    options: ScanOptions,
    algorithm: str | None,
    out: ReadOnce,
) -> None:
    size = out.size
    mm = _map(fh, size)
    try:
        if mm is None and size:  # file system without mmap: read small files
            if size > READ_FALLBACK_MAX:
                raise OSError(0, "cannot map the file and it is too large to read")
            data: bytes | mmap.mmap = fh.read(size)
            if len(data) != size:
                raise OSError(0, "file shrank while being read")
        else:
            data = mm if mm is not None else b""
        if algorithm is not None:
            from airlock.provenance.filehash import _new_hasher

            hasher = _new_hasher(algorithm, size)
            with memoryview(data) as view:
                for pos in range(0, size, HASH_STEP):  # hashlib drops the GIL on big updates
                    hasher.update(view[pos : pos + HASH_STEP])
                    if mm is not None and hasattr(mm, "madvise"):
                        # hashed pages leave our mapping (they stay in the page cache): memory
                        # stays bounded whatever the file size
                        mm.madvise(mmap.MADV_DONTNEED, pos, min(HASH_STEP, size - pos))
            out.digest = hasher.hexdigest()
        if options.cache is not None and algorithm == "sha256" and out.digest:
            hit = options.cache.get(out.digest, display)
            if hit is not None:
                out.result, out.cached = hit, True
                return
        src = Source(data, path=path)
        ctx = ScanContext(
            display,
            None,
            path,
            0,
            options.limits,
            Budget(
                options.limits.max_expanded_bytes, options.limits.max_resident_bytes, shared=True
            ),
        )
        try:
            with time_budget(options.limits.max_seconds), watching_folder() as seen:
                _scan_object(src, ctx, None, out.result)
            out.result.reads_folder = seen[0]
        finally:
            ctx.budget.release_to(0)  # whatever a handler held for this file is free now
        src.release()
    finally:
        if mm is not None:
            try:
                mm.close()
            except BufferError:  # a handler kept a view; the GC will unmap it
                pass


def _map(fh: BinaryIO, size: int) -> mmap.mmap | None:
    if not size:
        return None
    try:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None


def scan_data(data: bytes, name: str = "<bytes>", options: ScanOptions | None = None) -> FileResult:
    """Scan bytes already in memory (an upload, a test sample) exactly like a file."""
    return scan_source(Source(data), name, options)


def scan_source(src: Source, display: str, options: ScanOptions | None = None) -> FileResult:
    """Scan an object that is not a local file (a remote one read by ranges: ``RangedSource``)
    exactly like a file, under the same limits and budgets."""
    options = options or ScanOptions()
    t0 = time.perf_counter()
    result = FileResult(display)
    ctx = ScanContext(
        display,
        None,
        None,
        0,
        options.limits,
        Budget(options.limits.max_expanded_bytes, options.limits.max_resident_bytes, shared=True),
    )
    try:
        with time_budget(options.limits.max_seconds):
            _scan_object(src, ctx, None, result)
    finally:
        ctx.budget.release_to(0)
    result.seconds = time.perf_counter() - t0
    return result


def _scan_object(src: Source, ctx: ScanContext, hint: str | None, fr: FileResult) -> None:
    t0 = time.perf_counter()
    index = len(fr.objects)
    obj = ObjectResult(ctx.location, ctx.member, "unknown", "scanned", size=src.size)
    fr.objects.append(obj)
    findings: list[Finding] = []
    handler = registry.by_name(hint) if hint else registry.sniff(src)
    children: list[Child] = []
    loads: str | None = None
    if out_of_time():
        _fail(obj, _TIME_WHY.format(ctx.limits.max_seconds), findings, R.TIME_BUDGET, ctx)
        obj.findings = len(findings)
        fr.findings += findings
        obj.seconds = time.perf_counter() - t0
        return
    if handler is None:
        obj.status, obj.reason = "not_scanned", "unrecognised format"
    else:
        outcome = run_handler(handler, src, ctx)
        obj.format = outcome.format
        findings += outcome.findings
        children = outcome.children
        obj.notes = outcome.notes
        loads = outcome.loads
        if ctx.member is None:
            for data_file in outcome.data_files:
                fr.data_files.setdefault(data_file, ctx.location)
        if outcome.not_scanned:
            obj.status, obj.reason = "not_scanned", outcome.not_scanned
        for _name, why in outcome.skipped:
            obj.skipped[why] = obj.skipped.get(why, 0) + 1
    if hint is None:
        _other_readings(src, ctx, handler.name if handler else None, obj, findings, children)
    elif handler is not None:
        _content_reading(src, ctx, handler.name, obj, findings, children)
    if hint is None:
        findings += _name_claim(ctx, obj)
    stop = next((f for f in findings if not_judged(f.rule_id)), None)
    if stop is not None and obj.status == "scanned":
        # a budget stopped the analysis, or the format did not parse: not judged, never clean
        obj.status, obj.reason = "not_scanned", f"{stop.title}: {stop.evidence}"[:300]
    if obj.format in PICKLE_FAMILY:
        findings += _disguise(ctx, loads)
        findings += _sibling_loads(ctx, loads)
    obj.findings = len(findings)
    fr.findings += findings
    for child in children:
        if len(fr.objects) > ctx.limits.max_members:
            fr.findings.append(
                R.TOO_MANY.finding(
                    ctx.location, f"more than {ctx.limits.max_members} objects", member=ctx.member
                )
            )
            obj.status, obj.reason = "not_scanned", "too many nested objects"
            break
        if out_of_time():  # one finding for the rest, not one per member left
            why = _TIME_WHY.format(ctx.limits.max_seconds)
            fr.findings.append(R.TIME_BUDGET.finding(ctx.location, why, member=ctx.member))
            obj.status, obj.reason = "not_scanned", why
            break
        _scan_child(child, ctx, fr)
    obj.seconds = time.perf_counter() - t0
    assert fr.objects[index] is obj


def _other_readings(
    src: Source,
    ctx: ScanContext,
    primary: str | None,
    obj: ObjectResult,
    findings: list[Finding],
    children: list[Child],
) -> None:
    """Judge the object as every real loader could read it, not only as the first handler that
    recognised it: ``pickle.load``/``torch.load``'s legacy path unpickle from offset 0 whatever
    the object looks like, ``zipfile`` finds a zip by its end record, ``tarfile`` by its header,
    joblib decompresses by the magic at offset 0.
    A reading that would do something adds its findings and children; an object that is two
    formats at once is itself a finding (polyglots exist to show each tool a different file)."""
    weak = primary in WEAK_PRIMARIES
    readings: list[str] = []
    if primary not in PICKLE_READERS:
        pickled = _pickle_reading(src, ctx, weak=weak)
        label = None
        if pickled is not None and primary == "text":
            from airlock.scan.import_only_text import label_text_finding

            label = label_text_finding(src.view(), ctx, pickled)
        if label is not None:
            findings += label
        elif pickled is not None:
            findings += pickled.findings
            children += [Child.of(n, b) for n, b in pickled.nested]
            if weak:
                obj.format = "pickle"
                if obj.status == "not_scanned" and obj.reason in WEAK_REASONS:
                    obj.status, obj.reason = "scanned", None
            else:
                readings.append("pickle (from offset 0)")
    for name, family in OTHER_READINGS:
        if primary in family:
            continue
        other = registry.by_name(name)
        try:
            accepted = other is not None and other.sniff(src)
        except Exception:
            accepted = False
        if not accepted or other is None:
            continue
        readings.append(name)
        outcome = run_handler(other, src, ctx, how=f"as {name}: ")
        findings += outcome.findings
        children += outcome.children
        if outcome.not_scanned:
            obj.status, obj.reason = "not_scanned", outcome.not_scanned
        if weak and obj.format in ("unknown", "binary", "text"):
            obj.format = outcome.format
            if obj.reason in WEAK_REASONS:
                obj.status, obj.reason = "scanned", None
    if readings == ["zip"] and primary in ZIP_CARRIERS:
        readings = []
    if readings and not (weak and len(readings) == 1):
        what = f"{primary or obj.format} and " + " and ".join(readings)
        findings.append(R.POLYGLOT.finding(ctx.location, what, member=ctx.member))


def _content_reading(
    src: Source,
    ctx: ScanContext,
    hinted: str,
    obj: ObjectResult,
    findings: list[Finding],
    children: list[Child],
) -> None:
    """A member named for one loader (``archive/data.pkl``) is also read by others by its content
    (``np.load`` opens every member of a zip that starts with the .npy magic): judge that too."""
    alt = registry.sniff(src)
    if alt is None or alt.name == hinted or alt.name in CONTENT_IGNORED:
        return
    # the loader that picks it by name fails at its first byte: it is only what its content is
    single = hinted in PICKLE_READERS and (
        _dead_at_start([f for f in findings if f.member == ctx.member])
        or refused_before_effect(src.head)
    )
    if hinted in PICKLE_READERS and alt.name in PICKLE_READERS:
        return
    try:
        outcome = alt.scan(src, ctx)
    except (FormatProblem, RecursionError, MemoryError):
        return  # the content only looked like it; the hinted reading stands
    findings += outcome.findings
    children += outcome.children
    if not single:
        what = f"{hinted} by name and {alt.name}"
        findings.append(R.POLYGLOT.finding(ctx.location, what, member=ctx.member))


def _pickle_reading(src: Source, ctx: ScanContext, *, weak: bool = False) -> Any:
    """The pickle analysis from offset 0 when it means something: the stream imports or calls,
    completes (a STOP), or runs into a limit; ``None`` when an unpickler would stop at once."""
    from airlock.scan.pickle_vm import analyze_pickle

    # PERSID first: every unpickler without ``persistent_load`` stops at once, and the loaders
    # that set one (torch) read such a file (``PK\x03\x04``...) as a zip, never as a pickle.
    if not src.size or not IS_OPCODE[src.head[0]] or src.head[0] in _PERSID:
        return None
    if refused_before_effect(src.head):  # e.g. an LZMA-alone stream: "]\0" stops at byte 1
        return None
    view = src.view()
    if isinstance(view, LazyBytes):  # a remote object: only the prefix the reading needs
        from airlock.scan.remote_pickle import analyze_remote_pickle

        analysis = analyze_remote_pickle(view, ctx.location, ctx.member, ctx.limits)
    else:
        analysis = analyze_pickle(view, location=ctx.location, member=ctx.member, limits=ctx.limits)
    # bytes that merely look like a nested zip/npy inside a string argument do not make it a
    # pickle reading: only an import/call, a complete pickle or a limit does
    # (the analyser steps over anomalies a real unpickler stops at: a STOP reached past one is
    # not a complete pickle)
    # An extension-registry reference in a stream that then breaks only looks a code up in the
    # victim's own copyreg registry (empty unless the victim filled it) before the unpickler
    # stops: a safetensors header length starting 0x82-0x84 is not a pickle reading.
    if _dead_at_start(analysis.findings):
        return None
    broken = any(f.rule_id == "AIR-PKL-005" for f in analysis.findings)
    inert = ("AIR-PKL-005", "AIR-PKL-004") if broken else ("AIR-PKL-005",)
    acts = analysis.callables or (analysis.pickles and not broken)
    acts = acts or any(f.rule_id not in inert for f in analysis.findings)
    if not acts and weak and _inert_throughout(analysis, src.size):
        return analysis  # judged: a broken pickle that imports and calls nothing, read to its end
    return analysis if acts else None


def _inert_throughout(analysis: Any, size: int) -> bool:
    """Every byte was read as opcodes (the analyser steps over a break at the same position a
    more lenient loader would continue from) and nothing anywhere imports, calls or nests: no
    loader can run anything from it, whichever of them stops at the break."""
    return (
        analysis.end_offset >= size
        and not analysis.callables
        and not analysis.nested
        and all(f.rule_id == "AIR-PKL-005" for f in analysis.findings)
    )


def _dead_at_start(findings: list[Finding]) -> bool:
    """The stream's very first opcode makes both unpicklers raise (a tar header's name read as
    PUT, zlib's ``x`` as an opcode): nothing ran, so this is no pickle reading, whatever the
    analyser (which steps over breaks, conservatively) found further on."""
    first = next((f for f in findings if f.rule_id == "AIR-PKL-005"), None)
    return first is not None and first.offset == 0


def run_handler(
    handler: FormatHandler, src: Source, ctx: ScanContext, how: str = ""
) -> ScanOutcome:
    """``handler.scan`` with every failure made an outcome: the one path for an object that
    claims a format and does not parse as it (``FormatProblem``; ``Unparseable`` names the
    format's own rule and keeps what was read before the break), a budget that stopped it, or a
    scanner bug. A failure is a finding and the object is not scanned, which denies."""
    try:
        return handler.scan(src, ctx)
    except BombError as exc:
        return _failed(handler.name, f"{how}{exc}", R.BOMB, ctx)
    except Unparseable as exc:
        return _failed(handler.name, f"{how}{exc}", exc.rule, ctx, exc.partial)
    except FormatProblem as exc:
        return _failed(handler.name, f"{how}{exc}", R.UNPARSEABLE, ctx)
    except RecursionError:
        return _failed(handler.name, f"{how}nesting too deep for the parser", R.UNPARSEABLE, ctx)
    except MemoryError:
        return _failed(handler.name, f"{how}out of memory while scanning", R.SCANNER_ERROR, ctx)
    except Exception as exc:
        why = f"{how}scanner error: {type(exc).__name__}: {exc}"
        return _failed(handler.name, why, R.SCANNER_ERROR, ctx)


def _failed(
    fmt: str, reason: str, rule: Rule, ctx: ScanContext, partial: ScanOutcome | None = None
) -> ScanOutcome:
    out = partial if partial is not None else ScanOutcome(format=fmt)
    out.not_scanned = reason[:300]
    out.findings.append(rule.finding(ctx.location, out.not_scanned, member=ctx.member))
    return out


def _fail(
    obj: ObjectResult, reason: str, findings: list[Finding], rule: Rule, ctx: ScanContext
) -> None:
    obj.status, obj.reason = "not_scanned", reason
    findings.append(rule.finding(ctx.location, reason, member=ctx.member))


def not_judged(rule_id: str) -> bool:
    """A finding of this rule means its object was not fully judged (``Rule.blocks``)."""
    rule = lookup(rule_id)
    return rule is not None and rule.blocks


def _name_claim(ctx: ScanContext, obj: ObjectResult) -> list[Finding]:
    """A name that promises a format the bytes are not: the loader picked by that name reads
    something the scanner did not judge as it (``.safetensors`` with a header running past the
    file, garbage ``.h5``)."""
    name = ctx.member.rsplit("!", 1)[-1] if ctx.member else ctx.location
    path = PurePosixPath(name.replace("\\", "/"))
    suffix = path.suffix.lower()
    claimed = NAME_CLAIMS_EXACT.get(path.name.lower(), NAME_CLAIMS.get(suffix))
    if claimed is None or obj.format in claimed:
        return []
    if path.name.lower() in NAME_CLAIMS_EXACT:
        suffix = path.name  # the loader's own file name
    why = f"{name!r} is named like {suffix} but reads as {obj.format}"
    return [R.FORMAT_MISMATCH.finding(ctx.location, why, member=ctx.member)]


SIBLINGS_KEY = "loads_siblings"


def _sibling_loads(ctx: ScanContext, loads: str | None) -> list[Finding]:
    """A pickle whose class's own ``load`` also unpickles fixed files beside it (gensim's
    ``LdaModel``: ``.state``, ``.id2word``): AIR-PKL-018 naming them, which
    :func:`settle_siblings` removes when the same scan judged them as files. A nested object
    (no path of its own) keeps it."""
    if not gensim_specials.SIBLINGS.get(loads or ""):
        return []
    from airlock.scan.pickle_rules import rule

    top = ctx.member is None and ctx.fs_path is not None
    names = gensim_specials.siblings(str(ctx.fs_path) if top else ctx.location, loads)
    why = (
        f"{loads}.load also unpickles {', '.join(repr(Path(n).name) for n in names)} beside "
        "this file: judged only when the same scan holds them (scan the folder)"
    )
    extra: dict[str, Any] = {"callable": loads}
    if top:
        extra[SIBLINGS_KEY] = names
    return [rule("AIR-PKL-018").finding(ctx.location, why, member=ctx.member, extra=extra)]


def settle_siblings(files: Sequence[tuple[Path, FileResult]]) -> None:
    """Drop a :func:`_sibling_loads` finding when every file it names is one of this scan's
    files (their own results then stand for them, and deny as any file's would)."""
    scanned = set()
    for path, _fr in files:
        try:
            scanned.add(path.resolve())
        except (OSError, RuntimeError):
            continue
    for _path, fr in files:
        keep = []
        for f in fr.findings:
            names = (f.extra or {}).get(SIBLINGS_KEY) if f.rule_id == "AIR-PKL-018" else None
            if type(names) is list and names and all(_in(n, scanned) for n in names):
                obj = next((o for o in fr.objects if o.member == f.member), None)
                if obj is not None:
                    obj.findings -= 1
                    obj.notes.append("the siblings its load unpickles were judged by this scan")
                continue
            keep.append(f)
        fr.findings = keep


def _in(name: Any, scanned: set[Path]) -> bool:
    try:
        return type(name) is str and Path(name).resolve() in scanned
    except (OSError, RuntimeError):
        return False


def _disguise(ctx: ScanContext, loads: str | None) -> list[Finding]:
    """A pickle named like a format that cannot run code. ``.model`` is also the name gensim's
    documentation gives its ``save()`` pickles: one that loads a gensim SaveLoad model (whose
    state ``gensim_specials`` judges) is what it claims to be."""
    name = ctx.member.rsplit("!", 1)[-1] if ctx.member else ctx.location
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix == ".model" and loads in gensim_specials.SAVELOAD:
        return []
    if suffix in SAFE_LOOKING_SUFFIXES:
        return [
            R.DISGUISED.finding(ctx.location, f"{name!r} is a pickle-based file", member=ctx.member)
        ]
    return []


def _scan_child(child: Child, parent: ScanContext, fr: FileResult) -> None:
    ctx = parent.child(child.name, child.read_as)
    crc = child.crc
    if ctx.depth > ctx.limits.max_depth:
        obj = ObjectResult(
            ctx.location, ctx.member, "unknown", "not_scanned", "nesting too deep", child.size
        )
        obj.findings = 1
        fr.objects.append(obj)
        fr.findings.append(
            R.TOO_DEEP.finding(ctx.location, f"depth {ctx.depth}", member=ctx.member)
        )
        return
    held = ctx.budget.held
    try:
        _load_and_scan(child, ctx, crc, fr)
    finally:
        ctx.budget.release_to(held)  # the child's expanded bytes are garbage once judged


def _ranged_member(data: LazyBytes, hint: str | None) -> RangedSource | None:
    """A large remote stored member as its own ranged object, when every reading the engine
    takes of it runs on ranges (``RANGED_READERS``); ``None``: copied or spooled (``local``)."""
    if len(data) <= IN_MEMORY:
        return None  # copied into memory: cheaper than ranged reads
    src = data.source()
    first = registry.by_name(hint) if hint else registry.sniff(src)
    names = {first.name if first is not None else None}
    if hint:  # ``_content_reading`` runs whatever its content sniffs as too
        alt = registry.sniff(src)
        names.add(alt.name if alt is not None else None)
    return src if names <= RANGED_READERS else None


def _load_and_scan(child: Child, ctx: ScanContext, crc: int | None, fr: FileResult) -> None:
    extra: list[Finding] = []
    spooled: Spooled | None = None
    try:
        data: Any = child.load()
        if isinstance(data, LazyBytes):  # a remote stored member: by ranges, in memory, spooled
            data = _ranged_member(data, child.hint) or data.local(ctx.budget)
            if isinstance(data, Spooled):
                spooled, data = data, data.map
    except TruncatedStream as exc:
        data = exc.partial
        extra.append(R.TRUNCATED_STREAM.finding(ctx.location, str(exc), member=ctx.member))
    except (FormatProblem, MemoryError) as exc:
        rule = (
            R.ENCRYPTED
            if isinstance(exc, EncryptedMember)
            else R.BOMB
            if isinstance(exc, BombError | MemoryError)
            else R.UNPARSEABLE
        )
        reason = str(exc) or "out of memory"
        obj = ObjectResult(
            ctx.location, ctx.member, "unknown", "not_scanned", reason, child.size, 1
        )
        fr.objects.append(obj)
        fr.findings.append(rule.finding(ctx.location, reason, member=ctx.member))
        return
    try:
        _check_and_scan(child, ctx, crc, fr, data, extra)
    finally:
        if spooled is not None:
            del data
            spooled.close()


def _check_and_scan(
    child: Child, ctx: ScanContext, crc: int | None, fr: FileResult, data: Any, extra: list[Finding]
) -> None:
    # CRC only where the bytes are read anyway (pickles) or cheap: never a multi-GiB stored member
    ranged = data if isinstance(data, RangedSource) else None
    size = ranged.size if ranged is not None else len(data)
    check_crc = crc is not None and (child.hint == "pickle" or size <= CRC_MAX_BYTES)
    if check_crc:
        # a ranged member is read through once for it, in order, before the scan (which then
        # finds up to ``CACHE_BYTES`` of it cached); time up: the scan says not judged
        got = ranged.crc32(out_of_time) if ranged is not None else zlib.crc32(data) & 0xFFFFFFFF
        if got is not None and got != crc:
            extra.append(
                R.CRC_MISMATCH.finding(
                    ctx.location, f"stored CRC {crc:08x}, data CRC {got:08x}", member=ctx.member
                )
            )
    before = len(fr.objects)
    _scan_object(ranged if ranged is not None else Source(data), ctx, child.hint, fr)
    if extra:
        fr.findings += extra
        obj = fr.objects[before]
        obj.findings += len(extra)
        # a stream that broke off was judged only as far as it decoded (rt17zip: a deflated
        # torch data.pkl cut short was ALLOW, AIR-ARC-006 never reaching the object's status)
        stop = next((f for f in extra if not_judged(f.rule_id)), None)
        if stop is not None and obj.status == "scanned":
            obj.status, obj.reason = "not_scanned", f"{stop.title}: {stop.evidence}"[:300]


# --- many files ---------------------------------------------------------------------------------


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _plan(targets: list[_Target], options: ScanOptions) -> tuple[str, int]:
    """Serial for one file; processes when >= 2 files need real pickle work; threads otherwise."""
    cpus = _cpus()
    workers = options.workers or min(8, max(1, cpus))
    if options.mode != "auto":
        mode = options.mode
        return (mode, 1 if mode == "serial" else max(1, min(workers, len(targets))))
    if len(targets) <= 1 or workers == 1:
        return "serial", 1
    heavy = [t for t in targets if t.size >= 1 << 20 and _looks_heavy(t.path)]
    if cpus >= 2 and len(heavy) >= 2 and sum(t.size for t in heavy) >= _PROCESS_MIN_BYTES:
        return "processes", max(1, min(workers, len(heavy)))
    return "threads", max(1, min(workers * 2, len(targets)))


def _looks_heavy(path: Path) -> bool:
    """Cheap pre-sniff (4 KiB): will this file need the pure-Python pickle analyser at length?"""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    src = Source(head)
    handler = registry.sniff(src)
    return handler is not None and handler.name in _HEAVY


def _pool(mode: str, workers: int) -> "Executor":
    from concurrent.futures import ThreadPoolExecutor  # only for many files: not at start-up

    if mode == "processes":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        import airlock.scan.pickle_vm  # noqa: F401 - imported once, inherited by forked workers

        method = "fork" if threading.active_count() == 1 else "forkserver"
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
    return ThreadPoolExecutor(workers, thread_name_prefix="airlock-scan")


def scan_paths(
    paths: Sequence[str | os.PathLike[str]], options: ScanOptions | None = None
) -> ScanReport:
    """Scan files, directories and Hugging Face cache repos; the library entry point.

    Raises ``InputError`` for a path that does not exist; everything about content is in the
    report (findings, not-scanned objects), never an exception.
    """
    options = options or ScanOptions()
    t0 = time.perf_counter()
    targets, unreadable, ignored, walk_findings, layout = collect(paths)
    mode, workers = _plan(targets, options)
    report = ScanReport([str(p) for p in paths], ignored=ignored, workers=workers, mode=mode)
    results: list[FileResult] = []
    if mode == "serial":
        results = [scan_file(t.path, t.display, options) for t in targets]
    else:
        order = sorted(range(len(targets)), key=lambda i: -targets[i].size)
        slots: list[FileResult | None] = [None] * len(targets)
        with _pool(mode, workers) as pool:
            futures = {
                i: pool.submit(scan_file, targets[i].path, targets[i].display, options)
                for i in order
            }
            for i, fut in futures.items():
                try:
                    slots[i] = fut.result()
                except Exception as exc:
                    why = f"{type(exc).__name__}: {exc}"
                    if type(exc).__name__ == "BrokenProcessPool":
                        why = "scanner process died (crash or out of memory)"
                    slots[i] = _crashed(targets[i].display, why)
        results = [r for r in slots if r is not None]
    settle_data_files([(t.path, r) for t, r in zip(targets, results, strict=True)])
    settle_siblings([(t.path, r) for t, r in zip(targets, results, strict=True)])
    for r in results:
        report.objects += r.objects
        report.findings += r.findings
    report.findings += walk_findings
    report.objects += unreadable
    add_folder_findings(report, layout)
    report.seconds = time.perf_counter() - t0
    return report


def add_folder_findings(report: ScanReport, files: Sequence[tuple[Path, str]]) -> None:
    """What only a folder as a whole can show, for ``scan`` and ``check`` alike: adapter
    folders, and a config declaring far more than the weights beside it (AIR-CFG-030)."""
    add_adapters(report, files)
    report.findings += declared_size.folder_findings(files)


def add_adapters(report: ScanReport, files: Sequence[tuple[Path, str]]) -> None:
    """Adapter folders among the walked files: described in ``report.models``, with the
    findings only the folder as a whole can give (``airlock.scan.adapters``)."""
    if not any(PurePath(d).name == "adapter_config.json" for _, d in files):
        return
    from airlock.scan.adapters import describe_adapters

    models, findings = describe_adapters(files)
    report.models += models
    report.findings += findings


def settle_data_files(files: Sequence[tuple[Path, FileResult]]) -> None:
    """A file whose content is no known format but that another file of the same scan reads as
    raw bytes by offset (ONNX external data, range and location checked by that reader) is
    judged: loaders copy those bytes into tensors and interpret nothing in them. Anything else
    about the file (a finding, a nested object, a sniffed format) leaves it as it was, except a
    shard of a clean TensorFlow bundle index whose only findings say it did not parse as the
    format its first bytes looked like (rt14: honest float bytes that start like a msgpack map
    were AIR-FLAX-000): TensorFlow reads the shard only by the index's offsets."""
    readers: dict[Path, tuple[str, bool]] = {}
    for _path, fr in files:
        bundle = not fr.findings and [o.format for o in fr.objects] == ["tf-bundle-index"]
        for data_file, reader in fr.data_files.items():
            readers.setdefault(data_file, (reader, bundle))
    if not readers:
        return
    for path, fr in files:
        if len(fr.objects) != 1 or fr.objects[0].member:
            continue
        try:
            claim = readers.get(path.resolve())
        except (OSError, RuntimeError):
            continue
        if claim is None:
            continue
        claimant, bundle = claim
        obj = fr.objects[0]
        if fr.findings:
            if not (bundle and obj.status == "not_scanned" and _only_unparsed(fr.findings)):
                continue
            sniffed = obj.format
            fr.findings, obj.findings = [], 0
            obj.notes = [f"first bytes look like {sniffed}; judged by its bundle index"]
        elif obj.status != "not_scanned" or obj.reason not in WEAK_REASONS:
            continue
        else:
            obj.notes = []
        obj.status, obj.reason, obj.format = "scanned", None, "external-data"
        obj.notes.append(f"raw tensor bytes read by offset by {claimant}")


def _only_unparsed(findings: list[Finding]) -> bool:
    """Every finding says the object was not judged (a format that did not parse, a budget),
    none that it holds something or reads as two formats."""
    return all(not_judged(f.rule_id) and f.rule_id != R.POLYGLOT.rule_id for f in findings)


def _crashed(display: str, why: str) -> FileResult:
    fr = FileResult(display)
    fr.objects.append(_unread(display, why))
    fr.findings.append(R.SCANNER_ERROR.finding(display, why))
    fr.objects[0].findings = 1
    return fr


def scan(path: str | os.PathLike[str], options: ScanOptions | None = None) -> ScanReport:
    """``airlock.scan(path)``: scan one file or directory."""
    return scan_paths([path], options)
