"""Certificate method: chain a bundle's signing certificate to roots the user names explicitly.

Never a default web PKI: without ``trust_roots`` there is no certificate verification. The chain
is built and checked by ``cryptography``'s X.509 verifier (CA certificates under the Web PKI CA
profile; the leaf's EKU is not forced to TLS usages). The leaf must allow signing: KeyUsage
digitalSignature or EKU codeSigning, as OMS requires. Validity is checked at *now* by default;
``validity_time="not-before"`` reproduces the reference (the leaf's notBefore, so an expired
certificate passes) and the result says which time was used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID

from airlock.errors import FormatError, InputError, UsageError
from airlock.fileio import read_capped
from airlock.provenance.dsse import SignatureError
from airlock.provenance.keys import PublicKey, key_type_of

MAX_CERT_FILE_BYTES = 4 * 1024 * 1024
MAX_CHAIN_DEPTH = 8
VALIDITY_TIMES = ("now", "not-before")


class CertificateCheck(NamedTuple):
    """A verified signing certificate: its key, the chain, and the time the chain was checked at."""

    public_key: PublicKey
    subject: str
    issuer: str
    chain_subjects: tuple[str, ...]
    fingerprint_sha256: str
    validity_time: str
    checked_at: dt.datetime
    not_before: dt.datetime
    not_after: dt.datetime


def load_certificates(paths: Sequence[str | os.PathLike[str]], what: str) -> list[x509.Certificate]:
    """Every certificate in the given PEM (bundles allowed) or DER files."""
    out: list[x509.Certificate] = []
    for raw in paths:
        p = Path(raw)
        try:
            data = read_capped(p, MAX_CERT_FILE_BYTES, what)
        except FormatError:
            raise InputError(f"{p}: {what} file larger than {MAX_CERT_FILE_BYTES} bytes") from None
        try:
            if b"-----BEGIN CERTIFICATE-----" in data:
                out.extend(x509.load_pem_x509_certificates(data))
            else:
                out.append(x509.load_der_x509_certificate(data))
        except ValueError as exc:
            raise FormatError(f"{p}: not a PEM or DER certificate ({str(exc)[:120]})") from None
    return out


def parse_der_chain(chain: Sequence[bytes]) -> list[x509.Certificate]:
    """The bundle's certificates (leaf first) from DER."""
    certs: list[x509.Certificate] = []
    for i, der in enumerate(chain):
        try:
            certs.append(x509.load_der_x509_certificate(der))
        except ValueError as exc:
            raise SignatureError(
                f"bundle: certificate {i} is not a valid DER certificate ({str(exc)[:120]})"
            ) from None
    if not certs:
        raise SignatureError("bundle: no certificate")
    return certs


def _allows_signing(cert: x509.Certificate) -> bool:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if ku.digital_signature:
            return True
    except x509.ExtensionNotFound:
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        return ExtendedKeyUsageOID.CODE_SIGNING in eku
    except x509.ExtensionNotFound:
        return False


def verify_chain(
    bundle_chain: Sequence[bytes],
    trust_roots: Sequence[x509.Certificate],
    intermediates: Sequence[x509.Certificate] = (),
    *,
    validity_time: str = "now",
    now: dt.datetime | None = None,
) -> CertificateCheck:
    """Chain the leaf to one of ``trust_roots``; raise ``SignatureError`` with the reason."""
    if validity_time not in VALIDITY_TIMES:
        raise UsageError(f"validity time must be one of {', '.join(VALIDITY_TIMES)}")
    if not trust_roots:
        raise UsageError("certificate verification needs explicit trust roots (--trust-roots)")
    try:
        return _verify_chain(bundle_chain, trust_roots, intermediates, validity_time, now)
    except (ValueError, TypeError, UnsupportedAlgorithm, x509.DuplicateExtension) as exc:
        # cryptography parses certificate fields lazily: a damaged one fails here, not at load
        text = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise SignatureError(f"bundle: malformed signing certificate ({text})") from None


def _verify_chain(
    bundle_chain: Sequence[bytes],
    trust_roots: Sequence[x509.Certificate],
    intermediates: Sequence[x509.Certificate],
    validity_time: str,
    now: dt.datetime | None,
) -> CertificateCheck:
    certs = parse_der_chain(bundle_chain)
    leaf = certs[0]
    if validity_time == "now":
        at = now or dt.datetime.now(dt.UTC)
    else:
        at = leaf.not_valid_before_utc
    if not _allows_signing(leaf):
        raise SignatureError(
            f"certificate {leaf.subject.rfc4514_string()!r}: key usage does not allow signing "
            "(needs KeyUsage digitalSignature or EKU codeSigning)"
        )
    try:
        key = leaf.public_key()
        key_type_of(key)  # type: ignore[arg-type]
    except FormatError as exc:
        raise SignatureError(f"certificate {leaf.subject.rfc4514_string()!r}: {exc}") from None
    builder = (
        verification.PolicyBuilder()
        .store(verification.Store(list(trust_roots)))
        .time(at)
        .max_chain_depth(MAX_CHAIN_DEPTH)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
    )
    try:
        verified = builder.build_client_verifier().verify(
            leaf, list(certs[1:]) + list(intermediates)
        )
    except verification.VerificationError as exc:
        reason = str(exc).split(" (encountered", 1)[0]
        when = f"at {at.isoformat()} ({'now' if validity_time == 'now' else 'leaf notBefore'})"
        expired = ""
        if at > leaf.not_valid_after_utc:
            expired = f"; the certificate expired {leaf.not_valid_after_utc.isoformat()}"
        elif at < leaf.not_valid_before_utc:
            expired = (
                f"; the certificate is not valid before {leaf.not_valid_before_utc.isoformat()}"
            )
        raise SignatureError(
            f"certificate {leaf.subject.rfc4514_string()!r} is not trusted {when}: "
            f"{reason}{expired}"
        ) from None
    chain = tuple(c.subject.rfc4514_string() for c in verified.chain)
    return CertificateCheck(
        public_key=key,  # type: ignore[arg-type]
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        chain_subjects=chain,
        fingerprint_sha256=hashlib.sha256(leaf.public_bytes(Encoding.DER)).hexdigest(),
        validity_time=validity_time,
        checked_at=at,
        not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc,
    )
