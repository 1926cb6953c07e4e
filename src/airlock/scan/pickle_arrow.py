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

from airlock.scan.pickle_values import K_OBJ, Span, Sym

RESTORE = "pyarrow.lib._restore_array"
PY_BUFFER = "pyarrow.lib.py_buffer"
TYPE_FOR_ALIAS = "pyarrow.lib.type_for_alias"
BYTEARRAY = "builtins.bytearray"
NAMES = frozenset({RESTORE, PY_BUFFER, TYPE_FOR_ALIAS, BYTEARRAY})

_I64 = (1 << 63) - 1
_LATIN1 = frozenset({"latin1", "latin-1", "latin_1", "iso-8859-1", "iso8859-1", "l1", "8859"})

# Layout of each type ``type_for_alias`` returns (pyarrow/types.pxi ``_type_aliases``):
# ("null",), ("fixed", bit width) (bool is 1 bit), ("offsets", offset byte width).
_LAYOUTS: dict[str, tuple[str, int]] = {"null": ("null", 0)}
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


def alias_layout(args: Any) -> tuple[str, int] | None:
    """The layout of ``type_for_alias(*args)`` when the alias is one we know, else None."""
    if type(args) is not tuple or len(args) != 1 or type(args[0]) is not str:
        return None
    return _LAYOUTS.get(args[0].lower())


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


def check_array(data: Any, read: Reader, sources: list[Any]) -> str | None:
    """Why the ArrayData tuple ``data`` is not proven in bounds (None when it is).

    ``read(data, start, length)`` returns bytes of a buffer's payload. The object behind each
    offsets buffer (whose contents, not just size, index memory) is appended to ``sources``:
    the caller checks the pickle neither mutates it nor hands it to other code.
    """
    if type(data) is not tuple and type(data) is not list:
        return f"argument is {type(data).__name__ if type(data) is not Sym else 'not a constant'}"
    if len(data) != 7:
        return f"ArrayData tuple has {len(data)} items, not 7"
    dtype, length, null_count, offset, buffers, children, dictionary = data
    layout = None
    if type(dtype) is Sym and dtype.kind == K_OBJ and dtype.name == TYPE_FOR_ALIAS:
        layout = (dtype.attrs or {}).get("layout")
    if layout is None:
        return "type is not a type_for_alias type with a known layout"
    if type(length) is not int or type(offset) is not int or type(null_count) is not int:
        return "length, null_count or offset is not a constant int"
    if length < 0 or offset < 0 or length + offset > _I64:
        return f"length {length} / offset {offset} out of range"
    if not -1 <= null_count <= length:
        return f"null_count {null_count} out of range for length {length}"
    if (type(children) is not list and type(children) is not tuple) or children:
        return "children present for a type without children"
    if dictionary is not None:
        return "dictionary present for a non-dictionary type"
    if type(buffers) is not list and type(buffers) is not tuple:
        return "buffers is not a list"
    kind, width = layout
    want = {"null": 1, "fixed": 2, "offsets": 3}[kind]
    if len(buffers) != want:
        return f"{len(buffers)} buffers where the layout has {want}"
    datas: list[bytes | Span | None] = []
    for b in buffers:
        if b is None:
            datas.append(None)
            continue
        d, src = _buffer(b)
        if d is None:
            return "a buffer is not py_buffer of bytes in the pickle"
        if kind == "offsets" and len(datas) == 1:
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
    values = datas[1]
    if kind == "fixed":
        need = (end * width + 7) // 8
        have = 0 if values is None else _size(values)
        if have < need:
            return f"data buffer of {have} bytes where {end} x {width} bits need {need}"
        return None
    # (large_)string / binary: offsets[offset .. end] in range and non-decreasing (an empty
    # array still has its one offset: pyarrow writes it, and Arrow reads it)
    offs = datas[1]
    vals = datas[2]
    need = (end + 1) * width
    have = 0 if offs is None else _size(offs)
    if offs is None or have < need:
        return f"offsets buffer of {have} bytes where {length + 1} offsets need {need}"
    arr = array("i" if width == 4 else "q")
    if arr.itemsize != width:
        arr = array("l" if width == 4 else "q")
    if arr.itemsize != width:
        return "no native integer of the offsets' width"
    arr.frombytes(read(offs, offset * width, (length + 1) * width))
    if sys.byteorder != "little":
        arr.byteswap()
    prev = arr[0]
    if prev < 0:
        return f"first offset {prev} is negative"
    for o in arr:
        if o < prev:
            return f"offsets decrease ({prev} then {o})"
        prev = o
    vsize = 0 if vals is None else _size(vals)
    if prev > vsize:
        return f"last offset {prev} past the {vsize}-byte values buffer"
    return None
