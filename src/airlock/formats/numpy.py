"""NumPy ``.npy`` headers, parsed without numpy: an object dtype means a pickle follows the header
(``np.load(allow_pickle=True)`` would unpickle it). ``.npz`` is a zip of ``.npy`` members and needs
nothing beyond the zip reader."""

import ast
import re
import struct
from typing import Any, Final

MAGIC = b"\x93NUMPY"
MAX_HEADER = 1 << 20


class NpyError(ValueError):
    pass


class NpyHeader:
    """A parsed header (a plain class: a dataclass or NamedTuple compiles source at import)."""

    def __init__(
        self,
        version: tuple[int, int],
        descr: Any,
        fortran_order: bool,
        shape: tuple[int, ...],
        data_offset: int,
    ) -> None:
        self.version: Final = version
        self.descr: Final = descr
        self.fortran_order: Final = fortran_order
        self.shape: Final = shape
        self.data_offset: Final = data_offset

    @property
    def has_object(self) -> bool:
        return dtype_kind(self.descr) != "plain"


def parse_header(head: bytes) -> NpyHeader:
    """Parse the magic, version, header length and header dict (a Python literal, never eval'd)."""
    if not head.startswith(MAGIC) or len(head) < 10:
        raise NpyError("not an .npy file")
    major, minor = head[6], head[7]
    if major == 1:
        (hlen,) = struct.unpack_from("<H", head, 8)
        start = 10
    elif major in (2, 3):
        if len(head) < 12:
            raise NpyError("truncated .npy header")
        (hlen,) = struct.unpack_from("<I", head, 8)
        start = 12
    else:
        raise NpyError(f"unknown .npy version {major}.{minor}")
    if hlen > MAX_HEADER:
        raise NpyError(f".npy header of {hlen} bytes")
    raw = head[start : start + hlen]
    if len(raw) < hlen:
        raise NpyError("truncated .npy header")
    text = raw.decode("utf-8" if major == 3 else "latin1", "replace")
    try:
        meta = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as exc:
        raise NpyError(f"unparseable .npy header ({type(exc).__name__})") from None
    if not isinstance(meta, dict) or not {"descr", "fortran_order", "shape"} <= set(meta):
        raise NpyError(".npy header lacks descr/fortran_order/shape")
    shape = meta["shape"]
    if not isinstance(shape, tuple) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise NpyError(f".npy header has an invalid shape {shape!r}"[:120])
    if dtype_kind(meta["descr"]) == "unknown":
        raise NpyError(f".npy header has a dtype numpy does not write: {meta['descr']!r}"[:160])
    return NpyHeader(
        (major, minor), meta["descr"], bool(meta["fortran_order"]), shape, start + hlen
    )


def header_bytes_needed(head: bytes) -> int:
    """How many bytes ``parse_header`` needs (so callers read exactly that much)."""
    if len(head) >= 12 and head[6] in (2, 3):
        return 12 + min(MAX_HEADER, int(struct.unpack_from("<I", head, 8)[0]))
    if len(head) >= 10:
        return 10 + int(struct.unpack_from("<H", head, 8)[0])
    return len(head)


# The dtype strings ``np.save`` writes for plain data (``dtype.str``): booleans, integers, floats,
# complex, bytes, unicode, void, datetime and timedelta. numpy accepts many more spellings
# ('object', 'f8,O', '(2,)O', 'T', dicts, sets), several of which hold objects. (Patterns are
# compiled by ``re`` on first use: most scans read no .npy header.) ``f1`` is what np.save writes
# for ml_dtypes' float8_e5m2 (its dtype.str is '<f1'; every other ml_dtypes type saves as V):
# numpy has no 1-byte float and np.load refuses the header, so such a file is never loaded.
_PLAIN = (
    r"[<>|=]?(?:b1|[iu][1248]|f(?:1|2|4|8|12|16)|c(?:8|16|24|32)|[SUV][0-9]{1,10}"
    r"|[Mm]8(?:\[[0-9]{0,9}[A-Za-z\u03bc]{1,7}\])?)"
)
# a spelling that names an object (``O``, ``object``) or a variable-width string (``T``, whose
# arrays numpy also pickles): read as an object array (its pickle analysed)
_OBJECT = r"[OT]"


def dtype_kind(descr: Any, depth: int = 0) -> str:
    """``plain``, ``object`` (Python objects may follow: a pickle) or ``unknown``, against an
    allowlist of what ``np.save`` writes: a parser of every form numpy accepts would have to be as
    lax as numpy, and a form it does not know is not judged (``parse_header`` refuses it)."""
    if depth > 32:
        return "unknown"
    if isinstance(descr, str):
        if re.fullmatch(_PLAIN, descr):
            return "plain"
        return "object" if re.search(_OBJECT, descr) else "unknown"
    if not isinstance(descr, list) or not descr:
        return "unknown"
    kinds = set()
    for item in descr:
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            return "unknown"
        name = item[0]
        if not (isinstance(name, str) or _is_title(name)):
            return "unknown"
        if len(item) == 3 and not _is_shape(item[2]):
            return "unknown"
        kinds.add(dtype_kind(item[1], depth + 1))
    for kind in ("unknown", "object"):
        if kind in kinds:
            return kind
    return "plain"


def itemsize(descr: Any, depth: int = 0) -> int | None:
    """Bytes per element of a plain ``descr`` (as ``dtype_kind`` reads it: ``np.save`` writes
    structured dtypes with their padding fields), ``None`` when not a plain form."""
    if depth > 32:
        return None
    if isinstance(descr, str):
        if re.fullmatch(_PLAIN, descr) is None:
            return None
        code = descr.lstrip("<>|=")
        if code[0] in "Mm":
            return 8
        width = 1 if code == "b1" else int(code[1:])
        return 4 * width if code[0] == "U" else width
    if not isinstance(descr, list) or not descr:
        return None
    total = 0
    for item in descr:
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            return None
        size = itemsize(item[1], depth + 1)
        if size is None:
            return None
        if len(item) == 3:
            shape = item[2]
            for d in (shape,) if type(shape) is int else shape:
                size *= d
        total += size
    return total


def array_bytes(header: NpyHeader) -> int | None:
    """Bytes of a plain array's data (``None``: not a plain dtype ``itemsize`` reads)."""
    size = itemsize(header.descr)
    if size is not None:
        for d in header.shape:
            size *= d
    return size


def _is_title(name: Any) -> bool:
    return isinstance(name, tuple) and len(name) == 2 and all(isinstance(n, str) for n in name)


def _is_shape(shape: Any) -> bool:
    if type(shape) is int:
        return shape >= 0
    return isinstance(shape, tuple) and all(type(d) is int and d >= 0 for d in shape)
