"""What a SavedModel makes TensorFlow compute while it loads (AIR-TF-005).

``tf.saved_model.load`` runs every restored resource's ``_create_resource`` / ``_initialize``,
each SaveableObject's restore function and each CapturedTensor's function, and reads each
SavedConstant's graph Const as a NumPy array; the TF1 loaders run the SaverDef's restore op and
the main / legacy init op (``formats.savedmodel.LOAD_CHILDREN``). Signatures run only when the
application calls them, and what they compute is the model's own work, not judged here; what
runs at load is. Red team rt23tf: an ``_initialize`` doing ``tf.fill([2**30], 1.0)`` (or
``broadcast_to``, ``tile``, ``random.uniform``) took 4.6 GiB inside ``tf.saved_model.load``, a
``while_loop`` to 2**62 never returned, and a Const (or SavedConstant) declaring 2**30 floats with
one value (TensorFlow repeats the last value) took 4.6 GiB, each from a file of a few KB that
the gate allowed.

Honest savers only put table and variable plumbing there, so everything that runs at load
(the init and restore nodes' ancestors in the graph, and every function they or the object graph
call, whole) must be an op of :data:`LOAD_OPS`, and each Const must carry about the values its
shape declares (:data:`CONST_FLOOR`). Whatever else (a loop, an op that sizes its output from a
tensor, an unknown op) is reported: its cost cannot be bounded without running it."""

from __future__ import annotations

from airlock.formats.savedmodel import CONST_OPS, DENSE_TABLE_OPS, Body, MetaGraph, Node
from airlock.scan.tf_ops import IO_OPS, PYTHON_OPS

# ops honest savers put in load-time graphs and functions (TF 2.21 and TF1 savers: variables,
# hash tables and their restore, vocabulary files, the savers' path strings; checkpoint ops are
# judged by ``tf_saver``, file and Python ops by ``tf_ops`` (AIR-TF-002 / 001, not repeated
# here)): none allocates more than its inputs or the model's files hold
LOAD_OPS = frozenset(
    {
        "Const", "HostConst", "Identity", "IdentityN", "NoOp", "Placeholder",
        "PlaceholderWithDefault", "StatefulPartitionedCall", "PartitionedCall",
        "VarHandleOp", "AssignVariableOp", "ReadVariableOp", "VarIsInitializedOp",
        "DestroyResourceOp", "VariableV2", "Assign",
        "HashTableV2", "HashTable", "MutableHashTableV2", "MutableHashTable",
        "MutableHashTableOfTensorsV2", "LookupTableImportV2", "LookupTableImport",
        "LookupTableExportV2", "InitializeTableV2", "InitializeTable",
        "InitializeTableFromTextFileV2", "InitializeTableFromTextFile",
        "RestoreV2", "MergeV2Checkpoints", "SaveV2", "StringJoin", "ShardedFilename",
        "Select", "Pack", "StaticRegexFullMatch",
    }
)  # fmt: skip
# a Const may declare this many elements whatever it carries (more: no more than its bytes)
CONST_FLOOR = 1 << 20
# a dense hash table's buckets x value elements at creation (TensorFlow's default: 131,072 x 1),
# with a key (its ``empty_key`` Const) of at most this many elements
DENSE_TABLE_MAX = 1 << 20
DENSE_KEY_MAX = 16
MAX_VISITS = 1_000_000
# Pack / StringJoin copy every input into one output: at load, honest savers join a path and pack
# a few shard names; more inputs, or inputs that are not small Consts / loader-fed values, could
# multiply (review23: Pack of 4,000 references to one Const, 48 KB file -> 16 GB)
JOIN_OPS = frozenset({"Pack", "StringJoin"})
JOIN_MAX_INPUTS = 16
JOIN_FEEDS = frozenset({"Placeholder", "PlaceholderWithDefault", "Select", "ShardedFilename",
                        "StaticRegexFullMatch"})  # fmt: skip
JOIN_CONST_ELEMENTS = 4096
JOIN_CONST_BYTES = 1 << 16
MAX_REASONS = 20


def _data_and_control(node: Node) -> list[str]:
    return [i.removeprefix("^").split(":", 1)[0] for i in node.inputs]


def _const_problem(node: Node) -> str | None:
    if node.op not in CONST_OPS:
        return None
    if node.declared < 0:
        return f"{node.op} {node.name!r} with a shape that does not read as sizes"
    if node.declared > max(CONST_FLOOR, node.carried):
        return (
            f"{node.op} {node.name!r} declares {node.declared:,} elements and carries"
            f" {node.carried:,} bytes (TensorFlow repeats the last value)"
        )
    return None


def _dense_table_problem(node: Node, body: Body) -> str | None:
    """A dense hash table is cheap when its buckets x value elements and its key are small."""
    if not 0 <= node.declared <= DENSE_TABLE_MAX:
        return f"{node.op} {node.name!r} with {node.declared:,} buckets x value elements"
    data = [i for i in node.inputs if not i.startswith("^")]
    key = body.nodes.get(data[0].split(":", 1)[0]) if data else None
    if key is None or key.op not in CONST_OPS or not 0 <= key.declared <= DENSE_KEY_MAX:
        return f"{node.op} {node.name!r} whose empty_key is not a small Const"
    return None


def _join_problem(node: Node, body: Body) -> str | None:
    """A Pack / StringJoin at load is cheap when it reads a few small Consts or loader-fed
    values (function arguments, placeholders, the savers' path ops)."""
    if node.op not in JOIN_OPS:
        return None
    data = [i.split(":", 1)[0] for i in node.inputs if not i.startswith("^")]
    if len(data) > JOIN_MAX_INPUTS:
        return f"{node.op} {node.name!r} of {len(data):,} inputs"
    for name in data:
        src = body.nodes.get(name)
        if src is None or src.op in JOIN_FEEDS:
            continue  # a function argument or a value the loader feeds
        small = (src.op in CONST_OPS and 0 <= src.declared <= JOIN_CONST_ELEMENTS
                 and src.carried <= JOIN_CONST_BYTES)  # fmt: skip
        if not small:
            return f"{node.op} {node.name!r} reads {src.op} {src.name!r}, not a small constant"
    return None


def load_time_problems(mg: MetaGraph) -> list[str]:
    """One reason per op that runs while the meta graph loads and is not proven cheap
    (at most :data:`MAX_REASONS`, the last saying how many more)."""
    out: list[str] = []
    seen_nodes: set[str] = set()
    todo_nodes = [n for n in mg.load_nodes if n in mg.graph.nodes]
    todo_funcs: list[str] = sorted(mg.load_functions)
    seen_funcs: set[str] = set()
    visits = 0

    def judge(node: Node, body: Body) -> None:
        if node.op in mg.functions:
            todo_funcs.append(node.op)  # a function called by name
        elif node.op in DENSE_TABLE_OPS:
            problem = _dense_table_problem(node, body)
            if problem:
                out.append(f"{problem} in {body.where}, created at load")
        elif node.op not in LOAD_OPS and node.op not in IO_OPS and node.op not in PYTHON_OPS:
            out.append(f"op {node.op!r} node {node.name!r} in {body.where} runs at load")
        problem = _const_problem(node)
        if problem:
            out.append(f"{problem} in {body.where}, read at load")
        problem = _join_problem(node, body)
        if problem:
            out.append(f"{problem} in {body.where}, run at load")
        todo_funcs.extend(node.funcs)

    while todo_nodes or todo_funcs:
        visits += 1
        if visits > MAX_VISITS:
            out.append(f"more than {MAX_VISITS} load-time nodes and functions")
            break
        if todo_nodes:
            name = todo_nodes.pop()
            if name in seen_nodes:
                continue
            seen_nodes.add(name)
            node = mg.graph.nodes[name]
            judge(node, mg.graph)
            todo_nodes.extend(i for i in _data_and_control(node) if i in mg.graph.nodes)
            continue
        fname = todo_funcs.pop()
        if fname in seen_funcs:
            continue
        seen_funcs.add(fname)
        body = mg.functions.get(fname)
        if body is None:
            continue  # TensorFlow fails to call a function the library does not hold
        for node in body.nodes.values():
            visits += 1
            judge(node, body)
    if len(out) > MAX_REASONS:
        out[MAX_REASONS - 1 :] = [f"{len(out) - MAX_REASONS + 1} more load-time ops not proven"]
    return out
