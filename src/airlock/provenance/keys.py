"""Signing keys: generate, store encrypted, load, and name them by the OMS key hint.

OMS (model_signing) accepts ECDSA on P-256/P-384/P-521 only. Ed25519 is offered as an
Airlock-only option: our verifier accepts it, other OMS tools reject it. Private keys are always
written encrypted (PKCS#8 with the best available encryption); the passphrase comes from the
caller (a prompt or ``AIRLOCK_KEY_PASSPHRASE``), never from argv.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from airlock.errors import FormatError, InputError, UsageError

PASSPHRASE_ENV = "AIRLOCK_KEY_PASSPHRASE"  # noqa: S105 - the variable name, not a secret
MAX_KEY_FILE_BYTES = 64 * 1024

PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

#: key type name -> curve; ``None`` means Ed25519.
KEY_TYPES: dict[str, type[ec.EllipticCurve] | None] = {
    "p256": ec.SECP256R1,
    "p384": ec.SECP384R1,
    "p521": ec.SECP521R1,
    "ed25519": None,
}
OMS_CURVES = ("secp256r1", "secp384r1", "secp521r1")


class KeyFileError(FormatError):
    """A key file is unreadable, of an unsupported type, or the passphrase is wrong."""


class KeyPairFiles(NamedTuple):
    private_path: Path
    public_path: Path
    key_type: str
    hint: str
    oms_compatible: bool


def generate_private_key(key_type: str = "p256") -> PrivateKey:
    """A fresh private key: ``p256`` (default), ``p384``, ``p521`` or ``ed25519`` (Airlock-only)."""
    if key_type not in KEY_TYPES:
        raise UsageError(f"unknown key type {key_type!r} (choose from {', '.join(KEY_TYPES)})")
    curve = KEY_TYPES[key_type]
    if curve is None:
        return ed25519.Ed25519PrivateKey.generate()
    return ec.generate_private_key(curve())


def key_type_of(key: PrivateKey | PublicKey) -> str:
    """The key type name of a supported key (``p256`` ...), or raise for anything else."""
    if isinstance(key, (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey)):
        return "ed25519"
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        for name, curve in KEY_TYPES.items():
            if curve is not None and key.curve.name == curve().name:
                return name
        raise KeyFileError(f"unsupported elliptic curve {key.curve.name}")
    raise KeyFileError(
        f"unsupported key type {type(key).__name__} (need ECDSA P-256/384/521 or Ed25519)"
    )


def is_oms_compatible(key: PrivateKey | PublicKey) -> bool:
    """True for keys other OMS tools (model_signing) can verify: ECDSA on the NIST curves."""
    return key_type_of(key) != "ed25519"


def _public_loaders() -> tuple[Callable[[bytes], object], Callable[[bytes], object]]:
    """PEM/DER public key loaders without importing ``serialization`` (30 ms of SSH/cipher code).

    The functions ``serialization`` re-exports; falls back to it if the binding layout changes.
    """
    try:
        from cryptography.hazmat.bindings._rust import openssl as rust_openssl

        return rust_openssl.keys.load_pem_public_key, rust_openssl.keys.load_der_public_key
    except (ImportError, AttributeError):  # pragma: no cover - other cryptography layouts
        from cryptography.hazmat.primitives import serialization

        return serialization.load_pem_public_key, serialization.load_der_public_key


def public_key_pem(key: PublicKey) -> bytes:
    """PEM SubjectPublicKeyInfo as ``cryptography`` (and ``openssl pkey -pubout``) writes it."""
    from cryptography.hazmat.primitives._serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def key_hint(key: PublicKey) -> str:
    """The OMS bundle key hint: lowercase hex sha256 of the public key's PEM."""
    return hashlib.sha256(public_key_pem(key)).hexdigest()


def _read_key_file(path: Path, what: str) -> bytes:
    from airlock.fileio import read_capped

    try:
        return read_capped(Path(path), MAX_KEY_FILE_BYTES, what)
    except FormatError:
        raise InputError(f"{path}: too large for a {what}") from None


def parse_public_key(data: bytes, source: str) -> PublicKey:
    """A public key from PEM (SubjectPublicKeyInfo) or DER bytes."""
    load_pem, load_der = _public_loaders()
    try:
        key = load_pem(data) if b"-----BEGIN" in data else load_der(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{source}: not a PEM or DER public key ({_short(exc)})") from None
    if not isinstance(key, (ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey)):
        raise KeyFileError(
            f"{source}: unsupported public key type {type(key).__name__} "
            "(need ECDSA P-256/384/521 or Ed25519)"
        )
    key_type_of(key)
    return key


def load_public_key(path: str | os.PathLike[str]) -> PublicKey:
    """Load a public key file (PEM or DER)."""
    p = Path(path)
    return parse_public_key(_read_key_file(p, "public key"), str(p))


def private_key_is_encrypted(path: str | os.PathLike[str]) -> bool:
    """Whether a PEM private key file needs a passphrase (without asking for one)."""
    data = _read_key_file(Path(path), "private key")
    return b"ENCRYPTED" in data.split(b"\n", 1)[0] or b"Proc-Type: 4,ENCRYPTED" in data


def load_private_key(path: str | os.PathLike[str], passphrase: bytes | None = None) -> PrivateKey:
    """Load a PEM (or DER) private key, encrypted or not."""
    from cryptography.hazmat.primitives import serialization

    p = Path(path)
    data = _read_key_file(p, "private key")
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password=passphrase)
        else:
            key = serialization.load_der_private_key(data, password=passphrase)
    except TypeError as exc:
        msg = str(exc)
        if "encrypted" in msg.lower() and passphrase is None:
            raise KeyFileError(
                f"{p}: private key is encrypted and no passphrase was given"
            ) from None
        if "not encrypted" in msg.lower():
            raise KeyFileError(
                f"{p}: a passphrase was given but the private key is not encrypted"
            ) from None
        raise KeyFileError(f"{p}: cannot load private key ({_short(exc)})") from None
    except ValueError as exc:
        if passphrase is not None:
            raise KeyFileError(f"{p}: wrong passphrase or corrupt private key") from None
        raise KeyFileError(f"{p}: not a PEM or DER private key ({_short(exc)})") from None
    except UnsupportedAlgorithm as exc:
        raise KeyFileError(f"{p}: unsupported private key ({_short(exc)})") from None
    if not isinstance(key, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        raise KeyFileError(
            f"{p}: unsupported private key type {type(key).__name__} "
            "(need ECDSA P-256/384/521 or Ed25519)"
        )
    key_type_of(key)
    return key


def passphrase_from_env() -> bytes | None:
    """The passphrase from ``AIRLOCK_KEY_PASSPHRASE``, if set (never from argv)."""
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode("utf-8") if value is not None else None


def write_key_pair(
    out_dir: str | os.PathLike[str],
    key: PrivateKey,
    passphrase: bytes,
    *,
    name: str = "airlock",
    force: bool = False,
) -> KeyPairFiles:
    """Write ``<name>.key`` (encrypted PKCS#8, mode 0600) and ``<name>.pub`` in ``out_dir``."""
    if not passphrase:
        raise UsageError("refusing to write an unencrypted private key: the passphrase is empty")
    from cryptography.hazmat.primitives import serialization

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create directory ({exc.strerror})") from None
    if not out.is_dir():
        raise InputError(f"{out}: not a directory")
    priv_path, pub_path = out / f"{name}.key", out / f"{name}.pub"
    if not force:
        for p in (priv_path, pub_path):
            if p.exists():
                raise UsageError(f"{p}: already exists (use --force to overwrite)")
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(priv_path, flags, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        os.chmod(priv_path, 0o600)
        pub_path.write_bytes(public_key_pem(key.public_key()))
    except OSError as exc:
        raise InputError(f"{out}: cannot write key files ({exc.strerror})") from None
    pub = key.public_key()
    return KeyPairFiles(
        priv_path, pub_path, key_type_of(key), key_hint(pub), is_oms_compatible(pub)
    )


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
