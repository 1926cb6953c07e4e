"""Index proof for CatBoost binary models (``.cbm``): the flatbuffers model core that
``CatBoost.load_model`` reads (``CBM1``, core size, ``NCatBoostFbs.TModelCore``).

CatBoost copies the core's arrays and indexes with them unchecked (red team rt13, catboost
1.2.10): a ``TreeSplits`` entry outside the model's binary features crashes ``load_model``
(SIGSEGV at 10^6 or a negative value, a silent out-of-bounds read one past the end); tree sizes
that do not add up to the splits, or ``LeafValues`` shorter than the trees' leaves, make
predict read past the arrays. :func:`verdict` proves, from the core alone:

* ``ApproxDimension`` >= 1; ``TreeSizes`` add up to ``len(TreeSplits)`` and
  ``TreeStartOffsets`` (when present) are their prefix sums;
* every split < the binary feature count: float feature borders + one-hot values + CTR
  borders + estimated feature borders (the order CatBoost numbers them in);
* symmetric trees: depth <= 16 and ``len(LeafValues) == ApproxDimension * sum(2**depth)``
  (``LeafWeights`` empty or one per leaf);
* non-symmetric trees (``NonSymmetricStepNodes``): one step node and one leaf entry per split,
  every step stays inside its tree, a node a walk can stop at (a zero step) names a leaf value
  offset (a multiple of ``ApproxDimension``) whose values and weight exist.

The model parts after the core (``ModelPartIds``) are read in order. ``static_provider_v1``
holds the CTR value tables of categorical features (``TCtrData``: a count, then per table its
size and a ``TCtrValueTable`` flatbuffer that CatBoost copies unverified): each table's dense
hash (12-byte buckets: hash, index) has a power-of-two bucket count with an empty bucket (the
probe ends), and every bucket's index names an entry of ``CTRBlob`` (4 bytes x
``TargetClassesCount`` for Borders/Buckets, 8 for target means, 4 for counters); an index of
2*10^9 crashed predict (SIGSEGV), one past the end read silently. Text and embedding processing
parts are not proven (:func:`unread_parts`); a CTR part behind one is not proven either.

Field numbers are those of catboost/libs/model/flatbuffers/model.fbs, features.fbs and
ctr_data.fbs. Pure: bytes in, reason out (None = proven); never imports catboost.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Sequence
from typing import Any, Literal

from airlock.report import Severity
from airlock.scan.format_rules import Rule

UNPROVEN = Rule(
    "AIR-CBM-001",
    Severity.HIGH,
    "CatBoost model indexes not proven in range",
    "CatBoost's loader copies the model core's tree splits, sizes and leaf arrays and indexes"
    " with them unchecked: an out-of-range split crashes load_model (SIGSEGV) or reads past the"
    " binary features, short leaf arrays are read past their end at predict. Airlock allows a"
    " .cbm only when it proves every such index in range; this one it could not.",
    "https://catboost.ai/docs/en/concepts/python-reference_catboost_load_model",
)

MAX_DEPTH = 16  # CatBoost's own limit for symmetric trees
MAX_APPROX = 1 << 20
MAX_ITEMS = 50_000_000
NO_LEAF = 0xFFFFFFFF

# TModelCore / TModelTrees (TObliviousTrees) field ids
CORE_TREES, CORE_PARTS = 1, 3
STATIC_PROVIDER = "static_provider_v1"
# TCtrValueTable / TModelCtrBase field ids, bucket layout
TABLE_BASE, TABLE_INDEX, TABLE_BLOB, TABLE_CLASSES, BASE_CTR_TYPE = 0, 1, 2, 4, 1
BUCKET = 12
EMPTY_BUCKET = 0xFFFF_FFFF_FFFF_FFFF
MAX_BUCKETS = 1 << 28
APPROX, SPLITS, SIZES, STARTS = 0, 1, 2, 3
FLOATS, ONE_HOTS, CTRS, LEAVES, WEIGHTS, STEPS, NODE_LEAF, ESTIMATED = 5, 6, 7, 8, 9, 10, 11, 13
# per feature table: the vector counted as binary features
FLOAT_BORDERS, ONE_HOT_VALUES, CTR_BORDERS, ESTIMATED_BORDERS = 3, 1, 1, 3


Code = Literal["i", "I", "H"]  # int32, uint32, uint16 vector elements


class _NotProven(Exception):
    pass


class _Table:
    """One flatbuffers table inside ``buf``, every offset checked against the buffer."""

    def __init__(self, buf: bytes, pos: int) -> None:
        self.buf = buf
        self.pos = pos
        (soff,) = _unpack(buf, "<i", pos)
        vt = pos - soff
        vsize, tsize = _unpack(buf, "<HH", vt)
        if vsize < 4 or vsize % 2:
            raise _NotProven(f"flatbuffers vtable at {vt} of {vsize} bytes")
        self.fields = _unpack(buf, f"<{(vsize - 4) // 2}H", vt + 4)
        self.size = tsize

    def field(self, i: int, width: int = 4) -> int | None:
        if i >= len(self.fields) or not self.fields[i]:
            return None
        if self.fields[i] + width > self.size:
            raise _NotProven(f"flatbuffers field {i} outside its table")
        return self.pos + self.fields[i]

    def uint8(self, i: int, default: int) -> int:
        p = self.field(i, 1)
        return default if p is None else int(_unpack(self.buf, "<B", p)[0])

    def strings(self, i: int) -> list[str]:
        start, n = self.vector(i, 4)
        out = []
        for k in range(n):
            at = start + 4 * k
            pos = at + int(_unpack(self.buf, "<I", at)[0])
            (length,) = _unpack(self.buf, "<I", pos)
            out.append(bytes(self.buf[pos + 4 : pos + 4 + length]).decode("utf-8", "replace"))
        return out

    def int32(self, i: int, default: int) -> int:
        p = self.field(i)
        return default if p is None else int(_unpack(self.buf, "<i", p)[0])

    def _ref(self, i: int) -> int | None:
        p = self.field(i)
        return None if p is None else p + int(_unpack(self.buf, "<I", p)[0])

    def vector(self, i: int, elem: int) -> tuple[int, int]:
        """(start, count) of vector field ``i`` of ``elem``-byte elements; (0, 0) when absent."""
        p = self._ref(i)
        if p is None:
            return 0, 0
        (n,) = _unpack(self.buf, "<I", p)
        if n > MAX_ITEMS or p + 4 + n * elem > len(self.buf):
            raise _NotProven(f"flatbuffers vector field {i} runs past the model core")
        return p + 4, n

    def numbers(self, i: int, code: Code) -> Sequence[int]:
        """Vector field ``i`` of ``code`` ("i", "I", "H") values, without copying them (a model
        of millions of splits holds no tuple of millions of ints)."""
        start, n = self.vector(i, struct.calcsize(code))
        return _numbers(self.buf, start, n, code)

    def tables(self, i: int) -> list[_Table]:
        start, n = self.vector(i, 4)
        out = []
        for k in range(n):
            at = start + 4 * k
            out.append(_Table(self.buf, at + int(_unpack(self.buf, "<I", at)[0])))
        return out

    def table(self, i: int) -> _Table | None:
        p = self._ref(i)
        return None if p is None else _Table(self.buf, p)


def _numbers(buf: bytes, start: int, n: int, code: Code) -> Sequence[int]:
    if not n:
        return ()
    if sys.byteorder == "little":  # flatbuffers are little-endian: a view is the values
        view: Sequence[int] = memoryview(buf)[start : start + n * struct.calcsize(code)].cast(code)
        return view
    return _unpack(buf, f"<{n}{code}", start)


def _unpack(buf: bytes, fmt: str, pos: int) -> tuple[int, ...]:
    if pos < 0 or pos + struct.calcsize(fmt) > len(buf):
        raise _NotProven(f"flatbuffers structure at {pos} runs past the model core")
    return struct.unpack_from(fmt, buf, pos)


def verdict(core: bytes, parts: bytes = b"") -> str | None:
    """None when every index CatBoost's load and predict read from this model core and the
    model parts after it (``parts``: the rest of the file) is proven in range; else why not."""
    try:
        _verdict(core)
        _parts(core, parts)
    except _NotProven as exc:
        return str(exc)
    except (struct.error, OverflowError, MemoryError, UnicodeError) as exc:
        return f"unexpected model core layout ({type(exc).__name__})"
    return None


def unread_parts(core: bytes) -> list[str]:
    """The model parts this proof does not read (text and embedding processing), by id."""
    try:
        (root,) = _unpack(core, "<I", 0)
        ids = _Table(core, root).strings(CORE_PARTS)
    except (_NotProven, struct.error, UnicodeError):
        return []
    return [i.rstrip("\0") for i in ids if i != STATIC_PROVIDER]


def _verdict(core: bytes) -> None:
    (root,) = _unpack(core, "<I", 0)
    trees = _Table(core, root).table(CORE_TREES)
    if trees is None:
        raise _NotProven("model core without trees")
    approx = trees.int32(APPROX, 0)
    if not 1 <= approx <= MAX_APPROX:
        raise _NotProven(f"ApproxDimension {approx} (1..{MAX_APPROX} proven)")
    splits = trees.numbers(SPLITS, "i")
    sizes = trees.numbers(SIZES, "i")
    starts = trees.numbers(STARTS, "i")
    if (sizes and min(sizes) < 0) or sum(sizes) != len(splits):
        raise _NotProven(f"tree sizes add up to {sum(sizes)}, {len(splits)} splits")
    offsets = [0]
    for s in sizes:
        offsets.append(offsets[-1] + int(s))
    if starts and list(starts) != offsets[:-1]:
        raise _NotProven("TreeStartOffsets are not the prefix sums of TreeSizes")
    bins = _binary_features(trees)
    if splits and (min(splits) < 0 or max(splits) >= bins):
        bad = next(s for s in splits if not 0 <= s < bins)
        raise _NotProven(f"tree split {bad} outside the {bins} binary features")
    leaves = trees.vector(LEAVES, 8)[1]
    weights = trees.vector(WEIGHTS, 8)[1]
    _, steps = trees.vector(STEPS, 4)
    if steps or trees.vector(NODE_LEAF, 4)[1]:
        _non_symmetric(trees, [int(s) for s in sizes], offsets, approx, leaves, weights)
        return
    if sizes and max(sizes) > MAX_DEPTH:
        raise _NotProven(f"symmetric tree deeper than {MAX_DEPTH}")
    count = sum(1 << int(s) for s in sizes)
    if leaves != approx * count:
        raise _NotProven(f"{leaves} leaf values for {count} leaves x {approx} dimensions")
    if weights not in (0, count):
        raise _NotProven(f"{weights} leaf weights for {count} leaves")


def _binary_features(trees: _Table) -> int:
    """How many binary features CatBoost numbers (the splits' range)."""
    total = 0
    for field, sub in (
        (FLOATS, FLOAT_BORDERS),
        (ONE_HOTS, ONE_HOT_VALUES),
        (CTRS, CTR_BORDERS),
        (ESTIMATED, ESTIMATED_BORDERS),
    ):
        for t in trees.tables(field):
            total += t.vector(sub, 4)[1]
    return total


def _non_symmetric(
    trees: _Table, sizes: list[int], offsets: list[int], approx: int, leaves: int, weights: int
) -> None:
    start, count = trees.vector(STEPS, 4)  # TNonSymmetricTreeStepNode: (left, right) uint16
    steps = _numbers(trees.buf, start, 2 * count, "H")
    node_leaf = trees.numbers(NODE_LEAF, "I")
    nodes = offsets[-1]
    if len(steps) != 2 * nodes or len(node_leaf) != nodes:
        raise _NotProven(f"{len(steps) // 2} step nodes, {len(node_leaf)} leaf ids, {nodes} nodes")
    if weights and weights * approx != leaves:
        raise _NotProven(f"{weights} leaf weights for {leaves} leaf values x {approx}")
    for tree, size in enumerate(sizes):
        if size < 1:
            raise _NotProven(f"non-symmetric tree {tree} without nodes")
        end = offsets[tree] + size
        for node in range(offsets[tree], end):
            left, right = int(steps[2 * node]), int(steps[2 * node + 1])
            if node + max(left, right) >= end:
                raise _NotProven(f"tree {tree} node {node} steps outside its tree")
            if left and right:
                continue
            leaf = int(node_leaf[node])
            if leaf == NO_LEAF or leaf % approx or leaf + approx > leaves:
                raise _NotProven(f"tree {tree} node {node} ends a walk at leaf offset {leaf}")


def _parts(core: bytes, rest: bytes) -> None:
    """Every CTR part, in file order; an unread part ends the walk (its length is its own)."""
    (root,) = _unpack(core, "<I", 0)
    ids = _Table(core, root).strings(CORE_PARTS)
    pos = 0
    for k, part in enumerate(ids):
        if part != STATIC_PROVIDER:
            if STATIC_PROVIDER in ids[k + 1 :]:
                raise _NotProven(f"CTR tables behind the unread model part {part!r}")
            return
        pos = _static_provider(rest, pos)
    if pos != len(rest):
        raise _NotProven(f"{len(rest) - pos} bytes after the model parts")


def _load_size(buf: bytes, pos: int) -> tuple[int, int]:
    """util's LoadSize: a ui32, or 0xFFFFFFFF and a ui64."""
    (n,) = _unpack(buf, "<I", pos)
    if n != 0xFFFFFFFF:
        return int(n), pos + 4
    (m,) = _unpack(buf, "<Q", pos + 4)
    return int(m), pos + 12


def _static_provider(rest: bytes, pos: int) -> int:
    """``TCtrData``: a count, then each ``TCtrValueTable`` (its size, its flatbuffer)."""
    count, pos = _load_size(rest, pos)
    if count > len(rest):
        raise _NotProven(f"{count} CTR tables in {len(rest)} bytes")
    for i in range(count):
        size, pos = _load_size(rest, pos)
        if size > len(rest) - pos:
            raise _NotProven(f"CTR table {i} of {size} bytes runs past the file")
        _ctr_table(rest[pos : pos + size], i)
        pos += size
    return pos


def _ctr_table(buf: bytes, i: int) -> None:
    (root,) = _unpack(buf, "<I", 0)
    table = _Table(buf, root)
    base = table.table(TABLE_BASE)
    ctr_type = base.uint8(BASE_CTR_TYPE, 0) if base is not None else 0
    classes = table.int32(TABLE_CLASSES, 0)
    if ctr_type in (0, 1):  # Borders, Buckets: one int per target class
        if not 1 <= classes <= MAX_APPROX:
            raise _NotProven(f"CTR table {i}: TargetClassesCount {classes}")
        entry = 4 * classes
    elif ctr_type in (2, 3):  # BinarizedTargetMeanValue, FloatTargetMeanValue: (sum, count)
        entry = 8
    elif ctr_type in (4, 5):  # Counter, FeatureFreq: one int
        entry = 4
    else:
        raise _NotProven(f"CTR table {i}: unknown CTR type {ctr_type}")
    start, size = table.vector(TABLE_INDEX, 1)
    _, blob = table.vector(TABLE_BLOB, 1)
    buckets, odd = divmod(size, BUCKET)
    if odd or not 1 <= buckets <= MAX_BUCKETS or buckets & (buckets - 1):
        raise _NotProven(f"CTR table {i}: {size} bytes of hash buckets (a power of two of 12)")
    if blob % entry:
        raise _NotProven(f"CTR table {i}: {blob} bytes of values in {entry}-byte entries")
    entries = blob // entry
    empty = False
    for k in range(buckets):
        key, index = _unpack(buf, "<QI", start + k * BUCKET)
        if key == EMPTY_BUCKET:
            empty = True
        elif index >= entries:
            raise _NotProven(f"CTR table {i}: bucket {k} names value {index} of {entries}")
    if not empty:
        raise _NotProven(f"CTR table {i}: no empty hash bucket (a lookup would never end)")


# -- JSON models (save_model(format="json")) ------------------------------------------------

MAX_JSON_DEPTH = 64


def looks_like_json_model(doc: Any) -> bool:
    """A CatBoost JSON model: ``features_info`` and ``oblivious_trees`` (symmetric) or
    ``trees`` (non-symmetric) at the top."""
    return (
        type(doc) is dict
        and "features_info" in doc
        and ("oblivious_trees" in doc or "trees" in doc)
    )


def json_verdict(doc: dict[str, Any]) -> str | None:
    """None when every split index of a CatBoost JSON model is below its binary feature count
    and every tree's leaves match its depth (``load_model(format="json")`` indexes with
    ``split_index`` unchecked: 10^6 crashes it); else why not."""
    try:
        _json_verdict(doc)
    except _NotProven as exc:
        return str(exc)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
        return f"unexpected JSON model layout ({type(exc).__name__})"
    return None


def _count(items: Any, key: str) -> int:
    total = 0
    for item in items or []:
        values = item.get(key) or []
        if type(values) is not list:
            raise _NotProven(f"{key} is not a list")
        total += len(values)
    return total


def _json_verdict(doc: dict[str, Any]) -> None:
    info = doc["features_info"]
    bins = (
        _count(info.get("float_features"), "borders")
        + _count(info.get("categorical_features"), "values")
        + _count(info.get("ctrs"), "borders")
        + _count(info.get("estimated_features"), "borders")
    )
    approx: int | None = None
    bias = (doc.get("scale_and_bias") or [None, None])[1]
    if type(bias) is list and bias:
        approx = len(bias)
    if "oblivious_trees" in doc:
        for t, tree in enumerate(doc["oblivious_trees"]):
            splits = tree.get("splits") or []
            if len(splits) > MAX_DEPTH:
                raise _NotProven(f"tree {t} deeper than {MAX_DEPTH}")
            for split in splits:
                _json_split(split, bins, t)
            leaves = 1 << len(splits)
            values = len(tree["leaf_values"])
            if values % leaves or not values:
                raise _NotProven(f"tree {t}: {values} leaf values for {leaves} leaves")
            if approx is None:
                approx = values // leaves
            if values != approx * leaves:
                raise _NotProven(f"tree {t}: {values} leaf values for {leaves} x {approx}")
            weights = tree.get("leaf_weights")
            if weights is not None and len(weights) not in (0, leaves):
                raise _NotProven(f"tree {t}: {len(weights)} leaf weights for {leaves} leaves")
    if "trees" in doc:
        for t, tree in enumerate(doc["trees"]):
            _json_node(tree, bins, t, approx)


def _json_split(split: dict[str, Any], bins: int, tree: int) -> None:
    index = split["split_index"]
    if type(index) is not int or not 0 <= index < bins:
        raise _NotProven(f"tree {tree}: split_index {index!r} outside the {bins} binary features")


def _json_node(root: Any, bins: int, tree: int, approx: int | None) -> None:
    stack = [(root, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_JSON_DEPTH or nodes > MAX_ITEMS:
            raise _NotProven(f"tree {tree} nested deeper than {MAX_JSON_DEPTH}")
        if type(node) is not dict:
            raise _NotProven(f"tree {tree}: a node that is not an object")
        if "split" in node:
            _json_split(node["split"], bins, tree)
            stack.append((node["left"], depth + 1))
            stack.append((node["right"], depth + 1))
            continue
        value = node["value"]
        width = len(value) if type(value) is list else 1
        if approx is not None and width != approx:
            raise _NotProven(f"tree {tree}: a leaf of {width} values, {approx} dimensions")
