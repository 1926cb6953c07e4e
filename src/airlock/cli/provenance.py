"""``airlock hash`` and ``airlock verify``: what bytes a model is, and whether they are expected."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat
from airlock.render.markup import escape_markup, printable

if TYPE_CHECKING:
    from airlock.provenance.hashing import HashOptions
    from airlock.provenance.manifest import Manifest
    from airlock.provenance.verify import VerifyResult


class HashFormat(enum.StrEnum):
    text = "text"
    json = "json"
    sha256sum = "sha256sum"


IGNORE_OPTION = typer.Option(
    [], "--ignore", help="Path (relative to the model root) to leave out; repeatable."
)
NO_GIT_OPTION = typer.Option(
    False, "--no-ignore-git-paths", help="Also hash .git, .gitattributes, .github, .gitignore."
)
SYMLINK_OPTION = typer.Option(
    False, "--follow-symlinks", help="Follow symlinks that stay inside the model root."
)
CACHE_OPTION = typer.Option(
    False, "--cache", help="Reuse digests of unchanged files from the local digest cache."
)
CERT_TIME_OPTION = typer.Option(
    "now",
    "--cert-time",
    help="Certificate validity time: 'now' or 'not-before' (the leaf's, like model_signing).",
)
FULL_OPTION = typer.Option(False, "--full", help="Ignore the digest cache and re-read every file.")


def hash_options(
    ignore: list[str],
    no_git: bool,
    follow: bool,
    cache: bool,
    full: bool,
    algorithm: str = "sha256",
) -> HashOptions:
    from airlock.provenance.hashing import HashOptions
    from airlock.provenance.walk import WalkOptions

    walk = WalkOptions(tuple(ignore), not no_git, follow)
    return HashOptions(walk, algorithm, use_cache=cache and not full)


def _hash(name: str, options: HashOptions, download: bool = False) -> Manifest:
    with _common.resolved(name, options.walk, download) as model:
        size = model.total_size(options.walk)
        with _common.progress(size, f"hashing {model.name.short}") as advance:
            manifest: Manifest = model.manifest(options, advance)
            return manifest


def render_manifest(manifest: Manifest, path: Path) -> None:
    out = _common.console()
    cached = sum(1 for f in manifest.files if f.cached)
    for f in manifest.files:
        name = printable(path.name if f.path == "." else f.path)  # a stranger's file names
        mark = "  (cached)" if f.cached else ""
        out.print(f"{f.digest}  {f.size:>14,}  {name}{mark}", markup=False)
    out.print(
        f"root sha256:{manifest.root_digest}  {len(manifest.files)} files, "
        f"{manifest.total_size:,} bytes" + (f", {cached} digests from cache" if cached else ""),
        markup=False,
    )
    if manifest.ignore_paths:
        out.print(f"ignored: {printable(', '.join(manifest.ignore_paths))}", markup=False)


def _safe(text: object) -> str:
    """Untrusted text inside markup: file names and expectations come from strangers, and a
    ``[red]`` in one was eaten as markup (or ``[/x]`` crashed rich on a terminal)."""
    return escape_markup(printable(str(text)))


def render_verify(results: list[VerifyResult]) -> None:
    out = _common.console()
    for res in results:
        head = "[green]OK[/]" if res.ok else "[red]FAILED[/]"
        counts = ", ".join(f"{v} {k}" for k, v in res.counts().items() if v)
        out.print(f"{head} {res.mode} verification of {_safe(res.path)}: {counts or 'no files'}")
        for f in res.files:
            if f.status.value == "ok":
                continue
            colour = "yellow" if f.status.value == "extra" else "red"
            detail = f" ({f.detail})" if f.detail else ""
            exp = f" expected {f.expected}" if f.expected else ""
            got = f" got {f.actual}" if f.actual and f.status.value == "changed" else ""
            line = _safe(f"{f.path}{detail}{exp}{got}")
            out.print(f"  [{colour}]{f.status.value:>12}[/] {line}")
        cached = sum(1 for f in res.files if f.cached)
        if cached:
            out.print(f"  {cached} digests from the digest cache (--full to re-read)")
        for p in res.problems:
            out.print(f"  [red]problem:[/] {_safe(p)}")
        for w in res.warnings:
            out.print(f"  [yellow]warning:[/] {_safe(w)}")
        if res.ignore_paths:
            out.print(f"  ignore rules applied: {_safe(', '.join(res.ignore_paths))}")


def emit_verify(results: list[VerifyResult], fmt: OutputFormat, extra: Any = None) -> int:
    if fmt is OutputFormat.json:
        docs = [r.to_json() for r in results]
        _common.print_json(docs[0] if len(docs) == 1 and extra is None else {"results": docs})
    else:
        render_verify(results)
    return EXIT_OK if all(r.ok for r in results) else EXIT_FINDINGS


def register(app: typer.Typer) -> None:
    @app.command("hash")
    def hash_cmd(
        name: str = typer.Argument(
            ..., metavar="PATH", help="Model: path, hf://ORG/NAME[@REV], s3://B/P or https:// URL."
        ),
        fmt: HashFormat = typer.Option(
            HashFormat.text, "--format", "-f", help="text, json (manifest) or sha256sum lines."
        ),
        ignore: list[str] = IGNORE_OPTION,
        no_git: bool = NO_GIT_OPTION,
        follow_symlinks: bool = SYMLINK_OPTION,
        cache: bool = CACHE_OPTION,
        full: bool = FULL_OPTION,
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
        download: bool = _common.DOWNLOAD_OPTION,
    ) -> None:
        """Hash a model (file or directory) with the OpenSSF Model Signing rules."""
        opts = hash_options(ignore, no_git, follow_symlinks, cache, full)

        def run() -> None:
            import json
            import sys

            manifest = _hash(name, opts, download)
            path = Path(manifest.name or name)
            if fmt is HashFormat.text and output is None:
                render_manifest(manifest, path)
                return
            if fmt is HashFormat.sha256sum:
                text = manifest.to_sha256sums(path.name)
            elif fmt is HashFormat.json:
                text = json.dumps(manifest.to_json(), indent=2) + "\n"
            else:
                text = (
                    "".join(f"{f.digest}  {f.size}  {f.path}\n" for f in manifest.files)
                    + f"root sha256:{manifest.root_digest}\n"
                )
            if output is None:
                sys.stdout.write(text)
            else:
                from airlock.errors import InputError

                try:  # a name that is not UTF-8 is written as its own bytes, like stdout
                    output.write_bytes(text.encode("utf-8", "surrogateescape"))
                except OSError as exc:
                    raise InputError(f"{output}: cannot write ({exc.strerror})") from None

        _common.guarded(run)

    @app.command("verify")
    def verify_cmd(
        path: str | None = typer.Argument(
            None, help="Model: path, hf://ORG/NAME[@REV], s3://B/P or https:// URL."
        ),
        manifest: Path | None = typer.Option(None, "--manifest", help="Airlock JSON manifest."),
        sha256sums: Path | None = typer.Option(
            None, "--sha256sums", help="sha256sum-style list (GNU or BSD --tag format)."
        ),
        digest: str | None = typer.Option(None, "--digest", help="Expected OMS root digest."),
        signature: Path | None = typer.Option(
            None, "--signature", help="OMS signature bundle (model.sig)."
        ),
        key: Path | None = typer.Option(None, "--key", help="Signer's public key (PEM)."),
        cert_chain: list[Path] = typer.Option(
            [], "--cert-chain", help="Intermediate certificates (PEM); repeatable."
        ),
        trust_roots: list[Path] = typer.Option(
            [], "--trust-roots", help="Trusted root certificates (PEM); repeatable."
        ),
        ignore_unsigned_files: bool = typer.Option(
            False, "--ignore-unsigned-files", help="Tolerate files the signature does not list."
        ),
        cert_time: str = CERT_TIME_OPTION,
        hf_cache: bool = typer.Option(
            False, "--hf-cache", help="Verify a Hugging Face cache repo (PATH = ORG/NAME[@REV])."
        ),
        all_repos: bool = typer.Option(False, "--all", help="With --hf-cache: every cached repo."),
        cache_dir: Path | None = typer.Option(
            None, "--cache-dir", help="Hugging Face hub cache (default: HF_HUB_CACHE/HF_HOME)."
        ),
        allow_extra: bool = typer.Option(
            False, "--allow-extra", help="Files not in the manifest/sums list do not fail."
        ),
        ignore: list[str] = IGNORE_OPTION,
        no_git: bool = NO_GIT_OPTION,
        follow_symlinks: bool = SYMLINK_OPTION,
        cache: bool = CACHE_OPTION,
        full: bool = FULL_OPTION,
        download: bool = _common.DOWNLOAD_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Verify a model against a manifest, sums list, root digest, signature or HF cache."""
        opts = hash_options(ignore, no_git, follow_symlinks, cache, full)

        def run() -> int:
            from airlock.errors import UsageError

            chosen = [x for x in (manifest, sha256sums, digest, signature) if x is not None]
            if hf_cache:
                if chosen:
                    raise UsageError("--hf-cache cannot be combined with other expectations")
                return _verify_hf(str(path) if path else None, all_repos, cache_dir, opts, fmt)
            if path is None:
                raise UsageError("a model PATH is required (or --hf-cache REPO)")
            if len(chosen) != 1:
                raise UsageError(
                    "give exactly one of --manifest, --sha256sums, --digest, --signature"
                )
            if signature is not None:
                from airlock.cli.signing import verify_signature_cli

                with _common.resolved(path, opts.walk, download) as model:
                    actual = model.manifest(opts) if model.remote is not None else None
                    return verify_signature_cli(
                        model.materialise(),
                        signature,
                        key,
                        cert_chain,
                        trust_roots,
                        ignore_unsigned_files,
                        ignore,
                        opts,
                        fmt,
                        validity_time=cert_time,
                        manifest=actual,
                    )
            return emit_verify(
                [_verify_plain(path, manifest, sha256sums, digest, opts, allow_extra, download)],
                fmt,
            )

        raise typer.Exit(_common.guarded(run))


def _read_text(path: Path, raw_names: bool = False) -> str:
    """``raw_names``: bytes that are not UTF-8 become lone surrogates (``os.fsdecode``'s
    convention, which the walk's paths follow), so a sums list naming such a file, as
    ``sha256sum`` and ``airlock hash --format sha256sum`` write it, still matches."""
    from airlock.fileio import read_capped

    data = read_capped(path, 256 * 1024 * 1024, "sums list" if raw_names else "manifest")
    try:
        return data.decode("utf-8-sig", "surrogateescape" if raw_names else "strict")
    except UnicodeDecodeError:
        from airlock.errors import FormatError

        raise FormatError(f"{path}: not UTF-8 text") from None


def _verify_plain(
    name: str,
    manifest: Path | None,
    sums: Path | None,
    digest: str | None,
    opts: HashOptions,
    allow_extra: bool,
    download: bool = False,
) -> VerifyResult:
    from airlock.provenance import verify as v
    from airlock.provenance.manifest import parse_manifest_json, parse_sha256sums

    m = parse_manifest_json(_read_text(manifest), str(manifest)) if manifest else None
    expected = parse_sha256sums(_read_text(sums, raw_names=True), str(sums)) if sums else None
    with (
        _common.resolved(name, opts.walk, download) as model,
        _common.progress(model.total_size(opts.walk), f"verifying {model.name.short}") as advance,
    ):
        # a remote model's manifest comes from its stated/computed digests; a local one is
        # hashed by the verify functions themselves (with the expectation's own ignore rules)
        actual = model.manifest(opts, advance) if model.remote is not None else None
        path = model.materialise()
        label = model.label
        if m is not None:
            res = v.verify_manifest(
                path, m, options=opts, allow_extra=allow_extra, progress=advance, actual=actual
            )
        elif expected is not None:
            res = v.verify_digests(
                path,
                expected,
                mode="sha256sums",
                options=opts,
                allow_extra=allow_extra,
                progress=advance,
                manifest=actual,
            )
        else:
            assert digest is not None
            res = v.verify_root_digest(path, digest, options=opts, progress=advance, actual=actual)
        res.path = label
        note = model.staged.stated_note() if model.staged is not None else ""
        if note:  # a match against a stated digest is not a hash of the bytes: say so
            res.warnings.append(f"digests {note}")
        return res


def _verify_hf(
    spec_text: str | None,
    all_repos: bool,
    cache_dir: Path | None,
    opts: HashOptions,
    fmt: OutputFormat,
) -> int:
    from airlock.errors import UsageError
    from airlock.provenance import hf_cache

    cache = cache_dir or hf_cache.default_cache_dir()
    if all_repos == (spec_text is not None):
        raise UsageError("with --hf-cache give either a REPO[@REVISION] or --all")
    specs = hf_cache.list_repos(cache) if all_repos else [hf_cache.RepoSpec.parse(spec_text or "")]
    results = []
    for spec in specs:
        results.extend(hf_cache.verify_hf_repo(spec, cache, opts))
    if not results:
        raise UsageError(f"{cache}: no repositories in the cache")
    if fmt is OutputFormat.json:
        _common.print_json(
            {
                "schema": "airlock.verify-report/v1",
                "cache_dir": str(cache),
                "ok": all(r.ok for r in results),
                "results": [r.to_json() for r in results],
            }
        )
        return EXIT_OK if all(r.ok for r in results) else EXIT_FINDINGS
    return emit_verify(results, fmt)
