"""Images and audio samples (README figures, demo clips): data no model loader executes. The
structure is walked so that only real media passes, and bytes after its end are handed back to
the engine as a child to judge like any other object (a pickle glued to a PNG is a pickle)."""

from __future__ import annotations

from airlock.formats.media import read_media, sniff_kind
from airlock.scan.interface import Child, ScanContext, ScanOutcome, Source

TRAILING = "trailing data"
MAX_PADDING = 1 << 20  # zero bytes some writers leave after the data: not another object


class MediaHandler:
    """PNG, JPEG, GIF, WebP, WAV, FLAC, MP3, MP4 (format ``image-png``, ``audio-wav``...)."""

    name = "media"

    def sniff(self, src: Source) -> bool:
        return sniff_kind(src.head) is not None

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        buf = src.view()
        media = read_media(buf)
        group = {"wav": "audio", "flac": "audio", "mp3": "audio", "mp4": "video"}.get(
            media.kind, "image"
        )
        out = ScanOutcome(
            format=f"{group}-{media.kind}", notes=[f"{media.what}: no loader runs it"]
        )
        rest = buf[media.end :]
        if not len(rest):
            return out
        if len(rest) <= MAX_PADDING and bytes(rest) == bytes(len(rest)):
            out.notes.append(f"{len(rest)} zero bytes of padding after the {media.kind} data")
            return out
        out.notes.append(f"{len(rest)} bytes after the {media.kind} data: judged as their own")
        out.children.append(Child.of(f"{TRAILING}@{media.end}", rest))
        return out
