"""ONNX ModelProto reader on the bounded wire reader: operators, domains, initializers, external
data references and declared shapes — never tensor payloads, never external data files.

A singular (non-repeated) field that occurs more than once is read as protobuf reads it: the LAST
occurrence wins (``[-1]``; a oneof takes the last member on the wire), so a duplicated external
data ``value`` or node ``domain`` cannot show the scanner one string and onnxruntime another.
Singular message fields are merged by protobuf, so every occurrence of one is walked.

Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
TensorProto, ValueInfoProto, TypeProto, FunctionProto, TrainingInfoProto).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from airlock.formats.onnx_rank import MAX_RANK, SAME_RANK, out_rank
from airlock.formats.protobuf_wire import (
    LEN,
    VARINT,
    Field,
    ProtobufError,
    collect,
    iter_fields,
    packed_varints,
    read_varint,
    to_signed64,
)

MAX_GRAPH_DEPTH = 32
MAX_ITEMS = 5_000_000
MAX_DIMS = 64
EP_CONTEXT_OP = "EPContext"
MAX_EP_CONTEXT_PATH = 1 << 16  # bytes of ep_cache_context kept (a path longer is refused)
MAX_VALUES = 64  # a constant's values are kept up to this many elements
FOLD_ATTRS = frozenset({"value", "perm", "axis", "axes", "to", "transA", "transB", "value_int",
                        "value_ints", "value_float", "value_floats", "keepdims", "equation",
                        "pads", "strides", "dilations", "output_shape", "output_padding",
                        "kernel_shape", "group", "auto_pad", "shape", "batch_dims", "dtype",
                        "num_scan_inputs", "scan_input_axes", "scan_output_axes",
                        "noop_with_empty_axes", "value_string", "values_tensor",
                        # rt23onnx: what sets the output size of operators outside the folding
                        # table (LSTM/GRU/RNN, pools, RoiAlign, Multinomial, attention, ml...)
                        "hidden_size", "direction", "layout", "ceil_mode", "sample_size",
                        "output_height", "output_width", "pooled_shape", "n_targets", "targets",
                        "num_heads", "q_num_heads", "kv_num_heads", "qkv_hidden_sizes", "size",
                        "step", "dim", "onesided", "transBatchA", "transBatchB", "N",
                        "split", "scales", "channels", "channels_last",
                        "maxsplit"})  # fmt: skip
# rt23onnx: integer lists whose sum / largest entry set an output width (FeatureVectorizer's
# inputdimensions, TfIdfVectorizer's ngram_indexes): kept as NAME:sum and NAME:max, over the
# whole list (any length, up to MAX_AGG_INTS; past that, as huge)
AGG_ATTRS = frozenset(
    {"inputdimensions", "ngram_indexes", "classlabels_int64s", "classlabels_strings",
     "cats_int64s", "cats_strings", "value_strings", "values_strings"}
)  # fmt: skip
MAX_AGG_INTS = 1 << 22
# operators that have onnxruntime run a Python function (onnxruntime-training's PythonOp /
# PythonOpGrad call ``func_name`` through torch interop; onnxruntime-extensions' PyOp)
PYTHON_OPS = frozenset({"PythonOp", "PythonOpGrad", "PyOp"})

# TensorProto.DataType -> bits per element (0 = variable: STRING). Sub-byte types (UINT4/INT4/
# FLOAT4E2M1 4 bits, UINT2/INT2 2, FLOAT6E2M3/FLOAT6E3M2 6) are packed: ceil(n * bits / 8) bytes.
ELEM_BITS = {
    1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 8: 0, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64,
    14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2,
    26: 2, 27: 6, 28: 6,
}  # fmt: skip
WIDEST_BITS = 128  # an unknown or variable element type, when a size must be bounded


def packed_bytes(data_type: int, elements: int) -> int | None:
    """Bytes ``elements`` of ``data_type`` take in raw_data, or None (unknown / variable)."""
    bits = ELEM_BITS.get(data_type, 0)
    return (elements * bits + 7) // 8 if bits else None


TENSOR_FIELDS = frozenset({1, 2, 8, 9, 13, 14})
MODEL_FIELDS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 25, 26})
MODEL_WIRE = {1: VARINT, 5: VARINT}  # every other ModelProto field is length-delimited


@dataclass
class NodeRef:
    op_type: str
    domain: str
    name: str
    where: str
    # EPContext nodes only: ep_cache_context text, embed_mode, and whether either attribute is a
    # function reference (``ref_attr_name``: the value comes from the caller, unknown here)
    ep_context: EpContext | None = None


@dataclass
class EpContext:
    """An onnxruntime ``EPContext`` node (com.microsoft): a precompiled execution-provider graph,
    embedded (``embed_mode`` 1, the default) or in a file named by ``ep_cache_context``."""

    cache_contexts: list[str] = field(default_factory=list)  # every occurrence, last one last
    embed_modes: list[int] = field(default_factory=list)  # none given: 1
    referenced: bool = False
    # an ep_cache_context longer than MAX_EP_CONTEXT_PATH bytes: as a path it is not the text kept
    overlong: bool = False

    @property
    def names_a_file(self) -> bool:
        """Some reading of the node takes ``ep_cache_context`` as a path (embed_mode 0; other
        values are refused or read as 0 by some provider, so only 1 counts as embedded)."""
        return any(m != 1 for m in self.embed_modes)


@dataclass
class TensorRef:
    """An initializer (or attribute tensor): shape, type, and where its bytes live."""

    name: str
    dims: tuple[int, ...]
    data_type: int
    raw_len: int | None
    external: dict[str, str] | None
    where: str


@dataclass
class SparseRef:
    """A SparseTensorProto (sparse initializer, ``sparse_value`` attribute): onnxruntime turns
    each into a dense tensor of ``dims`` when it builds the graph, whatever it stores."""

    dims: tuple[int, ...]
    data_type: int  # of its values tensor
    where: str
    scope: tuple[str, str] | None  # the model-local function holding it (None: the graphs)


@dataclass
class Const:
    """A constant a runtime may fold over: its shape, element type, and its values when it is
    small (at most MAX_VALUES numbers: shapes, repeats, range bounds), else None."""

    dims: tuple[int, ...]
    data_type: int
    values: tuple[float, ...] | None


@dataclass(slots=True)
class FoldNode:
    """A node (of a graph or a model-local function body), as constant folding sees it."""

    op_type: str
    domain: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    attrs: dict[str, object]  # ints, floats, int lists, strings, or a Const (``value``)
    bodies: list[GraphIO] = field(default_factory=list)  # its subgraphs (Loop/Scan/If bodies)


@dataclass
class GraphIO:
    """One graph (the main graph or a subgraph): its nodes in order, its initializers that are
    not graph inputs (onnxruntime folds only over those), where it is."""

    where: str
    scope: tuple[str, str] | None = None  # the model-local function holding it
    nodes: list[FoldNode] = field(default_factory=list)
    consts: dict[str, Const] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)
    # names a kept node may read: the constants and the outputs of kept nodes (a node reading
    # anything else cannot be folded, so it is not kept: memory follows the constant part)
    reachable: set[str] = field(default_factory=set)
    # the graph this one is a subgraph of: its constants are constants here too (onnxruntime
    # folds a subgraph's nodes over outer-scope initializers, and inlines an If whose condition
    # is constant)
    parent: GraphIO | None = None
    # fix20/rt21fmt: the rank of every value defined so far (graph inputs' declared ranks,
    # constants, node outputs; -1: defined, rank unknown), followed node by node as the graph
    # is read (onnx_rank.out_rank): onnxruntime's shape inference runs over every node at
    # session creation (26 Gather(x, x) from an input [1, 1]: 2 GB). The first rank past
    # MAX_RANK is kept in ``outsized``.
    ranks: dict[str, int] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)  # shape vectors of known length
    small: dict[str, tuple[int, ...]] = field(default_factory=dict)  # Constant nodes' values
    outsized: str | None = None
    # rt21fmt: names read before the node making them (onnxruntime sorts the nodes itself; the
    # checks here follow them in file order), and the first such read
    undefined: set[str] = field(default_factory=set)
    unsorted: str | None = None
    outputs: list[str] = field(default_factory=list)  # the graph's output names
    params: list[str] | None = None  # a model-local function's formal inputs
    # nodes of a non-standard domain (calls of model-local functions) that are not kept: some
    # of their inputs may still be constants the inlined body folds over
    calls: list[FoldNode] = field(default_factory=list)
    # Loop / Scan nodes, constant or not: their scan outputs stack one body output per
    # iteration at run time (a constant trip count over a constant body output: 2.2 GB)
    loops: list[FoldNode] = field(default_factory=list)
    # rt22onnx: every node in order (``nodes`` keeps only those over constants), the graph's
    # inputs in order, and their declared (dims, element type): the run-time walk
    # (scan/onnx_run.py) follows values made from the graph inputs through every node
    all_nodes: list[FoldNode] = field(default_factory=list)
    # rt23onnx: initializers that are also graph inputs: the value a run uses unless fed
    defaults: dict[str, Const] = field(default_factory=dict)
    input_list: list[str] = field(default_factory=list)
    declared: dict[str, tuple[tuple[int | str, ...], int]] = field(default_factory=dict)

    def sees(self, name: str) -> bool:
        g: GraphIO | None = self
        while g is not None:
            if name in g.reachable:
                return True
            g = g.parent
        return False

    def rank(self, name: str) -> int | None:
        g: GraphIO | None = self
        while g is not None:
            r = g.ranks.get(name)
            if r is not None:
                return r if r >= 0 else None
            g = g.parent
        return None

    def length(self, name: str) -> int | None:
        g: GraphIO | None = self
        while g is not None:
            if name in g.ranks:
                return g.lengths.get(name)
            g = g.parent
        return None

    def value(self, name: str) -> tuple[int, ...] | None:
        g: GraphIO | None = self
        while g is not None:
            if name in g.ranks:
                if name in g.small:
                    return g.small[name]
                c = g.consts.get(name)
                if c is None or c.values is None:
                    return None
                try:
                    return tuple(int(v) for v in c.values)
                except (ValueError, OverflowError):
                    return None
            g = g.parent
        return None

    def defines(self, name: str) -> bool:
        g: GraphIO | None = self
        while g is not None:
            if name in g.ranks or name in g.inputs:
                return True
            g = g.parent
        return False

    def keeps(self, op: str, inputs: tuple[str, ...]) -> bool:
        if op == "Constant" or not inputs:  # RandomNormal(shape=...) makes from attributes
            return True
        return all(not i or self.sees(i) for i in inputs)


@dataclass
class DeclaredShape:
    name: str
    dims: tuple[int | str, ...]
    where: str
    elem_type: int = 0


@dataclass
class OnnxModel:
    ir_version: int = 0
    producer: str = ""
    opsets: list[tuple[str, int]] = field(default_factory=list)
    nodes: list[NodeRef] = field(default_factory=list)
    tensors: list[TensorRef] = field(default_factory=list)
    shapes: list[DeclaredShape] = field(default_factory=list)
    python_ops: list[NodeRef] = field(default_factory=list)
    sparse: list[SparseRef] = field(default_factory=list)
    graphs: list[GraphIO] = field(default_factory=list)
    functions: set[tuple[str, str]] = field(default_factory=set)
    metadata: dict[str, str] = field(default_factory=dict)
    # per scope (a model-local function's (domain, name); None = the graphs outside functions):
    # how many nodes of each (domain, op_type) it holds, subgraphs included. Runtimes inline
    # every call of a local function, so this is what the loaded graph's size follows from.
    scope_ops: dict[tuple[str, str] | None, dict[tuple[str, str], int]] = field(
        default_factory=dict
    )
    # gate24: the longest string the file holds (a string tensor's element, a string attribute):
    # a run-time string is at most that long unless a graph input or a string operator made it
    longest_string: int = 0


def looks_like_onnx(head: bytes) -> bool:
    """ModelProto starts with ir_version (field 1, >= 3) followed by known ModelProto fields, each
    with its own wire type. A length-delimited field cut by the end of ``head`` still counts: a
    model without producer fields goes straight to a graph far longer than any sniffing window."""
    if len(head) < 4 or head[0] != 0x08 or not 3 <= head[1] <= 64:
        return False
    buf, pos, end, seen = memoryview(head), 0, len(head), 0
    try:
        while pos < end and seen < 3:
            key, pos = read_varint(buf, pos, end)
            number, wire = key >> 3, key & 7
            if number not in MODEL_FIELDS or wire != MODEL_WIRE.get(number, LEN):
                return False
            value, pos = read_varint(buf, pos, end)
            seen += 1
            if wire == LEN:
                if value > end - pos:
                    break  # cut by the window, not by the file
                pos += value
    except ProtobufError:  # the head is cut mid-varint: the fields so far decide
        return seen >= 2
    return seen >= 2


class _Reader:
    def __init__(self) -> None:
        self.model = OnnxModel()
        self.items = 0
        self.scope: tuple[str, str] | None = None
        self.graph_io: GraphIO | None = None

    def count(self) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise ProtobufError(f"more than {MAX_ITEMS} nodes/tensors/shapes")

    def model_proto(self, data: memoryview) -> OnnxModel:
        m = self.model
        fields = collect(data)
        if 1 in fields:
            m.ir_version = fields[1][-1].as_int()
        if 2 in fields:
            m.producer = fields[2][-1].text(256)
        for f in fields.get(8, []):
            sub = collect(f.data)
            domain = sub[1][-1].text(1024) if 1 in sub else ""
            version = to_signed64(sub[2][-1].as_int()) if 2 in sub else 0
            m.opsets.append((domain, version))
        for f in fields.get(14, []):
            key, value = _string_entry(f)
            m.metadata[key] = value
        for f in fields.get(25, []):
            self.function(f.data, 0)
        for f in fields.get(7, []):
            self.graph(f.data, "graph", 0)
        for i, f in enumerate(fields.get(20, [])):
            sub = collect(f.data)
            for num in (1, 2):  # initialization, algorithm
                for g in sub.get(num, []):
                    self.graph(g.data, f"training_info[{i}]", 0)
        return m

    def function(self, data: memoryview, depth: int) -> None:
        fields = collect(data)
        name = fields[1][-1].text(1024) if 1 in fields else ""
        domain = fields[10][-1].text(1024) if 10 in fields else ""
        self.model.functions.add((domain, name))
        outer, self.scope = self.scope, (domain, name)
        outer_io, self.graph_io = self.graph_io, GraphIO(f"function {domain}.{name}", self.scope)
        self.model.graphs.append(self.graph_io)
        # rt21fmt: its formal inputs, followed as constants for each call that passes constants
        # (onnxruntime inlines every call, then folds: a body's ConstantOfShape of its input,
        # called 3 times on constant shapes, took 4,151 MiB at InferenceSession)
        params = [f.text(1024) for f in fields.get(4, [])]
        self.graph_io.params = params
        self.graph_io.reachable.update(params)
        for p in params:
            self.graph_io.ranks[p] = -1
        self.graph_io.outputs = [f.text(1024) for f in fields.get(5, [])]
        for f in fields.get(7, []):
            self.node(f.data, f"function {domain}.{name}", depth)
        self.graph_io = outer_io
        for f in fields.get(11, []):  # attribute_proto: defaults onnxruntime substitutes
            self.attribute(f.data, f"function {domain}.{name} default", depth)
        self.scope = outer

    def graph(self, data: memoryview, where: str, depth: int) -> None:
        if depth > MAX_GRAPH_DEPTH:
            raise ProtobufError(f"subgraphs nested deeper than {MAX_GRAPH_DEPTH}")
        fields = collect(data)
        if 2 in fields:
            where = f"{where} {fields[2][-1].text(256)!r}"
        outer = self.graph_io
        self.graph_io = io = GraphIO(where, self.scope, parent=outer)
        self.model.graphs.append(self.graph_io)
        for f in fields.get(11, []):
            vi = collect(f.data)
            name = vi[1][-1].text(1024) if 1 in vi else ""
            io.inputs.add(name)
            io.input_list.append(name)
            io.ranks[name] = -1
        for f in fields.get(11, []):
            declared = self.value_info(f.data, where)
            if declared is not None:
                io.ranks[declared.name] = min(len(declared.dims), MAX_RANK + 1)
                io.declared[declared.name] = (declared.dims, declared.elem_type)
        for f in fields.get(12, []):
            vi = collect(f.data)
            io.outputs.append(vi[1][-1].text(1024) if 1 in vi else "")
        for f in fields.get(5, []):
            name, const = small_const(f.data)
            io.ranks.setdefault(name, len(const.dims))
            if len(const.dims) == 1:
                io.lengths.setdefault(name, min(const.dims[0], MAX_RANK + 1))
            if name not in io.inputs:
                io.consts[name] = const
                io.reachable.add(name)
            else:  # rt23onnx: a graph input's default (a run that does not feed it)
                io.defaults[name] = const
        for f in fields.get(1, []):
            self.node(f.data, where, depth)
        self.graph_io = outer
        for f in fields.get(5, []):
            self.tensor(f.data, where)
        for f in fields.get(15, []):  # sparse_initializer
            self.sparse(f.data, where)
            sub = collect(f.data)
            for t in sub.get(1, []):  # values: its name is the initializer's
                vt = collect(t.data, keep=frozenset({8}))
                if 8 in vt:
                    io.ranks.setdefault(vt[8][-1].text(1024), -1)
        for num in (12, 13):
            for f in fields.get(num, []):
                self.value_info(f.data, where)

    def node(self, data: memoryview, where: str, depth: int) -> None:
        self.count()
        fields = collect(data)
        op = fields[4][-1].text(1024) if 4 in fields else ""
        domain = fields[7][-1].text(1024) if 7 in fields else ""
        name = fields[3][-1].text(1024) if 3 in fields else ""
        node = NodeRef(op, domain, name, where)
        self.model.nodes.append(node)
        ops = self.model.scope_ops.setdefault(self.scope, {})
        ops[(domain, op)] = ops.get((domain, op), 0) + 1
        if op == EP_CONTEXT_OP:
            node.ep_context = _ep_context(fields.get(5, []))
        if op in PYTHON_OPS:
            self.model.python_ops.append(node)
        io = self.graph_io
        fold: FoldNode | None = None
        if io is not None:
            inputs = tuple(f.text(1024) for f in fields.get(1, []))
            outputs = tuple(f.text(1024) for f in fields.get(2, []))
            attrs = _fold_attrs(fields.get(5, []))
            fold = FoldNode(op, domain, inputs, outputs, attrs)
            io.all_nodes.append(fold)
            if io.keeps(op, inputs):
                io.reachable.update(outputs)
                io.nodes.append(fold)
            elif domain not in ("", "ai.onnx") and any(io.sees(i) for i in inputs if i):
                io.calls.append(fold)
            if op in ("Loop", "Scan") and domain in ("", "ai.onnx"):
                io.loops.append(fold)
            self._follow_ranks(io, fold, where)
        first_sub = len(self.model.graphs)
        for f in fields.get(5, []):
            self.attribute(f.data, f"{where} node {name or op!r}", depth, op == EP_CONTEXT_OP)
        if fold is not None:
            fold.bodies = [g for g in self.model.graphs[first_sub:] if g.parent is io]

    def _follow_ranks(self, io: GraphIO, fold: FoldNode, where: str) -> None:
        """The ranks of ``fold``'s outputs, and reads of names a later node makes."""
        for i in fold.inputs:
            if i and not io.defines(i):
                io.undefined.add(i)
        for o in fold.outputs:
            if o in io.undefined and io.unsorted is None:
                io.unsorted = f"{fold.op_type} makes {o!r}, read by an earlier node in {where}"
        r: int | None = None
        n: int | None = None
        if fold.op_type == "Constant" and fold.domain in ("", "ai.onnx") and fold.outputs:
            c = fold.attrs.get("value")
            ints = fold.attrs.get("value_ints")
            if isinstance(c, Const):
                r, n = len(c.dims), (c.dims[0] if len(c.dims) == 1 else None)
                vals = c.values
            elif isinstance(ints, tuple):
                r, n, vals = 1, len(ints), ints
            else:
                one = fold.attrs.get("value_int")
                r, vals = 0, ((one,) if isinstance(one, int) else None)
            if vals is not None and all(-(2**63) <= v < 2**63 for v in vals):  # no NaN/inf
                io.small[fold.outputs[0]] = tuple(int(v) for v in vals)
        elif fold.domain in ("", "ai.onnx"):
            r, n = out_rank(fold.op_type, fold.attrs, fold.inputs, io.rank, io.length, io.value)
        if r is not None and r > MAX_RANK and io.outsized is None:
            io.outsized = f"{fold.op_type} -> a tensor of rank {r} or more in {where}"
        multi = fold.op_type in SAME_RANK  # Split, TopK...: every output keeps the rank
        for k, o in enumerate(fold.outputs):
            if o:
                io.ranks[o] = min(r, MAX_RANK + 1) if r is not None and (k == 0 or multi) else -1
        if n is not None and fold.outputs and fold.outputs[0]:
            io.lengths[fold.outputs[0]] = min(n, MAX_RANK + 1)

    def attribute(self, data: memoryview, where: str, depth: int, ep: bool = False) -> None:
        fields = collect(data)
        name = fields[1][-1].text(256) if 1 in fields else ""
        # (an EPContext's compiled blob is never a string value; review24: on any other node
        # the name is the attribute a function body's Constant can reference (ref_attr_name):
        # a 1 MiB ep_cache_context given to a local function's call was left out)
        if not (ep and name == "ep_cache_context"):
            for f in fields.get(4, []) + fields.get(9, []):  # s, strings
                if f.wire == LEN:
                    self.model.longest_string = max(self.model.longest_string, len(f.data))
        for f in fields.get(5, []) + fields.get(10, []):
            self.tensor(f.data, where)
        for f in fields.get(22, []) + fields.get(23, []):  # sparse_tensor(s), e.g. sparse_value
            self.sparse(f.data, where)
        for f in fields.get(6, []) + fields.get(11, []):
            self.graph(f.data, f"{where} subgraph", depth + 1)

    def sparse(self, data: memoryview, where: str) -> None:
        """A SparseTensorProto: its values (1) and indices (2) are tensors with their own
        external data (onnxruntime densifies sparse initializers and Constant attributes)."""
        self.count()
        sub = collect(data)
        dims: list[int] = []
        for f in sub.get(3, []):
            dims.extend(to_signed64(d) for d in packed_varints(f, MAX_DIMS + 1))
            if len(dims) > MAX_DIMS:
                raise ProtobufError(f"sparse tensor in {where}: more than {MAX_DIMS} dimensions")
        data_type = 0
        for t in sub.get(1, []):  # values: a singular message, merged; its last data_type wins
            vt = collect(t.data, keep=frozenset({2}))
            if 2 in vt:
                data_type = vt[2][-1].as_int()
        self.model.sparse.append(SparseRef(tuple(dims), data_type, where, self.scope))
        for num in (1, 2):
            for t in sub.get(num, []):
                self.tensor(t.data, where)

    def tensor(self, data: memoryview, where: str) -> None:
        self.count()
        fields: dict[int, list[Field]] = {}  # float_data etc. are walked, not stored
        longest = 0
        for f in iter_fields(data):
            if f.number in TENSOR_FIELDS:
                fields.setdefault(f.number, []).append(f)
            elif f.number == 6 and f.wire == LEN:  # string_data
                longest = max(longest, len(f.data))
        self.model.longest_string = max(self.model.longest_string, longest)
        dims: list[int] = []
        for f in fields.get(1, []):
            dims.extend(to_signed64(d) for d in packed_varints(f, MAX_DIMS + 1))
            if len(dims) > MAX_DIMS:
                raise ProtobufError(f"tensor in {where}: more than {MAX_DIMS} dimensions")
        name = fields[8][-1].text(1024) if 8 in fields else ""
        data_type = fields[2][-1].as_int() if 2 in fields else 0
        raw_len = len(fields[9][-1].data) if 9 in fields else None
        location = fields[14][-1].as_int() if 14 in fields else 0
        external: dict[str, str] | None = None
        if location == 1 or 13 in fields:
            external = dict(_string_entry(f) for f in fields.get(13, []))
        self.model.tensors.append(TensorRef(name, tuple(dims), data_type, raw_len, external, where))

    def value_info(self, data: memoryview, where: str) -> DeclaredShape | None:
        declared: DeclaredShape | None = None
        fields = collect(data)
        name = fields[1][-1].text(1024) if 1 in fields else ""
        for t in fields.get(2, []):
            tp = collect(t.data)
            for tensor_type in tp.get(1, []) + tp.get(8, []):
                tt = collect(tensor_type.data)
                elem = tt[1][-1].as_int() if 1 in tt and tt[1][-1].wire == VARINT else 0
                for shape in tt.get(2, []):
                    self.count()
                    dims: list[int | str] = []
                    for d in collect(shape.data).get(1, []):
                        if len(dims) >= MAX_DIMS:
                            raise ProtobufError(f"value {name!r}: more than {MAX_DIMS} dims")
                        dim = collect(d.data)
                        # oneof value {dim_value = 1; dim_param = 2}: the last one parsed wins
                        chosen = max(dim.get(1, []) + dim.get(2, []),
                                     key=lambda f: f.offset, default=None)  # fmt: skip
                        if chosen is not None and chosen.number == 1 and chosen.wire == VARINT:
                            dims.append(to_signed64(chosen.as_int()))
                        elif chosen is not None and chosen.number == 2:
                            dims.append(chosen.text(256))
                        else:
                            dims.append("?")
                    declared = DeclaredShape(name, tuple(dims), where, elem)
                    self.model.shapes.append(declared)
        return declared


def _ep_context(attributes: list[Field]) -> EpContext:
    """The EPContext attributes onnxruntime's providers read. Every ``ep_cache_context`` is
    kept: a provider that looks a duplicated name up may take the first or the last."""
    ctx = EpContext()
    for f in attributes:
        if f.wire != LEN:
            raise ProtobufError(f"field {f.number} at {f.offset}: expected an attribute")
        sub = collect(f.data)
        name = sub[1][-1].text(256) if 1 in sub else ""
        if name not in ("ep_cache_context", "embed_mode"):
            continue
        if 21 in sub:  # ref_attr_name: bound by whoever calls the function
            ctx.referenced = True
        if name == "ep_cache_context":
            raw = sub[4][-1] if 4 in sub else None
            ctx.cache_contexts.append(raw.text(MAX_EP_CONTEXT_PATH) if raw is not None else "")
            ctx.overlong |= raw is not None and len(raw.data) > MAX_EP_CONTEXT_PATH
        else:
            ctx.embed_modes.append(to_signed64(sub[3][-1].as_int()) if 3 in sub else 0)
    return ctx


_FLOAT_FORMATS = {1: "<f", 10: "<e", 11: "<d"}
_INT_FORMATS = {2: "<B", 3: "<b", 4: "<H", 5: "<h", 6: "<i", 7: "<q", 9: "<B", 12: "<I", 13: "<Q"}


def small_const(data: memoryview) -> tuple[str, Const]:
    """An initializer / Constant ``value`` tensor: name and shape, and its values when it holds
    at most MAX_VALUES numbers (raw_data, or float/int32/int64/double data)."""
    fields = collect(data)
    dims: list[int] = []
    for f in fields.get(1, []):
        dims.extend(to_signed64(d) for d in packed_varints(f, MAX_DIMS + 1))
        if len(dims) > MAX_DIMS:
            raise ProtobufError(f"tensor: more than {MAX_DIMS} dimensions")
    name = fields[8][-1].text(1024) if 8 in fields else ""
    dt = fields[2][-1].as_int() if 2 in fields else 0
    n = 1
    for d in dims:
        n *= max(d, 0)
    values: tuple[float, ...] | None = None
    if n <= MAX_VALUES and 13 not in fields:
        try:
            values = _values(fields, dt, n)
        except (ProtobufError, struct.error, ValueError):
            values = None
    return name, Const(tuple(dims), dt, values)


def _values(fields: dict[int, list[Field]], dt: int, n: int) -> tuple[float, ...] | None:
    fmt = _FLOAT_FORMATS.get(dt) or _INT_FORMATS.get(dt)
    if fmt is None:
        return None
    if 9 in fields:
        raw = bytes(fields[9][-1].data)
        size = struct.calcsize(fmt)
        if len(raw) != n * size:
            return None
        return tuple(struct.unpack_from(fmt, raw, i * size)[0] for i in range(n))
    out: list[float] = []
    if dt == 1:
        for f in fields.get(4, []):
            raw = bytes(f.data) if f.wire == LEN else struct.pack("<I", f.as_int())
            out.extend(v[0] for v in struct.iter_unpack("<f", raw))
    elif dt == 11:
        for f in fields.get(10, []):
            raw = bytes(f.data) if f.wire == LEN else struct.pack("<Q", f.as_int())
            out.extend(v[0] for v in struct.iter_unpack("<d", raw))
    elif dt == 7:
        for f in fields.get(7, []):
            out.extend(to_signed64(v) for v in packed_varints(f, MAX_VALUES + 1))
    elif dt in (2, 3, 4, 5, 6, 9):
        for f in fields.get(5, []):
            out.extend(to_signed64(v) for v in packed_varints(f, MAX_VALUES + 1))
    else:
        return None
    return tuple(out) if len(out) == n else None


def _fold_attrs(attributes: list[Field]) -> dict[str, object]:
    """The attributes constant folding needs (shapes, axes, permutations, Constant values)."""
    out: dict[str, object] = {}
    for f in attributes:
        if f.wire != LEN:
            raise ProtobufError(f"field {f.number} at {f.offset}: expected an attribute")
        sub = collect(f.data)
        name = sub[1][-1].text(256) if 1 in sub else ""
        if name in AGG_ATTRS and 9 in sub and 21 not in sub:  # strings: how many
            out[name + ":count"] = len(sub[9])
            continue
        if name in AGG_ATTRS and 8 in sub and 21 not in sub:
            total, most, count = 0, 0, 0
            for g in sub[8]:
                try:
                    vals = packed_varints(g, MAX_AGG_INTS)
                except ProtobufError:
                    vals = [1 << 62]
                count += len(vals)
                for v in vals:
                    v = to_signed64(v)
                    total, most = total + max(v, 0), max(most, v)
                if count > MAX_AGG_INTS:
                    total = most = 1 << 62
                    break
            out[name + ":sum"], out[name + ":max"] = min(total, 1 << 62), most
            out[name + ":count"] = count
            continue
        if name not in FOLD_ATTRS:
            continue
        if 21 in sub:  # ref_attr_name: only inside functions
            continue
        if 5 in sub:
            out[name] = small_const(sub[5][-1].data)[1]
        elif 8 in sub:
            ints: list[int] = []
            for g in sub[8]:
                ints.extend(to_signed64(v) for v in packed_varints(g, MAX_DIMS + 1))
                if len(ints) > MAX_DIMS:
                    break
            out[name] = tuple(ints[: MAX_DIMS + 1])
        elif 3 in sub:
            out[name] = to_signed64(sub[3][-1].as_int())
        elif 4 in sub:
            out[name] = sub[4][-1].text(256)
        elif 2 in sub:
            out[name] = struct.unpack("<f", struct.pack("<I", sub[2][-1].as_int() & 0xFFFFFFFF))[0]
    return out


def _string_entry(f: Field) -> tuple[str, str]:
    if f.wire != LEN:
        raise ProtobufError(f"field {f.number} at {f.offset}: expected a key/value entry")
    sub = collect(f.data)
    key = sub[1][-1].text(4096) if 1 in sub else ""
    value = sub[2][-1].text(1 << 16) if 2 in sub else ""
    return key, value


def read_onnx(data: bytes | memoryview) -> OnnxModel:
    """Parse a serialized ModelProto. Raises ``ProtobufError`` on malformed input."""
    view = data if isinstance(data, memoryview) else memoryview(data)
    try:
        return _Reader().model_proto(view)
    except RecursionError:
        raise ProtobufError("ONNX structure nested too deeply") from None
