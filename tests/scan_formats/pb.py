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


# -- graphs with data flow, for the saver proof (tf_saver) -----------------------------------


def node_def(
    name: str,
    op: str,
    inputs: tuple[str, ...] = (),
    f: str = "",
    const: str | None = None,
    attrs: dict[str, bytes] | None = None,
) -> bytes:
    """A NodeDef with inputs, a ``f`` function attr, a string Const's ``value``, or other
    attrs (name -> AttrValue bytes)."""
    out = lfield(1, name) + lfield(2, op) + b"".join(lfield(3, i) for i in inputs)
    for key, value in (attrs or {}).items():
        out += lfield(5, lfield(1, key) + lfield(2, value))
    if f:
        out += lfield(5, lfield(1, "f") + lfield(2, lfield(10, lfield(1, f))))
    if const is not None:
        tensor = vfield(1, 7) + lfield(8, const)  # dtype DT_STRING, string_val
        out += lfield(5, lfield(1, "value") + lfield(2, lfield(8, tensor)))
    return out


def function_def(name: str, args: tuple[str, ...], nodes: list[bytes]) -> bytes:
    sig = lfield(1, name) + b"".join(lfield(2, lfield(1, a)) for a in args)
    return lfield(1, sig) + b"".join(lfield(3, n) for n in nodes)


def meta_graph(
    nodes: list[bytes],
    functions: list[bytes] = (),  # type: ignore[assignment]
    saver_filename: str = "",
    collections: dict[str, list[str]] | None = None,
    outputs: dict[str, str] | None = None,
    loader_functions: tuple[str, ...] = (),
) -> bytes:
    """A whole SavedModel with one meta graph: nodes, a function library, a SaverDef, node-list
    collections, one signature's outputs and the object graph's concrete function names."""
    graph = b"".join(lfield(1, n) for n in nodes)
    if functions:
        graph += lfield(2, b"".join(lfield(1, f) for f in functions))
    meta = lfield(1, lfield(4, "serve")) + lfield(2, graph)
    if saver_filename:
        meta += lfield(3, lfield(1, saver_filename + ":0"))
    for key, names in (collections or {}).items():
        value = lfield(1, b"".join(lfield(1, n) for n in names))
        meta += lfield(4, lfield(1, key) + lfield(2, value))
    if outputs:
        outs = b"".join(
            lfield(2, lfield(1, k) + lfield(2, lfield(1, v))) for k, v in outputs.items()
        )
        meta += lfield(5, lfield(1, "serving_default") + lfield(2, outs))
    if loader_functions:
        meta += lfield(7, b"".join(lfield(2, lfield(1, n)) for n in loader_functions))
    return vfield(1, 1) + lfield(2, meta)
