"""Proof that a pandas DataFrame's blocks place its columns inside the frame.

pandas 2.x/3.x pickle a DataFrame's BlockManager as ``BlockManager(blocks, axes)`` with each
block from ``pandas._libs.internals._unpickle_block(values, placement, ndim)``. The constructor
checks only that the blocks' placements hold as many positions as the frame has columns,
never that each position is below that count: a placement of ``slice(10**6, 10**6 + 2, 1)``
loads and ``print(df)`` reads out of bounds (SIGSEGV, red team rt16pk). Proven here: the
placements (a slice of ints with a positive step, or a 1-D int array in the pickle) are
pairwise disjoint and together exactly 0..N-1 for N their total count (which pandas checks is
the column count), and each 2-D numpy block has as many rows as its placement. A BlockManager
from ``__new__`` and ``__setstate__`` (pandas < 1.4 pickles) is proven the same way, with N the
length of its items, which pandas checks nowhere there. Pure: values in, reason out (None =
proven); whatever is not shown plainly is a reason (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airlock.scan import index_proof as ip

RULE = ip.RULE
MANAGER = "pandas.core.internals.managers.BlockManager"
UNPICKLE_BLOCK = "pandas._libs.internals._unpickle_block"
SLICE = "builtins.slice"
#: names whose calls the pickle machine records for this proof
CALLS = frozenset({MANAGER, UNPICKLE_BLOCK, SLICE})
MAX_ITEMS = 1 << 26  # column positions checked per frame; more -> not proven


def placement_items(placement: Any, arr_of: Callable[[Any], Any]) -> Any:
    """The positions a placement names as a numpy int64 array, or the reason they are not
    known. ``placement`` is a 3-tuple of a ``slice(start, stop, step)`` call or an array."""
    import numpy as np

    if type(placement) is tuple:
        if len(placement) != 3 or not all(type(v) is int for v in placement):
            return f"slice{placement!r:.60} is not slice(int, int, int)"
        start, stop, step = placement
        if step < 1 or start < 0 or stop < start:
            return f"slice{placement!r:.60} is not an increasing slice from a position >= 0"
        if (stop - start) // step > MAX_ITEMS:
            return f"slice{placement!r:.60} names too many positions to check"
        return np.arange(start, stop, step, dtype=np.int64)
    arr = arr_of(placement)
    if type(arr) is str:
        return f"placement: {arr}"
    values = ip.int_values(arr, "placement")
    if type(values) is str:
        return values
    return values.astype(np.int64)


def verdict(blocks: list[Any], arr_of: Callable[[Any], Any]) -> str | None:
    """None when the blocks' placements are disjoint and cover exactly 0..N-1. Each block is
    (placement, rows of its 2-D numpy values or None, ndim), or the reason it is not known."""
    import numpy as np

    parts = []
    total = 0
    for i, block in enumerate(blocks):
        if type(block) is str:
            return f"block {i}: {block}"
        placement, rows, ndim = block
        if type(ndim) is not int or ndim != 2:
            return f"block {i}: ndim {ndim!r:.20} is not 2"
        items = placement_items(placement, arr_of)
        if type(items) is str:
            return f"block {i}: {items}"
        if rows is not None and rows != len(items):
            return f"block {i}: {rows} rows of values for {len(items)} placed columns"
        total += len(items)
        if total > MAX_ITEMS:
            return "too many columns to check"
        parts.append(items)
    if not parts:
        return None
    allitems = np.sort(np.concatenate(parts))
    if not bool(np.array_equal(allitems, np.arange(total, dtype=np.int64))):
        return f"block placements are not exactly the columns 0..{total - 1} once each"
    return None


def placed_count(blocks: list[Any], arr_of: Callable[[Any], Any]) -> int:
    """How many columns proven blocks (``verdict`` None) place."""
    return sum(len(placement_items(b[0], arr_of)) for b in blocks)


def old_state(states: list[Any]) -> Any:
    """(axes, blocks) of a BlockManager's one ``__setstate__`` state, pandas' ``(axes, values,
    items, {'0.14.1': {'axes': [...], 'blocks': [{'values', 'mgr_locs'}...]}})`` with dicts as
    lists of items and lists as tuples; or the reason it is not that."""
    if len(states) != 1:
        return f"given its state {len(states)} times"
    state = states[0]
    if type(state) is not tuple or len(state) < 4:
        return "a state other than pandas' (axes, values, items, {'0.14.1': ...})"
    top = _items(state[3])
    inner = _items(top.get("0.14.1")) if top is not None else None
    if inner is None:
        return "a state without its '0.14.1' dict"
    axes, blocks = inner.get("axes"), inner.get("blocks")
    if type(axes) is not tuple or not axes or type(blocks) is not tuple:
        return "a '0.14.1' state without axes and blocks"
    return axes, blocks


def _items(value: Any) -> dict[str, Any] | None:
    if type(value) is not list:
        return None
    out: dict[str, Any] = {}
    for item in value:
        if type(item) is not tuple or len(item) != 2 or type(item[0]) is not str:
            return None
        out[item[0]] = item[1]
    return out
