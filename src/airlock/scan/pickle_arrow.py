"""Static bounds check of the Arrow arrays a pickle rebuilds with ``pyarrow.lib._restore_array``.

pyarrow pickles an Array as ``_restore_array((type, length, null_count, offset, buffers,
children, dictionary))`` (``_reduce_array_data`` in pyarrow/array.pxi) and rebuilds it with
``ArrayData::Make`` + ``MakeArray`` and no ``Validate``: a length past its buffers makes every
later read an out-of-bounds heap read (red-team k1, session 8). So a call of ``_restore_array``
is allowed only when its tuple is proven in bounds here, from constant arguments: a type from
``type_for_alias`` with a layout we know, plain int length/null_count/offset, and buffers that
are ``py_buffer`` of bytes the pickle holds. Anything else is reported as not proven.

Pure functions over the values of :mod:`airlock.scan.pickle_values`; nothing is unpickled.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from typing import Any

from airlock.lazy_regex import LazyPattern
from airlock.scan.pickle_values import K_OBJ, PDict, Span, Sym

RESTORE = "pyarrow.lib._restore_array"
PY_BUFFER = "pyarrow.lib.py_buffer"
TYPE_FOR_ALIAS = "pyarrow.lib.type_for_alias"
BYTEARRAY = "builtins.bytearray"
# Type factories pyarrow's DataType/Field __reduce__ write for types ``type_for_alias`` cannot
# name (types.pxi): each returns a type (or field) whose layout is tracked like an alias's.
TIMESTAMP = "pyarrow.lib.timestamp"
DURATION = "pyarrow.lib.duration"
DECIMALS = {f"pyarrow.lib.decimal{b}": b for b in (32, 64, 128, 256)}
LIST = "pyarrow.lib.list_"
LARGE_LIST = "pyarrow.lib.large_list"
STRUCT = "pyarrow.lib.struct"
FIELD = "pyarrow.lib.field"
DICTIONARY = "pyarrow.lib.dictionary"
BINARY = "pyarrow.lib.binary"  # binary(n): fixed_size_binary[n] (binary() / binary(-1): binary)
MAP = "pyarrow.lib.map_"  # map_(key field, item field): a list of struct<key, value>
# canonical extension types: arrays of them are their storage type's buffers
UUID = "pyarrow.lib.uuid"  # storage fixed_size_binary[16]
JSON = "pyarrow.lib.json_"  # json_(storage=utf8): string / large_string storage
TENSOR = "pyarrow.lib.fixed_shape_tensor"  # (value, shape, dim_names, permutation): a
#   fixed_size_list of prod(shape) values (Arrow itself checks dim_names and permutation)
SCALAR = "pyarrow.lib.scalar"  # scalar(value, type): built by Arrow's checked converter
TYPES = frozenset(
    {
        TIMESTAMP,
        DURATION,
        LIST,
        LARGE_LIST,
        STRUCT,
        FIELD,
        DICTIONARY,
        BINARY,
        MAP,
        UUID,
        JSON,
        TENSOR,
        SCALAR,
        *DECIMALS,
    }
)
NAMES = frozenset({RESTORE, PY_BUFFER, TYPE_FOR_ALIAS, BYTEARRAY}) | TYPES

_I64 = (1 << 63) - 1
_LATIN1 = frozenset({"latin1", "latin-1", "latin_1", "iso-8859-1", "iso8859-1", "l1", "8859"})
_UNITS = frozenset({"s", "ms", "us", "ns"})
# A timestamp's time zone is looked up by name in the system time-zone database (Arrow's
# LocateZone, pandas' zoneinfo) when values are converted: IANA zone-name shape or a fixed
# offset, never a path (no '/' at the start, no '..').
_TZ = LazyPattern(r"[A-Za-z][A-Za-z0-9_+-]{0,40}(/[A-Za-z0-9_+-]{1,40}){0,2}|[+-]\d{2}:?\d{2}")
MAX_DEPTH = 16  # nested list/struct/dictionary types
_MAX_FIXED = 1 << 31  # fixed_size_list / fixed_size_binary widths Arrow accepts (int32)

# Layout of each type ``type_for_alias`` returns (pyarrow/types.pxi ``_type_aliases``):
# ("null",), ("fixed", bit width) (bool is 1 bit), ("offsets", offset byte width).
# Factories add ("list", offset width, child layout), ("fsl", list size, child layout) (a
# fixed-size list: validity only, child values at (offset + i) * size), ("struct", child
# layouts) and ("dict", index bits, index signed, value layout).
_LAYOUTS: dict[str, tuple[Any, ...]] = {"null": ("null", 0)}
for _names, _layout in (
    ("bool boolean", ("fixed", 1)),
    ("i1 int8 u1 uint8", ("fixed", 8)),
    ("i2 int16 u2 uint16 f2 halffloat float16", ("fixed", 16)),
    ("i4 int32 u4 uint32 f4 float float32 date32 date32[day] time32[s] time32[ms]", ("fixed", 32)),
    (
        "i8 int64 u8 uint64 f8 double float64 date64 date64[ms] time64[us] time64[ns] "
        "timestamp[s] timestamp[ms] timestamp[us] timestamp[ns] "
        "duration[s] duration[ms] duration[us] duration[ns]",
        ("fixed", 64),
    ),
    ("month_day_nano_interval", ("fixed", 128)),
    ("string str utf8 binary", ("offsets", 4)),
    ("large_string large_str large_utf8 large_binary", ("offsets", 8)),
):
    for _n in _names.split():
        _LAYOUTS[_n] = _layout  # binary_view / string_view: variadic buffers, not supported
# Integer aliases (dictionary index types): bits, signed.
_INTS: dict[str, tuple[int, bool]] = {}
for _bits in (8, 16, 32, 64):
    for _n in (f"int{_bits}", f"i{_bits // 8}"):
        _INTS[_n] = (_bits, True)
    for _n in (f"uint{_bits}", f"u{_bits // 8}"):
        _INTS[_n] = (_bits, False)


def alias_layout(args: Any) -> tuple[Any, ...] | None:
    """The layout of ``type_for_alias(*args)`` when the alias is one we know, else None."""
    if type(args) is not tuple or len(args) != 1 or type(args[0]) is not str:
        return None
    return _LAYOUTS.get(args[0].lower())


def alias_int(args: Any) -> tuple[int, bool] | None:
    """(bits, signed) when ``type_for_alias(*args)`` is an integer type (a dictionary index)."""
    if type(args) is not tuple or len(args) != 1 or type(args[0]) is not str:
        return None
    return _INTS.get(args[0].lower())


def _layout_of(value: Any) -> tuple[Any, ...] | None:
    """The layout of a tracked type or field value (None when it is not one we know)."""
    if (
        type(value) is Sym
        and value.kind == K_OBJ
        and (value.name in TYPES or value.name == TYPE_FOR_ALIAS)
    ):
        layout = (value.attrs or {}).get("layout")
        return layout if type(layout) is tuple else None
    return None


def _depth(layout: tuple[Any, ...]) -> int:
    kind = layout[0]
    if kind in ("list", "fsl"):
        return 1 + _depth(layout[2])
    if kind == "dict":
        return 1 + _depth(layout[3])
    if kind == "struct":
        return 1 + max((_depth(c) for c in layout[1]), default=0)
    return 0


def factory_type(name: str, args: Any) -> tuple[dict[str, Any], str | None]:
    """(attrs of the value a type factory returns, why its arguments are refused or None).

    ``args`` is the positional argument tuple (None when not plain constants). A refused call is
    a finding: the time zone is read from the system database by name; the rest only decides
    whether arrays of the type can be proven (an unknown layout is refused when used)."""
    if type(args) is not tuple:
        return {"layout": None}, "arguments are not constants"
    layout: tuple[Any, ...] | None = None
    why: str | None = None
    if name == TIMESTAMP and 1 <= len(args) <= 2:
        tz = args[1] if len(args) == 2 else None
        if args[0] not in _UNITS:
            why = f"unit {args[0]!r} is not s/ms/us/ns"
        elif tz is not None and (type(tz) is not str or not _TZ.fullmatch(tz)):
            why = f"time zone {tz!r} is not a zone name or offset"
        else:
            layout = ("fixed", 64)
    elif name == DURATION and len(args) == 1 and args[0] in _UNITS:
        layout = ("fixed", 64)
    elif name in DECIMALS and len(args) in (1, 2) and all(type(a) is int for a in args):
        layout = ("fixed", DECIMALS[name])
    elif name in (LIST, LARGE_LIST) and len(args) == 1:
        child = _layout_of(args[0])
        if child is not None:
            layout = ("list", 4 if name == LIST else 8, child)
    elif name == LIST and len(args) == 2 and type(args[1]) is int:
        # list_(value, list_size): fixed_size_list when list_size >= 0, a list when -1
        child = _layout_of(args[0])
        if child is not None and args[1] == -1:
            layout = ("list", 4, child)
        elif child is not None and 0 <= args[1] <= _MAX_FIXED:
            layout = ("fsl", args[1], child)
    elif name == BINARY and len(args) <= 1 and all(type(a) is int for a in args):
        width = args[0] if args else -1
        if width == -1:
            layout = ("offsets", 4)
        elif 0 <= width <= _MAX_FIXED:
            layout = ("fixed", 8 * width)
    elif name == UUID and not args:
        layout = ("fixed", 128)
    elif name == JSON and len(args) <= 1:
        storage = _layout_of(args[0]) if args else ("offsets", 4)
        if storage in (("offsets", 4), ("offsets", 8)):
            layout = storage
    elif name == TENSOR and 2 <= len(args) <= 4:
        value, shape = _layout_of(args[0]), args[1]
        if value is not None and type(shape) in (list, tuple) and len(shape) <= 64:
            size = 1
            for dim in shape:
                size = size * dim if type(dim) is int and dim >= 0 else -1
                if not 0 <= size <= _MAX_FIXED:
                    break
            else:
                layout = ("fsl", size, value)
    elif name == SCALAR:
        if not 1 <= len(args) <= 2 or not _plain(args[0], 0):
            why = "value is not made of constants"
        elif len(args) == 2 and args[1] is not None and _layout_of(args[1]) is None:
            why = "type is not a pyarrow type with a known layout"
        return {"layout": None}, why
    elif name == MAP and 2 <= len(args) <= 3:
        key, item = _layout_of(args[0]), _layout_of(args[1])
        if key is not None and item is not None:
            layout = ("list", 4, ("struct", (key, item)))
    elif name == FIELD and 2 <= len(args) <= 4 and type(args[0]) is str:
        layout = _layout_of(args[1])
    elif name == STRUCT and len(args) == 1 and type(args[0]) in (list, tuple):
        kids = [_layout_of(f) for f in args[0]]
        if all(k is not None for k in kids):
            layout = ("struct", tuple(kids))
    elif name == DICTIONARY and 2 <= len(args) <= 3:
        index = args[0]
        idx = (index.attrs or {}).get("int") if type(index) is Sym else None
        value = _layout_of(args[1])
        if idx is not None and value is not None:
            layout = ("dict", idx[0], idx[1], value)
    if layout is not None and _depth(layout) > MAX_DEPTH:
        layout = None
    return {"layout": layout}, why


def _plain(value: Any, depth: int) -> bool:
    """A value made of constants only (what ``Scalar.__reduce__`` writes: ``as_py()``)."""
    if value is None or type(value) in (bool, int, float, str, bytes):
        return True
    if depth >= MAX_DEPTH:
        return False
    if type(value) in (list, tuple):
        return all(_plain(v, depth + 1) for v in value)
    if type(value) is PDict:
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items)
    return False


def bytearray_data(args: Any) -> bytes | Span | None:
    """The bytes of ``bytearray(*args)`` in the forms pickle writes (``bytes`` from protocol 3,
    a Latin-1 ``str`` and codec name below it, no argument for an empty one), else None."""
    if type(args) is not tuple:
        return None
    if not args:
        return b""
    first = args[0]
    if len(args) == 1 and (type(first) is bytes or (type(first) is Span and not first.is_text)):
        return first
    if len(args) == 2 and type(args[0]) is str and type(args[1]) is str:
        if args[1].lower().replace(" ", "") in _LATIN1:
            try:
                return args[0].encode("latin-1")
            except UnicodeEncodeError:
                return None
    return None


def _buffer(value: Any) -> tuple[bytes | Span | None, Any]:
    """(the bytes behind a ``py_buffer(...)`` value when known, the object it wraps)."""
    if type(value) is not Sym or value.kind != K_OBJ or value.name != PY_BUFFER:
        return None, None
    attrs = value.attrs or {}
    return attrs.get("data"), attrs.get("src")


def _size(data: bytes | Span) -> int:
    return data.length if isinstance(data, Span) else len(data)


Reader = Callable[[Any, int, int], bytes]


def _ints(
    read: Reader, data: bytes | Span, start: int, count: int, bits: int, signed: bool
) -> array | None:  # type: ignore[type-arg]
    """``count`` little-endian integers of ``bits`` from item ``start`` (None: no native type)."""
    width = bits // 8
    for code in "bhilq" if signed else "BHILQ":
        arr = array(code)
        if arr.itemsize == width:
            break
    else:
        return None
    arr.frombytes(read(data, start * width, count * width))
    if sys.byteorder != "little":
        arr.byteswap()
    return arr


def check_array(data: Any, read: Reader, sources: list[Any]) -> str | None:
    """Why the ArrayData tuple ``data`` is not proven in bounds (None when it is).

    ``read(data, start, length)`` returns bytes of a buffer's payload. The object behind each
    buffer whose contents (not just size) index memory (offsets, dictionary indices) is
    appended to ``sources``: the caller checks the pickle neither mutates it nor hands it to
    other code. Nested types (list, struct, dictionary) are checked child by child: each
    child's type must have the layout its parent's type says, and be in bounds on its own.
    """
    return _check(data, None, read, sources, 0)


def _check(
    data: Any, want: tuple[Any, ...] | None, read: Reader, sources: list[Any], depth: int
) -> str | None:
    if depth > MAX_DEPTH:
        return "arrays nest too deeply"
    if type(data) is not tuple and type(data) is not list:
        return f"argument is {type(data).__name__ if type(data) is not Sym else 'not a constant'}"
    if len(data) != 7:
        return f"ArrayData tuple has {len(data)} items, not 7"
    dtype, length, null_count, offset, buffers, children, dictionary = data
    layout = _layout_of(dtype)
    if layout is None:
        return "type is not a pyarrow type with a known layout"
    if want is not None and layout != want:
        return "a child array's type does not have the layout its parent's type gives it"
    if type(length) is not int or type(offset) is not int or type(null_count) is not int:
        return "length, null_count or offset is not a constant int"
    if length < 0 or offset < 0 or length + offset > _I64:
        return f"length {length} / offset {offset} out of range"
    if not -1 <= null_count <= length:
        return f"null_count {null_count} out of range for length {length}"
    if type(children) is not list and type(children) is not tuple:
        return "children is not a list"
    kind = layout[0]
    nkids = 1 if kind in ("list", "fsl") else len(layout[1]) if kind == "struct" else 0
    if len(children) != nkids:
        return f"{len(children)} child arrays where the type has {nkids}"
    if (dictionary is not None) != (kind == "dict"):
        return "dictionary present for a non-dictionary type (or missing)"
    if type(buffers) is not list and type(buffers) is not tuple:
        return "buffers is not a list"
    want_n = {"null": 1, "fixed": 2, "offsets": 3, "list": 2, "fsl": 1, "struct": 1, "dict": 2}[
        kind
    ]
    if len(buffers) != want_n:
        return f"{len(buffers)} buffers where the layout has {want_n}"
    datas: list[bytes | Span | None] = []
    for b in buffers:
        if b is None:
            datas.append(None)
            continue
        d, src = _buffer(b)
        if d is None:
            return "a buffer is not py_buffer of bytes in the pickle"
        if kind in ("offsets", "list", "dict") and len(datas) == 1:
            sources.append(src)
        datas.append(d)
    end = offset + length
    if kind == "null":
        return None if datas[0] is None else "null array with a validity buffer"
    validity = datas[0]
    if validity is None:
        if null_count > 0:
            return f"null_count {null_count} without a validity bitmap"
    elif _size(validity) < (end + 7) // 8:
        return f"validity bitmap of {_size(validity)} bytes for {end} slots"
    if kind == "fsl":  # value i of the list at slot j is child[(offset + j) * size + i]
        child = children[0]
        why = _check(child, layout[2], read, sources, depth + 1)
        if why is not None:
            return f"fixed-size list values: {why}"
        if child[1] < end * layout[1]:
            return f"{child[1]} list values where {end} lists of {layout[1]} need {end * layout[1]}"
        return None
    if kind == "struct":
        for child, child_layout in zip(children, layout[1], strict=True):
            why = _check(child, child_layout, read, sources, depth + 1)
            if why is not None:
                return f"struct field: {why}"
            if child[1] < end:  # StructArray.field() slices the child by (offset, length)
                return f"struct field of length {child[1]} shorter than {end} slots"
        return None
    if kind in ("fixed", "dict"):
        width = layout[1]
        need = (end * width + 7) // 8
        have = 0 if datas[1] is None else _size(datas[1])
        if have < need:
            return f"data buffer of {have} bytes where {end} x {width} bits need {need}"
        if kind == "fixed":
            return None
        # dictionary: every index (null slots too) names an entry of the dictionary array
        why = _check(dictionary, layout[3], read, sources, depth + 1)
        if why is not None:
            return f"dictionary: {why}"
        assert datas[1] is not None
        idx = _ints(read, datas[1], offset, length, width, layout[2])
        if idx is None:
            return "no native integer of the indices' width"
        size = dictionary[1]
        if length and (min(idx) < 0 or max(idx) >= size):
            return f"dictionary index out of range [0, {size})"
        return None
    # (large_)string / binary / (large_)list: offsets[offset .. end] in range and
    # non-decreasing (an empty array still has its one offset: pyarrow writes it, and Arrow
    # reads it), the last one within the values buffer (strings) or the child array (lists)
    width = layout[1]
    offs = datas[1]
    need = (end + 1) * width
    have = 0 if offs is None else _size(offs)
    if offs is None or have < need:
        return f"offsets buffer of {have} bytes where {length + 1} offsets need {need}"
    arr = _ints(read, offs, offset, length + 1, width * 8, True)
    if arr is None:
        return "no native integer of the offsets' width"
    prev = arr[0]
    if prev < 0:
        return f"first offset {prev} is negative"
    for o in arr:
        if o < prev:
            return f"offsets decrease ({prev} then {o})"
        prev = o
    if kind == "list":
        child = children[0]
        why = _check(child, layout[2], read, sources, depth + 1)
        if why is not None:
            return f"list values: {why}"
        if prev > child[1]:
            return f"last offset {prev} past the {child[1]} list values"
        return None
    vals = datas[2]
    vsize = 0 if vals is None else _size(vals)
    if prev > vsize:
        return f"last offset {prev} past the {vsize}-byte values buffer"
    return None
