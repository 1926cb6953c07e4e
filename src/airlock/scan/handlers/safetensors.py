"""Scan handler for safetensors: header anomalies from the validator become findings.

safetensors cannot carry code, so its risks are loader crashes and memory exhaustion from a
lying header, and parser differentials (duplicate keys, gaps that hide data) that let two
loaders see different weights.
"""

from __future__ import annotations

import io
import struct

from airlock.formats.json_budget import parse_cost
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

ST_REF = (
    "https://github.com/huggingface/safetensors#format; https://huggingface.co/docs/safetensors"
)

UNPARSEABLE = Rule(
    "AIR-ST-001",
    Severity.HIGH,
    "safetensors header cannot be parsed",
    "A header whose length, encoding, JSON or nesting is out of bounds crashes or exhausts the"
    " memory of loaders, and a file we cannot parse cannot be judged.",
    ST_REF,
    blocks=True,
)
BYTE_RANGE = Rule(
    "AIR-ST-002",
    Severity.HIGH,
    "safetensors tensor byte ranges are inconsistent",
    "Offsets past the end of the file, overlapping tensors or shape x dtype that disagrees with"
    " the byte range make loaders read out of bounds or allocate what the file does not hold.",
    ST_REF,
)
BAD_ENTRY = Rule(
    "AIR-ST-003",
    Severity.MEDIUM,
    "safetensors header entry is malformed",
    "Unknown dtypes, bad shapes or unexpected keys are rejected by the reference loader but may be"
    " accepted differently by others.",
    ST_REF,
)
HIDDEN_DATA = Rule(
    "AIR-ST-004",
    Severity.MEDIUM,
    "safetensors file holds bytes no tensor describes",
    "Gaps between tensors and trailing bytes are invisible to loaders and can smuggle a payload"
    " (polyglot files) past tools that only read tensors.",
    ST_REF,
)
DIFFERENTIAL = Rule(
    "AIR-ST-005",
    Severity.MEDIUM,
    "safetensors header is ambiguous",
    "Duplicate keys or non-string metadata are resolved differently by different JSON parsers,"
    " so two loaders can see different weights.",
    ST_REF,
)

_RULES = {
    "out-of-file": BYTE_RANGE,
    "overlap": BYTE_RANGE,
    "size-mismatch": BYTE_RANGE,
    "bad-offsets": BYTE_RANGE,
    "unknown-dtype": BAD_ENTRY,
    "bad-shape": BAD_ENTRY,
    "bad-entry": BAD_ENTRY,
    "gap": HIDDEN_DATA,
    "trailing-bytes": HIDDEN_DATA,
    "duplicate-key": DIFFERENTIAL,
    "bad-metadata": DIFFERENTIAL,
}
MAX_FINDINGS = 200
MAX_HEADER_BYTES = 100 * 1024 * 1024  # the reference loader's limit (formats.safetensors)


def looks_like_safetensors(head: bytes, size: int) -> bool:
    """u64 header length that fits the file, followed by a JSON object."""
    if len(head) < 10 or size < 10:
        return False
    (n,) = struct.unpack("<Q", head[:8])
    return 2 <= n <= size - 8 and head[8:9] == b"{" and head[9:10] in b'"} \t\r\n'


class SafetensorsHandler:
    """safetensors weights (header only; tensor bytes are never read)."""

    name = "safetensors"

    def sniff(self, src: Source) -> bool:
        return looks_like_safetensors(src.head, src.size)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        # numpy-backed reader: imported only when a safetensors file is actually scanned
        from airlock.formats.safetensors import SafetensorsError, read_header, validate

        (n,) = struct.unpack("<Q", src.read_at(0, 8).ljust(8, b"\0"))
        limit = min(MAX_HEADER_BYTES, ctx.limits.max_json_bytes)
        raw = src.read_at(0, 8 + min(n, limit))
        cost = parse_cost(memoryview(raw)[8:])
        if cost > ctx.limits.max_resident_bytes:
            why = f"header would need ~{cost >> 20} MiB to parse (memory budget)"
            return ScanOutcome(format="safetensors", not_scanned=why)
        head = io.BytesIO(raw)
        where = ctx.location if ctx.member is None else f"{ctx.location}!{ctx.member}"
        try:
            header = read_header(head, src.size, path=where, max_header_bytes=limit)
        except SafetensorsError as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        findings: list[Finding] = []
        anomalies = validate(header, src.size)
        for a in anomalies[:MAX_FINDINGS]:
            rule = _RULES.get(a.code, BAD_ENTRY)
            extra = {"tensor": a.tensor} if a.tensor is not None else {}
            findings.append(rule.finding(ctx.location, a.message, member=ctx.member, extra=extra))
        if len(anomalies) > MAX_FINDINGS:
            more = f"{len(anomalies) - MAX_FINDINGS} further header anomalies not listed"
            findings.append(BAD_ENTRY.finding(ctx.location, more, member=ctx.member))
        notes = [f"{len(header.tensors)} tensors, header {header.header_len} bytes"]
        return ScanOutcome(format="safetensors", findings=findings, notes=notes)
