"""The registry's library API: every operation the CLI and the HTTP service perform.

Each mutation runs in one write transaction that takes the registry's write lock first (see
``airlock.registry.db``), applies the state machine, and appends its audit event, so a change and
its audit record commit together or not at all. Results are the frozen records of
``airlock.registry.records`` (the service sends their ``to_json()``; the HTTP client parses the same
records back).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from airlock.errors import AirlockError
from airlock.provenance.manifest import Manifest, parse_manifest_json
from airlock.registry import audit, auth
from airlock.registry.db import (
    AdvisoryRow,
    AdvisoryVersionRow,
    AttestationRow,
    AuditHeadRow,
    DecisionRow,
    DeploymentRow,
    KeyRow,
    LocationRow,
    ModelRow,
    PolicyRow,
    TokenRow,
    VersionRow,
    make_engine,
    utcnow,
)
from airlock.registry.errors import (
    Conflict,
    DatabaseError,
    InvalidRequest,
    NotFound,
    SignatureInvalid,
)
from airlock.registry.policy import (
    DEFAULT_POLICY,
    AllOf,
    CheckFact,
    PolicyContext,
    PolicyResult,
    Rule,
    parse_policy,
    required_facts,
)
from airlock.registry.records import (
    AdmissionBatch,
    Advisory,
    AdvisoryNotice,
    AffectedDeployment,
    AllowedVersion,
    AllowedVersions,
    Approval,
    Attachment,
    AttestationSummary,
    AuditEvent,
    AuditHead,
    AuditVerification,
    DecisionOutcome,
    DecisionSummary,
    Deployment,
    DeploymentRef,
    ExportRecord,
    GateDecision,
    IssuedToken,
    Key,
    Location,
    ModelSummary,
    Policy,
    PolicyEvaluation,
    RevokedToken,
    Token,
    Version,
    VersionDetail,
)
from airlock.registry.statements import FROM_STATE, Decision, TrustedKey, verify_decision
from airlock.report import Severity

STATES = ("submitted", "approved", "rejected", "revoked")
GLOBAL_SCOPE = "*"
SCAN_SCHEMA = "airlock.scan-report/v1"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_TEXT = 4000
MAX_LIST = 1000
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$")
_ADVISORY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def check_digest(digest: str) -> str:
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise InvalidRequest(f"{str(digest)[:80]!r}: not a 64-character lowercase hex root digest")
    return digest


def check_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidRequest(
            f"{what} {str(value)[:80]!r}: 1-200 characters of letters, digits and ._:/@+- "
            "starting with a letter or digit"
        )
    return value


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidRequest(f"{what}: must be a string of at most {limit} characters")
    return value


def _iso(value: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands back naive datetimes; they were stored as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _json_text(data: Any, what: str) -> tuple[str, str]:
    """Canonical JSON text of ``data`` and its sha256 (bounded)."""
    text = audit.canonical_json(data)
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidRequest(f"{what}: larger than {MAX_DOCUMENT_BYTES} bytes")
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


# The gate's hot path uses plain SQL on a Connection: the ORM costs several times more per call.
_Q_VERSION = text(
    "SELECT v.id, v.state, m.name, m.source FROM versions v "
    "JOIN models m ON m.id = v.model_id WHERE v.digest = :d"
)
_Q_MANIFEST = text("SELECT manifest FROM versions WHERE id = :v")
_Q_ADVISORIES = text(
    "SELECT a.advisory_id, a.severity, a.description, a.mitigation FROM advisories a "
    "JOIN advisory_versions av ON av.advisory_pk = a.id WHERE av.version_id = :v ORDER BY a.id"
)
_Q_POLICIES = text("SELECT document FROM policies WHERE scope IN ('*', :m) ORDER BY scope")
_Q_APPROVERS = text(
    "SELECT DISTINCT approver FROM decisions WHERE version_id = :v AND decision = 'approve'"
)
_Q_SIGNERS = text(
    "SELECT DISTINCT signer FROM attestations "
    "WHERE version_id = :v AND kind = 'oms' AND signer IS NOT NULL"
)
_Q_CHECKS = text(
    "SELECT signer, verdict, issued_at FROM attestations "
    "WHERE version_id = :v AND kind = 'check' AND signer IS NOT NULL ORDER BY id DESC LIMIT 1000"
)
_Q_SCAN = text(
    "SELECT document FROM attestations WHERE version_id = :v AND kind = 'scan' "
    "ORDER BY id DESC LIMIT 1"
)
_Q_TOKEN = text("SELECT name, secret_hash, scopes, revoked FROM tokens WHERE token_id = :t")
_Q_HEAD = text("SELECT seq FROM audit_head WHERE id = 1")
_MISSING = object()


class _ReadCache:
    """Read results remembered per audit sequence number.

    Every mutation appends an audit event and so moves ``audit_head.seq``: an entry computed at
    the current sequence number is still exact. One cheap query (the head) per request replaces
    the token, policy and gate look-ups when nothing changed. An entry computed from data newer
    than its label is harmless: it is only served while that label is current.
    """

    MAX_ENTRIES = 100_000

    def __init__(self) -> None:
        self.seq = -1
        self.entries: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, seq: int) -> Any:
        if seq != self.seq:
            return _MISSING
        return self.entries.get(key, _MISSING)

    def advance(self, old: int, new: int) -> None:
        """Events ``old+1..new`` changed nothing a cached answer depends on (admission
        decisions): what was exact at ``old`` is exact at ``new``."""
        with self.lock:
            if self.seq == old:
                self.seq = new

    def put(self, key: Any, seq: int, value: Any) -> None:
        with self.lock:
            if seq != self.seq:
                if seq < self.seq:
                    return
                self.entries = {}
                self.seq = seq
            if len(self.entries) >= self.MAX_ENTRIES:
                self.entries = {}
            self.entries[key] = value


@functools.lru_cache(maxsize=256)
def _parsed_policy(document: str) -> Rule:
    return parse_policy(json.loads(document))


def _policy_for(conn: Connection, model: str) -> Rule:
    """The effective policy: the global one and the model's, both must hold."""
    rules = [_parsed_policy(doc) for (doc,) in conn.execute(_Q_POLICIES, {"m": model})]
    if not rules:
        return DEFAULT_POLICY
    return rules[0] if len(rules) == 1 else AllOf(tuple(rules))


def _context(conn: Connection, vid: int, digest: str, source: str, rule: Rule) -> PolicyContext:
    """The facts ``rule`` looks at (only those: the gate runs this on every check)."""
    needs = required_facts(rule)
    approvers: frozenset[str] = frozenset()
    signers: frozenset[str] = frozenset()
    reports: list[dict[str, Any]] = []
    if "approvers" in needs:
        approvers = frozenset(r[0] for r in conn.execute(_Q_APPROVERS, {"v": vid}))
    if "signers" in needs:
        signers = frozenset(r[0] for r in conn.execute(_Q_SIGNERS, {"v": vid}))
    if "scans" in needs:
        latest = conn.execute(_Q_SCAN, {"v": vid}).scalar_one_or_none()
        reports = [json.loads(latest)] if latest else []
    checks: list[CheckFact] = []
    if "checks" in needs:
        checks = [
            CheckFact(signer, verdict, _aware(issued))
            for signer, verdict, issued in conn.execute(_Q_CHECKS, {"v": vid})
        ]
    return PolicyContext(digest, source, approvers, signers, reports, checks)


def _aware(value: datetime | str) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive values or text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def submission_record(version: dict[str, Any], manifest_sha256: str) -> str:
    """Digest of a version's submission record (with a random salt, so none can be guessed
    before the version exists): the first state record decisions bind to."""
    body = {**version, "manifest_sha256": manifest_sha256, "salt": secrets.token_hex(16)}
    return hashlib.sha256(audit.canonical_json(body).encode("utf-8")).hexdigest()


def next_record(previous: str, state: str, event_hash: str) -> str:
    """The state record after a state change, chained to the previous one and its audit event."""
    body = audit.canonical_json({"previous": previous, "state": state, "event": event_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _advisories_for(conn: Connection, vid: int) -> list[AdvisoryNotice]:
    return [
        AdvisoryNotice(a, sev, desc, json.loads(mit))
        for a, sev, desc, mit in conn.execute(_Q_ADVISORIES, {"v": vid})
    ]


@dataclass
class _Facts:
    version: VersionRow
    model: ModelRow


class Store:
    """A registry database. Create with :meth:`open`; ``actor`` names who does each mutation."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite's busy handler backs off by sleeping; queue this process's writers on a lock
        # instead, so only writers in other processes ever wait on SQLite itself.
        self._local_writer: threading.Lock | None = (
            threading.Lock() if engine.dialect.name == "sqlite" else None
        )
        self._cache = _ReadCache()

    @classmethod
    def open(
        cls, url: str | None = None, *, schema: str | None = None, init: bool = False
    ) -> Store:
        """Open the database at ``url`` (default: ``$AIRLOCK_DATABASE_URL`` or the user's file).

        ``init`` runs the migrations first; otherwise the schema must already be current.
        """
        from airlock.registry import migrate

        engine = make_engine(url, schema=schema)
        if init:
            migrate.upgrade(engine)
        else:
            migrate.require_current(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ping(self) -> None:
        """Raise ``DatabaseError`` unless the database answers a query (readiness)."""
        with self._conn() as conn:
            conn.execute(text("SELECT 1"))

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except OperationalError as exc:
            raise DatabaseError(f"database unavailable: {exc.orig or exc}") from None

    @contextmanager
    def _conn(self) -> Iterator[Connection]:
        """A plain connection for the read-only hot paths (gate, authentication)."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise DatabaseError(f"database unavailable: {_short_db(exc)}") from None

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, AuditHeadRow]]:
        if self._local_writer is None:
            with self._write_txn() as pair:
                yield pair
            return
        with self._local_writer, self._write_txn() as pair:
            yield pair

    @contextmanager
    def _write_txn(self) -> Iterator[tuple[Session, AuditHeadRow]]:
        try:
            with (
                self.engine.connect().execution_options(airlock_write=True) as conn,
                Session(bind=conn, expire_on_commit=False) as session,
            ):
                head = audit.lock_head(session)
                yield session, head
                session.commit()
                conn.commit()
        except IntegrityError as exc:
            raise Conflict(f"conflicts with an existing record ({_short_db(exc)})") from None
        except OperationalError as exc:
            raise DatabaseError(f"database unavailable: {_short_db(exc)}") from None

    # -- lookups ------------------------------------------------------------------------------

    @staticmethod
    def _version(session: Session, digest: str) -> _Facts:
        check_digest(digest)
        row = session.execute(
            select(VersionRow, ModelRow)
            .join(ModelRow, ModelRow.id == VersionRow.model_id)
            .where(VersionRow.digest == digest)
        ).first()
        if row is None:
            raise NotFound(f"version {digest} is not registered")
        return _Facts(row[0], row[1])

    @staticmethod
    def _version_fields(facts: _Facts) -> dict[str, Any]:
        v, m = facts.version, facts.model
        return {
            "digest": v.digest,
            "model": m.name,
            "source": m.source,
            "state": v.state,
            "record": v.record,
            "algorithm": v.algorithm,
            "file_count": v.file_count,
            "total_size": v.total_size,
            "source_revision": v.source_revision,
            "base_model": v.base_model,
            "license": v.license,
            "created_at": _iso(v.created_at),
            "updated_at": _iso(v.updated_at),
        }

    # -- versions -----------------------------------------------------------------------------

    def submit(
        self,
        manifest: Manifest | dict[str, Any],
        *,
        model: str,
        source: str,
        source_revision: str = "",
        base_model: str = "",
        license: str = "",
        actor: str,
    ) -> Version:
        """Register a new version (state ``submitted``) from its manifest."""
        if isinstance(manifest, dict):
            manifest = parse_manifest_json(json.dumps(manifest), "manifest")
        if manifest.algorithm != "sha256":
            raise InvalidRequest("manifest: the registry identifies versions by sha256 digests")
        if not manifest.files:
            raise InvalidRequest("manifest: lists no files")
        check_name(model, "model name")
        _text(source, "source", 500)
        _text(source_revision, "source_revision", 200)
        _text(base_model, "base_model", 500)
        _text(license, "license", 200)
        mjson = manifest.to_json()
        mtext, msha = _json_text(mjson, "manifest")
        digest = manifest.root_digest
        now = utcnow()
        with self._write() as (s, head):
            if s.execute(select(VersionRow.id).where(VersionRow.digest == digest)).first():
                raise Conflict(f"version {digest} is already registered")
            mrow = s.execute(select(ModelRow).where(ModelRow.name == model)).scalar_one_or_none()
            if mrow is None:
                mrow = ModelRow(name=model, source=source, created_at=now)
                s.add(mrow)
                s.flush()
            elif source and mrow.source != source:
                raise Conflict(f"model {model} is registered with source {mrow.source!r}")
            vrow = VersionRow(
                model_id=mrow.id,
                digest=digest,
                algorithm=manifest.algorithm,
                manifest=mtext,
                file_count=len(manifest.files),
                total_size=manifest.total_size,
                source_revision=source_revision,
                base_model=base_model,
                license=license,
                state="submitted",
                record="",
                created_at=now,
                updated_at=now,
            )
            vrow.record = submission_record(
                {
                    "digest": digest,
                    "model": model,
                    "source": mrow.source,
                    "source_revision": source_revision,
                    "base_model": base_model,
                    "license": license,
                    "created_at": _iso(now),
                },
                msha,
            )
            s.add(vrow)
            s.flush()
            audit.append(
                s,
                head,
                actor=actor,
                action="version.submit",
                subject=digest,
                payload={
                    "model": model,
                    "source": mrow.source,
                    "files": len(manifest.files),
                    "record": vrow.record,
                },
            )
            return Version(**self._version_fields(_Facts(vrow, mrow)))

    def get_version(self, digest: str) -> VersionDetail:
        """A version with its attestations, decisions, advisories and deployments."""
        with self._read() as s:
            facts = self._version(s, digest)
            vid = facts.version.id
            attestations = tuple(
                AttestationSummary(a.kind, a.signer, a.document_digest, _iso(a.created_at))
                for a in s.execute(
                    select(AttestationRow)
                    .where(AttestationRow.version_id == vid)
                    .order_by(AttestationRow.id)
                ).scalars()
            )
            decisions = tuple(
                DecisionSummary(d.decision, d.approver, d.key_id, d.reason, _iso(d.created_at))
                for d in s.execute(
                    select(DecisionRow)
                    .where(DecisionRow.version_id == vid)
                    .order_by(DecisionRow.id)
                ).scalars()
            )
            advisories = tuple(a.id for a in _advisories_for(s.connection(), vid))
            deployments = tuple(
                DeploymentRef(d.name, d.environment, _iso(d.last_seen))
                for d in s.execute(
                    select(DeploymentRow).where(DeploymentRow.version_id == vid)
                ).scalars()
            )
            return VersionDetail(
                **self._version_fields(facts),
                attestations=attestations,
                decisions=decisions,
                advisories=advisories,
                deployments=deployments,
            )

    def get_manifest(self, digest: str) -> dict[str, Any]:
        with self._read() as s:
            data: dict[str, Any] = json.loads(self._version(s, digest).version.manifest)
            return data

    def list_versions(
        self,
        *,
        model: str | None = None,
        state: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Version]:
        if state is not None and state not in STATES:
            raise InvalidRequest(f"state must be one of {', '.join(STATES)}")
        limit = max(1, min(limit, MAX_LIST))
        with self._read() as s:
            q = select(VersionRow, ModelRow).join(ModelRow, ModelRow.id == VersionRow.model_id)
            if model is not None:
                q = q.where(ModelRow.name == model)
            if state is not None:
                q = q.where(VersionRow.state == state)
            rows = s.execute(q.order_by(VersionRow.id).limit(limit).offset(max(0, offset))).all()
            return [Version(**self._version_fields(_Facts(v, m))) for v, m in rows]

    def list_models(self) -> list[ModelSummary]:
        with self._read() as s:
            counts = dict(
                s.execute(
                    select(VersionRow.model_id, func.count()).group_by(VersionRow.model_id)
                ).all()
            )
            return [
                ModelSummary(m.name, m.source, counts.get(m.id, 0))
                for m in s.execute(select(ModelRow).order_by(ModelRow.name)).scalars()
            ]

    # -- keys ---------------------------------------------------------------------------------

    def add_key(self, identity: str, public_key_pem: str, *, actor: str) -> Key:
        """Trust ``public_key_pem`` as ``identity``'s key (for decisions and OMS signatures)."""
        from airlock.provenance.keys import key_hint, parse_public_key
        from airlock.provenance.keys import public_key_pem as pem_of

        check_name(identity, "identity")
        _text(public_key_pem, "public_key", 16 * 1024)
        try:
            key = parse_public_key(public_key_pem.encode("utf-8"), "public_key")
        except AirlockError as exc:
            raise InvalidRequest(str(exc)) from None
        kid = key_hint(key)
        with self._write() as (s, head):
            if s.execute(select(KeyRow.id).where(KeyRow.key_id == kid)).first():
                raise Conflict(f"key {kid[:16]} is already registered")
            s.add(
                KeyRow(
                    key_id=kid,
                    identity=identity,
                    public_key=pem_of(key).decode("ascii"),
                    revoked=False,
                    created_at=utcnow(),
                )
            )
            audit.append(
                s, head, actor=actor, action="key.add", subject=kid, payload={"identity": identity}
            )
        return Key(kid, identity, revoked=False)

    def revoke_key(self, key_id: str, *, actor: str) -> Key:
        with self._write() as (s, head):
            row = s.execute(select(KeyRow).where(KeyRow.key_id == key_id)).scalar_one_or_none()
            if row is None:
                raise NotFound(f"key {key_id[:64]} is not registered")
            row.revoked = True
            audit.append(s, head, actor=actor, action="key.revoke", subject=key_id)
            return Key(row.key_id, row.identity, revoked=True)

    def list_keys(self) -> list[Key]:
        with self._read() as s:
            return [
                Key(k.key_id, k.identity, k.revoked)
                for k in s.execute(select(KeyRow).order_by(KeyRow.id)).scalars()
            ]

    @staticmethod
    def _trusted(session: Session, keyid: str) -> list[TrustedKey]:
        from airlock.provenance.keys import parse_public_key

        q = select(KeyRow).where(KeyRow.revoked.is_(False))
        if keyid:
            q = q.where(KeyRow.key_id == keyid)
        rows = session.execute(q.limit(100)).scalars().all()
        return [
            TrustedKey(r.key_id, r.identity, parse_public_key(r.public_key.encode(), r.key_id))
            for r in rows
        ]

    # -- attestations -------------------------------------------------------------------------

    def attach_scan_report(
        self, digest: str, report: dict[str, Any], *, actor: str
    ) -> Attachment:
        """Store an ``airlock.scan-report/v1`` document as an attestation over ``digest``."""
        if not isinstance(report, dict) or report.get("schema") != SCAN_SCHEMA:
            raise InvalidRequest(f"scan report: missing schema {SCAN_SCHEMA!r}")
        if not isinstance(report.get("findings", []), list):
            raise InvalidRequest("scan report: 'findings' must be a list")
        subject = report.get("root_digest")
        if subject is not None and subject != digest:
            raise InvalidRequest(f"scan report is for {str(subject)[:64]}, not for {digest}")
        text, doc_digest = _json_text(report, "scan report")
        return self._attach(digest, "scan", None, text, doc_digest, actor)

    def attach_signature(
        self, digest: str, bundle: dict[str, Any], *, actor: str
    ) -> Attachment:
        """Verify an OMS v1.0 bundle against a trusted key and the stored manifest, then keep it.

        Only the public-key method is accepted (the bundle's key hint names a registered key);
        the signed resources must be exactly the version's files and digests.
        """
        from airlock.provenance import oms
        from airlock.provenance.dsse import SignatureError, verify_envelope_detailed

        text, doc_digest = _json_text(bundle, "bundle")
        try:
            parsed = oms.parse_bundle(text.encode("utf-8"))
        except SignatureError as exc:
            raise InvalidRequest(str(exc)) from None
        if parsed.method != "key" or not parsed.key_hint:
            raise InvalidRequest("bundle: only public-key OMS bundles with a key hint are accepted")
        with self._read() as s:
            facts = self._version(s, digest)
            keys = self._trusted(s, parsed.key_hint)
            manifest = json.loads(facts.version.manifest)
        if not keys:
            raise SignatureInvalid(f"bundle signed by an unknown key {parsed.key_hint[:16]}")
        key = keys[0]
        try:
            verified = verify_envelope_detailed(
                parsed.envelope, key.public_key, allow_legacy_pae=True
            )
            statement = oms.parse_statement(verified.payload, verified.payload_type)
            if statement.serialization.method != "files" or statement.root_digest != digest:
                raise SignatureInvalid(
                    f"bundle signs {statement.root_digest or 'a sharded manifest'}, "
                    f"not version {digest}"
                )
            signed = {(r.name, r.digest) for r in statement.resources}
            stored = {(f["path"], f["digest"]) for f in manifest["files"]}
            if signed != stored:
                raise SignatureInvalid("bundle's signed files differ from the version's manifest")
        except (SignatureError, SignatureInvalid) as exc:
            self._refusal("attestation.refused", digest, str(exc), actor)
            raise SignatureInvalid(str(exc)) from None
        return self._attach(digest, "oms", key.identity, text, doc_digest, actor)

    def attach_check_attestation(
        self, digest: str, bundle: dict[str, Any], *, actor: str
    ) -> Attachment:
        """Verify a signed check verdict (``airlock check --attest``) and keep it.

        The bundle must be signed (key method) by a registered key, name exactly this version's
        root digest and files, and not be dated in the future. Its signer's identity, time and
        verdict feed the ``check_attested`` policy rule.
        """
        from datetime import timedelta

        from airlock.attest import bundle as attest_bundle
        from airlock.provenance.dsse import SignatureError

        text, doc_digest = _json_text(bundle, "attestation")
        try:
            parsed = attest_bundle.load(text.encode("utf-8"))
        except SignatureError as exc:
            raise InvalidRequest(str(exc)) from None
        if parsed.certificates or not parsed.key_hint:
            raise InvalidRequest(
                "attestation: only key-method bundles with a key hint are accepted "
                "(register the checker's public key)"
            )
        with self._read() as s:
            facts = self._version(s, digest)
            keys = self._trusted(s, parsed.key_hint)
            manifest = json.loads(facts.version.manifest)
        if not keys:
            reason = f"attestation signed by an unknown key {parsed.key_hint[:16]}"
            self._refusal("attestation.refused", digest, reason, actor)
            raise SignatureInvalid(reason)
        key = keys[0]
        try:
            stmt = attest_bundle.verified_statement(parsed, public_key=key.public_key)
            if stmt.root_digest != digest:
                raise SignatureInvalid(f"attestation is for {stmt.root_digest}, not {digest}")
            stored = {(f["path"], f["digest"]) for f in manifest["files"]}
            if set(stmt.files) != stored:
                raise SignatureInvalid("attestation's files differ from the version's manifest")
            if stmt.issued_at > utcnow() + timedelta(minutes=5):
                raise SignatureInvalid("attestation is dated in the future")
        except (SignatureError, SignatureInvalid, AirlockError) as exc:
            self._refusal("attestation.refused", digest, str(exc), actor)
            raise SignatureInvalid(str(exc)) from None
        return self._attach(
            digest,
            "check",
            key.identity,
            text,
            doc_digest,
            actor,
            issued_at=stmt.issued_at,
            verdict=stmt.verdict,
        )

    def _attach(
        self,
        digest: str,
        kind: str,
        signer: str | None,
        text: str,
        doc_digest: str,
        actor: str,
        *,
        issued_at: datetime | None = None,
        verdict: str | None = None,
    ) -> Attachment:
        now = utcnow()
        with self._write() as (s, head):
            facts = self._version(s, digest)
            dup = s.execute(
                select(AttestationRow.id).where(
                    AttestationRow.version_id == facts.version.id,
                    AttestationRow.document_digest == doc_digest,
                )
            ).first()
            if dup:
                raise Conflict(f"this {kind} attestation is already attached to {digest}")
            s.add(
                AttestationRow(
                    version_id=facts.version.id,
                    kind=kind,
                    signer=signer,
                    document=text,
                    document_digest=doc_digest,
                    created_at=now,
                    issued_at=issued_at,
                    verdict=verdict,
                )
            )
            payload: dict[str, Any] = {"document_sha256": doc_digest, "signer": signer}
            if verdict is not None:
                payload["verdict"] = verdict
            audit.append(
                s,
                head,
                actor=actor,
                action=f"attestation.{kind}",
                subject=digest,
                payload=payload,
            )
            s.flush()
            self._promote(s, head, facts, actor)
            state = facts.version.state
        return Attachment(digest, kind, signer, doc_digest, state)

    def _promote(self, s: Session, head: AuditHeadRow, facts: _Facts, actor: str) -> None:
        """A submitted version with approvals becomes approved once new evidence meets policy."""
        v = facts.version
        if v.state != "submitted":
            return
        approvals = s.execute(
            select(func.count())
            .select_from(DecisionRow)
            .where(DecisionRow.version_id == v.id, DecisionRow.decision == "approve")
        ).scalar_one()
        if not approvals:
            return
        if self._evaluate(s, facts)[0].ok:
            v.state = "approved"
            v.updated_at = utcnow()
            event = audit.append(
                s,
                head,
                actor=actor,
                action="version.promote",
                subject=v.digest,
                payload={"from": "submitted", "to": "approved"},
            )
            v.record = next_record(v.record, v.state, event.hash)

    # -- policies -----------------------------------------------------------------------------

    def set_policy(self, scope: str, document: Any, *, actor: str) -> Policy:
        """Set the global policy (scope ``*``) or one model's policy (scope = model name)."""
        if scope != GLOBAL_SCOPE:
            check_name(scope, "policy scope")
        rule = parse_policy(document)
        text, _ = _json_text(rule.to_json(), "policy")
        with self._write() as (s, head):
            row = s.execute(select(PolicyRow).where(PolicyRow.scope == scope)).scalar_one_or_none()
            if row is None:
                s.add(PolicyRow(scope=scope, document=text, updated_at=utcnow()))
            else:
                row.document = text
                row.updated_at = utcnow()
            audit.append(
                s, head, actor=actor, action="policy.set", subject=scope, payload=rule.to_json()
            )
        return Policy(scope, rule.to_json())

    def list_policies(self) -> list[Policy]:
        with self._read() as s:
            return [
                Policy(p.scope, json.loads(p.document))
                for p in s.execute(select(PolicyRow).order_by(PolicyRow.scope)).scalars()
            ]

    def evaluate_policy(self, digest: str) -> PolicyEvaluation:
        with self._read() as s:
            facts = self._version(s, digest)
            result, rule = self._evaluate(s, facts)
            return PolicyEvaluation(result.ok, tuple(result.reasons), rule.to_json())

    @staticmethod
    def _evaluate(s: Session, facts: _Facts) -> tuple[PolicyResult, Rule]:
        conn = s.connection()
        rule = _policy_for(conn, facts.model.name)
        ctx = _context(conn, facts.version.id, facts.version.digest, facts.model.source, rule)
        return rule.evaluate(ctx), rule

    # -- decisions ----------------------------------------------------------------------------

    def decide(self, envelope: dict[str, Any], *, actor: str) -> DecisionOutcome:
        """Apply a signed approve / reject / revoke statement (see ``statements``).

        Approvals accumulate; the version becomes ``approved`` once its policy holds. A reject
        or revoke takes effect at once. Statements for another state, replays (same nonce) and
        unknown keys are refused and nothing is written.
        """
        try:
            with self._read() as s:
                decision = verify_decision(envelope, lambda kid: self._trusted(s, kid))
        except SignatureInvalid as exc:
            self._refusal("decision.refused", "-", str(exc), actor)
            raise
        envelope_text, _ = _json_text(envelope, "envelope")
        try:
            return self._apply_decision(decision, envelope_text, actor)
        except Conflict as exc:
            self._refusal("decision.refused", decision.digest, str(exc), actor)
            raise

    def _refusal(self, action: str, subject: str, reason: str, actor: str) -> None:
        """Record a refused security-relevant request (bad signature, replay, out of order)."""
        with self._write() as (s, head):
            audit.append(
                s, head, actor=actor, action=action, subject=subject, payload={"reason": reason}
            )

    def _apply_decision(
        self, decision: Decision, envelope_text: str, actor: str
    ) -> DecisionOutcome:
        with self._write() as (s, head):
            facts = self._version(s, decision.digest)
            v = facts.version
            if facts.model.name != decision.model:
                raise InvalidRequest(
                    f"statement names model {decision.model[:80]!r}, version belongs to "
                    f"{facts.model.name!r}"
                )
            if s.execute(select(DecisionRow.id).where(DecisionRow.nonce == decision.nonce)).first():
                raise Conflict("this signed statement was already used (replay)")
            if FROM_STATE[decision.decision] != v.state:
                raise Conflict(_wrong_state(decision.decision, v.digest, v.state))
            if decision.previous_state != v.state:
                raise Conflict(
                    f"cannot {decision.decision} version {v.digest[:16]}: it is {v.state}, and "
                    f"the statement was signed when it was {decision.previous_state[:20]}"
                )
            if decision.record != v.record:
                raise Conflict(
                    f"statement was made for another state record of {v.digest[:16]} "
                    f"({decision.record[:12]}, current {v.record[:12]}): signed before the "
                    "version reached its current state; sign a new one"
                )
            if decision.decision == "approve":
                dup = s.execute(
                    select(DecisionRow.id).where(
                        DecisionRow.version_id == v.id,
                        DecisionRow.decision == "approve",
                        DecisionRow.approver == decision.identity,
                    )
                ).first()
                if dup:
                    raise Conflict(f"{decision.identity} already approved {v.digest[:16]}")
            s.add(
                DecisionRow(
                    version_id=v.id,
                    decision=decision.decision,
                    approver=decision.identity,
                    key_id=decision.key_id,
                    nonce=decision.nonce,
                    reason=decision.reason,
                    envelope=envelope_text,
                    created_at=utcnow(),
                )
            )
            s.flush()
            before = v.state
            pending: list[str] = []
            if decision.decision == "reject":
                v.state = "rejected"
            elif decision.decision == "revoke":
                v.state = "revoked"
            else:
                result = self._evaluate(s, facts)[0]
                if result.ok:
                    v.state = "approved"
                else:
                    pending = list(result.reasons)
            v.updated_at = utcnow()
            event = audit.append(
                s,
                head,
                actor=actor,
                action=f"version.{decision.decision}",
                subject=v.digest,
                payload={
                    "approver": decision.identity,
                    "key_id": decision.key_id,
                    "nonce": decision.nonce,
                    "from": before,
                    "to": v.state,
                    "reason": decision.reason,
                },
            )
            if v.state != before:
                v.record = next_record(v.record, v.state, event.hash)
            return DecisionOutcome(
                v.digest, decision.decision, decision.identity, v.state, tuple(pending)
            )

    # -- advisories and deployments -----------------------------------------------------------

    def advise(
        self,
        advisory_id: str,
        *,
        severity: str,
        description: str,
        versions: Sequence[str],
        mitigation: dict[str, Any] | None = None,
        actor: str,
    ) -> Advisory:
        """Publish an advisory affecting ``versions`` (root digests), with a mitigation."""
        if not isinstance(advisory_id, str) or not _ADVISORY_ID.match(advisory_id):
            raise InvalidRequest("advisory id: 1-64 characters of letters, digits and ._:-")
        try:
            sev = Severity.parse(str(severity))
        except ValueError as exc:
            raise InvalidRequest(f"advisory severity: {exc}") from None
        _text(description, "description")
        if not isinstance(versions, (list, tuple)) or not versions or len(versions) > MAX_LIST:
            raise InvalidRequest(f"advisory versions: 1 to {MAX_LIST} root digests")
        digests = sorted({check_digest(d) for d in versions})
        mtext, _ = _json_text(mitigation or {}, "mitigation")
        if len(mtext) > 64 * 1024:
            raise InvalidRequest("mitigation: larger than 64 KiB")
        with self._write() as (s, head):
            if s.execute(
                select(AdvisoryRow.id).where(AdvisoryRow.advisory_id == advisory_id)
            ).first():
                raise Conflict(f"advisory {advisory_id} already exists")
            vids = [self._version(s, d).version.id for d in digests]
            row = AdvisoryRow(
                advisory_id=advisory_id,
                severity=str(sev),
                description=description,
                mitigation=mtext,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            for vid in vids:
                s.add(AdvisoryVersionRow(advisory_pk=row.id, version_id=vid))
            audit.append(
                s,
                head,
                actor=actor,
                action="advisory.publish",
                subject=advisory_id,
                payload={"severity": str(sev), "versions": digests},
            )
        return Advisory(advisory_id, str(sev), description, mitigation or {}, tuple(digests))

    def list_advisories(self) -> list[Advisory]:
        with self._read() as s:
            out = []
            for a in s.execute(select(AdvisoryRow).order_by(AdvisoryRow.id)).scalars():
                digests = s.execute(
                    select(VersionRow.digest)
                    .join(AdvisoryVersionRow, AdvisoryVersionRow.version_id == VersionRow.id)
                    .where(AdvisoryVersionRow.advisory_pk == a.id)
                    .order_by(VersionRow.digest)
                ).scalars()
                out.append(
                    Advisory(
                        a.advisory_id,
                        a.severity,
                        a.description,
                        json.loads(a.mitigation),
                        tuple(digests),
                    )
                )
            return out

    def deploy(self, name: str, environment: str, digest: str, *, actor: str) -> Deployment:
        """Record (or refresh) that deployment ``name`` in ``environment`` runs ``digest``."""
        check_name(name, "deployment name")
        check_name(environment, "environment")
        now = utcnow()
        with self._write() as (s, head):
            facts = self._version(s, digest)
            row = s.execute(
                select(DeploymentRow).where(
                    DeploymentRow.name == name, DeploymentRow.environment == environment
                )
            ).scalar_one_or_none()
            previous = None
            if row is None:
                s.add(
                    DeploymentRow(
                        name=name,
                        environment=environment,
                        version_id=facts.version.id,
                        last_seen=now,
                    )
                )
            else:
                if row.version_id != facts.version.id:
                    previous = s.execute(
                        select(VersionRow.digest).where(VersionRow.id == row.version_id)
                    ).scalar_one()
                row.version_id = facts.version.id
                row.last_seen = now
            audit.append(
                s,
                head,
                actor=actor,
                action="deployment.record",
                subject=f"{environment}/{name}",
                payload={"digest": digest, "previous": previous},
            )
        return Deployment(name, environment, digest, facts.version.state, _iso(now))

    def list_deployments(self) -> list[Deployment]:
        with self._read() as s:
            rows = s.execute(
                select(DeploymentRow, VersionRow.digest, VersionRow.state)
                .join(VersionRow, VersionRow.id == DeploymentRow.version_id)
                .order_by(DeploymentRow.environment, DeploymentRow.name)
            ).all()
            return [
                Deployment(d.name, d.environment, digest, state, _iso(d.last_seen))
                for d, digest, state in rows
            ]

    def affected(self) -> list[AffectedDeployment]:
        """Deployments running a revoked version or one named by an advisory."""
        out = []
        with self._read() as s:
            rows = s.execute(
                select(DeploymentRow, VersionRow)
                .join(VersionRow, VersionRow.id == DeploymentRow.version_id)
                .order_by(DeploymentRow.environment, DeploymentRow.name)
            ).all()
            for d, v in rows:
                advisories = _advisories_for(s.connection(), v.id)
                if v.state != "revoked" and not advisories:
                    continue
                out.append(
                    AffectedDeployment(
                        d.name, d.environment, v.digest, v.state, tuple(advisories),
                        _iso(d.last_seen),
                    )
                )
        return out

    # -- tokens -------------------------------------------------------------------------------

    def create_token(self, name: str, scopes: Sequence[str], *, actor: str) -> IssuedToken:
        """A new API token; the returned ``token`` is shown once and never stored."""
        check_name(name, "token name")
        scope_set = auth.parse_scopes(scopes)
        new = auth.new_token()
        with self._write() as (s, head):
            s.add(
                TokenRow(
                    token_id=new.token_id,
                    name=name,
                    secret_hash=new.secret_hash,
                    scopes=",".join(sorted(scope_set)),
                    revoked=False,
                    created_at=utcnow(),
                )
            )
            audit.append(
                s,
                head,
                actor=actor,
                action="token.create",
                subject=new.token_id,
                payload={"name": name, "scopes": sorted(scope_set)},
            )
        return IssuedToken(new.token_id, name, tuple(sorted(scope_set)), new.token)

    def revoke_token(self, token_id: str, *, actor: str) -> RevokedToken:
        with self._write() as (s, head):
            row = s.execute(
                select(TokenRow).where(TokenRow.token_id == token_id)
            ).scalar_one_or_none()
            if row is None:
                raise NotFound(f"token {token_id[:32]} does not exist")
            row.revoked = True
            audit.append(s, head, actor=actor, action="token.revoke", subject=token_id)
            return RevokedToken(token_id, row.name)

    def list_tokens(self) -> list[Token]:
        with self._read() as s:
            return [
                Token(t.token_id, t.name, tuple(t.scopes.split(",")), t.revoked)
                for t in s.execute(select(TokenRow).order_by(TokenRow.id)).scalars()
            ]

    def authenticate(self, token: str) -> auth.Principal | None:
        """The caller behind ``token``, or ``None`` for a malformed, unknown or revoked token."""
        parts = auth.split_token(token)
        if parts is None:
            return None
        token_id, secret = parts
        with self._conn() as conn:
            seq = conn.execute(_Q_HEAD).scalar_one()
            row = self._cache.get(("token", token_id), seq)
            if row is _MISSING:
                row = conn.execute(_Q_TOKEN, {"t": token_id}).first()
                self._cache.put(("token", token_id), seq, row)
        if row is None or row.revoked or not auth.secret_matches(secret, row.secret_hash):
            return None
        return auth.Principal(f"token:{row.name}", frozenset(row.scopes.split(",")))

    # -- audit --------------------------------------------------------------------------------

    def audit_verify(self) -> AuditVerification:
        with self._read() as s:
            return audit.verify(s)

    def audit_events(
        self, *, after: int = 0, limit: int = 100, exclude: str | None = None
    ) -> list[AuditEvent]:
        """Events after sequence number ``after``; ``exclude``: leave out actions starting with
        it (the admission webhook follows the log without reading its own decisions back)."""
        from airlock.registry.db import AuditEventRow

        limit = max(1, min(limit, MAX_LIST))
        with self._read() as s:
            q = select(AuditEventRow).where(AuditEventRow.seq > after)
            if exclude:
                q = q.where(~AuditEventRow.action.startswith(exclude[:64], autoescape=True))
            rows = s.execute(q.order_by(AuditEventRow.seq).limit(limit)).scalars()
            return [audit.event_record(r) for r in rows]

    # -- the gate -----------------------------------------------------------------------------

    def check(
        self,
        target: str | Manifest | dict[str, Any],
        *,
        advisory_fail_on: Severity | None = None,
    ) -> GateDecision:
        """May this exact version run? ``target`` is a root digest or a manifest.

        Deny when the version is unknown, not approved (submitted, rejected, revoked), named by
        an advisory at ``advisory_fail_on`` or above, or its policy no longer holds; a manifest
        must also list exactly the registered files.
        """
        manifest: Manifest | None = None
        if isinstance(target, dict):
            manifest = parse_manifest_json(json.dumps(target), "manifest")
        elif isinstance(target, Manifest):
            manifest = target
        digest = manifest.root_digest if manifest is not None else check_digest(str(target))
        advisory_fail_on = Severity.LOW if advisory_fail_on is None else advisory_fail_on
        key = ("check", digest, int(advisory_fail_on))
        with self._conn() as conn:
            seq = conn.execute(_Q_HEAD).scalar_one()
            if manifest is None:
                hit = self._cache.get(key, seq)
                if hit is not _MISSING:
                    cached: GateDecision = hit
                    return cached
            decision, timeless = self._check(conn, seq, digest, manifest, advisory_fail_on)
        if manifest is None and timeless:
            self._cache.put(key, seq, decision)
        return decision

    def _check(
        self,
        conn: Connection,
        seq: int,
        digest: str,
        manifest: Manifest | None,
        advisory_fail_on: Severity,
    ) -> tuple[GateDecision, bool]:
        """The decision, and whether it holds until the next mutation (a policy that looks at
        the age of check attestations can change its answer with time alone)."""
        found = conn.execute(_Q_VERSION, {"d": digest}).first()
        if found is None:
            return GateDecision(False, digest, None, None, ("version is not registered",)), True
        vid, state, model, source = found
        reasons: list[str] = []
        warnings: list[str] = []
        if state != "approved":
            reasons.append(f"version is {state}, not approved")
        if manifest is not None:
            text_ = conn.execute(_Q_MANIFEST, {"v": vid}).scalar_one()
            stored = {(f["path"], f["digest"]) for f in json.loads(text_)["files"]}
            given = {(f.path, f.digest) for f in manifest.files}
            if stored != given:
                reasons.append("manifest file list differs from the registered version")
        advisories = _advisories_for(conn, vid)
        for a in advisories:
            line = f"advisory {a.id} ({a.severity}): {a.description[:200]}"
            if Severity.parse(a.severity) >= advisory_fail_on:
                reasons.append(line)
            else:
                warnings.append(line)
        timeless = True
        if state == "approved":
            rule = self._cache.get(("policy", model), seq)
            if rule is _MISSING:
                rule = _policy_for(conn, model)
                self._cache.put(("policy", model), seq, rule)
            timeless = "checks" not in required_facts(rule)
            result = rule.evaluate(_context(conn, vid, digest, source, rule))
            reasons.extend(f"policy: {r}" for r in result.reasons)
        decision = GateDecision(
            allow=not reasons,
            digest=digest,
            state=state,
            model=model,
            reasons=tuple(reasons),
            warnings=tuple(warnings),
            advisories=tuple(a.to_json() for a in advisories),
        )
        return decision, timeless

    # -- storage locations and admission ------------------------------------------------------

    def set_location(self, uri: str, digest: str, *, actor: str) -> Location:
        """Record that storage ``uri`` holds version ``digest`` (how admission maps a KServe
        ``storageUri`` to a digest). A URI names one version; moving it is an audited change."""
        check_location(uri)
        with self._write() as (s, head):
            facts = self._version(s, digest)
            row = s.execute(select(LocationRow).where(LocationRow.uri == uri)).scalar_one_or_none()
            previous = None
            if row is None:
                s.add(LocationRow(uri=uri, version_id=facts.version.id, created_at=utcnow()))
            elif row.version_id != facts.version.id:
                previous = s.execute(
                    select(VersionRow.digest).where(VersionRow.id == row.version_id)
                ).scalar_one()
                row.version_id = facts.version.id
            audit.append(
                s,
                head,
                actor=actor,
                action="location.set",
                subject=uri[:300],
                payload={"digest": digest, "previous": previous},
            )
        return Location(uri, digest, facts.model.name)

    def resolve_location(self, uri: str) -> Location:
        """The version stored at ``uri``."""
        check_location(uri)
        with self._read() as s:
            row = s.execute(
                select(VersionRow.digest, ModelRow.name)
                .join(LocationRow, LocationRow.version_id == VersionRow.id)
                .join(ModelRow, ModelRow.id == VersionRow.model_id)
                .where(LocationRow.uri == uri)
            ).first()
        if row is None:
            raise NotFound(f"storage location {uri[:200]} is not registered")
        return Location(uri, row[0], row[1])

    def audit_head(self) -> AuditHead:
        """The newest audit event's sequence number and hash (where a follower starts)."""
        with self._conn() as conn:
            row = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
        if row is None:
            raise DatabaseError("audit_head row is missing")
        return AuditHead(row[0], row[1])

    def record_admissions(
        self, events: Sequence[dict[str, Any]], *, actor: str
    ) -> AdmissionBatch:
        """Append a batch of admission decisions to the audit chain (one transaction).

        Each event: ``id`` (the webhook's unique id, so a retried batch can be recognised),
        ``allowed``, ``reason`` and the workload (``kind``, ``namespace``, ``name``, ``models``).
        """
        if not isinstance(events, list) or not 1 <= len(events) <= MAX_ADMISSION_BATCH:
            raise InvalidRequest(f"admission events: 1 to {MAX_ADMISSION_BATCH} per batch")
        clean = [_admission_event(e, i) for i, e in enumerate(events)]
        with self._write() as (s, head):
            first = head.seq
            for e in clean:
                audit.append(
                    s,
                    head,
                    actor=actor,
                    action="admission.allow" if e["allowed"] else "admission.deny",
                    subject=f"{e['namespace']}/{e['kind']}/{e['name']}",
                    payload=e,
                )
            last = head.seq
        # Decisions change no state: keep this process's read cache (the gate's hot path).
        self._cache.advance(first, last)
        return AdmissionBatch(len(clean), last)

    def export_records(
        self, model: str | None = None, *, limit: int = 10_000
    ) -> list[ExportRecord]:
        """Every version (of ``model``) with its files, decisions and advisories, for BOMs."""
        out = []
        with self._read() as s:
            q = select(VersionRow, ModelRow).join(ModelRow, ModelRow.id == VersionRow.model_id)
            if model is not None:
                q = q.where(ModelRow.name == model)
            rows = s.execute(q.order_by(VersionRow.id).limit(max(1, min(limit, 100_000)))).all()
            if model is not None and not rows:
                raise NotFound(f"model {model[:200]} has no registered versions")
            conn = s.connection()
            for v, m in rows:
                approvals = tuple(
                    Approval(d.decision, d.approver)
                    for d in s.execute(
                        select(DecisionRow).where(DecisionRow.version_id == v.id)
                    ).scalars()
                )
                out.append(
                    ExportRecord(
                        **self._version_fields(_Facts(v, m)),
                        files=tuple(json.loads(v.manifest)["files"]),
                        decisions=approvals,
                        advisories=tuple(_advisories_for(conn, v.id)),
                    )
                )
        return out

    def allowlist(self) -> AllowedVersions:
        """Every version the gate allows right now (for the signed offline allowlist)."""
        with self._read() as s:
            rows = s.execute(
                select(VersionRow.digest)
                .where(VersionRow.state == "approved")
                .order_by(VersionRow.digest)
            ).scalars()
            digests = list(rows)
        allowed = []
        for d in digests:
            decision = self.check(d)
            if decision.allow:
                allowed.append(AllowedVersion(d, decision.model))
        return AllowedVersions(tuple(allowed))


def _wrong_state(decision: str, digest: str, state: str) -> str:
    """Why ``decision`` cannot apply to a version in ``state``, and what would."""
    needed = FROM_STATE[decision]
    text = f"cannot {decision} version {digest[:16]}: it is {state}, not {needed}"
    if state == "approved" and decision == "reject":
        text += "; to withdraw an approved version, revoke it (airlock registry revoke DIGEST)"
    return text


MAX_ADMISSION_BATCH = 1000
MAX_LOCATION = 1000
_LOCATION = re.compile(r"^[a-z][a-z0-9+.-]{0,31}://[^\s]{1,960}$")


def check_location(uri: str) -> str:
    if not isinstance(uri, str) or len(uri) > MAX_LOCATION or not _LOCATION.match(uri):
        raise InvalidRequest(f"{str(uri)[:80]!r}: not a storage URI (scheme://..., no spaces)")
    return uri


_ADMISSION_FIELDS: dict[str, tuple[type, int]] = {
    "id": (str, 64),
    "kind": (str, 64),
    "namespace": (str, 253),
    "name": (str, 253),
    "operation": (str, 16),
    "user": (str, 253),
    "reason": (str, MAX_TEXT),
    "time": (str, 40),
}


def _admission_event(event: Any, index: int) -> dict[str, Any]:
    where = f"admission events[{index}]"
    if not isinstance(event, dict):
        raise InvalidRequest(f"{where}: must be an object")
    out: dict[str, Any] = {}
    for name, (kind, limit) in _ADMISSION_FIELDS.items():
        value = event.get(name, "")
        if not isinstance(value, str) or not isinstance(value, kind) or len(value) > limit:
            raise InvalidRequest(f"{where}.{name}: a string of at most {limit} characters")
        out[name] = value
    allowed = event.get("allowed")
    if not isinstance(allowed, bool):
        raise InvalidRequest(f"{where}.allowed: must be true or false")
    out["allowed"] = allowed
    out["mode"] = str(event.get("mode", "enforce"))[:16]
    models = event.get("models", [])
    if (
        not isinstance(models, list)
        or len(models) > 128
        or not all(isinstance(m, str) and len(m) <= 1100 for m in models)
    ):
        raise InvalidRequest(f"{where}.models: at most 128 strings")
    out["models"] = models
    return out


def _short_db(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).splitlines()[0] if str(orig or exc) else ""
    return text[:200]
