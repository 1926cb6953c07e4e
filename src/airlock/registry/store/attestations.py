"""Attestations over a version: scan reports, OMS signatures, signed check verdicts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from airlock.errors import AirlockError
from airlock.registry import audit
from airlock.registry.db import AttestationRow, AuditHeadRow, DecisionRow, utcnow
from airlock.registry.errors import Conflict, InvalidRequest, SignatureInvalid
from airlock.registry.records import Attachment
from airlock.registry.store.base import SCAN_SCHEMA, Facts, StoreBase, json_text
from airlock.registry.store.keys import trusted
from airlock.registry.store.policies import evaluate
from airlock.registry.store.versions import next_record

#: Attestations one version may hold. Each is an event the gate replays on an uncached check
#: (``replay.MAX_GATE_EVENTS`` leaves room for them and the version's decisions); a scan
#: report needs only a publish token, so without a bound one holder could make a version's
#: check as slow as they like. Far above honest use (a few scans, a check a day).
MAX_VERSION_ATTESTATIONS = 1000


class Attestations(StoreBase):
    """Scan reports, OMS signatures and signed check verdicts attached to versions (new
    evidence can promote a submitted version)."""

    def attach_scan_report(self, digest: str, report: dict[str, Any], *, actor: str) -> Attachment:
        """StoreBase an ``airlock.scan-report/v1`` document as an attestation over ``digest``."""
        if not isinstance(report, dict) or report.get("schema") != SCAN_SCHEMA:
            raise InvalidRequest(f"scan report: missing schema {SCAN_SCHEMA!r}")
        if not isinstance(report.get("findings", []), list):
            raise InvalidRequest("scan report: 'findings' must be a list")
        subject = report.get("root_digest")
        if subject is not None and subject != digest:
            raise InvalidRequest(f"scan report is for {str(subject)[:64]}, not for {digest}")
        text, doc_digest = json_text(report, "scan report")
        return self._attach(digest, "scan", None, text, doc_digest, actor)

    def attach_signature(self, digest: str, bundle: dict[str, Any], *, actor: str) -> Attachment:
        """Verify an OMS v1.0 bundle against a trusted key and the stored manifest, then keep it.

        Only the public-key method is accepted (the bundle's key hint names a registered key);
        the signed resources must be exactly the version's files and digests.
        """
        from airlock.provenance import oms
        from airlock.provenance.dsse import SignatureError, verify_envelope_detailed

        text, doc_digest = json_text(bundle, "bundle")
        try:
            parsed = oms.parse_bundle(text.encode("utf-8"))
        except SignatureError as exc:
            raise InvalidRequest(str(exc)) from None
        if parsed.method != "key" or not parsed.key_hint:
            raise InvalidRequest("bundle: only public-key OMS bundles with a key hint are accepted")
        with self._read() as s:
            facts = self._version(s, digest)
            keys = trusted(s, parsed.key_hint)
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

        text, doc_digest = json_text(bundle, "attestation")
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
            keys = trusted(s, parsed.key_hint)
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
            held = s.execute(
                select(func.count())
                .select_from(AttestationRow)
                .where(AttestationRow.version_id == facts.version.id)
            ).scalar_one()
            if held >= MAX_VERSION_ATTESTATIONS:
                raise Conflict(
                    f"version {digest[:16]} already holds {held} attestations (at most "
                    f"{MAX_VERSION_ATTESTATIONS}): register a new version"
                )
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

    def _promote(self, s: Session, head: AuditHeadRow, facts: Facts, actor: str) -> None:
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
        if evaluate(s, facts)[0].ok:
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
