"""Builders for test samples: malicious pickles with a harmless payload (touch a marker file) and
the containers that carry them. Nothing here is loaded by the scanner."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import pickle
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path


class Payload:
    """Unpickling this runs ``exec`` of code that creates ``marker`` (nothing else)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


class SystemPayload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def evil_pickle(marker: Path, protocol: int = 2) -> bytes:
    return pickle.dumps({"weights": [1.0, 2.0], "x": Payload(marker)}, protocol=protocol)


def torch_zip(
    pkl: bytes, prefix: str = "archive", *, compress: bool = False, storages: int = 2
) -> bytes:
    """A zip laid out like torch.save: <prefix>/data.pkl, version, data/<n> storages."""
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr(f"{prefix}/data.pkl", pkl)
        z.writestr(f"{prefix}/byteorder", "little")
        for i in range(storages):
            z.writestr(f"{prefix}/data/{i}", os.urandom(64))
        z.writestr(f"{prefix}/version", "3\n")
    return buf.getvalue()


def break_central_directory(data: bytes) -> bytes:
    """Overwrite the central directory signatures (local headers stay intact)."""
    return data.replace(b"PK\x01\x02", b"XX\x01\x02").replace(b"PK\x05\x06", b"XX\x05\x06")


def corrupt_crc(data: bytes, name: str) -> bytes:
    """Change the stored CRC of ``name`` in both local header and central directory."""
    out = bytearray(data)
    enc = name.encode()
    pos = 0
    while True:
        i = out.find(enc, pos)
        if i < 0:
            break
        for sig, crc_off, name_off in ((b"PK\x03\x04", 14, 30), (b"PK\x01\x02", 16, 46)):
            start = i - name_off
            if start >= 0 and out[start : start + 4] == sig:
                out[start + crc_off : start + crc_off + 4] = b"\xde\xad\xbe\xef"
        pos = i + 1
    return bytes(out)


def legacy_torch(main_pickle: bytes) -> bytes:
    """A legacy (non-zip) torch.save stream: magic, protocol, sys_info, main, keys, raw data."""
    parts = [
        pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2),
        pickle.dumps(1001, protocol=2),
        pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2),
        main_pickle,
        pickle.dumps(["0"], protocol=2),
        struct.pack("<q", 4) + os.urandom(16),
    ]
    return b"".join(parts)


def tar_bytes(members: dict[str, bytes], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def npy_object(marker: Path) -> bytes:
    """An .npy with object dtype whose pickle carries the payload."""
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return (
        b"\x93NUMPY\x01\x00"
        + struct.pack("<H", len(header))
        + header.encode()
        + evil_pickle(marker, 3)
    )


def joblib_zfile(data: bytes) -> bytes:
    """joblib < 0.9.3 'ZF' container: b'ZF' + hex length left-justified to 19 + zlib stream."""
    return b"ZF" + hex(len(data)).encode().ljust(19) + zlib.compress(data)


COMPRESSORS = {
    "gzip": gzip.compress,
    "bz2": bz2.compress,
    "xz": lambda d: lzma.compress(d, format=lzma.FORMAT_XZ),
    "lzma": lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE),
    "zlib": zlib.compress,
    "zfile": joblib_zfile,
}


def cache_snapshot(folder: Path, repo: Path) -> Path:
    """``folder``'s files laid out as huggingface_hub caches them under ``repo``
    (``models--ORG--NAME``): each snapshot entry a relative link to a blob named by a hash,
    subfolders kept. Returns the snapshot folder."""
    (repo / "blobs").mkdir(parents=True)
    snap = repo / "snapshots" / ("a" * 40)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for i, p in enumerate(files):
        blob = repo / "blobs" / f"{i:064x}"
        blob.write_bytes(p.read_bytes())
        link = snap / p.relative_to(folder)
        link.parent.mkdir(parents=True, exist_ok=True)
        up = [".."] * (len(link.relative_to(repo).parts) - 1)
        link.symlink_to(Path(*up, "blobs", blob.name))
    return snap
