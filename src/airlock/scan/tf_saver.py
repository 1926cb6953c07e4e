"""Proof that a SavedModel's V2 checkpoint ops (SaveV2, RestoreV2, MergeV2Checkpoints) only
run as its saver: their paths come from the SaverDef's filename placeholder, which the loader
feeds with the model's own ``variables/variables``, and nothing a loader runs at load or call
time reaches them.

TensorFlow runs these ops wherever a graph puts them: in a resource initializer (run by
``tf.saved_model.load``), a main op or a signature, with a constant path they write or read any
file (the red team's rt14 models wrote ``/tmp/rt14/mark_*`` at load). The honest shapes, as the
savers write them:

* TF2: ``__inference__traced_save_N(file_prefix, ...)`` / ``..._restore_N(file_prefix)`` build
  the path from their argument (``StringJoin`` with ``.part`` / ``_temp/part``,
  ``ShardedFilename``, ``Pack``); the only callers are graph nodes
  ``StatefulPartitionedCall(saver_filename, ...)`` that nothing depends on.
* TF1: the same ops as graph nodes under ``save/``, the path from ``save/Const``
  (PlaceholderWithDefault) named by the SaverDef; only the SaverDef's save/restore targets
  depend on them.

Anything else (a constant path, another placeholder, a value read from a variable, a caller in
a function or the object graph, a signature, main op or collection that depends on the op)
cannot be proven and is reported."""

from __future__ import annotations

import re

from airlock.formats.savedmodel import Body, MetaGraph, Node

# op -> which data inputs are paths
PATH_INPUTS: dict[str, tuple[int, ...]] = {
    "SaveV2": (0,), "RestoreV2": (0,), "MergeV2Checkpoints": (0, 1),
}  # fmt: skip
# ops a saver builds its paths with -> which data inputs carry the path (None: all)
_PASS: dict[str, tuple[int, ...] | None] = {
    "Identity": None, "StringJoin": None, "Pack": None, "ShardedFilename": (0,),
    "Select": (1, 2), "SelectV2": (1, 2),
}  # fmt: skip
# the suffixes savers join to the prefix (TF1 sharded savers: _temp_<uuid hex>/part)
_SUFFIX = re.compile(r"\.part|_temp(_[0-9a-f]{32})?/part")
_CALLS = frozenset({"PartitionedCall", "StatefulPartitionedCall"})
_FILENAME_OPS = frozenset({"Placeholder", "PlaceholderWithDefault"})
MAX_TRACE = 10_000


def _data_inputs(node: Node) -> list[str]:
    return [i for i in node.inputs if not i.startswith("^")]


def _trace(body: Body, node: Node, root: str | None) -> tuple[set[str], list[str]]:
    """Where ``node``'s path inputs come from: the function args (``root`` None) or the graph's
    ``root`` they
    reach through path-building ops, and what else they reach (each a reason). A suffix
    constant is proven only where a saver puts it, after the prefix of a ``StringJoin``: alone
    (a ``Select`` branch, a ``Pack`` item, a path of its own) ``.part`` is a file in the
    loader's working directory (rt15tf: written at load)."""
    roots: set[str] = set()
    problems: list[str] = []
    inputs = _data_inputs(node)
    todo = [(inputs[i], False) for i in PATH_INPUTS[node.op] if i < len(inputs)]
    if len(todo) < len(PATH_INPUTS[node.op]):
        problems.append("a path input is missing")
    seen: set[tuple[str, bool]] = set()
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        ref, suffix = item
        if len(seen) > MAX_TRACE:
            return roots, [f"path built from more than {MAX_TRACE} values"]
        name = ref.split(":", 1)[0]
        if root is None and ":" not in ref:
            if ref in body.args:
                roots.add(ref)
            else:
                problems.append(f"unknown input {ref!r}")
        elif name == root:
            roots.add(name)
        elif (src := body.nodes.get(name)) is None:
            problems.append(f"unknown input {ref!r}")
        elif src.placeholder:
            problems.append(f"{src.op} {name!r} with an attr its caller fills in")
        elif src.op == "StringJoin" and any(
            k == "separator" and v != "" for k, v in src.texts
        ):  # savers join with no separator; one like '/../../tmp/x' escapes the model
            problems.append(f"StringJoin {name!r} with a separator")
        elif src.op == "Const":
            if not suffix:
                problems.append(f"constant {src.strings[:2]!r} ({name!r}) not after a prefix")
            elif not src.strings or not all(_SUFFIX.fullmatch(s) for s in src.strings):
                problems.append(f"constant {src.strings[:2]!r} ({name!r})")
        elif src.op in _PASS:
            ins = _data_inputs(src)
            picks = _PASS[src.op]
            chosen = range(len(ins)) if picks is None else [i for i in picks if i < len(ins)]
            join = src.op == "StringJoin"
            todo += [(ins[i], i > 0 if join else suffix) for i in chosen]
        else:
            problems.append(f"{src.op} {name!r}")
    return roots, problems


def _consumers(graph: Body) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n in graph.nodes.values():
        for ref in n.inputs:
            out.setdefault(ref.removeprefix("^").split(":", 1)[0], []).append(n.name)
    return out


def unproven_checkpoint_ops(mg: MetaGraph) -> list[str]:
    """One reason per V2 checkpoint op (or call of a function holding one) that the saver
    shape above does not prove; empty when every such op is the saver's own."""
    out: list[str] = []
    root = mg.saver_filename
    filename = mg.graph.nodes.get(root)
    has_root = filename is not None and filename.op in _FILENAME_OPS
    sources: set[str] = set()  # graph nodes that run a checkpoint op
    ckpt_args: dict[str, set[int]] = {}
    for fname, body in mg.functions.items():
        for node in body.nodes.values():
            if node.op not in PATH_INPUTS:
                continue
            roots, problems = _trace(body, node, None)
            if not roots:
                problems.append("no path from the function's arguments")
            for p in problems[:1]:
                out.append(f"{node.op} {node.name!r} in {body.where}: path from {p}")
            ckpt_args.setdefault(fname, set()).update(body.args.index(r) for r in roots)
    for node in mg.graph.nodes.values():
        if node.op not in PATH_INPUTS:
            continue
        roots, problems = _trace(mg.graph, node, root)
        if not has_root:
            problems.append(f"no SaverDef filename placeholder ({root!r})")
        elif not roots:
            problems.append("no path from the SaverDef filename")
        for p in problems[:1]:
            out.append(f"{node.op} {node.name!r} in {mg.graph.where}: path from {p}")
        sources.add(node.name)
    for fname, argidx in ckpt_args.items():
        if fname in mg.loader_functions:
            out.append(f"{fname!r} (checkpoint ops) is called by the loader itself")
        for body in (mg.graph, *mg.functions.values()):
            for node in body.nodes.values():
                if fname not in node.funcs and node.op != fname:
                    continue
                ins = _data_inputs(node)
                if body is not mg.graph or node.op not in _CALLS or node.funcs != {fname}:
                    out.append(f"{fname!r} (checkpoint ops) called by {node.op} {node.name!r}"
                               f" in {body.where}")  # fmt: skip
                elif not has_root or any(
                    i >= len(ins) or ins[i] not in (root, f"{root}:0") for i in argidx
                ):
                    out.append(f"{fname!r} (checkpoint ops) called by {node.name!r} with a path"
                               " other than the SaverDef filename")  # fmt: skip
                sources.add(node.name)
    if sources and mg.fetches:
        consumers = _consumers(mg.graph)
        todo, reached = list(sources), set(sources)
        while todo:
            for nxt in consumers.get(todo.pop(), []):
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        for name in sorted(reached & mg.fetches)[:5]:
            out.append(f"{name!r}, run by a signature, main op or collection, runs checkpoint ops")
    return out


def asset_reads(mg: MetaGraph, ops: frozenset[str]) -> set[tuple[str, str]]:
    """(where, node) of each ``ops`` node (the vocabulary-file table initializers) whose
    filename (input 1) is, through ``Identity``, what the loader feeds with the model's own
    asset path: a tensor an AssetFileDef names (graph) or an argument bound to a SavedAsset
    (function). Any other filename (a constant, a SavedConstant, a joined string) reads a file
    the graph chooses (rt15tf: '/tmp/rt15tf/secret.txt', returned by the serving signature)."""
    out: set[tuple[str, str]] = set()
    bodies = [(mg.graph, None), *((b, f) for f, b in mg.functions.items())]
    for body, fname in bodies:
        for node in body.nodes.values():
            if node.op not in ops:
                continue
            ins = _data_inputs(node)
            ref = ins[1] if len(ins) > 1 else ""
            for _ in range(MAX_TRACE):
                src = body.nodes.get(ref.split(":", 1)[0]) if fname is None or ":" in ref else None
                if src is None or src.op != "Identity" or not _data_inputs(src):
                    break
                ref = _data_inputs(src)[0]
            if fname is None:
                proven = ref.split(":", 1)[0] in mg.asset_tensors
            else:
                args = mg.asset_args.get(fname, set())
                proven = ":" not in ref and ref in body.args and body.args.index(ref) in args
            if proven:
                out.add((body.where, node.name))
    return out
