"""Native executables, compiled Python and shell scripts: not model data; whoever runs them
gets the host. A ``.pyc``'s names and strings are summarised by a bounded marshal reader."""

from __future__ import annotations

import struct

from airlock.scan.config_rules import EXECUTABLE, SCRIPT
from airlock.scan.handlers.common import object_name
from airlock.scan.interface import ScanContext, ScanOutcome, Source


def executable_kind(head: bytes) -> str | None:
    """ELF, PE, Mach-O (thin or fat) or shell script, from the first bytes."""
    if head.startswith(b"\x7fELF"):
        return "ELF executable"
    if head.startswith(b"MZ") and len(head) >= 0x40:
        (pe,) = struct.unpack_from("<I", head, 0x3C)
        if pe + 4 <= len(head) and head[pe : pe + 4] == b"PE\0\0":
            return "PE (Windows) executable"
    magic = head[:4]
    if magic in (
        b"\xfe\xed\xfa\xce",
        b"\xce\xfa\xed\xfe",
        b"\xfe\xed\xfa\xcf",
        b"\xcf\xfa\xed\xfe",
    ):
        return "Mach-O executable"
    if magic == b"\xca\xfe\xba\xbe" and len(head) >= 8 and struct.unpack(">I", head[4:8])[0] < 20:
        return "Mach-O universal binary"
    if (
        len(head) > 16
        and head[2:4] == b"\r\n"
        and 2900 <= struct.unpack_from("<H", head)[0] < 4000
        and head[16] in (0x63, 0xE3)
    ):
        return "compiled Python (.pyc)"
    if head.startswith(b"#!") and b"python" not in head.split(b"\n", 1)[0]:
        return "script " + head.split(b"\n", 1)[0][:60].decode("latin-1")
    return None


class ExecutableHandler:
    """Native executables and shell scripts in a model repository."""

    name = "executable"

    def sniff(self, src: Source) -> bool:
        return executable_kind(src.head) is not None

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        kind = executable_kind(src.head) or "executable"
        rule = SCRIPT if kind.startswith("script") else EXECUTABLE
        evidence = f"{object_name(src, ctx)}: {kind}"
        if kind.startswith("compiled Python"):
            evidence += "; " + _pyc_summary(src)
        f = rule.finding(ctx.location, evidence, member=ctx.member)
        return ScanOutcome(format="executable", findings=[f])


def _pyc_summary(src: Source) -> str:
    """Names and strings of the module code object (bounded marshal reader, never loaded)."""
    from airlock.formats.pymarshal import MAX_INPUT, MarshalError, read_code

    if src.size - 16 > MAX_INPUT:
        return "code object too large to summarise"
    try:
        code = read_code(src.read_at(16, src.size - 16))
    except MarshalError as exc:
        return f"code object not decodable ({exc})"[:200]
    return f"names {code.all_names()[:25]} strings {[x[:60] for x in code.all_strings()[:8]]}"
