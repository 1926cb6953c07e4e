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

from airlock.formats.protobuf_wire import LEN, Field, ProtobufError, collect, iter_fields

MAX_OPS = 5_000_000


@dataclass(frozen=True)
class OpUse:
    op: str
    node: str
    where: str


@dataclass
class SavedModel:
    schema_version: int = 0
    tags: list[list[str]] = field(default_factory=list)
    tf_versions: list[str] = field(default_factory=list)
    ops: list[OpUse] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)
    assets: list[str] = field(default_factory=list)


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
        if 1 in fields:  # meta_info_def: tags (repeated) and tensorflow_version (singular)
            info = _merged(fields[1])
            self.model.tags.append([t.text(256) for t in info.get(4, [])])
            if 5 in info:
                self.model.tf_versions.append(_last_text(info, 5, 64))
        for g in fields.get(2, []):
            self.graph(g.data, where)
        for asset in fields.get(6, []):  # AssetFileDef.filename
            sub = collect(asset.data)
            if 2 in sub:
                self.model.assets.append(_last_text(sub, 2, 4096))

    def graph(self, data: memoryview, where: str) -> None:
        fields = collect(data)
        for n in fields.get(1, []):
            self.node(n.data, where)
        for lib in fields.get(2, []):
            for fn in collect(lib.data).get(1, []):
                sub = collect(fn.data)
                name = _last_text(_merged(sub[1]), 1, 1024) if 1 in sub else ""
                self.model.functions.add(name)
                for n in sub.get(3, []):
                    self.node(n.data, f"function {name!r}")

    def node(self, data: memoryview, where: str) -> None:
        fields = collect(data)
        self.add(_last_text(fields, 2, 1024), _last_text(fields, 1, 1024), where)


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
