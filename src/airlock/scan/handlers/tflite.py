"""TensorFlow Lite models (``.tflite``): builtin operators are kernels of the interpreter and read
the model's buffers as data. Custom operators need a kernel the application registers (native
code demanded by the model, rated like ONNX custom domains) unless it is one of the stock
resolver's own custom kernels whose options and tensor shapes are proven (``tflite_stock``);
Flex ops run TensorFlow kernels through the select-ops delegate, so the TensorFlow ops that
touch files, the network or Python are rated as they are in a SavedModel."""

from __future__ import annotations

import os
from pathlib import Path

from airlock.formats.source import FormatProblem
from airlock.formats.tflite import (
    CUSTOM,
    STOCK_CUSTOM,
    TfliteModel,
    looks_like_tflite,
    read_tflite,
)
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule, short
from airlock.scan.handlers.common import location_escapes
from airlock.scan.interface import (
    ScanContext,
    ScanOutcome,
    Source,
    Unparseable,
    note_folder_read,
)
from airlock.scan.tf_ops import CHECKPOINT_OPS, IO_OPS, PYTHON_OPS
from airlock.scan.tflite_run import run_bytes
from airlock.scan.tflite_stock import Budget, judge, producers

TFLITE_REF = "https://ai.google.dev/edge/litert/models/ops_custom"

UNPARSEABLE = Rule(
    "AIR-TFL-000",
    Severity.HIGH,
    "TensorFlow Lite model cannot be parsed",
    "A flatbuffer with the TFL3 identifier whose tables, vectors or indices do not hold cannot"
    " be judged; the interpreter may still load it.",
    TFLITE_REF,
    blocks=True,
)
CUSTOM_OP = Rule(
    "AIR-TFL-001",
    Severity.HIGH,
    "TensorFlow Lite model uses a custom operator",
    "A custom operator runs a kernel the application registers for that name: native code that"
    " ships with, or is demanded by, the model.",
    TFLITE_REF,
)
FLEX_OP = Rule(
    "AIR-TFL-002",
    Severity.HIGH,
    "TensorFlow Lite model runs TensorFlow ops that reach the host (Flex)",
    "Flex ops run full TensorFlow kernels through the select-ops delegate; ops that read or"
    " write files, use the network or call back into Python act on the host when the model runs.",
    "https://ai.google.dev/edge/litert/models/ops_select",
)
RUN_COST = Rule(
    "AIR-TFL-003",
    Severity.HIGH,
    "TensorFlow Lite model makes outsized tensors when it runs",
    "The interpreter sizes each operator's output in Prepare, from its inputs' shapes and, for"
    " FILL, BROADCAST_TO, TILE, PAD, RESIZE and the like, their values, and touches that memory"
    " at invoke: a FILL to a constant [2^29] declared [1] took 2 GiB at the first invoke."
    " Sizes the scan cannot follow fail closed.",
    "https://ai.google.dev/edge/litert/models/ops_compatibility",
    blocks=True,
)
EXTERNAL_ESCAPE = Rule(
    "AIR-TFL-004",
    Severity.CRITICAL,
    "TensorFlow Lite external weights come from outside the model directory",
    "An external buffer group names the file LiteRT's CompiledModel reads weights from, joined"
    " to the model's folder: an absolute name, '..' or a symlink that leaves the folder reads"
    " any file the process can (rt27fmt: /tmp bytes became the model's weights).",
    "https://github.com/google-ai-edge/LiteRT (schema.fbs ExternalBufferGroup)",
)
EXTERNAL_RANGE = Rule(
    "AIR-TFL-005",
    Severity.HIGH,
    "TensorFlow Lite external weights are missing or out of range",
    "An external buffer whose group or file is missing, whose bytes lie past the file's end, or"
    " whose file cannot be looked at (an archive member, bytes without a folder) reads what was"
    " not reviewed: CompiledModel.from_buffer opens the name relative to the working directory"
    " (review27: a group naming a file absent from the model folder was allowed, and the"
    " working directory's file of that name became the weights).",
    "https://github.com/google-ai-edge/LiteRT (schema.fbs ExternalBuffer)",
)
MAX_FINDINGS = 50
RUN_FLOOR = 896 << 20  # as ONNX's run walk (AIR-ONNX-009)
RUN_RATIO = 16


class TfliteHandler:
    """``TFL3`` flatbuffers."""

    name = "tflite"

    def sniff(self, src: Source) -> bool:
        return looks_like_tflite(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            model = read_tflite(src.view(), all_shapes=True)
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        findings: list[Finding] = []
        cost = _run_cost(model, src.size)
        if cost is not None:
            findings.append(RUN_COST.finding(ctx.location, cost, member=ctx.member))
        flex: list[str] = []
        stock: list[str] = []
        made = producers(model.stock_nodes)
        budget = Budget()  # the stock nodes' work, added over the whole model
        for i, op in enumerate(model.opcodes):
            if op.builtin != CUSTOM:
                continue
            name = op.custom or ""
            if name.startswith("Flex"):
                flex.append(name[4:])
                tf_op = name[4:]
                finding = _judge_tf_op(tf_op, f"operator code {i}", ctx)
                if finding is not None:
                    findings.append(finding)
            elif name in STOCK_CUSTOM and op.version == 1:
                nodes = (n for n in model.stock_nodes if n.opcode == i)
                problem = next(filter(None, (judge(n, made, budget) for n in nodes)), "")
                if problem:
                    ev = f"operator code {i}: stock custom operator {name!r} not proven: {problem}"
                    findings.append(CUSTOM_OP.finding(ctx.location, ev, member=ctx.member))
                else:
                    stock.append(name)
            else:
                ev = f"operator code {i}: custom operator {name!r} (version {op.version})"
                findings.append(CUSTOM_OP.finding(ctx.location, ev, member=ctx.member))
        findings.extend(_flex_findings(model, ctx))
        data_files = _external_findings(model, src, ctx, findings)
        notes = [
            f"TFLite schema {model.version}: {model.subgraphs} subgraph(s), {model.operators}"
            f" operators, {len(model.opcodes)} operator codes, {model.tensors} tensors,"
            f" {model.buffers} buffers ({model.buffer_bytes} bytes)"
        ]
        if flex:
            notes.append(f"Flex (TensorFlow) ops: {', '.join(sorted(set(flex))[:20])}")
        if stock:
            notes.append(f"stock custom ops, options and shapes proven: {', '.join(stock)}")
        if model.metadata:
            notes.append(f"metadata: {', '.join(model.metadata[:10])}")
        if model.external:
            notes.append(f"{len(model.external)} external buffers in {len(data_files)} file(s)")
        return ScanOutcome(
            format=self.name, findings=findings[:MAX_FINDINGS], notes=notes, data_files=data_files
        )


def _external_findings(
    model: TfliteModel, src: Source, ctx: ScanContext, findings: list[Finding]
) -> list[Path]:
    """rt27fmt: external buffer groups name files the runtime reads weights from (relative to
    the model's folder, as ONNX external data): a name that leaves the folder is
    AIR-TFL-004; a missing group or file, a range past the file's end, or a file that cannot be
    looked at (the model is no file on disk), AIR-TFL-005 (high: from_buffer reads the name
    relative to the working directory). The
    files that hold every range are handed to the engine as raw data."""
    member = ctx.member
    escapes = False
    for name in dict.fromkeys(model.external_groups):  # entries may repeat one name
        why = location_escapes(name)
        if why is not None and why != "empty location":
            escapes = True
            ev = f"external buffer group {short(name)} ({why})"
            _add(findings, EXTERNAL_ESCAPE, ctx, ev)
    if escapes:
        return []
    fs_path = ctx.fs_path or src.path
    located: dict[str, tuple[Path, int] | str] = {}
    good: dict[Path, bool] = {}
    for buf in model.external:
        label = f"external buffer {buf.id}"
        if not buf.group:
            ev = f"{label}: its group has no file name" if buf.group == "" else f"{label}: no group"
            _add(findings, EXTERNAL_RANGE, ctx, ev)
            continue
        if fs_path is None or member is not None:
            ev = f"{label}: {short(buf.group)} cannot be looked at (not a file on disk)"
            _add(findings, EXTERNAL_RANGE, ctx, ev)
            continue
        if buf.group not in located:
            located[buf.group] = _locate(fs_path.parent, buf.group)
        found = located[buf.group]
        if isinstance(found, str):
            rule = EXTERNAL_ESCAPE if found.startswith(("resolves", "cannot")) else EXTERNAL_RANGE
            ev = f"{label}: {short(buf.group)} {found}"
            _add(findings, rule, ctx, ev)
            continue
        path, size = found
        ok = buf.offset + buf.length <= size
        good[path] = good.get(path, True) and ok
        if not ok:
            end = buf.offset + buf.length
            ev = f"{label}: bytes {buf.offset}..{end} of {short(buf.group)} ({size} bytes)"
            _add(findings, EXTERNAL_RANGE, ctx, ev)
    return [p for p, ok in good.items() if ok]


def _add(findings: list[Finding], rule: Rule, ctx: ScanContext, ev: str) -> None:
    """Add a finding while under MAX_FINDINGS (the rest are cut anyway; a small file can hold
    a million buffer entries, review27)."""
    if len(findings) < MAX_FINDINGS:
        findings.append(rule.finding(ctx.location, ev, member=ctx.member))


def _locate(base: Path, name: str) -> tuple[Path, int] | str:
    """(resolved path, size) of an external weights file, or why it cannot be used."""
    note_folder_read()
    try:
        resolved = (base / name).resolve()
        root = base.resolve()
    except (OSError, RuntimeError) as exc:  # symlink loops
        return f"cannot be resolved ({exc})"
    if not resolved.is_relative_to(root):
        return f"resolves to {resolved} (leaves {root})"
    try:
        return resolved, os.stat(resolved).st_size
    except OSError:
        return "not found"


def _run_cost(model: TfliteModel, stored: int) -> str | None:
    """gate24: why a run's tensors are too large (``tflite_run``), or None."""
    cap = max(RUN_FLOOR, RUN_RATIO * stored)
    total, worst, why = run_bytes(model.graphs, cap)
    if why is not None:
        return f"at run time, {why}"
    if total > cap:
        return f"a run makes more than {cap:,} bytes of tensors (the largest: {worst})"
    return None


# Session 18 (rt19ts): the V2 checkpoint ops were judged only by the SavedModel saver proof
# (``tf_saver``), so ``FlexRestoreV2`` / ``FlexMergeV2Checkpoints`` (which the TF 2.21 converter
# emits as select-TF ops) were allowed; a TFLite model has no saver: any path they are given is
# a file read, written or deleted when the model runs
_CHECKPOINT_WHAT = "reads, writes or deletes checkpoint files at the path it is given"


def _judge_tf_op(tf_op: str, where: str, ctx: ScanContext) -> Finding | None:
    if tf_op not in PYTHON_OPS and tf_op not in IO_OPS and tf_op not in CHECKPOINT_OPS:
        return None
    sev = Severity.CRITICAL if tf_op in PYTHON_OPS else Severity.HIGH
    # no MEDIUM_OPS here: a TFLite model has no assets the interpreter would feed, so a
    # vocabulary-file table reads a path the model names (rt15tf)
    what = "calls back into Python" if tf_op in PYTHON_OPS else IO_OPS.get(tf_op, _CHECKPOINT_WHAT)
    ev = f"{where}: Flex op {tf_op!r} ({what})"
    return FLEX_OP.finding(ctx.location, ev, member=ctx.member, severity=sev)


def _flex_findings(model: TfliteModel, ctx: ScanContext) -> list[Finding]:
    """The op each Flex operator really runs (the flexbuffer's name, not ``custom_code``): a
    file/Python op there, a name that differs from the operator code or the NodeDef, or options
    the scanner cannot read as the delegate does, are findings (session 15: ``FlexIdentity``
    whose options name ``ReadFile`` was allowed)."""
    out: list[Finding] = []
    seen: set[tuple[int, str, str, str]] = set()
    for node in model.flex_nodes:
        key = (node.opcode, node.name, node.nodedef_op, node.problem)
        if key in seen:
            continue
        seen.add(key)
        code = (model.opcodes[node.opcode].custom or "")[4:]
        where = f"operator code {node.opcode} ({'Flex' + code!r})"
        if node.problem:
            ev = f"{where}: custom_options unreadable as the delegate reads them: {node.problem}"
            out.append(FLEX_OP.finding(ctx.location, ev, member=ctx.member))
            continue
        for tf_op in {node.name, node.nodedef_op} - {code}:
            finding = _judge_tf_op(tf_op, where, ctx)
            if finding is not None:
                out.append(finding)
        if node.name != code or node.nodedef_op != node.name:
            ev = (
                f"{where}: the delegate runs {node.name!r} (NodeDef op {node.nodedef_op!r}),"
                " not the op its operator code names"
            )
            out.append(FLEX_OP.finding(ctx.location, ev, member=ctx.member))
    return out
