"""``airlock fleet publish``: a job's judged repositories as registry versions with reports.

Each repository whose files are all closed becomes a version (identity: the OMS root digest of
its files' sha256 digests, the same as ``airlock hash`` of the folder) in state ``submitted``,
with an ``airlock.scan-report/v1`` report assembled from the stored per-file results (the
job's content-scoped policy applied, exactly as its verdicts were judged). Files not scanned
or dead appear as not-scanned objects: the report never calls them clean. A version already
registered is left as it is (counted), so publishing twice changes nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from airlock.fleet import codec, judge
from airlock.fleet.tables import FleetFileRow, FleetJobRow, FleetVerdictRow
from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.registry.store.versions import version_kind
from airlock.scan.result import ObjectResult, ScanReport


@dataclass
class PublishResult:
    job_id: str
    published: list[dict[str, str]] = field(default_factory=list)
    already: int = 0
    unfinished: int = 0
    # adapters are not published: the registry needs their base's digest, which a store
    # walk does not know (``airlock registry submit ADAPTER --base-digest D``)
    adapters: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "published": self.published,
            "already_registered": self.already,
            "unfinished": self.unfinished,
            "adapters_not_published": self.adapters,
        }


def report_for(
    model: str, rows: list[Any], verdicts: dict[str, Any], policy: dict[str, Any]
) -> ScanReport:
    rep = ScanReport([model], mode="serial")
    for r in rows:
        where = f"{model}/{r.path}"
        v = verdicts.get(r.verdict_key or "")
        if r.state != "done" or v is None:
            rep.objects.append(
                ObjectResult(
                    where, None, "unknown", "not_scanned", r.reason or "not judged", r.size
                )
            )
            continue
        fr = codec.decode(json.loads(v.result), where)
        fr.findings = judge.kept_findings(fr, r.sha256, policy)
        rep.objects += fr.objects
        rep.findings += fr.findings
    return rep


def publish(
    engine: Engine, store: Any, job_id: str, *, actor: str, prefix: str = ""
) -> PublishResult:
    """Register every finished repository of ``job_id`` in ``store`` (a registry backend with
    ``submit`` and ``attach_scan_report``)."""
    from airlock.registry.errors import Conflict

    f = FleetFileRow
    with engine.connect() as conn:
        job = conn.execute(select(FleetJobRow).where(FleetJobRow.id == job_id)).one()
        rows = conn.execute(select(f).where(f.job_id == job_id).order_by(f.model, f.path)).all()
        keys = {r.verdict_key for r in rows if r.verdict_key}
        verdicts = {}
        for chunk in [sorted(keys)[i : i + 500] for i in range(0, len(keys), 500)]:
            for v in conn.execute(select(FleetVerdictRow).where(FleetVerdictRow.key.in_(chunk))):
                verdicts[v.key] = v
    policy = json.loads(job.policy)
    by_model: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_model[r.model].append(r)
    out = PublishResult(job_id)
    for model, files in by_model.items():
        if any(r.state in ("queued", "running") for r in files) or any(
            r.sha256 is None for r in files
        ):
            out.unfinished += 1
            continue
        manifest = Manifest(
            files=sorted_files([FileDigest(r.path, int(r.size), str(r.sha256)) for r in files]),
            algorithm="sha256",
            name=model,
        )
        name = f"{prefix}{model}"
        if version_kind(manifest) == "adapter":
            out.adapters.append(name)
            continue
        try:
            ver = store.submit(
                manifest, model=name, source=f"fleet:{job.root}/{model}", actor=actor
            )
        except Conflict:
            out.already += 1
            continue
        doc = report_for(model, files, verdicts, policy).to_json()
        doc["root_digest"] = manifest.root_digest
        store.attach_scan_report(ver["digest"], doc, actor=actor)
        out.published.append({"model": name, "digest": ver["digest"]})
    return out
