"""OpenVINO IR (``openvino_model.xml`` + ``openvino_model.bin``): the XML graph read with expat,
DOCTYPEs and entities refused (no entity expansion, no external entity), size and element count
bounded. Each layer gives its type and operation set (``version``); ``Const`` layers give the
byte range they read from the ``.bin`` (raw weights, never interpreted as code).
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

from airlock.formats.source import FormatProblem

MAX_XML_BYTES = 256 * 1024**2
MAX_ELEMENTS = 20_000_000
MAX_DEPTH = 64
_ROOT = re.compile(rb"<net[\s>/]")
_ELEMENT = re.compile(rb"<[A-Za-z_:]")


@dataclass(frozen=True)
class Layer:
    id: str
    name: str
    type: str
    version: str
    offset: int | None = None
    size: int | None = None


@dataclass
class OpenVinoModel:
    name: str = ""
    ir_version: str = ""
    layers: list[Layer] = field(default_factory=list)


def looks_like_openvino(head: bytes) -> bool:
    """An XML document whose root element is ``<net>``: only a prolog (declaration, comments, a
    DOCTYPE, which the parser then refuses) before it, in the first bytes."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    root = _ROOT.search(text)
    return text[:1] == b"<" and root is not None and not _ELEMENT.search(text, 0, root.start())


def _refuse(*_args: object) -> None:
    raise FormatProblem("XML declares a DOCTYPE or entities (refused: no expansion)")


def read_openvino_xml(data: bytes | memoryview) -> OpenVinoModel:
    """Parse the IR graph; ``FormatProblem`` when the XML is malformed, too big, or not an IR."""
    if len(data) > MAX_XML_BYTES:
        raise FormatProblem(f"OpenVINO XML of {len(data)} bytes (limit {MAX_XML_BYTES})")
    model = OpenVinoModel()
    stack: list[str] = []
    count = [0]
    pending: dict[str, str] | None = None  # the <layer> whose <data> is not read yet

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal pending
        count[0] += 1
        if count[0] > MAX_ELEMENTS or len(stack) >= MAX_DEPTH:
            raise FormatProblem("OpenVINO XML too large or too deep")
        parent = stack[-1] if stack else None
        stack.append(tag)
        if parent is None:
            if tag != "net":
                raise FormatProblem(f"root element <{tag[:40]}> is not <net>")
            model.name, model.ir_version = attrs.get("name", ""), attrs.get("version", "")
        elif tag == "layer" and parent == "layers":
            _flush()
            pending = attrs
        elif tag == "data" and parent == "layer" and pending is not None:
            _flush(attrs)

    def _flush(data_attrs: dict[str, str] | None = None) -> None:
        nonlocal pending
        if pending is None:
            return
        a, pending = pending, None
        offset = size = None
        if a.get("type") == "Const" and data_attrs is not None:
            try:
                offset, size = int(data_attrs["offset"]), int(data_attrs["size"])
            except (KeyError, ValueError):
                raise FormatProblem(f"Const layer {a.get('id')!r}: bad offset/size") from None
        model.layers.append(
            Layer(a.get("id", ""), a.get("name", "")[:200], a.get("type", "")[:100],
                  a.get("version", "")[:100], offset, size)
        )  # fmt: skip

    def end(tag: str) -> None:
        stack.pop()
        if tag == "layer":
            _flush()

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    try:
        parser.Parse(bytes(data), True)
    except xml.parsers.expat.ExpatError as exc:
        raise FormatProblem(f"OpenVINO XML does not parse: {exc}") from None
    if model.ir_version not in ("10", "11"):
        raise FormatProblem(f"OpenVINO IR version {model.ir_version[:20]!r} (10 and 11 are read)")
    return model
