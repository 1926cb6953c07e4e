"""The manifest: every file of a model with its size and digest, and the OMS root digest.

Pure data and (de)serialisation. The root digest is sha256 over the raw per-file digests in
component-wise path order, exactly as OpenSSF Model Signing v1.0 computes its subject digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from airlock.errors import FormatError
from airlock.provenance.walk import sort_key

MANIFEST_SCHEMA = "airlock.manifest/v1"
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
_HEX = re.compile(r"^[0-9a-f]+$")
DIGEST_HEX_LEN = {"sha256": 64, "blake2b": 128}


@dataclass(frozen=True)
class FileDigest:
    path: str
    size: int
    digest: str
    cached: bool = False


@dataclass(frozen=True)
class Manifest:
    """A model's files (sorted component-wise), the algorithm, and the rules used to list them."""

    files: tuple[FileDigest, ...]
    algorithm: str = "sha256"
    ignore_paths: tuple[str, ...] = ()
    allow_symlinks: bool = False
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def root_digest(self) -> str:
        return root_digest(f.digest for f in self.files)

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    def by_path(self) -> dict[str, FileDigest]:
        return {f.path: f for f in self.files}

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": MANIFEST_SCHEMA,
            "name": self.name,
            "algorithm": self.algorithm,
            "root_digest": self.root_digest,
            "allow_symlinks": self.allow_symlinks,
            "ignore_paths": list(self.ignore_paths),
            "file_count": len(self.files),
            "total_size": self.total_size,
            "files": [
                {"path": f.path, "size": f.size, "digest": f.digest, "cached": f.cached}
                for f in self.files
            ],
        }

    def to_sha256sums(self, single_name: str | None = None) -> str:
        """``sha256sum``-compatible lines (``sha256sum -c`` from the model root accepts them)."""
        lines = []
        for f in self.files:
            name = single_name if (f.path == "." and single_name) else f.path
            escaped = "".join(_ESCAPES.get(c, c) for c in name)
            prefix = "\\" if escaped != name else ""
            lines.append(f"{prefix}{f.digest}  {escaped}")
        return "\n".join(lines) + ("\n" if lines else "")


def root_digest(hex_digests: Any) -> str:
    """sha256 over the concatenated raw bytes of each hex digest, in the given order."""
    h = hashlib.sha256()
    for d in hex_digests:
        h.update(bytes.fromhex(d))
    return h.hexdigest()


def sorted_files(files: list[FileDigest]) -> tuple[FileDigest, ...]:
    return tuple(sorted(files, key=lambda f: sort_key(f.path)))


def _check_hex(value: Any, algorithm: str, where: str) -> str:
    want = DIGEST_HEX_LEN.get(algorithm, 64)
    if not isinstance(value, str) or len(value) != want or not _HEX.match(value.lower()):
        raise FormatError(f"{where}: expected a {want}-character hex {algorithm} digest")
    return value.lower()


def parse_manifest_json(text: str, source: str) -> Manifest:
    """Parse a manifest written by ``airlock hash --format json``."""
    if len(text) > MAX_MANIFEST_BYTES:
        raise FormatError(f"{source}: manifest larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FormatError(f"{source}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA:
        raise FormatError(f"{source}: not an Airlock manifest (missing schema {MANIFEST_SCHEMA!r})")
    algorithm = data.get("algorithm", "sha256")
    if algorithm not in DIGEST_HEX_LEN:
        raise FormatError(f"{source}: unsupported algorithm {algorithm!r}")
    raw_files = data.get("files")
    if not isinstance(raw_files, list):
        raise FormatError(f"{source}: 'files' must be a list")
    files: list[FileDigest] = []
    seen: set[str] = set()
    for i, item in enumerate(raw_files):
        where = f"{source}: files[{i}]"
        if not isinstance(item, dict):
            raise FormatError(f"{where}: must be an object")
        path = item.get("path")
        size = item.get("size")
        if not isinstance(path, str) or not path:
            raise FormatError(f"{where}: 'path' must be a non-empty string")
        if path in seen:
            raise FormatError(f"{where}: duplicate path {path!r}")
        seen.add(path)
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise FormatError(f"{where}: 'size' must be a non-negative integer")
        files.append(FileDigest(path, size, _check_hex(item.get("digest"), algorithm, where)))
    ignores = data.get("ignore_paths", [])
    if not isinstance(ignores, list) or not all(isinstance(i, str) for i in ignores):
        raise FormatError(f"{source}: 'ignore_paths' must be a list of strings")
    manifest = Manifest(
        files=sorted_files(files),
        algorithm=algorithm,
        ignore_paths=tuple(ignores),
        allow_symlinks=bool(data.get("allow_symlinks", False)),
        name=str(data.get("name", "")),
    )
    declared = data.get("root_digest")
    if declared is not None and declared != manifest.root_digest:
        raise FormatError(f"{source}: root_digest does not match the listed file digests")
    return manifest


_SUM_LINE = re.compile(r"^(\\?)([0-9a-fA-F]{64}) [ *](.+)$")
_BSD_LINE = re.compile(r"^(\\?)SHA256 ?\((.+)\) ?= ?([0-9a-fA-F]{64})$")


#: What GNU coreutils (9.x) escapes in a file name, marking the line with a leading backslash.
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r"}


def _unescape(name: str) -> str | None:
    """Undo coreutils' escaping; None for an escape it never writes (``sha256sum -c`` rejects
    such a line too), so ``\\r`` is never read as a plain ``r`` in another file's name."""
    out = []
    i = 0
    while i < len(name):
        c = name[i]
        if c == "\\":
            real = _UNESCAPES.get(name[i + 1 : i + 2])
            if real is None:
                return None
            out.append(real)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_sha256sums(text: str, source: str) -> dict[str, str]:
    """Parse ``sha256sum`` output (GNU or BSD ``--tag`` style) into path -> digest.

    Blank lines and ``#`` comments are skipped; a leading ``./`` is dropped so that lists made
    with ``find . -type f | xargs sha256sum`` match manifest paths.
    """
    if len(text) > MAX_MANIFEST_BYTES:
        raise FormatError(f"{source}: sums file larger than {MAX_MANIFEST_BYTES} bytes")
    result: dict[str, str] = {}
    # lines end at "\n" only, as for sha256sum: str.splitlines would also break a line at
    # "\r", "\x0c", "\u2028"..., which a file name may hold unescaped
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _SUM_LINE.match(line)
        if m:
            escaped, digest, name = m.group(1), m.group(2), m.group(3)
        else:
            b = _BSD_LINE.match(line)
            if not b:
                raise FormatError(f"{source}:{lineno}: not a sha256sum line: {line[:80]!r}")
            escaped, name, digest = b.group(1), b.group(2), b.group(3)
        if escaped:
            unescaped = _unescape(name)
            if unescaped is None:
                raise FormatError(f"{source}:{lineno}: bad escape in file name: {line[:80]!r}")
            name = unescaped
        while name.startswith("./"):
            name = name[2:]
        if name in result and result[name] != digest.lower():
            raise FormatError(f"{source}:{lineno}: conflicting digests for {name!r}")
        result[name] = digest.lower()
    if not result:
        raise FormatError(f"{source}: no sha256sum lines found")
    return result
