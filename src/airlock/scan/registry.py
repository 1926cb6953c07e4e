"""Which handler gets which object: an ordered list, first ``sniff`` that accepts wins.

Order matters only where formats nest: ``HANDLERS`` hold specific formats (a PyTorch zip before
a plain zip, a legacy checkpoint before a plain pickle); ``FALLBACKS`` run after them (generic
zip/tar/compressed containers, and plain text last). To add a format, append its handler to
``HANDLERS`` (a zip-based format such as Keras goes there too, so it is tried before the generic
zip). ``HINTED`` handlers are never sniffed; a parent names them in ``Child.hint``.
"""

from __future__ import annotations

from airlock.scan import handlers as h
from airlock.scan.gguf_handler import GGUFHandler
from airlock.scan.interface import FormatHandler
from airlock.scan.safetensors_handler import SafetensorsHandler

HANDLERS: list[FormatHandler] = [
    h.EmptyHandler(),
    h.TorchZipHandler(),
    h.TorchLegacyTarHandler(),
    h.TorchLegacyHandler(),
    h.NumpyHandler(),
    h.PickleHandler(),
    SafetensorsHandler(),
    GGUFHandler(),
]

FALLBACKS: list[FormatHandler] = [
    h.ZipHandler(),
    h.TarHandler(),
    h.CompressedHandler(),
    h.TextHandler(),
]

HINTED: list[FormatHandler] = [
    h.TorchLegacyRecordsHandler(),
    h.TorchScriptCodeHandler(),
]


def ordered() -> list[FormatHandler]:
    """Every sniffable handler in the order they are tried."""
    return [*HANDLERS, *FALLBACKS]


def by_name(name: str) -> FormatHandler | None:
    for handler in (*HANDLERS, *FALLBACKS, *HINTED):
        if handler.name == name:
            return handler
    return None
