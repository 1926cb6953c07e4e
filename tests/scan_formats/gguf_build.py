"""Byte-level GGUF builder for hostile fixtures (the gguf package refuses to write them)."""

from __future__ import annotations

import struct


def s(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def kv_string(key: str, value: str) -> bytes:
    return s(key) + struct.pack("<I", 8) + s(value)


def kv_u32(key: str, value: int) -> bytes:
    return s(key) + struct.pack("<II", 4, value)


def tensor(name: str, dims: list[int], gtype: int, offset: int) -> bytes:
    out = s(name) + struct.pack("<I", len(dims))
    out += b"".join(struct.pack("<Q", d) for d in dims)
    return out + struct.pack("<IQ", gtype, offset)


def build(
    kvs: list[bytes],
    tensors: list[bytes] = (),  # type: ignore[assignment]
    data: bytes = b"",
    n_kv: int | None = None,
    n_tensors: int | None = None,
    version: int = 3,
) -> bytes:
    head = b"GGUF" + struct.pack(
        "<IQQ",
        version,
        n_tensors if n_tensors is not None else len(tensors),
        n_kv if n_kv is not None else len(kvs),
    )
    body = head + b"".join(kvs) + b"".join(tensors)
    pad = (-len(body)) % 32
    return body + b"\0" * pad + data
