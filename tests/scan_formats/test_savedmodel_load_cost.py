"""Red team rt23tf: what a SavedModel computes while it loads (AIR-TF-005).

TF 2.21 ``tf.saved_model.load`` ran each resource's ``_initialize``: ``tf.fill([2**30], 1.0)``,
``broadcast_to``, ``tile`` or ``random.uniform`` there took 4.6 GiB, a ``while_loop`` to 2**62
never returned, and a Const (or a SavedConstant) declaring 2**30 floats with one value took
4.6 GiB; TF1 main ops likewise. All were allowed. Fixtures are hand-built protobuf (no
TensorFlow): the object graph's resource with its ``_initialize`` child, the saveable restore
function, SavedConstants, the TF1 init collections and restore op."""

from __future__ import annotations

from airlock.scan.engine import run_handler
from airlock.scan.handlers.savedmodel import SavedModelHandler
from airlock.scan.interface import ScanContext, Source

from . import pb
from .pb import function_def as fn
from .pb import lfield, vfield
from .pb import node_def as n

INIT = "__inference__initializer_10"
SERVE = "__inference_serve_20"
RESTORE = "__inference_restore_fn_30"
SAVE = "__inference_save_fn_40"


def float_const(name: str, dims: list[int], values: int) -> bytes:
    """A float Const declaring ``dims`` and carrying ``values`` packed floats."""
    shape = b"".join(lfield(2, vfield(1, d)) for d in dims)
    tensor = vfield(1, 1) + lfield(2, shape) + lfield(5, b"\0\0\x80\x3f" * values)
    return n(name, "Const", attrs={"value": lfield(8, tensor)})


def _function(concrete: str) -> bytes:  # SavedObject with a SavedFunction (6)
    return lfield(6, lfield(1, concrete))


def object_graph(extra_objects: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    """root -> resource (10) with children _create_resource/_initialize; a function object
    for the signature; a saveable with save/restore functions; then ``extra_objects``."""
    ref = lambda node_id, name: lfield(1, vfield(1, node_id) + lfield(2, name))  # noqa: E731
    saveable = lfield(11, lfield(1, "table") + lfield(2, vfield(2, 5) + vfield(3, 6)))
    nodes = [
        ref(1, "r") + ref(3, "serve") + saveable,
        ref(2, "_initialize") + lfield(10, b""),
        _function(INIT),
        _function(SERVE),
        b"",
        _function(SAVE),
        _function(RESTORE),
        *extra_objects,
    ]
    return b"".join(lfield(1, o) for o in nodes)


def tf2(
    init: list[bytes] = (),  # type: ignore[assignment]
    serve: list[bytes] = (),  # type: ignore[assignment]
    restore: list[bytes] = (),  # type: ignore[assignment]
    save: list[bytes] = (),  # type: ignore[assignment]
    graph: list[bytes] = (),  # type: ignore[assignment]
    objects: list[bytes] = (),  # type: ignore[assignment]
) -> bytes:
    functions = [
        fn(INIT, ("handle",), [n("assign", "AssignVariableOp", ("handle",)), *init]),
        fn(SERVE, ("x",), [n("mul", "Mul", ("x",)), *serve]),
        fn(RESTORE, ("t",), [n("imp", "LookupTableImportV2", ("t",)), *restore]),
        fn(SAVE, ("t",), [n("exp", "LookupTableExportV2", ("t",)), *save]),
    ]
    return saved_model([n("h", "VarHandleOp"), *graph], functions, object_graph(objects))


def saved_model(
    nodes: list[bytes], functions: list[bytes], objects: bytes, extra: bytes = b""
) -> bytes:
    """One meta graph: graph nodes, a function library, the object graph (7), ``extra``."""
    graph = b"".join(lfield(1, x) for x in nodes) + lfield(
        2, b"".join(lfield(1, f) for f in functions)
    )
    meta = lfield(1, lfield(4, "serve")) + lfield(2, graph) + lfield(7, objects) + extra
    return vfield(1, 1) + lfield(2, meta)


def rules(data: bytes) -> list[str]:
    src = Source(data)
    assert SavedModelHandler().sniff(src)
    out = run_handler(SavedModelHandler(), src, ScanContext("saved_model.pb"))
    return sorted({f.rule_id for f in out.findings})


def test_honest_initializer_restore_and_signature_are_clean() -> None:
    table = [
        n("keys", "Const", const="a"),
        n("t", "HashTableV2"),
        n("imp2", "LookupTableImportV2", ("t", "keys:output:0")),
        float_const("small", [4], 4),
    ]
    assert rules(tf2(init=table)) == []


def test_unbounded_ops_in_the_initializer() -> None:
    for op in ("Fill", "BroadcastTo", "Tile", "RandomUniform", "StatelessWhile", "While"):
        assert rules(tf2(init=[n("x", op, ("dims",))])) == ["AIR-TF-005"], op


def test_function_called_from_the_initializer_is_judged_too() -> None:
    call = n("call", "StatefulPartitionedCall", f="__inference_helper_50")
    helper = fn("__inference_helper_50", (), [n("fill", "Fill", ("dims",))])
    data = saved_model([n("h", "VarHandleOp")], [
        fn(INIT, ("handle",), [call]), fn(SERVE, ("x",), []), fn(RESTORE, ("t",), []),
        fn(SAVE, ("t",), []), helper,
    ], object_graph())  # fmt: skip
    assert rules(data) == ["AIR-TF-005"]


def test_const_declaring_more_than_it_carries() -> None:
    assert rules(tf2(init=[float_const("c", [1 << 30], 1)])) == ["AIR-TF-005"]
    assert rules(tf2(init=[float_const("c", [1 << 20], 4)])) == []  # the floor


def test_saveable_restore_runs_at_load_its_save_does_not() -> None:
    assert rules(tf2(restore=[n("x", "Tile", ("a", "b"))])) == ["AIR-TF-005"]
    assert rules(tf2(save=[n("x", "Add", ("a", "b"))])) == []


def test_signature_compute_is_not_judged() -> None:
    assert rules(tf2(serve=[n("x", "Fill", ("dims",)), float_const("c", [1 << 30], 1)])) == []


def test_saved_constant_read_at_load() -> None:
    big = float_const("big", [1 << 30], 1)
    constant = lfield(9, lfield(1, "big"))  # SavedConstant.operation
    assert rules(tf2(graph=[big], objects=[constant])) == ["AIR-TF-005"]
    assert rules(tf2(graph=[big])) == []  # a graph Const no loader reads


def test_tf1_main_op_and_restore_op_ancestors() -> None:
    nodes = [
        n("dims", "Const", const="x"),
        n("fill", "Fill", ("dims",)),
        n("main", "NoOp", ("^fill",)),
    ]
    assert rules(pb.meta_graph(nodes, collections={"saved_model_main_op": ["main"]})) == [
        "AIR-TF-005"
    ]
    assert rules(pb.meta_graph(nodes, collections={"train_op": ["main"]})) == []
    restore = [*nodes[:2], n("save/restore_all", "NoOp", ("^fill",))]
    saver = lfield(3, lfield(1, "save/Const:0") + lfield(3, "save/restore_all"))
    assert rules(saved_model(restore, [], b"", saver)) == ["AIR-TF-005"]
    assert rules(saved_model(restore, [], b"")) == []  # no SaverDef names it


def test_dense_hash_table_buckets_and_key() -> None:
    def table(buckets: int | None, key_dims: list[int]) -> list[bytes]:
        attrs = {} if buckets is None else {"initial_num_buckets": vfield(3, buckets)}
        return [
            float_const("empty", key_dims, 1),
            n("t", "MutableDenseHashTableV2", ("empty:output:0", "empty:output:0"), attrs=attrs),
        ]

    assert rules(tf2(init=table(None, []))) == []  # TensorFlow's default 131,072 buckets
    assert rules(tf2(init=table(1 << 31, []))) == ["AIR-TF-005"]
    assert rules(tf2(init=table(None, [4096]))) == ["AIR-TF-005"]


def test_pack_and_string_join_at_load_read_a_few_small_inputs() -> None:
    """Pack / StringJoin copy every input into one output (review23, session 22): 4,000
    references to one Const (48 KB file, 16 GB in TensorFlow) or 3,000 joins of a 1 MB string
    (3 GB) at load are AIR-TF-005; the savers' path join of an argument and a small Const and a
    pack of a few shard names stay clean."""
    floor = float_const("big", [1 << 20], 1)
    pack = n("p", "Pack", tuple(["big:output:0"] * 4000))
    assert rules(tf2(init=[floor, pack])) == ["AIR-TF-005"]
    text = n("s", "Const", const="x" * (1 << 20))
    join = n("j", "StringJoin", tuple(["s:output:0"] * 3000))
    assert rules(tf2(init=[text, join])) == ["AIR-TF-005"]
    # a few inputs, but one of them a large Const: still multiplied by whatever reads it
    few = n("p2", "Pack", ("big:output:0", "big:output:0"))
    assert rules(tf2(init=[floor, few])) == ["AIR-TF-005"]
    # honest: the restore path ("<prefix>_temp/part") and the shard-name pack
    suffix = n("suffix", "Const", const="_temp/part")
    path = n("path", "StringJoin", ("t", "suffix:output:0"))
    shard = n("shard", "ShardedFilename", ("path:output:0",))
    names = n("names", "Pack", ("shard:filename:0",))
    assert rules(tf2(restore=[suffix, path, shard, names])) == []
