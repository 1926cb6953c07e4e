"""Scan a staged remote model together with its streamed files (zips, tars, compressed streams).

Streamed files are never staged: each is scanned by ranges (``formats.ranged``) after the staged
folder, one at a time, so memory stays within the scanner's own bound (a large stored member is
scanned by ranges in place; one whose parser wants a buffer, a safetensors or JSON member say,
is spooled, alone, to the staging folder under what is left of its bound).
Every byte of a streamed file is hashed on the way (what the scan did not read is fetched for
the hash at the end): the digest is checked against the one the source stated, and a file that
hashes differently is a ``DigestMismatch``, like a staged file's. With no stated digest, this
hash is the file's digest (read once: staging does not stream it for a digest first).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

from airlock.sources.errors import SourceError

if TYPE_CHECKING:
    from airlock.scan.engine import ScanOptions
    from airlock.scan.result import FileResult, ScanReport
    from airlock.sources.judge import JudgedFile, Staged


def _display(staged: Staged, path: str) -> str:
    return str(staged.root) if path == "." else str(staged.root / path)


def scan_one(staged: Staged, j: JudgedFile, options: ScanOptions) -> FileResult:
    """Scan one streamed file by ranges, then check the digest of all its bytes."""
    from airlock.formats.ranged import BlockReader, RangedSource
    from airlock.scan.engine import scan_source
    from airlock.sources.judge import compare

    model = staged.model
    f = next(r for r in model.files if r.path == j.path)
    where = f"{model.label}/{f.path}" if f.path != "." else model.label
    reader = BlockReader(
        f.size,
        lambda a, b: model.reader.read_range(f, a, b),
        git_sha1=bool(f.git_sha1),
        read_ahead=True,
    )
    reader.spool = staged.spool  # large stored members that want a buffer: from the staging folder
    for start, data in staged.seeds.pop(j.path, ()):  # the probe's head and tail: not again
        reader.seed(start, data)
    try:
        result = scan_source(RangedSource(reader), _display(staged, j.path), options)
        if reader.error is not None:  # even one a sniff or a handler took as a "no": not judged
            raise OSError(f"{type(reader.error).__name__}: {reader.error}")
        digests = reader.finish_digest() if j.hash_all else None
    except OSError as exc:
        raise SourceError(f"{where}: cannot read ({exc.strerror or exc})") from None
    finally:
        reader.close()
    if digests is not None:
        compare(where, j.digest or None, f.git_sha1, *digests)
        staged.mark_hashed(j.path, digests[0])
    return result


def add_streamed(report: ScanReport, staged: Staged, options: ScanOptions) -> None:
    """Scan the streamed files of ``staged`` into ``report`` (after its staged files)."""
    for j in staged.streamed:
        kept = staged.scanned.pop(j.path, None)  # scanned already, to hash it (``settle``)
        result = kept[1] if kept and kept[0] == options.limits else scan_one(staged, j, options)
        report.objects += result.objects
        report.findings += result.findings
    staged.bytes_received = staged.model.reader.bytes_received()


def scan_staged(staged: Staged, options: ScanOptions) -> ScanReport:
    """The scan report of a staged remote model: its staged folder and its streamed files,
    every object and finding named under the model's remote name (``hf://…``, ``s3://…``),
    never the private staging folder."""
    from airlock.scan.engine import scan_paths
    from airlock.scan.result import ScanReport

    root: Path = staged.root
    if os.path.lexists(root):
        report = scan_paths([root], options)
    else:  # a single streamed file: nothing was staged
        report = ScanReport([str(root)])
    add_streamed(report, staged, options)
    relabel(report, str(root), staged.model.label)
    return report


def _relabel(text: str, prefix: str, label: str) -> str:
    if text == prefix:
        return label
    if text.startswith(prefix + "/"):
        return f"{label}/{text[len(prefix) + 1 :]}"
    return text


def relabel(report: ScanReport, prefix: str, label: str) -> None:
    """Objects and findings under ``prefix`` (a staging path) named under ``label``."""
    for obj in report.objects:
        obj.location = _relabel(obj.location, prefix, label)
    report.findings = [
        f._replace(location=_relabel(f.location, prefix, label)) for f in report.findings
    ]


def mark(files: list[JudgedFile], path: str, sha256: str) -> list[JudgedFile]:
    """``files`` with ``path``'s digest now computed from its bytes: a stated digest (equal,
    checked by the caller) is verified, a pending one is this one."""
    out = []
    for j in files:
        if j.path == path and j.digest_source == "stated":
            j = dataclasses.replace(j, digest_source="verified")
        elif j.path == path and j.digest_source == "pending":
            j = dataclasses.replace(j, digest=sha256, digest_source="computed")
        out.append(j)
    return out
