"""SavedModel checkpoint ops (AIR-TF-004): SaveV2/RestoreV2/MergeV2Checkpoints are clean only in
the shapes TensorFlow's savers write (path from the SaverDef filename, run only by the saver);
red team rt14's load-time writes (a resource initializer or main op running them with a
constant path, V1 Save/SaveSlices, CacheDataset) are findings; a file named saved_model.pb(txt)
that does not parse as a binary SavedModel is not judged as something else."""

from __future__ import annotations

from airlock.scan.engine import run_handler, scan_data
from airlock.scan.handlers.savedmodel import SavedModelHandler
from airlock.scan.interface import ScanContext, Source

from . import pb
from .pb import function_def as fn
from .pb import node_def as n

SAVE, RESTORE = "__inference__traced_save_9", "__inference__traced_restore_10"
INIT = "__inference__initializer_5"


def traced_save(suffix: str = "_temp/part", part: dict[str, bytes] | None = None) -> bytes:
    """TF2's ``_traced_save`` as ``tf.saved_model.save`` writes it (``part``: more attrs of
    the ``.part`` Const)."""
    return fn(SAVE, ("file_prefix", "savev2_const"), [
        n("StaticRegexFullMatch", "StaticRegexFullMatch", ("file_prefix",)),
        n("Const", "Const", const=".part", attrs=part),
        n("Const_1", "Const", const=suffix),
        n("Select", "Select", ("StaticRegexFullMatch:output:0", "Const:output:0",
                               "Const_1:output:0")),
        n("StringJoin", "StringJoin", ("file_prefix", "Select:output:0")),
        n("num_shards", "Const"),
        n("shard", "Const"),
        n("ShardedFilename", "ShardedFilename", ("StringJoin:output:0", "shard:output:0",
                                                 "num_shards:output:0")),
        n("names", "Const", const="x"),
        n("SaveV2", "SaveV2", ("ShardedFilename:filename:0", "names:output:0", "names:output:0",
                               "savev2_const")),
        n("prefixes", "Pack", ("ShardedFilename:filename:0", "^SaveV2")),
        n("MergeV2Checkpoints", "MergeV2Checkpoints", ("prefixes:output:0", "file_prefix")),
        n("Identity", "Identity", ("file_prefix", "^MergeV2Checkpoints")),
    ])  # fmt: skip


def traced_restore() -> bytes:
    return fn(RESTORE, ("file_prefix",), [
        n("names", "Const", const="x"),
        n("RestoreV2", "RestoreV2", ("file_prefix", "names:output:0", "names:output:0")),
    ])  # fmt: skip


def initializer(*extra: bytes) -> bytes:
    """A resource initializer: ``tf.saved_model.load`` runs it (listed in the object graph)."""
    return fn(INIT, ("handle",), [n("assign", "AssignVariableOp", ("handle",)), *extra])


def tf2_model(
    init_extra: tuple[bytes, ...] = (),
    save_input: str = "saver_filename",
    main_op_inputs: tuple[str, ...] = ("^StatefulPartitionedCall",),
    suffix: str = "_temp/part",
    extra_functions: tuple[bytes, ...] = (),
    save_fn: bytes | None = None,
) -> bytes:
    nodes = [
        n("VarHandleOp", "VarHandleOp"),
        n("StatefulPartitionedCall", "StatefulPartitionedCall", ("VarHandleOp",), f=INIT),
        n("NoOp", "NoOp", main_op_inputs),
        n("saver_filename", "Placeholder"),
        n("Const", "Const", const="unused"),
        n("StatefulPartitionedCall_1", "StatefulPartitionedCall", (save_input, "Const"), f=SAVE),
        n("StatefulPartitionedCall_2", "StatefulPartitionedCall", ("saver_filename",), f=RESTORE),
    ]
    save = save_fn or traced_save(suffix)
    return pb.meta_graph(
        nodes, [initializer(*init_extra), save, traced_restore(), *extra_functions],
        saver_filename="saver_filename", collections={"saved_model_main_op": ["NoOp"]},
        loader_functions=(INIT,),
    )  # fmt: skip


def tf1_model(
    main_op: tuple[str, ...] = ("^init",),
    prefix_const: str | None = None,
    join: dict[str, bytes] | None = None,
    extra: tuple[bytes, ...] = (),
) -> bytes:
    """TF1's ``Saver`` graph under ``save/`` as ``SavedModelBuilder`` writes it (``join``: the
    StringJoin's attrs)."""
    prefix = "save/Const" if prefix_const is None else "save/evil"
    nodes = [
        n("x", "Placeholder"),
        n("w", "VarHandleOp"),
        n("init", "NoOp"),
        n("main", "NoOp", main_op),
        n("save/filename/input", "Const", const="model"),
        n("save/filename", "PlaceholderWithDefault", ("save/filename/input",)),
        n("save/Const", "PlaceholderWithDefault", ("save/filename",)),
        n("save/evil", "Const", const=prefix_const or ""),
        n("save/Const_1", "Const", const=".part"),
        n("save/Const_2", "Const", const="_temp_0123456789abcdef0123456789abcdef/part"),
        n("save/Select", "Select", ("save/Regex", "save/Const_1", "save/Const_2")),
        n("save/StringJoin", "StringJoin", (prefix, "save/Select"), attrs=join),
        n("save/ShardedFilename", "ShardedFilename", ("save/StringJoin", "save/s", "save/n")),
        n("save/SaveV2", "SaveV2", ("save/ShardedFilename", "save/names", "save/names", "w")),
        n("save/Pack", "Pack", ("save/ShardedFilename", "^save/SaveV2")),
        n("save/MergeV2Checkpoints", "MergeV2Checkpoints", ("save/Pack", "save/Const")),
        n("save/Identity", "Identity", ("save/Const", "^save/MergeV2Checkpoints")),
        n("save/RestoreV2", "RestoreV2", ("save/Const", "save/names", "save/names")),
        n("save/restore_all", "NoOp", ("^save/RestoreV2", *(f"^{_name(e)}" for e in extra))),
        *extra,
    ]
    return pb.meta_graph(nodes, saver_filename="save/Const",
                         collections={"saved_model_main_op": ["main"]},
                         outputs={"y": "x:0"})  # fmt: skip


def _name(node: bytes) -> str:
    """A NodeDef's name (field 1, first and short in these fixtures)."""
    return node[2 : 2 + node[1]].decode()


def rules(data: bytes) -> list[str]:
    src = Source(data)
    assert SavedModelHandler().sniff(src)
    out = run_handler(SavedModelHandler(), src, ScanContext("saved_model.pb"))
    return sorted({f.rule_id for f in out.findings})


def test_honest_savers_are_clean() -> None:
    assert rules(tf2_model()) == []
    assert rules(tf1_model()) == []


def test_initializer_writing_a_constant_path() -> None:
    """rt14: SaveV2 in a resource initializer wrote /tmp/rt14/mark_savev2.* at load."""
    save = (
        n("p", "Const", const="/tmp/rt14/mark_savev2"),
        n("names", "Const", const="x"),
        n("SaveV2", "SaveV2", ("p:output:0", "names:output:0", "names:output:0", "handle")),
    )
    assert "AIR-TF-004" in rules(tf2_model(init_extra=save))
    merge = (
        n("p", "Const", const="/tmp/rt14/mark_merged"),
        n("m", "MergeV2Checkpoints", ("p:output:0", "p:output:0")),
    )
    assert "AIR-TF-004" in rules(tf2_model(init_extra=merge))


def test_saver_function_with_another_path_or_caller() -> None:
    assert rules(tf2_model(save_input="Const")) == ["AIR-TF-004"]  # a constant instead
    assert rules(tf2_model(suffix="/../../../tmp/rt14/x")) == ["AIR-TF-004"]  # joined suffix
    # the main op runs the saver's save: ./model-relative writes at load
    ran = tf2_model(main_op_inputs=("^StatefulPartitionedCall", "^StatefulPartitionedCall_1"))
    assert rules(ran) == ["AIR-TF-004"]
    # a function (a while body, a dataset map) calls the saver function
    caller = fn("__inference_body_3", ("p",), [n("w", "While", ("p",), f=SAVE)])
    assert rules(tf2_model(extra_functions=(caller,))) == ["AIR-TF-004"]


def test_tf1_saver_run_by_the_main_op_or_with_a_constant_path() -> None:
    assert rules(tf1_model(main_op=("^save/Identity",))) == ["AIR-TF-004"]
    assert rules(tf1_model(main_op=("^save/restore_all",))) == ["AIR-TF-004"]
    assert rules(tf1_model(prefix_const="/tmp/rt14/mark")) == ["AIR-TF-004"]


def test_path_joined_with_a_separator_or_filled_in_by_the_caller() -> None:
    """rt15tf: a TF1 restore_all with a control input on a SaveV2 whose path is
    StringJoin([save/Const, '.part'], separator='/../../../tmp/rt15tf/mark') wrote
    /tmp/rt15tf/mark.part.index under tf.saved_model.load (TF 2.21: paths are cleaned)."""
    assert rules(tf1_model(join={"separator": pb.lfield(2, "")})) == []  # as TF writes it
    assert rules(tf1_model(join={"N": pb.vfield(3, 2)})) == []
    escape = {"separator": pb.lfield(2, "/../../../tmp/rt15tf/mark")}
    assert rules(tf1_model(join=escape)) == ["AIR-TF-004"]
    # the separator (or a Const's value) as an attr placeholder the calling node fills in
    filled = {"separator": pb.lfield(2, "") + pb.lfield(9, "sep")}
    assert rules(tf1_model(join=filled)) == ["AIR-TF-004"]
    # (a NodeDef's attrs come before Const's own value here: the placeholder is what TF
    # would keep only when written last, so this is the conservative reading)
    held = traced_save(part={"value": pb.lfield(9, "v")})
    assert rules(tf2_model(save_fn=held)) == ["AIR-TF-004"]


def test_suffix_constant_alone_is_a_path_in_the_working_directory() -> None:
    """rt15tf: restore_all (run by tf.saved_model.load) with a control input on SaveV2 at
    Select(False, save/Const, '.part') wrote ./.part.index, and on MergeV2Checkpoints of
    [save/Const] into '_temp/part' wrote ./_temp/part.* and deleted the model's variables."""
    cond = n("save/cond", "Const")
    sel = n("save/evil_sel", "Select", ("save/cond", "save/Const", "save/Const_1"))
    save = n("save/evil_save", "SaveV2", ("save/evil_sel", "save/names", "save/names", "w"))
    assert rules(tf1_model(extra=(cond, sel, save))) == ["AIR-TF-004"]
    pack = n("save/evil_pack", "Pack", ("save/Const",))
    merge = n("save/evil_merge", "MergeV2Checkpoints", ("save/evil_pack", "save/Const_2"))
    assert rules(tf1_model(extra=(pack, merge))) == ["AIR-TF-004"]
    # the suffix first, the prefix after it: '.part' + 'variables/variables'
    first = n("save/evil_join", "StringJoin", ("save/Const_1", "save/Const"))
    save = n("save/evil_save", "SaveV2", ("save/evil_join", "save/names", "save/names", "w"))
    assert rules(tf1_model(extra=(first, save))) == ["AIR-TF-004"]
    # the honest join run by restore_all stays clean (writes inside variables/)
    save = n("save/ok_save", "SaveV2", ("save/StringJoin", "save/names", "save/names", "w"))
    assert rules(tf1_model(extra=(save,))) == []


def test_function_node_named_like_the_saver_filename() -> None:
    """rt15tf: an initializer with no arguments whose Const is named ``saver_filename`` was
    taken for the graph's filename and the proof crashed (a scanner error, not a finding)."""
    save = fn(INIT, (), [
        n("saver_filename", "Const", const="/tmp/rt15tf/mark"),
        n("SaveV2", "SaveV2", ("saver_filename:output:0", "n:output:0", "n:output:0")),
    ])  # fmt: skip
    data = pb.meta_graph([n("saver_filename", "Placeholder")], [save],
                         saver_filename="saver_filename", loader_functions=(INIT,))  # fmt: skip
    assert rules(data) == ["AIR-TF-004"]


def test_v1_checkpoint_and_cache_ops_are_file_ops() -> None:
    """rt14: Save, SaveSlices and CacheDataset (``.cache(path)``) wrote files at load."""
    for op in ("Save", "SaveSlices", "CacheDataset", "CacheDatasetV2", "DumpTensor"):
        extra = (n("x", op, ("p:output:0",)),)
        assert rules(tf2_model(init_extra=extra)) == ["AIR-TF-002"], op


def test_graph_given_as_data_is_not_judged() -> None:
    """rt14: DatasetFromGraph of a Const GraphDef holding WriteFile wrote its file at load."""
    inner = pb.lfield(1, n("w", "WriteFile", ("a", "b")))
    hidden = (
        n("g", "Const", const=inner.decode("latin-1")),
        n("d", "DatasetFromGraph", ("g:output:0",)),
    )
    assert rules(tf2_model(init_extra=hidden)) == ["AIR-TF-002"]


def test_file_named_saved_model_reads_only_as_one() -> None:
    """rt14: schema version 5 made saved_model.pb sniff as a graphless ONNX model (ALLOW) that
    TensorFlow loads; saved_model.pbtxt is read as text format by the loader."""
    evil = tf2_model(init_extra=(n("w", "WriteFile", ("a", "b")),))
    assert evil[:2] == b"\x08\x01"
    shifted = b"\x08\x05" + evil[2:]
    report = scan_data(shifted, "saved_model.pb")
    assert "AIR-SCAN-005" in {f.rule_id for f in report.findings}
    assert {f.rule_id for f in scan_data(tf2_model(), "saved_model.pb").findings} == set()
    text = b'meta_graphs { graph_def { node { name: "w" op: "WriteFile" } } }\n'
    assert "AIR-SCAN-005" in {f.rule_id for f in scan_data(text, "saved_model.pbtxt").findings}
    assert scan_data(text, "graph.pbtxt").findings == []
