"""Core ML ``Model`` protobufs written field by field (tests/scan_formats/pb.py encoders) in the
layout of Model.proto, and MIL blob storage v2 weight files."""

from __future__ import annotations

import struct

from .pb import lfield, vfield


def feature(name: str) -> bytes:
    array_type = lfield(5, vfield(1, 4) + vfield(2, 65568))  # multiArrayType
    return lfield(1, name.encode()) + lfield(3, array_type)


def description(inputs: tuple[str, ...] = ("x",), outputs: tuple[str, ...] = ("y",)) -> bytes:
    return b"".join(lfield(1, feature(n)) for n in inputs) + b"".join(
        lfield(10, feature(n)) for n in outputs
    )


def layer(name: str, kind: int = 140, params: bytes = b"") -> bytes:
    """NeuralNetworkLayer: name, input, output, then the layer type field (140: innerProduct)."""
    return lfield(1, name.encode()) + lfield(2, b"x") + lfield(3, b"y") + lfield(kind, params)


def model(type_field: int, body: bytes, version: int = 4) -> bytes:
    return vfield(1, version) + lfield(2, description()) + lfield(type_field, body)


def network(*layers: bytes) -> bytes:
    return model(500, b"".join(lfield(1, la) for la in layers))


def blob_storage(blobs: list[bytes]) -> bytes:
    out = bytearray(struct.pack("<II", len(blobs), 2) + b"\0" * 56)
    for data in blobs:
        offset = len(out) + 64
        out += struct.pack("<IIQQ", 0xDEADBEEF, 1, len(data), offset) + b"\0" * 40
        out += data
        out += b"\0" * (-len(out) % 64)
    return bytes(out)
