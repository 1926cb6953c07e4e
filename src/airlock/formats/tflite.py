"""A bounded reader of TensorFlow Lite models (``.tflite``: a flatbuffer with identifier
``TFL3``), no flatbuffers runtime.

Reads the ``Model`` table (schema.fbs): version, operator codes (builtin code, ``custom_code``),
subgraphs and their operators (each names an operator code by index), buffers (inline data, or
offset/size past the flatbuffer for models over 2 GB) and metadata entries. Every offset is
checked against the file before it is followed, vectors are bounded, and nothing is built
beyond the operator codes.
"""

from __future__ import annotations

import collections
import math
import struct
from dataclasses import dataclass, field, replace

from airlock.formats.protobuf_wire import ProtobufError, collect
from airlock.formats.source import FormatProblem
from airlock.formats.tflite_shapes import OPTIONS, OpView, Shape, infer

IDENTIFIER = b"TFL3"
MAX_VECTOR = 10_000_000
MAX_OPTIONS = 64 * 1024
CUSTOM = 32  # BuiltinOperator.CUSTOM
PLACEHOLDER_FOR_GREATER_OP_CODES = 127


@dataclass(frozen=True)
class OpCode:
    builtin: int
    custom: str | None
    version: int


@dataclass(frozen=True)
class FlexNode:
    """A Flex operator as the select-ops delegate runs it: the delegate routes every operator
    whose ``custom_code`` starts with ``Flex`` to TensorFlow and runs the op named by the first
    string of its ``custom_options`` flexbuffer (``OpKernelRunner::Create(name_, ...)``), with
    the attributes of the serialized NodeDef in the second (whose ``op`` picks the defaults) —
    the name in ``custom_code`` itself is never consulted. ``problem``: the options could not
    be read as the delegate reads them (nothing here is then known about the op)."""

    opcode: int
    name: str
    nodedef_op: str
    problem: str = ""


STOCK_CUSTOM = frozenset(
    {"TFLite_Detection_PostProcess", "Mfcc", "AudioSpectrogram", "NumericVerify"}
)
MAX_STOCK_NODES = 10_000


@dataclass(frozen=True)
class TensorInfo:
    """A tensor as the flatbuffer declares it: ``shape`` is ``None`` when it is not static (a
    ``shape_signature`` with unknown dimensions, or rank over 8). Only a ``fixed`` tensor (a
    constant, or an input of the subgraph) keeps that shape when the model runs: an operator's
    output is resized by its kernel's ``Prepare`` whatever the file says (session 16: a Reshape
    to 200,000 boxes declared as 10 crashed SSD post-processing)."""

    type: int
    shape: tuple[int, ...] | None
    data_bytes: int
    fixed: bool = False
    writers: int = 0  # operators of its subgraph listing it as an output
    runtime: tuple[int, ...] | None = None  # fixed: its shape; else as inferred (tflite_shapes)
    signature: tuple[int, ...] | None = None  # a shape_signature with -1 (dynamic) dimensions


@dataclass(frozen=True)
class StockNode:
    """An operator running one of the custom kernels the stock op resolver registers, with
    what its kernel reads: the options blob (``None``: absent or past the flatbuffer) and its
    input/output tensors (``None`` for an index outside the subgraph, or -1)."""

    opcode: int
    name: str
    options: bytes | None
    inputs: tuple[TensorInfo | None, ...]
    outputs: tuple[TensorInfo | None, ...]
    subgraph: int = 0
    input_ids: tuple[int, ...] = ()  # tensor indices within the subgraph (who feeds whom)
    output_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExternalBuffer:
    """rt27fmt: weights the runtime reads from a file the model names (schema.fbs
    ``ExternalBuffer``, Model fields 8 and 9): ``length`` bytes at ``offset`` of the file named
    by its ``ExternalBufferGroup``. LiteRT's CompiledModel opens that name itself, relative to
    the model's folder (an absolute name or ``..`` as well). ``group``: the name, ``None`` when
    the group index is outside the model's groups."""

    id: int
    group: str | None
    offset: int
    length: int


MAX_GROUP_NAME = 1 << 16  # bytes of a group name kept (a longer one is reported as such)
# review27: every entry of the groups vector may name one table (or overlapping strings), and
# each was decoded anew: 150 KB of entries naming one 64 KiB name held 1.3 GB. Names are
# decoded once per string, and the distinct bytes kept are bounded (more: unparseable).
MAX_GROUP_NAMES_BYTES = 1 << 20


@dataclass
class TfliteModel:
    version: int = 0
    opcodes: list[OpCode] = field(default_factory=list)
    subgraphs: int = 0
    operators: int = 0
    tensors: int = 0
    buffers: int = 0
    buffer_bytes: int = 0
    metadata: list[str] = field(default_factory=list)
    description: str = ""
    flex_nodes: list[FlexNode] = field(default_factory=list)
    stock_nodes: list[StockNode] = field(default_factory=list)
    runtime: list[list[tuple[int, ...] | None]] = field(default_factory=list)  # all_shapes
    graphs: list[RunGraph] = field(default_factory=list)  # all_shapes: what a run makes
    external_groups: list[str] = field(default_factory=list)  # names cut to MAX_GROUP_NAME
    external: list[ExternalBuffer] = field(default_factory=list)


@dataclass(frozen=True)
class RunGraph:
    """gate24: one subgraph as a run sees it (``scan/tflite_run.py``): its tensors (with their
    run-time shapes where derived), operators in order, the values of its small integer
    constants (rank <= 1, at most MAX_CONSTANT: shapes, multiples, paddings), and its inputs."""

    tensors: list[TensorInfo]
    ops: list[OpView]
    ints: dict[int, tuple[int, ...]]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...] = ()


class _Flat:
    """Bounds-checked flatbuffer primitives over one buffer."""

    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.n = len(buf)
        self.spans: list[tuple[int, int]] = []  # each buffer's inline data (start, length)
        # Offsets may repeat (every entry of a vector naming one table), so a small file can
        # make a walk of vectors of vectors quadratic: tables read are bounded by what the file
        # could hold if none were shared (each is at least 4 bytes).
        self.tables_left = self.n // 4 + 16
        # likewise int32 vector entries read (operators may share one long outputs vector)
        self.ints_left = self.n // 2 + 1024  # each word about twice, with slack

    def need(self, pos: int, size: int, what: str) -> None:
        if pos < 0 or size < 0 or pos + size > self.n:
            raise FormatProblem(f"TFLite {what} at {pos}: {size} bytes outside the file")

    def u8(self, pos: int) -> int:
        self.need(pos, 1, "byte")
        return self.buf[pos]

    def u16(self, pos: int) -> int:
        self.need(pos, 2, "u16")
        return int(struct.unpack_from("<H", self.buf, pos)[0])

    def u32(self, pos: int) -> int:
        self.need(pos, 4, "u32")
        return int(struct.unpack_from("<I", self.buf, pos)[0])

    def i32(self, pos: int) -> int:
        self.need(pos, 4, "i32")
        return int(struct.unpack_from("<i", self.buf, pos)[0])

    def u64(self, pos: int) -> int:
        self.need(pos, 8, "u64")
        return int(struct.unpack_from("<Q", self.buf, pos)[0])

    def table(self, pos: int, what: str) -> tuple[int, int, int]:
        """(table position, vtable position, vtable size) of the table at ``pos``."""
        self.tables_left -= 1
        if self.tables_left < 0:
            raise FormatProblem(f"TFLite: more tables read than {self.n} bytes can hold")
        vt = pos - self.i32(pos)
        vsize = self.u16(vt)
        if vsize < 4 or vsize & 1:
            raise FormatProblem(f"TFLite {what} at {pos}: vtable size {vsize}")
        self.need(vt, vsize, f"{what} vtable")
        self.need(pos, self.u16(vt + 2), what)
        return pos, vt, vsize

    def field(self, t: tuple[int, int, int], index: int) -> int | None:
        """Position of field ``index`` of table ``t`` (``None``: absent / default)."""
        pos, vt, vsize = t
        slot = 4 + 2 * index
        if slot + 2 > vsize:
            return None
        off = self.u16(vt + slot)
        return pos + off if off else None

    def deref(self, at: int) -> int:
        return at + self.u32(at)

    def vector(self, at: int, elem: int, what: str) -> tuple[int, int]:
        """(first element position, length) of the vector the offset at ``at`` points to."""
        start = self.deref(at)
        length = self.u32(start)
        if length > MAX_VECTOR:
            raise FormatProblem(f"TFLite {what}: {length} entries")
        self.need(start + 4, length * elem, what)
        return start + 4, length

    def string(self, at: int, what: str, limit: int = 1024) -> str:
        start, length = self.vector(at, 1, what)
        return bytes(self.buf[start : start + min(length, limit)]).decode("utf-8", "replace")

    def tables(self, t: tuple[int, int, int], index: int, what: str) -> list[tuple[int, int, int]]:
        at = self.field(t, index)
        if at is None:
            return []
        start, length = self.vector(at, 4, what)
        return [self.table(self.deref(start + 4 * i), what) for i in range(length)]


def looks_like_tflite(head: bytes) -> bool:
    return len(head) >= 8 and head[4:8] == IDENTIFIER


def read_tflite(data: bytes | memoryview, all_shapes: bool = False) -> TfliteModel:
    """The model's structure; ``FormatProblem`` where the flatbuffer does not hold.
    ``all_shapes``: derive every subgraph's run-time shapes (``runtime``), not only where a
    stock custom operator needs them (to compare with an interpreter)."""
    buf = data if isinstance(data, memoryview) else memoryview(data)
    f = _Flat(buf)
    if not looks_like_tflite(bytes(buf[:8])):
        raise FormatProblem("no TFL3 flatbuffer identifier")
    root = f.table(f.deref(0), "Model")
    out = TfliteModel()
    at = f.field(root, 0)
    out.version = f.u32(at) if at is not None else 0
    for t in f.tables(root, 1, "OperatorCode"):
        dep = f.field(t, 0)
        cc = f.field(t, 1)
        ver = f.field(t, 2)
        code = f.field(t, 3)
        builtin = max(f.u8(dep) if dep is not None else 0, f.i32(code) if code is not None else 0)
        custom = f.string(cc, "custom_code") if cc is not None else None
        out.opcodes.append(OpCode(builtin, custom, f.i32(ver) if ver is not None else 1))
    sizes: list[int] = []
    at = f.field(root, 4)
    if at is not None:
        for t in f.tables(root, 4, "Buffer"):
            data_at, off_at, size_at = f.field(t, 0), f.field(t, 1), f.field(t, 2)
            nbytes, span = 0, (0, 0)
            if data_at is not None:
                span = f.vector(data_at, 1, "buffer data")
                nbytes += span[1]
            f.spans.append(span)
            if off_at is not None or size_at is not None:
                off = f.u64(off_at) if off_at is not None else 0
                size = f.u64(size_at) if size_at is not None else 0
                if off and size:
                    f.need(off, size, "buffer (offset/size)")
                nbytes += size
            out.buffer_bytes += nbytes
            sizes.append(nbytes)
            out.buffers += 1
    for sg in f.tables(root, 2, "SubGraph"):
        out.subgraphs += 1
        infos: list[TensorInfo] = []
        buffer_of: list[int] = []
        tensors = f.field(sg, 0)
        if tensors is not None:
            for tensor in f.tables(sg, 0, "Tensor"):
                out.tensors += 1
                b = f.field(tensor, 2)
                if b is not None and f.u32(b) >= max(out.buffers, 1):
                    raise FormatProblem(f"TFLite tensor names buffer {f.u32(b)} of {out.buffers}")
                infos.append(_tensor_info(f, tensor, sizes[f.u32(b)] if b is not None else 0))
                buffer_of.append(f.u32(b) if b is not None else 0)
        pending: list[tuple[tuple[int, int, int], int, str]] = []
        ops = f.tables(sg, 3, "Operator")
        for op in ops:
            out.operators += 1
            idx = f.field(op, 0)
            index = f.u32(idx) if idx is not None else 0
            if index >= len(out.opcodes):
                raise FormatProblem(f"TFLite operator names opcode {index} of {len(out.opcodes)}")
            opcode = out.opcodes[index]
            if opcode.builtin == CUSTOM and (opcode.custom or "").startswith("Flex"):
                _flex_node(f, op, index, out.flex_nodes)
            elif opcode.builtin == CUSTOM and opcode.custom in STOCK_CUSTOM:
                pending.append((op, index, opcode.custom or ""))
        if pending or all_shapes:
            _mark_fixed(f, sg, ops, infos, first=out.subgraphs == 1)
            views = _runtime_shapes(f, ops, infos, buffer_of, out.opcodes)
        if all_shapes:
            out.runtime.append([t.runtime for t in infos])
            ints = {
                i: v for i in range(len(infos)) if (v := _int_values(f, infos, buffer_of, i, True))
            }
            ins = tuple(_ints(f, sg, 1, "subgraph inputs", MAX_OPERANDS + 1))
            outs = tuple(_ints(f, sg, 2, "subgraph outputs", MAX_OPERANDS + 1))
            out.graphs.append(RunGraph(list(infos), views, ints, ins, outs))
        for op, index, op_name in pending:
            _stock_node(f, op, index, op_name, infos, out.stock_nodes, out.subgraphs - 1)
    _external_buffers(f, root, out)
    for t in f.tables(root, 6, "Metadata"):
        name = f.field(t, 0)
        out.metadata.append(f.string(name, "metadata name", 128) if name is not None else "")
    at = f.field(root, 3)
    if at is not None:
        out.description = f.string(at, "description", 200)
    if not out.subgraphs:
        raise FormatProblem("TFLite model without a subgraph")
    return out


def _external_buffers(f: _Flat, root: tuple[int, int, int], out: TfliteModel) -> None:
    """The external buffer groups (Model field 8: file names) and buffers (field 9: id, group,
    offset, length). A name longer than MAX_GROUP_NAME keeps its first bytes and a trailing
    NUL, so it can never pass for a plain relative name."""
    names: dict[int, str] = {}
    kept = 0
    for t in f.tables(root, 8, "ExternalBufferGroup"):
        at = f.field(t, 0)
        if at is None:
            out.external_groups.append("")
            continue
        start, length = f.vector(at, 1, "external buffer group name")
        text = names.get(start)
        if text is None:
            kept += min(length, MAX_GROUP_NAME)
            if kept > MAX_GROUP_NAMES_BYTES:
                raise FormatProblem(
                    f"TFLite external buffer group names: more than {MAX_GROUP_NAMES_BYTES} bytes"
                )
            name = bytes(f.buf[start : start + min(length, MAX_GROUP_NAME)])
            text = name.decode("utf-8", "replace")
            text = names[start] = text + "\0" if length > MAX_GROUP_NAME else text
        out.external_groups.append(text)
    for t in f.tables(root, 9, "ExternalBuffer"):
        ident, group, off, size = (f.field(t, i) for i in range(4))
        index = f.u32(group) if group is not None else 0
        out.external.append(
            ExternalBuffer(
                f.u32(ident) if ident is not None else 0,
                out.external_groups[index] if index < len(out.external_groups) else None,
                f.u64(off) if off is not None else 0,
                f.u64(size) if size is not None else 0,
            )
        )


def _ints(f: _Flat, t: tuple[int, int, int], index: int, what: str, limit: int) -> list[int]:
    """The first ``limit`` entries of an int32 vector field (callers ask one more than they
    accept, so a longer vector is seen as too long)."""
    at = f.field(t, index)
    if at is None:
        return []
    start, length = f.vector(at, 4, what)
    f.ints_left -= min(length, limit)
    if f.ints_left < 0:
        raise FormatProblem(f"TFLite: more vector entries read than {f.n} bytes can hold")
    return [f.i32(start + 4 * i) for i in range(min(length, limit))]


def _i64s(f: _Flat, t: tuple[int, int, int], index: int, what: str) -> tuple[int, ...]:
    """An int64 vector field, at most MAX_CONSTANT + 1 entries (a longer one is seen as too
    long by its reader)."""
    at = f.field(t, index)
    if at is None:
        return ()
    start, length = f.vector(at, 8, what)
    n = min(length, MAX_CONSTANT + 1)
    f.ints_left -= 2 * n
    if f.ints_left < 0:
        raise FormatProblem(f"TFLite: more vector entries read than {f.n} bytes can hold")
    return struct.unpack_from(f"<{n}q", f.buf, start)


def _tensor_info(f: _Flat, tensor: tuple[int, int, int], data_bytes: int) -> TensorInfo:
    """Type (field 1), shape (0) and shape_signature (7) of a Tensor table."""
    at = f.field(tensor, 1)
    ttype = f.u8(at) if at is not None else 0
    shape = _ints(f, tensor, 0, "tensor shape", 9)
    signature = _ints(f, tensor, 7, "tensor shape_signature", 9)
    static = (
        len(shape) <= 8 and (not signature or signature == shape) and min(shape, default=0) >= 0
    )
    dynamic = (
        len(signature) == len(shape) <= 8
        and -1 in signature
        and min(signature) >= -1
        and all(s == d for s, d in zip(signature, shape, strict=True) if s != -1)
    )
    return TensorInfo(
        ttype,
        tuple(shape) if static else None,
        data_bytes,
        data_bytes > 0,
        signature=tuple(signature) if dynamic else None,
    )


def _mark_fixed(
    f: _Flat,
    sg: tuple[int, int, int],
    ops: list[tuple[int, int, int]],
    infos: list[TensorInfo],
    first: bool,
) -> None:
    """Tensors whose run-time shape is the declared one: constants and the main subgraph's
    inputs (a called subgraph's inputs take the caller's shapes), unless some operator writes
    them (its Prepare resizes them: a tensor listed as an input and also a Reshape's output
    crashed SSD post-processing while "fixed")."""
    written: collections.Counter[int] = collections.Counter()
    for op in ops:
        written.update(set(_ints(f, op, 2, "outputs", MAX_VECTOR)))
    inputs = set(_ints(f, sg, 1, "subgraph inputs", MAX_VECTOR)) if first else set()
    for i, info in enumerate(infos):
        fixed = (info.data_bytes > 0 or i in inputs) and i not in written
        infos[i] = replace(info, fixed=fixed, writers=written[i])


def _runtime_shapes(
    f: _Flat,
    ops: list[tuple[int, int, int]],
    infos: list[TensorInfo],
    buffer_of: list[int],
    opcodes: list[OpCode],
) -> list[OpView]:
    """Each tensor's shape when its consumers are prepared (``tflite_shapes``)."""
    views = [_op_view(f, op, opcodes) for op in ops]

    def constant(i: int) -> tuple[int, ...] | None:
        """The int32 values of a fixed constant of rank 0 or 1 stored inline."""
        if not 0 <= i < len(infos) or infos[i].type != 2:
            return None
        return _int_values(f, infos, buffer_of, i)

    start: list[Shape | None] = [
        (t.shape if t.shape is not None else t.signature if t.data_bytes == 0 else None)
        if t.fixed
        else None
        for t in infos
    ]  # a main input of dynamic size starts as its signature (-1: set by the application)
    shapes = infer(views, start, [t.writers for t in infos], constant)
    for i, shape in enumerate(shapes):
        infos[i] = replace(infos[i], runtime=shape)
    return views


def _int_values(
    f: _Flat, infos: list[TensorInfo], buffer_of: list[int], i: int, flat: bool = False
) -> tuple[int, ...] | None:
    """The values of a fixed int32 / int64 constant of rank 0 or 1 stored inline (``flat``:
    of any rank, in order: a PAD's [rank, 2] paddings)."""
    t = infos[i]
    if not t.fixed or t.data_bytes <= 0 or t.type not in (2, 4) or t.shape is None:
        return None
    if buffer_of[i] == 0:  # the interpreter reads no data from buffer 0 (not a constant)
        return None
    count = math.prod(t.shape)
    size = 4 if t.type == 2 else 8
    start, length = f.spans[buffer_of[i]]
    if (len(t.shape) > 1 and not flat) or length != size * count or count > MAX_CONSTANT:
        return None
    return struct.unpack_from(f"<{count}{'i' if size == 4 else 'q'}", f.buf, start)


MAX_CONSTANT = 64  # shapes, permutations, axes
MAX_OPERANDS = 1024  # a concatenation of every feature map's boxes
# rt27fmt: StableHLO kernels whose output size is set by their builtin_options_2 table
# (Operator fields 11 / 12: union type, table), int64 vectors: STABLEHLO_PAD's paddings made a
# 2 GiB output from a [1] input in ai-edge-litert 2.3.0 (the output is declared [1])
STABLEHLO_PAD, STABLEHLO_REDUCE_WINDOW = 195, 198
OPTIONS2: dict[int, tuple[int, dict[int, str]]] = {
    STABLEHLO_PAD: (10, {0: "edge_padding_low", 1: "edge_padding_high", 2: "interior_padding"}),
    STABLEHLO_REDUCE_WINDOW: (
        13,
        {0: "window_dimensions", 1: "window_strides", 2: "base_dilations",
         3: "window_dilations", 4: "padding"},
    ),
}  # fmt: skip


def _op_view(f: _Flat, op: tuple[int, int, int], opcodes: list[OpCode]) -> OpView:
    at = f.field(op, 0)
    index = f.u32(at) if at is not None else 0
    builtin = opcodes[index].builtin  # checked by read_tflite
    ins = tuple(_ints(f, op, 1, "inputs", MAX_OPERANDS + 1))
    outs = tuple(_ints(f, op, 2, "outputs", MAX_OPERANDS))  # the rules are for one output
    if len(ins) > MAX_OPERANDS:
        return OpView(-1, (), outs)  # not read whole: its output stays unknown
    if builtin in OPTIONS2:
        union2, names = OPTIONS2[builtin]
        kind_at, table_at = f.field(op, 11), f.field(op, 12)
        if kind_at is None or table_at is None or f.u8(kind_at) != union2:
            return OpView(builtin, ins, outs, None)
        t2 = f.table(f.deref(table_at), "builtin options 2")
        return OpView(builtin, ins, outs, {n: _i64s(f, t2, k, n) for k, n in names.items()})
    if builtin not in OPTIONS:
        return OpView(builtin, ins, outs)
    union, spec = OPTIONS[builtin]
    kind_at, table_at = f.field(op, 3), f.field(op, 4)
    if kind_at is None or table_at is None or f.u8(kind_at) != union:
        return OpView(builtin, ins, outs, None)
    t = f.table(f.deref(table_at), "builtin options")
    values: dict[str, int | tuple[int, ...]] = {}
    for slot, (name, kind, default) in spec.items():
        at = f.field(t, slot)
        if kind == "vec":
            values[name] = tuple(_ints(f, t, slot, name, MAX_CONSTANT + 1))
        elif at is None:
            values[name] = default
        else:
            values[name] = f.u8(at) if kind == "u8" else f.i32(at)
    return OpView(builtin, ins, outs, values)


def _stock_node(
    f: _Flat,
    op: tuple[int, int, int],
    opcode: int,
    name: str,
    tensors: list[TensorInfo],
    out: list[StockNode],
    subgraph: int,
) -> None:
    if len(out) >= MAX_STOCK_NODES:
        raise FormatProblem(f"TFLite: more than {MAX_STOCK_NODES} stock custom operators")
    options: bytes | None = None
    at = f.field(op, 5)
    if at is not None:
        start, length = f.vector(at, 1, "custom_options")
        options = bytes(f.buf[start : start + min(length, MAX_OPTIONS + 1)])
    if f.field(op, 9) is not None or f.field(op, 10) is not None:
        options = None  # large_custom_options: not read here, so not proven

    ins, outs = _ints(f, op, 1, "inputs", 16), _ints(f, op, 2, "outputs", 16)

    def pick(ids: list[int]) -> tuple[TensorInfo | None, ...]:
        return tuple(tensors[i] if 0 <= i < len(tensors) else None for i in ids)

    out.append(
        StockNode(opcode, name, options, pick(ins), pick(outs), subgraph, tuple(ins), tuple(outs))
    )


# flexbuffers (flatbuffers/flexbuffers.h): the types the delegate's ``AsVector`` / ``AsString``
# accept; any other root reads as an empty vector and any other element as an empty string there.
_FBT_KEY, _FBT_STRING, _FBT_MAP, _FBT_VECTOR = 4, 5, 9, 10
MAX_FLEX_NODES = 100_000


def _flex_node(f: _Flat, op: tuple[int, int, int], opcode: int, out: list[FlexNode]) -> None:
    if len(out) >= MAX_FLEX_NODES:
        raise FormatProblem(f"TFLite: more than {MAX_FLEX_NODES} Flex operators")
    blobs: list[bytes] = []
    at = f.field(op, 5)
    if at is not None:
        start, length = f.vector(at, 1, "custom_options")
        blobs.append(bytes(f.buf[start : start + length]))
    off_at, size_at = f.field(op, 9), f.field(op, 10)
    if off_at is not None or size_at is not None:  # models over 2 GB: past the flatbuffer
        off = f.u64(off_at) if off_at is not None else 0
        size = f.u64(size_at) if size_at is not None else 0
        f.need(off, size, "large_custom_options")
        blobs.append(bytes(f.buf[off : off + size]))
    for blob in blobs:  # none: the delegate refuses the node ("Cannot convert empty data")
        try:
            name, nodedef = flex_strings(blob)
            fields = collect(nodedef)
            nodedef_op = fields[2][-1].text(1024) if 2 in fields else ""
        except (FormatProblem, ProtobufError) as exc:
            out.append(FlexNode(opcode, "", "", str(exc)))
            continue
        out.append(FlexNode(opcode, name, nodedef_op))


def flex_strings(blob: bytes) -> tuple[str, bytes]:
    """The first two strings of a flexbuffer vector (op name, serialized NodeDef), read as
    ``flexbuffers::GetRoot(...).AsVector()[i].AsString()`` reads them; ``FormatProblem`` when
    the buffer is not that shape (the delegate would then run an op named ``""``: fails)."""
    n = len(blob)

    def uint(pos: int, width: int) -> int:
        if pos < 0 or pos + width > n or width not in (1, 2, 4, 8):
            raise FormatProblem(f"Flex custom_options: {width} bytes at {pos} outside {n}")
        return int.from_bytes(blob[pos : pos + width], "little")

    if n < 3:
        raise FormatProblem("Flex custom_options shorter than a flexbuffer root")
    root_width, packed = blob[-1], blob[-2]
    root = n - 2 - root_width
    if packed >> 2 not in (_FBT_MAP, _FBT_VECTOR):
        raise FormatProblem(f"Flex custom_options root is flexbuffer type {packed >> 2}")
    width = 1 << (packed & 3)
    vec = root - uint(root, root_width)
    size = uint(vec - width, width)
    if size < 2:
        raise FormatProblem(f"Flex custom_options vector of {size} entries")
    strings: list[bytes] = []
    for i in range(2):
        elem = vec + i * width
        etype = uint(vec + size * width + i, 1)
        if etype >> 2 not in (_FBT_STRING, _FBT_KEY):
            raise FormatProblem(f"Flex custom_options entry {i} is flexbuffer type {etype >> 2}")
        target = elem - uint(elem, width)
        if etype >> 2 == _FBT_KEY:
            end = blob.find(b"\0", max(target, 0))
            if target < 0 or end < 0:
                raise FormatProblem(f"Flex custom_options key {i} outside the buffer")
            strings.append(blob[target:end])
            continue
        ewidth = 1 << (etype & 3)
        length = uint(target - ewidth, ewidth)
        if target < 0 or target + length > n:
            raise FormatProblem(f"Flex custom_options string {i} outside the buffer")
        strings.append(blob[target : target + length])
    return strings[0][:1024].decode("utf-8", "replace"), strings[1]
