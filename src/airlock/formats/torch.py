"""PyTorch checkpoint layouts, read without torch: which bytes are pickles, which are tensor data.

- zip (torch >= 1.6, and TorchScript): ``<prefix>/data.pkl`` (+ ``constants.pkl`` and ``code/``
  for TorchScript); ``<prefix>/data/<key>`` are raw storages the loader copies, never unpickles.
  The prefix is whatever the writer chose (the first path component), so we match any.
- legacy stacked pickles (``_use_new_zipfile_serialization=False``): magic-number pickle,
  protocol pickle, sys_info pickle, the main pickle, the storage-key list, then raw storage bytes.
- legacy tar (torch < 0.1.10): members ``sys_info``, ``pickle``, ``storages``, ``tensors``; the
  last two interleave small pickles with raw data whose lengths we compute like the loader does.

torch's zip reader (miniz, ``caffe2/serialize/inline_container.cc``) looks records up IGNORING
ASCII case: ``x/DATA.PKL`` is read as ``data.pkl``, ``x/CODE/m.py`` compiled as ``code/m.py``.
Every name test here is made on ``fold(name)``; names that fold together are ambiguous (which
one a lookup returns depends on the other members) and reported by the handlers.
"""

from __future__ import annotations

import math
import re
import string
import struct
from collections.abc import Iterable

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
_MAGIC_LONG1 = b"\x8a\x0a" + MAGIC_NUMBER.to_bytes(10, "little")
_MAGIC_TEXT = b"L" + str(MAGIC_NUMBER).encode() + b"L\n."
LEGACY_PICKLES = 5  # magic, protocol, sys_info, main object, storage keys

_STORAGE = re.compile(r"^(?:[^/]+/)?(?:\.data/)?data/[^/]+$")
_PICKLE = re.compile(r"^(?:.*/)?[^/]+\.pkl$")
_DEBUG_PKL = re.compile(r"\.debug_pkl$")
_CODE = re.compile(r"^(?:[^/]+/)?code/.+\.py$")
_DATA_PKL = re.compile(r"^(?:[^/]+/)?data\.pkl$")
# small records torch reads as numbers/strings (never unpickled)
_METADATA = re.compile(
    r"^(?:[^/]+/)?(?:version|byteorder|\.format_version|\.storage_alignment|"
    r"\.data/version|\.data/serialization_id)$"
)

# element sizes of legacy typed storages, by pickled class name
ELEMENT_SIZE = {
    "DoubleStorage": 8,
    "FloatStorage": 4,
    "HalfStorage": 2,
    "BFloat16Storage": 2,
    "LongStorage": 8,
    "IntStorage": 4,
    "ShortStorage": 2,
    "CharStorage": 1,
    "ByteStorage": 1,
    "BoolStorage": 1,
    "ComplexFloatStorage": 8,
    "ComplexDoubleStorage": 16,
    "QInt8Storage": 1,
    "QUInt8Storage": 1,
    "QInt32Storage": 4,
}


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fold(name: str) -> str:
    """A record name as torch's zip reader compares it: miniz lowers ASCII letters only
    (``mz_zip_reader_locate_file`` without ``MZ_ZIP_FLAG_CASE_SENSITIVE``)."""
    return name.translate(_ASCII_LOWER)


def by_folded(names: Iterable[str]) -> dict[str, list[str]]:
    """Every file name (directories left out) under its folded form: the records a torch lookup
    of that name may return, in archive order."""
    out: dict[str, list[str]] = {}
    for name in names:
        if not name.endswith("/"):
            out.setdefault(fold(name), []).append(name)
    return out


def case_clashes(names: Iterable[str]) -> list[list[str]]:
    """Groups of distinct names that differ only in case. torch's reader returns whichever its
    binary search over the case-insensitively sorted directory meets first, which changes with
    the number of other members (probed on torch 2.13): the bytes it loads cannot be told."""
    groups = (sorted(set(group)) for group in by_folded(names).values())
    return [group for group in groups if len(group) > 1]


class TorchZipLayout:
    """How the members of a PyTorch zip divide into pickles, code, storages and the rest."""

    def __init__(self) -> None:  # a plain class: no method source compiled at import
        self.pickles: list[str] = []
        self.code: list[str] = []
        self.storages: list[str] = []
        self.metadata: list[str] = []
        self.other: list[str] = []
        self.torchscript = False


def is_torch_zip(names: list[str]) -> bool:
    """A zip that ``torch.load`` / ``torch.jit.load`` would treat as a checkpoint."""
    folded = [fold(n) for n in names]
    return any(_DATA_PKL.match(n) or n.endswith("/constants.pkl") for n in folded)


# ``<prefix>/<archive>/<key>``: raw storages of the pickle ``<prefix>/<archive>.pkl`` (TorchScript
# writes ``constants.pkl`` + ``constants/N`` and ``traced_inputs.pkl`` + ``traced_inputs/N``
# exactly like ``data.pkl`` + ``data/N``); read by the loader as bytes, never unpickled
_ARCHIVE_STORAGE = re.compile(r"^((?:[^/]+/)?)([^/.][^/]*)/[^/]+$")


def classify_members(names: list[str]) -> TorchZipLayout:
    """Roles by folded name (what the loader reads each member as); the lists hold the names."""
    layout = TorchZipLayout()
    pickle_names = {fold(n) for n in names if _PICKLE.match(fold(n))}
    for name in names:
        folded = fold(name)
        if folded.endswith("/"):
            continue
        archive_storage = _ARCHIVE_STORAGE.match(folded)
        if _CODE.match(folded):
            layout.code.append(name)
            layout.torchscript = True
        elif _PICKLE.match(folded) or _DEBUG_PKL.search(folded):
            layout.pickles.append(name)
            if folded.endswith("constants.pkl"):
                layout.torchscript = True
        elif _STORAGE.match(folded) or (
            archive_storage is not None
            and archive_storage.group(2) not in ("code", "extra")
            and f"{archive_storage.group(1)}{archive_storage.group(2)}.pkl" in pickle_names
        ):
            layout.storages.append(name)
        elif _METADATA.match(folded):
            layout.metadata.append(name)
        else:
            layout.other.append(name)
    return layout


_DEF = rb"(?m)^[ \t]*def[ \t]+([A-Za-z_][A-Za-z0-9_]*)"  # compiled by ``re`` on first use


def defined_names_in_text(data: bytes) -> set[str]:
    """``def`` names of a TorchScript code member, read without parsing (the archive-wide set
    of methods a call in another member may reach)."""
    return {m.decode("ascii") for m in re.findall(_DEF, data)}


def is_legacy_stacked(head: bytes) -> bool:
    """The magic-number pickle that opens every legacy (non-zip) ``torch.save`` file."""
    return _MAGIC_LONG1 in head[:16] or head.startswith(_MAGIC_TEXT)


LEGACY_TAR_MEMBERS = frozenset({"sys_info", "pickle", "storages", "tensors"})


def is_legacy_tar(names: list[str]) -> bool:
    return {"pickle", "storages", "tensors"} <= set(names)


def storage_element_size(callables: list[str]) -> int | None:
    """Element size of the storage class named in a legacy ``(key, location, type)`` pickle.

    torch takes it from the class the pickle returns (``storage_type._dtype``), which a reading
    by names cannot pick among several: a record naming storage classes of different sizes is
    refused (ValueError). Red team rt13: a FloatStorage named and popped before the returned
    DoubleStorage made Airlock skip half the bytes torch skips, and judge a decoy record where
    torch unpickled the next one (os.system ran, ALLOW)."""
    sizes = {
        ELEMENT_SIZE[s] for s in (n.rsplit(".", 1)[-1] for n in callables) if s in ELEMENT_SIZE
    }
    if len(sizes) > 1:
        raise ValueError("storage record names storage classes of different element sizes")
    return sizes.pop() if sizes else None


def skip_storage_record(data: bytes | memoryview, offset: int, element_size: int) -> int:
    """Offset after a raw storage written by ``_write_file``: int64 element count, then data."""
    raw = bytes(data[offset : offset + 8])
    if len(raw) < 8:
        raise ValueError("truncated storage size")
    numel = int(struct.unpack("<q", raw)[0])
    end = offset + 8 + numel * element_size
    if numel < 0 or end > len(data):
        raise ValueError(f"storage of {numel} elements runs past the end")
    return end


def skip_tensor_record(data: bytes | memoryview, offset: int) -> int:
    """Offset after the binary tensor header of a legacy ``tensors`` member."""
    raw = bytes(data[offset : offset + 4])
    if len(raw) < 4:
        raise ValueError("truncated tensor header")
    ndim = int(struct.unpack("<i", raw)[0])
    if not 0 <= ndim <= 64:
        raise ValueError(f"tensor with {ndim} dimensions")
    end = offset + 8 + 16 * ndim + 8
    if end > len(data):
        raise ValueError("truncated tensor header")
    return end


# ---- torch.export PT2 archives (``torch.export.save``) ----------------------------------------
# ``<root>/archive_format`` ("pt2"), ``<root>/models/<m>.json`` (the serialized program),
# ``<root>/data/weights/<m>_weights_config.json`` and ``<root>/data/constants/<m>_constants_config
# .json`` name every payload file: ``weight_N`` / ``tensor_N`` are raw tensor bytes when the
# config says ``use_pickle: false`` (the loader maps them as storages and ``as_strided`` views),
# a ``torch.save`` zip otherwise; ``custom_obj_N`` / ``opaque_obj_N`` are pickles;
# ``data/sample_inputs/<m>.pt`` is a ``torch.save`` zip. (torch/export/pt2_archive/_package.py)
_PT2_FORMAT = re.compile(r"^((?:[^/]+/)?)archive_format$")
_PT2_CONFIG = r"^data/(weights|constants)/[^/]+_(?:weights|constants)_config\.json$"  # on first use
# ``torch._export.serde.schema.ScalarType`` value -> element size in bytes
PT2_ELEMENT_SIZE = {
    1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 2, 7: 4, 8: 8, 9: 4, 10: 8, 11: 16, 12: 1, 13: 2,
    28: 2, 29: 1, 30: 1, 31: 1, 32: 1, 33: 1, 34: 4, 35: 8,
}  # fmt: skip


def pt2_root(names: list[str]) -> str | None:
    """The archive root (``"m/"``, folded) of a PT2 archive: an ``archive_format`` record and
    at least one ``models/<m>.json`` under the same root, or an AOTInductor package's
    ``data/aotinductor/`` at the top or one folder down; ``None`` otherwise."""
    folded = [fold(n) for n in names]
    for name in folded:
        match = _PT2_FORMAT.match(name)
        if match is not None:
            root = match.group(1)
            if any(n.startswith(root + "models/") and n.endswith(".json") for n in folded):
                return root
    # an AOTInductor package (torch._inductor.aoti_load_package), models/ optional
    for name in folded:
        at = name.find(_AOTI_DIR)
        if at == 0 or (at > 0 and name[at - 1] == "/" and name[: at - 1].count("/") == 0):
            return name[:at]
    return None


_AOTI_DIR = "data/aotinductor/"


# the ``torch.export.save`` zip of torch <= 2.7, still read by ``torch.export.load`` when the
# file is no PT2 archive (or that reading fails): ``version`` plus a top-level
# ``serialized_exported_program.json`` (the same program JSON as ``models/<m>.json``), and
# ``serialized_{state_dict,constants,example_inputs}.pt`` (``torch.save`` bytes)
PT2_LEGACY_PROGRAM = "serialized_exported_program.json"


def pt2_legacy_programs(names: list[str]) -> list[str]:
    """Members a ``torch.export.load`` of the old layout reads as the program, at any depth
    and in any case (the loader wants the exact top-level name; judging more is safe)."""
    return [n for n in names if fold(n).rsplit("/", 1)[-1] == PT2_LEGACY_PROGRAM]


def pt2_relative(name: str, root: str) -> str | None:
    """A member's folded path under the (folded) PT2 root, as the loader looks it up."""
    folded = fold(name)
    return folded[len(root) :] if folded.startswith(root) else None


def pt2_config_names(names: list[str], root: str) -> list[str]:
    rels = ((n, pt2_relative(n, root)) for n in names)
    return [n for n, rel in rels if rel is not None and re.match(_PT2_CONFIG, rel)]


class Pt2Payloads:
    """What a PT2 archive's payload configs say about its files, members by folded path (the
    loader resolves ``path_name`` ignoring case): ``raw`` maps a member to the bytes its tensors
    reach and their element size (the member holds the whole storage, which is at least that
    long and whole elements, as the loader checks), ``problems`` lists entries that cannot be
    followed (a member named both raw and pickled among them)."""

    def __init__(self) -> None:  # a plain class: no method source compiled at import
        self.raw: dict[str, tuple[int, int]] = {}
        self.pickled: set[str] = set()
        self.problems: list[str] = []


def _as_int(value: object) -> int | None:
    if isinstance(value, dict) and set(value) == {"as_int"}:
        n = value["as_int"]
        if isinstance(n, int) and not isinstance(n, bool):
            return n
    return None


def _tensor_extent(meta: object) -> tuple[int, int] | None:
    """Bytes of storage a ``tensor_meta`` (dtype, sizes, strides, storage_offset) reaches, and
    its element size."""
    if not isinstance(meta, dict):
        return None
    elem = PT2_ELEMENT_SIZE.get(meta.get("dtype"))  # type: ignore[arg-type]
    sizes, strides = meta.get("sizes"), meta.get("strides")
    if elem is None or not isinstance(sizes, list) or not isinstance(strides, list):
        return None
    if len(sizes) != len(strides):
        return None
    dims = [_as_int(s) for s in sizes]
    steps = [_as_int(s) for s in strides]
    offset = _as_int(meta.get("storage_offset"))
    if offset is None or offset < 0:
        return None
    last = offset
    for d, s in zip(dims, steps, strict=True):
        if d is None or s is None or d < 0 or s < 0:
            return None
        if d == 0:
            return 0, elem
        last += (d - 1) * s
    return (last + 1) * elem, elem


def pt2_raw_fits(size: int, need: tuple[int, int]) -> bool:
    """A raw tensor file of ``size`` bytes holds what its config's tensors reach."""
    extent, elem = need
    return size >= extent and size % elem == 0


def pt2_payloads(configs: dict[str, object]) -> Pt2Payloads:
    """Follow parsed payload configs (``{config member: parsed JSON}``)."""
    out = Pt2Payloads()
    for config_name, doc in configs.items():
        base = config_name.rsplit("/", 1)[0] + "/"
        entries = doc.get("config") if isinstance(doc, dict) else None
        if not isinstance(entries, dict):
            out.problems.append(f"{config_name}: no 'config' object")
            continue
        for fqn, entry in entries.items():
            path = entry.get("path_name") if isinstance(entry, dict) else None
            if not isinstance(path, str) or "/" in path or path in ("", ".", ".."):
                out.problems.append(f"{config_name}: {fqn!r} has no usable path_name")
                continue
            member = fold(base + path)  # ``WEIGHT_0`` is read from ``weight_0``
            if entry.get("use_pickle") is True or path.startswith(("custom_obj_", "opaque_obj_")):
                out.pickled.add(member)
                continue
            if entry.get("use_pickle") is not False:
                out.problems.append(f"{config_name}: {fqn!r} use_pickle is not a boolean")
                continue
            reach = _tensor_extent(entry.get("tensor_meta"))
            if reach is None:
                out.problems.append(f"{config_name}: {fqn!r} tensor_meta cannot be followed")
                continue
            extent, elem = out.raw.get(member, (0, 1))
            out.raw[member] = (max(extent, reach[0]), math.lcm(elem, reach[1]))
    for member in out.pickled & set(out.raw):
        out.problems.append(f"{member}: named both as raw tensor bytes and as a pickle")
        del out.raw[member]
    return out
