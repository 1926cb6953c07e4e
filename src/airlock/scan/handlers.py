"""Handlers for the pickle family and the containers around it: raw pickle (protocols 0-5,
cloudpickle and dill streams are plain pickles), PyTorch zip / TorchScript / legacy, NumPy,
joblib, and generic zip, tar and compressed streams. Every one only reads bytes; the pickle
analysis itself is ``airlock.scan.pickle_vm``.
"""

from __future__ import annotations

import ast
import codecs
import dataclasses
import re
from typing import Any

from airlock.formats import archive, joblib, numpy, torch
from airlock.formats.pickle_sniff import looks_like_pickle
from airlock.report import Finding
from airlock.scan import engine_rules as R
from airlock.scan.interface import Child, FormatProblem, ScanContext, ScanOutcome, Source

STORAGE_SKIP = "tensor storage (raw bytes the loader copies, never deserialises)"
MAX_TEXT_BYTES = 64 * 1024**2


def _shift(findings: list[Finding], delta: int) -> list[Finding]:
    if not delta:
        return findings
    return [
        dataclasses.replace(f, offset=None if f.offset is None else f.offset + delta)
        for f in findings
    ]


def _analyze(
    data: bytes | memoryview, ctx: ScanContext, *, multi: bool = True, joblib_mode: bool = False
) -> Any:
    from airlock.scan.pickle_vm import analyze_pickle

    return analyze_pickle(
        data,
        location=ctx.location,
        member=ctx.member,
        multi=multi,
        joblib=joblib_mode,
        limits=ctx.limits,
    )


def _error_finding(analysis: Any, ctx: ScanContext, delta: int = 0) -> list[Finding]:
    """A broken pickle is itself a finding. The analyser flags the break itself; this covers
    an error it reported without any finding, so a break is never silent."""
    if not analysis.error or analysis.findings:
        return []
    return [
        R.UNPARSEABLE.finding(
            ctx.location,
            f"pickle stream: {analysis.error}",
            member=ctx.member,
            offset=analysis.end_offset + delta,
        )
    ]


MAX_LISTED_GLOBALS = 100  # names in the pickle handler's 'imports:' note

class EmptyHandler:
    """Zero-length objects: nothing to load, nothing to run."""

    name = "empty"

    def sniff(self, src: Source) -> bool:
        return src.size == 0

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        return ScanOutcome(format="empty")


class PickleHandler:
    """Raw pickle streams (also cloudpickle, dill, joblib, PyTorch ``data.pkl``)."""

    name = "pickle"

    def sniff(self, src: Source) -> bool:
        return looks_like_pickle(src.view())

    def scan(
        self,
        src: Source,
        ctx: ScanContext,
        *,
        joblib_mode: bool | None = None,
        torchscript: bool = False,
        **options: Any,
    ) -> ScanOutcome:
        # The analyser bounds opcode bytes itself (limits.max_pickle_bytes) and skips the raw
        # storage/array bytes that follow legacy torch and joblib pickles, so a 1 GiB file whose
        # pickles are small is read completely; only a limit actually hit means "not scanned".
        data = src.view()
        is_joblib = joblib.is_joblib_pickle(data) if joblib_mode is None else joblib_mode
        analysis = _analyze(data, ctx, joblib_mode=is_joblib)
        findings = list(analysis.findings)
        not_scanned = None
        if any(f.rule_id == "AIR-PKL-011" for f in findings):
            not_scanned = "pickle analysis stopped at a limit: only the start analysed"
        if torchscript:
            findings = [f for f in findings if not _torchscript_type(f)]
        findings += _error_finding(analysis, ctx)
        children = [Child.of(name, blob) for name, blob in analysis.nested]
        notes = [f"{analysis.pickles} pickle stream(s), {len(analysis.callables)} callables"]
        if analysis.callables:  # what loading it imports (scan -v, JSON notes)
            more = len(analysis.callables) - MAX_LISTED_GLOBALS
            names = [n[:200] for n in analysis.callables[:MAX_LISTED_GLOBALS]]
            notes.append("imports: " + ", ".join(names)
                         + (f" (+{more} more left out)" if more > 0 else ""))  # fmt: skip
        return ScanOutcome(
            format="joblib" if is_joblib else "pickle",
            findings=findings,
            children=children,
            not_scanned=not_scanned,
            notes=notes,
        )


def _torchscript_type(f: Finding) -> bool:
    """TorchScript's own class references (``__torch__.*``) resolve to code in the archive, which
    is checked separately; they are not Python imports."""
    name = str(f.extra.get("callable") or f.extra.get("subject") or f.evidence or "")
    return name.startswith("__torch__.") or name.startswith("torch.jit._pickle.")


class NumpyHandler:
    """``.npy``: header literal parsed, object arrays' pickle analysed."""

    name = "npy"

    def sniff(self, src: Source) -> bool:
        return src.head.startswith(numpy.MAGIC)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        need = numpy.header_bytes_needed(src.head)
        try:
            header = numpy.parse_header(src.read_at(0, need))
        except numpy.NpyError as exc:
            raise FormatProblem(str(exc)) from None
        out = ScanOutcome(format="npy")
        if header.has_object:
            # Not a finding by itself: the embedded pickle is judged like any other, so a clean
            # object array of plain values is clean (np.save of strings, dicts, dates).
            out.notes.append(f"object array {header.descr!r}: embedded pickle analysed"[:200])
            payload = src.view()[header.data_offset :]
            out.children.append(Child.of("<object-array-pickle>", payload, hint="pickle"))
        else:
            out.notes.append(f"array {header.descr!r} shape {header.shape}"[:200])
        return out


class TorchZipHandler:
    """PyTorch zip checkpoints and TorchScript archives (any archive prefix, any compression)."""

    name = "pytorch-zip"

    def sniff(self, src: Source) -> bool:
        if not archive.looks_like_zip(src):
            return False
        try:
            listing = archive.read_zip(src, _sniff_limits())
        except FormatProblem:
            return False
        return torch.is_torch_zip(listing.names())

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        listing = _listing(src, ctx)
        layout = torch.classify_members(listing.names())
        out = ScanOutcome(format="torchscript" if layout.torchscript else "pytorch")
        _zip_problems(listing, ctx, out)
        storages = set(layout.storages)
        pickles = set(layout.pickles)
        code = set(layout.code)
        metadata = set(layout.metadata)
        def role(m: archive.ZipMember) -> int:
            return (m.name in pickles) + 2 * (m.name in code) + 4 * (m.name in metadata)

        for m in _unique_members(listing, out, frozenset(storages), role):
            if m.is_dir:
                continue
            if m.name in storages:
                out.skipped.append((m.name, STORAGE_SKIP))
            elif m.name in pickles:
                out.children.append(
                    _zip_child(src, m, ctx, hint="pickle", torchscript=layout.torchscript)
                )
            elif m.name in code:
                out.children.append(_zip_child(src, m, ctx, hint="torchscript-code"))
            elif m.name in metadata and m.size <= 4096:
                out.children.append(_zip_child(src, m, ctx, hint="torch-record"))
            else:
                out.children.append(_zip_child(src, m, ctx))
        out.notes.append(
            f"{len(layout.pickles)} pickle(s), {len(layout.code)} code file(s), "
            f"{len(layout.storages)} storages not read, via {listing.via} directory"
        )
        return out


def _sniff_limits() -> Any:
    from airlock.scan.interface import Limits

    return Limits()


def _listing(src: Source, ctx: ScanContext) -> archive.ZipListing:
    """The zip directory (maybe parsed by ``sniff`` with default limits), checked against ours."""
    listing = archive.read_zip(src, ctx.limits)
    if len(listing.members) > ctx.limits.max_members:
        raise archive.BombError(f"more than {ctx.limits.max_members} zip members")
    return listing


DUPLICATE_SKIP = "directory entry naming bytes already judged (same offset, sizes, method)"


def _unique_members(
    listing: archive.ZipListing,
    out: ScanOutcome,
    raw: frozenset[str] = frozenset(),
    role: Any = None,
) -> list[archive.ZipMember]:
    """Each stored byte range once: entries that name the same bytes read the same way (the
    non-recursive zip bomb: thousands of entries, one member) are judged once, not each time
    (their names still get the name-based readings through the first entry's content)."""
    seen: set[tuple[Any, ...]] = set()
    keep = []
    for m in listing.members:
        # the role (a torch data.pkl is unpickled by name) is part of how the bytes are read
        key = (m.data_offset, m.comp_size, m.method, m.size, m.crc, role(m) if role else None)
        if m.name in raw:  # never read (tensor storage): it judges nothing for a duplicate
            keep.append(m)
            continue
        if m.data_offset is not None and not m.is_dir and key in seen:
            out.skipped.append((m.name, DUPLICATE_SKIP))
            continue
        seen.add(key)
        keep.append(m)
    return keep


def _zip_child(
    src: Source, m: archive.ZipMember, ctx: ScanContext, hint: str | None = None, **options: Any
) -> Child:
    def load() -> bytes | memoryview:
        return archive.member_data(src, m, ctx.limits, ctx.budget)

    return Child(m.name, load, m.size, hint, dict(options), crc=m.crc)


def _zip_problems(listing: archive.ZipListing, ctx: ScanContext, out: ScanOutcome) -> None:
    for problem in listing.problems:
        out.findings.append(R.DAMAGED_ZIP.finding(ctx.location, problem, member=ctx.member))
    _escapes([(m.name, archive.path_escape(m.name)) for m in listing.members], ctx, out)
    if listing.prefix:
        out.notes.append(f"{listing.prefix} bytes precede the zip archive")


def _escapes(whys: list[tuple[str, str | None]], ctx: ScanContext, out: ScanOutcome) -> None:
    """Members that write or link outside the extraction directory (zip-slip, tar links)."""
    for _name, why in whys:
        if why is not None:
            out.findings.append(R.ARCHIVE_ESCAPE.finding(ctx.location, why, member=ctx.member))


def _tar_problems(members: list[archive.TarMember], ctx: ScanContext, out: ScanOutcome) -> None:
    _escapes([(m.name, archive.path_escape(m.name)) for m in members], ctx, out)
    _escapes([(m.name, archive.link_escape(m)) for m in members], ctx, out)


class ZipHandler:
    """Any other zip (``.npz``, archives of models): every member is sniffed in turn."""

    name = "zip"

    def sniff(self, src: Source) -> bool:
        return archive.looks_like_zip(src)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        listing = _listing(src, ctx)
        names = [m.name for m in listing.members if not m.is_dir]
        npz = bool(names) and all(n.endswith(".npy") for n in names)
        out = ScanOutcome(format="npz" if npz else "zip")
        _zip_problems(listing, ctx, out)
        for m in _unique_members(listing, out):
            if not m.is_dir:
                out.children.append(_zip_child(src, m, ctx))
        out.notes.append(f"{len(names)} member(s) via {listing.via} directory")
        return out


class TarHandler:
    """POSIX/GNU tar: regular members are zero-copy slices."""

    name = "tar"

    def sniff(self, src: Source) -> bool:
        return archive.looks_like_tar(src)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        members = archive.read_tar(src, ctx.limits)
        out = ScanOutcome(format="tar")
        _tar_problems(members, ctx, out)
        for m in members:
            if m.kind == "file":
                out.children.append(_tar_child(src, m))
            elif m.kind in ("sparse", "other"):
                out.skipped.append((m.name, f"{m.kind} tar member not supported"))
        return out


def _tar_child(src: Source, m: archive.TarMember, hint: str | None = None, **options: Any) -> Child:
    def load() -> bytes | memoryview:
        if m.offset + m.size > src.size:
            raise FormatProblem(f"{m.name}: tar member runs past the end of the archive")
        return src.view()[m.offset : m.offset + m.size]

    return Child(m.name, load, m.size, hint, dict(options))


class TorchLegacyTarHandler:
    """PyTorch < 0.1.10 tar checkpoints: ``pickle``, ``sys_info`` and the stacked records."""

    name = "pytorch-legacy-tar"

    def sniff(self, src: Source) -> bool:
        if not archive.looks_like_tar(src):
            return False
        try:
            return torch.is_legacy_tar([m.name for m in archive.read_tar(src, _sniff_limits())])
        except FormatProblem:
            return False

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        out = ScanOutcome(format="pytorch-legacy-tar")
        members = archive.read_tar(src, ctx.limits)
        _tar_problems(members, ctx, out)
        for m in members:
            if m.kind != "file":
                continue
            if m.name in ("pickle", "sys_info"):
                out.children.append(_tar_child(src, m, hint="pickle"))
            elif m.name in ("storages", "tensors"):
                out.children.append(_tar_child(src, m, hint="pytorch-legacy-records", kind=m.name))
            else:
                out.children.append(_tar_child(src, m))
        return out


class TorchLegacyRecordsHandler:
    """The ``storages``/``tensors`` members of a legacy tar: a count pickle, then per record a
    small pickle followed by raw bytes (storage data, or a binary tensor header)."""

    name = "pytorch-legacy-records"

    def sniff(self, src: Source) -> bool:
        return False  # reached only by hint

    def scan(
        self, src: Source, ctx: ScanContext, *, kind: str = "storages", **options: Any
    ) -> ScanOutcome:
        data = src.view()
        out = ScanOutcome(format=f"pytorch-legacy-{kind}")
        first = _analyze(data, ctx, multi=False)
        out.findings += first.findings + _error_finding(first, ctx)
        if first.error:
            return out
        offset = first.end_offset
        records = 0
        while offset < src.size and records < ctx.limits.max_members:
            res = _analyze(data[offset:], ctx, multi=False)
            out.findings += _shift(list(res.findings), offset) + _error_finding(res, ctx, offset)
            if res.error:
                return out
            offset += res.end_offset
            records += 1
            try:
                if kind == "tensors":
                    offset = torch.skip_tensor_record(data, offset)
                else:
                    size = torch.storage_element_size(list(res.callables))
                    if size is None and res.callables:
                        raise ValueError(f"unknown storage type {res.callables[-1]}")
                    if size is None:  # the storage_views pickle that ends the member
                        break
                    offset = torch.skip_storage_record(data, offset, size)
            except ValueError as exc:
                out.findings.append(
                    R.LEGACY_LAYOUT.finding(
                        ctx.location, str(exc), member=ctx.member, offset=offset
                    )
                )
                out.not_scanned = f"record layout broken at offset {offset}"
                return out
        if offset < src.size:
            out.notes.append(f"{src.size - offset} trailing bytes after the last record not read")
        out.notes.append(f"{records} record(s), raw data skipped")
        return out


class TorchLegacyHandler:
    """``torch.save(..., _use_new_zipfile_serialization=False)``: five stacked pickles, then raw
    storage bytes that are never read."""

    name = "pytorch-legacy"

    def sniff(self, src: Source) -> bool:
        return torch.is_legacy_stacked(src.head)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        data = src.view()
        out = ScanOutcome(format="pytorch-legacy")
        offset = 0
        for _ in range(torch.LEGACY_PICKLES):
            res = _analyze(data[offset:], ctx, multi=False)
            out.findings += _shift(list(res.findings), offset) + _error_finding(res, ctx, offset)
            out.children += [Child.of(n, b) for n, b in res.nested]
            if res.error:
                return out
            offset += res.end_offset
        out.notes.append(f"{src.size - offset} bytes of raw storage data not read")
        return out


class CompressedHandler:
    """gzip, bz2, xz, lzma-alone, LZ4 frames, raw zlib streams and joblib's ``ZF`` container."""

    name = "compressed"

    def sniff(self, src: Source) -> bool:
        head = src.head
        return archive.compression_of(head) is not None or joblib.parse_zfile(head) is not None

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        head = src.head
        zf = joblib.parse_zfile(head)
        if zf is not None:
            kind, start, label = "zlib", zf[0], "joblib-zfile"
        else:
            found = archive.compression_of(head)
            if found is None:
                raise FormatProblem("unknown compression")
            kind, start, label = found, 0, found
        payload = src.view()[start:]

        def load() -> bytes | memoryview:
            return archive.decompress_stream(kind, payload, ctx.limits, ctx.budget, label)

        return ScanOutcome(format=label, children=[Child(f"<{label}>", load, None)])


_UNSUPPORTED = {
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "rar",
    b"\x28\xb5\x2f\xfd": "zstd",
}


class UnsupportedArchiveHandler:
    """Containers we cannot open (7z, RAR, zstd): not scanned, and said so loudly."""

    name = "unsupported-archive"

    def sniff(self, src: Source) -> bool:
        return any(src.head.startswith(magic) for magic in _UNSUPPORTED)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        kind = next(k for m, k in _UNSUPPORTED.items() if src.head.startswith(m))
        finding = R.UNSUPPORTED_ARCHIVE.finding(
            ctx.location, f"{kind} container", member=ctx.member
        )
        return ScanOutcome(
            format=kind, findings=[finding], not_scanned=f"{kind} archives are not supported"
        )


class TorchScriptCodeHandler:
    """Python-syntax TorchScript code in ``code/``: compiled and run when the archive loads."""

    name = "torchscript-code"

    def sniff(self, src: Source) -> bool:
        return False  # reached only by hint

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        out = ScanOutcome(format="torchscript-code")
        if src.size > MAX_TEXT_BYTES:
            out.not_scanned = "code member too large"
            return out
        text = bytes(src.view()).decode("utf-8", "replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            out.findings.append(
                R.TORCHSCRIPT_UNPARSEABLE.finding(ctx.location, str(exc)[:200], member=ctx.member)
            )
            return out
        for name, line, is_call in _dotted_names(tree):
            rule = _torchscript_rule(name, is_call)
            if rule is not None:
                out.findings.append(
                    rule.finding(
                        ctx.location,
                        f"{name} (line {line})",
                        member=ctx.member,
                        extra={"callable": name},
                    )
                )
        return out


_TS_DANGEROUS_MODULES = frozenset(
    {
        "os", "sys", "subprocess", "socket", "shutil", "builtins", "__builtins__", "importlib",
        "pickle", "marshal", "ctypes", "runpy", "pty", "posix", "nt", "requests", "urllib",
        "webbrowser",
    }
)  # fmt: skip
# getattr/setattr are TorchScript builtins over module attributes (traced code uses
# ``getattr(self, "0")``), not Python's reflection: they are not on this list.
_TS_DANGEROUS_BUILTINS = frozenset(
    {"eval", "exec", "compile", "__import__", "open", "globals", "locals", "vars", "breakpoint",
     "input"}
)  # fmt: skip
_TS_STD_NAMESPACES = frozenset(
    {"aten", "prim", "quantized", "_quantized", "_caffe2", "profiler", "_c10d_functional",
     "c10d", "_c10d_functional_autograd", "quantized_decomposed", "image", "torchvision",
     "torchaudio", "torchtext", "fbgemm", "mkldnn", "mkl", "_test"}
)  # fmt: skip
_TS_DANGEROUS_OP = re.compile(
    r"(?:^|_)(save|load|open|system|popen|exec|spawn|fork|write|read_file|unlink|remove)(?:_|$)"
)


def _dotted_names(tree: ast.AST) -> list[tuple[str, int, bool]]:
    """Outermost name/attribute chains (``torch.ops.aten.add``), whether each is called, and
    imports (TorchScript has none; a serialized one is hand-made)."""
    inner: set[int] = set()
    called: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
        elif isinstance(node, ast.Call):
            called.add(id(node.func))
    found: list[tuple[str, int, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and id(node) not in inner:
            parts: list[str] = []
            cur: ast.AST = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name):
                parts.append(cur.id)
                found.append((".".join(reversed(parts)), node.lineno, id(node) in called))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            mod = getattr(node, "module", None) or ",".join(a.name for a in node.names)
            found.append((f"import {mod}", node.lineno, True))
    return found


def _torchscript_rule(name: str, is_call: bool) -> Any:
    if name.startswith("import "):
        return R.TORCHSCRIPT_CALL
    parts = name.split(".")
    if len(parts) >= 2 and parts[0] in _TS_DANGEROUS_MODULES:
        return R.TORCHSCRIPT_CALL
    if len(parts) == 1 and is_call and parts[0] in _TS_DANGEROUS_BUILTINS:
        return R.TORCHSCRIPT_CALL
    if parts[:2] == ["torch", "ops"]:
        parts = parts[1:]
    if len(parts) >= 3 and parts[0] == "ops":
        ns, op = parts[1], parts[2]
        if _TS_DANGEROUS_OP.search(op):
            return R.TORCHSCRIPT_CALL
        if ns not in _TS_STD_NAMESPACES:
            return R.TORCHSCRIPT_CUSTOM_OP
    return None


class TorchRecordHandler:
    """Tiny records of a PyTorch zip (``version``, ``byteorder``...) that torch parses as a number
    or a word, never unpickles: checked to be short text, nothing else."""

    name = "torch-record"

    def sniff(self, src: Source) -> bool:
        return False  # reached only by hint

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        text = bytes(src.view()[:4096])
        if src.size > 4096 or not all(32 <= b < 127 or b in (9, 10, 13) for b in text):
            return ScanOutcome(format="torch-record", not_scanned="unexpected binary record")
        return ScanOutcome(format="torch-record")


class TextHandler:
    """UTF-8 text that is nothing else (README, vocabularies...): no loader executes it. Runs last,
    after every structured format (JSON configs, protocol-0 pickles) had its chance."""

    name = "text"

    def sniff(self, src: Source) -> bool:
        head = src.head
        if b"\0" in head:
            return False
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
        return True

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        if src.size > MAX_TEXT_BYTES:
            return ScanOutcome(
                format="text", not_scanned=f"text larger than {MAX_TEXT_BYTES} bytes"
            )
        dec = codecs.getincrementaldecoder("utf-8")()
        view = src.view()
        step = 1 << 20
        try:
            for pos in range(0, src.size, step):
                chunk = bytes(view[pos : pos + step])
                if b"\0" in chunk:
                    raise UnicodeDecodeError("utf-8", chunk, 0, 1, "NUL byte")
                dec.decode(chunk, final=False)
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            return ScanOutcome(format="binary", not_scanned="unrecognised binary format")
        return ScanOutcome(format="text")
