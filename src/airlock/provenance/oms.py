"""OpenSSF Model Signing documents: the in-toto statement and the Sigstore bundle around it.

Pure data: build and strictly parse (a) the in-toto Statement v1 with the
``https://model_signing/signature/v1.0`` predicate (``files`` and ``shards``), the legacy
``Digests/v0.1`` form, and (b) the Sigstore bundle v0.3 JSON that carries the DSSE envelope.
Every problem is a ``SignatureError`` with one precise line; nothing here touches the disk
except ``read_bundle``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from airlock.errors import FormatError
from airlock.provenance.dsse import INTOTO_PAYLOAD_TYPE, SignatureError, b64decode_strict, b64encode

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_V1 = "https://model_signing/signature/v1.0"
PREDICATE_LEGACY = "https://model_signing/Digests/v0.1"
BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"

MAX_BUNDLE_BYTES = 512 * 1024 * 1024
MAX_RESOURCES = 1_000_000
MAX_NAME_LEN = 4096
MAX_IGNORES = 10_000
MAX_CERTS = 10
MAX_CERT_BYTES = 64 * 1024
MAX_SHARD_SIZE = 1 << 62
#: hex length per per-file digest algorithm (blake3 is parsed but cannot be recomputed here).
DIGEST_HEX_LEN = {"sha256": 64, "blake2b": 128, "blake3": 64}
_HEX = re.compile(r"^[0-9a-f]+$")
_SHARDED = re.compile(r"^(sha256|blake2b)-sharded-([0-9]+)$")


class Resource(NamedTuple):
    """One signed item: a file (``files``) or ``path:start:end`` byte range (``shards``)."""

    name: str
    algorithm: str
    digest: str

    @property
    def shard(self) -> tuple[str, int, int] | None:
        """(path, start, end) for a shard name; names may themselves contain ':'."""
        parts = self.name.rsplit(":", 2)
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return parts[0], int(parts[1]), int(parts[2])


class Serialization(NamedTuple):
    """How the signer listed and hashed the model (``predicate.serialization``)."""

    method: str = "files"
    hash_type: str = "sha256"
    allow_symlinks: bool = False
    ignore_paths: tuple[str, ...] = ()
    shard_size: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "hash_type": self.hash_type,
            "allow_symlinks": self.allow_symlinks,
        }
        if self.ignore_paths:
            out["ignore_paths"] = list(self.ignore_paths)
        if self.method == "shards":
            out["shard_size"] = self.shard_size
        return out


class SignedStatement(NamedTuple):
    """A parsed, internally consistent statement (its signature is checked elsewhere)."""

    subject_name: str
    root_digest: str | None
    serialization: Serialization
    resources: tuple[Resource, ...]
    predicate_type: str
    warnings: tuple[str, ...] = ()

    @property
    def legacy(self) -> bool:
        return self.predicate_type == PREDICATE_LEGACY


class Bundle(NamedTuple):
    """A Sigstore bundle v0.3 as far as OMS key/certificate verification needs it."""

    envelope: dict[str, Any]
    key_hint: str | None = None
    certificates: tuple[bytes, ...] = ()
    tlog_entries: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def method(self) -> str:
        return "certificate" if self.certificates else "key"


def root_digest_of(resources: tuple[Resource, ...] | list[Resource]) -> str:
    """sha256 over the raw bytes of every resource digest, in listed order."""
    h = hashlib.sha256()
    for r in resources:
        h.update(bytes.fromhex(r.digest))
    return h.hexdigest()


def build_statement(
    subject_name: str, serialization: Serialization, resources: list[Resource]
) -> dict[str, Any]:
    """The in-toto Statement v1 OMS signs (resources in the order given: sort them first)."""
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": subject_name, "digest": {"sha256": root_digest_of(resources)}}],
        "predicateType": PREDICATE_V1,
        "predicate": {
            "serialization": serialization.to_json(),
            "resources": [
                {"name": r.name, "algorithm": r.algorithm, "digest": r.digest} for r in resources
            ],
        },
    }


def compact_json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _fail(msg: str) -> SignatureError:
    return SignatureError(msg)


def _loads(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise _fail(f"{what}: not UTF-8 text") from None
    except RecursionError:
        raise _fail(f"{what}: JSON nested too deeply") from None
    except ValueError as exc:
        raise _fail(f"{what}: malformed JSON ({str(exc).splitlines()[0][:120]})") from None


def _check_name(name: Any, where: str, *, allow_dot: bool) -> str:
    if not isinstance(name, str) or not name:
        raise _fail(f"{where}: name must be a non-empty string")
    if len(name) > MAX_NAME_LEN or "\x00" in name:
        raise _fail(f"{where}: name too long or contains NUL")
    if name == ".":
        if not allow_dot:
            raise _fail(f"{where}: '.' is not a valid name here")
        return name
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or p.as_posix() != name or "\\" in name:
        raise _fail(f"{where}: {name[:200]!r} is not a normalised relative POSIX path")
    return name


def _check_digest(value: Any, algorithm: str, where: str) -> str:
    want = DIGEST_HEX_LEN[algorithm]
    if not isinstance(value, str) or len(value) != want or not _HEX.match(value):
        raise _fail(f"{where}: digest must be {want} lowercase hex characters for {algorithm}")
    return value


def _parse_bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _fail(f"{where}: must be a boolean")


def _parse_shard_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail("predicate.serialization.shard_size: must be a number")
    if isinstance(value, float):
        if not value.is_integer():
            raise _fail(f"predicate.serialization.shard_size: {value} is not an integer")
        value = int(value)
    assert isinstance(value, int)
    if value <= 0 or value > MAX_SHARD_SIZE:
        raise _fail(f"predicate.serialization.shard_size: {value} out of range")
    return value


def _parse_serialization(raw: Any) -> Serialization:
    where = "predicate.serialization"
    if not isinstance(raw, dict):
        raise _fail(f"{where}: missing or not an object")
    method = raw.get("method")
    if method not in ("files", "shards"):
        raise _fail(
            f"{where}.method: unknown method {str(method)[:60]!r} (expected files or shards)"
        )
    hash_type = raw.get("hash_type")
    if hash_type not in DIGEST_HEX_LEN:
        raise _fail(f"{where}.hash_type: unknown hash type {str(hash_type)[:60]!r}")
    if method == "shards" and hash_type == "blake3":
        raise _fail(f"{where}.hash_type: blake3 is not defined for shards")
    allow_symlinks = _parse_bool(raw.get("allow_symlinks", False), f"{where}.allow_symlinks")
    ignores_raw = raw.get("ignore_paths", [])
    if not isinstance(ignores_raw, list) or len(ignores_raw) > MAX_IGNORES:
        raise _fail(f"{where}.ignore_paths: must be a list of at most {MAX_IGNORES} paths")
    ignores: list[str] = []
    for i, ig in enumerate(ignores_raw):
        name = _check_name(ig, f"{where}.ignore_paths[{i}]", allow_dot=False)
        if name not in ignores:
            ignores.append(name)
    shard_size = _parse_shard_size(raw.get("shard_size")) if method == "shards" else None
    return Serialization(method, hash_type, allow_symlinks, tuple(ignores), shard_size)


def _parse_resources(raw: Any, ser: Serialization) -> tuple[Resource, ...]:
    if not isinstance(raw, list):
        raise _fail("predicate.resources: missing or not a list")
    if len(raw) > MAX_RESOURCES:
        raise _fail(f"predicate.resources: more than {MAX_RESOURCES} entries")
    want_alg = ser.hash_type
    if ser.method == "shards":
        want_alg = f"{ser.hash_type}-sharded-{ser.shard_size}"
    out: list[Resource] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"predicate.resources[{i}]"
        if not isinstance(item, dict):
            raise _fail(f"{where}: must be an object")
        name = item.get("name")
        alg = item.get("algorithm")
        if alg != want_alg:
            sharded = _SHARDED.match(alg) if isinstance(alg, str) else None
            ok = (
                sharded is not None
                and ser.method == "shards"
                and sharded.group(1) == ser.hash_type
                and int(sharded.group(2)) == ser.shard_size
            )
            if not ok:
                raise _fail(
                    f"{where}: algorithm {str(alg)[:60]!r} does not match the serialization "
                    f"({want_alg})"
                )
        if ser.method == "shards":
            if not isinstance(name, str):
                raise _fail(f"{where}: name must be a string")
            res = Resource(name, want_alg, "")
            shard = res.shard
            if shard is None:
                raise _fail(f"{where}: {name[:200]!r} is not a 'path:start:end' shard name")
            path, start, end = shard
            _check_name(path, where, allow_dot=True)
            if not start < end or (ser.shard_size and end - start > ser.shard_size):
                raise _fail(f"{where}: invalid byte range {start}:{end}")
        else:
            _check_name(name, where, allow_dot=True)
        assert isinstance(name, str)
        if name in seen:
            raise _fail(f"{where}: duplicate resource {name[:200]!r}")
        seen.add(name)
        digest = _check_digest(item.get("digest"), ser.hash_type, where)
        out.append(Resource(name, want_alg, digest))
    if ser.method == "files" and "." in seen and len(out) > 1:
        raise _fail("predicate.resources: '.' (single-file model) mixed with other names")
    return tuple(out)


def parse_statement(payload: bytes, payload_type: str) -> SignedStatement:
    """Parse and check the signed payload: types, subject, predicate, root-digest consistency."""
    if payload_type != INTOTO_PAYLOAD_TYPE:
        raise _fail(
            f"dsseEnvelope.payloadType: unknown payload type {payload_type[:80]!r} "
            f"(expected {INTOTO_PAYLOAD_TYPE})"
        )
    stmt = _loads(payload, "signed payload")
    if not isinstance(stmt, dict):
        raise _fail("signed payload: not a JSON object")
    if stmt.get("_type") != STATEMENT_TYPE:
        raise _fail(
            f"signed payload: _type {str(stmt.get('_type'))[:80]!r} is not {STATEMENT_TYPE}"
        )
    ptype = stmt.get("predicateType")
    subjects = stmt.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise _fail("signed payload: subject missing or empty")
    if ptype == PREDICATE_LEGACY:
        return _parse_legacy(subjects)
    if ptype != PREDICATE_V1:
        raise _fail(f"signed payload: unknown predicateType {str(ptype)[:80]!r}")
    if len(subjects) != 1:
        raise _fail(f"signed payload: expected exactly one subject, got {len(subjects)}")
    subject = subjects[0]
    if not isinstance(subject, dict) or not isinstance(subject.get("digest"), dict):
        raise _fail("signed payload: subject[0] must be an object with a digest")
    name = subject.get("name", "")
    if not isinstance(name, str):
        raise _fail("signed payload: subject[0].name must be a string")
    declared = subject["digest"].get("sha256")
    if not isinstance(declared, str) or len(declared) != 64 or not _HEX.match(declared.lower()):
        raise _fail("signed payload: subject[0].digest.sha256 must be 64 hex characters")
    predicate = stmt.get("predicate")
    if not isinstance(predicate, dict):
        raise _fail("signed payload: predicate missing or not an object")
    ser = _parse_serialization(predicate.get("serialization"))
    resources = _parse_resources(predicate.get("resources"), ser)
    actual = root_digest_of(resources)
    if actual != declared.lower():
        raise _fail(
            f"signed payload: subject digest {declared.lower()} does not match the resources "
            f"(they hash to {actual}): manifest is inconsistent"
        )
    return SignedStatement(name[:MAX_NAME_LEN], actual, ser, resources, PREDICATE_V1)


def _parse_legacy(subjects: list[Any]) -> SignedStatement:
    if len(subjects) > MAX_RESOURCES:
        raise _fail(f"signed payload: more than {MAX_RESOURCES} subjects")
    out: list[Resource] = []
    seen: set[str] = set()
    for i, s in enumerate(subjects):
        where = f"subject[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("digest"), dict):
            raise _fail(f"{where}: must be an object with a digest")
        name = _check_name(s.get("name"), where, allow_dot=True)
        if name in seen:
            raise _fail(f"{where}: duplicate subject {name[:200]!r}")
        seen.add(name)
        out.append(
            Resource(name, "sha256", _check_digest(s["digest"].get("sha256"), "sha256", where))
        )
    warning = (
        f"legacy predicate {PREDICATE_LEGACY} (model_signing 0.2 era): no root digest and no "
        "signed ignore list; re-sign with a v1.0 signer"
    )
    return SignedStatement("", None, Serialization(), tuple(out), PREDICATE_LEGACY, (warning,))


def build_bundle(
    envelope: dict[str, Any], *, key_hint: str | None = None, certificates: tuple[bytes, ...] = ()
) -> dict[str, Any]:
    """A Sigstore bundle v0.3 dict: public-key hint (key method) or an X.509 chain, leaf first."""
    material: dict[str, Any]
    if certificates:
        material = {
            "x509CertificateChain": {
                "certificates": [{"rawBytes": b64encode(c)} for c in certificates]
            },
            "tlogEntries": [],
        }
    else:
        material = {"publicKey": {"hint": key_hint or ""}, "tlogEntries": []}
    return {
        "mediaType": BUNDLE_MEDIA_TYPE,
        "verificationMaterial": material,
        "dsseEnvelope": envelope,
    }


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    """The ``.sig`` file content: compact JSON, no trailing newline (as model_signing writes)."""
    return compact_json(bundle)


def parse_bundle(data: bytes) -> Bundle:
    """Strictly parse a bundle's JSON; the envelope is shape-checked when it is verified."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise _fail(f"bundle: larger than {MAX_BUNDLE_BYTES} bytes")
    raw = _loads(data, "bundle")
    if not isinstance(raw, dict):
        raise _fail("bundle: not a JSON object")
    media = raw.get("mediaType")
    if media != BUNDLE_MEDIA_TYPE:
        raise _fail(f"bundle: wrong media type {str(media)[:80]!r} (expected {BUNDLE_MEDIA_TYPE})")
    envelope = raw.get("dsseEnvelope")
    if not isinstance(envelope, dict):
        if "messageSignature" in raw:
            raise _fail(
                "bundle: carries a messageSignature, not a DSSE envelope (not an OMS bundle)"
            )
        raise _fail("bundle: dsseEnvelope missing or not an object")
    material = raw.get("verificationMaterial")
    if not isinstance(material, dict):
        raise _fail("bundle: verificationMaterial missing or not an object")
    tlog = material.get("tlogEntries", [])
    if not isinstance(tlog, list):
        raise _fail("bundle: verificationMaterial.tlogEntries must be a list")
    warnings: list[str] = []
    hint: str | None = None
    certs: list[bytes] = []
    if "publicKey" in material:
        pk = material["publicKey"]
        if not isinstance(pk, dict):
            raise _fail("bundle: verificationMaterial.publicKey must be an object")
        h = pk.get("hint", "")
        if not isinstance(h, str) or len(h) > 1024:
            raise _fail("bundle: verificationMaterial.publicKey.hint must be a string")
        hint = h or None
    elif "x509CertificateChain" in material:
        chain = material["x509CertificateChain"]
        items = chain.get("certificates") if isinstance(chain, dict) else None
        if not isinstance(items, list) or not items or len(items) > MAX_CERTS:
            raise _fail(
                f"bundle: x509CertificateChain.certificates must list 1 to {MAX_CERTS} certificates"
            )
        for i, c in enumerate(items):
            if not isinstance(c, dict):
                raise _fail(f"bundle: x509CertificateChain.certificates[{i}] must be an object")
            certs.append(
                b64decode_strict(
                    c.get("rawBytes"),
                    f"bundle: x509CertificateChain.certificates[{i}].rawBytes",
                    MAX_CERT_BYTES,
                )
            )
    elif "certificate" in material:
        c = material["certificate"]
        if not isinstance(c, dict):
            raise _fail("bundle: verificationMaterial.certificate must be an object")
        certs.append(
            b64decode_strict(c.get("rawBytes"), "bundle: certificate.rawBytes", MAX_CERT_BYTES)
        )
        warnings.append(
            "Sigstore keyless bundle: checked as a certificate chain only (no transparency log, "
            "no identity policy)"
        )
    elif set(material) - {"tlogEntries", "timestampVerificationData"}:
        raise _fail("bundle: verificationMaterial has no publicKey or certificate chain")
    else:  # pre-1.0 key bundles: nothing to go on but the key the verifier supplies
        warnings.append("bundle has no verification material (pre-1.0 signer)")
    return Bundle(envelope, hint, tuple(certs), len(tlog), tuple(warnings))


def read_bundle(path: str | os.PathLike[str]) -> Bundle:
    """Read and parse a ``.sig`` file; unreadable files are input errors, bad content fails."""
    p = Path(path)
    from airlock.fileio import read_capped

    try:
        data = read_capped(p, MAX_BUNDLE_BYTES, "signature")
    except FormatError:
        raise _fail(f"{p}: bundle larger than {MAX_BUNDLE_BYTES} bytes") from None
    try:
        return parse_bundle(data)
    except SignatureError as exc:
        raise SignatureError(f"{p}: {exc}") from None
