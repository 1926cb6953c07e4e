"""Offline verification of a Hugging Face hub cache: every snapshot file against its blob name.

Layout: ``<cache>/models--org--name/{blobs/<etag>, refs/<branch>, snapshots/<commit>/<path>}``;
snapshot entries are relative symlinks into ``blobs/``; a 64-hex blob name is the sha256 of the
content (LFS/Xet files), a 40-hex one the git blob sha1 (small files). This proves the cache holds
what the hub served under that etag, not that the hub content is good.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from airlock.errors import InputError, UsageError
from airlock.provenance.hashing import HashOptions, hash_entries
from airlock.provenance.verify import FileCheck, Status, VerifyResult
from airlock.provenance.walk import FileEntry, sort_key

_REPO_DIR = re.compile(r"^(models|datasets|spaces)--(.+)$")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TYPE_PREFIX = {"models": "models", "datasets": "datasets", "spaces": "spaces"}
MAX_SNAPSHOT_FILES = 1_000_000
MAX_REF_BYTES = 4096


def default_cache_dir() -> Path:
    """HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/..."""
    env = os.environ
    if env.get("HF_HUB_CACHE"):
        return Path(env["HF_HUB_CACHE"]).expanduser()
    if env.get("HUGGINGFACE_HUB_CACHE"):
        return Path(env["HUGGINGFACE_HUB_CACHE"]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


@dataclass(frozen=True)
class RepoSpec:
    repo_type: str
    repo_id: str
    revision: str | None

    @property
    def folder(self) -> str:
        return f"{self.repo_type}--{self.repo_id.replace('/', '--')}"

    @classmethod
    def parse(cls, text: str) -> RepoSpec:
        """``org/name``, ``name``, ``datasets/org/name``, each optionally ``@revision``."""
        spec, _, revision = text.partition("@")
        parts = [p for p in spec.strip().strip("/").split("/") if p]
        repo_type = "models"
        if parts and parts[0] in _TYPE_PREFIX and len(parts) > 1:
            repo_type = _TYPE_PREFIX[parts.pop(0)]
        if not parts or len(parts) > 2 or any(p in (".", "..") for p in parts):
            raise UsageError(f"not a repository id: {text!r} (expected ORG/NAME[@REVISION])")
        return cls(repo_type, "/".join(parts), revision or None)


def list_repos(cache_dir: Path) -> list[RepoSpec]:
    try:
        names = sorted(os.listdir(cache_dir))
    except FileNotFoundError:
        raise InputError(f"{cache_dir}: no Hugging Face cache here") from None
    except OSError as exc:
        raise InputError(f"{cache_dir}: cannot list cache ({exc.strerror})") from None
    repos = []
    for name in names:
        m = _REPO_DIR.match(name)
        if m and (cache_dir / name).is_dir():
            repos.append(RepoSpec(m.group(1), m.group(2).replace("--", "/"), None))
    return repos


def _read_refs(repo_dir: Path) -> dict[str, str]:
    refs: dict[str, str] = {}
    refs_dir = repo_dir / "refs"
    if not refs_dir.is_dir():
        return refs
    for dirpath, _dirs, files in os.walk(refs_dir):
        for fname in files:
            p = Path(dirpath) / fname
            name = p.relative_to(refs_dir).as_posix()
            try:
                if not stat.S_ISREG(os.lstat(p).st_mode):  # a FIFO would block the read forever
                    refs[name] = "(not a regular file)"
                    continue
                with open(p, "rb") as fh:
                    text = fh.read(MAX_REF_BYTES).decode("ascii", "replace").strip()
            except OSError:
                continue
            refs[name] = text
    return refs


def _snapshot_entries(snap: Path) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for dirpath, dirs, files in os.walk(snap, followlinks=False):
        dirs.sort()
        for fname in sorted(files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]):
            p = Path(dirpath) / fname
            out.append((p.relative_to(snap).as_posix(), p))
            if len(out) > MAX_SNAPSHOT_FILES:
                raise InputError(f"{snap}: more than {MAX_SNAPSHOT_FILES} files in a snapshot")
    out.sort(key=lambda t: sort_key(t[0]))
    return out


def _classify(link: Path, blobs: Path) -> tuple[Status | None, str, Path | None, str | None]:
    """(status if already decided, detail, blob path, algorithm) for one snapshot entry."""
    try:
        st = os.lstat(link)
    except OSError as exc:
        return Status.UNVERIFIABLE, f"cannot stat ({exc.strerror})", None, None
    if not stat.S_ISLNK(st.st_mode):
        return (
            Status.UNVERIFIABLE,
            "not a symlink into blobs/ (copied file: no blob name to check)",
            None,
            None,
        )
    # Resolve as the kernel does when a loader opens the link: a lexical normpath would turn
    # ``blobs/sub/../X`` into ``blobs/X`` while the open goes through ``sub`` (a link) elsewhere.
    text = os.readlink(link)
    try:
        target = Path(os.path.realpath(link, strict=True))
        real_blobs = Path(os.path.realpath(blobs, strict=True))
    except OSError:
        return Status.MISSING, f"dangling link to blobs/{Path(text).name}", None, None
    if target.parent != real_blobs:
        return (
            Status.UNVERIFIABLE,
            f"link points outside the repository's blobs/: {text}",
            None,
            None,
        )
    name = target.name
    try:
        tst = os.lstat(target)
    except OSError:
        return Status.MISSING, f"dangling link to blobs/{name}", None, None
    if not stat.S_ISREG(tst.st_mode):
        return Status.UNVERIFIABLE, f"blobs/{name} is not a regular file", None, None
    if _HEX64.match(name):
        return None, "", target, "sha256"
    if _HEX40.match(name):
        return None, "", target, "sha1-gitblob"
    return Status.UNVERIFIABLE, f"blob name {name!r} is neither a sha256 nor a git sha1", None, None


def verify_hf_repo(
    spec: RepoSpec,
    cache_dir: Path | None = None,
    options: HashOptions | None = None,
    progress: object = None,
) -> list[VerifyResult]:
    """One result per verified snapshot (the requested revision, or every snapshot)."""
    cache_dir = cache_dir or default_cache_dir()
    options = options or HashOptions()
    repo_dir = cache_dir / spec.folder
    if not repo_dir.is_dir():
        raise InputError(f"{repo_dir}: repository {spec.repo_id} is not in the cache")
    refs = _read_refs(repo_dir)
    snaps_dir = repo_dir / "snapshots"
    snapshots = sorted(p.name for p in snaps_dir.iterdir()) if snaps_dir.is_dir() else []
    label = f"{spec.repo_id}"
    if spec.revision is not None:
        commit = refs.get(spec.revision)
        if commit is None:
            matches = [s for s in snapshots if s == spec.revision]
            if not matches and len(spec.revision) >= 7:
                matches = [s for s in snapshots if s.startswith(spec.revision)]
            if len(matches) != 1:
                why = "ambiguous" if matches else "unknown"
                result = VerifyResult(f"{label}@{spec.revision}", "hf-cache", False)
                result.problems.append(
                    f"{why} revision {spec.revision!r} (refs: {', '.join(sorted(refs)) or 'none'})"
                )
                return [result]
            commit = matches[0]
        targets = [commit]
    else:
        targets = snapshots
    problems_all: list[str] = []
    for ref, commit in sorted(refs.items()):
        if not _HEX40.match(commit):
            problems_all.append(f"refs/{ref} does not hold a commit hash")
        elif commit not in snapshots and (spec.revision is None or spec.revision == ref):
            problems_all.append(f"refs/{ref} points to {commit}, which has no snapshot")
    if not targets:
        result = VerifyResult(label, "hf-cache", False, problems=problems_all or ["no snapshots"])
        return [result]
    blobs = repo_dir / "blobs"
    results: list[VerifyResult] = []
    # Hash each blob once, even when many snapshots share it.
    plan: dict[str, list[tuple[VerifyResult, str, Path]]] = {}
    for commit in targets:
        snap = snaps_dir / commit
        names = [r for r, c in refs.items() if c == commit]
        res = VerifyResult(
            f"{label}@{commit}" + (f" ({', '.join(names)})" if names else ""),
            "hf-cache",
            True,
            problems=list(problems_all),
        )
        if not snap.is_dir():
            res.ok = False
            res.problems.append(f"snapshot {commit} does not exist")
        else:
            for rel, link in _snapshot_entries(snap):
                status, detail, blob, algo = _classify(link, blobs)
                if status is not None:
                    res.files.append(FileCheck(rel, status, detail=detail))
                    continue
                assert blob is not None and algo is not None
                plan.setdefault(algo, []).append((res, rel, blob))
        results.append(res)
    for algo, items in plan.items():
        unique = {str(b): b for _r, _n, b in items}
        entries = [FileEntry(key, path, path.stat().st_size) for key, path in unique.items()]
        opts = replace(options, algorithm=algo)
        digests = {d.path: d for d in hash_entries(entries, opts, progress)}  # type: ignore[arg-type]
        for res, rel, blob in items:
            d = digests[str(blob)]
            want = blob.name
            st = Status.OK if d.digest == want else Status.CHANGED
            detail = "" if st is Status.OK else f"content {algo} does not match blob name"
            res.files.append(FileCheck(rel, st, want, d.digest, d.size, d.cached, detail))
    for res in results:
        res.files.sort(key=lambda c: sort_key(c.path))
        if res.problems or any(c.status is not Status.OK for c in res.files):
            res.ok = False
    return results
