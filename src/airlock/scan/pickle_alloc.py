"""Allowlisted callables whose call allocates by its arguments (session 17, review17 F1).

``bytes(8_000_000_000)`` or ``bytearray(N)`` is 33 bytes of pickle and N bytes of memory at
``pickle.load``; ``range(10**9)`` is lazy but every constructor that iterates it (list, tuple,
deque, Counter, torch.Size, an optimizer's parameter list...) materialises it; numpy's
``_reconstruct(ndarray, shape, dtype)`` / ``_mareconstruct`` and ``ndarray(shape)`` allocate
``prod(shape)`` items before any state is set. Honest saves never size these from an integer:

- bytes / bytearray are written as ``bytes()`` (protocol 2's empty bytes), ``bytearray(data)``
  or ``bytearray(text, 'latin-1')`` with ``data`` bytes from the pickle (BINBYTES or
  ``_codecs.encode``); an integer, a range or any other computed argument is refused.
- range is written as ``range(start, stop, step)`` with integers; a range longer than
  ``MAX_RANGE`` (or not made of integers) is refused wherever it would go.
- numpy's ``_reconstruct`` / ``_mareconstruct`` are written with the shape ``(0,)`` (the data
  comes with the state); ``ndarray`` itself is only their argument. Shapes of more than
  ``MAX_ELEMS`` items (or not made of non-negative integers) are refused.
- pandas DataFrame / Series are written as NEWOBJ + state: a call with arguments is refused.

Classes whose ``__init__`` allocates by its arguments (torch.nn layers, transformers models,
legacy torch storages and tensors) are handled by the allowlist instead (``new_only`` /
``value_only``: honest saves rebuild them with ``__new__`` and a state, or name them only).
Every refusal is AIR-PKL-009 (an allowlisted name used in a way no saver writes).
"""

from __future__ import annotations

import re
from typing import Any

from airlock.scan.pickle_values import (
    DTYPES,
    K_DYN,
    K_GLOBAL,
    K_OBJ,
    Span,
    Sym,
    describe,
    dtype_layout,
)

MAX_RANGE = 1 << 22  # items of a range a pickle may build (list(range) ~ 170 MB)
MAX_ELEMS = 1 << 16  # items of an array _reconstruct / ndarray may allocate (honest: 0)

BYTES = frozenset({"builtins.bytes", "builtins.bytearray"})
RANGE = "builtins.range"
# name -> index of the shape argument
SHAPED = {
    "numpy.core.multiarray._reconstruct": 1,
    "numpy._core.multiarray._reconstruct": 1,
    "numpy.ma.core._mareconstruct": 2,
    "numpy.ndarray": 0,
    "numpy.matrixlib.defmatrix.matrix": -1,  # never called by a saver: any call is refused
    "numpy.matrix": -1,
    # rt18b1: recarray(shape, dtype) allocates prod(shape) x itemsize; savers write
    # _reconstruct(recarray, (0,), b'b'), never a call
    "numpy.rec.recarray": -1,
    # review19: MaskedArray(0, False, ('f8', (2**28,))) allocates the subarray (2 GiB and its
    # mask); savers write _mareconstruct(MaskedArray, ndarray, (0,), b'b') + state
    "numpy.ma.core.MaskedArray": -1,
    "numpy.ma.MaskedArray": -1,
    # rt19b: NEWOBJ is chararray.__new__(cls, shape, itemsize, unicode, buffer): a str buffer
    # fills prod(shape) x itemsize bytes (40 bytes -> 1.5 GB); savers write _reconstruct
    "numpy.char.chararray": -1,
}
# rt18b1: index of the dtype argument: _reconstruct(ndarray, (1,), dtype('V1500000000')) or a
# subarray dtype (('O', (2**28,))) allocates shape x itemsize (object items filled with None)
DTYPE_AT = {
    "numpy.core.multiarray._reconstruct": 2,
    "numpy._core.multiarray._reconstruct": 2,
    "numpy.ma.core._mareconstruct": 3,
    "numpy.ndarray": 1,
}
# a dtype written as savers write it (b'b'): a short code with an explicit size under 100
_SMALL_DTYPE = re.compile(r"[<>|=]?[A-Za-z?]\d{0,2}")
# rt18b1: Fraction('1e3000000000') computes 10**3000000000 (hangs, then GiBs); int(Decimal(
# '1e3000000000')) and Fraction(Decimal(...)) likewise. Savers write Fraction('n/d').
FRACTION = frozenset({"fractions.Fraction"})
_FRACTION_TEXT = re.compile(r"[+-]?\d{1,4300}(/\d{1,4300})?")
INT = "builtins.int"
# rt18b1: a Decimal keeps its exponent lazily; int(), numpy.int64(), Fraction() of
# Decimal('1e300000000') compute 10**300000000 (hang). Savers write Decimal(str(d)): the
# exponent is bounded here instead of at every conversion (4 digits: 10**9999 is cheap)
DECIMAL = "decimal.Decimal"
_DECIMAL_TEXT = re.compile(
    r"\s*[+-]?(((\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?)|inf(inity)?|s?nan\d{0,40})\s*",
    re.IGNORECASE,
)
# rt18b1: numpy.void(N) / numpy.record(N) is N zeroed bytes; savers write scalar(dtype, bytes)
VOID = frozenset({"numpy.void", "numpy.record"})
# review19: multiarray.scalar(dtype('V2000000000')) with no data zero-fills the itemsize; savers
# write scalar(dtype, bytes) (numpy refuses bytes shorter than the itemsize) or, for a dtype
# holding objects, scalar(dtype, array) (the value judged as any argument is)
SCALAR = frozenset({"numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar"})
# pandas' frames are saved as NEWOBJ + state; DataFrame(1.0, index, columns) allocates
# len(index) x len(columns): a call with any argument is refused (DataFrame() is empty)
NO_ARGS = frozenset(
    {
        "pandas.DataFrame",
        "pandas.Series",
        "pandas.core.frame.DataFrame",
        "pandas.core.series.Series",
    }
)
CHECKED = BYTES | {RANGE, INT} | frozenset(SHAPED) | NO_ARGS | FRACTION | VOID | {DECIMAL} | SCALAR
# results that are bytes taken from the pickle (never sized by an integer)
_BYTES_LIKE = frozenset({"builtins.bytes", "builtins.bytearray", "_codecs.encode"})
_NEWOBJS = frozenset({"NEWOBJ", "NEWOBJ_EX"})


def _bytes_like(v: Any) -> bool:
    t = type(v)
    if t is bytes or t is str or t is bytearray or t is Span:
        return True
    if t is Sym:
        if v.kind == K_OBJ and v.name in _BYTES_LIKE:
            return True
        return v.kind == K_DYN and bool(v.attrs) and "latin1_of" in v.attrs
    return False


def no_kwargs(kwargs: Any) -> bool:
    """No keyword arguments: None or an empty dict of the pickle."""
    return kwargs is None or (hasattr(kwargs, "items") and not kwargs.items)


_no_kwargs = no_kwargs


def _shape_problem(shape: Any) -> str | None:
    if type(shape) is int:
        shape = (shape,)
    if type(shape) is not tuple and type(shape) is not list:
        return f"a shape {describe(shape)} not made of integers"
    if len(shape) > 64:
        return "a shape of more than 64 dimensions"
    n = 1
    for d in shape:
        if type(d) is not int or d < 0:
            return f"a shape {describe(shape)} not made of non-negative integers"
        n *= d
        if n > MAX_ELEMS:
            return f"a shape {describe(shape)} of more than {MAX_ELEMS} items"
    return None


def problem(name: str, args: Any, kwargs: Any, how: str) -> str | None:
    """Why this call allocates by its arguments in a way no saver writes (None: it does not)."""
    seq = tuple(args) if type(args) is tuple or type(args) is list else None
    if name in BYTES:
        if seq is None or not _no_kwargs(kwargs):
            return f"{how} calls {name} with arguments the analyser cannot read"
        if name == "builtins.bytearray" and how in _NEWOBJS:
            return None  # bytearray.__new__ ignores its arguments (__init__ fills it)
        if not seq:
            return None
        if len(seq) > 3 or not _bytes_like(seq[0]) or any(type(a) is not str for a in seq[1:]):
            return (
                f"{how} calls {name}{describe(seq)}: allocates by its argument (honest saves "
                "pass bytes or text from the pickle)"
            )
        if type(seq[0]) is str and len(seq) == 1 and name == "builtins.bytes":
            return f"{how} calls {name} with text and no encoding"
        return None
    if name == RANGE:
        if seq is None or not _no_kwargs(kwargs) or not 1 <= len(seq) <= 3:
            return f"{how} calls {name} with arguments the analyser cannot read"
        if any(type(a) is not int for a in seq):
            return f"{how} calls {name}{describe(seq)}: not made of integers"
        if len(seq) == 3 and seq[2] == 0:
            return None  # ValueError at load
        r = range(*seq)
        try:
            n = len(r)
        except OverflowError:
            n = MAX_RANGE + 1
        if n > MAX_RANGE:
            return (
                f"{how} calls {name}{describe(seq)}: more than {MAX_RANGE} items (any "
                "constructor that iterates it allocates them)"
            )
        return None
    if name in FRACTION or name == INT:
        for a in seq if seq is not None else ():
            t = type(a)
            if t is Sym or t is Span:
                if name == INT and not (t is Sym and a.name == "decimal.Decimal"):
                    continue  # int(x) of anything else is bounded by x
                return f"{how} calls {name}{describe(seq)}: converting it may compute 10**exponent"
            if name in FRACTION and t is str and not _FRACTION_TEXT.fullmatch(a):
                return (
                    f"{how} calls {name} with text {describe(a)} that is not 'n/d' (an exponent "
                    "computes 10**exponent at load)"
                )
        if name in FRACTION and (seq is None or not _no_kwargs(kwargs)):
            return f"{how} calls {name} with arguments the analyser cannot read"
        return None
    if name == DECIMAL:
        if seq is None or len(seq) > 2 or not _no_kwargs(kwargs):
            return f"{how} calls {name} with arguments the analyser cannot read"
        if seq:
            a = seq[0]
            t = type(a)
            if t is str:
                if len(a) > 10_000 or not _DECIMAL_TEXT.fullmatch(a):
                    return (
                        f"{how} calls {name} with text {describe(a)} whose exponent has more "
                        "than 4 digits (converting it computes 10**exponent)"
                    )
            elif t is not int and t is not float and t is not bool:
                return f"{how} calls {name}{describe(seq)}: not a number or its text"
        return None
    if name in VOID:
        # review19: void(b'', 'V2000000000') zero-fills its dtype's itemsize: one byte string
        # and nothing else (numpy's own pickles never call it: they write scalar())
        if seq is None or len(seq) != 1 or not _no_kwargs(kwargs) or not _raw_bytes(seq[0]):
            return (
                f"{how} calls {name}{describe(seq)}: a number or a dtype makes that many zeroed "
                "bytes (only void(bytes) is bounded by the pickle)"
            )
        return None
    if name in SCALAR:
        return _scalar_problem(name, seq, kwargs, how)
    if name in NO_ARGS:
        if seq == () and _no_kwargs(kwargs):
            return None
        return f"{how} calls {name} with arguments (allocates by them; savers write NEWOBJ)"
    at = SHAPED.get(name)
    if at is None:
        return None
    if at < 0:
        return f"{how} calls {name}: savers only name it (allocates by its arguments)"
    if not _no_kwargs(kwargs) or seq is None:
        return f"{how} calls {name} with arguments the analyser cannot read"
    if at >= len(seq):
        if name == "numpy.ndarray" and not seq:
            return None
        return f"{how} calls {name}{describe(seq)} without a shape"
    if type(seq[at]) is str and seq[at]:
        # fp20: numpy converts the shape before the dtype and reads a str as a sequence of
        # 1-character strs: TypeError before any allocation. Seen where pickle.load reads a
        # joblib stream's object-array pickle with the outer memo (BINGETs give 'order' and
        # bytes). '' is the shape () (dtype still checked); bytes stay refused: b'\xff\xff'
        # is the shape (255, 255).
        return None
    why = _shape_problem(seq[at])
    if why is None:
        dt = DTYPE_AT.get(name)
        if dt is not None and dt < len(seq) and not _small_dtype(seq[dt]):
            why = (
                f"a dtype {describe(seq[dt])} other than a short code (savers write b'b'; a "
                "large or subarray dtype multiplies the shape)"
            )
    return None if why is None else f"{how} calls {name} with {why}"


def _raw_bytes(v: Any) -> bool:
    """Bytes held in the pickle (not text: void('x' * N) is no saver's)."""
    t = type(v)
    return t is bytes or (t is Span and not v.is_text) or (t is Sym and _bytes_like(v))


def _scalar_problem(name: str, seq: Any, kwargs: Any, how: str) -> str | None:
    if seq is None or len(seq) != 2 or not _no_kwargs(kwargs):
        return (
            f"{how} calls {name}{describe(seq)}: not (dtype, data) as numpy writes it (without "
            "data numpy zero-fills the dtype's itemsize)"
        )
    layout = dtype_layout(seq[0])
    data = seq[1]
    if layout is not None and layout[1]:
        return None  # scalar(dtype holding objects, array): numpy takes the array's item
    if not _raw_bytes(data):
        return f"{how} calls {name}{describe(seq)}: data that is not bytes of the pickle"
    n = len(data) if type(data) is bytes else data.length if type(data) is Span else None
    if layout is not None and n is not None and n != layout[0]:
        return (
            f"{how} calls {name} with {n} byte(s) of data for an itemsize of {layout[0]} "
            "(savers write exactly the itemsize)"
        )
    return None


def _small_dtype(v: Any) -> bool:
    if type(v) is bytes:
        try:
            v = v.decode("ascii")
        except UnicodeDecodeError:
            return False
    return type(v) is str and _SMALL_DTYPE.fullmatch(v) is not None


def range_len(args: Any) -> int:
    """Items of ``range(*args)`` (0 when it is not a plain range of integers)."""
    if type(args) is not tuple or not 1 <= len(args) <= 3 or any(type(a) is not int for a in args):
        return 0
    if len(args) == 3 and args[2] == 0:
        return 0
    try:
        return len(range(*args))
    except OverflowError:
        return MAX_RANGE + 1


def newobj_target(seq: Any) -> str | None:
    """The class of ``copyreg.__newobj__(cls, *args)`` when it is checked here."""
    if seq and type(seq[0]) is Sym and seq[0].kind == K_GLOBAL and seq[0].name in CHECKED:
        return str(seq[0].name)
    return None


# Session 18 (rt19pk): ndarray.__setstate__((version,) shape, dtype, is_fortran, rawdata) with
# an object dtype (or one holding objects) reads prod(shape) items from the rawdata list without
# checking its length (numpy's _setlist_pkl): a shorter list reads past it (SIGSEGV at
# pickle.load). Bytes rawdata is checked by numpy itself. MaskedArray's state adds mask and
# fill value after these four.
ARRAY_STATE = frozenset(
    {
        "numpy.core.multiarray._reconstruct",
        "numpy._core.multiarray._reconstruct",
        "numpy.ma.core._mareconstruct",
        "numpy.ndarray",
        "numpy.ma.core.MaskedArray",
        "numpy.ma.MaskedArray",
        "numpy.matrix",
        "numpy.matrixlib.defmatrix.matrix",
        "numpy.rec.recarray",
        "numpy.recarray",
        "numpy.memmap",
    }
)


def array_state_problem(name: str, state: Any, dstr: Any) -> str | None:
    """Why ``BUILD`` of this numpy array with ``state`` may read past its object list (None:
    it cannot). ``dstr``: ``dtype_str`` of the state's dtype (None when not certain)."""
    if type(state) is not tuple:
        return None
    if len(state) in (5, 7) and type(state[0]) is int:
        state = state[1:5]
    if len(state) != 4:
        return None
    shape, _dtype, _fortran, raw = state
    if type(raw) is bytes or type(raw) is str or type(raw) is Span or _bytes_like(raw):
        return None  # numpy checks the bytes' length against shape and dtype
    if type(raw) is not list:
        return f"{name}.__setstate__ with rawdata {describe(raw)} not held in the pickle"
    if type(shape) is not tuple or not all(type(d) is int and d >= 0 for d in shape):
        return f"{name}.__setstate__ with a shape {describe(shape)} not made of integers"
    if dstr is None and type(_dtype) is Sym and _dtype.name in DTYPES:
        # a subarray dtype multiplies the items numpy reads (StringDType has none; a value
        # that is no dtype at all makes numpy raise)
        return f"{name}.__setstate__ of an object list with a dtype not known for certain"
    count = 1
    for d in shape:
        count *= d
    if count != len(raw):
        return (
            f"{name}.__setstate__ with shape {shape} ({count} items) but an object list of "
            f"{len(raw)}: numpy reads past the list"
        )
    return None
