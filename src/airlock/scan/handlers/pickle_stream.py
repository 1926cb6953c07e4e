"""Raw pickle streams (protocols 0-5; cloudpickle and dill streams are plain pickles, joblib and
PyTorch ``data.pkl`` too). The analysis itself is ``airlock.scan.pickle_vm``."""

from __future__ import annotations

import math
from typing import Any

from airlock.formats import joblib
from airlock.formats.pickle_sniff import looks_like_pickle
from airlock.report import Finding, Severity
from airlock.scan.handlers.common import analyze, error_finding
from airlock.scan.interface import Child, ScanContext, ScanOutcome, Source

MAX_LISTED_GLOBALS = 100  # names in the pickle handler's 'imports:' note
# a torch.package global that resolves to the archive's own code is that, not an unknown
_UNKNOWN_GLOBAL = ("AIR-PKL-002", "AIR-PKL-008")


class PickleHandler:
    """Raw pickle streams."""

    name = "pickle"

    def sniff(self, src: Source) -> bool:
        return looks_like_pickle(src.view())

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        # The analyser bounds opcode bytes itself (limits.max_pickle_bytes) and skips the raw
        # storage/array bytes that follow legacy torch and joblib pickles, so a 1 GiB file whose
        # pickles are small is read completely; only a limit actually hit means "not scanned".
        data = src.view()
        is_joblib = joblib.is_joblib_pickle(data)
        analysis = analyze(data, ctx, joblib_mode=is_joblib)
        findings = list(analysis.findings)
        notes: list[str] = []
        if analysis.sparse_proven:
            notes.append(f"{analysis.sparse_proven} sparse tensor(s): indices proven in range")
        not_scanned = None
        if any(f.rule_id == "AIR-PKL-011" for f in findings):
            not_scanned = "pickle analysis stopped at a limit: only the start analysed"
        if ctx.read_as.torchscript:
            findings = [f for f in findings if not _torchscript_type(f)]
        if ctx.read_as.load_run and analysis.overlaps:
            findings.append(_overlap_finding(analysis.overlaps[0], ctx))
        if ctx.read_as.load_costs is not None and analysis.ts_builds:
            too_much = _load_cost_finding(analysis.ts_builds, ctx)
            if too_much is not None:
                findings.append(too_much)
        if ctx.read_as.load_calls is not None and analysis.ts_builds:
            too_many = _load_calls_finding(analysis.ts_builds, ctx)
            if too_many is not None:
                findings.append(too_many)
        if ctx.read_as.weight_norm:
            findings += _weight_norm_findings(analysis.ts_states, ctx)
        if ctx.read_as.package is not None:
            findings = _package_globals(findings, analysis.callables, ctx)
        findings += error_finding(analysis, ctx)
        children = [Child.of(name, blob) for name, blob in analysis.nested]
        notes.insert(0, f"{analysis.pickles} pickle stream(s), {len(analysis.callables)} callables")
        if analysis.callables:  # what loading it imports (scan -v, JSON notes)
            more = len(analysis.callables) - MAX_LISTED_GLOBALS
            names = [n[:200] for n in analysis.callables[:MAX_LISTED_GLOBALS]]
            notes.append("imports: " + ", ".join(names)
                         + (f" (+{more} more left out)" if more > 0 else ""))  # fmt: skip
        return ScanOutcome(
            format="joblib" if is_joblib else "pickle",
            findings=findings,
            children=children,
            not_scanned=not_scanned,
            notes=notes,
            loads=analysis.loads,
        )


def _overlap_finding(t: Any, ctx: ScanContext) -> Finding:
    """A tensor view with more elements than its storage, in an archive whose load-run code
    may copy it: ``torch.clone(state[0])`` of a 4-byte storage expanded to 2^28 elements took
    1.2 GiB in torch.jit.load (review16b); every "same size" op of the allowlist assumes the
    input's bytes are already there."""
    from airlock.scan import engine_rules as R

    ev = (
        f"tensor of size {list(t.size)[:8]} stride {list(t.stride)[:8]} over storage "
        f"{t.key!r} of {t.numel} element(s), copied by code run at load"
    )[:300]
    return R.TORCHSCRIPT_LOAD_UNBOUNDED.finding(ctx.location, ev, member=ctx.member)


def _load_cost_finding(builds: list[tuple[str, int]], ctx: ScanContext) -> Finding | None:
    """What every object's load code may copy, summed over the objects data.pkl rebuilds
    (``airlock.scan.load_cost``), beyond a floor plus twice the archive's size."""
    from airlock.scan import engine_rules as R
    from airlock.scan import load_cost as lc

    costs = ctx.read_as.load_costs or {}
    archive = max(ctx.read_as.archive_bytes, 0)
    budget = lc.FLOOR_BYTES + 2 * archive
    total = 0.0
    worst = ("", 0.0, 0)
    for name, size in builds:
        cost = (lc.TORCHBIND_FACTOR, False) if lc.torchbind(name) else costs.get(name)
        if cost is None:  # a class the code does not define under that name: the largest
            cost = costs.get("", (0.0, False))
        factor, constants = cost
        if not factor:
            continue
        # CONSTANTS: constants.pkl's tensors, at most the archive, copied by each object
        held = archive if size == lc.ANY or not name else size + (archive if constants else 0)
        total += factor * held
        if factor * held > worst[1]:
            worst = (name, factor * held, held)
        if total > budget:
            break
    if total <= budget:
        return None
    ev = (
        f"{len(builds)} object(s) rebuilt at load run load code that may allocate at least "
        f"{'without bound' if total == float('inf') else f'{total:,.0f} bytes'} "
        f"(more than {budget >> 20:,} MiB for a {archive:,}-byte archive); e.g. {worst[0] or '?'} "
        f"copying a {worst[2]:,}-byte state"
    )[:300]
    return R.TORCHSCRIPT_LOAD_UNBOUNDED.finding(ctx.location, ev, member=ctx.member)


def _load_calls_finding(builds: list[tuple[str, int]], ctx: ScanContext) -> Finding | None:
    """Calls every object's ``__setstate__`` makes (``torchscript_load.setstate_calls``),
    summed over the objects data.pkl rebuilds (session 18, fixtscall: a per-object bound times
    200,000 small objects of one class is minutes inside torch.jit.load)."""
    from airlock.scan import engine_rules as R
    from airlock.scan import load_cost as lc
    from airlock.scan.torchscript_load import MAX_ARCHIVE_LOAD_CALLS

    calls = ctx.read_as.load_calls or {}
    largest = calls.get("", 0.0)
    total = 0.0
    worst = ("", 0.0)
    for name, size in builds:
        if lc.torchbind(name):
            n = 1.0  # a C++ __setstate__ (prepack): one call
        elif not name and size == lc.ANY:
            n = math.inf if largest else 0.0  # more objects than recorded
        else:
            n = calls.get(name, largest)
        total += n
        if n > worst[1]:
            worst = (name, n)
        if total > MAX_ARCHIVE_LOAD_CALLS:
            break
    if total <= MAX_ARCHIVE_LOAD_CALLS:
        return None
    many = "without bound" if total == math.inf else f"at least {total:,.0f} calls"
    ev = (
        f"{len(builds)} object(s) rebuilt at load run __setstate__ code making {many} (more "
        f"than {MAX_ARCHIVE_LOAD_CALLS:,}); e.g. {worst[0] or '?'}: {worst[1]:,.0f} per object"
    )[:300]
    return R.TORCHSCRIPT_LOAD_UNBOUNDED.finding(ctx.location, ev, member=ctx.member)


def _weight_norm_findings(states: list[tuple[str, Any]], ctx: ScanContext) -> list[Finding]:
    """Weight-norm calls of the archive's code whose ``g`` does not fit ``v`` in some object
    data.pkl rebuilds (``airlock.scan.weight_norm``)."""
    from airlock.scan import engine_rules as R
    from airlock.scan import weight_norm

    return [
        R.TORCHSCRIPT_UNLISTED.finding(
            ctx.location, f"torch._weight_norm in {why}; {weight_norm.WHY}"[:400], member=ctx.member
        )
        for why in weight_norm.problems(list(ctx.read_as.weight_norm), states)
    ]


def _package_globals(
    findings: list[Finding], callables: list[str], ctx: ScanContext
) -> list[Finding]:
    """A torch.package pickle: a global whose module the archive ships (not extern) imports
    and runs the archive's own code (``airlock.scan.torch_package``); said so plainly, in place
    of 'not on the allowlist'; critical when that module passes for a standard-library, torch
    or allowlisted one (the pickle's global reads as safe)."""
    from airlock.scan.torch_package import IMPORTER_MODULE, OWN_CODE

    layout = ctx.read_as.package
    assert layout is not None
    own = {name: hit for name in callables if (hit := layout.own_module(name)) is not None}
    if not own:
        return findings
    out = [
        f for f in findings if not (f.rule_id in _UNKNOWN_GLOBAL and f.extra.get("callable") in own)
    ]
    for name, (module, record) in own.items():
        posing = layout.shadowed(module, name)
        evidence = (
            f"GLOBAL {name}: module {module!r} is the archive's own {record}, which"
            " PackageImporter.load_pickle runs"
        )
        if posing:
            evidence += f" in place of the {posing} of that name"
        if module == IMPORTER_MODULE:
            evidence = f"GLOBAL {name}: the PackageImporter itself, whose import_module runs any"
            evidence += " module the archive ships"
        severity = Severity.CRITICAL if posing else Severity.HIGH
        out.append(OWN_CODE.finding(ctx.location, evidence[:400], member=ctx.member,
                                    severity=severity))  # fmt: skip
    return out


def _torchscript_type(f: Finding) -> bool:
    """TorchScript's own class references (``__torch__.*``) resolve to code in the archive, which
    is checked separately; they are not Python imports. (Its ``torch.jit._pickle`` helpers are
    allowlisted by exact name; any other path under that module is a Python attribute walk:
    ``torch.jit._pickle.__loader__.set_data`` wrote a file when ``torch.load`` read an archive
    Airlock took for TorchScript but torch did not, having no ``constants.pkl``, red team rt13.)"""
    name = str(f.extra.get("callable") or f.extra.get("subject") or f.evidence or "")
    from airlock.scan.allowlist import native_torchbind

    # a TorchBind class of a native library is no class of the archive's code (rt19ts)
    return name.startswith("__torch__.") and not native_torchbind(name)
