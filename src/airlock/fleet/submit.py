"""``airlock fleet submit``: walk a store, hash its files, enqueue one task per new digest.

A store is a folder of model repositories (``--repo-depth`` levels down: 1 for ``ROOT/NAME``,
2 for ``ROOT/ORG/NAME``), or one model named as ``airlock.sources`` names them (``hf://``,
``s3://``, ``gs://``, ``https://``: materialised first, into ``--spool``). Files are walked with
the same rules hashing uses. Every (digest, name) is enqueued once per job, and not at all when
the verdict cache already holds it under the current ruleset (those files are closed at once,
from the cache). Publishing waits while the queue is deeper than ``max_queued``
(back-pressure), and the broker's own bound refuses publishes beyond ``MAX_QUEUE``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from airlock.errors import InputError
from airlock.fleet import jobs
from airlock.fleet.jobs import FileEntry
from airlock.fleet.ruleset import Ruleset
from airlock.provenance.walk import WalkOptions, walk_model

WALK = WalkOptions(follow_symlinks=True)
READ_CHUNK = 4 * 1024 * 1024


@dataclass
class SubmitResult:
    job_id: str
    repos: int = 0
    files: int = 0
    unique: int = 0
    from_cache: int = 0
    enqueued: int = 0
    unreadable: int = 0
    waited_seconds: float = 0.0
    seconds: float = 0.0
    hash_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "repos": self.repos,
            "files": self.files,
            "unique_digests": self.unique,
            "skipped_from_cache": self.from_cache,
            "enqueued": self.enqueued,
            "unreadable": self.unreadable,
            "back_pressure_seconds": round(self.waited_seconds, 3),
            "hash_seconds": round(self.hash_seconds, 3),
            "seconds": round(self.seconds, 3),
            "notes": self.notes,
        }


def repos(root: Path, depth: int) -> Iterator[tuple[str, Path]]:
    """(model name, folder) for every repository ``depth`` levels below ``root``."""
    if root.is_file() or depth <= 0:
        yield root.name, root
        return
    level = [root]
    for _ in range(depth):
        nxt: list[Path] = []
        for d in level:
            try:
                nxt += sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))
            except OSError as exc:
                raise InputError(f"{d}: cannot list ({exc.strerror})") from None
        level = nxt
    for d in level:
        yield d.relative_to(root).as_posix(), d


def loose_files(root: Path, depth: int) -> list[str]:
    """Files above the repository level (``ROOT/x.pkl`` with ``--repo-depth 1``): in no
    repository, so never judged. A model folder submitted as a store lost all its top-level
    files this way with nothing said; the submit result notes them."""
    if root.is_file() or depth <= 0:
        return []
    out: list[str] = []
    level = [root]
    for _ in range(depth):
        nxt: list[Path] = []
        for d in level:
            try:
                kids = sorted(d.iterdir())
            except OSError:
                continue  # repos() reports what cannot be listed
            out += [p.relative_to(root).as_posix() for p in kids
                    if not p.name.startswith(".") and p.is_file()]  # fmt: skip
            nxt += [p for p in kids if p.is_dir() and not p.name.startswith(".")]
        level = nxt
    return out


def sha256_file(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(READ_CHUNK):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def collect(root: Path, depth: int, workers: int = 4) -> tuple[list[FileEntry], int]:
    """Every file of every repository, hashed (in parallel threads: hashlib drops the GIL)."""
    todo: list[tuple[str, str, Path, int]] = []
    n_repos = 0
    for model, folder in repos(root, depth):
        n_repos += 1
        entries, _ignored = walk_model(folder, WALK)
        for e in entries:
            path = folder.name if e.name == "." else e.name
            todo.append((model, path, e.path, e.size))
    with ThreadPoolExecutor(max(1, workers)) as pool:
        digests = list(pool.map(lambda t: sha256_file(t[2]), todo))
    files = [
        FileEntry(model, path, str(p), size, digest)
        for (model, path, p, size), digest in zip(todo, digests, strict=True)
    ]
    return files, n_repos


def materialise(name: str, spool: Path) -> Path:
    """A remote model (hf://, s3://, gs://, https://) as a local folder under ``spool`` that
    outlives this process (workers read it later)."""
    from airlock.sources import resolve

    # stream=False: workers read the spooled folder later, so every file must be in it
    with resolve(name, download=name.startswith("hf://"), stream=False) as model:
        local = model.materialise()
        if model.staged is None:  # a local path, an HF cache snapshot or a full download
            return local
        unjudged = [j.path for j in model.staged.unjudged]
        if unjudged:
            raise InputError(
                f"{name}: {len(unjudged)} file(s) were not fetched whole "
                f"({', '.join(unjudged[:3])}); fleet scanning needs every file's bytes"
            )
        digest = hashlib.sha256(model.label.encode()).hexdigest()[:16]
        dest = spool / digest
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(local, dest, symlinks=False)
        return dest


def submit(
    engine: Engine,
    app: Any,
    root: str,
    ruleset: Ruleset,
    *,
    repo_depth: int = 1,
    max_queued: int = 10_000,
    spool: Path | None = None,
    hash_workers: int = 4,
    queue_depth: Callable[[], int] | None = None,
    settings: dict[str, Any] | None = None,
) -> SubmitResult:
    """Create a job for ``root`` and enqueue its new digests; see the module docstring."""
    from airlock.fleet.tasks import TASK

    t0 = time.perf_counter()
    if "://" in root:
        spool = spool or Path(os.path.expanduser("~/.cache/airlock/fleet-spool"))
        local = materialise(root, spool)
        repo_depth = 0
    else:
        local = Path(root)
        if not local.exists():
            raise InputError(f"{root}: no such file or directory")
    files, n_repos = collect(local, repo_depth, hash_workers)
    if "://" in root:  # one named model: its files belong to the name the user gave
        files = [dataclasses.replace(f, model=root) for f in files]
    h1 = time.perf_counter()
    job_id = jobs.create_job(
        engine,
        root,
        ruleset.policy_doc,
        ruleset.policy,
        {"repo_depth": repo_depth, **(settings or {})},
    )
    out = SubmitResult(job_id, repos=n_repos, files=len(files), hash_seconds=h1 - t0)
    loose = loose_files(local, repo_depth)
    if loose:
        out.notes.append(
            f"{len(loose)} file(s) above --repo-depth {repo_depth} are in no repository and "
            f"were not judged ({', '.join(loose[:3])}{', ...' if len(loose) > 3 else ''}); "
            "one model folder is --repo-depth 0"
        )
    jobs.add_files(engine, job_id, files)
    unreadable = [(f.model, f.path) for f in files if f.sha256 is None]
    if unreadable:
        jobs.close_without_digest(engine, job_id, unreadable, "not scanned: cannot read the file")
        out.unreadable = len(unreadable)
    groups: dict[tuple[str, str], FileEntry] = {}
    for f in files:
        if f.sha256 is not None:
            groups.setdefault((f.sha256, f.name), f)
    out.unique = len(groups)
    keyed = {ruleset.key(sha, name): (sha, name) for sha, name in groups}
    known = jobs.existing_keys(engine, keyed)
    out.from_cache = jobs.finish_from_cache(engine, job_id, [(*keyed[k], k) for k in known])
    pending = 0
    for key, (sha, name) in keyed.items():
        if key in known:
            continue
        if queue_depth is not None and pending % 100 == 0:
            out.waited_seconds += _wait_for_room(queue_depth, max_queued)
        _publish(
            app, TASK, [job_id, sha, name, groups[(sha, name)].location], app.conf.airlock_queue
        )
        out.enqueued += 1
        pending += 1
    out.seconds = time.perf_counter() - t0
    return out


def _wait_for_room(depth: Callable[[], int], limit: int) -> float:
    """Block while the queue holds ``limit`` or more tasks (back-pressure)."""
    waited = 0.0
    while depth() >= limit:
        time.sleep(0.5)
        waited += 0.5
    return waited


def _publish(app: Any, task: str, args: list[Any], queue: str) -> None:
    """Publish; a bounded queue that refuses (publisher confirm nack) is retried after a pause
    rather than dropping the task."""
    delay = 0.5
    while True:
        try:
            app.send_task(task, args=args, queue=queue)
            return
        except Exception as exc:
            if type(exc).__name__ != "MessageNacked":
                raise
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
