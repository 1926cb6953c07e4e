"""Sign a model and verify a model against an OMS signature: the library API behind the CLI.

``sign`` writes what ``model_signing sign key|certificate`` writes (files method, DSSE, Sigstore
bundle v0.3, same root digest). ``verify_signature`` accepts what it accepts (plus ``shards``
with a float ``shard_size`` and legacy v0.1 predicates) and returns a typed result with a status
per file instead of stopping at the first difference. Bad bundles are failed verifications
(``ok=False`` with a one-line reason); only unusable inputs (missing model, unreadable key)
raise.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from airlock.errors import InputError, UsageError
from airlock.provenance import oms
from airlock.provenance.dsse import INTOTO_PAYLOAD_TYPE, SignatureError, sign_envelope
from airlock.provenance.hashing import HashOptions, hash_entries, hash_model, model_name
from airlock.provenance.keys import (
    PrivateKey,
    PublicKey,
    is_oms_compatible,
    key_hint,
    key_type_of,
    load_private_key,
    load_public_key,
)
from airlock.provenance.manifest import FileDigest, Manifest, root_digest
from airlock.provenance.walk import DEFAULT_IGNORES, FileEntry, WalkOptions, sort_key, walk_model

if TYPE_CHECKING:
    import datetime as dt

DEFAULT_SHARD_SIZE = 1_000_000_000
SIGNATURE_SCHEMA = "airlock.signature-report/v1"
ProgressFn = Callable[[int], None]
STATUSES = ("ok", "changed", "missing", "extra")


class SignResult(NamedTuple):
    """What ``sign`` produced: the bundle (a JSON-ready dict) and what it covers."""

    bundle: dict[str, Any]
    root_digest: str
    resource_count: int
    ignore_paths: tuple[str, ...]
    method: str
    key_type: str
    key_hint: str
    oms_compatible: bool
    output: Path | None = None


class FileStatus(NamedTuple):
    """One signed or local file: ``ok``, ``changed``, ``missing`` or ``extra`` (unsigned)."""

    path: str
    status: str
    expected: str | None = None
    actual: str | None = None
    size: int | None = None
    detail: str = ""


@dataclass
class SignatureVerification:
    """Outcome of ``verify_signature``. ``ok`` needs a valid signature and matching files."""

    path: str
    signature: str
    ok: bool = False
    signature_valid: bool = False
    method: str = ""
    key_type: str = ""
    key_hint: str = ""
    bundle_key_hint: str | None = None
    predicate_type: str = ""
    serialization: dict[str, Any] = field(default_factory=dict)
    subject_name: str = ""
    signed_root: str | None = None
    actual_root: str | None = None
    signed_ignore_paths: tuple[str, ...] = ()
    applied_ignore_paths: tuple[str, ...] = ()
    ignore_unsigned_files: bool = False
    files: list[FileStatus] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    certificate: dict[str, Any] | None = None
    validity_time: str | None = None

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for f in self.files:
            out[f.status] = out.get(f.status, 0) + 1
        return out

    @property
    def reason(self) -> str:
        """One line saying why verification failed ('' when it passed)."""
        if self.ok:
            return ""
        if self.problems:
            return self.problems[0]
        c = self.counts()
        parts = [f"{c[s]} {s}" for s in ("changed", "missing", "extra") if c[s]]
        return "files differ from the signature: " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SIGNATURE_SCHEMA,
            "path": self.path,
            "signature": self.signature,
            "ok": self.ok,
            "reason": self.reason,
            "signature_valid": self.signature_valid,
            "method": self.method,
            "key_type": self.key_type,
            "key_hint": self.key_hint,
            "bundle_key_hint": self.bundle_key_hint,
            "certificate": self.certificate,
            "validity_time": self.validity_time,
            "predicate_type": self.predicate_type,
            "serialization": self.serialization,
            "subject_name": self.subject_name,
            "signed_root": self.signed_root,
            "actual_root": self.actual_root,
            "signed_ignore_paths": list(self.signed_ignore_paths),
            "applied_ignore_paths": list(self.applied_ignore_paths),
            "ignore_unsigned_files": self.ignore_unsigned_files,
            "counts": self.counts(),
            "problems": self.problems,
            "warnings": self.warnings,
            "files": [
                {
                    "path": f.path,
                    "status": f.status,
                    "expected": f.expected,
                    "actual": f.actual,
                    "size": f.size,
                    "detail": f.detail,
                }
                for f in self.files
            ],
        }


def _inside(root: Path, candidate: Path) -> str | None:
    """``candidate`` relative to the model root (POSIX), or None when outside it."""
    base = root if root.is_dir() else root.parent
    try:
        rel = Path(os.path.normpath(candidate.absolute())).relative_to(
            Path(os.path.normpath(base.absolute()))
        )
    except ValueError:
        return None
    text = rel.as_posix()
    return text if text and text != "." else None


def _as_private_key(
    key: PrivateKey | str | os.PathLike[str], passphrase: bytes | None
) -> PrivateKey:
    if isinstance(key, (str, os.PathLike)):
        return load_private_key(key, passphrase)
    return key


def sign(
    path: str | os.PathLike[str],
    private_key: PrivateKey | str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    passphrase: bytes | None = None,
    ignore_paths: Sequence[str] = (),
    ignore_git_paths: bool = True,
    allow_symlinks: bool = False,
    method: str = "files",
    hash_type: str = "sha256",
    shard_size: int = DEFAULT_SHARD_SIZE,
    certificate_chain: Sequence[bytes] = (),
    workers: int | None = None,
    use_cache: bool = False,
    progress: ProgressFn | None = None,
) -> SignResult:
    """Sign the model at ``path``; write the bundle to ``output`` when given.

    ``certificate_chain`` (DER, leaf first) switches to the certificate method; the leaf must
    hold the public half of ``private_key``. The output file, when inside the model, is ignored.
    """
    if method not in ("files", "shards"):
        raise UsageError(f"unknown signing method {method!r} (files or shards)")
    if hash_type not in ("sha256", "blake2b"):
        raise UsageError(f"unsupported hash type {hash_type!r} (sha256 or blake2b)")
    if method == "shards" and shard_size <= 0:
        raise UsageError("shard size must be positive")
    key = _as_private_key(private_key, passphrase)
    pub = key.public_key()
    root = Path(path)
    ignores = list(ignore_paths)
    if output is not None and root.is_dir():
        rel = _inside(root, Path(output))
        if rel is not None:
            ignores.append(rel)
    walk = WalkOptions(tuple(ignores), ignore_git_paths, allow_symlinks)
    if certificate_chain:
        _check_leaf_matches(certificate_chain[0], pub)
    if method == "files":
        manifest = hash_model(
            root, HashOptions(walk, hash_type, use_cache, None, workers), progress
        )
        applied = manifest.ignore_paths
        resources = [oms.Resource(f.path, hash_type, f.digest) for f in manifest.files]
        ser = oms.Serialization("files", hash_type, allow_symlinks, applied)
    else:
        from airlock.provenance.shards import hash_shards, plan_shards

        entries, applied = walk_model(root, walk)
        shards = plan_shards(entries, shard_size)
        digests = hash_shards(
            shards, hash_type, follow_symlinks=allow_symlinks, workers=workers, progress=progress
        )
        alg = f"{hash_type}-sharded-{shard_size}"
        resources = [oms.Resource(s.name, alg, digests[s.name]) for s in shards]
        ser = oms.Serialization("shards", hash_type, allow_symlinks, applied, shard_size)
    statement = oms.build_statement(model_name(root), ser, resources)
    envelope = sign_envelope(oms.compact_json(statement), INTOTO_PAYLOAD_TYPE, key)
    hint = key_hint(pub)
    bundle = oms.build_bundle(
        envelope,
        key_hint=None if certificate_chain else hint,
        certificates=tuple(certificate_chain),
    )
    out_path = None
    if output is not None:
        out_path = Path(output)
        try:
            out_path.write_bytes(oms.bundle_bytes(bundle))
        except OSError as exc:
            raise InputError(f"{out_path}: cannot write signature ({exc.strerror})") from None
    return SignResult(
        bundle=bundle,
        root_digest=statement["subject"][0]["digest"]["sha256"],
        resource_count=len(resources),
        ignore_paths=tuple(applied),
        method="certificate" if certificate_chain else "key",
        key_type=key_type_of(key),
        key_hint=hint,
        oms_compatible=is_oms_compatible(key),
        output=out_path,
    )


def _check_leaf_matches(leaf_der: bytes, pub: PublicKey) -> None:
    from cryptography import x509

    try:
        leaf = x509.load_der_x509_certificate(leaf_der)
    except ValueError as exc:
        raise UsageError(f"signing certificate is not a valid certificate ({exc})") from None
    leaf_key = leaf.public_key()
    if not isinstance(leaf_key, type(pub)) or key_hint(leaf_key) != key_hint(pub):
        raise UsageError("the signing certificate does not hold the public half of the private key")


def _load_bundle(signature: str | os.PathLike[str] | bytes | oms.Bundle) -> tuple[str, oms.Bundle]:
    if isinstance(signature, oms.Bundle):
        return "<bundle>", signature
    if isinstance(signature, bytes):
        return "<bytes>", oms.parse_bundle(signature)
    return str(signature), oms.read_bundle(signature)


def verify_signature(
    path: str | os.PathLike[str],
    signature: str | os.PathLike[str] | bytes | oms.Bundle,
    *,
    public_key: PublicKey | str | os.PathLike[str] | None = None,
    cert_chain: Sequence[Any] = (),
    trust_roots: Sequence[Any] = (),
    validity_time: str = "now",
    ignore_unsigned_files: bool = False,
    ignore_paths: Sequence[str] = (),
    ignore_git_paths: bool = True,
    workers: int | None = None,
    use_cache: bool = False,
    progress: ProgressFn | None = None,
    now: dt.datetime | None = None,
    manifest: Manifest | None = None,
) -> SignatureVerification:
    """Verify the model at ``path`` against an OMS bundle (file path, bytes or parsed).

    Key method: ``public_key`` (object or PEM/DER file). Certificate method: ``trust_roots``
    (certificates or files; required, never a default PKI) and optional extra ``cert_chain``
    intermediates. ``validity_time`` is ``now`` or ``not-before`` (the reference's choice).
    ``manifest``: digests the caller just computed for ``path`` (``airlock check``); files it
    lists with the signed algorithm and the same size are not read again.
    """
    if (public_key is None) == (not trust_roots):
        raise UsageError("give either a public key or trust roots (certificate method), not both")
    root = Path(path)
    if not os.path.lexists(root):
        raise InputError(f"{root}: no such file or directory")
    pub: PublicKey | None = None
    if public_key is not None:
        pub = (
            load_public_key(public_key)
            if isinstance(public_key, (str, os.PathLike))
            else public_key
        )
    roots = _certs(trust_roots, "trust root") if trust_roots else []
    extra = _certs(cert_chain, "certificate chain") if cert_chain else []
    sig_name = signature if isinstance(signature, (bytes, oms.Bundle)) else Path(signature)
    result = SignatureVerification(
        str(root), "<bytes>" if isinstance(sig_name, bytes) else str(sig_name)
    )
    result.ignore_unsigned_files = ignore_unsigned_files
    try:
        label, bundle = _load_bundle(signature)
        result.signature = label
        result.warnings.extend(bundle.warnings)
        statement = _check_signature(bundle, pub, roots, extra, validity_time, now, result)
    except SignatureError as exc:
        result.problems.append(str(exc))
        return result
    result.signature_valid = True
    result.predicate_type = statement.predicate_type
    result.serialization = statement.serialization.to_json()
    result.subject_name = statement.subject_name
    result.signed_root = statement.root_digest
    result.signed_ignore_paths = statement.serialization.ignore_paths
    result.warnings.extend(statement.warnings)
    sig_rel = _inside(root, sig_name) if isinstance(sig_name, Path) else None
    hashing = _Hashing(workers, use_cache, progress, manifest)
    _compare(root, statement, ignore_paths, ignore_git_paths, sig_rel, hashing, result)
    result.ok = not result.problems and not any(
        f.status in ("changed", "missing") or (f.status == "extra" and not ignore_unsigned_files)
        for f in result.files
    )
    return result


def _certs(items: Sequence[Any], what: str) -> list[Any]:
    from cryptography import x509

    from airlock.provenance.certs import load_certificates

    out: list[Any] = []
    paths = [i for i in items if not isinstance(i, x509.Certificate)]
    out.extend(i for i in items if isinstance(i, x509.Certificate))
    out.extend(load_certificates(paths, what))
    if not out:
        raise UsageError(f"no certificates found in the {what} files")
    return out


def _check_signature(
    bundle: oms.Bundle,
    pub: PublicKey | None,
    roots: list[Any],
    intermediates: list[Any],
    validity_time: str,
    now: dt.datetime | None,
    result: SignatureVerification,
) -> oms.SignedStatement:
    from airlock.provenance.dsse import verify_envelope_detailed

    result.bundle_key_hint = bundle.key_hint
    if pub is not None:
        result.method = "key"
        if bundle.certificates:
            raise SignatureError(
                "bundle is signed with a certificate: verify with --trust-roots, not --key"
            )
        result.key_hint = key_hint(pub)
        result.key_type = key_type_of(pub)
        if bundle.key_hint is None:
            result.warnings.append(
                "bundle has no public key hint (older signer): key not pre-checked"
            )
        elif bundle.key_hint.lower() != result.key_hint:
            raise SignatureError(
                f"key mismatch: the bundle was signed by key {bundle.key_hint[:16]}..., "
                f"the given public key is {result.key_hint[:16]}..."
            )
        if not is_oms_compatible(pub):
            result.warnings.append("Ed25519 signature: Airlock-only, other OMS verifiers reject it")
    else:
        from airlock.provenance.certs import verify_chain

        result.method = "certificate"
        if not bundle.certificates:
            raise SignatureError(
                "bundle is signed with a key, not a certificate: verify with --key"
            )
        check = verify_chain(
            bundle.certificates, roots, intermediates, validity_time=validity_time, now=now
        )
        pub = check.public_key
        result.key_hint = key_hint(pub)
        result.key_type = key_type_of(pub)
        result.validity_time = validity_time
        result.certificate = {
            "subject": check.subject,
            "issuer": check.issuer,
            "chain": list(check.chain_subjects),
            "fingerprint_sha256": check.fingerprint_sha256,
            "not_before": check.not_before.isoformat(),
            "not_after": check.not_after.isoformat(),
            "validity_time": validity_time,
            "checked_at": check.checked_at.isoformat(),
        }
        if validity_time == "not-before":
            result.warnings.append(
                "certificate validity checked at the leaf's notBefore (reference behaviour): "
                "an expired certificate passes"
            )
    verified = verify_envelope_detailed(bundle.envelope, pub, allow_legacy_pae=True)
    if verified.legacy_pae:
        result.warnings.append("signature uses model_signing 0.2's buggy DSSE encoding (legacy)")
    return oms.parse_statement(verified.payload, verified.payload_type)


def _effective_ignores(
    statement: oms.SignedStatement,
    user: Sequence[str],
    ignore_git_paths: bool,
    sig_rel: str | None,
) -> list[str]:
    """Signed ignores + the verifier's own + git paths that hold no signed file + the signature."""
    ignores = list(statement.serialization.ignore_paths) + list(user)
    if ignore_git_paths:
        signed = [PurePosixPath(_resource_path(r, statement)) for r in statement.resources]
        for g in DEFAULT_IGNORES:
            gp = PurePosixPath(g)
            if not any(s.is_relative_to(gp) for s in signed):
                ignores.append(g)
    if sig_rel is not None:
        ignores.append(sig_rel)
    return list(dict.fromkeys(ignores))


def _resource_path(r: oms.Resource, statement: oms.SignedStatement) -> str:
    if statement.serialization.method == "shards":
        shard = r.shard
        return shard[0] if shard else r.name
    return r.name


class _Hashing(NamedTuple):
    workers: int | None
    use_cache: bool
    progress: ProgressFn | None
    manifest: Manifest | None


def _compare(
    root: Path,
    statement: oms.SignedStatement,
    user_ignores: Sequence[str],
    ignore_git_paths: bool,
    sig_rel: str | None,
    hashing: _Hashing,
    result: SignatureVerification,
) -> None:
    ser = statement.serialization
    if ser.hash_type not in ("sha256", "blake2b"):
        result.problems.append(f"hash type {ser.hash_type} is not supported by this verifier")
        return
    ignores = _effective_ignores(statement, user_ignores, ignore_git_paths, sig_rel)
    walk = WalkOptions(tuple(ignores), False, ser.allow_symlinks)
    entries, applied = walk_model(root, walk)
    result.applied_ignore_paths = applied
    if ser.method == "shards":
        _compare_shards(entries, statement, hashing.workers, hashing.progress, result)
    else:
        _compare_files(entries, statement, hashing, result)


def _compare_files(
    entries: list[FileEntry],
    statement: oms.SignedStatement,
    hashing: _Hashing,
    result: SignatureVerification,
) -> None:
    ser = statement.serialization
    expected = {r.name: r.digest for r in statement.resources}
    on_disk = {e.name: e for e in entries}
    known: dict[str, FileDigest] = {}
    m = hashing.manifest
    if m is not None and m.algorithm == ser.hash_type and m.allow_symlinks == ser.allow_symlinks:
        known = m.by_path()
    actual: dict[str, FileDigest] = {}
    to_hash: list[FileEntry] = []
    for e in entries:
        if e.name not in expected:
            continue
        done = known.get(e.name)
        if done is not None and done.size == e.size:
            actual[e.name] = done
        else:
            to_hash.append(e)
    options = HashOptions(
        WalkOptions((), False, ser.allow_symlinks),
        ser.hash_type,
        hashing.use_cache,
        None,
        hashing.workers,
    )
    actual.update((d.path, d) for d in hash_entries(to_hash, options, hashing.progress))
    files: list[FileStatus] = []
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            files.append(FileStatus(name, "missing", want))
        else:
            status = "ok" if got.digest == want else "changed"
            files.append(FileStatus(name, status, want, got.digest, got.size))
    for name, entry in on_disk.items():
        if name not in expected:
            files.append(FileStatus(name, "extra", size=entry.size, detail="not signed"))
    files.sort(key=lambda f: sort_key(f.path))
    result.files = files
    if len(actual) == len(expected):
        result.actual_root = root_digest(actual[r.name].digest for r in statement.resources)


def _compare_shards(
    entries: list[FileEntry],
    statement: oms.SignedStatement,
    workers: int | None,
    progress: ProgressFn | None,
    result: SignatureVerification,
) -> None:
    from airlock.provenance.shards import hash_shards, plan_shards

    ser = statement.serialization
    assert ser.shard_size is not None
    signed: dict[str, dict[str, str]] = {}
    for r in statement.resources:
        shard = r.shard
        assert shard is not None
        signed.setdefault(shard[0], {})[r.name] = r.digest
    on_disk = {e.name: e for e in entries}
    wanted = [e for e in entries if e.name in signed]
    plan = plan_shards(wanted, ser.shard_size)
    digests = hash_shards(
        plan, ser.hash_type, follow_symlinks=ser.allow_symlinks, workers=workers, progress=progress
    )
    local: dict[str, dict[str, str]] = {}
    for s in plan:
        local.setdefault(s.file, {})[s.name] = digests[s.name]
    files: list[FileStatus] = []
    for name, want in signed.items():
        entry = on_disk.get(name)
        if entry is None:
            files.append(FileStatus(name, "missing", detail=f"{len(want)} signed shards"))
            continue
        got = local.get(name, {})
        if got == want:
            files.append(FileStatus(name, "ok", size=entry.size, detail=f"{len(want)} shards"))
        elif set(got) != set(want):
            files.append(FileStatus(name, "changed", size=entry.size, detail="size differs"))
        else:
            bad = sum(1 for k in want if got[k] != want[k])
            files.append(
                FileStatus(
                    name, "changed", size=entry.size, detail=f"{bad} of {len(want)} shards differ"
                )
            )
    for name, entry in on_disk.items():
        if name not in signed:
            if entry.size == 0:
                result.warnings.append(
                    f"{name}: empty file, not covered by a shards signature (OMS shards rule)"
                )
                continue
            files.append(FileStatus(name, "extra", size=entry.size, detail="not signed"))
    files.sort(key=lambda f: sort_key(f.path))
    result.files = files
    flat = {k: v for per in local.values() for k, v in per.items()}
    if all(r.name in flat for r in statement.resources):
        result.actual_root = root_digest(flat[r.name] for r in statement.resources)
