"""Test helpers: generated model trees, key pairs on disk, a throw-away CA."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from airlock.provenance import keys


def make_model(root: Path) -> Path:
    """A small model with nested folders, an empty file, awkward names and a .git directory."""
    files = {
        "config.json": b'{"hidden_size": 8}\n',
        "tokenizer/vocab.txt": b"a\nb\nc\n",
        "weights/shard-00001.bin": os.urandom(70_000),
        "weights/deeper/shard-00002.bin": os.urandom(33_333),
        "weights/deeper/empty.bin": b"",
        "a b/x.txt": b"space dir",
        "a-b": b"dash",
        "a.txt": b"dot",
        ".git/HEAD": b"ref: refs/heads/main\n",
        ".gitattributes": b"*.bin filter=lfs\n",
    }
    for name, data in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


@dataclass(frozen=True)
class KeyFiles:
    key: ec.EllipticCurvePrivateKey
    private: Path
    public: Path


def write_plain_keypair(directory: Path, curve: ec.EllipticCurve | None = None) -> KeyFiles:
    """Unencrypted PEM pair, as ``openssl`` would write it (model_signing reads it too)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(curve or ec.SECP256R1())
    priv = directory / "key.pem"
    pub = directory / "key.pub"
    priv.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pub.write_bytes(keys.public_key_pem(key.public_key()))
    return KeyFiles(key, priv, pub)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass(frozen=True)
class Pki:
    root: x509.Certificate
    root_key: ec.EllipticCurvePrivateKey
    intermediate: x509.Certificate
    inter_key: ec.EllipticCurvePrivateKey
    root_pem: Path
    inter_pem: Path

    def leaf(
        self,
        directory: Path,
        *,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        digital_signature: bool = True,
        code_signing: bool = True,
        name: str = "leaf",
    ) -> tuple[Path, Path, x509.Certificate]:
        """Signing key + certificate (PEM files) issued by the intermediate."""
        now = dt.datetime.now(dt.UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(f"model signer {name}"))
            .issuer_name(self.intermediate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - dt.timedelta(hours=1))
            .not_valid_after(not_after or now + dt.timedelta(days=30))
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.inter_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.KeyUsage(
                    digital_signature=digital_signature,
                    content_commitment=False,
                    key_encipherment=not digital_signature,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
        )
        eku = [
            ExtendedKeyUsageOID.CODE_SIGNING if code_signing else ExtendedKeyUsageOID.SERVER_AUTH
        ]
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        cert = builder.sign(self.inter_key, hashes.SHA256())
        directory.mkdir(parents=True, exist_ok=True)
        key_path = directory / f"{name}.key"
        cert_path = directory / f"{name}.pem"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key_path, cert_path, cert


def _ca(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    path_length: int | None,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=365))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def make_pki(directory: Path, name: str = "Test") -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    root_key = ec.generate_private_key(ec.SECP384R1())
    root = _ca(f"{name} Root CA", root_key, _name(f"{name} Root CA"), root_key, 1)
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = _ca(f"{name} Intermediate CA", inter_key, root.subject, root_key, 0)
    root_pem = directory / "root.pem"
    inter_pem = directory / "intermediate.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    inter_pem.write_bytes(inter.public_bytes(serialization.Encoding.PEM))
    return Pki(root, root_key, inter, inter_key, root_pem, inter_pem)
