"""Which bytes of a remote file judgement needs. Pure: decisions from sizes and header bytes.

- Small files (configs, tokenizers, code, chat templates) are read whole: they are judged whole.
- safetensors and GGUF are judged from their headers: the first ``HEAD_BYTES``, the whole header
  and the last ``TAIL_BYTES`` (so every format sniffer sees what it would see in the real file;
  a polyglot whose tail looks like a zip is then read whole); legacy ``torch.save`` files from
  the prefix holding their pickles (raw storages follow, never read); ONNX files from their
  protobuf structure (tensor payloads skipped by length, see ``onnx_walk``).
- Generic zips, tars and compressed streams (gzip, bz2, xz, lzma, zlib: compressed joblib files
  too) are not staged: the scanner reads them by ranges when the model is scanned
  (``stream``, see ``formats.ranged``), in bounded memory, never on disk.
- Plain pickles and uncompressed joblib files are streamed too: the pickle analyser reads them
  by ranges (``formats.ranged.Paged``), only where it reads; with a stated sha256 the rest is
  never fetched (the digest stays stated, as a header-judged file's).
- Anything else (unknown) is read whole, up to ``max_full_bytes``; beyond that it is left
  unjudged, which denies at the gate.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, Literal

HEAD_BYTES = 1024**2
TAIL_BYTES = 1024**2
SMALL_BYTES = 16 * 1024**2
ST_MAX_HEADER = 100 * 1024**2  # the safetensors handler's own limit
GGUF_MAX_HEADER = 512 * 1024**2
PICKLE_PREFIX_MAX = 256 * 1024**2  # below the pickle analyser's own 384 MiB opcode limit
PICKLE_PREFIX_MIN = 64 * 1024**2  # a plain pickle's first read: the joblib marker search's
DEFAULT_MAX_FULL = 4 * 1024**3
DEFAULT_STAGING_MAX = 16 * 1024**3  # whole files staged at once (AIRLOCK_STAGING_MAX_BYTES)

Strategy = Literal["full", "header", "stream", "unjudged"]
# handlers that run on ranged reads; 7z/RAR/zstd containers are not opened (locally either):
# nothing of them is staged to say so
STREAMED = frozenset({"zip", "tar", "compressed", "unsupported-archive"})
# read by ranges by the pickle analyser, which reads only what it needs (payloads and joblib
# arrays are skipped by length): a stated digest is kept (``stated``), as a header's is
STREAMED_PARTLY = frozenset({"pickle"})
HEADER_FORMATS = frozenset({"safetensors", "gguf"})


@dataclass(frozen=True)
class Plan:
    strategy: Strategy
    reason: str = ""


def first_look(size: int, max_full: int) -> Plan:
    """Before any byte is read: small files are read whole, large ones start with head + tail."""
    if size <= SMALL_BYTES:
        return Plan("full", "small file")
    return Plan("header", "large file: head and tail first")


def safetensors_header_end(head: bytes, size: int) -> int | None:
    """End of what the safetensors handler reads (8 + header, capped), if ``head`` is one."""
    from airlock.scan.handlers.safetensors import looks_like_safetensors

    if not looks_like_safetensors(head, size):
        return None
    n = int(struct.unpack("<Q", head[:8])[0])
    return min(size, 8 + min(n, ST_MAX_HEADER))


def is_gguf(head: bytes) -> bool:
    return head[:4] == b"GGUF"


SNIFF_BYTES = 4096  # what format sniffers see of a file (``Source.head``)


def is_onnx(head: bytes) -> bool:
    from airlock.formats.onnx import looks_like_onnx

    return looks_like_onnx(head)


def is_pickle_start(head: bytes) -> bool:
    from airlock.formats.pickle_ops import IS_OPCODE

    return bool(head) and bool(IS_OPCODE[head[0]])


def pickle_readable() -> int:
    """How far the scanner's pickle analyser reads at most (its opcode-byte limit)."""
    from airlock.scan.interface import Limits

    return Limits().max_pickle_bytes


def is_legacy_torch(head: bytes) -> bool:
    """A legacy (non-zip) ``torch.save`` file: small pickles, then raw storages."""
    from airlock.formats.torch import is_legacy_stacked

    return is_legacy_stacked(head)


def fallback(size: int, max_full: int, why: str) -> Plan:
    """A file we cannot judge from its header: whole if allowed, else unjudged (fail closed)."""
    if size <= max_full:
        return Plan("full", why)
    return Plan(
        "unjudged",
        f"{why}; judging it needs all {size:,} bytes, more than the remote limit "
        f"({max_full:,}): use --download",
    )


def tail_range(size: int) -> tuple[int, int]:
    return max(HEAD_BYTES, size - TAIL_BYTES), size


def first_reading(reader: Any) -> str | None:
    """The format handler the scanner takes first for a remote file (a ``formats.ranged``
    ``BlockReader`` holding its head and tail), or None."""
    from airlock.formats.ranged import RangedSource
    from airlock.scan import registry

    first = registry.sniff(RangedSource(reader))
    return first.name if first is not None else None


def streamable(reader: Any) -> str | None:
    """``first_reading`` when that handler runs on ranged reads and is streamed at once."""
    kind = first_reading(reader)
    return kind if kind in STREAMED else None
