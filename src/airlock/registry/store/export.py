"""Export of every version with files, decisions and advisories."""

from __future__ import annotations

import json

from sqlalchemy import select

from airlock.registry.db import DecisionRow, ModelRow, VersionRow
from airlock.registry.errors import NotFound
from airlock.registry.records import Approval, ExportRecord
from airlock.registry.store.advisories import advisories_for
from airlock.registry.store.base import Facts, StoreBase


class Export(StoreBase):
    """Every version with its files, decisions and advisories (the CycloneDX BOM)."""

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
                        **self._version_fields(Facts(v, m)),
                        files=tuple(json.loads(v.manifest)["files"]),
                        decisions=approvals,
                        advisories=tuple(advisories_for(conn, v.id)),
                    )
                )
        return out
