"""``hf://ORG/NAME[@REV]`` in the local Hugging Face cache: the snapshot folder, if there is one."""

from __future__ import annotations

import re
from pathlib import Path

from airlock.provenance.hf_cache import default_cache_dir

_HEX40 = re.compile(r"^[0-9a-f]{40}$")
MAX_REF_BYTES = 4096


def repo_dir(repo_id: str, cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / f"models--{repo_id.replace('/', '--')}"


def read_ref(repo: Path, revision: str) -> str | None:
    ref = repo / "refs" / revision
    try:
        if not ref.resolve().is_relative_to((repo / "refs").resolve()):
            return None
        with open(ref, "rb") as fh:
            text = fh.read(MAX_REF_BYTES).decode("ascii", "replace").strip()
    except OSError:
        return None
    return text if _HEX40.match(text) else None


def find_snapshot(repo_id: str, revision: str | None, cache_dir: Path | None = None) -> Path | None:
    """The cached snapshot of ``revision`` (a branch/tag ref, a full or a >= 7-char commit)."""
    repo = repo_dir(repo_id, cache_dir)
    snaps = repo / "snapshots"
    if not snaps.is_dir():
        return None
    rev = revision or "main"
    commit = read_ref(repo, rev)
    if commit is None and _HEX40.match(rev):
        commit = rev
    if commit is None and len(rev) >= 7 and re.fullmatch(r"[0-9a-f]+", rev):
        matches = [p.name for p in snaps.iterdir() if p.name.startswith(rev)]
        commit = matches[0] if len(matches) == 1 else None
    if commit is None:
        return None
    snap = snaps / commit
    return snap if snap.is_dir() and not snap.is_symlink() else None
