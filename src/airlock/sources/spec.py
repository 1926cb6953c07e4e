"""Parse a model name: a path, ``hf://ORG/NAME[@REV]``, ``s3://BUCKET/PREFIX``,
``gs://BUCKET/PREFIX`` or an ``https://`` URL of one file. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from airlock.errors import UsageError

Kind = Literal["path", "hf", "s3", "gs", "https"]
_REPO_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
_REV = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
MAX_NAME = 4096


@dataclass(frozen=True)
class ModelName:
    """A parsed model name. Only the fields of its ``kind`` are set."""

    kind: Kind
    text: str
    path: Path | None = None
    repo_id: str | None = None
    revision: str | None = None
    bucket: str | None = None
    prefix: str = ""
    url: str | None = None

    @property
    def is_remote(self) -> bool:
        return self.kind != "path"

    @property
    def short(self) -> str:
        """The OMS subject name a local copy of this model would get (its folder's name)."""
        if self.kind == "path" and self.path is not None:
            return self.path.name or str(self.path)
        if self.kind == "hf" and self.repo_id:
            return self.repo_id.rsplit("/", 1)[-1]
        if self.kind in ("s3", "gs"):
            return self.prefix.rstrip("/").rsplit("/", 1)[-1] or (self.bucket or "")
        return (self.url or "").rstrip("/").rsplit("/", 1)[-1]


def _hf(text: str, rest: str) -> ModelName:
    spec, _, rev = rest.partition("@")
    parts = spec.strip("/").split("/")
    if len(parts) != 2 or not all(_REPO_PART.match(p) for p in parts) or ".." in spec:
        raise UsageError(f"not a Hugging Face repository: {text!r} (expected hf://ORG/NAME[@REV])")
    if rev and (not _REV.match(rev) or ".." in rev):
        raise UsageError(f"not a revision: {rev!r} in {text!r}")
    return ModelName("hf", text, repo_id="/".join(parts), revision=rev or None)


def _bucket(kind: Literal["s3", "gs"], text: str, rest: str) -> ModelName:
    bucket, _, prefix = rest.partition("/")
    if not _BUCKET.match(bucket):
        raise UsageError(f"not a bucket name: {bucket!r} in {text!r}")
    if any(p in ("..", ".") for p in prefix.split("/")):
        raise UsageError(f"'.' and '..' are not allowed in {text!r}")
    return ModelName(kind, text, bucket=bucket, prefix=prefix)


def parse_name(text: str) -> ModelName:
    """What ``text`` names. Anything without a known scheme is a local path.

    An empty name is refused: ``Path("")`` is the working directory, so ``check "$MODEL"`` with
    the variable unset would otherwise judge (and could allow) whatever folder the job runs in.
    """
    if not text:
        raise UsageError("empty model name (an unset variable?); give a path or hf:// name")
    if len(text) > MAX_NAME:
        raise UsageError(f"model name longer than {MAX_NAME} characters")
    low = text[:8].lower()
    if low.startswith("hf://"):
        return _hf(text, text[5:])
    if low.startswith("s3://"):
        return _bucket("s3", text, text[5:])
    if low.startswith("gs://"):
        return _bucket("gs", text, text[5:])
    if low.startswith(("https://", "http://")):
        parts = urlsplit(text)
        if not parts.hostname or not parts.path.strip("/"):
            raise UsageError(f"not a file URL: {text!r}")
        return ModelName("https", text, url=text)
    return ModelName("path", text, path=Path(text))


def looks_like_repo_id(text: str) -> bool:
    """``ORG/NAME`` that is not a path: the hint for 'did you mean hf://ORG/NAME?'."""
    parts = text.split("/")
    return len(parts) == 2 and all(_REPO_PART.match(p) for p in parts)
