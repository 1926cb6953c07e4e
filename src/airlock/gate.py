"""``airlock check``: the gate. Hash + provenance + scan (+ signature, registry, trojan) -> verdict.

Each step is a small function returning a ``Step``; the verdict is "allow" only when every step
that ran passed. The same function backs the CLI and the service.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airlock.provenance.hashing import HashOptions
from airlock.provenance.manifest import Manifest
from airlock.report import Finding, Severity
from airlock.scan.result import ScanReport

if TYPE_CHECKING:
    from airlock.policyfile.model import PolicyFile
    from airlock.scan.engine import ResultCache
    from airlock.sources.resolve import Resolved

CHECK_SCHEMA = "airlock.check-report/v1"


@dataclass
class Step:
    """One gate step: ``ok`` is its pass/fail, ``data`` its full report (JSON-ready)."""

    name: str
    ok: bool
    summary: str
    data: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class CheckOptions:
    """What the gate should look at; every expectation is optional."""

    hashing: HashOptions = field(default_factory=HashOptions)
    manifest: Manifest | None = None
    sha256sums: dict[str, str] | None = None
    digest: str | None = None
    allow_extra: bool = False
    scan: bool = True
    fail_on: Severity = Severity.HIGH
    allow_unscanned: bool = False
    ignore_unsigned_files: bool = False
    signature: Path | None = None
    public_key: Path | None = None
    cert_chain: tuple[Path, ...] = ()
    trust_roots: tuple[Path, ...] = ()
    cert_time: str = "now"
    registry: str | None = None
    registry_token: str | None = None
    # the claimed base for the trojan step: a path or any name ``airlock.sources`` resolves
    # (hf://, s3://, https://; read whole, its weights are needed)
    base: Path | str | None = None
    # the trojan step's own threshold: what the report calls "evidence of tampering or a
    # backdoor" (>= medium) denies by default, whatever --fail-on says about the scan
    trojan_fail_on: Severity = Severity.MEDIUM
    # The policy file in force (airlock.policyfile); None: the built-in defaults.
    policy: PolicyFile | None = None
    download: bool = False
    # Per-file scan results by content (``airlock.fleet.cache.VerdictCache``), or None.
    cache: ResultCache | None = None


@dataclass
class CheckResult:
    path: str
    root_digest: str
    steps: list[Step]
    policy: dict[str, str] = field(default_factory=lambda: {"source": "builtin", "sha256": ""})

    @property
    def allowed(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.steps for f in s.findings]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": CHECK_SCHEMA,
            "path": self.path,
            "verdict": "allow" if self.allowed else "deny",
            "root_digest": self.root_digest,
            "policy": self.policy,
            "steps": [
                {"name": s.name, "ok": s.ok, "summary": s.summary, "report": s.data}
                for s in self.steps
            ],
        }


def _provenance_step(path: Path, manifest: Manifest, options: CheckOptions) -> Step | None:
    from airlock.provenance import verify as v

    if options.manifest is not None:
        res = v.verify_manifest(
            path, options.manifest, allow_extra=options.allow_extra, actual=manifest
        )
    elif options.sha256sums is not None:
        res = v.verify_digests(
            path,
            options.sha256sums,
            mode="sha256sums",
            allow_extra=options.allow_extra,
            manifest=manifest,
        )
    elif options.digest is not None:
        res = v.verify_root_digest(path, options.digest, actual=manifest)
    else:
        return None
    counts = ", ".join(f"{n} {k}" for k, n in res.counts().items() if n)
    summary = f"{res.mode}: {counts}"
    if res.problems:  # e.g. "root digest X != expected Y": the reason must reach the verdict
        summary += "; " + "; ".join(res.problems)
    return Step("provenance", res.ok, summary, res.to_json())


def _signature_step(path: Path, manifest: Manifest, options: CheckOptions) -> Step | None:
    if options.signature is None:
        return None
    from airlock.provenance.signing import verify_signature

    res = verify_signature(
        path,
        options.signature,
        public_key=options.public_key,
        cert_chain=options.cert_chain,
        trust_roots=options.trust_roots,
        ignore_unsigned_files=options.ignore_unsigned_files,
        ignore_paths=options.hashing.walk.ignore_paths,
        ignore_git_paths=options.hashing.walk.ignore_git_paths,
        use_cache=options.hashing.use_cache,
        validity_time=options.cert_time,
        manifest=manifest,
    )
    summary = f"{res.method} signature, signer {res.key_hint[:16]}…" if res.ok else res.reason
    if res.signed_ignore_paths:
        summary += f" (signed ignore list: {', '.join(res.signed_ignore_paths)})"
    return Step("signature", res.ok, summary, res.to_json())


def _scan_step(report: ScanReport, options: CheckOptions) -> Step:
    if options.policy is not None:
        from airlock.policyfile import apply_policy

        apply_policy(report, options.policy)
    blocking = [f for f in report.findings if f.severity >= options.fail_on]
    unread = report.not_scanned
    ok = not blocking and (options.allow_unscanned or not unread)
    counts = report.counts()
    summary = (
        f"{counts['files']} files, {counts['findings']} findings "
        f"({len(blocking)} at or above {options.fail_on}), {len(unread)} not scanned"
    )
    if unread and not options.allow_unscanned:
        summary += " (not scanned fails the gate; --allow-unscanned to accept)"
    return Step("scan", ok, summary, report.to_json(), list(report.findings))


def _trojan_step(path: Path, manifest: Manifest, options: CheckOptions) -> Step | None:
    if options.base is None:
        return None
    from airlock.trojan.analyse import analyse_trojan

    report = analyse_trojan(path, Path(options.base))
    blocking = [f for f in report.findings if f.severity >= options.trojan_fail_on]
    return Step("trojan", not blocking, report.verdict, report.to_json(), list(report.findings))


@dataclass(frozen=True)
class BaseModel:
    """The base the trojan step judged the model against: as named, and as hashed."""

    label: str
    repo_id: str | None
    root_digest: str


def _adapter_step(
    root: Path,
    report: ScanReport | None,
    base: BaseModel | None,
    policy: PolicyFile | None = None,
    manifest: Manifest | None = None,
) -> Step | None:
    """An adapter is a model of its own kind: say so, with the base it claims and the base it
    was judged on. Without a base its own files are fully judged (the scan step) but the adapted
    model's behaviour is not -- as for any model checked without --base, that does not deny,
    and the step says so. With a base, the repository peft will load must be the base judged
    (:func:`base_mismatch`) for every adapter folder, the root one and any in a subfolder
    (peft's multi-adapter layout, loaded with ``subfolder=NAME``); a name that cannot be
    compared denies too, unless the policy file suppresses AIR-ADP-009: the behaviour judged
    would otherwise be another model's."""
    from airlock.formats.peft import CONFIG, is_config_path
    from airlock.scan.adapters import BEHAVIOUR_NOT_JUDGED, describe_adapter

    models = list(report.models) if report is not None else []
    if not models:  # --no-scan: describe only
        paths = [f.path for f in manifest.files] if manifest is not None else [CONFIG]
        for p in sorted(p for p in paths if is_config_path(p))[:64]:
            folder = (root / p).parent
            if (folder / CONFIG).is_file():
                models.append(describe_adapter(folder, str(folder))[0])
    if not models:
        return None
    top = next((m for m in models if m["path"] == str(root)), None)
    data: dict[str, Any] = {"models": models, "behaviour_judged": base is not None}
    if top is None:  # adapters only in subfolders
        where = ", ".join(str(m["path"]) for m in models[:5])
        parts = [f"{len(models)} adapter folder(s) inside ({where})"]
    else:
        cfg = top.get("config") or {}
        claimed = str(top["base"].get("config") or "")
        cards = [str(c) for c in top["base"].get("card") or []]
        parts = [f"{cfg.get('peft_type') or '?'} adapter"]
        if cfg.get("r"):
            parts[0] += f" (r={cfg['r']})"
        parts.append(f"base {claimed!r}" if claimed else "no base named in its config")
        if cards and cards != [claimed]:
            parts.append(f"card: {', '.join(repr(c) for c in cards)}")
    findings: list[Finding] = []
    if base is None:
        parts.append(BEHAVIOUR_NOT_JUDGED.replace("that needs", "needs"))
    else:
        from airlock.formats.peft import unpinned_note
        from airlock.scan.adapters import BASE_MISMATCH

        data["base"] = {"name": base.label, "root_digest": base.root_digest}
        parts.append(f"judged on {base.label} (root sha256:{base.root_digest[:16]}…)")
        judged_rev = base.label.rsplit("@", 1)[1] if "@" in base.label else ""
        whys: list[str] = []
        for m in models:
            cfg = m.get("config") or {}
            claimed = str(m["base"].get("config") or "")
            rev = str(cfg.get("revision") or "")
            why = base_mismatch(claimed, base.repo_id or "", rev, judged_rev)
            where = "" if m is top else f"{m['path']}: "
            if why is not None:
                findings.append(BASE_MISMATCH.finding(str(m["path"]), why))
                whys.append(where + why)
            elif (note := unpinned_note(rev, judged_rev)) is not None:
                parts.append(where + note)
        if findings and policy is not None:
            from airlock.policyfile import apply_policy

            kept = ScanReport([str(root)])
            kept.findings = list(findings)
            findings = apply_policy(kept, policy).findings
            if not findings:
                whys = [w + " (accepted by the policy file)" for w in whys]
        parts.extend(f"but {w}" for w in whys[:5])
    if top is not None and len(models) > 1:
        parts.append(f"{len(models) - 1} more adapter folder(s) inside")
    return Step("adapter", not findings, "; ".join(parts), data, findings)


def base_mismatch(
    claimed: str, judged_repo: str, claimed_rev: str = "", judged_rev: str = ""
) -> str | None:
    """Why the base peft loads (``claimed``: the config's ``base_model_name_or_path``, at its
    ``revision``) is not shown to be the base judged (``judged_repo``: its hub repo id, "" for a
    local folder, at ``judged_rev``), or None when both name the same hub repository at the same
    commit (:func:`airlock.formats.peft.revision_problem`: a base judged at a commit needs the
    config to pin exactly that commit)."""
    from airlock.formats.peft import repo_id, revision_problem

    want, got = repo_id(claimed), repo_id(judged_repo) if judged_repo else None
    if not claimed:
        return "the adapter names no base: the deployment chooses one, not the base judged"
    if want is None:
        return f"peft loads {claimed!r}, a local path: not comparable with the base judged"
    if got is None:
        return f"peft loads {claimed!r}; the base judged is a local folder, not that repository"
    if want != got:
        return f"peft loads {claimed!r}, not {judged_repo!r}"
    problem = revision_problem(claimed_rev, judged_rev)
    return None if problem is None else f"{claimed!r}: {problem[0]}"


def _registry_step(path: Path, manifest: Manifest, options: CheckOptions) -> Step | None:
    if options.registry is None:
        return None
    from airlock.registry import gate

    # A server URL asks the service; a database URL the database directly, no service needed.
    decision = gate.ask(options.registry, manifest, token=options.registry_token)
    state = decision.state or "unknown to the registry"
    why = "; ".join(decision.reasons)
    summary = f"{decision.model or '?'} {state}" + (f": {why}" if why else "")
    return Step("registry", decision.allow, summary, decision.to_json())


StepFn = Callable[[Path, Manifest, CheckOptions], "Step | None"]


def _source_step(model: Resolved, options: CheckOptions) -> Step | None:
    """A remote model judged before download: what was read, which digests were stated."""
    report = model.source_report()
    if report is None:
        return None
    from airlock.sources.judge import Staged

    assert isinstance(model.staged, Staged)
    unjudged = model.staged.unjudged
    summary = model.staged.summary()
    if unjudged:
        summary += f"; {len(unjudged)} files not judged (--download to read them whole)"
    ok = not unjudged or options.allow_unscanned
    return Step("source", ok, summary, report)


def check(
    path: str | os.PathLike[str] | Resolved,
    options: CheckOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> CheckResult:
    """Run every applicable gate step on a model (any name ``airlock.sources`` resolves) and
    return the verdict with its reports."""
    from airlock.sources import resolve

    options = options or CheckOptions()
    with resolve(path, walk=options.hashing.walk, download=options.download) as model:
        return _check(model, options, progress)


def _check(
    model: Resolved, options: CheckOptions, progress: Callable[[int], None] | None
) -> CheckResult:
    root = model.materialise(progress)
    if options.base is not None and model.staged is not None:
        from airlock.errors import UsageError

        raise UsageError("trojan analysis needs the weights: add --download")
    report: ScanReport | None = None
    if options.scan and model.staged is None:  # local bytes: one walk, one read per file
        manifest, report = hash_and_scan(root, options, progress)
    else:
        manifest = model.manifest(options.hashing, progress)
        if options.scan:  # staged and streamed remote bytes, checked against their digests
            from airlock.scan.engine import ScanOptions
            from airlock.sources.streaming import scan_staged

            assert model.staged is not None
            report = scan_staged(model.staged, ScanOptions(cache=options.cache))
    changed = [o.location for o in (report.objects if report else []) if o.reason == _CHANGED]
    summary = (
        f"{len(manifest.files)} files, {manifest.total_size:,} bytes, "
        f"root sha256:{manifest.root_digest}"
    )
    if changed:
        summary += f"; {len(changed)} file(s) changed while being read: {', '.join(changed[:3])}"
    steps = [Step("hash", not changed, summary, manifest.to_json())]
    source = _source_step(model, options)
    if source is not None:
        steps.append(source)
    with ExitStack() as stack:
        base = None
        if options.base is not None:
            base, local = _resolve_base(options.base, options, stack)
            options = dataclasses.replace(options, base=local)
        for fn in _STEPS:
            if fn is None:
                step = None if report is None else _scan_step(report, options)
                if step is not None:
                    steps.append(step)
                step = _adapter_step(root, report, base, options.policy, manifest)
            else:
                step = fn(root, manifest, options)
            if step is not None:
                steps.append(step)
    policy = options.policy.record() if options.policy is not None else None
    result = CheckResult(model.label, manifest.root_digest, steps)
    if policy is not None:
        result.policy = policy
    return result


_CHANGED = "file changed while it was being hashed and scanned"


def _resolve_base(
    name: Path | str, options: CheckOptions, stack: ExitStack
) -> tuple[BaseModel, Path]:
    """The base as a local folder (a remote one downloaded whole: its weights are read) and
    its root digest, so that the report names exactly which base the model was judged on."""
    from airlock.sources import resolve

    resolved = stack.enter_context(resolve(name, download=True))
    local = resolved.materialise(None)
    manifest = resolved.manifest(options.hashing)
    return BaseModel(resolved.label, resolved.name.repo_id, manifest.root_digest), local


def hash_and_scan(
    root: Path, options: CheckOptions, progress: Callable[[int], None] | None = None
) -> tuple[Manifest, ScanReport]:
    """One walk (the OMS rules of the hash) and one read per file: each file is opened once,
    digested and scanned from the same mapping, and checked for changes at the end, so the root
    digest the gate reports names exactly the bytes it judged (no swap between hash and scan).
    The digest cache is not consulted: a cached digest names bytes this run did not read."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from airlock.errors import InputError
    from airlock.provenance.hashing import model_name
    from airlock.provenance.manifest import FileDigest, sorted_files
    from airlock.provenance.walk import walk_model
    from airlock.scan.engine import (
        ReadOnce,
        ScanOptions,
        add_folder_findings,
        read_once,
        settle_data_files,
        settle_siblings,
    )

    t0 = time.perf_counter()
    walk = options.hashing.walk
    entries, ignores = walk_model(root, walk)
    scan_options = ScanOptions(cache=options.cache)

    def one(i: int) -> ReadOnce:
        e = entries[i]
        display = str(root) if e.name == "." else str(root / e.name)
        done = read_once(
            e.path,
            display,
            scan_options,
            options.hashing.algorithm,
            follow_symlinks=walk.follow_symlinks,
        )
        if done.digest is None and not done.changed:
            why = done.result.objects[0].reason if done.result.objects else "cannot read"
            raise InputError(f"{e.path}: {why}")
        if progress:
            progress(done.size)
        return done

    order = sorted(range(len(entries)), key=lambda i: -entries[i].size)
    workers = max(1, min(options.hashing.workers or 4, len(entries)))
    if workers == 1:
        done = {i: one(i) for i in order}
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="airlock-check") as pool:
            done = dict(zip(order, pool.map(one, order), strict=True))
    files = [
        FileDigest(e.name, done[i].size, done[i].digest or "0" * 64) for i, e in enumerate(entries)
    ]
    manifest = Manifest(
        files=sorted_files(files),
        algorithm=options.hashing.algorithm,
        ignore_paths=ignores,
        allow_symlinks=walk.follow_symlinks,
        name=model_name(root),
    )
    settle_data_files([(e.path, done[i].result) for i, e in enumerate(entries)])
    settle_siblings([(e.path, done[i].result) for i, e in enumerate(entries)])
    report = ScanReport([str(root)], workers=workers, mode="threads")
    for i in range(len(entries)):
        report.objects += done[i].result.objects
        report.findings += done[i].result.findings
    add_folder_findings(report, [(e.path, str(root / e.name)) for e in entries])
    report.seconds = time.perf_counter() - t0
    return manifest, report


# ``None`` marks where the scan step runs (it needs the report of the one read).
_STEPS: list[StepFn | None] = [
    _provenance_step,
    _signature_step,
    None,
    _registry_step,
    _trojan_step,
]
