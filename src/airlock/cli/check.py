"""``airlock check``: the one command a deployment asks before it loads a model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat
from airlock.cli.provenance import (
    CACHE_OPTION,
    CERT_TIME_OPTION,
    FULL_OPTION,
    IGNORE_OPTION,
    NO_GIT_OPTION,
    SYMLINK_OPTION,
    _read_text,
    _safe,
    hash_options,
)
from airlock.render.markup import printable

if TYPE_CHECKING:
    from airlock.gate import CheckOptions, CheckResult


def render(result: CheckResult) -> None:
    """Summaries carry a stranger's file names and a registry's advisory text: escaped, so a
    ``[/x]`` in them cannot crash rich and control characters cannot rewrite the verdict."""
    out = _common.console()
    verdict = "[green]ALLOW[/]" if result.allowed else "[red]DENY[/]"
    out.print(f"{verdict} {_safe(result.path)}  root sha256:{result.root_digest}")
    for s in result.steps:
        mark = "[green]ok  [/]" if s.ok else "[red]FAIL[/]"
        out.print(f"  {mark} {s.name:<11} {_safe(s.summary)}", highlight=False)
        for f in s.findings[:50]:
            where = printable(f.location + (f"!{f.member}" if f.member else ""))
            out.print(f"       {f.severity!s:<8} {f.rule_id} {f.title} — {where}", markup=False)
        if len(s.findings) > 50:
            out.print(f"       … {len(s.findings) - 50} more (use --format json)")
        if s.name == "provenance":
            for fc in s.data.get("files", []):
                if fc["status"] != "ok":
                    path = printable(fc["path"])
                    out.print(f"       {fc['status']:>12} {path}", markup=False)


def _write_attestation(
    result: CheckResult,
    opts: CheckOptions,
    key: Path,
    chain: list[Path],
    name: str | None,
    output: Path,
) -> None:
    """Sign the verdict (allow or deny alike: a signed deny is evidence too) and write it."""
    import json

    from airlock.attest.verdict import attest_check
    from airlock.cli.signing import load_signing_key
    from airlock.errors import InputError

    der: list[bytes] = []
    if chain:
        from cryptography.hazmat.primitives.serialization import Encoding

        from airlock.provenance.certs import load_certificates

        der = [c.public_bytes(Encoding.DER) for c in load_certificates(chain, "certificate")]
    bundle = attest_check(result, opts, load_signing_key(key), name=name, certificate_chain=der)
    try:
        output.write_text(json.dumps(bundle, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write the attestation ({exc.strerror})") from None


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_cmd(
        path: str = typer.Argument(
            ..., help="Model: path, HF snapshot, hf://ORG/NAME[@REV], s3://B/P or https:// URL."
        ),
        manifest: Path | None = typer.Option(None, "--manifest", help="Expected manifest."),
        sha256sums: Path | None = typer.Option(None, "--sha256sums", help="Expected sums."),
        digest: str | None = typer.Option(None, "--digest", help="Expected OMS root digest."),
        allow_extra: bool = typer.Option(False, "--allow-extra", help="Extra files don't fail."),
        signature: Path | None = typer.Option(None, "--signature", help="OMS signature bundle."),
        key: Path | None = typer.Option(None, "--key", help="Signer's public key (PEM)."),
        cert_chain: list[Path] = typer.Option([], "--cert-chain", help="Intermediate certs."),
        trust_roots: list[Path] = typer.Option([], "--trust-roots", help="Trusted root certs."),
        cert_time: str = CERT_TIME_OPTION,
        ignore_unsigned_files: bool = typer.Option(
            False, "--ignore-unsigned-files", help="Files the signature does not list are ok."
        ),
        no_scan: bool = typer.Option(False, "--no-scan", help="Skip the static scan."),
        allow_unscanned: bool = typer.Option(
            False, "--allow-unscanned", help="Files the scanner could not read do not deny."
        ),
        fail_on: _common.FailOn | None = typer.Option(
            None,
            "--fail-on",
            case_sensitive=False,
            help="Scan severity that denies (default: the policy file's fail-on, else high).",
        ),
        policy: str | None = _common.POLICY_OPTION,
        registry: str | None = typer.Option(
            None,
            "--registry",
            envvar="AIRLOCK_REGISTRY_URL",
            help="Registry to ask: service URL (token from AIRLOCK_REGISTRY_TOKEN) or DB URL.",
        ),
        base: str | None = typer.Option(
            None,
            "--base",
            help="Claimed base model (trojan; for an adapter, the base it is applied to): "
            "path, hf://ORG/NAME[@REV], s3://B/P or https:// URL (read whole).",
        ),
        trojan_fail_on: _common.FailOn = _common.fail_on_option(
            "medium",
            "Trojan evidence severity that denies (with --base); default: any evidence.",
            "--trojan-fail-on",
        ),
        attest: Path | None = typer.Option(
            None, "--attest", help="Sign the verdict with this private key (in-toto, DSSE)."
        ),
        attest_output: Path = typer.Option(
            Path("check.intoto.json"), "-o", "--output", help="Where --attest writes."
        ),
        attest_cert: list[Path] = typer.Option(
            [], "--attest-cert", help="Signing certificate chain, leaf first (certificate method)."
        ),
        attest_name: str | None = typer.Option(
            None, "--attest-name", help="Model name in the attestation (default: PATH's name)."
        ),
        ignore: list[str] = IGNORE_OPTION,
        no_git: bool = NO_GIT_OPTION,
        follow_symlinks: bool = SYMLINK_OPTION,
        cache: bool = CACHE_OPTION,
        full: bool = FULL_OPTION,
        download: bool = _common.DOWNLOAD_OPTION,
        cache_url: str | None = _common.CACHE_URL_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Gate a model: hash, verify provenance, scan, and give one verdict (exit 0 allow)."""

        def run() -> int:
            import os

            from airlock.errors import UsageError
            from airlock.gate import CheckOptions, check
            from airlock.provenance.manifest import parse_manifest_json, parse_sha256sums
            from airlock.report import Severity

            if sum(x is not None for x in (manifest, sha256sums, digest)) > 1:
                raise UsageError("give at most one of --manifest, --sha256sums, --digest")
            if signature is not None and key is None and not trust_roots:
                raise UsageError("--signature needs --key or --trust-roots")
            given = {
                "--key": key is not None,
                "--cert-chain": bool(cert_chain),
                "--trust-roots": bool(trust_roots),
                "--ignore-unsigned-files": ignore_unsigned_files,
            }
            orphans = [name for name, on in given.items() if on and signature is None]
            if orphans:  # an option that silently does nothing would let a user think it checked
                verb = "applies" if len(orphans) == 1 else "apply"
                raise UsageError(f"{', '.join(orphans)} only {verb} with --signature")
            if no_scan and (allow_unscanned or fail_on is not None):
                raise UsageError("--allow-unscanned/--fail-on apply to the scan; drop --no-scan")
            if base is None and trojan_fail_on != "medium":
                raise UsageError("--trojan-fail-on applies to the trojan step; give --base")
            from airlock.policyfile import load_policy

            pol = load_policy(policy)
            try:
                threshold = Severity.parse(fail_on) if fail_on else pol.fail_on or Severity.HIGH
                trojan_threshold = Severity.parse(trojan_fail_on)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            opts = CheckOptions(
                hashing=hash_options(ignore, no_git, follow_symlinks, cache, full),
                manifest=parse_manifest_json(_read_text(manifest), str(manifest))
                if manifest
                else None,
                sha256sums=parse_sha256sums(_read_text(sha256sums, raw_names=True), str(sha256sums))
                if sha256sums
                else None,
                digest=digest,
                allow_extra=allow_extra,
                scan=not no_scan,
                fail_on=threshold,
                allow_unscanned=allow_unscanned,
                ignore_unsigned_files=ignore_unsigned_files,
                signature=signature,
                public_key=key,
                cert_chain=tuple(cert_chain),
                trust_roots=tuple(trust_roots),
                cert_time=cert_time,
                registry=registry,
                registry_token=os.environ.get("AIRLOCK_REGISTRY_TOKEN"),
                base=base,
                trojan_fail_on=trojan_threshold,
                download=download,
                policy=pol,
                cache=_common.verdict_cache(cache_url, pol) if not no_scan else None,
            )
            with _common.resolved(path, opts.hashing.walk, download) as model:
                size = model.total_size(opts.hashing.walk)
                with _common.progress(size, f"checking {model.name.short}") as advance:
                    result = check(model, opts, advance)
            scanned = next((s for s in result.steps if s.name == "scan"), None)
            _common.cache_summary(opts.cache, scanned.data.get("objects", []) if scanned else [])
            if attest is not None:
                _write_attestation(result, opts, attest, attest_cert, attest_name, attest_output)
            if fmt is OutputFormat.json:
                _common.print_json(result.to_json())
            else:
                render(result)
            return EXIT_OK if result.allowed else EXIT_FINDINGS

        raise typer.Exit(_common.guarded(run))
