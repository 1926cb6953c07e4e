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

The CTR tables stored after the core (``ModelPartIds``) are not proven. Field numbers are those
of catboost/libs/model/flatbuffers/model.fbs and features.fbs. Pure: bytes in, reason out (None
= proven); never imports catboost.
"""

from __future__ import annotations

import struct

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
CORE_TREES = 1
APPROX, SPLITS, SIZES, STARTS = 0, 1, 2, 3
FLOATS, ONE_HOTS, CTRS, LEAVES, WEIGHTS, STEPS, NODE_LEAF, ESTIMATED = 5, 6, 7, 8, 9, 10, 11, 13
# per feature table: the vector counted as binary features
FLOAT_BORDERS, ONE_HOT_VALUES, CTR_BORDERS, ESTIMATED_BORDERS = 3, 1, 1, 3


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

    def field(self, i: int) -> int | None:
        if i >= len(self.fields) or not self.fields[i]:
            return None
        if self.fields[i] + 4 > self.size:
            raise _NotProven(f"flatbuffers field {i} outside its table")
        return self.pos + self.fields[i]

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

    def numbers(self, i: int, code: str) -> tuple[int | float, ...]:
        start, n = self.vector(i, struct.calcsize(code))
        return _unpack(self.buf, f"<{n}{code}", start) if n else ()

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


def _unpack(buf: bytes, fmt: str, pos: int) -> tuple[int, ...]:
    if pos < 0 or pos + struct.calcsize(fmt) > len(buf):
        raise _NotProven(f"flatbuffers structure at {pos} runs past the model core")
    return struct.unpack_from(fmt, buf, pos)


def verdict(core: bytes) -> str | None:
    """None when every index CatBoost's load and predict read from this model core is proven in
    range; else why not."""
    try:
        _verdict(core)
    except _NotProven as exc:
        return str(exc)
    except (struct.error, OverflowError, MemoryError) as exc:
        return f"unexpected model core layout ({type(exc).__name__})"
    return None


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
    if any(s < 0 for s in sizes) or sum(sizes) != len(splits):
        raise _NotProven(f"tree sizes add up to {sum(sizes)}, {len(splits)} splits")
    offsets = [0]
    for s in sizes:
        offsets.append(offsets[-1] + int(s))
    if starts and list(starts) != offsets[:-1]:
        raise _NotProven("TreeStartOffsets are not the prefix sums of TreeSizes")
    bins = _binary_features(trees)
    bad = next((s for s in splits if not 0 <= s < bins), None)
    if bad is not None:
        raise _NotProven(f"tree split {bad} outside the {bins} binary features")
    leaves = trees.vector(LEAVES, 8)[1]
    weights = trees.vector(WEIGHTS, 8)[1]
    _, steps = trees.vector(STEPS, 4)
    if steps or trees.vector(NODE_LEAF, 4)[1]:
        _non_symmetric(trees, [int(s) for s in sizes], offsets, approx, leaves, weights)
        return
    if any(s > MAX_DEPTH for s in sizes):
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
    steps = _unpack(trees.buf, f"<{2 * count}H", start) if count else ()
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
