"""Helpers shared by several handlers: the pickle analysis of one stream, and the members of zip
and tar containers as children for the engine. Light on purpose (every scan imports it)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from airlock.formats import archive
from airlock.formats.torch import fold
from airlock.report import Finding, Severity
from airlock.scan import engine_rules as R
from airlock.scan.interface import (
    Child,
    FormatProblem,
    Limits,
    ReadAs,
    ScanContext,
    ScanOutcome,
    Source,
    out_of_time,
)

if TYPE_CHECKING:
    from airlock.scan.pickle_vm import PickleAnalysis

STORAGE_SKIP = "tensor storage (raw bytes the loader copies, never deserialises)"
DUPLICATE_SKIP = "directory entry naming bytes already judged (same offset, sizes, method)"
MAX_TEXT_BYTES = 64 * 1024**2


# --- pickle streams -----------------------------------------------------------------------------


def analyze(
    data: bytes | memoryview, ctx: ScanContext, *, multi: bool = True, joblib_mode: bool = False
) -> PickleAnalysis:
    """The pickle analyser on ``data`` (imported on first use: a safetensors scan needs none)."""
    from airlock.scan.pickle_vm import analyze_pickle

    analysis = analyze_pickle(
        data,
        location=ctx.location,
        member=ctx.member,
        multi=multi,
        joblib=joblib_mode,
        limits=ctx.limits,
    )
    if any(_sparse_finding(f) for f in analysis.findings):
        reason = _prove_sparse(analysis.sparse, ctx)
        if reason is None:
            analysis.findings = [f for f in analysis.findings if not _sparse_finding(f)]
            analysis.sparse_proven = len(analysis.sparse)
        else:
            analysis.findings = [
                f._replace(evidence=f"{f.evidence}: not proven in range, {reason}"[:400])
                if _sparse_finding(f)
                else f
                for f in analysis.findings
            ]
    return analysis


def _sparse_finding(f: Finding) -> bool:
    from airlock.scan.sparse_proof import SPARSE_REBUILD

    return f.rule_id == "AIR-PKL-001" and f.extra.get("callable") == SPARSE_REBUILD


def _prove_sparse(claims: list[Any], ctx: ScanContext) -> str | None:
    """None when every use of ``torch._utils._rebuild_sparse_tensor`` is a direct sparse_coo or
    compressed (CSR/CSC/BSR/BSC) call whose indices are storage records of this torch.save zip
    (``ctx.read_as.storage``), read and proven in range; else the first reason it is not (the
    finding stays)."""
    from airlock.scan import sparse_proof as sp

    if not claims:
        return "not called directly with arguments the pickle shows"
    reader = ctx.read_as.storage
    for claim in claims:
        if type(claim) is str:
            return claim
        if reader is None:
            return "indices are not a storage record of a torch.save zip archive"
        if type(claim) is sp.CompressedClaim:
            try:
                problem = sp.compressed_verdict(claim, reader, out_of_time)
            except FormatProblem as exc:
                return f"indices storage not read ({exc})"[:200]
            if problem:
                return problem
            continue
        problem = sp.coo_shape_problem(claim)
        if problem:
            return problem
        try:
            data = reader(claim.indices.key)
        except FormatProblem as exc:  # limits, budget, damage: not proven
            return f"indices storage {claim.indices.key!r} not read ({exc})"[:200]
        problem = sp.coo_verdict(claim, data, out_of_time)
        if problem:
            return problem
    return None


def shift(findings: list[Finding], delta: int) -> list[Finding]:
    """Findings of a stream read from ``delta`` on, with offsets in the whole object."""
    if not delta:
        return findings
    return [f._replace(offset=None if f.offset is None else f.offset + delta) for f in findings]


def error_finding(analysis: PickleAnalysis, ctx: ScanContext, delta: int = 0) -> list[Finding]:
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


# --- zip and tar members ------------------------------------------------------------------------


def zip_listing(src: Source, ctx: ScanContext) -> archive.ZipListing:
    """The zip directory, checked against the member limit of this scan."""
    listing = archive.read_zip(src, ctx.limits)
    if len(listing.members) > ctx.limits.max_members:
        raise archive.BombError(f"more than {ctx.limits.max_members} zip members")
    return listing


def sniff_zip(src: Source) -> archive.ZipListing | None:
    """The zip directory under default limits, for a ``sniff`` (``None``: not a readable zip)."""
    if not archive.looks_like_zip(src):
        return None
    try:
        return archive.read_zip(src, Limits())
    except FormatProblem:
        return None


def sniff_tar(src: Source) -> list[archive.TarMember] | None:
    """The tar members under default limits, for a ``sniff`` (``None``: not a readable tar)."""
    if not archive.looks_like_tar(src):
        return None
    try:
        return archive.read_tar(src, Limits())
    except FormatProblem:
        return None


def unique_members(
    listing: archive.ZipListing,
    out: ScanOutcome,
    raw: frozenset[str] = frozenset(),
    role: Callable[[archive.ZipMember], int] | None = None,
) -> list[archive.ZipMember]:
    """Each stored byte range once: entries that name the same bytes read the same way (the
    non-recursive zip bomb: thousands of entries, one member) are judged once, not each time
    (their names still get the name-based readings through the first entry's content)."""
    seen: set[tuple[Any, ...]] = set()
    keep = []
    inside = _inside_others(listing, raw)
    for m in listing.members:
        # the role (a torch data.pkl is unpickled by name) is part of how the bytes are read;
        # declared sizes and CRCs are not (the stream is decoded whole either way: 5,000
        # entries over one stream, each declaring another size, were each expanded)
        key = (m.data_offset, m.comp_size, m.method, role(m) if role else None)
        if m.name in raw:  # never read (tensor storage): it judges nothing for a duplicate
            keep.append(m)
            continue
        if m.data_offset is not None and not m.is_dir and key in seen:
            out.skipped.append((m.name, DUPLICATE_SKIP))
            continue
        if id(m) in inside:
            out.skipped.append((m.name, OVERLAP_SKIP))
            out.not_scanned = f"compressed entries overlap (overlap zip bomb): {m.name!r}"[:200]
            continue
        seen.add(key)
        keep.append(m)
    return keep


OVERLAP_SKIP = "compressed entry starting inside another's bytes: not expanded"


def _inside_others(listing: archive.ZipListing, raw: frozenset[str]) -> set[int]:
    """Compressed entries whose bytes start inside another compressed entry's bytes without
    being the same entry: no writer makes them. Each expands on its own (rt17zip: 5,000 entries
    over one 1 MB deflate stream cost 8 GiB of inflation, 273 s at load 19); only the first of
    a run is expanded, the rest leave the archive not scanned."""
    spans = sorted(
        (m.data_offset, m.data_offset + m.comp_size, id(m))
        for m in listing.members
        if m.data_offset is not None
        and m.comp_size > 0
        and m.method != archive.STORED
        and m.name not in raw
        and not m.is_dir
    )
    out: set[int] = set()
    reach, first = -1, (-1, -1)
    for start, end, ident in spans:
        if start < reach and (start, end) != first:
            out.add(ident)
            continue
        if end > reach:
            reach, first = end, (start, end)
    return out


def skip_raw_record(
    m: archive.ZipMember, ctx: ScanContext, out: ScanOutcome, why: str = STORAGE_SKIP
) -> None:
    """Skip a record the loader copies as raw tensor bytes. The loader inflates a compressed
    record whole into a buffer of its declared size (torch's miniz reader; torch itself never
    compresses them), so the ratio limit of members we expand holds for it too: red team
    rt16pt (session 15), a 1 MB deflated ``data/0`` was 1.2 GiB of RSS in
    ``torch.load(weights_only=True)`` and the gate allowed it unread."""
    out.skipped.append((m.name, why))
    if m.method == archive.STORED or m.is_dir:
        return
    ratio_cap = max(archive.RATIO_FLOOR, int(m.comp_size * ctx.limits.max_ratio))
    if m.size > ratio_cap:
        evidence = (
            f"{m.name}: tensor record compressed {m.comp_size} -> {m.size} bytes "
            f"(past {ctx.limits.max_ratio:g}x); the loader inflates it whole"
        )
        out.findings.append(R.BOMB.finding(ctx.location, evidence[:200], member=ctx.member))


def zip_child(
    src: Source,
    m: archive.ZipMember,
    ctx: ScanContext,
    hint: str | None = None,
    read_as: ReadAs | None = None,
) -> Child:
    """A zip member, decompressed only when the engine reaches it; its CRC travels along."""

    def load() -> bytes | memoryview:
        return archive.member_data(src, m, ctx.limits, ctx.budget)

    return Child(m.name, load, m.size, hint, read_as or ReadAs(), crc=m.crc)


def zip_problems(
    src: Source, listing: archive.ZipListing, ctx: ScanContext, out: ScanOutcome
) -> None:
    """Directory damage, members that write outside the extraction directory, and symbolic
    links (unzip makes them) that point outside it."""
    for i, problem in enumerate(listing.problems):
        # a directory we could not read (and fell back to local headers from) is one miniz
        # and zipfile may still read, listing members we never saw (rt17zip: an entry count
        # one short sent torch.load to a data.pkl hidden in a tensor record): not judged.
        # Without an end record no such reader opens the zip: the walk is all there is
        high = Severity.HIGH if i == 0 and listing.directory_unread else None
        out.findings.append(
            R.DAMAGED_ZIP.finding(ctx.location, problem, member=ctx.member, severity=high)
        )
    escapes([archive.path_escape(m.name) for m in listing.members], ctx, out)
    escapes(archive.link_escapes(_zip_links(src, listing)), ctx, out)
    for clash in [*listing.readings, *archive.name_clashes(listing.members)]:
        out.findings.append(R.NAME_CLASH.finding(ctx.location, clash, member=ctx.member))
    if listing.prefix:
        out.notes.append(f"{listing.prefix} bytes precede the zip archive")


def zip_outcome(
    src: Source,
    ctx: ScanContext,
    child: Callable[[Source, archive.ZipMember, ScanContext], Child] = zip_child,
) -> tuple[archive.ZipListing, ScanOutcome]:
    """A zip read generically: problems as findings, every distinct member a child (made by
    ``child``)."""
    listing = zip_listing(src, ctx)
    out = ScanOutcome(format="zip")
    zip_problems(src, listing, ctx, out)
    for m in unique_members(listing, out):
        if not m.is_dir:
            out.children.append(child(src, m, ctx))
    names = sum(1 for m in listing.members if not m.is_dir)
    out.notes.append(f"{names} member(s) via {listing.via} directory")
    sb3_serialized(src, ctx, listing, out)
    return listing, out


# members only a stable-baselines3 ``model.save`` zip holds next to its ``data`` JSON
_SB3_MARKERS = ("_stable_baselines3_version", "policy.pth", "pytorch_variables.pth")


def sb3_serialized(
    src: Source, ctx: ScanContext, listing: archive.ZipListing, out: ScanOutcome
) -> None:
    """A stable-baselines3 save: ``load()`` runs ``cloudpickle.loads`` on the base64 of every
    top-level ``data`` item that is a dict with a ``":serialized:"`` key
    (``save_util.json_to_data``). Each such field is a pickle child (hint ``pickle``), judged like
    any pickle: a cloudpickled function or lambda (a learning-rate schedule) is code and denies;
    spaces and schedules are judged by the allowlist. Nested ``":serialized:"`` values, which
    SB3 does not decode, are scanned as well (cheap, and never written by an honest save).
    SB3 needs no other member to load ``data``, so any zip whose ``data`` member is a JSON
    object is read this way (the marker members only word the notes), whichever handler reads
    the zip (a torch.save zip or a Keras archive with a ``data`` member is loaded by SB3 alike).
    """
    names = [m.name for m in listing.members if not m.is_dir]
    if "data" not in names:
        return
    import base64
    import binascii
    import json

    sb3 = any(n in names for n in _SB3_MARKERS)
    member = [m for m in listing.members if m.name == "data" and not m.is_dir][-1]  # zipfile's
    try:
        raw_doc = bytes(archive.member_data(src, member, ctx.limits, ctx.budget))
    except FormatProblem as exc:
        if sb3:
            out.not_scanned = f"stable-baselines3 data not read ({type(exc).__name__}: {exc})"[:200]
        return
    if not raw_doc.lstrip()[:1] == b"{":
        return  # not a JSON object: json_to_data would fail before any cloudpickle.loads
    try:
        doc = json.loads(raw_doc.decode())
    except (UnicodeDecodeError, ValueError, RecursionError):
        if sb3:
            out.notes.append("stable-baselines3 data is not JSON: load() fails before any pickle")
        return
    fields: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [("", doc)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            ser = node.get(":serialized:")
            if isinstance(ser, str):
                fields.append((path or "data", ser))
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))
    for path, ser in sorted(fields):
        try:
            raw = base64.b64decode(ser.encode())  # as SB3 decodes it (non-alphabet dropped)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            continue  # SB3's load() raises on it: nothing is unpickled
        name = f"data[{path}] (SB3 will cloudpickle.loads this field)"
        out.children.append(Child.of(name, raw, "pickle"))
    if fields:
        out.notes.append(
            f"stable-baselines3 save: {len(fields)} :serialized: field(s) of data, each scanned "
            "as the pickle SB3's load() will cloudpickle.loads"
        )


def _zip_links(src: Source, listing: archive.ZipListing) -> list[tuple[str, str | None, bool]]:
    """(name, symlink target or None, False) per member; a target that cannot be read is '/'
    (judged as leaving the directory: fail closed)."""
    out: list[tuple[str, str | None, bool]] = []
    for m in listing.members:
        target = None
        if m.is_symlink:
            try:
                target = archive.member_head(src, m, 4096).decode("utf-8", "replace")
            except FormatProblem:
                target = "/"
        out.append((m.name, target, False))
    return out


def tar_problems(members: list[archive.TarMember], ctx: ScanContext, out: ScanOutcome) -> None:
    """Members and links that write or read outside the extraction directory."""
    escapes([archive.path_escape(m.name) for m in members], ctx, out)
    entries = [(m.name, m.link, m.hard) for m in members]
    escapes(archive.link_escapes(entries), ctx, out)


def tar_child(
    src: Source, m: archive.TarMember, hint: str | None = None, read_as: ReadAs | None = None
) -> Child:
    """A regular tar member: a zero-copy slice of the archive."""

    def load() -> bytes | memoryview:
        if m.offset + m.size > src.size:
            raise FormatProblem(f"{m.name}: tar member runs past the end of the archive")
        return src.view()[m.offset : m.offset + m.size]

    return Child(m.name, load, m.size, hint, read_as or ReadAs())


def escapes(whys: Iterable[str | None], ctx: ScanContext, out: ScanOutcome) -> None:
    """An archive-escape finding for every reason given (``None``: nothing to report)."""
    for why in whys:
        if why is not None:
            out.findings.append(R.ARCHIVE_ESCAPE.finding(ctx.location, why, member=ctx.member))


def object_name(src: Source, ctx: ScanContext) -> str:
    """The object's own file name (last member of the chain, or the file on disk)."""
    if ctx.member:
        return PurePosixPath(ctx.member.split("!")[-1]).name
    if src.path is not None:
        return src.path.name
    return PurePosixPath(ctx.location).name


def storage_records(
    src: Source,
    ctx: ScanContext,
    by_name: dict[str, list[archive.ZipMember]],
    prefix: str,
    record: str,
) -> Callable[[str], bytes | memoryview]:
    """The bytes of storage ``key`` at ``prefix + record.format(key=key)`` among the members
    (``by_name``: folded name -> members), for the sparse-index proof: exactly one such record,
    little-endian archives only (a ``byteorder`` record, when present, says ``little``)."""

    def read(key: str) -> bytes | memoryview:
        order = by_name.get(f"{prefix}byteorder")
        if order is not None and any(
            archive.member_head(src, o, 16).strip() != b"little" for o in order
        ):
            raise FormatProblem("the archive's byteorder record is not 'little'")
        name = record.format(key=key)
        found = by_name.get(fold(f"{prefix}{name}"), [])
        if len(found) != 1:
            raise FormatProblem(f"storage record {name} missing or duplicated")
        return archive.member_data(src, found[0], ctx.limits, ctx.budget)

    return read


def looks_like_text(head: bytes) -> bool:
    """What the text handler takes: no NUL byte and valid UTF-8 so far (a character cut at the
    end of ``head`` is fine)."""
    if b"\0" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


# Paths a model file names for a loader to read beside it (ONNX external data, TFLite external
# weight groups): shared by the handlers that judge them.
_DRIVE = re.compile(r"^[A-Za-z]:")
# onnxruntime's tag for tensors already in memory (kTensorProtoMemoryAddressTag): in a model file
# it made older releases (1.17.3 tested) read `offset` as a raw pointer; 1.32 refuses it.
ORT_MEM_ADDR = "_ORT_MEM_ADDR_"


def location_escapes(location: str) -> str | None:
    """Why ``location`` (an external-data path from the file) leaves the model directory."""
    if not location:
        return "empty location"
    if "\0" in location:
        return "NUL byte in location"
    if ORT_MEM_ADDR in location:
        return "onnxruntime in-memory marker: the offset is read as a process memory address"
    if location.startswith(("/", "\\")) or _DRIVE.match(location):
        return "absolute path"
    parts = set(PurePosixPath(location).parts) | set(PureWindowsPath(location).parts)
    if ".." in parts:
        return "'..' component"
    if location.startswith("~"):
        return "home-relative path"
    return None
