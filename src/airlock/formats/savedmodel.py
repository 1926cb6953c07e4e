"""TensorFlow SavedModel (``saved_model.pb``) reader on the bounded protobuf wire reader: every
op in every meta graph and function library, and the asset file names — without TensorFlow.

A field is read as protobuf (TensorFlow's C++ parser) reads it: a singular scalar or string that
occurs more than once takes its LAST occurrence (a NodeDef whose ``op`` is written twice runs the
second), and the occurrences of a singular embedded message are MERGED (parsed as the
concatenation of their payloads: ``meta_info_def``, a function's ``signature``). ``graph_def``
and ``library`` are singular too, but every field read from them is repeated, so walking each
occurrence in turn sees exactly the merged lists without copying a large graph.

Field numbers from tensorflow/core/protobuf/saved_model.proto and meta_graph.proto,
tensorflow/core/framework/graph.proto, node_def.proto and function.proto.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from airlock.formats.protobuf_wire import (
    LEN,
    Field,
    ProtobufError,
    collect,
    iter_fields,
    packed_varints,
)

MAX_OPS = 5_000_000
# What the loaders run while loading, before any signature is called: tf.saved_model.load calls
# each restored resource's ``_create_resource`` / ``_initialize`` (and ``_destroy_resource`` when
# it is freed), each SaveableObject's restore function, each CapturedTensor's function, and reads
# each SavedConstant's graph Const as a NumPy array; the TF1 loaders (and load_v1_in_v2) run the
# SaverDef's restore op and the main / legacy init op (collections, ``__saved_model_init_op``).
LOAD_CHILDREN = frozenset({"_create_resource", "_initialize", "_destroy_resource"})
INIT_COLLECTIONS = frozenset(
    {"saved_model_main_op", "legacy_init_op", "saved_model_legacy_init_op", "table_initializer"}
)
INIT_SIGNATURE = "__saved_model_init_op"
_KINDS = frozenset({4, 5, 6, 7, 8, 9, 10, 12})  # SavedObject's ``kind`` oneof


@dataclass(frozen=True)
class OpUse:
    op: str
    node: str
    where: str


@dataclass(frozen=True)
class Node:
    """What the saver proof needs of a NodeDef: its inputs as written (``name:out:idx`` in a
    function, ``name:idx`` in a graph, ``^name`` for control), every function named in its
    attrs (at any depth), a Const's string values, each attr that is a plain string (``s``;
    None for any other kind), and whether an attr is a placeholder the caller fills in (a
    function instantiated with other attrs computes other values)."""

    name: str
    op: str
    inputs: tuple[str, ...]
    funcs: frozenset[str]
    strings: tuple[str, ...]
    texts: tuple[tuple[str, str | None], ...] = ()
    placeholder: bool = False
    declared: int = 0  # a Const's elements as its tensor_shape declares them (-1: unreadable)
    carried: int = 0  # ... and the bytes of its TensorProto (the values it really holds)


@dataclass
class Body:
    """A graph (``args`` empty) or one function of its library."""

    where: str
    nodes: dict[str, Node] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)


@dataclass
class MetaGraph:
    """One meta graph's bodies and what its loaders run: the SaverDef's filename, save and
    restore names, and every node a loader fetches (signature tensors, collection node lists)
    or function it calls itself (the object graph's concrete functions, gradients); and what
    the loader feeds with the model's own asset paths: the graph tensors AssetFileDefs name
    (TF1) and, per concrete function, the bound inputs that are SavedAssets (TF2)."""

    graph: Body
    functions: dict[str, Body] = field(default_factory=dict)
    saver_filename: str = ""
    fetches: set[str] = field(default_factory=set)
    loader_functions: set[str] = field(default_factory=set)
    asset_tensors: set[str] = field(default_factory=set)
    asset_args: dict[str, set[int]] = field(default_factory=dict)
    load_functions: set[str] = field(default_factory=set)
    load_nodes: set[str] = field(default_factory=set)


@dataclass
class SavedModel:
    schema_version: int = 0
    tags: list[list[str]] = field(default_factory=list)
    tf_versions: list[str] = field(default_factory=list)
    ops: list[OpUse] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)
    assets: list[str] = field(default_factory=list)
    meta_graphs: list[MetaGraph] = field(default_factory=list)


def looks_like_savedmodel(head: bytes) -> bool:
    """schema version 1 followed by a MetaGraphDef, or a bare MetaGraphDef list."""
    if head[:3] == b"\x08\x01\x12":
        return True
    if head[:1] == b"\x12" and len(head) > 4:
        try:
            first = next(iter_fields(memoryview(head)))
        except (ProtobufError, StopIteration):
            return False
        return first.number == 2 and first.wire == LEN and bytes(first.data[:1]) == b"\x0a"
    return False


def _merged(occurrences: list[Field]) -> dict[int, list[Field]]:
    """The fields of a singular embedded message that occurs once or more, as protobuf merges
    it: parsing the concatenated payloads (scalars: last wins; repeated: appended in order)."""
    if len(occurrences) == 1:
        return collect(occurrences[0].data)
    return collect(b"".join(bytes(f.data) for f in occurrences))


def _last_text(fields: dict[int, list[Field]], number: int, limit: int) -> str:
    """A singular string field: the last occurrence, as protobuf keeps it ("" when absent)."""
    return fields[number][-1].text(limit) if number in fields else ""


def _node_name(ref: str) -> str:
    """The node a tensor or control reference names (``^n``, ``n:0``, ``n:out:0`` -> ``n``)."""
    return ref.removeprefix("^").split(":", 1)[0]


def _attr_funcs(data: memoryview, out: set[str], depth: int = 0) -> None:
    """Function names in an AttrValue: ``func`` (10), ``list.func`` (1 -> 9), and the attrs of
    each NameAttrList in turn (a dataset op's function may carry functions of its own)."""
    if depth > 16:
        raise ProtobufError("attr values nested deeper than 16")
    for f in iter_fields(data):
        if f.wire != LEN:
            continue
        if f.number == 10:
            _name_attr_list(f.data, out, depth)
        elif f.number == 1:
            for g in iter_fields(f.data):
                if g.number == 9 and g.wire == LEN:
                    _name_attr_list(g.data, out, depth)


def _name_attr_list(data: memoryview, out: set[str], depth: int) -> None:
    for f in iter_fields(data):
        if f.wire != LEN:
            continue
        if f.number == 1:
            out.add(f.text(1024))
        elif f.number == 2:  # map<string, AttrValue> entry
            for g in iter_fields(f.data):
                if g.number == 2 and g.wire == LEN:
                    _attr_funcs(g.data, out, depth + 1)


def _const_strings(data: memoryview) -> list[str]:
    """Every string_val (8) of every TensorProto (8) in an AttrValue: all occurrences, so a
    value written twice is judged whichever one protobuf keeps."""
    out: list[str] = []
    for f in iter_fields(data):
        if f.number == 8 and f.wire == LEN:
            out.extend(g.text(4096) for g in iter_fields(f.data) if g.number == 8 and g.wire == LEN)
    return out


def _tensor_names(data: memoryview, out: set[str], depth: int = 0) -> None:
    """Node names a TensorInfo refers to: ``name`` (1), a COO sparse tensor's three names (4),
    a composite tensor's components (5)."""
    if depth > 16:
        raise ProtobufError("TensorInfo nested deeper than 16")
    for f in iter_fields(data):
        if f.wire != LEN:
            continue
        if f.number == 1:
            out.add(_node_name(f.text(1024)))
        elif f.number == 4:
            out.update(_node_name(g.text(1024)) for g in iter_fields(f.data) if g.wire == LEN)
        elif f.number == 5:
            for g in iter_fields(f.data):
                if g.number == 1 and g.wire == LEN:
                    _tensor_names(g.data, out, depth + 1)


def _map_values(entries: list[Field]) -> list[memoryview]:
    """The values (field 2) of a protobuf map's entries."""
    return [g.data for e in entries for g in iter_fields(e.data) if g.number == 2 and g.wire == LEN]


def _attr_text(data: memoryview) -> tuple[str | None, bool]:
    """An AttrValue as a plain string: its ``s`` (2) when that is its only field (protobuf
    keeps the last of a oneof, so any other field makes it something else), else None; and
    whether it holds a ``placeholder`` (9)."""
    kinds = {(f.number, f.wire) for f in iter_fields(data)}
    text = None
    if kinds <= {(2, LEN)}:
        text = [f.text(4096) for f in iter_fields(data)][-1] if kinds else ""
    return text, (9, LEN) in kinds


def _map_keys(entries: list[Field]) -> list[str]:
    return [
        g.text(1024)
        for e in entries
        for g in iter_fields(e.data)
        if g.number == 1 and g.wire == LEN
    ]


class _Reader:
    def __init__(self) -> None:
        self.model = SavedModel()

    def add(self, op: str, node: str, where: str) -> None:
        if len(self.model.ops) >= MAX_OPS:
            raise ProtobufError(f"more than {MAX_OPS} ops")
        self.model.ops.append(OpUse(op, node, where))

    def saved_model(self, data: memoryview) -> SavedModel:
        fields = collect(data)
        if 1 in fields:
            self.model.schema_version = fields[1][-1].as_int()
        for i, mg in enumerate(fields.get(2, [])):
            self.meta_graph(mg.data, f"meta_graph[{i}]")
        return self.model

    def meta_graph(self, data: memoryview, where: str) -> None:
        fields = collect(data)
        mg = MetaGraph(Body(where))
        self.model.meta_graphs.append(mg)
        if 3 in fields:  # SaverDef: filename_tensor_name (1), restore_op_name (3)
            saver = _merged(fields[3])
            mg.saver_filename = _node_name(_last_text(saver, 1, 1024))
            if 3 in saver:
                mg.load_nodes.add(_node_name(_last_text(saver, 3, 1024)))
        for entry in fields.get(4, []):  # CollectionDef.node_list (1).value (1)
            init = (_map_keys([entry]) or [""])[-1] in INIT_COLLECTIONS
            for c in _map_values([entry]):
                for nl in collect(c).get(1, []):
                    names = {_node_name(v.text(1024)) for v in collect(nl.data).get(1, [])}
                    mg.fetches.update(names)
                    if init:
                        mg.load_nodes.update(names)
        for entry in fields.get(5, []):  # SignatureDef inputs (1) / outputs (2)
            init = (_map_keys([entry]) or [""])[-1] == INIT_SIGNATURE
            for sig in _map_values([entry]):
                for tinfo in _map_values([f for n in (1, 2) for f in collect(sig).get(n, [])]):
                    _tensor_names(tinfo, mg.fetches)
                    if init:
                        _tensor_names(tinfo, mg.load_nodes)
        for og in fields.get(7, []):  # SavedObjectGraph.concrete_functions (2) keys
            mg.loader_functions.update(_map_keys(collect(og.data).get(2, [])))
        bound = self.object_graph(fields.get(7, []), mg)
        if 1 in fields:  # meta_info_def: tags (repeated) and tensorflow_version (singular)
            info = _merged(fields[1])
            self.model.tags.append([t.text(256) for t in info.get(4, [])])
            if 5 in info:
                self.model.tf_versions.append(_last_text(info, 5, 64))
        for g in fields.get(2, []):
            self.graph(g.data, mg)
        # AssetFileDef: tensor_info (1), filename (2); the TF1 builder writes them as Any
        # values (2) of the ``saved_model_assets`` collection's any_list (5 -> 1), which the
        # TF1 loader and load_v1_in_v2 read as well as field 6
        defs = [a.data for a in fields.get(6, [])]
        for entry in fields.get(4, []):
            if (_map_keys([entry]) or [""])[-1] != "saved_model_assets":
                continue
            for c in _map_values([entry]):
                for al in collect(c).get(5, []):
                    for anyv in collect(al.data).get(1, []):
                        defs += [v.data for v in collect(anyv.data).get(2, []) if v.wire == LEN]
        for asset_def in defs:
            sub = collect(asset_def)
            if 2 in sub:
                self.model.assets.append(_last_text(sub, 2, 4096))
            if 1 in sub:
                mg.asset_tensors.add(_node_name(_last_text(_merged(sub[1]), 1, 1024)))
        for name, ids in bound.items():  # captured inputs are a function's last arguments
            body = mg.functions.get(name)
            start = len(body.args) - len(ids) if body else -1
            if start >= 0:
                mg.asset_args[name] = {start + i for i, is_asset in enumerate(ids) if is_asset}

    def object_graph(self, occurrences: list[Field], mg: MetaGraph) -> dict[str, list[bool]]:
        """Per concrete function, whether each bound input (SavedConcreteFunction.bound_inputs,
        2) is a SavedAsset: the SavedObject (nodes, 1) whose kind (the last of its oneof
        fields 4-10, 12) is ``asset`` (5). What the loader runs at load goes to ``mg``."""
        if not occurrences:
            return {}
        og = _merged(occurrences)
        kinds = []
        objects: list[dict[int, list[Field]]] = []
        for obj in og.get(1, []):
            kind = [f.number for f in iter_fields(obj.data) if f.number in _KINDS]
            kinds.append(kind[-1] if kind else 0)
            objects.append(collect(obj.data))
        _load_entries(objects, kinds, mg)
        out: dict[str, list[bool]] = {}
        for entry in og.get(2, []):
            key = (_map_keys([entry]) or [""])[-1]
            ids = [
                i
                for v in _map_values([entry])
                for f in iter_fields(v)
                if f.number == 2
                for i in packed_varints(f)
            ]
            out[key] = [0 <= i < len(kinds) and kinds[i] == 5 for i in ids]
        return out

    def graph(self, data: memoryview, mg: MetaGraph) -> None:
        fields = collect(data)
        for n in fields.get(1, []):
            self.node(n.data, mg.graph)
        for lib in fields.get(2, []):
            libf = collect(lib.data)
            for fn in libf.get(1, []):
                sub = collect(fn.data)
                sig = _merged(sub[1]) if 1 in sub else {}
                name = _last_text(sig, 1, 1024)
                self.model.functions.add(name)
                body = mg.functions.setdefault(name, Body(f"function {name!r}"))
                body.args += [_last_text(collect(a.data), 1, 1024) for a in sig.get(2, [])]
                for n in sub.get(3, []):
                    self.node(n.data, body)
            for grad in libf.get(2, []):  # GradientDef: function_name (1), gradient_func (2)
                g = collect(grad.data)
                mg.loader_functions.update(_last_text(g, k, 1024) for k in (1, 2))

    def node(self, data: memoryview, body: Body) -> None:
        fields = collect(data)
        name, op = _last_text(fields, 1, 1024), _last_text(fields, 2, 1024)
        self.add(op, name, body.where)
        funcs: set[str] = set()
        strings: list[str] = []
        texts: list[tuple[str, str | None]] = []
        placeholder = False
        declared, carried = 0, 0
        dense = {"initial_num_buckets": 131072, "value_shape": 1}  # TensorFlow's defaults
        for entry in fields.get(5, []):
            key = (_map_keys([entry]) or [""])[-1]
            for v in _map_values([entry]):
                _attr_funcs(v, funcs)
                if op == "Const":
                    strings += _const_strings(v)
                if op in CONST_OPS and key == "value":
                    declared, carried = _const_size(v)
                elif op in DENSE_TABLE_OPS and key in ("initial_num_buckets", "value_shape"):
                    dense[key] = _dense_attr(v, key)
                text, held = _attr_text(v)
                placeholder |= held
                texts.append((key, text))
        if op in DENSE_TABLE_OPS:
            buckets, values = dense["initial_num_buckets"], dense["value_shape"]
            declared = -1 if min(buckets, values) < 0 else min(_ELEMENT_CAP, buckets * values)
        inputs = tuple(f.text(1024) for f in fields.get(3, []))
        body.nodes[name] = Node(
            name,
            op,
            inputs,
            frozenset(funcs),
            tuple(strings),
            tuple(texts),
            placeholder,
            declared,
            carried,
        )


CONST_OPS = frozenset({"Const", "HostConst"})
# a dense hash table allocates ``initial_num_buckets`` x ``value_shape`` values when it is created
DENSE_TABLE_OPS = frozenset({"MutableDenseHashTableV2", "MutableDenseHashTable"})
_ELEMENT_CAP = 1 << 62


def _const_size(attr: memoryview) -> tuple[int, int]:
    """(elements its ``tensor_shape`` declares, bytes of the TensorProto) of a Const's ``value``
    AttrValue: TensorFlow fills a tensor that carries fewer values than its shape with the last
    one, so a few bytes can declare gigabytes. -1 elements: a shape that does not read as a
    plain list of sizes (unknown rank, a negative or absurd size)."""
    declared, carried = 0, 0
    for f in iter_fields(attr):
        if f.number != 8 or f.wire != LEN:  # AttrValue.tensor
            continue
        carried += len(f.data)
        elements = 1
        for g in iter_fields(f.data):
            if g.number != 2 or g.wire != LEN:  # TensorProto.tensor_shape
                continue
            for d in iter_fields(g.data):
                if d.number == 3 and d.wire != LEN and d.as_int():  # unknown_rank
                    elements = -1
                elif d.number == 2 and d.wire == LEN and elements >= 0:
                    sizes = [x.as_int() for x in iter_fields(d.data) if x.number == 1]
                    size = sizes[-1] if sizes else 0
                    elements = -1 if size >= 1 << 63 else min(_ELEMENT_CAP, elements * size)
        declared = -1 if elements < 0 or declared < 0 else max(declared, elements)
    return declared, carried


def _dense_attr(attr: memoryview, key: str) -> int:
    """A dense hash table's ``initial_num_buckets`` (AttrValue.i, 3) or the elements of its
    ``value_shape`` (AttrValue.shape, 7); -1 when it does not read as that."""
    fields = collect(attr)
    if key == "initial_num_buckets":
        got = fields[3][-1].as_int() if 3 in fields else -1
        return got if 0 <= got < 1 << 40 else -1
    elements = 1
    for shape in fields.get(7, []):
        for d in iter_fields(shape.data):
            if d.number == 3:
                return -1
            if d.number == 2 and d.wire == LEN:
                sizes = [x.as_int() for x in iter_fields(d.data) if x.number == 1]
                size = sizes[-1] if sizes else 0
                if not 0 <= size < 1 << 40:
                    return -1
                elements = min(_ELEMENT_CAP, elements * size)
    return elements


def _load_entries(objects: list[dict[int, list[Field]]], kinds: list[int], mg: MetaGraph) -> None:
    """The concrete functions and graph Consts ``tf.saved_model.load`` runs or reads at load
    (see :data:`LOAD_CHILDREN`), from the SavedObjects' fields."""

    def functions(node_id: int) -> list[str]:
        if not 0 <= node_id < len(objects):
            return []
        obj = objects[node_id]
        if kinds[node_id] == 6:  # SavedFunction.concrete_functions (1)
            return [g.text(1024) for g in _merged(obj[6]).get(1, [])]
        if kinds[node_id] == 8:  # SavedBareConcreteFunction.concrete_function_name (1)
            return [_last_text(_merged(obj[8]), 1, 1024)]
        return []

    for i, obj in enumerate(objects):
        for ref in obj.get(1, []):  # children: ObjectReference node_id (1), local_name (2)
            child = collect(ref.data)
            if _last_text(child, 2, 256) in LOAD_CHILDREN and 1 in child:
                mg.load_functions.update(functions(child[1][-1].as_int()))
        for saveable in _map_values(obj.get(11, [])):  # SaveableObject.restore_function (3)
            restore = collect(saveable).get(3, [])
            if restore:
                mg.load_functions.update(functions(restore[-1].as_int()))
        if kinds[i] == 12:  # CapturedTensor.concrete_function (2)
            mg.load_functions.add(_last_text(_merged(obj[12]), 2, 1024))
        elif kinds[i] == 9:  # SavedConstant.operation (1)
            mg.load_nodes.add(_node_name(_last_text(_merged(obj[9]), 1, 1024)))


def read_savedmodel(data: bytes | memoryview) -> SavedModel:
    """Parse ``saved_model.pb``. Raises ``ProtobufError`` on malformed input."""
    view = data if isinstance(data, memoryview) else memoryview(data)
    return _Reader().saved_model(view)


def keras_metadata_configs(data: bytes | memoryview, limit: int = 100_000) -> list[bytes]:
    """JSON blobs in ``keras_metadata.pb`` (SavedMetadata: nodes with a JSON metadata string).

    The schema is not needed: every length-delimited field of each node that starts with ``{``
    is returned (bounded count) for the Keras config walker."""
    out: list[bytes] = []
    for node in iter_fields(data):
        if node.wire != LEN:
            continue
        for f in iter_fields(node.data):
            if f.wire == LEN and bytes(f.data[:1]) == b"{":
                out.append(bytes(f.data))
                if len(out) >= limit:
                    raise ProtobufError(f"more than {limit} metadata entries")
    return out
