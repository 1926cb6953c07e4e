"""The shells model files come in, built the way the real writers build them (torch.save,
np.save/np.savez, joblib.dump, gzip, zipfile, tarfile) and then bent: a pickle swapped into a
real torch zip, prepended or appended, odd member names, nesting, truncation."""

from __future__ import annotations

import bz2
import functools
import gzip
import io
import lzma
import pickle
import tarfile
import warnings
import zipfile
import zlib
from collections.abc import Callable

import numpy as np

from tests.differential.choice import Chooser

TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


@functools.cache
def torch_zip_members() -> tuple[tuple[str, bytes], ...]:
    """The members ``torch.save`` writes for a small state dict (built once)."""
    import torch

    buf = io.BytesIO()
    torch.save({"w": torch.zeros(2), "b": torch.ones(1)}, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return tuple((i.filename, z.read(i)) for i in z.infolist())


def torch_zip(ch: Chooser, data_pkl: bytes | None) -> tuple[bytes, str]:
    """A real torch zip checkpoint, optionally with ``data.pkl`` replaced by ``data_pkl``."""
    members = torch_zip_members()
    top = ch.pick(("archive", "archive", "model", "a b", "ü", "x.y"))
    method = ch.pick((zipfile.ZIP_STORED, zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members:
            rel = name.split("/", 1)[1]
            if rel == "data.pkl" and data_pkl is not None:
                body = data_pkl
            z.writestr(f"{top}/{rel}", body)
    return buf.getvalue(), f"torch-zip[top={top!r} method={method}]"


def torch_legacy(ch: Chooser, payload: bytes | None) -> tuple[bytes, str]:
    """The pre-1.6 ``torch.save`` layout: magic, protocol, sys_info and the object as four
    consecutive pickles, then the storage keys; ``payload`` replaces one of them."""
    parts = [
        pickle.dumps(TORCH_LEGACY_MAGIC, protocol=2),
        pickle.dumps(1001, protocol=2),
        pickle.dumps({"protocol_version": 1001, "little_endian": True,
                      "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2),
        pickle.dumps({"epoch": 3, "lr": 0.5}, protocol=2),
        pickle.dumps([], protocol=2),
    ]  # fmt: skip
    slot = ch.int(0, 4)
    if payload is not None:
        parts[slot] = payload
    return b"".join(parts), f"torch-legacy[payload in pickle #{slot}]"


def npy_object(ch: Chooser, pkl: bytes | None) -> tuple[bytes, str]:
    """An ``np.save`` file of an object array, its pickle body swapped for ``pkl``."""
    buf = io.BytesIO()
    np.save(buf, np.array([1, "a", None], dtype=object), allow_pickle=True)
    raw = buf.getvalue()
    hlen = 10 + int.from_bytes(raw[8:10], "little")
    if pkl is None:
        return raw, "npy[object]"
    version = ch.pick((1, 2))
    header = raw[10:hlen]
    if version == 2:
        return b"\x93NUMPY\x02\x00" + len(header).to_bytes(
            4, "little"
        ) + header + pkl, "npy[v2 object]"
    return raw[:hlen] + pkl, "npy[v1 object]"


def npy_plain() -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.arange(4, dtype=np.float32))
    return buf.getvalue()


ODD_NAMES = ("arr_0.npy", "\n.arr.npy", "N.npy", "..npy", "a/../b.npy", "weights.npy",
             "é.npy", "x" * 200 + ".npy", "data.pkl", "archive/data.pkl")  # fmt: skip


NATURAL_NAMES = ("arr_0.npy", "weights.npy", "é.npy", "layer.0.npy")


def npz(ch: Chooser, member: bytes, *, odd: bool = True) -> tuple[bytes, str]:
    """An ``.npz`` (a zip of ``.npy`` members) whose first member is ``member``."""
    first = ch.pick(ODD_NAMES if odd else NATURAL_NAMES)
    method = zipfile.ZIP_DEFLATED if ch.chance(0.3) else zipfile.ZIP_STORED
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr(first, member)
        z.writestr("bias.npy", npy_plain())
    return buf.getvalue(), f"npz[first={first!r} method={method}]"


def joblib_dump(ch: Chooser, obj: object) -> tuple[bytes, str] | None:
    import joblib

    compress = ch.pick((0, 0, 3, ("gzip", 3), ("bz2", 3), ("lzma", 3), ("xz", 3)))
    buf = io.BytesIO()
    try:
        joblib.dump({"coef": np.arange(6.0).reshape(2, 3), "extra": obj}, buf, compress=compress)
    except Exception:
        return None
    return buf.getvalue(), f"joblib.dump[compress={compress}]"


COMPRESSORS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "gzip": (lambda b: gzip.compress(b, mtime=0), ".gz"),
    "bz2": (bz2.compress, ".bz2"),
    "xz": (lambda b: lzma.compress(b, format=lzma.FORMAT_XZ), ".xz"),
    "lzma": (lambda b: lzma.compress(b, format=lzma.FORMAT_ALONE), ".lzma"),
    "zlib": (zlib.compress, ".z"),
}


def compress(ch: Chooser, data: bytes) -> tuple[bytes, str, str]:
    """``(bytes, recipe, natural suffix)`` for a compressed stream."""
    kind = ch.pick(tuple(COMPRESSORS))
    fn, suffix = COMPRESSORS[kind]
    return fn(data), f"{kind}", suffix


def multistream(ch: Chooser, data: bytes) -> tuple[bytes, str, str]:
    """The stream cut in two, each half compressed on its own, concatenated: gzip, bz2 and xz
    readers decompress every member, so the loader sees the whole pickle."""
    kind = ch.pick(("gzip", "bz2", "xz"))
    fn, suffix = COMPRESSORS[kind]
    cut = ch.int(1, max(1, len(data) - 1))
    return fn(data[:cut]) + fn(data[cut:]), f"{kind} 2 members cut at {cut}", suffix


def torch_zip_duplicate(ch: Chooser, data_pkl: bytes, benign_pkl: bytes) -> tuple[bytes, str]:
    """A torch zip holding ``data.pkl`` twice (benign and payload, in either order): readers
    disagree on which entry a name means."""
    members = torch_zip_members()
    payload_last = ch.chance(0.5)
    first, second = (benign_pkl, data_pkl) if payload_last else (data_pkl, benign_pkl)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name" is the point
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for name, body in members:
                if name.endswith("/data.pkl"):
                    z.writestr(name, first)
                    z.writestr(name, second)
                else:
                    z.writestr(name, body)
    return (
        buf.getvalue(),
        f"torch-zip[data.pkl twice, payload {'last' if payload_last else 'first'}]",
    )


def joblib_dotted(ch: Chooser, payload_obj: object) -> tuple[bytes, str] | None:
    """joblib writes array bytes inline in the pickle stream; bytes full of STOP opcodes end a
    reader that does not skip them before the payload that follows."""
    import joblib

    arr = np.frombuffer(ch.pick((b".", b"R", b"\x93")) * ch.int(8, 200), dtype=np.uint8).copy()
    buf = io.BytesIO()
    try:
        joblib.dump({"coef": arr, "extra": payload_obj}, buf)
    except Exception:
        return None
    return buf.getvalue(), "joblib.dump[array of opcode bytes before the payload]"


def zip_of(ch: Chooser, members: list[tuple[str, bytes]]) -> bytes:
    method = ch.pick((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                      zipfile.ZIP_LZMA))  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members:
            z.writestr(name, body)
    return buf.getvalue()


def tar_of(
    members: list[tuple[str, bytes]],
    mode: str = "w",
    links: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    tar_format: int = 2,
) -> bytes:
    """A tar (``mode`` ``w`` / ``w:gz`` / ``w:bz2`` / ``w:xz``) of regular files, plus link
    members ``(name, target, type)`` with type ``tarfile.SYMTYPE`` or ``LNKTYPE``."""
    buf = io.BytesIO()
    fmt = {0: tarfile.USTAR_FORMAT, 1: tarfile.GNU_FORMAT, 2: tarfile.PAX_FORMAT}[tar_format]
    with tarfile.open(fileobj=buf, mode=mode, format=fmt) as t:  # type: ignore[call-overload]
        for name, target, kind in links:
            ti = tarfile.TarInfo(name)
            ti.type, ti.linkname = kind, target
            t.addfile(ti)
        for name, body in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(body)
            t.addfile(ti, io.BytesIO(body))
    return buf.getvalue()
