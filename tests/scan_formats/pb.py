"""A tiny protobuf encoder for hand-built TensorFlow fixtures (TensorFlow is not installed)."""

from __future__ import annotations


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def vfield(num: int, value: int) -> bytes:
    return varint(num << 3) + varint(value)


def lfield(num: int, payload: bytes | str) -> bytes:
    raw = payload.encode() if isinstance(payload, str) else payload
    return varint(num << 3 | 2) + varint(len(raw)) + raw


def node(name: str, op: str) -> bytes:
    return lfield(1, name) + lfield(2, op)


def saved_model(
    ops: list[tuple[str, str]],
    fn_ops: list[tuple[str, str]] = (),  # type: ignore[assignment]
    assets: list[str] = (),
) -> bytes:  # type: ignore[assignment]
    graph = b"".join(lfield(1, node(n, o)) for n, o in ops)
    if fn_ops:
        fn = lfield(1, lfield(1, "__inference_serve_1")) + b"".join(
            lfield(3, node(n, o)) for n, o in fn_ops
        )
        graph += lfield(2, lfield(1, fn))
    info = lfield(4, "serve") + lfield(5, "2.15.0")
    meta = lfield(1, info) + lfield(2, graph)
    for a in assets:
        meta += lfield(6, lfield(2, a))
    return vfield(1, 1) + lfield(2, meta)
