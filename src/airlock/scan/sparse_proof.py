"""Proof that a sparse tensor rebuilt by a ``torch.save`` zip checkpoint is in range.

torch rebuilds sparse tensors without invariant checks on load (``_rebuild_sparse_tensor``), so
an out-of-range index writes out of bounds at the first ``to_dense()``. The pickle machine
records each direct call of ``torch._utils._rebuild_sparse_tensor`` as a *claim* (what the call
rebuilds, as far as the pickle shows it: :func:`coo_claim`); the pickle handler proves each claim
from the storage bytes of the archive (:func:`coo_verdict`, pure: bytes in, verdict out).
Anything not shown, not provable or out of range keeps the high finding, with the reason.

Compressed layouts (CSR, CSC, BSR, BSC) are claims too (:class:`CompressedClaim`, proven by
:func:`compressed_verdict`) for unbatched indices: the checks of torch's own
``_validate_sparse_compressed_tensor_args`` (which ``torch.load`` runs only after the whole
pickle, and ``weights_only=False`` loads skip when an exception is raised earlier): compressed
indices of length ``ncompressed + 1`` starting at 0, ending at nnz, never decreasing; plain
indices in ``[0, nplain)`` and strictly increasing within each compressed row; both int32 or
both int64; values ``[nnz, *block, *dense]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

SPARSE_REBUILD = "torch._utils._rebuild_sparse_tensor"
TENSOR_V2 = "torch._utils._rebuild_tensor_v2"
TORCH_SIZE = "torch.Size"
GET_LAYOUT = "torch.serialization._get_layout"
META_NAMES = frozenset({TENSOR_V2, TORCH_SIZE, GET_LAYOUT})
# dense rebuilds (storage, offset, size, stride, ...) whose view may outgrow its storage
REBUILDS = frozenset({TENSOR_V2, "torch._utils._rebuild_qtensor"})

INDEX_DTYPES = {"torch.LongStorage": "<i8", "torch.IntStorage": "<i4"}
MAX_CLAIMS = 10_000  # sparse rebuilds proven per pickle; more -> not proven
CHUNK = 1 << 20  # index columns checked at a time


class Tensor(NamedTuple):
    """A ``_rebuild_tensor_v2`` over a persistent-id storage of the archive."""

    storage: str  # storage type name (torch.LongStorage...)
    key: str  # archive record: <archive>/data/<key>
    numel: int  # elements the persistent id declares
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


COMPRESSED = {  # layout -> (compressed dim, plain dim) of size, blocked
    "torch.sparse_csr": (0, 1, False),
    "torch.sparse_csc": (1, 0, False),
    "torch.sparse_bsr": (0, 1, True),
    "torch.sparse_bsc": (1, 0, True),
}


class CompressedClaim(NamedTuple):
    layout: str
    compressed: Tensor
    plain: Tensor
    values_size: tuple[int, ...]
    size: tuple[int, ...]


class CooClaim(NamedTuple):
    indices: Tensor
    values_size: tuple[int, ...]
    size: tuple[int, ...]
    coalesced: bool


def _ints(value: Any) -> tuple[int, ...] | None:
    if type(value) is not tuple or not all(type(x) is int for x in value):
        return None
    return value


def storage_meta(pid: Any) -> tuple[str, str, int] | None:
    """``('storage', <storage type>, key, location, numel)``: (type name, key, numel)."""
    if type(pid) is not tuple or len(pid) != 5 or pid[0] != "storage":
        return None
    typ, key, numel = pid[1], pid[2], pid[4]
    name = getattr(typ, "name", None) if getattr(typ, "kind", None) == 1 else None  # K_GLOBAL
    if type(name) is not str or type(key) is not str or type(numel) is not int or numel < 0:
        return None
    return (name, key, numel)


def call_meta(name: str, args: Any, meta_of: Callable[[Any], Any]) -> Any:
    """What the pickle shows of a call's result: a :class:`Tensor`, ``("size", ints)`` or
    ``("layout", name)``; None when not shown plainly."""
    if type(args) is not tuple:
        return None
    if name == TORCH_SIZE:
        ints = _ints(args[0]) if len(args) == 1 else None
        return None if ints is None else ("size", ints)
    if name == GET_LAYOUT:
        return ("layout", args[0]) if len(args) == 1 and type(args[0]) is str else None
    if name == TENSOR_V2 and len(args) >= 4:
        st = meta_of(args[0])
        offset, size, stride = args[1], size_of(args[2], meta_of), size_of(args[3], meta_of)
        if type(st) is not tuple or len(st) != 3:
            return None
        if type(offset) is not int or size is None or stride is None:
            return None
        return Tensor(st[0], st[1], st[2], offset, size, stride)
    return None


def overlapping(t: Tensor) -> bool:
    """More elements than the storage holds (a stride-0 ``expand`` saved as is): 4 bytes of
    storage can stand for 2^31 elements, which any copy (``clone``, ``zeros_like``, a prepack)
    materialises. An empty view (a 0 anywhere in its size: (2, 0) over no storage) is none."""
    if any(d <= 0 for d in t.size):
        return False
    n = 1
    for d in t.size:
        n *= d
        if n > t.numel:
            return True
    return False


def size_of(value: Any, meta_of: Callable[[Any], Any]) -> tuple[int, ...] | None:
    """A size shown as a tuple of ints or a ``torch.Size`` of one (None otherwise)."""
    ints = _ints(value)
    if ints is not None:
        return ints
    m = meta_of(value)
    return m[1] if type(m) is tuple and len(m) == 2 and m[0] == "size" else None


def coo_claim(args: Any, meta_of: Callable[[Any], Any], name_of: Callable[[Any], Any]) -> Any:
    """A direct call ``_rebuild_sparse_tensor(layout, data)``: a :class:`CooClaim`, or the
    reason (a str) it cannot be proven."""
    if type(args) is not tuple or len(args) != 2:
        return "called with arguments the pickle does not show plainly"
    layout, data = args
    lm = meta_of(layout)
    lname = lm[1] if type(lm) is tuple and len(lm) == 2 and lm[0] == "layout" else name_of(layout)
    if lname in COMPRESSED:
        return _compressed_claim(lname, data, meta_of)
    if lname != "torch.sparse_coo":
        return f"layout {lname or 'not shown'} (only sparse_coo and compressed are proven)"
    if type(data) is not tuple or len(data) not in (3, 4):
        return "sparse_coo data is not an (indices, values, size[, coalesced]) tuple"
    indices, values = meta_of(data[0]), meta_of(data[1])
    size = size_of(data[2], meta_of)
    coalesced = data[3] if len(data) == 4 else None
    if type(indices) is not Tensor:
        return "indices are not a tensor stored in the archive"
    if type(values) is not Tensor:
        return "values are not a tensor stored in the archive"
    if size is None:
        return "size is not shown plainly"
    if coalesced is not None and type(coalesced) is not bool:
        return "is_coalesced is not shown plainly"
    return CooClaim(indices, values.size, size, coalesced is True)


def _compressed_claim(layout: str, data: Any, meta_of: Callable[[Any], Any]) -> Any:
    if type(data) is not tuple or len(data) != 4:
        return f"{layout} data is not a (compressed, plain, values, size) tuple"
    comp, plain, values = meta_of(data[0]), meta_of(data[1]), meta_of(data[2])
    size = size_of(data[3], meta_of)
    if type(comp) is not Tensor or type(plain) is not Tensor:
        return "indices are not tensors stored in the archive"
    if type(values) is not Tensor:
        return "values are not a tensor stored in the archive"
    if size is None:
        return "size is not shown plainly"
    return CompressedClaim(layout, comp, plain, values.size, size)


def compressed_shape_problem(claim: CompressedClaim) -> str | None:
    """Shapes only (unbatched): compressed [n + 1], plain [nnz], values [nnz, *block, *dense]."""
    c, p, vs, size = claim.compressed, claim.plain, claim.values_size, claim.size
    cdim, _, blocked = COMPRESSED[claim.layout]
    if len(c.size) != 1 or len(p.size) != 1 or len(c.stride) != 1 or len(p.stride) != 1:
        return "batched or multi-dimensional compressed indices (only unbatched are proven)"
    nnz = p.size[0]
    if any(x < 0 for x in (*size, *vs, *c.stride, *p.stride, c.offset, p.offset)):
        return "a negative size, stride or offset"
    if len(size) < 2 or not vs or vs[0] != nnz:
        return f"plain indices {p.size} do not match values {vs} and size {size}"
    block = vs[1:3] if blocked else (1, 1)
    if len(block) != 2 or block[0] < 1 or block[1] < 1:
        return f"values {vs} carry no block shape"
    dense = vs[3:] if blocked else vs[1:]
    if tuple(size[2:]) != tuple(dense):
        return f"size {size} does not match values {vs}"
    if size[0] % block[0] or size[1] % block[1]:
        return f"size {size} is not a multiple of the block {block}"
    if c.size[0] != size[cdim] // block[cdim] + 1:
        return f"compressed indices {c.size} do not match size {size}"
    if c.storage != p.storage:
        return "compressed and plain indices of different dtypes"
    return None


def _view(t: Tensor, data: bytes | memoryview) -> Any:
    """A 1-D tensor's elements (int64 numpy array), or a reason (str)."""
    import numpy as np

    dtype = INDEX_DTYPES.get(t.storage)
    if dtype is None:
        return f"indices stored as {t.storage}, not int64/int32"
    item = int(dtype[2])
    if len(data) < t.numel * item:
        return f"indices storage holds {len(data)} bytes, {t.numel * item} declared"
    n = t.size[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    step = t.stride[0] if n > 1 else 0
    if t.offset + (n - 1) * step >= t.numel:
        return "indices reach past the end of their storage"
    arr = np.frombuffer(data, dtype=dtype, count=t.numel)
    if step == 0:  # a broadcast view: every element is the first
        return np.full(n, arr[t.offset], dtype=np.int64)
    return arr[t.offset : t.offset + (n - 1) * step + 1 : step].astype(np.int64)


def compressed_verdict(
    claim: CompressedClaim,
    read: Callable[[str], bytes | memoryview],
    expired: Callable[[], bool] = lambda: False,
) -> str | None:
    """None when the compressed claim is proven from its storages (``read(key)``), else why."""
    import numpy as np

    problem = compressed_shape_problem(claim)
    if problem:
        return problem
    _, pdim, blocked = COMPRESSED[claim.layout]
    block = claim.values_size[1:3] if blocked else (1, 1)
    nplain = claim.size[pdim] // block[pdim]
    comp = _view(claim.compressed, read(claim.compressed.key))
    if type(comp) is str:
        return comp
    plain = _view(claim.plain, read(claim.plain.key))
    if type(plain) is str:
        return plain
    if expired():
        return "time budget hit while checking indices"
    nnz = len(plain)
    if int(comp[0]) != 0 or int(comp[-1]) != nnz:
        return f"compressed indices run from {int(comp[0])} to {int(comp[-1])}, not 0 to {nnz}"
    steps = np.diff(comp)
    if len(steps) and (int(steps.min()) < 0 or int(steps.max()) > nplain):
        return "compressed indices decrease or a row holds more entries than columns"
    if nnz == 0:
        return None
    lo, hi = int(plain.min()), int(plain.max())
    if lo < 0 or hi >= nplain:
        return f"plain index {lo if lo < 0 else hi} out of range for size {nplain}"
    # strictly increasing within each compressed row: a non-increase only where a row starts
    starts = np.zeros(nnz + 1, dtype=bool)
    starts[comp[1:-1]] = True
    bad = np.diff(plain) <= 0
    if bool(np.any(bad & ~starts[1:nnz])):
        return "plain indices are not sorted and unique within a row"
    return None


def coo_shape_problem(claim: CooClaim) -> str | None:
    """Shapes only: indices [sparse_dim, nnz], values [nnz, *dense], size sparse + dense."""
    t = claim.indices
    if len(t.size) != 2 or len(t.stride) != 2:
        return f"indices of shape {t.size} are not 2-D"
    sd, nnz = t.size
    vs, size = claim.values_size, claim.size
    if sd < 1 or not vs or vs[0] != nnz:
        return f"indices {t.size} do not match values {vs}"
    if len(size) != sd + len(vs) - 1 or size[sd:] != vs[1:]:
        return f"size {size} does not match indices {t.size} and values {vs}"
    if any(x < 0 for x in (*size, *vs, *t.stride, t.offset)):
        return "a negative size, stride or offset"
    return None


def coo_verdict(
    claim: CooClaim,
    data: bytes | memoryview,
    expired: Callable[[], bool] = lambda: False,
    chunk: int = CHUNK,
) -> str | None:
    """None when every index of ``claim`` is proven in range from ``data`` (the bytes of its
    indices storage, little-endian), else the reason. Reads ``chunk`` columns at a time."""
    import numpy as np  # a base dependency; imported where used (scan start-up time)

    problem = coo_shape_problem(claim)
    if problem:
        return problem
    t = claim.indices
    dtype = INDEX_DTYPES.get(t.storage)
    if dtype is None:
        return f"indices stored as {t.storage}, not int64/int32"
    item = int(dtype[2])
    if len(data) < t.numel * item:
        return f"indices storage holds {len(data)} bytes, {t.numel * item} declared"
    sd, nnz = t.size
    # a stride along a dimension of size 1 is never used (and may be any int)
    s0 = t.stride[0] if sd > 1 else 0
    s1 = t.stride[1] if nnz > 1 else 0
    if nnz == 0:
        return None
    if t.offset + (sd - 1) * s0 + (nnz - 1) * s1 >= t.numel:
        return "indices reach past the end of their storage"
    arr = np.frombuffer(data, dtype=dtype, count=t.numel)
    bounds = claim.size[:sd]
    mult: list[int] = []
    if claim.coalesced:  # rows in strictly increasing row-major order: linear index rises
        total = 1
        for b in reversed(bounds):
            mult.insert(0, total)
            total *= b
        if total >= 1 << 62:
            return "coalesced indices over a sparse size too large to order-check"
    last = -1
    for c0 in range(0, nnz, chunk):
        if expired():
            return "time budget hit while checking indices"
        cols = np.arange(c0, min(nnz, c0 + chunk), dtype=np.int64) * s1 + t.offset
        lin = np.zeros(len(cols), dtype=np.int64) if mult else None
        for i, bound in enumerate(bounds):
            row = arr[cols + i * s0].astype(np.int64)
            lo, hi = int(row.min()), int(row.max())
            if lo < 0 or hi >= bound:
                bad = lo if lo < 0 else hi
                return f"index {bad} out of range for dim {i} of size {bound}"
            if lin is not None:
                lin += row * mult[i]
        if lin is not None:
            if int(lin[0]) <= last or (len(lin) > 1 and not bool(np.all(np.diff(lin) > 0))):
                return "indices claimed coalesced are not sorted and unique"
            last = int(lin[-1])
    return None
