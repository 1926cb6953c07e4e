"""One interface to a registry, wherever it lives: :class:`RegistryBackend` and :func:`connect`.

The local database (:class:`~airlock.registry.store.Store`) and the HTTP service
(:class:`~airlock.registry.client.RegistryClient`) both satisfy the protocol and return the same
records (:mod:`airlock.registry.records`), so the CLI, ``airlock check --registry``, the guard's
advisory triggers and the console each have one code path. "A URL is a server, anything else
is a database" is decided here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from airlock.registry import records as r

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest
    from airlock.report import Severity

SERVICE_SCHEMES = ("http://", "https://")


class RegistryBackend(Protocol):
    """Every registry operation. ``actor`` names who does a mutation on a local database; a
    server ignores it and records the authenticated token instead."""

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    # models and versions
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
    ) -> r.Version: ...

    def get_version(self, digest: str) -> r.VersionDetail: ...

    def get_manifest(self, digest: str) -> dict[str, Any]: ...

    def list_versions(
        self,
        *,
        model: str | None = None,
        state: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[r.Version]: ...

    def list_models(self) -> list[r.ModelSummary]: ...

    # attestations
    def attach_scan_report(
        self, digest: str, report: dict[str, Any], *, actor: str
    ) -> r.Attachment: ...

    def attach_signature(
        self, digest: str, bundle: dict[str, Any], *, actor: str
    ) -> r.Attachment: ...

    def attach_check_attestation(
        self, digest: str, bundle: dict[str, Any], *, actor: str
    ) -> r.Attachment: ...

    # keys, policies, decisions
    def add_key(self, identity: str, public_key_pem: str, *, actor: str) -> r.Key: ...

    def revoke_key(self, key_id: str, *, actor: str) -> r.Key: ...

    def list_keys(self) -> list[r.Key]: ...

    def set_policy(self, scope: str, document: Any, *, actor: str) -> r.Policy: ...

    def list_policies(self) -> list[r.Policy]: ...

    def evaluate_policy(self, digest: str) -> r.PolicyEvaluation: ...

    def decide(self, envelope: dict[str, Any], *, actor: str) -> r.DecisionOutcome: ...

    # advisories and deployments
    def advise(
        self,
        advisory_id: str,
        *,
        severity: str,
        description: str,
        versions: Sequence[str],
        mitigation: dict[str, Any] | None = None,
        actor: str,
    ) -> r.Advisory: ...

    def list_advisories(self) -> list[r.Advisory]: ...

    def deploy(self, name: str, environment: str, digest: str, *, actor: str) -> r.Deployment: ...

    def list_deployments(self) -> list[r.Deployment]: ...

    def affected(self) -> list[r.AffectedDeployment]: ...

    # tokens
    def create_token(self, name: str, scopes: Sequence[str], *, actor: str) -> r.IssuedToken: ...

    def revoke_token(self, token_id: str, *, actor: str) -> r.RevokedToken: ...

    def list_tokens(self) -> list[r.Token]: ...

    # audit
    def audit_events(
        self, *, after: int = 0, limit: int = 100, exclude: str | None = None
    ) -> list[r.AuditEvent]: ...

    def audit_head(self) -> r.AuditHead: ...

    def audit_verify(self) -> r.AuditVerification: ...

    # storage locations and admission
    def set_location(self, uri: str, digest: str, *, actor: str) -> r.Location: ...

    def resolve_location(self, uri: str) -> r.Location: ...

    def record_admissions(
        self, events: Sequence[dict[str, Any]], *, actor: str
    ) -> r.AdmissionBatch: ...

    # export and the gate
    def export_records(self, model: str | None = None) -> list[r.ExportRecord]: ...

    def allowlist(self) -> r.AllowedVersions: ...

    def check(
        self,
        target: str | Manifest | dict[str, Any],
        *,
        advisory_fail_on: Severity | None = None,
    ) -> r.GateDecision: ...


def is_service_url(target: str | Path | None) -> bool:
    """Whether ``target`` names a registry server (else a database, or nothing)."""
    return isinstance(target, str) and target.startswith(SERVICE_SCHEMES)


def connect(
    url_or_path: str | Path | None = None,
    *,
    token: str | None = None,
    init: bool = False,
    schema: str | None = None,
    timeout: float = 30.0,
) -> RegistryBackend:
    """The registry at ``url_or_path``: an ``http(s)://`` URL is a registry server (``token``
    authenticates, default ``$AIRLOCK_REGISTRY_TOKEN``); a database URL (``sqlite:///...``,
    ``postgresql+psycopg://...``) or an existing file path is a local database; ``None`` is
    ``$AIRLOCK_DATABASE_URL`` or the user's default database. ``init`` creates or upgrades a
    local schema (a server's is its own business)."""
    target = str(url_or_path) if url_or_path is not None else None
    if target is not None and is_service_url(target):
        from airlock.registry.client import RegistryClient

        return RegistryClient(target, token, timeout=timeout)
    from airlock.registry.store import Store

    if target is not None and "://" not in target:
        if not Path(target).is_file():  # `--registry localhost:8470`, a mistyped file name
            from airlock.registry.errors import DatabaseError

            raise DatabaseError(
                f"{target!r}: not a registry server URL (http://HOST:8470), a database URL "
                "(sqlite:///PATH, postgresql://USER@HOST/DB) or an existing database file"
            )
        target = f"sqlite:///{Path(target).resolve()}"
    return Store.open(target or None, schema=schema, init=init)
