"""Core ML models (``.mlmodel``, and ``model.mlmodel`` + ``weights/weight.bin`` inside an
``.mlpackage``): specification data the Core ML runtime compiles. Custom models and custom
neural-network layers run a class the application provides for the name the model gives (code
demanded by the model, rated like ONNX custom domains); a linked model loads another compiled
model by file name. The MIL weight file is walked blob by blob (raw tensor data)."""

from __future__ import annotations

from airlock.formats.coreml import (
    looks_like_blob_storage,
    looks_like_mlmodel,
    read_blob_storage,
    read_mlmodel,
)
from airlock.formats.protobuf_wire import ProtobufError
from airlock.formats.source import FormatProblem
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

SPEC_REF = "https://apple.github.io/coremltools/mlmodel/Format/Model.html"

UNPARSEABLE = Rule(
    "AIR-CML-000",
    Severity.HIGH,
    "Core ML model or weight file cannot be parsed",
    "A file that starts like a Core ML Model (or MIL weight file) and does not parse as one"
    " cannot be judged.",
    SPEC_REF,
    blocks=True,
)
CUSTOM = Rule(
    "AIR-CML-001",
    Severity.HIGH,
    "Core ML model uses a custom model or custom layer",
    "Custom models and custom layers run a class the application provides for the name the model"
    " gives: code demanded by the model.",
    "https://apple.github.io/coremltools/docs-guides/source/custom-operators.html",
)
LINKED = Rule(
    "AIR-CML-002",
    Severity.MEDIUM,
    "Core ML model links another model file",
    "A linkedModel makes the runtime load another compiled model by file name and search path:"
    " what it loads is not in this file.",
    SPEC_REF,
)
BLOB_ESCAPE = Rule(
    "AIR-CML-003",
    Severity.HIGH,
    "Core ML program reads weights from a file outside its package",
    "An mlProgram const names the weight file it reads (BlobFileValue.fileName); the savers"
    " write '@model_path/weights/...'. Any other name (absolute, '..', no '@model_path/')"
    " points the runtime at a file that is not in the package that was reviewed.",
    "https://apple.github.io/coremltools/docs-guides/source/opt-workflow.html",
)
MAX_FINDINGS = 50
MODEL_PATH = "@model_path/"


def blob_file_escapes(name: str) -> str | None:
    """Why a MIL ``BlobFileValue.fileName`` may leave the ``.mlpackage`` (None: it stays)."""
    if not name.startswith(MODEL_PATH):
        return "not under '@model_path/'"
    rest = name[len(MODEL_PATH) :]
    if "\0" in rest or "\\" in rest:
        return "NUL or backslash in the path"
    if not rest or rest.startswith("/") or ".." in rest.split("/"):
        return "absolute or '..' path"
    return None


class CoreMLHandler:
    """``.mlmodel`` protobufs."""

    name = "coreml"

    def sniff(self, src: Source) -> bool:
        return looks_like_mlmodel(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            model = read_mlmodel(src.view())
        except ProtobufError as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        findings: list[Finding] = []
        for ev in model.custom[:MAX_FINDINGS]:
            findings.append(CUSTOM.finding(ctx.location, ev, member=ctx.member))
        for ev in model.linked[:MAX_FINDINGS]:
            findings.append(LINKED.finding(ctx.location, ev, member=ctx.member))
        bad = [(w, n, why) for w, n in model.blob_files if (why := blob_file_escapes(n))]
        for where, name, why in bad[:MAX_FINDINGS]:
            ev = f"{where}: const weights from {name[:300]!r} ({why})"
            findings.append(BLOB_ESCAPE.finding(ctx.location, ev, member=ctx.member))
        note = (
            f"Core ML spec {model.spec_version}: {', '.join(model.types[:10])}"
            f"{f', {model.layers} layers' if model.layers else ''}"
        )
        return ScanOutcome(format=self.name, findings=findings, notes=[note])


class CoreMLWeightsHandler:
    """MIL blob storage v2 (``weights/weight.bin`` of an ``.mlpackage``)."""

    name = "coreml-weights"

    def sniff(self, src: Source) -> bool:
        return looks_like_blob_storage(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            blobs = read_blob_storage(src.view())
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        note = f"MIL weight file: {blobs.blobs} blobs, {blobs.data_bytes} bytes of raw tensor data"
        return ScanOutcome(format=self.name, notes=[note])
