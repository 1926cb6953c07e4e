"""Walk a model path into the list of files that make up the model, with OMS ignore rules.

The rules follow OpenSSF Model Signing v1.0 (files method) so that our root digest equals theirs:
default git ignores at the root, user ignores as whole-component prefixes, symlinks refused unless
asked for (and then only when they stay inside the root), special files refused.

One exception, by design of the Hugging Face cache: inside ``models--ORG--NAME/snapshots/REV``
(``datasets--``/``spaces--`` too) a link into the same repository's ``blobs/`` that ends at a
regular file *is* the file (the blob is hashed, the snapshot path is named). Any other link keeps
the rules above.
"""

import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from airlock.errors import InputError

DEFAULT_IGNORES: tuple[str, ...] = (".git", ".gitattributes", ".github", ".gitignore")
_DEFAULT_FOLDED = frozenset(i.casefold() for i in DEFAULT_IGNORES)
MAX_FILES = 1_000_000
MAX_DEPTH = 256


class FileEntry(NamedTuple):
    """One file of a model: ``name`` is its POSIX path from the root ('.' for a single file)."""

    name: str
    path: Path
    size: int


class WalkProblem(NamedTuple):
    """Something in the tree that is not a readable regular file of the model (the scanner
    reports each as not scanned; hashing refuses the whole model instead)."""

    path: str
    kind: str  # "link-outside", "link", "dangling", "special", "unlistable", "unreadable", "deep"
    reason: str


class _Trouble:
    """Raise (hashing: the model is refused) or record and go on (scanning: not scanned)."""

    def __init__(self, problems: list[WalkProblem] | None) -> None:
        self.problems = problems

    def __call__(self, path: Path, kind: str, reason: str) -> None:
        if self.problems is None:
            raise InputError(f"{path}: {reason}")
        self.problems.append(WalkProblem(str(path), kind, reason))


class WalkOptions(NamedTuple):
    ignore_paths: tuple[str, ...] = ()
    ignore_git_paths: bool = True
    follow_symlinks: bool = False


HF_REPO_PREFIXES = ("models--", "datasets--", "spaces--")  # huggingface_hub's repo folders


def hf_blobs_dir(root: Path) -> Path | None:
    """The real ``blobs/`` folder of the HF cache repository whose snapshot holds ``root``.

    ``root`` must lie at or under ``<repo>/snapshots/<rev>`` (``<repo>`` a ``models--``,
    ``datasets--`` or ``spaces--`` folder, in whatever cache directory: ``HF_HUB_CACHE``,
    ``HF_HOME/hub``, a ``cache_dir=`` of the user's) and ``<repo>/blobs`` must exist.
    """
    p = Path(os.path.abspath(root))
    for anc in (p, *p.parents):
        if anc.parent.name == "snapshots" and anc.parent.parent.name.startswith(HF_REPO_PREFIXES):
            blobs = anc.parent.parent / "blobs"
            if blobs.is_dir() and not blobs.is_symlink():
                return Path(os.path.realpath(blobs))
            return None
    return None


def blob_target(link: Path, blobs: Path | None) -> os.stat_result | None:
    """The stat of the blob a snapshot link names, if it is a regular file directly in ``blobs``."""
    if blobs is None:
        return None
    target = Path(os.path.realpath(link))
    if target.parent != blobs:
        return None
    try:
        st = os.lstat(target)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def sort_key(name: str) -> tuple[str, ...]:
    """Component-wise order, as ``PurePosixPath`` compares: ``a/b`` < ``a b/x`` < ``a-b``."""
    return PurePosixPath(name).parts


def normalise_ignores(root: Path, options: WalkOptions) -> tuple[str, ...]:
    """The ignore list as relative POSIX paths inside the root (paths outside it are dropped)."""
    result: list[str] = list(DEFAULT_IGNORES) if options.ignore_git_paths else []
    base = root if root.is_dir() else root.parent
    for raw in options.ignore_paths:
        p = Path(raw)
        candidate = p if p.is_absolute() else base / p
        try:
            rel = Path(os.path.normpath(candidate.absolute())).relative_to(
                Path(os.path.normpath(base.absolute()))
            )
        except ValueError:
            continue
        text = rel.as_posix()
        if text and text != "." and text not in result:
            result.append(text)
    return tuple(result)


def default_ignored(parts: Iterable[str]) -> bool:
    """Whether a relative path (its components) passes through what every walk skips (the OMS
    default ignores: ``.git``, ``.github``...), case-insensitively (a case-insensitive file
    system opens ``.GIT`` as ``.git``). A loader sent there reads what no rule judged."""
    return any(p.casefold() in _DEFAULT_FOLDED for p in parts)


def _ignored(rel: PurePosixPath, ignores: tuple[PurePosixPath, ...]) -> bool:
    return any(rel.is_relative_to(ig) for ig in ignores)


def walk_model(
    root: Path,
    options: WalkOptions | None = None,
    problems: list[WalkProblem] | None = None,
) -> tuple[list[FileEntry], tuple[str, ...]]:
    """Return the model's files in component-wise order, and the ignore list that was applied.

    With ``problems``, what inside the tree is not a readable regular file (refused link,
    special file, unlistable directory) is recorded there instead of refusing the whole walk:
    the scanner reports each as not scanned, from the same walk that hashing uses."""
    options = options or WalkOptions()
    trouble = _Trouble(problems)
    try:
        st = os.lstat(root)
    except FileNotFoundError:
        raise InputError(f"{root}: no such file or directory") from None
    except OSError as exc:
        raise InputError(f"{root}: cannot read ({exc.strerror})") from None
    blobs = hf_blobs_dir(root)
    if stat.S_ISLNK(st.st_mode):
        blob = blob_target(root, blobs)
        if blob is not None:
            return [FileEntry(".", Path(os.path.realpath(root)), blob.st_size)], (
                normalise_ignores(root, options)
            )
        if not options.follow_symlinks:
            raise InputError(f"{root}: is a symbolic link (use --follow-symlinks to follow it)")
        try:
            st = os.stat(root)
        except OSError:
            raise InputError(f"{root}: dangling or looping symbolic link") from None
    ignores = normalise_ignores(root, options)
    if stat.S_ISREG(st.st_mode):
        return [FileEntry(".", root, st.st_size)], ignores
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(f"{root}: not a regular file or directory")
    ig_paths = tuple(PurePosixPath(i) for i in ignores)
    real_root = Path(os.path.realpath(root))
    entries: list[FileEntry] = []
    seen_dirs: set[tuple[int, int]] = {(st.st_dev, st.st_ino)}
    _walk_dir(
        root, PurePosixPath(), real_root, ig_paths, options, entries, seen_dirs, 0, blobs, trouble
    )
    entries.sort(key=lambda e: sort_key(e.name))
    return entries, ignores


def _walk_dir(
    directory: Path,
    rel_dir: PurePosixPath,
    real_root: Path,
    ignores: tuple[PurePosixPath, ...],
    options: WalkOptions,
    out: list[FileEntry],
    seen_dirs: set[tuple[int, int]],
    depth: int,
    blobs: Path | None = None,
    trouble: _Trouble | None = None,
) -> None:
    trouble = trouble or _Trouble(None)
    if depth > MAX_DEPTH:
        trouble(directory, "deep", f"directory tree deeper than {MAX_DEPTH} levels")
        return
    try:
        with os.scandir(directory) as it:
            children = sorted(it, key=lambda d: d.name)
    except OSError as exc:
        trouble(directory, "unlistable", f"cannot list directory ({exc.strerror})")
        return
    for child in children:
        rel = rel_dir / child.name
        if _ignored(rel, ignores):
            continue
        path = Path(child.path)
        try:
            st = child.stat(follow_symlinks=False)
        except OSError as exc:
            trouble(path, "unreadable", f"cannot stat ({exc.strerror})")
            continue
        if stat.S_ISLNK(st.st_mode):
            blob = blob_target(path, blobs)
            if blob is not None:
                out.append(FileEntry(rel.as_posix(), Path(os.path.realpath(path)), blob.st_size))
                if len(out) > MAX_FILES:
                    raise InputError(f"{directory}: more than {MAX_FILES} files")
                continue
            if not options.follow_symlinks:
                why = "is a symbolic link (--follow-symlinks follows links inside the model)"
                trouble(path, "link", why)
                continue
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(real_root):
                why = f"symbolic link points outside the model directory ({target})"
                trouble(path, "link-outside", why)
                continue
            try:
                st = os.stat(path)
            except OSError:
                trouble(path, "dangling", "dangling or looping symbolic link")
                continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                trouble(path, "link", "symbolic link loop")
                continue
            seen_dirs.add(key)
            _walk_dir(
                path, rel, real_root, ignores, options, out, seen_dirs, depth + 1, blobs, trouble
            )
            seen_dirs.discard(key)
        elif stat.S_ISREG(st.st_mode):
            out.append(FileEntry(rel.as_posix(), path, st.st_size))
            if len(out) > MAX_FILES:
                raise InputError(f"{directory}: more than {MAX_FILES} files")
        else:
            trouble(path, "special", "not a regular file (FIFO, socket or device)")
