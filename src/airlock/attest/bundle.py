"""Sign a check verdict into a bundle, and verify one (key or certificate, like OMS bundles).

The container is a Sigstore bundle v0.3 (``provenance.oms.build_bundle``): a DSSE envelope over
the check statement plus the public-key hint or the X.509 chain. All crypto is
``provenance.dsse`` / ``provenance.certs``; nothing here signs or verifies bytes itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.attest import statement as st
from airlock.errors import FormatError, UsageError
from airlock.provenance import oms
from airlock.provenance.dsse import INTOTO_PAYLOAD_TYPE, SignatureError, sign_envelope
from airlock.provenance.keys import PrivateKey, PublicKey, key_hint

SCHEMA = "airlock.attestation-verification/v1"


def sign(
    statement: dict[str, Any],
    private_key: PrivateKey,
    *,
    certificate_chain: Sequence[bytes] = (),
) -> dict[str, Any]:
    """The signed bundle for ``statement`` (key method, or certificate method with a chain)."""
    payload = st.canonical(statement)
    envelope = sign_envelope(payload, INTOTO_PAYLOAD_TYPE, private_key)
    hint = key_hint(private_key.public_key())
    if certificate_chain:
        from cryptography import x509

        leaf = x509.load_der_x509_certificate(certificate_chain[0]).public_key()
        if key_hint(leaf) != hint:  # type: ignore[arg-type]
            raise UsageError("the signing certificate does not hold the public half of the key")
        return oms.build_bundle(envelope, certificates=tuple(certificate_chain))
    envelope["signatures"][0]["keyid"] = hint
    return oms.build_bundle(envelope, key_hint=hint)


@dataclass
class AttestationVerification:
    """Outcome of :func:`verify`: ``ok`` only when the signature, the shape and every
    expectation (digest, files, age, verdict) hold."""

    ok: bool = False
    method: str = ""
    signer: str = ""  # key hint, or the certificate subject
    statement: st.CheckStatement | None = None
    certificate: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        s = self.statement
        return {
            "schema": SCHEMA,
            "ok": self.ok,
            "method": self.method,
            "signer": self.signer,
            "certificate": self.certificate,
            "model": s.name if s else None,
            "root_digest": s.root_digest if s else None,
            "verdict": s.verdict if s else None,
            "issued_at": s.issued_at.isoformat() if s else None,
            "files": len(s.files) if s else None,
            "steps": list(s.steps) if s else [],
            "policy": s.predicate.get("policy") if s else None,
            "problems": self.problems,
        }


def load(data: bytes | dict[str, Any]) -> oms.Bundle:
    """Parse a bundle (bytes or its JSON object); ``SignatureError`` when malformed."""
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return oms.parse_bundle(raw)


def verified_statement(
    bundle: oms.Bundle,
    *,
    public_key: PublicKey | None = None,
    trust_roots: Sequence[Any] = (),
    intermediates: Sequence[Any] = (),
    validity_time: str = "now",
    now: dt.datetime | None = None,
    result: AttestationVerification | None = None,
) -> st.CheckStatement:
    """The statement of a bundle whose signature verifies; else SignatureError / FormatError."""
    from airlock.provenance.dsse import verify_envelope_detailed

    out = result or AttestationVerification()
    if (public_key is None) == (not trust_roots):
        raise UsageError("give either a public key or trust roots (certificate method), not both")
    if public_key is not None:
        out.method = "key"
        if bundle.certificates:
            raise SignatureError("attestation is signed with a certificate: use --trust-roots")
        out.signer = key_hint(public_key)
        if bundle.key_hint is not None and bundle.key_hint.lower() != out.signer:
            raise SignatureError(
                f"key mismatch: signed by key {bundle.key_hint[:16]}..., "
                f"the given key is {out.signer[:16]}..."
            )
        pub = public_key
    else:
        from airlock.provenance.certs import verify_chain

        out.method = "certificate"
        if not bundle.certificates:
            raise SignatureError("attestation is signed with a key, not a certificate: use --key")
        check = verify_chain(
            bundle.certificates,
            list(trust_roots),
            list(intermediates),
            validity_time=validity_time,
            now=now,
        )
        pub = check.public_key
        out.signer = check.subject
        out.certificate = {
            "subject": check.subject,
            "issuer": check.issuer,
            "fingerprint_sha256": check.fingerprint_sha256,
            "chain": list(check.chain_subjects),
        }
    verified = verify_envelope_detailed(bundle.envelope, pub)
    if verified.payload_type != INTOTO_PAYLOAD_TYPE:
        raise SignatureError(f"payloadType must be {INTOTO_PAYLOAD_TYPE!r}")
    return st.parse(verified.payload)


def verify(
    data: bytes | dict[str, Any],
    *,
    public_key: PublicKey | None = None,
    trust_roots: Sequence[Any] = (),
    intermediates: Sequence[Any] = (),
    validity_time: str = "now",
    digest: str | None = None,
    files: Sequence[tuple[str, str]] | None = None,
    max_age: dt.timedelta | None = None,
    require_allow: bool = True,
    now: dt.datetime | None = None,
) -> AttestationVerification:
    """Verify an attestation and the expectations given.

    ``digest``: the model's root digest; ``files``: its (path, sha256) list (from hashing the
    model), compared with the signed subjects; ``max_age``: how old the verdict may be;
    ``require_allow``: a signed "deny" is a failed verification.
    """
    out = AttestationVerification()
    try:
        stmt = verified_statement(
            load(data),
            public_key=public_key,
            trust_roots=trust_roots,
            intermediates=intermediates,
            validity_time=validity_time,
            now=now,
            result=out,
        )
    except (SignatureError, FormatError) as exc:
        out.problems.append(str(exc))
        return out
    out.statement = stmt
    current = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    if stmt.issued_at > current + dt.timedelta(minutes=5):
        out.problems.append(f"attestation is dated in the future ({stmt.issued_at.isoformat()})")
    if max_age is not None and current - stmt.issued_at > max_age:
        out.problems.append(
            f"attestation is older than {max_age} (signed {stmt.issued_at.isoformat()})"
        )
    if digest is not None and digest != stmt.root_digest:
        out.problems.append(f"attestation is for {stmt.root_digest}, not {digest}")
    if files is not None:
        signed = set(stmt.files)
        have = set(files)
        if signed != have:
            changed = sorted({p for p, _ in signed ^ have})
            out.problems.append(
                f"{len(changed)} file(s) differ from the attested ones: {', '.join(changed[:10])}"
            )
    if require_allow and stmt.verdict != "allow":
        out.problems.append("the attested verdict is deny")
    out.ok = not out.problems
    return out


def read(path: str | Path) -> bytes:
    """An attestation file's bytes (bounded)."""
    from airlock.fileio import read_capped

    return read_capped(Path(path), oms.MAX_BUNDLE_BYTES, "attestation")
