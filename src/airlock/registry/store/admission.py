"""Storage locations and admission decisions (the Kubernetes webhook's side of the registry)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from airlock.registry import audit
from airlock.registry.db import LocationRow, ModelRow, VersionRow, utcnow
from airlock.registry.errors import InvalidRequest, NotFound
from airlock.registry.records import AdmissionBatch, Location
from airlock.registry.store.base import MAX_TEXT, StoreBase

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


class Admission(StoreBase):
    """Storage locations (``storageUri`` to digest) and admission decisions in the audit
    chain."""

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

    def record_admissions(self, events: Sequence[dict[str, Any]], *, actor: str) -> AdmissionBatch:
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
