"""Which bytes of an ONNX file the scanner's ONNX reader looks at, found without reading the rest.

``airlock.formats.onnx.read_onnx`` walks the ModelProto's protobuf structure and reads the
contents of a few fields (names, opsets, dims, external-data entries); of a tensor's payload
(``raw_data``, ``float_data``...) and of most attribute values it only takes the length. This
walker mirrors that: it reads every tag and length of every message the reader walks, keeps (asks
for) the contents of every other field, and skips only the payloads the reader never reads, when
they are large. A file staged with what the walker asked for therefore reads, for the reader,
exactly like the real one; any doubt (an odd wire type where the reader descends, nesting, too
many fields or reads) gives up, and the caller reads the file whole or leaves it unjudged.
"""

from __future__ import annotations

from collections.abc import Callable

MODEL, GRAPH, NODE, ATTR, TENSOR, SPARSE, FUNC, TRAIN = range(8)
# LEN fields the reader parses as sub-messages, per message kind (onnx.proto field numbers)
DESCEND: dict[int, dict[int, int]] = {
    MODEL: {7: GRAPH, 25: FUNC, 20: TRAIN},
    GRAPH: {1: NODE, 5: TENSOR, 15: SPARSE},
    NODE: {5: ATTR},
    ATTR: {5: TENSOR, 10: TENSOR, 6: GRAPH, 11: GRAPH},
    SPARSE: {1: TENSOR, 2: TENSOR},
    FUNC: {7: NODE},
    TRAIN: {1: GRAPH, 2: GRAPH},
}
# LEN fields whose content the reader reads (the others of these kinds: length only)
READ_IN: dict[int, frozenset[int]] = {
    TENSOR: frozenset({1, 8, 13}),  # dims, name, external_data entries
    ATTR: frozenset({5, 6, 10, 11}),  # tensors and graphs, walked above
}
SKIP_MIN = 64 * 1024  # smaller payloads are fetched with their neighbours anyway
MAX_FIELDS = 5_000_000
MAX_DEPTH = 64


class Unsure(Exception):
    """The walker cannot say what the reader would read: judge the file another way."""


Read = Callable[[int, int], bytes]  # (offset, n) -> up to n bytes at offset (fetched first)
Keep = Callable[[int, int], None]  # (start, end): these bytes must be fetched


class _Walk:
    def __init__(self, read: Read, keep: Keep, size: int) -> None:
        self.read = read
        self.keep = keep
        self.size = size
        self.fields = 0
        self.skipped = 0

    def varint(self, pos: int, end: int) -> tuple[int, int]:
        raw = self.read(pos, min(10, end - pos))
        value = shift = 0
        for i, b in enumerate(raw):
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value, pos + i + 1
            shift += 7
        raise Unsure(f"varint at {pos} does not end")

    def message(self, kind: int, start: int, end: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise Unsure("messages nested too deeply")
        descend = DESCEND.get(kind, {})
        read_in = READ_IN.get(kind)
        pos = start
        while pos < end:
            self.fields += 1
            if self.fields > MAX_FIELDS:
                raise Unsure(f"more than {MAX_FIELDS} fields")
            key, pos = self.varint(pos, end)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise Unsure("field number 0")
            if wire == 0:
                _, pos = self.varint(pos, end)
            elif wire in (1, 5):
                n = 8 if wire == 1 else 4
                if pos + n > end:
                    raise Unsure("a fixed-width field runs past its message")
                self.keep(pos, pos + n)
                pos += n
            elif wire == 2:
                length, pos = self.varint(pos, end)
                stop = pos + length
                if stop > end:
                    raise Unsure("a length runs past its message")
                sub = descend.get(number)
                if sub is not None:
                    self.message(sub, pos, stop, depth + 1)
                elif read_in is not None and number not in read_in and length >= SKIP_MIN:
                    self.skipped += length  # payload the reader only measures
                else:
                    self.keep(pos, stop)
                pos = stop
            else:
                raise Unsure(f"wire type {wire}")  # the reader refuses groups: a finding
            if number in descend and wire != 2:
                raise Unsure("a sub-message field is not length-delimited")
        if pos != end:
            raise Unsure("a field runs past its message")


def walk(read: Read, keep: Keep, size: int) -> int:
    """Walk a ModelProto of ``size`` bytes through ``read``, asking ``keep`` for every byte
    the ONNX reader reads; returns the payload bytes skipped. Raises ``Unsure``."""
    w = _Walk(read, keep, size)
    w.message(MODEL, 0, size, 0)
    return w.skipped
