"""``airlock scan`` over model names: resolve, materialise, scan, and name files as the user did.

A remote model's staged files are reported under the remote name (``hf://ORG/NAME@COMMIT/...``),
and files left unjudged (too large to read remotely) are not-scanned objects, never clean.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

from airlock.provenance.walk import WalkOptions
from airlock.sources.resolve import Resolved, resolve


def _relabel(text: str, prefix: str, label: str) -> str:
    if text == prefix:
        return label
    if text.startswith(prefix + "/"):
        return f"{label}/{text[len(prefix) + 1 :]}"
    return text


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

    with ExitStack() as stack:
        models: list[Resolved] = [
            stack.enter_context(resolve(n, walk=walk, download=download)) for n in names
        ]
        paths = [m.materialise(progress) for m in models]
        report = scan_paths(paths, options)
        report.roots = [os.fspath(n) for n in names]
        for m in models:
            root = m.staged.root if m.staged is not None else None
            if root is None and m.origin in ("hf-download", "hf-cache"):
                root = m.local  # a snapshot named by hf://: reported under that name
            if root is None:
                continue
            prefix, label = str(root), m.label
            for obj in report.objects:
                obj.location = _relabel(obj.location, prefix, label)
            report.findings = [
                dataclasses.replace(f, location=_relabel(f.location, prefix, label))
                for f in report.findings
            ]
            for j in m.staged.unjudged if m.staged is not None else ():
                where = label if j.path == "." else f"{label}/{j.path}"
                report.objects.append(
                    ObjectResult(where, None, "unknown", "not_scanned", j.reason, size=j.size)
                )
        return report
