"""``airlock fleet publish``: a job's judged repositories as registry versions with reports.

Each repository whose files are all closed becomes a version (identity: the OMS root digest of
its files' sha256 digests, the same as ``airlock hash`` of the folder) in state ``submitted``,
with an ``airlock.scan-report/v1`` report assembled from the stored per-file results (the
job's content-scoped policy applied, exactly as its verdicts were judged). Files not scanned
or dead appear as not-scanned objects: the report never calls them clean. A version already
registered is left as it is (counted), so publishing twice changes nothing.

An adapter (a repository with a root ``adapter_config.json``) is published as the registry
records one: with its config's text (read from where the job read it, and only if those are
the bytes judged) and its base's root digest -- a repository of the same job that is the base
its config names, else the one approved registry version of that name. Without either it is
listed as not published, with the reason.
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
    # adapters not published, with why (no base found, config not readable as judged, ...)
    adapters: list[dict[str, str]] = field(default_factory=list)

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
    from airlock.registry.errors import Conflict, InvalidRequest

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
    manifests: dict[str, Manifest] = {}
    for model, files in by_model.items():
        if any(r.state in ("queued", "running") for r in files) or any(
            r.sha256 is None for r in files
        ):
            out.unfinished += 1
            continue
        manifests[model] = Manifest(
            files=sorted_files([FileDigest(r.path, int(r.size), str(r.sha256)) for r in files]),
            algorithm="sha256",
            name=model,
        )
    models = {m: v for m, v in manifests.items() if version_kind(v) == "model"}
    adapters = {m: v for m, v in manifests.items() if m not in models}
    for model, manifest in [*models.items(), *adapters.items()]:  # bases first
        name = f"{prefix}{model}"
        extra: dict[str, Any] = {}
        if model in adapters:
            found = _adapter_base(store, by_model[model], models, prefix)
            if isinstance(found, str):
                out.adapters.append({"model": name, "reason": found})
                continue
            extra = found
        try:
            ver = store.submit(
                manifest, model=name, source=f"fleet:{job.root}/{model}", actor=actor, **extra
            )
        except Conflict:
            out.already += 1
            continue
        except InvalidRequest as exc:  # e.g. the base version is another repository
            out.adapters.append({"model": name, "reason": str(exc)[:300]})
            continue
        doc = report_for(model, by_model[model], verdicts, policy).to_json()
        doc["root_digest"] = manifest.root_digest
        store.attach_scan_report(ver["digest"], doc, actor=actor)
        row = {"model": name, "digest": ver["digest"]}
        if extra:
            row["kind"], row["base_digest"] = "adapter", extra["base_digest"]
        out.published.append(row)
    return out


def _adapter_base(
    store: Any, files: list[Any], models: dict[str, Manifest], prefix: str
) -> dict[str, Any] | str:
    """``submit`` arguments of an adapter (its configs' texts, its base's digest), or why it
    cannot be published."""
    import hashlib
    from pathlib import Path

    from airlock.formats import peft

    texts: dict[str, str] = {}
    bases: set[str] = set()
    cfg_base = ""
    for row in sorted((r for r in files if peft.is_config_path(r.path)), key=lambda r: r.path):
        raw = peft.read_bounded(Path(row.location), peft.MAX_CONFIG_BYTES)
        if raw is None or hashlib.sha256(raw).hexdigest() != row.sha256:
            return f"{row.path} is no longer the file judged at {row.location}"
        fields = peft.config_base_fields(raw)
        if fields is None:
            return f"{row.path} is not a readable JSON object"
        cfg_base = fields[0]
        want = peft.repo_id(cfg_base) if cfg_base else None
        if want is None:
            what = cfg_base or "(none)"
            return f"its base {what!r} ({row.path}) is not a hub repository to look up"
        bases.add(want)
        texts[row.path] = raw.decode("utf-8", "replace")
    if len(bases) != 1:
        return f"its adapter configs name different bases: {', '.join(sorted(bases))}"
    want = bases.pop()
    extra: dict[str, Any] = {"adapter_configs": texts}
    for model, manifest in models.items():  # a base judged in the same job
        if want == peft.repo_id(f"{prefix}{model}"):  # the name the registry compares
            return {**extra, "base_digest": manifest.root_digest}
    names = {want, cfg_base}
    digests = {
        v["digest"] for n in names for v in store.list_versions(model=n, state="approved", limit=2)
    }
    if len(digests) != 1:
        how = "no approved registry version" if not digests else "several approved versions"
        return f"its base {cfg_base!r}: {how} and no repository of this job"
    return {**extra, "base_digest": digests.pop()}
