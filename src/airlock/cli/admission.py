"""``airlock admission serve`` (the Kubernetes webhook) and ``airlock verify-attestation``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat

MAX_AGE_HOURS = 1_000_000  # ~114 years: beyond it timedelta overflows and no verdict is that old


def _startup_line(settings: Any, host: str, port: int, mtls: bool) -> str:
    """One line on stderr before serving: where, which registry, which token, which modes (the
    webhook said nothing at all, so a missing token showed only as failing follows)."""
    addr = f"https://[{host}]:{port}" if ":" in host else f"https://{host}:{port}"
    m = settings.modes
    mode = "warn-only" if m.warn_only else "fail-open" if m.fail_open else "fail-closed"
    token = "token from AIRLOCK_REGISTRY_TOKEN" if settings.token else (
        "NO registry token (set AIRLOCK_REGISTRY_TOKEN, scopes read and publish)")  # fmt: skip
    return (f"airlock admission serve: listening on {addr} (/validate, /mutate, /healthz, "
            f"/readyz){' with client certificates' if mtls else ''} | registry "
            f"{settings.registry_url} | {token} | {mode}"
            f"{', models required' if m.require_models else ''} | max staleness "
            f"{settings.max_staleness:g}s | spool {settings.spool_dir}")  # fmt: skip


def register(app: typer.Typer) -> None:
    adm = typer.Typer(
        help="Kubernetes admission webhook: only approved, unrevoked models run.",
        no_args_is_help=True,
    )
    app.add_typer(adm, name="admission")

    @adm.command("serve")
    def serve_cmd(
        registry: str = typer.Option(
            ..., "--registry", envvar="AIRLOCK_REGISTRY_URL", help="Registry service URL."
        ),
        tls_cert: Path = typer.Option(..., "--tls-cert", help="Server certificate (PEM)."),
        tls_key: Path = typer.Option(..., "--tls-key", help="Server private key (PEM)."),
        host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on."),  # noqa: S104
        port: int = typer.Option(8443, "--port", help="Port to listen on."),
        client_ca: Path | None = typer.Option(
            None, "--client-ca", help="Require client certificates signed by this CA (mTLS)."
        ),
        registry_ca: Path | None = typer.Option(
            None, "--registry-ca", help="CA bundle for an https:// registry."
        ),
        spool: Path | None = typer.Option(
            None, "--spool", help="Directory of decisions waiting for the audit chain."
        ),
        fail_open: bool = typer.Option(
            False, "--fail-open", help="Registry unreachable: allow with a warning (audit-only)."
        ),
        warn_only: bool = typer.Option(
            False, "--warn-only", help="Never deny: every denial becomes a Kubernetes warning."
        ),
        require_models: bool = typer.Option(
            False, "--require-models", help="Deny workloads that name no model."
        ),
        max_staleness: float = typer.Option(
            5.0, "--max-staleness", help="Seconds within which registry changes reach decisions."
        ),
        refresh: float = typer.Option(1.0, "--refresh", help="Audit log follow interval (s)."),
        timeout: float = typer.Option(3.0, "--timeout", help="Per-review deadline (s)."),
        registry_timeout: float = typer.Option(
            2.0, "--registry-timeout", help="Per-request registry timeout (s)."
        ),
        advisory_fail_on: str = typer.Option(
            "low", "--advisory-fail-on", help="Advisory severity that denies."
        ),
        max_per_client: int = typer.Option(
            64,
            "--max-connections-per-client",
            help="Connections one client address may hold (over it, its longest-idle one closes).",
        ),
        verifier_image: str = typer.Option(
            "ghcr.io/airlock-dev/airlock:0.1.0",
            "--verifier-image",
            help="Image of the injected `airlock verify` init container (mutating webhook).",
        ),
    ) -> None:
        """Serve the validating (/validate) and mutating (/mutate) webhook over HTTPS."""

        def run() -> int:
            import os
            import sys

            from platformdirs import user_cache_dir

            from airlock.admission.decide import Modes
            from airlock.admission.server import Settings, serve
            from airlock.errors import UsageError

            for p in (tls_cert, tls_key, *(x for x in (client_ca, registry_ca) if x)):
                if not p.is_file():
                    raise UsageError(f"{p}: no such file")
            if not registry.startswith(("http://", "https://")):
                raise UsageError("--registry must be an http:// or https:// URL")
            if not 0 < refresh < max_staleness:
                raise UsageError("--refresh must be positive and shorter than --max-staleness")
            if timeout <= 0 or registry_timeout <= 0:
                raise UsageError("timeouts must be positive")
            if not 1 <= max_per_client <= 1024:
                raise UsageError("--max-connections-per-client must be within 1..1024")
            _common.require_listen(host, port)
            settings = Settings(
                registry_url=registry,
                spool_dir=spool or Path(user_cache_dir("airlock")) / "admission-spool",
                token=os.environ.get("AIRLOCK_REGISTRY_TOKEN"),
                registry_ca=str(registry_ca) if registry_ca else None,
                registry_timeout=registry_timeout,
                review_timeout=timeout,
                refresh=refresh,
                max_staleness=max_staleness,
                advisory_fail_on=advisory_fail_on,
                verifier_image=verifier_image,
                max_connections_per_client=max_per_client,
                modes=Modes(
                    require_models=require_models, fail_open=fail_open, warn_only=warn_only
                ),
            )
            sys.stderr.write(_startup_line(settings, host, port, client_ca is not None) + "\n")
            sys.stderr.flush()
            serve(
                settings,
                host=host,
                port=port,
                tls_cert=str(tls_cert),
                tls_key=str(tls_key),
                client_ca=str(client_ca) if client_ca else None,
            )
            return EXIT_OK

        raise typer.Exit(_common.guarded(run))

    @app.command("verify-attestation")
    def verify_attestation_cmd(
        attestation: Path = typer.Argument(..., help="Signed check verdict (check --attest)."),
        key: Path | None = typer.Option(None, "--key", help="Checker's public key (PEM)."),
        trust_roots: list[Path] = typer.Option([], "--trust-roots", help="Trusted root certs."),
        cert_chain: list[Path] = typer.Option([], "--cert-chain", help="Intermediate certs."),
        cert_time: str = typer.Option(
            "now", "--cert-time", help="Certificate validity at: now | not-before."
        ),
        model: str | None = typer.Option(
            None, "--model", help="Hash this model and require the attested files."
        ),
        digest: str | None = typer.Option(None, "--digest", help="Require this root digest."),
        max_age: float | None = typer.Option(
            None, "--max-age-hours", help="Refuse verdicts older than this."
        ),
        allow_deny: bool = typer.Option(
            False, "--accept-deny", help="A validly signed 'deny' verdict still verifies."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Verify a signed check verdict (key or certificate), optionally against a model."""

        def run() -> int:
            import datetime as dt

            from airlock.attest.bundle import read, verify
            from airlock.errors import UsageError
            from airlock.provenance.keys import load_public_key

            if (key is None) == (not trust_roots):
                raise UsageError("give --key or --trust-roots (certificate method)")
            roots: list[object] = []
            extra: list[object] = []
            if trust_roots:
                from airlock.provenance.certs import load_certificates

                roots = list(load_certificates(trust_roots, "trust root"))
                extra = list(load_certificates(cert_chain, "certificate chain"))
            from airlock.provenance.verify import parse_root_digest

            if max_age is not None and not 0 <= max_age <= MAX_AGE_HOURS:  # also NaN
                raise UsageError(f"--max-age-hours must be between 0 and {MAX_AGE_HOURS:,}")
            files = None
            expect = parse_root_digest(digest) if digest is not None else None
            if model is not None:
                from airlock.provenance.hashing import hash_model

                manifest = hash_model(_common.local_path(model, "--model"))
                files = [(f.path, f.digest) for f in manifest.files]
                if expect is not None and expect != manifest.root_digest:
                    raise UsageError("--digest differs from the model's root digest")
                expect = manifest.root_digest
            result = verify(
                read(attestation),
                public_key=load_public_key(key) if key else None,
                trust_roots=roots,
                intermediates=extra,
                validity_time=cert_time,
                digest=expect,
                files=files,
                max_age=dt.timedelta(hours=max_age) if max_age is not None else None,
                require_allow=not allow_deny,
            )
            if fmt is OutputFormat.json:
                _common.print_json(result.to_json())
            else:
                out = _common.console()
                data = result.to_json()
                head = "OK" if result.ok else "FAILED"
                if result.statement is None:  # the signature did not verify: nothing it says
                    out.print(f"{head}: {attestation} — not verified", markup=False)
                else:
                    out.print(
                        f"{head}: {attestation} — {data['model']} sha256:{data['root_digest']} "
                        f"verdict {data['verdict']}, signed {data['issued_at']} by "
                        f"{result.signer}",
                        markup=False,
                    )
                for p in result.problems:
                    out.print(f"  problem: {p}", markup=False)
            return EXIT_OK if result.ok else EXIT_FINDINGS

        raise typer.Exit(_common.guarded(run))
