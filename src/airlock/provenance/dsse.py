"""DSSE v1 envelopes: sign and verify a payload with an ECDSA (or Ed25519) key.

Generic on purpose: OMS model signatures and the registry's signed approval statements share it.
ECDSA hashes by curve (P-256 -> SHA-256, P-384 -> SHA-384, P-521 -> SHA-512) and signatures are
DER, as OpenSSF Model Signing and sigstore write them. The envelope dict uses the protobuf-JSON
field names (``payload``, ``payloadType``, ``signatures[].sig``/``keyid``), bytes as base64.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from airlock.errors import AirlockError, FormatError
from airlock.provenance.keys import PrivateKey, PublicKey, key_type_of

INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024
MAX_SIGNATURES = 16
MAX_SIGNATURE_BYTES = 1024
MAX_PAYLOAD_TYPE_LEN = 256
_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


class SignatureError(AirlockError):
    """A signature (or the envelope/bundle carrying it) does not verify: a failed verdict."""

    exit_code = 1


class VerifiedEnvelope(NamedTuple):
    """What a verified envelope yields; ``legacy_pae`` marks the model_signing v0.2 bug form."""

    payload: bytes
    payload_type: str
    legacy_pae: bool = False


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: the exact bytes that are signed."""
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def pae_legacy(payload_type: str, payload: bytes) -> bytes:
    """The buggy encoding model_signing 0.2 signed: ``DSSEV1`` and the Python repr of the bytes."""
    return f"DSSEV1 {len(payload_type)} {payload_type} {len(payload)} {payload!r}".encode()


def ecdsa_hash(curve: ec.EllipticCurve) -> hashes.HashAlgorithm:
    """The hash OMS/sigstore pair with each curve."""
    if curve.name == "secp384r1":
        return hashes.SHA384()
    if curve.name == "secp521r1":
        return hashes.SHA512()
    return hashes.SHA256()


def sign_bytes(private_key: PrivateKey, message: bytes) -> bytes:
    """Raw signature over ``message``: DER ECDSA with the curve's hash, or Ed25519."""
    key_type_of(private_key)
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(message)
    return private_key.sign(message, ec.ECDSA(ecdsa_hash(private_key.curve)))


def verify_bytes(
    public_key: PublicKey,
    signature: bytes,
    message: bytes,
    hash_alg: hashes.HashAlgorithm | None = None,
) -> bool:
    """True when ``signature`` is valid over ``message`` (never raises for a bad signature)."""
    try:
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, message)
        else:
            public_key.verify(
                signature, message, ec.ECDSA(hash_alg or ecdsa_hash(public_key.curve))
            )
    except (InvalidSignature, ValueError):
        return False
    return True


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode_strict(value: Any, where: str, limit: int) -> bytes:
    """Standard base64 with padding; a precise one-line error for anything else."""
    if not isinstance(value, str):
        raise SignatureError(f"{where}: expected a base64 string, got {type(value).__name__}")
    if len(value) > (limit * 4) // 3 + 8:
        raise SignatureError(f"{where}: larger than {limit} bytes")
    if len(value) % 4 or not _B64.match(value):
        raise SignatureError(f"{where}: not valid base64")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{where}: not valid base64") from None


def sign_envelope(payload: bytes, payload_type: str, private_key: PrivateKey) -> dict[str, Any]:
    """A DSSE envelope (protobuf-JSON names) with one signature over ``PAE(type, payload)``."""
    sig = sign_bytes(private_key, pae(payload_type, payload))
    return {
        "payload": b64encode(payload),
        "payloadType": payload_type,
        "signatures": [{"sig": b64encode(sig), "keyid": ""}],
    }


def parse_envelope(envelope: Any, where: str = "dsseEnvelope") -> tuple[bytes, str, list[bytes]]:
    """Check an envelope's shape and decode it: (payload, payload type, raw signatures)."""
    if not isinstance(envelope, dict):
        raise SignatureError(f"{where}: must be a JSON object")
    payload_type = envelope.get("payloadType")
    if not isinstance(payload_type, str) or not payload_type:
        raise SignatureError(f"{where}.payloadType: missing or not a string")
    if len(payload_type) > MAX_PAYLOAD_TYPE_LEN:
        raise SignatureError(f"{where}.payloadType: longer than {MAX_PAYLOAD_TYPE_LEN} characters")
    payload = b64decode_strict(envelope.get("payload"), f"{where}.payload", MAX_PAYLOAD_BYTES)
    sigs = envelope.get("signatures")
    if not isinstance(sigs, list) or not sigs:
        raise SignatureError(f"{where}.signatures: missing or empty")
    if len(sigs) > MAX_SIGNATURES:
        raise SignatureError(f"{where}.signatures: more than {MAX_SIGNATURES} signatures")
    raw: list[bytes] = []
    for i, s in enumerate(sigs):
        if not isinstance(s, dict):
            raise SignatureError(f"{where}.signatures[{i}]: must be a JSON object")
        raw.append(
            b64decode_strict(s.get("sig"), f"{where}.signatures[{i}].sig", MAX_SIGNATURE_BYTES)
        )
        keyid = s.get("keyid", "")
        if not isinstance(keyid, str):
            raise SignatureError(f"{where}.signatures[{i}].keyid: must be a string")
    return payload, payload_type, raw


def verify_envelope_detailed(
    envelope: Any,
    public_key: PublicKey,
    *,
    first_only: bool = True,
    allow_legacy_pae: bool = False,
    where: str = "dsseEnvelope",
) -> VerifiedEnvelope:
    """Verify an envelope and return its payload; raise ``SignatureError`` with the reason.

    ``first_only`` checks only ``signatures[0]`` (what OMS verifiers do); otherwise any signature
    by ``public_key`` is enough. ``allow_legacy_pae`` retries with model_signing 0.2's encoding.
    """
    payload, payload_type, sigs = parse_envelope(envelope, where)
    candidates = sigs[:1] if first_only else sigs
    message = pae(payload_type, payload)
    for sig in candidates:
        if verify_bytes(public_key, sig, message):
            return VerifiedEnvelope(payload, payload_type)
    if allow_legacy_pae and isinstance(public_key, ec.EllipticCurvePublicKey):
        legacy = pae_legacy(payload_type, payload)
        algs: list[hashes.HashAlgorithm] = [ecdsa_hash(public_key.curve)]
        if not isinstance(algs[0], hashes.SHA256):
            algs.append(hashes.SHA256())
        for sig in candidates:
            for alg in algs:
                if verify_bytes(public_key, sig, legacy, alg):
                    return VerifiedEnvelope(payload, payload_type, legacy_pae=True)
    raise SignatureError(
        f"{where}: signature does not verify with the given key "
        "(signed by another key, or over another payload)"
    )


def verify_envelope(envelope: dict[str, Any], public_key: PublicKey) -> bytes:
    """Verify a DSSE envelope's first signature with ``public_key``; return the payload bytes."""
    return verify_envelope_detailed(envelope, public_key).payload


def verify_json_envelope(
    envelope: Any, public_key: PublicKey, source: str, payload_type: str, schema: str, what: str
) -> dict[str, Any]:
    """The JSON object a signed document of ``payload_type`` carries, checked to be ``schema``
    (``what`` names it in errors): ``SignatureError`` (exit 1) when the signature or the
    payload type is wrong, ``FormatError`` when the payload is not that document."""
    verified = verify_envelope_detailed(envelope, public_key, where=source)
    if verified.payload_type != payload_type:
        raise SignatureError(f"{source}: payloadType is not {payload_type}")
    try:
        data = json.loads(verified.payload)
    except (ValueError, RecursionError):
        raise FormatError(f"{source}: signed payload is not JSON") from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        raise FormatError(f"{source}: not {what} ({schema})")
    return data
