"""Compare a model on disk with what it should be: a manifest, a sha256sum list, or a root digest.

Only files that have an expected digest are read: extra files are listed, not hashed.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from airlock.errors import UsageError
from airlock.provenance.hashing import HashOptions, hash_entries, hash_model
from airlock.provenance.manifest import FileDigest, Manifest, root_digest, sorted_files
from airlock.provenance.walk import sort_key, walk_model

VERIFY_SCHEMA = "airlock.verify-report/v1"


class Status(enum.StrEnum):
    OK = "ok"
    CHANGED = "changed"
    MISSING = "missing"
    EXTRA = "extra"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class FileCheck:
    path: str
    status: Status
    expected: str | None = None
    actual: str | None = None
    size: int | None = None
    cached: bool = False
    detail: str = ""


@dataclass
class VerifyResult:
    """Outcome of one verification; ``ok`` is False on any difference that is not allowed."""

    path: str
    mode: str
    ok: bool
    files: list[FileCheck] = field(default_factory=list)
    ignore_paths: tuple[str, ...] = ()
    expected_root: str | None = None
    actual_root: str | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for f in self.files:
            out[f.status.value] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": VERIFY_SCHEMA,
            "path": self.path,
            "mode": self.mode,
            "ok": self.ok,
            "expected_root": self.expected_root,
            "actual_root": self.actual_root,
            "ignore_paths": list(self.ignore_paths),
            "counts": self.counts(),
            "problems": self.problems,
            "warnings": self.warnings,
            "files": [
                {
                    "path": f.path,
                    "status": f.status.value,
                    "expected": f.expected,
                    "actual": f.actual,
                    "size": f.size,
                    "cached": f.cached,
                    "detail": f.detail,
                }
                for f in self.files
            ],
        }


def _single_file_alias(names: list[str], root: Path, expected: dict[str, str]) -> None:
    """A single-file model is named '.' in manifests; sums files name it by its file name."""
    if names == ["."] and "." not in expected:
        base = root.name
        if base in expected:
            expected["."] = expected.pop(base)
        elif len(expected) == 1:
            only = next(iter(expected))
            if Path(only).name == base:
                expected["."] = expected.pop(only)


def compare(
    on_disk: dict[str, int],
    digests: dict[str, FileDigest],
    expected: dict[str, str],
    *,
    allow_extra: bool = False,
) -> tuple[list[FileCheck], bool]:
    """Pure comparison: files on disk (name -> size) and their digests vs expected digests.

    A file on disk without a digest here was not read because its size already differs.
    """
    checks: list[FileCheck] = []
    for name, want in expected.items():
        if name not in on_disk:
            checks.append(FileCheck(name, Status.MISSING, expected=want))
            continue
        got = digests.get(name)
        if got is None:
            checks.append(
                FileCheck(name, Status.CHANGED, want, None, on_disk[name], detail="size differs")
            )
        else:
            status = Status.OK if got.digest == want else Status.CHANGED
            checks.append(FileCheck(name, status, want, got.digest, got.size, got.cached))
    checks.extend(
        FileCheck(name, Status.EXTRA, size=size)
        for name, size in on_disk.items()
        if name not in expected
    )
    checks.sort(key=lambda c: sort_key(c.path))
    bad = {Status.CHANGED, Status.MISSING} | (set() if allow_extra else {Status.EXTRA})
    return checks, not any(c.status in bad for c in checks)


def verify_digests(
    path: str | os.PathLike[str],
    expected: dict[str, str],
    *,
    mode: str,
    options: HashOptions | None = None,
    allow_extra: bool = False,
    expected_sizes: dict[str, int] | None = None,
    progress: Any = None,
    manifest: Manifest | None = None,
) -> VerifyResult:
    """Check every expected file (path -> hex digest) and list missing and extra files.

    Only expected files of the expected size are read; pass ``manifest`` when the model was
    already hashed (``airlock check``) and nothing is read again.
    """
    options = options or HashOptions()
    root = Path(path)
    expected = dict(expected)
    sizes = expected_sizes or {}
    if manifest is None and isinstance(path, str) and "://" in path[:8]:
        manifest = hash_model(path, options, progress)  # hf://, s3://...: see airlock.sources
    if manifest is None:
        entries, ignores = walk_model(root, options.walk)
        on_disk = {e.name: e.size for e in entries}
        _single_file_alias(list(on_disk), root, expected)
        to_hash = [e for e in entries if e.name in expected and sizes.get(e.name, e.size) == e.size]
        digests = {d.path: d for d in hash_entries(to_hash, options, progress)}
    else:
        ignores = manifest.ignore_paths
        on_disk = {f.path: f.size for f in manifest.files}
        _single_file_alias(list(on_disk), root, expected)
        digests = manifest.by_path()
    checks, ok = compare(on_disk, digests, expected, allow_extra=allow_extra)
    result = VerifyResult(str(root), mode, ok, checks, ignores)
    if allow_extra and any(c.status is Status.EXTRA for c in checks):
        result.warnings.append("extra files present and allowed (--allow-extra)")
    return result


def verify_manifest(
    path: str | os.PathLike[str],
    manifest: Manifest,
    *,
    options: HashOptions | None = None,
    allow_extra: bool = False,
    progress: Any = None,
    actual: Manifest | None = None,
) -> VerifyResult:
    """Verify against an Airlock manifest, re-applying the manifest's own ignore rules.

    ``actual`` is the model's manifest when it was already hashed (nothing is read again).
    """
    options = replace(options or HashOptions(), algorithm=manifest.algorithm)
    if manifest.ignore_paths:
        merged = tuple(dict.fromkeys(options.walk.ignore_paths + manifest.ignore_paths))
        options = replace(options, walk=options.walk._replace(ignore_paths=merged))
    expected = {f.path: f.digest for f in manifest.files}
    sizes = {f.path: f.size for f in manifest.files}
    result = verify_digests(
        path,
        expected,
        mode="manifest",
        options=options,
        allow_extra=allow_extra,
        expected_sizes=sizes,
        progress=progress,
        manifest=actual,
    )
    result.expected_root = manifest.root_digest
    hashed = [FileDigest(c.path, 0, c.actual) for c in result.files if c.expected and c.actual]
    if len(hashed) == len(manifest.files):
        result.actual_root = root_digest(f.digest for f in sorted_files(hashed))
    return result


def parse_root_digest(text: str, option: str = "--digest") -> str:
    """A root digest as the user may write it (``sha256:`` prefix, upper case) in the one form
    manifests, signatures and attestations carry: 64 lowercase hex characters."""
    want = text.strip().lower().removeprefix("sha256:")
    if len(want) != 64 or any(c not in "0123456789abcdef" for c in want):
        raise UsageError(f"{option} must be a 64-character hex sha256 root digest, got {text!r}")
    return want


def verify_root_digest(
    path: str | os.PathLike[str],
    digest: str,
    *,
    options: HashOptions | None = None,
    progress: Any = None,
    actual: Manifest | None = None,
) -> VerifyResult:
    """Verify against an OMS root digest alone: one answer for the whole model."""
    want = parse_root_digest(digest)
    manifest = actual or hash_model(path, options, progress)
    ok = manifest.root_digest == want
    files = [
        FileCheck(
            f.path, Status.OK if ok else Status.UNVERIFIABLE, None, f.digest, f.size, f.cached
        )
        for f in manifest.files
    ]
    result = VerifyResult(
        str(path), "digest", ok, files, manifest.ignore_paths, want, manifest.root_digest
    )
    if not ok:
        result.problems.append(
            f"root digest {manifest.root_digest} != expected {want} "
            f"(over {len(files)} files; a root digest cannot say which file differs)"
        )
    return result
