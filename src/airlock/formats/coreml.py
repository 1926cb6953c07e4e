"""Core ML models: the ``.mlmodel`` protobuf (``Model`` of Model.proto, read with the bounded
wire reader) and the MIL blob storage ``weight.bin`` of an ``.mlpackage``.

A ``Model`` is a specification version, a description and exactly one model type; pipelines nest
models. What can demand code is named: a ``customModel`` (a class the app provides), a neural
network layer of type ``custom`` (likewise), a ``linkedModel`` (another compiled model loaded by
file name). ``weight.bin`` is a header and 64-byte-aligned (metadata, raw data) pairs, each
metadata carrying the 0xDEADBEEF sentinel, its data's size and offset: walked to its end.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from airlock.formats.protobuf_wire import LEN, VARINT, ProtobufError, iter_fields, read_varint
from airlock.formats.source import FormatProblem

MAX_SPEC_VERSION = 64
MAX_NESTING = 16
MAX_BLOBS = 10_000_000
CUSTOM_MODEL, LINKED_MODEL = 555, 556
PIPELINES = {200: "pipelineClassifier", 201: "pipelineRegressor", 202: "pipeline"}
NEURAL_NETWORKS = {303: "neuralNetworkRegressor", 403: "neuralNetworkClassifier",
                   500: "neuralNetwork"}  # fmt: skip
MODEL_TYPES = {
    **PIPELINES, **NEURAL_NETWORKS,
    300: "glmRegressor", 301: "supportVectorRegressor", 302: "treeEnsembleRegressor",
    304: "bayesianProbitRegressor", 400: "glmClassifier", 401: "supportVectorClassifier",
    402: "treeEnsembleClassifier", 404: "kNearestNeighborsClassifier",
    501: "itemSimilarityRecommender", 502: "mlProgram", 555: "customModel",
    556: "linkedModel", 560: "classConfidenceThresholding", 600: "oneHotEncoder",
    601: "imputer", 602: "featureVectorizer", 603: "dictVectorizer", 604: "scaler",
    606: "categoricalMapping", 607: "normalizer", 609: "arrayFeatureExtractor",
    610: "nonMaximumSuppression", 900: "identity", 2000: "textClassifier",
    2001: "wordTagger", 2002: "visionFeaturePrint", 2003: "soundAnalysisPreprocessing",
    2004: "gazetteer", 2005: "wordEmbedding", 2006: "audioFeaturePrint", 3000: "serializedModel",
}  # fmt: skip
CUSTOM_LAYER = 500  # NeuralNetworkLayer.custom


@dataclass
class CoreMLModel:
    spec_version: int = 0
    types: list[str] = field(default_factory=list)
    layers: int = 0
    custom: list[str] = field(default_factory=list)  # where code is demanded, with its name
    linked: list[str] = field(default_factory=list)
    blob_files: list[tuple[str, str]] = field(default_factory=list)  # (where, fileName)


def looks_like_mlmodel(head: bytes) -> bool:
    """``specificationVersion``, then a ``description`` whose first field is a named feature
    (the description itself may run past the head)."""
    buf = memoryview(head)
    try:
        if head[:1] != b"\x08":
            return False
        version, pos = read_varint(buf, 1, len(buf))
        if not 1 <= version <= MAX_SPEC_VERSION or head[pos : pos + 1] != b"\x12":
            return False
        _, pos = read_varint(buf, pos + 1, len(buf))  # description length
        if head[pos : pos + 1] != b"\x0a":  # ModelDescription.input (FeatureDescription)
            return False
        _, pos = read_varint(buf, pos + 1, len(buf))
        return head[pos : pos + 1] == b"\x0a"  # FeatureDescription.name
    except ProtobufError:
        return False


def read_mlmodel(data: bytes | memoryview) -> CoreMLModel:
    """The model tree; ``ProtobufError`` where it is not a Core ML ``Model``."""
    out = CoreMLModel()
    _model(data, out, "model", 0)
    return out


def _model(data: bytes | memoryview, out: CoreMLModel, where: str, depth: int) -> None:
    if depth > MAX_NESTING:
        raise ProtobufError(f"{where}: pipelines nested deeper than {MAX_NESTING}")
    kinds = []
    for f in iter_fields(data):
        if f.number == 1 and f.wire == VARINT:
            if not 1 <= f.as_int() <= MAX_SPEC_VERSION:
                raise ProtobufError(f"{where}: specification version {f.as_int()}")
            out.spec_version = max(out.spec_version, f.as_int())
        elif f.number == 2 and f.wire == LEN:
            for _ in iter_fields(f.data):
                pass
        elif f.number == 10 and f.wire == VARINT:
            pass
        elif f.number in MODEL_TYPES and f.wire == LEN:
            kind = MODEL_TYPES[f.number]
            kinds.append(kind)
            out.types.append(kind)
            if f.number in PIPELINES:
                _pipeline(f.data, f.number, out, f"{where}/{kind}", depth)
            elif f.number in NEURAL_NETWORKS:
                _network(f.data, out, f"{where}/{kind}")
            elif f.number == CUSTOM_MODEL:
                name = next((g.text(200) for g in iter_fields(f.data) if g.number == 10), "")
                out.custom.append(f"{where}: customModel class {name!r}")
            elif f.number == ML_PROGRAM:
                _program(f.data, out, f"{where}/{kind}")
            elif f.number == LINKED_MODEL:
                out.linked.append(f"{where}: linkedModel {_strings(f.data)!r}")
        else:
            raise ProtobufError(f"{where}: field {f.number} (wire {f.wire}) is not Core ML")
    if len(kinds) != 1:
        raise ProtobufError(f"{where}: {len(kinds)} model types (exactly one expected)")


def _pipeline(data: memoryview, number: int, out: CoreMLModel, where: str, depth: int) -> None:
    if number != 202:  # classifier/regressor wrap a Pipeline in field 1
        data = next((f.data for f in iter_fields(data) if f.number == 1 and f.wire == LEN),
                    memoryview(b""))  # fmt: skip
    for i, f in enumerate(g for g in iter_fields(data) if g.number == 1):
        _model(f.data, out, f"{where}[{i}]", depth + 1)


def _network(data: memoryview, out: CoreMLModel, where: str) -> None:
    for f in iter_fields(data):
        if f.number != 1 or f.wire != LEN:
            continue
        out.layers += 1
        name = ""
        for g in iter_fields(f.data):
            if g.number == 1 and g.wire == LEN:
                name = g.text(200)
            elif g.number == CUSTOM_LAYER and g.wire == LEN:
                cls = next((h.text(200) for h in iter_fields(g.data) if h.number == 10), "")
                out.custom.append(f"{where}: layer {name!r} is custom class {cls!r}")


# MIL.proto: where a Value can sit (field numbers per message), walked for BlobFileValue
# (Value.blobFileValue = 5, its fileName = 1): the weight file the runtime opens for a const.
ML_PROGRAM = 502
MAX_MIL_DEPTH = 64
MAX_BLOB_FILES = 100_000
_MIL_CHILDREN: dict[str, dict[int, str]] = {
    "Program": {2: "entry:Function", 4: "entry:Value"},
    "Function": {3: "entry:Block", 4: "entry:Value"},
    "Block": {3: "Operation", 4: "entry:Value"},
    "Operation": {2: "entry:Argument", 4: "Block", 5: "entry:Value"},
    "Argument": {1: "Binding"},
    "Binding": {2: "Value"},
    "ImmediateValue": {2: "Values", 3: "Values", 4: "Dictionary"},
    "Values": {1: "Value"},
    "Dictionary": {1: "KeyValue"},
    "KeyValue": {1: "Value", 2: "Value"},
}


def _program(data: memoryview, out: CoreMLModel, where: str) -> None:
    """Every ``BlobFileValue.fileName`` in an mlProgram (program, function, block and op
    attributes, op input bindings, and values nested in tuples, lists and dictionaries)."""
    stack: list[tuple[memoryview, str, int]] = [(data, "Program", 0)]
    while stack:
        buf, kind, depth = stack.pop()
        if depth > MAX_MIL_DEPTH:
            raise ProtobufError(f"{where}: MIL program nested deeper than {MAX_MIL_DEPTH}")
        if kind.startswith("entry:"):  # a map entry: key = 1, value = 2
            kind = kind[6:]
            buf = next((f.data for f in iter_fields(buf) if f.number == 2 and f.wire == LEN),
                       memoryview(b""))  # fmt: skip
        if kind == "Value":
            for f in iter_fields(buf):
                if f.number == 5 and f.wire == LEN:
                    names = [g for g in iter_fields(f.data) if g.number == 1 and g.wire == LEN]
                    name = names[-1].text(4096) if names else ""
                    if len(out.blob_files) >= MAX_BLOB_FILES:
                        raise ProtobufError(f"{where}: more than {MAX_BLOB_FILES} blob values")
                    out.blob_files.append((where, name))
                elif f.number == 3 and f.wire == LEN:
                    stack.append((f.data, "ImmediateValue", depth + 1))
            continue
        children = _MIL_CHILDREN.get(kind, {})
        for f in iter_fields(buf):
            child = children.get(f.number)
            if child is not None and f.wire == LEN:
                stack.append((f.data, child, depth + 1))


def _strings(data: memoryview) -> list[str]:
    """Printable strings of a small message (file names of a linked model), for evidence."""
    found: list[str] = []
    stack = [data]
    while stack and len(found) < 8:
        try:
            for f in iter_fields(stack.pop(), 64):
                if f.wire == LEN:
                    raw = bytes(f.data[:300])
                    if raw.isascii() and raw.decode().isprintable():
                        found.append(raw.decode())
                    else:
                        stack.append(f.data)
        except ProtobufError:
            continue
    return found


# --- weight.bin (MIL blob storage v2) ----------------------------------------------------------

SENTINEL = 0xDEADBEEF


@dataclass(frozen=True)
class BlobFile:
    blobs: int
    data_bytes: int


def looks_like_blob_storage(head: bytes) -> bool:
    return (
        len(head) >= 68
        and head[4:8] == b"\x02\0\0\0"
        and struct.unpack_from("<I", head, 64)[0] == SENTINEL
    )


def read_blob_storage(buf: memoryview) -> BlobFile:
    """Walk every (metadata, data) pair; ``FormatProblem`` where the chain breaks."""
    n = len(buf)
    if n < 64:
        raise FormatProblem("weight file shorter than its 64-byte header")
    count, version = struct.unpack_from("<II", buf, 0)
    if version != 2 or count > MAX_BLOBS:
        raise FormatProblem(f"blob storage version {version}, {count} blobs")
    pos, total = 64, 0
    for i in range(count):
        if pos + 64 > n:
            raise FormatProblem(f"blob {i}: metadata at {pos} past the end ({n} bytes)")
        sentinel, _dtype, size, offset = struct.unpack_from("<IIQQ", buf, pos)
        if sentinel != SENTINEL:
            raise FormatProblem(f"blob {i}: no 0xDEADBEEF sentinel at {pos}")
        if offset < pos + 64 or offset + size > n:
            raise FormatProblem(f"blob {i}: data {offset}..{offset + size} outside {pos + 64}..{n}")
        total += size
        pos = (offset + size + 63) // 64 * 64
    rest = bytes(buf[min(pos, n) :]) if n - min(pos, n) <= 1 << 20 else b"x"
    if rest.strip(b"\0"):
        raise FormatProblem(f"{n - pos} bytes after the last blob")
    return BlobFile(count, total)
