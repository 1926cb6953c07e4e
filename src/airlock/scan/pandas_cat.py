"""Proof that pickled pandas arrays index only inside themselves.

pandas rebuilds a Categorical as ``__pyx_unpickle_NDArrayBacked(Categorical, checksum, None)``
and a BUILD of ``(CategoricalDtype, codes)``. ``__setstate__`` checks nothing, and pandas later
takes ``categories[codes]`` with bounds checks off: a code of 2**40 loads, and
``astype(object)`` or ``DataFrame.to_numpy()`` SIGSEGV (red team rt17pk). Proven here: the codes
are a 1-D signed int array in the pickle, every value in [-1, K) for K the length of the dtype's
categories as the pickle builds them (an ndarray, or an Index / arrow or NDArrayBacked array over
one). Every NDArrayBacked from that helper gets one (dtype, ndarray) state (without one
``len()`` SIGSEGVs), and a masked array (IntegerArray, FloatingArray, BooleanArray) made by
``__newobj__`` gets ``_data`` and ``_mask`` of one shape (a short mask loads, and
``groupby(...).cumsum()`` SIGSEGVs; the constructor checks it, ``__dict__.update`` does not).
Pure: the machine's records in, reason out (None = proven); whatever is not shown plainly is a
reason (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airlock.lazy_regex import LazyPattern
from airlock.scan import index_proof as ip

RULE = ip.RULE
CATEGORICAL = frozenset({"pandas.Categorical", "pandas.core.arrays.categorical.Categorical"})
DTYPE = frozenset({"pandas.CategoricalDtype", "pandas.core.dtypes.dtypes.CategoricalDtype"})
UNPICKLE = "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked"
NEW_INDEX = "pandas.core.indexes.base._new_Index"
# _new_DatetimeIndex/_new_TimedeltaIndex(cls, {'data': array, ...}) keep the data's length
NEW_DATA_INDEX = frozenset(
    {
        NEW_INDEX,
        "pandas.core.indexes.datetimes._new_DatetimeIndex",
        "pandas.core.indexes.timedeltas._new_TimedeltaIndex",
    }
)
NEW_INTERVAL_INDEX = "pandas.core.indexes.interval._new_IntervalIndex"  # from_arrays(left, right)
INDEX = frozenset(
    f"{mod}{cls}Index"
    for mod in ("pandas.", "pandas.core.indexes.base.")
    for cls in ("", "Datetime", "Timedelta", "Period")
) | frozenset(
    {
        "pandas.core.indexes.datetimes.DatetimeIndex",
        "pandas.core.indexes.timedeltas.TimedeltaIndex",
        "pandas.core.indexes.period.PeriodIndex",
    }
)
RANGE_INDEX = frozenset({"pandas.RangeIndex", "pandas.core.indexes.range.RangeIndex"})
INTERVAL_INDEX = frozenset({"pandas.IntervalIndex", "pandas.core.indexes.interval.IntervalIndex"})
_INDEX_KEYS = frozenset({"data", "name", "dtype", "freq", "tz"})
ARROW_ARRAYS = frozenset(
    {
        "pandas.arrays.ArrowStringArray",
        "pandas.arrays.ArrowExtensionArray",
        "pandas.core.arrays.string_arrow.ArrowStringArray",
        "pandas.core.arrays.arrow.array.ArrowExtensionArray",
    }
)
MASKED = frozenset(
    f"{mod}{kind}Array"
    for mod, kinds in (
        ("pandas.arrays.", ("Integer", "Floating", "Boolean")),
        ("pandas.core.arrays.integer.", ("Integer",)),
        ("pandas.core.arrays.floating.", ("Floating",)),
        ("pandas.core.arrays.boolean.", ("Boolean",)),
    )
    for kind in kinds
)
# the ndarray dtype kinds (numpy dtype.str[1:]) pandas' NDArrayBacked classes read their data
# as: a DatetimeArray over float64 data loads, and print() SIGSEGVs (rt17pk)
_BACKED_KINDS = {
    f"{mod}{cls}": kinds
    for mods, cls, kinds in (
        (("pandas.arrays.", "pandas.core.arrays.datetimes."), "DatetimeArray", ("M8",)),
        (("pandas.arrays.", "pandas.core.arrays.timedeltas."), "TimedeltaArray", ("m8",)),
        (("pandas.arrays.", "pandas.core.arrays.period."), "PeriodArray", ("i8",)),
        (("pandas.arrays.", "pandas.core.arrays.string_."), "StringArray", ("O8",)),
    )
    for mod in mods
}
#: classes whose instances must be proven whenever BUILD gives them a state
STATEFUL = CATEGORICAL | MASKED
#: calls (and NEWOBJs) whose results the pickle machine records for this proof
TRACKED = frozenset({UNPICKLE, NEW_INTERVAL_INDEX}) | NEW_DATA_INDEX | DTYPE | ARROW_ARRAYS | MASKED
_NEW = frozenset({"NEWOBJ", "NEWOBJ_EX", "copyreg.__newobj__"})
_MASKED_DTYPE = LazyPattern(
    r"pandas\.(core\.arrays\.(integer|floating)\.)?(U?Int(8|16|32|64)|Float(32|64))Dtype"
)
_CALLS = frozenset({"REDUCE", "INST", "OBJ"})  # the class called: its constructor checks
_CODES = frozenset({"_ndarray", "_codes", "_data"})
_UNITS = ("s", "ms", "us", "ns")
# every cache_readonly of Categorical and the NDArrayBacked arrays (pandas 3.1)
_CACHED = frozenset({"dtype", "unit", "_creso", "_can_hold_na"})
_EXTRA_ATTRS = frozenset({"_readonly", "_freq"})  # what pandas writes beside (dtype, ndarray)
_INT_CODES = frozenset({"i1", "i2", "i4", "i8"})
MAX_CODES = 1 << 28  # codes read per Categorical; more -> not proven


class Made:
    """How the pickle made one tracked object: the callable's name, how it was called
    (REDUCE, NEWOBJ, copyreg.__newobj__...), its positional arguments when plain (dict
    arguments as item lists at the call) and the states BUILD gave it (same snapshots)."""

    __slots__ = ("args", "how", "name", "offset", "states")

    def __init__(self, name: str, how: str, args: tuple[Any, ...] | None, offset: int) -> None:
        self.name = name
        self.how = how
        self.args = args
        self.offset = offset
        self.states: list[Any] = []


MadeOf = Callable[[Any], "Made | None"]


def mapping(state: Any) -> dict[str, Any] | None:
    """A dict state (a snapshot list of items, or the machine's dict inside a tuple state:
    items added later only make it stricter) as a dict, last key wins as in ``dict``."""
    items = state if type(state) is list else getattr(state, "items", None)
    if type(items) is not list:
        return None
    out: dict[str, Any] = {}
    for item in items:
        if type(item) is not tuple or len(item) != 2 or type(item[0]) is not str:
            return None
        out[item[0]] = item[1]
    return out


def _one_state(made: Made) -> Any:
    return made.states[0] if len(made.states) == 1 else None


def length(
    value: Any, made_of: MadeOf, arr_of: ip.ArrOf, lengths: Callable[[Any], Any], depth: int = 0
) -> Any:
    """The length of a categories value (int), or why it is not known."""
    for _ in range(4):
        arr = arr_of(value)
        if not isinstance(arr, str):
            return arr.shape[0] if len(arr.shape) == 1 else "categories that are not 1-D"
        made = made_of(value)
        if made is None:
            return "categories not built from an array in the pickle"
        args = made.args or ()
        d = mapping(args[1]) if len(args) == 2 else None
        cls = getattr(args[0], "name", None) if args else None
        if made.name == NEW_INDEX and cls in RANGE_INDEX and d is not None and not made.states:
            bounds = [d.get("start", 0), d.get("stop"), d.get("step", 1)]
            if not set(d) <= {"start", "stop", "step", "name"} or not all(
                type(v) is int and abs(v) < 1 << 62 for v in bounds
            ):
                return "a RangeIndex of other than int start, stop, step"
            if bounds[2] == 0:
                return "a RangeIndex of step 0"
            return len(range(*bounds))
        if made.name in NEW_DATA_INDEX:
            if d is None or cls not in INDEX or made.states:
                return f"categories not made by {made.name}(<Index class>, {{'data': ...}})"
            if not set(d) <= _INDEX_KEYS or "data" not in d:
                return "categories' Index made with keys other than data, name, dtype, freq, tz"
            value = d["data"]
        elif made.name == NEW_INTERVAL_INDEX:
            if d is None or cls not in INTERVAL_INDEX or made.states:
                return "categories not made by _new_IntervalIndex(IntervalIndex, {...})"
            if "left" not in d or "right" not in d or depth > 2:
                return "categories' IntervalIndex without left and right"
            sides = [length(d[k], made_of, arr_of, lengths, depth + 1) for k in ("left", "right")]
            if not all(type(n) is int for n in sides):
                return "categories' IntervalIndex of sides not proven"
            return min(sides)
        elif made.name in ARROW_ARRAYS:
            state = mapping(_one_state(made))
            if made.how not in _NEW or made.args or state is None:
                return "categories' arrow array not made by NEWOBJ and one dict state"
            n = lengths(state["_data"] if "_data" in state else state.get("_pa_array"))
            return n if type(n) is int else "categories' arrow array of a length not proven"
        elif made.name == UNPICKLE:
            if cls in CATEGORICAL:
                return "categories that are a Categorical"
            got = backed_parts(made, lambda v: not isinstance(arr_of(v), str))
            if type(got) is str:
                return f"categories' array: {got}"
            value = got[1]
        else:
            return f"categories made by {made.name}"
    return "categories nested too deeply"


def backed_parts(made: Made, is_array: Callable[[Any], bool]) -> Any:
    """(dtype, ndarray) an NDArrayBacked made by ``__pyx_unpickle_NDArrayBacked(cls, checksum,
    None)`` gets from its one state, or the reason it is not plain: without a state its
    ``_ndarray`` stays NULL and ``len()`` SIGSEGVs (rt17pk); ``is_array`` says which values are
    ndarrays (``__setstate__`` tells dtype from data by that)."""
    args = made.args
    if args is None or len(args) != 3 or args[2] is not None:
        return "not made by __pyx_unpickle_NDArrayBacked(cls, checksum, None)"
    if len(made.states) != 1:
        return f"given its state {len(made.states)} times"
    state = made.states[0]
    if type(state) is tuple and len(state) == 3:  # (dtype, ndarray, attributes set after)
        extra = mapping(state[2])
        cache = mapping(extra.get("_cache")) if extra is not None else None
        if extra is not None and cache is not None and set(cache) <= _CACHED:
            # cache_readonly's dict as pandas writes it (PeriodArray's dtype: the state's own
            # dtype object; Datetime/TimedeltaArray's unit and resolution) and nothing else
            dtype_ok = "dtype" not in cache or any(cache["dtype"] is v for v in state[:2])
            reso_ok = cache.get("_creso", 9) in (7, 8, 9, 10)  # numpy's s, ms, us, ns
            na_ok = cache.get("_can_hold_na", True) is True
            if dtype_ok and reso_ok and na_ok and cache.get("unit", "s") in _UNITS:
                extra = {k: v for k, v in extra.items() if k != "_cache"}
        if extra is None or not set(extra) <= _EXTRA_ATTRS:
            return "a state setting attributes other than _readonly, _freq"
        state = state[:2]
    if type(state) is tuple and len(state) == 2:
        a, b = state
        dtype, data = (a, b) if is_array(b) else (b, a)  # pandas swaps so too
        return (dtype, data) if is_array(data) and not is_array(dtype) else "no ndarray in it"
    d = mapping(state)
    keys = set(d) if d is not None else set()
    if d is not None and "_dtype" in d and len(keys) == 2 and len(keys & _CODES) == 1:
        data = d[(keys & _CODES).pop()]
        return (d["_dtype"], data) if is_array(data) else "no ndarray in it"
    return "a state other than (dtype, ndarray)"


def data_kind(cls: Any, data: Any, arr_of: ip.ArrOf) -> str | None:
    """Why the ndarray an NDArrayBacked class ``cls`` was given is not of the dtype kind that
    class reads it as (None when it is, or the class is not one of those listed)."""
    kinds = _BACKED_KINDS.get(cls)
    if kinds is None:
        return None
    arr = arr_of(data)
    dstr = "unknown" if isinstance(arr, str) else arr.dtype
    return None if dstr[1:] in kinds else f"data of dtype {dstr} (not {'/'.join(kinds)})"


def _dtype_length(dtype: Any, made_of: MadeOf, arr_of: ip.ArrOf, lengths: Any) -> Any:
    made = made_of(dtype)
    if made is None or made.name not in DTYPE:
        return "its dtype is not a CategoricalDtype built in the pickle"
    if made.how in _NEW and not made.args:
        state = mapping(_one_state(made))
        if state is None or "categories" not in state:
            return "its CategoricalDtype not given one dict state with categories"
        return length(state["categories"], made_of, arr_of, lengths)
    if made.args and not made.states:  # CategoricalDtype(categories, ordered): Index(categories)
        return length(made.args[0], made_of, arr_of, lengths)
    return f"its CategoricalDtype made by {made.how} and {len(made.states)} states"


def _codes_range(arr: Any) -> Any:
    """(min, max) of a 1-D signed int array's values, (0, -1) when empty, or a reason."""
    import numpy as np

    if isinstance(arr, str):
        return f"codes: {arr}"
    dstr = arr.dtype
    if len(arr.shape) != 1 or dstr[1:] not in _INT_CODES or dstr[0] not in "<>|=":
        return f"codes of shape {arr.shape} and dtype {dstr} (not a 1-D signed int array)"
    count = arr.shape[0]
    if count > MAX_CODES:
        return "too many codes to check"
    if count == 0:
        return (0, -1)
    raw = arr.raw() if arr.raw is not None else None
    size = np.dtype(dstr).itemsize
    if raw is None or len(raw) != count * size:
        return "codes' bytes not held in the pickle"
    values = np.frombuffer(raw, dtype=np.dtype(dstr), count=count)
    return int(values.min()), int(values.max())


def verdict(made: Made, made_of: MadeOf, arr_of: ip.ArrOf, lengths: Any) -> str | None:
    """None when a Categorical made by ``__pyx_unpickle_NDArrayBacked`` was given one state
    whose codes all lie in [-1, len(categories))."""
    pair = backed_parts(made, lambda v: not isinstance(arr_of(v), str))
    if type(pair) is str:
        return str(pair)
    k = _dtype_length(pair[0], made_of, arr_of, lengths)
    if type(k) is not int:
        return str(k)
    rng = _codes_range(arr_of(pair[1]))
    if type(rng) is not tuple:
        return str(rng)
    lo, hi = rng
    if lo < -1 or hi >= k:
        return f"codes from {lo} to {hi} over {k} categories"
    return None


def masked_verdict(made: Made, shape_of: Callable[[Any], Any]) -> str | None:
    """None when a masked array is its constructor's result (which checks the shapes) with no
    state, or made by ``__newobj__`` and given one dict state whose ``_data`` and ``_mask`` are
    numpy arrays of one known shape (``shape_of`` gives it, or None)."""
    if made.how in _CALLS and not made.states:
        return None
    if made.how not in _NEW or made.args or len(made.states) != 1:
        return f"made by {made.how} and given {len(made.states)} states"
    state = mapping(made.states[0])
    if state is None or not set(state) <= {"_data", "_mask", "_dtype", "_cache", "_readonly"}:
        return "a state other than a dict of _data, _mask (and _dtype, _cache, _readonly)"
    if type(state.get("_readonly", False)) is not bool:  # an Index's data: read-only flag
        return "a _readonly that is not a bool"
    cache = mapping(state.get("_cache", []))  # cache_readonly's dict: NumericArray.dtype only
    if (
        cache is None
        or not set(cache) <= {"dtype"}
        or not all(_MASKED_DTYPE.fullmatch(str(getattr(v, "name", ""))) for v in cache.values())
    ):
        return "a _cache other than a numeric masked dtype"
    data, mask = shape_of(state.get("_data")), shape_of(state.get("_mask"))
    if data is None or mask is None or data != mask:
        return f"_data of shape {data} and _mask of shape {mask}"
    return None
