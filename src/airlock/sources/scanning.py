"""``airlock scan`` over model names: resolve, materialise, scan, and name files as the user did.

A remote model's staged files are reported under the remote name (``hf://ORG/NAME@COMMIT/...``),
and files left unjudged (too large to read remotely) are not-scanned objects, never clean.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from airlock.provenance.walk import WalkOptions

if TYPE_CHECKING:
    from airlock.sources.resolve import Resolved


def _existing_path(name: str | os.PathLike[str]) -> bool:
    """A plain local path that exists (what ``resolve`` would hand back unchanged)."""
    text = os.fspath(name)
    return "://" not in text[:8] and os.path.lexists(text)


def scan_models(
    names: Sequence[str | os.PathLike[str]],
    options: Any = None,
    progress: Callable[[int], None] | None = None,
    walk: WalkOptions | None = None,
    *,
    download: bool = False,
) -> Any:
    """Scan every named model (paths, hf://, s3://, gs://, https://) into one ``ScanReport``;
    ``download`` judges every byte (see ``resolve``)."""
    from airlock.scan.engine import scan_paths
    from airlock.scan.result import ObjectResult

    if all(_existing_path(n) for n in names):  # nothing to resolve: skip the remote machinery
        report = scan_paths(list(names), options)
        report.roots = [os.fspath(n) for n in names]
        return report
    from airlock.scan.engine import ScanOptions
    from airlock.scan.result import ScanReport
    from airlock.sources.resolve import resolve
    from airlock.sources.streaming import add_streamed, relabel

    with ExitStack() as stack:
        models: list[Resolved] = [
            stack.enter_context(resolve(n, walk=walk, download=download)) for n in names
        ]
        paths = [m.materialise(progress) for m in models]
        present = [p for p in paths if os.path.lexists(p)]  # a streamed single file: not staged
        report = scan_paths(present, options) if present else ScanReport([])
        for m in models:
            if m.staged is not None:
                add_streamed(report, m.staged, options or ScanOptions())
        report.roots = [os.fspath(n) for n in names]
        for m in models:
            root = m.staged.root if m.staged is not None else None
            if root is None and m.origin in ("hf-download", "hf-cache"):
                root = m.local  # a snapshot named by hf://: reported under that name
            if root is None:
                continue
            label = m.label
            relabel(report, str(root), label)
            for j in m.staged.unjudged if m.staged is not None else ():
                where = label if j.path == "." else f"{label}/{j.path}"
                report.objects.append(
                    ObjectResult(where, None, "unknown", "not_scanned", j.reason, size=j.size)
                )
        return report
