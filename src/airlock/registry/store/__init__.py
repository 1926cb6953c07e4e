"""The registry's database implementation: :class:`Store`, one class assembled from one module per
kind of record, all writing through the transaction helper of :mod:`.base`.

``base`` (engine, transactions, read cache, shared validation) · ``versions`` · ``keys`` ·
``attestations`` · ``policies`` · ``decisions`` · ``advisories`` · ``deployments`` · ``tokens`` ·
``audit_log`` · ``admission`` (storage locations, admission events) · ``checks`` (the gate,
allowlist) · ``export``. Results are the records of :mod:`airlock.registry.records`;
:class:`Store` satisfies :class:`airlock.registry.backend.RegistryBackend`.
"""

from __future__ import annotations

from airlock.registry.store.admission import MAX_ADMISSION_BATCH, Admission, check_location
from airlock.registry.store.advisories import Advisories
from airlock.registry.store.attestations import Attestations
from airlock.registry.store.audit_log import AuditLog
from airlock.registry.store.base import (
    GLOBAL_SCOPE,
    MAX_DOCUMENT_BYTES,
    MAX_LIST,
    SCAN_SCHEMA,
    STATES,
    check_digest,
    check_name,
)
from airlock.registry.store.checks import Checks
from airlock.registry.store.decisions import Decisions
from airlock.registry.store.deployments import Deployments
from airlock.registry.store.export import Export
from airlock.registry.store.keys import Keys
from airlock.registry.store.policies import Policies
from airlock.registry.store.tokens import Tokens
from airlock.registry.store.versions import Versions, next_record, submission_record

__all__ = [
    "GLOBAL_SCOPE",
    "MAX_ADMISSION_BATCH",
    "MAX_DOCUMENT_BYTES",
    "MAX_LIST",
    "SCAN_SCHEMA",
    "STATES",
    "Store",
    "check_digest",
    "check_location",
    "check_name",
    "next_record",
    "submission_record",
]


class Store(
    Versions,
    Keys,
    Attestations,
    Policies,
    Decisions,
    Advisories,
    Deployments,
    Tokens,
    AuditLog,
    Admission,
    Checks,
    Export,
):
    """A registry database. Create with :meth:`open`; ``actor`` names who does each mutation."""
