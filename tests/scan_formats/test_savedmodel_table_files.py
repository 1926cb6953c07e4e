"""A vocabulary-file table initializer (InitializeTableFromTextFile) is medium only when its
filename is what the loader feeds with the model's own asset path; red team rt15tf: a TF1
main op initializing a table from the constant '/tmp/rt15tf/secret.txt' (or from an asset whose
name in the ``saved_model_assets`` collection is '../../tmp/rt15tf/secret.txt') made the
serving signature return the file's lines under tf.saved_model.load (TF 2.21), and was ALLOW."""

from __future__ import annotations

from airlock.report import Severity
from airlock.scan.engine import run_handler
from airlock.scan.handlers.savedmodel import SavedModelHandler
from airlock.scan.interface import ScanContext, Source

from .pb import function_def as fn
from .pb import lfield, vfield
from .pb import node_def as n

INIT = "__inference__initializer_7"


def findings(data: bytes) -> list[tuple[str, Severity]]:
    out = run_handler(SavedModelHandler(), Source(data), ScanContext("saved_model.pb"))
    return sorted((f.rule_id, f.severity) for f in out.findings)


def asset_def(tensor: str, filename: str) -> bytes:
    return lfield(1, lfield(1, tensor + ":0")) + lfield(2, filename)


def tf1(filename_input: str, assets: bytes = b"", collection: bytes = b"") -> bytes:
    nodes = [
        n("asset_path", "Const", const="vocab.txt"),
        n("evil", "Const", const="/tmp/rt15tf/secret.txt"),
        n("copy", "Identity", ("asset_path",)),
        n("hash_table", "HashTableV2"),
        n("init", "InitializeTableFromTextFileV2", ("hash_table", filename_input)),
        n("main", "NoOp", ("^init",)),
    ]
    graph = b"".join(lfield(1, x) for x in nodes)
    main = lfield(1, "saved_model_main_op") + lfield(2, lfield(1, lfield(1, "main")))
    meta = lfield(1, lfield(4, "serve")) + lfield(2, graph) + lfield(4, main)
    if collection:
        value = lfield(5, lfield(1, lfield(1, "type.googleapis.com/tensorflow.AssetFileDef")
                                 + lfield(2, collection)))  # fmt: skip
        meta += lfield(4, lfield(1, "saved_model_assets") + lfield(2, value))
    if assets:
        meta += lfield(6, assets)
    return vfield(1, 1) + lfield(2, meta)


def tf2(bound_kind: int) -> bytes:
    """A resource initializer whose filename argument is bound to object 1: a SavedAsset (5)
    or a SavedConstant (9)."""
    body = fn(INIT, ("table", "filename"), [
        n("init", "InitializeTableFromTextFileV2", ("table", "filename")),
    ])  # fmt: skip
    graph = lfield(2, lfield(1, body))
    objects = lfield(1, lfield(4, b"")) + lfield(1, lfield(bound_kind, b""))
    bound = lfield(2, bytes([0, 1]))  # bound_inputs: objects 0 and 1 (packed)
    funcs = lfield(2, lfield(1, INIT) + lfield(2, bound))
    meta = lfield(1, lfield(4, "serve")) + lfield(2, graph) + lfield(7, objects + funcs)
    return vfield(1, 1) + lfield(2, meta)


MEDIUM = [("AIR-TF-002", Severity.MEDIUM)]
HIGH = [("AIR-TF-002", Severity.HIGH)]


def test_tf1_table_from_an_asset_or_a_constant() -> None:
    assert findings(tf1("asset_path", assets=asset_def("asset_path", "vocab.txt"))) == MEDIUM
    assert findings(tf1("copy", collection=asset_def("asset_path", "vocab.txt"))) == MEDIUM
    assert findings(tf1("evil", assets=asset_def("asset_path", "vocab.txt"))) == HIGH
    assert findings(tf1("asset_path")) == HIGH  # no AssetFileDef names it


def test_asset_name_in_the_collection_leaves_the_assets_directory() -> None:
    escape = asset_def("asset_path", "../../tmp/rt15tf/secret.txt")
    assert ("AIR-TF-003", Severity.HIGH) in findings(tf1("asset_path", collection=escape))


def test_tf2_initializer_argument_bound_to_an_asset_or_a_constant() -> None:
    assert findings(tf2(5)) == MEDIUM
    assert findings(tf2(9)) == HIGH
