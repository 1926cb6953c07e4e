"""scipy ``save_npz`` files: the index arrays ``load_npz`` trusts, proven in range.

``scipy.sparse.load_npz`` builds csr/csc/bsr containers with ``check_format(full_check=False)``:
lengths and ``indptr[0]`` are checked, index ranges and ``indptr`` order are not, so an
out-of-range column loads fine and crashes at the first ``toarray()`` (coo and dia go through
constructors that check or clip). The members are plain ``.npy`` arrays (no pickle), so the
proof of :mod:`airlock.scan.index_proof` runs on their bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airlock.formats import archive
from airlock.formats import numpy as npy
from airlock.formats.source import Budget, Limits, Source
from airlock.scan import index_proof as ip

KEYS = ("format", "shape", "data", "indices", "indptr")


def resolve(names: list[str]) -> dict[str, str] | None:
    """The member numpy's ``NpzFile`` reads for each key ``load_npz`` asks for: the exact name
    first, then the name + ``.npy`` (numpy's own lookup order, so a bare ``indices`` beside an
    honest ``indices.npy`` is the one loaded); None when a key has no member."""
    have = set(names)
    out: dict[str, str] = {}
    for k in KEYS:
        if k in have:
            out[k] = k
        elif f"{k}.npy" in have:
            out[k] = f"{k}.npy"
        else:
            return None
    return out


def reader(
    src: Source, listing: archive.ZipListing, limits: Limits, budget: Budget
) -> Callable[[str], bytes | memoryview] | None:
    """The bytes ``load_npz`` reads for each key from the zip ``listing`` of ``src`` (members
    resolved as ``resolve`` does): the one mapping the zip and skops handlers share; None when
    a key has no member."""
    found = {m.name: m for m in listing.members if not m.is_dir}
    keys = resolve(list(found))
    if keys is None:
        return None
    return lambda key: archive.member_data(src, found[keys[key]], limits, budget)


def _arr(raw: bytes | memoryview) -> ip.Arr | str:
    try:
        need = npy.header_bytes_needed(bytes(raw[:12]))
        head = npy.parse_header(bytes(raw[:need]))
    except npy.NpyError as exc:
        return f"not a plain .npy array ({exc})"
    descr = head.descr
    if type(descr) is not str or head.has_object:
        return "not a plain .npy array"
    dt = descr if descr[:1] in "<>|" else f"<{descr}" if descr[:1] != "=" else f"<{descr[1:]}"
    body = raw[head.data_offset :]
    return ip.Arr(tuple(head.shape), dt, lambda: body)


def verdict(read: Callable[[str], bytes | memoryview]) -> str | None:
    """None when ``load_npz`` of these members (``read`` takes a key of :data:`KEYS`) builds a
    container whose indices are proven in range (or one whose constructor checks them); else
    the reason."""
    got = read_state(read)
    if isinstance(got, str):
        return got
    if got is None:
        return None  # coo / dia: their constructors check (coo) or clip (dia) every index
    text, state = got
    return ip.sparse_verdict(text, state, lambda a: a if isinstance(a, ip.Arr) else "missing")


def read_state(
    read: Callable[[str], bytes | memoryview],
) -> tuple[str, dict[str, Any]] | str | None:
    """The format and the state (``_shape`` and the ``data``/``indices``/``indptr`` arrays, as
    the pickle proofs see a container) of the csr/csc/bsr container ``load_npz`` builds; None
    for coo/dia (built by constructors that check); else why it is not read. Not a proof: the
    caller proves the state (``ip.sparse_verdict``)."""
    import numpy as np

    fmt_arr = _arr(read("format"))
    if type(fmt_arr) is str or not isinstance(fmt_arr, ip.Arr) or fmt_arr.raw is None:
        return f"format: {fmt_arr}"
    if fmt_arr.shape != () or fmt_arr.dtype[1:2] not in ("S", "U"):
        return "format is not a 0-d string"
    raw = bytes(fmt_arr.raw())
    text = (
        raw.rstrip(b"\0").decode("latin1")
        if fmt_arr.dtype[1] == "S"
        else np.frombuffer(raw, dtype=fmt_arr.dtype).item()
    )
    if text in ("coo", "dia"):
        return None
    if text not in ("csr", "csc", "bsr"):
        return f"format {text!r:.20} is not one load_npz builds"
    shape_arr = _arr(read("shape"))
    if type(shape_arr) is str or not isinstance(shape_arr, ip.Arr):
        return f"shape: {shape_arr}"
    dims = ip.int_values(shape_arr, "shape")
    if type(dims) is str:
        return dims
    state: dict[str, Any] = {"_shape": tuple(int(d) for d in dims)}
    arrays = {k: _arr(read(k)) for k in ("data", "indices", "indptr")}
    for k, a in arrays.items():
        if type(a) is str:
            return f"{k}: {a}"
        state[k] = a
    return str(text), state
