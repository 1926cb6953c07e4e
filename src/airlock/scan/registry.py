"""Which handler gets which object: an ordered list, first ``sniff`` that accepts wins.

Order matters only where formats nest: ``HANDLERS`` hold specific formats (a PyTorch zip before
a plain zip, a legacy checkpoint before a plain pickle); ``FALLBACKS`` run after them (generic
zip/tar/compressed containers, and plain text last). To add a format, append a handler to
``HANDLERS`` (a zip-based format such as Keras goes there too, so it is tried before the generic
zip), preferably as ``Lazy("module:Class", "name")`` so that its imports are paid only when an
object reaches it. ``HINTED`` handlers are never sniffed; a parent names them in ``Child.hint``.
"""

from __future__ import annotations

import importlib
from typing import Any

from airlock.scan import handlers as h
from airlock.scan.interface import FormatHandler, ScanContext, ScanOutcome, Source


class Lazy:
    """A handler imported on first use (keeps ``airlock scan`` start-up small)."""

    def __init__(self, target: str, name: str) -> None:
        self._target = target
        self.name = name
        self._handler: FormatHandler | None = None

    def _get(self) -> FormatHandler:
        if self._handler is None:
            module, cls = self._target.split(":")
            self._handler = getattr(importlib.import_module(module), cls)()
        return self._handler

    def sniff(self, src: Source) -> bool:
        return self._get().sniff(src)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        return self._get().scan(src, ctx, **options)


HANDLERS: list[FormatHandler] = [
    h.EmptyHandler(),
    h.TorchZipHandler(),
    h.TorchLegacyTarHandler(),
    h.TorchLegacyHandler(),
    h.NumpyHandler(),
    h.PickleHandler(),
    Lazy("airlock.scan.safetensors_handler:SafetensorsHandler", "safetensors"),
    Lazy("airlock.scan.gguf_handler:GGUFHandler", "gguf"),
    Lazy("airlock.scan.keras_handler:KerasZipHandler", "keras"),
    Lazy("airlock.scan.keras_handler:HDF5Handler", "hdf5"),
    Lazy("airlock.scan.onnx_handler:OnnxHandler", "onnx"),
    Lazy("airlock.scan.savedmodel_handler:SavedModelHandler", "tf-savedmodel"),
    Lazy("airlock.scan.savedmodel_handler:KerasMetadataHandler", "keras-metadata"),
    Lazy("airlock.scan.repo_config:ExecutableHandler", "executable"),
    Lazy("airlock.scan.shard_index_handler:ShardIndexHandler", "shard-index"),
    Lazy("airlock.scan.native_model_handler:XGBoostUbjHandler", "xgboost-ubj"),
    Lazy("airlock.scan.native_model_handler:CatBoostHandler", "catboost-cbm"),
]

FALLBACKS: list[FormatHandler] = [
    h.ZipHandler(),
    h.TarHandler(),
    h.CompressedHandler(),
    h.UnsupportedArchiveHandler(),
    Lazy("airlock.scan.repo_config:JsonConfigHandler", "json"),
    Lazy("airlock.scan.repo_config:JinjaFileHandler", "jinja"),
    Lazy("airlock.scan.repo_config:PythonSourceHandler", "python"),
    h.TextHandler(),
]

HINTED: list[FormatHandler] = [
    h.TorchLegacyRecordsHandler(),
    h.TorchScriptCodeHandler(),
    h.TorchRecordHandler(),
]


def ordered() -> list[FormatHandler]:
    """Every sniffable handler in the order they are tried."""
    return [*HANDLERS, *FALLBACKS]


def by_name(name: str) -> FormatHandler | None:
    for handler in (*HANDLERS, *FALLBACKS, *HINTED):
        if handler.name == name:
            return handler
    return None
