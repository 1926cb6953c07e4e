"""Scan handler for ONNX models: external data that escapes the model directory, operators that
need a native custom-op library, and declared shapes that make runtimes allocate absurd memory."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from airlock.formats.onnx import (
    MAX_EP_CONTEXT_PATH,
    WIDEST_BITS,
    NodeRef,
    OnnxModel,
    TensorRef,
    looks_like_onnx,
    packed_bytes,
    read_onnx,
)
from airlock.formats.protobuf_wire import ProtobufError
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule, short
from airlock.scan.handlers.common import location_escapes
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.onnx_fold import folded_bytes, outsized_rank, string_text, unsorted
from airlock.scan.onnx_run import run_bytes

ONNX_REF = "https://onnx.ai/onnx/repo-docs/ExternalData.html"
TRAVERSAL_REF = "CVE-2022-25882, CVE-2024-27318 (onnx external data path traversal); " + ONNX_REF

UNPARSEABLE = Rule(
    "AIR-ONNX-000",
    Severity.HIGH,
    "ONNX model cannot be parsed",
    "A ModelProto the scanner cannot follow cannot be judged; runtimes may still load it.",
    blocks=True,
)
EXTERNAL_ESCAPE = Rule(
    "AIR-ONNX-001",
    Severity.CRITICAL,
    "ONNX external data points outside the model directory",
    "Absolute or '..' locations (or symlinks) make the runtime read any file the process can"
    " (keys, /etc/passwd...) into a tensor that the model can then return to the caller.",
    TRAVERSAL_REF,
)
EXTERNAL_MISSING = Rule(
    "AIR-ONNX-002",
    Severity.LOW,
    "ONNX external data file is missing",
    "The model refers to an external tensor file that is not next to it; loading fails or picks"
    " up whatever file appears there later.",
    ONNX_REF,
)
CUSTOM_DOMAIN = Rule(
    "AIR-ONNX-003",
    Severity.HIGH,
    "ONNX model uses a custom operator domain",
    "Operators outside the standard domains need a custom-op shared library registered with the"
    " runtime: native code that ships with, or is demanded by, the model.",
    "https://onnxruntime.ai/docs/reference/operators/add-custom-op.html",
)
OVERSIZED = Rule(
    "AIR-ONNX-004",
    Severity.MEDIUM,
    "ONNX model declares oversized or inconsistent shapes",
    "Negative, overflowing or enormous dimensions, or byte counts that disagree with the shape,"
    " make runtimes over-allocate or read out of bounds (denial of service, crashes).",
    ONNX_REF,
)
EXTERNAL_RANGE = Rule(
    "AIR-ONNX-005",
    Severity.MEDIUM,
    "ONNX external data range is invalid",
    "An offset/length beyond the external file, or a missing location, is rejected by careful"
    " runtimes and mis-read by careless ones.",
    ONNX_REF,
)
EP_CONTEXT = Rule(
    "AIR-ONNX-006",
    Severity.MEDIUM,
    "ONNX model carries a precompiled execution-provider context (EPContext)",
    "An EPContext node hands a compiled blob (embedded, or a file next to the model) to a"
    " hardware execution provider (QNN, OpenVINO, TensorRT, VitisAI...); the scanner cannot"
    " judge that binary, only where it is read from.",
    "https://onnxruntime.ai/docs/execution-providers/EP-Context-Design.html",
)
ORT_CONFIG = Rule(
    "AIR-ONNX-007",
    Severity.MEDIUM,
    "ONNX model metadata carries onnxruntime session options (ort_config)",
    "With ORT_LOAD_CONFIG_FROM_MODEL=1 onnxruntime applies session options from the model's"
    " metadata: thread counts, optimisation level, and profiling, which writes a trace file into"
    " the loader's working directory.",
    "https://onnxruntime.ai/docs/api/python/api_summary.html",
)
FUNCTION_EXPANSION = Rule(
    "AIR-ONNX-008",
    Severity.HIGH,
    "ONNX model-local functions expand into an outsized graph",
    "Runtimes inline every call of a model-local function at session creation; functions that"
    " call each other several times (or recursively) multiply a few stored nodes into millions:"
    " a few KB hang onnxruntime's InferenceSession for hours.",
    "https://onnx.ai/onnx/repo-docs/IR.html#functions",
)
SPARSE_DENSIFY = Rule(
    "AIR-ONNX-009",
    Severity.HIGH,
    "ONNX model builds outsized tensors at session creation",
    "onnxruntime turns every sparse initializer and sparse Constant into a dense tensor, and"
    " folds nodes over constants (ConstantOfShape, Expand, Tile, Range...), when it builds the"
    " session: an 80-byte file whose sparse tensor declares 2^29 floats made InferenceSession"
    " allocate 4 GiB, a 400-byte one with 3 ConstantOfShape 3 GiB, before any input. Runs are"
    " followed too, from the smallest declared inputs: a 306-byte Loop doubling a [1] input 28"
    " times took 2.2 GB at the first run.",
    "https://onnx.ai/onnx/repo-docs/IR.html#sparse-tensors",
    blocks=True,
)

PYTHON_OP = Rule(
    "AIR-ONNX-010",
    Severity.CRITICAL,
    "ONNX model asks the runtime to run Python",
    "com.microsoft PythonOp / PythonOpGrad make onnxruntime builds with torch interop (the"
    " training builds) import and call the Python function the node names (func_name);"
    " onnxruntime-extensions' PyOp calls a Python function registered under the node's name."
    " Either runs code chosen by the model's author in the loading process.",
    "https://github.com/microsoft/onnxruntime/blob/main/orttraining/orttraining/core/"
    "framework/torch/custom_function_register.h",
)

STANDARD_DOMAINS = frozenset(
    {
        "", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training",
        "com.microsoft", "com.microsoft.nchwc", "com.microsoft.experimental",
        "com.ms.internal.nhwc",
    }
)  # fmt: skip
MAX_ELEMENTS = 1 << 40  # ~1 T elements: no real tensor comes close
MAX_DIM = 1 << 32
MAX_FINDINGS_PER_RULE = 50
# Inlining work allowed: each node of a function's expansion costs one copy per nesting level
# it is inlined through. onnxruntime 1.2x spends ~0.2 ms per node copy at session creation
# (60,000 nodes inlined one level deep: 14 s; 16,384 nodes through 14 levels: 23 s, one level
# more: minutes);
# an honest model that keeps its blocks as local functions (one per block, called once per
# layer, a few levels deep) costs tens of thousands of copies, a few dozen times what it stores.
MAX_INLINE_COST = 200_000
MAX_INLINE_RATIO = 64
# dense bytes all sparse tensors may make at session creation: a floor, or this many times the
# bytes the model carries (an honest sparse weight stores a value and an index per non-zero)
SPARSE_FLOOR = 1 << 30
SPARSE_RATIO = 16
# rt22onnx: bytes a run may make from the smallest declared inputs. Lower than the folding
# floor: the process around the tensor (onnxruntime, Python, numpy: ~55-120 MiB) adds to it, so
# one Upsample of a [1, 1, 1, 1] input to 16,383^2 floats (1,023.9 MiB) peaked at 1,142 MiB
RUN_FLOOR = 896 << 20


class OnnxHandler:
    """ONNX ModelProto files (.onnx)."""

    name = "onnx"

    def sniff(self, src: Source) -> bool:
        return looks_like_onnx(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            model = read_onnx(src.view())
        except ProtobufError as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        fs_path = ctx.fs_path or src.path
        files = _ExternalFiles()
        findings = _judge(model, ctx, fs_path, files)
        with string_text(model.longest_string):
            dense = _sparse_densify(model, src.size + sum(_size(p) for p in files.read))
        if dense is not None:
            findings.append(SPARSE_DENSIFY.finding(ctx.location, dense, member=ctx.member))
        counts: dict[str, int] = {}
        kept: list[Finding] = []
        for f in findings:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
            if counts[f.rule_id] <= MAX_FINDINGS_PER_RULE:
                kept.append(f)
        for f in list(kept):  # a cut list says how much was cut
            n = counts.get(f.rule_id, 0) - MAX_FINDINGS_PER_RULE
            if n > 0:
                counts[f.rule_id] = 0
                more = f"{n} more {f.rule_id} findings left out (limit {MAX_FINDINGS_PER_RULE})"
                kept.append(f._replace(evidence=more, offset=None, extra={}))
        notes = [
            f"ONNX ir_version {model.ir_version}, producer {model.producer!r}, "
            f"{len(model.nodes)} nodes, {len(model.tensors)} tensors"
        ]
        return ScanOutcome(format="onnx", findings=kept, notes=notes, data_files=list(files.read))


def _judge(
    model: OnnxModel, ctx: ScanContext, fs_path: Path | None, files: _ExternalFiles
) -> list[Finding]:
    out: list[Finding] = []
    loc, member = ctx.location, ctx.member
    seen_domains: set[tuple[str, str]] = set()
    for node in model.nodes:
        if node.domain in STANDARD_DOMAINS or (node.domain, node.op_type) in model.functions:
            continue
        key = (node.domain, node.op_type)
        if key not in seen_domains:
            seen_domains.add(key)
            ev = f"operator {node.op_type!r} in domain {node.domain!r} ({node.where})"
            out.append(CUSTOM_DOMAIN.finding(loc, ev, member=member))
    for node in model.python_ops:
        ev = f"operator {node.op_type!r} in domain {node.domain!r} ({node.where})"
        out.append(PYTHON_OP.finding(loc, ev, member=member))
    for node in model.nodes:
        if node.ep_context is not None:
            out.extend(_judge_ep_context(node, ctx, fs_path, files))
    expansion = _function_expansion(model)
    if expansion is not None:
        out.append(FUNCTION_EXPANSION.finding(loc, expansion, member=member))
    if "ort_config" in model.metadata:
        ev = f"metadata 'ort_config' = {short(model.metadata['ort_config'])}"
        out.append(ORT_CONFIG.finding(loc, ev, member=member))
    for t in model.tensors:
        out.extend(_judge_tensor(t, ctx, fs_path, files))
    for s in model.shapes:
        ints = [d for d in s.dims if isinstance(d, int)]
        bad = [d for d in ints if d < -1 or d > MAX_DIM]
        if bad or (ints and _product(ints) > MAX_ELEMENTS):
            ev = f"value {s.name!r} ({s.where}) declares shape {short(list(s.dims))}"
            out.append(OVERSIZED.finding(loc, ev, member=member))
    return out


def _function_expansion(model: OnnxModel) -> str | None:
    """Why inlining the model-local functions blows the graph up, or None. A call of a local
    function costs the copies of its expansion one level up plus the copies made inside it;
    any other node costs one (memoised, iterative: a chain of thousands of functions is no
    deeper a recursion here than one; sums capped, so no number grows past the bound)."""
    stored = sum(sum(ops.values()) for ops in model.scope_ops.values())
    cap = max(MAX_INLINE_COST, MAX_INLINE_RATIO * stored)
    done: dict[tuple[str, str], tuple[int, int]] = {}  # function -> (inlined nodes, copies)

    def weigh(ops: dict[tuple[str, str], int]) -> tuple[int, int]:
        size = cost = 0
        for key, n in ops.items():
            sub_size, sub_cost = done.get(key, (1, 0))
            size = min(size + n * sub_size, cap + 1)
            cost = min(cost + n * (sub_size + sub_cost), cap + 1)
        return size, cost

    for start in sorted(model.functions):
        if start in done:
            continue
        stack = [(start, iter(model.scope_ops.get(start, {})))]
        on_path = {start}
        while stack:
            fn, callees = stack[-1]
            nxt = next((k for k in callees if k in model.functions and k not in done), None)
            if nxt is not None:
                if nxt in on_path:
                    return f"function {nxt[0]}.{nxt[1]} calls itself (through {fn[0]}.{fn[1]})"
                stack.append((nxt, iter(model.scope_ops.get(nxt, {}))))
                on_path.add(nxt)
                continue
            done[fn] = weigh(model.scope_ops.get(fn, {}))
            stack.pop()
            on_path.discard(fn)
    size, cost = weigh(model.scope_ops.get(None, {}))
    if cost > cap:
        return (
            f"{len(model.functions)} model-local functions: inlining them copies nodes more"
            f" than {cap:,} times (>= {size:,} nodes from {stored:,} stored)"
        )
    return None


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _inline_calls(model: OnnxModel, cap: int) -> dict[tuple[str, str] | None, int]:
    """How many copies of each scope the loaded graph holds once every call of a model-local
    function is inlined (None, the graphs outside functions: one). Capped at ``cap``; a function
    on a call cycle counts ``cap`` (AIR-ONNX-008 reports the cycle)."""
    calls: dict[tuple[str, str] | None, int] = {f: 0 for f in model.functions}
    calls[None] = 1
    edges = {
        s: {k: n for k, n in ops.items() if k in model.functions}
        for s, ops in model.scope_ops.items()
        if s is None or s in model.functions
    }
    waiting = dict.fromkeys(model.functions, 0)
    for callees in edges.values():
        for k in callees:
            waiting[k] += 1
    ready: list[tuple[str, str] | None] = [None, *(f for f, n in waiting.items() if n == 0)]
    while ready:
        s = ready.pop()
        for k, n in edges.get(s, {}).items():
            calls[k] = min(calls[k] + calls[s] * n, cap)
            waiting[k] -= 1
            if waiting[k] == 0:
                ready.append(k)
    for f, n in waiting.items():
        if n > 0:
            calls[f] = cap
    return calls


def _sparse_densify(model: OnnxModel, stored: int) -> str | None:
    """Why the tensors onnxruntime makes at session creation (dense copies of the sparse
    tensors, constant folding) are too large, or None."""
    cap = max(SPARSE_FLOOR, SPARSE_RATIO * stored)
    calls = _inline_calls(model, cap + 1)
    order = unsorted(model.graphs)
    if order is not None:
        return f"nodes out of order: the graph cannot be followed as written ({order})"
    fold = folded_bytes(model.graphs, cap, calls)
    folded, largest = fold.total, fold.worst
    if folded > cap:
        return (
            f"constant folding (or a run over constants only) makes more than {cap:,} bytes"
            f" (the largest: {largest})"
        )
    # review21: judged whether or not the model has sparse tensors (one unused 4-element
    # sparse initializer used to skip both checks: the rt21fmt attacks were allowed again)
    ranked = outsized_rank(model.graphs)
    if ranked is not None:
        return f"shape inference makes a tensor of outsized rank ({ranked})"
    if fold.unjudged is not None:
        return (
            f"a node over constants makes a tensor whose size is not judged"
            f" ({fold.unjudged}): onnxruntime computes it at session creation or run"
        )
    # rt22onnx: what a run makes from the graph inputs' declared shapes (Expand / Tile / Pad
    # of an input to a constant shape, Loop-carried values that double from an input)
    run_cap = max(RUN_FLOOR, SPARSE_RATIO * stored)
    ran = run_bytes(model.graphs, run_cap)
    if ran.why is not None:
        return f"at run time, {ran.why}"
    if ran.total > run_cap:
        return (
            f"a run from the smallest declared inputs makes more than {run_cap:,} bytes (the"
            f" largest: {ran.worst})"
        )
    if not model.sparse:
        return None
    total, worst, worst_bytes = folded, model.sparse[0], -1
    for sp in model.sparse:
        n = min(_product(list(sp.dims)), cap + 1)
        dense = packed_bytes(sp.data_type, n)
        dense = n * WIDEST_BITS // 8 if dense is None else dense
        if any(d < 0 for d in sp.dims):
            dense = cap + 1
        if dense > worst_bytes:
            worst, worst_bytes = sp, dense
        total = min(total + dense * calls.get(sp.scope, cap + 1), cap + 1)
    if total <= cap:
        return None
    return (
        f"{len(model.sparse)} sparse tensors densify (and constant folding makes {folded:,}"
        f" bytes): more than {cap:,} bytes at session creation (the largest sparse tensor:"
        f" {short(list(worst.dims))} of type {worst.data_type} in {worst.where})"
    )


def _product(dims: list[int]) -> int:
    return math.prod(max(d, 0) for d in dims)


def _judge_ep_context(
    node: NodeRef, ctx: ScanContext, fs_path: Path | None, files: _ExternalFiles
) -> list[Finding]:
    """An EPContext node: its compiled blob is not judged (medium); a cache file it names must
    stay inside the model directory like external data (the providers join it to the model's
    folder; only some of them refuse absolute or '..' paths)."""
    ep = node.ep_context
    assert ep is not None
    loc, member = ctx.location, ctx.member
    label = f"EPContext node {node.name or node.op_type!r} ({node.where})"
    if ep.referenced:
        ev = f"{label}: ep_cache_context/embed_mode come from a function caller (ref_attr_name)"
        return [EXTERNAL_ESCAPE.finding(loc, ev, member=member)]
    if not ep.names_a_file:
        return [EP_CONTEXT.finding(loc, f"{label}: embedded context binary", member=member)]
    out: list[Finding] = []
    if ep.overlong:
        ev = f"{label}: ep_cache_context path longer than {MAX_EP_CONTEXT_PATH} bytes (not judged)"
        out.append(EXTERNAL_ESCAPE.finding(loc, ev, member=member))
    for path in ep.cache_contexts or [""]:
        why = location_escapes(path)
        if why is not None:
            ev = f"{label}: ep_cache_context {short(path)} ({why})"
            out.append(EXTERNAL_ESCAPE.finding(loc, ev, member=member))
            continue
        if fs_path is not None and member is None:
            if path not in files.located:
                files.located[path] = _locate(fs_path.parent, path)
            found = files.located[path]
            if isinstance(found[0], Rule):
                # a missing or odd cache file is reported, and so is the provider binary the
                # node expects: a file dropped in later would never be judged
                out.append(found[0].finding(loc, f"{label}: {found[1]}", member=member))
        ev = f"{label}: context binary in {short(path)}"
        out.append(EP_CONTEXT.finding(loc, ev, member=member))
    return out


def _judge_tensor(
    t: TensorRef, ctx: ScanContext, fs_path: Path | None, files: _ExternalFiles
) -> list[Finding]:
    out: list[Finding] = []
    loc, member = ctx.location, ctx.member
    label = f"tensor {t.name!r} ({t.where})"
    if any(d < 0 for d in t.dims) or _product(list(t.dims)) > MAX_ELEMENTS:
        out.append(OVERSIZED.finding(loc, f"{label} shape {short(list(t.dims))}", member=member))
        return out
    expected = packed_bytes(t.data_type, _product(list(t.dims)))
    if t.raw_len is not None and expected is not None and t.raw_len != expected:
        ev = f"{label}: shape {list(t.dims)} needs {expected} bytes, raw_data holds {t.raw_len}"
        out.append(OVERSIZED.finding(loc, ev, member=member))
    if t.external is None:
        return out
    location = t.external.get("location", "")
    why = location_escapes(location)
    if why == "empty location":
        out.append(EXTERNAL_RANGE.finding(loc, f"{label}: external data without a location"))
        return out
    if why is not None:
        ev = f"{label}: external data location {location!r} ({why})"
        out.append(EXTERNAL_ESCAPE.finding(loc, ev, member=member))
        return out
    if fs_path is None or member is not None:
        return out
    if location not in files.located:
        files.located[location] = _locate(fs_path.parent, location)
    found = files.located[location]
    if isinstance(found[0], Rule):
        out.append(found[0].finding(loc, f"{label}: {found[1]}", member=member))
        return out
    resolved, ext_size = found
    try:
        offset = int(t.external.get("offset", "0") or 0)
        length = int(t.external["length"]) if t.external.get("length") else None
    except ValueError:
        out.append(EXTERNAL_RANGE.finding(loc, f"{label}: offset/length are not integers"))
        return out
    end = offset + (length if length is not None else (expected or 0))
    if offset < 0 or (length is not None and length < 0) or end > ext_size:
        ev = f"{label}: bytes {offset}..{end} of {location!r} ({ext_size} bytes)"
        out.append(EXTERNAL_RANGE.finding(loc, ev))
    else:
        files.read.setdefault(resolved)
    return out


@dataclass
class _ExternalFiles:
    """External data files looked up once per location (a model names one file thousands of
    times), and those some tensor reads in range (``ScanOutcome.data_files``)."""

    located: dict[str, tuple[Path, int] | tuple[Rule, str]] = field(default_factory=dict)
    read: dict[Path, None] = field(default_factory=dict)


def _locate(base: Path, location: str) -> tuple[Path, int] | tuple[Rule, str]:
    """(resolved path, size) of an external data file, or (rule, why) when it leaves the model
    directory or is missing."""
    try:
        resolved = (base / location).resolve()
        root = base.resolve()
    except (OSError, RuntimeError) as exc:  # symlink loops
        return EXTERNAL_ESCAPE, f"external data {location!r} cannot be resolved ({exc})"
    if not resolved.is_relative_to(root):
        return EXTERNAL_ESCAPE, (
            f"external data {location!r} resolves to {resolved} (symlink leaves {root})"
        )
    try:
        return resolved, os.stat(resolved).st_size
    except OSError:
        return EXTERNAL_MISSING, f"{location!r} not found"
