"""Advisories: published problems with versions, and their mitigations."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, text

from airlock.registry import audit
from airlock.registry.db import AdvisoryRow, AdvisoryVersionRow, VersionRow, utcnow
from airlock.registry.errors import Conflict, InvalidRequest
from airlock.registry.records import Advisory, AdvisoryNotice
from airlock.registry.store.base import MAX_LIST, StoreBase, check_digest, json_text, text_field
from airlock.report import Severity

_ADVISORY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_Q_ADVISORIES = text(
    "SELECT a.advisory_id, a.severity, a.description, a.mitigation FROM advisories a "
    "JOIN advisory_versions av ON av.advisory_pk = a.id WHERE av.version_id = :v ORDER BY a.id"
)


def advisories_for(conn: Connection, vid: int) -> list[AdvisoryNotice]:
    return [
        AdvisoryNotice(a, sev, desc, json.loads(mit))
        for a, sev, desc, mit in conn.execute(_Q_ADVISORIES, {"v": vid})
    ]


class Advisories(StoreBase):
    """Advisories against versions (the gate denies them, the guard blocks their triggers)."""

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
        text_field(description, "description")
        if not isinstance(versions, (list, tuple)) or not versions or len(versions) > MAX_LIST:
            raise InvalidRequest(f"advisory versions: 1 to {MAX_LIST} root digests")
        digests = sorted({check_digest(d) for d in versions})
        mtext, msha = json_text(mitigation or {}, "mitigation")
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
                payload={
                    "severity": str(sev),
                    "versions": digests,
                    "description_sha256": hashlib.sha256(description.encode("utf-8")).hexdigest(),
                    "mitigation_sha256": msha,
                },
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
