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
from collections.abc import Callable
from typing import Literal

from airlock.formats import archive
from airlock.formats.msgpack_sniff import EMPTY_MSGPACK
from airlock.scan.handlers.empty import EmptyHandler
from airlock.scan.handlers.pickle_stream import PickleHandler
from airlock.scan.handlers.text import TextHandler
from airlock.scan.handlers.torch_legacy import TorchLegacyHandler
from airlock.scan.handlers.torch_zip import TorchRecordHandler, TorchZipHandler
from airlock.scan.handlers.zip_archive import ZipHandler
from airlock.scan.interface import FormatHandler, ScanContext, ScanOutcome, Source


class Lazy:
    """A handler imported on first use (keeps ``airlock scan`` start-up small). ``gate`` is a
    cheap necessary condition of the handler's own ``sniff`` (first bytes only): objects that
    fail it never import the module (a torch checkpoint's members need none of them)."""

    def __init__(
        self, target: str, name: str, gate: Callable[[Source], bool] | None = None
    ) -> None:
        self._target = target
        self.name = name
        self._gate = gate
        self._handler: FormatHandler | None = None

    def _get(self) -> FormatHandler:
        if self._handler is None:
            module, cls = self._target.split(":")
            self._handler = getattr(importlib.import_module(module), cls)()
        return self._handler

    def sniff(self, src: Source) -> bool:
        if self._gate is not None and not self._gate(src):
            return False
        return self._get().sniff(src)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        return self._get().scan(src, ctx)


def _starts(*magics: bytes) -> Callable[[Source], bool]:
    return lambda src: src.head.startswith(magics)


def _hdf5(src: Source) -> bool:
    return any(src.head[o : o + 8] == b"\x89HDF\r\n\x1a\n" for o in (0, 512, 1024, 2048))


def _safetensors(src: Source) -> bool:
    return src.head[8:9] == b"{"


def _zip(src: Source) -> bool:
    return archive.looks_like_zip(src)


def _tar(src: Source) -> bool:
    return archive.looks_like_tar(src)


# first bytes of gzip, bz2, xz, LZ4 frame, lzma-alone, zlib and joblib's ZF container
_COMPRESSED_FIRST = frozenset(b"\x1fB\xfd\x04\x5d\x78Z")


def _compressed(src: Source) -> bool:
    return src.head[:1] != b"" and src.head[0] in _COMPRESSED_FIRST


_UNSUPPORTED = _starts(b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x28\xb5\x2f\xfd")


def _json(src: Source) -> bool:
    return src.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _object(src: Source) -> bool:
    return src.head.lstrip()[:1] == b"{"


def _suffix(src: Source, *suffixes: str) -> bool:
    return src.path is not None and src.path.suffix in suffixes


def _jinja(src: Source) -> bool:
    return _suffix(src, ".jinja", ".j2", ".jinja2") or src.head.lstrip()[:1] == b"{"


def _python(src: Source) -> bool:
    head = src.head
    return (
        _suffix(src, ".py", ".pyw")
        or head.startswith(b"#!")
        or any(w in head for w in (b"import ", b"def ", b"class "))
    )


# executables: ELF, PE, Mach-O (thin/fat), .pyc (magic then \r\n), #! scripts
_EXECUTABLE = _starts(b"\x7fELF", b"MZ", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
                      b"\xca\xfe\xba\xbe", b"#!")  # fmt: skip


_SAVEDMODEL = _starts(b"\x08", b"\x12")
_KMETA = _starts(b"\x0a")


def _executable(src: Source) -> bool:
    return _EXECUTABLE(src) or src.head[2:4] == b"\r\n"


# images, audio and video samples: PNG, JPEG, GIF, RIFF (WebP/WAV), FLAC, ID3 or a bare MPEG
# frame, MP4 (``ftyp`` box)
_MEDIA = _starts(b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"fLaC", b"ID3")


def _media(src: Source) -> bool:
    return _MEDIA(src) or src.head[:1] == b"\xff" or src.head[4:8] == b"ftyp"


def _msgpack_map(src: Source) -> bool:
    """A msgpack map; a one-byte file may be an empty map or array (spaCy's ``to_disk`` writes
    ``srsly.msgpack_dumps({})`` / ``([])`` for empty vocab tables and rule sets)."""
    if src.size == 1:
        return src.head[:1] in EMPTY_MSGPACK
    return src.head[:1] != b"" and (0x81 <= src.head[0] <= 0x8F or src.head[0] in (0xDE, 0xDF))


def _bundle_index(src: Source) -> bool:
    """A LevelDB-format table (TensorFlow's tensor-bundle index) ends with its magic."""
    return src.size >= 48 and src.tail(8) == b"\x57\xfb\x80\x8b\x24\x75\x47\xdb"


def _fingerprint(src: Source) -> bool:
    return src.size <= 4096 and src.head[:1] == b"\x08"


def _tflite(src: Source) -> bool:
    return src.head[4:8] == b"TFL3"


def _xml(src: Source) -> bool:
    return b"<net" in src.head and src.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _mil_blob(src: Source) -> bool:
    return src.head[4:8] == b"\x02\0\0\0" and src.head[64:68] == b"\xef\xbe\xad\xde"


_V4_TYPES: tuple[tuple[Literal["little", "big"], int, int], ...] = (
    ("little", 0, 52),
    ("big", 1000, 1052),
)


def _matlab(src: Source) -> bool:
    """MAT-file level 5 header text, or a level 4 first record's header: type int32 0-52 (little
    endian) or 1000-1052 (big endian), imaginary flag 0/1 and a name length of 2-4096 in the
    same byte order (zero-filled tensor data, common in checkpoints, fails here, not in the
    handler after importing it)."""
    head = src.head
    if head.startswith(b"MATLAB 5.0 MAT-file"):
        return True
    for order, low, high in _V4_TYPES:
        mopt = int.from_bytes(head[:4], order)
        imag = int.from_bytes(head[12:16], order)
        namlen = int.from_bytes(head[16:20], order)
        if low <= mopt <= high and imag in (0, 1) and 2 <= namlen <= 4096:
            return True
    return False


def _word2vec(src: Source) -> bool:
    """word2vec's ``<count> <size>`` header: a digit 1-9, then a space within 12 more bytes (a
    torch archive's ``version`` member, ``3\\n``, is not one and need not import the handler)."""
    head = src.head
    return head[:1] in _DIGITS and b" " in head[1:13]


_DIGITS = (b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9")


_H = "airlock.scan.handlers."

HANDLERS: list[FormatHandler] = [
    EmptyHandler(),
    TorchZipHandler(),
    Lazy(_H + "torch_legacy_tar:TorchLegacyTarHandler", "pytorch-legacy-tar", _tar),
    TorchLegacyHandler(),
    Lazy(_H + "npy:NumpyHandler", "npy", _starts(b"\x93NUMPY")),
    PickleHandler(),
    Lazy(_H + "safetensors:SafetensorsHandler", "safetensors", _safetensors),
    Lazy(_H + "gguf:GGUFHandler", "gguf", _starts(b"GGUF")),
    Lazy(_H + "keras:KerasZipHandler", "keras", _zip),
    Lazy(_H + "skops:SkopsHandler", "skops", _zip),
    Lazy(_H + "hdf5:HDF5Handler", "hdf5", _hdf5),
    Lazy(_H + "onnx:OnnxHandler", "onnx", _starts(b"\x08")),
    Lazy(_H + "savedmodel:SavedModelHandler", "tf-savedmodel", _SAVEDMODEL),
    Lazy(_H + "keras_metadata:KerasMetadataHandler", "keras-metadata", _KMETA),
    Lazy(_H + "coreml:CoreMLHandler", "coreml", _starts(b"\x08")),
    Lazy(_H + "executable:ExecutableHandler", "executable", _executable),
    Lazy(_H + "shard_index:ShardIndexHandler", "shard-index", _object),
    Lazy(_H + "xgboost_ubj:XGBoostUbjHandler", "xgboost-ubj", _starts(b"{L")),
    Lazy(_H + "catboost:CatBoostHandler", "catboost-cbm", _starts(b"CBM1")),
    Lazy(_H + "media:MediaHandler", "media", _media),
    Lazy(_H + "sentencepiece:SentencePieceHandler", "sentencepiece", _KMETA),
    Lazy(_H + "flax_msgpack:FlaxMsgpackHandler", "flax-msgpack", _msgpack_map),
    Lazy(_H + "tf_bundle:TfBundleIndexHandler", "tf-bundle-index", _bundle_index),
    Lazy(_H + "tf_bundle:TfFingerprintHandler", "tf-fingerprint", _fingerprint),
    Lazy(_H + "tflite:TfliteHandler", "tflite", _tflite),
    Lazy(_H + "openvino:OpenVinoHandler", "openvino-ir", _xml),
    Lazy(_H + "coreml:CoreMLWeightsHandler", "coreml-weights", _mil_blob),
    Lazy(_H + "columnar:ParquetHandler", "parquet", _starts(b"PAR1")),
    Lazy(_H + "columnar:ArrowHandler", "arrow-ipc", _starts(b"ARROW1", b"\xff\xff\xff\xff")),
    Lazy(_H + "columnar:FeatherV1Handler", "feather-v1", _starts(b"FEA1")),
    Lazy(_H + "matlab:MatHandler", "matlab", _matlab),
    Lazy(_H + "word2vec:Word2VecBinaryHandler", "word2vec-binary", _word2vec),
    Lazy(_H + "fasttext:FastTextHandler", "fasttext-bin", _starts(b"\xba\x16\x4f\x2f")),
]

FALLBACKS: list[FormatHandler] = [
    ZipHandler(),
    Lazy(_H + "tar_archive:TarHandler", "tar", _tar),
    Lazy(_H + "compressed:CompressedHandler", "compressed", _compressed),
    Lazy(_H + "unsupported_archive:UnsupportedArchiveHandler", "unsupported-archive", _UNSUPPORTED),
    Lazy(_H + "json_config:JsonConfigHandler", "json", _json),
    Lazy(_H + "jinja:JinjaFileHandler", "jinja", _jinja),
    Lazy(_H + "python_source:PythonSourceHandler", "python", _python),
    TextHandler(),
]

HINTED: list[FormatHandler] = [
    Lazy(_H + "torch_legacy_tar:TorchLegacyRecordsHandler", "pytorch-legacy-records"),
    Lazy(_H + "torchscript_code:TorchScriptCodeHandler", "torchscript-code"),
    TorchRecordHandler(),
]


def ordered() -> list[FormatHandler]:
    """Every sniffable handler in the order they are tried."""
    return [*HANDLERS, *FALLBACKS]


def sniff(src: Source) -> FormatHandler | None:
    """The handler whose reading the engine takes first for ``src`` (a sniff that raises is a
    "no"): the one place both the engine and the remote sources decide a file's format."""
    for handler in ordered():
        try:
            if handler.sniff(src):
                return handler
        except Exception:  # noqa: S112 - a sniff that fails is a "no"
            continue
    return None


def by_name(name: str) -> FormatHandler | None:
    for handler in (*HANDLERS, *FALLBACKS, *HINTED):
        if handler.name == name:
            return handler
    return None
