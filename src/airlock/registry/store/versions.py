"""Models and versions, and the state records that signed decisions bind to."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import func, select

from airlock.formats.peft import CONFIG
from airlock.provenance.manifest import Manifest, parse_manifest_json
from airlock.registry import audit
from airlock.registry.adapter_base import config_claim, name_problem
from airlock.registry.db import (
    AttestationRow,
    DecisionRow,
    DeploymentRow,
    ModelRow,
    VersionRow,
    utcnow,
)
from airlock.registry.errors import Conflict, InvalidRequest
from airlock.registry.records import (
    AttestationSummary,
    DecisionSummary,
    DeploymentRef,
    ModelSummary,
    Version,
    VersionDetail,
)
from airlock.registry.store.advisories import advisories_for
from airlock.registry.store.base import (
    MAX_INT,
    MAX_LIST,
    STATES,
    Facts,
    StoreBase,
    check_digest,
    check_name,
    iso,
    json_text,
    text_field,
)


def version_kind(manifest: Manifest) -> str:
    """``adapter`` when the manifest lists an ``adapter_config.json``, at the root or in a
    subfolder (transformers and peft then load the folder, or that subfolder, as an adapter on
    the base it names), else ``model``."""
    from airlock.formats.peft import is_config_path

    return "adapter" if any(is_config_path(f.path) for f in manifest.files) else "model"


def submission_record(version: dict[str, Any], manifest_sha256: str) -> str:
    """Digest of a version's submission record (with a random salt, so none can be guessed
    before the version exists): the first state record decisions bind to."""
    body = {**version, "manifest_sha256": manifest_sha256, "salt": secrets.token_hex(16)}
    return hashlib.sha256(audit.canonical_json(body).encode("utf-8")).hexdigest()


def next_record(previous: str, state: str, event_hash: str) -> str:
    """The state record after a state change, chained to the previous one and its audit event."""
    body = audit.canonical_json({"previous": previous, "state": state, "event": event_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class Versions(StoreBase):
    """Models and versions: submit, read, list."""

    def submit(
        self,
        manifest: Manifest | dict[str, Any],
        *,
        model: str,
        source: str,
        source_revision: str = "",
        base_model: str = "",
        license: str = "",
        base_digest: str = "",
        adapter_config: str | None = None,
        adapter_configs: dict[str, str] | None = None,
        actor: str,
    ) -> Version:
        """Register a new version (state ``submitted``) from its manifest.

        Its kind comes from the manifest, not from the caller: an ``adapter_config.json`` (root
        or subfolder) makes transformers/peft load it as an adapter on a base, so it is an
        ``adapter`` and must name its base's root digest (``base_digest``), which the gate then
        requires approved, and carry the text of every config (``adapter_config`` for the root
        one, ``adapter_configs`` by path; checked against the manifest): the base peft loads is
        read from them (``base_model``; all must name the same one) and must be the base
        version's repository (refused here when the base is registered; the gate checks again)."""
        if isinstance(manifest, dict):
            manifest = parse_manifest_json(json.dumps(manifest), "manifest")
        if manifest.algorithm != "sha256":
            raise InvalidRequest("manifest: the registry identifies versions by sha256 digests")
        if not manifest.files:
            raise InvalidRequest("manifest: lists no files")
        if manifest.total_size > MAX_INT:  # stored in a signed 64-bit column
            raise InvalidRequest(f"manifest: total size over {MAX_INT} bytes")
        check_name(model, "model name")
        text_field(source, "source", 500)
        text_field(source_revision, "source_revision", 200)
        text_field(base_model, "base_model", 500)
        text_field(license, "license", 200)
        mjson = manifest.to_json()
        mtext, msha = json_text(mjson, "manifest")
        digest = manifest.root_digest
        kind = version_kind(manifest)
        if base_digest:
            check_digest(base_digest)
            if base_digest == digest:
                raise InvalidRequest("base_digest: a version cannot be its own base")
        elif kind == "adapter":
            raise InvalidRequest(
                "an adapter version must record its base: give base_digest, the root digest of "
                "the base version it is applied to (`airlock registry submit --base-digest`)"
            )
        if kind == "adapter":
            configs = dict(adapter_configs or {})
            if adapter_config is not None:
                configs.setdefault(CONFIG, adapter_config)
            base_model = config_claim(manifest, configs, base_model)
        now = utcnow()
        with self._write() as (s, head):
            if s.execute(select(VersionRow.id).where(VersionRow.digest == digest)).first():
                raise Conflict(f"version {digest} is already registered")
            if kind == "adapter":
                base = s.execute(
                    select(ModelRow.name, ModelRow.source, VersionRow.source_revision)
                    .join(VersionRow, VersionRow.model_id == ModelRow.id)
                    .where(VersionRow.digest == base_digest)
                ).first()
                problem = name_problem(base_model, *base) if base else None
                if problem is not None and problem[1]:
                    raise InvalidRequest(f"base_digest: {problem[0]}")
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
                kind=kind,
                base_digest=base_digest,
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
                    "kind": kind,
                    "base_digest": base_digest,
                    "created_at": iso(now),
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
                    "kind": kind,
                    "base_digest": base_digest,
                    "record": vrow.record,
                    # covered by audit verify (the record above is salted: not recomputable)
                    "source_revision": source_revision,
                    "base_model": base_model,
                    "license": license,
                    "manifest_sha256": msha,
                },
            )
            return Version(**self._version_fields(Facts(vrow, mrow)))

    def get_version(self, digest: str) -> VersionDetail:
        """A version with its attestations, decisions, advisories and deployments."""
        with self._read() as s:
            facts = self._version(s, digest)
            vid = facts.version.id
            attestations = tuple(
                AttestationSummary(a.kind, a.signer, a.document_digest, iso(a.created_at))
                for a in s.execute(
                    select(AttestationRow)
                    .where(AttestationRow.version_id == vid)
                    .order_by(AttestationRow.id)
                ).scalars()
            )
            decisions = tuple(
                DecisionSummary(d.decision, d.approver, d.key_id, d.reason, iso(d.created_at))
                for d in s.execute(
                    select(DecisionRow)
                    .where(DecisionRow.version_id == vid)
                    .order_by(DecisionRow.id)
                ).scalars()
            )
            advisories = tuple(a.id for a in advisories_for(s.connection(), vid))
            deployments = tuple(
                DeploymentRef(d.name, d.environment, iso(d.last_seen))
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
            return [Version(**self._version_fields(Facts(v, m))) for v, m in rows]

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
