"""OpenVINO IR (``openvino_model.xml`` + ``.bin``). The runtime builds the graph from the XML and
copies each ``Const`` layer's byte range out of the ``.bin``: the ``.bin`` is raw weights when
the ranges hold (handed to the engine as a data file of the same scan). Layers outside the
standard operation sets need an extension library loaded into the runtime (native code), rated
like ONNX custom domains; the openvino-tokenizers extension's ops are named and counted."""

from __future__ import annotations

import os
import re
from pathlib import Path

from airlock.formats.openvino import Layer, looks_like_openvino, read_openvino_xml
from airlock.formats.source import FormatProblem
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import (
    ScanContext,
    ScanOutcome,
    Source,
    Unparseable,
    note_folder_read,
)

OV_REF = "https://docs.openvino.ai/2024/documentation/openvino-ir-format.html"

UNPARSEABLE = Rule(
    "AIR-OV-000",
    Severity.HIGH,
    "OpenVINO IR cannot be parsed",
    "An XML graph whose root is <net> and that does not parse as an IR (malformed XML, DOCTYPE"
    " or entities, bad Const ranges) cannot be judged; the runtime may still load it.",
    OV_REF,
    blocks=True,
)
EXTENSION_OP = Rule(
    "AIR-OV-001",
    Severity.HIGH,
    "OpenVINO IR uses an operation from an extension library",
    "Layers outside the standard operation sets only load with an extension (a shared library"
    " added to the runtime): native code that ships with, or is demanded by, the model.",
    "https://docs.openvino.ai/2024/documentation/openvino-extensibility.html",
)
WEIGHTS_RANGE = Rule(
    "AIR-OV-002",
    Severity.MEDIUM,
    "OpenVINO Const layer reads outside its weights file",
    "A Const range past the end of the .bin (or a missing .bin) is rejected by the runtime or"
    " reads memory it should not.",
    OV_REF,
)
_OPSET = re.compile(r"^opset\d{1,3}$")
# the openvino-tokenizers extension (openvino_tokenizer.xml / openvino_detokenizer.xml)
TOKENIZER_OPS = frozenset(
    {"StringTensorPack", "RaggedTensorPack", "StringTensorUnpack", "CaseFold", "EqualStr",
     "NormalizeUnicode", "RegexNormalization", "RegexSplit", "WordpieceTokenizer",
     "BPETokenizer", "BytesToChars", "CombineSegments", "RaggedToDense", "RaggedToSparse",
     "RaggedToRagged", "StringToHashBucket", "VocabEncoder", "VocabDecoder", "CharsToBytes",
     "TrieTokenizer", "FuzeRagged", "ByteFallback", "SentencepieceTokenizer",
     "SentencepieceDetokenizer", "SentencepieceStreamDetokenizer", "SpecialTokensSplit",
     "UTF8Validate"}
)  # fmt: skip
MAX_FINDINGS = 50


class OpenVinoHandler:
    """OpenVINO IR v10/v11 XML graphs."""

    name = "openvino-ir"

    def sniff(self, src: Source) -> bool:
        return looks_like_openvino(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            model = read_openvino_xml(src.view())
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        findings: list[Finding] = []
        tokenizer_ops: set[str] = set()
        seen: set[tuple[str, str]] = set()
        for layer in model.layers:
            if _OPSET.match(layer.version):
                continue
            if layer.version == "extension" and layer.type in TOKENIZER_OPS:
                tokenizer_ops.add(layer.type)
                continue
            if (layer.type, layer.version) not in seen and len(seen) < MAX_FINDINGS:
                seen.add((layer.type, layer.version))
                ev = f"layer {layer.name!r} (id {layer.id}): {layer.type!r} of {layer.version!r}"
                findings.append(EXTENSION_OP.finding(ctx.location, ev, member=ctx.member))
        consts = [la for la in model.layers if la.offset is not None]
        notes = [
            f"OpenVINO IR v{model.ir_version} {model.name!r}: {len(model.layers)} layers,"
            f" {len(consts)} Const ranges"
        ]
        if tokenizer_ops:
            notes.append(f"openvino-tokenizers ops: {', '.join(sorted(tokenizer_ops))}")
        out = ScanOutcome(format=self.name, findings=findings, notes=notes)
        if consts:
            self._weights(src, ctx, consts, out)
        return out

    def _weights(
        self, src: Source, ctx: ScanContext, consts: list[Layer], out: ScanOutcome
    ) -> None:
        """Check the Const ranges against ``<stem>.bin`` next to the XML (what the runtime opens
        by default) and hand it to the engine as raw data when they hold."""
        for la in consts:
            if la.offset is None or la.size is None or la.offset < 0 or la.size < 0:
                raise Unparseable(UNPARSEABLE, f"Const layer {la.id!r}: negative offset/size", out)
        fs_path = ctx.fs_path or src.path
        if fs_path is None or ctx.member is not None:
            return
        note_folder_read()
        weights = fs_path.with_suffix(".bin")
        try:
            resolved = weights.resolve()
            if not resolved.is_relative_to(fs_path.parent.resolve()):
                raise OSError("leaves the model directory")
            size = os.stat(resolved).st_size
        except (OSError, RuntimeError) as exc:
            ev = f"{weights.name}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
            out.findings.append(WEIGHTS_RANGE.finding(ctx.location, ev, member=ctx.member))
            return
        bad = [la for la in consts if (la.offset or 0) + (la.size or 0) > size]
        for la in bad[:MAX_FINDINGS]:
            end = (la.offset or 0) + (la.size or 0)
            ev = f"layer {la.name!r}: bytes {la.offset}..{end} of {weights.name} ({size} bytes)"
            out.findings.append(WEIGHTS_RANGE.finding(ctx.location, ev, member=ctx.member))
        if not bad:
            out.data_files.append(Path(resolved))
