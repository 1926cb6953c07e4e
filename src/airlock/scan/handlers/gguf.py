"""Scan handler for GGUF files: header anomalies become findings, chat templates are analysed."""

from __future__ import annotations

from airlock.formats.gguf import MAGIC, MAX_KEEP_STRING, read_gguf_partial
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.jinja_rules import TOO_COMPLEX, template_findings

GGUF_REF = (
    "CVE-2024-21802, CVE-2024-21825, CVE-2024-21836, CVE-2024-23496, CVE-2024-23605"
    " (llama.cpp GGUF parser heap overflows); https://github.com/ggml-org/ggml/blob/master/docs/gguf.md"
)

MALFORMED = Rule(
    "AIR-GGUF-001",
    Severity.HIGH,
    "GGUF header is malformed",
    "Counts and lengths that do not fit the file are how GGUF parser overflows were triggered;"
    " a loader may crash, exhaust memory or corrupt its heap.",
    GGUF_REF,
    blocks=True,
)
DIMENSIONS = Rule(
    "AIR-GGUF-002",
    Severity.HIGH,
    "GGUF tensor dimensions overflow or exceed ggml limits",
    "Element counts that overflow int64 or more than 4 dimensions make loaders compute wrong"
    " buffer sizes (out-of-bounds reads and writes).",
    GGUF_REF,
)
LAYOUT = Rule(
    "AIR-GGUF-003",
    Severity.HIGH,
    "GGUF tensor data lies outside the file or overlaps another tensor",
    "Tensor offsets beyond the data section or overlapping tensors read memory the file does"
    " not hold, or alias weights.",
    GGUF_REF,
)
ALIGNMENT = Rule(
    "AIR-GGUF-004",
    Severity.MEDIUM,
    "GGUF tensor layout is irregular",
    "Misaligned offsets, unknown tensor types or rows that are not whole quantisation blocks are"
    " rejected by careful loaders and mis-read by careless ones.",
    GGUF_REF,
)
IRREGULAR = Rule(
    "AIR-GGUF-005",
    Severity.LOW,
    "GGUF metadata is irregular",
    "Duplicate keys or tensor names, nested arrays, invalid UTF-8 or bool bytes mean two loaders"
    " may see different models.",
    GGUF_REF,
)

LOADER_CRASH = Rule(
    "AIR-GGUF-006",
    Severity.HIGH,
    "GGUF metadata crashes a loader or exhausts its memory",
    "A general.alignment that is not uint32 aborts llama.cpp (its typed getter asserts), and"
    " millions of tiny metadata items make gguf-py's reader (transformers' GGUF loader) keep"
    " hundreds of bytes each: gigabytes from a file of a few megabytes.",
    GGUF_REF,
)

_RULE_BY_KIND = {
    "loader-memory": LOADER_CRASH,
    "alignment-type": LOADER_CRASH,
    "dim-overflow": DIMENSIONS,
    "too-many-dims": DIMENSIONS,
    "out-of-bounds": LAYOUT,
    "overlap": LAYOUT,
    "misaligned": ALIGNMENT,
    "bad-alignment": ALIGNMENT,
    "unknown-type": ALIGNMENT,
    "block-mismatch": ALIGNMENT,
}


class GGUFHandler:
    """GGUF model files (llama.cpp, ollama, LM Studio)."""

    name = "gguf"

    def sniff(self, src: Source) -> bool:
        return src.head.startswith(MAGIC)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        gguf, error = read_gguf_partial(src.view())
        findings: list[Finding] = []
        if gguf is not None:
            for a in gguf.anomalies:
                rule = _RULE_BY_KIND.get(a.kind, IRREGULAR)
                findings.append(
                    rule.finding(ctx.location, a.message, member=ctx.member, offset=a.offset)
                )
            for key in gguf.skipped_templates:
                ev = f"{key}: template over {MAX_KEEP_STRING} bytes not analysed"
                findings.append(TOO_COMPLEX.finding(ctx.location, ev, member=ctx.member))
            for key, template in sorted(gguf.chat_templates().items()):
                findings.extend(
                    template_findings(template, ctx.location, member=ctx.member, label=key)
                )
        out = ScanOutcome(format="gguf", findings=findings)
        if error is not None:  # what was read before the break is still reported
            raise Unparseable(MALFORMED, str(error), out)
        return out
