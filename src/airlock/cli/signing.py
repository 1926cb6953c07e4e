"""``airlock keygen`` and ``airlock sign``, and the signature branch of ``airlock verify``.

Passphrases come from ``AIRLOCK_KEY_PASSPHRASE`` or a terminal prompt, never from argv.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat

if TYPE_CHECKING:
    from airlock.provenance.hashing import HashOptions
    from airlock.provenance.keys import PrivateKey
    from airlock.provenance.manifest import Manifest
    from airlock.provenance.signing import SignatureVerification


class KeyType(enum.StrEnum):
    p256 = "p256"
    p384 = "p384"
    p521 = "p521"
    ed25519 = "ed25519"


class Method(enum.StrEnum):
    files = "files"
    shards = "shards"


class HashType(enum.StrEnum):
    sha256 = "sha256"
    blake2b = "blake2b"


def _passphrase(prompt: str, *, confirm: bool) -> bytes:
    """From the environment, else from the terminal; never from the command line."""
    import getpass
    import sys

    from airlock.errors import UsageError
    from airlock.provenance.keys import PASSPHRASE_ENV, passphrase_from_env

    value = passphrase_from_env()
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"no terminal to ask for the passphrase: set {PASSPHRASE_ENV}")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat passphrase: ") != first:
        raise UsageError("passphrases do not match")
    return first.encode("utf-8")


def load_signing_key(path: Path) -> PrivateKey:
    from airlock.provenance.keys import load_private_key, private_key_is_encrypted

    if private_key_is_encrypted(path):
        return load_private_key(path, _passphrase(f"Passphrase for {path}: ", confirm=False))
    return load_private_key(path)


def render_signature(res: SignatureVerification) -> None:
    """Human report. No rich markup around user data: paths may contain brackets."""
    from airlock.render.markup import printable

    out = _common.console()
    head = "OK" if res.ok else "FAILED"
    counts = ", ".join(f"{v} {k}" for k, v in res.counts().items() if v)
    out.print(
        f"{head}: signature verification of {res.path} ({res.method or '?'} method): "
        f"{counts or 'no files checked'}",
        markup=False,
    )
    if not res.ok:
        out.print(f"  reason: {printable(str(res.reason))}", markup=False)
    if res.signature_valid:
        out.print(f"  signed by: {res.key_type} key {res.key_hint}", markup=False)
        if res.certificate:
            c = res.certificate
            out.print(
                f"  certificate: {c['subject']} (issuer {c['issuer']}), chain checked at "
                f"{c['checked_at']} [{c['validity_time']}], valid {c['not_before']} .. "
                f"{c['not_after']}",
                markup=False,
            )
        ser = res.serialization
        out.print(
            f"  signed: {res.predicate_type}, method {ser.get('method')}, "
            f"hash {ser.get('hash_type')}, root sha256:{res.signed_root or '-'}",
            markup=False,
        )
        signed_ig = ", ".join(res.signed_ignore_paths) or "(none)"
        out.print(f"  signed ignore list: {signed_ig}", markup=False)
        if res.applied_ignore_paths:
            out.print(
                f"  ignore rules applied: {', '.join(res.applied_ignore_paths)}", markup=False
            )
    for f in res.files:
        if f.status == "ok":
            continue
        detail = f" ({f.detail})" if f.detail else ""
        exp = f" expected {f.expected}" if f.expected else ""
        got = f" got {f.actual}" if f.actual and f.status == "changed" else ""
        out.print(f"  {f.status:>8} {printable(f.path)}{detail}{exp}{got}", markup=False)
    for p in res.problems[1:]:
        out.print(f"  problem: {printable(p)}", markup=False)
    for w in res.warnings:
        out.print(f"  warning: {printable(w)}", markup=False)


def verify_signature_cli(
    path: Path,
    signature: Path,
    key: Path | None,
    cert_chain: list[Path],
    trust_roots: list[Path],
    ignore_unsigned_files: bool,
    ignore: list[str],
    opts: HashOptions,
    fmt: OutputFormat,
    validity_time: str = "now",
    manifest: Manifest | None = None,
) -> int:
    """The ``airlock verify --signature`` branch: exit 0 verified, 1 failed (2 via errors)."""
    from airlock.errors import UsageError
    from airlock.provenance.signing import verify_signature

    if (key is None) == (not trust_roots):
        raise UsageError("with --signature give either --key or --trust-roots (certificate method)")
    if cert_chain and key is not None:
        raise UsageError("--cert-chain goes with --trust-roots, not with --key")
    res = verify_signature(
        path,
        signature,
        public_key=key,
        cert_chain=cert_chain,
        trust_roots=trust_roots,
        validity_time=validity_time,
        ignore_unsigned_files=ignore_unsigned_files,
        ignore_paths=ignore,
        ignore_git_paths=opts.walk.ignore_git_paths,
        use_cache=opts.use_cache,
        workers=opts.workers,
        manifest=manifest,
    )
    if fmt is OutputFormat.json:
        _common.print_json(res.to_json())
    else:
        render_signature(res)
    return EXIT_OK if res.ok else EXIT_FINDINGS


def register(app: typer.Typer) -> None:
    @app.command("keygen")
    def keygen_cmd(
        out: Path = typer.Option(..., "--out", help="Directory for <name>.key and <name>.pub."),
        key_type: KeyType = typer.Option(
            KeyType.p256,
            "--type",
            help="p256 (default), p384, p521: OMS-compatible ECDSA. ed25519: Airlock-only, "
            "other OMS tools cannot verify it.",
        ),
        name: str = typer.Option("airlock", "--name", help="File name stem."),
        force: bool = typer.Option(False, "--force", help="Overwrite existing key files."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Generate a signing key pair; the private key is written encrypted.

        The passphrase is read from AIRLOCK_KEY_PASSPHRASE or asked for on the terminal.
        """

        def run() -> int:
            from airlock.errors import UsageError
            from airlock.provenance.keys import generate_private_key, write_key_pair

            if "/" in name or name in ("", ".", ".."):
                raise UsageError(f"--name must be a plain file name stem, got {name!r}")
            passphrase = _passphrase("New key passphrase: ", confirm=True)
            files = write_key_pair(
                out, generate_private_key(key_type.value), passphrase, name=name, force=force
            )
            if fmt is OutputFormat.json:
                _common.print_json(
                    {
                        "private_key": str(files.private_path),
                        "public_key": str(files.public_path),
                        "key_type": files.key_type,
                        "key_hint": files.hint,
                        "oms_compatible": files.oms_compatible,
                    }
                )
                return EXIT_OK
            c = _common.console()
            c.print(f"private key (encrypted): {files.private_path}", markup=False)
            c.print(f"public key:              {files.public_path}", markup=False)
            c.print(f"type {files.key_type}, key hint {files.hint}", markup=False)
            if not files.oms_compatible:
                c.print(
                    "[yellow]note:[/] Ed25519 is Airlock-only: model_signing and other OMS "
                    "verifiers will reject signatures made with this key"
                )
            return EXIT_OK

        raise typer.Exit(_common.guarded(run))

    @app.command("sign")
    def sign_cmd(
        path_text: str = typer.Argument(..., metavar="PATH", help="Model file or directory."),
        key: Path = typer.Option(..., "--key", help="Private key (PEM, encrypted or not)."),
        output: Path = typer.Option(
            Path("model.sig"), "--output", "-o", help="Signature bundle to write."
        ),
        cert: Path | None = typer.Option(
            None, "--cert", help="Signing certificate (PEM): use the certificate method."
        ),
        cert_chain: list[Path] = typer.Option(
            [], "--cert-chain", help="Intermediate certificates to embed (PEM); repeatable."
        ),
        ignore: list[str] = typer.Option(
            [], "--ignore", help="Path (relative to the model root) to leave out; repeatable."
        ),
        no_git: bool = typer.Option(
            False,
            "--no-ignore-git-paths",
            help="Also sign .git, .gitattributes, .github, .gitignore.",
        ),
        follow_symlinks: bool = typer.Option(
            False, "--follow-symlinks", help="Follow symlinks that stay inside the model root."
        ),
        method: Method = typer.Option(
            Method.files, "--method", help="files (default, OMS CLI-compatible) or shards."
        ),
        shard_size: int = typer.Option(1_000_000_000, "--shard-size", help="Bytes per shard."),
        hash_type: HashType = typer.Option(HashType.sha256, "--hash", help="Per-file digest."),
        cache: bool = typer.Option(
            False, "--cache", help="Reuse digests of unchanged files from the digest cache."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Sign a model in the OpenSSF Model Signing v1.0 format (Sigstore bundle, DSSE)."""

        def run() -> int:
            from airlock.errors import UsageError
            from airlock.provenance.signing import sign

            path = _common.local_path(path_text)
            if cert_chain and cert is None:
                raise UsageError("--cert-chain needs --cert (the signing certificate)")
            chain: list[bytes] = []
            if cert is not None:
                from cryptography.hazmat.primitives.serialization import Encoding

                from airlock.provenance.certs import load_certificates

                certs = load_certificates([cert, *cert_chain], "certificate")
                chain = [c.public_bytes(Encoding.DER) for c in certs]
            private_key = load_signing_key(key)
            from airlock.provenance.hashing import total_size
            from airlock.provenance.walk import WalkOptions

            size = total_size(path, WalkOptions(tuple(ignore), not no_git, follow_symlinks))
            with _common.progress(size, f"signing {path.name}") as advance:
                res = sign(
                    path,
                    private_key,
                    output=output,
                    ignore_paths=ignore,
                    ignore_git_paths=not no_git,
                    allow_symlinks=follow_symlinks,
                    method=method.value,
                    hash_type=hash_type.value,
                    shard_size=shard_size,
                    certificate_chain=chain,
                    use_cache=cache,
                    progress=advance,
                )
            doc = {
                "signature": str(res.output),
                "method": res.method,
                "serialization": method.value,
                "hash_type": hash_type.value,
                "root_digest": res.root_digest,
                "resources": res.resource_count,
                "ignore_paths": list(res.ignore_paths),
                "key_type": res.key_type,
                "key_hint": res.key_hint,
                "oms_compatible": res.oms_compatible
                and method is Method.files
                and hash_type is HashType.sha256,
            }
            if fmt is OutputFormat.json:
                _common.print_json(doc)
                return EXIT_OK
            c = _common.console()
            c.print(f"signed {path} -> {res.output}", markup=False)
            c.print(
                f"root sha256:{res.root_digest}  {res.resource_count} resources ({method.value}), "
                f"{res.method} method, {res.key_type} key {res.key_hint}",
                markup=False,
            )
            c.print(f"signed ignore list: {', '.join(res.ignore_paths) or '(none)'}", markup=False)
            if not doc["oms_compatible"]:
                c.print(
                    "[yellow]note:[/] the model_signing CLI cannot verify this signature "
                    "(it needs ECDSA, files method and sha256)"
                )
            return EXIT_OK

        raise typer.Exit(_common.guarded(run))
